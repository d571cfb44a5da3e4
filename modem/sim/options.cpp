#include "modem/sim/options.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace sms::sim {

namespace {
std::string lower(std::string_view s) {
  std::string r(s);
  std::transform(r.begin(), r.end(), r.begin(), [](unsigned char c) { return std::tolower(c); });
  return r;
}
}  // namespace

std::optional<Dialect> parse_dialect(std::string_view s) {
  const std::string l = lower(s);
  if (l == "generic") return Dialect::generic;
  if (l == "huawei") return Dialect::huawei;
  if (l == "simcom") return Dialect::simcom;
  if (l == "quectel") return Dialect::quectel;
  return std::nullopt;
}

std::string_view to_string(Dialect d) {
  switch (d) {
    case Dialect::generic: return "generic";
    case Dialect::huawei: return "huawei";
    case Dialect::simcom: return "simcom";
    case Dialect::quectel: return "quectel";
  }
  return "generic";
}

std::optional<Registration> parse_registration(std::string_view s) {
  const std::string l = lower(s);
  if (l == "home") return Registration::home;
  if (l == "roaming") return Registration::roaming;
  if (l == "searching") return Registration::searching;
  if (l == "denied") return Registration::denied;
  if (l == "none" || l == "not-registered") return Registration::none;
  return std::nullopt;
}

}  // namespace sms::sim
