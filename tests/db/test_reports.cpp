// Status reports (23.040 9.2.2.3 SMS-STATUS-REPORT) matched to sent parts.
#include <catch2/catch.hpp>

#include "tests/db/temp_db.hpp"

using namespace sms::db;
using namespace sms::db::test;

namespace {
std::int64_t send(Store& s, const std::string& recipient, const std::string& modem, std::vector<int> refs) {
  insert(s, "'" + recipient + "', 'x', '" + modem + "'", "recipient, text, modem");
  auto r = s.claim_next(modem, kSendAll);
  REQUIRE(r);
  s.record_sent(r->id, modem, refs);
  return r->id;
}
}  // namespace

TEST_CASE("numbers match whatever form the SMSC writes them in", "[db][report]") {
  struct Case {
    const char* a;
    const char* b;
    bool match;
  } cases[] = {
      {"+8613800138000", "+8613800138000", true},
      {"+8613800138000", "8613800138000", true},    // TON international without '+'
      {"+8613800138000", "13800138000", true},      // national form
      {"+8613800138000", "013800138000", true},     // national prefix 0
      {"+8613800138000", "008613800138000", true},  // international prefix 00
      {"+86 138-0013-8000", "13800138000", true},   // as typed
      {"+8613800138000", "+8613800138001", false},
      {"+8613800138000", "38000", false},           // too few digits to trust a suffix
      {"10086", "10086", true},                     // short codes: exact
      {"10086", "110086", false},
      {"ChinaMobile", "ChinaMobile", true},
      {"ChinaMobile", "ChinaUnicom", false},
  };
  for (const auto& c : cases) {
    INFO(c.a << " vs " << c.b);
    CHECK(numbers_match(c.a, c.b) == c.match);
    CHECK(numbers_match(c.b, c.a) == c.match);
  }
}

TEST_CASE("a single-part message becomes delivered with the report's words and time", "[db][report]") {
  TempDb t;
  Store s = t.open();
  auto id = send(s, "+8613800138000", "m1", {42});
  auto got = s.apply_status_report("m1", 42, "8613800138000", 0, "delivered", true, true, "2026-11-23 08:00:05");
  REQUIRE(got);
  CHECK(*got == id);
  auto o = s.get_out(id);
  CHECK(o->status == "delivered");
  CHECK(o->delivery_status == "delivered");
  CHECK(o->delivered_at == "2026-11-23 08:00:05");
  CHECK(scalar(s, "SELECT status FROM outbox_parts") == "delivered");
}

TEST_CASE("a multipart message is final only when every part is", "[db][report]") {
  TempDb t;
  Store s = t.open();
  auto id = send(s, "+8613800138000", "m1", {10, 11, 12});
  CHECK(s.apply_status_report("m1", 11, "+8613800138000", 0, "delivered", true, true, "2026-11-23 08:00:01"));
  CHECK(s.get_out(id)->status == "sent");
  // A temporary report (TP-ST 0x20..0x3F) changes only the words.
  CHECK(s.apply_status_report("m1", 10, "13800138000", 0x30, "still trying", false, false, ""));
  CHECK(s.get_out(id)->status == "sent");
  CHECK(s.get_out(id)->delivery_status == "still trying");
  CHECK(s.apply_status_report("m1", 10, "13800138000", 0, "delivered", true, true, "2026-11-23 08:00:02"));
  CHECK(s.get_out(id)->status == "sent");
  CHECK(s.apply_status_report("m1", 12, "13800138000", 0x41, "incompatible destination", false, true,
                              "2026-11-23 08:00:03"));
  auto o = s.get_out(id);
  CHECK(o->status == "undelivered");   // one part never arrived
  CHECK(o->delivery_status == "incompatible destination");
  CHECK(o->delivered_at == "2026-11-23 08:00:03");
}

TEST_CASE("report matching: modem, reference, recipient, most recent first", "[db][report]") {
  TempDb t;
  Store s = t.open();
  auto old_a = send(s, "+8613800138000", "m1", {7});
  auto other_modem = send(s, "+8613800138000", "m2", {7});
  auto b = send(s, "+8613900000000", "m1", {7});
  auto new_a = send(s, "+8613800138000", "m1", {7});   // the reference wrapped around
  exec(s, "UPDATE outbox_parts SET updated_at = '2026-01-01 00:00:00.000' WHERE outbox_id = " + std::to_string(old_a));

  CHECK(s.apply_status_report("m1", 7, "13900000000", 0, "delivered", true, true, "") == b);
  CHECK(s.apply_status_report("m1", 7, "+8613800138000", 0, "delivered", true, true, "") == new_a);
  CHECK(s.get_out(old_a)->status == "sent");
  CHECK(s.get_out(other_modem)->status == "sent");
  // The next report for that pair goes to the part still waiting.
  CHECK(s.apply_status_report("m1", 7, "+8613800138000", 0, "delivered", true, true, "") == old_a);
  CHECK_FALSE(s.apply_status_report("m1", 8, "+8613800138000", 0, "delivered", true, true, ""));
  CHECK_FALSE(s.apply_status_report("m3", 7, "+8613800138000", 0, "delivered", true, true, ""));
  CHECK_FALSE(s.apply_status_report("m1", 7, "+4915100000000", 0, "delivered", true, true, ""));
}

TEST_CASE("a report settles an 'unknown' message: it was sent after all", "[db][report]") {
  TempDb t;
  Store s = t.open();
  auto id = send(s, "10086", "m1", {3});
  s.record_unknown(id, "crash");
  CHECK(s.apply_status_report("m1", 3, "10086", 0, "delivered", true, true, ""));
  CHECK(s.get_out(id)->status == "delivered");
}
