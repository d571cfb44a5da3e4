// TIME arguments: every accepted form, in two fixed time zones (POSIX TZ
// strings, so no tzdata is needed), and the refused ones.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>

#include "tools/smsctl/db_time.hpp"

using namespace smsctl;

namespace {
struct TzGuard {
  std::string old;
  bool had = false;
  explicit TzGuard(const char* tz) {
    if (const char* o = std::getenv("TZ")) old = o, had = true;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~TzGuard() {
    if (had) setenv("TZ", old.c_str(), 1);
    else unsetenv("TZ");
    tzset();
  }
};

std::time_t utc(int y, int mo, int d, int h, int mi, int s) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return timegm(&tm);
}
}  // namespace

TEST_CASE("TIME forms in UTC+8 (China Standard Time)", "[smsctl][time]") {
  TzGuard tz("CST-8");
  const std::time_t now = utc(2026, 11, 23, 10, 30, 0);   // 18:30 local
  struct Case {
    const char* text;
    Bound bound;
    const char* expect;
  } cases[] = {
      {"now", Bound::start, "2026-11-23 10:30:00"},
      {"now", Bound::end, "2026-11-23 10:30:01"},       // rows of this second (with milliseconds) are inside
      {"today", Bound::start, "2026-11-22 16:00:00"},   // local midnight
      {"today", Bound::end, "2026-11-23 16:00:00"},     // the next local midnight
      {"yesterday", Bound::start, "2026-11-21 16:00:00"},
      {"yesterday", Bound::end, "2026-11-22 16:00:00"},
      {"tomorrow", Bound::start, "2026-11-23 16:00:00"},
      {"-2h", Bound::start, "2026-11-23 08:30:00"},
      {"-30m", Bound::start, "2026-11-23 10:00:00"},
      {"-90s", Bound::start, "2026-11-23 10:28:30"},
      {"-7d", Bound::start, "2026-11-16 10:30:00"},
      {"-1w", Bound::end, "2026-11-16 10:30:00"},       // relative times ignore the bound
      {"+10m", Bound::start, "2026-11-23 10:40:00"},
      {"2026-11-23", Bound::start, "2026-11-22 16:00:00"},
      {"2026-11-23", Bound::end, "2026-11-23 16:00:00"},
      {"2026-11-23 08:00", Bound::start, "2026-11-23 00:00:00"},
      {"2026-11-23 08:00", Bound::end, "2026-11-23 00:00:00"},   // a time is a time
      {"2026-11-23 08:00:30", Bound::start, "2026-11-23 00:00:30"},
      {"2026-11-23T08:00:30", Bound::start, "2026-11-23 00:00:30"},
      {"2026-11-23 08:00Z", Bound::start, "2026-11-23 08:00:00"},
      {"2026-11-23T08:00:30Z", Bound::start, "2026-11-23 08:00:30"},
      {"2026-11-23Z", Bound::start, "2026-11-23 00:00:00"},
      {"2026-11-23Z", Bound::end, "2026-11-24 00:00:00"},
      {"  now  ", Bound::start, "2026-11-23 10:30:00"},
      {"2024-02-29", Bound::start, "2024-02-28 16:00:00"},   // leap day
      {"2026-12-31 23:59:59Z", Bound::start, "2026-12-31 23:59:59"},
  };
  for (const auto& c : cases) {
    INFO(c.text << (c.bound == Bound::end ? " (end)" : ""));
    auto r = parse_time(c.text, now, c.bound);
    REQUIRE(r.ok());
    CHECK(*r == c.expect);
  }
}

TEST_CASE("a date as --to ends at the next local midnight across a DST change", "[smsctl][time]") {
  // Central Europe: summer time ends on the last Sunday of October at 03:00
  // (2026-10-25), so that local day lasts 25 hours.
  TzGuard tz("CET-1CEST,M3.5.0,M10.5.0/3");
  const std::time_t now = utc(2026, 10, 25, 12, 0, 0);
  CHECK(*parse_time("2026-10-25", now, Bound::start) == "2026-10-24 22:00:00");   // 00:00 CEST
  CHECK(*parse_time("2026-10-25", now, Bound::end) == "2026-10-25 23:00:00");     // 00:00 CET next day
  CHECK(*parse_time("2026-07-01 12:00", now) == "2026-07-01 10:00:00");          // summer: UTC+2
  CHECK(*parse_time("2026-01-01 12:00", now) == "2026-01-01 11:00:00");          // winter: UTC+1
}

TEST_CASE("times that are not times are refused with the value and the accepted forms", "[smsctl][time]") {
  TzGuard tz("UTC0");
  const std::time_t now = utc(2026, 11, 23, 10, 30, 0);
  const char* bad[] = {
      "",           "   ",          "2026-13-01",       "2026-00-10",          "2026-02-30",
      "2026-11-31", "2026-11-23 25:00", "2026-11-23 10:60", "2026-11-23 10:00:61", "2026/11/23",
      "2026-11-23 08", "2026-11-23 08:00:00 extra", "23-11-2026", "-2x", "-h", "+", "-", "yesterdayy",
      "2026-11-23 08:00:00.5", "-99999999999d", "2026-11-2a",
  };
  for (const char* b : bad) {
    INFO("'" << b << "'");
    auto r = parse_time(b, now);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::Contains("is not a time"));
    CHECK_THAT(r.error(), Catch::Contains("YYYY-MM-DD"));
  }
  CHECK_THAT(parse_time("2026-02-30", now).error(), Catch::Contains("day 30"));
  CHECK_THAT(parse_time("-2x", now).error(), Catch::Contains("unit 'x'"));
}

TEST_CASE("format_utc writes the database's time text", "[smsctl][time]") {
  CHECK(format_utc(0) == "1970-01-01 00:00:00");
  CHECK(format_utc(utc(2026, 11, 23, 8, 5, 9)) == "2026-11-23 08:05:09");
}

TEST_CASE("stored times are shown in local time, or UTC with Z under --utc") {
  TzGuard tz("CST-8");   // UTC+8, no DST (as Asia/Shanghai)
  REQUIRE(parse_db_time("2026-11-23 16:30:00.123"));
  CHECK(*parse_db_time("2026-11-23 16:30:00.123") == utc(2026, 11, 23, 16, 30, 0));
  CHECK_FALSE(parse_db_time("2026-11-23"));
  CHECK_FALSE(parse_db_time("garbage that is long enough"));
  CHECK(format_local(utc(2026, 11, 23, 16, 30, 0)) == "2026-11-24 00:30:00");
  set_show_utc(false);
  CHECK(show_time("2026-11-23 16:30:00.000") == "2026-11-24 00:30:00");
  CHECK(show_time("") == "");
  CHECK(show_time("not a time") == "not a time");
  set_show_utc(true);
  CHECK(show_time("2026-11-23 16:30:00.000") == "2026-11-23 16:30:00Z");
  set_show_utc(false);
}
