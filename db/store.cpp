// Opening the database: pragmas, forward migrations, the connection's life.
#include <sqlite3.h>

#include "db/schema.hpp"
#include "db/sqlite_util.hpp"
#include "db/store.hpp"
#include "modem/common/log.hpp"

namespace sms::db {

using detail::Conn;
using detail::Query;

int latest_schema_version() { return schema::latest_version(); }

namespace {

int read_user_version(Conn& c) {
  Query q(c, "PRAGMA user_version");
  return q.step() ? q.integer(0) : 0;
}

// Applies every migration newer than the database, all in one IMMEDIATE
// transaction: a second process starting at the same time waits on the lock,
// then sees the new user_version and has nothing left to do.
void migrate(Conn& c) {
  const int latest = schema::latest_version();
  int v = read_user_version(c);
  if (v > latest)
    throw StoreError(c.path() + ": the database has schema version " + std::to_string(v) +
                     ", newer than this smserver knows (" + std::to_string(latest) +
                     "); run a newer smserver or restore a backup");
  if (v == latest) return;
  detail::Tx tx(c);
  v = read_user_version(c);
  const int from = v;
  for (std::size_t i = 0; i < schema::kMigrationCount; ++i) {
    const auto& m = schema::kMigrations[i];
    if (m.version <= v) continue;
    c.exec(m.sql, std::string("applying migration ") + m.file);
    // PRAGMA cannot take a bound parameter.
    c.exec(("PRAGMA user_version = " + std::to_string(m.version)).c_str(), "setting user_version");
    // A new file is not news; upgrading an existing one is.
    if (from > 0)
      sms::log::info("db", "{}: schema migrated from version {} to {} ({})", c.path(), from, m.version, m.file);
  }
  tx.commit();
}

}  // namespace

Store::Store(sqlite3* db) : db_(db) {}

Store::Store(Store&& o) noexcept : db_(o.db_), conn_(std::move(o.conn_)) { o.db_ = nullptr; }

Store& Store::operator=(Store&& o) noexcept {
  if (this != &o) {
    if (conn_) {
      try {
        flush_counts();
      } catch (...) {
      }
    }
    conn_ = std::move(o.conn_);
    db_ = o.db_;
    o.db_ = nullptr;
  }
  return *this;
}

Store::~Store() {
  // Counters still pending are written now; a destructor must not throw.
  if (conn_) {
    try {
      flush_counts();
    } catch (const std::exception& e) {
      sms::log::warn("db", "{}: modem counters not saved: {}", conn_->path(), e.what());
    }
  }
}

Store Store::open(const std::string& path, int busy_timeout_ms) {
  // Memory statistics take a global mutex on every SQLite allocation; nobody
  // reads them, and the claim path allocates a lot. Only possible before
  // SQLite initialises (later calls fail harmlessly with SQLITE_MISUSE).
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    throw StoreError("cannot open database " + path + ": " + why);
  }
  Store s(db);
  s.conn_ = std::make_unique<Conn>(db, path, busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  Conn& c = *s.conn_;
  c.exec(("PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms)).c_str(), "setting the busy timeout");
  // WAL: readers never block the writer and the writer never blocks readers,
  // so an integrator's INSERT only ever waits for another short write.
  {
    Query q(c, "PRAGMA journal_mode = WAL");
    q.step();
    std::string mode = q.text(0);
    if (mode != "wal" && path != ":memory:" && !path.empty())
      sms::log::warn("db", "{}: journal_mode is '{}', not WAL (a network file system?)", path, mode);
  }
  // NORMAL in WAL mode: a commit survives a crash of the process; only a
  // power cut can lose the last transactions, never corrupt the file.
  c.exec("PRAGMA synchronous = NORMAL", "setting synchronous");
  // Migrations run with foreign keys off: rebuilding a table (schema 5)
  // drops the old one, which must not cascade to the rows referring to it.
  // (The pragma is a no-op inside a transaction, so it is set around migrate.)
  c.exec("PRAGMA foreign_keys = OFF", "disabling foreign keys for migrations");
  migrate(c);
  c.exec("PRAGMA foreign_keys = ON", "enabling foreign keys");
  // Prepare the transaction statements now, so a later ROLLBACK needs no allocation.
  c.statement("BEGIN IMMEDIATE");
  c.statement("COMMIT");
  return s;
}

const std::string& Store::path() const { return conn_->path(); }

int Store::schema_version() { return read_user_version(*conn_); }

std::int64_t Store::data_version() { return conn_->data_version(); }

std::int64_t Store::claim_data_version() const { return conn_->claim_data_version; }

}  // namespace sms::db
