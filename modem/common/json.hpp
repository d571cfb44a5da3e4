#pragma once
// Tiny JSON output helpers (we only ever write JSON, never parse it).
#include <string>
#include <string_view>

namespace sms::json {

// Returns s as a quoted JSON string. Bytes >= 0x80 are copied as they are
// (the input is UTF-8); control characters are escaped.
std::string quote(std::string_view s);

}  // namespace sms::json
