#pragma once
// Phone numbers for the sending policy: normalisation to E.164 and the
// province/city of a number, as libphonenumber (Debian libphonenumber-dev)
// and its offline geocoder say.
//
// Linking libphonenumber costs every process ~25 ms at start (more than a
// whole `smsctl policy check` may take), and parsing with it ~16 us a number,
// so the common numbers need none of it: libphonenumber's verdicts on Chinese
// mobile numbers (by their first 7 digits) and landlines (by area code,
// length and the first 3 subscriber digits) are tables built into the
// program at build time (gen_region_names.cpp), and short codes dialled in
// China are known by their form. Other numbers (other countries, Chinese
// service lines, invalid numbers and why) go to the plugin
// libsms_phonelib.so (phonelib.h), loaded on the first such number from
// <bin>/../lib/smserver or the build tree; without it they are invalid, with
// the reason, and a warning is logged once. tests/policy cross-checks the
// tables against the plugin for random numbers.
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
  // Type::short_code with e164 = the digits. A number that cannot be
  // checked (no plugin) is invalid, with the reason.
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

// Tests: load the plugin from `path` alone from now on ("" = the usual
// places); a plugin already loaded is forgotten (not unloaded). Numbers
// objects keep the verdicts they have cached.
void set_phonelib_path_for_tests(std::string path);

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
