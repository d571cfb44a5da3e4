#include "src/policy/zone.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <stdexcept>

namespace sms::policy {
namespace {

using namespace std::chrono;

const date::time_zone* as_tz(const void* p) { return static_cast<const date::time_zone*>(p); }

date::local_seconds local_of(const Civil& c) {
  auto day = date::local_days{date::year{c.year} / c.month / c.day};
  return day + hours{c.hour} + minutes{c.minute} + seconds{c.second};
}

Civil civil_of(date::local_seconds t) {
  auto day = date::floor<date::days>(t);
  date::year_month_day ymd{day};
  date::hh_mm_ss<seconds> hms{t - day};
  Civil c;
  c.year = int(ymd.year());
  c.month = int(unsigned(ymd.month()));
  c.day = int(unsigned(ymd.day()));
  c.hour = int(hms.hours().count());
  c.minute = int(hms.minutes().count());
  c.second = int(hms.seconds().count());
  c.weekday = int(date::weekday{day}.c_encoding());
  return c;
}

// Fixed-width decimal field; false unless every character is a digit.
bool digits(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool real_date(int y, int m, int d) {
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

// "YYYY-MM-DD" at the start of s.
bool read_date(std::string_view s, Civil& c) {
  return s.size() >= 10 && digits(s, 0, 4, c.year) && s[4] == '-' && digits(s, 5, 2, c.month) &&
         s[7] == '-' && digits(s, 8, 2, c.day) && real_date(c.year, c.month, c.day);
}

// The zone's IANA name from TZ ("Asia/Shanghai" or ":Asia/Shanghai"), if it
// names one; POSIX rule strings ("CST-8") are not zone names.
std::optional<std::string> zone_from_env() {
  const char* tz = std::getenv("TZ");
  if (tz == nullptr) return std::nullopt;
  std::string_view name = tz;
  if (!name.empty() && name.front() == ':') name.remove_prefix(1);
  if (name.empty()) return std::nullopt;
  return std::string(name);
}

// /etc/localtime is normally a symlink into the zoneinfo tree; its target's
// path below "zoneinfo/" is the zone's name.
std::optional<std::string> zone_from_localtime() {
  std::error_code ec;
  auto target = std::filesystem::read_symlink("/etc/localtime", ec);
  if (ec) return std::nullopt;
  auto text = target.string();
  auto at = text.find("zoneinfo/");
  if (at == std::string::npos) return std::nullopt;
  return text.substr(at + 9);
}

// Debian keeps the name in /etc/timezone too, which helps when /etc/localtime
// was copied rather than linked (some container images).
std::optional<std::string> zone_from_etc_timezone() {
  std::ifstream in("/etc/timezone");
  std::string line;
  if (!in || !std::getline(in, line) || line.empty()) return std::nullopt;
  return line;
}

std::optional<Zone> try_named(const std::optional<std::string>& name) {
  if (!name) return std::nullopt;
  try {
    return Zone::named(*name);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string Civil::date_text() const {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Civil::text() const {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute, second);
  return buf;
}

Zone Zone::named(std::string_view name) {
  Zone z;
  try {
    z.tz_ = date::locate_zone(name);
  } catch (const std::exception&) {
    throw std::invalid_argument("unknown time zone '" + std::string(name) +
                                "' (an IANA name such as Asia/Shanghai)");
  }
  z.name_ = std::string(name);
  return z;
}

Zone Zone::system() {
  // The order glibc uses: TZ wins over /etc/localtime.
  for (const auto& name : {zone_from_env(), zone_from_localtime(), zone_from_etc_timezone()})
    if (auto z = try_named(name)) return *z;
  return utc();
}

Zone Zone::utc() { return Zone{}; }

Civil Zone::to_local(Seconds t) const {
  if (tz_ == nullptr) return civil_of(date::local_seconds{t.time_since_epoch()});
  return civil_of(as_tz(tz_)->to_local(t));
}

Seconds Zone::to_utc(const Civil& c) const {
  auto local = local_of(c);
  if (tz_ == nullptr) return Seconds{local.time_since_epoch()};
  auto info = as_tz(tz_)->get_info(local);
  switch (info.result) {
    case date::local_info::nonexistent:
      return info.second.begin;   // the transition that opened the gap
    case date::local_info::ambiguous:   // first = the period that ends at the overlap
    case date::local_info::unique:
      break;
  }
  return Seconds{local.time_since_epoch() - info.first.offset};
}

int Zone::offset_seconds(Seconds t) const {
  if (tz_ == nullptr) return 0;
  return int(as_tz(tz_)->get_info(t).offset.count());
}

Civil add_days(const Civil& c, int days) {
  auto day = date::local_days{date::year{c.year} / c.month / c.day} + date::days{days};
  Civil out = civil_of(day);
  out.hour = c.hour;
  out.minute = c.minute;
  out.second = c.second;
  return out;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && date::year{year}.is_leap()) return 29;
  return kDays[month - 1];
}

std::optional<Seconds> parse_utc(std::string_view text) {
  Civil c;
  if (text.size() < 19 || !read_date(text, c) || (text[10] != ' ' && text[10] != 'T') ||
      !digits(text, 11, 2, c.hour) || text[13] != ':' || !digits(text, 14, 2, c.minute) ||
      text[16] != ':' || !digits(text, 17, 2, c.second))
    return std::nullopt;
  if (c.hour > 23 || c.minute > 59 || c.second > 59) return std::nullopt;
  // SQLite's %f adds milliseconds; the rules work in whole seconds, so the
  // fraction is checked and dropped.
  auto rest = text.substr(19);
  if (!rest.empty()) {
    if (rest.front() != '.' || rest.size() == 1) return std::nullopt;
    for (char ch : rest.substr(1))
      if (ch < '0' || ch > '9') return std::nullopt;
  }
  return Seconds{local_of(c).time_since_epoch()};
}

std::string format_utc(Seconds t) { return civil_of(date::local_seconds{t.time_since_epoch()}).text(); }

std::optional<Civil> parse_date(std::string_view text) {
  Civil c;
  if (text.size() != 10 || !read_date(text, c)) return std::nullopt;
  return civil_of(local_of(c));   // fills in the weekday
}

std::optional<int> parse_hhmm(std::string_view text) {
  int h = 0, m = 0;
  if (text.size() != 5 || !digits(text, 0, 2, h) || text[2] != ':' || !digits(text, 3, 2, m)) return std::nullopt;
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::string format_hhmm(int minutes_of_day) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes_of_day / 60, minutes_of_day % 60);
  return buf;
}

}  // namespace sms::policy
