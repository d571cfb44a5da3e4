#pragma once
// TIME arguments of smsctl (--from, --to, --at) and their conversion to the
// database's UTC text.
#include <ctime>
#include <optional>
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

// ---- showing stored times (section "local time" of smsctl --help) ----
// The database keeps UTC text; a person reads local time: the zone in TZ,
// which smsctl sets from <smserver timezone> (see cmd_common.cpp).

// "YYYY-MM-DD HH:MM:SS[.SSS]" as stored (UTC) -> the instant (fraction
// dropped); nullopt for any other text.
std::optional<std::time_t> parse_db_time(std::string_view utc_text);
// "YYYY-MM-DD HH:MM:SS" in the local zone (TZ) for a point in time.
std::string format_local(std::time_t t);
// With --utc smsctl shows "YYYY-MM-DD HH:MM:SSZ" (UTC) instead.
void set_show_utc(bool utc);
bool show_utc();
// A stored time as smsctl shows it: local "YYYY-MM-DD HH:MM:SS", or UTC with
// a trailing Z under --utc. "" stays ""; text that is not a stored time is
// returned unchanged.
std::string show_time(std::string_view utc_text);

}  // namespace smsctl
