// Local time (Zone) and the calendar and time-text helpers. Expected instants
// are written with the C++20 calendar (std::chrono::sys_days), not through
// the zone code; expected offsets and DST transitions are the published rules
// (Asia/Shanghai UTC+8 all year; Europe/Berlin CET/CEST, switching on the
// last Sundays of March and October at 01:00 UTC).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <stdexcept>

#include "src/policy/zone.hpp"

using namespace sms::policy;
using namespace std::chrono;

namespace {

Seconds utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return Seconds{sys_days{year{y} / month{mo} / day{d}}} + hours{h} + minutes{mi} + seconds{s};
}

Civil civil(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  Civil c;
  c.year = y;
  c.month = mo;
  c.day = d;
  c.hour = h;
  c.minute = mi;
  c.second = s;
  return c;
}

// The fields a person reads, as one text, so a failure shows them all.
std::string fields(const Civil& c) { return c.text() + " wd" + std::to_string(c.weekday); }

// Sets TZ for one scope and puts the old value back.
class TzEnv {
 public:
  explicit TzEnv(const char* value) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    had_ = std::getenv("TZ") != nullptr;
    if (value) setenv("TZ", value, 1); else unsetenv("TZ");
  }
  ~TzEnv() {
    if (had_) setenv("TZ", old_.c_str(), 1); else unsetenv("TZ");
  }

 private:
  std::string old_;
  bool had_ = false;
};

}  // namespace

TEST_CASE("Asia/Shanghai is UTC+8 all year", "[policy][zone]") {
  Zone z = Zone::named("Asia/Shanghai");
  CHECK(z.name() == "Asia/Shanghai");
  struct Case {
    Seconds at;
    const char* local;   // Civil::text() and the weekday (0 = Sunday)
  } cases[] = {
      {utc(2026, 12, 7, 14, 0, 0), "2026-12-07 22:00:00 wd1"},
      {utc(2026, 12, 7, 15, 59, 59), "2026-12-07 23:59:59 wd1"},
      {utc(2026, 12, 7, 16, 0, 0), "2026-12-08 00:00:00 wd2"},   // local midnight is 16:00 UTC
      {utc(2026, 12, 31, 16, 0, 0), "2027-01-01 00:00:00 wd5"},
      {utc(2027, 2, 16, 23, 59, 59), "2027-02-17 07:59:59 wd3"},
      {utc(2026, 7, 1, 0, 0, 0), "2026-07-01 08:00:00 wd3"},     // no summer time
  };
  for (const auto& c : cases) {
    INFO(format_utc(c.at) << " UTC");
    CHECK(fields(z.to_local(c.at)) == c.local);
    CHECK(z.offset_seconds(c.at) == 28800);
    CHECK(z.to_utc(z.to_local(c.at)) == c.at);
  }
  CHECK(z.to_utc(civil(2026, 12, 7, 22, 0, 0)) == utc(2026, 12, 7, 14, 0, 0));
  CHECK(z.to_utc(civil(2027, 10, 1, 0, 0, 0)) == utc(2027, 9, 30, 16, 0, 0));
}

TEST_CASE("Europe/Berlin: offsets, the spring gap and the autumn overlap", "[policy][zone]") {
  Zone z = Zone::named("Europe/Berlin");
  CHECK(z.offset_seconds(utc(2026, 1, 15, 12)) == 3600);
  CHECK(z.offset_seconds(utc(2026, 7, 15, 12)) == 7200);
  // 2026-03-29 01:00 UTC: 02:00 CET becomes 03:00 CEST.
  CHECK(z.offset_seconds(utc(2026, 3, 29, 0, 59, 59)) == 3600);
  CHECK(z.offset_seconds(utc(2026, 3, 29, 1, 0, 0)) == 7200);
  CHECK(fields(z.to_local(utc(2026, 3, 29, 0, 59, 59))) == "2026-03-29 01:59:59 wd0");
  CHECK(fields(z.to_local(utc(2026, 3, 29, 1, 0, 0))) == "2026-03-29 03:00:00 wd0");

  struct Case {
    Civil local;
    Seconds want;
    const char* why;
  } cases[] = {
      {civil(2026, 3, 29, 1, 59, 59), utc(2026, 3, 29, 0, 59, 59), "last second before the gap"},
      {civil(2026, 3, 29, 2, 0, 0), utc(2026, 3, 29, 1, 0, 0), "gap start: the first moment after it"},
      {civil(2026, 3, 29, 2, 30, 0), utc(2026, 3, 29, 1, 0, 0), "inside the gap"},
      {civil(2026, 3, 29, 3, 0, 0), utc(2026, 3, 29, 1, 0, 0), "first time after the gap"},
      {civil(2026, 3, 29, 8, 0, 0), utc(2026, 3, 29, 6, 0, 0), "summer time morning"},
      // 2026-10-25 01:00 UTC: 03:00 CEST becomes 02:00 CET; 02:00-02:59 happen twice.
      {civil(2026, 10, 25, 1, 59, 59), utc(2026, 10, 24, 23, 59, 59), "before the overlap"},
      {civil(2026, 10, 25, 2, 30, 0), utc(2026, 10, 25, 0, 30, 0), "ambiguous: the earlier instant"},
      {civil(2026, 10, 25, 3, 0, 0), utc(2026, 10, 25, 2, 0, 0), "after the overlap"},
  };
  for (const auto& c : cases) {
    INFO(c.why << ": " << c.local.text());
    CHECK(z.to_utc(c.local) == c.want);
  }
  // Both instants of the overlap read 02:30.
  CHECK(z.to_local(utc(2026, 10, 25, 0, 30)).text() == "2026-10-25 02:30:00");
  CHECK(z.to_local(utc(2026, 10, 25, 1, 30)).text() == "2026-10-25 02:30:00");
}

TEST_CASE("local time round-trips every hour of a year with summer time", "[policy][zone]") {
  Zone z = Zone::named("Europe/Berlin");
  int checked = 0;
  for (Seconds t = utc(2026, 1, 1); t < utc(2027, 1, 1); t += hours{1}) {
    Civil local = z.to_local(t);
    bool overlap = local.year == 2026 && local.month == 10 && local.day == 25 && local.hour == 2;
    if (overlap && z.offset_seconds(t) == 3600) continue;   // the later 02:xx maps to the earlier by design
    INFO(format_utc(t));
    REQUIRE(z.to_utc(local) == t);
    ++checked;
  }
  CHECK(checked == 8760 - 1);
}

TEST_CASE("an unknown zone name throws, naming it", "[policy][zone]") {
  for (const char* bad : {"Asia/Shanghia", "Mars/Olympus", "", "../../etc/passwd"}) {
    INFO("zone '" << bad << "'");
    try {
      Zone::named(bad);
      FAIL("no exception");
    } catch (const std::invalid_argument& e) {
      CHECK_THAT(e.what(), Catch::Contains("'" + std::string(bad) + "'"));
    }
  }
}

TEST_CASE("UTC and the system zone", "[policy][zone]") {
  Zone u = Zone::utc();
  CHECK(u.name() == "UTC");
  CHECK(u.offset_seconds(utc(2026, 7, 1)) == 0);
  CHECK(u.to_local(utc(2026, 12, 7, 14, 0, 5)).text() == "2026-12-07 14:00:05");
  CHECK(u.to_utc(civil(2026, 12, 7, 14, 0, 5)) == utc(2026, 12, 7, 14, 0, 5));
  {
    TzEnv tz("Asia/Shanghai");
    CHECK(Zone::system().name() == "Asia/Shanghai");
    CHECK(Zone::system().offset_seconds(utc(2026, 1, 1)) == 28800);
  }
  {
    TzEnv tz(":Europe/Berlin");   // glibc's form naming a zone file
    CHECK(Zone::system().name() == "Europe/Berlin");
  }
  {
    TzEnv tz(nullptr);   // then /etc/localtime, else UTC: a real zone either way
    Zone s = Zone::system();
    CHECK_FALSE(s.name().empty());
    CHECK_NOTHROW(Zone::named(s.name()));
  }
}

TEST_CASE("HH:MM as written in <quiet from to>", "[policy][zone]") {
  struct Case {
    const char* text;
    std::optional<int> want;
  } cases[] = {
      {"00:00", 0},           {"08:00", 480},         {"22:00", 1320},        {"23:59", 1439},
      {"11:30", 690},         {"24:00", std::nullopt}, {"25:00", std::nullopt}, {"8:5", std::nullopt},
      {"8:05", std::nullopt}, {"08:5", std::nullopt}, {"08:60", std::nullopt}, {"0800", std::nullopt},
      {"08:00 ", std::nullopt}, {"", std::nullopt},   {"ab:cd", std::nullopt}, {"-1:00", std::nullopt},
  };
  for (const auto& c : cases) {
    INFO("'" << c.text << "'");
    CHECK(parse_hhmm(c.text) == c.want);
    if (c.want) CHECK(format_hhmm(*c.want) == c.text);
  }
}

TEST_CASE("dates as written in <holiday>", "[policy][zone]") {
  struct Case {
    const char* text;
    bool valid;
    int weekday;
  } cases[] = {
      {"2027-02-17", true, 3},  {"2027-10-01", true, 5},   {"2028-02-29", true, 2},
      {"2000-02-29", true, 2},  {"2027-02-29", false, 0},  {"1900-02-29", false, 0},
      {"2026-04-31", false, 0}, {"2026-13-01", false, 0},  {"2026-00-10", false, 0},
      {"2026-01-00", false, 0}, {"2026-4-01", false, 0},   {"2026-04-01x", false, 0},
      {"2026/04/01", false, 0}, {"", false, 0},
  };
  for (const auto& c : cases) {
    INFO("'" << c.text << "'");
    auto d = parse_date(c.text);
    REQUIRE(d.has_value() == c.valid);
    if (!c.valid) continue;
    CHECK(d->date_text() == c.text);
    CHECK(d->weekday == c.weekday);
    CHECK(d->hour + d->minute + d->second == 0);
  }
}

TEST_CASE("adding days crosses month and year ends", "[policy][zone]") {
  struct Case {
    Civil from;
    int days;
    const char* want;
  } cases[] = {
      {civil(2026, 12, 31, 22, 0, 0), 1, "2026-12-31 22:00:00 -> 2027-01-01 22:00:00 wd5"},
      {civil(2026, 1, 31, 8, 0, 0), 1, "2026-01-31 08:00:00 -> 2026-02-01 08:00:00 wd0"},
      {civil(2028, 2, 28, 0, 0, 0), 1, "2028-02-28 00:00:00 -> 2028-02-29 00:00:00 wd2"},
      {civil(2027, 2, 28, 0, 0, 0), 1, "2027-02-28 00:00:00 -> 2027-03-01 00:00:00 wd1"},
      {civil(2026, 3, 1, 7, 59, 59), -1, "2026-03-01 07:59:59 -> 2026-02-28 07:59:59 wd6"},
      {civil(2027, 1, 1, 0, 0, 0), -1, "2027-01-01 00:00:00 -> 2026-12-31 00:00:00 wd4"},
      {civil(2026, 12, 7, 12, 0, 0), 365, "2026-12-07 12:00:00 -> 2027-12-07 12:00:00 wd2"},
      {civil(2026, 12, 7, 12, 0, 0), 0, "2026-12-07 12:00:00 -> 2026-12-07 12:00:00 wd1"},
  };
  for (const auto& c : cases) {
    Civil got = add_days(c.from, c.days);
    CHECK(c.from.text() + " -> " + fields(got) == c.want);
  }
}

TEST_CASE("days in a month", "[policy][zone]") {
  struct Case {
    int year, month, days;
  } cases[] = {{2026, 1, 31}, {2026, 2, 28}, {2028, 2, 29}, {2000, 2, 29}, {2100, 2, 28},
               {2026, 4, 30}, {2026, 9, 30}, {2026, 12, 31}, {2026, 13, 0}, {2026, 0, 0}};
  for (const auto& c : cases) {
    INFO(c.year << "-" << c.month);
    CHECK(days_in_month(c.year, c.month) == c.days);
  }
}

TEST_CASE("database time text: whole UTC seconds", "[policy][zone]") {
  struct Case {
    const char* text;
    std::optional<Seconds> want;
  } cases[] = {
      {"2026-12-07 14:00:00", utc(2026, 12, 7, 14, 0, 0)},
      {"2026-12-07 14:00:00.123", utc(2026, 12, 7, 14, 0, 0)},   // SQLite's %f: the fraction goes
      {"2026-12-07 14:00:00.999", utc(2026, 12, 7, 14, 0, 0)},
      {"2026-12-07T14:00:00", utc(2026, 12, 7, 14, 0, 0)},
      {"1970-01-02 00:00:00", Seconds{seconds{86400}}},
      {"2028-02-29 23:59:59", utc(2028, 2, 29, 23, 59, 59)},
      {"2026-12-07 24:00:00", std::nullopt},
      {"2026-12-07 14:60:00", std::nullopt},
      {"2026-12-07 14:00:60", std::nullopt},
      {"2027-02-29 00:00:00", std::nullopt},
      {"2026-12-07 14:00", std::nullopt},
      {"2026-12-07 14:00:00.", std::nullopt},
      {"2026-12-07 14:00:00Z", std::nullopt},
      {"2026-12-07 14:00:00.12a", std::nullopt},
      {"2026-12-07", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    INFO("'" << c.text << "'");
    CHECK(parse_utc(c.text) == c.want);
  }
  CHECK(format_utc(utc(2026, 12, 7, 14, 0, 0)) == "2026-12-07 14:00:00");
  CHECK(format_utc(utc(2027, 1, 1, 0, 0, 9)) == "2027-01-01 00:00:09");
  CHECK(parse_utc(format_utc(utc(2026, 3, 29, 1, 2, 3))) == utc(2026, 3, 29, 1, 2, 3));
}
