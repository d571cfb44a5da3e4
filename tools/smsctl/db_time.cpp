#include "tools/smsctl/db_time.hpp"

#include <cctype>
#include <charconv>
#include <cstdio>

namespace smsctl {

namespace {

constexpr const char* kForms =
    "use YYYY-MM-DD, 'YYYY-MM-DD HH:MM[:SS]' (local time, or UTC with a Z suffix), today, yesterday, tomorrow, now, "
    "or a relative time such as -2h, -30m, -7d";

sms::Error bad(std::string_view text, std::string_view why) {
  return sms::make_error("'" + std::string(text) + "' is not a time (" + std::string(why) + "; " + kForms + ")");
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::time_t local_midnight(std::time_t t, int add_days) {
  std::tm tm{};
  localtime_r(&t, &tm);
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_mday += add_days;
  tm.tm_isdst = -1;   // let mktime find out across DST changes
  return std::mktime(&tm);
}

}  // namespace

std::string format_utc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];   // sized for any int fields, so the compiler can prove no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

namespace {
bool g_show_utc = false;
}

std::optional<std::time_t> parse_db_time(std::string_view s) {
  int year = 0, mon = 0, day = 0, hour = 0, min = 0, sec = 0;
  if (s.size() < 19 || !digits(s, 0, 4, year) || s[4] != '-' || !digits(s, 5, 2, mon) || s[7] != '-' ||
      !digits(s, 8, 2, day) || (s[10] != ' ' && s[10] != 'T') || !digits(s, 11, 2, hour) || s[13] != ':' ||
      !digits(s, 14, 2, min) || s[16] != ':' || !digits(s, 17, 2, sec))
    return std::nullopt;
  if (s.size() > 19 && s[19] != '.' && s[19] != 'Z') return std::nullopt;
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  return timegm(&tm);
}

std::string format_local(std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

void set_show_utc(bool utc) { g_show_utc = utc; }
bool show_utc() { return g_show_utc; }

std::string show_time(std::string_view utc_text) {
  if (utc_text.empty()) return {};
  auto t = parse_db_time(utc_text);
  if (!t) return std::string(utc_text);
  return g_show_utc ? format_utc(*t) + "Z" : format_local(*t);
}

sms::Result<std::string> parse_time(std::string_view text, std::time_t now, Bound bound) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.empty()) return bad(text, "empty");
  const int end_days = bound == Bound::end ? 1 : 0;

  // The database keeps milliseconds and this text has whole seconds: as an end
  // bound, "now" rounds up so rows written earlier in this second are inside.
  if (s == "now") return format_utc(bound == Bound::end ? now + 1 : now);
  if (s == "today") return format_utc(local_midnight(now, end_days));
  if (s == "yesterday") return format_utc(local_midnight(now, -1 + end_days));
  if (s == "tomorrow") return format_utc(local_midnight(now, 1 + end_days));

  // Relative: [+-]N unit
  if (s[0] == '-' || s[0] == '+') {
    long long n = 0;
    auto [p, ec] = std::from_chars(s.data() + 1, s.data() + s.size(), n);
    if (ec != std::errc() || p == s.data() + 1) return bad(text, "a relative time needs a number after the sign");
    std::string_view unit(p, static_cast<std::size_t>(s.data() + s.size() - p));
    long long mult = 0;
    if (unit == "s") mult = 1;
    else if (unit == "m" || unit == "min") mult = 60;
    else if (unit == "h") mult = 3600;
    else if (unit == "d") mult = 86400;
    else if (unit == "w") mult = 7 * 86400;
    else return bad(text, "unknown unit '" + std::string(unit) + "', use s, m, h, d or w");
    if (n > 100LL * 366 * 86400 / mult) return bad(text, "too far away");
    long long delta = n * mult * (s[0] == '-' ? -1 : 1);
    return format_utc(now + static_cast<std::time_t>(delta));
  }

  // Absolute: YYYY-MM-DD[( |T)HH:MM[:SS]][Z]
  bool utc = false;
  if (s.back() == 'Z' || s.back() == 'z') {
    utc = true;
    s.remove_suffix(1);
  }
  int year = 0, mon = 0, day = 0, hour = 0, min = 0, sec = 0;
  if (!digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mon) || s[7] != '-' ||
      !digits(s, 8, 2, day))
    return bad(text, "expected a date YYYY-MM-DD");
  bool date_only = s.size() == 10;
  if (!date_only) {
    if ((s[10] != ' ' && s[10] != 'T') || s.size() < 16 || !digits(s, 11, 2, hour) || s[13] != ':' ||
        !digits(s, 14, 2, min))
      return bad(text, "expected HH:MM after the date");
    if (s.size() == 19 && s[16] == ':') {
      if (!digits(s, 17, 2, sec)) return bad(text, "expected seconds after HH:MM:");
    } else if (s.size() != 16) {
      return bad(text, "unexpected text after the time");
    }
  }
  if (mon < 1 || mon > 12) return bad(text, "month " + std::to_string(mon) + " is not 1..12");
  if (hour > 23 || min > 59 || sec > 59) return bad(text, "hour, minute or second out of range");
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  tm.tm_isdst = -1;
  std::tm check = tm;
  std::time_t t = utc ? timegm(&tm) : std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1) && !(year == 1969 || year == 1970)) return bad(text, "out of range");
  // mktime/timegm normalise 2026-02-30 to March 2: refuse instead.
  if (tm.tm_mday != check.tm_mday || tm.tm_mon != check.tm_mon)
    return bad(text, "day " + std::to_string(day) + " does not exist in that month");
  if (date_only && bound == Bound::end) {
    // The next midnight; through mktime for local days, which last 23 or 25
    // hours when daylight saving time changes.
    std::tm next = check;
    next.tm_mday += 1;
    next.tm_isdst = -1;
    t = utc ? timegm(&next) : std::mktime(&next);
  }
  return format_utc(t);
}

}  // namespace smsctl
