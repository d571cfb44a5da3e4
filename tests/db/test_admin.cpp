// Admin actions and queries: cancel/retry rules, processed, time ranges,
// modems, stats, enqueue.
#include <catch2/catch.hpp>

#include "tests/db/temp_db.hpp"

using namespace sms::db;
using namespace sms::db::test;

TEST_CASE("cancel and retry follow the documented transitions", "[db][admin]") {
  struct Case {
    std::string_view from;
    bool cancel_ok;
    bool retry_ok;
  } cases[] = {
      {kQueued, true, false},     {kSending, false, false},  {kSent, false, false},
      {kDelivered, false, false}, {kUndelivered, false, false}, {kFailed, true, true},
      {kCancelled, false, true},  {kUnknown, true, true},
  };
  for (const auto& c : cases) {
    INFO("from " << c.from);
    TempDb t;
    Store s = t.open();
    auto id = insert(s, "'10086', 'x', '" + std::string(c.from) + "', 3, 'm1'",
                     "recipient, text, status, attempts, claimed_by");
    std::string why;
    CHECK(s.cancel(id, &why) == c.cancel_ok);
    if (c.cancel_ok) {
      CHECK(s.get_out(id)->status == "cancelled");
      CHECK_THAT(s.get_out(id)->last_error, Catch::Contains("cancelled by an administrator"));
    } else {
      CHECK_THAT(why, Catch::Contains(std::string(c.from)));
      CHECK(s.get_out(id)->status == c.from);
    }
    exec(s, "UPDATE outbox SET status = '" + std::string(c.from) + "' WHERE id = " + std::to_string(id));
    why.clear();
    CHECK(s.retry(id, &why) == c.retry_ok);
    if (c.retry_ok) {
      auto o = s.get_out(id);
      CHECK(o->status == "queued");
      CHECK(o->attempts == 0);
      CHECK(o->claimed_by.empty());
      CHECK(o->send_at.empty());
    } else {
      CHECK_FALSE(why.empty());
    }
  }
}

TEST_CASE("cancel and retry of a missing id say so", "[db][admin]") {
  TempDb t;
  Store s = t.open();
  std::string why;
  CHECK_FALSE(s.cancel(77, &why));
  CHECK(why == "no outbox row with id 77");
  CHECK_FALSE(s.retry(77, &why));
  CHECK_FALSE(s.cancel(77));   // why is optional
}

TEST_CASE("a sending row cannot be cancelled, and the reason names the modem", "[db][admin]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'10086', 'x'");
  auto r = s.claim_next("m2", kSendAll);
  std::string why;
  CHECK_FALSE(s.cancel(r->id, &why));
  CHECK_THAT(why, Catch::Contains("m2"));
}

TEST_CASE("set_processed marks inbox rows", "[db][admin]") {
  TempDb t;
  Store s = t.open();
  InboundPart p;
  p.sender = "10086";
  p.text = "x";
  p.received_at = "2026-11-23 08:00:00";
  auto id = s.store_inbound(p).inbox_id;
  CHECK(s.find_in("", "", true).size() == 1);
  CHECK(s.set_processed(id));
  CHECK(s.get_in(id)->processed);
  CHECK(s.find_in("", "", true).empty());
  CHECK(s.find_in("", "", false).size() == 1);
  CHECK(s.set_processed(id, false));
  CHECK_FALSE(s.get_in(id)->processed);
  CHECK_FALSE(s.set_processed(id + 100));
}

TEST_CASE("find_out and find_in select a half-open UTC time range", "[db][admin]") {
  TempDb t;
  Store s = t.open();
  for (const char* at : {"2026-11-22 23:59:59.999", "2026-11-23 00:00:00.000", "2026-11-23 12:00:00.000",
                         "2026-11-24 00:00:00.000"}) {
    insert(s, std::string("'1', 'x', '") + at + "'", "recipient, text, created_at");
    InboundPart p;
    p.sender = "1";
    p.text = at;
    p.received_at = at;
    s.store_inbound(p);
  }
  exec(s, "UPDATE outbox SET status = 'failed' WHERE id = 3");
  CHECK(s.find_out("2026-11-23 00:00:00", "2026-11-24 00:00:00").size() == 2);
  CHECK(s.find_out("2026-11-23 00:00:00", "").size() == 3);
  CHECK(s.find_out("", "").size() == 4);
  auto failed = s.find_out("", "", "failed");
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].id == 3);
  auto in = s.find_in("2026-11-23 00:00:00", "2026-11-24 00:00:00");
  REQUIRE(in.size() == 2);
  CHECK(in[0].received_at == "2026-11-23 00:00:00.000");
  CHECK(in[1].received_at == "2026-11-23 12:00:00.000");
}

TEST_CASE("modems rows are upserted and counted", "[db][admin]") {
  TempDb t;
  Store s = t.open();
  ModemRow m;
  m.id = "m1";
  m.port = "/dev/ttyUSB0";
  m.state = "starting";
  s.upsert_modem(m);
  s.count_modem("m1", 3, 1, 2);
  m.state = "ready";
  m.operator_name = "CHINA MOBILE";
  m.signal_dbm = -71;
  m.imei = "867123456789012";
  s.upsert_modem(m);   // identity updates keep the counters
  s.count_modem("m1", 1, 0, 0);
  s.count_modem("m2", 0, 0, 1);   // a row is created on first count
  auto rows = s.modems();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].id == "m1");
  CHECK(rows[0].state == "ready");
  CHECK(rows[0].operator_name == "CHINA MOBILE");
  CHECK(rows[0].signal_dbm == -71);
  CHECK(rows[0].sent == 4);
  CHECK(rows[0].failed == 1);
  CHECK(rows[0].received == 2);
  CHECK_FALSE(rows[0].last_seen.empty());
  CHECK(rows[1].id == "m2");
  CHECK_FALSE(rows[1].signal_dbm);
}

TEST_CASE("stats count per total, day and modem", "[db][admin][stats]") {
  TempDb t;
  Store s = t.open();
  exec(s, "INSERT INTO outbox(recipient, text, status, sent_at, sent_by, claimed_by, updated_at) VALUES"
          " ('1','a','sent',       '2026-11-22 10:00:00', 'm1', 'm1', '2026-11-22 10:00:00'),"
          " ('1','b','delivered',  '2026-11-22 11:00:00', 'm2', 'm2', '2026-11-22 11:00:00'),"
          " ('1','c','undelivered','2026-11-23 10:00:00', 'm1', 'm1', '2026-11-23 10:00:00'),"
          " ('1','d','failed',     NULL,                  NULL, 'm2', '2026-11-23 11:00:00'),"
          " ('1','e','queued',     NULL,                  NULL, NULL, '2026-11-23 11:00:00')");
  exec(s, "INSERT INTO inbox(sender, text, received_at, modem) VALUES"
          " ('1','x','2026-11-22 09:00:00','m1'), ('1','y','2026-11-23 09:00:00','m2'),"
          " ('1','z','2026-11-23 09:30:00','m2')");
  auto total = s.stats("", "", "");
  REQUIRE(total.size() == 1);
  CHECK(total[0].key == "");
  CHECK(total[0].sent == 3);
  CHECK(total[0].delivered == 1);
  CHECK(total[0].undelivered == 1);
  CHECK(total[0].failed == 1);
  CHECK(total[0].received == 3);

  auto days = s.stats("", "", "day");
  REQUIRE(days.size() == 2);
  CHECK(days[0].key == "2026-11-22");
  CHECK(days[0].sent == 2);
  CHECK(days[0].received == 1);
  CHECK(days[1].key == "2026-11-23");
  CHECK(days[1].sent == 1);
  CHECK(days[1].failed == 1);
  CHECK(days[1].received == 2);

  auto modems = s.stats("", "", "modem");
  REQUIRE(modems.size() == 2);
  CHECK(modems[0].key == "m1");
  CHECK(modems[0].sent == 2);
  CHECK(modems[0].received == 1);
  CHECK(modems[1].key == "m2");
  CHECK(modems[1].sent == 1);
  CHECK(modems[1].failed == 1);

  auto one_day = s.stats("2026-11-23 00:00:00", "2026-11-24 00:00:00", "");
  REQUIRE(one_day.size() == 1);
  CHECK(one_day[0].sent == 1);
  CHECK(one_day[0].failed == 1);
  CHECK(one_day[0].received == 2);

  auto empty = s.stats("2030-01-01", "2030-01-02", "");
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].sent == 0);
  CHECK_THROWS_AS(s.stats("", "", "week"), StoreError);
  CHECK(s.queue_depth() == 1);
}

TEST_CASE("enqueue and enqueue_many write every integrator field", "[db][admin]") {
  TempDb t;
  Store s = t.open();
  OutRow r;
  r.recipient = "+8613800138000";
  r.text = "你好";
  r.priority = 4;
  r.send_at = "2026-11-23 08:00:00.000";
  r.modem = "m2";
  r.status_report = true;
  r.flash = true;
  r.validity_minutes = 1440;
  r.ref = "crm-1";
  auto id = s.enqueue(r);
  auto o = s.get_out(id);
  CHECK(o->recipient == r.recipient);
  CHECK(o->text == r.text);
  CHECK(o->priority == 4);
  CHECK(o->send_at == r.send_at);
  CHECK(o->modem == "m2");
  CHECK(o->status_report);
  CHECK(o->flash);
  CHECK(o->validity_minutes == 1440);
  CHECK(o->ref == "crm-1");
  CHECK(o->status == "queued");

  std::vector<OutRow> many(1000);
  for (std::size_t i = 0; i < many.size(); ++i) {
    many[i].recipient = "1380013" + std::to_string(8000 + i);
    many[i].text = "bulk";
  }
  std::size_t last_progress = 0;
  auto ids = s.enqueue_many(many, [&](std::size_t n) { last_progress = n; });
  CHECK(ids.size() == 1000);
  CHECK(last_progress == 1000);
  CHECK(ids.back() - ids.front() == 999);
  CHECK(s.queue_depth() == 1001);
}

TEST_CASE("enqueue_many is all or nothing", "[db][admin][rollback]") {
  TempDb t;
  Store s = t.open();
  exec(s, "CREATE TRIGGER no_x BEFORE INSERT ON outbox WHEN NEW.recipient = 'x'"
          " BEGIN SELECT RAISE(ABORT, 'refused'); END");
  std::vector<OutRow> rows(3);
  rows[0].recipient = "1";
  rows[1].recipient = "x";
  rows[2].recipient = "2";
  CHECK_THROWS_AS(s.enqueue_many(rows), StoreError);
  CHECK(s.queue_depth() == 0);
}

TEST_CASE("modem counters reach other connections with the next write or on close", "[db][admin]") {
  TempDb t;
  Store other = t.open();
  {
    Store s = t.open();
    s.count_modem("m1", 1, 0, 0);
    s.count_modem("m1", 1, 2, 0);
    CHECK(other.modems().empty());   // not yet written: no commit of its own
    CHECK_FALSE(s.claim_next("m1", kSendAll));   // a claim commits them
    auto rows = other.modems();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].sent == 2);
    CHECK(rows[0].failed == 2);
    s.count_modem("m1", 0, 0, 5);
  }   // closing writes the rest
  CHECK(other.modems()[0].received == 5);
}
