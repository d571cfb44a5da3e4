#include "src/server/server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <thread>

#include "db/store.hpp"
#include "modem/common/log.hpp"
#include "src/dispatch/policy_gate.hpp"
#include "src/dispatch/watcher.hpp"
#include "src/dispatch/worker.hpp"
#include "src/server/simulator.hpp"

namespace sms::server {

namespace asio = boost::asio;

namespace {
// The policy the workers share, from a loaded configuration.
std::shared_ptr<const dispatch::PolicySet> policy_set(const config::Config& c) {
  auto set = std::make_shared<dispatch::PolicySet>();
  set->policy = c.policy;
  set->zone = c.timezone.empty() ? policy::Zone::system() : policy::Zone::named(c.timezone);
  return set;
}
// An opt-out is recorded right after its inbox row commits, in a
// transaction of its own. A crash in between would leave the request in the
// inbox and the number off the list: at start, the last two days of inbox
// rows that are opt-out requests without an audit entry are recorded now.
void recover_optouts(const config::Config& c, const dispatch::PolicySet& set) {
  if (!set.policy.optout) return;
  try {
    auto store = db::Store::open(c.database.url, c.database.busy_timeout_ms);
    policy::Numbers numbers(set.policy.default_region);
    int recovered = 0;
    for (const auto& row : store.find_in(db::utc_in(-2 * 86400), "", false)) {
      if (!policy::optout_keyword(set.policy, row.text)) continue;
      db::Store::AuditQuery q;
      q.action = "optout";
      q.objects = {"inbox:" + std::to_string(row.id)};
      if (!store.find_audit(q).empty()) continue;
      if (dispatch::handle_optout(store, set, numbers, row)) ++recovered;
    }
    if (recovered) log::warn("policy", "recorded {} opt-out request(s) that an unclean stop had left unrecorded", recovered);
  } catch (const std::exception& e) {
    log::error("policy", "checking the inbox for unrecorded opt-outs failed: {}", e.what());
  }
}
}  // namespace

struct Server::Impl {
  config::Config cfg;
  std::vector<std::pair<std::string, std::unique_ptr<Simulator>>> sims;
  std::vector<std::unique_ptr<dispatch::Worker>> workers;
  asio::io_context ctl;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> ctl_guard;
  std::unique_ptr<dispatch::DbWatcher> watcher;
  std::thread ctl_thread;
  bool stopped = false;
  std::shared_ptr<const dispatch::PolicySet> policy;
  std::shared_ptr<db::CounterCache> counters = std::make_shared<db::CounterCache>();
  std::shared_ptr<db::ListCache> lists = std::make_shared<db::ListCache>();
  std::unique_ptr<asio::steady_timer> purge_timer;

  // Retention (<policy><retention>): once at start and then daily, on the
  // control thread with its own connection.
  void purge() {
    const auto r = policy->policy.retention;
    if (r.audit_days > 0 || r.message_days > 0) {
      try {
        auto store = db::Store::open(cfg.database.url, cfg.database.busy_timeout_ms);
        auto p = store.purge(r.audit_days, r.message_days);
        if (p.audit || p.outbox || p.inbox)
          log::info("server", "retention: deleted {} audit entries, {} outbox and {} inbox rows", p.audit, p.outbox,
                    p.inbox);
      } catch (const std::exception& e) {
        log::error("server", "retention purge failed: {}", e.what());
      }
    }
    purge_timer->expires_after(std::chrono::hours(24));
    purge_timer->async_wait([this](const boost::system::error_code& ec) {
      if (!ec) purge();
    });
  }
};

Server::Server(config::Config cfg) : impl_(std::make_unique<Impl>()) {
  auto& I = *impl_;
  I.cfg = std::move(cfg);
  const auto& c = I.cfg;

  std::vector<std::string> ids;
  for (const auto& m : c.modems) ids.push_back(m.id);
  I.policy = policy_set(c);
  {
    // Opens (creating and migrating) the database once before any worker does.
    auto store = db::Store::open(c.database.url, c.database.busy_timeout_ms);
    // Counts a crash kept from the table first, then the requeued rows take theirs back.
    store.recover_policy_counters();
    // The lists are read now rather than at the first claim (which would
    // hold the write lock meanwhile), and only if a rule looks at them.
    if (const auto& p = I.policy->policy; p.whitelist || p.blacklist || p.optout) {
      store.set_list_cache(I.lists);
      store.load_lists();
    }
    auto r = store.recover(ids);
    if (r.requeued || r.unknown) {
      log::warn("dispatch", "recovered after an unclean stop: {} row(s) back to 'queued' (never handed to a modem), "
                "{} row(s) marked 'unknown' (may have been sent; check with smsctl out --status unknown)",
                r.requeued, r.unknown);
    } else {
      log::info("dispatch", "database {} open; nothing to recover", c.database.url);
    }
  }

  recover_optouts(c, *I.policy);

  try {
    for (const auto& m : c.modems) {
      dispatch::WorkerSettings s;
      s.modem = m;
      if (config::is_simulated(m)) {
        auto sim = start_simulator(c.simulator, m.id);
        s.modem.port = sim->port();
        log::info(m.id, "using the bundled simulator on {}", s.modem.port);
        I.sims.emplace_back(m.id, std::move(sim));
      }
      for (const auto& other : c.modems) s.known_modems.push_back(other.id);
      s.db_path = c.database.url;
      s.busy_timeout_ms = c.database.busy_timeout_ms;
      s.dispatch = c.dispatch;
      s.run_on_receive = c.run_on_receive;
      s.run_on_receive_timeout_s = c.run_on_receive_timeout_s;
      s.policy = I.policy;
      s.counters = I.counters;
      s.lists = I.lists;
      // Runs on the worker's thread; the watcher exists before any worker starts
      // and outlives them all (stop() joins the workers first).
      s.wants_wake_changed = [this] { impl_->watcher->poke(); };
      I.workers.push_back(std::make_unique<dispatch::Worker>(std::move(s)));
    }
  } catch (...) {
    for (auto& s : I.sims) s.second->stop();
    throw;
  }

  I.ctl_guard.emplace(asio::make_work_guard(I.ctl));
  I.watcher = std::make_unique<dispatch::DbWatcher>(
      I.ctl, c.database.url, [this] { for (auto& w : impl_->workers) w->wake(); },
      [this] {
        for (auto& w : impl_->workers)
          if (w->wants_wake()) return true;
        return false;
      });
  for (auto& w : I.workers) w->start();
  I.purge_timer = std::make_unique<asio::steady_timer>(I.ctl);
  asio::post(I.ctl, [this] { impl_->purge(); });
  I.ctl_thread = std::thread([this] { impl_->ctl.run(); });
  log::info("server", "started with {} modem(s): database {}", I.workers.size(), c.database.url);
}

Server::~Server() { stop(std::chrono::seconds(3)); }

void Server::stop(std::chrono::milliseconds bound) {
  auto& I = *impl_;
  if (I.stopped) return;
  I.stopped = true;
  for (auto& w : I.workers) w->stop(bound);
  for (auto& w : I.workers) w->join();
  // Stop the control loop first and only then destroy the watcher: a watcher
  // destroyed from inside a handler could still have a completion already
  // queued (its settle timer fired before the cancel), which would then call
  // into the destroyed object. Handlers left in the queue are destroyed with
  // the io_context, never run.
  I.ctl_guard.reset();
  I.ctl.stop();
  if (I.ctl_thread.joinable()) I.ctl_thread.join();
  I.watcher.reset();
  I.purge_timer.reset();
  for (auto& s : I.sims) s.second->stop();
  log::info("server", "stopped");
}

std::vector<std::string> Server::reload(const config::Config& next) {
  auto& I = *impl_;
  std::vector<std::string> not_applied;
  bool dispatch_changed = false, policy_changed = false;
  for (const auto& ch : config::differences(I.cfg, next)) {
    if (ch.element == "policy" || ch.element == "timezone") {
      policy_changed = true;
      log::info("server", "applied: {}", ch.describe());
    } else if (ch.element == "log") {
      log::set_level(config::log_level(next));
      log::info("server", "applied: {}", ch.describe());
    } else if (ch.element == "dispatch" || ch.element == "runOnReceive") {
      dispatch_changed = true;
      log::info("server", "applied: {}", ch.describe());
    } else {
      log::warn("server", "needs a restart to take effect: {}", ch.describe());
      not_applied.push_back(ch.describe());
    }
  }
  if (dispatch_changed) {
    I.cfg.dispatch = next.dispatch;
    I.cfg.run_on_receive = next.run_on_receive;
    I.cfg.run_on_receive_timeout_s = next.run_on_receive_timeout_s;
    for (auto& w : I.workers) w->update(next.dispatch, next.run_on_receive, next.run_on_receive_timeout_s);
  }
  if (policy_changed) {
    // Built before anything is swapped: a zone that fails leaves the old policy.
    auto set = policy_set(next);
    I.cfg.policy = next.policy;
    I.cfg.policy_present = next.policy_present;
    I.cfg.banned_words_digest = next.banned_words_digest;
    I.cfg.timezone = next.timezone;
    I.policy = set;
    for (auto& w : I.workers) w->update_policy(set);
  }
  I.cfg.log_level = next.log_level;
  return not_applied;
}

const config::Config& Server::config() const { return impl_->cfg; }

std::string Server::simulator_port(const std::string& modem_id) const {
  for (auto& s : impl_->sims)
    if (s.first == modem_id) return s.second->port();
  return {};
}

}  // namespace sms::server
