#pragma once
// Local time: the office's time zone (<smserver timezone="Asia/Shanghai">,
// else the system's). Storage stays UTC; rules (quiet hours, holidays, daily
// and monthly limits) and everything a person reads use local time.
//
// g++ 12 has no std::chrono time zones; zone.cpp reads the compiled zone
// file (TZif, RFC 8536) of the one zone asked for from /usr/share/zoneinfo
// (or $TZDIR). A Zone is immutable once made: cheap to copy and safe to read
// from many threads, unlike setenv("TZ") + localtime_r.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sms::policy {

using Seconds = std::chrono::sys_seconds;   // a UTC instant, whole seconds

// Local wall-clock fields.
struct Civil {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int weekday = 4;   // 0 = Sunday ... 6 = Saturday (filled in by Zone::to_local)
  int minutes_of_day() const { return hour * 60 + minute; }
  std::string date_text() const;   // "2026-12-07"
  std::string text() const;        // "2026-12-07 22:00:00"
};

class Zone {
 public:
  // An IANA name ("Asia/Shanghai"); throws std::invalid_argument naming it.
  static Zone named(std::string_view name);
  // The system's zone (TZ environment variable, else /etc/localtime; UTC if neither).
  static Zone system();
  static Zone utc();

  const std::string& name() const { return name_; }
  Civil to_local(Seconds t) const;
  // Local wall time -> UTC. A time that does not exist (a DST gap) maps to the
  // first moment after the gap; an ambiguous one to its earlier instant.
  Seconds to_utc(const Civil& c) const;
  // Offset from UTC at t, in seconds (+28800 for Asia/Shanghai).
  int offset_seconds(Seconds t) const;

 private:
  struct Data;                        // the parsed zone file (zone.cpp)
  std::shared_ptr<const Data> data_;  // nullptr = UTC
  std::string name_ = "UTC";
};

// Days and months in the proleptic Gregorian calendar (no zone involved).
Civil add_days(const Civil& c, int days);          // keeps the time of day
int days_in_month(int year, int month);

// Database time text ("YYYY-MM-DD HH:MM:SS[.SSS]", UTC) <-> instants.
std::optional<Seconds> parse_utc(std::string_view text);
std::string format_utc(Seconds t);                 // "YYYY-MM-DD HH:MM:SS"
// "YYYY-MM-DD" -> civil date (time 00:00); nullopt if not a real date.
std::optional<Civil> parse_date(std::string_view text);
// "HH:MM" -> minutes since midnight (0..1439); nullopt for "25:00", "8:5".
std::optional<int> parse_hhmm(std::string_view text);
std::string format_hhmm(int minutes_of_day);       // "08:00"

}  // namespace sms::policy
