#include "modem/pdu/utf8.hpp"

#include <cstdint>
#include <cstdio>

#include "modem/pdu/pdu.hpp"

namespace sms::pdu::detail {

std::string utf8_error(std::string_view s, std::size_t offset) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "invalid UTF-8 at byte offset %zu (0x%02X)", offset,
                static_cast<unsigned>(static_cast<unsigned char>(s[offset])));
  return buf;
}

void append_utf16be_as_utf8(std::string& out, const std::uint8_t* p, std::size_t units) {
  // At most 3 UTF-8 bytes per unit (a pair of units gives 4): size once, write
  // through a pointer, trim at the end.
  const std::size_t at = out.size();
  out.resize(at + 3 * units);
  auto* o = reinterpret_cast<unsigned char*>(out.data() + at);
  for (std::size_t k = 0; k < units; ++k) {
    char32_t u = static_cast<char32_t>(p[2 * k] << 8 | p[2 * k + 1]);
    if (u < 0x80) {
      *o++ = static_cast<unsigned char>(u);
      continue;
    }
    if (u < 0x800) {
      *o++ = static_cast<unsigned char>(0xC0 | (u >> 6));
      *o++ = static_cast<unsigned char>(0x80 | (u & 0x3F));
      continue;
    }
    if (u >= 0xD800 && u <= 0xDBFF && k + 1 < units) {
      const char32_t lo = static_cast<char32_t>(p[2 * k + 2] << 8 | p[2 * k + 3]);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        const char32_t cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        *o++ = static_cast<unsigned char>(0xF0 | (cp >> 18));
        *o++ = static_cast<unsigned char>(0x80 | ((cp >> 12) & 0x3F));
        *o++ = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
        *o++ = static_cast<unsigned char>(0x80 | (cp & 0x3F));
        ++k;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) u = 0xFFFD;  // unpaired surrogate from a broken sender
    *o++ = static_cast<unsigned char>(0xE0 | (u >> 12));
    *o++ = static_cast<unsigned char>(0x80 | ((u >> 6) & 0x3F));
    *o++ = static_cast<unsigned char>(0x80 | (u & 0x3F));
  }
  out.resize(static_cast<std::size_t>(o - reinterpret_cast<unsigned char*>(out.data())));
}

}  // namespace sms::pdu::detail

namespace sms::pdu {

Result<std::u16string> utf8_to_utf16(std::string_view utf8) {
  std::u16string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t cp;
    if (!detail::utf8_next(utf8, i, cp)) return make_error(detail::utf8_error(utf8, i));
    if (cp >= 0x10000) {
      out.push_back(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

}  // namespace sms::pdu
