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
#include <stdexcept>
#include <string>
#include <vector>

#include "modem/driver/modem.hpp"

namespace sms::config {

struct ConfigError : std::runtime_error {
  // what(): "FILE:LINE: message"
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
  std::string path;                    // the file it was read from
  Database database;
  std::vector<sms::modem::ModemConfig> modems;   // port "sim" = bundled simulator; none configured = one simulated modem "sim1"
  Dispatch dispatch;
  Simulator simulator;
  std::string run_on_receive;          // program (absolute path) run per received message; "" = none
  std::string log_level = "info";      // error|warning|info|debug
};

Config load(const std::string& path);
// /etc/smserver/smserver.xml if it exists, else conf/smserver.xml of the source checkout.
std::string default_path();

}  // namespace sms::config
