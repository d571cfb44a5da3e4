#pragma once
// TIME arguments of smsctl (--from, --to, --at) and their conversion to the
// database's UTC text.
#include <ctime>
#include <string>
#include <string_view>

#include "modem/common/result.hpp"

namespace smsctl {

enum class Bound {
  start,   // --from, --at: a date means its first moment
  end,     // --to: a date (or "today") means the end of that day, so
           // "--from 2026-11-23 --to 2026-11-23" is that whole day
};

// Accepts, in local time unless noted:
//   now, today, yesterday, tomorrow
//   -2h, -30m, -7d, -90s, -1w (ago); +10m, +1h (from now; for --at)
//   YYYY-MM-DD
//   YYYY-MM-DD HH:MM[:SS]  (also with 'T' between date and time)
//   any of the two above suffixed with Z: UTC
// Returns "YYYY-MM-DD HH:MM:SS" in UTC, or an error naming the value.
sms::Result<std::string> parse_time(std::string_view text, std::time_t now, Bound bound = Bound::start);

// "YYYY-MM-DD HH:MM:SS" (UTC) for a point in time.
std::string format_utc(std::time_t t);

}  // namespace smsctl
