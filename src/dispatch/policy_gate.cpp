#include "src/dispatch/policy_gate.hpp"

#include <algorithm>
#include <chrono>

#include "modem/common/log.hpp"
#include "src/dispatch/store_facts.hpp"

namespace sms::dispatch {

namespace {
policy::Seconds system_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}
}  // namespace

PolicyGate::PolicyGate(std::shared_ptr<const PolicySet> set, std::string modem_id, int max_parts)
    : set_(std::move(set)),
      modem_(std::move(modem_id)),
      max_parts_(max_parts),
      numbers_(set_ ? set_->policy.default_region : std::string("CN")),
      now_(system_now) {}

void PolicyGate::update(std::shared_ptr<const PolicySet> set) {
  if (set && (!set_ || set->policy.default_region != set_->policy.default_region))
    numbers_ = policy::Numbers(set->policy.default_region);
  set_ = std::move(set);
}

int PolicyGate::batch_rows(std::int64_t batch, int at_most) {
  constexpr std::chrono::seconds kBatchCacheSeconds{5};
  const policy::Seconds now = now_();
  auto it = batch_rows_.find(batch);
  if (it != batch_rows_.end() && it->second.rows >= at_most) return it->second.rows;   // can only grow
  if (it != batch_rows_.end() && now - it->second.at < kBatchCacheSeconds) return it->second.rows;
  if (batch_rows_.size() > 1024) batch_rows_.clear();
  const int rows = store_->batch_rows(batch, at_most);
  batch_rows_[batch] = BatchCount{rows, now};
  return rows;
}

std::optional<db::Verdict> PolicyGate::check(const db::OutRow& row) {
  if (!set_ || !store_) return std::nullopt;
  const auto& p = set_->policy;
  // Without any rule, only a kind that is no kind is the policy's business.
  if (!p.any_rule() && (!row.kind || policy::parse_kind(*row.kind))) return std::nullopt;

  policy::Message m;
  m.id = row.id;
  m.recipient = row.recipient;
  m.text = row.text;
  m.kind = row.kind;
  m.batch = row.batch;
  m.approved = !row.approved_by.empty();
  m.exempt = row.submitted_by == kSystemActor;
  m.modem = modem_;
  m.max_parts = max_parts_;
  if (p.approval && row.batch && !m.approved) m.batch_rows = batch_rows(row.batch, p.approval->min_recipients);

  StoreFacts facts(*store_);
  const policy::Seconds now = now_();
  policy::Decision d = policy::decide(p, m, facts, numbers_, set_->zone, now);
  if (d.action == policy::Decision::Action::defer && d.modem_full) {
    // Another modem with room takes it; if every modem is full, it waits
    // (send_at moved) until the first one has room again.
    bool room_elsewhere = false;
    for (const auto& other : modems_) {
      if (other == modem_) continue;
      policy::Message o = m;
      o.modem = other;
      const policy::Decision od = policy::decide(p, o, facts, numbers_, set_->zone, now);
      if (od.action != policy::Decision::Action::defer || !od.modem_full) {
        room_elsewhere = true;
        break;
      }
      d.until = std::min(d.until, od.until);
    }
    if (!room_elsewhere) d.modem_full = false;
  }
  const std::string kind_name(policy::to_string(d.kind));
  db::Verdict v;
  v.rule = d.rule;
  v.reason = d.reason;
  v.kind_name = kind_name;
  switch (d.action) {
    case policy::Decision::Action::send:
      v.kind = db::Verdict::Kind::send;
      if (d.text_changed) v.text = d.text;
      v.count = d.count;
      break;
    case policy::Decision::Action::defer:
      if (d.modem_full) {
        // Another modem may still have room: leave the row queued for it.
        v.kind = db::Verdict::Kind::pass;
        v.pass_kind = kind_name;
        v.pass_default = std::string(policy::to_string(p.default_kind));
        v.kind_name.clear();   // the row stays as it is for the other modems
      } else {
        v.kind = db::Verdict::Kind::defer;
        v.until = policy::format_utc(d.until);
      }
      break;
    case policy::Decision::Action::block: v.kind = db::Verdict::Kind::block; break;
    case policy::Decision::Action::approval: v.kind = db::Verdict::Kind::approval; break;
    case policy::Decision::Action::fail:
      v.kind = db::Verdict::Kind::reject;
      v.kind_name.clear();   // the row keeps what it says, so a person sees the bad value
      break;
  }
  if (v.kind != db::Verdict::Kind::send)
    log::info(modem_, "outbox row {}: {} by the policy ({}): {}", row.id, policy::to_string(d.action), d.rule, d.reason);
  return v;
}

std::optional<db::Store::OptOut> handle_optout(db::Store& store, const PolicySet& set, policy::Numbers& numbers,
                                               const db::InRow& message) {
  const auto& p = set.policy;
  if (!p.optout) return std::nullopt;
  auto keyword = policy::optout_keyword(p, message.text);
  if (!keyword) return std::nullopt;
  try {
    const policy::Number who = numbers.normalise(message.sender);
    const std::string e164 = who.valid() ? who.e164 : message.sender;
    std::vector<std::string> kinds;
    for (auto k : {policy::Kind::notice, policy::Kind::bulk})
      if (policy::has(p.optout->kinds, k)) kinds.emplace_back(policy::to_string(k));
    auto same = [&](const std::string& recipient) {
      const policy::Number n = numbers.normalise(recipient);
      return (n.valid() ? n.e164 : recipient) == e164;
    };
    return store.record_optout(e164, message.id, *keyword, kinds, policy::to_string(p.default_kind), same,
                               message.sender, p.optout->reply);
  } catch (const std::exception& e) {
    log::error("policy", "opt-out from {} (inbox {}) could not be recorded: {}", message.sender, message.id, e.what());
    return std::nullopt;
  }
}

}  // namespace sms::dispatch
