#pragma once
// The bundled simulator for modems configured with port="sim" (and for the
// default modem when none is configured): a simulated modem on a pty, run on
// its own thread inside this process (modem/sim, sms::sim::PtyModem).
#include <memory>
#include <string>

#include "src/config/config.hpp"

namespace sms::server {

class Simulator {
 public:
  virtual ~Simulator() = default;
  virtual std::string port() const = 0;  // the pty symlink the modem driver opens
  virtual void stop() = 0;
};

// Throws std::runtime_error if the pty cannot be created.
// Environment SMSERVER_SIM_DIR: folder for <id>.log (submit log) and <id>.ctl
// (control socket) of each simulator, so tests can inspect an in-process sim.
std::unique_ptr<Simulator> start_simulator(const config::Simulator& settings, const std::string& modem_id);

}  // namespace sms::server
