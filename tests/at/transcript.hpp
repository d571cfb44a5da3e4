#pragma once
// Transcripts of modem conversations for the AT parser tests.
//
// Format (one item per line; used by the files in tests/data/at/ and by the
// inline tables in test_parser.cpp):
//   # comment            (the first "# name:" / "# family:" / "# source:" lines describe the case)
//   > AT+CMGS=23         host wrote a command: Parser::begin(command_for("AT+CMGS=23"))
//   >pdu 0011000B...     host wrote a PDU after the prompt: Parser::pdu_written(hex)
//   >abandon             host gave up on the command in flight: Parser::abandon()
//   < \r\n+CSQ: 20,99\r\n bytes from the modem; escapes \r \n \t \\ \xNN, nothing implicit
//   = final ok: OK        an expected event, in the canonical form of to_string(Event)
// Expected events are compared, in order, with every event the whole
// transcript produces.
#include <string>
#include <string_view>
#include <vector>

namespace sms::at::test {

struct Step {
  enum class Kind { command, pdu, abandon, bytes } kind = Kind::bytes;
  std::string data;
};

struct Transcript {
  std::string name;
  std::string family;
  std::vector<Step> steps;
  std::vector<std::string> expected;
};

// Throws std::runtime_error naming the line on a malformed transcript (test data bug).
Transcript parse_transcript(std::string_view text, std::string name = {});
Transcript load_transcript(const std::string& path);

// How modem bytes are cut into chunks before feeding.
struct Split {
  enum class Mode { whole, bytewise, at, random } mode = Mode::whole;
  std::size_t segment = 0;   // Mode::at: which bytes step (0-based among bytes steps)
  std::size_t position = 0;  // Mode::at: cut that step's bytes here; Mode::random: the seed
};

std::vector<std::string> run_transcript(const Transcript& t, Split split = {});

// Every split position of every bytes step, byte-by-byte, and 20 seeded
// random chunkings of every step: returns a
// description of the first split whose events differ from the whole feed,
// or "" when all agree.
std::string check_all_splits(const Transcript& t);

std::string unescape(std::string_view escaped);  // "\\r\\n" -> "\r\n"; throws on bad escapes

}  // namespace sms::at::test
