// Several connections, threads and processes on one file: no row is claimed
// twice, and writers wait for each other instead of failing.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "tests/db/temp_db.hpp"

using namespace sms::db;
using namespace sms::db::test;
using namespace std::chrono_literals;

namespace {
void fill(Store& s, int n) {
  exec(s, "BEGIN");
  for (int i = 0; i < n; ++i) insert(s, "'10086', 'msg " + std::to_string(i) + "'");
  exec(s, "COMMIT");
}
}  // namespace

TEST_CASE("four threads with their own connections never claim a row twice", "[db][concurrency]") {
  TempDb t;
  constexpr int kRows = 400;
  {
    Store s = t.open();
    fill(s, kRows);
  }
  std::mutex mu;
  std::multiset<std::int64_t> claimed;
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      Store s = t.open();
      const std::string modem = "m" + std::to_string(w + 1);
      while (auto r = s.claim_next(modem, kSendAll)) {
        s.mark_handed(r->id);
        s.record_sent(r->id, modem, {static_cast<int>(r->id % 256)});
        std::lock_guard<std::mutex> lock(mu);
        claimed.insert(r->id);
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(claimed.size() == kRows);
  std::set<std::int64_t> unique(claimed.begin(), claimed.end());
  CHECK(unique.size() == kRows);
  Store s = t.open();
  CHECK(scalar(s, "SELECT count(*) FROM outbox WHERE status = 'sent' AND attempts = 1") == std::to_string(kRows));
  CHECK(scalar(s, "SELECT count(*) FROM outbox_parts") == std::to_string(kRows));
}

TEST_CASE("two processes never claim a row twice", "[db][concurrency]") {
  TempDb t;
  constexpr int kRows = 300;
  {
    Store s = t.open();
    fill(s, kRows);
  }
  // Each process writes the ids it claimed to its own file.
  auto worker = [&](const std::string& modem, const std::string& out_path) {
    std::ofstream out(out_path);
    Store s = t.open();
    while (auto r = s.claim_next(modem, kSendAll)) {
      s.record_sent(r->id, modem, {1});
      out << r->id << '\n';
    }
  };
  std::vector<pid_t> kids;
  for (int p = 0; p < 2; ++p) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int rc = 0;
      try {
        worker("p" + std::to_string(p), (t.dir / ("claimed" + std::to_string(p))).string());
      } catch (...) {
        rc = 3;
      }
      _exit(rc);
    }
    kids.push_back(pid);
  }
  for (pid_t pid : kids) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  std::multiset<std::int64_t> claimed;
  for (int p = 0; p < 2; ++p) {
    std::ifstream in(t.dir / ("claimed" + std::to_string(p)));
    std::int64_t id;
    while (in >> id) claimed.insert(id);
  }
  CHECK(claimed.size() == kRows);
  CHECK(std::set<std::int64_t>(claimed.begin(), claimed.end()).size() == kRows);
}

TEST_CASE("a claim waits for another connection's write lock and then succeeds", "[db][concurrency][busy]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'10086', 'x'");
  Store other = t.open();
  exec(other, "BEGIN IMMEDIATE");
  exec(other, "UPDATE outbox SET priority = 1");
  std::atomic<bool> released{false};
  std::thread holder([&] {
    std::this_thread::sleep_for(200ms);
    released = true;
    exec(other, "COMMIT");
  });
  auto r = s.claim_next("m1", kSendAll);   // blocks in the busy handler until COMMIT
  holder.join();
  CHECK(released);
  REQUIRE(r);
  CHECK(r->priority == 1);   // it saw the other writer's committed change
}

TEST_CASE("an external writer inserting during a claim transaction is not refused", "[db][concurrency][busy]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'10086', 'first'");
  // The integrator's connection: a busy timeout, as documented for them.
  sqlite3* ext = nullptr;
  REQUIRE(sqlite3_open(t.path.c_str(), &ext) == SQLITE_OK);
  sqlite3_busy_timeout(ext, 5000);
  std::atomic<int> rc{-1};
  std::thread writer;
  // The gate runs inside the claim transaction: start the insert from there.
  Gate gate = [&](const OutRow&) {
    writer = std::thread([&] {
      rc = sqlite3_exec(ext, "INSERT INTO outbox(recipient, text) VALUES ('10010', 'during claim')", nullptr,
                        nullptr, nullptr);
    });
    std::this_thread::sleep_for(100ms);   // hold the write lock a while
    return Verdict::send_now();
  };
  auto r = s.claim_next("m1", gate);
  writer.join();
  sqlite3_close(ext);
  REQUIRE(r);
  CHECK(rc == SQLITE_OK);
  CHECK(scalar(s, "SELECT count(*) FROM outbox") == "2");
  // Readers are never blocked by the writer in WAL mode (checked implicitly:
  // get_out on another connection during the claim would not wait).
}

TEST_CASE("data_version changes when another connection commits", "[db][concurrency]") {
  TempDb t;
  Store a = t.open();
  Store b = t.open();
  auto v0 = a.data_version();
  CHECK(a.data_version() == v0);
  insert(b, "'1', 'x'");
  CHECK(a.data_version() != v0);
}
