#pragma once
// Modem::Impl: the per-modem state machine. Private to the driver.
//
// One coroutine (run) owns the port's life: open, initialise, serve, and on a
// lost or silent port reopen with backoff. While serving it takes work in
// this order: reads announced by +CMTI/+CDSI, a sweep when due, one queued
// send, a health check when due; otherwise it waits until woken or a timer is
// due. URCs arrive outside the coroutine (Engine's URC handler) and only queue
// work and wake it, except +CMT/+CDS, which are handed over and acknowledged
// at once (the network's acknowledgement timer is short).
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "modem/driver/engine.hpp"
#include "modem/driver/modem.hpp"

namespace sms::modem {

using Clock = std::chrono::steady_clock;
// Coroutines take parameters by value and never co_await inside a condition
// or next to a temporary (g++ 12 miscompiles both: double frees, crashes).
// Every Awaitable<void> function ends with an explicit co_return: g++ 12
// with -fsanitize=undefined traps (SIGILL) when a coroutine flows off its end.
template <class T>
using Awaitable = boost::asio::awaitable<T>;

struct Modem::Impl : std::enable_shared_from_this<Modem::Impl> {
  Impl(boost::asio::any_io_executor ex, ModemConfig cfg, StateHandler on_state, IncomingHandler on_incoming);

  // ---- public API (modem.cpp) ----
  void start();
  void stop(std::function<void()> done);
  void send(std::vector<PduToSend> parts, bool more_follow, HandingHandler on_handing, SendHandler done);
  void list_stored(ListHandler done);
  void orphan();  // the Modem object is gone: drop the owner's handlers

  // ---- the port's life (modem.cpp) ----
  Awaitable<void> run();
  enum class InitEnd { ok, fatal, failed };
  enum class ServeEnd { stopped, lost, silent, restarted };
  Awaitable<ServeEnd> serve();
  void set_state(State s, const std::string& detail);
  void wake();
  Awaitable<void> sleep(std::chrono::milliseconds d);  // cancelled by stop()
  void fail_sends(Failure f, const std::string& why);

  // ---- commands (modem.cpp) ----
  Awaitable<Reply> exec(std::string text, std::chrono::milliseconds timeout);
  Awaitable<Reply> exec(std::string text) { return exec(std::move(text), cfg.timeouts.command); }
  Awaitable<Reply> exec(Request r);
  // Retries while the SIM is busy (+CMS ERROR: 314, SIMCom before "SMS Ready").
  Awaitable<Reply> exec_when_ready(std::string text, std::chrono::milliseconds timeout);
  Awaitable<Reply> exec_when_ready(std::string text) { return exec_when_ready(std::move(text), cfg.timeouts.command); }
  // "AT" until a clean OK: see modem_start.cpp.
  Awaitable<bool> resync(int attempts);
  Awaitable<void> quiet();
  void note_reply(const Reply& r);  // storage-full and timeout bookkeeping for every command

  // ---- start-up (modem_start.cpp) ----
  Awaitable<InitEnd> initialise();
  Awaitable<InitEnd> unlock_sim();
  Awaitable<void> select_storage();
  Awaitable<void> set_indications();
  Awaitable<void> read_identity();
  Awaitable<void> refresh_network();  // +CSQ, +CREG?, +COPS?
  Awaitable<void> wait_registration();

  // ---- receiving (modem_receive.cpp) ----
  void on_urc(const at::Event& e);
  bool hand_over(const Incoming& msg);  // calls the owner, never throws
  Awaitable<void> read_stored(std::string storage, int index, Incoming::Kind kind);
  Awaitable<void> sweep();
  Awaitable<void> sweep_storage(std::string storage);
  Awaitable<bool> use_storage(std::string storage);  // AT+CPMS="<mem1>"
  Awaitable<Result<std::vector<Incoming>>> list(std::string storage);
  Awaitable<void> update_storage_use();
  Awaitable<void> health();

  // ---- sending (modem_send.cpp) ----
  struct SendJob {
    std::vector<PduToSend> parts;
    bool more_follow = false;
    HandingHandler on_handing;
    SendHandler done;
  };
  Awaitable<void> send_one(SendJob job);
  void finish_send(SendJob& job, SendOutcome&& out);

  // ---- state ----
  boost::asio::any_io_executor ex;
  ModemConfig cfg;
  StateHandler on_state;
  IncomingHandler on_incoming;
  std::shared_ptr<Engine> engine;
  boost::asio::steady_timer wake_timer;   // the serve loop's idle wait; wake() cancels it
  boost::asio::steady_timer sleep_timer;  // fixed pauses; only stop() cancels them

  State state_ = State::stopped;
  std::string detail_;
  Info info;
  bool started = false;
  bool stopping = false;
  bool running = false;  // run() is active
  std::vector<std::function<void()>> stop_waiters;

  // Per port session (reset by run() on every open).
  bool lost = false;          // the engine lost the port
  bool need_probe = false;    // a command got no answer: probe before the next one
  bool restarted = false;     // the modem printed RDY/^BOOT-like start-up: initialise again
  bool sweep_due = false;
  bool initialised = false;
  std::string lost_reason;

  // Per start(): the PIN is entered at most once unless it was accepted.
  bool pin_refused = false;

  // What the modem accepted during initialisation.
  std::string storage = "SM";  // <mem1>: where +CMGL/+CMGR/+CMGD act
  bool storage_selected = false;
  bool sr_refused = false;      // AT+CPMS="SR" refused: no SR sweep this session
  std::string mem1_now = "SM";  // <mem1> the modem has right now (AT+CPMS="SR" while reading reports)
  int cnmi_ds = 0;             // 0 none, 1 +CDS, 2 +CDSI
  bool cnma_needed = false;    // AT+CSMS? service 1 (phase 2+): +CMT/+CDS must be acknowledged
  std::optional<bool> cmms_supported;  // learnt on first use
  Clock::time_point cmms_open_until{};  // the relay link stays open until about then

  struct StoredRef {
    std::string storage;
    int index;
    Incoming::Kind kind;
  };
  std::deque<StoredRef> reads;
  std::deque<SendJob> sends;
  std::deque<ListHandler> list_requests;
  Clock::time_point next_health{}, next_sweep{};
};

// Awaits Engine::submit.
Awaitable<Reply> async_submit(std::shared_ptr<Engine> engine, Request r);

}  // namespace sms::modem
