#pragma once
// smserver's XML configuration (conf/smserver.xml), in the JSMServerConfig
// style of the original Java server:
//
//   <smserver>
//     <database driverClassName="sqlite3" url="/var/lib/smserver/sms.db"/>
//     <modem id="m1" port="/dev/ttyUSB0" baudRate="115200" pin="" smsc=""/>
//     ...
//   </smserver>
//
// Everything is validated at load time; the first problem throws ConfigError
// naming the file, the line and the offending value.
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "modem/common/log.hpp"
#include "modem/driver/modem.hpp"
#include "src/policy/policy.hpp"

namespace sms::config {

struct ConfigError : std::runtime_error {
  // what(): "FILE:LINE: message", or "FILE: message" (line 0) when no line
  // applies (missing or unreadable file). FILE is the path as given to load().
  ConfigError(const std::string& file, int line, const std::string& message);
  std::string file;
  int line = 0;
  std::string message;
};

struct Database {
  std::string driver = "sqlite3";   // driverClassName; only sqlite3 for now
  std::string url;                  // absolute path (a relative url is resolved against the config file's folder)
  int busy_timeout_ms = 10000;
};

struct Dispatch {
  int max_attempts = 5;                          // temporary failures before 'failed'
  std::vector<int> retry_delays_s{10, 60, 300, 900};  // backoff per attempt (last one repeats)
  int max_parts = 10;                            // longer texts fail with a clear error
  int poll_interval_ms = 5000;                   // fallback poll when no change notification arrives
  int partial_timeout_s = 86400;                 // multipart inbound parts wait this long before a partial inbox row
  bool status_reports = false;                   // request reports for every message (rows may also ask)
};

struct Simulator {
  // Used when no <modem> is configured or a modem has port="sim".
  std::string dialect = "generic";
  int submit_delay_ms = 0;
};

struct Config {
  std::string path;                    // the file it was read from (absolute, so SIGHUP finds it after a chdir)
  Database database;
  std::vector<sms::modem::ModemConfig> modems;   // port "sim" = bundled simulator; none configured = one simulated modem "sim1"
  Dispatch dispatch;
  Simulator simulator;
  std::string run_on_receive;          // program (absolute path) run per received message; "" = none
  std::string log_level = "info";      // error|warning|info|debug
  // Added by the config layer:
  int run_on_receive_timeout_s = 60;   // <runOnReceive timeout>: the program is killed after this long
  // <smserver timezone="Asia/Shanghai">: the local time of the policy's rules
  // and of everything a person reads; "" = the system's zone. Validated at
  // load (sms::policy::Zone::named accepts it).
  std::string timezone;
  // <policy>: the sending policy (docs/CONFIG.md "Sending policy"). Every
  // rule is off unless configured; policy_present says whether the element
  // was there at all. banned_words->file is absolute (a relative file is
  // resolved against the config file's folder) and its words are loaded.
  sms::policy::Policy policy;
  bool policy_present = false;
  // A digest of the banned-words file's words (0 without one), so that
  // differences() notices a file edited between two loads.
  std::uint64_t banned_words_digest = 0;
};

Config load(const std::string& path);
// /etc/smserver/smserver.xml if it exists, else conf/smserver.xml of the source checkout.
std::string default_path();

// ---- Additions (config layer) ----------------------------------------------

inline constexpr std::string_view kSystemPath = "/etc/smserver/smserver.xml";
inline constexpr std::string_view kSimPort = "sim";           // <modem port="sim">: the bundled simulator
inline constexpr std::string_view kDefaultSimId = "sim1";     // the modem used when none is configured

// As load(), from text already in memory. `path` names the file in error
// messages, and its folder anchors a relative database url.
Config load_string(std::string_view xml, const std::string& path);

// Where default_path() looks, so tests can point it elsewhere.
struct SearchPlaces {
  std::string system_path{kSystemPath};  // used if it exists (and returned when nothing is found)
  std::string exe_path;                  // this program; its folder and every parent is searched for conf/smserver.xml
  std::string cwd;                       // then <cwd>/conf/smserver.xml
};
SearchPlaces default_search_places();    // exe_path from /proc/self/exe, cwd from getcwd()
std::string default_path(const SearchPlaces& places);

bool is_simulated(const sms::modem::ModemConfig& m);  // port == "sim"
sms::log::Level log_level(const Config& c);           // c.log_level as the logger's enum

// The effective configuration as smserver.xml text, every setting written out
// (defaults included). load_string(to_xml(c), c.path) gives back c.
std::string to_xml(const Config& c);

// One setting that differs between two configurations (for SIGHUP: the server
// decides what it can apply live; `element` says where the setting lives).
struct Change {
  // "database", "modem", "dispatch", "runOnReceive", "log", "simulator",
  // "timezone" (attribute "timezone" of <smserver>), "policy" (attribute: the
  // <policy> attribute or the name of the rule element that changed, e.g.
  // "limit", "bannedWords"; "" when the whole <policy> was added or removed).
  std::string element;
  std::string modem_id;   // for element "modem": which modem ("" otherwise)
  std::string attribute;  // "url", "baudRate", ... ("" when a whole modem was added or removed)
  std::string before, after;  // as written in XML; "" for an added/removed modem's side
  std::string describe() const;  // "modem m1 baudRate: 115200 -> 9600", "policy <quiet> added: from=22:00 to=08:00 kinds=bulk"
};
std::vector<Change> differences(const Config& before, const Config& after);

}  // namespace sms::config
