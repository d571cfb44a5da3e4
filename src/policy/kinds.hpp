#pragma once
// Message kinds (outbox.kind) and the sets of kinds a rule applies to.
//
// The written rules know two kinds: notices ("template messages": codes,
// account changes, reminders, alarms; recipients not known in advance) and
// bulk messages (marketing, announcements, greetings), which the rules limit.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sms::policy {

enum class Kind : std::uint8_t { notice = 0, bulk = 1 };
inline constexpr int kKindCount = 2;

// A set of kinds as a bit mask: bit (1 << Kind).
using KindSet = std::uint8_t;
inline constexpr KindSet kNoKinds = 0;
inline constexpr KindSet kAllKinds = 0b11;
inline constexpr KindSet bit(Kind k) { return static_cast<KindSet>(1u << static_cast<unsigned>(k)); }
inline constexpr bool has(KindSet s, Kind k) { return (s & bit(k)) != 0; }

std::string_view to_string(Kind k);                    // "notice", "bulk"
std::optional<Kind> parse_kind(std::string_view s);    // exact, lower case
// "notice,bulk" -> mask; nullopt if a word is not a kind (empty list too).
// Spaces around words are allowed.
std::optional<KindSet> parse_kinds(std::string_view list);
std::string to_string(KindSet s);                      // "notice,bulk", "bulk"

}  // namespace sms::policy
