#pragma once
// Durations in configuration attributes: "250ms", "10s", "5m", "24h", "7d",
// "1.5s", or a bare number in the unit the attribute documents (seconds for
// every duration attribute of smserver.xml, see docs/CONFIG.md).
//
// Pure functions, no exceptions: the loader turns errors into ConfigError
// with the file and line.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "modem/common/result.hpp"

namespace sms::config {

enum class BareUnit { milliseconds, seconds };

// Parses one duration. Accepts optional blanks around the value and between
// number and unit. Rejects negative values, unknown units, values that are not
// a whole number of milliseconds, and anything above 10 years (a typo guard
// that also keeps every result far from integer overflow).
Result<std::chrono::milliseconds> parse_duration(std::string_view text, BareUnit bare = BareUnit::seconds);

// The shortest exact spelling: 0 -> "0s", 250 -> "250ms", 90000 -> "90s",
// 300000 -> "5m", 86400000 -> "24h" (hours are never folded into days so
// that "24h" reads back as written in the defaults).
std::string format_duration(std::chrono::milliseconds d);

}  // namespace sms::config
