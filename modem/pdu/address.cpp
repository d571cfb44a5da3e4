#include "modem/pdu/address.hpp"

#include <cstdio>

#include "modem/pdu/gsm7_alphabet.hpp"
#include "modem/pdu/septets.hpp"
#include "modem/pdu/utf8.hpp"

namespace sms::pdu {
namespace {

// 23.040 9.1.2.3 semi-octet values beyond the digits.
int digit_nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c == '*') return 0xA;
  if (c == '#') return 0xB;
  return -1;
}
constexpr char kNibbleChar[16] = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'a', 'b', 'c', 0};

std::string describe_char(std::string_view text, std::size_t pos) {
  const auto c = static_cast<unsigned char>(text[pos]);
  char buf[40];
  if (c >= 0x21 && c < 0x7F)
    std::snprintf(buf, sizeof buf, "'%c'", c);
  else if (c == ' ')
    std::snprintf(buf, sizeof buf, "' '");
  else
    std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
  return buf;
}

}  // namespace

Result<Address> parse_destination(std::string_view text) {
  Address a;
  a.type = detail::kTypeUnknown;
  std::size_t digits = 0;
  bool seen_plus = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.') continue;  // human formatting
    if (c == '+') {
      if (seen_plus || digits > 0)
        return make_error("invalid number '" + std::string(text) + "': '+' at position " + std::to_string(i) +
                          " (only allowed once, in front)");
      seen_plus = true;
      a.type = detail::kTypeInternational;
      a.number.push_back('+');
      continue;
    }
    if (digit_nibble(c) < 0)
      return make_error("invalid number '" + std::string(text) + "': " + describe_char(text, i) +
                        " at position " + std::to_string(i) + " is not a digit, '*' or '#'");
    a.number.push_back(c);
    ++digits;
  }
  if (digits == 0) return make_error("invalid number '" + std::string(text) + "': no digits");
  if (digits > detail::kMaxAddressDigits)
    return make_error("invalid number '" + std::string(text) + "': " + std::to_string(digits) +
                      " digits, at most 20 fit an address field (23.040 9.1.2.5)");
  return a;
}

}  // namespace sms::pdu

namespace sms::pdu::detail {

Result<Address> parse_originator(std::string_view text) {
  bool numeric = !text.empty();
  for (char c : text)
    if (!(digit_nibble(c) >= 0 || c == '+' || c == ' ' || c == '-')) numeric = false;
  if (numeric) return parse_destination(text);
  if (text.empty()) return make_error("empty originator");
  Address a;
  a.type = kTypeAlphanumeric;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp;
    const std::size_t at = i;
    if (!utf8_next(text, i, cp)) return make_error("originator: " + utf8_error(text, i));
    std::uint8_t s[2];
    const int n = gsm7_encode_char(cp, s);
    if (n != 1)
      return make_error("alphanumeric originator '" + std::string(text) + "': character at byte " +
                        std::to_string(at) + " is not in the GSM 7-bit default alphabet");
    ++chars;
  }
  if (chars > kMaxAlphanumericChars)
    return make_error("alphanumeric originator '" + std::string(text) + "' has " + std::to_string(chars) +
                      " characters, at most 11 fit (23.040 9.1.2.5)");
  a.number = std::string(text);
  return a;
}

std::size_t encode_address_field(const Address& a, std::uint8_t* out) {
  if ((a.type & 0x70) == 0x50) {  // alphanumeric: GSM 7-bit packed, length in semi-octets
    std::uint8_t septets[kMaxAlphanumericChars];
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.number.size() && n < kMaxAlphanumericChars;) {
      char32_t cp;
      if (!utf8_next(a.number, i, cp)) break;
      std::uint8_t s[2];
      if (gsm7_encode_char(cp, s) == 1) septets[n++] = s[0];
    }
    const std::size_t octets = octets_for_septets(n);
    for (std::size_t k = 0; k < octets; ++k) out[2 + k] = 0;
    pack_septets(septets, n, 0, out + 2);
    // Semi-octets actually used by the septets (23.040 9.1.2.5 note).
    out[0] = static_cast<std::uint8_t>((n * 7 + 3) / 4);
    out[1] = a.type;
    return 2 + octets;
  }
  std::size_t digits = 0;
  std::uint8_t* p = out + 2;
  for (char c : a.number) {
    const int v = digit_nibble(c);
    if (v < 0) continue;
    if (digits % 2 == 0)
      *p = static_cast<std::uint8_t>(0xF0 | v);  // 23.040 9.1.2.3: odd count is filled with 1111
    else {
      *p = static_cast<std::uint8_t>((*p & 0x0F) | v << 4);
      ++p;
    }
    ++digits;
  }
  out[0] = static_cast<std::uint8_t>(digits);
  out[1] = a.type;
  return 2 + (digits + 1) / 2;
}

std::size_t encode_smsc_field(const Address* smsc, std::uint8_t* out) {
  if (smsc == nullptr || smsc->number.empty()) {
    out[0] = 0;
    return 1;
  }
  const std::size_t n = encode_address_field(*smsc, out);
  out[0] = static_cast<std::uint8_t>(n - 1);  // octets after the length: type + digits
  return n;
}

namespace {
void append_bcd(std::string& out, const std::uint8_t* p, std::size_t digits) {
  for (std::size_t k = 0; k < digits; ++k) {
    const unsigned v = (k % 2 == 0) ? (p[k / 2] & 0x0F) : (p[k / 2] >> 4);
    if (kNibbleChar[v] != 0) out.push_back(kNibbleChar[v]);
  }
}
}  // namespace

bool decode_address_field(Reader& r, const char* field, Address& out, std::string& err) {
  std::uint8_t len, type;
  const std::size_t at = r.pos();
  if (!r.octet(field, len, err)) return false;
  if (len > kMaxAddressDigits) {
    err = std::string(field) + " at octet " + std::to_string(at) + ": length " + std::to_string(len) +
          " exceeds 20 semi-octets (23.040 9.1.2.5)";
    return false;
  }
  if (!r.octet(field, type, err)) return false;
  const std::uint8_t* p;
  if (!r.take(field, (len + 1u) / 2u, p, err)) return false;
  out.type = type;
  out.number.clear();
  if ((type & 0x70) == 0x50) {  // TON 101: alphanumeric, GSM 7-bit packed
    const std::size_t chars = len * 4u / 7u;
    std::uint8_t septets[kMaxAddressDigits * 4 / 7 + 1];
    unpack_septets(p, 0, chars, septets);
    for (std::size_t k = 0; k < chars; ++k) {
      if (septets[k] == kGsm7Escape && k + 1 < chars) {
        const char32_t e = gsm7_extension_char(septets[k + 1]);
        append_utf8(out.number, e ? e : gsm7_default_char(septets[k + 1]));
        ++k;
      } else {
        append_utf8(out.number, gsm7_default_char(septets[k]));
      }
    }
    return true;
  }
  if ((type & 0x70) == 0x10 && len > 0) out.number.push_back('+');
  append_bcd(out.number, p, len);
  return true;
}

bool decode_smsc_field(Reader& r, std::string& number, std::string& err) {
  std::uint8_t len;
  const std::size_t at = r.pos();
  if (!r.octet("SMSC length", len, err)) return false;
  number.clear();
  if (len == 0) return true;
  if (len > 11) {
    err = "SMSC field at octet " + std::to_string(at) + ": length " + std::to_string(len) +
          " exceeds 11 octets (24.011 8.2.5.1)";
    return false;
  }
  std::uint8_t type;
  if (!r.octet("SMSC type", type, err)) return false;
  const std::uint8_t* p;
  if (!r.take("SMSC digits", len - 1u, p, err)) return false;
  if ((type & 0x70) == 0x10) number.push_back('+');
  std::size_t digits = (len - 1u) * 2u;
  if (digits > 0 && (p[len - 2] >> 4) == 0xF) --digits;
  append_bcd(number, p, digits);
  return true;
}

}  // namespace sms::pdu::detail
