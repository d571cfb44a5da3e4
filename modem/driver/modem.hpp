#pragma once
// One GSM modem driven by AT commands in PDU mode (3GPP TS 27.005/27.007).
//
// Threading rule: a Modem lives on one executor (its owner's io_context
// thread). Every public method must be called from that executor, and every
// handler is invoked on it. Nobody else touches the port. Many Modem objects
// on many threads run side by side without blocking each other.
//
// The Modem opens its port, initialises the device, keeps it healthy
// (probing, reopening the port, waiting for a vanished USB device to return),
// sends PDUs and hands received PDUs to its owner. It deletes a stored
// message only after the owner says the message is committed.
#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "modem/common/result.hpp"

namespace sms::modem {

class Stream;  // modem/driver/stream.hpp: a byte stream (serial, pty, TCP, or a fake)

using std::chrono::milliseconds;
using std::chrono::seconds;

struct Timeouts {
  milliseconds probe{2000};       // "AT" during resynchronisation and health probes
  milliseconds command{10000};    // ordinary commands
  milliseconds prompt{10000};     // AT+CMGS=<n> until "> "
  milliseconds submit{60000};     // PDU + Ctrl-Z until +CMGS: (SIM800 manual allows 60 s)
  milliseconds list{60000};       // AT+CMGL
  milliseconds registration{120000};  // how long start-up waits for +CREG 1/5 before reporting not_registered
};

struct ModemConfig {
  std::string id;          // "m1": used in logs and the database
  std::string port;        // "/dev/ttyUSB0", "/dev/serial/by-id/...", a pty path, or "tcp://host:port"
  unsigned baud = 115200;
  bool rtscts = false;
  std::string pin;         // entered at most once per start, only if the SIM asks
  std::string smsc;        // set with AT+CSCA if non-empty
  std::vector<std::string> init_commands;  // extra commands after the standard init, e.g. "AT^CURC=0"
  Timeouts timeouts;
  seconds health_interval{60};    // signal/registration check
  seconds sweep_interval{300};    // AT+CMGL=4 sweep of stored messages
  milliseconds reconnect_min{500};
  milliseconds reconnect_max{30000};
  // Added by the driver: false for diagnostic tools (smsctl modem info/send/
  // list): no sweeps, nothing read or deleted on the owner's behalf.
  bool handle_incoming = true;
  bool trace = false;  // log every byte exchanged (debug level)
  // Seam: opens the port instead of the serial/TCP opener (tests with a fake
  // stream; an in-process simulator). Called on the modem's executor; must
  // invoke its argument exactly once, through that executor.
  using OpenDone = std::function<void(Result<std::unique_ptr<Stream>>)>;
  std::function<void(OpenDone)> open_port;
};

enum class State {
  starting,          // opening / initialising
  ready,             // registered, can send and receive
  pin_needed,        // SIM PIN needed and none configured
  pin_rejected,      // the configured PIN was refused (never retried automatically)
  puk_needed,        // SIM PUK needed: human action required
  no_sim,
  not_registered,    // initialised but no network registration
  storage_full,      // SIM/ME message storage full (+CMS ERROR: 322): receiving blocked
  disconnected,      // port closed or device vanished; retrying with backoff
  stopped,           // stop() was called
};
std::string_view to_string(State s);  // "starting", "ready", "pin needed", ... (stored in the modems table)
// True for states a restart cannot cure without a human (wrong PIN, PUK, no SIM).
bool is_fatal(State s);

struct Info {
  std::string manufacturer, model, revision, imei, imsi;
  std::string sim;           // "READY", "SIM PIN", "SIM PUK", "NOT INSERTED", ...
  bool registered = false;
  bool roaming = false;
  std::string operator_name;
  int rssi = 99;             // +CSQ <rssi>, 99 = unknown
  std::optional<int> signal_dbm;  // -113 + 2*rssi
  std::string smsc;
  int storage_used = -1, storage_total = -1;
};

enum class Failure {
  none,
  permanent,   // this message can never go: invalid destination, rejected by the network, bad PDU
  temporary,   // retry later, maybe on another modem: network timeout, no service, +CMS ERROR: 500
  modem,       // this modem failed: no answer, port gone, modem not ready
};
std::string_view to_string(Failure f);

struct SendOutcome {
  Failure failure = Failure::none;
  std::vector<int> references;  // TP-MR from "+CMGS: <mr>", one per part accepted, in order
  int parts_accepted = 0;       // == references.size()
  // True when a PDU was handed to the modem but no final answer came (timeout,
  // port lost after Ctrl-Z): the network may have sent it. The server marks
  // such a message "unknown" instead of resending it.
  bool uncertain = false;
  int cms_error = -1;           // +CMS ERROR code if one was reported
  std::string error;            // words for a person: "+CMS ERROR: 21 (short message transfer rejected)"
};

struct PduToSend {
  std::string hex;      // SMSC field + TPDU
  int tpdu_length = 0;  // for AT+CMGS=<n>
};

struct Incoming {
  enum class Kind { deliver, status_report } kind = Kind::deliver;
  std::string pdu;       // hex with the SMSC field, as the modem printed it
  int index = -1;        // storage index; -1 for direct delivery (+CMT / +CDS)
  std::string storage;   // "SM", "ME", "SR", ... ("" for direct delivery)
  int stat = -1;         // stored: +CMGL/+CMGR <stat> (0 unread, 1 read); -1 for direct delivery
};

class Modem {
 public:
  // detail: human words about the state ("SIM PIN required but no pin configured").
  using StateHandler = std::function<void(State state, const Info& info, const std::string& detail)>;
  // Must return true only once the message is durably stored (committed). If it
  // returns false the message stays on the SIM and will be offered again by the
  // next sweep (and +CMT is not acknowledged, so the network re-delivers).
  using IncomingHandler = std::function<bool(const Incoming& msg)>;
  // Called just before the first byte of a part's PDU is written (the moment
  // after which the outcome may become uncertain). part is 0-based.
  using HandingHandler = std::function<void(int part)>;
  using SendHandler = std::function<void(const SendOutcome&)>;

  Modem(boost::asio::any_io_executor ex, ModemConfig cfg, StateHandler on_state, IncomingHandler on_incoming);
  ~Modem();
  Modem(const Modem&) = delete;
  Modem& operator=(const Modem&) = delete;

  void start();  // open, initialise; keeps retrying on its own until stop()
  // Cancels pending commands (their handlers complete with Failure::modem,
  // "shutting down"), closes the port. `done` runs when the port is closed.
  void stop(std::function<void()> done = {});

  // Queue a message (all its parts). `more_follow` hints that another message
  // for this modem is queued right behind it (AT+CMMS=1 keeps the link open).
  void send(std::vector<PduToSend> parts, bool more_follow, HandingHandler on_handing, SendHandler done);

  // Added by the driver: lists the messages (deliveries and status reports)
  // in the modem's message storage without deleting anything (smsctl modem
  // list). Fails if the modem is not initialised (state other than ready,
  // not_registered or storage_full).
  using ListHandler = std::function<void(Result<std::vector<Incoming>>)>;
  void list_stored(ListHandler done);

  State state() const;
  const Info& info() const;
  const ModemConfig& config() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace sms::modem
