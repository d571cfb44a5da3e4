#include "src/dispatch/watcher.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <boost/asio/post.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "modem/common/log.hpp"

namespace sms::dispatch {

namespace {
// IN_MODIFY: a write; IN_CREATE/IN_MOVED_TO: the -wal file appears again
// after the last connection closed it.
constexpr std::uint32_t kMask = IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE;
}  // namespace

DbWatcher::DbWatcher(boost::asio::io_context& ioc, const std::string& db_path, std::function<void()> on_change,
                     std::function<bool()> wanted)
    : ioc_(ioc), fd_(ioc), settle_(ioc), on_change_(std::move(on_change)), wanted_(std::move(wanted)) {
  std::filesystem::path p(db_path);
  db_name_ = p.filename().string();
  wal_name_ = db_name_ + "-wal";
  dir_ = p.has_parent_path() ? p.parent_path().string() : ".";
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    log::warn("dispatch", "inotify unavailable ({}); new rows are noticed by the slow poll only", std::strerror(errno));
    return;
  }
  wd_ = inotify_add_watch(fd, dir_.c_str(), kMask);
  if (wd_ < 0) {
    log::warn("dispatch", "cannot watch {} ({}); new rows are noticed by the slow poll only", dir_,
              std::strerror(errno));
    ::close(fd);
    return;
  }
  fd_.assign(fd);
  active_ = true;
  wait();
}

DbWatcher::~DbWatcher() {
  settle_.cancel();
  boost::system::error_code ec;
  fd_.close(ec);
}

void DbWatcher::poke() {
  if (!active_ || poke_pending_.exchange(true)) return;
  boost::asio::post(ioc_, [this] {
    poke_pending_ = false;
    apply();
  });
}

void DbWatcher::apply() {
  const bool want = !wanted_ || wanted_();
  if (want && wd_ < 0) {
    wd_ = inotify_add_watch(fd_.native_handle(), dir_.c_str(), kMask);
    if (wd_ < 0) {
      log::warn("dispatch", "cannot watch {} again ({}); new rows are noticed by the slow poll only", dir_,
                std::strerror(errno));
      return;
    }
    log::debug("dispatch", "database watch resumed (a worker is waiting for rows)");
    // Commits while the watch was away went unseen: let the workers look.
    if (on_change_) on_change_();
  } else if (!want && wd_ >= 0) {
    inotify_rm_watch(fd_.native_handle(), wd_);   // queues IN_IGNORED, which drain() skips
    wd_ = -1;
    log::debug("dispatch", "database watch paused while every worker is busy");
  }
}

void DbWatcher::wait() {
  fd_.async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](const boost::system::error_code& ec) {
    if (ec) return;
    drain();
    // While the database is busy (the workers' own commits while draining a
    // queue) events come in bursts: gather them for 1 ms instead of waking
    // for each write. Costs at most 1 ms of latency, only during bursts.
    settle_.expires_after(std::chrono::milliseconds(1));
    settle_.async_wait([this](const boost::system::error_code& e) {
      if (!e) wait();
    });
  });
}

void DbWatcher::drain() {
  alignas(inotify_event) char buf[8192];
  bool relevant = false;
  for (;;) {
    ssize_t n = ::read(fd_.native_handle(), buf, sizeof buf);
    if (n <= 0) break;
    for (char* q = buf; q < buf + n;) {
      auto* ev = reinterpret_cast<inotify_event*>(q);
      if (ev->len > 0) {
        const char* name = ev->name;
        if (db_name_ == name || wal_name_ == name) relevant = true;
      }
      if (ev->mask & IN_Q_OVERFLOW) relevant = true;
      q += sizeof(inotify_event) + ev->len;
    }
  }
  // Events queued before the watch went away: nobody wanted them then, and a
  // worker that wants wake-ups again gets one from apply().
  if (relevant && wd_ >= 0 && on_change_) on_change_();
}

}  // namespace sms::dispatch
