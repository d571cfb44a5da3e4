// Every tests/data/at/*.txt file is its own test case: the events of the
// whole transcript must match its "=" lines, and feeding it split at every
// byte position (and byte by byte) must give the same events.
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <filesystem>

#include "tests/at/transcript.hpp"

namespace fs = std::filesystem;
using namespace sms::at::test;

namespace {

std::vector<std::string> transcript_files() {
  std::vector<std::string> files;
  const fs::path dir = fs::path(SMS_TEST_DATA) / "at";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".txt") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::string show(const std::vector<std::string>& events) {
  std::string s;
  for (const auto& e : events) s += "  " + e + "\n";
  return s;
}

void run_file(const std::string& path) {
  const Transcript t = load_transcript(path);
  INFO(t.name);
  REQUIRE_FALSE(t.expected.empty());
  const auto got = run_transcript(t);
  INFO("expected:\n" << show(t.expected) << "got:\n" << show(got));
  CHECK(got == t.expected);
  CHECK(check_all_splits(t) == "");
}

struct FileInvoker : Catch::ITestInvoker {
  explicit FileInvoker(std::string p) : path(std::move(p)) {}
  void invoke() const override { run_file(path); }
  std::string path;
};

// Registers one Catch2 test case per file at start-up.
struct Registrar {
  Registrar() {
    static std::deque<std::string> names;  // Catch keeps StringRefs to these
    static std::deque<Catch::AutoReg> regs;  // Catch owns the invokers
    for (const auto& f : transcript_files()) {
      names.push_back("transcript: " + fs::path(f).filename().string());
      regs.emplace_back(new FileInvoker(f), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                        Catch::NameAndTags{Catch::StringRef(names.back()), "[at][transcript]"});
    }
  }
};
const Registrar registrar;

}  // namespace

TEST_CASE("transcript files are present and well-formed", "[at][transcript]") {
  const auto files = transcript_files();
  CHECK(files.size() >= 12);
  for (const auto& f : files) {
    INFO(f);
    const Transcript t = load_transcript(f);
    CHECK_FALSE(t.family.empty());
    CHECK_FALSE(t.expected.empty());
  }
}
