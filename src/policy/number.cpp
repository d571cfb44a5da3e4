#include "src/policy/number.hpp"

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <phonenumbers/shortnumberinfo.h>
#include <unicode/locid.h>

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace sms::policy {
namespace {

namespace pn = i18n::phonenumbers;
using Util = pn::PhoneNumberUtil;

constexpr std::size_t kSlowCacheMax = 4096;   // numbers off the fast path (landlines, foreign) kept
constexpr std::string_view kTaiwan = "台湾";

// The digits of a number written with digits (ASCII or full-width), spaces,
// dashes and a leading plus only: the forms the fast path takes.
struct Scan {
  std::string digits;
  bool plus = false;
  bool plain = true;   // nothing but the above
};

Scan scan(std::string_view raw) {
  Scan s;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c >= '0' && c <= '9') {
      s.digits += c;
    } else if (c == ' ' || c == '-' || c == '\t') {
    } else if (c == '+' && s.digits.empty() && !s.plus) {
      s.plus = true;
    } else if (raw.substr(i, 2) == "\xEF\xBC" && i + 2 < raw.size()) {   // U+FF00 block: full-width forms
      auto low = static_cast<unsigned char>(raw[i + 2]);
      if (low >= 0x90 && low <= 0x99) {
        s.digits += static_cast<char>('0' + (low - 0x90));
      } else if (low == 0x8B && s.digits.empty() && !s.plus) {
        s.plus = true;
      } else if (low != 0x8D) {   // U+FF0D full-width hyphen is a separator
        s.plain = false;
        return s;
      }
      i += 2;
    } else {
      s.plain = false;
      return s;
    }
  }
  return s;
}

std::uint64_t to_integer(std::string_view digits) {
  std::uint64_t n = 0;
  for (char c : digits) n = n * 10 + static_cast<std::uint64_t>(c - '0');
  return n;
}

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

Number::Type type_of(Util::PhoneNumberType t) {
  switch (t) {
    case Util::FIXED_LINE:
      return Number::Type::fixed;
    case Util::MOBILE:
    case Util::FIXED_LINE_OR_MOBILE:   // libphonenumber cannot tell (US): it may take an SMS
      return Number::Type::mobile;
    default:
      return Number::Type::other;
  }
}

Number invalid(std::string_view trimmed, const std::string& why) {
  Number n;
  n.e164 = std::string(trimmed);
  n.error = "'" + n.e164 + "' is not a valid phone number (" + why + ")";
  return n;
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

// Numbers libphonenumber does not know as numbers but that take messages:
// service numbers of 3 to 6 digits (10086, 95588, 12306; ShortNumberInfo
// misses many) and, in China, the 106 numbers of SMS service providers.
bool looks_like_short_code(const Scan& s, const std::string& region) {
  if (!s.plain || s.plus || s.digits.empty() || s.digits.front() == '0') return false;
  if (s.digits.size() >= 3 && s.digits.size() <= 6) return true;
  return region == "CN" && s.digits.starts_with("106") && s.digits.size() <= 21;
}

Number short_code(const Scan& s) {
  Number n;
  n.type = Number::Type::short_code;
  n.e164 = s.digits;
  return n;
}

std::string country_name(const char* region, const icu::Locale& language) {
  icu::UnicodeString name;
  icu::Locale("", region).getDisplayCountry(language, name);
  std::string out;
  name.toUTF8String(out);
  return out;
}

}  // namespace

struct Numbers::Impl {
  // What libphonenumber says of all Chinese mobile numbers sharing 7 digits.
  struct Prefix {
    Number::Type type = Number::Type::invalid;   // invalid: the slow path words why
    std::uint16_t description = 0;               // index into descriptions
  };

  explicit Impl(std::string region) : region(std::move(region)) {
    descriptions.emplace_back();   // index 0: no description
  }

  std::string region;
  const Util& util = *Util::GetInstance();
  pn::ShortNumberInfo short_info;
  pn::PhoneNumberOfflineGeocoder geocoder;
  icu::Locale zh{"zh", "CN"};
  std::string china = country_name("CN", zh);   // the geocoder's "no province known"
  std::unordered_map<std::uint32_t, Prefix> prefixes;
  std::vector<std::string> descriptions;
  std::unordered_map<std::string, std::uint16_t> description_index;
  std::unordered_map<std::string, Number> slow_numbers;
  std::unordered_map<std::string, std::string> slow_regions;
  // The last number parsed the slow way: region() usually follows normalise()
  // for the same number and need not parse it again.
  std::string last_e164;
  pn::PhoneNumber last_parsed;

  std::uint16_t intern(const std::string& d) {
    auto [it, added] = description_index.try_emplace(d, static_cast<std::uint16_t>(descriptions.size()));
    if (added) descriptions.push_back(d);
    return it->second;
  }

  // The geocoder's words, made uniform for region_allows: "" when only the
  // country is known, Taiwan's cities under their province ("台湾台北").
  std::string describe(const pn::PhoneNumber& n) const {
    std::string d = geocoder.GetDescriptionForNumber(n, zh);
    if (n.country_code() == 86 && d == china) return "";
    if (n.country_code() == 886 && !d.empty() && !std::string_view(d).starts_with(kTaiwan))
      return std::string(kTaiwan) + d;
    return d;
  }

  // `mobile`: the 11 national digits of a number 1[3-9]xxxxxxxxx.
  const Prefix& prefix_of(std::string_view mobile) {
    auto key = static_cast<std::uint32_t>(to_integer(mobile.substr(0, 7)));
    auto it = prefixes.find(key);
    if (it != prefixes.end()) return it->second;
    pn::PhoneNumber n;
    n.set_country_code(86);
    n.set_national_number(to_integer(mobile));
    Prefix p;
    if (util.IsValidNumber(n)) {
      p.type = type_of(util.GetNumberType(n));
      p.description = intern(describe(n));
    }
    return prefixes.emplace(key, p).first->second;
  }

  // The 11 national digits if `s` is a Chinese mobile number in a form whose
  // meaning does not depend on libphonenumber's parsing rules, else "".
  std::string_view fast_form(const Scan& s) const {
    std::string_view d = s.digits;
    if (!s.plain) return {};
    if (s.plus) {
      if (!d.starts_with("86")) return {};
      d.remove_prefix(2);
    } else if (region == "CN") {   // 0086 and 86 mean +86 only when dialled in China
      if (d.size() == 15 && d.starts_with("0086")) d.remove_prefix(4);
      if (d.size() == 13 && d.starts_with("86")) d.remove_prefix(2);
    } else {
      return {};
    }
    if (d.size() != 11 || d[0] != '1' || d[1] < '3') return {};
    return d;
  }

  bool fast(const Scan& s, Number& out) {
    auto mobile = fast_form(s);
    if (mobile.empty()) return false;
    const Prefix& p = prefix_of(mobile);
    if (p.type == Number::Type::invalid) return false;
    out.type = p.type;
    out.e164.reserve(14);
    out.e164 = "+86";
    out.e164 += mobile;
    return true;
  }

  Number slow(std::string_view trimmed, const Scan& s) {
    if (trimmed.empty()) {
      Number n;
      n.error = "the phone number is empty";
      return n;
    }
    pn::PhoneNumber n;
    auto error = util.Parse(std::string(trimmed), region, &n);
    if (error != Util::NO_PARSING_ERROR) {
      if (looks_like_short_code(s, region)) return short_code(s);
      return invalid(trimmed, parse_error_words(error, trimmed));
    }
    bool sp_number = region == "CN" && s.plain && !s.plus && s.digits.starts_with("106");
    if (util.IsValidNumber(n) && !sp_number) {
      Number out;
      out.type = type_of(util.GetNumberType(n));
      util.Format(n, Util::E164, &out.e164);
      last_e164 = out.e164;
      last_parsed = n;
      return out;
    }
    if (looks_like_short_code(s, region)) return short_code(s);
    if (s.plain && !s.plus && short_info.IsValidShortNumberForRegion(n, region)) return short_code(s);
    return invalid(trimmed, invalid_words(util, n));
  }

  Number slow_cached(std::string_view trimmed, const Scan& s) {
    std::string key(trimmed);
    if (auto it = slow_numbers.find(key); it != slow_numbers.end()) return it->second;
    if (slow_numbers.size() >= kSlowCacheMax) slow_numbers.clear();   // bounded; rebuilt as used
    return slow_numbers.emplace(std::move(key), slow(trimmed, s)).first->second;
  }

  std::string region_slow(const Number& number) {
    if (auto it = slow_regions.find(number.e164); it != slow_regions.end()) return it->second;
    std::string d;
    if (number.e164 == last_e164) {
      d = describe(last_parsed);
    } else if (pn::PhoneNumber n; util.Parse(number.e164, "ZZ", &n) == Util::NO_PARSING_ERROR) {
      d = describe(n);
    }
    if (slow_regions.size() >= kSlowCacheMax) slow_regions.clear();
    slow_regions.emplace(number.e164, d);
    return d;
  }
};

Numbers::Numbers(std::string default_region) : impl_(std::make_unique<Impl>(std::move(default_region))) {}
Numbers::~Numbers() = default;
Numbers::Numbers(Numbers&&) noexcept = default;
Numbers& Numbers::operator=(Numbers&&) noexcept = default;

Number Numbers::normalise(std::string_view raw) {
  auto trimmed = trim(raw);
  Scan s = scan(trimmed);
  Number n;
  if (impl_->fast(s, n)) return n;
  return impl_->slow_cached(trimmed, s);
}

Number Numbers::normalise_for_list(std::string_view raw) {
  Number n = normalise(raw);
  if (n.type == Number::Type::short_code) {
    Number refused;
    refused.e164 = n.e164;
    refused.error = "'" + std::string(trim(raw)) + "' is a short code, not a phone number a list can hold";
    return refused;
  }
  return n;
}

std::string Numbers::region(const Number& n) {
  if (!n.valid() || n.type == Number::Type::short_code) return "";
  std::string_view e164 = n.e164;
  if (e164.size() == 14 && e164.starts_with("+861") && e164[4] >= '3') {
    auto mobile = e164.substr(3);
    if (std::all_of(mobile.begin(), mobile.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return impl_->descriptions[impl_->prefix_of(mobile).description];
  }
  return impl_->region_slow(n);
}

const std::string& Numbers::default_region() const { return impl_->region; }

}  // namespace sms::policy
