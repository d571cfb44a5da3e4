// decide(): the sending policy as a pure function, by tables with a fake
// clock at every boundary (issue 9, section 10). Facts are a table; the
// clock is Asia/Shanghai wall time turned into instants by Zone, and every
// expected instant is written independently as UTC (Shanghai is UTC+8 all
// year), computed here without the zone code.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "src/policy/policy.hpp"

using namespace sms::policy;

namespace {

using Action = Decision::Action;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil): the expectations do not go through zone.cpp.
long days_from_civil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

// An instant written as UTC.
Seconds utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  const long days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return Seconds{std::chrono::seconds{days * 86400L + h * 3600L + mi * 60L + s}};
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

const Zone& shanghai() {
  static const Zone z = Zone::named("Asia/Shanghai");
  return z;
}

// The fake clock: Shanghai wall time.
Seconds local(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return shanghai().to_utc(civil(y, mo, d, h, mi, s));
}

Numbers& numbers() {
  static Numbers n("CN");
  return n;
}

class TableFacts : public Facts {
 public:
  std::map<std::string, std::int64_t> counters;
  std::map<std::string, unsigned> on;   // e164 -> mask of bit(List)
  std::vector<std::string> asked;       // keys count() was asked for

  unsigned lists(const std::string& e164) override {
    auto it = on.find(e164);
    return it == on.end() ? 0u : it->second;
  }
  std::int64_t count(const std::string& key) override {
    asked.push_back(key);
    auto it = counters.find(key);
    return it == counters.end() ? 0 : it->second;
  }
};

constexpr const char* kAnhui = "+8613955112345";   // 13955112345: 安徽省合肥市

Message msg(std::string kind = "bulk", std::string to = "13955112345", std::string text = "您好，周末大促。") {
  Message m;
  m.recipient = std::move(to);
  m.text = std::move(text);
  if (!kind.empty()) m.kind = std::move(kind);
  return m;
}

Decision run(const Policy& p, const Message& m, TableFacts& f, Seconds now) {
  return decide(p, m, f, numbers(), shanghai(), now);
}

Limit limit(Limit::Scope scope, Limit::Per per, int max, KindSet kinds = bit(Kind::bulk)) {
  Limit l;
  l.scope = scope;
  l.per = per;
  l.max = max;
  l.kinds = kinds;
  return l;
}

QuietWindow quiet(int from_h, int from_m, int to_h, int to_m, KindSet kinds = bit(Kind::bulk)) {
  QuietWindow q;
  q.from = from_h * 60 + from_m;
  q.to = to_h * 60 + to_m;
  q.kinds = kinds;
  return q;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// A row of a time table.
struct TimeRow {
  const char* name;
  Seconds now;
  std::map<std::string, std::int64_t> counters;
  Action action;
  Seconds until;   // defer only
  std::string rule = {};
  std::string reason = {};   // "" = not checked
};

void check_rows(const Policy& p, const std::vector<TimeRow>& rows, const Message& m = msg()) {
  for (const auto& row : rows) {
    INFO(row.name);
    TableFacts f;
    f.counters = row.counters;
    const Decision d = run(p, m, f, row.now);
    INFO(d.reason);
    CHECK(to_string(d.action) == to_string(row.action));
    if (row.action == Action::defer) {
      CHECK(format_utc(d.until) == format_utc(row.until));
      CHECK(d.until == row.until);
      CHECK(d.rule == row.rule);
      CHECK_FALSE(d.modem_full);
    }
    if (!row.reason.empty()) CHECK(d.reason == row.reason);
  }
}

}  // namespace

TEST_CASE("decide: the fake clock is Shanghai time, 8 hours ahead of UTC", "[decide]") {
  CHECK(local(2026, 12, 7, 0, 0, 0) == utc(2026, 12, 6, 16, 0, 0));
  CHECK(local(2026, 12, 8, 8, 0, 0) == utc(2026, 12, 8, 0, 0, 0));
  CHECK(local(2027, 10, 1, 0, 0, 0) == utc(2027, 9, 30, 16, 0, 0));
}

TEST_CASE("decide: counter keys and period texts", "[decide]") {
  const Civil c = civil(2026, 12, 7, 14, 5, 9);
  CHECK(period_text(Limit::Per::hour, c) == "2026-12-07T14");
  CHECK(period_text(Limit::Per::day, c) == "2026-12-07");
  CHECK(period_text(Limit::Per::month, c) == "2026-12");
  CHECK(period_text(Limit::Per::hour, civil(2027, 1, 2, 3)) == "2027-01-02T03");
  CHECK(counter_key(Limit::Scope::recipient, Kind::bulk, Limit::Per::day, c, kAnhui) ==
        "r|bulk|d|2026-12-07|+8613955112345");
  CHECK(counter_key(Limit::Scope::total, Kind::bulk, Limit::Per::day, c, "") == "t|bulk|d|2026-12-07");
  CHECK(counter_key(Limit::Scope::modem, Kind::notice, Limit::Per::hour, c, "m1") == "m|notice|h|2026-12-07T14|m1");
  CHECK(counter_key(Limit::Scope::recipient, Kind::bulk, Limit::Per::month, c, kAnhui) ==
        "r|bulk|m|2026-12|+8613955112345");
}

TEST_CASE("decide: names of lists and actions; any_rule", "[decide]") {
  CHECK(to_string(List::whitelist) == "whitelist");
  CHECK(to_string(List::blacklist) == "blacklist");
  CHECK(to_string(List::optout) == "optout");
  CHECK(to_string(Action::send) == "send");
  CHECK(to_string(Action::defer) == "defer");
  CHECK(to_string(Action::block) == "block");
  CHECK(to_string(Action::approval) == "approval");
  CHECK(to_string(Action::fail) == "fail");

  Policy p;
  CHECK_FALSE(p.any_rule());
  p.retention.audit_days = 180;   // retention decides nothing about a row
  CHECK_FALSE(p.any_rule());
  Policy q;
  q.quiet.push_back(quiet(22, 0, 8, 0));
  CHECK(q.any_rule());
  Policy b;
  b.blacklist = ListRule{kAllKinds};
  CHECK(b.any_rule());
  Policy s;
  s.signature = SignatureRule{"【某某公司】", false, kAllKinds};
  CHECK(s.any_rule());
}

TEST_CASE("decide: kind", "[decide]") {
  Policy p;
  p.quiet.push_back(quiet(22, 0, 8, 0));   // bulk only
  const Seconds night = local(2026, 12, 7, 23, 0, 0);
  TableFacts f;

  auto d = run(p, msg("promo"), f, night);
  CHECK(d.action == Action::fail);
  CHECK(d.rule == "kind");
  CHECK(d.reason == "kind 'promo' is not a message kind (notice or bulk)");
  CHECK(d.number.e164 == kAnhui);
  CHECK(d.parts == 1);

  d = run(p, msg("Bulk"), f, night);   // exact, lower case
  CHECK(d.action == Action::fail);
  CHECK(d.rule == "kind");

  d = run(p, msg(""), f, night);   // NULL: defaultKind notice, quiet does not apply
  CHECK(d.action == Action::send);
  CHECK(d.kind == Kind::notice);

  p.default_kind = Kind::bulk;
  d = run(p, msg(""), f, night);
  CHECK(d.action == Action::defer);
  CHECK(d.kind == Kind::bulk);

  d = run(p, msg("notice"), f, night);
  CHECK(d.action == Action::send);
  CHECK(d.kind == Kind::notice);
  CHECK(d.rule.empty());
  CHECK(d.reason.empty());
}

TEST_CASE("decide: the 1st and the 2nd bulk message to one number on one local day and on the next", "[decide]") {
  Policy p;
  p.limits.push_back(limit(Limit::Scope::recipient, Limit::Per::day, 1));
  const std::string day7 = "r|bulk|d|2026-12-07|+8613955112345";
  const std::string day8 = "r|bulk|d|2026-12-08|+8613955112345";
  const Seconds midnight8 = utc(2026, 12, 7, 16, 0, 0);   // 2026-12-08 00:00 in Shanghai

  check_rows(p, {
      {"1st on the 7th", local(2026, 12, 7, 14, 0, 0), {}, Action::send, {}},
      {"2nd on the 7th", local(2026, 12, 7, 14, 0, 5), {{day7, 1}}, Action::defer, midnight8, "limit",
       "limit of 1 bulk message per recipient per day reached (1 sent today); deferred to 2026-12-08 00:00"},
      {"2nd at 00:30 local (still the 6th in UTC)", local(2026, 12, 7, 0, 30, 0), {{day7, 1}}, Action::defer,
       midnight8, "limit"},
      {"2nd at 23:59:59", local(2026, 12, 7, 23, 59, 59), {{day7, 1}}, Action::defer, midnight8, "limit"},
      {"next day 00:00:00", local(2026, 12, 8, 0, 0, 0), {{day7, 1}}, Action::send, {}},
      {"next day 07:00 (still the 7th in UTC)", local(2026, 12, 8, 7, 0, 0), {{day7, 1}}, Action::send, {}},
      {"2nd on the next day", local(2026, 12, 8, 9, 0, 0), {{day7, 1}, {day8, 1}}, Action::defer,
       utc(2026, 12, 8, 16, 0, 0), "limit"},
      {"another number's counter does not matter", local(2026, 12, 7, 14, 0, 0),
       {{"r|bulk|d|2026-12-07|+8613912345678", 1}}, Action::send, {}},
      {"a notice's counter does not count for bulk", local(2026, 12, 7, 14, 0, 0),
       {{"r|notice|d|2026-12-07|+8613955112345", 5}}, Action::send, {}},
  });

  TableFacts f;
  auto d = run(p, msg(), f, local(2026, 12, 7, 14, 0, 0));
  CHECK(d.count == std::vector<std::string>{day7});
  d = run(p, msg(), f, local(2026, 12, 8, 7, 0, 0));
  CHECK(d.count == std::vector<std::string>{day8});
  d = run(p, msg("notice"), f, local(2026, 12, 8, 7, 0, 0));   // limit is bulk only
  CHECK(d.count.empty());
}

TEST_CASE("decide: quiet hours 22:00-08:00 at their boundaries", "[decide]") {
  Policy p;
  p.quiet.push_back(quiet(22, 0, 8, 0));
  const Seconds eight8 = utc(2026, 12, 8, 0, 0, 0);   // 2026-12-08 08:00 in Shanghai
  check_rows(p, {
      {"21:59:59", local(2026, 12, 7, 21, 59, 59), {}, Action::send, {}},
      {"22:00:00", local(2026, 12, 7, 22, 0, 0), {}, Action::defer, eight8, "quiet",
       "quiet hours 22:00\u201308:00 for bulk messages; deferred to 2026-12-08 08:00"},
      {"23:59:59", local(2026, 12, 7, 23, 59, 59), {}, Action::defer, eight8, "quiet"},
      {"00:00:00", local(2026, 12, 8, 0, 0, 0), {}, Action::defer, eight8, "quiet"},
      {"07:59:59", local(2026, 12, 8, 7, 59, 59), {}, Action::defer, eight8, "quiet",
       "quiet hours 22:00\u201308:00 for bulk messages; deferred to 2026-12-08 08:00"},
      {"08:00:00", local(2026, 12, 8, 8, 0, 0), {}, Action::send, {}},
  });
  // Notices are not covered; the same window for both kinds is.
  check_rows(p, {{"notice at 22:00", local(2026, 12, 7, 22, 0, 0), {}, Action::send, {}}}, msg("notice"));
  p.quiet[0].kinds = kAllKinds;
  check_rows(p,
             {{"notice at 22:00 (both kinds)", local(2026, 12, 7, 22, 0, 0), {}, Action::defer, eight8, "quiet",
               "quiet hours 22:00\u201308:00 for notices; deferred to 2026-12-08 08:00"}},
             msg("notice"));
  // from == to is no window at all.
  Policy e;
  e.quiet.push_back(quiet(8, 0, 8, 0));
  check_rows(e, {{"empty window", local(2026, 12, 7, 8, 0, 0), {}, Action::send, {}}});
}

TEST_CASE("decide: quiet 11:00-14:00 and 22:00-08:00 together", "[decide]") {
  Policy p;
  p.quiet.push_back(quiet(22, 0, 8, 0));
  p.quiet.push_back(quiet(11, 0, 14, 0));
  const Seconds two7 = utc(2026, 12, 7, 6, 0, 0);     // 2026-12-07 14:00
  const Seconds eight8 = utc(2026, 12, 8, 0, 0, 0);   // 2026-12-08 08:00
  check_rows(p, {
      {"10:59:59", local(2026, 12, 7, 10, 59, 59), {}, Action::send, {}},
      {"11:00:00", local(2026, 12, 7, 11, 0, 0), {}, Action::defer, two7, "quiet",
       "quiet hours 11:00\u201314:00 for bulk messages; deferred to 2026-12-07 14:00"},
      {"13:59:59", local(2026, 12, 7, 13, 59, 59), {}, Action::defer, two7, "quiet"},
      {"14:00:00", local(2026, 12, 7, 14, 0, 0), {}, Action::send, {}},
      {"21:59:59", local(2026, 12, 7, 21, 59, 59), {}, Action::send, {}},
      {"22:00:00", local(2026, 12, 7, 22, 0, 0), {}, Action::defer, eight8, "quiet",
       "quiet hours 22:00\u201308:00 for bulk messages; deferred to 2026-12-08 08:00"},
      {"07:59:59", local(2026, 12, 8, 7, 59, 59), {}, Action::defer, eight8, "quiet"},
      {"08:00:00", local(2026, 12, 8, 8, 0, 0), {}, Action::send, {}},
  });
  // Windows that meet: 08:00 ends one and 08:00 starts the other.
  Policy m;
  m.quiet.push_back(quiet(22, 0, 8, 0));
  m.quiet.push_back(quiet(8, 0, 9, 30));
  check_rows(m, {{"23:00 through both", local(2026, 12, 7, 23, 0, 0), {}, Action::defer, utc(2026, 12, 8, 1, 30, 0),
                  "quiet", "quiet hours 22:00\u201308:00 for bulk messages; deferred to 2026-12-08 09:30"}});
}

TEST_CASE("decide: a limit that resets at 00:00 inside a 22:00-08:00 quiet window defers to 08:00", "[decide]") {
  Policy p;
  p.quiet.push_back(quiet(22, 0, 8, 0));
  p.quiet.push_back(quiet(11, 0, 14, 0));
  p.limits.push_back(limit(Limit::Scope::recipient, Limit::Per::day, 1));
  const std::string day7 = "r|bulk|d|2026-12-07|+8613955112345";
  const std::string day8 = "r|bulk|d|2026-12-08|+8613955112345";
  const Seconds eight8 = utc(2026, 12, 8, 0, 0, 0);   // 2026-12-08 08:00
  check_rows(p, {
      {"limit full at 20:00", local(2026, 12, 7, 20, 0, 0), {{day7, 1}}, Action::defer, eight8, "limit",
       "limit of 1 bulk message per recipient per day reached (1 sent today); deferred to 2026-12-08 08:00"},
      {"limit full at 12:00, inside 11:00-14:00 too", local(2026, 12, 7, 12, 0, 0), {{day7, 1}}, Action::defer,
       eight8, "quiet", "quiet hours 11:00\u201314:00 for bulk messages; deferred to 2026-12-08 08:00"},
      {"quiet at 23:00, yesterday's count is no matter", local(2026, 12, 7, 23, 0, 0), {{day7, 1}}, Action::defer,
       eight8, "quiet"},
      {"01:00 with today's count full: quiet, then the limit, then quiet again", local(2026, 12, 8, 1, 0, 0),
       {{day8, 1}}, Action::defer, utc(2026, 12, 9, 0, 0, 0), "quiet",
       "quiet hours 22:00\u201308:00 for bulk messages; deferred to 2026-12-09 08:00"},
      {"room left at 20:00", local(2026, 12, 7, 20, 0, 0), {}, Action::send, {}},
  });
}

TEST_CASE("decide: holidays, first and last day and the days around them", "[decide]") {
  Policy p;
  p.holidays.push_back(Holiday{"2027-10-01", "2027-10-07", bit(Kind::bulk)});
  p.holidays.push_back(Holiday{"2027-02-17", "2027-02-17", bit(Kind::bulk)});
  const Seconds oct8 = utc(2027, 10, 7, 16, 0, 0);   // 2027-10-08 00:00 in Shanghai
  check_rows(p, {
      {"the day before, 23:59:59", local(2027, 9, 30, 23, 59, 59), {}, Action::send, {}},
      {"the first day, 00:00:00", local(2027, 10, 1, 0, 0, 0), {}, Action::defer, oct8, "holiday",
       "holiday 2027-10-01 to 2027-10-07 for bulk messages; deferred to 2027-10-08 00:00"},
      {"the first day, noon", local(2027, 10, 1, 12, 0, 0), {}, Action::defer, oct8, "holiday"},
      {"the last day, 00:00", local(2027, 10, 7, 0, 0, 0), {}, Action::defer, oct8, "holiday"},
      {"the last day, 23:59:59", local(2027, 10, 7, 23, 59, 59), {}, Action::defer, oct8, "holiday"},
      {"the day after, 00:00:00", local(2027, 10, 8, 0, 0, 0), {}, Action::send, {}},
      {"a one-day holiday", local(2027, 2, 17, 9, 0, 0), {}, Action::defer, utc(2027, 2, 17, 16, 0, 0), "holiday",
       "holiday 2027-02-17 for bulk messages; deferred to 2027-02-18 00:00"},
      {"the day before a one-day holiday", local(2027, 2, 16, 23, 59, 59), {}, Action::send, {}},
      {"the day after a one-day holiday", local(2027, 2, 18, 0, 0, 0), {}, Action::send, {}},
  });
  check_rows(p, {{"notices on a bulk holiday", local(2027, 10, 1, 12, 0, 0), {}, Action::send, {}}}, msg("notice"));

  // A holiday that ends inside the quiet window: the first moment both allow.
  p.quiet.push_back(quiet(22, 0, 8, 0));
  check_rows(p, {
      {"last holiday evening", local(2027, 10, 7, 20, 0, 0), {}, Action::defer, utc(2027, 10, 8, 0, 0, 0), "holiday",
       "holiday 2027-10-01 to 2027-10-07 for bulk messages; deferred to 2027-10-08 08:00"},
      {"the night before the holiday", local(2027, 9, 30, 23, 0, 0), {}, Action::defer, oct8 + std::chrono::hours(8),
       "quiet"},
  });
}

TEST_CASE("decide: signature and max length (65 and 66 characters)", "[decide]") {
  Policy p;
  p.signature = SignatureRule{"【某某公司】", false, kAllKinds};   // 6 characters, at the end
  p.max_length = MaxLengthRule{65, bit(Kind::bulk)};
  TableFacts f;
  const Seconds now = local(2026, 12, 7, 14, 0, 0);

  const std::string t59 = repeat("字", 59);
  auto d = run(p, msg("bulk", "13955112345", t59), f, now);
  CHECK(d.action == Action::send);
  CHECK(d.text == t59 + "【某某公司】");
  CHECK(d.text_changed);
  CHECK(d.parts == 1);

  const std::string t60 = repeat("字", 60);
  d = run(p, msg("bulk", "13955112345", t60), f, now);
  CHECK(d.action == Action::block);
  CHECK(d.rule == "maxLength");
  CHECK(d.reason == "the text has 66 characters (signature included); bulk messages may have at most 65");
  CHECK(d.text == t60 + "【某某公司】");

  // The signature already in the text is not added again; it is counted.
  d = run(p, msg("bulk", "13955112345", "【某某公司】" + t59), f, now);
  CHECK(d.action == Action::send);
  CHECK_FALSE(d.text_changed);
  CHECK(d.text == "【某某公司】" + t59);
  d = run(p, msg("bulk", "13955112345", t60 + "【某某公司】"), f, now);
  CHECK(d.action == Action::block);
  CHECK(d.rule == "maxLength");

  // Notices: no maximum, but the signature.
  d = run(p, msg("notice", "13955112345", t60), f, now);
  CHECK(d.action == Action::send);
  CHECK(d.text == t60 + "【某某公司】");

  // At the start.
  p.signature->at_start = true;
  d = run(p, msg("bulk", "13955112345", "您好"), f, now);
  CHECK(d.text == "【某某公司】您好");
  CHECK(d.text_changed);

  // The signature counts in the parts: 64 + 6 = 70 UCS2 characters fit one
  // part, 65 + 6 = 71 need two (67 a part).
  Policy s;
  s.signature = SignatureRule{"【某某公司】", false, kAllKinds};
  d = run(s, msg("notice", "13955112345", repeat("字", 64)), f, now);
  CHECK(d.parts == 1);
  d = run(s, msg("notice", "13955112345", repeat("字", 65)), f, now);
  CHECK(d.parts == 2);
  // Over maxParts: failed (400 + 6 = 406 characters, 7 parts of 67).
  Message m = msg("notice", "13955112345", repeat("字", 400));
  m.max_parts = 6;
  d = run(s, m, f, now);
  CHECK(d.action == Action::fail);
  CHECK(d.rule == "length");
  CHECK(d.parts == 7);
  m.max_parts = 7;
  CHECK(run(s, m, f, now).action == Action::send);
}

TEST_CASE("decide: banned words, also in full-width letters", "[decide]") {
  Policy p;
  p.banned_words = BannedWordsRule{"/dev/null", WordList({"free", "发票"}), kAllKinds};
  TableFacts f;
  const Seconds now = local(2026, 12, 7, 14, 0, 0);
  struct Row {
    const char* text;
    Action action;
    const char* reason;
  };
  const std::vector<Row> rows = {
      {"\xEF\xBC\xA6\xEF\xBC\xB2\xEF\xBC\xA5\xEF\xBC\xA5 gift", Action::block,   // ＦＲＥＥ gift
       "the text contains the banned word 'free'"},
      {"FREE gift", Action::block, "the text contains the banned word 'free'"},
      {"代开发票", Action::block, "the text contains the banned word '发票'"},
      {"a gift for you", Action::send, ""},
  };
  for (const auto& r : rows) {
    INFO(r.text);
    const auto d = run(p, msg("notice", "13955112345", r.text), f, now);
    CHECK(to_string(d.action) == to_string(r.action));
    if (r.action == Action::block) {
      CHECK(d.rule == "bannedWords");
      CHECK(d.reason == r.reason);
    }
  }
  // A banned word in the signature itself blocks as well: the final text is checked.
  p.signature = SignatureRule{"【Free公司】", false, kAllKinds};
  CHECK(run(p, msg("notice", "13955112345", "您好"), f, now).rule == "bannedWords");
}

TEST_CASE("decide: region allow=\"安徽省\": mobiles, a short code and landlines", "[decide]") {
  Policy p;
  p.region = RegionRule{{"安徽省"}, bit(Kind::bulk)};
  TableFacts f;
  const Seconds now = local(2026, 12, 7, 14, 0, 0);
  struct Row {
    const char* to;
    Action action;
    const char* reason;   // exact, or "" = only the parts below
    std::vector<std::string> contains;
  };
  const std::vector<Row> rows = {
      {"13955112345", Action::send, "", {}},   // 安徽省合肥市
      {"13912345678", Action::block, "+8613912345678 is in 江苏省常州市; bulk messages may go only to 安徽省", {}},
      {"+86 139-5511-2345", Action::send, "", {}},
      {"10086", Action::block, "the province/city of 10086 is unknown; bulk messages may go only to 安徽省", {}},
      {"0551-62345678", Action::send, "", {}},   // 合肥 landline
      {"010-62345678", Action::block, "", {"+861062345678 is in ", "北京市", "bulk messages may go only to 安徽省"}},
  };
  for (const auto& r : rows) {
    INFO(r.to);
    const auto d = run(p, msg("bulk", r.to), f, now);
    INFO(d.reason);
    CHECK(to_string(d.action) == to_string(r.action));
    if (r.action == Action::block) CHECK(d.rule == "region");
    if (*r.reason) CHECK(d.reason == r.reason);
    for (const auto& part : r.contains) CHECK(d.reason.find(part) != std::string::npos);
  }
  // Notices are not covered.
  CHECK(run(p, msg("notice", "13912345678"), f, now).action == Action::send);
  CHECK(run(p, msg("notice", "10086"), f, now).action == Action::send);
  // A city in the allowed list.
  p.region->allow = {"南京市", "合肥市"};
  CHECK(run(p, msg("bulk", "13955112345"), f, now).action == Action::send);
  const auto d = run(p, msg("bulk", "13912345678"), f, now);
  CHECK(d.reason == "+8613912345678 is in 江苏省常州市; bulk messages may go only to 南京市, 合肥市");
}

TEST_CASE("decide: blacklist, opt-out and whitelist", "[decide]") {
  Policy p;
  p.blacklist = ListRule{kAllKinds};
  p.optout = OptOutRule{{"TD"}, {"td"}, "", bit(Kind::bulk)};
  p.whitelist = ListRule{bit(Kind::bulk)};
  const Seconds now = local(2026, 12, 7, 14, 0, 0);
  struct Row {
    const char* name;
    const char* kind;
    unsigned on;
    Action action;
    const char* rule;
    const char* reason;
  };
  const unsigned W = bit(List::whitelist), B = bit(List::blacklist), O = bit(List::optout);
  const std::vector<Row> rows = {
      {"bulk, whitelisted", "bulk", W, Action::send, "", ""},
      {"bulk, on no list", "bulk", 0, Action::block, "whitelist",
       "the recipient +8613955112345 is not on the whitelist (bulk messages go only to listed numbers)"},
      {"bulk, blacklisted and whitelisted", "bulk", W | B, Action::block, "blacklist",
       "the recipient +8613955112345 is on the blacklist"},
      {"bulk, opted out and whitelisted", "bulk", W | O, Action::block, "optout",
       "the recipient +8613955112345 has opted out of bulk messages"},
      {"bulk, blacklisted and opted out: blacklist first", "bulk", B | O, Action::block, "blacklist", ""},
      {"notice, on no list", "notice", 0, Action::send, "", ""},
      {"notice, opted out (bulk only)", "notice", O, Action::send, "", ""},
      {"notice, blacklisted", "notice", B, Action::block, "blacklist",
       "the recipient +8613955112345 is on the blacklist"},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    TableFacts f;
    f.on[kAnhui] = r.on;
    // Lists know the number in E.164, whatever its spelling in the row.
    for (const char* to : {"13955112345", "+86 139 5511 2345", "008613955112345"}) {
      INFO(to);
      const auto d = run(p, msg(r.kind, to), f, now);
      CHECK(to_string(d.action) == to_string(r.action));
      CHECK(d.rule == r.rule);
      if (*r.reason) CHECK(d.reason == r.reason);
      CHECK(d.number.e164 == kAnhui);
    }
  }
}

TEST_CASE("decide: approval", "[decide]") {
  Policy p;
  p.approval = ApprovalRule{bit(Kind::bulk), 200, true};
  TableFacts f;
  const Seconds now = local(2026, 12, 7, 14, 0, 0);
  struct Row {
    const char* name;
    const char* kind;
    int rows;
    bool approved;
    Action action;
    const char* reason;
  };
  const std::vector<Row> rows = {
      {"below minRecipients", "bulk", 199, false, Action::send, ""},
      // The store counts a batch only up to minRecipients: "at least".
      {"at minRecipients", "bulk", 200, false, Action::approval,
       "bulk messages need approval (batch 12 has at least 200 recipients; four-eyes)"},
      {"above, approved", "bulk", 500, true, Action::send, ""},
      {"notice, not covered", "notice", 500, false, Action::send, ""},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    Message m = msg(r.kind);
    m.batch = 12;
    m.batch_rows = r.rows;
    m.approved = r.approved;
    const auto d = run(p, m, f, now);
    CHECK(to_string(d.action) == to_string(r.action));
    if (r.action == Action::approval) {
      CHECK(d.rule == "approval");
      CHECK(d.reason == r.reason);
    }
  }
  // minRecipients 1: a single message without a batch waits as well.
  p.approval->min_recipients = 1;
  p.approval->four_eyes = false;
  const auto d = run(p, msg(), f, now);
  CHECK(d.action == Action::approval);
  CHECK(d.reason == "bulk messages need approval (1 recipient)");
}

TEST_CASE("decide: exempt messages and notices escape the bulk rules", "[decide]") {
  Policy p;
  p.quiet.push_back(quiet(22, 0, 8, 0, kAllKinds));
  p.limits.push_back(limit(Limit::Scope::recipient, Limit::Per::day, 1, kAllKinds));
  p.region = RegionRule{{"安徽省"}, bit(Kind::bulk)};
  p.max_length = MaxLengthRule{10, bit(Kind::bulk)};
  const Seconds night = local(2026, 12, 7, 23, 0, 0);
  TableFacts f;
  f.counters["r|notice|d|2026-12-07|+8613912345678"] = 3;

  Message reply = msg("notice", "13912345678", "您已退订，将不再收到此类短信。");
  CHECK(run(p, reply, f, night).action == Action::defer);
  reply.exempt = true;
  const auto d = run(p, reply, f, night);
  CHECK(d.action == Action::send);
  CHECK(d.rule.empty());

  // Exempt is no pass through the content and list rules.
  Message b = msg("bulk", "13912345678");
  b.exempt = true;
  CHECK(run(p, b, f, night).rule == "region");

  // Bulk-only rules leave notices alone (Jiangsu number, long text).
  Policy q;
  q.quiet.push_back(quiet(22, 0, 8, 0));
  q.region = RegionRule{{"安徽省"}, bit(Kind::bulk)};
  q.max_length = MaxLengthRule{10, bit(Kind::bulk)};
  q.approval = ApprovalRule{bit(Kind::bulk), 1, false};
  q.limits.push_back(limit(Limit::Scope::recipient, Limit::Per::day, 1));
  CHECK(run(q, msg("notice", "13912345678", repeat("字", 30)), f, night).action == Action::send);
}

TEST_CASE("decide: total limit of distinct recipients", "[decide]") {
  Policy p;
  p.limits.push_back(limit(Limit::Scope::recipient, Limit::Per::day, 2));
  p.limits.push_back(limit(Limit::Scope::total, Limit::Per::day, 3000));
  const std::string t7 = "t|bulk|d|2026-12-07";
  const std::string r7 = "r|bulk|d|2026-12-07|+8613955112345";
  const Seconds now = local(2026, 12, 7, 14, 0, 0);
  const Seconds midnight8 = utc(2026, 12, 7, 16, 0, 0);
  check_rows(p, {
      {"3000 counted, a new recipient", now, {{t7, 3000}}, Action::defer, midnight8, "limit",
       "limit of 3000 distinct recipients of bulk messages per day reached (3000 today); deferred to 2026-12-08 "
       "00:00"},
      {"3000 counted, a counted recipient's 2nd message", now, {{t7, 3000}, {r7, 1}}, Action::send, {}},
      {"3000 counted, a counted recipient's 3rd message", now, {{t7, 3000}, {r7, 2}}, Action::defer, midnight8,
       "limit", "limit of 2 bulk messages per recipient per day reached (2 sent today); deferred to 2026-12-08 00:00"},
      {"2999 counted, a new recipient", now, {{t7, 2999}}, Action::send, {}},
      {"3000 counted yesterday", now, {{"t|bulk|d|2026-12-06", 3000}}, Action::send, {}},
  });

  TableFacts f;
  f.counters[t7] = 2999;
  auto d = run(p, msg(), f, now);
  CHECK(sorted(d.count) == sorted({r7, "t|bulk|d|2026-12-07?r|bulk|d|2026-12-07|+8613955112345"}));
  f.counters[t7] = 3000;
  f.counters[r7] = 1;
  d = run(p, msg(), f, now);
  CHECK(d.action == Action::send);
  CHECK(d.count == std::vector<std::string>{r7});   // counted once already: no "t" key
}

TEST_CASE("decide: a full modem limit alone leaves the row to other modems", "[decide]") {
  Policy p;
  p.limits.push_back(limit(Limit::Scope::modem, Limit::Per::hour, 200, kAllKinds));
  const Seconds now = local(2026, 12, 7, 14, 30, 0);
  TableFacts f;
  f.counters["m|bulk|h|2026-12-07T14|m1"] = 150;
  f.counters["m|notice|h|2026-12-07T14|m1"] = 50;   // the limit counts both kinds

  Message m = msg();
  m.modem = "m1";
  auto d = run(p, m, f, now);
  CHECK(d.action == Action::defer);
  CHECK(d.modem_full);
  CHECK(d.rule == "limit");
  CHECK(d.until == utc(2026, 12, 7, 7, 0, 0));   // 15:00 in Shanghai
  CHECK(d.reason == "limit of 200 messages per modem per hour reached (200 sent by m1 this hour); deferred to "
                    "2026-12-07 15:00");

  m.modem = "m2";
  d = run(p, m, f, now);
  CHECK(d.action == Action::send);
  CHECK(d.count == std::vector<std::string>{"m|bulk|h|2026-12-07T14|m2"});

  m.modem = "";   // unknown modem: no modem limits
  d = run(p, m, f, now);
  CHECK(d.action == Action::send);
  CHECK(d.count.empty());

  // Full modem and a full recipient limit: not the modem alone.
  Policy q = p;
  q.limits.push_back(limit(Limit::Scope::recipient, Limit::Per::day, 1));
  f.counters["r|bulk|d|2026-12-07|+8613955112345"] = 1;
  m.modem = "m1";
  d = run(q, m, f, now);
  CHECK(d.action == Action::defer);
  CHECK_FALSE(d.modem_full);
  CHECK(d.until == utc(2026, 12, 7, 16, 0, 0));

  // Full modem inside quiet hours: not the modem alone either.
  Policy r = p;
  r.quiet.push_back(quiet(14, 0, 15, 30));
  d = run(r, m, f, now);
  CHECK(d.action == Action::defer);
  CHECK_FALSE(d.modem_full);
  CHECK(d.rule == "quiet");
  CHECK(d.until == utc(2026, 12, 7, 7, 30, 0));
}

TEST_CASE("decide: the counter keys of a send", "[decide]") {
  Policy p;
  p.limits.push_back(limit(Limit::Scope::recipient, Limit::Per::day, 1));
  p.limits.push_back(limit(Limit::Scope::recipient, Limit::Per::day, 5, kAllKinds));   // same key: once
  p.limits.push_back(limit(Limit::Scope::total, Limit::Per::day, 3000));
  p.limits.push_back(limit(Limit::Scope::total, Limit::Per::month, 50000));   // no recipient limit per month
  p.limits.push_back(limit(Limit::Scope::modem, Limit::Per::hour, 200, kAllKinds));
  p.limits.push_back(limit(Limit::Scope::recipient, Limit::Per::hour, 1, bit(Kind::notice)));   // not bulk
  TableFacts f;
  Message m = msg("bulk", "+86 139 5511 2345");
  m.modem = "m1";
  const auto d = run(p, m, f, local(2026, 12, 7, 14, 30, 0));
  REQUIRE(d.action == Action::send);
  CHECK(sorted(d.count) == sorted({
                               "r|bulk|d|2026-12-07|+8613955112345",
                               "t|bulk|d|2026-12-07?r|bulk|d|2026-12-07|+8613955112345",
                               "r|bulk|m|2026-12|+8613955112345",
                               "t|bulk|m|2026-12?r|bulk|m|2026-12|+8613955112345",
                               "m|bulk|h|2026-12-07T14|m1",
                           }));
  // Local periods: 07:30 on the 8th in Shanghai is the 7th in UTC.
  const auto e = run(p, m, f, local(2026, 12, 8, 7, 30, 0));
  CHECK(std::find(e.count.begin(), e.count.end(), "m|bulk|h|2026-12-08T07|m1") != e.count.end());
  CHECK(std::find(e.count.begin(), e.count.end(), "r|bulk|d|2026-12-08|+8613955112345") != e.count.end());
  // Month limits roll over at local midnight of the 1st.
  const auto g = run(p, m, f, local(2027, 1, 1, 0, 0, 0));
  CHECK(std::find(g.count.begin(), g.count.end(), "r|bulk|m|2027-01|+8613955112345") != g.count.end());
}

TEST_CASE("decide: a monthly limit defers to the 1st of the next month, local time", "[decide]") {
  Policy p;
  p.limits.push_back(limit(Limit::Scope::recipient, Limit::Per::month, 4));
  check_rows(p, {
      {"full in December", local(2026, 12, 31, 23, 0, 0), {{"r|bulk|m|2026-12|+8613955112345", 4}}, Action::defer,
       utc(2026, 12, 31, 16, 0, 0), "limit",
       "limit of 4 bulk messages per recipient per month reached (4 sent this month); deferred to 2027-01-01 00:00"},
      {"January", local(2027, 1, 1, 0, 0, 0), {{"r|bulk|m|2026-12|+8613955112345", 4}}, Action::send, {}},
  });
  Policy h;
  h.limits.push_back(limit(Limit::Scope::recipient, Limit::Per::hour, 1));
  check_rows(h, {{"hourly at 23:10", local(2026, 12, 7, 23, 10, 0), {{"r|bulk|h|2026-12-07T23|+8613955112345", 1}},
                  Action::defer, utc(2026, 12, 7, 16, 0, 0), "limit"}});
}

TEST_CASE("decide: opt-out keywords", "[decide]") {
  Policy p;
  CHECK_FALSE(optout_keyword(p, "TD"));
  p.optout = OptOutRule{{"TD", "退订", "STOP"}, {"td", "退订", "stop"}, "您已退订。", bit(Kind::bulk)};
  struct Row {
    const char* text;
    const char* keyword;   // "" = none
  };
  const std::vector<Row> rows = {
      {"TD", "TD"},
      {" td \n", "TD"},
      {"\xEF\xBC\xB4\xEF\xBC\xA4", "TD"},   // ＴＤ
      {"\xE3\x80\x80退订\xE3\x80\x80", "退订"},   // ideographic spaces around
      {"Stop", "STOP"},
      {"TD please", ""},
      {"退订吧", ""},
      {"", ""},
      {"T", ""},
  };
  for (const auto& r : rows) {
    INFO(r.text);
    const auto k = optout_keyword(p, r.text);
    if (*r.keyword) {
      REQUIRE(k);
      CHECK(*k == r.keyword);
    } else {
      CHECK_FALSE(k);
    }
  }
}

TEST_CASE("decide: never throws for any message content", "[decide]") {
  Policy p;
  p.signature = SignatureRule{"【某某公司】", false, kAllKinds};
  p.banned_words = BannedWordsRule{"", WordList({"free"}), kAllKinds};
  p.max_length = MaxLengthRule{65, kAllKinds};
  p.region = RegionRule{{"安徽省"}, kAllKinds};
  p.whitelist = ListRule{kAllKinds};
  p.limits.push_back(limit(Limit::Scope::total, Limit::Per::day, 1, kAllKinds));
  p.quiet.push_back(quiet(0, 0, 23, 59, kAllKinds));
  const Seconds now = local(2026, 12, 7, 23, 59, 30);
  for (const char* to : {"", "   ", "abc", "+", "+86 123", "99999999999999999999", "１３９５５１１２３４５"}) {
    for (const char* text : {"", "\xff\xfe", "x", "\xe5\xad"}) {
      INFO(to << " / " << text);
      TableFacts f;
      f.on[to] = bit(List::whitelist);
      Decision d;
      REQUIRE_NOTHROW(d = run(p, msg("notice", to, text), f, now));
      REQUIRE_NOTHROW(d = run(p, msg("\xff", to, text), f, now));
      CHECK(d.action == Action::fail);
    }
  }
}
