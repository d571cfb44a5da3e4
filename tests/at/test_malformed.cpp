// Malformed modem output: the parser reports garbage, never crashes, keeps
// its memory bounded, and recovers at the next line. Each row is also fed
// at every split position.
#include <catch2/catch.hpp>

#include "modem/at/parser.hpp"
#include "tests/at/transcript.hpp"

using namespace sms::at;
using namespace sms::at::test;
using namespace std::string_literals;

namespace {

Transcript make(const std::string& command, const std::string& bytes, std::vector<std::string> expected) {
  Transcript t;
  if (!command.empty()) t.steps.push_back({Step::Kind::command, command});
  t.steps.push_back({Step::Kind::bytes, bytes});
  t.expected = std::move(expected);
  return t;
}

}  // namespace

TEST_CASE("malformed input table", "[at][malformed]") {
  const std::string big(Lexer::default_max_line + 500, 'Z');
  const std::string garbage_big = "garbage: " + std::string(Lexer::default_max_line, 'Z');
  struct Row {
    const char* name;
    std::string command;
    std::string bytes;
    std::vector<std::string> expected;
  };
  const std::vector<Row> rows = {
      {"NULs between lines", "AT", "\r\n\0\0\0\r\nOK\r\n"s,
       {"garbage: \\x00\\x00\\x00", "final ok: OK"}},
      {"NUL glued to a final result", "AT", "\0OK\r\n"s, {"garbage: \\x00", "final ok: OK"}},
      {"wrong-baud noise then answer", "AT", "\xf8\xff\xfe\xff\r\nOK\r\n",
       {"garbage: \\xf8\\xff\\xfe\\xff", "final ok: OK"}},
      {"binary noise inside a response line", "AT+CSQ", "\r\n+CSQ: 2\x01\x02,99\r\nOK\r\n"s,
       {"garbage: +CSQ: 2\\x01\\x02", "urc unknown: ,99", "final ok: OK"}},
      {"overlong line then recovery", "AT", "\r\n" + big + "\r\nOK\r\n", {garbage_big, "final ok: OK"}},
      {"lone CRs only", "AT", "\r\r\r\rOK\r", {"final ok: OK"}},
      {"prompt-like bytes mid-line", "AT+CMGS=24", "\r\nabc> def\r\n> ",
       {"urc unknown: abc> def", "prompt"}},
      {"> at line start without prompt announced and no space", "AT", "\r\n>\r\nOK\r\n",
       {"urc unknown: >", "final ok: OK"}},
      {"final result code words in wrong case", "AT", "\r\nOk\r\n", {"final ok: Ok"}},
      {"unterminated quote in a URC", "", "\r\n+CMTI: \"SM,3\r\n", {"urc cmti: +CMTI: \"SM,3"}},
      {"colon without name", "AT", "\r\n+: x\r\n:\r\nOK\r\n", {"urc unknown: +: x", "urc unknown: :", "final ok: OK"}},
      {"Ctrl-Z with no PDU written and no command", "", "\x1a\r\n", {"stray: \\x1a"}},
      {"DEL bytes", "", "\x7f\x7f\r\nRING\r\n", {"garbage: \\x7f\\x7f", "urc ring: RING"}},
      {"+CMT header at end of input waits for its PDU", "", "\r\n+CMT: ,30\r\n", {}},
      {"+CMGL PDU line replaced by noise", "AT+CMGL=4", "\r\n+CMGL: 1,1,,30\r\n\0\0\r\nOK\r\n"s,
       {"response: +CMGL: 1,1,,30", "garbage: \\x00\\x00", "final ok: OK"}},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    const Transcript t = make(r.command, r.bytes, r.expected);
    CHECK(run_transcript(t) == r.expected);
    if (r.bytes.size() < 600) {
      CHECK(check_all_splits(t) == "");
    } else {
      CHECK(run_transcript(t, {Split::Mode::bytewise, 0, 0}) == r.expected);
    }
  }
}

TEST_CASE("memory stays bounded on endless input without line ends", "[at][malformed]") {
  Parser p(256);
  std::vector<Event> ev;
  std::string chunk(1000, 'x');
  for (int i = 0; i < 200; ++i) {
    p.feed(chunk, ev);
    ev.clear();  // the owner consumes events
  }
  std::string nuls(1000, '\0');
  for (int i = 0; i < 200; ++i) {
    p.feed(nuls, ev);
    for (const auto& e : ev) CHECK(e.line.size() <= 256);
    ev.clear();
  }
  p.feed("\r\nRING\r\n", ev);
  REQUIRE_FALSE(ev.empty());
  CHECK(to_string(ev.back()) == "urc ring: RING");
}
