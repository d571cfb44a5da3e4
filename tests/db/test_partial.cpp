// A long message of which only some parts went out (the modem vanished after
// part 2 of 3): the row says which parts went out, and retry sends only the
// missing ones through the same modem with the same concatenation reference,
// or, when that modem is not ready, asks for --whole.
#include <catch2/catch.hpp>

#include "tests/db/temp_db.hpp"

using namespace sms::db;
using namespace sms::db::test;

namespace {

void modem_state(Store& s, const std::string& id, const std::string& state) {
  ModemRow m;
  m.id = id;
  m.state = state;
  s.upsert_modem(m);
}

// Claims `id` on m1 and records that parts 1 and 2 of 3 went out (TP-MR 41, 42)
// with concatenation reference 0xB7 before the device vanished.
void send_two_of_three(Store& s, std::int64_t id, bool status_report = false) {
  auto row = s.claim_next("m1", kSendAll);
  REQUIRE(row);
  REQUIRE(row->id == id);
  s.mark_handed(id);
  Advance a;
  a.finished.kind = Finished::Kind::unknown;
  a.finished.id = id;
  a.finished.reason = "only 2 of 3 parts were sent, then: the device vanished";
  a.finished.references = {41, 42};
  a.finished.total_parts = 3;
  a.finished.concat_ref = 0xB7;
  a.finished.track_parts = status_report;
  s.advance("m1", a, kSendAll);
}

}  // namespace

TEST_CASE("an unknown row records the parts that went out, the modem and the concatenation reference",
          "[db][partial]") {
  TempDb t;
  Store s = t.open();
  auto id = insert(s, "'+8613800138000', 'long text', 1", "recipient, text, status_report");
  send_two_of_three(s, id, /*status_report=*/true);
  auto r = s.get_out(id);
  CHECK(r->status == "unknown");
  CHECK(r->parts == 3);
  CHECK(r->refs == "41,42");
  CHECK(r->sent_by == "m1");
  CHECK(r->concat_ref == 0xB7);
  CHECK(r->resume_part == 0);
  CHECK(r->last_error == "only 2 of 3 parts were sent, then: the device vanished");
  // Reports for the parts that went out are matched, but two delivered parts
  // of three do not make the message delivered.
  CHECK(s.apply_status_report("m1", 41, "+8613800138000", 0, "delivered", true, true, "2026-12-03 10:00:00") == id);
  CHECK(s.apply_status_report("m1", 42, "+8613800138000", 0, "delivered", true, true, "2026-12-03 10:00:01") == id);
  CHECK(s.get_out(id)->status == "unknown");
  // An unknown row without references (nothing known to have gone out) keeps parts = 0.
  auto single = insert(s, "'10086', 'x'");
  REQUIRE(s.claim_next("m1", kSendAll)->id == single);
  s.record_unknown(single, "no final answer");
  CHECK(s.get_out(single)->parts == 0);
  CHECK(s.get_out(single)->refs.empty());
}

TEST_CASE("retry of a partly sent message asks for --whole while its modem is not ready", "[db][partial]") {
  TempDb t;
  Store s = t.open();
  auto id = insert(s, "'+8613800138000', 'long text'");
  send_two_of_three(s, id);

  struct Case {
    const char* state;       // modems.state of m1; nullptr = no row
    const char* words;       // what the refusal must say
  };
  for (const Case& c : {Case{nullptr, "which is not known to any server"},
                        Case{"stopped", "which is not ready (stopped)"},
                        Case{"not_registered", "which is not ready (not_registered)"}}) {
    if (c.state) modem_state(s, "m1", c.state);
    std::string why;
    CHECK_FALSE(s.retry(id, &why));
    INFO(why);
    CHECK(why.find("parts 1\u20132 of 3 went out through modem m1") != std::string::npos);
    CHECK(why.find(c.words) != std::string::npos);
    CHECK(why.find("Use --whole to send all 3 parts again") != std::string::npos);
    CHECK(s.get_out(id)->status == "unknown");   // nothing changed
  }
}

TEST_CASE("retry of a partly sent message resumes it on the same modem; --whole starts over", "[db][partial]") {
  TempDb t;
  Store s = t.open();
  auto id = insert(s, "'+8613800138000', 'long text', 1", "recipient, text, status_report");
  send_two_of_three(s, id, true);
  modem_state(s, "m1", "ready");
  modem_state(s, "m2", "ready");

  std::string why;
  REQUIRE(s.retry(id, &why));
  auto r = s.get_out(id);
  CHECK(r->status == "queued");
  CHECK(r->resume_part == 3);
  CHECK(r->attempts == 0);
  CHECK(r->last_error ==
        "retry: sending only the missing part 3 of 3, through modem m1 with the same concatenation reference (183), "
        "so the recipient's phone joins them with parts 1\u20132 sent earlier");
  // Only m1 may send the rest.
  CHECK_FALSE(s.claim_next("m2", kSendAll));
  auto claimed = s.claim_next("m1", kSendAll);
  REQUIRE(claimed);
  CHECK(claimed->resume_part == 3);
  CHECK(claimed->concat_ref == 0xB7);
  CHECK(claimed->refs == "41,42");

  // The worker reports every part's reference once the last one went out.
  Advance a;
  a.finished.kind = Finished::Kind::sent;
  a.finished.id = id;
  a.finished.references = {41, 42, 7};
  a.finished.track_parts = true;
  a.finished.note = "sent in two goes";
  s.advance("m1", a, kSendAll);
  r = s.get_out(id);
  CHECK(r->status == "sent");
  CHECK(r->refs == "41,42,7");
  CHECK(r->parts == 3);
  CHECK(r->resume_part == 0);
  CHECK(r->last_error == "sent in two goes");
  // Now all three reports settle it.
  for (int mr : {41, 42, 7})
    CHECK(s.apply_status_report("m1", mr, "+8613800138000", 0, "delivered", true, true, "2026-12-03 10:00:00") == id);
  CHECK(s.get_out(id)->status == "delivered");

  SECTION("--whole forgets the parts and lets any modem send all of it") {
    auto other = insert(s, "'+8613800138001', 'long text 2'");
    send_two_of_three(s, other);
    modem_state(s, "m1", "stopped");
    REQUIRE(s.retry(other, &why, Store::RetryMode::whole));
    auto o = s.get_out(other);
    CHECK(o->status == "queued");
    CHECK(o->resume_part == 0);
    CHECK(o->refs.empty());
    CHECK(o->parts == 0);
    CHECK_FALSE(o->concat_ref);
    CHECK(o->last_error.empty());
    CHECK(s.claim_next("m2", kSendAll)->id == other);
  }
  SECTION("a row that is not partly sent retries as before") {
    auto plain = insert(s, "'10086', 'x'");
    REQUIRE(s.claim_next("m1", kSendAll)->id == plain);
    s.record_failed(plain, "+CMS ERROR: 21");
    REQUIRE(s.retry(plain, &why));
    CHECK(s.get_out(plain)->resume_part == 0);
    CHECK(s.get_out(plain)->last_error.empty());
  }
}

TEST_CASE("outbox.refs text and part ranges", "[db][partial]") {
  CHECK(split_refs("").empty());
  CHECK(split_refs("17") == std::vector<int>{17});
  CHECK(split_refs("41,42,7") == std::vector<int>{41, 42, 7});
  CHECK(join_refs({41, 42, 7}) == "41,42,7");
  CHECK(join_refs({}).empty());
  CHECK(part_range(3, 3) == "part 3");
  CHECK(part_range(1, 2) == "parts 1\u20132");
}
