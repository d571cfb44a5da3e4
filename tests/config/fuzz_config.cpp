// libFuzzer target: any bytes given to the config loader give a Config or a
// ConfigError with a line inside the text; nothing else (no crash, no other
// exception, no read out of bounds under ASan).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "src/config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)sms::config::load_string(text, "/fuzz/smserver.xml");
  } catch (const sms::config::ConfigError& e) {
    const long lines = std::count(text.begin(), text.end(), '\n') + 1;
    if (e.line < 0 || e.line > lines) std::abort();
  }
  return 0;
}
