#include "modem/pdu/hex.hpp"

#include <array>
#include <cstdio>
#include <cstring>

namespace sms::pdu::detail {
namespace {
constexpr char kDigits[] = "0123456789ABCDEF";

// Nibble value of every byte, 0xFF for "not a hex digit": one table lookup
// per character keeps decoding at memory speed.
constexpr std::array<std::uint8_t, 256> make_nibbles() {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = 0xFF;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - '0');
  for (int c = 'A'; c <= 'F'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 'A' + 10);
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 'a' + 10);
  return t;
}
constexpr std::array<std::uint8_t, 256> kNibbles = make_nibbles();

int nibble(char c) {
  const std::uint8_t v = kNibbles[static_cast<unsigned char>(c)];
  return v == 0xFF ? -1 : v;
}

// Both hex digits of every octet, so that encoding is one copy per octet.
constexpr std::array<char, 512> make_pairs() {
  std::array<char, 512> t{};
  for (int b = 0; b < 256; ++b) {
    t[static_cast<std::size_t>(2 * b)] = kDigits[b >> 4];
    t[static_cast<std::size_t>(2 * b + 1)] = kDigits[b & 15];
  }
  return t;
}
constexpr std::array<char, 512> kPairs = make_pairs();

}  // namespace

void append_hex(std::string& out, const std::uint8_t* bytes, std::size_t n) {
  const std::size_t at = out.size();
  out.resize(at + 2 * n);
  char* p = out.data() + at;
  for (std::size_t i = 0; i < n; ++i, p += 2) std::memcpy(p, &kPairs[2u * bytes[i]], 2);
}

std::string parse_hex(std::string_view hex, std::uint8_t* out) {
  if (hex.size() % 2 == 0) {  // the fast path: convert, and look closer only if a bad digit shows up
    const auto* h = reinterpret_cast<const unsigned char*>(hex.data());
    unsigned bad = 0;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
      const unsigned hi = kNibbles[h[i]], lo = kNibbles[h[i + 1]];
      bad |= hi | lo;
      out[i / 2] = static_cast<std::uint8_t>(hi << 4 | (lo & 0x0F));
    }
    if ((bad & 0xF0) == 0) return {};
  }
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
