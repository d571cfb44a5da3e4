#pragma once
// Notices commits to the database by any process without polling: inotify on
// the database's folder, filtered to the database file and its -wal file (in
// WAL mode every commit writes the -wal file; checkpoints write the main
// file). One watcher serves all workers: it calls on_change, which only posts
// coalesced wake-ups; each worker then compares PRAGMA data_version before it
// touches the queue. A slow poll in each worker covers anything inotify
// cannot see (a database on a network file system).
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <string>

namespace sms::dispatch {

class DbWatcher {
 public:
  // Never throws: if inotify is unavailable it logs a warning and stays idle.
  DbWatcher(boost::asio::io_context& ioc, const std::string& db_path, std::function<void()> on_change);
  ~DbWatcher();
  bool active() const { return active_; }

 private:
  void wait();
  void drain();

  boost::asio::posix::stream_descriptor fd_;
  boost::asio::steady_timer settle_;
  std::string db_name_, wal_name_;
  std::function<void()> on_change_;
  bool active_ = false;
};

}  // namespace sms::dispatch
