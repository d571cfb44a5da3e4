// smsctl policy check: what the sending policy would do to a message now (or
// at --at), without queueing it. The same decide() the claim gate runs, on
// the database's lists and counters (none if the database does not exist)
// and the config's <policy> and time zone.
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "src/dispatch/store_facts.hpp"
#include "src/policy/policy.hpp"
#include "tools/smsctl/cmd_common.hpp"
#include "tools/smsctl/db_table.hpp"

namespace smsctl {

namespace {

namespace policy = sms::policy;

constexpr const char* kPolicyHelp =
    "usage: smsctl policy check --to NUMBER [--kind notice|bulk] [--at TIME] [--modem ID]\n"
    "                           [--json] TEXT...\n"
    "\n"
    "What the sending policy (<policy> in the config) would do to this message now, or at\n"
    "TIME: one of\n"
    "  send\n"
    "  defer until LOCAL TIME (because ...)     quiet hours, holidays, frequency limits\n"
    "  block (because ...)                      lists, region, banned words, length\n"
    "  wait for approval (because ...)\n"
    "  fail (because ...)                       a kind that is no kind\n"
    "then the normalised number, the final text (signature added), its characters and\n"
    "SMS parts. Lists and counters come from the database (none if it does not exist\n"
    "yet); nothing is written. Exit 0 whatever the answer (1 on errors).\n"
    "  --kind K    the message's kind (default: the policy's defaultKind)\n"
    "  --at TIME   decide at this time instead of now\n"
    "  --modem ID  count against this modem's limits (default: none)\n"
    "  --json      {\"action\", \"rule\", \"reason\", \"until\" (UTC), \"until_local\", \"kind\",\n"
    "              \"number\", \"number_type\", \"text\", \"characters\", \"parts\"}\n";

class NoFacts final : public policy::Facts {
 public:
  unsigned lists(const std::string&) override { return 0; }
  std::int64_t count(const std::string&) override { return 0; }
};

std::string_view type_name(policy::Number::Type t) {
  switch (t) {
    case policy::Number::Type::mobile: return "mobile";
    case policy::Number::Type::fixed: return "fixed";
    case policy::Number::Type::short_code: return "short code";
    case policy::Number::Type::other: return "other";
    case policy::Number::Type::invalid: return "invalid";
  }
  return "?";
}

std::string verdict_words(const policy::Decision& d, const std::string& until_local) {
  const std::string because = d.reason.empty() ? std::string() : " (because " + d.reason + ")";
  switch (d.action) {
    case policy::Decision::Action::send: return "send";
    case policy::Decision::Action::defer: return "defer until " + until_local + because;
    case policy::Decision::Action::block: return "block" + because;
    case policy::Decision::Action::approval: return "wait for approval" + because;
    case policy::Decision::Action::fail: return "fail" + because;
  }
  return "?";
}

int policy_check(const Context& ctx, const Args& a) {
  auto to = a.get("to");
  if (!to) throw UsageError("say who would get it: --to NUMBER");
  Words words(a.positional().begin() + 1, a.positional().end());
  const std::string text = join(words);
  if (text.empty()) throw UsageError("no text given (the message text follows the options)");
  auto kind = a.get("kind");
  if (kind && !policy::parse_kind(*kind)) throw UsageError("--kind '" + *kind + "' is not notice or bulk");

  DbTarget t = find_database(ctx, a.get("db"));
  // The policy's zone (the configured one, else the system's) before --utc
  // points TZ at UTC for what is shown.
  policy::Zone zone = t.timezone.empty() ? policy::Zone::system() : policy::Zone::named(t.timezone);
  apply_local_time(ctx, a, t);
  policy::Seconds now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (a.get("at")) {
    auto at = policy::parse_utc(time_arg(a, "at", Bound::start, ""));
    if (!at) throw UsageError("--at: not a time");
    now = *at;
  }

  policy::Message m;
  m.recipient = *to;
  m.text = text;
  m.kind = kind;
  m.modem = a.get_or("modem", "");
  m.max_parts = t.max_parts;
  policy::Numbers numbers(t.policy.default_region.empty() ? "CN" : t.policy.default_region);

  policy::Decision d;
  NoFacts none;
  if (access(t.path.c_str(), F_OK) == 0) {
    sms::db::Store store = open_store(t);
    sms::dispatch::StoreFacts facts(store);
    d = policy::decide(t.policy, m, facts, numbers, zone, now);
  } else {
    d = policy::decide(t.policy, m, none, numbers, zone, now);
  }

  const bool deferred = d.action == policy::Decision::Action::defer;
  const std::string until_utc = deferred ? policy::format_utc(d.until) : std::string();
  const std::string until_local = deferred ? show_time(until_utc) : std::string();
  const std::string final_text = d.text.empty() ? text : d.text;
  const std::size_t chars = policy::char_count(final_text);
  const std::string number = d.number.e164.empty() ? *to : d.number.e164;

  if (a.flag("json")) {
    std::string j = "{\"action\":" + json_string(policy::to_string(d.action)) + ",\"rule\":" + json_or_null(d.rule) +
                    ",\"reason\":" + json_or_null(d.reason) + ",\"until\":" + json_or_null(until_utc) +
                    ",\"until_local\":" + json_or_null(until_local) + ",\"kind\":" +
                    json_string(policy::to_string(d.kind)) + ",\"number\":" + json_string(number) +
                    ",\"number_type\":" + json_string(type_name(d.number.type)) + ",\"text\":" +
                    json_string(final_text) + ",\"text_changed\":" + (d.text_changed ? "true" : "false") +
                    ",\"characters\":" + std::to_string(chars) + ",\"parts\":" + std::to_string(d.parts) +
                    ",\"at\":" + json_string(policy::format_utc(now)) + "}\n";
    std::fputs(j.c_str(), stdout);
    return 0;
  }
  std::printf("%s\n", verdict_words(d, until_local).c_str());
  std::printf("  number: %s (%s)\n", cell_text(number, 40).c_str(), std::string(type_name(d.number.type)).c_str());
  std::printf("  kind:   %s\n", std::string(policy::to_string(d.kind)).c_str());
  std::printf("  text:   %s%s\n", cell_text(final_text, 200).c_str(), d.text_changed ? "  (signature added)" : "");
  std::printf("  length: %zu character(s), %d part(s)\n", chars, d.parts);
  std::printf("  at:     %s\n", show_time(policy::format_utc(now)).c_str());
  if (!t.policy_present) std::printf("  (the configuration has no <policy>: every rule is off)\n");
  return 0;
}

}  // namespace

int cmd_policy(const Context& ctx, const Words& words) {
  return run_db_command("policy", [&]() -> int {
    Args a(words, {"to", "kind", "at", "modem", "db"}, {"json", "utc", "help"});
    if (a.flag("help") || a.positional().empty()) {
      std::fputs(kPolicyHelp, a.flag("help") ? stdout : stderr);
      if (a.flag("help")) {
        std::fputs(kTimeHelp, stdout);
        std::fputs(kUtcOption, stdout);
        std::fputs(kDbOption, stdout);
      }
      return a.flag("help") ? 0 : 2;
    }
    if (a.positional()[0] != "check") throw UsageError("'" + a.positional()[0] + "' is not check");
    try {
      return policy_check(ctx, a);
    } catch (const std::invalid_argument& e) {   // Zone::named
      std::fprintf(stderr, "smsctl policy: %s\n", e.what());
      return 2;
    }
  });
}

}  // namespace smsctl
