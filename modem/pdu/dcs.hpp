#pragma once
// TP-DCS interpretation (3GPP TS 23.038 section 4).
#include <cstdint>

#include "modem/pdu/pdu.hpp"

namespace sms::pdu::detail {

struct DcsInfo {
  Encoding encoding = Encoding::gsm7;
  int message_class = -1;
  bool compressed = false;
  bool message_waiting = false;  // groups 1100..1110
};

DcsInfo interpret_dcs(std::uint8_t dcs);

}  // namespace sms::pdu::detail
