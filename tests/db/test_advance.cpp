// Store::advance (one transaction per message: outcome of N, hand-over mark of
// N+1, claim of N+2) and Store::fail_unknown_modems.
#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>

#include "tests/db/temp_db.hpp"

using namespace sms::db;
using namespace sms::db::test;

namespace {
Finished finished(Finished::Kind k, std::int64_t id, std::string reason = {}, int delay = 0,
                  std::vector<int> refs = {}) {
  Finished f;
  f.kind = k;
  f.id = id;
  f.reason = std::move(reason);
  f.delay_seconds = delay;
  f.references = std::move(refs);
  return f;
}
}  // namespace

TEST_CASE("advance records N, marks N+1 handed and claims N+2 in one step", "[db][advance]") {
  TempDb t;
  Store s = t.open();
  auto a = insert(s, "'10086', 'a'");
  auto b = insert(s, "'10087', 'b'");
  auto c = insert(s, "'10088', 'c'");
  REQUIRE(s.claim_next("m1", kSendAll)->id == a);
  REQUIRE(s.claim_next("m1", kSendAll)->id == b);
  s.count_modem("m1", 1, 0, 0);
  Advance step;
  step.finished = finished(Finished::Kind::sent, a, {}, 0, {7, 8});
  step.hand_id = b;
  step.claim = true;
  auto next = s.advance("m1", step, kSendAll);
  REQUIRE(next);
  CHECK(next->id == c);
  CHECK(next->status == "sending");
  CHECK(next->attempts == 1);
  auto ra = s.get_out(a);
  CHECK(ra->status == "sent");
  CHECK(ra->parts == 2);
  CHECK(scalar(s, "SELECT group_concat(reference, ',') FROM outbox_parts WHERE outbox_id = " + std::to_string(a)) ==
        "7,8");
  CHECK(s.get_out(b)->handed);
  CHECK(s.get_out(b)->status == "sending");
  CHECK_FALSE(s.get_out(c)->handed);
  CHECK(scalar(s, "SELECT sent FROM modems WHERE id = 'm1'") == "1");
}

TEST_CASE("advance writes every outcome kind like the single calls", "[db][advance]") {
  struct Case {
    Finished::Kind kind;
    bool early_handed;
    const char* status;
    const char* last_error;
    int attempts_after;
    bool handed_after;
  };
  const Case cases[] = {
      {Finished::Kind::retry, true, "queued", "busy", 1, false},
      {Finished::Kind::failed, true, "failed", "busy", 1, true},
      {Finished::Kind::unknown, true, "unknown", "busy", 1, true},
      // Marked handed early by advance() but never written: requeued, attempt not counted.
      {Finished::Kind::give_back, true, "queued", "", 0, false},
      {Finished::Kind::give_back, false, "queued", "", 0, false},
  };
  for (const auto& k : cases) {
    TempDb t;
    Store s = t.open();
    auto id = insert(s, "'10086', 'x'");
    REQUIRE(s.claim_next("m1", kSendAll));
    if (k.early_handed) {
      Advance h;
      h.hand_id = id;
      CHECK_FALSE(s.advance("m1", h, kSendAll));   // no claim asked
    }
    Advance step;
    step.finished = finished(k.kind, id, "busy", 60);
    CHECK_FALSE(s.advance("m1", step, kSendAll));
    auto r = s.get_out(id);
    INFO("kind " << static_cast<int>(k.kind) << " early " << k.early_handed);
    CHECK(r->status == k.status);
    CHECK(r->last_error == k.last_error);
    CHECK(r->attempts == k.attempts_after);
    CHECK(r->handed == k.handed_after);
    if (k.kind == Finished::Kind::retry) CHECK(r->send_at > utc_in(30));
  }
}

TEST_CASE("advance: a throwing gate leaves nothing half-written", "[db][advance]") {
  TempDb t;
  Store s = t.open();
  auto a = insert(s, "'10086', 'a'");
  auto b = insert(s, "'10087', 'b'");
  insert(s, "'10088', 'c'");
  REQUIRE(s.claim_next("m1", kSendAll));
  REQUIRE(s.claim_next("m1", kSendAll));
  s.count_modem("m1", 1, 0, 0);
  Advance step;
  step.finished = finished(Finished::Kind::sent, a, {}, 0, {1});
  step.hand_id = b;
  step.claim = true;
  const Gate boom = [](const OutRow&) -> Verdict { throw std::runtime_error("policy database unreachable"); };
  CHECK_THROWS_WITH(s.advance("m1", step, boom), "policy database unreachable");
  CHECK(s.get_out(a)->status == "sending");
  CHECK_FALSE(s.get_out(b)->handed);
  CHECK(scalar(s, "SELECT count(*) FROM outbox_parts") == "0");
  CHECK(scalar(s, "SELECT count(*) FROM outbox WHERE status = 'queued'") == "1");
  // The same step again with a working gate writes all of it (the counter once).
  auto next = s.advance("m1", step, kSendAll);
  REQUIRE(next);
  CHECK(s.get_out(a)->status == "sent");
  CHECK(s.get_out(b)->handed);
  CHECK(scalar(s, "SELECT sent FROM modems WHERE id = 'm1'") == "1");
}

TEST_CASE("advance with an empty queue records and claims nothing", "[db][advance]") {
  TempDb t;
  Store s = t.open();
  auto a = insert(s, "'10086', 'a'");
  REQUIRE(s.claim_next("m1", kSendAll));
  Advance step;
  step.finished = finished(Finished::Kind::sent, a, {}, 0, {3});
  step.claim = true;
  CHECK_FALSE(s.advance("m1", step, kSendAll));
  CHECK(s.get_out(a)->status == "sent");
}

TEST_CASE("recover after an early hand-over mark makes the row unknown, never queued", "[db][advance]") {
  TempDb t;
  auto id = [&] {
    Store s = t.open();
    auto i = insert(s, "'10086', 'a'");
    REQUIRE(s.claim_next("m1", kSendAll));
    Advance h;
    h.hand_id = i;
    s.advance("m1", h, kSendAll);
    return i;
  }();
  Store s = t.open();
  auto r = s.recover({"m1"});
  CHECK(r.unknown == 1);
  CHECK(r.requeued == 0);
  CHECK(s.get_out(id)->status == "unknown");
}

TEST_CASE("fail_unknown_modems fails only rows for modems no server knows", "[db][advance]") {
  TempDb t;
  Store s = t.open();
  ModemRow other;
  other.id = "m2";   // another server's modem, in the shared modems table
  other.state = "ready";
  s.upsert_modem(other);
  auto mine = insert(s, "'10086', 'a', 'm1'", "recipient, text, modem");
  auto theirs = insert(s, "'10086', 'b', 'm2'", "recipient, text, modem");
  auto lost = insert(s, "'10086', 'c', 'm9'", "recipient, text, modem");
  auto lost2 = insert(s, "'10086', 'd', 'm9'", "recipient, text, modem");
  auto any = insert(s, "'10086', 'e'");
  auto empty = insert(s, "'10086', 'f', ''", "recipient, text, modem");
  auto sent_m9 = insert(s, "'10086', 'g', 'm9'", "recipient, text, modem");
  exec(s, "UPDATE outbox SET status = 'sent' WHERE id = " + std::to_string(sent_m9));

  CHECK(s.fail_unknown_modems({"m1"}) == 2);
  for (auto id : {mine, theirs, any, empty}) CHECK(s.get_out(id)->status == "queued");
  CHECK(s.get_out(sent_m9)->status == "sent");
  for (auto id : {lost, lost2}) {
    auto r = s.get_out(id);
    CHECK(r->status == "failed");
    CHECK(r->last_error.rfind("no modem 'm9' is known to any server (known: m1, m2)", 0) == 0);
  }
  CHECK(s.fail_unknown_modems({"m1"}) == 0);   // nothing left
  // With m1 unknown too (not configured here, not in the table) its row fails.
  CHECK(s.fail_unknown_modems({}) == 1);
  CHECK(s.get_out(mine)->last_error.rfind("no modem 'm1' is known to any server (known: m2)", 0) == 0);
}

TEST_CASE("a sent message keeps its references in outbox.refs; outbox_parts only when a report was asked for",
          "[db][advance]") {
  TempDb t;
  Store s = t.open();
  auto plain = insert(s, "'10086', 'no report wanted'");
  auto srr = insert(s, "'10087', 'report wanted'");
  REQUIRE(s.claim_next("m1", kSendAll)->id == plain);
  REQUIRE(s.claim_next("m1", kSendAll)->id == srr);

  Advance one;
  one.finished = finished(Finished::Kind::sent, plain, {}, 0, {200, 201, 202});
  one.finished.track_parts = false;
  s.advance("m1", one, kSendAll);
  CHECK(s.get_out(plain)->status == "sent");
  CHECK(s.get_out(plain)->parts == 3);
  CHECK(s.get_out(plain)->refs == "200,201,202");
  CHECK(scalar(s, "SELECT count(*) FROM outbox_parts") == "0");

  Advance two;
  two.finished = finished(Finished::Kind::sent, srr, {}, 0, {5});
  s.advance("m1", two, kSendAll);
  CHECK(s.get_out(srr)->refs == "5");
  CHECK(scalar(s, "SELECT outbox_id || ':' || reference FROM outbox_parts") == std::to_string(srr) + ":5");
  // The tracked part is what a status report finds.
  CHECK(s.apply_status_report("m1", 5, "10087", 0, "delivered", true, true, "2026-11-23 10:00:00") == srr);
  CHECK_FALSE(s.apply_status_report("m1", 200, "10086", 0, "delivered", true, true, "2026-11-23 10:00:00"));
}

TEST_CASE("advance writes the sent counter once per interval while busy, at once when the queue runs dry or a "
          "message fails; modems() shows what is pending meanwhile",
          "[db][advance][counters]") {
  TempDb t;
  Store s = t.open();
  s.set_count_interval(std::chrono::hours(1));
  for (int i = 0; i < 6; ++i) insert(s, "'10086', 'x'");
  s.count_modem("m1", 0, 0, 1);
  s.flush_counts();   // the interval starts here
  REQUIRE(scalar(s, "SELECT received FROM modems WHERE id = 'm1'") == "1");

  auto r = s.claim_next("m1", kSendAll);
  REQUIRE(r);
  std::int64_t cur = r->id;
  for (int i = 0; i < 3; ++i) {   // three messages sent, each claiming the next: the queue is busy
    s.count_modem("m1", 1, 0, 0);
    Advance a;
    a.finished = finished(Finished::Kind::sent, cur, {}, 0, {i});
    a.claim = true;
    auto next = s.advance("m1", a, kSendAll);
    REQUIRE(next);
    cur = next->id;
    // Another connection (smsctl status) sees every sent message at once:
    // the stored counter lags, the rows after counted_at make up for it.
    Store other = t.open();
    CHECK(scalar(other, "SELECT sent FROM modems WHERE id = 'm1'") == "0");
    CHECK(other.modems().at(0).sent == i + 1);
  }
  // A failure writes the counters at once (with the pending sent ones).
  s.count_modem("m1", 0, 1, 0);
  Advance f;
  f.finished = finished(Finished::Kind::failed, cur, "rejected");
  f.claim = true;
  auto next = s.advance("m1", f, kSendAll);
  REQUIRE(next);
  CHECK(scalar(s, "SELECT sent || '/' || failed FROM modems WHERE id = 'm1'") == "3/1");

  s.count_modem("m1", 1, 0, 0);
  Advance a;
  a.finished = finished(Finished::Kind::sent, next->id, {}, 0, {9});
  a.claim = true;
  auto claimed = s.advance("m1", a, kSendAll);   // busy again: pending
  REQUIRE(claimed);
  CHECK(scalar(s, "SELECT sent FROM modems WHERE id = 'm1'") == "3");
  s.count_modem("m1", 1, 0, 0);
  Advance last;
  last.finished = finished(Finished::Kind::sent, claimed->id, {}, 0, {10});
  last.claim = true;
  CHECK_FALSE(s.advance("m1", last, kSendAll));   // the queue ran dry: written now
  CHECK(scalar(s, "SELECT sent FROM modems WHERE id = 'm1'") == "5");
  CHECK(s.modems().at(0).sent == 5);   // nothing counted twice
}

TEST_CASE("claim_data_version is read inside the claim: only other connections' later commits differ from it",
          "[db][advance]") {
  TempDb t;
  Store s = t.open();
  Store other = t.open();
  insert(other, "'10086', 'a'");
  insert(other, "'10086', 'b'");
  REQUIRE(s.claim_next("m1", kSendAll));
  // The claim's own commit does not change this connection's data_version.
  CHECK(s.data_version() == s.claim_data_version());
  insert(other, "'10086', 'c'");
  CHECK(s.data_version() != s.claim_data_version());

  Advance a;
  a.claim = true;
  REQUIRE(s.advance("m1", a, kSendAll));
  CHECK(s.data_version() == s.claim_data_version());   // c's insert is now behind the claim
}
