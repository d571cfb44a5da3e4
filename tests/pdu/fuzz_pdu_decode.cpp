// libFuzzer target for the PDU decoder. Its only assertion: every input gives
// a value or an error (and a decoded text re-encodes); ASan catches the rest.
//
// Build and run (clang 14 with libFuzzer, from the source root):
//   cmake -S . -B build-fuzz -G Ninja -DSMS_FUZZ=ON -DSMS_BENCH=OFF -DCMAKE_CXX_COMPILER=clang++ \
//         -DCMAKE_C_COMPILER=clang
//   cmake --build build-fuzz --target fuzz_pdu_decode
//   mkdir -p /tmp/pdu-corpus && build-fuzz/tests/pdu/fuzz_pdu_decode -max_total_time=60 \
//         /tmp/pdu-corpus tests/data/pdu/corpus
// New inputs land in /tmp/pdu-corpus; copy a crashing or interesting one into
// tests/data/pdu/corpus so that test_pdu replays it on every build.
#include <cstdlib>

#include "tests/pdu/fuzz_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (!pdufuzz::run_one(data, size)) std::abort();
  return 0;
}
