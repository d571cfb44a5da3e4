#include "tools/smsctl/modem_session.hpp"

#include <fmt/format.h>

#include "modem/common/log.hpp"

namespace smsctl {

using sms::modem::State;

ModemSession::ModemSession(const PortOptions& p) : port_(p) {
  // The driver's own log lines would repeat what smsctl prints as its error;
  // --trace shows everything, including the bytes on the line.
  sms::log::set_level(p.trace ? sms::log::Level::debug : static_cast<sms::log::Level>(0));
  sms::modem::ModemConfig cfg;
  cfg.id = "modem";
  cfg.port = p.port;
  cfg.baud = p.baud;
  cfg.pin = p.pin;
  cfg.trace = p.trace;
  cfg.handle_incoming = false;  // never read or delete anything on the user's behalf
  cfg.timeouts.probe = std::chrono::milliseconds(1500);
  cfg.timeouts.registration = p.registration;
  modem_ = std::make_unique<sms::modem::Modem>(
      io_.get_executor(), cfg,
      [this](State s, const sms::modem::Info& info, const std::string& detail) {
        if (failure_) return;
        switch (s) {
          case State::disconnected:
            failure_ = detail;
            break;
          case State::pin_needed:
            failure_ = info.sim == "SIM PIN" ? "SIM PIN needed: give it with --pin (" + detail + ")" : detail;
            break;
          case State::pin_rejected:
            failure_ = "PIN rejected: " + detail + ". Three wrong PINs lock the SIM: check the PIN before trying again";
            break;
          case State::puk_needed:
            failure_ = "SIM locked, PUK needed: " + detail;
            break;
          case State::no_sim:
            failure_ = "no SIM: " + detail;
            break;
          default:
            break;
        }
      },
      [](const sms::modem::Incoming&) { return false; });
}

ModemSession::~ModemSession() {
  bool stopped = false;
  modem_->stop([&] { stopped = true; });
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!stopped && std::chrono::steady_clock::now() < end) {
    io_.restart();
    io_.run_one_for(std::chrono::milliseconds(50));
  }
}

bool ModemSession::run_until(const std::function<bool()>& done, std::chrono::seconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    io_.restart();
    io_.run_one_for(std::chrono::milliseconds(50));
  }
  return true;
}

std::optional<std::string> ModemSession::open(std::chrono::seconds deadline) {
  modem_->start();
  auto usable = [&] {
    const State s = modem_->state();
    return s == State::ready || s == State::not_registered || s == State::storage_full;
  };
  const bool finished = run_until([&] { return failure_.has_value() || usable(); }, deadline);
  if (failure_) return failure_;
  if (!finished)
    return fmt::format("the modem on {} did not finish initialising within {} s", port_.port, deadline.count());
  return std::nullopt;
}

}  // namespace smsctl
