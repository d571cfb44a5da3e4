// Local time (Zone) and the calendar and time-text helpers. Expected instants
// are written with the C++20 calendar (std::chrono::sys_days), not through
// the zone code; expected offsets and DST transitions are the published rules
// (Asia/Shanghai UTC+8 all year; Europe/Berlin CET/CEST, switching on the
// last Sundays of March and October at 01:00 UTC).
#include <catch2/catch.hpp>

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

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

// Sets any environment variable for one scope and puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = std::getenv(name);
    had_ = old != nullptr;
    if (had_) old_ = old;
    if (value) setenv(name, value, 1); else unsetenv(name);
  }
  ~ScopedEnv() {
    if (had_) setenv(name_.c_str(), old_.c_str(), 1); else unsetenv(name_.c_str());
  }

 private:
  std::string name_, old_;
  bool had_ = false;
};

// The C library's view of a zone (TZ=name + tzset + localtime_r), the
// reference the zone-file reader is checked against. Not thread-safe: the
// test cases using it run on one thread; the destructor restores TZ.
class LibcZone {
 public:
  explicit LibcZone(const char* tz) : env_("TZ", tz) { tzset(); }
  struct Local {
    Civil civil;
    long offset;
  };
  static Local at(std::int64_t t) {
    time_t tt = static_cast<time_t>(t);
    struct tm tm {};
    localtime_r(&tt, &tm);
    Civil c = civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    c.weekday = tm.tm_wday;
    return {c, tm.tm_gmtoff};
  }
  static long offset(std::int64_t t) { return at(t).offset; }

 private:
  struct Retzset {
    ~Retzset() { tzset(); }   // runs after env_ has put TZ back
  } retzset_;
  ScopedEnv env_;
};

std::int64_t secs(Seconds t) { return t.time_since_epoch().count(); }
Seconds instant(std::int64_t s) { return Seconds{seconds{s}}; }

// The wall-clock fields of a count of seconds since 1970-01-01 00:00, by the
// C++20 calendar.
Civil utc_fields(std::int64_t s) {
  const auto t = instant(s);
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  return civil(int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())), int(hms.hours().count()),
               int(hms.minutes().count()), int(hms.seconds().count()));
}

// The instants in [from, to) at which the C library's offset changes: an
// hourly scan, then bisection to the second.
std::vector<std::int64_t> libc_transitions(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> out;
  long before = LibcZone::offset(from);
  for (std::int64_t t = from; t < to; t += 3600) {
    long after = LibcZone::offset(t + 3600);
    if (after == before) continue;
    std::int64_t lo = t, hi = t + 3600;   // offset(lo) == before, offset(hi) != before
    while (hi - lo > 1) {
      std::int64_t mid = lo + (hi - lo) / 2;
      (LibcZone::offset(mid) == before ? lo : hi) = mid;
    }
    out.push_back(hi);
    before = after;
  }
  return out;
}

// Every instant that reads `local` in the C library's zone, in order.
std::vector<std::int64_t> libc_instants_reading(std::int64_t t) {
  const long off = LibcZone::offset(t);
  const std::int64_t local = t + off;
  std::set<std::int64_t> out;
  for (std::int64_t probe : {t - 2 * 86400, t - 86400, t, t + 86400, t + 2 * 86400}) {
    long o = LibcZone::offset(probe);
    if (LibcZone::offset(local - o) == o) out.insert(local - o);
  }
  return {out.begin(), out.end()};
}

// A minimal TZif version 2 file: no transitions, one local time type, and
// the footer `rule`, so every instant follows the POSIX TZ rule.
std::string tzif_with_footer(const std::string& rule, std::int32_t utoff, bool dst) {
  auto be32 = [](std::string& s, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) s.push_back(char((v >> shift) & 0xff));
  };
  auto block = [&](std::string& s) {
    s += "TZif2";
    s.append(15, '\0');
    for (std::uint32_t count : {0u, 0u, 0u, 0u, 1u, 4u}) be32(s, count);   // isut isstd leap time type char
    be32(s, std::uint32_t(utoff));
    s.push_back(dst ? 1 : 0);
    s.push_back(0);
    s.append("ABC", 4);   // with its NUL
  };
  std::string s;
  block(s);
  block(s);
  return s + "\n" + rule + "\n";
}

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

TEST_CASE("zone files agree with the C library", "[policy][zone][libc]") {
  const std::int64_t from = secs(utc(1970, 1, 1)), to = secs(utc(2060, 1, 1));
  std::mt19937_64 rng(20261207);
  std::uniform_int_distribution<std::int64_t> any(from, to - 1);
  int compared = 0, round_trips = 0, ambiguous = 0, gaps = 0;
  for (const char* name : {"Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                           "Asia/Kolkata", "America/Sao_Paulo", "Pacific/Apia"}) {
    Zone z = Zone::named(name);
    LibcZone libc(name);
    std::vector<std::int64_t> instants;
    for (int i = 0; i < 1500; ++i) instants.push_back(any(rng));
    const auto transitions = libc_transitions(secs(utc(2020, 1, 1)), secs(utc(2031, 1, 1)));
    for (std::int64_t t : transitions)
      for (std::int64_t d : {-1, 0, 1}) instants.push_back(t + d);
    for (std::int64_t t : instants) {
      const auto want = LibcZone::at(t);
      INFO(name << " at " << format_utc(instant(t)) << " UTC (" << t << ")");
      REQUIRE(fields(z.to_local(instant(t))) == fields(want.civil));
      REQUIRE(z.offset_seconds(instant(t)) == want.offset);
      ++compared;
      // Back to UTC: the instant itself, or the earlier one of an overlap.
      const auto readers = libc_instants_reading(t);
      REQUIRE_FALSE(readers.empty());
      REQUIRE(secs(z.to_utc(want.civil)) == readers.front());
      if (readers.size() == 1) ++round_trips; else ++ambiguous;
    }
    // A wall time skipped by a transition maps to the transition itself.
    for (std::int64_t t : transitions) {
      const long before = LibcZone::offset(t - 1), after = LibcZone::offset(t);
      if (after <= before) continue;
      for (std::int64_t local : {t + before, t + (before + after) / 2, t + after - 1}) {
        const Civil c = utc_fields(local);
        INFO(name << ": gap at " << format_utc(instant(t)) << " UTC, local " << c.text());
        CHECK(secs(z.to_utc(c)) == t);
        ++gaps;
      }
    }
  }
  INFO(compared << " instants, " << round_trips << " round trips, " << ambiguous << " ambiguous, " << gaps << " gap times");
  CHECK(compared > 10000);
  CHECK(ambiguous > 0);
  CHECK(gaps > 0);
}

TEST_CASE("POSIX TZ rules after the last transition agree with the C library", "[policy][zone][libc]") {
  const auto dir = std::filesystem::temp_directory_path() / ("test_zone_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir / "Test");
  struct Case {
    const char* rule;
    std::int32_t utoff;
    bool dst;
  } cases[] = {
      {"CET-1CEST,M3.5.0,M10.5.0/3", 3600, false},
      {"EST5EDT,M3.2.0,M11.1.0", -18000, false},
      {"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 37800, false},   // southern, 30-minute summer time
      {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", -7200, false},       // negative rule time (America/Nuuk)
      {"IST-2IDT,M3.4.4/26,M10.5.0", 7200, false},               // rule time past 24:00 (Asia/Jerusalem)
      {"XST5XDT,J60/2,J300/2", -18000, false},                   // Jn: no February 29
      {"XST5XDT,59/2,299/2", -18000, false},                     // n: counts February 29
      {"<+0545>-5:45", 20700, false},
      {"<-03>3", -10800, false},
  };
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> any(secs(utc(1970, 1, 1)), secs(utc(2100, 1, 1)));
  int n = 0;
  for (const auto& c : cases) {
    {
      std::ofstream out(dir / "Test" / "Zone", std::ios::binary | std::ios::trunc);
      out << tzif_with_footer(c.rule, c.utoff, c.dst);
    }
    ScopedEnv tzdir("TZDIR", dir.c_str());
    Zone z = Zone::named("Test/Zone");
    LibcZone libc(c.rule);
    std::vector<std::int64_t> instants;
    for (int i = 0; i < 500; ++i) instants.push_back(any(rng));
    for (std::int64_t t : libc_transitions(secs(utc(2024, 1, 1)), secs(utc(2029, 1, 1))))
      for (std::int64_t d : {-1, 0, 1}) instants.push_back(t + d);
    for (std::int64_t t : instants) {
      INFO(c.rule << " at " << format_utc(instant(t)) << " UTC");
      const auto want = LibcZone::at(t);
      REQUIRE(z.offset_seconds(instant(t)) == want.offset);
      REQUIRE(fields(z.to_local(instant(t))) == fields(want.civil));
      REQUIRE(secs(z.to_utc(want.civil)) == libc_instants_reading(t).front());
      ++n;
    }
  }
  {
    // Summer time all year: the end (Dec 31 25:00) meets the next start
    // (Jan 1 00:00). glibc only looks at the UTC year's rules and so reads
    // standard time in the first hours of a UTC year; the zone stays at -4.
    std::ofstream(dir / "Test" / "Zone", std::ios::binary | std::ios::trunc)
        << tzif_with_footer("EST5EDT,0/0,J365/25", -14400, true);
    ScopedEnv tzdir("TZDIR", dir.c_str());
    Zone z = Zone::named("Test/Zone");
    for (int i = 0; i < 500; ++i) {
      std::int64_t t = any(rng);
      INFO(format_utc(instant(t)));
      REQUIRE(z.offset_seconds(instant(t)) == -14400);
    }
    for (int y = 2025; y < 2035; ++y) {
      CHECK(z.offset_seconds(utc(y, 1, 1, 2)) == -14400);
      CHECK(z.offset_seconds(utc(y, 12, 31, 23)) == -14400);
      CHECK(z.to_utc(civil(y, 1, 1, 0, 30)) == utc(y, 1, 1, 4, 30));
    }
  }
  std::filesystem::remove_all(dir);
  CHECK(n > 4500);
}

TEST_CASE("every zone of the installed database loads and agrees with the C library", "[policy][zone][libc]") {
  const std::filesystem::path root = "/usr/share/zoneinfo";
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    auto name = std::filesystem::relative(entry.path(), root).string();
    if (name.rfind("right/", 0) == 0) continue;   // leap-second zones: not supported
    std::ifstream in(entry.path(), std::ios::binary);
    char magic[4] = {};
    if (!in.read(magic, 4) || std::string(magic, 4) != "TZif") continue;
    names.push_back(name);
  }
  REQUIRE(names.size() > 300);
  int failures = 0;
  for (const auto& name : names) {
    INFO(name);
    Zone z = Zone::utc();
    REQUIRE_NOTHROW(z = Zone::named(name));
    LibcZone libc(name.c_str());
    for (int y = 1970; y <= 2060; y += 3)
      for (unsigned m : {1u, 7u}) {
        Seconds t = utc(y, m, 15, 12);
        if (z.offset_seconds(t) != LibcZone::offset(secs(t))) {
          ++failures;
          UNSCOPED_INFO(name << " at " << format_utc(t) << ": " << z.offset_seconds(t) << " vs "
                             << LibcZone::offset(secs(t)));
        }
      }
  }
  CHECK(failures == 0);
}

TEST_CASE("zone names are checked before any file is read", "[policy][zone]") {
  for (const char* bad : {"/etc/passwd", "Asia//Shanghai", "Asia/", "Asia/Shang hai", "Asia/../Asia/Shanghai",
                          "..", "zone.tab", "Asia/Shanghai\n", "Europe/Berlin;rm"}) {
    INFO("'" << bad << "'");
    try {
      Zone::named(bad);
      FAIL("no exception");
    } catch (const std::invalid_argument& e) {
      CHECK_THAT(e.what(), Catch::Contains("not a zone name"));
    }
  }
  {
    ScopedEnv tzdir("TZDIR", nullptr);
    try {
      Zone::named("Mars/Olympus");
      FAIL("no exception");
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()) == "unknown time zone 'Mars/Olympus' (no such file in /usr/share/zoneinfo)");
    }
    CHECK_THROWS_AS(Zone::named("Asia"), std::invalid_argument);        // a directory
    CHECK_THROWS_AS(Zone::named("Asia/Shanghai/x"), std::invalid_argument);
    CHECK(Zone::named("Etc/UTC").name() == "Etc/UTC");
    CHECK(Zone::named("UTC").offset_seconds(utc(2026, 7, 1)) == 0);
    CHECK(Zone::named("Etc/GMT-14").offset_seconds(utc(2026, 7, 1)) == 14 * 3600);
    CHECK(Zone::named("America/St_Johns").offset_seconds(utc(2026, 1, 1)) == -(3 * 3600 + 1800));
  }
  {
    // TZDIR points at another database; a file that is not TZif is refused.
    const auto dir = std::filesystem::temp_directory_path() / ("test_zone_dir_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir / "Test");
    std::filesystem::copy_file("/usr/share/zoneinfo/Asia/Kolkata", dir / "Test" / "Kolkata",
                               std::filesystem::copy_options::overwrite_existing);
    { std::ofstream(dir / "Test" / "Text") << "not a zone\n"; }
    { std::ofstream(dir / "Test" / "Short", std::ios::binary) << std::string("TZif2\0\0\0", 8); }
    ScopedEnv tzdir("TZDIR", dir.c_str());
    CHECK(Zone::named("Test/Kolkata").offset_seconds(utc(2026, 7, 1)) == 19800);
    CHECK_THROWS_WITH(Zone::named("Test/Text"), Catch::Contains("'Test/Text'") && Catch::Contains("not a TZif file"));
    CHECK_THROWS_WITH(Zone::named("Test/Short"), Catch::Contains("truncated"));
    CHECK_THROWS_WITH(Zone::named("Asia/Shanghai"), Catch::Contains("no such file in " + dir.string()));
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("a POSIX rule in TZ is not a zone name: the system zone falls through", "[policy][zone]") {
  TzEnv tz("CST-8");
  Zone s = Zone::system();
  CHECK(s.name() != "CST-8");
  CHECK_NOTHROW(Zone::named(s.name()));
}

TEST_CASE("zones are cheap to copy and safe to share", "[policy][zone]") {
  Zone a = Zone::named("Europe/Berlin");
  Zone b = a;
  CHECK(b.name() == "Europe/Berlin");
  CHECK(b.offset_seconds(utc(2026, 7, 15)) == 7200);
  a = Zone::utc();
  CHECK(b.offset_seconds(utc(2026, 7, 15)) == 7200);   // b keeps the data alive
  CHECK(a.offset_seconds(utc(2026, 7, 15)) == 0);
}
