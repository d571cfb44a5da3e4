#include "modem/common/log.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstdio>
#include <mutex>

namespace sms::log {
namespace {
std::atomic<int> g_level{static_cast<int>(Level::info)};
std::mutex g_mutex;

const char* word(Level l) {
  switch (l) {
    case Level::error: return "error";
    case Level::warning: return "warning";
    case Level::info: return "info";
    case Level::debug: return "debug";
  }
  return "?";
}
}  // namespace

void set_level(Level max_level) { g_level = static_cast<int>(max_level); }
Level level() { return static_cast<Level>(g_level.load()); }
bool enabled(Level l) { return static_cast<int>(l) <= g_level.load(std::memory_order_relaxed); }

void write(Level l, std::string_view component, std::string_view message) {
  // JOURNAL_STREAM is set by systemd when stderr is connected to the journal.
  static const bool journal = std::getenv("JOURNAL_STREAM") != nullptr;
  std::string line = journal ? fmt::format("<{}>{}: {}\n", static_cast<int>(l), component, message)
                             : fmt::format("smserver {}: {}: {}\n", word(l), component, message);
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace sms::log
