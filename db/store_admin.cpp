// Modems table, queries and admin actions (smsctl, the library API).
#include <sqlite3.h>

#include <algorithm>
#include <map>

#include "db/store_rows.hpp"

namespace sms::db {

using detail::Query;
using detail::Tx;

void Store::upsert_modem(const ModemRow& m) {
  Tx tx(*conn_);
  conn_->flush_counts();
  Query q(*conn_,
          "INSERT INTO modems(id, port, state, manufacturer, model, revision, imei, imsi, operator, signal_dbm,"
          " smsc, last_error, last_seen, updated_at)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)"
          " ON CONFLICT(id) DO UPDATE SET port = ?2, state = ?3, manufacturer = ?4, model = ?5, revision = ?6,"
          " imei = ?7, imsi = ?8, operator = ?9, signal_dbm = ?10, smsc = ?11, last_error = ?12,"
          " last_seen = ?13, updated_at = ?13");
  q.bind(1, m.id).bind_or_null(2, m.port).bind_or_null(3, m.state).bind_or_null(4, m.manufacturer);
  q.bind_or_null(5, m.model).bind_or_null(6, m.revision).bind_or_null(7, m.imei).bind_or_null(8, m.imsi);
  q.bind_or_null(9, m.operator_name).bind(10, m.signal_dbm).bind_or_null(11, m.smsc);
  q.bind_or_null(12, m.last_error).bind(13, utc_now()).run();
  tx.commit();
}

void Store::count_modem(std::string_view modem_id, int sent, int failed, int received) {
  auto it = conn_->pending_counts.find(modem_id);
  if (it == conn_->pending_counts.end())
    it = conn_->pending_counts.emplace(std::string(modem_id), std::array<std::int64_t, 3>{0, 0, 0}).first;
  conn_->counts_pending = true;
  it->second[0] += sent;
  it->second[1] += failed;
  it->second[2] += received;
}

void Store::set_count_interval(std::chrono::milliseconds every) { conn_->count_interval = every; }

void Store::flush_counts() {
  if (!conn_->counts_pending && !(conn_->policy_counters && detail::policy_counters_dirty(*conn_))) return;
  Tx tx(*conn_);
  conn_->flush_counts();
  tx.commit();
}

std::vector<ModemRow> Store::modems() {
  flush_counts();
  // In one read transaction, so the counters and the rows are one snapshot.
  detail::ReadTx rtx(*conn_);
  const auto missing = detail::uncounted_sent(*conn_);
  std::vector<ModemRow> out;
  Query q(*conn_, "SELECT id, port, state, manufacturer, model, revision, imei, imsi, operator, signal_dbm,"
                  " smsc, last_error, sent, failed, received, last_seen, updated_at FROM modems ORDER BY id");
  while (q.step()) {
    ModemRow m;
    m.id = q.text(0);
    m.port = q.text(1);
    m.state = q.text(2);
    m.manufacturer = q.text(3);
    m.model = q.text(4);
    m.revision = q.text(5);
    m.imei = q.text(6);
    m.imsi = q.text(7);
    m.operator_name = q.text(8);
    if (!q.is_null(9)) m.signal_dbm = q.integer(9);
    m.smsc = q.text(10);
    m.last_error = q.text(11);
    m.sent = q.int64(12);
    m.failed = q.int64(13);
    m.received = q.int64(14);
    if (auto it = missing.find(m.id); it != missing.end()) m.sent += it->second;
    m.last_seen = q.text(15);
    m.updated_at = q.text(16);
    out.push_back(std::move(m));
  }
  return out;
}

// Time ranges are half-open [from, to); an empty bound is open. Open bounds
// are bound as text that sorts before/after every time, so the query keeps a
// plain range condition the time index can serve.
namespace {
std::string_view lower(std::string_view from) { return from.empty() ? std::string_view("") : from; }
std::string_view upper(std::string_view to) { return to.empty() ? std::string_view("\x7f") : to; }
}  // namespace

std::vector<OutRow> Store::find_out(std::string_view from_utc, std::string_view to_utc, std::string_view status) {
  std::vector<OutRow> out;
  Query q(*conn_, "SELECT " SMS_OUT_COLUMNS " FROM outbox"
                  " WHERE created_at >= ?1 AND created_at < ?2"
                  "   AND (?3 IS NULL OR status = ?3) ORDER BY created_at, id");
  q.bind(1, lower(from_utc)).bind(2, upper(to_utc)).bind_or_null(3, status);
  while (q.step()) out.push_back(detail::read_out(q));
  return out;
}

std::optional<OutRow> Store::get_out(std::int64_t id) {
  Query q(*conn_, "SELECT " SMS_OUT_COLUMNS " FROM outbox WHERE id = ?1");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return detail::read_out(q);
}

std::vector<InRow> Store::find_in(std::string_view from_utc, std::string_view to_utc, bool unprocessed_only) {
  std::vector<InRow> out;
  Query q(*conn_, "SELECT " SMS_IN_COLUMNS " FROM inbox"
                  " WHERE received_at >= ?1 AND received_at < ?2"
                  "   AND (?3 = 0 OR processed = 0) ORDER BY received_at, id");
  q.bind(1, lower(from_utc)).bind(2, upper(to_utc)).bind(3, unprocessed_only);
  while (q.step()) out.push_back(detail::read_in(q));
  return out;
}

std::optional<InRow> Store::get_in(std::int64_t id) {
  Query q(*conn_, "SELECT " SMS_IN_COLUMNS " FROM inbox WHERE id = ?1");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return detail::read_in(q);
}

bool Store::set_processed(std::int64_t id, bool processed) {
  Query q(*conn_, "UPDATE inbox SET processed = ?2 WHERE id = ?1");
  q.bind(1, id).bind(2, processed).run();
  return sqlite3_changes(conn_->db()) > 0;
}

namespace {
// Why an admin action did not apply, from the row's current state.
std::string why_not(Store& s, std::int64_t id, std::string_view action) {
  auto row = s.get_out(id);
  if (!row) return "no outbox row with id " + std::to_string(id);
  std::string why = "message " + std::to_string(id) + " is '" + row->status + "'";
  if (row->status == kSending)
    why += " (modem " + row->claimed_by + " is sending it right now)";
  else if (action == "cancel")
    why += "; only queued, unknown, failed, blocked, held or pending messages can be cancelled";
  else
    why += "; only unknown, failed, cancelled, blocked or rejected messages can be queued again";
  return why;
}
}  // namespace

bool Store::cancel(std::int64_t id, std::string* why) {
  // One statement: a worker claiming the row at the same moment either got it
  // first (status 'sending', nothing changes here) or never sees it.
  Query q(*conn_, "UPDATE outbox SET status = 'cancelled', claimed_by = NULL, updated_at = ?2,"
                  " last_error = coalesce(last_error || '; ', '') || 'cancelled by an administrator'"
                  " WHERE id = ?1 AND status IN ('queued','unknown','failed','blocked','pending_approval','held')");
  q.bind(1, id).bind(2, utc_now()).run();
  if (sqlite3_changes(conn_->db()) > 0) return true;
  if (why) *why = why_not(*this, id, "cancel");
  return false;
}

bool Store::retry(std::int64_t id, std::string* why, RetryMode mode) {
  auto& c = *conn_;
  Tx tx(c);
  auto row = get_out(id);
  const int went = row ? static_cast<int>(split_refs(row->refs).size()) : 0;
  // Partly sent: some parts' references recorded, fewer than the message has.
  const bool retryable = row && (row->status == kUnknown || row->status == kFailed || row->status == kCancelled ||
                                  row->status == kBlocked || row->status == kRejected);
  const bool partly_sent = retryable && went > 0 && went < row->parts;
  const std::string now = utc_now();
  if (partly_sent && mode == RetryMode::resume) {
    const std::string sent_parts = part_range(1, went);
    const std::string missing = part_range(went + 1, row->parts);
    std::string state;
    {
      Query q(c, "SELECT coalesce(state, '') FROM modems WHERE id = ?1");
      q.bind(1, row->sent_by);
      state = q.step() ? q.text(0) : std::string();
    }
    // What would make a resumed send unjoinable on the phone.
    const char* fix = !row->concat_ref     ? "its concatenation reference was not recorded"
                      : row->sent_by.empty() ? "the modem that sent them was not recorded"
                                             : nullptr;
    if (fix || state != "ready") {
      if (why) {
        *why = "message " + std::to_string(id) + ": " + sent_parts + " of " + std::to_string(row->parts) +
               " went out" + (row->sent_by.empty() ? "" : " through modem " + row->sent_by) + ", ";
        if (fix)
          *why += std::string("but ") + fix + ", so the missing " + missing + " cannot be sent to join them";
        else
          *why += "which is " + (state.empty() ? std::string("not known to any server") : "not ready (" + state + ")") +
                  "; the missing " + missing + " can only go through " + row->sent_by +
                  " for the recipient's phone to join them";
        *why += ". Use --whole to send all " + std::to_string(row->parts) + " parts again (the recipient may then see " +
                sent_parts + " twice)";
      }
      return false;
    }
    const std::string note = "retry: sending only the missing " + missing + " of " + std::to_string(row->parts) +
                             ", through modem " + row->sent_by + " with the same concatenation reference (" +
                             std::to_string(*row->concat_ref) + "), so the recipient's phone joins them with " +
                             sent_parts + " sent earlier";
    Query q(c, "UPDATE outbox SET status = 'queued', attempts = 0, send_at = NULL, claimed_by = NULL,"
               " handed = 0, resume_part = ?3, last_error = ?4, updated_at = ?2"
               " WHERE id = ?1 AND status IN ('unknown','failed','cancelled','blocked','rejected')");
    q.bind(1, id).bind(2, now).bind(3, went + 1).bind(4, note).run();
    if (sqlite3_changes(c.db()) == 0) {
      if (why) *why = why_not(*this, id, "retry");
      return false;
    }
    tx.commit();
    return true;
  }
  // The whole message again: a partly sent one forgets its parts.
  Query q(c, "UPDATE outbox SET status = 'queued', attempts = 0, send_at = NULL, claimed_by = NULL,"
             " handed = 0, last_error = NULL, resume_part = NULL,"
             " refs = CASE WHEN ?3 THEN NULL ELSE refs END, parts = CASE WHEN ?3 THEN 0 ELSE parts END,"
             " concat_ref = CASE WHEN ?3 THEN NULL ELSE concat_ref END, updated_at = ?2"
             " WHERE id = ?1 AND status IN ('unknown','failed','cancelled','blocked','rejected')");
  q.bind(1, id).bind(2, now).bind(3, partly_sent).run();
  if (sqlite3_changes(c.db()) > 0) {
    tx.commit();
    return true;
  }
  if (why) *why = why_not(*this, id, "retry");
  return false;
}

std::int64_t Store::queue_depth() {
  Query q(*conn_, "SELECT (SELECT count(*) FROM outbox WHERE status = 'queued')"
                  " + (SELECT count(*) FROM outbox WHERE status = 'sending')");
  return q.step() ? q.int64(0) : 0;
}

std::vector<Stats> Store::stats(std::string_view from_utc, std::string_view to_utc, std::string_view by) {
  // Sent, delivered and undelivered count by the time the message was sent,
  // failed by when it failed, received by the SMSC time. The key is the UTC
  // day, the modem (sent_by; claimed_by for failures) or '' for the total.
  const char* sql_total =
      "SELECT '' AS k, status, count(*) FROM outbox WHERE status IN ('sent','delivered','undelivered')"
      "  AND sent_at >= ?1 AND sent_at < ?2 GROUP BY 1, 2"
      " UNION ALL SELECT '', 'failed', count(*) FROM outbox WHERE status = 'failed'"
      "  AND updated_at >= ?1 AND updated_at < ?2"
      " UNION ALL SELECT '', 'received', count(*) FROM inbox"
      "  WHERE received_at >= ?1 AND received_at < ?2";
  const char* sql_day =
      "SELECT substr(sent_at, 1, 10), status, count(*) FROM outbox WHERE status IN ('sent','delivered','undelivered')"
      "  AND sent_at >= ?1 AND sent_at < ?2 GROUP BY 1, 2"
      " UNION ALL SELECT substr(updated_at, 1, 10), 'failed', count(*) FROM outbox WHERE status = 'failed'"
      "  AND updated_at >= ?1 AND updated_at < ?2 GROUP BY 1"
      " UNION ALL SELECT substr(received_at, 1, 10), 'received', count(*) FROM inbox"
      "  WHERE received_at >= ?1 AND received_at < ?2 GROUP BY 1";
  const char* sql_modem =
      "SELECT coalesce(sent_by, ''), status, count(*) FROM outbox WHERE status IN ('sent','delivered','undelivered')"
      "  AND sent_at >= ?1 AND sent_at < ?2 GROUP BY 1, 2"
      " UNION ALL SELECT coalesce(claimed_by, ''), 'failed', count(*) FROM outbox WHERE status = 'failed'"
      "  AND updated_at >= ?1 AND updated_at < ?2 GROUP BY 1"
      " UNION ALL SELECT coalesce(modem, ''), 'received', count(*) FROM inbox"
      "  WHERE received_at >= ?1 AND received_at < ?2 GROUP BY 1";
  const char* sql = by == "day" ? sql_day : by == "modem" ? sql_modem : sql_total;
  if (!by.empty() && by != "day" && by != "modem")
    throw StoreError("stats: grouping '" + std::string(by) + "' is not one of: day, modem");
  std::map<std::string, Stats> rows;
  Query q(*conn_, sql);
  q.bind(1, lower(from_utc)).bind(2, upper(to_utc));
  while (q.step()) {
    std::string key = q.text(0);
    std::string what = q.text(1);
    std::int64_t n = q.int64(2);
    Stats& s = rows[key];
    s.key = key;
    // 'delivered' and 'undelivered' messages were sent too.
    if (what == "sent") s.sent += n;
    else if (what == "delivered") s.sent += n, s.delivered += n;
    else if (what == "undelivered") s.sent += n, s.undelivered += n;
    else if (what == "failed") s.failed += n;
    else if (what == "received") s.received += n;
  }
  std::vector<Stats> out;
  for (auto& [k, s] : rows) out.push_back(s);
  if (by.empty() && out.empty()) out.push_back(Stats{});
  return out;
}

}  // namespace sms::db
