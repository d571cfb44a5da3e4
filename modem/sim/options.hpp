#pragma once
// Everything that makes one simulated modem behave the way a test wants:
// dialect, SIM, delays, fault injection. Plain data; defaults are those of
// the `modemsim` command line (tools/modemsim/README.md; what they do:
// README.md here).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sms::sim {

enum class Dialect { generic, huawei, simcom, quectel };
std::optional<Dialect> parse_dialect(std::string_view s);
std::string_view to_string(Dialect d);

// 27.007 7.2 <stat> values of +CREG.
enum class Registration { none = 0, home = 1, searching = 2, denied = 3, roaming = 5 };
std::optional<Registration> parse_registration(std::string_view s);

// Upper bound of Options::report_padding (octets), checked where it is set.
inline constexpr int kMaxReportPadding = 1000;

struct Options {
  Dialect dialect = Dialect::generic;
  std::string pin;                 // empty: the SIM asks for none
  std::string puk = "12345678";
  bool no_sim = false;             // no SIM inserted: +CME ERROR: 10 / +CMS ERROR: 310
  int capacity = 20;               // slots per storage (SM, ME, SR)
  int submit_delay_ms = 0;         // network time per submit
  int cmms_delay_ms = 0;           // ... while AT+CMMS keeps the relay link open
  double error_rate = 0;           // probability of +CMS ERROR: 500/38 on a valid submit
  std::string hang_prefix;         // commands starting with this never get an answer
  bool garbage = false;            // garbage at start and between lines
  double garbage_rate = 0.05;      // per response when `garbage`
  bool stale_answer = false;       // late answer of a dead process before the first answer
  int vanish_after = 0;            // vanish after the Nth accepted submit (0: never)
  int vanish_ms = 2000;
  std::optional<std::string> reject_cnmi;  // nullopt: dialect default
  Registration registration = Registration::home;
  int register_after_ms = 0;       // searching (stat 2) for this long after the SIM is ready
  bool status_reports = false;     // auto status report for submits with TP-SRR
  int status_report_delay_ms = 500;
  // Octets of FF appended to the hex of every SMS-STATUS-REPORT printed
  // (+CDS, and +CMGR/+CMGL of reports stored in SR), beyond the <length>
  // printed, as real modems pad the SIM record (176 octets). 0: none.
  int report_padding = 0;
  // AT+CSMS=1: a +CMT/+CDS not acknowledged with AT+CNMA within this time
  // makes the modem turn routing off (<mt>=<ds>=0, 27.005 3.4.4) and the
  // network re-deliver the message (stored). 0: never times out.
  int cnma_timeout_ms = 0;
  int ready_delay_ms = 3000;       // simcom/quectel: until SMS Ready / +QIND: SMS DONE
  int noise_ms = 2000;             // huawei/quectel noise URC interval (<= 0: none)
  int csq = 20;
  std::string imsi = "460001234567890";
  std::string imei = "356938035643809";
  std::string operator_name = "SimNet";
  std::string smsc = "+8613800100500";
  std::string manufacturer, model, revision;  // empty: dialect default
  std::uint64_t seed = 1;
  // SimModem::submits() keeps at least the most recent `keep_submits`
  // records (memory stays bounded in a long-running in-process simulator;
  // the submit log file has them all).
  int keep_submits = 10000;

  // Used by PtyModem / the CLI only.
  std::string log_path;            // JSON lines of accepted submits
  std::string control_path;        // Unix socket of the control channel
  bool trace = false;              // one stderr line per AT command

  // Wall clock (ms since 1970) for timestamps in delivered PDUs and the log.
  // Unset: the system clock. Tests set a fixed one.
  std::function<std::int64_t()> wall_ms;
};

}  // namespace sms::sim
