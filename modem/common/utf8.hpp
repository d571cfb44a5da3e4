#pragma once
// UTF-8 (RFC 3629) in one place for every layer: the codec, the simulator's
// control channel and smsctl's table rendering all walk UTF-8 text.
#include <cstddef>
#include <string>
#include <string_view>

namespace sms::utf8 {

// Decodes the code point at s[i] and advances i. Returns false (i unchanged)
// for an invalid sequence: bad lead byte, truncated, overlong, surrogate
// code point, or above U+10FFFF (RFC 3629 section 4). Inline and straight-line
// because every encoded character goes through it.
inline bool next(std::string_view s, std::size_t& i, char32_t& cp) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const std::size_t left = s.size() - i;
  const unsigned b0 = p[0];
  if (b0 < 0x80) {
    cp = b0;
    i += 1;
    return true;
  }
  if (b0 < 0xC2) return false;  // continuation byte, or an overlong 2-byte lead (C0, C1)
  if (b0 < 0xE0) {
    if (left < 2 || (p[1] & 0xC0) != 0x80) return false;
    cp = (b0 & 0x1Fu) << 6 | (p[1] & 0x3Fu);
    i += 2;
    return true;
  }
  if (b0 < 0xF0) {
    if (left < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return false;
    const char32_t v = (b0 & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
    if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) return false;
    cp = v;
    i += 3;
    return true;
  }
  if (b0 < 0xF5) {
    if (left < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return false;
    const char32_t v = (b0 & 0x07u) << 18 | (p[1] & 0x3Fu) << 12 | (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
    if (v < 0x10000 || v > 0x10FFFF) return false;
    cp = v;
    i += 4;
    return true;
  }
  return false;
}

// Appends cp (assumed a valid scalar value) encoded as UTF-8.
void append(std::string& out, char32_t cp);

}  // namespace sms::utf8
