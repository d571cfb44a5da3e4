// smsctl pending, approve, reject: the approval (审批) of messages the
// sending policy holds in 'pending_approval' (<approval kinds minRecipients
// fourEyes>). The store checks each id and writes one audit entry per
// changed message; smsctl only chooses the ids and reports.
#include <cstdio>
#include <map>

#include "tools/smsctl/actor.hpp"
#include "tools/smsctl/cmd_common.hpp"
#include "tools/smsctl/db_table.hpp"

namespace smsctl {

namespace {

using sms::db::Store;

constexpr const char* kPendingHelp =
    "usage: smsctl pending [--json] [--utc]\n"
    "\n"
    "Messages waiting for approval, one line per batch and submitter: the batch, who\n"
    "submitted it, its kind, how many messages, their ids, since when (local time) and\n"
    "the first text. Approve or reject them with smsctl approve / smsctl reject.\n"
    "  --json   a JSON array of groups (since in UTC as stored)\n";

constexpr const char* kApproveHelp =
    "usage: smsctl approve ID... [--note TEXT]\n"
    "       smsctl approve --batch B [--note TEXT]\n"
    "\n"
    "Approve messages waiting for approval (outbox ids, or every waiting message of a\n"
    "batch): they are queued and the policy's other rules still apply. With\n"
    "<approval fourEyes=\"true\"> you may not approve what you submitted yourself. You are\n"
    "the OS user running smsctl (under sudo: SUDO_USER). Each refused id is printed with\n"
    "the reason (exit 1 if any). Recorded in the audit log.\n";

constexpr const char* kRejectHelp =
    "usage: smsctl reject ID... --note TEXT\n"
    "       smsctl reject --batch B --note TEXT\n"
    "\n"
    "Reject messages waiting for approval: they become 'rejected' and are never sent; the\n"
    "note (required) is kept as their reason. Each refused id is printed with the reason\n"
    "(exit 1 if any). Recorded in the audit log.\n";

struct Group {
  std::int64_t batch = 0;
  std::string submitter, kind, since, text;
  std::vector<std::int64_t> ids;
};

std::string id_ranges(const std::vector<std::int64_t>& ids, std::size_t max_chars = 40) {
  std::string out;
  for (std::size_t i = 0; i < ids.size();) {
    std::size_t j = i;
    while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
    std::string part = std::to_string(ids[i]) + (j > i ? "-" + std::to_string(ids[j]) : "");
    if (!out.empty() && out.size() + part.size() > max_chars) return out + ",…";
    out += (out.empty() ? "" : ",") + part;
    i = j + 1;
  }
  return out;
}

}  // namespace

int cmd_pending(const Context& ctx, const Words& words) {
  return run_db_command("pending", [&]() -> int {
    Args a(words, {"db"}, {"json", "utc", "help"});
    if (a.flag("help")) {
      std::fputs(kPendingHelp, stdout);
      std::fputs(kUtcOption, stdout);
      std::fputs(kDbOption, stdout);
      return 0;
    }
    if (!a.positional().empty()) throw UsageError("pending takes no arguments");
    DbTarget t = open_config(ctx, a);
    Store store = open_store(t);
    const std::string default_kind(sms::policy::to_string(t.policy.default_kind));
    std::vector<Group> groups;
    std::map<std::pair<std::int64_t, std::string>, std::size_t> index;
    for (const auto& r : store.pending_approval()) {
      auto key = std::make_pair(r.batch, r.submitted_by);
      auto it = index.find(key);
      if (it == index.end()) {
        it = index.emplace(key, groups.size()).first;
        Group g;
        g.batch = r.batch;
        g.submitter = r.submitted_by;
        g.kind = r.kind.value_or(default_kind);
        g.since = r.created_at;
        g.text = r.text;
        groups.push_back(std::move(g));
      }
      Group& g = groups[it->second];
      g.ids.push_back(r.id);
      if (r.created_at < g.since) g.since = r.created_at;
      if (r.kind.value_or(default_kind) != g.kind && g.kind.find("mixed") == std::string::npos) g.kind += ", mixed";
    }
    if (a.flag("json")) {
      std::string j = "[";
      for (std::size_t i = 0; i < groups.size(); ++i) {
        const auto& g = groups[i];
        j += i ? ",\n" : "\n";
        std::string ids;
        for (auto id : g.ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
        j += "{\"batch\":" + (g.batch ? std::to_string(g.batch) : std::string("null")) +
             ",\"submitted_by\":" + json_or_null(g.submitter) + ",\"kind\":" + json_string(g.kind) +
             ",\"rows\":" + std::to_string(g.ids.size()) + ",\"ids\":[" + ids + "],\"since\":" + json_or_null(g.since) +
             ",\"text\":" + json_string(g.text) + "}";
      }
      j += groups.empty() ? "]\n" : "\n]\n";
      std::fputs(j.c_str(), stdout);
      return 0;
    }
    if (groups.empty()) {
      std::puts("nothing waits for approval");
      return 0;
    }
    Table tab;
    tab.headers = {"batch", "submitter", "kind", "rows", "ids", show_utc() ? "since (UTC)" : "since", "text"};
    tab.max_width = {0, 16, 0, 0, 40, 0, 40};
    tab.right_align = {true, false, false, true, false, false, false};
    std::size_t total = 0;
    for (const auto& g : groups) {
      tab.rows.push_back({g.batch ? std::to_string(g.batch) : "-", g.submitter.empty() ? "(unknown)" : g.submitter,
                          g.kind, std::to_string(g.ids.size()), id_ranges(g.ids), show_time(g.since), g.text});
      total += g.ids.size();
    }
    std::fputs(tab.render().c_str(), stdout);
    std::printf("%zu message(s) wait for approval\n", total);
    return 0;
  });
}

int cmd_approve_reject(const Context& ctx, const std::string& name, const Words& words) {
  return run_db_command(name, [&]() -> int {
    const bool approve = name == "approve";
    Args a(words, {"batch", "note", "db"}, {"utc", "help"});
    if (a.flag("help")) {
      std::fputs(approve ? kApproveHelp : kRejectHelp, stdout);
      std::fputs(kDbOption, stdout);
      return 0;
    }
    auto batch = a.get("batch");
    if (batch && !a.positional().empty()) throw UsageError("give message ids or --batch B, not both");
    if (!batch && a.positional().empty()) throw UsageError("give message ids or --batch B");
    const std::string note = a.get_or("note", "");
    if (!approve && note.empty()) throw UsageError("a rejection needs --note TEXT (it becomes the messages' reason)");
    std::int64_t batch_id = batch ? id_of(*batch, "batch id") : 0;
    std::vector<std::int64_t> ids = batch ? std::vector<std::int64_t>{} : ids_of(a.positional());
    DbTarget t = open_config(ctx, a);
    Store store = open_store(t);
    if (batch) {
      ids = store.batch_ids(batch_id, sms::db::kPendingApproval);
      if (ids.empty()) {
        std::fprintf(stderr, "smsctl %s: batch %lld has no messages waiting for approval\n", name.c_str(),
                     static_cast<long long>(batch_id));
        return 1;
      }
    }
    const std::string actor = current_actor();
    const bool four_eyes = t.policy.approval && t.policy.approval->four_eyes;
    auto r = approve ? store.approve(ids, actor, note, four_eyes) : store.reject(ids, actor, note);
    const char* done = approve ? "approved" : "rejected";
    if (batch) {
      std::printf("batch %lld: %zu %s", static_cast<long long>(batch_id), r.changed.size(), done);
      if (!r.changed.empty()) std::printf(" (%s)", id_ranges(r.changed, 60).c_str());
      std::printf("\n");
    } else {
      for (auto id : r.changed) std::printf("%lld %s\n", static_cast<long long>(id), done);
    }
    for (const auto& [id, why] : r.refused)
      std::fprintf(stderr, "smsctl %s: %lld: %s\n", name.c_str(), static_cast<long long>(id), why.c_str());
    return r.refused.empty() ? 0 : 1;
  });
}

}  // namespace smsctl
