#include "src/policy/kinds.hpp"

#include <array>

namespace sms::policy {
namespace {

// Indexed by Kind: the names the outbox column and the config use.
constexpr std::array<std::string_view, kKindCount> kNames = {"notice", "bulk"};

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view to_string(Kind k) { return kNames[static_cast<std::size_t>(k)]; }

std::optional<Kind> parse_kind(std::string_view s) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == s) return static_cast<Kind>(i);
  return std::nullopt;
}

std::optional<KindSet> parse_kinds(std::string_view list) {
  KindSet set = kNoKinds;
  while (true) {
    auto comma = list.find(',');
    auto kind = parse_kind(trim_spaces(list.substr(0, comma)));
    if (!kind) return std::nullopt;   // also catches "" and "notice,,bulk"
    set |= bit(*kind);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return set;
}

std::string to_string(KindSet s) {
  std::string out;
  for (int i = 0; i < kKindCount; ++i) {
    auto k = static_cast<Kind>(i);
    if (!has(s, k)) continue;
    if (!out.empty()) out += ',';
    out += to_string(k);
  }
  return out;
}

}  // namespace sms::policy
