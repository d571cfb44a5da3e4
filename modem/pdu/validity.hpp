#pragma once
// Relative validity period, TP-VP (3GPP TS 23.040 9.2.3.12.1).
#include <cstdint>
#include <optional>

namespace sms::pdu::detail {

inline constexpr int kMaxValidityMinutes = 63 * 7 * 24 * 60;  // VP 255: 63 weeks

// The smallest VP octet whose period is at least `minutes` (the network must
// not drop the message earlier than asked); nullopt if out of 1..63 weeks.
std::optional<std::uint8_t> validity_octet(int minutes);
int validity_minutes(std::uint8_t vp);

}  // namespace sms::pdu::detail
