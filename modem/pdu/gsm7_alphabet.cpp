#include "modem/pdu/gsm7_alphabet.hpp"

#include <array>

namespace sms::pdu::detail {
namespace {

// 23.038 6.2.1, indexed by septet. 0x1B is the escape; it is shown as a
// no-break space if it ever has to be displayed on its own.
constexpr char32_t kDefault[128] = {
    U'@',    U'\u00A3', U'$',     U'\u00A5', U'\u00E8', U'\u00E9', U'\u00F9', U'\u00EC',  // 0x00
    U'\u00F2', U'\u00C7', U'\n',  U'\u00D8', U'\u00F8', U'\r',   U'\u00C5', U'\u00E5',  // 0x08
    U'\u0394', U'_',    U'\u03A6', U'\u0393', U'\u039B', U'\u03A9', U'\u03A0', U'\u03A8',  // 0x10
    U'\u03A3', U'\u0398', U'\u039E', U'\u00A0', U'\u00C6', U'\u00E6', U'\u00DF', U'\u00C9',  // 0x18
    U' ',    U'!',     U'"',     U'#',     U'\u00A4', U'%',     U'&',     U'\'',     // 0x20
    U'(',    U')',     U'*',     U'+',     U',',     U'-',     U'.',     U'/',      // 0x28
    U'0',    U'1',     U'2',     U'3',     U'4',     U'5',     U'6',     U'7',      // 0x30
    U'8',    U'9',     U':',     U';',     U'<',     U'=',     U'>',     U'?',      // 0x38
    U'\u00A1', U'A',   U'B',     U'C',     U'D',     U'E',     U'F',     U'G',      // 0x40
    U'H',    U'I',     U'J',     U'K',     U'L',     U'M',     U'N',     U'O',      // 0x48
    U'P',    U'Q',     U'R',     U'S',     U'T',     U'U',     U'V',     U'W',      // 0x50
    U'X',    U'Y',     U'Z',     U'\u00C4', U'\u00D6', U'\u00D1', U'\u00DC', U'\u00A7',  // 0x58
    U'\u00BF', U'a',   U'b',     U'c',     U'd',     U'e',     U'f',     U'g',      // 0x60
    U'h',    U'i',     U'j',     U'k',     U'l',     U'm',     U'n',     U'o',      // 0x68
    U'p',    U'q',     U'r',     U's',     U't',     U'u',     U'v',     U'w',      // 0x70
    U'x',    U'y',     U'z',     U'\u00E4', U'\u00F6', U'\u00F1', U'\u00FC', U'\u00E0',  // 0x78
};

// 23.038 6.2.1.1: the characters that cost an escape plus a code.
struct Ext {
  std::uint8_t code;
  char32_t cp;
};
constexpr Ext kExtension[] = {
    {0x0A, U'\f'}, {0x14, U'^'}, {0x28, U'{'}, {0x29, U'}'}, {0x2F, U'\\'},
    {0x3C, U'['},  {0x3D, U'~'}, {0x3E, U']'}, {0x40, U'|'}, {0x65, U'\u20AC'},
};

// Reverse table for code points below 0x100: bit 0x100 = present in the
// default table, 0x200 = extension character, low byte = the code.
constexpr std::array<std::uint16_t, 256> make_latin_table() {
  std::array<std::uint16_t, 256> t{};
  for (int s = 0; s < 128; ++s) {
    if (s == kGsm7Escape) continue;  // U+00A0 is not encodable: 0x1B is the escape
    char32_t cp = kDefault[s];
    if (cp < 256) t[cp] = static_cast<std::uint16_t>(0x100 | s);
  }
  for (const Ext& e : kExtension)
    if (e.cp < 256) t[e.cp] = static_cast<std::uint16_t>(0x200 | e.code);
  return t;
}
constexpr std::array<std::uint16_t, 256> kLatin = make_latin_table();

constexpr std::array<Gsm7Utf8, 128> make_utf8_table() {
  std::array<Gsm7Utf8, 128> t{};
  for (int s = 0; s < 128; ++s) {
    const char32_t cp = kDefault[s];
    Gsm7Utf8& e = t[static_cast<std::size_t>(s)];
    if (cp < 0x80) {
      e.bytes[0] = static_cast<char>(cp);
      e.len = 1;
    } else if (cp < 0x800) {
      e.bytes[0] = static_cast<char>(0xC0 | (cp >> 6));
      e.bytes[1] = static_cast<char>(0x80 | (cp & 0x3F));
      e.len = 2;
    } else {
      e.bytes[0] = static_cast<char>(0xE0 | (cp >> 12));
      e.bytes[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      e.bytes[2] = static_cast<char>(0x80 | (cp & 0x3F));
      e.len = 3;
    }
  }
  return t;
}
constexpr std::array<Gsm7Utf8, 128> kUtf8 = make_utf8_table();

constexpr std::array<char32_t, 128> make_extension_table() {
  std::array<char32_t, 128> t{};
  for (const Ext& e : kExtension) t[e.code] = e.cp;
  return t;
}
constexpr std::array<char32_t, 128> kExtensionByCode = make_extension_table();

}  // namespace

const std::uint16_t kGsm7Latin[256] = {
#define SMS_ROW(i) kLatin[i], kLatin[i + 1], kLatin[i + 2], kLatin[i + 3], kLatin[i + 4], kLatin[i + 5], \
                   kLatin[i + 6], kLatin[i + 7]
    SMS_ROW(0),   SMS_ROW(8),   SMS_ROW(16),  SMS_ROW(24),  SMS_ROW(32),  SMS_ROW(40),  SMS_ROW(48),
    SMS_ROW(56),  SMS_ROW(64),  SMS_ROW(72),  SMS_ROW(80),  SMS_ROW(88),  SMS_ROW(96),  SMS_ROW(104),
    SMS_ROW(112), SMS_ROW(120), SMS_ROW(128), SMS_ROW(136), SMS_ROW(144), SMS_ROW(152), SMS_ROW(160),
    SMS_ROW(168), SMS_ROW(176), SMS_ROW(184), SMS_ROW(192), SMS_ROW(200), SMS_ROW(208), SMS_ROW(216),
    SMS_ROW(224), SMS_ROW(232), SMS_ROW(240), SMS_ROW(248),
#undef SMS_ROW
};

const Gsm7Utf8 kGsm7DefaultUtf8[128] = {
#define SMS_ROW(i) kUtf8[i], kUtf8[i + 1], kUtf8[i + 2], kUtf8[i + 3], kUtf8[i + 4], kUtf8[i + 5], kUtf8[i + 6], \
                   kUtf8[i + 7]
    SMS_ROW(0),  SMS_ROW(8),  SMS_ROW(16), SMS_ROW(24), SMS_ROW(32),  SMS_ROW(40),  SMS_ROW(48),  SMS_ROW(56),
    SMS_ROW(64), SMS_ROW(72), SMS_ROW(80), SMS_ROW(88), SMS_ROW(96), SMS_ROW(104), SMS_ROW(112), SMS_ROW(120),
#undef SMS_ROW
};

int gsm7_encode_char(char32_t cp, std::uint8_t out[2]) noexcept {
  if (cp < 256) {
    std::uint16_t v = kLatin[cp];
    if (v & 0x100) {
      out[0] = static_cast<std::uint8_t>(v);
      return 1;
    }
    if (v & 0x200) {
      out[0] = kGsm7Escape;
      out[1] = static_cast<std::uint8_t>(v);
      return 2;
    }
    return 0;
  }
  switch (cp) {  // the Greek capitals of the default table, and the euro sign
    case U'\u0394': out[0] = 0x10; return 1;
    case U'\u03A6': out[0] = 0x12; return 1;
    case U'\u0393': out[0] = 0x13; return 1;
    case U'\u039B': out[0] = 0x14; return 1;
    case U'\u03A9': out[0] = 0x15; return 1;
    case U'\u03A0': out[0] = 0x16; return 1;
    case U'\u03A8': out[0] = 0x17; return 1;
    case U'\u03A3': out[0] = 0x18; return 1;
    case U'\u0398': out[0] = 0x19; return 1;
    case U'\u039E': out[0] = 0x1A; return 1;
    case U'\u20AC': out[0] = kGsm7Escape; out[1] = 0x65; return 2;
    default: return 0;
  }
}

char32_t gsm7_default_char(std::uint8_t septet) noexcept { return kDefault[septet & 0x7F]; }

char32_t gsm7_extension_char(std::uint8_t septet) noexcept { return kExtensionByCode[septet & 0x7F]; }

}  // namespace sms::pdu::detail
