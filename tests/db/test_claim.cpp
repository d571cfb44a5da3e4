// claim_next: order, due time, modem preference, the gate, rollback.
#include <catch2/catch.hpp>

#include "tests/db/temp_db.hpp"

using namespace sms::db;
using namespace sms::db::test;

namespace {
std::vector<std::int64_t> drain(Store& s, std::string_view modem, const Gate& gate = kSendAll) {
  std::vector<std::int64_t> ids;
  while (auto r = s.claim_next(modem, gate)) ids.push_back(r->id);
  return ids;
}
}  // namespace

TEST_CASE("claim order: highest priority first, then oldest", "[db][claim]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'1', 'a', 0", "recipient, text, priority");   // 1
  insert(s, "'1', 'b', 5", "recipient, text, priority");   // 2
  insert(s, "'1', 'c', 0", "recipient, text, priority");   // 3
  insert(s, "'1', 'd', 5", "recipient, text, priority");   // 4
  insert(s, "'1', 'e', -1", "recipient, text, priority");  // 5
  insert(s, "'1', 'f', 9", "recipient, text, priority");   // 6
  CHECK(drain(s, "m1") == std::vector<std::int64_t>{6, 2, 4, 1, 3, 5});
}

TEST_CASE("claim marks the row sending, counts the attempt and names the modem", "[db][claim]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'+8613800138000', '您好', 1, 1, 30, 'order-7'",
         "recipient, text, status_report, flash, validity_minutes, ref");
  auto r = s.claim_next("m1", kSendAll);
  REQUIRE(r);
  CHECK(r->status == "sending");
  CHECK(r->attempts == 1);
  CHECK(r->claimed_by == "m1");
  CHECK(r->status_report);
  CHECK(r->flash);
  CHECK(r->validity_minutes == 30);
  CHECK(r->ref == "order-7");
  auto stored = s.get_out(r->id);
  CHECK(stored->status == "sending");
  CHECK(stored->attempts == 1);
  CHECK(stored->claimed_by == "m1");
  CHECK_FALSE(stored->handed);
  CHECK_FALSE(s.claim_next("m2", kSendAll));   // nobody else gets it
}

TEST_CASE("rows scheduled in the future wait; next_due_time tells when", "[db][claim]") {
  TempDb t;
  Store s = t.open();
  std::string later = utc_in(3600), past = utc_in(-60);
  insert(s, "'1', 'later', '" + later + "', 9", "recipient, text, send_at, priority");
  insert(s, "'1', 'past', '" + past + "'", "recipient, text, send_at");
  insert(s, "'1', 'now'", "recipient, text");
  CHECK(drain(s, "m1") == std::vector<std::int64_t>{2, 3});
  CHECK(s.next_due_time() == later);
  CHECK(s.get_out(1)->status == "queued");
}

TEST_CASE("the modem column restricts which worker may send a row", "[db][claim]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'1', 'for m2', 'm2'", "recipient, text, modem");
  insert(s, "'1', 'any'", "recipient, text");
  insert(s, "'1', 'for m1', 'm1'", "recipient, text, modem");
  insert(s, "'1', 'empty = any', ''", "recipient, text, modem");
  CHECK(drain(s, "m1") == std::vector<std::int64_t>{2, 3, 4});
  CHECK(drain(s, "m2") == std::vector<std::int64_t>{1});
}

TEST_CASE("gate reject fails the row with the reason and claims the next one", "[db][claim][gate]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'', 'no number'");
  insert(s, "'10086', 'fine'");
  std::vector<std::int64_t> asked;
  Gate gate = [&](const OutRow& r) {
    asked.push_back(r.id);
    if (r.recipient.empty()) return Verdict::reject("recipient is empty");
    return Verdict::send_now();
  };
  auto r = s.claim_next("m1", gate);
  REQUIRE(r);
  CHECK(r->id == 2);
  CHECK(asked == std::vector<std::int64_t>{1, 2});
  auto bad = s.get_out(1);
  CHECK(bad->status == "failed");
  CHECK(bad->last_error == "recipient is empty");
  CHECK(bad->attempts == 0);
}

TEST_CASE("gate defer moves send_at and keeps the row queued", "[db][claim][gate]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'10086', 'quiet hours'");
  insert(s, "'10010', 'fine'");
  const std::string until = utc_in(7200);
  Gate gate = [&](const OutRow& r) {
    if (r.recipient == "10086") return Verdict::defer_until(until, "quiet hours until 08:00");
    return Verdict::send_now();
  };
  CHECK(drain(s, "m1", gate) == std::vector<std::int64_t>{2});
  auto d = s.get_out(1);
  CHECK(d->status == "queued");
  CHECK(d->send_at == until);
  CHECK(d->last_error == "quiet hours until 08:00");
  CHECK(s.next_due_time() == until);

  // A defer into the past would hand the same row back forever: it is pushed
  // at least a second ahead.
  insert(s, "'10000', 'odd gate'");
  Gate past = [](const OutRow&) { return Verdict::defer_until("2000-01-01 00:00:00", "odd"); };
  CHECK_FALSE(s.claim_next("m1", past));
  CHECK(s.get_out(3)->send_at > utc_now().substr(0, 19));
}

TEST_CASE("an error inside the claim transaction leaves nothing half-written", "[db][claim][rollback]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'', 'bad'");
  insert(s, "'10086', 'boom'");
  Gate gate = [](const OutRow& r) -> Verdict {
    if (r.recipient.empty()) return Verdict::reject("recipient is empty");
    throw std::runtime_error("gate broke");
  };
  CHECK_THROWS_WITH(s.claim_next("m1", gate), "gate broke");
  // The reject of row 1 was in the same transaction: rolled back too.
  CHECK(s.get_out(1)->status == "queued");
  CHECK(s.get_out(1)->last_error.empty());
  CHECK(s.get_out(2)->status == "queued");
  // The connection is usable afterwards.
  CHECK(drain(s, "m1") == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("a claim with nothing due returns nullopt", "[db][claim]") {
  TempDb t;
  Store s = t.open();
  CHECK_FALSE(s.claim_next("m1", kSendAll));
  CHECK(s.next_due_time().empty());
  insert(s, "'1', 'x'");
  exec(s, "UPDATE outbox SET status = 'sent'");
  CHECK_FALSE(s.claim_next("m1", kSendAll));
}

TEST_CASE("the claim query walks the claim index", "[db][claim]") {
  TempDb t;
  Store s = t.open();
  std::string plan;
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(s.handle(),
                             "EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE status = 'queued' AND"
                             " (send_at IS NULL OR send_at <= '2026') AND (modem IS NULL OR modem = '' OR"
                             " modem = 'm1') ORDER BY priority DESC, id LIMIT 1",
                             -1, &st, nullptr) == SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) plan += reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
  sqlite3_finalize(st);
  CHECK_THAT(plan, Catch::Contains("outbox_claim"));
  CHECK_THAT(plan, !Catch::Contains("TEMP B-TREE"));
}
