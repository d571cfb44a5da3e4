#pragma once
// Minimal logging to stderr. Each line starts with an sd-daemon(3) priority
// prefix ("<3>", "<4>", "<6>", "<7>") so journald records the level when the
// daemon runs under systemd; on a terminal the prefix is replaced by a word.
#include <fmt/format.h>

#include <string_view>

namespace sms::log {

enum class Level { error = 3, warning = 4, info = 6, debug = 7 };

void set_level(Level max_level);  // lines above this level are dropped
Level level();
bool enabled(Level l);
// component: "m1" (a modem id), "db", "dispatch", ...
void write(Level l, std::string_view component, std::string_view message);

template <class... Args>
void error(std::string_view component, fmt::format_string<Args...> f, Args&&... a) {
  if (enabled(Level::error)) write(Level::error, component, fmt::format(f, std::forward<Args>(a)...));
}
template <class... Args>
void warn(std::string_view component, fmt::format_string<Args...> f, Args&&... a) {
  if (enabled(Level::warning)) write(Level::warning, component, fmt::format(f, std::forward<Args>(a)...));
}
template <class... Args>
void info(std::string_view component, fmt::format_string<Args...> f, Args&&... a) {
  if (enabled(Level::info)) write(Level::info, component, fmt::format(f, std::forward<Args>(a)...));
}
template <class... Args>
void debug(std::string_view component, fmt::format_string<Args...> f, Args&&... a) {
  if (enabled(Level::debug)) write(Level::debug, component, fmt::format(f, std::forward<Args>(a)...));
}

}  // namespace sms::log
