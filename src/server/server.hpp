#pragma once
// The daemon's composition: one worker per configured modem, the in-process
// simulators for port="sim", the database watcher, start-up recovery and
// live reconfiguration. Used by src/main.cpp and by the public library API.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "src/config/config.hpp"

namespace sms::server {

class Server {
 public:
  // Opens the database (migrations), resolves rows a crash left in 'sending'
  // for this server's modems, starts simulators and workers.
  // Throws db::StoreError (database) or std::runtime_error (simulator pty).
  explicit Server(config::Config cfg);
  ~Server();  // stop(3 s)
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Applies what is safe live (log level, dispatch settings, runOnReceive) and
  // logs each change that needs a restart (modems, database, simulator).
  // Returns the changes that were NOT applied (their describe() text).
  std::vector<std::string> reload(const config::Config& next);

  // Stops claiming, gives back claimed rows, lets messages already handed to a
  // modem finish for at most `bound`, stops modems, joins every thread.
  // Idempotent; blocks until done.
  void stop(std::chrono::milliseconds bound = std::chrono::seconds(3));

  const config::Config& config() const;
  // Where the in-process simulator of a port="sim" modem lives ("" if none).
  std::string simulator_port(const std::string& modem_id) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sms::server
