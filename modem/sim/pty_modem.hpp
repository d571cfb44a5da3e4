#pragma once
// A SimModem on a pseudo-terminal, on its own thread: what `modemsim` runs and
// what smserver starts in-process for a modem with port="sim".
//
// The pty's slave side is reachable through a symlink (`link_path`) that
// survives a simulated unplug: on vanish the master is closed and the symlink
// removed; on return a new pty is created and the symlink points to it.
// The simulator keeps its own slave descriptor open so the master never sees
// a hang-up while no client has the port open (no poll() spinning).
//
// Thread-safety: every public method may be called from any thread.
#include <cstdio>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "modem/sim/sim_modem.hpp"

namespace sms::sim {

class PtyModem {
 public:
  PtyModem(Options options, std::string link_path);
  ~PtyModem();
  PtyModem(const PtyModem&) = delete;
  PtyModem& operator=(const PtyModem&) = delete;

  // Creates the pty, the symlink, the control socket and the submit log (if
  // configured) and starts the thread. Throws std::runtime_error saying what
  // failed (start-up only).
  void start();
  void stop() noexcept;

  const std::string& path() const { return link_; }  // the symlink
  std::string pty_path() const;                       // current /dev/pts/N ("" while vanished)

  // The control protocol of README.md, one line in, one reply line out.
  std::string control(std::string_view line);
  sms::Result<DeliverResult> deliver(std::string_view from, std::string_view text);
  sms::Result<int> status_report(int mr, int tp_st);
  void vanish(int ms);
  std::string stats_json();
  std::vector<SubmitRecord> submits();

 private:
  struct Client {
    int fd = -1;
    std::string in, out;
  };
  std::int64_t now() const;
  void open_pty();      // throws
  void close_pty() noexcept;
  void open_control();  // throws
  void wake() noexcept;
  void run() noexcept;
  int pump_locked(std::int64_t now);  // timers, vanish/return, output; returns poll timeout
  void flush_master() noexcept;
  void serve_client(Client& c) noexcept;

  std::string link_;
  Options opt_;
  SimModem core_;
  mutable std::mutex mu_;
  std::thread thread_;
  bool running_ = false;
  bool stop_ = false;
  std::mutex stop_mu_;  // serialises stop() callers
  std::int64_t epoch_ms_ = 0;

  int master_ = -1, slave_ = -1, wake_fd_ = -1, listen_fd_ = -1;
  std::string pts_;
  std::vector<Client> clients_;
  std::string outq_;
  std::optional<int> vanish_ms_;       // requested; waits until the host read the last answer
  std::int64_t vanish_drain_until_ = 0;
  std::int64_t last_write_ms_ = 0;
  bool vanished_ = false;
  std::int64_t return_at_ = 0;
  std::FILE* log_ = nullptr;
};

}  // namespace sms::sim
