// libFuzzer target: template parsing and rendering on arbitrary bytes.
// Never a crash; a parsed template re-escaped parses to the same pieces;
// rendering with every name given its own "<name>" yields exactly the
// pieces joined, and no value is expanded again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "src/messaging/template.hpp"

namespace {
std::string escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '{' || c == '}') out += c;
    out += c;
  }
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sms::messaging;
  const std::string source(reinterpret_cast<const char*>(data), size);
  Template t;
  std::string error;
  if (!parse_template(source, t, error)) {
    if (error.empty()) std::abort();
    return 0;
  }
  if (t.text.size() != t.names.size() + 1) std::abort();
  // The same template written back: literal text escaped, names in braces.
  std::string again;
  for (std::size_t i = 0; i < t.names.size(); ++i) again += escaped(t.text[i]) + "{" + t.names[i] + "}";
  again += escaped(t.text.back());
  Template u;
  if (!parse_template(again, u, error) || u.text != t.text || u.names != t.names) std::abort();
  std::map<std::string, std::string, std::less<>> values;
  for (const auto& n : t.names) values[n] = "<{" + n + "}>";
  std::string out, want;
  if (!render(t, values, out, error)) std::abort();
  for (std::size_t i = 0; i < t.names.size(); ++i) want += t.text[i] + "<{" + t.names[i] + "}>";
  want += t.text.back();
  if (out != want) std::abort();
  return 0;
}
