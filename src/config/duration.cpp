#include "src/config/duration.hpp"

#include <fmt/format.h>

namespace sms::config {
namespace {

constexpr std::int64_t kMaxMs = 10LL * 366 * 24 * 3600 * 1000;  // 10 years

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::chrono::milliseconds> parse_duration(std::string_view text, BareUnit bare) {
  const std::string quoted = fmt::format("'{}'", text);
  std::string_view s = trim(text);
  if (s.empty()) return make_error("empty duration (write e.g. \"10s\", \"250ms\", \"5m\")");
  if (s.front() == '-') return make_error(fmt::format("negative duration {}", quoted));
  if (s.front() == '+') s.remove_prefix(1);

  // The number is kept exactly: an integer part and a fraction in units of
  // 1e-9 (nine decimals are plenty: "0.001s" is the finest useful value; any
  // further decimals must be zeros).
  std::int64_t whole = 0;
  std::size_t i = 0;
  bool any_digit = false;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    any_digit = true;
    whole = whole * 10 + (s[i] - '0');
    if (whole > kMaxMs) return make_error(fmt::format("duration {} is too long (at most 10 years)", quoted));
  }
  std::int64_t frac_nanos = 0;  // fraction in units of 1e-9
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::int64_t scale = 100000000;
    bool frac_digit = false;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      frac_digit = true;
      if (scale == 0) {
        if (s[i] != '0') return make_error(fmt::format("duration {} has too many decimals", quoted));
        continue;
      }
      frac_nanos += (s[i] - '0') * scale;
      scale /= 10;
    }
    if (!frac_digit) return make_error(fmt::format("duration {} has no digits after the decimal point", quoted));
  }
  if (!any_digit) {
    return make_error(fmt::format("duration {} does not start with a number (write e.g. \"10s\", \"250ms\", \"5m\")", quoted));
  }
  std::string_view unit = trim(s.substr(i));

  std::int64_t unit_ms = 0;
  if (unit.empty()) unit_ms = bare == BareUnit::seconds ? 1000 : 1;
  else if (unit == "ms") unit_ms = 1;
  else if (unit == "s") unit_ms = 1000;
  else if (unit == "m" || unit == "min") unit_ms = 60 * 1000;
  else if (unit == "h") unit_ms = 3600 * 1000;
  else if (unit == "d") unit_ms = 24 * 3600 * 1000;
  else {
    return make_error(fmt::format("duration {} has unknown unit '{}' (use ms, s, m, h or d)", quoted, unit));
  }

  // whole <= kMaxMs and unit_ms <= 86.4e6: the product fits in 64 bits.
  if (whole > kMaxMs / unit_ms) return make_error(fmt::format("duration {} is too long (at most 10 years)", quoted));
  std::int64_t ms = whole * unit_ms;
  // The fraction contributes frac_nanos * unit_ms / 1e9 milliseconds, which
  // must be whole (frac_nanos < 1e9 and unit_ms <= 8.64e7: no overflow).
  const std::int64_t frac_scaled = frac_nanos * unit_ms;
  if (frac_scaled % 1000000000 != 0) {
    return make_error(fmt::format("duration {} is not a whole number of milliseconds", quoted));
  }
  ms += frac_scaled / 1000000000;
  if (ms > kMaxMs) return make_error(fmt::format("duration {} is too long (at most 10 years)", quoted));
  return std::chrono::milliseconds(ms);
}

std::string format_duration(std::chrono::milliseconds d) {
  const std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  if (ms % 1000 != 0) return fmt::format("{}ms", ms);
  const std::int64_t s = ms / 1000;
  if (s % 3600 == 0) return fmt::format("{}h", s / 3600);
  if (s % 60 == 0) return fmt::format("{}m", s / 60);
  return fmt::format("{}s", s);
}

}  // namespace sms::config
