#pragma once
// TP-SCTS / TP-DT (3GPP TS 23.040 9.2.3.11): seven semi-octet pairs
// YY MM DD hh mm ss TZ, local time of the SMSC plus its offset in quarters
// of an hour.
#include <cstdint>
#include <string>

#include "modem/pdu/pdu.hpp"

namespace sms::pdu::detail {

// Returns "" on success, else what is wrong with the seven octets.
std::string decode_timestamp(const std::uint8_t* p, Timestamp& out);
// Writes seven octets. The offset is rounded to quarters of an hour.
void encode_timestamp(const Timestamp& t, std::uint8_t* out);

}  // namespace sms::pdu::detail
