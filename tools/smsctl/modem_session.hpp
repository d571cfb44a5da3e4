#pragma once
// One Modem driven from smsctl: an io_context on the calling thread, run
// until the modem is usable (or clearly not), with a deadline. No retrying:
// a diagnostic tool reports the first problem in plain words.
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "modem/driver/modem.hpp"

namespace smsctl {

struct PortOptions {
  std::string port;
  unsigned baud = 115200;
  std::string pin;
  bool trace = false;
  std::chrono::seconds registration{20};
};

class ModemSession {
 public:
  explicit ModemSession(const PortOptions& p);
  ~ModemSession();

  // Opens and initialises. Returns an error sentence when the modem is not
  // usable: port errors, no answer at this baud rate, SIM PIN/PUK, timeout.
  // A modem that initialised but did not register is usable (check info()).
  std::optional<std::string> open(std::chrono::seconds deadline);
  // Runs the loop until done() or the deadline; false on deadline.
  bool run_until(const std::function<bool()>& done, std::chrono::seconds deadline);
  sms::modem::Modem& modem() { return *modem_; }
  const PortOptions& port() const { return port_; }

 private:
  PortOptions port_;
  boost::asio::io_context io_;
  std::unique_ptr<sms::modem::Modem> modem_;
  std::optional<std::string> failure_;  // set by the state handler
};

}  // namespace smsctl
