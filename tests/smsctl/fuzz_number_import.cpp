// libFuzzer target: the number-file importer (smsctl whitelist import) with
// arbitrary bytes - encodings, CSV quoting, column choice. Nothing may
// crash, hang or read out of bounds; every line number reported lies in the file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tools/smsctl/number_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  int lines = 1;
  for (char c : bytes) lines += c == '\n';
  for (bool csv : {false, true}) {
    smsctl::ImportOptions o;
    o.csv = csv;
    auto f = smsctl::read_number_file(bytes, o);
    if (!f) continue;
    for (const auto& e : f->entries)
      if (e.line < 1 || e.line > lines) std::abort();
    for (const auto& p : f->problems)
      if (p.line < 0 || p.line > lines) std::abort();
  }
  return 0;
}
