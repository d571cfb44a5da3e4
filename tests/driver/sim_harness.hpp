#pragma once
// Runs a Modem against the simulator: on a pty (PtyModem, the real path:
// serial open, termios, flock, a device that vanishes) or in-process on the
// simulator's pure core (CoreLink, when a test must see every command).
// The io_context runs on the test's thread; every wait has a generous hang
// guard and no test asserts on time.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "modem/driver/modem.hpp"
#include "modem/driver/stream.hpp"
#include "modem/sim/pty_modem.hpp"
#include "modem/sim/sim_modem.hpp"

namespace sms::modem::test {

using namespace std::chrono_literals;

// A temporary directory removed with everything in it.
struct TempDir {
  TempDir();
  ~TempDir();
  std::string path;
};

// Test-sized timeouts: short enough for fault tests, long enough for a busy machine.
ModemConfig test_config(const std::string& id, const std::string& port);

struct StateRecord {
  State state;
  std::string detail;
};

class Rig {
 public:
  Rig() = default;
  ~Rig();
  boost::asio::io_context io;
  std::unique_ptr<Modem> modem;
  std::vector<StateRecord> states;
  std::vector<Incoming> incoming;
  std::function<bool(const Incoming&)> accept = [](const Incoming&) { return true; };

  void make_modem(ModemConfig cfg);
  // Runs the io_context until pred() or the guard expires; returns pred().
  bool run_until(const std::function<bool()>& pred, std::chrono::milliseconds guard = 30s);
  // Runs for a while regardless (lets URCs and sweeps happen).
  void run_for(std::chrono::milliseconds d);
  bool wait_state(State s, std::chrono::milliseconds guard = 30s);
  bool saw_state(State s) const;
  // Sends with sms::pdu::encode_submit and waits for the outcome.
  SendOutcome send_text(const std::string& to, const std::string& text, bool srr = false,
                        std::vector<int>* handed = nullptr);
  SendOutcome send_pdus(std::vector<PduToSend> parts);
  void stop();
};

// A simulator on a pty with its symlink in a temporary directory.
struct PtySim {
  explicit PtySim(sim::Options o, const std::string& name = "modem");
  ~PtySim();
  TempDir dir;
  std::string link;
  std::unique_ptr<sim::PtyModem> sim;
  std::string control(const std::string& line) { return sim->control(line); }
};

// The simulator's core behind a fake Stream (ModemConfig::open_port).
struct CoreLink;
struct CoreSim {
  CoreSim(boost::asio::io_context& io, sim::Options o);
  ~CoreSim();
  std::shared_ptr<CoreLink> link;
  void attach(ModemConfig& cfg);                 // sets cfg.open_port
  void boot();                                   // power the core up now (before the driver opens it)
  std::vector<std::string> commands() const;     // every command line the modem saw
  sim::SimModem& core();
  std::int64_t now() const;
};

}  // namespace sms::modem::test
