// libsms_phonelib.so: libphonenumber and its offline geocoder behind the C ABI
// of phonelib.h, loaded by number.cpp with dlopen() only when a number is off
// its build-time tables. The words for invalid numbers live here, next to the
// libphonenumber verdicts they explain.
#include "src/policy/phonelib.h"

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <phonenumbers/shortnumberinfo.h>
#include <unicode/locid.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#define SMS_PHONELIB_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

namespace pn = i18n::phonenumbers;
using Util = pn::PhoneNumberUtil;

constexpr std::string_view kTaiwan = "台湾";

// Built on first use: PhoneNumberUtil compiles its regular expressions then.
struct Lib {
  const Util& util = *Util::GetInstance();
  pn::ShortNumberInfo short_info;
  pn::PhoneNumberOfflineGeocoder geocoder;
  icu::Locale zh{"zh", "CN"};
  std::string china;   // the geocoder's "no province known"

  Lib() {
    icu::UnicodeString name;
    icu::Locale("", "CN").getDisplayCountry(zh, name);
    name.toUTF8String(china);
  }
};

const Lib& lib() {
  static const Lib l;
  return l;
}

int type_of(Util::PhoneNumberType t) {
  switch (t) {
    case Util::FIXED_LINE:
      return SMS_PHONELIB_FIXED;
    case Util::MOBILE:
    case Util::FIXED_LINE_OR_MOBILE:   // libphonenumber cannot tell (US): it may take an SMS
      return SMS_PHONELIB_MOBILE;
    case Util::UNKNOWN:
      return SMS_PHONELIB_INVALID;
    default:
      return SMS_PHONELIB_OTHER;
  }
}

// Any digit, ASCII or full-width (U+FF10..U+FF19: EF BC 90..99).
bool has_digit(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') return true;
    if (s.substr(i, 2) == "\xEF\xBC" && i + 2 < s.size()) {
      auto low = static_cast<unsigned char>(s[i + 2]);
      if (low >= 0x90 && low <= 0x99) return true;
    }
  }
  return false;
}

std::string parse_error_words(Util::ErrorType e, std::string_view raw) {
  switch (e) {
    case Util::INVALID_COUNTRY_CODE_ERROR:
      return "unknown country code";
    case Util::NOT_A_NUMBER:
      return has_digit(raw) ? "it is not written like a phone number" : "it has no digits";
    case Util::TOO_SHORT_AFTER_IDD:
      return "too short after the international prefix";
    case Util::TOO_SHORT_NSN:
      return "too short";
    case Util::TOO_LONG_NSN:
      return "too long";
    default:
      return "it cannot be read";
  }
}

// Why a number libphonenumber could read is still not valid.
std::string invalid_words(const Util& util, const pn::PhoneNumber& n) {
  switch (util.IsPossibleNumberWithReason(n)) {
    case Util::IS_POSSIBLE_LOCAL_ONLY:
      return "a local number: the area code is missing";
    case Util::INVALID_COUNTRY_CODE:
      return "unknown country code +" + std::to_string(n.country_code());
    case Util::TOO_SHORT:
      return "too short";
    case Util::TOO_LONG:
      return "too long";
    case Util::INVALID_LENGTH:
      return "wrong number of digits";
    default:
      break;
  }
  std::string nsn;
  util.GetNationalSignificantNumber(n, &nsn);
  if (n.country_code() == 86 && nsn.size() != 11 && nsn.starts_with("1"))
    return "a Chinese mobile number has 11 digits, this one has " + std::to_string(nsn.size());
  if (n.country_code() == 86 && (nsn.size() == 7 || nsn.size() == 8))   // a landline as dialled locally
    return "a landline number needs its area code, as in 0551-62345678";
  return "no numbers are in use in the range +" + std::to_string(n.country_code()) + " " + nsn.substr(0, 3);
}

// Copies with truncation at a UTF-8 character boundary, always terminated.
template <std::size_t N>
void copy_to(char (&out)[N], std::string_view s) {
  std::size_t n = std::min(s.size(), N - 1);
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  std::memcpy(out, s.data(), n);
  out[n] = '\0';
}

std::string describe(const Lib& l, const pn::PhoneNumber& n) {
  std::string d = l.geocoder.GetDescriptionForNumber(n, l.zh);
  if (n.country_code() == 86 && d == l.china) return "";
  if (n.country_code() == 886 && !d.empty() && !std::string_view(d).starts_with(kTaiwan))
    return std::string(kTaiwan) + d;
  return d;
}

// region() usually follows normalise() for the same number: the last number
// parsed on this thread need not be parsed again to be described.
struct Last {
  std::string e164;
  pn::PhoneNumber number;
};
thread_local Last last;

}  // namespace

SMS_PHONELIB_EXPORT int sms_phonelib_abi(void) { return SMS_PHONELIB_ABI; }

SMS_PHONELIB_EXPORT int sms_phonelib_parse(const char* text, size_t size, const char* region,
                                           struct sms_phonelib_number* out) {
  *out = sms_phonelib_number{};
  try {
    const Lib& l = lib();
    std::string raw(text, size);
    pn::PhoneNumber n;
    auto error = l.util.Parse(raw, region, &n);
    if (error != Util::NO_PARSING_ERROR) {
      copy_to(out->why, parse_error_words(error, raw));
      return out->type;
    }
    out->parsed = 1;
    if (!l.util.IsValidNumber(n)) {
      out->short_number = l.short_info.IsValidShortNumberForRegion(n, region) ? 1 : 0;
      copy_to(out->why, invalid_words(l.util, n));
      return out->type;
    }
    out->type = type_of(l.util.GetNumberType(n));
    std::string e164;
    l.util.Format(n, Util::E164, &e164);
    copy_to(out->e164, e164);
    last.e164 = std::move(e164);
    last.number = n;
  } catch (const std::exception& e) {   // bad_alloc: nothing may cross the C ABI
    *out = sms_phonelib_number{};
    copy_to(out->why, std::string("it cannot be read: ") + e.what());
  }
  return out->type;
}

SMS_PHONELIB_EXPORT size_t sms_phonelib_describe(const char* e164, char* out, size_t capacity) {
  std::string d;
  try {
    const Lib& l = lib();
    if (last.e164 == e164) {
      d = describe(l, last.number);
    } else if (pn::PhoneNumber n; l.util.Parse(e164, "ZZ", &n) == Util::NO_PARSING_ERROR) {
      d = describe(l, n);
    }
  } catch (const std::exception&) {
    d.clear();
  }
  if (capacity > 0) {
    std::size_t n = std::min(d.size(), capacity - 1);
    std::memcpy(out, d.data(), n);
    out[n] = '\0';
  }
  return d.size();
}
