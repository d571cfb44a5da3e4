// Writing a Config back as smserver.xml, and listing what changed between two
// configurations. Both walk one flat list of (element, attribute, value)
// settings so that they cannot disagree on names or spellings.
#include <fmt/format.h>

#include <map>
#include <utility>

#include "src/config/config.hpp"
#include "src/config/duration.hpp"
#include "src/policy/kinds.hpp"
#include "src/policy/policy.hpp"
#include "src/policy/zone.hpp"

namespace sms::config {
namespace {
using std::chrono::milliseconds;

struct Setting {
  std::string element;
  std::string modem_id;
  std::string attribute;
  std::string value;
};

std::string dur(milliseconds d) { return format_duration(d); }
std::string dur_s(long long s) { return format_duration(milliseconds(s * 1000)); }
std::string yes(bool b) { return b ? "true" : "false"; }

std::string join_delays(const std::vector<int>& v) {
  std::string out;
  for (int s : v) out += (out.empty() ? "" : ",") + dur_s(s);
  return out;
}

std::string join_init(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " | ") + s;
  return out;
}

void modem_settings(const sms::modem::ModemConfig& m, std::vector<Setting>& out) {
  auto add = [&](std::string attr, std::string value) { out.push_back({"modem", m.id, std::move(attr), std::move(value)}); };
  add("id", m.id);
  add("port", m.port);
  add("baudRate", fmt::format("{}", m.baud));
  add("rtsCts", yes(m.rtscts));
  add("pin", m.pin);
  add("smsc", m.smsc);
  add("probeTimeout", dur(m.timeouts.probe));
  add("commandTimeout", dur(m.timeouts.command));
  add("promptTimeout", dur(m.timeouts.prompt));
  add("submitTimeout", dur(m.timeouts.submit));
  add("listTimeout", dur(m.timeouts.list));
  add("registrationTimeout", dur(m.timeouts.registration));
  add("healthInterval", dur(m.health_interval));
  add("sweepInterval", dur(m.sweep_interval));
  add("reconnectMin", dur(m.reconnect_min));
  add("reconnectMax", dur(m.reconnect_max));
  add("trace", yes(m.trace));
}

std::vector<Setting> global_settings(const Config& c) {
  return {
      {"database", "", "driverClassName", c.database.driver},
      {"database", "", "url", c.database.url},
      {"database", "", "busyTimeout", dur(milliseconds(c.database.busy_timeout_ms))},
      {"dispatch", "", "maxAttempts", fmt::format("{}", c.dispatch.max_attempts)},
      {"dispatch", "", "retryDelays", join_delays(c.dispatch.retry_delays_s)},
      {"dispatch", "", "maxParts", fmt::format("{}", c.dispatch.max_parts)},
      {"dispatch", "", "pollInterval", dur(milliseconds(c.dispatch.poll_interval_ms))},
      {"dispatch", "", "partialTimeout", dur_s(c.dispatch.partial_timeout_s)},
      {"dispatch", "", "statusReports", yes(c.dispatch.status_reports)},
      {"runOnReceive", "", "command", c.run_on_receive},
      {"runOnReceive", "", "timeout", dur_s(c.run_on_receive_timeout_s)},
      {"log", "", "level", c.log_level},
      {"simulator", "", "dialect", c.simulator.dialect},
      {"simulator", "", "submitDelay", dur(milliseconds(c.simulator.submit_delay_ms))},
  };
}

std::string escape(std::string_view s, bool attribute) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      // Line ends and tabs in an attribute (an opt-out reply may have them)
      // survive only as character references.
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\r': out += attribute ? "&#13;" : "\r"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      default: out += ch;
    }
  }
  return out;
}

// ---- <policy> ---------------------------------------------------------------

// One rule element of <policy> with its attributes, every one written out.
struct Rule {
  std::string element;
  std::vector<std::pair<std::string, std::string>> attributes;
};

std::string kinds(sms::policy::KindSet k) { return sms::policy::to_string(k); }

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string days(int d) { return d == 0 ? "0" : fmt::format("{}d", d); }

const char* scope_name(sms::policy::Limit::Scope s) {
  switch (s) {
    case sms::policy::Limit::Scope::recipient: return "recipient";
    case sms::policy::Limit::Scope::total: return "total";
    case sms::policy::Limit::Scope::modem: return "modem";
  }
  return "recipient";
}

const char* per_name(sms::policy::Limit::Per p) {
  switch (p) {
    case sms::policy::Limit::Per::hour: return "hour";
    case sms::policy::Limit::Per::day: return "day";
    case sms::policy::Limit::Per::month: return "month";
  }
  return "day";
}

// The rule elements of <policy>, in the order docs/CONFIG.md lists them.
constexpr const char* kRuleNames[] = {"whitelist", "blacklist", "optout",      "limit",  "quiet",    "holiday",
                                      "signature", "maxLength", "bannedWords", "region", "approval", "retention"};

std::vector<Rule> policy_rules(const sms::policy::Policy& p) {
  using sms::policy::format_hhmm;
  std::vector<Rule> out;
  if (p.whitelist) out.push_back({"whitelist", {{"kinds", kinds(p.whitelist->kinds)}}});
  if (p.blacklist) out.push_back({"blacklist", {{"kinds", kinds(p.blacklist->kinds)}}});
  if (p.optout) {
    out.push_back({"optout", {{"keywords", join(p.optout->keywords)}, {"reply", p.optout->reply}, {"kinds", kinds(p.optout->kinds)}}});
  }
  for (const auto& l : p.limits) {
    out.push_back({"limit", {{"scope", scope_name(l.scope)}, {"per", per_name(l.per)}, {"max", fmt::format("{}", l.max)}, {"kinds", kinds(l.kinds)}}});
  }
  for (const auto& q : p.quiet) {
    out.push_back({"quiet", {{"from", format_hhmm(q.from)}, {"to", format_hhmm(q.to)}, {"kinds", kinds(q.kinds)}}});
  }
  for (const auto& h : p.holidays) {
    if (h.first == h.last) out.push_back({"holiday", {{"date", h.first}, {"kinds", kinds(h.kinds)}}});
    else out.push_back({"holiday", {{"from", h.first}, {"to", h.last}, {"kinds", kinds(h.kinds)}}});
  }
  if (p.signature) {
    out.push_back({"signature",
                   {{"text", p.signature->text}, {"position", p.signature->at_start ? "start" : "end"}, {"kinds", kinds(p.signature->kinds)}}});
  }
  if (p.max_length) out.push_back({"maxLength", {{"chars", fmt::format("{}", p.max_length->chars)}, {"kinds", kinds(p.max_length->kinds)}}});
  if (p.banned_words) out.push_back({"bannedWords", {{"file", p.banned_words->file}, {"kinds", kinds(p.banned_words->kinds)}}});
  if (p.region) out.push_back({"region", {{"allow", join(p.region->allow)}, {"kinds", kinds(p.region->kinds)}}});
  if (p.approval) {
    out.push_back({"approval",
                   {{"kinds", kinds(p.approval->kinds)},
                    {"minRecipients", fmt::format("{}", p.approval->min_recipients)},
                    {"fourEyes", yes(p.approval->four_eyes)}}});
  }
  out.push_back({"retention", {{"audit", days(p.retention.audit_days)}, {"messages", days(p.retention.message_days)}}});
  return out;
}

// For differences(): each rule element's settings as one line of text
// ("scope=recipient per=day max=1 kinds=bulk"; repeated elements joined by
// "; "), keyed by element name; "" for a rule that is off.
std::map<std::string, std::string> policy_lines(const Config& c) {
  std::map<std::string, std::string> out;
  for (const char* name : kRuleNames) {
    out[name];
  }
  if (!c.policy_present) return out;
  for (const auto& r : policy_rules(c.policy)) {
    std::string line;
    for (const auto& [name, value] : r.attributes) line += fmt::format("{}{}={}", line.empty() ? "" : " ", name, value);
    // The words are part of the rule: a file edited between two loads
    // shows (as far as its size tells).
    if (r.element == "bannedWords") line += fmt::format(" ({} words)", c.policy.banned_words->words.size());
    // Keeping everything forever is what no <retention> means too.
    if (r.element == "retention" && c.policy.retention.audit_days == 0 && c.policy.retention.message_days == 0) continue;
    std::string& slot = out[r.element];
    slot += (slot.empty() ? "" : "; ") + line;
  }
  return out;
}

std::string policy_xml(const sms::policy::Policy& p) {
  std::string out = fmt::format("  <policy defaultKind=\"{}\" defaultRegion=\"{}\">\n", sms::policy::to_string(p.default_kind),
                                escape(p.default_region, true));
  for (const auto& r : policy_rules(p)) {
    out += "    <" + r.element;
    for (const auto& [name, value] : r.attributes) out += fmt::format(" {}=\"{}\"", name, escape(value, true));
    out += "/>\n";
  }
  out += "  </policy>\n";
  return out;
}

}  // namespace

std::string to_xml(const Config& c) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<!-- effective configuration loaded from {} -->\n<smserver timezone=\"{}\">\n", escape(c.path, false),
                     escape(c.timezone, true));
  const auto settings = global_settings(c);
  for (std::size_t i = 0; i < settings.size();) {
    const std::string& element = settings[i].element;
    out += "  <" + element;
    for (; i < settings.size() && settings[i].element == element; ++i) {
      out += fmt::format(" {}=\"{}\"", settings[i].attribute, escape(settings[i].value, true));
    }
    out += "/>\n";
  }
  for (const auto& m : c.modems) {
    std::vector<Setting> ms;
    modem_settings(m, ms);
    out += "  <modem";
    for (const auto& s : ms) out += fmt::format(" {}=\"{}\"", s.attribute, escape(s.value, true));
    if (m.init_commands.empty()) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    for (const auto& cmd : m.init_commands) out += fmt::format("    <init>{}</init>\n", escape(cmd, false));
    out += "  </modem>\n";
  }
  if (c.policy_present) out += policy_xml(c.policy);
  out += "</smserver>\n";
  return out;
}

std::string Change::describe() const {
  if (element == "timezone") {
    auto zone = [](const std::string& z) { return z.empty() ? std::string("the system's zone") : fmt::format("\"{}\"", z); };
    return fmt::format("timezone: {} -> {}", zone(before), zone(after));
  }
  if (element == "policy" && !attribute.empty() && attribute != "defaultKind" && attribute != "defaultRegion") {
    if (before.empty()) return fmt::format("policy <{}> added: {}", attribute, after);
    if (after.empty()) return fmt::format("policy <{}> removed (was: {})", attribute, before);
    return fmt::format("policy <{}>: \"{}\" -> \"{}\"", attribute, before, after);
  }
  std::string where = element == "modem" ? fmt::format("modem {}", modem_id) : element;
  if (attribute.empty()) return fmt::format("{} {}", where, before.empty() ? "added" : "removed");
  return fmt::format("{} {}: \"{}\" -> \"{}\"", where, attribute, before, after);
}

std::vector<Change> differences(const Config& before, const Config& after) {
  std::vector<Change> changes;
  const auto a = global_settings(before);
  const auto b = global_settings(after);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].value != b[i].value) changes.push_back({a[i].element, "", a[i].attribute, a[i].value, b[i].value});
  }
  if (before.timezone != after.timezone) changes.push_back({"timezone", "", "timezone", before.timezone, after.timezone});
  if (before.policy_present != after.policy_present) {
    changes.push_back({"policy", "", "", before.policy_present ? "<policy>" : "", after.policy_present ? "<policy>" : ""});
  }
  {
    const std::string kind_a(sms::policy::to_string(before.policy.default_kind));
    const std::string kind_b(sms::policy::to_string(after.policy.default_kind));
    if (kind_a != kind_b) changes.push_back({"policy", "", "defaultKind", kind_a, kind_b});
    if (before.policy.default_region != after.policy.default_region) {
      changes.push_back({"policy", "", "defaultRegion", before.policy.default_region, after.policy.default_region});
    }
    const auto x = policy_lines(before);
    const auto y = policy_lines(after);
    // In the order of the documentation, not of the map.
    for (const char* name : kRuleNames) {
      const std::string& u = x.at(name);
      const std::string& v = y.at(name);
      if (u != v) {
        changes.push_back({"policy", "", name, u, v});
      } else if (std::string_view(name) == "bannedWords" && !u.empty() && before.banned_words_digest != after.banned_words_digest) {
        changes.push_back({"policy", "", name, u, v + " (the file was edited)"});
      }
    }
  }
  auto find = [](const Config& c, const std::string& id) -> const sms::modem::ModemConfig* {
    for (const auto& m : c.modems) {
      if (m.id == id) return &m;
    }
    return nullptr;
  };
  for (const auto& m : before.modems) {
    const auto* n = find(after, m.id);
    if (!n) {
      changes.push_back({"modem", m.id, "", m.port, ""});
      continue;
    }
    std::vector<Setting> x, y;
    modem_settings(m, x);
    modem_settings(*n, y);
    x.push_back({"modem", m.id, "init", join_init(m.init_commands)});
    y.push_back({"modem", m.id, "init", join_init(n->init_commands)});
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (x[i].value != y[i].value) changes.push_back({"modem", m.id, x[i].attribute, x[i].value, y[i].value});
    }
  }
  for (const auto& n : after.modems) {
    if (!find(before, n.id)) changes.push_back({"modem", n.id, "", "", n.port});
  }
  return changes;
}

}  // namespace sms::config
