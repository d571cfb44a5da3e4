// Loading and validating smserver.xml. Every problem becomes a ConfigError
// naming the file, the line (of the attribute when tinyxml2 knows it) and the
// offending value; nothing is silently ignored, because a typo in an
// attribute name would otherwise quietly fall back to a default.
#include "src/config/config.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <tinyxml2.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <utility>

#include "src/config/duration.hpp"
#include "src/config/loader.hpp"
#include "src/config/suggest.hpp"
#include "src/config/values.hpp"

namespace sms::config {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;
using tinyxml2::XMLAttribute;
using tinyxml2::XMLElement;
using tinyxml2::XMLNode;

namespace {
std::string where(const std::string& file, int line, const std::string& message) {
  return line > 0 ? fmt::format("{}:{}: {}", file, line, message) : fmt::format("{}: {}", file, message);
}
}  // namespace

ConfigError::ConfigError(const std::string& f, int l, const std::string& m)
    : std::runtime_error(where(f, l, m)), file(f), line(l), message(m) {}

namespace {

constexpr std::size_t kMaxFileSize = 1 << 20;  // a config file is a few KB; 1 MB means a wrong file

bool is_blank_text(const char* s) {
  for (; s && *s; ++s) {
    if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// tinyxml2's ErrorStr() is written for programmers ("Error=XML_ERROR_...
// ErrorID=7 (0x7) Line number=3: XMLElement name=modem"); these are the words
// for a person, with the element tinyxml2 was in when it gave up.
std::string xml_error_words(const tinyxml2::XMLDocument& doc) {
  std::string element;
  const std::string detail = doc.ErrorStr() ? doc.ErrorStr() : "";
  constexpr std::string_view kName = "XMLElement name=";
  if (auto at = detail.find(kName); at != std::string::npos) element = detail.substr(at + kName.size());
  const std::string in = element.empty() ? "" : fmt::format(" (in <{}>)", element);
  switch (doc.ErrorID()) {
    case tinyxml2::XML_ERROR_EMPTY_DOCUMENT: return "empty file (expected <smserver> ... </smserver>)";
    case tinyxml2::XML_ERROR_MISMATCHED_ELEMENT:
      return element.empty() ? "XML syntax error: an end tag does not match the open element"
                             : fmt::format("XML syntax error: <{}> is not closed (its end tag is missing or misspelt)", element);
    case tinyxml2::XML_ERROR_PARSING_ELEMENT: return "XML syntax error in an element (unclosed tag or missing end tag?)" + in;
    case tinyxml2::XML_ERROR_PARSING_ATTRIBUTE:
      return "XML syntax error in an attribute (missing quotes or '=', or a name given twice?)" + in;
    case tinyxml2::XML_ERROR_PARSING_TEXT: return "XML syntax error in text (a bare '<' or '&'? write &lt; or &amp;)" + in;
    case tinyxml2::XML_ERROR_PARSING_CDATA: return "XML syntax error: unterminated <![CDATA[" + in;
    case tinyxml2::XML_ERROR_PARSING_COMMENT: return "XML syntax error: unterminated comment (<!-- without -->)";
    case tinyxml2::XML_ERROR_PARSING_DECLARATION: return "XML syntax error in the <?xml ...?> declaration";
    case tinyxml2::XML_ERROR_PARSING_UNKNOWN: return "XML syntax error in a <!...> declaration";
    case tinyxml2::XML_ELEMENT_DEPTH_EXCEEDED: return "XML nested too deeply";
    default: return fmt::format("XML syntax error ({}){}", doc.ErrorName(), in);
  }
}

}  // namespace

namespace detail {

void Loader::apply_attributes(const XMLElement& e, const std::vector<AttrRule>& rules) const {
  for (const XMLAttribute* a = e.FirstAttribute(); a; a = a->Next()) {
    const std::string_view name = a->Name();
    auto rule = std::find_if(rules.begin(), rules.end(), [&](const AttrRule& r) { return r.name == name; });
    if (rule == rules.end()) {
      std::vector<std::string_view> known;
      for (const auto& r : rules) known.push_back(r.name);
      const std::string hint = closest_name(name, known);
      std::string message = fmt::format("unknown attribute '{}' in <{}>", name, e.Name());
      if (!hint.empty()) message += fmt::format(" (did you mean '{}'?)", hint);
      else if (known.empty()) message += fmt::format(" (<{}> takes no attributes)", e.Name());
      else {
        std::string list;
        for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        message += fmt::format(" (known: {})", list);
      }
      fail(a->GetLineNum(), message);
    }
    rule->apply(*a);
  }
}

void Loader::require(const XMLElement& e, std::string_view attribute) const {
  if (!e.FindAttribute(std::string(attribute).c_str())) {
    fail(e.GetLineNum(), fmt::format("<{}> needs {}=\"...\"", e.Name(), attribute));
  }
}

void Loader::check_content(const XMLElement& e, const std::vector<std::string_view>& children) const {
  for (const XMLNode* n = e.FirstChild(); n; n = n->NextSibling()) {
    if (n->ToComment()) continue;
    if (const auto* t = n->ToText()) {
      if (is_blank_text(t->Value())) continue;
      std::string text = t->Value();
      if (text.size() > 40) {
        std::size_t cut = 40;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
        text = text.substr(0, cut) + "...";
      }
      fail(n->GetLineNum(), fmt::format("<{}> takes no text (found '{}')", e.Name(), text));
    }
    if (const auto* child = n->ToElement()) {
      const std::string_view name = child->Name();
      if (std::find(children.begin(), children.end(), name) != children.end()) continue;
      std::string message = fmt::format("unknown element <{}> in <{}>", name, e.Name());
      const std::string hint = closest_name(name, children);
      if (!hint.empty()) message += fmt::format(" (did you mean <{}>?)", hint);
      else if (children.empty()) message += fmt::format(" (<{}> has no child elements)", e.Name());
      fail(child->GetLineNum(), message);
    }
    if (n->ToUnknown() || n->ToDeclaration()) {
      fail(n->GetLineNum(), fmt::format("unexpected <{}> in <{}>", n->Value(), e.Name()));
    }
  }
}

milliseconds Loader::ms_value(const XMLElement& e, const XMLAttribute& a, std::int64_t min_ms, std::int64_t max_ms) const {
  const milliseconds d = get(e, a, parse_duration(a.Value(), BareUnit::seconds));
  if (d.count() < min_ms) {
    bad(e, a, min_ms == 1 ? std::string("must be more than 0") : fmt::format("must be at least {}", format_duration(milliseconds(min_ms))));
  }
  if (d.count() > max_ms) bad(e, a, fmt::format("must be at most {}", format_duration(milliseconds(max_ms))));
  return d;
}

seconds Loader::s_value(const XMLElement& e, const XMLAttribute& a, std::int64_t min_s) const {
  const milliseconds d = get(e, a, parse_duration(a.Value(), BareUnit::seconds));
  if (d.count() % 1000 != 0) bad(e, a, "must be a whole number of seconds");
  if (d.count() / 1000 < min_s) bad(e, a, min_s == 1 ? std::string("must be at least 1s") : fmt::format("must be at least {}s", min_s));
  if (d.count() / 1000 > INT_MAX) bad(e, a, "too long");
  return std::chrono::duration_cast<seconds>(d);
}

void Loader::database(const XMLElement& e, Config& c) const {
  check_content(e, {});
  apply_attributes(e, {
      {"driverClassName",
       [&](const XMLAttribute& a) {
         const std::string v = a.Value();
         // The Java server's JDBC driver class for SQLite is accepted so that a
         // migrated file loads unchanged.
         if (v == "sqlite3" || v == "sqlite" || v == "org.sqlite.JDBC") {
           c.database.driver = "sqlite3";
         } else {
           bad(e, a, "unsupported database driver; smserver supports sqlite3 (alias org.sqlite.JDBC)");
         }
       }},
      {"url",
       [&](const XMLAttribute& a) {
         std::string url = a.Value();
         if (!url.empty() && (url.front() == ' ' || url.back() == ' ')) bad(e, a, "leading or trailing blank in the path");
         if (url.rfind("jdbc:sqlite:", 0) == 0) url = url.substr(12);  // JDBC form, as the Java server wrote it
         if (url.empty()) bad(e, a, "empty database path");
         if (url == ":memory:" || url.rfind("file:", 0) == 0 || url.find("://") != std::string::npos) {
           bad(e, a, "write the path of an SQLite database file (other programs must be able to open it too)");
         }
         fs::path p(url);
         if (p.is_relative()) p = dir_ / p;
         p = p.lexically_normal();
         std::error_code ec;
         if (fs::is_directory(p, ec)) bad(e, a, fmt::format("{} is a directory; write the database file's path, e.g. {}", p.string(), (p / "sms.db").string()));
         if (p.has_filename() == false) bad(e, a, "the path names a directory; write the database file's path");
         c.database.url = p.string();
       }},
      {"busyTimeout", [&](const XMLAttribute& a) { c.database.busy_timeout_ms = static_cast<int>(ms_value(e, a, 1).count()); }},
  });
}

void Loader::init_commands(const XMLElement& e, std::vector<std::string>& out) const {
  for (const XMLElement* init = e.FirstChildElement("init"); init; init = init->NextSiblingElement("init")) {
    apply_attributes(*init, {});
    for (const XMLNode* n = init->FirstChild(); n; n = n->NextSibling()) {
      if (n->ToElement()) fail(n->GetLineNum(), fmt::format("unknown element <{}> in <init> (<init> holds one AT command as text)", n->Value()));
    }
    std::string text;  // all text pieces, so a comment inside does not cut the command
    for (const XMLNode* n = init->FirstChild(); n; n = n->NextSibling()) {
      if (const auto* t = n->ToText()) text += t->Value();
    }
    auto cmd = parse_init_command(text);
    if (!cmd) fail(init->GetLineNum(), fmt::format("<init>{}</init>: {}", text, cmd.error()));
    out.push_back(std::move(cmd).value());
  }
}

void Loader::modem_settings(const XMLElement& e, sms::modem::ModemConfig& m, bool defaults) const {
  check_content(e, {"init"});
  std::vector<AttrRule> rules;
  if (!defaults) {
    rules.push_back({"id", [&](const XMLAttribute& a) { m.id = get(e, a, parse_modem_id(a.Value())); }});
    rules.push_back({"port", [&](const XMLAttribute& a) {
      m.port = get(e, a, parse_port(a.Value()));
      std::error_code ec;
      if (m.port.front() == '/' && fs::is_directory(m.port, ec)) bad(e, a, "is a directory, not a device");
    }});
  }
  auto timeout = [&](std::string_view name, milliseconds& field) {
    rules.push_back({name, [&e, &field, this](const XMLAttribute& a) { field = ms_value(e, a, 1); }});
  };
  rules.push_back({"baudRate", [&](const XMLAttribute& a) { m.baud = get(e, a, parse_baud(a.Value())); }});
  rules.push_back({"rtsCts", [&](const XMLAttribute& a) { m.rtscts = bool_value(e, a); }});
  rules.push_back({"pin", [&](const XMLAttribute& a) { m.pin = get(e, a, parse_pin(a.Value())); }});
  rules.push_back({"smsc", [&](const XMLAttribute& a) { m.smsc = get(e, a, parse_smsc(a.Value())); }});
  timeout("probeTimeout", m.timeouts.probe);
  timeout("commandTimeout", m.timeouts.command);
  timeout("promptTimeout", m.timeouts.prompt);
  timeout("submitTimeout", m.timeouts.submit);
  timeout("listTimeout", m.timeouts.list);
  timeout("registrationTimeout", m.timeouts.registration);
  rules.push_back({"healthInterval", [&](const XMLAttribute& a) { m.health_interval = s_value(e, a, 1); }});
  rules.push_back({"sweepInterval", [&](const XMLAttribute& a) { m.sweep_interval = s_value(e, a, 1); }});
  timeout("reconnectMin", m.reconnect_min);
  timeout("reconnectMax", m.reconnect_max);
  rules.push_back({"trace", [&](const XMLAttribute& a) { m.trace = bool_value(e, a); }});
  apply_attributes(e, rules);

  if (!defaults) {
    require(e, "id");
    require(e, "port");
  }
  if (m.reconnect_max < m.reconnect_min) {
    const XMLAttribute* a = e.FindAttribute("reconnectMax");
    if (!a) a = e.FindAttribute("reconnectMin");
    bad(e, *a, fmt::format("reconnectMax ({}) is shorter than reconnectMin ({})", format_duration(m.reconnect_max),
                           format_duration(m.reconnect_min)));
  }
  // <init> commands of <modemDefaults> come first, then the modem's own.
  init_commands(e, m.init_commands);
}

void Loader::dispatch(const XMLElement& e, Config& c) const {
  check_content(e, {});
  auto& d = c.dispatch;
  apply_attributes(e, {
      {"maxAttempts", [&](const XMLAttribute& a) { d.max_attempts = int_value(e, a, 1, 1000); }},
      {"retryDelays",
       [&](const XMLAttribute& a) {
         std::vector<int> delays;
         std::string_view rest = a.Value();
         while (true) {
           const auto comma = rest.find(',');
           const std::string_view item = rest.substr(0, comma);
           auto d_ms = parse_duration(item, BareUnit::seconds);
           if (!d_ms) bad(e, a, d_ms.error());
           if (d_ms->count() % 1000 != 0) bad(e, a, fmt::format("delay '{}' is not a whole number of seconds", item));
           if (d_ms->count() / 1000 > INT_MAX) bad(e, a, fmt::format("delay '{}' is too long", item));
           delays.push_back(static_cast<int>(d_ms->count() / 1000));
           if (comma == std::string_view::npos) break;
           rest.remove_prefix(comma + 1);
         }
         d.retry_delays_s = std::move(delays);
       }},
      // 3GPP TS 23.040 9.2.3.24.1: a concatenated message has at most 255 parts.
      {"maxParts", [&](const XMLAttribute& a) { d.max_parts = int_value(e, a, 1, 255); }},
      {"pollInterval", [&](const XMLAttribute& a) { d.poll_interval_ms = static_cast<int>(ms_value(e, a, 1).count()); }},
      {"partialTimeout", [&](const XMLAttribute& a) { d.partial_timeout_s = static_cast<int>(s_value(e, a, 1).count()); }},
      {"statusReports", [&](const XMLAttribute& a) { d.status_reports = bool_value(e, a); }},
  });
}

void Loader::run_on_receive(const XMLElement& e, Config& c) const {
  check_content(e, {});
  apply_attributes(e, {
      {"command",
       [&](const XMLAttribute& a) {
         const std::string v = a.Value();
         if (v.empty()) {
           c.run_on_receive.clear();
           return;
         }
         // The program is started directly (never through a shell), with the
         // message in environment variables: a path and nothing else.
         if (v.front() != '/') bad(e, a, "must be an absolute path to a program");
         struct stat st {};
         if (::stat(v.c_str(), &st) != 0) {
           const int err = errno;
           if (v.find(' ') != std::string::npos) {
             bad(e, a, "no such program; give only the program's path, no arguments (the message comes in environment variables)");
           }
           bad(e, a, std::strerror(err));
         }
         if (!S_ISREG(st.st_mode)) bad(e, a, "not a regular file");
         if (::access(v.c_str(), X_OK) != 0) bad(e, a, "not executable (chmod +x?)");
         c.run_on_receive = v;
       }},
      {"timeout", [&](const XMLAttribute& a) { c.run_on_receive_timeout_s = static_cast<int>(s_value(e, a, 1).count()); }},
  });
}

void Loader::log(const XMLElement& e, Config& c) const {
  check_content(e, {});
  apply_attributes(e, {{"level", [&](const XMLAttribute& a) { c.log_level = get(e, a, parse_log_level(a.Value())); }}});
}

void Loader::simulator(const XMLElement& e, Config& c) const {
  check_content(e, {});
  apply_attributes(e, {
      {"dialect", [&](const XMLAttribute& a) { c.simulator.dialect = get(e, a, parse_dialect(a.Value())); }},
      {"submitDelay", [&](const XMLAttribute& a) { c.simulator.submit_delay_ms = static_cast<int>(ms_value(e, a, 0).count()); }},
  });
}

// Two modems on one device would fight over the port; two with one id would
// share rows in the modems table. Device paths are compared after resolving
// symlinks when both exist, so /dev/serial/by-id/... and /dev/ttyUSB0 for the
// same adapter are caught too.
void Loader::check_modems(const std::vector<const XMLElement*>& elements, const std::vector<sms::modem::ModemConfig>& modems) const {
  for (std::size_t i = 0; i < modems.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const XMLElement& e = *elements[i];
      if (lower(modems[i].id) == lower(modems[j].id)) {
        const std::string same = modems[i].id == modems[j].id ? "" : fmt::format(" (same as '{}' but for case)", modems[j].id);
        fail(e.FindAttribute("id")->GetLineNum(),
             fmt::format("duplicate modem id '{}'{}: first used at line {}", modems[i].id, same, elements[j]->GetLineNum()));
      }
      const std::string& p = modems[i].port;
      const std::string& q = modems[j].port;
      if (p == kSimPort || q == kSimPort) continue;  // every simulated modem gets its own simulator
      bool same_port = false;
      if (p.rfind("tcp://", 0) == 0) {
        same_port = lower(p) == lower(q);
      } else if (q.front() == '/') {
        std::error_code ec;
        same_port = fs::path(p).lexically_normal() == fs::path(q).lexically_normal() || fs::equivalent(p, q, ec);
      }
      if (same_port) {
        fail(e.FindAttribute("port")->GetLineNum(),
             fmt::format("<modem> port=\"{}\": already used by modem '{}' at line {}", p, modems[j].id, elements[j]->GetLineNum()));
      }
    }
  }
}

Config Loader::run(std::string_view xml) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) fail(doc.ErrorLineNum(), xml_error_words(doc));

  const XMLElement* root = nullptr;
  for (const XMLNode* n = doc.FirstChild(); n; n = n->NextSibling()) {
    if (const auto* el = n->ToElement()) {
      if (root) {
        fail(el->GetLineNum(), fmt::format("second top-level element <{}>: everything goes inside <smserver>", el->Name()));
      }
      root = el;
    } else if (n->ToUnknown()) {
      fail(n->GetLineNum(), fmt::format("unexpected <{}> (DOCTYPE and other declarations are not used)", n->Value()));
    } else if (const auto* t = n->ToText(); t && !is_blank_text(t->Value())) {
      fail(n->GetLineNum(), "text outside <smserver>");
    }
  }
  if (!root) fail(0, "no <smserver> element");
  if (std::string_view(root->Name()) != "smserver") {
    std::string message = fmt::format("the top element is <{}>; expected <smserver>", root->Name());
    fail(root->GetLineNum(), message);
  }

  Config c;
  c.path = absolute_.string();
  c.database.url = "/var/lib/smserver/sms.db";
  apply_attributes(*root, {{"timezone", [&](const XMLAttribute& a) { timezone(*root, a, c); }}});
  static const std::vector<std::string_view> kTop{"database",     "modem", "modemDefaults", "dispatch",
                                                  "runOnReceive", "log",   "simulator",     "policy"};
  check_content(*root, kTop);

  std::map<std::string, int, std::less<>> seen;  // single elements: name -> first line
  for (const XMLElement* e = root->FirstChildElement(); e; e = e->NextSiblingElement()) {
    const std::string name = e->Name();
    if (name == "modem") continue;
    if (auto it = seen.find(name); it != seen.end()) {
      fail(e->GetLineNum(), fmt::format("<{}> appears twice (first at line {}); write it once", name, it->second));
    }
    seen.emplace(name, e->GetLineNum());
  }

  // <modemDefaults> first, wherever it is, since every <modem> starts from
  // it; then the rest in file order, so the first error reported is the
  // first one in the file.
  sms::modem::ModemConfig defaults;
  if (const XMLElement* e = root->FirstChildElement("modemDefaults")) modem_settings(*e, defaults, true);
  std::vector<const XMLElement*> elements;
  for (const XMLElement* e = root->FirstChildElement(); e; e = e->NextSiblingElement()) {
    const std::string_view name = e->Name();
    if (name == "modem") {
      sms::modem::ModemConfig m = defaults;
      modem_settings(*e, m, false);
      c.modems.push_back(std::move(m));
      elements.push_back(e);
    } else if (name == "database") {
      database(*e, c);
    } else if (name == "dispatch") {
      dispatch(*e, c);
    } else if (name == "runOnReceive") {
      run_on_receive(*e, c);
    } else if (name == "log") {
      log(*e, c);
    } else if (name == "simulator") {
      simulator(*e, c);
    } else if (name == "policy") {
      policy(*e, c);
    }
  }
  check_modems(elements, c.modems);
  if (c.modems.empty()) {
    sms::modem::ModemConfig m = defaults;
    m.id = std::string(kDefaultSimId);
    m.port = std::string(kSimPort);
    c.modems.push_back(std::move(m));
  }
  return c;
}

}  // namespace detail

namespace {

fs::path absolute_or_same(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  if (ec) p = path;
  return p.lexically_normal();
}

}  // namespace

Config load_string(std::string_view xml, const std::string& path) {
  return detail::Loader(path, absolute_or_same(path)).run(xml);
}

Config load(const std::string& path) {
  if (path.empty()) throw ConfigError("(config)", 0, "empty config file name");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw ConfigError(path, 0, fmt::format("cannot read: {}", std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) throw ConfigError(path, 0, "is a directory, not a config file");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw ConfigError(path, 0, fmt::format("cannot read: {}", std::strerror(errno)));
  std::string text;
  char buf[8192];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    text.append(buf, n);
    if (text.size() > kMaxFileSize) {
      std::fclose(f);
      throw ConfigError(path, 0, fmt::format("larger than {} bytes; is this the right file?", kMaxFileSize));
    }
  }
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed) throw ConfigError(path, 0, fmt::format("cannot read: {}", std::strerror(err)));
  return load_string(text, path);
}

bool is_simulated(const sms::modem::ModemConfig& m) { return m.port == kSimPort; }

sms::log::Level log_level(const Config& c) {
  if (c.log_level == "error") return sms::log::Level::error;
  if (c.log_level == "warning") return sms::log::Level::warning;
  if (c.log_level == "debug") return sms::log::Level::debug;
  return sms::log::Level::info;
}

}  // namespace sms::config
