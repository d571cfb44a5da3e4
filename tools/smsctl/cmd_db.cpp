// Database commands of smsctl: send, in, out, processed, cancel, retry,
// status, stats. They open the database named by the config file (or --db)
// with their own connection, like any other program writing to the outbox.
#include <sqlite3.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "db/store.hpp"
#include "modem/pdu/pdu.hpp"
#include "src/policy/kinds.hpp"
#include "tools/smsctl/actor.hpp"
#include "tools/smsctl/args.hpp"
#include "tools/smsctl/cmd_common.hpp"
#include "tools/smsctl/commands.hpp"
#include "tools/smsctl/db_open.hpp"
#include "tools/smsctl/db_table.hpp"
#include "tools/smsctl/db_time.hpp"

namespace smsctl {

namespace {

using sms::db::Store;

Store open_store(const Context& ctx, const Args& a, DbTarget* target_out = nullptr) {
  DbTarget t = open_config(ctx, a);
  if (target_out) *target_out = t;
  return smsctl::open_store(t);
}

// ---------------------------------------------------------------- send ----

constexpr const char* kSendHelp =
    "usage: smsctl send --to NUMBER [options] TEXT...\n"
    "       smsctl send --file recipients.csv [options] TEXT...\n"
    "\n"
    "Queue a message in the outbox; the running smserver sends it. Prints the new id\n"
    "(with several recipients: how many were queued, their ids and the batch). TEXT '-'\n"
    "reads the text from stdin.\n"
    "\n"
    "  --to NUMBER      recipient: +8613800138000, 10086 (spaces and dashes are ignored);\n"
    "                   several: --to A,B,C (they form one batch, like --file)\n"
    "  --file FILE      one recipient per line, or the first column of a CSV file; a header\n"
    "                   line and lines starting with # are skipped; '-' reads stdin. All rows\n"
    "                   are queued in one transaction; any bad number stops the whole file\n"
    "                   (reported with its line number) unless --skip-bad is given\n"
    "  --skip-bad       with --file: queue the good numbers, report the bad ones\n"
    "  --at TIME        send at this time instead of now\n"
    "  --priority N     higher is sent first (default 0)\n"
    "  --srr            request a delivery (status) report\n"
    "  --flash          flash message (class 0: shown, not stored, by the phone)\n"
    "  --validity MIN   validity period in minutes (the network gives up after it)\n"
    "  --modem ID       send through this modem only\n"
    "  --ref TEXT       your own reference, stored in outbox.ref\n"
    "  --kind KIND      notice (codes, reminders, alarms) or bulk (marketing, announcements,\n"
    "                   greetings); default: the policy's defaultKind. The sending policy\n"
    "                   decides per kind (smsctl policy check shows what it would do)\n"
    "  --note TEXT      with several recipients: the batch's note\n"
    "\n"
    "Several recipients (--to A,B,C or --file) go into one new batch; it prints\n"
    "\"queued N message(s), ids A-B, batch B\". Rows carry submitted_by = you (the OS user;\n"
    "under sudo, SUDO_USER), and the send is recorded in the audit log.\n";

struct FileRecipients {
  std::vector<std::pair<int, std::string>> numbers;   // line, number
  std::vector<std::string> errors;
};

// The first field of a CSV line (RFC 4180 quoting; ',' ';' or TAB separate).
std::string first_field(std::string_view line) {
  if (!line.empty() && line.front() == '"') {
    std::string out;
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          out += '"';
          ++i;
        } else {
          break;
        }
      } else {
        out += line[i];
      }
    }
    return out;
  }
  return std::string(line.substr(0, line.find_first_of(",;\t")));
}

std::string trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

FileRecipients read_recipients(const std::string& file, bool progress) {
  std::ifstream f;
  std::istream* in = &std::cin;
  if (file != "-") {
    f.open(file);
    if (!f) throw std::runtime_error("cannot read " + file);
    in = &f;
  }
  FileRecipients out;
  std::string line;
  int n = 0;
  bool first_content = true;
  while (std::getline(*in, line)) {
    ++n;
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);   // a spreadsheet's UTF-8 BOM
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    std::string number = trim(first_field(t));
    auto addr = sms::pdu::parse_destination(number);
    if (first_content) {
      first_content = false;
      // A header ("phone,name") has letters where a number would be.
      bool letters = number.find_first_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos;
      if (!addr && letters) continue;
    }
    if (addr)
      out.numbers.emplace_back(n, addr->number);
    else
      out.errors.push_back(file + ":" + std::to_string(n) + ": '" + number + "': " + addr.error());
    if (progress && n % 1000 == 0) std::fprintf(stderr, "\rreading %s: %d lines", file.c_str(), n);
  }
  if (progress && n >= 1000) std::fputs("\r\033[K", stderr);
  return out;
}

// "--to A,B,C": each number checked like one --to.
std::vector<std::string> to_numbers(const std::string& to) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= to.size()) {
    std::size_t comma = to.find(',', pos);
    std::string one = trim(to.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
    pos = comma == std::string::npos ? to.size() + 1 : comma + 1;
    if (one.empty()) {
      if (comma == std::string::npos && !out.empty()) break;   // a trailing comma
      throw UsageError("--to '" + to + "': an empty number in the list");
    }
    auto addr = sms::pdu::parse_destination(one);
    if (!addr) throw UsageError("--to '" + one + "': " + addr.error());
    out.push_back(addr->number);
  }
  return out;
}

int cmd_send(const Context& ctx, const Words& words) {
  Args a(words, {"to", "file", "at", "priority", "modem", "ref", "validity", "kind", "note", "db"},
         {"srr", "flash", "skip-bad", "utc", "help"});
  if (a.flag("help")) {
    std::fputs(kSendHelp, stdout);
    std::fputs(kTimeHelp, stdout);
    std::fputs(kUtcOption, stdout);
    std::fputs(kDbOption, stdout);
    return 0;
  }
  auto to = a.get("to");
  auto file = a.get("file");
  if (!to && !file) throw UsageError("say who gets it: --to NUMBER or --file FILE");
  if (to && file) throw UsageError("--to and --file cannot be combined");
  std::optional<std::string> kind = a.get("kind");
  if (kind && !sms::policy::parse_kind(*kind)) throw UsageError("--kind '" + *kind + "' is not notice or bulk");

  std::string text;
  if (a.positional().size() == 1 && a.positional()[0] == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    text = ss.str();
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (!text.empty() && text.back() == '\r') text.pop_back();
  } else {
    text = join(a.positional());
  }
  if (text.empty()) throw UsageError("no text given (the message text follows the options)");

  // The configuration first: it sets the local time --at is read in.
  DbTarget target = open_config(ctx, a);
  const std::string actor = current_actor();
  sms::db::OutRow row;
  row.text = text;
  row.priority = static_cast<int>(a.get_int("priority", -1000000, 1000000).value_or(0));
  row.send_at = time_arg(a, "at", Bound::start, "");
  row.modem = a.get_or("modem", "");
  row.ref = a.get_or("ref", "");
  row.status_report = a.flag("srr");
  row.flash = a.flag("flash");
  row.kind = kind;
  row.submitted_by = actor;
  // 23.040 9.2.3.12.1: the relative format reaches 63 weeks.
  if (auto v = a.get_int("validity", 5, 63 * 7 * 24 * 60)) row.validity_minutes = static_cast<int>(*v);
  std::vector<std::string> numbers;
  if (to) numbers = to_numbers(*to);

  // Validate before touching the database, as the server would at claim time.
  auto count = sms::pdu::count_text(text);
  if (!count) {
    std::fprintf(stderr, "smsctl send: the text is not valid UTF-8: %s\n", count.error().c_str());
    return 1;
  }
  if (count->parts > target.max_parts) {
    std::fprintf(stderr, "smsctl send: the text needs %d parts (%d %s units); the limit is %d parts\n",
                 count->parts, count->units, std::string(sms::pdu::to_string(count->encoding)).c_str(),
                 target.max_parts);
    return 1;
  }
  const std::string details = std::string("kind ") + (kind ? *kind : "default") + ": " + text_excerpt(text);

  if (numbers.size() == 1) {
    row.recipient = numbers[0];
    Store store = smsctl::open_store(target);
    const std::int64_t id = store.enqueue(row);
    store.audit(actor, "send", "outbox:" + std::to_string(id), "to " + row.recipient + ", " + details);
    std::printf("%lld\n", static_cast<long long>(id));
    return 0;
  }

  const bool progress = isatty(2);
  FileRecipients r;
  if (file) {
    r = read_recipients(*file, progress);
  } else {
    for (const auto& n : numbers) r.numbers.emplace_back(0, n);
  }
  for (std::size_t i = 0; i < r.errors.size() && i < 50; ++i) std::fprintf(stderr, "%s\n", r.errors[i].c_str());
  if (r.errors.size() > 50) std::fprintf(stderr, "... and %zu more bad numbers\n", r.errors.size() - 50);
  if (!r.errors.empty() && !a.flag("skip-bad")) {
    std::fprintf(stderr, "smsctl send: %zu bad number(s) in %s; nothing was queued (fix them or use --skip-bad)\n",
                 r.errors.size(), file->c_str());
    return 1;
  }
  if (r.numbers.empty()) {
    std::fprintf(stderr, "smsctl send: no recipients in %s\n", file->c_str());
    return 1;
  }
  Store store = smsctl::open_store(target);
  // Several recipients: one batch (approval and reports work on it).
  row.batch = store.create_batch(actor, kind.value_or(""), a.get_or("note", ""));
  std::vector<sms::db::OutRow> rows(r.numbers.size(), row);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i].recipient = r.numbers[i].second;
  const std::size_t total = rows.size();
  auto ids = store.enqueue_many(rows, [&](std::size_t done) {
    if (progress) std::fprintf(stderr, "\rqueueing: %zu/%zu", done, total);
  });
  if (progress) std::fputs("\r\033[K", stderr);
  store.audit(actor, "send", "batch:" + std::to_string(row.batch),
              std::to_string(ids.size()) + " message(s), outbox " + std::to_string(ids.front()) + "-" +
                  std::to_string(ids.back()) + (file ? " from " + *file : std::string()) + ", " + details);
  std::printf("queued %zu message(s), ids %lld-%lld, batch %lld\n", ids.size(), static_cast<long long>(ids.front()),
              static_cast<long long>(ids.back()), static_cast<long long>(row.batch));
  return r.errors.empty() ? 0 : 1;
}

// ------------------------------------------------------------- in / out ----

constexpr const char* kOutHelp =
    "usage: smsctl out [--from TIME] [--to TIME] [--status S] [--json|--csv]\n"
    "\n"
    "Outbox messages created in [--from, --to) (default: the last 24 hours).\n"
    "  --status S   only this status: queued, sending, sent, delivered, undelivered,\n"
    "               failed, cancelled, unknown, blocked, pending_approval, rejected, held\n"
    "  --json       a JSON array of objects with the outbox column names\n"
    "  --csv        CSV with a header line (RFC 4180)\n"
    "  --bom        with --csv: start with a UTF-8 byte order mark (for Excel)\n";

const char* const kOutColumns[] = {"id", "recipient", "text", "priority", "send_at", "modem", "status_report",
                                   "flash", "validity_minutes", "ref", "status", "created_at", "updated_at",
                                   "sent_at", "attempts", "last_error", "parts", "sent_by", "claimed_by",
                                   "handed", "delivery_status", "delivered_at", "refs", "concat_ref",
                                   "resume_part", "kind", "batch", "submitted_by", "approved_by",
                                   "approved_at", "reason"};

std::vector<std::string> out_fields(const sms::db::OutRow& r) {
  return {std::to_string(r.id), r.recipient, r.text, std::to_string(r.priority), r.send_at, r.modem,
          r.status_report ? "1" : "0", r.flash ? "1" : "0",
          r.validity_minutes ? std::to_string(*r.validity_minutes) : "", r.ref, r.status, r.created_at,
          r.updated_at, r.sent_at, std::to_string(r.attempts), r.last_error, std::to_string(r.parts), r.sent_by,
          r.claimed_by, r.handed ? "1" : "0", r.delivery_status, r.delivered_at, r.refs,
          r.concat_ref ? std::to_string(*r.concat_ref) : "", r.resume_part ? std::to_string(r.resume_part) : "",
          r.kind.value_or(""), r.batch ? std::to_string(r.batch) : "", r.submitted_by, r.approved_by, r.approved_at,
          r.reason};
}

std::string out_json(const sms::db::OutRow& r) {
  std::string j = "{";
  j += "\"id\":" + std::to_string(r.id);
  j += ",\"recipient\":" + (r.recipient_null ? std::string("null") : json_string(r.recipient));
  j += ",\"text\":" + (r.text_null ? std::string("null") : json_string(r.text));
  j += ",\"priority\":" + std::to_string(r.priority);
  j += ",\"send_at\":" + json_or_null(r.send_at);
  j += ",\"modem\":" + json_or_null(r.modem);
  j += std::string(",\"status_report\":") + (r.status_report ? "1" : "0");
  j += std::string(",\"flash\":") + (r.flash ? "1" : "0");
  j += ",\"validity_minutes\":" + (r.validity_minutes ? std::to_string(*r.validity_minutes) : std::string("null"));
  j += ",\"ref\":" + json_or_null(r.ref);
  j += ",\"status\":" + json_string(r.status);
  j += ",\"created_at\":" + json_or_null(r.created_at);
  j += ",\"updated_at\":" + json_or_null(r.updated_at);
  j += ",\"sent_at\":" + json_or_null(r.sent_at);
  j += ",\"attempts\":" + std::to_string(r.attempts);
  j += ",\"last_error\":" + json_or_null(r.last_error);
  j += ",\"parts\":" + std::to_string(r.parts);
  j += ",\"sent_by\":" + json_or_null(r.sent_by);
  j += ",\"claimed_by\":" + json_or_null(r.claimed_by);
  j += std::string(",\"handed\":") + (r.handed ? "1" : "0");
  j += ",\"delivery_status\":" + json_or_null(r.delivery_status);
  j += ",\"delivered_at\":" + json_or_null(r.delivered_at);
  j += ",\"refs\":" + json_or_null(r.refs);
  j += ",\"concat_ref\":" + (r.concat_ref ? std::to_string(*r.concat_ref) : std::string("null"));
  j += ",\"resume_part\":" + (r.resume_part ? std::to_string(r.resume_part) : std::string("null"));
  j += ",\"kind\":" + (r.kind ? json_string(*r.kind) : std::string("null"));
  j += ",\"batch\":" + (r.batch ? std::to_string(r.batch) : std::string("null"));
  j += ",\"submitted_by\":" + json_or_null(r.submitted_by);
  j += ",\"approved_by\":" + json_or_null(r.approved_by);
  j += ",\"approved_at\":" + json_or_null(r.approved_at);
  j += ",\"reason\":" + json_or_null(r.reason);
  return j + "}";
}

// A stored time in a table: local time, or UTC with Z under --utc.
std::string short_time(const std::string& t) { return show_time(t); }

// The zone the tables' times are in, for "nothing found" messages.
std::string zone_words() { return show_utc() ? "UTC" : "local time"; }

// A range for messages: the UTC bounds shown as the user reads them.
std::string range_words(const std::string& from, const std::string& to) {
  return show_time(from) + " to " + (to.empty() ? std::string("now") : show_time(to)) + " (" + zone_words() + ")";
}

// What `smsctl in` and `smsctl out` share: --help, the output format and the
// [--from, --to) range; the caller prints the rows in that format.
struct Listing {
  Format fmt = Format::table;
  std::string from, to;
  bool bom = false;
};

// nullopt: --help was asked for and printed.
std::optional<Listing> listing_of(const Context& ctx, const Args& a, const char* help) {
  if (a.flag("help")) {
    std::fputs(help, stdout);
    std::fputs(kTimeHelp, stdout);
    std::fputs(kUtcOption, stdout);
    std::fputs(kDbOption, stdout);
    return std::nullopt;
  }
  Listing l;
  l.fmt = format_of(a);
  open_config(ctx, a);   // the local time TIME options are read in
  l.from = time_arg(a, "from", Bound::start, "-24h");
  l.to = time_arg(a, "to", Bound::end, "");
  l.bom = a.flag("bom");
  return l;
}

// Prints rows in the chosen machine format; returns false for Format::table
// (the caller draws its own table).
template <typename Row, typename ToJson, typename ToFields>
bool print_machine(const Listing& l, const std::vector<Row>& rows, const std::vector<std::string>& columns,
                   ToJson to_json, ToFields to_fields) {
  if (l.fmt == Format::json) {
    std::string out = "[";
    for (std::size_t i = 0; i < rows.size(); ++i) out += (i ? ",\n" : "\n") + to_json(rows[i]);
    out += rows.empty() ? "]\n" : "\n]\n";
    std::fputs(out.c_str(), stdout);
    return true;
  }
  if (l.fmt == Format::csv) {
    if (l.bom) std::fputs("\xEF\xBB\xBF", stdout);
    std::fputs(csv_record(columns).c_str(), stdout);
    for (const auto& r : rows) std::fputs(csv_record(to_fields(r)).c_str(), stdout);
    return true;
  }
  return false;
}

int cmd_out(const Context& ctx, const Words& words) {
  Args a(words, {"from", "to", "status", "db"}, {"json", "csv", "bom", "utc", "help"});
  auto l = listing_of(ctx, a, kOutHelp);
  if (!l) return 0;
  std::string status = a.get_or("status", "");
  if (!status.empty()) {
    bool known = false;
    for (auto s : {sms::db::kQueued, sms::db::kSending, sms::db::kSent, sms::db::kDelivered, sms::db::kUndelivered,
                   sms::db::kFailed, sms::db::kCancelled, sms::db::kUnknown, sms::db::kBlocked,
                   sms::db::kPendingApproval, sms::db::kRejected, sms::db::kHeld})
      known = known || s == status;
    if (!known)
      throw UsageError("--status '" + status +
                       "' is not one of queued, sending, sent, delivered, undelivered, failed, cancelled, unknown, "
                       "blocked, pending_approval, rejected, held");
  }
  Store store = open_store(ctx, a);
  auto rows = store.find_out(l->from, l->to, status);
  if (print_machine(*l, rows, std::vector<std::string>(std::begin(kOutColumns), std::end(kOutColumns)), out_json,
                    out_fields))
    return 0;
  if (rows.empty()) {
    std::fprintf(stderr, "no outbox messages created from %s\n", range_words(l->from, l->to).c_str());
    return 0;
  }
  Table t;
  t.headers = {"id", show_utc() ? "created (UTC)" : "created", "recipient", "status", "prio", "parts", "tries",
               "modem", "text", "note"};
  t.max_width = {0, 0, 20, 0, 0, 0, 0, 10, 40, 50};
  t.right_align = {true, false, false, false, true, true, true, false, false, false};
  for (const auto& r : rows) {
    std::string note = !r.reason.empty() ? r.reason : !r.last_error.empty() ? r.last_error : r.delivery_status;
    if (r.status == sms::db::kQueued && !r.send_at.empty())
      note = "at " + short_time(r.send_at) + (note.empty() ? "" : "; " + note);
    t.rows.push_back({std::to_string(r.id), short_time(r.created_at), r.recipient_null ? "(null)" : r.recipient,
                      r.status, std::to_string(r.priority), std::to_string(r.parts), std::to_string(r.attempts),
                      r.sent_by.empty() ? r.claimed_by : r.sent_by, r.text, note});
  }
  std::fputs(t.render().c_str(), stdout);
  return 0;
}

constexpr const char* kInHelp =
    "usage: smsctl in [--from TIME] [--to TIME] [--unprocessed] [--json|--csv]\n"
    "\n"
    "Received messages whose SMSC time is in [--from, --to) (default: the last 24 hours).\n"
    "  --unprocessed  only messages not yet marked processed\n"
    "  --json         a JSON array of objects with the inbox column names\n"
    "  --csv          CSV with a header line (RFC 4180)\n"
    "  --bom          with --csv: start with a UTF-8 byte order mark (for Excel)\n";

const std::vector<std::string> kInColumns = {"id",    "sender", "text",      "received_at", "stored_at", "modem",
                                             "smsc",  "parts",  "processed", "partial",     "pdus",
                                             "truncated"};

std::string in_json(const sms::db::InRow& r) {
  return "{\"id\":" + std::to_string(r.id) + ",\"sender\":" + json_string(r.sender) +
         ",\"text\":" + json_string(r.text) + ",\"received_at\":" + json_or_null(r.received_at) +
         ",\"stored_at\":" + json_or_null(r.stored_at) + ",\"modem\":" + json_or_null(r.modem) +
         ",\"smsc\":" + json_or_null(r.smsc) + ",\"parts\":" + std::to_string(r.parts) +
         ",\"processed\":" + (r.processed ? "1" : "0") + ",\"partial\":" + (r.partial ? "1" : "0") +
         ",\"pdus\":" + json_or_null(r.pdus) + ",\"truncated\":" + (r.truncated ? "1" : "0") + "}";
}

std::vector<std::string> in_fields(const sms::db::InRow& r) {
  return {std::to_string(r.id), r.sender, r.text, r.received_at, r.stored_at, r.modem, r.smsc,
          std::to_string(r.parts), r.processed ? "1" : "0", r.partial ? "1" : "0", r.pdus,
          r.truncated ? "1" : "0"};
}

int cmd_in(const Context& ctx, const Words& words) {
  Args a(words, {"from", "to", "db"}, {"json", "csv", "bom", "unprocessed", "utc", "help"});
  auto l = listing_of(ctx, a, kInHelp);
  if (!l) return 0;
  Store store = open_store(ctx, a);
  auto rows = store.find_in(l->from, l->to, a.flag("unprocessed"));
  if (print_machine(*l, rows, kInColumns, in_json, in_fields)) return 0;
  if (rows.empty()) {
    std::fprintf(stderr, "no received messages from %s\n", range_words(l->from, l->to).c_str());
    return 0;
  }
  Table t;
  t.headers = {"id", show_utc() ? "received (UTC)" : "received", "sender", "text", "parts", "done", "modem"};
  t.max_width = {0, 0, 20, 60, 0, 0, 10};
  t.right_align = {true, false, false, false, true, false, false};
  for (const auto& r : rows)
    t.rows.push_back({std::to_string(r.id), short_time(r.received_at), r.sender, r.text,
                      std::to_string(r.parts) + (r.partial ? " partial" : "") + (r.truncated ? " truncated" : ""),
                      r.processed ? "yes" : "no", r.modem});
  std::fputs(t.render().c_str(), stdout);
  return 0;
}

// ------------------------------------------- processed / cancel / retry ----

// Applies act to each id in turn: "ID DONE" on stdout for each success,
// "smsctl CMD: ID: why" on stderr for each failure; exit status 1 if any failed.
int for_each_id(const std::string& cmd, const std::vector<std::int64_t>& ids, const char* done,
                const std::function<bool(std::int64_t, std::string&)>& act) {
  int rc = 0;
  for (auto id : ids) {
    std::string why;
    if (act(id, why)) {
      std::printf("%lld %s\n", static_cast<long long>(id), done);
    } else {
      std::fprintf(stderr, "smsctl %s: %lld: %s\n", cmd.c_str(), static_cast<long long>(id), why.c_str());
      rc = 1;
    }
  }
  return rc;
}

int cmd_processed(const Context& ctx, const Words& words) {
  Args a(words, {"db"}, {"undo", "utc", "help"});
  if (a.flag("help")) {
    std::fputs("usage: smsctl processed [--undo] ID...\n\n"
               "Mark received messages (inbox ids) processed; --undo marks them unprocessed again.\n",
               stdout);
    std::fputs(kDbOption, stdout);
    return 0;
  }
  auto ids = ids_of(a.positional());
  Store store = open_store(ctx, a);
  const bool undo = a.flag("undo");
  const std::string actor = current_actor();
  return for_each_id("processed", ids, undo ? "unprocessed" : "processed", [&](std::int64_t id, std::string& why) {
    if (store.set_processed(id, !undo)) {
      store.audit(actor, "processed", "inbox:" + std::to_string(id), undo ? "marked unprocessed" : "marked processed");
      return true;
    }
    why = "no inbox message with this id";
    return false;
  });
}

int cmd_cancel_retry(const Context& ctx, const std::string& name, const Words& words) {
  const bool retry = name == "retry";
  Args a(words, {"db"}, retry ? std::set<std::string>{"whole", "utc", "help"} : std::set<std::string>{"utc", "help"});
  if (a.flag("help")) {
    if (!retry)
      std::fputs("usage: smsctl cancel ID...\n\n"
                 "Cancel outbox messages that are queued, unknown or failed. A message a modem is\n"
                 "sending right now cannot be cancelled.\n",
                 stdout);
    else
      std::fputs("usage: smsctl retry [--whole] ID...\n\n"
                 "Queue unknown, failed or cancelled outbox messages again (attempts start over).\n"
                 "For 'unknown' messages, first check that the recipient did not get it.\n"
                 "A long message of which only some parts went out (its refs list fewer\n"
                 "references than it has parts) is completed: only the missing parts are sent,\n"
                 "through the modem that sent the others and with the same concatenation\n"
                 "reference, so the recipient's phone joins them. That modem must be ready.\n"
                 "  --whole   send every part again instead (the recipient may see some twice)\n",
                 stdout);
    std::fputs(kDbOption, stdout);
    return 0;
  }
  auto ids = ids_of(a.positional());
  Store store = open_store(ctx, a);
  const auto mode = a.flag("whole") ? Store::RetryMode::whole : Store::RetryMode::resume;
  const std::string actor = current_actor();
  return for_each_id(name, ids, retry ? "queued" : "cancelled", [&](std::int64_t id, std::string& why) {
    const std::string object = "outbox:" + std::to_string(id);
    if (!retry) {
      if (!store.cancel(id, &why)) return false;
      store.audit(actor, "cancel", object, "");
      return true;
    }
    if (!store.retry(id, &why, mode)) return false;
    store.audit(actor, "retry", object, mode == Store::RetryMode::whole ? "every part again" : "");
    // Say what will happen when only some parts go out.
    if (auto row = store.get_out(id); row && row->resume_part > 0)
      std::fprintf(stdout, "%lld: %s\n", static_cast<long long>(id), row->last_error.c_str());
    return true;
  });
}

// ------------------------------------------------------ status / stats ----

int cmd_status(const Context& ctx, const Words& words) {
  Args a(words, {"db"}, {"json", "utc", "help"});
  if (a.flag("help")) {
    std::fputs("usage: smsctl status [--json] [--utc]\n\n"
               "The modems (state, operator, signal, counters, last error) and the queue.\n"
               "Times are local (the config's <smserver timezone>, else the system's); --json keeps\n"
               "the database's UTC text.\n",
               stdout);
    std::fputs(kUtcOption, stdout);
    std::fputs(kDbOption, stdout);
    return 0;
  }
  Store store = open_store(ctx, a);
  auto modems = store.modems();
  // Counts per status: a plain scan, fine for an admin command.
  std::vector<std::pair<std::string, long long>> counts;
  {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(store.handle(), "SELECT status, count(*) FROM outbox GROUP BY status ORDER BY status", -1,
                           &st, nullptr) == SQLITE_OK) {
      while (sqlite3_step(st) == SQLITE_ROW)
        counts.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), sqlite3_column_int64(st, 1));
    }
    sqlite3_finalize(st);
  }
  const auto depth = store.queue_depth();
  const std::string next_due = store.next_due_time();
  if (a.flag("json")) {
    std::string j = "{\"modems\":[";
    for (std::size_t i = 0; i < modems.size(); ++i) {
      const auto& m = modems[i];
      j += i ? ",\n" : "\n";
      j += "{\"id\":" + json_string(m.id) + ",\"port\":" + json_or_null(m.port) + ",\"state\":" + json_or_null(m.state) +
           ",\"manufacturer\":" + json_or_null(m.manufacturer) + ",\"model\":" + json_or_null(m.model) +
           ",\"revision\":" + json_or_null(m.revision) + ",\"imei\":" + json_or_null(m.imei) +
           ",\"imsi\":" + json_or_null(m.imsi) + ",\"operator\":" + json_or_null(m.operator_name) +
           ",\"signal_dbm\":" + (m.signal_dbm ? std::to_string(*m.signal_dbm) : std::string("null")) +
           ",\"smsc\":" + json_or_null(m.smsc) + ",\"last_seen\":" + json_or_null(m.last_seen) +
           ",\"last_error\":" + json_or_null(m.last_error) + ",\"sent\":" + std::to_string(m.sent) +
           ",\"failed\":" + std::to_string(m.failed) + ",\"received\":" + std::to_string(m.received) + "}";
    }
    j += modems.empty() ? "]" : "\n]";
    j += ",\"queue_depth\":" + std::to_string(depth) + ",\"next_due\":" + json_or_null(next_due) + ",\"outbox\":{";
    for (std::size_t i = 0; i < counts.size(); ++i)
      j += (i ? "," : "") + json_string(counts[i].first) + ":" + std::to_string(counts[i].second);
    j += "}}\n";
    std::fputs(j.c_str(), stdout);
    return 0;
  }
  if (modems.empty()) {
    std::puts("no modems have reported yet (is smserver running?)");
  } else {
    Table t;
    t.headers = {"modem",  "state", "operator", "signal", "sent", "failed", "recv", show_utc() ? "last seen (UTC)" : "last seen",
                 "port", "last error"};
    t.max_width = {0, 0, 20, 0, 0, 0, 0, 0, 24, 50};
    t.right_align = {false, false, false, true, true, true, true, false, false, false};
    for (const auto& m : modems)
      t.rows.push_back({m.id, m.state, m.operator_name, m.signal_dbm ? std::to_string(*m.signal_dbm) + " dBm" : "",
                        std::to_string(m.sent), std::to_string(m.failed), std::to_string(m.received),
                        short_time(m.last_seen), m.port, m.last_error});
    std::fputs(t.render().c_str(), stdout);
  }
  std::printf("\nqueue: %lld to send (queued + sending)", static_cast<long long>(depth));
  if (!next_due.empty()) std::printf("; next scheduled at %s", short_time(next_due).c_str());
  std::puts("");
  if (!counts.empty()) {
    std::string line = "outbox:";
    for (const auto& [s, n] : counts) line += " " + s + " " + std::to_string(n) + ",";
    line.pop_back();
    std::puts(line.c_str());
  }
  return 0;
}

std::string percent(std::int64_t good, std::int64_t all) {
  if (all <= 0) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(good) / static_cast<double>(all));
  return buf;
}

std::string ratio_json(std::int64_t good, std::int64_t all) {
  if (all <= 0) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", static_cast<double>(good) / static_cast<double>(all));
  return buf;
}

// Store::stats groups by UTC day; a person counts local days. A UTC day
// overlaps at most two local days: each local day that overlaps a UTC day
// with counted rows is asked for with its own local bounds (inside [from, to)).
std::vector<sms::db::Stats> stats_by_local_day(Store& store, const std::string& from, const std::string& to) {
  std::set<std::string> days;
  for (const auto& s : store.stats(from, to, "day")) {
    auto t = parse_db_time(s.key + " 00:00:00");
    if (!t) continue;
    days.insert(format_local(*t).substr(0, 10));
    days.insert(format_local(*t + 86399).substr(0, 10));
  }
  std::vector<sms::db::Stats> out;
  const std::time_t now = std::time(nullptr);
  for (const auto& day : days) {
    auto start = parse_time(day, now, Bound::start);
    auto end = parse_time(day, now, Bound::end);
    if (!start || !end) continue;
    std::string lo = *start, hi = *end;
    if (!from.empty() && from > lo) lo = from;
    if (!to.empty() && to < hi) hi = to;
    if (lo >= hi) continue;
    auto total = store.stats(lo, hi, "");
    if (total.empty()) continue;
    sms::db::Stats s = total.front();
    if (s.sent + s.failed + s.delivered + s.undelivered + s.received == 0) continue;
    s.key = day;
    out.push_back(s);
  }
  return out;
}

int cmd_stats(const Context& ctx, const Words& words) {
  Args a(words, {"from", "to", "by", "db"}, {"json", "utc", "help"});
  if (a.flag("help")) {
    std::fputs("usage: smsctl stats [--from TIME] [--to TIME] [--by day|modem] [--json] [--utc]\n\n"
               "Messages sent (accepted by the network), delivered and undelivered (from status\n"
               "reports), failed, and received, in [--from, --to) (default: everything).\n"
               "success = sent / (sent + failed); delivery = delivered / (delivered + undelivered).\n"
               "--by day counts local days (the config's <smserver timezone>, else the system's;\n"
               "UTC days with --utc).\n",
               stdout);
    std::fputs(kTimeHelp, stdout);
    std::fputs(kUtcOption, stdout);
    std::fputs(kDbOption, stdout);
    return 0;
  }
  std::string by = a.get_or("by", "");
  if (!by.empty() && by != "day" && by != "modem") throw UsageError("--by '" + by + "' is not day or modem");
  Store store = open_store(ctx, a);
  std::string from = time_arg(a, "from", Bound::start, "");
  std::string to = time_arg(a, "to", Bound::end, "");
  auto rows = by == "day" ? stats_by_local_day(store, from, to) : store.stats(from, to, by);
  if (a.flag("json")) {
    std::string j = "[";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& s = rows[i];
      j += i ? ",\n" : "\n";
      j += "{";
      if (!by.empty()) j += json_string(by) + ":" + json_string(s.key) + ",";
      j += "\"sent\":" + std::to_string(s.sent) + ",\"delivered\":" + std::to_string(s.delivered) +
           ",\"undelivered\":" + std::to_string(s.undelivered) + ",\"failed\":" + std::to_string(s.failed) +
           ",\"received\":" + std::to_string(s.received) + ",\"success_rate\":" + ratio_json(s.sent, s.sent + s.failed) +
           ",\"delivery_rate\":" + ratio_json(s.delivered, s.delivered + s.undelivered) + "}";
    }
    j += rows.empty() ? "]\n" : "\n]\n";
    std::fputs(j.c_str(), stdout);
    return 0;
  }
  Table t;
  t.headers = {by.empty() ? "" : by, "sent", "delivered", "undelivered", "failed", "received", "success", "delivery"};
  t.right_align = {false, true, true, true, true, true, true, true};
  std::int64_t sent = 0, delivered = 0, undelivered = 0, failed = 0, received = 0;
  for (const auto& s : rows) {
    t.rows.push_back({by.empty() ? "total" : (s.key.empty() ? "(none)" : s.key), std::to_string(s.sent),
                      std::to_string(s.delivered), std::to_string(s.undelivered), std::to_string(s.failed),
                      std::to_string(s.received), percent(s.sent, s.sent + s.failed),
                      percent(s.delivered, s.delivered + s.undelivered)});
    sent += s.sent, delivered += s.delivered, undelivered += s.undelivered, failed += s.failed, received += s.received;
  }
  if (!by.empty() && rows.size() != 1)
    t.rows.push_back({"total", std::to_string(sent), std::to_string(delivered), std::to_string(undelivered),
                      std::to_string(failed), std::to_string(received), percent(sent, sent + failed),
                      percent(delivered, delivered + undelivered)});
  std::fputs(t.render().c_str(), stdout);
  return 0;
}

}  // namespace

int cmd_db(const Context& ctx, const std::string& name, const Words& args) {
  return run_db_command(name, [&]() -> int {
    if (name == "send") return cmd_send(ctx, args);
    if (name == "out") return cmd_out(ctx, args);
    if (name == "in") return cmd_in(ctx, args);
    if (name == "processed") return cmd_processed(ctx, args);
    if (name == "cancel" || name == "retry") return cmd_cancel_retry(ctx, name, args);
    if (name == "status") return cmd_status(ctx, args);
    if (name == "stats") return cmd_stats(ctx, args);
    std::fprintf(stderr, "smsctl: unknown database command '%s'\n", name.c_str());
    return 2;
  });
}

}  // namespace smsctl
