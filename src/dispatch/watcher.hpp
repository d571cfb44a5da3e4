#pragma once
// Notices commits to the database by any process without polling: inotify on
// the database's folder, filtered to the database file and its -wal file (in
// WAL mode every commit writes the -wal file; checkpoints write the main
// file). One watcher serves all workers: it calls on_change, which only posts
// coalesced wake-ups; each worker then compares PRAGMA data_version before it
// touches the queue. A slow poll in each worker covers anything inotify
// cannot see (a database on a network file system).
//
// While no worker wants a wake-up (each has a message in its modem and the
// next one claimed, i.e. the queue is draining) the watch is removed: the
// workers' own commits would otherwise wake this thread several times per
// message for nothing. When one wants wake-ups again (poke()), the watch is
// added back and on_change runs once, for whatever was committed meanwhile.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <functional>
#include <string>

namespace sms::dispatch {

class DbWatcher {
 public:
  // Never throws: if inotify is unavailable it logs a warning and stays idle.
  // wanted (optional; default: always) says whether anyone wants on_change now.
  DbWatcher(boost::asio::io_context& ioc, const std::string& db_path, std::function<void()> on_change,
            std::function<bool()> wanted = {});
  ~DbWatcher();
  bool active() const { return active_; }
  // Whether the watch is in place now (false while nobody wants wake-ups).
  bool watching() const { return wd_ >= 0; }
  // Thread-safe, coalescing: wanted() may have changed; re-evaluated on the
  // watcher's io_context.
  void poke();

 private:
  void wait();
  void drain();
  void apply();

  boost::asio::io_context& ioc_;
  boost::asio::posix::stream_descriptor fd_;
  boost::asio::steady_timer settle_;
  std::string dir_, db_name_, wal_name_;
  std::function<void()> on_change_;
  std::function<bool()> wanted_;
  std::atomic<bool> poke_pending_{false};
  int wd_ = -1;
  bool active_ = false;
};

}  // namespace sms::dispatch
