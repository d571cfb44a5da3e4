#include "modem/pdu/hex.hpp"

#include <cstdio>

namespace sms::pdu::detail {
namespace {
constexpr char kDigits[] = "0123456789ABCDEF";

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}
}  // namespace

void append_hex(std::string& out, const std::uint8_t* bytes, std::size_t n) {
  const std::size_t at = out.size();
  out.resize(at + 2 * n);
  char* p = out.data() + at;
  for (std::size_t i = 0; i < n; ++i) {
    *p++ = kDigits[bytes[i] >> 4];
    *p++ = kDigits[bytes[i] & 0x0F];
  }
}

std::string parse_hex(std::string_view hex, std::uint8_t* out) {
  // Characters first: "not a hex digit at position 5" says more than "odd length".
  for (std::size_t pos = 0; pos < hex.size(); ++pos) {
    if (nibble(hex[pos]) < 0) {
      const unsigned char c = static_cast<unsigned char>(hex[pos]);
      char shown[16];
      if (c >= 0x20 && c < 0x7F)
        std::snprintf(shown, sizeof shown, "'%c'", c);
      else
        std::snprintf(shown, sizeof shown, "byte 0x%02X", c);
      return std::string("not a hex digit: ") + shown + " at position " + std::to_string(pos);
    }
  }
  if (hex.size() % 2 != 0)
    return "odd number of hex digits (" + std::to_string(hex.size()) + "): a PDU is whole octets";
  for (std::size_t i = 0; i < hex.size(); i += 2)
    out[i / 2] = static_cast<std::uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1]));
  return {};
}

}  // namespace sms::pdu::detail
