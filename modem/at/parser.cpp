#include "modem/at/parser.hpp"

#include <array>
#include <utility>

#include "modem/at/errors.hpp"
#include "modem/at/results.hpp"

namespace sms::at {

namespace {

char upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (upper(a[i]) != upper(b[i])) return false;
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// V.250 5.7.2 / 27.007 9.2 / 27.005 3.2.5 final result codes, plus vendor
// words that end a command the same way.
struct FinalWord {
  std::string_view word;
  FinalCode code;
};
constexpr std::array<FinalWord, 9> final_words{{
    {"OK", FinalCode::ok},
    {"ERROR", FinalCode::error},
    {"NO CARRIER", FinalCode::no_carrier},
    {"BUSY", FinalCode::busy},
    {"NO ANSWER", FinalCode::no_answer},
    {"NO DIALTONE", FinalCode::no_dialtone},
    {"NO DIAL TONE", FinalCode::no_dialtone},
    {"COMMAND NOT SUPPORT", FinalCode::command_not_support},  // Huawei E1xx/E3xx
    {"TOO MANY PARAMETERS", FinalCode::too_many_parameters},  // Huawei
}};

struct FinalPrefix {
  std::string_view prefix;
  FinalCode code;
};
constexpr std::array<FinalPrefix, 3> final_prefixes{{
    {"+CME ERROR:", FinalCode::cme_error},
    {"+CMS ERROR:", FinalCode::cms_error},
    {"MODEM ERROR:", FinalCode::modem_error},
}};

struct UrcEntry {
  std::string_view prefix;  // with ':' for prefixed codes, whole line otherwise
  Urc urc;
};
// Longer prefixes that share a start with shorter ones (+CMTI/+CMT) compare
// whole prefixes, so order does not matter.
constexpr std::array<UrcEntry, 24> urc_prefixes{{
    {"+CMTI", Urc::cmti},   {"+CMT", Urc::cmt},         {"+CDSI", Urc::cdsi},     {"+CDS", Urc::cds},
    {"+CREG", Urc::creg},   {"+CGREG", Urc::cgreg},     {"+CEREG", Urc::cereg},   {"+CPIN", Urc::cpin},
    {"+CFUN", Urc::cfun},   {"^RSSI", Urc::rssi},       {"^BOOT", Urc::boot},     {"^MODE", Urc::mode},
    {"^DSFLOWRPT", Urc::dsflowrpt}, {"^SRVST", Urc::srvst}, {"^SIMST", Urc::simst}, {"+PBREADY", Urc::pbready},
    {"+QIND", Urc::qind},   {"+ZDONR", Urc::zdonr},     {"+ZPASR", Urc::zpasr},   {"+WIND", Urc::wind},
    {"+CUSD", Urc::cusd},   {"+CLIP", Urc::clip},       {"+CRING", Urc::cring},   {"+CBM", Urc::cbm},
}};
constexpr std::array<UrcEntry, 5> urc_lines{{
    {"RING", Urc::ring},
    {"RDY", Urc::rdy},              // SIMCom SIM800/SIM900, Quectel: power-up done
    {"SMS Ready", Urc::sms_ready},  // SIMCom: SMS commands work from now on (FIELD-NOTES)
    {"Call Ready", Urc::call_ready},
    {"+PBREADY", Urc::pbready},     // Samsung/Sierra print it without a colon
}};

std::optional<Urc> urc_for(std::string_view line, std::string_view prefix) {
  if (!prefix.empty()) {
    for (const auto& e : urc_prefixes)
      if (iequals(prefix, e.prefix)) return e.urc;
  }
  for (const auto& e : urc_lines)
    if (iequals(line, e.prefix)) return e.urc;
  return std::nullopt;
}

bool response_carries_pdu(std::string_view prefix) {
  return iequals(prefix, "+CMGL") || iequals(prefix, "+CMGR");
}

bool carries_pdu(Urc u) { return u == Urc::cmt || u == Urc::cds || u == Urc::cbm; }

bool is_registration(std::string_view prefix) {
  return iequals(prefix, "+CREG") || iequals(prefix, "+CGREG") || iequals(prefix, "+CEREG");
}

bool is_pdu_echo_end(std::string_view line) {
  return !line.empty() && (line.back() == '\x1a' || line.back() == '\x1b');
}

}  // namespace

std::optional<Final> parse_final(std::string_view line) {
  const std::string_view t = trim(line);
  for (const auto& w : final_words)
    if (iequals(t, w.word)) return Final{w.code, std::nullopt, {}};
  for (const auto& p : final_prefixes) {
    if (!istarts_with(t, p.prefix)) continue;
    Final f{p.code, std::nullopt, std::string(trim(t.substr(p.prefix.size())))};
    if (!f.text.empty() && f.text.size() <= 6 &&
        f.text.find_first_not_of("0123456789") == std::string::npos) {
      f.number = std::stoi(f.text);
    } else if (p.code == FinalCode::cme_error) {
      f.number = cme_code_from_text(f.text);
    } else if (p.code == FinalCode::cms_error) {
      f.number = cms_code_from_text(f.text);
    }
    return f;
  }
  return std::nullopt;
}

Command command_for(std::string_view text) {
  Command cmd;
  cmd.text = std::string(trim(text));
  std::string_view rest = cmd.text;
  if (istarts_with(rest, "AT")) rest.remove_prefix(2);
  if (rest.empty()) return cmd;

  const char lead = rest.front();
  if (lead == '+' || lead == '^' || lead == '$' || lead == '*' || lead == '#' || lead == '%') {
    const std::size_t end = rest.find_first_of("=?;");
    std::string name;
    for (char c : rest.substr(0, end)) name.push_back(upper(c));
    cmd.prefixes.push_back(name + ":");
    const bool set = end != std::string_view::npos && rest[end] == '=';
    const bool test = set && rest.substr(end).starts_with("=?");
    if ((name == "+CMGS" || name == "+CMGW" || name == "+CMGC") && set && !test) {
      cmd.kind = CommandKind::prompt;
    } else if (end == std::string_view::npos || test) {
      // 27.007 5.1-5.4 identity commands answer with bare text; some modems
      // (SIMCom) add the prefix anyway, which is why it is listed too.
      static constexpr std::array<std::string_view, 9> bare{"+CGMI", "+CGMM", "+CGMR", "+CGSN", "+CIMI",
                                                           "+GMI",  "+GMM",  "+GMR",  "+GSN"};
      for (auto b : bare)
        if (name == b && !test) cmd.kind = CommandKind::bare;
    }
    return cmd;
  }
  // V.250 basic commands: only I (identification) answers with text.
  if (upper(lead) == 'I') cmd.kind = CommandKind::bare;
  return cmd;
}

Parser::Parser(std::size_t max_line) noexcept : lexer_(max_line) {}

void Parser::begin(Command cmd) {
  cmd_ = std::move(cmd);
  answered_ = false;
  pdu_echo_.clear();
  lexer_.expect_prompt(cmd_->kind == CommandKind::prompt);
}

void Parser::pdu_written(std::string_view hex) {
  pdu_echo_ = std::string(hex);
  lexer_.expect_prompt(false);
}

void Parser::abandon() noexcept {
  cmd_.reset();
  answered_ = false;
  pdu_echo_.clear();
  lexer_.expect_prompt(false);
}

void Parser::reset() noexcept {
  abandon();
  lexer_.reset();
  pending_.reset();
}

void Parser::feed(std::string_view bytes, std::vector<Event>& out) {
  std::optional<LexEvent> tok;
  while (!bytes.empty()) {
    const std::size_t used = lexer_.feed(bytes, tok);
    bytes.remove_prefix(used);
    if (tok) on_token(std::move(*tok), out);
  }
}

void Parser::flush_pending(std::vector<Event>& out) {
  if (pending_) {
    out.push_back(std::move(*pending_));
    pending_.reset();
  }
}

void Parser::on_token(LexEvent&& t, std::vector<Event>& out) {
  switch (t.kind) {
    case Token::prompt: {
      flush_pending(out);
      Event e;
      e.kind = EventKind::prompt;
      e.expected = t.expected;
      out.push_back(std::move(e));
      return;
    }
    case Token::garbage: {
      flush_pending(out);
      Event e;
      e.kind = EventKind::garbage;
      e.line = std::move(t.text);
      out.push_back(std::move(e));
      return;
    }
    case Token::line:
    case Token::pdu:
      on_line(std::move(t.text), t.kind == Token::pdu, out);
      return;
  }
}

bool Parser::expects(std::string_view prefix) const noexcept {
  if (!cmd_ || prefix.empty()) return false;
  for (const auto& p : cmd_->prefixes)
    if (p.size() == prefix.size() + 1 && istarts_with(p, prefix)) return true;
  return false;
}

void Parser::on_line(std::string&& line, bool lexed_as_pdu, std::vector<Event>& out) {
  if (pending_) {
    // The header announced a PDU; anything that is not hex means the modem
    // printed none (Huawei answering AT+CMGR with a bare OK, an empty slot).
    if (is_hex_line(line)) {
      pending_->pdu = std::string(trim(line));
      flush_pending(out);
      return;
    }
    // A known URC squeezed in between header and PDU (Huawei ^RSSI floods
    // arrive at any line boundary) is reported, and the PDU still awaited.
    const std::string_view t = trim(line);
    const std::string_view prefix = prefix_of(t);
    const auto u = urc_for(t, prefix);
    if (u && !carries_pdu(*u) && !expects(prefix)) {
      Event e;
      e.kind = EventKind::urc;
      e.urc = *u;
      e.line = std::string(t);
      out.push_back(std::move(e));
      lexer_.expect_pdu();
      return;
    }
    flush_pending(out);
  }
  // A line the lexer labelled as PDU with no header waiting (the header was
  // flushed by noise) is classified like any other line.
  (void)lexed_as_pdu;
  classify(std::move(line), out);
}

void Parser::classify(std::string&& raw, std::vector<Event>& out) {
  Event e;
  e.line = std::string(trim(raw));
  const std::string_view t = e.line;

  // Echo: the command as written (Wavecom: "AT+GMM\r\r\n"), or the PDU and
  // its Ctrl-Z/ESC after the prompt (27.005 3.5.1 with echo on).
  if (cmd_) {
    if (!pdu_echo_.empty() && (is_pdu_echo_end(t) || t == pdu_echo_)) {
      e.kind = EventKind::echo;
      out.push_back(std::move(e));
      return;
    }
    if (!answered_ && (iequals(t, cmd_->text) || istarts_with(t, "AT"))) {
      e.kind = EventKind::echo;
      out.push_back(std::move(e));
      return;
    }
  }

  if (auto f = parse_final(t)) {
    e.final = std::move(*f);
    if (cmd_) {
      e.kind = EventKind::final;
      abandon();
    } else {
      e.kind = EventKind::stray;  // late answer to an abandoned command
    }
    out.push_back(std::move(e));
    return;
  }

  if (!cmd_ && (istarts_with(t, "AT") || is_pdu_echo_end(t))) {
    e.kind = EventKind::stray;  // echo of a command nobody is waiting for
    out.push_back(std::move(e));
    return;
  }

  const std::string_view prefix = prefix_of(t);
  if (expects(prefix)) {
    // Ambiguity rule: a registration line in the URC shape (no <n>) is a URC
    // even while AT+CREG? is in flight.
    if (!(is_registration(prefix) && creg_is_urc_shape(t))) {
      e.kind = EventKind::response;
      answered_ = true;
      if (response_carries_pdu(prefix)) {
        pending_ = std::move(e);
        lexer_.expect_pdu();
      } else {
        out.push_back(std::move(e));
      }
      return;
    }
  }

  if (auto u = urc_for(t, prefix)) {
    e.kind = EventKind::urc;
    e.urc = *u;
    if (carries_pdu(*u)) {
      pending_ = std::move(e);
      lexer_.expect_pdu();
    } else {
      out.push_back(std::move(e));
    }
    return;
  }

  // Bare answers; ATI (no prefixes of its own) may also list prefixed lines
  // such as "+GCAP: +CGSM" as part of its answer (V.250 6.1.3).
  if (cmd_ && cmd_->kind == CommandKind::bare && (prefix.empty() || cmd_->prefixes.empty())) {
    e.kind = EventKind::response;
    answered_ = true;
    out.push_back(std::move(e));
    return;
  }

  e.kind = EventKind::urc;
  e.urc = Urc::unknown;
  out.push_back(std::move(e));
}

std::string_view to_string(EventKind k) {
  switch (k) {
    case EventKind::echo: return "echo";
    case EventKind::response: return "response";
    case EventKind::prompt: return "prompt";
    case EventKind::final: return "final";
    case EventKind::urc: return "urc";
    case EventKind::stray: return "stray";
    case EventKind::garbage: return "garbage";
  }
  return "?";
}

std::string_view to_string(FinalCode c) {
  switch (c) {
    case FinalCode::ok: return "ok";
    case FinalCode::error: return "error";
    case FinalCode::cme_error: return "cme_error";
    case FinalCode::cms_error: return "cms_error";
    case FinalCode::modem_error: return "modem_error";
    case FinalCode::no_carrier: return "no_carrier";
    case FinalCode::busy: return "busy";
    case FinalCode::no_answer: return "no_answer";
    case FinalCode::no_dialtone: return "no_dialtone";
    case FinalCode::command_not_support: return "command_not_support";
    case FinalCode::too_many_parameters: return "too_many_parameters";
  }
  return "?";
}

std::string_view to_string(Urc u) {
  switch (u) {
    case Urc::unknown: return "unknown";
    case Urc::cmti: return "cmti";
    case Urc::cmt: return "cmt";
    case Urc::cds: return "cds";
    case Urc::cdsi: return "cdsi";
    case Urc::creg: return "creg";
    case Urc::cgreg: return "cgreg";
    case Urc::cereg: return "cereg";
    case Urc::ring: return "ring";
    case Urc::rdy: return "rdy";
    case Urc::sms_ready: return "sms_ready";
    case Urc::call_ready: return "call_ready";
    case Urc::cpin: return "cpin";
    case Urc::cfun: return "cfun";
    case Urc::rssi: return "rssi";
    case Urc::boot: return "boot";
    case Urc::mode: return "mode";
    case Urc::dsflowrpt: return "dsflowrpt";
    case Urc::srvst: return "srvst";
    case Urc::simst: return "simst";
    case Urc::pbready: return "pbready";
    case Urc::qind: return "qind";
    case Urc::zdonr: return "zdonr";
    case Urc::zpasr: return "zpasr";
    case Urc::wind: return "wind";
    case Urc::cusd: return "cusd";
    case Urc::clip: return "clip";
    case Urc::cring: return "cring";
    case Urc::cbm: return "cbm";
  }
  return "?";
}

std::string to_string(const Event& e) {
  std::string s;
  switch (e.kind) {
    case EventKind::prompt:
      return e.expected ? "prompt" : "prompt (unexpected)";
    case EventKind::final:
      s = "final ";
      s += to_string(e.final.code);
      if (e.final.number) s += " " + std::to_string(*e.final.number);
      break;
    case EventKind::urc:
      s = "urc ";
      s += to_string(e.urc);
      break;
    default:
      s = to_string(e.kind);
  }
  s += ": ";
  s += escape_bytes(e.line);
  if (!e.pdu.empty()) s += " | pdu: " + escape_bytes(e.pdu);
  return s;
}

}  // namespace sms::at
