// Modem: public API, the port's life cycle (open, initialise, serve, reopen)
// and the command helpers every other part uses.
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <exception>

#include "modem/common/log.hpp"
#include "modem/driver/modem_impl.hpp"
#include "modem/driver/port.hpp"
#include "modem/driver/replies.hpp"

namespace sms::modem {

namespace asio = boost::asio;

// ---- Awaiting the engine -------------------------------------------------------

Awaitable<Reply> async_submit(std::shared_ptr<Engine> engine, Request r) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(Reply)>(
      [engine](auto handler, Request req) {
        // std::function needs a copyable target; the coroutine's handler is move-only.
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        engine->submit(std::move(req), [h](Reply reply) { (*h)(std::move(reply)); });
      },
      asio::use_awaitable, std::move(r));
}

namespace {
Awaitable<Result<std::unique_ptr<Stream>>> async_open(asio::any_io_executor ex, PortSettings s,
                                                      std::function<void(ModemConfig::OpenDone)> opener) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(Result<std::unique_ptr<Stream>>)>(
      [ex, opener](auto handler, PortSettings settings) {
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        auto done = [h](Result<std::unique_ptr<Stream>> r) { (*h)(std::move(r)); };
        if (opener)
          opener(done);
        else
          async_open_port(ex, settings, done);
      },
      asio::use_awaitable, std::move(s));
}
}  // namespace

// ---- Modem -------------------------------------------------------------------

Modem::Modem(asio::any_io_executor ex, ModemConfig cfg, StateHandler on_state, IncomingHandler on_incoming)
    : impl_(std::make_shared<Impl>(std::move(ex), std::move(cfg), std::move(on_state), std::move(on_incoming))) {}

Modem::~Modem() {
  if (impl_) impl_->orphan();
}

void Modem::start() { impl_->start(); }
void Modem::stop(std::function<void()> done) { impl_->stop(std::move(done)); }
void Modem::send(std::vector<PduToSend> parts, bool more_follow, HandingHandler on_handing, SendHandler done) {
  impl_->send(std::move(parts), more_follow, std::move(on_handing), std::move(done));
}
void Modem::list_stored(ListHandler done) { impl_->list_stored(std::move(done)); }
State Modem::state() const { return impl_->state_; }
const Info& Modem::info() const { return impl_->info; }
const ModemConfig& Modem::config() const { return impl_->cfg; }

// ---- Impl: public side -------------------------------------------------------------

Modem::Impl::Impl(asio::any_io_executor ex_, ModemConfig cfg_, StateHandler on_state_, IncomingHandler on_incoming_)
    : ex(ex_),
      cfg(std::move(cfg_)),
      on_state(std::move(on_state_)),
      on_incoming(std::move(on_incoming_)),
      engine(Engine::create(ex_, cfg.id)),
      wake_timer(ex_),
      sleep_timer(ex_) {
  engine->set_trace(cfg.trace);
}

void Modem::Impl::start() {
  if (running) return;
  started = true;
  stopping = false;
  pin_refused = false;
  running = true;
  std::weak_ptr<Impl> weak = shared_from_this();
  engine->on_urc([weak](const at::Event& e) {
    if (auto self = weak.lock()) self->on_urc(e);
  });
  engine->on_lost([weak](const std::string& reason, bool) {
    if (auto self = weak.lock()) {
      self->lost = true;
      self->lost_reason = reason;
      self->wake();
    }
  });
  asio::co_spawn(ex, run(), [self = shared_from_this()](std::exception_ptr) {
    self->running = false;
    auto waiters = std::move(self->stop_waiters);
    self->stop_waiters.clear();
    for (auto& w : waiters)
      if (w) w();
  });
}

void Modem::Impl::stop(std::function<void()> done) {
  const bool was_stopping = stopping;
  stopping = true;
  if (!was_stopping) {
    engine->detach("shutting down");
    fail_sends(Failure::modem, "shutting down");
    while (!list_requests.empty()) {
      auto h = std::move(list_requests.front());
      list_requests.pop_front();
      asio::post(ex, [h] { h(make_error("shutting down")); });
    }
    set_state(State::stopped, "stop requested");
  }
  wake_timer.cancel();
  sleep_timer.cancel();
  if (running) {
    if (done) stop_waiters.push_back(std::move(done));
  } else if (done) {
    asio::post(ex, std::move(done));
  }
}

void Modem::Impl::orphan() {
  on_state = nullptr;
  on_incoming = nullptr;
  // Queued sends and lists are dropped without a call: their owner is gone.
  sends.clear();
  list_requests.clear();
  stop_waiters.clear();
  stop({});
}

void Modem::Impl::send(std::vector<PduToSend> parts, bool more_follow, HandingHandler on_handing, SendHandler done) {
  SendJob job{std::move(parts), more_follow, std::move(on_handing), std::move(done)};
  auto refuse = [&](Failure f, std::string why) {
    SendOutcome out;
    out.failure = f;
    out.error = std::move(why);
    finish_send(job, std::move(out));
  };
  if (job.parts.empty()) return refuse(Failure::permanent, "nothing to send: no parts");
  if (stopping || !started) return refuse(Failure::modem, stopping ? "shutting down" : "modem not started");
  if (is_fatal(state_) || state_ == State::disconnected)
    return refuse(Failure::modem, fmt::format("modem {} is {}: {}", cfg.id, to_string(state_), detail_));
  sends.push_back(std::move(job));
  wake();
}

void Modem::Impl::list_stored(ListHandler done) {
  if (stopping || !(state_ == State::ready || state_ == State::not_registered || state_ == State::storage_full)) {
    const std::string why = fmt::format("modem {} is {}: {}", cfg.id, to_string(state_), detail_);
    asio::post(ex, [done = std::move(done), why] { done(make_error(why)); });
    return;
  }
  list_requests.push_back(std::move(done));
  wake();
}

void Modem::Impl::finish_send(SendJob& job, SendOutcome&& out) {
  out.parts_accepted = static_cast<int>(out.references.size());
  if (!job.done) return;
  asio::post(ex, [done = std::move(job.done), out = std::move(out)] { done(out); });
}

void Modem::Impl::fail_sends(Failure f, const std::string& why) {
  auto jobs = std::move(sends);
  sends.clear();
  for (auto& job : jobs) {
    SendOutcome out;
    out.failure = f;
    out.error = why;
    finish_send(job, std::move(out));
  }
}

void Modem::Impl::set_state(State s, const std::string& detail) {
  const bool changed = s != state_ || detail != detail_;
  if (s != state_) {
    const auto level = is_fatal(s) ? log::Level::error
                       : (s == State::disconnected || s == State::not_registered || s == State::storage_full)
                           ? log::Level::warning
                           : log::Level::info;
    if (log::enabled(level))
      log::write(level, cfg.id,
                 fmt::format("state {} -> {}{}{}", to_string(state_), to_string(s), detail.empty() ? "" : ": ",
                             detail));
  }
  state_ = s;
  detail_ = detail;
  if (changed && on_state) {
    try {
      on_state(state_, info, detail_);
    } catch (const std::exception& e) {
      log::error(cfg.id, "state handler threw: {}", e.what());
    }
  }
}

void Modem::Impl::wake() { wake_timer.cancel(); }

Awaitable<void> Modem::Impl::sleep(std::chrono::milliseconds d) {
  sleep_timer.expires_after(d);
  boost::system::error_code ec;
  co_await sleep_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  co_return;
}

// ---- Commands ---------------------------------------------------------------------

Awaitable<Reply> Modem::Impl::exec(Request r) {
  Reply reply = co_await async_submit(engine, std::move(r));
  note_reply(reply);
  co_return reply;
}

Awaitable<Reply> Modem::Impl::exec(std::string text, std::chrono::milliseconds timeout) {
  Request r;
  r.text = std::move(text);
  r.timeout = timeout;
  co_return co_await exec(std::move(r));
}

void Modem::Impl::note_reply(const Reply& r) {
  if (r.status == Reply::Status::timeout || r.status == Reply::Status::prompt_timeout) need_probe = true;
  if (r.status == Reply::Status::final && is_memory_full(r.final) && initialised && state_ != State::storage_full) {
    set_state(State::storage_full, fmt::format("message storage {} full ({})", storage, r.describe()));
    sweep_due = true;
  }
}

Awaitable<Reply> Modem::Impl::exec_when_ready(std::string text, std::chrono::milliseconds timeout) {
  // SIMCom answers 314 for up to ~10 s after power-up (until "SMS Ready");
  // allow a generous minute, then let the caller report the error.
  const auto deadline = Clock::now() + std::max<std::chrono::milliseconds>(cfg.timeouts.command * 6, std::chrono::seconds(60));
  for (;;) {
    Reply r = co_await exec(text, timeout);
    if (r.status != Reply::Status::final || !is_not_ready(r.final) || stopping || lost || Clock::now() >= deadline)
      co_return r;
    log::debug(cfg.id, "{}: {} (SIM not ready yet), retrying", text, r.describe());
    co_await sleep(std::chrono::milliseconds(500));
  }
}

// ---- The port's life ----------------------------------------------------------------

Awaitable<void> Modem::Impl::run() {
  auto self = shared_from_this();  // keep alive while the coroutine runs
  auto backoff = cfg.reconnect_min;
  auto next_backoff = [&] {
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, cfg.reconnect_max);
  };
  set_state(State::starting, "opening " + cfg.port);
  while (!stopping) {
    reads.clear();  // indexes announced to an earlier session: the sweep finds whatever is still there
    lost = false;
    need_probe = false;
    restarted = false;
    initialised = false;
    lost_reason.clear();
    PortSettings ps;
    ps.port = cfg.port;
    ps.baud = cfg.baud;
    ps.rtscts = cfg.rtscts;
    ps.connect_timeout = cfg.timeouts.command;
    auto opened = co_await async_open(ex, ps, cfg.open_port);
    if (stopping) break;
    if (!opened) {
      if (state_ != State::disconnected || detail_ != opened.error())
        set_state(State::disconnected, opened.error());
      fail_sends(Failure::modem, opened.error());
      co_await sleep(backoff);
      next_backoff();
      continue;
    }
    log::debug(cfg.id, "opened {}", (*opened)->describe());
    engine->attach(std::move(*opened));
    if (state_ != State::starting) set_state(State::starting, "initialising");

    InitEnd end = InitEnd::failed;
    try {
      end = co_await initialise();
    } catch (const std::exception& e) {
      log::error(cfg.id, "initialisation failed unexpectedly: {}", e.what());
    }
    if (stopping) break;
    if (end == InitEnd::fatal) {
      // Wrong PIN, PUK, no SIM: a human must act. Close the port and wait for stop().
      engine->detach(detail_);
      fail_sends(Failure::modem, detail_);
      while (!stopping) co_await sleep(std::chrono::hours(24));
      break;
    }
    if (end == InitEnd::failed) {
      const std::string why = lost ? lost_reason : detail_;
      engine->detach(why);
      set_state(State::disconnected, why);
      fail_sends(Failure::modem, why);
      co_await sleep(backoff);
      next_backoff();
      continue;
    }
    backoff = cfg.reconnect_min;

    ServeEnd how = ServeEnd::lost;
    try {
      how = co_await serve();
    } catch (const std::exception& e) {
      log::error(cfg.id, "modem loop failed unexpectedly: {}", e.what());
      lost_reason = std::string("internal error: ") + e.what();
    }
    initialised = false;
    if (stopping || how == ServeEnd::stopped) break;
    std::string why = how == ServeEnd::lost       ? lost_reason
                      : how == ServeEnd::silent   ? "modem stopped answering; reopening the port"
                                                  : "modem restarted; initialising again";
    engine->detach(why);
    set_state(how == ServeEnd::restarted ? State::starting : State::disconnected, why);
    fail_sends(Failure::modem, why);
    if (how != ServeEnd::restarted) {
      co_await sleep(backoff);
      next_backoff();
    }
  }
  engine->detach("shutting down");
  co_return;
}

Awaitable<Modem::Impl::ServeEnd> Modem::Impl::serve() {
  const auto now0 = Clock::now();
  next_health = now0 + cfg.health_interval;
  next_sweep = now0;  // sweep at once: messages that came while nobody listened
  sweep_due = cfg.handle_incoming;
  for (;;) {
    if (stopping) co_return ServeEnd::stopped;
    if (lost) co_return ServeEnd::lost;
    if (restarted) co_return ServeEnd::restarted;
    if (need_probe) {
      need_probe = false;
      const bool answered = co_await resync(3);
      if (!answered) co_return lost ? ServeEnd::lost : ServeEnd::silent;
      continue;
    }
    const auto now = Clock::now();
    if (!list_requests.empty()) {
      auto h = std::move(list_requests.front());
      list_requests.pop_front();
      auto r = co_await list(storage);
      asio::post(ex, [h, r = std::move(r)]() mutable { h(std::move(r)); });
      continue;
    }
    if (!reads.empty()) {
      StoredRef ref = reads.front();
      reads.pop_front();
      co_await read_stored(ref.storage, ref.index, ref.kind);
      continue;
    }
    if (cfg.handle_incoming && (sweep_due || now >= next_sweep)) {
      sweep_due = false;
      co_await sweep();
      next_sweep = Clock::now() + cfg.sweep_interval;
      continue;
    }
    if (!sends.empty()) {
      if (state_ == State::not_registered) {
        fail_sends(Failure::temporary, fmt::format("modem {} is not registered to a network", cfg.id));
        continue;
      }
      SendJob job = std::move(sends.front());
      sends.pop_front();
      co_await send_one(std::move(job));
      continue;
    }
    if (now >= next_health) {
      co_await health();
      auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(cfg.health_interval);
      // Not registered: look more often, so sending resumes soon after the network returns.
      if (state_ == State::not_registered) interval = std::min<std::chrono::milliseconds>(interval, std::chrono::seconds(10));
      next_health = Clock::now() + interval;
      continue;
    }
    auto until = next_health;
    if (cfg.handle_incoming) until = std::min(until, next_sweep);
    wake_timer.expires_at(until);
    boost::system::error_code ec;
    co_await wake_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace sms::modem
