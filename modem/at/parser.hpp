#pragma once
// AT parser: the command-aware layer above the lexer.
//
// Whether a line answers the command in flight or is an unsolicited result
// code (URC) depends on what was sent, so the owner tells the parser each
// command it writes (begin) and the parser sorts every line into one event:
// echo, response, prompt, final result, URC, stray or garbage.
//
// Rules (27.007 4.1/9, 27.005 3, V.250 5.7; vendor quirks named where used):
//  - A final result code (table in parser.cpp) ends the command in flight.
//  - A line whose prefix ("+CSQ:") the command in flight expects is a
//    response; +CMGL:/+CMGR: responses carry the PDU line that follows them.
//    +CREG:/+CGREG:/+CEREG:/+CPIN: lines are responses only when expected, and
//    a +CREG: line in the URC shape (one field, or a quoted <lac> second) is a
//    URC even then.
//  - A bare line (no "+X:" prefix) is a response only for commands with bare
//    answers (AT+CGMI, +CGMM, +CGMR, +CGSN, +CIMI, ATI...); for ATI, whose
//    answer lists things like "+GCAP: ...", unknown prefixed lines are too.
//  - Every other line is a URC: known ones by table, the rest Urc::unknown.
//    +CMT:, +CDS: and +CBM: URCs carry the PDU line that follows them. A known URC
//    between such a header and its PDU is reported first and the PDU is
//    still attached to its header.
//  - The command's echo (echo on after power-up or ATZ) is Event::echo: the
//    command text, or any "AT..." line before the first response line; after
//    the prompt, the PDU as written or any line ending in Ctrl-Z/ESC.
//  - With no command in flight, a final result code or a command echo is
//    "stray": the late answer to an abandoned command, or to a previous
//    process that died mid-command.
//
// Pure: no I/O, no clock, no logging. Feeding the same bytes in any split
// yields the same events.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modem/at/lexer.hpp"

namespace sms::at {

enum class CommandKind : unsigned char {
  basic,   // final result, plus lines with an expected prefix
  bare,    // bare lines are responses too (AT+CGMI/CGMM/CGMR/CGSN/CIMI, ATI)
  prompt,  // AT+CMGS=<n> / AT+CMGW=<n>: a "> " prompt comes before the final result
};

struct Command {
  std::string text;                   // as written, without the trailing CR: "AT+CSQ"
  std::vector<std::string> prefixes;  // response prefixes with the colon: {"+CSQ:"}
  CommandKind kind = CommandKind::basic;
};

// Infers prefixes and kind from the command text: "AT+CSQ" -> {"+CSQ:"},
// "AT+CREG?" -> {"+CREG:"}, "AT+CGSN" -> bare {"+CGSN:"}, "AT+CMGS=23" ->
// prompt {"+CMGS:"}, "AT^SYSINFO" -> {"^SYSINFO:"}, "ATI" -> bare, "ATE0" -> {}.
Command command_for(std::string_view text);

enum class EventKind : unsigned char { echo, response, prompt, final, urc, stray, garbage };

enum class FinalCode : unsigned char {
  ok,
  error,                // plain ERROR
  cme_error,            // +CME ERROR: <n|text> (27.007 9.2)
  cms_error,            // +CMS ERROR: <n|text> (27.005 3.2.5)
  modem_error,          // MODEM ERROR: <n>
  no_carrier,
  busy,
  no_answer,
  no_dialtone,
  command_not_support,  // Huawei's answer to unknown commands
  too_many_parameters,  // Huawei
};

struct Final {
  FinalCode code = FinalCode::ok;
  // +CME/+CMS/MODEM ERROR code: numeric form, or the text form mapped
  // through the tables in errors.hpp; nullopt if the text is unknown.
  std::optional<int> number;
  std::string text;  // what followed "ERROR:" (trimmed), "" otherwise
  bool is_ok() const noexcept { return code == FinalCode::ok; }
};

enum class Urc : unsigned char {
  unknown,
  cmti,        // +CMTI: "SM",3   new message stored
  cmt,         // +CMT: [<alpha>],<len> + PDU line   direct delivery
  cds,         // +CDS: <len> + PDU line (ZTE: "+CDS: ,<len>")   direct status report
  cdsi,        // +CDSI: "SR",5   status report stored
  creg,        // +CREG: <stat>[,<lac>,<ci>[,<AcT>]]
  cgreg,
  cereg,
  ring,
  rdy,         // SIMCom/Quectel power-up
  sms_ready,   // SIMCom: SMS commands work from now on
  call_ready,  // SIMCom
  cpin,        // +CPIN: READY when nothing asked (SIMCom start-up)
  cfun,        // +CFUN: 1 (SIMCom start-up)
  rssi,        // Huawei ^RSSI:
  boot,        // Huawei ^BOOT:
  mode,        // Huawei ^MODE:
  dsflowrpt,   // Huawei ^DSFLOWRPT:
  srvst,       // Huawei ^SRVST:
  simst,       // Huawei ^SIMST:
  pbready,     // +PBREADY
  qind,        // Quectel +QIND:
  zdonr,       // ZTE +ZDONR:
  zpasr,       // ZTE +ZPASR:
  wind,        // Wavecom +WIND:
  cusd,        // +CUSD:
  clip,        // +CLIP:
  cring,       // +CRING:
  cbm,         // +CBM: <length> + PDU line   cell broadcast (27.005 3.4.1), routed only if +CNMI bm=2
};

struct Event {
  EventKind kind = EventKind::urc;
  std::string line;   // the line without CR/LF and surrounding spaces (Wavecom pads); garbage: the raw bytes
  std::string pdu;    // +CMGL/+CMGR responses, +CMT/+CDS/+CBM URCs: the PDU line ("" if none came)
  Urc urc = Urc::unknown;  // kind == urc
  Final final;        // kind == final, or a stray final result code
  bool expected = true;    // kind == prompt: false if no AT+CMGS/CMGW was in flight
};

class Parser {
 public:
  explicit Parser(std::size_t max_line = Lexer::default_max_line) noexcept;

  // The command was written. Replaces any command in flight (the owner calls
  // abandon() first when it gave up on one).
  void begin(Command cmd);
  // After the prompt the owner wrote the PDU and Ctrl-Z (or ESC to cancel):
  // its echo (hex + \x1a) is then reported as Event::echo.
  void pdu_written(std::string_view hex);
  // The owner gave up on the command in flight (timeout). Its late answer
  // will come as stray events.
  void abandon() noexcept;
  bool in_flight() const noexcept { return cmd_.has_value(); }
  const std::optional<Command>& command() const noexcept { return cmd_; }

  // Appends the events completed by these bytes to out.
  void feed(std::string_view bytes, std::vector<Event>& out);

  // Port reopened: forget the partial line, the command and pending PDUs.
  void reset() noexcept;

 private:
  void on_token(LexEvent&& t, std::vector<Event>& out);
  void on_line(std::string&& line, bool lexed_as_pdu, std::vector<Event>& out);
  void classify(std::string&& line, std::vector<Event>& out);
  void flush_pending(std::vector<Event>& out);
  bool expects(std::string_view prefix) const noexcept;  // the command in flight expects "<prefix>:"

  Lexer lexer_;
  std::optional<Command> cmd_;
  std::string pdu_echo_;         // hex written after the prompt
  bool answered_ = false;        // a response line came for the command in flight
  std::optional<Event> pending_; // header waiting for its PDU line
};

// Canonical one-line form used by tests and logs:
//   "echo: AT+CSQ", "response: +CSQ: 20,99", "response: +CMGL: 1,0,,24 | pdu: 07...",
//   "prompt", "prompt (unexpected)", "final ok: OK", "final cms_error 500: +CMS ERROR: 500",
//   "urc cmti: +CMTI: \"SM\",3", "urc unknown: +FOO: 1", "stray: OK", "garbage: \x00\x00".
std::string to_string(const Event& e);
std::string_view to_string(EventKind k);
std::string_view to_string(FinalCode c);
std::string_view to_string(Urc u);

// The final result code table: returns the final for a line that is one.
std::optional<Final> parse_final(std::string_view line);

}  // namespace sms::at
