#include "modem/driver/engine.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include <array>
#include <utility>

#include "modem/common/log.hpp"
#include "modem/driver/port_errors.hpp"

namespace sms::modem {

namespace {
constexpr char kCtrlZ = '\x1a';  // ends the PDU after the prompt (27.005 3.5.1)
constexpr char kEsc = '\x1b';    // abandons the PDU input (27.005 3.5.1)
}  // namespace

// One opened port with its read buffer and write queue. Handlers hold the
// Link, so a port replaced while an operation is pending never sees the new
// port's state (and its buffer stays alive until the aborted handler ran).
struct Engine::Link {
  std::unique_ptr<Stream> stream;
  std::array<char, 4096> buf{};
  std::deque<std::string> writes;  // deque: push_back keeps the front's data valid
  bool writing = false;
};

std::optional<std::string> Reply::value(std::string_view prefix) const {
  for (const auto& r : responses) {
    std::string_view line = r.line;
    if (line.substr(0, prefix.size()) != prefix) continue;
    line.remove_prefix(prefix.size());
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    return std::string(line);
  }
  return std::nullopt;
}

std::string Reply::describe() const {
  switch (status) {
    case Status::final:
      switch (final.code) {
        case at::FinalCode::ok: return "OK";
        case at::FinalCode::error: return "ERROR";
        case at::FinalCode::cme_error: return "+CME ERROR: " + final.text;
        case at::FinalCode::cms_error: return "+CMS ERROR: " + final.text;
        case at::FinalCode::modem_error: return "MODEM ERROR: " + final.text;
        default: return std::string(at::to_string(final.code));
      }
    case Status::timeout:
    case Status::prompt_timeout:
    case Status::closed: return error;
  }
  return error;
}

std::shared_ptr<Engine> Engine::create(boost::asio::any_io_executor ex, std::string id) {
  return std::shared_ptr<Engine>(new Engine(std::move(ex), std::move(id)));
}

Engine::Engine(boost::asio::any_io_executor ex, std::string id) : ex_(ex), id_(std::move(id)), timer_(ex) {}

Engine::~Engine() {
  if (link_) link_->stream->close();
}

std::string Engine::port_description() const { return link_ ? link_->stream->describe() : std::string(); }

void Engine::attach(std::unique_ptr<Stream> stream) {
  if (link_) detach("port replaced");
  parser_.reset();
  link_ = std::make_shared<Link>();
  link_->stream = std::move(stream);
  start_read(link_);
  start_next();
}

void Engine::detach(const std::string& reason) {
  if (link_) {
    link_->stream->close();
    link_.reset();
  }
  parser_.reset();
  if (current_) complete(Reply::Status::closed, reason);
  while (!queue_.empty()) {
    Pending p = std::move(queue_.front());
    queue_.pop_front();
    Reply r;
    r.status = Reply::Status::closed;
    r.error = reason;
    deliver(p.done, std::move(r));
  }
}

void Engine::submit(Request r, ReplyHandler done) {
  if (!link_) {
    Reply reply;
    reply.status = Reply::Status::closed;
    reply.error = "port not open";
    deliver(done, std::move(reply));
    return;
  }
  queue_.push_back(Pending{std::move(r), std::move(done)});
  start_next();
}

void Engine::write_raw(std::string bytes) { write(std::move(bytes)); }

void Engine::start_read(const std::shared_ptr<Link>& link) {
  link->stream->async_read_some(link->buf.data(), link->buf.size(),
                                [self = shared_from_this(), link](const boost::system::error_code& ec, std::size_t n) {
                                  self->on_read(link, ec, n);
                                });
}

void Engine::on_read(const std::shared_ptr<Link>& link, const boost::system::error_code& ec, std::size_t n) {
  if (link != link_) return;  // detached or replaced meanwhile
  if (ec) return lose(link, ec);
  rx_bytes_ += n;
  const std::string_view bytes(link->buf.data(), n);
  if (trace_) log::debug(id_, "<- {}", at::escape_bytes(bytes));
  events_.clear();
  parser_.feed(bytes, events_);
  std::vector<at::Event> events;
  events.swap(events_);
  for (auto& e : events) {
    on_event(std::move(e));
    if (link != link_) return;  // a write failed inside: the link is gone
  }
  start_read(link);
}

void Engine::write(std::string bytes) {
  if (!link_) return;
  if (trace_) log::debug(id_, "-> {}", at::escape_bytes(bytes));
  link_->writes.push_back(std::move(bytes));
  if (!link_->writing) pump_writes(link_);
}

void Engine::pump_writes(const std::shared_ptr<Link>& link) {
  link->writing = true;
  const std::string& front = link->writes.front();
  link->stream->async_write(front.data(), front.size(),
                            [self = shared_from_this(), link](const boost::system::error_code& ec) {
                              if (link != self->link_) return;
                              if (ec) return self->lose(link, ec);
                              link->writes.pop_front();
                              if (link->writes.empty())
                                link->writing = false;
                              else
                                self->pump_writes(link);
                            });
}

void Engine::lose(const std::shared_ptr<Link>& link, const boost::system::error_code& ec) {
  if (link != link_) return;
  const std::string reason = describe_io_error(ec, link->stream->describe());
  // Told before the pending commands complete, so whoever awaits them can
  // already see why the port went away.
  if (on_lost_) on_lost_(reason, is_vanished(ec));
  detach(reason);
}

void Engine::start_next() {
  if (current_ || queue_.empty() || !link_) return;
  current_.emplace(Current{std::move(queue_.front()), Reply{}, false});
  queue_.pop_front();
  const Request& r = current_->p.request;
  parser_.begin(r.parse_as ? *r.parse_as : at::command_for(r.text));
  write(r.text + "\r");
  arm(r.timeout);
}

void Engine::arm(std::chrono::milliseconds t) {
  const std::uint64_t serial = ++serial_;
  timer_.expires_after(t);
  timer_.async_wait([weak = weak_from_this(), serial](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->on_timer(serial);
  });
}

void Engine::on_timer(std::uint64_t serial) {
  if (serial != serial_ || !current_) return;
  const Request& r = current_->p.request;
  if (!r.pdu.empty() && !current_->reply.pdu_written) {
    // Leave the PDU input mode so the modem listens to commands again.
    write(std::string(1, kEsc));
    complete(Reply::Status::prompt_timeout,
             fmt::format("no \"> \" prompt for {} within {} ms", r.text, r.timeout.count()));
  } else if (current_->reply.pdu_written) {
    complete(Reply::Status::timeout,
             fmt::format("no answer to the PDU of {} within {} ms", r.text, r.submit_timeout.count()));
  } else {
    complete(Reply::Status::timeout, fmt::format("no answer to {} within {} ms", r.text, r.timeout.count()));
  }
}

void Engine::complete(Reply::Status status, std::string error) {
  if (!current_) return;
  Current c = std::move(*current_);
  current_.reset();
  ++serial_;  // any expiry already queued belongs to the finished command
  timer_.cancel();
  if (status == Reply::Status::timeout || status == Reply::Status::prompt_timeout) {
    // Its late answer must not be taken for the next command's (it comes as "stray").
    parser_.abandon();
  }
  c.reply.status = status;
  c.reply.error = std::move(error);
  deliver(c.p.done, std::move(c.reply));
  start_next();
}

void Engine::deliver(ReplyHandler& done, Reply&& reply) {
  if (!done) return;
  boost::asio::post(ex_, [done = std::move(done), reply = std::move(reply)]() mutable { done(std::move(reply)); });
}

void Engine::on_event(at::Event&& e) {
  switch (e.kind) {
    case at::EventKind::echo:
      break;
    case at::EventKind::response:
      if (current_) current_->reply.responses.push_back(std::move(e));
      break;
    case at::EventKind::prompt:
      if (e.expected && current_ && !current_->p.request.pdu.empty() && !current_->prompt_seen) {
        current_->prompt_seen = true;
        Request& r = current_->p.request;
        if (r.on_prompt) r.on_prompt();
        if (!current_) return;  // on_prompt must not touch the engine, but be safe
        current_->reply.pdu_written = true;
        parser_.pdu_written(r.pdu);
        write(r.pdu + kCtrlZ);
        arm(r.submit_timeout);
      } else {
        // A modem waiting for a PDU nobody will send (a previous process died
        // after AT+CMGS=): ESC returns it to command mode.
        ++noise_;
        log::debug(id_, "unexpected \"> \" prompt: sending ESC");
        write(std::string(1, kEsc));
      }
      break;
    case at::EventKind::final:
      if (current_) {
        current_->reply.final = std::move(e.final);
        complete(Reply::Status::final);
      } else {
        ++noise_;
      }
      break;
    case at::EventKind::urc:
      if (e.urc == at::Urc::unknown) ++noise_;
      if (on_urc_)
        boost::asio::post(ex_, [self = shared_from_this(), e = std::move(e)] {
          if (self->on_urc_) self->on_urc_(e);
        });
      break;
    case at::EventKind::stray:
      ++noise_;
      log::debug(id_, "late answer ignored: {}", at::escape_bytes(e.line));
      break;
    case at::EventKind::garbage:
      ++noise_;
      log::debug(id_, "garbage from the modem ignored: {}", at::escape_bytes(e.line));
      break;
  }
}

}  // namespace sms::modem
