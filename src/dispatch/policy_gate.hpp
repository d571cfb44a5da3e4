#pragma once
// The sending policy in the claim gate, and opt-out by reply.
//
// PolicyGate turns a due outbox row into a policy::Message, asks
// policy::decide() with facts read on the worker's own connection (inside
// the claim transaction, so a list change or an opt-out committed before the
// claim is always seen), and turns the decision into the store's Verdict.
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "db/store.hpp"
#include "src/policy/policy.hpp"

namespace sms::dispatch {

// One loaded policy, shared read-only by every worker; SIGHUP swaps it.
struct PolicySet {
  policy::Policy policy;
  policy::Zone zone = policy::Zone::system();
};

class PolicyGate {
 public:
  PolicyGate(std::shared_ptr<const PolicySet> set, std::string modem_id, int max_parts);
  // The store the worker claims through (set once it is open).
  void attach(db::Store* store) { store_ = store; }
  void update(std::shared_ptr<const PolicySet> set);
  void set_max_parts(int max_parts) { max_parts_ = max_parts; }
  // Every modem of this server: when this one's limit is reached, a row is
  // left for the others, unless they are all full (then it is deferred).
  void set_modems(std::vector<std::string> ids) { modems_ = std::move(ids); }
  // nullopt: no policy configured (the row goes as it is).
  std::optional<db::Verdict> check(const db::OutRow& row);
  // The clock seam for tests.
  void set_clock(std::function<policy::Seconds()> now) { now_ = std::move(now); }

 private:
  std::shared_ptr<const PolicySet> set_;
  std::string modem_;
  std::vector<std::string> modems_;
  int max_parts_;
  db::Store* store_ = nullptr;
  policy::Numbers numbers_;
  std::function<policy::Seconds()> now_;
  // Rows per batch, counted up to minRecipients: a big batch would otherwise
  // be counted again for each of its rows. Rows added to a batch later are
  // seen after kBatchCacheSeconds.
  struct BatchCount {
    int rows = 0;
    policy::Seconds at{};
  };
  std::unordered_map<std::int64_t, BatchCount> batch_rows_;
  int batch_rows(std::int64_t batch, int at_most);
};

// The server's own replies (the opt-out confirmation) are exempt from the
// time rules and limits: the rules ask for them to go at once.
inline constexpr std::string_view kSystemActor = "smserver";

// An inbound message that is an opt-out request (its whole text a keyword):
// records it (Store::record_optout). Returns nullopt when it is not one or
// no <optout> is configured. Never throws: a failure is logged.
std::optional<db::Store::OptOut> handle_optout(db::Store& store, const PolicySet& set, policy::Numbers& numbers,
                                               const db::InRow& message);

}  // namespace sms::dispatch
