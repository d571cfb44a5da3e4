#include "src/dispatch/gate.hpp"

#include <fmt/format.h>

#include "modem/common/log.hpp"
#include "modem/pdu/pdu.hpp"

namespace sms::dispatch {
namespace {


// 23.040 9.2.3.12.1: the relative validity period reaches at most 63 weeks.
constexpr int kMaxValidityMinutes = 63 * 7 * 24 * 60;

}  // namespace

std::optional<db::Verdict> check_recipient(const db::OutRow& row) {
  if (row.recipient_null) return db::Verdict::reject("recipient is empty (NULL)");
  if (row.recipient.find_first_not_of(" \t") == std::string::npos)
    return db::Verdict::reject("recipient is empty");
  auto addr = pdu::parse_destination(row.recipient);
  if (!addr) return db::Verdict::reject(fmt::format("invalid recipient: {}", addr.error()));
  return std::nullopt;
}

std::optional<db::Verdict> check_text(const db::OutRow& row) {
  if (row.text_null) return db::Verdict::reject("text is empty (NULL)");
  if (row.text.empty()) return db::Verdict::reject("text is empty");
  // Invalid UTF-8 is reported by the length rule, whose count_text decodes
  // the text anyway: one pass over it per claim instead of two.
  return std::nullopt;
}

std::optional<db::Verdict> check_length(const db::OutRow& row, int max_parts) {
  auto c = pdu::count_text(row.text);
  if (!c) return db::Verdict::reject(fmt::format("text is not valid UTF-8: {}", c.error()));
  if (c->parts > max_parts) {
    return db::Verdict::reject(fmt::format(
        "text too long: it needs {} SMS parts ({} {} units), the limit is {} parts (dispatch maxParts)",
        c->parts, c->units, pdu::to_string(c->encoding), max_parts));
  }
  return std::nullopt;
}

std::optional<db::Verdict> check_validity(const db::OutRow& row) {
  if (row.validity_minutes && (*row.validity_minutes < 1 || *row.validity_minutes > kMaxValidityMinutes)) {
    return db::Verdict::reject(fmt::format("validity_minutes {} is out of range (1..{}, 63 weeks)",
                                           *row.validity_minutes, kMaxValidityMinutes));
  }
  return std::nullopt;
}

Gate::Gate(GateSettings s) {
  rules_.push_back({"recipient", check_recipient});
  rules_.push_back({"text", check_text});
  rules_.push_back({"length", length_rule(s.max_parts)});
  rules_.push_back({"validity", check_validity});
}

Rule Gate::length_rule(int max_parts) {
  return [max_parts](const db::OutRow& r) { return check_length(r, max_parts); };
}

void Gate::add_rule(std::string name, Rule rule) { rules_.push_back({std::move(name), std::move(rule)}); }

void Gate::configure(GateSettings s) {
  for (auto& r : rules_)
    if (r.name == "length") r.rule = length_rule(s.max_parts);
}

std::vector<std::string> Gate::rule_names() const {
  std::vector<std::string> names;
  for (const auto& r : rules_) names.push_back(r.name);
  return names;
}

db::Verdict Gate::operator()(const db::OutRow& row) const {
  for (const auto& r : rules_) {
    auto v = r.rule(row);
    if (!v) continue;
    if (v->kind == db::Verdict::Kind::reject)
      log::warn("dispatch", "outbox row {} rejected by rule '{}': {}", row.id, r.name, v->reason);
    else if (v->kind == db::Verdict::Kind::defer)
      log::info("dispatch", "outbox row {} deferred until {} by rule '{}': {}", row.id, v->until, r.name, v->reason);
    return *v;
  }
  return db::Verdict::send_now();
}

db::Gate Gate::as_store_gate() const {
  return [this](const db::OutRow& row) { return (*this)(row); };
}

}  // namespace sms::dispatch
