// Schema creation, migrations, pragmas and the public outbox interface.
#include <catch2/catch.hpp>

#include "db/schema.hpp"
#include "tests/db/temp_db.hpp"

using namespace sms::db;
using namespace sms::db::test;

TEST_CASE("a fresh database gets the latest schema, WAL and foreign keys", "[db][schema]") {
  TempDb t;
  Store s = t.open();
  CHECK(s.schema_version() == latest_schema_version());
  CHECK(latest_schema_version() >= 2);
  CHECK(scalar(s, "PRAGMA journal_mode") == "wal");
  CHECK(scalar(s, "PRAGMA foreign_keys") == "1");
  CHECK(scalar(s, "PRAGMA synchronous") == "1");   // NORMAL
  for (const char* table : {"outbox", "outbox_parts", "inbox", "inbox_parts", "modems"})
    CHECK(scalar(s, std::string("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='") + table + "'") ==
          "1");
  // Opening again is a no-op.
  Store again = t.open();
  CHECK(again.schema_version() == latest_schema_version());
}

TEST_CASE("the integrator's minimal INSERT works and gets the documented defaults", "[db][schema]") {
  TempDb t;
  Store s = t.open();
  exec(s, "INSERT INTO outbox(recipient, text) VALUES ('+8613800138000', '您好');");
  auto row = s.get_out(1);
  REQUIRE(row);
  CHECK(row->recipient == "+8613800138000");
  CHECK(row->text == "您好");
  CHECK(row->status == "queued");
  CHECK(row->priority == 0);
  CHECK(row->attempts == 0);
  CHECK(row->send_at.empty());
  CHECK(row->created_at.size() == 23);   // YYYY-MM-DD HH:MM:SS.SSS
  CHECK(row->created_at[10] == ' ');
  // UTC text compares with SQLite's own time functions.
  CHECK(scalar(s, "SELECT count(*) FROM outbox WHERE created_at >= datetime('now','-1 day')") == "1");
  CHECK(scalar(s, "SELECT count(*) FROM outbox WHERE created_at > datetime('now','+1 minute')") == "0");
}

TEST_CASE("an ORM-style INSERT with NULL for every unset column gets the defaults", "[db][schema]") {
  TempDb t;
  Store s = t.open();
  exec(s, "INSERT INTO outbox(id, recipient, text, priority, send_at, modem, status_report, flash,"
          " validity_minutes, ref, status, created_at, updated_at, sent_at, attempts, last_error, parts,"
          " sent_by, claimed_by, handed, delivery_status, delivered_at) VALUES (NULL, '10086', 'hi', NULL,"
          " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
          " NULL, NULL)");
  auto r = s.get_out(1);
  REQUIRE(r);
  CHECK(r->status == "queued");
  CHECK(r->priority == 0);
  CHECK(r->created_at.size() == 23);
  CHECK(scalar(s, "SELECT count(*) FROM outbox WHERE priority IS NULL OR status_report IS NULL OR flash IS NULL"
                  " OR attempts IS NULL OR handed IS NULL OR updated_at IS NULL") == "0");
  auto claimed = s.claim_next("m1", kSendAll);
  REQUIRE(claimed);
  CHECK(claimed->id == 1);
}

TEST_CASE("bad integrator rows are insertable (they fail later, at claim time)", "[db][schema]") {
  TempDb t;
  Store s = t.open();
  const char* rows[] = {
      "INSERT INTO outbox(recipient, text) VALUES ('', 'x')",
      "INSERT INTO outbox(recipient, text) VALUES (NULL, 'x')",
      "INSERT INTO outbox(recipient, text) VALUES ('call me', 'x')",
      "INSERT INTO outbox(recipient, text) VALUES ('10086', '')",
      "INSERT INTO outbox(recipient, text) VALUES ('10086', NULL)",
      "INSERT INTO outbox(recipient, text) VALUES ('10086', CAST(X'FFFE41' AS TEXT))",
  };
  for (const char* sql : rows) CHECK_NOTHROW(exec(s, sql));
  CHECK(scalar(s, "SELECT count(*) FROM outbox WHERE status = 'queued'") == "6");
  auto r = s.get_out(2);
  REQUIRE(r);
  CHECK(r->recipient_null);
  auto r6 = s.get_out(6);
  REQUIRE(r6);
  CHECK(r6->text == std::string("\xFF\xFE" "A"));
}

TEST_CASE("status accepts exactly the documented names", "[db][schema]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'1', 'a'");
  for (auto st : {kQueued, kSending, kSent, kDelivered, kUndelivered, kFailed, kCancelled, kUnknown})
    CHECK_NOTHROW(exec(s, "UPDATE outbox SET status = '" + std::string(st) + "'"));
  CHECK_THROWS(exec(s, "UPDATE outbox SET status = 'done'"));
}

TEST_CASE("send_at written in other time forms is normalised to UTC text", "[db][schema]") {
  TempDb t;
  Store s = t.open();
  struct Case {
    const char* written;
    const char* stored;
    const char* status;
  } cases[] = {
      {"2026-11-23 08:00:00", "2026-11-23 08:00:00.000", "queued"},
      {"2026-11-23T08:00:00Z", "2026-11-23 08:00:00.000", "queued"},
      {"2026-11-23 16:00+08:00", "2026-11-23 08:00:00.000", "queued"},
      {"2026-11-23 08:00:00.250", "2026-11-23 08:00:00.250", "queued"},
      {"tomorrow", "tomorrow", "failed"},
  };
  for (const auto& c : cases) {
    auto id = insert(s, std::string("'1', 'a', '") + c.written + "'", "recipient, text, send_at");
    auto r = s.get_out(id);
    REQUIRE(r);
    CHECK(r->send_at == c.stored);
    CHECK(r->status == c.status);
    if (std::string(c.status) == "failed") CHECK_THAT(r->last_error, Catch::Contains("tomorrow"));
  }
  // Updates are normalised too.
  exec(s, "UPDATE outbox SET send_at = '2026-12-01T10:00:00+01:00' WHERE id = 1");
  CHECK(s.get_out(1)->send_at == "2026-12-01 09:00:00.000");
}

TEST_CASE("updated_at follows updates made by other programs", "[db][schema]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'1', 'a'");
  exec(s, "UPDATE outbox SET updated_at = '2000-01-01 00:00:00.000'");
  exec(s, "UPDATE outbox SET priority = 5");
  CHECK(s.get_out(1)->updated_at > "2020");
}

TEST_CASE("a version-1 database is migrated forward with its rows kept", "[db][schema]") {
  TempDb t;
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(t.path.c_str(), &raw) == SQLITE_OK);
    REQUIRE(schema::kMigrations[0].version == 1);
    REQUIRE(sqlite3_exec(raw, schema::kMigrations[0].sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "PRAGMA user_version = 1; INSERT INTO outbox(recipient, text, priority)"
                              " VALUES ('10086', 'old row', 3);", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
  }
  Store s = t.open();
  CHECK(s.schema_version() == latest_schema_version());
  auto r = s.get_out(1);
  REQUIRE(r);
  CHECK(r->text == "old row");
  CHECK(r->priority == 3);
  CHECK(scalar(s, "SELECT count(*) FROM sqlite_master WHERE name = 'inbox_parts'") == "1");
  CHECK(scalar(s, "SELECT count(*) FROM pragma_table_info('outbox') WHERE name = 'refs'") == "1");   // v3
  CHECK(r->refs.empty());
  auto claimed = s.claim_next("m1", kSendAll);
  REQUIRE(claimed);
  CHECK(claimed->id == 1);
}

TEST_CASE("a database newer than this build is refused with a clear error", "[db][schema]") {
  TempDb t;
  {
    Store s = t.open();
    exec(s, "PRAGMA user_version = 999");
  }
  try {
    Store::open(t.path);
    FAIL("open should have thrown");
  } catch (const StoreError& e) {
    std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("999"));
    CHECK_THAT(what, Catch::Contains(t.path));
    CHECK_THAT(what, Catch::Contains("newer"));
  }
}

TEST_CASE("a file that is not a database is refused naming the path", "[db][schema]") {
  TempDb t;
  {
    FILE* f = std::fopen(t.path.c_str(), "wb");
    REQUIRE(f);
    std::fputs("this is not an SQLite database, just some text long enough to have a header......", f);
    std::fclose(f);
  }
  try {
    Store::open(t.path);
    FAIL("open should have thrown");
  } catch (const StoreError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains(t.path));
  }
  CHECK_THROWS_AS(Store::open("/nonexistent-dir/x/sms.db"), StoreError);
}

TEST_CASE("the store works on :memory: and moves", "[db][schema]") {
  Store s = Store::open(":memory:");
  Store moved = std::move(s);
  OutRow r;
  r.recipient = "10086";
  r.text = "hi";
  CHECK(moved.enqueue(r) == 1);
  CHECK(moved.queue_depth() == 1);
}

// Database files as released builds left them (tests/data/db/make_old_dbs.sh):
// every older schema version migrates to the latest with its rows, its
// counters and the integrator's minimal INSERT intact.
TEST_CASE("old database files of every schema version migrate forward", "[db][schema][migration]") {
  for (int version : {1, 2, 3, 4, 5}) {
    INFO("schema-v" << version << ".db");
    TempDb t;
    std::filesystem::copy_file(std::string(SMS_TEST_DATA) + "/db/schema-v" + std::to_string(version) + ".db",
                               t.path);
    Store s = t.open();
    CHECK(s.schema_version() == latest_schema_version());

    // Rows kept, new columns at their defaults.
    CHECK(scalar(s, "SELECT group_concat(text || ':' || status, '|') FROM outbox") ==
          "old sent:sent|old delivered:delivered|old unknown:unknown|old queued:queued");
    auto unknown = s.get_out(3);
    REQUIRE(unknown);
    if (version >= 4) {
      CHECK(unknown->concat_ref == 9);   // two of its three parts went out
      CHECK(unknown->refs == "21,22");
    } else {
      CHECK_FALSE(unknown->concat_ref);
    }
    CHECK(unknown->resume_part == 0);
    auto in = s.find_in("", "");
    REQUIRE(in.size() == 1);
    CHECK(in[0].text == "您好");
    CHECK(in[0].truncated == (version >= 4));
    // Schema 5's columns: every old row is a message of the default kind,
    // counted by no policy counter, in no batch.
    CHECK(scalar(s, "SELECT count(*) FROM outbox WHERE kind IS NULL AND batch IS NULL AND counted IS NULL") == "4");
    CHECK(scalar(s, "SELECT count(*) FROM policy_counters") == "0");
    if (version >= 2) CHECK(scalar(s, "SELECT text FROM inbox_parts") == "waiting ");
    if (version >= 3) CHECK(s.get_out(2)->refs == "17");

    // The old counters already count the old sent rows: not counted again.
    auto m = s.modems();
    REQUIRE(m.size() == 1);
    CHECK(m[0].sent == 2);
    CHECK(m[0].received == 1);
    CHECK(s.recover({"m1"}).recounted == 0);
    CHECK(scalar(s, "SELECT sent FROM modems") == "2");

    // The minimal INSERT, a claim, and a retry of the old 'unknown' row.
    exec(s, "INSERT INTO outbox(recipient, text) VALUES ('+8613800138000', '您好');");
    CHECK(scalar(s, "SELECT status || '/' || priority || '/' || parts FROM outbox WHERE id = 5") == "queued/0/0");
    CHECK(s.claim_next("m1", kSendAll)->id == 4);
    CHECK(s.claim_next("m1", kSendAll)->id == 5);
    std::string why;
    if (version >= 4) {
      // A partly sent message goes on from its first missing part, only
      // through the modem that sent the others: not while that one is stopped.
      CHECK_FALSE(s.retry(3, &why));
      CHECK(why.find("part 3 can only go through m1") != std::string::npos);
      exec(s, "UPDATE modems SET state = 'ready' WHERE id = 'm1';");
    }
    CHECK(s.retry(3, &why));
    CHECK(s.get_out(3)->resume_part == (version >= 4 ? 3 : 0));

    // Schema 6 on old lists: the server's copy reads them, and the new
    // triggers see a change made after the migration.
    auto cached = t.open();
    cached.set_list_cache(std::make_shared<ListCache>());
    cached.load_lists();
    CHECK(cached.number_lists("+8613955112345") == (version >= 5 ? 4u : 0u));
    CHECK(cached.number_lists("+8613955112346") == (version >= 5 ? 1u : 0u));
    exec(s, "DELETE FROM number_lists; INSERT INTO number_lists(number, list) VALUES ('+8613800138000', 'blacklist');");
    CHECK(cached.number_lists("+8613955112345") == 0u);
    CHECK(cached.number_lists("+8613800138000") == 2u);
  }
}
