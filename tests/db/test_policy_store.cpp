// The sending policy's tables (schema 5): what the claim does with each
// kind of verdict, the counters' bookkeeping, lists, opt-out, approval,
// the audit log and retention.
#include <catch2/catch.hpp>

#include "tests/db/temp_db.hpp"

using namespace sms::db;
using sms::db::test::exec;
using sms::db::test::scalar;
using sms::db::test::TempDb;

namespace {

std::string one(Store& s, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(s.handle(), sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return out;
}

std::int64_t queue(Store& s, const std::string& to, const std::string& text, const char* kind = nullptr,
                   std::int64_t batch = 0, const std::string& by = "") {
  OutRow r;
  r.recipient = to;
  r.text = text;
  if (kind) r.kind = kind;
  r.batch = batch;
  r.submitted_by = by;
  return s.enqueue(r);
}

Verdict sending(std::vector<std::string> keys, std::string text = {}) {
  Verdict v;
  v.kind_name = "bulk";
  v.count = std::move(keys);
  v.text = std::move(text);
  return v;
}

}  // namespace

TEST_CASE("schema 5: new statuses and columns; the minimal INSERT still works", "[db][policy]") {
  TempDb t;
  auto s = t.open();
  CHECK(s.schema_version() >= 5);
  exec(s, "INSERT INTO outbox(recipient, text) VALUES ('+8613955112345', '您好')");
  exec(s, "INSERT INTO outbox(recipient, text, kind, batch, submitted_by) VALUES ('13955112345', 'x', 'bulk', 7, 'li')");
  for (const char* st : {"blocked", "pending_approval", "rejected", "held"})
    exec(s, std::string("UPDATE outbox SET status = '") + st + "' WHERE id = 2");
  CHECK_THROWS(exec(s, "UPDATE outbox SET status = 'bogus' WHERE id = 2"));
  auto r = s.get_out(2);
  REQUIRE(r);
  CHECK(*r->kind == "bulk");
  CHECK(r->batch == 7);
  CHECK(r->submitted_by == "li");
  CHECK_FALSE(s.get_out(1)->kind);
  // Foreign keys are back on after the migrations.
  CHECK(one(s, "PRAGMA foreign_keys") == "1");
}

TEST_CASE("claim: a send verdict writes the final text, the kind and the counters", "[db][policy]") {
  TempDb t;
  auto s = t.open();
  auto id = queue(s, "13955112345", "周末特惠");
  const std::vector<std::string> keys{"r|bulk|d|2026-12-07|+8613955112345", "t|bulk|d|2026-12-07?r|bulk|d|2026-12-07|+8613955112345"};
  auto row = s.claim_next("m1", [&](const OutRow&) { return sending(keys, "周末特惠【某某公司】"); });
  REQUIRE(row);
  CHECK(row->id == id);
  CHECK(row->text == "周末特惠【某某公司】");
  CHECK(s.get_out(id)->text == "周末特惠【某某公司】");
  CHECK(*s.get_out(id)->kind == "bulk");
  CHECK(s.counter("r|bulk|d|2026-12-07|+8613955112345") == 1);
  CHECK(s.counter("t|bulk|d|2026-12-07") == 1);
  CHECK(s.counter("t|bulk|d|2026-12-07?r|bulk|d|2026-12-07|+8613955112345") == 0);

  SECTION("a temporary failure gives the counts back") {
    s.record_retry(id, "modem busy", 0);
    CHECK(s.counter("r|bulk|d|2026-12-07|+8613955112345") == 0);
    CHECK(s.counter("t|bulk|d|2026-12-07") == 0);
    CHECK(s.get_out(id)->counted.empty());
  }
  SECTION("a failure gives them back too") {
    s.record_failed(id, "+CMS ERROR: 500");
    CHECK(s.counter("r|bulk|d|2026-12-07|+8613955112345") == 0);
  }
  SECTION("sent: the counts stay") {
    s.record_sent(id, "m1", {17});
    CHECK(s.counter("r|bulk|d|2026-12-07|+8613955112345") == 1);
    CHECK(s.counter("t|bulk|d|2026-12-07") == 1);
  }
  SECTION("given back before it was handed: not counted") {
    s.give_back(id);
    CHECK(s.counter("r|bulk|d|2026-12-07|+8613955112345") == 0);
    CHECK(s.get_out(id)->status == "queued");
  }
  SECTION("a crash before the modem got it: recovery takes the counts back") {
    auto r = s.recover({"m1"});
    CHECK(r.requeued == 1);
    CHECK(s.counter("r|bulk|d|2026-12-07|+8613955112345") == 0);
  }
}

TEST_CASE("claim: the distinct-recipient count drops only with the recipient's last message", "[db][policy]") {
  TempDb t;
  auto s = t.open();
  const std::string r = "r|bulk|d|2026-12-07|+8613955112345";
  auto a = queue(s, "13955112345", "一");
  auto b = queue(s, "13955112345", "二");
  REQUIRE(s.claim_next("m1", [&](const OutRow&) { return sending({r, "t|bulk|d|2026-12-07?" + r}); })->id == a);
  // The second one: the recipient was already counted in the total.
  REQUIRE(s.claim_next("m1", [&](const OutRow&) { return sending({r}); })->id == b);
  CHECK(s.counter(r) == 2);
  CHECK(s.counter("t|bulk|d|2026-12-07") == 1);
  s.record_failed(a, "rejected by the network");
  CHECK(s.counter(r) == 1);
  CHECK(s.counter("t|bulk|d|2026-12-07") == 1);   // b still counts the recipient
  s.record_failed(b, "rejected by the network");
  CHECK(s.counter(r) == 0);
}

TEST_CASE("claim: block, approval and defer are recorded with reasons and audited", "[db][policy]") {
  TempDb t;
  auto s = t.open();
  auto blocked = queue(s, "13900000001", "a");
  auto waiting = queue(s, "13900000002", "b");
  auto later = queue(s, "13900000003", "c");
  auto gate = [&](const OutRow& row) {
    Verdict v;
    v.kind_name = "bulk";
    if (row.id == blocked) v.kind = Verdict::Kind::block, v.rule = "blacklist", v.reason = "on the blacklist";
    if (row.id == waiting) v.kind = Verdict::Kind::approval, v.rule = "approval", v.reason = "needs approval";
    if (row.id == later)
      v.kind = Verdict::Kind::defer, v.rule = "quiet", v.reason = "quiet hours", v.until = "2999-01-01 00:00:00.000";
    return v;
  };
  CHECK_FALSE(s.claim_next("m1", gate));
  CHECK(s.get_out(blocked)->status == "blocked");
  CHECK(s.get_out(blocked)->reason == "on the blacklist");
  CHECK(s.get_out(waiting)->status == "pending_approval");
  CHECK(s.get_out(later)->status == "queued");
  CHECK(s.get_out(later)->reason == "quiet hours");
  CHECK(s.get_out(later)->last_error.empty());
  CHECK(s.get_out(later)->send_at == "2999-01-01 00:00:00.000");
  auto log = s.find_audit({});
  REQUIRE(log.size() == 3);
  CHECK(log[0].action == "blocked");
  CHECK(log[0].object == "outbox:" + std::to_string(blocked));
  CHECK(log[0].details == "blacklist: on the blacklist");
  CHECK(log[1].action == "pending_approval");
  CHECK(log[2].action == "deferred");

  SECTION("the same deferral again is not audited twice") {
    exec(s, "UPDATE outbox SET send_at = NULL WHERE id = " + std::to_string(later));
    CHECK_FALSE(s.claim_next("m1", gate));
    CHECK(s.find_audit({}).size() == 3);
  }
  SECTION("blocked and pending rows can be cancelled; blocked ones retried") {
    CHECK(s.cancel(waiting));
    CHECK(s.retry(blocked));
    CHECK(s.get_out(blocked)->status == "queued");
  }
}

TEST_CASE("claim: pass leaves the row for other modems and skips its kind", "[db][policy]") {
  TempDb t;
  auto s = t.open();
  auto bulk1 = queue(s, "13900000001", "a", "bulk");
  auto bulk2 = queue(s, "13900000002", "b");          // NULL kind = the default, bulk here
  auto notice = queue(s, "13900000003", "c", "notice");
  int asked = 0;
  auto full = [&](const OutRow& row) {
    ++asked;
    Verdict v;
    if (row.kind.value_or("bulk") == "bulk") {
      v.kind = Verdict::Kind::pass;
      v.pass_kind = "bulk";
      v.pass_default = "bulk";   // what NULL means
      v.rule = "limit";
      v.reason = "modem m1 sent 200 bulk messages this hour";
    }
    return v;
  };
  auto row = s.claim_next("m1", full);
  REQUIRE(row);
  CHECK(row->id == notice);
  CHECK(asked == 2);   // bulk1 was asked, bulk2 skipped in SQL, then the notice
  CHECK(s.get_out(bulk1)->status == "queued");
  CHECK(s.get_out(bulk1)->reason == "modem m1 sent 200 bulk messages this hour");
  CHECK(s.get_out(bulk2)->status == "queued");
  // Another modem with room takes it.
  auto other = s.claim_next("m2", [](const OutRow&) { return Verdict::send_now(); });
  REQUIRE(other);
  CHECK(other->id == bulk1);
}

TEST_CASE("lists: add, duplicates, remove, entries, one audit row per call", "[db][policy]") {
  TempDb t;
  auto s = t.open();
  auto r = s.list_add("whitelist", {"+8613955112345", "+8613955112346", "+8613955112345"}, "客户", "smsctl", "li");
  CHECK(r.added == 2);
  CHECK(r.duplicate == 1);
  CHECK(s.number_lists("+8613955112345") == 1u);
  s.list_add("blacklist", {"+8613955112345"}, "", "smsctl", "li");
  CHECK(s.number_lists("+8613955112345") == 3u);
  CHECK(s.number_lists("+8613800000000") == 0u);
  auto rm = s.list_remove("whitelist", {"+8613955112345", "+8613800000000"}, "wang");
  CHECK(rm.removed == 1);
  CHECK(rm.missing == 1);
  auto e = s.list_entries("whitelist");
  REQUIRE(e.size() == 1);
  CHECK(e[0].number == "+8613955112346");
  CHECK(e[0].note == "客户");
  CHECK(e[0].added_by == "li");
  CHECK_THROWS_AS(s.list_add("greylist", {"+8613955112345"}, "", "", "li"), StoreError);
  auto log = s.find_audit({});
  REQUIRE(log.size() == 3);
  CHECK(log[0].action == "whitelist add");
  CHECK(log[0].actor == "li");
  CHECK(log[2].action == "whitelist remove");
  CHECK(log[2].actor == "wang");
  Store::AuditQuery q;
  q.actor = "wang";
  CHECK(s.find_audit(q).size() == 1);
}

TEST_CASE("lists: a long add (a hundred numbers a statement) counts duplicates in the table and in the list", "[db][policy]") {
  TempDb t;
  auto s = t.open();
  s.list_add("whitelist", {"+8613955110005", "+8613955110150"}, "", "smsctl", "li");   // already listed
  std::vector<std::string> numbers;
  for (int i = 0; i < 230; ++i) numbers.push_back("+86139551" + std::to_string(10000 + i));
  numbers.push_back("+8613955110099");   // again, in the same hundred as its first time
  numbers.insert(numbers.begin() + 100, "+8613955110000");   // again, in the next hundred
  numbers.push_back("+8613955110229");   // again, in the tail (one by one)
  REQUIRE(numbers.size() == 233);
  auto r = s.list_add("whitelist", numbers, "导入", "import a.txt", "li");
  CHECK(r.added == 228);      // 230 distinct, 2 of them listed before
  CHECK(r.duplicate == 5);
  CHECK(scalar(s, "SELECT count(*) FROM number_lists WHERE list = 'whitelist'") == "230");
  CHECK(scalar(s, "SELECT count(*) FROM number_lists WHERE note = '导入' AND source = 'import a.txt'"
                  " AND added_by = 'li'") == "228");
  CHECK(s.number_lists("+8613955110229") == 1u);
  CHECK(s.number_lists("+8613955110230") == 0u);
}

TEST_CASE("opt-out: list, waiting rows blocked, reply queued exempt, audited; once only", "[db][policy]") {
  TempDb t;
  auto s = t.open();
  auto bulk = queue(s, "13955112345", "促销", "bulk");
  auto dflt = queue(s, "+86 139 5511 2345", "促销");      // NULL kind: default bulk
  auto notice = queue(s, "13955112345", "验证码 1234", "notice");
  auto other = queue(s, "13800138000", "促销", "bulk");
  exec(s, "INSERT INTO inbox(sender, text, received_at) VALUES ('+8613955112345', 'TD', '2026-12-07 06:00:00')");
  auto same = [](const std::string& r) { return number_digits(r).ends_with("13955112345"); };
  auto o = s.record_optout("+8613955112345", 1, "TD", {"bulk"}, "bulk", same, "+8613955112345", "您已退订。");
  CHECK(o.added);
  CHECK(o.blocked == 2);
  CHECK(s.get_out(bulk)->status == "blocked");
  CHECK(s.get_out(dflt)->status == "blocked");
  CHECK(s.get_out(notice)->status == "queued");
  CHECK(s.get_out(other)->status == "queued");
  REQUIRE(o.reply_id);
  auto reply = s.get_out(o.reply_id);
  CHECK(reply->text == "您已退订。");
  CHECK(*reply->kind == "notice");
  CHECK(reply->submitted_by == "smserver");
  CHECK(s.number_lists("+8613955112345") == 4u);
  CHECK(s.list_entries("optout")[0].inbox_id == 1);
  auto again = s.record_optout("+8613955112345", 2, "退订", {"bulk"}, "bulk", same, "+8613955112345", "您已退订。");
  CHECK_FALSE(again.added);
  CHECK(again.reply_id == 0);
  Store::AuditQuery q;
  q.action = "optout";
  CHECK(s.find_audit(q).size() == 2);
}

TEST_CASE("approval: four eyes, reject keeps the note, only pending rows", "[db][policy]") {
  TempDb t;
  auto s = t.open();
  auto batch = s.create_batch("li", "bulk", "元旦问候");
  auto a = queue(s, "13900000001", "新年好", "bulk", batch, "li");
  auto b = queue(s, "13900000002", "新年好", "bulk", batch, "li");
  auto c = queue(s, "13900000003", "新年好", "bulk", batch, "li");
  exec(s, "UPDATE outbox SET status = 'pending_approval' WHERE batch = " + std::to_string(batch));
  CHECK(s.batch_rows(batch, 100) == 3);
  CHECK(s.batch_rows(batch, 2) == 2);
  CHECK(s.pending_approval().size() == 3);
  CHECK(s.batch_ids(batch, "pending_approval") == std::vector<std::int64_t>{a, b, c});

  auto own = s.approve({a}, "li", "", true);
  CHECK(own.changed.empty());
  REQUIRE(own.refused.size() == 1);
  CHECK(own.refused[0].second.find("four-eyes") != std::string::npos);

  auto ok = s.approve({a, b}, "wang", "同意", true);
  CHECK(ok.changed == std::vector<std::int64_t>{a, b});
  CHECK(s.get_out(a)->status == "queued");
  CHECK(s.get_out(a)->approved_by == "wang");
  CHECK_FALSE(s.get_out(a)->approved_at.empty());

  auto no = s.reject({c, a}, "wang", "内容不合规");
  CHECK(no.changed == std::vector<std::int64_t>{c});
  REQUIRE(no.refused.size() == 1);
  CHECK(no.refused[0].second.find("not waiting for approval") != std::string::npos);
  CHECK(s.get_out(c)->status == "rejected");
  CHECK(s.get_out(c)->reason.find("内容不合规") != std::string::npos);

  Store::AuditQuery q;
  q.objects = {"outbox:" + std::to_string(c)};
  auto h = s.find_audit(q);
  REQUIRE(h.size() == 1);
  CHECK(h[0].action == "reject");
  CHECK(h[0].details == "内容不合规");
}

TEST_CASE("retention: old audit entries and terminal rows go, waiting rows stay", "[db][policy]") {
  TempDb t;
  auto s = t.open();
  s.audit("li", "send", "outbox:1", "old");
  exec(s, "UPDATE audit SET at = '2020-01-01 00:00:00.000'");
  s.audit("li", "send", "outbox:2", "new");
  exec(s, "INSERT INTO outbox(recipient, text, status, updated_at) VALUES"
          " ('1', 'a', 'sent', '2020-01-01 00:00:00'), ('2', 'b', 'queued', '2020-01-01 00:00:00'),"
          " ('3', 'c', 'pending_approval', '2020-01-01 00:00:00'), ('4', 'd', 'sent', datetime('now'))");
  exec(s, "INSERT INTO inbox(sender, text, received_at, stored_at) VALUES ('1', 'x', '2020-01-01', '2020-01-01')");
  SECTION("0 keeps everything") {
    auto p = s.purge(0, 0);
    CHECK(p.audit == 0);
    CHECK(p.outbox == 0);
  }
  SECTION("audit 180 days, messages 30 days") {
    auto p = s.purge(180, 30);
    CHECK(p.audit == 1);
    CHECK(p.outbox == 1);
    CHECK(p.inbox == 1);
    CHECK(one(s, "SELECT group_concat(recipient) FROM outbox ORDER BY id") == "2,3,4");
    // The purge itself is audited.
    Store::AuditQuery q;
    q.action = "purge";
    CHECK(s.find_audit(q).size() == 1);
  }
}

namespace {
// A claim the way a draining worker makes it: through advance(), whose
// counter writes wait for the once-a-second flush (just done, so not due).
std::optional<OutRow> claim_while_draining(Store& s, const Gate& gate) {
  s.set_count_interval(std::chrono::hours(1));
  s.count_modem("m1", 0, 0, 0);
  s.flush_counts();
  Advance a;
  a.claim = true;
  return s.advance("m1", a, gate);
}
}  // namespace

TEST_CASE("shared counters: workers see each other's counts at once; the table a flush later", "[db][policy]") {
  TempDb t;
  auto a = t.open();
  auto b = t.open();
  auto cache = std::make_shared<CounterCache>();
  a.set_counter_cache(cache);
  b.set_counter_cache(cache);
  const std::string r = "r|bulk|d|2026-12-07|+8613955112345";
  auto first = queue(a, "13955112345", "一");
  queue(a, "13800138000", "二");
  REQUIRE(claim_while_draining(a, [&](const OutRow&) { return sending({r}); })->id == first);
  // The other worker's next claim already sees the count...
  CHECK(b.counter(r) == 1);
  std::vector<std::int64_t> n;
  b.counters({r, "r|bulk|d|2026-12-07|+8613800138000"}, n);
  CHECK(n == std::vector<std::int64_t>{1, 0});
  // ...the table not yet (written with the modem counters, at most once a second).
  CHECK(one(a, "SELECT n FROM policy_counters WHERE key = '" + r + "'").empty());
  a.flush_counts();
  CHECK(one(a, "SELECT n FROM policy_counters WHERE key = '" + r + "'") == "1");
  CHECK_FALSE(one(a, "SELECT updated_at FROM policy_counters WHERE key = '#flushed'").empty());
  CHECK(b.counter(r) == 1);   // not counted twice after the flush

  SECTION("a failure takes it back, in memory and then in the table") {
    a.record_failed(first, "rejected");
    CHECK(b.counter(r) == 0);
    a.flush_counts();
    CHECK(one(a, "SELECT n FROM policy_counters WHERE key = '" + r + "'") == "0");
  }
}

TEST_CASE("shared counters: a flush of many keys (32 a statement) writes each key's count", "[db][policy]") {
  TempDb t;
  auto a = t.open();
  auto cache = std::make_shared<CounterCache>();
  a.set_counter_cache(cache);
  exec(a, "INSERT INTO policy_counters(key, n, updated_at) VALUES ('t|bulk|d|2026-12-07', 5, 'x')");
  // 70 recipients (two full statements and a tail), each message also
  // counting the day's total, already 5 in the table.
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 70; ++i) ids.push_back(queue(a, "+86139551" + std::to_string(10000 + i), "群发"));
  int claimed = 0;
  while (auto row = a.claim_next("m1", [](const OutRow& r) {
           return sending({"r|bulk|d|2026-12-07|" + r.recipient, "t|bulk|d|2026-12-07"});
         })) {
    a.record_sent(row->id, "m1", {claimed});
    ++claimed;
  }
  REQUIRE(claimed == 70);
  a.flush_counts();
  CHECK(one(a, "SELECT count(*) FROM policy_counters WHERE key LIKE 'r|%' AND n = 1") == "70");
  CHECK(one(a, "SELECT n FROM policy_counters WHERE key = 't|bulk|d|2026-12-07'") == "75");
  CHECK(one(a, "SELECT n FROM policy_counters WHERE key = 'r|bulk|d|2026-12-07|+8613955110069'") == "1");
  // A message taken back after the flush: subtracted alone.
  a.record_failed(ids[0], "rejected later");
  a.flush_counts();
  CHECK(one(a, "SELECT n FROM policy_counters WHERE key = 'r|bulk|d|2026-12-07|+8613955110000'") == "0");
}

TEST_CASE("shared counters: a crash before the flush is recovered from the rows", "[db][policy]") {
  TempDb t;
  const std::string r1 = "r|bulk|d|2026-12-07|+8613955112345", r2 = "r|bulk|d|2026-12-07|+8613800138000";
  const std::string tk = "t|bulk|d|2026-12-07";
  {
    auto cache = std::make_shared<CounterCache>();
    auto s = t.open();
    s.set_counter_cache(cache);
    auto x = queue(s, "13955112345", "一");
    auto y = queue(s, "13800138000", "二");
    REQUIRE(s.claim_next("m1", [&](const OutRow&) { return sending({r1, tk + "?" + r1}); })->id == x);
    s.flush_counts();   // the watermark
    exec(s, "UPDATE policy_counters SET updated_at = '2026-01-01 00:00:00.000' WHERE key = '#flushed'");
    exec(s, "UPDATE outbox SET counted_at = '2025-12-31 00:00:00.000' WHERE id = " + std::to_string(x));
    REQUIRE(claim_while_draining(s, [&](const OutRow&) { return sending({r2, tk + "?" + r2}); })->id == y);
    // The crash: the process dies with y's counts only in memory (y was
    // handed to the modem: 'sending', handed = 1).
    s.mark_handed(y);
    s.set_counter_cache(nullptr);
  }
  auto s = t.open();
  CHECK(s.counter(r2) == 0);
  CHECK(s.recover_policy_counters() == 1);   // y only: x was flushed before the watermark
  CHECK(s.counter(r1) == 1);
  CHECK(s.counter(r2) == 1);
  CHECK(s.counter(tk) == 2);
  CHECK(s.recover_policy_counters() == 0);   // the watermark moved: not twice
  // Then the usual recovery: x never reached the modem (queued again, its
  // counts taken back); y may have gone out (unknown), so it still counts.
  auto rec = s.recover({"m1"});
  CHECK(rec.requeued == 1);
  CHECK(rec.unknown == 1);
  CHECK(s.counter(r1) == 0);
  CHECK(s.counter(r2) == 1);
  CHECK(s.counter(tk) == 1);
}
