#pragma once
// A database file in a fresh temporary folder, removed with its WAL files.
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "db/store.hpp"

namespace sms::db::test {

struct TempDb {
  std::filesystem::path dir;
  std::string path;
  TempDb() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sms-db-test-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
    path = (dir / "sms.db").string();
  }
  ~TempDb() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  Store open() const { return Store::open(path, 5000); }
};

// Runs SQL through the raw handle (what an integrator's program does).
inline void exec(Store& s, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(s.handle(), sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error(sql + ": " + m);
  }
}

inline std::string scalar(Store& s, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(s.handle(), sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    throw std::runtime_error(sql + ": " + sqlite3_errmsg(s.handle()));
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return out;
}

inline std::int64_t insert(Store& s, const std::string& values_sql,
                           const std::string& columns = "recipient, text") {
  exec(s, "INSERT INTO outbox(" + columns + ") VALUES (" + values_sql + ")");
  return sqlite3_last_insert_rowid(s.handle());
}

inline const Gate kSendAll = [](const OutRow&) { return Verdict::send_now(); };

}  // namespace sms::db::test
