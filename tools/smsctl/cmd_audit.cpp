// smsctl audit (the audit log: who did what, and every decision of the
// sending policy) and smsctl why ID (one message's state and history).
#include <cstdio>

#include "tools/smsctl/cmd_common.hpp"
#include "tools/smsctl/db_table.hpp"

namespace smsctl {

namespace {

using sms::db::Store;

constexpr const char* kAuditHelp =
    "usage: smsctl audit [--from TIME] [--to TIME] [--actor A] [--action X] [--object O]\n"
    "                    [--json|--csv] [--utc]\n"
    "\n"
    "The audit log in [--from, --to) (default: the last 7 days), oldest first: when (local\n"
    "time), who (an OS user, 'policy' for the sending policy's decisions, 'smserver' for\n"
    "opt-outs by SMS and purges), the action, its object and details. Recorded: send,\n"
    "cancel, retry, processed, approve, reject, 'whitelist add', 'blacklist remove', ...\n"
    "(list changes and imports), blocked, pending_approval, deferred, failed (policy\n"
    "decisions), optout, purge.\n"
    "  --actor A    only entries of this actor\n"
    "  --action X   only this action (e.g. approve, \"whitelist add\")\n"
    "  --object O   only this object (e.g. outbox:12, batch:3, whitelist, inbox:7)\n"
    "  --json       a JSON array (at in UTC as stored)\n"
    "  --csv        CSV with a header line (at in UTC as stored)\n"
    "  --bom        with --csv: start with a UTF-8 byte order mark (for Excel)\n";

constexpr const char* kWhyHelp =
    "usage: smsctl why ID [--utc]\n"
    "\n"
    "Why an outbox message is where it is: its status and reason (the sending policy's\n"
    "words, or the last transmission error), its kind, batch, who submitted and approved\n"
    "it, and its history from the audit log (the message's and its batch's entries), in\n"
    "local time.\n";

std::string audit_json(const Store::AuditEntry& e) {
  return "{\"id\":" + std::to_string(e.id) + ",\"at\":" + json_string(e.at) + ",\"actor\":" + json_string(e.actor) +
         ",\"action\":" + json_string(e.action) + ",\"object\":" + json_or_null(e.object) +
         ",\"details\":" + json_or_null(e.details) + "}";
}

Table audit_table(const std::vector<Store::AuditEntry>& entries, bool with_object) {
  Table t;
  t.headers = {show_utc() ? "at (UTC)" : "at", "actor", "action"};
  t.max_width = {0, 16, 20};
  if (with_object) t.headers.push_back("object"), t.max_width.push_back(20);
  t.headers.push_back("details");
  t.max_width.push_back(80);
  for (const auto& e : entries) {
    std::vector<std::string> row = {show_time(e.at), e.actor, e.action};
    if (with_object) row.push_back(e.object);
    row.push_back(e.details);
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

int cmd_audit(const Context& ctx, const Words& words) {
  return run_db_command("audit", [&]() -> int {
    Args a(words, {"from", "to", "actor", "action", "object", "db"}, {"json", "csv", "bom", "utc", "help"});
    if (a.flag("help")) {
      std::fputs(kAuditHelp, stdout);
      std::fputs(kTimeHelp, stdout);
      std::fputs(kUtcOption, stdout);
      std::fputs(kDbOption, stdout);
      return 0;
    }
    if (!a.positional().empty()) throw UsageError("audit takes no arguments (use --actor, --action, --object)");
    const Format fmt = format_of(a);
    DbTarget t = open_config(ctx, a);
    Store::AuditQuery q;
    q.from_utc = time_arg(a, "from", Bound::start, "-7d");
    q.to_utc = time_arg(a, "to", Bound::end, "");
    q.actor = a.get_or("actor", "");
    q.action = a.get_or("action", "");
    if (auto o = a.get("object")) q.objects.push_back(*o);
    Store store = open_store(t);
    auto entries = store.find_audit(q);
    if (fmt == Format::json) {
      std::string j = "[";
      for (std::size_t i = 0; i < entries.size(); ++i) j += (i ? ",\n" : "\n") + audit_json(entries[i]);
      j += entries.empty() ? "]\n" : "\n]\n";
      std::fputs(j.c_str(), stdout);
      return 0;
    }
    if (fmt == Format::csv) {
      if (a.flag("bom")) std::fputs("\xEF\xBB\xBF", stdout);
      std::fputs(csv_record({"id", "at", "actor", "action", "object", "details"}).c_str(), stdout);
      for (const auto& e : entries)
        std::fputs(csv_record({std::to_string(e.id), e.at, e.actor, e.action, e.object, e.details}).c_str(), stdout);
      return 0;
    }
    if (entries.empty()) {
      std::fprintf(stderr, "no audit entries from %s to %s (%s)\n", show_time(q.from_utc).c_str(),
                   q.to_utc.empty() ? "now" : show_time(q.to_utc).c_str(), show_utc() ? "UTC" : "local time");
      return 0;
    }
    std::fputs(audit_table(entries, true).render().c_str(), stdout);
    return 0;
  });
}

int cmd_why(const Context& ctx, const Words& words) {
  return run_db_command("why", [&]() -> int {
    Args a(words, {"db"}, {"utc", "help"});
    if (a.flag("help")) {
      std::fputs(kWhyHelp, stdout);
      std::fputs(kUtcOption, stdout);
      std::fputs(kDbOption, stdout);
      return 0;
    }
    if (a.positional().size() != 1) throw UsageError("give one outbox id");
    const std::int64_t id = id_of(a.positional()[0], "message id");
    DbTarget t = open_config(ctx, a);
    Store store = open_store(t);
    auto row = store.get_out(id);
    if (!row) {
      std::fprintf(stderr, "smsctl why: no outbox row with id %lld\n", static_cast<long long>(id));
      return 1;
    }
    const auto& r = *row;
    std::vector<std::pair<std::string, std::string>> lines;
    auto add = [&](const std::string& k, const std::string& v) {
      if (!v.empty()) lines.emplace_back(k, v);
    };
    add("status", r.status);
    add("reason", r.reason);
    add("last error", r.last_error);
    if (r.status == sms::db::kQueued && !r.send_at.empty()) add("send at", show_time(r.send_at));
    add("recipient", r.recipient_null ? "(null)" : r.recipient);
    add("text", cell_text(r.text, 60));
    add("kind", r.kind ? *r.kind : "(not set: " + std::string(sms::policy::to_string(t.policy.default_kind)) + ", the default)");
    if (r.batch) add("batch", std::to_string(r.batch));
    add("created", show_time(r.created_at) + (r.submitted_by.empty() ? "" : " by " + r.submitted_by));
    if (!r.approved_by.empty())
      add(r.status == sms::db::kRejected ? "rejected" : "approved",
          show_time(r.approved_at) + " by " + r.approved_by);
    if (!r.sent_at.empty()) add("sent", show_time(r.sent_at) + (r.sent_by.empty() ? "" : " by " + r.sent_by));
    if (!r.delivery_status.empty())
      add("delivery", r.delivery_status + (r.delivered_at.empty() ? "" : " at " + show_time(r.delivered_at)));
    if (r.attempts) add("attempts", std::to_string(r.attempts));
    std::printf("outbox %lld\n", static_cast<long long>(id));
    for (const auto& [k, v] : lines) std::printf("  %-11s %s\n", (k + ":").c_str(), v.c_str());

    Store::AuditQuery q;
    q.objects.push_back("outbox:" + std::to_string(id));
    if (r.batch) q.objects.push_back("batch:" + std::to_string(r.batch));
    auto history = store.find_audit(q);
    if (history.empty()) {
      std::puts("history: nothing in the audit log");
      return 0;
    }
    std::puts("history:");
    Table tab = audit_table(history, r.batch != 0);
    std::string text = tab.render();
    // Indent the table under "history:".
    std::string indented = "  ";
    for (char c : text) {
      indented += c;
      if (c == '\n') indented += "  ";
    }
    if (indented.size() >= 2 && indented.compare(indented.size() - 2, 2, "  ") == 0) indented.resize(indented.size() - 2);
    std::fputs(indented.c_str(), stdout);
    return 0;
  });
}

}  // namespace smsctl
