// Encode and decode throughput of the PDU codec, in PDUs per second
// ("items_per_second"). Issue 2 asks for at least 1,000,000 single-part PDUs
// per second per core each way. Results and the command line are in
// docs/PERFORMANCE.md.
//
//   cmake --build build --target bench_pdu && build/bench/pdu/bench_pdu
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "modem/pdu/pdu.hpp"

namespace {

namespace pdu = sms::pdu;

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// 70 distinct-looking Chinese characters (one UCS2 part), 500 (eight parts), 160 GSM characters (one part).
const std::string kChinese70 = repeat("\u4F60\u597D\u4E16\u754C\u6D4B\u8BD5\u77ED\u4FE1\u606F\u6536", 7);
const std::string kChinese500 = repeat("\u4F60\u597D\u4E16\u754C\u6D4B\u8BD5\u77ED\u4FE1\u606F\u6536", 50);
const std::string kGsm160 = repeat("The quick brown fox jumps over the lazy dog 0123456789! ", 3).substr(0, 160);

pdu::SubmitOptions options() {
  pdu::SubmitOptions o;
  o.destination = "+8613800138000";
  o.concat_reference = 42;
  return o;
}

void encode(benchmark::State& state, const std::string& text, std::size_t expected_parts) {
  const auto o = options();
  std::size_t parts = 0;
  for (auto _ : state) {
    auto r = pdu::encode_submit(text, o);
    benchmark::DoNotOptimize(r);
    parts += r->parts.size();
  }
  if (parts != expected_parts * static_cast<std::size_t>(state.iterations())) state.SkipWithError("wrong part count");
  state.SetItemsProcessed(static_cast<std::int64_t>(parts));
}

std::vector<std::string> deliver_pdus(const std::string& text) {
  pdu::DeliverOptions o;
  o.originator = "+8613800138000";
  o.scts = {1795000000, 480};
  o.concat_reference = 42;
  return *pdu::encode_deliver(text, o);
}

void decode(benchmark::State& state, const std::string& text, std::size_t expected_parts) {
  const auto pdus = deliver_pdus(text);
  if (pdus.size() != expected_parts) state.SkipWithError("wrong part count");
  std::size_t n = 0;
  for (auto _ : state) {
    for (const auto& hex : pdus) {
      auto m = pdu::decode(hex);
      benchmark::DoNotOptimize(m);
    }
    n += pdus.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
}

void BM_EncodeChinese70(benchmark::State& s) { encode(s, kChinese70, 1); }
void BM_EncodeChinese500(benchmark::State& s) { encode(s, kChinese500, 8); }
void BM_EncodeGsm160(benchmark::State& s) { encode(s, kGsm160, 1); }
void BM_DecodeChinese70(benchmark::State& s) { decode(s, kChinese70, 1); }
void BM_DecodeChinese500(benchmark::State& s) { decode(s, kChinese500, 8); }
void BM_DecodeGsm160(benchmark::State& s) { decode(s, kGsm160, 1); }

void BM_CountChinese500(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(pdu::count_text(kChinese500));
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_EncodeChinese70);
BENCHMARK(BM_EncodeChinese500);
BENCHMARK(BM_EncodeGsm160);
BENCHMARK(BM_DecodeChinese70);
BENCHMARK(BM_DecodeChinese500);
BENCHMARK(BM_DecodeGsm160);
BENCHMARK(BM_CountChinese500);

BENCHMARK_MAIN();
