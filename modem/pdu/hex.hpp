#pragma once
// Hex text <-> octets, as modems print PDUs in 27.005 PDU mode.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sms::pdu::detail {

// Appends upper-case hex of bytes[0..n).
void append_hex(std::string& out, const std::uint8_t* bytes, std::size_t n);

// Decodes hex (either case) into out[0..hex.size()/2). Returns "" on success or
// an error naming the offending character and its position. `out` must hold
// hex.size()/2 octets.
std::string parse_hex(std::string_view hex, std::uint8_t* out);

}  // namespace sms::pdu::detail
