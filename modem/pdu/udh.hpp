#pragma once
// User data header (3GPP TS 23.040 9.2.3.24): a length octet (UDHL) and
// information elements IEI, IEDL, data. Only concatenation is interpreted
// (IEI 0x00, 8-bit reference, 9.2.3.24.1; IEI 0x08, 16-bit, 9.2.3.24.8);
// every other element is skipped by its length.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "modem/pdu/pdu.hpp"

namespace sms::pdu::detail {

inline constexpr std::uint8_t kIeiConcat8 = 0x00;
inline constexpr std::uint8_t kIeiConcat16 = 0x08;

// `p` points at the UDHL; `avail` octets of user data follow it (UDHL
// included). On success sets `udh_octets` (UDHL + header) and `concat`; a
// concatenation element that 23.040 says to ignore (sequence 0 or beyond the
// total) is reported in `note`. Returns "" or the error.
std::string parse_udh(const std::uint8_t* p, std::size_t avail, std::size_t& udh_octets,
                      std::optional<Concat>& concat, std::string& note);

// Writes a UDH holding one concatenation element; returns its size (6 or 7).
std::size_t write_concat_udh(std::uint8_t* out, std::uint16_t reference, bool reference16, std::uint8_t total,
                             std::uint8_t sequence);
constexpr std::size_t concat_udh_size(bool reference16) { return reference16 ? 7 : 6; }

}  // namespace sms::pdu::detail
