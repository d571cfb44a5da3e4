// libFuzzer target for the AT lexer/parser and the result parsers.
// Asserts only "no crash, no sanitizer report, bounded memory".
//
// Build (clang++ only):
//   cmake -S /work/main -B build-fuzz -G Ninja -DSMS_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang
//   cmake --build build-fuzz --target fuzz_at_parser
// Run (seed corpus in tests/data/at/corpus, new finds go to a scratch dir):
//   mkdir -p /tmp/at-corpus
//   build-fuzz/tests/at/fuzz_at_parser -max_len=4096 -max_total_time=60 /tmp/at-corpus tests/data/at/corpus
// The seed corpus is also replayed by test_at ("fuzz seed corpus") in
// ordinary builds, so every crash input saved there stays a regression test.
//
// Input layout: byte 0 picks the command in flight (table below, or none),
// byte 1 the split stride; the rest is what the modem sends.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "modem/at/errors.hpp"
#include "modem/at/parser.hpp"
#include "modem/at/results.hpp"

namespace {

constexpr std::string_view commands[] = {
    "",        "AT",      "AT+CSQ",   "AT+CMGS=24", "AT+CMGL=4", "AT+CMGR=1", "AT+CREG?",
    "AT+CPIN?", "AT+CGMI", "ATI",     "AT+CPMS?",   "AT+CNMI=?", "AT+COPS?", "AT+CSCA?",
};

void exercise_results(const sms::at::Event& e) {
  using namespace sms::at;
  const std::string_view l = e.line;
  (void)parse_cmgs(l);
  (void)parse_csq(l);
  (void)parse_creg(l);
  (void)parse_cpin(l);
  (void)parse_cpms(l);
  (void)parse_cops(l);
  (void)parse_csca(l);
  (void)parse_cmti(l);
  (void)parse_cmgl(l);
  (void)parse_cmgr(l);
  (void)parse_cmt(l);
  (void)parse_cds(l);
  (void)parse_cnmi_test(l);
  (void)parse_cmms(l);
  (void)describe(e.final);
  (void)classify_send_failure(e.final);
  (void)to_string(e);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  constexpr std::size_t max_line = 512;
  sms::at::Parser parser(max_line);
  const auto& cmd = commands[data[0] % (sizeof(commands) / sizeof(commands[0]))];
  if (!cmd.empty()) parser.begin(sms::at::command_for(cmd));
  const std::size_t stride = 1 + data[1] % 64;
  std::string_view bytes(reinterpret_cast<const char*>(data + 2), size - 2);

  std::vector<sms::at::Event> events;
  while (!bytes.empty()) {
    const std::string_view chunk = bytes.substr(0, stride);
    bytes.remove_prefix(chunk.size());
    parser.feed(chunk, events);
    for (const auto& e : events) {
      // Bounded memory: no event is larger than a line (+ its PDU line).
      if (e.line.size() > max_line || e.pdu.size() > max_line) std::abort();
      exercise_results(e);
      if (e.kind == sms::at::EventKind::prompt) parser.pdu_written("00");
      if (e.kind == sms::at::EventKind::final && !cmd.empty()) parser.begin(sms::at::command_for(cmd));
    }
    events.clear();
  }
  return 0;
}
