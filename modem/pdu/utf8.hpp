#pragma once
// UTF-8 and UTF-16 conversions used by the codec (RFC 3629; UTF-16 per 23.038
// 6.2.3 "UCS2", which networks treat as UTF-16 so that emoji survive).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "modem/common/utf8.hpp"

namespace sms::pdu::detail {

// The strict decoder and the encoder live in modem/common/utf8.hpp.
inline bool utf8_next(std::string_view s, std::size_t& i, char32_t& cp) noexcept { return utf8::next(s, i, cp); }
inline void append_utf8(std::string& out, char32_t cp) { utf8::append(out, cp); }

// "invalid UTF-8 at byte offset 5 (0xC3)"
std::string utf8_error(std::string_view s, std::size_t offset);

// Appends UTF-16BE octets as UTF-8; unpaired surrogates become U+FFFD.
void append_utf16be_as_utf8(std::string& out, const std::uint8_t* p, std::size_t units);

}  // namespace sms::pdu::detail
