#include "tools/smsctl/cmd_common.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>

#include "tools/smsctl/db_table.hpp"

namespace smsctl {

const char* const kDbOption =
    "  --db PATH        use this database file instead of the config's (for scripts and tests;\n"
    "                   the config file is then read only if --config names one)\n";
const char* const kTimeHelp =
    "TIME: YYYY-MM-DD, 'YYYY-MM-DD HH:MM[:SS]' (local time; add Z for UTC), today,\n"
    "yesterday, tomorrow, now, or relative: -2h, -30m, -7d (both '--from -2h' and '--from=-2h' work).\n"
    "A date alone as --to means the end of that day. Local time is the config's\n"
    "<smserver timezone>, else the system's. Tables show local time\n"
    "'YYYY-MM-DD HH:MM:SS'; with --utc, times are read and shown in UTC, shown with a\n"
    "trailing Z. --json and --csv keep the database's UTC text ('YYYY-MM-DD HH:MM:SS.SSS').\n";
const char* const kUtcOption = "  --utc            read and show times in UTC instead of local time\n";

DbTarget open_config(const Context& ctx, const Args& a) {
  DbTarget t = find_database(ctx, a.get("db"));
  apply_local_time(ctx, a, t);
  return t;
}

void apply_local_time(const Context& ctx, const Args& a, const DbTarget& t) {
  const bool utc = ctx.utc || a.flag("utc");
  // A single-threaded command: TZ is how localtime_r and mktime learn the zone.
  if (utc) {
    setenv("TZ", "UTC0", 1);
  } else if (!t.timezone.empty()) {
    setenv("TZ", t.timezone.c_str(), 1);
  }
  tzset();
  set_show_utc(utc);
}

sms::db::Store open_store(const DbTarget& t) { return sms::db::Store::open(t.path, t.busy_timeout_ms); }

std::string time_arg(const Args& a, const std::string& name, Bound bound, const std::string& fallback) {
  auto v = a.get(name);
  if (!v) {
    if (fallback.empty()) return {};
    v = fallback;
  }
  auto r = parse_time(*v, std::time(nullptr), bound);
  if (!r) throw UsageError("--" + name + ": " + r.error());
  return *r;
}

std::int64_t id_of(const std::string& w, const char* what) {
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), id);
  if (ec != std::errc() || p != w.data() + w.size() || id <= 0)
    throw UsageError("'" + w + "' is not a " + what + " (a positive whole number)");
  return id;
}

std::vector<std::int64_t> ids_of(const Words& positional, const char* what) {
  if (positional.empty()) throw UsageError(std::string("give at least one ") + what);
  std::vector<std::int64_t> ids;
  for (const auto& w : positional) ids.push_back(id_of(w, what));
  return ids;
}

Format format_of(const Args& a) {
  if (a.flag("json") && a.flag("csv")) throw UsageError("--json and --csv cannot be combined");
  return a.flag("json") ? Format::json : a.flag("csv") ? Format::csv : Format::table;
}

std::string json_or_null(const std::string& s) { return s.empty() ? "null" : json_string(s); }

std::string join(const Words& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

int run_db_command(const std::string& name, const std::function<int()>& body) {
  try {
    return body();
  } catch (const ConfigProblem& e) {
    std::fprintf(stderr, "smsctl %s: %s\n", name.c_str(), e.what());
    return 2;
  } catch (const sms::db::StoreError& e) {
    std::fprintf(stderr, "smsctl %s: %s\n", name.c_str(), e.what());
    return 1;
  }
}

std::string text_excerpt(const std::string& text, int max_width) { return cell_text(text, max_width); }

}  // namespace smsctl
