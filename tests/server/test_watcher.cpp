// The database watcher: commits by another connection call on_change; while
// nobody wants wake-ups the watch is gone (commits call nothing), and when
// someone wants them again on_change runs once for what was missed.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <string>

#include "db/store.hpp"
#include "src/dispatch/watcher.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct Dir {
  fs::path path;
  Dir() {
    std::string t = (fs::temp_directory_path() / "sms-watch-XXXXXX").string();
    REQUIRE(mkdtemp(t.data()));
    path = t;
  }
  ~Dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void insert(sms::db::Store& s) {
  REQUIRE(sqlite3_exec(s.handle(), "INSERT INTO outbox(recipient, text) VALUES ('10086', 'x')", nullptr, nullptr,
                       nullptr) == SQLITE_OK);
}

// Runs the loop until pred() holds or 5 s pass (a generous bound on a busy
// machine; the checks never depend on it being short).
template <typename Pred>
bool run_until(boost::asio::io_context& ioc, Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!pred() && std::chrono::steady_clock::now() < deadline) {
    ioc.restart();
    ioc.run_for(10ms);
  }
  return pred();
}

}  // namespace

TEST_CASE("the watcher sleeps while nobody wants wake-ups and catches up when someone does", "[watcher]") {
  Dir d;
  const std::string db = (d.path / "sms.db").string();
  auto writer = sms::db::Store::open(db, 5000);   // creates the file and its schema
  boost::asio::io_context ioc;
  int changes = 0;
  bool wanted = true;
  sms::dispatch::DbWatcher w(ioc, db, [&] { ++changes; }, [&] { return wanted; });
  REQUIRE(w.active());
  REQUIRE(w.watching());

  insert(writer);
  CHECK(run_until(ioc, [&] { return changes > 0; }));

  wanted = false;
  w.poke();
  CHECK(run_until(ioc, [&] { return !w.watching(); }));
  ioc.restart();
  ioc.run_for(50ms);   // whatever the earlier commit still had queued
  changes = 0;
  insert(writer);
  insert(writer);
  ioc.restart();
  ioc.run_for(300ms);
  CHECK(changes == 0);   // no watch, no events: nothing to be late about

  wanted = true;
  w.poke();
  CHECK(run_until(ioc, [&] { return w.watching() && changes == 1; }));   // once, for the two unseen commits
  insert(writer);
  CHECK(run_until(ioc, [&] { return changes > 1; }));
}

TEST_CASE("a watcher without a wanted() predicate always watches", "[watcher]") {
  Dir d;
  const std::string db = (d.path / "sms.db").string();
  auto writer = sms::db::Store::open(db, 5000);
  boost::asio::io_context ioc;
  int changes = 0;
  sms::dispatch::DbWatcher w(ioc, db, [&] { ++changes; });
  w.poke();
  ioc.restart();
  ioc.run_for(20ms);
  CHECK(w.watching());
  CHECK(changes == 0);   // poke() with nothing to resume calls nothing
  insert(writer);
  CHECK(run_until(ioc, [&] { return changes > 0; }));
}
