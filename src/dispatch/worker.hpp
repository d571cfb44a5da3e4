#pragma once
// One worker per modem: a thread with its own io_context and its own database
// connection. Everything for its modem runs on that thread: the Modem object,
// claims, outcome commits, inbound commits, runOnReceive. Other threads only
// call the thread-safe members (wake, update, stop, join).
//
// Pipeline: while one message is in the modem, the next row is already
// claimed and encoded, so when the modem answers the next PDU goes out first
// and the bookkeeping of the previous one happens while the modem works.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "modem/driver/modem.hpp"
#include "src/config/config.hpp"

namespace sms::db {
class CounterCache;
class ListCache;
}
namespace sms::dispatch {
struct PolicySet;
}

namespace sms::dispatch {

struct WorkerSettings {
  modem::ModemConfig modem;
  std::string db_path;
  int busy_timeout_ms = 10000;
  config::Dispatch dispatch;
  std::string run_on_receive;
  int run_on_receive_timeout_s = 60;  // the program is killed after this long
  // Addition: every modem id this server configures (its own included or
  // not): outbox rows naming one of them are never failed as "no such modem".
  std::vector<std::string> known_modems;
  // Addition: called on the worker's thread when wants_wake() changes (the
  // server then lets the database watcher sleep while no worker listens).
  std::function<void()> wants_wake_changed;
  // Addition: the sending policy (nullptr = none), shared by all workers.
  std::shared_ptr<const PolicySet> policy;
  // Addition: the frequency-limit counters, shared by the server's workers.
  std::shared_ptr<db::CounterCache> counters;
  // Addition: the lists (white, black, opt-out), shared by the server's workers.
  std::shared_ptr<db::ListCache> lists;
};

class Worker {
 public:
  explicit Worker(WorkerSettings s);
  ~Worker();  // stops (bounded) and joins
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();  // starts the thread
  // Thread-safe, cheap, coalescing: the database may have changed.
  void wake();
  // Thread-safe: false while a change notice cannot matter to this worker
  // (a message in the modem and the next one already claimed).
  bool wants_wake() const;
  // Thread-safe: new dispatch settings / runOnReceive (SIGHUP).
  void update(const config::Dispatch& d, const std::string& run_on_receive, int run_on_receive_timeout_s);
  // Thread-safe: a new sending policy (SIGHUP).
  void update_policy(std::shared_ptr<const PolicySet> set);
  // Thread-safe, asynchronous: stop claiming, give back claimed rows, let a
  // message already handed to the modem finish for at most `bound`, stop the modem.
  void stop(std::chrono::milliseconds bound);
  void join();
  const std::string& id() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
  std::thread thread_;
};

}  // namespace sms::dispatch
