#include "src/dispatch/worker.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <mutex>
#include <optional>

#include "db/store.hpp"
#include "modem/common/log.hpp"
#include "modem/pdu/pdu.hpp"
#include "src/dispatch/gate.hpp"
#include "src/dispatch/policy_gate.hpp"
#include "src/dispatch/inbound.hpp"
#include "src/dispatch/outcome.hpp"
#include "src/dispatch/spawner.hpp"

namespace sms::dispatch {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

namespace {

// Seconds from now until a UTC "YYYY-MM-DD HH:MM:SS[.SSS]" time (<= 0 if past).
std::optional<double> seconds_until(const std::string& utc) {
  std::tm tm{};
  int y, mo, d, h, mi;
  double s;
  if (std::sscanf(utc.c_str(), "%d-%d-%d %d:%d:%lf", &y, &mo, &d, &h, &mi, &s) != 6) return std::nullopt;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = 0;
  const double t = static_cast<double>(timegm(&tm)) + s;
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return t - (static_cast<double>(now.tv_sec) + now.tv_nsec / 1e9);
}

RetryPolicy policy_of(const config::Dispatch& d) { return {d.max_attempts, d.retry_delays_s}; }

// The workers of one process take turns for their write transactions here,
// before SQLite's lock: a waiter wakes the moment the lock is free instead of
// sleeping in SQLite's busy handler (1, 2, 5, 10 ms ...) and retrying file
// locks. Other processes still meet at SQLite's lock, with the busy timeout.
std::mutex& write_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

struct Job {
  db::OutRow row;
  std::vector<modem::PduToSend> parts;   // what goes to the modem (only the missing ones when resuming)
  int total_parts = 0;                   // parts of the whole message
  std::vector<int> earlier_refs;         // resuming: references of the parts that went out before
  int concat_ref = -1;                   // the concatenation reference the parts carry (multipart)
  bool status_report = false;  // asked for one: its parts go to outbox_parts for matching
  bool handed = false;     // on_handing ran: the first PDU is being/was written
  bool db_handed = false;  // the row's hand-over mark is already committed (by advance)
};

struct Worker::Impl : std::enable_shared_from_this<Worker::Impl> {
  explicit Impl(WorkerSettings s)
      : settings(std::move(s)),
        id(settings.modem.id),
        gate(GateSettings{settings.dispatch.max_parts}),
        policy_gate(settings.policy, settings.modem.id, settings.dispatch.max_parts),
        optout_numbers(settings.policy ? settings.policy->policy.default_region : std::string("CN")),
        poll_timer(ioc),
        due_timer(ioc),
        pause_timer(ioc),
        flush_timer(ioc),
        reap_timer(ioc),
        stop_timer(ioc),
        recheck_timer(ioc),
        guard(asio::make_work_guard(ioc)) {
    policy_gate.set_modems(settings.known_modems);
    // The sending policy decides last, after the row's own validation.
    gate.add_rule("policy", [this](const db::OutRow& row) { return policy_gate.check(row); });
    store_gate = gate.as_store_gate();
    concat_ref = static_cast<std::uint8_t>(std::time(nullptr) ^ std::hash<std::string>{}(id));
  }

  WorkerSettings settings;
  const std::string id;
  asio::io_context ioc;
  std::optional<db::Store> store;
  std::unique_ptr<modem::Modem> modem;
  Gate gate;
  PolicyGate policy_gate;
  policy::Numbers optout_numbers;   // for opt-out replies (this thread's own)
  db::Gate store_gate;
  Spawner spawner;

  asio::steady_timer poll_timer, due_timer, pause_timer, flush_timer, reap_timer, stop_timer, recheck_timer;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  std::atomic<bool> wake_pending{false};
  // False while a message is in the modem and the next one is already
  // claimed: a change notice cannot matter then, so the watcher thread does
  // not even post one (saves a thread wake-up per commit while draining).
  std::atomic<bool> wants_wake{true};
  void update_wants_wake() {
    const bool want = !(inflight && prefetched);
    if (wants_wake.exchange(want, std::memory_order_relaxed) != want && settings.wants_wake_changed)
      settings.wants_wake_changed();
  }

  std::shared_ptr<Job> inflight;   // in the modem
  std::shared_ptr<Job> prefetched; // claimed and encoded, waiting for the modem
  bool dirty = true;               // the queue may hold something due for us
  bool paused = false;             // after a give-back: let the modem settle
  bool stopping = false, modem_stopping = false;
  std::int64_t last_dv = -1;
  std::uint8_t concat_ref = 0;
  std::string due_armed_for;

  // ---------------------------------------------------------------- start-up
  void run() {
    try {
      store.emplace(db::Store::open(settings.db_path, settings.busy_timeout_ms));
      if (settings.counters) store->set_counter_cache(settings.counters);
      if (settings.lists) store->set_list_cache(settings.lists);
      policy_gate.attach(&*store);
      last_dv = store->data_version();
    } catch (const std::exception& e) {
      log::error(id, "cannot open the database {}: {}; this modem's worker does not run", settings.db_path,
                 e.what());
      return;
    }
    auto self = shared_from_this();
    modem = std::make_unique<modem::Modem>(
        ioc.get_executor(), settings.modem,
        [this](modem::State s, const modem::Info& info, const std::string& detail) { on_state(s, info, detail); },
        [this](const modem::Incoming& m) { return on_incoming(m); });
    // Start-up check for rows naming unknown modems: only when the server told
    // us all its modem ids; otherwise the first fallback poll does it, once
    // the other workers of this process have written their modems rows.
    if (!settings.known_modems.empty()) fail_unknown_modems();
    modem->start();
    arm_poll();
    arm_flush();
    try {
      ioc.run();
    } catch (const std::exception& e) {
      log::error(id, "worker stopped by an unexpected error: {}", e.what());
    }
    modem.reset();
    spawner.reap(settings.run_on_receive_timeout_s);
    store.reset();
  }

  // ---------------------------------------------------------------- timers
  void arm_poll() {
    poll_timer.expires_after(milliseconds(std::max(100, settings.dispatch.poll_interval_ms)));
    poll_timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopping) return;
      fail_unknown_modems();
      flush_counts();
      dirty = true;
      pump();
      arm_poll();
    });
  }

  // Rows naming a modem no server has would stay 'queued' forever. Runs on
  // the fallback poll (the first one doubles as the start-up check: by then
  // every worker of this process has written its modems row), and counts this
  // server's configured modems as known even before their rows exist.
  void fail_unknown_modems() {
    try {
      std::vector<std::string> known = settings.known_modems;
      known.push_back(id);
      std::lock_guard lock(write_mutex());
      store->fail_unknown_modems(known);
    } catch (const std::exception& e) {
      log::error(id, "failing rows for unknown modems failed: {}", e.what());
    }
  }

  // Counters advance() left pending while the queue was busy.
  void flush_counts() {
    try {
      std::lock_guard lock(write_mutex());
      store->flush_counts();
    } catch (const std::exception& e) {
      log::warn(id, "writing the modem counters failed: {}", e.what());
    }
  }

  void arm_flush() {
    const int timeout = std::max(1, settings.dispatch.partial_timeout_s);
    flush_timer.expires_after(seconds(std::clamp(timeout / 4, 1, 60)));
    flush_timer.async_wait([this, timeout](const boost::system::error_code& ec) {
      if (ec || stopping) return;
      try {
        for (auto inbox_id : store->flush_incomplete(timeout)) {
          log::warn(id, "inbox row {}: parts of a multipart message never came; stored as partial", inbox_id);
          after_stored(inbox_id);
        }
      } catch (const std::exception& e) {
        log::error(id, "flushing incomplete multipart messages failed: {}", e.what());
      }
      arm_flush();
    });
  }

  void arm_due(const std::string& when) {
    if (when.empty() || when == due_armed_for) return;
    auto secs = seconds_until(when);
    if (!secs) return;
    due_armed_for = when;
    // +5 ms so the row is due by the database's clock too.
    due_timer.expires_after(milliseconds(static_cast<long>(std::max(0.0, *secs) * 1000) + 5));
    due_timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopping) return;
      due_armed_for.clear();
      dirty = true;
      pump();
    });
  }

  void pause_claims(milliseconds d) {
    paused = true;
    pause_timer.expires_after(d);
    pause_timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      paused = false;
      dirty = true;
      pump();
    });
  }

  // ---------------------------------------------------------------- wake-up
  void on_wake() {
    wake_pending = false;
    if (stopping || !store) return;
    // Busy with a message and the next one already claimed: the completion
    // claims again anyway, so a change notice adds nothing.
    if (inflight && prefetched) return;
    recheck_step = 0;
    recheck_waited_ms = 0;
    check_version();
  }

  // inotify reports the writer's pwrite() of the WAL frames, which comes
  // before its commit is visible (the commit is published afterwards, after
  // the writer's fsync - synchronous=FULL is the default of most clients -
  // through the memory-mapped -shm index, which inotify cannot see). So an
  // unchanged data_version right after a notice is re-checked after 1, 2, 4
  // and then every 8 ms, for up to 200 ms: a commit published late (a slow
  // fsync) is still found within 8 ms. A doubling schedule (1 ... 64 ms) let
  // a 40 ms fsync cost 25 ms more of latency; the cost of the flat tail is a
  // few more data_version reads after a notice that was not a commit.
  static constexpr int kRecheckCapMs = 8, kRecheckWindowMs = 200;
  void check_version() {
    try {
      auto dv = store->data_version();
      if (dv != last_dv) {
        last_dv = dv;
        recheck_timer.cancel();
        dirty = true;
        pump();
        return;
      }
    } catch (const std::exception& e) {
      log::error(id, "PRAGMA data_version failed: {}", e.what());
      return;
    }
    if (recheck_waited_ms >= kRecheckWindowMs) return;
    const int delay = std::min(1 << std::min(recheck_step++, 3), kRecheckCapMs);
    recheck_waited_ms += delay;
    recheck_timer.expires_after(milliseconds(delay));
    recheck_timer.async_wait([this](const boost::system::error_code& ec) {
      if (!ec && !stopping) check_version();
    });
  }
  int recheck_step = 0, recheck_waited_ms = 0;

  // ---------------------------------------------------------------- dispatch
  bool can_claim() const {
    return !stopping && !paused && store && modem && modem->state() == modem::State::ready;
  }

  // Claims and encodes the next row; rows that cannot be encoded fail here.
  std::shared_ptr<Job> claim() {
    if (!dirty || !can_claim()) return nullptr;
    try {
      for (int guard_count = 0; guard_count < 64; ++guard_count) {
        std::unique_lock lock(write_mutex());
        auto row = store->claim_next(id, store_gate);
        last_dv = store->claim_data_version();
        if (!row) {
          dirty = false;
          arm_due(store->next_due_time());
          return nullptr;
        }
        if (auto job = make_job(std::move(*row))) return job;
      }
      return nullptr;
    } catch (const std::exception& e) {
      log::error(id, "claiming the next outbox row failed: {}; trying again shortly", e.what());
      pause_claims(seconds(1));
      return nullptr;
    }
  }

  // Encodes a claimed row; a row that cannot be encoded fails here (caller
  // holds write_mutex) and the result is null.
  std::shared_ptr<Job> make_job(db::OutRow row) {
    pdu::SubmitOptions o;
    o.destination = row.recipient;
    o.status_report = row.status_report || settings.dispatch.status_reports;
    o.flash = row.flash;
    o.validity_minutes = row.validity_minutes;
    // The rest of a partly sent message must carry the reference its first
    // parts carried, or the phone cannot join them.
    const bool resume = row.resume_part > 0;
    o.concat_reference = resume && row.concat_ref ? static_cast<std::uint8_t>(*row.concat_ref) : concat_ref++;
    auto enc = pdu::encode_submit(row.text, o);
    std::string error;
    if (!enc) {
      error = "cannot encode the message: " + enc.error();
    } else if (resume && (!row.concat_ref || static_cast<int>(enc->parts.size()) != row.parts ||
                          row.resume_part > row.parts)) {
      error = fmt::format(
          "cannot send only the missing parts: the message now makes {} part(s), not the {} it had when {} of them "
          "went out{}; smsctl retry --whole {} sends all of it again",
          enc->parts.size(), row.parts, row.resume_part - 1, row.concat_ref ? " (was the text changed?)" : "",
          row.id);
    }
    if (!error.empty()) {
      log::warn(id, "outbox row {}: {}", row.id, error);
      store->count_modem(id, 0, 1, 0);   // committed with the outcome below
      store->record_failed(row.id, error);
      return nullptr;
    }
    auto job = std::make_shared<Job>();
    job->row = std::move(row);
    job->status_report = o.status_report;
    job->total_parts = static_cast<int>(enc->parts.size());
    job->concat_ref = o.concat_reference;
    const std::size_t first = resume ? static_cast<std::size_t>(job->row.resume_part - 1) : 0;
    if (resume) {
      job->earlier_refs = db::split_refs(job->row.refs);
      job->earlier_refs.resize(std::min(job->earlier_refs.size(), first));
    }
    job->parts.reserve(enc->parts.size() - first);
    for (std::size_t k = first; k < enc->parts.size(); ++k)
      job->parts.push_back({std::move(enc->parts[k].hex), enc->parts[k].tpdu_length});
    if (log::enabled(log::Level::debug))
      log::debug(id, "claimed outbox row {} ({} part(s)) for {}", job->row.id, job->parts.size(), job->row.recipient);
    return job;
  }

  // more: the job was prefetched while another one was in the modem, so the
  // queue is busy and AT+CMMS may keep the relay link open; a job claimed from
  // idle is most likely alone.
  void send(std::shared_ptr<Job> job, bool more) {
    inflight = job;
    auto parts = job->parts;
    modem->send(
        std::move(parts), more,
        [this, job](int) {
          if (job->handed) return;
          job->handed = true;
          if (job->db_handed) return;   // committed by advance() before the write
          try {
            std::lock_guard lock(write_mutex());
            store->mark_handed(job->row.id);
          } catch (const std::exception& e) {
            log::error(id, "outbox row {}: recording the hand-over failed: {}", job->row.id, e.what());
          }
        },
        [this, job](const modem::SendOutcome& o) { on_sent(job, o); });
  }

  void pump() {
    if (stopping || !modem) return;
    if (!inflight) {
      bool from_prefetch = prefetched != nullptr;
      if (!prefetched) prefetched = claim();
      if (prefetched) {
        auto j = std::move(prefetched);
        prefetched.reset();
        send(std::move(j), from_prefetch);
      }
    }
    if (inflight && !prefetched) prefetched = claim();
    update_wants_wake();
  }

  // One write transaction per message (Store::advance): the outcome of the
  // message the modem just finished, the hand-over mark of the prefetched one
  // that goes out next, and the claim of the one after it. The commit comes
  // before the next PDU is written, so the hand-over mark still precedes the
  // write (crash safety); the modem waits for one short transaction.
  void on_sent(const std::shared_ptr<Job>& job, const modem::SendOutcome& o) {
    if (inflight == job) inflight.reset();
    const auto d = decide(o, job->handed, job->row.attempts, job->total_parts, policy_of(settings.dispatch),
                          static_cast<int>(job->earlier_refs.size()));
    db::Advance a;
    a.finished = finished_of(*job, d, o);
    std::shared_ptr<Job> next;
    if (!stopping && prefetched && modem->state() == modem::State::ready) {
      next = std::move(prefetched);
      prefetched.reset();
      a.hand_id = next->row.id;
    }
    a.claim = !stopping && dirty && can_claim();
    std::shared_ptr<Job> claimed;
    bool recorded = false;
    try {
      std::unique_lock lock(write_mutex());
      count_outcome(d);
      auto row = store->advance(id, a, store_gate);
      if (a.claim) last_dv = store->claim_data_version();
      recorded = true;
      if (next) next->db_handed = true;
      if (a.claim) {
        if (row) {
          claimed = make_job(std::move(*row));
          // An unencodable row failed on the way: claim again later (pump).
        } else {
          dirty = false;
          arm_due(store->next_due_time());
        }
      }
    } catch (const std::exception& e) {
      log::error(id, "outbox row {}: recording the outcome ({}) with the next claim failed: {}", job->row.id,
                 to_string(d.kind), e.what());
    }
    if (recorded) log_outcome(*job, d);
    // Keep the modem busy: the next PDU goes out before the rest.
    if (next) send(std::move(next), true);
    if (!recorded) {
      // Nothing of the transaction was written: the outcome alone, once more.
      record(*job, d, o, /*count=*/false);   // already counted (still pending)
      if (!stopping) pause_claims(seconds(1));
    }
    if (d.kind == Decision::Kind::give_back && !stopping) pause_claims(seconds(1));
    if (claimed) prefetched = std::move(claimed);
    update_wants_wake();
    if (stopping) {
      if (!inflight) stop_modem();
      return;
    }
    pump();
  }

  static db::Finished finished_of(const Job& job, const Decision& d, const modem::SendOutcome& o) {
    db::Finished f;
    f.id = job.row.id;
    const auto all_refs = [&] {
      std::vector<int> refs = job.earlier_refs;
      refs.insert(refs.end(), o.references.begin(), o.references.end());
      return refs;
    };
    const int earlier = static_cast<int>(job.earlier_refs.size());
    switch (d.kind) {
      case Decision::Kind::sent:
        f.kind = db::Finished::Kind::sent;
        f.references = all_refs();
        f.track_parts = job.status_report;
        if (earlier > 0)
          f.note = fmt::format(
              "sent in two goes: {} went out earlier, {} on retry through the same modem with the same "
              "concatenation reference ({})",
              db::part_range(1, earlier), db::part_range(earlier + 1, job.total_parts), job.concat_ref);
        break;
      case Decision::Kind::retry:
        f.kind = db::Finished::Kind::retry;
        f.reason = d.reason;
        f.delay_seconds = d.delay_s;
        break;
      case Decision::Kind::failed:
        f.kind = db::Finished::Kind::failed;
        f.reason = d.reason;
        break;
      case Decision::Kind::give_back: f.kind = db::Finished::Kind::give_back; break;
      case Decision::Kind::unknown:
        f.kind = db::Finished::Kind::unknown;
        f.reason = d.reason;
        // Parts that went out are recorded, so an admin sees which and a
        // retry can send only the rest.
        if (earlier + o.parts_accepted > 0 && job.total_parts > 1) {
          f.references = all_refs();
          f.total_parts = job.total_parts;
          f.concat_ref = job.concat_ref;
          f.track_parts = job.status_report;
        }
        break;
    }
    return f;
  }

  void count_outcome(const Decision& d) {
    if (d.kind == Decision::Kind::sent) store->count_modem(id, 1, 0, 0);
    if (d.kind == Decision::Kind::failed) store->count_modem(id, 0, 1, 0);
  }

  void log_outcome(const Job& job, const Decision& d) {
    const auto& row = job.row;
    switch (d.kind) {
      case Decision::Kind::sent:
        log::info(id, "outbox row {} sent to {} ({} part(s))", row.id, row.recipient, job.parts.size());
        break;
      case Decision::Kind::retry:
        log::warn(id, "outbox row {}: attempt {} failed ({}); retrying in {} s", row.id, row.attempts, d.reason,
                  d.delay_s);
        break;
      case Decision::Kind::failed: log::warn(id, "outbox row {} failed: {}", row.id, d.reason); break;
      case Decision::Kind::give_back:
        log::info(id, "outbox row {} given back to the queue ({})", row.id, d.reason);
        break;
      case Decision::Kind::unknown:
        log::warn(id, "outbox row {} is unknown (may have been sent): {}", row.id, d.reason);
        break;
    }
  }

  // The outcome alone (no hand-over, no claim), in its own transaction.
  void record(const Job& job, const Decision& d, const modem::SendOutcome& o, bool count) {
    db::Advance a;
    a.finished = finished_of(job, d, o);
    try {
      std::lock_guard lock(write_mutex());
      if (count) count_outcome(d);
      store->advance(id, a, store_gate);
      log_outcome(job, d);
    } catch (const std::exception& e) {
      log::error(id, "outbox row {}: recording the outcome ({}) failed: {}", job.row.id, to_string(d.kind), e.what());
    }
  }
  void give_back_prefetched() {
    if (!prefetched) return;
    try {
      store->give_back(prefetched->row.id);
    } catch (const std::exception& e) {
      log::error(id, "outbox row {}: giving it back failed: {}", prefetched->row.id, e.what());
    }
    prefetched.reset();
  }

  // ---------------------------------------------------------------- modem events
  void on_state(modem::State s, const modem::Info& info, const std::string& detail) {
    log::info(id, "modem state: {}{}{}", modem::to_string(s), detail.empty() ? "" : ": ", detail);
    db::ModemRow r;
    r.id = id;
    r.port = settings.modem.port;
    r.state = std::string(modem::to_string(s));
    r.manufacturer = info.manufacturer;
    r.model = info.model;
    r.revision = info.revision;
    r.imei = info.imei;
    r.imsi = info.imsi;
    r.operator_name = info.operator_name;
    r.signal_dbm = info.signal_dbm;
    r.smsc = info.smsc;
    r.last_error = s == modem::State::ready ? "" : detail;
    try {
      if (store) store->upsert_modem(r);
    } catch (const std::exception& e) {
      log::error(id, "updating the modems table failed: {}", e.what());
    }
    if (s == modem::State::ready) {
      dirty = true;
      pump();
    } else if (!inflight) {
      give_back_prefetched();
    }
  }

  bool on_incoming(const modem::Incoming& m) {
    // The store counts the inbox row for this modem in the row's own commit.
    auto out = handle_incoming(*store, id, m);
    if (out.committed && out.inbox_id) after_stored(*out.inbox_id);
    return out.committed;
  }

  void after_stored(std::int64_t inbox_id) {
    log::info(id, "inbox row {} stored", inbox_id);
    if (settings.policy && settings.policy->policy.optout) {
      try {
        if (auto row = store->get_in(inbox_id)) {
          if (auto o = handle_optout(*store, *settings.policy, optout_numbers, *row); o && o->reply_id) dirty = true;
        }
      } catch (const std::exception& e) {
        log::error(id, "inbox row {}: opt-out check failed: {}", inbox_id, e.what());
      }
    }
    if (settings.run_on_receive.empty()) return;
    try {
      auto row = store->get_in(inbox_id);
      if (!row) return;
      std::string err;
      if (spawner.spawn(settings.run_on_receive, receive_environment(*row), &err) < 0) {
        log::error("runOnReceive", "inbox row {}: {}", inbox_id, err);
        return;
      }
      arm_reap();
    } catch (const std::exception& e) {
      log::error("runOnReceive", "inbox row {}: {}", inbox_id, e.what());
    }
  }

  void arm_reap() {
    if (reap_armed) return;
    reap_armed = true;
    reap_timer.expires_after(milliseconds(200));
    reap_timer.async_wait([this](const boost::system::error_code& ec) {
      reap_armed = false;
      if (ec) return;
      if (spawner.reap(settings.run_on_receive_timeout_s) > 0) arm_reap();
    });
  }
  bool reap_armed = false;

  // ---------------------------------------------------------------- shutdown
  void begin_stop(milliseconds bound) {
    if (stopping) return;
    stopping = true;
    poll_timer.cancel();
    due_timer.cancel();
    pause_timer.cancel();
    flush_timer.cancel();
    recheck_timer.cancel();
    if (store) give_back_prefetched();
    if (!modem) {
      guard.reset();
      return;
    }
    if (inflight && inflight->handed) {
      log::info(id, "waiting up to {} ms for outbox row {} to finish", bound.count(), inflight->row.id);
      stop_timer.expires_after(bound);
      stop_timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) stop_modem();
      });
      return;
    }
    stop_modem();
  }

  void stop_modem() {
    if (modem_stopping) return;
    modem_stopping = true;
    stop_timer.cancel();
    modem->stop([this] {
      reap_timer.cancel();
      try {
        if (store) {
          db::ModemRow r;
          r.id = id;
          r.port = settings.modem.port;
          r.state = std::string(modem::to_string(modem::State::stopped));
          store->upsert_modem(r);
        }
      } catch (const std::exception&) {
      }
      guard.reset();
    });
  }
};

Worker::Worker(WorkerSettings s) : impl_(std::make_shared<Impl>(std::move(s))) {}

Worker::~Worker() {
  stop(std::chrono::seconds(3));
  join();
}

// Handlers posted from other threads hold the Impl weakly: the io_context
// belongs to the Impl, so a handler that never runs (posted after the worker
// thread ended, e.g. the destructor's stop()) must not keep the Impl alive.
// While the thread runs, its own reference keeps the Impl alive.
void Worker::start() {
  auto impl = impl_;
  thread_ = std::thread([impl] { impl->run(); });
}

void Worker::wake() {
  if (!impl_->wants_wake.load(std::memory_order_relaxed)) return;
  if (impl_->wake_pending.exchange(true)) return;
  asio::post(impl_->ioc, [w = std::weak_ptr<Impl>(impl_)] {
    if (auto impl = w.lock()) impl->on_wake();
  });
}

bool Worker::wants_wake() const { return impl_->wants_wake.load(std::memory_order_relaxed); }

void Worker::update(const config::Dispatch& d, const std::string& run_on_receive, int run_on_receive_timeout_s) {
  asio::post(impl_->ioc, [w = std::weak_ptr<Impl>(impl_), d, run_on_receive, run_on_receive_timeout_s] {
    auto impl = w.lock();
    if (!impl) return;
    impl->settings.dispatch = d;
    impl->settings.run_on_receive = run_on_receive;
    impl->settings.run_on_receive_timeout_s = run_on_receive_timeout_s;
    impl->gate.configure(GateSettings{d.max_parts});   // rules added to the chain stay
    impl->policy_gate.set_max_parts(d.max_parts);
    impl->dirty = true;
    impl->pump();
  });
}

void Worker::update_policy(std::shared_ptr<const PolicySet> set) {
  asio::post(impl_->ioc, [w = std::weak_ptr<Impl>(impl_), set = std::move(set)] {
    auto impl = w.lock();
    if (!impl) return;
    impl->settings.policy = set;
    impl->policy_gate.update(set);
    // Rows deferred under the old rules keep their send_at; everything due
    // now is looked at again under the new ones.
    impl->dirty = true;
    impl->pump();
  });
}

void Worker::stop(std::chrono::milliseconds bound) {
  asio::post(impl_->ioc, [w = std::weak_ptr<Impl>(impl_), bound] {
    if (auto impl = w.lock()) impl->begin_stop(bound);
  });
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

const std::string& Worker::id() const { return impl_->id; }

}  // namespace sms::dispatch
