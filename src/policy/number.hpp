#pragma once
// Phone numbers for the sending policy: normalisation to E.164 and the
// province/city of a number, through libphonenumber (Debian
// libphonenumber-dev) and its offline geocoder.
//
// Parsing with libphonenumber costs ~16 us and a geocoder lookup ~10 us, more
// than the whole policy budget per message, so Chinese mobile numbers (by far
// the most common recipients) take a fast path: their form is fixed (11
// digits, 1[3-9]...), and validity and region depend only on the first 7
// digits, which are looked up once and cached. tests/policy cross-checks the
// fast path against libphonenumber for random numbers.
//
// A Numbers object is not thread-safe: one per thread (each worker has its own).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sms::policy {

struct Number {
  enum class Type { mobile, fixed, short_code, other, invalid };
  Type type = Type::invalid;
  std::string e164;     // "+8613955112345"; for short codes and alphanumerics the digits/text as given, trimmed
  std::string error;    // why it is invalid, in words ("+86 123 is too short for a Chinese number")
  bool valid() const { return type != Type::invalid; }
};

class Numbers {
 public:
  // default_region: ISO 3166 code used for numbers written without a country
  // code (<policy defaultRegion="CN">).
  explicit Numbers(std::string default_region = "CN");
  ~Numbers();
  Numbers(Numbers&&) noexcept;
  Numbers& operator=(Numbers&&) noexcept;

  // Accepts "+86 139-5511-2345", "008613955112345", "8613955112345",
  // "13955112345", full-width digits "１３９５５１１２３４５", national
  // landlines "0551-62345678"; short codes ("10086", "95588") come back as
  // Type::short_code with e164 = the digits.
  Number normalise(std::string_view raw);
  // For list commands (smsctl whitelist add ...): a number a person may put
  // on a list. Short codes and invalid numbers are refused with the reason.
  Number normalise_for_list(std::string_view raw);
  // The geocoder's description in Chinese: "安徽省合肥市", "北京市"; "" if
  // unknown (short codes, numbers of other countries the data does not know).
  std::string region(const Number& n);
  const std::string& default_region() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Does a geocoder description ("安徽省合肥市", "安徽省合肥市、巢湖市") lie in
// an allowed province or city ("安徽省", "合肥市", "合肥")? A province matches
// its prefix; a city matches one of the cities listed.
bool region_allows(std::string_view description, std::string_view allowed);

// Is `name` a Chinese province-level division or a city the geocoder knows
// ("安徽省", "安徽", "北京市", "合肥市", "合肥")? For config validation.
bool is_known_region(std::string_view name);
// A close known name for error messages ("安微省" -> "安徽省"), or "".
std::string suggest_region(std::string_view name);

}  // namespace sms::policy
