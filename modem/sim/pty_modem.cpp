#include "modem/sim/pty_modem.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "modem/sim/control.hpp"

namespace sms::sim {

namespace {
constexpr std::size_t kMaxQueued = 1 << 20;  // output nobody reads is dropped beyond this
constexpr std::int64_t kMaxDrainMs = 2000;   // how long a vanish waits for the host to read
constexpr std::int64_t kSettleMs = 50;       // ... and at least this long after the last write

std::string errno_text() { return std::strerror(errno); }

void close_fd(int& fd) noexcept {
  if (fd >= 0) ::close(fd);
  fd = -1;
}
}  // namespace

PtyModem::PtyModem(Options options, std::string link_path)
    : link_(std::move(link_path)), opt_(options), core_(std::move(options)) {
  epoch_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now().time_since_epoch())
                  .count();
}

PtyModem::~PtyModem() { stop(); }

std::int64_t PtyModem::now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
             .count() -
         epoch_ms_;
}

void PtyModem::open_pty() {
  int m = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (m < 0) throw std::runtime_error("posix_openpt: " + errno_text());
  char name[128];
  if (::grantpt(m) != 0 || ::unlockpt(m) != 0 || ::ptsname_r(m, name, sizeof name) != 0) {
    const std::string e = errno_text();
    ::close(m);
    throw std::runtime_error("cannot set up the pty: " + e);
  }
  int s = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (s < 0) {
    const std::string e = errno_text();
    ::close(m);
    throw std::runtime_error(fmt::format("cannot open {}: {}", name, e));
  }
  // Raw 8N1 like a USB modem's tty: no echo, no CR/LF translation, no signals.
  termios t{};
  if (::tcgetattr(s, &t) == 0) {
    ::cfmakeraw(&t);
    ::cfsetispeed(&t, B115200);
    ::cfsetospeed(&t, B115200);
    ::tcsetattr(s, TCSANOW, &t);
  }
  ::fcntl(m, F_SETFL, ::fcntl(m, F_GETFL) | O_NONBLOCK);

  // Replace a stale symlink atomically (rename over it); never a real file.
  struct stat st {};
  if (::lstat(link_.c_str(), &st) == 0 && !S_ISLNK(st.st_mode)) {
    ::close(s);
    ::close(m);
    throw std::runtime_error(fmt::format("{} exists and is not a symlink: not replacing it", link_));
  }
  const std::string tmp = link_ + ".modemsim-tmp";
  ::unlink(tmp.c_str());
  if (::symlink(name, tmp.c_str()) != 0 || ::rename(tmp.c_str(), link_.c_str()) != 0) {
    const std::string e = errno_text();
    ::unlink(tmp.c_str());
    ::close(s);
    ::close(m);
    throw std::runtime_error(fmt::format("cannot create symlink {} -> {}: {}", link_, name, e));
  }
  master_ = m;
  slave_ = s;
  pts_ = name;
}

void PtyModem::close_pty() noexcept {
  close_fd(master_);
  close_fd(slave_);
  if (!pts_.empty()) ::unlink(link_.c_str());
  pts_.clear();
  outq_.clear();
}

void PtyModem::open_control() {
  if (opt_.control_path.empty()) return;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (opt_.control_path.size() >= sizeof addr.sun_path)
    throw std::runtime_error(fmt::format("control socket path too long ({} bytes, max {}): {}",
                                         opt_.control_path.size(), sizeof addr.sun_path - 1, opt_.control_path));
  std::memcpy(addr.sun_path, opt_.control_path.c_str(), opt_.control_path.size() + 1);
  struct stat st {};
  if (::lstat(opt_.control_path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode))
      throw std::runtime_error(opt_.control_path + " exists and is not a socket: not replacing it");
    ::unlink(opt_.control_path.c_str());
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket: " + errno_text());
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 8) != 0) {
    const std::string e = errno_text();
    ::close(fd);
    throw std::runtime_error(fmt::format("cannot listen on {}: {}", opt_.control_path, e));
  }
  listen_fd_ = fd;
}

void PtyModem::start() {
  std::lock_guard lk(mu_);
  if (running_) return;
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::runtime_error("eventfd: " + errno_text());
  try {
    open_pty();
    open_control();
    if (!opt_.log_path.empty()) {
      log_ = std::fopen(opt_.log_path.c_str(), "ae");
      if (!log_) throw std::runtime_error(fmt::format("cannot open submit log {}: {}", opt_.log_path, errno_text()));
      core_.set_submit_sink([this](const SubmitRecord& r) {
        const std::string line = submit_json(r) + "\n";
        std::fwrite(line.data(), 1, line.size(), log_);
        std::fflush(log_);  // tests read it right after +CMGS
      });
    }
  } catch (...) {
    close_pty();
    close_fd(listen_fd_);
    close_fd(wake_fd_);
    throw;
  }
  if (opt_.trace) {
    core_.set_command_sink([this](std::string_view l) {
      std::fprintf(stderr, "modemsim %s: %.*s\n", link_.c_str(), static_cast<int>(l.size()), l.data());
    });
  }
  core_.start(now());
  stop_ = false;
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

void PtyModem::stop() noexcept {
  // Prompt by design (smserver's graceful shutdown waits for it): the eventfd
  // wakes the poll loop at once, which checks stop_ before anything else and
  // never sleeps. stop_mu_ makes a second caller (e.g. the destructor after a
  // stop() on another thread) wait for the first instead of joining twice.
  std::lock_guard stopping(stop_mu_);
  {
    std::lock_guard lk(mu_);
    if (!running_) return;
    stop_ = true;
    wake();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lk(mu_);
  running_ = false;
  close_pty();
  for (auto& c : clients_) close_fd(c.fd);
  clients_.clear();
  if (listen_fd_ >= 0) {
    close_fd(listen_fd_);
    ::unlink(opt_.control_path.c_str());
  }
  close_fd(wake_fd_);
  if (log_) std::fclose(log_);
  log_ = nullptr;
}

void PtyModem::wake() noexcept {
  if (wake_fd_ < 0) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
}

std::string PtyModem::pty_path() const {
  std::lock_guard lk(mu_);
  return pts_;
}

std::string PtyModem::control(std::string_view line) {
  std::string reply;
  {
    std::lock_guard lk(mu_);
    reply = execute_control(core_, line, now());
    wake();  // under the lock: stop() closes wake_fd_ under it too
  }
  return reply;
}

sms::Result<DeliverResult> PtyModem::deliver(std::string_view from, std::string_view text) {
  std::lock_guard lk(mu_);
  auto r = core_.deliver(from, text, now());
  wake();
  return r;
}

sms::Result<int> PtyModem::status_report(int mr, int tp_st) {
  std::lock_guard lk(mu_);
  auto r = core_.status_report(mr, tp_st, now());
  wake();
  return r;
}

void PtyModem::vanish(int ms) {
  std::lock_guard lk(mu_);
  core_.request_vanish(ms);
  wake();
}

std::string PtyModem::stats_json() {
  std::lock_guard lk(mu_);
  return core_.stats_json();
}

std::vector<SubmitRecord> PtyModem::submits() {
  std::lock_guard lk(mu_);
  return core_.submits();
}

int PtyModem::pump_locked(std::int64_t t) {
  if (vanished_ && t >= return_at_) {
    try {
      open_pty();
      vanished_ = false;
      core_.reboot(t);  // a replugged modem starts from power-up
    } catch (const std::exception& e) {
      std::fprintf(stderr, "modemsim: cannot return after vanishing: %s (retrying in 1 s)\n", e.what());
      return_at_ = t + 1000;
    }
  }
  core_.advance(t);
  std::string out = core_.take_output();
  if (!vanished_) {
    if (outq_.size() + out.size() <= kMaxQueued) outq_ += out;
    flush_master();
  }
  if (auto v = core_.take_vanish_request()) {
    if (vanished_) {
      return_at_ = t + *v;
    } else {
      vanish_ms_ = *v;
      vanish_drain_until_ = t + kMaxDrainMs;
    }
  }
  if (vanish_ms_ && !vanished_) {
    // Closing the master discards what the host has not read yet, so first let
    // it read the last answer (e.g. the +CMGS of the Nth submit): our own slave
    // descriptor shows how much is still queued.
    // The kernel moves written bytes to the slave's queue asynchronously (flip
    // buffer work), so an empty queue right after a write proves nothing:
    // also wait a little after the last write.
    int queued = 0;
    const bool ioctl_ok = ::ioctl(slave_, FIONREAD, &queued) == 0;
    if ((!outq_.empty() || (ioctl_ok && queued > 0) || t - last_write_ms_ < kSettleMs) && t < vanish_drain_until_)
      return 5;
    // The USB device is gone: the port's fd gets EIO/HUP, the path disappears.
    core_.note_vanished();
    close_pty();
    vanished_ = true;
    return_at_ = t + *vanish_ms_;
    vanish_ms_.reset();
  }
  std::int64_t wait = -1;
  if (auto d = core_.next_deadline(); d && !vanished_) wait = std::max<std::int64_t>(0, *d - t);
  if (vanished_) wait = std::max<std::int64_t>(0, return_at_ - t);
  return static_cast<int>(std::min<std::int64_t>(wait, 60000));
}

void PtyModem::flush_master() noexcept {
  while (!outq_.empty() && master_ >= 0) {
    const ssize_t n = ::write(master_, outq_.data(), outq_.size());
    if (n > 0) {
      outq_.erase(0, static_cast<std::size_t>(n));
      last_write_ms_ = now();
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;  // EAGAIN: the tty buffer is full; poll for POLLOUT
  }
}

void PtyModem::serve_client(Client& c) noexcept {
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(c.fd, buf, sizeof buf);
    if (n > 0) {
      c.in.append(buf, static_cast<std::size_t>(n));
      if (c.in.size() > 65536) {  // not a line protocol client
        close_fd(c.fd);
        return;
      }
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      close_fd(c.fd);
      return;
    }
    if (errno == EAGAIN) break;
  }
  std::size_t nl;
  while ((nl = c.in.find('\n')) != std::string::npos) {
    const std::string line = c.in.substr(0, nl);
    c.in.erase(0, nl + 1);
    std::string reply;
    {
      std::lock_guard lk(mu_);
      reply = execute_control(core_, line, now());
    }
    c.out += reply + "\n";
  }
  while (!c.out.empty()) {
    const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      c.out.erase(0, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) close_fd(c.fd);
    break;
  }
}

void PtyModem::run() noexcept {
  std::vector<pollfd> fds;
  char buf[4096];
  for (;;) {
    int timeout;
    bool serve_input;
    {
      std::lock_guard lk(mu_);
      if (stop_) return;
      timeout = pump_locked(now());
      // While a vanish waits for the host to read the last answer, the device
      // is going away: what the host writes now (the next part's AT+CMGS) is
      // never answered, as with a real unplug, so a vanish after submit N of
      // a long message leaves the parts after N unsent.
      serve_input = !vanish_ms_;
    }
    fds.clear();
    fds.push_back({wake_fd_, POLLIN, 0});
    const bool have_master = master_ >= 0;
    if (have_master)
      fds.push_back({master_, static_cast<short>((serve_input ? POLLIN : 0) | (outq_.empty() ? 0 : POLLOUT)), 0});
    if (listen_fd_ >= 0) fds.push_back({listen_fd_, POLLIN, 0});
    const std::size_t first_client = fds.size();
    for (auto& c : clients_) fds.push_back({c.fd, static_cast<short>(POLLIN | (c.out.empty() ? 0 : POLLOUT)), 0});

    const int n = ::poll(fds.data(), fds.size(), timeout);
    if (n < 0 && errno != EINTR) {
      std::fprintf(stderr, "modemsim: poll: %s\n", errno_text().c_str());
      return;
    }
    if (n <= 0) continue;
    std::size_t k = 0;
    if (fds[k++].revents & POLLIN) {
      std::uint64_t v;
      [[maybe_unused]] auto r = ::read(wake_fd_, &v, sizeof v);
    }
    if (have_master) {
      const short re = fds[k++].revents;
      if (re & POLLIN) {
        const ssize_t got = ::read(master_, buf, sizeof buf);
        if (got > 0) {
          std::lock_guard lk(mu_);
          core_.feed(std::string_view(buf, static_cast<std::size_t>(got)), now());
        }
      }
      if (re & POLLOUT) flush_master();
    }
    if (listen_fd_ >= 0 && (fds[k++].revents & POLLIN)) {
      const int cfd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (cfd >= 0) clients_.push_back(Client{cfd, {}, {}});
    }
    for (std::size_t i = first_client; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      serve_client(clients_[i - first_client]);
    }
    std::erase_if(clients_, [](const Client& c) { return c.fd < 0; });
  }
}

}  // namespace sms::sim
