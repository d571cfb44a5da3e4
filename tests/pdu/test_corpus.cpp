// Replays every file of the fuzz corpus (tests/data/pdu/corpus) through the
// decoder the way fuzz_pdu_decode.cpp does, so regressions found by fuzzing
// stay fixed without clang.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "modem/pdu/pdu.hpp"
#include "tests/pdu/fuzz_body.hpp"

TEST_CASE("fuzz corpus replays as a value or an error", "[pdu][corpus]") {
  const std::filesystem::path dir = std::filesystem::path(SMS_TEST_DATA) / "pdu" / "corpus";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(entry.path().filename().string());
    CHECK(pdufuzz::run_one(bytes.data(), bytes.size()));
    ++files;
  }
  CHECK(files >= 10);
}
