// smsctl whitelist|blacklist|optout add|remove|list|import: the sending
// policy's number lists. Numbers are normalised to E.164 (libphonenumber,
// default region <policy defaultRegion>, CN) before they reach the store;
// every change is one transaction and one audit entry (the store writes it).
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "src/policy/number.hpp"
#include "tools/smsctl/actor.hpp"
#include "tools/smsctl/cmd_common.hpp"
#include "tools/smsctl/db_table.hpp"
#include "tools/smsctl/number_import.hpp"

namespace smsctl {

namespace {

using sms::db::Store;

std::string help_of(const std::string& list) {
  std::string what = list == "whitelist"   ? "The white list: with <whitelist kinds=...> on, messages of those kinds go only to listed numbers."
                     : list == "blacklist" ? "The black list: with <blacklist kinds=...> on, listed numbers get no messages of those kinds."
                                           : "The opt-out list (退订): numbers that asked for no more messages of the <optout kinds>;\n"
                                             "a reply with an opt-out keyword adds its sender by itself.";
  return "usage: smsctl " + list + " add NUMBER... [--note TEXT]\n"
         "       smsctl " + list + " remove NUMBER...\n"
         "       smsctl " + list + " list [--json|--csv] [--utc]\n"
         "       smsctl " + list + " import FILE [--column NAME] [--note TEXT]\n"
         "\n" + what + "\n"
         "\n"
         "Numbers are stored in E.164 (+8613955112345): +86..., 0086..., 86..., spaces, dashes\n"
         "and full-width digits are accepted; a number without a country code is read in the\n"
         "policy's defaultRegion (default CN). Short codes and numbers that are not valid are\n"
         "refused with the reason (exit 1; the valid ones are still added).\n"
         "\n"
         "  add NUMBER...     put numbers on the list (already listed ones are counted as duplicates)\n"
         "  remove NUMBER...  take them off (exit 1 if one was not listed)\n"
         "  list              the entries: number, added (local time), by, source, note\n"
         "  import FILE       numbers from a TXT file (one a line) or a CSV file (RFC 4180; the\n"
         "                    first line is a header when it holds no digits), in UTF-8, UTF-8\n"
         "                    with BOM or GB18030 (Excel on Chinese Windows). Blank lines and\n"
         "                    lines starting with # are skipped; each rejected line is reported\n"
         "                    with its line number; prints the counts added, duplicates (listed\n"
         "                    already or repeated in the file) and rejected. One transaction.\n"
         "  --column NAME     CSV: the column with the numbers, by header name or number (1 =\n"
         "                    first); default: a column named like 手机/手机号/号码/电话/number/\n"
         "                    phone/mobile, else the first\n"
         "  --note TEXT       kept with each added number\n"
         "  --json, --csv     list: machine-readable (added_at in UTC as stored)\n"
         "Changes are recorded in the audit log with you as the actor (the OS user; under\n"
         "sudo, SUDO_USER).\n";
}

sms::policy::Numbers numbers_for(const DbTarget& t) {
  return sms::policy::Numbers(t.policy.default_region.empty() ? "CN" : t.policy.default_region);
}

std::string printable(std::string_view s) { return cell_text(s, 40); }

// The normaliser's reason, which usually quotes the number already.
std::string refusal(const std::string& raw, const std::string& error) {
  if (!raw.empty() && error.find(raw) != std::string::npos) return cell_text(error, 200);
  return "'" + printable(raw) + "': " + cell_text(error, 200);
}

void print_change(const std::string& list, const Store::ListChange& c, int refused) {
  std::printf("%s: added %d, duplicates %d", list.c_str(), c.added, c.duplicate);
  if (refused) std::printf(", refused %d", refused);
  std::printf("\n");
}

int list_add(const Context& ctx, const std::string& list, const Args& a) {
  if (a.positional().size() < 2) throw UsageError("give at least one number: smsctl " + list + " add NUMBER...");
  DbTarget t = open_config(ctx, a);
  auto numbers = numbers_for(t);
  std::vector<std::string> valid;
  int refused = 0;
  for (std::size_t i = 1; i < a.positional().size(); ++i) {
    const std::string& raw = a.positional()[i];
    auto n = numbers.normalise_for_list(raw);
    if (!n.valid()) {
      std::fprintf(stderr, "smsctl %s add: %s\n", list.c_str(), refusal(raw, n.error).c_str());
      ++refused;
      continue;
    }
    valid.push_back(n.e164);
  }
  if (!valid.empty()) {
    Store store = open_store(t);
    print_change(list, store.list_add(list, valid, a.get_or("note", ""), "smsctl", current_actor()), refused);
  } else {
    std::fprintf(stderr, "smsctl %s add: nothing added\n", list.c_str());
  }
  return refused ? 1 : 0;
}

int list_remove(const Context& ctx, const std::string& list, const Args& a) {
  if (a.positional().size() < 2) throw UsageError("give at least one number: smsctl " + list + " remove NUMBER...");
  DbTarget t = open_config(ctx, a);
  auto numbers = numbers_for(t);
  std::vector<std::string> keys;
  for (std::size_t i = 1; i < a.positional().size(); ++i) {
    const std::string& raw = a.positional()[i];
    auto n = numbers.normalise_for_list(raw);
    // A number the normaliser refuses may still be listed (an integrator's
    // INSERT): remove it as written.
    keys.push_back(n.valid() ? n.e164 : raw);
  }
  Store store = open_store(t);
  const unsigned mask = list == "whitelist" ? 1u : list == "blacklist" ? 2u : 4u;   // Store::number_lists
  for (const auto& k : keys)
    if (!(store.number_lists(k) & mask))
      std::fprintf(stderr, "smsctl %s remove: '%s' is not on the %s\n", list.c_str(), printable(k).c_str(),
                   list.c_str());
  auto c = store.list_remove(list, keys, current_actor());
  std::printf("%s: removed %d", list.c_str(), c.removed);
  if (c.missing) std::printf(", not listed %d", c.missing);
  std::printf("\n");
  return c.missing ? 1 : 0;
}

int list_show(const Context& ctx, const std::string& list, const Args& a) {
  if (a.positional().size() > 1) throw UsageError("list takes no arguments");
  const Format fmt = format_of(a);
  DbTarget t = open_config(ctx, a);
  Store store = open_store(t);
  auto entries = store.list_entries(list);
  if (fmt == Format::json) {
    std::string j = "[";
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const auto& e = entries[i];
      j += i ? ",\n" : "\n";
      j += "{\"number\":" + json_string(e.number) + ",\"list\":" + json_string(e.list) +
           ",\"added_at\":" + json_or_null(e.added_at) + ",\"added_by\":" + json_or_null(e.added_by) +
           ",\"source\":" + json_or_null(e.source) + ",\"note\":" + json_or_null(e.note) +
           ",\"inbox_id\":" + (e.inbox_id ? std::to_string(e.inbox_id) : std::string("null")) + "}";
    }
    j += entries.empty() ? "]\n" : "\n]\n";
    std::fputs(j.c_str(), stdout);
    return 0;
  }
  if (fmt == Format::csv) {
    if (a.flag("bom")) std::fputs("\xEF\xBB\xBF", stdout);
    std::fputs(csv_record({"number", "list", "added_at", "added_by", "source", "note", "inbox_id"}).c_str(), stdout);
    for (const auto& e : entries)
      std::fputs(csv_record({e.number, e.list, e.added_at, e.added_by, e.source, e.note,
                             e.inbox_id ? std::to_string(e.inbox_id) : ""})
                     .c_str(),
                 stdout);
    return 0;
  }
  if (entries.empty()) {
    std::fprintf(stderr, "the %s is empty\n", list.c_str());
    return 0;
  }
  Table tab;
  tab.headers = {"number", show_utc() ? "added (UTC)" : "added", "by", "source", "note"};
  tab.max_width = {0, 0, 16, 30, 40};
  for (const auto& e : entries)
    tab.rows.push_back({e.number, show_time(e.added_at), e.added_by,
                        e.source + (e.inbox_id ? " (inbox " + std::to_string(e.inbox_id) + ")" : ""), e.note});
  std::fputs(tab.render().c_str(), stdout);
  std::printf("%zu number(s)\n", entries.size());
  return 0;
}

constexpr std::size_t kMaxFileBytes = 256u * 1024 * 1024;
constexpr int kMaxReported = 100;

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

int list_import(const Context& ctx, const std::string& list, const Args& a) {
  if (a.positional().size() != 2) throw UsageError("give one file: smsctl " + list + " import FILE");
  const std::string file = a.positional()[1];
  DbTarget t = open_config(ctx, a);
  const std::string cmd = "smsctl " + list + " import";

  struct stat st {};
  if (stat(file.c_str(), &st) != 0) {
    std::fprintf(stderr, "%s: cannot read %s: %s\n", cmd.c_str(), file.c_str(), std::strerror(errno));
    return 1;
  }
  if (S_ISDIR(st.st_mode)) {
    std::fprintf(stderr, "%s: %s is a directory\n", cmd.c_str(), file.c_str());
    return 1;
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxFileBytes) {
    std::fprintf(stderr, "%s: %s is %lld bytes; a number list of more than %zu MB is not read\n", cmd.c_str(),
                 file.c_str(), static_cast<long long>(st.st_size), kMaxFileBytes / (1024 * 1024));
    return 1;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot read %s: %s\n", cmd.c_str(), file.c_str(), std::strerror(errno));
    return 1;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();

  ImportOptions opt;
  opt.column = a.get_or("column", "");
  opt.csv = file.size() >= 4 && lower_ascii(file.substr(file.size() - 4)) == ".csv";
  auto parsed = read_number_file(bytes, opt);
  if (!parsed) {
    std::fprintf(stderr, "%s: %s: %s\n", cmd.c_str(), file.c_str(), parsed.error().c_str());
    return 1;
  }
  auto numbers = numbers_for(t);
  // Rejected lines, in line order: the reader's and the normaliser's.
  std::vector<CsvProblem> rejected = parsed->problems;
  std::vector<std::string> valid;
  valid.reserve(parsed->entries.size());
  std::set<std::string> seen;
  int repeated = 0;
  for (const auto& e : parsed->entries) {
    auto n = numbers.normalise_for_list(e.value);
    if (!n.valid()) {
      rejected.push_back({e.line, refusal(e.value, n.error)});
      continue;
    }
    if (!seen.insert(n.e164).second) {
      ++repeated;
      continue;
    }
    valid.push_back(std::move(n.e164));
  }
  std::stable_sort(rejected.begin(), rejected.end(),
                   [](const CsvProblem& x, const CsvProblem& y) { return x.line < y.line; });
  for (std::size_t i = 0; i < rejected.size() && i < kMaxReported; ++i)
    std::fprintf(stderr, "%s:%d: %s\n", file.c_str(), rejected[i].line, rejected[i].reason.c_str());
  if (rejected.size() > kMaxReported)
    std::fprintf(stderr, "... and %zu more rejected lines\n", rejected.size() - kMaxReported);

  Store::ListChange c;
  if (!valid.empty()) {
    Store store = open_store(t);
    c = store.list_add(list, valid, a.get_or("note", ""), "import " + file, current_actor());
  }
  std::string how = std::string(to_string(parsed->encoding)) + (parsed->csv ? " CSV" : " text");
  if (parsed->csv) how += parsed->column.empty() ? ", column " + std::to_string(parsed->column_index + 1)
                                                 : ", column '" + parsed->column + "'";
  std::printf("%s (%s): added %d, duplicates %d, rejected %zu\n", file.c_str(), how.c_str(), c.added,
              c.duplicate + repeated, rejected.size());
  return rejected.empty() ? 0 : 1;
}

}  // namespace

int cmd_list(const Context& ctx, const std::string& list, const Words& args) {
  return run_db_command(list, [&]() -> int {
    Args a(args, {"note", "column", "db"}, {"json", "csv", "bom", "utc", "help"});
    const std::string sub = a.positional().empty() ? std::string() : a.positional()[0];
    if (a.flag("help") || sub.empty()) {
      std::fputs(help_of(list).c_str(), a.flag("help") ? stdout : stderr);
      std::fputs(kUtcOption, a.flag("help") ? stdout : stderr);
      std::fputs(kDbOption, a.flag("help") ? stdout : stderr);
      return a.flag("help") ? 0 : 2;
    }
    if (sub == "add") return list_add(ctx, list, a);
    if (sub == "remove") return list_remove(ctx, list, a);
    if (sub == "list") return list_show(ctx, list, a);
    if (sub == "import") return list_import(ctx, list, a);
    throw UsageError("'" + sub + "' is not add, remove, list or import");
  });
}

}  // namespace smsctl
