// The command-aware parser: inline transcripts (same format as the files in
// tests/data/at/, each also fed at every split position), then the typed
// fields of events, command_for and the final result code table.
#include <catch2/catch.hpp>

#include "modem/at/parser.hpp"
#include "tests/at/transcript.hpp"

using namespace sms::at;
using namespace sms::at::test;

namespace {

struct Case {
  const char* name;
  const char* transcript;
};

// Short cases; longer real-modem transcripts live in tests/data/at/.
const Case cases[] = {
    {"generic: plain OK", R"(
> AT
< \r\nOK\r\n
= final ok: OK
)"},
    {"generic: CSQ answer", R"(
> AT+CSQ
< \r\n+CSQ: 20,99\r\n\r\nOK\r\n
= response: +CSQ: 20,99
= final ok: OK
)"},
    {"generic: unknown URC before the answer is not a response", R"(
> AT+CSQ
< \r\n+XYZZY: 1,2\r\n+CSQ: 31,0\r\n\r\nOK\r\n
= urc unknown: +XYZZY: 1,2
= response: +CSQ: 31,0
= final ok: OK
)"},
    {"generic: bare line during a prefixed command is an unknown URC", R"(
> AT+CSQ
< \r\nHELLO\r\n+CSQ: 31,0\r\nOK\r\n
= urc unknown: HELLO
= response: +CSQ: 31,0
= final ok: OK
)"},
    {"generic: RING during a bare-answer command stays a URC", R"(
> AT+CIMI
< \r\nRING\r\n\r\n460001234567890\r\n\r\nOK\r\n
= urc ring: RING
= response: 460001234567890
= final ok: OK
)"},
    {"generic: +CPIN: READY with nothing asked is a URC, asked it is a response", R"(
< \r\n+CPIN: READY\r\n
= urc cpin: +CPIN: READY
> AT+CPIN?
< \r\n+CPIN: READY\r\n\r\nOK\r\n
= response: +CPIN: READY
= final ok: OK
> AT+CSQ
< \r\n+CPIN: NOT READY\r\n\r\nOK\r\n
= urc cpin: +CPIN: NOT READY
= final ok: OK
)"},
    {"generic: +CMTI between AT+CMGS= and the prompt", R"(
> AT+CMGS=24
< \r\n+CMTI: "SM",1\r\n\r\n> 
= urc cmti: +CMTI: "SM",1
= prompt
>pdu 0001000B911346610089F600000CC8F71D14969741F977FD07
< \r\n+CMGS: 0\r\n\r\nOK\r\n
= response: +CMGS: 0
= final ok: OK
)"},
    {"generic: AT+CMGR answer with its PDU; empty slot is a bare OK (SIMCom)", R"(
> AT+CMGR=1
< \r\n+CMGR: 1,,30\r\n07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07\r\n\r\nOK\r\n
= response: +CMGR: 1,,30 | pdu: 07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07
= final ok: OK
> AT+CMGR=9
< \r\nOK\r\n
= final ok: OK
)"},
    {"generic: +CMGL header whose PDU never came", R"(
> AT+CMGL=4
< \r\n+CMGL: 1,0,,30\r\n\r\nOK\r\n
= response: +CMGL: 1,0,,30
= final ok: OK
)"},
    {"generic: +CMT header whose PDU never came; a URC in between is reported first", R"(
< \r\n+CMT: ,30\r\n+CMTI: "SM",2\r\nOK\r\n
= urc cmti: +CMTI: "SM",2
= urc cmt: +CMT: ,30
= stray: OK
)"},
    {"generic: lowercase hex PDU and trailing spaces", R"(
< \r\n+CMT: ,30\r\n07911326040000f0040b911346610089f60000208062917314080cc8f71d14969741f977fd07  \r\n
= urc cmt: +CMT: ,30 | pdu: 07911326040000f0040b911346610089f60000208062917314080cc8f71d14969741f977fd07
)"},
    {"generic: NO CARRIER, BUSY, NO ANSWER, NO DIALTONE are finals", R"(
> ATD123;
< \r\nNO CARRIER\r\n
= final no_carrier: NO CARRIER
> ATD123;
< \r\nBUSY\r\n
= final busy: BUSY
> ATD123;
< \r\nNO ANSWER\r\n
= final no_answer: NO ANSWER
> ATD123;
< \r\nNO DIALTONE\r\n
= final no_dialtone: NO DIALTONE
)"},
    {"generic: lone CR and lone LF line ends", R"(
> AT+CSQ
< +CSQ: 5,99\rOK\r
= response: +CSQ: 5,99
= final ok: OK
> AT
< \nOK\n
= final ok: OK
)"},
    {"generic: prompt after the echo's CR without a line feed", R"(
> AT+CMGS=24
< AT+CMGS=24\r> 
= echo: AT+CMGS=24
= prompt
)"},
    {"generic: ESC cancels the prompt; the modem answers OK", R"(
> AT+CMGS=24
< \r\n> 
= prompt
>pdu \x1b
< \x1b\r\nOK\r\n
= echo: \x1b
= final ok: OK
)"},
    {"generic: > in the middle of a line is text", R"(
> AT+CSQ
< \r\n+FOO: a> b\r\n+CSQ: 1,2\r\nOK\r\n
= urc unknown: +FOO: a> b
= response: +CSQ: 1,2
= final ok: OK
)"},
    {"generic: echo of an abandoned command arriving later is stray", R"(
< AT+CSQ\r\r\n
= stray: AT+CSQ
)"},
    {"huawei: ^RSSI between +CMGL header and its PDU; the PDU stays with its header", R"(
> AT+CMGL=4
< \r\n+CMGL: 0,1,,30\r\n^RSSI:3\r\n07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07\r\nOK\r\n
= urc rssi: ^RSSI:3
= response: +CMGL: 0,1,,30 | pdu: 07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07
= final ok: OK
)"},
    {"generic: cell broadcast +CBM carries its PDU (27.005 3.4.1)", R"(
< \r\n+CBM: 29\r\n001000320111C2327BFC6E9BD3E4B4BB0C1ABBC3F4B0DB1D0691CB6E35\r\n
= urc cbm: +CBM: 29 | pdu: 001000320111C2327BFC6E9BD3E4B4BB0C1ABBC3F4B0DB1D0691CB6E35
)"},
    {"generic: PDU echoed without Ctrl-Z is still its echo", R"(
> AT+CMGS=24
< \r\n> 
= prompt
>pdu 0001000B911346610089F600000CC8F71D14969741F977FD07
< 0001000B911346610089F600000CC8F71D14969741F977FD07\r\n+CMGS: 9\r\n\r\nOK\r\n
= echo: 0001000B911346610089F600000CC8F71D14969741F977FD07
= response: +CMGS: 9
= final ok: OK
)"},
    {"samsung/sierra: +PBREADY without a colon", R"(
< \r\n+PBREADY\r\n
= urc pbready: +PBREADY
)"},
    {"quectel: +CMGS answer with scts field (27.005 +CMGS: <mr>[,<scts>])", R"(
> AT+CMGS=24
< \r\n> 
= prompt
>pdu 0001000B911346610089F600000CC8F71D14969741F977FD07
< \r\n+CMGS: 201,"24/11/23,21:00:00+04"\r\n\r\nOK\r\n
= response: +CMGS: 201,"24/11/23,21:00:00+04"
= final ok: OK
)"},
    {"wavecom: response with leading spaces is trimmed", R"(
> AT+CGMR
< \r\n  R7.46.0.201108091301.FXT009 2132672 080911 17:01\r\n\r\nOK\r\n
= response: R7.46.0.201108091301.FXT009 2132672 080911 17:01
= final ok: OK
)"},
    {"simcom: +CGMI answered with a prefix", R"(
> AT+CGMI
< \r\n+CGMI: SIMCOM_Ltd\r\n\r\nOK\r\n
= response: +CGMI: SIMCOM_Ltd
= final ok: OK
)"},
    {"huawei: +CMGS via AT^ command family prefix", R"(
> AT^SYSINFO
< \r\n^SYSINFO:2,3,0,5,1,,4\r\n\r\nOK\r\n
= response: ^SYSINFO:2,3,0,5,1,,4
= final ok: OK
)"},
};

}  // namespace

TEST_CASE("parser: inline transcripts", "[at][parser]") {
  for (const auto& c : cases) {
    const Transcript t = parse_transcript(c.transcript, c.name);
    INFO(c.name);
    REQUIRE_FALSE(t.expected.empty());
    CHECK(run_transcript(t) == t.expected);
    CHECK(check_all_splits(t) == "");
  }
}

TEST_CASE("parser: typed event fields", "[at][parser]") {
  Parser p;
  std::vector<Event> ev;

  p.begin(command_for("AT+CMGS=24"));
  CHECK(p.in_flight());
  p.feed("\r\n> ", ev);
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == EventKind::prompt);
  CHECK(ev[0].expected);
  p.pdu_written("00");
  p.feed("\r\n+CMS ERROR: 21\r\n", ev);
  REQUIRE(ev.size() == 2);
  CHECK(ev[1].kind == EventKind::final);
  CHECK(ev[1].final.code == FinalCode::cms_error);
  CHECK(ev[1].final.number == 21);
  CHECK(ev[1].final.text == "21");
  CHECK_FALSE(ev[1].final.is_ok());
  CHECK_FALSE(p.in_flight());

  ev.clear();
  p.feed("\r\n+CMTI: \"ME\",7\r\n+CDS: 25\r\n", ev);
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].urc == Urc::cmti);
  p.feed("07911326040000F006D60B911326880736F4111011719551401110117195714000\r\n", ev);
  REQUIRE(ev.size() == 2);
  CHECK(ev[1].urc == Urc::cds);
  CHECK(ev[1].line == "+CDS: 25");
  CHECK(ev[1].pdu == "07911326040000F006D60B911326880736F4111011719551401110117195714000");
}

TEST_CASE("parser: reset forgets the partial line, the command and a pending header", "[at][parser]") {
  Parser p;
  std::vector<Event> ev;
  p.begin(command_for("AT+CMGL=4"));
  p.feed("\r\n+CMGL: 1,0,,30\r\n0791", ev);
  CHECK(ev.empty());
  p.reset();
  CHECK_FALSE(p.in_flight());
  p.feed("1326\r\nOK\r\n", ev);
  REQUIRE(ev.size() == 2);
  CHECK(to_string(ev[0]) == "urc unknown: 1326");
  CHECK(to_string(ev[1]) == "stray: OK");
}

TEST_CASE("parser: begin replaces the command; abandon makes its answer stray", "[at][parser]") {
  Parser p;
  std::vector<Event> ev;
  p.begin(command_for("AT+CSQ"));
  p.abandon();
  p.feed("\r\n+CSQ: 3,4\r\nOK\r\n", ev);
  REQUIRE(ev.size() == 2);
  CHECK(to_string(ev[0]) == "urc unknown: +CSQ: 3,4");
  CHECK(to_string(ev[1]) == "stray: OK");
  CHECK(ev[1].final.code == FinalCode::ok);
}

TEST_CASE("command_for infers prefixes and kind", "[at][parser]") {
  struct Row {
    const char* text;
    std::vector<std::string> prefixes;
    CommandKind kind;
  };
  const Row rows[] = {
      {"AT", {}, CommandKind::basic},
      {"ATE0", {}, CommandKind::basic},
      {"ATZ", {}, CommandKind::basic},
      {"ATI", {}, CommandKind::bare},
      {"AT+CSQ", {"+CSQ:"}, CommandKind::basic},
      {"at+csq", {"+CSQ:"}, CommandKind::basic},
      {"AT+CREG?", {"+CREG:"}, CommandKind::basic},
      {"AT+CPMS=\"SM\",\"SM\",\"SM\"", {"+CPMS:"}, CommandKind::basic},
      {"AT+CGMI", {"+CGMI:"}, CommandKind::bare},
      {"AT+CGMM", {"+CGMM:"}, CommandKind::bare},
      {"AT+CGMR", {"+CGMR:"}, CommandKind::bare},
      {"AT+CGSN", {"+CGSN:"}, CommandKind::bare},
      {"AT+CIMI", {"+CIMI:"}, CommandKind::bare},
      {"AT+GMM", {"+GMM:"}, CommandKind::bare},
      {"AT+CGSN=?", {"+CGSN:"}, CommandKind::basic},
      {"AT+CMGS=24", {"+CMGS:"}, CommandKind::prompt},
      {"AT+CMGW=24", {"+CMGW:"}, CommandKind::prompt},
      {"AT+CMGS=?", {"+CMGS:"}, CommandKind::basic},
      {"AT+CMGL=4", {"+CMGL:"}, CommandKind::basic},
      {"AT^SYSINFO", {"^SYSINFO:"}, CommandKind::basic},
      {"  AT+CNMI=?  ", {"+CNMI:"}, CommandKind::basic},
  };
  for (const auto& r : rows) {
    INFO(r.text);
    const Command c = command_for(r.text);
    CHECK(c.prefixes == r.prefixes);
    CHECK(c.kind == r.kind);
  }
}

TEST_CASE("parse_final: the final result code table", "[at][parser]") {
  struct Row {
    const char* line;
    bool is_final;
    FinalCode code;
    std::optional<int> number;
  };
  const Row rows[] = {
      {"OK", true, FinalCode::ok, {}},
      {"ok", true, FinalCode::ok, {}},
      {" OK ", true, FinalCode::ok, {}},
      {"ERROR", true, FinalCode::error, {}},
      {"+CME ERROR: 10", true, FinalCode::cme_error, 10},
      {"+CME ERROR:10", true, FinalCode::cme_error, 10},
      {"+CME ERROR: SIM busy", true, FinalCode::cme_error, 14},
      {"+CME ERROR: incorrect password", true, FinalCode::cme_error, 16},
      {"+CMS ERROR: 322", true, FinalCode::cms_error, 322},
      {"+CMS ERROR: memory full", true, FinalCode::cms_error, 322},
      {"+CMS ERROR: 99999999", true, FinalCode::cms_error, {}},
      {"MODEM ERROR: 0", true, FinalCode::modem_error, 0},
      {"COMMAND NOT SUPPORT", true, FinalCode::command_not_support, {}},
      {"TOO MANY PARAMETERS", true, FinalCode::too_many_parameters, {}},
      {"NO DIAL TONE", true, FinalCode::no_dialtone, {}},
      {"OKAY", false, FinalCode::ok, {}},
      {"+CMGS: 1", false, FinalCode::ok, {}},
      {"ERRORS", false, FinalCode::ok, {}},
      {"", false, FinalCode::ok, {}},
  };
  for (const auto& r : rows) {
    INFO(r.line);
    const auto f = parse_final(r.line);
    CHECK(f.has_value() == r.is_final);
    if (f && r.is_final) {
      CHECK(f->code == r.code);
      CHECK(f->number == r.number);
    }
  }
}

TEST_CASE("to_string names every event kind", "[at][parser]") {
  CHECK(to_string(EventKind::garbage) == "garbage");
  CHECK(to_string(FinalCode::command_not_support) == "command_not_support");
  CHECK(to_string(Urc::dsflowrpt) == "dsflowrpt");
  Event e;
  e.kind = EventKind::prompt;
  e.expected = false;
  CHECK(to_string(e) == "prompt (unexpected)");
  e.kind = EventKind::garbage;
  e.line = std::string("\0\xff\r", 3);
  CHECK(to_string(e) == "garbage: \\x00\\xff\\r");
}
