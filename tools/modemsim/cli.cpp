#include "tools/modemsim/cli.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <string_view>

namespace sms::sim {

namespace {

bool to_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  const std::string str(s);
  const long v = std::strtol(str.c_str(), &end, 10);
  if (*end != '\0' || v < 0 || v > 1000000000L) return false;
  out = static_cast<int>(v);
  return true;
}

}  // namespace

std::string cli_help() {
  return R"(usage: modemsim --link PATH [options]
A simulated GSM modem (3GPP 27.005 PDU mode) on a pseudo-terminal. Prints the
pty path on stdout, runs until SIGTERM/SIGINT. Details: tools/modemsim/README.md,
modem/sim/README.md

  --link PATH              symlink to the pty slave (a stale symlink is replaced)
  --dialect D              generic (default), huawei, simcom, quectel
  --pin PIN                the SIM asks for this PIN (3 wrong tries -> SIM PUK)
  --puk PUK                PUK for AT+CPIN="<puk>","<newpin>" (default 12345678)
  --no-sim                 no SIM inserted (+CPIN: NOT INSERTED at start, CME 10)
  --capacity N             slots per storage SM/ME/SR (default 20)
  --submit-delay-ms N      network time per submit (default 0)
  --cmms-delay-ms N        the same while AT+CMMS keeps the link open (default 0)
  --error-rate P           probability of +CMS ERROR: 500/38 on a valid submit
  --hang PREFIX            commands starting with PREFIX are never answered
  --garbage                garbage bytes at start and between responses
  --stale-answer           a late "+CMGS: 254 OK" before the first answer
  --vanish-after N         the pty vanishes after the Nth accepted submit ...
  --vanish-ms M            ... and returns after M ms (default 2000)
  --reject-cnmi LIST       AT+CNMI patterns to reject, ';'-separated, '*' = any
                           ("2" all mode 2, "*,*,*,1" ds=1; "none" clears)
  --not-registered         never registered (+CREG: 0,0)
  --roaming                registered roaming (stat 5)
  --register-after-ms N    searching (stat 2) for N ms, then registered
  --status-reports         status report (delivered) for submits with SRR
  --status-report-delay-ms N  (default 500)
  --report-padding N       N octets of FF after every status report printed
                           (+CDS, +CMGR/+CMGL of SR); <length> stays the TPDU's
  --cnma-timeout-ms N      AT+CSMS=1: unacknowledged +CMT after N ms turns
                           routing off and the message is re-delivered (stored)
  --ready-delay-ms N       simcom/quectel: until SMS Ready (default 3000)
  --noise-ms N             huawei/quectel noise URC interval (default 2000, 0 off)
  --csq N                  +CSQ rssi (default 20)
  --imsi S --imei S --operator S --smsc S   identity
  --control PATH           Unix socket for control commands (deliver, stats, ...)
  --log FILE               JSON lines of accepted submits
  --seed N                 RNG seed (default 1)
  --quiet                  no trace of AT commands on stderr (default: one line each)
  --help                   this text
)";
}

CliResult parse_cli(int argc, char** argv, Options& opt, std::string& link, std::string& error) {
  opt.trace = true;  // the command traces by default; --quiet turns it off
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&](std::string_view& out) {
      if (i + 1 >= argc) {
        error = fmt::format("{} needs a value", a);
        return false;
      }
      out = argv[++i];
      return true;
    };
    auto int_value = [&](int& out) {
      std::string_view v;
      if (!value(v)) return false;
      if (!to_int(v, out)) {
        error = fmt::format("{}: not a number >= 0: '{}'", a, v);
        return false;
      }
      return true;
    };
    std::string_view v;
    if (a == "--help" || a == "-h") return CliResult::help;
    if (a == "--link") {
      if (!value(v)) return CliResult::error;
      link = v;
    } else if (a == "--dialect") {
      if (!value(v)) return CliResult::error;
      auto d = parse_dialect(v);
      if (!d) {
        error = fmt::format("--dialect: expected generic, huawei, simcom or quectel, got '{}'", v);
        return CliResult::error;
      }
      opt.dialect = *d;
    } else if (a == "--pin") {
      if (!value(v)) return CliResult::error;
      opt.pin = v;
    } else if (a == "--puk") {
      if (!value(v)) return CliResult::error;
      opt.puk = v;
    } else if (a == "--no-sim") {
      opt.no_sim = true;
    } else if (a == "--capacity") {
      if (!int_value(opt.capacity)) return CliResult::error;
    } else if (a == "--submit-delay-ms") {
      if (!int_value(opt.submit_delay_ms)) return CliResult::error;
    } else if (a == "--cmms-delay-ms") {
      if (!int_value(opt.cmms_delay_ms)) return CliResult::error;
    } else if (a == "--error-rate") {
      if (!value(v)) return CliResult::error;
      char* end = nullptr;
      const std::string s(v);
      opt.error_rate = std::strtod(s.c_str(), &end);
      if (*end != '\0' || opt.error_rate < 0 || opt.error_rate > 1) {
        error = fmt::format("--error-rate: expected a probability 0..1, got '{}'", v);
        return CliResult::error;
      }
    } else if (a == "--hang") {
      if (!value(v)) return CliResult::error;
      opt.hang_prefix = v;
    } else if (a == "--garbage") {
      opt.garbage = true;
    } else if (a == "--stale-answer") {
      opt.stale_answer = true;
    } else if (a == "--vanish-after") {
      if (!int_value(opt.vanish_after)) return CliResult::error;
    } else if (a == "--vanish-ms") {
      if (!int_value(opt.vanish_ms)) return CliResult::error;
    } else if (a == "--reject-cnmi") {
      if (!value(v)) return CliResult::error;
      opt.reject_cnmi = std::string(v);
    } else if (a == "--not-registered") {
      opt.registration = Registration::none;
    } else if (a == "--roaming") {
      opt.registration = Registration::roaming;
    } else if (a == "--register-after-ms") {
      if (!int_value(opt.register_after_ms)) return CliResult::error;
    } else if (a == "--status-reports") {
      opt.status_reports = true;
    } else if (a == "--status-report-delay-ms") {
      if (!int_value(opt.status_report_delay_ms)) return CliResult::error;
    } else if (a == "--report-padding") {
      if (!int_value(opt.report_padding)) return CliResult::error;
      if (opt.report_padding > kMaxReportPadding) {
        error = fmt::format("--report-padding: at most {} octets, got {}", kMaxReportPadding, opt.report_padding);
        return CliResult::error;
      }
    } else if (a == "--cnma-timeout-ms") {
      if (!int_value(opt.cnma_timeout_ms)) return CliResult::error;
    } else if (a == "--ready-delay-ms") {
      if (!int_value(opt.ready_delay_ms)) return CliResult::error;
    } else if (a == "--noise-ms") {
      if (!int_value(opt.noise_ms)) return CliResult::error;
    } else if (a == "--csq") {
      if (!int_value(opt.csq)) return CliResult::error;
    } else if (a == "--imsi") {
      if (!value(v)) return CliResult::error;
      opt.imsi = v;
    } else if (a == "--imei") {
      if (!value(v)) return CliResult::error;
      opt.imei = v;
    } else if (a == "--operator") {
      if (!value(v)) return CliResult::error;
      opt.operator_name = v;
    } else if (a == "--smsc") {
      if (!value(v)) return CliResult::error;
      opt.smsc = v;
    } else if (a == "--control") {
      if (!value(v)) return CliResult::error;
      opt.control_path = v;
    } else if (a == "--log") {
      if (!value(v)) return CliResult::error;
      opt.log_path = v;
    } else if (a == "--seed") {
      int s = 0;
      if (!int_value(s)) return CliResult::error;
      opt.seed = static_cast<std::uint64_t>(s);
    } else if (a == "--trace") {
      opt.trace = true;
    } else if (a == "--quiet") {
      opt.trace = false;
    } else {
      error = fmt::format("unknown option '{}'", a);
      return CliResult::error;
    }
  }
  if (link.empty()) {
    error = "--link PATH is required";
    return CliResult::error;
  }
  return CliResult::run;
}

}  // namespace sms::sim
