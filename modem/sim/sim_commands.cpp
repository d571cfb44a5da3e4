// SimModem: the AT command table (27.007 general/network commands, 27.005
// SMS commands in PDU mode) and the command line parser.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "modem/sim/sim_internal.hpp"
#include "modem/sim/sim_modem.hpp"

namespace sms::sim {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Splits at commas outside double quotes; removes the quotes and blanks.
std::vector<std::string> split_args(std::string_view raw) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : raw) {
    if (c == '"') {
      quoted = !quoted;
      continue;
    }
    if (c == ',' && !quoted) {
      out.emplace_back(trim(cur));
      cur.clear();
      continue;
    }
    cur.push_back(c);
  }
  out.emplace_back(trim(cur));
  if (out.size() == 1 && out[0].empty()) out.clear();
  return out;
}

// 27.007 9.2 / 27.005 3.2.5 texts for AT+CMEE=2.
std::string_view cme_text(int code) {
  switch (code) {
    case 3: return "operation not allowed";
    case 4: return "operation not supported";
    case 10: return "SIM not inserted";
    case 11: return "SIM PIN required";
    case 12: return "SIM PUK required";
    case 16: return "incorrect password";
    case 21: return "invalid index";
    case 30: return "no network service";
    default: return "unknown";
  }
}
std::string_view cms_text(int code) {
  switch (code) {
    case 38: return "network out of order";
    case 302: return "operation not allowed";
    case 310: return "SIM not inserted";
    case 303: return "operation not supported";
    case 304: return "invalid PDU mode parameter";
    case 311: return "SIM PIN required";
    case 314: return "SIM busy";
    case 316: return "SIM PUK required";
    case 321: return "invalid memory index";
    case 322: return "memory full";
    case 331: return "no network service";
    case 340: return "no +CNMA acknowledgement expected";
    default: return "unknown error";
  }
}

}  // namespace

bool parse_int(std::string_view s, int& out) {
  s = trim(s);
  if (s.empty()) return false;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out, base);
  return ec == std::errc() && p == end;
}

bool is_hex(std::string_view s) {
  if (s.empty() || s.size() % 2 != 0) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

bool parse_command_line(std::string_view line, std::vector<SimModem::Cmd>& out, bool& bad) {
  // Leading control bytes (ESC, Ctrl-Z sent to abort, line noise) are skipped.
  while (!line.empty() && static_cast<unsigned char>(line.front()) < 0x20) line.remove_prefix(1);
  if (line.size() < 2 || std::toupper(static_cast<unsigned char>(line[0])) != 'A' ||
      std::toupper(static_cast<unsigned char>(line[1])) != 'T')
    return false;
  // Upper-case everything outside quotes ("at+cpms=\"sm\"" is fine, the PIN is not).
  std::string body;
  bool quoted = false;
  for (char c : line.substr(2)) {
    if (c == '"') quoted = !quoted;
    body.push_back(quoted ? c : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  std::size_t i = 0;
  if (body.empty()) {
    out.push_back(SimModem::Cmd{});
    return true;
  }
  while (i < body.size()) {
    const char c = body[i];
    if (c == ';' || c == ' ') {
      ++i;
      continue;
    }
    SimModem::Cmd cmd;
    if (c == '+' || c == '^' || c == '$' || c == '%' || c == '*') {
      // Extended command, up to ';' outside quotes (V.250 5.4.2).
      std::size_t j = i + 1;
      while (j < body.size() && (is_alpha(body[j]) || is_digit(body[j]))) ++j;
      cmd.name = body.substr(i, j - i);
      std::size_t end = j;
      bool q = false;
      while (end < body.size() && (q || body[end] != ';')) {
        if (body[end] == '"') q = !q;
        ++end;
      }
      std::string_view rest = std::string_view(body).substr(j, end - j);
      rest = trim(rest);
      if (rest.empty()) {
        cmd.type = SimModem::Cmd::exec;
      } else if (rest == "?") {
        cmd.type = SimModem::Cmd::query;
      } else if (rest == "=?") {
        cmd.type = SimModem::Cmd::test;
      } else if (rest[0] == '=') {
        cmd.type = SimModem::Cmd::set;
        cmd.raw = std::string(rest.substr(1));
        cmd.args = split_args(cmd.raw);
      } else {
        bad = true;
        return true;
      }
      i = end;
    } else if (c == '&' || is_alpha(c)) {
      // Basic command: letter (or &letter) and optional digits; S-registers.
      std::size_t j = i + 1;
      if (c == '&') {
        if (j >= body.size() || !is_alpha(body[j])) {
          bad = true;
          return true;
        }
        ++j;
      }
      cmd.name = body.substr(i, j - i);
      std::size_t k = j;
      while (k < body.size() && is_digit(body[k])) ++k;
      if (k > j) parse_int(std::string_view(body).substr(j, k - j), cmd.num);
      if (cmd.name == "S" && k < body.size() && (body[k] == '=' || body[k] == '?')) {
        if (body[k] == '?') {
          cmd.type = SimModem::Cmd::query;
          ++k;
        } else {
          cmd.type = SimModem::Cmd::set;
          ++k;
          while (k < body.size() && is_digit(body[k])) ++k;
        }
      }
      i = k;
    } else {
      bad = true;
      return true;
    }
    out.push_back(std::move(cmd));
  }
  return true;
}

// ---- result codes ---------------------------------------------------------------

SimModem::Outcome SimModem::cms(Reply& r, int code) {
  if (cmee_ == 0)
    r.final = "ERROR";
  else if (cmee_ == 2)
    r.final = fmt::format("+CMS ERROR: {}", cms_text(code));
  else
    r.final = fmt::format("+CMS ERROR: {}", code);
  return Outcome::error;
}

SimModem::Outcome SimModem::cme(Reply& r, int code) {
  if (cmee_ == 0)
    r.final = "ERROR";
  else if (cmee_ == 2)
    r.final = fmt::format("+CME ERROR: {}", cme_text(code));
  else
    r.final = fmt::format("+CME ERROR: {}", code);
  return Outcome::error;
}

SimModem::Outcome SimModem::plain_error(Reply& r) {
  r.final = "ERROR";
  return Outcome::error;
}

SimModem::Outcome SimModem::unknown(Reply& r) {
  // Huawei firmwares answer unknown commands this way instead of ERROR.
  r.final = opt_.dialect == Dialect::huawei ? "COMMAND NOT SUPPORT" : "ERROR";
  return Outcome::error;
}

bool SimModem::cnmi_rejected(const std::vector<std::string>& args) const {
  if (!opt_.reject_cnmi || opt_.reject_cnmi->empty() || *opt_.reject_cnmi == "none") return false;
  std::string_view list = *opt_.reject_cnmi;
  while (!list.empty()) {
    const auto semi = list.find(';');
    const std::string_view pat = list.substr(0, semi);
    list = semi == std::string_view::npos ? std::string_view{} : list.substr(semi + 1);
    const auto fields = split_args(pat);
    if (fields.empty()) continue;
    bool match = true;
    for (std::size_t k = 0; k < fields.size() && match; ++k) {
      if (fields[k] == "*") continue;
      const std::string given = k < args.size() && !args[k].empty() ? args[k] : "0";
      int a = 0, b = 0;
      match = parse_int(given, a) && parse_int(fields[k], b) && a == b;
    }
    if (match) return true;
  }
  return false;
}

// ---- the table ----------------------------------------------------------------------

SimModem::Outcome SimModem::execute(const Cmd& c, Reply& r) {
  if (c.name.empty() || c.name[0] == '&' || is_alpha(c.name[0])) return basic(c, r);
  return extended(c, r);
}

SimModem::Outcome SimModem::basic(const Cmd& c, Reply& r) {
  const std::string& n = c.name;
  if (n.empty()) return Outcome::ok;  // "AT"
  if (n == "E") {
    if (c.num > 1) return plain_error(r);
    echo_ = c.num == 1;
    return Outcome::ok;
  }
  if (n == "Z" || n == "&F") {
    // V.250 6.1.1: back to the stored profile; echo is on again.
    echo_ = true;
    cmee_ = 0;
    cnmi_ = {0, 0, 0, 0, 0};
    cmms_ = 0;
    csms_ = 0;
    acks_.clear();
    creg_n_ = cgreg_n_ = 0;
    cusd_ = 0;
    return Outcome::ok;
  }
  if (n == "V" || n == "Q" || n == "&W" || n == "&C" || n == "&D" || n == "S" || n == "X" || n == "H")
    return Outcome::ok;
  if (n == "I") {
    r.lines.push_back("Manufacturer: " + opt_.manufacturer);
    r.lines.push_back("Model: " + opt_.model);
    r.lines.push_back("Revision: " + opt_.revision);
    r.lines.push_back("IMEI: " + opt_.imei);
    return Outcome::ok;
  }
  return unknown(r);
}

SimModem::Outcome SimModem::extended(const Cmd& c, Reply& r) {
  const std::string& n = c.name;
  int v = 0;
  auto arg_int = [&](std::size_t k, int& out) { return k < c.args.size() && parse_int(c.args[k], out); };

  if (n == "+CMEE") {
    if (c.type == Cmd::query) return r.lines.push_back(fmt::format("+CMEE: {}", cmee_)), Outcome::ok;
    if (c.type == Cmd::test) return r.lines.push_back("+CMEE: (0-2)"), Outcome::ok;
    if (c.type == Cmd::exec) return cmee_ = 0, Outcome::ok;
    if (!arg_int(0, v) || v < 0 || v > 2) return cme(r, 3);
    cmee_ = v;
    return Outcome::ok;
  }
  if (n == "+CPIN") {
    if (sim_ == SimState::absent) return cme(r, 10);  // 27.007 9.2.1: SIM not inserted
    if (c.type == Cmd::query) {
      r.lines.push_back(sim_ == SimState::ready ? "+CPIN: READY"
                        : sim_ == SimState::pin ? "+CPIN: SIM PIN"
                                                : "+CPIN: SIM PUK");
      return Outcome::ok;
    }
    if (c.type == Cmd::test) return Outcome::ok;
    if (c.type != Cmd::set || c.args.empty()) return cme(r, 3);
    if (sim_ == SimState::ready) return cme(r, 3);  // nothing to enter
    if (sim_ == SimState::pin) {
      if (c.args[0] == pin_) {
        sim_ = SimState::ready;
        pin_tries_ = 0;
        sim_ready();
        return Outcome::ok;
      }
      // 3GPP TS 31.101/11.11: three wrong PINs block the PIN; the PUK is needed.
      if (++pin_tries_ >= 3) sim_ = SimState::puk;
      return cme(r, 16);
    }
    // SIM PUK: AT+CPIN="<puk>","<new pin>"
    if (c.args.size() >= 2 && c.args[0] == opt_.puk && !c.args[1].empty()) {
      pin_ = c.args[1];
      sim_ = SimState::ready;
      pin_tries_ = 0;
      sim_ready();
      return Outcome::ok;
    }
    return cme(r, 16);
  }
  if (n == "+CFUN") {
    if (c.type == Cmd::query) return r.lines.push_back(fmt::format("+CFUN: {}", cfun_)), Outcome::ok;
    if (c.type == Cmd::test) return r.lines.push_back("+CFUN: (0,1,4),(0,1)"), Outcome::ok;
    if (!arg_int(0, v) || (v != 0 && v != 1 && v != 4)) return cme(r, 3);
    cfun_ = v == 1 ? 1 : 0;
    int rst = 0;
    if (arg_int(1, rst) && rst == 1) {
      // AT+CFUN=1,1: answer OK, then restart like a power cycle.
      schedule(200, [this] { reboot(now_); });
    }
    return Outcome::ok;
  }
  if (n == "+CMGF") {
    if (c.type == Cmd::query) return r.lines.push_back("+CMGF: 0"), Outcome::ok;
    if (c.type == Cmd::test) return r.lines.push_back("+CMGF: (0)"), Outcome::ok;
    if (c.type == Cmd::exec || (arg_int(0, v) && v == 0)) return Outcome::ok;
    return plain_error(r);  // text mode is not simulated: PDU mode only
  }
  if (n == "+CSCS") {
    if (c.type == Cmd::query) return r.lines.push_back("+CSCS: \"GSM\""), Outcome::ok;
    if (c.type == Cmd::test) return r.lines.push_back("+CSCS: (\"GSM\",\"UCS2\",\"IRA\")"), Outcome::ok;
    return Outcome::ok;
  }
  if (n == "+CREG" || n == "+CGREG") {
    int& mode = n == "+CREG" ? creg_n_ : cgreg_n_;
    if (c.type == Cmd::test) return r.lines.push_back(n + ": (0-2)"), Outcome::ok;
    if (c.type == Cmd::query) {
      if (mode == 2 && registered())
        r.lines.push_back(fmt::format("{}: 2,{},\"1A2B\",\"00C3D4E5\"", n, reg_stat()));
      else
        r.lines.push_back(fmt::format("{}: {},{}", n, mode, reg_stat()));
      return Outcome::ok;
    }
    if (c.type == Cmd::exec) return mode = 0, Outcome::ok;
    if (!arg_int(0, v) || v < 0 || v > 2) return cme(r, 3);
    mode = v;
    return Outcome::ok;
  }
  auto ident = [&](const std::string& value) {
    if (c.type == Cmd::test) return Outcome::ok;
    if (c.type != Cmd::exec) return unknown(r);
    r.lines.push_back(value);
    return Outcome::ok;
  };
  if (n == "+CGMI" || n == "+GMI") return ident(opt_.manufacturer);
  if (n == "+CGMM" || n == "+GMM") return ident(opt_.model);
  if (n == "+CGMR" || n == "+GMR") return ident(opt_.revision);
  if (n == "+CGSN" || n == "+GSN") return ident(opt_.imei);
  if (n == "+CIMI") {
    if (sim_ == SimState::pin) return cme(r, 11);
    if (sim_ == SimState::puk) return cme(r, 12);
    if (sim_ == SimState::absent) return cme(r, 10);
    return ident(opt_.imsi);
  }
  if (n == "+COPS") {
    if (c.type == Cmd::query) {
      if (registered())
        r.lines.push_back(fmt::format("+COPS: 0,0,\"{}\",0", opt_.operator_name));
      else
        r.lines.push_back("+COPS: 0");
      return Outcome::ok;
    }
    if (c.type == Cmd::test) {
      r.lines.push_back(fmt::format("+COPS: (2,\"{0}\",\"{0}\",\"46000\",0),,(0-4),(0-2)", opt_.operator_name));
      return Outcome::ok;
    }
    return Outcome::ok;
  }
  if (n == "+CSQ") {
    if (c.type == Cmd::test) return r.lines.push_back("+CSQ: (0-31,99),(0-7,99)"), Outcome::ok;
    if (c.type != Cmd::exec) return unknown(r);
    r.lines.push_back(fmt::format("+CSQ: {},99", opt_.csq));
    return Outcome::ok;
  }
  if (n == "+CGATT") {
    // 27.007 10.1.9 packet domain attach. Debian's gammu-smsd asks AT+CGATT?
    // while reading network info and gives up on ERROR. Attached whenever
    // registered; AT+CGATT=0/1 are accepted but detach is not modelled (SMS
    // here goes over the circuit-switched domain).
    if (c.type == Cmd::test) return r.lines.push_back("+CGATT: (0,1)"), Outcome::ok;
    if (c.type == Cmd::query) return r.lines.push_back(fmt::format("+CGATT: {}", registered() ? 1 : 0)), Outcome::ok;
    if (c.type != Cmd::set || !arg_int(0, v) || v < 0 || v > 1) return cme(r, 3);
    return Outcome::ok;
  }
  if (n == "+CBC") {
    // 27.007 8.4 battery charge. Battery-less USB sticks commonly answer
    // "+CBC: 0,100" although they run on bus power (<bcs> 2 would be exact);
    // hosts only display it.
    if (c.type == Cmd::test) return r.lines.push_back("+CBC: (0-3),(0-100)"), Outcome::ok;
    if (c.type != Cmd::exec) return unknown(r);
    r.lines.push_back("+CBC: 0,100");
    return Outcome::ok;
  }
  if (n == "+CUSD") {
    // 27.007 7.15 USSD: only the result-code presentation flag is kept;
    // sending a USSD string is not supported (CME 4).
    if (c.type == Cmd::test) return r.lines.push_back("+CUSD: (0-2)"), Outcome::ok;
    if (c.type == Cmd::query) return r.lines.push_back(fmt::format("+CUSD: {}", cusd_)), Outcome::ok;
    if (c.type == Cmd::exec) return cusd_ = 0, Outcome::ok;
    if (!arg_int(0, v) || v < 0 || v > 2) return cme(r, 3);
    if (c.args.size() > 1 && !c.args[1].empty()) return cme(r, 4);
    if (v != 2) cusd_ = v;
    return Outcome::ok;
  }
  if (n == "^CURC" && opt_.dialect == Dialect::huawei) {
    if (c.type == Cmd::query) return r.lines.push_back(fmt::format("^CURC: {}", curc_ ? 1 : 0)), Outcome::ok;
    if (c.type == Cmd::test) return r.lines.push_back("^CURC: (0-1)"), Outcome::ok;
    if (!arg_int(0, v) || v < 0 || v > 1) return unknown(r);
    curc_ = v == 1;
    return Outcome::ok;
  }
  if (n == "+QINDCFG" && opt_.dialect == Dialect::quectel) {
    if (c.type != Cmd::set || c.args.size() < 2) return Outcome::ok;
    std::string what = c.args[0];
    for (auto& ch : what) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (what == "all" || what == "csq") qind_csq_ = c.args[1] != "0";
    return Outcome::ok;
  }
  static const char* kSms[] = {"+CMGS", "+CMGW", "+CMGR", "+CMGL", "+CMGD", "+CPMS",
                               "+CNMI", "+CSCA", "+CMMS", "+CSMS", "+CNMA"};
  for (const char* s : kSms)
    if (n == s) return sms_command(c, r);
  return unknown(r);
}

SimModem::Outcome SimModem::sms_command(const Cmd& c, Reply& r) {
  // 27.005 3.2.5: SMS commands need the SIM; SIMCom/Quectel also answer
  // 314 (SIM busy) until the SMS subsystem printed SMS Ready / SMS DONE.
  if (sim_ == SimState::pin) return cms(r, 311);
  if (sim_ == SimState::puk) return cms(r, 316);
  if (sim_ == SimState::absent) return cms(r, 310);
  if (!sms_ready_) return cms(r, 314);
  const std::string& n = c.name;
  int v = 0;
  auto arg_int = [&](std::size_t k, int& out) { return k < c.args.size() && parse_int(c.args[k], out); };
  const int base = index_base();

  if (n == "+CPMS") {
    auto counts = [&](bool names) {
      std::string s;
      for (int k = 0; k < 3; ++k) {
        const Storage& st = store(mem_[static_cast<std::size_t>(k)]);
        s += fmt::format("{}{}{},{}", k ? "," : "", names ? "\"" + st.name + "\"," : "", st.used(), st.slots.size());
      }
      return s;
    };
    if (c.type == Cmd::query) return r.lines.push_back("+CPMS: " + counts(true)), Outcome::ok;
    if (c.type == Cmd::test) {
      r.lines.push_back("+CPMS: (\"SM\",\"ME\",\"SR\"),(\"SM\",\"ME\"),(\"SM\",\"ME\")");
      return Outcome::ok;
    }
    if (c.type != Cmd::set || c.args.empty() || c.args.size() > 3) return cms(r, 302);
    std::array<std::string, 3> next = mem_;
    for (std::size_t k = 0; k < c.args.size(); ++k) {
      std::string m = c.args[k];
      for (auto& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      const bool ok = m == "SM" || m == "ME" || (m == "SR" && k == 0);
      if (!ok) return cms(r, 302);
      next[k] = m;
    }
    mem_ = next;
    r.lines.push_back("+CPMS: " + counts(false));
    return Outcome::ok;
  }
  if (n == "+CNMI") {
    if (c.type == Cmd::query) {
      r.lines.push_back(fmt::format("+CNMI: {},{},{},{},{}", cnmi_[0], cnmi_[1], cnmi_[2], cnmi_[3], cnmi_[4]));
      return Outcome::ok;
    }
    if (c.type == Cmd::test) return r.lines.push_back("+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)"), Outcome::ok;
    if (c.type != Cmd::set || c.args.size() > 5) return cms(r, 302);
    std::array<int, 5> next{0, 0, 0, 0, 0};
    static constexpr int kMax[5] = {3, 3, 3, 2, 1};
    for (std::size_t k = 0; k < c.args.size(); ++k) {
      if (c.args[k].empty()) continue;
      if (!parse_int(c.args[k], next[k]) || next[k] < 0 || next[k] > kMax[k]) return cms(r, 302);
    }
    // Configurable: modems that advertise a combination and then reject it.
    if (cnmi_rejected(c.args)) return cms(r, 303);
    cnmi_ = next;
    return Outcome::ok;
  }
  if (n == "+CSCA") {
    if (c.type == Cmd::query) {
      r.lines.push_back(fmt::format("+CSCA: \"{}\",{}", smsc_, !smsc_.empty() && smsc_[0] == '+' ? 145 : 129));
      return Outcome::ok;
    }
    if (c.type == Cmd::test) return Outcome::ok;
    if (c.type != Cmd::set || c.args.empty() || c.args[0].empty()) return cms(r, 302);
    smsc_ = c.args[0];
    return Outcome::ok;
  }
  if (n == "+CMMS") {
    if (c.type == Cmd::query) {
      if (cmms_ == 1 && last_submit_answer_ && now_ - *last_submit_answer_ > 5000) cmms_ = 0;
      return r.lines.push_back(fmt::format("+CMMS: {}", cmms_)), Outcome::ok;
    }
    if (c.type == Cmd::test) return r.lines.push_back("+CMMS: (0-2)"), Outcome::ok;
    if (c.type == Cmd::exec) return cmms_ = 0, Outcome::ok;
    if (!arg_int(0, v) || v < 0 || v > 2) return cms(r, 302);
    cmms_ = v;
    return Outcome::ok;
  }
  if (n == "+CSMS") {
    if (c.type == Cmd::query) return r.lines.push_back(fmt::format("+CSMS: {},1,1,1", csms_)), Outcome::ok;
    if (c.type == Cmd::test) return r.lines.push_back("+CSMS: (0,1)"), Outcome::ok;
    if (!arg_int(0, v) || v < 0 || v > 1) return cms(r, 302);
    csms_ = v;
    r.lines.push_back("+CSMS: 1,1,1");
    return Outcome::ok;
  }
  if (n == "+CNMA") {
    if (c.type == Cmd::test) return r.lines.push_back("+CNMA: (0-2)"), Outcome::ok;
    if (acks_.empty()) return cms(r, 340);
    acks_.pop_front();
    return Outcome::ok;
  }
  if (n == "+CMGS" || n == "+CMGW") {
    if (c.type == Cmd::test) return Outcome::ok;
    // TPDU length: an SMS-SUBMIT is at most 164 octets (23.040 9.2.2.2 with a
    // 20-digit address and 140 octets of user data); leave some slack.
    if (c.type != Cmd::set || !arg_int(0, v) || v < 1 || v > 180) return cms(r, 304);
    prompt_length_ = v;
    prompt_is_write_ = n == "+CMGW";
    return Outcome::prompt;
  }
  if (n == "+CMGR") {
    if (c.type == Cmd::test) return Outcome::ok;
    if (c.type != Cmd::set || !arg_int(0, v)) return cms(r, 302);
    Storage& s = store(mem_[0]);
    const int slot = slot_of(s, v);
    if (slot < 0) return cms(r, 321);
    Slot& sl = s.slots[static_cast<std::size_t>(slot)];
    if (!sl.used) {
      if (opt_.dialect == Dialect::simcom) return Outcome::ok;  // SIM800: bare OK for an empty slot
      return cms(r, 321);
    }
    r.lines.push_back(fmt::format("+CMGR: {},,{}", sl.stat, sl.length));
    r.lines.push_back(sl.pdu);
    if (sl.stat == 0) sl.stat = 1;  // 27.005 3.4.3: reading marks it REC READ
    return Outcome::ok;
  }
  if (n == "+CMGL") {
    if (c.type == Cmd::test) return r.lines.push_back("+CMGL: (0-4)"), Outcome::ok;
    int stat = 0;
    if (c.type == Cmd::set && (!arg_int(0, stat) || stat < 0 || stat > 4)) return cms(r, 302);
    if (c.type == Cmd::query) return cms(r, 302);
    Storage& s = store(mem_[0]);
    for (std::size_t k = 0; k < s.slots.size(); ++k) {
      Slot& sl = s.slots[k];
      if (!sl.used || (stat != 4 && sl.stat != stat)) continue;
      r.lines.push_back(fmt::format("+CMGL: {},{},,{}", static_cast<int>(k) + base, sl.stat, sl.length));
      r.lines.push_back(sl.pdu);
      if (sl.stat == 0) sl.stat = 1;
    }
    return Outcome::ok;
  }
  if (n == "+CMGD") {
    Storage& s = store(mem_[0]);
    if (c.type == Cmd::test) {
      std::string used;
      for (std::size_t k = 0; k < s.slots.size(); ++k)
        if (s.slots[k].used) used += fmt::format("{}{}", used.empty() ? "" : ",", static_cast<int>(k) + base);
      r.lines.push_back(fmt::format("+CMGD: ({}),(0-4)", used));
      return Outcome::ok;
    }
    if (c.type != Cmd::set || !arg_int(0, v)) return cms(r, 302);
    int flag = 0;
    if (c.args.size() > 1 && (!arg_int(1, flag) || flag < 0 || flag > 4)) return cms(r, 302);
    if (flag == 0) {
      const int slot = slot_of(s, v);
      if (slot < 0) return cms(r, 321);
      s.slots[static_cast<std::size_t>(slot)] = Slot{};
      return Outcome::ok;
    }
    // 27.005 3.5.4 <delflag>: 1 read, 2 read+sent, 3 read+sent+unsent, 4 all.
    for (auto& sl : s.slots) {
      if (!sl.used) continue;
      const bool del = flag == 4 || sl.stat == 1 || (flag >= 2 && sl.stat == 3) || (flag >= 3 && sl.stat == 2);
      if (del) sl = Slot{};
    }
    return Outcome::ok;
  }
  return unknown(r);
}

}  // namespace sms::sim
