// Writing a Config back as smserver.xml, and listing what changed between two
// configurations. Both walk one flat list of (element, attribute, value)
// settings so that they cannot disagree on names or spellings.
#include <fmt/format.h>

#include <map>

#include "src/config/config.hpp"
#include "src/config/duration.hpp"

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
      default: out += ch;
    }
  }
  return out;
}

}  // namespace

std::string to_xml(const Config& c) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<!-- effective configuration loaded from {} -->\n<smserver>\n", escape(c.path, false));
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
  out += "</smserver>\n";
  return out;
}

std::string Change::describe() const {
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
