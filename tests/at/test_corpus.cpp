// Replays the libFuzzer seed corpus (tests/data/at/corpus) and the
// transcript files as raw input through the same entry point the fuzzer
// uses, so any crash input saved there stays a regression test.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {
std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("fuzz seed corpus replays without crashing", "[at][fuzz]") {
  const fs::path dir = fs::path(SMS_TEST_DATA) / "at" / "corpus";
  std::size_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string bytes = read_file(entry.path());
    INFO(entry.path().filename().string());
    CHECK(LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()) == 0);
    ++n;
  }
  CHECK(n >= 10);
}
