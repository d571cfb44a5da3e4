#pragma once
// The claim gate: the ONE place that decides, inside the claim transaction,
// whether a due outbox row may go now (send), later (defer) or never (reject).
//
// Today it holds the validation of integrator-written rows. The coming sending
// policy (white/black lists, opt-out, frequency limits, quiet hours, approval)
// plugs in as more rules appended to the same chain: the first rule that does
// not answer "no objection" decides.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/store.hpp"

namespace sms::dispatch {

struct GateSettings {
  int max_parts = 10;   // dispatch.max_parts
};

// A rule returns nullopt for "no objection", or the verdict it insists on.
using Rule = std::function<std::optional<db::Verdict>(const db::OutRow&)>;

class Gate {
 public:
  explicit Gate(GateSettings s = {});
  // Appends a rule after the validation rules (the sending policy will use this).
  void add_rule(std::string name, Rule rule);
  // New settings for the validation rules (SIGHUP); appended rules stay.
  void configure(GateSettings s);
  // The rules' names in chain order (for messages and tests).
  std::vector<std::string> rule_names() const;
  // Runs the chain. A reject is logged (warning, with the row id) here.
  db::Verdict operator()(const db::OutRow& row) const;
  // Adapter for Store::claim_next (the Gate must outlive the returned function).
  db::Gate as_store_gate() const;

 private:
  struct Named {
    std::string name;
    Rule rule;
  };
  std::vector<Named> rules_;
  static Rule length_rule(int max_parts);
};

// The validation rules, exposed for tests. Each answers in words a person
// understands: what is wrong and the value.
std::optional<db::Verdict> check_recipient(const db::OutRow& row);
std::optional<db::Verdict> check_text(const db::OutRow& row);   // NULL or empty
// Invalid UTF-8, or more parts than max_parts (one decode of the text).
std::optional<db::Verdict> check_length(const db::OutRow& row, int max_parts);
std::optional<db::Verdict> check_validity(const db::OutRow& row);

}  // namespace sms::dispatch
