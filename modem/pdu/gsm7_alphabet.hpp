#pragma once
// GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 6.2.1,
// 6.2.1.1). Internal to the codec.
#include <cstdint>

namespace sms::pdu::detail {

inline constexpr std::uint8_t kGsm7Escape = 0x1B;  // 23.038 6.2.1: escape to the extension table

// Reverse table for code points below 0x100: bit 0x100 = in the default
// table, 0x200 = extension character, low byte = the code. Exposed so that
// the hot loops can look ASCII up inline.
extern const std::uint16_t kGsm7Latin[256];

// Septets for one code point: 0 if the character is in neither table, 1 if it
// is in the default table (out[0]), 2 for an extension character (out[0] is the
// escape, out[1] the extension code).
int gsm7_encode_char(char32_t cp, std::uint8_t out[2]) noexcept;

// The default-table character of a septet (0..127; higher bits ignored).
char32_t gsm7_default_char(std::uint8_t septet) noexcept;
// The extension-table character after an escape, or 0 when the code is not
// defined (23.038 says to show the default-table character instead).
char32_t gsm7_extension_char(std::uint8_t septet) noexcept;

// UTF-8 of every default-table septet (len bytes in bytes[]), for the decoder.
struct Gsm7Utf8 {
  char bytes[3];
  std::uint8_t len;
};
extern const Gsm7Utf8 kGsm7DefaultUtf8[128];

}  // namespace sms::pdu::detail
