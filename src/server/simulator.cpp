#include "src/server/simulator.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <stdexcept>

#include "modem/common/log.hpp"
#include "modem/sim/pty_modem.hpp"

namespace sms::server {
namespace {

class PtySimulator : public Simulator {
 public:
  PtySimulator(sim::Options o, std::string link) : link_(link), pty_(std::move(o), std::move(link)) { pty_.start(); }
  ~PtySimulator() override { stop(); }
  std::string port() const override { return link_; }
  void stop() override {
    if (stopped_) return;
    stopped_ = true;
    pty_.stop();
  }

 private:
  std::string link_;
  sim::PtyModem pty_;
  bool stopped_ = false;
};

}  // namespace

std::unique_ptr<Simulator> start_simulator(const config::Simulator& settings, const std::string& modem_id) {
  namespace fs = std::filesystem;
  sim::Options o;
  if (auto d = sim::parse_dialect(settings.dialect)) {
    o.dialect = *d;
  } else {
    log::warn(modem_id, "the simulator has no '{}' dialect; using generic", settings.dialect);
  }
  o.submit_delay_ms = settings.submit_delay_ms;
  o.cmms_delay_ms = settings.submit_delay_ms;
  std::string link;
  if (const char* dir = std::getenv("SMSERVER_SIM_DIR"); dir && *dir) {
    fs::create_directories(dir);
    link = (fs::path(dir) / (modem_id + ".pty")).string();
    o.log_path = (fs::path(dir) / (modem_id + ".log")).string();
    o.control_path = (fs::path(dir) / (modem_id + ".ctl")).string();
  } else {
    link = (fs::temp_directory_path() / fmt::format("smserver-{}-{}.pty", ::getpid(), modem_id)).string();
  }
  try {
    return std::make_unique<PtySimulator>(std::move(o), link);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("cannot start the simulator for modem {} at {}: {}", modem_id, link, e.what()));
  }
}

}  // namespace sms::server
