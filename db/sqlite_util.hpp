#pragma once
// Thin RAII over the SQLite C API for the store: a connection with a cache of
// prepared statements, a borrowed statement that resets itself, and a
// BEGIN IMMEDIATE transaction that rolls back unless committed.
// Internal to db/: nothing outside the store includes this.
#include <sqlite3.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "db/store.hpp"

namespace sms::db::detail {

class Conn {
 public:
  Conn(sqlite3* db, std::string path, int busy_timeout_ms);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  sqlite3* db() const { return db_; }
  const std::string& path() const { return path_; }
  int busy_timeout_ms() const { return busy_timeout_ms_; }
  // The cached statement for this SQL text (prepared on first use). Keys are
  // the addresses of string literals, so a lookup is one hash of a pointer.
  sqlite3_stmt* statement(const char* sql);
  // Runs SQL without results (schema, pragmas); throws StoreError.
  void exec(const char* sql, std::string_view what);
  [[noreturn]] void fail(std::string_view what, int rc) const;

  // Modem counters (sent, failed, received) not yet written: count_modem()
  // adds here and a later write transaction of this connection applies them
  // (advance(): at most once a second while a queue drains, and when it runs
  // dry), so counting costs no page of its own on the per-message path. Each
  // flush also sets modems.counted_at, and every outcome this connection
  // records is stamped later than that (outcome_time()), so after a crash the
  // sent messages the counters miss are exactly those with sent_at after
  // counted_at: Store::modems() adds them, Store::recover() writes them.
  // Failures are written at once (advance, record_failed).
  std::map<std::string, std::array<std::int64_t, 3>, std::less<>> pending_counts;
  bool counts_pending = false;   // some entry of pending_counts is not zero
  // The process's shared policy counters (nullptr: read and write the table
  // directly). flush_counts() writes their pending additions too.
  std::shared_ptr<CounterCache> policy_counters;
  // The process's shared lists (nullptr: number_lists() asks the table).
  std::shared_ptr<ListCache> lists;
  // Writes pending_counts; call inside a transaction (or as its own autocommit).
  void flush_counts();
  // flush_counts() if the last one was at least `every` ago.
  void flush_counts_if_due(std::chrono::milliseconds every);
  std::chrono::milliseconds count_interval{1000};   // advance()'s flush_counts_if_due
  // Adds to one modem's counters now (creating its row if needed); a
  // counted_at other than "" replaces modems.counted_at.
  void add_counts(std::string_view modem, std::int64_t sent, std::int64_t failed, std::int64_t received,
                  std::string_view counted_at = {});
  // "Now" for an outcome this connection records: after the last flush's
  // counted_at (a millisecond later if the clock has not moved on, or went back).
  std::string outcome_time();
  // PRAGMA data_version read inside the last claim's transaction.
  std::int64_t claim_data_version = -1;
  // PRAGMA data_version now (inside a transaction: no locks of its own).
  std::int64_t data_version();

 private:
  sqlite3* db_;
  std::string path_;
  int busy_timeout_ms_;
  std::chrono::steady_clock::time_point counts_flushed_at_{};
  // Milliseconds since the epoch: the last flush's counted_at, and the latest
  // outcome time handed out (a flush's counted_at is never before it).
  std::int64_t counted_at_ms_ = 0, latest_outcome_ms_ = 0;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

// The shared policy counters (store_policy.cpp): writes their pending
// additions in the open transaction; whether any are pending.
void flush_policy_counters(Conn& c);
bool policy_counters_dirty(Conn& c);

// "YYYY-MM-DD HH:MM:SS.SSS" (time_util.cpp).
std::string format_utc(std::chrono::system_clock::time_point t);

// A cached statement in use: bind, step, read columns. Resets and clears its
// bindings when it goes out of scope, so the next user starts clean.
class Query {
 public:
  Query(Conn& c, const char* sql) : c_(c), s_(c.statement(sql)) {}
  ~Query() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(int i, std::string_view v);
  Query& bind(int i, std::int64_t v);
  Query& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Query& bind(int i, bool v) { return bind(i, static_cast<std::int64_t>(v ? 1 : 0)); }
  Query& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Query& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Query& bind_null(int i);
  // Empty text binds NULL (optional columns: send_at, modem, ref...).
  Query& bind_or_null(int i, std::string_view v) { return v.empty() ? bind_null(i) : bind(i, v); }
  Query& bind(int i, const std::optional<int>& v) { return v ? bind(i, *v) : bind_null(i); }

  // true: a row is ready; false: done. Throws StoreError on failure.
  bool step();
  // Steps to completion (statements without rows).
  void run();
  bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::int64_t int64(int col) const { return sqlite3_column_int64(s_, col); }
  int integer(int col) const { return sqlite3_column_int(s_, col); }
  std::string text(int col) const;   // "" for NULL; bytes as stored (blobs too)

 private:
  Conn& c_;
  sqlite3_stmt* s_;
};

// BEGIN IMMEDIATE: takes the write lock up front, so two claimers serialise on
// the lock instead of both reading the same row and one failing at COMMIT.
// The busy timeout makes BEGIN wait for another writer; if the lock is still
// held after it, BEGIN is retried a few times before giving up.
class Tx {
 public:
  explicit Tx(Conn& c);
  ~Tx();   // rolls back unless commit() succeeded; never throws
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  void commit();

 private:
  Conn& c_;
  bool open_ = false;
};

// A read transaction (BEGIN DEFERRED): several queries see one snapshot.
// Ends (COMMIT, which only releases the snapshot) when it goes out of scope.
class ReadTx {
 public:
  explicit ReadTx(Conn& c);
  ~ReadTx();
  ReadTx(const ReadTx&) = delete;
  ReadTx& operator=(const ReadTx&) = delete;

 private:
  Conn& c_;
  bool open_ = false;
};

}  // namespace sms::db::detail
