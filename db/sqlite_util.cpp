#include "db/sqlite_util.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "modem/common/log.hpp"

namespace sms::db::detail {

Conn::Conn(sqlite3* db, std::string path, int busy_timeout_ms)
    : db_(db), path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}

Conn::~Conn() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

sqlite3_stmt* Conn::statement(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return it->second;
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) fail(std::string("preparing \"") + sql + "\"", rc);
  cache_.emplace(sql, s);
  return s;
}

void Conn::exec(const char* sql, std::string_view what) {
  char* msg = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &msg);
  if (rc != SQLITE_OK) {
    std::string m = msg ? msg : sqlite3_errstr(rc);
    sqlite3_free(msg);
    throw StoreError(path_ + ": " + std::string(what) + ": " + m);
  }
}

void Conn::fail(std::string_view what, int rc) const {
  std::string m = sqlite3_errmsg(db_);
  if (m.empty() || m == "not an error") m = sqlite3_errstr(rc);
  throw StoreError(path_ + ": " + std::string(what) + ": " + m);
}

namespace {
std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}
std::string text_of_ms(std::int64_t ms) {
  return format_utc(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}
}  // namespace

std::string Conn::outcome_time() {
  const std::int64_t t = std::max(now_ms(), counted_at_ms_ + 1);
  latest_outcome_ms_ = std::max(latest_outcome_ms_, t);
  return text_of_ms(t);
}

void Conn::flush_counts() {
  if (policy_counters) flush_policy_counters(*this);
  if (!counts_pending) return;
  // counted_at: not before any outcome already counted, and every later
  // outcome of this connection is stamped after it (outcome_time()).
  counted_at_ms_ = std::max({now_ms(), latest_outcome_ms_, counted_at_ms_});
  const std::string counted_at = text_of_ms(counted_at_ms_);
  // The entries stay (zeroed): a worker counts for one modem, once per
  // message, and re-creating the map node each time costs allocations.
  for (auto& [modem, n] : pending_counts) {
    if (n[0] || n[1] || n[2]) add_counts(modem, n[0], n[1], n[2], counted_at);
    n = {0, 0, 0};
  }
  counts_pending = false;
  counts_flushed_at_ = std::chrono::steady_clock::now();
}

void Conn::flush_counts_if_due(std::chrono::milliseconds every) {
  if (!counts_pending && !(policy_counters && policy_counters_dirty(*this))) return;
  if (std::chrono::steady_clock::now() - counts_flushed_at_ >= every) {
    if (!counts_pending) {
      // Only the policy's counters are waiting.
      flush_policy_counters(*this);
      counts_flushed_at_ = std::chrono::steady_clock::now();
      return;
    }
    flush_counts();
  }
}

void Conn::add_counts(std::string_view modem, std::int64_t sent, std::int64_t failed, std::int64_t received,
                      std::string_view counted_at) {
  // A plain UPDATE of the existing row (the upsert form costs a conflict
  // check and a second statement program per call).
  {
    Query q(*this, "UPDATE modems SET sent = sent + ?2, failed = failed + ?3, received = received + ?4,"
                   " counted_at = coalesce(?5, counted_at) WHERE id = ?1");
    q.bind(1, modem).bind(2, sent).bind(3, failed).bind(4, received).bind_or_null(5, counted_at).run();
  }
  if (sqlite3_changes(db_) > 0) return;
  Query q(*this, "INSERT INTO modems(id, sent, failed, received, counted_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  q.bind(1, modem).bind(2, sent).bind(3, failed).bind(4, received).bind_or_null(5, counted_at).run();
}

std::int64_t Conn::data_version() {
  Query q(*this, "PRAGMA data_version");
  return q.step() ? q.int64(0) : 0;
}

Query& Query::bind(int i, std::string_view v) {
  int rc = sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) c_.fail("binding a value", rc);
  return *this;
}

Query& Query::bind(int i, std::int64_t v) {
  int rc = sqlite3_bind_int64(s_, i, v);
  if (rc != SQLITE_OK) c_.fail("binding a value", rc);
  return *this;
}

Query& Query::bind_null(int i) {
  int rc = sqlite3_bind_null(s_, i);
  if (rc != SQLITE_OK) c_.fail("binding a value", rc);
  return *this;
}

bool Query::step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string sql = sqlite3_sql(s_) ? sqlite3_sql(s_) : "?";
  if (sql.size() > 60) sql = sql.substr(0, 57) + "...";
  c_.fail("running \"" + sql + "\"", rc);
}

void Query::run() {
  while (step()) {
  }
}

std::string Query::text(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(s_, col));
  int n = sqlite3_column_bytes(s_, col);
  return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

Tx::Tx(Conn& c) : c_(c) {
  // The busy handler already waited busy_timeout_ms inside each attempt.
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    sqlite3_stmt* s = c_.statement("BEGIN IMMEDIATE");
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE) {
      open_ = true;
      return;
    }
    if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) c_.fail("BEGIN IMMEDIATE", rc);
    if (attempt == kAttempts)
      throw StoreError(c_.path() + ": the database stayed locked by another writer for " +
                       std::to_string(kAttempts) + " x " + std::to_string(c_.busy_timeout_ms()) +
                       " ms; a program holds a long write transaction");
    sms::log::warn("db", "{}: database busy for {} ms, retrying BEGIN IMMEDIATE", c_.path(),
                   c_.busy_timeout_ms());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Tx::~Tx() {
  if (!open_) return;
  // sqlite3_exec rather than the cache: preparing may allocate and throw,
  // and a destructor must not.
  sqlite3_exec(c_.db(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Tx::commit() {
  sqlite3_stmt* s = c_.statement("COMMIT");
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) c_.fail("COMMIT", rc);   // ~Tx rolls back
  open_ = false;
}

ReadTx::ReadTx(Conn& c) : c_(c) {
  // Inside another transaction (autocommit off) there is nothing to open.
  if (!sqlite3_get_autocommit(c_.db())) return;
  sqlite3_stmt* s = c_.statement("BEGIN");
  const int rc = sqlite3_step(s);
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) c_.fail("BEGIN", rc);
  open_ = true;
}

ReadTx::~ReadTx() {
  if (open_) sqlite3_exec(c_.db(), "COMMIT", nullptr, nullptr, nullptr);
}

}  // namespace sms::db::detail
