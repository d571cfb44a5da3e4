#pragma once
// The AT command engine: one command in flight, a queue behind it, a timeout
// per command, unsolicited result codes dispatched to the owner.
//
// It sits between a Stream (bytes) and the modem logic (modem.cpp): it writes
// each command, tells the parser what was sent (so the parser can tell a
// response from a URC), writes the PDU when the "> " prompt of AT+CMGS comes,
// and completes each command exactly once: with its final result code, a
// timeout, or "closed" when the port goes away or the engine shuts down.
//
// Threading: everything runs on the executor given to the constructor; the
// owner calls every method from it. Handlers are posted to that executor, never
// invoked inside the call that caused them, so a handler may call back into the
// engine freely.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "modem/at/parser.hpp"
#include "modem/driver/stream.hpp"

namespace sms::modem {

struct Request {
  std::string text;  // "AT+CSQ" (the engine appends CR)
  std::chrono::milliseconds timeout{10000};
  // Prompt commands (AT+CMGS=<n>): `pdu` is written after "> ", followed by
  // Ctrl-Z; the timeout then restarts with submit_timeout. `on_prompt` runs
  // just before the first PDU byte is written.
  std::string pdu;
  std::chrono::milliseconds submit_timeout{60000};
  std::function<void()> on_prompt;
  // Override the parser's inference from `text` (prefixes, bare answers).
  std::optional<at::Command> parse_as;
};

struct Reply {
  enum class Status {
    final,           // a final result code came: see `final`
    timeout,         // no final result within the timeout (after the PDU if pdu_written)
    prompt_timeout,  // no "> " within the timeout: ESC was sent, nothing handed over
    closed,          // port lost or engine shut down before an answer: see `error`
  };
  Status status = Status::closed;
  at::Final final;
  std::vector<at::Event> responses;  // the response lines (with their PDU lines) in order
  bool pdu_written = false;          // the PDU + Ctrl-Z went (partly) to the modem
  std::string error;                 // words for timeout / closed

  bool ok() const { return status == Status::final && final.is_ok(); }
  // The first response line starting with `prefix` ("+CSQ:"), with the prefix
  // and following spaces removed; nullopt if none.
  std::optional<std::string> value(std::string_view prefix) const;
  // "OK", "+CMS ERROR: 500", "timeout after 10000 ms", ... for logs and errors.
  std::string describe() const;
};

class Engine : public std::enable_shared_from_this<Engine> {
 public:
  using ReplyHandler = std::function<void(Reply)>;
  using UrcHandler = std::function<void(const at::Event&)>;
  using LostHandler = std::function<void(const std::string& reason, bool vanished)>;

  // id: the modem id for log lines.
  static std::shared_ptr<Engine> create(boost::asio::any_io_executor ex, std::string id);
  ~Engine();

  void on_urc(UrcHandler h) { on_urc_ = std::move(h); }
  // The stream failed (read/write error, EOF). Invoked directly (the one
  // exception to "handlers are posted"), just before the engine detaches the
  // port and fails every pending command with Status::closed; it must only
  // record the fact, not call into the engine.
  void on_lost(LostHandler h) { on_lost_ = std::move(h); }

  // Starts reading from a freshly opened port. Replaces (closes) any old one.
  void attach(std::unique_ptr<Stream> stream);
  // Closes the port (if any) and completes the command in flight and every
  // queued one with Status::closed and `reason`.
  void detach(const std::string& reason);
  bool attached() const { return link_ != nullptr; }
  std::string port_description() const;

  // Queues a command. Without a port, completes at once with Status::closed.
  void submit(Request r, ReplyHandler done);
  // Writes bytes that are not a command (ESC to leave a stuck PDU prompt),
  // behind whatever is being written.
  void write_raw(std::string bytes);

  bool busy() const { return current_.has_value() || !queue_.empty(); }
  std::size_t queued() const { return queue_.size() + (current_ ? 1 : 0); }

  // Counters the resynchronisation uses to see whether the line is quiet and
  // whether late answers (stray final results, unknown URCs, unexpected
  // prompts, garbage) arrived.
  std::uint64_t bytes_received() const { return rx_bytes_; }
  std::uint64_t noise() const { return noise_; }

  // Log every byte exchanged at debug level (off by default: a busy modem
  // writes a lot).
  void set_trace(bool on) { trace_ = on; }

 private:
  struct Link;
  struct Pending {
    Request request;
    ReplyHandler done;
  };
  struct Current {
    Pending p;
    Reply reply;
    bool prompt_seen = false;
  };

  Engine(boost::asio::any_io_executor ex, std::string id);
  void start_read(const std::shared_ptr<Link>& link);
  void on_read(const std::shared_ptr<Link>& link, const boost::system::error_code& ec, std::size_t n);
  void write(std::string bytes);
  void pump_writes(const std::shared_ptr<Link>& link);
  void lose(const std::shared_ptr<Link>& link, const boost::system::error_code& ec);
  void start_next();
  void on_event(at::Event&& e);
  void on_timer(std::uint64_t serial);
  void arm(std::chrono::milliseconds t);
  void complete(Reply::Status status, std::string error = {});
  void deliver(ReplyHandler& done, Reply&& reply);

  boost::asio::any_io_executor ex_;
  std::string id_;
  boost::asio::steady_timer timer_;
  at::Parser parser_;
  std::shared_ptr<Link> link_;
  std::deque<Pending> queue_;
  std::optional<Current> current_;
  std::uint64_t serial_ = 0;  // of the command in flight, to ignore stale timer expiries
  std::vector<at::Event> events_;
  UrcHandler on_urc_;
  LostHandler on_lost_;
  std::uint64_t rx_bytes_ = 0;
  std::uint64_t noise_ = 0;
  bool trace_ = false;
};

}  // namespace sms::modem
