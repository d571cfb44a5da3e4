// The sending policy's tables (schema 5): lists, counters, batches,
// approval and the audit log. The decisions themselves are made by
// src/policy (pure); this file only reads and writes what they need.
#include <sqlite3.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <unordered_map>

#include "db/store_rows.hpp"
#include "modem/common/log.hpp"

namespace sms::db {

using detail::Query;
using detail::Tx;

struct CounterCache::Impl {
  std::mutex mu;
  // What the table holds (as read or written by this process), and what
  // this process has added since and not yet written.
  std::unordered_map<std::string, std::int64_t> table, pending;
  // `table` holds every row of policy_counters (read once, on first use):
  // a key it lacks is 0, without asking the database. Only this process
  // writes the table while it runs (see CounterCache).
  bool complete = false;
  bool loaded = false;   // the one read of the whole table happened
  // Keys are per local period: old ones pile up. Past this many the known
  // table values are forgotten (read again when needed).
  static constexpr std::size_t kMaxKnown = 200000;
};

CounterCache::CounterCache() : impl(std::make_unique<Impl>()) {}
CounterCache::~CounterCache() = default;

namespace detail {

namespace {

constexpr const char* kFlushedKey = "#flushed";   // updated_at: the last flush of a CounterCache

std::int64_t table_count(Conn& c, const std::string& key) {
  Query q(c, "SELECT n FROM policy_counters WHERE key = ?1");
  q.bind(1, key);
  return q.step() ? q.int64(0) : 0;
}

// Under the cache's lock.
std::int64_t cached(Conn& c, CounterCache::Impl& m, const std::string& key) {
  if (!m.loaded) {
    m.loaded = true;
    // Every recipient of a group send is a new key: one read of the table
    // instead of one query per message. Counters of the last 40 days (the
    // purge removes older ones), if not too many.
    Query q(c, "SELECT key, n FROM policy_counters WHERE key <> ?1 LIMIT ?2");
    q.bind(1, kFlushedKey).bind(2, static_cast<std::int64_t>(CounterCache::Impl::kMaxKnown));
    while (q.step()) m.table.emplace(q.text(0), q.int64(1));
    m.complete = m.table.size() < CounterCache::Impl::kMaxKnown;
  }
  auto t = m.table.find(key);
  if (t == m.table.end()) {
    if (m.table.size() > CounterCache::Impl::kMaxKnown) {
      m.table.clear();
      m.complete = false;
    }
    t = m.table.emplace(key, m.complete ? 0 : table_count(c, key)).first;
  }
  auto p = m.pending.find(key);
  return t->second + (p == m.pending.end() ? 0 : p->second);
}

void write_delta(Conn& c, std::string_view key, std::int64_t delta, const std::string& now) {
  Query q(c, "INSERT INTO policy_counters(key, n, updated_at) VALUES (?1, max(?2, 0), ?3)"
             " ON CONFLICT(key) DO UPDATE SET n = max(n + ?2, 0), updated_at = ?3");
  q.bind(1, key).bind(2, delta).bind(3, now).run();
}

}  // namespace

bool policy_counters_dirty(Conn& c) {
  auto& m = *c.policy_counters->impl;
  std::lock_guard lock(m.mu);
  return !m.pending.empty();
}

void flush_policy_counters(Conn& c) {
  auto& m = *c.policy_counters->impl;
  std::lock_guard lock(m.mu);
  if (m.pending.empty()) return;
  const std::string now = utc_now();
  for (const auto& [key, delta] : m.pending) {
    if (delta == 0) continue;
    write_delta(c, key, delta, now);
    auto t = m.table.find(key);
    if (t != m.table.end())
      t->second = std::max<std::int64_t>(t->second + delta, 0);
    else if (m.complete)
      m.table.emplace(key, std::max<std::int64_t>(delta, 0));   // a key it lacks must read as the table has it
  }
  m.pending.clear();
  // The watermark: every claim counted until now is in the table.
  Query q(c, "INSERT INTO policy_counters(key, n, updated_at) VALUES (?1, 0, ?2)"
             " ON CONFLICT(key) DO UPDATE SET updated_at = ?2");
  q.bind(1, kFlushedKey).bind(2, now).run();
}

void count_keys(Conn& c, const std::vector<std::string>& keys, const std::string& now) {
  if (c.policy_counters) {
    auto& m = *c.policy_counters->impl;
    std::lock_guard lock(m.mu);
    for (const auto& k : keys) m.pending[k.substr(0, k.find('?'))] += 1;
    return;
  }
  // Up to four keys in one statement (a message has one to four): a
  // statement per key cost a third of the policy's time on the send path.
  // Unused slots are NULL and insert nothing (WHERE).
  for (std::size_t at = 0; at < keys.size(); at += 4) {
    Query q(c, "INSERT INTO policy_counters(key, n, updated_at)"
               " SELECT column1, 1, ?5 FROM (VALUES (?1), (?2), (?3), (?4)) WHERE column1 IS NOT NULL"
               " ON CONFLICT(key) DO UPDATE SET n = n + 1, updated_at = ?5");
    for (std::size_t i = 0; i < 4; ++i) {
      if (at + i < keys.size()) {
        const std::string& k = keys[at + i];
        q.bind(static_cast<int>(i + 1), std::string_view(k).substr(0, k.find('?')));
      } else {
        q.bind_null(static_cast<int>(i + 1));
      }
    }
    q.bind(5, now).run();
  }
}

void uncount(Conn& c, std::int64_t id, const std::string& now) {
  std::string counted;
  {
    Query q(c, "SELECT counted FROM outbox WHERE id = ?1");
    q.bind(1, id);
    if (!q.step() || q.is_null(0)) return;
    counted = q.text(0);
  }
  std::vector<std::string> plain, dependent;
  for (std::size_t at = 0; at < counted.size();) {
    std::size_t nl = std::min(counted.find('\n', at), counted.size());
    std::string key = counted.substr(at, nl - at);
    if (!key.empty()) (key.find('?') == std::string::npos ? plain : dependent).push_back(std::move(key));
    at = nl + 1;
  }
  if (c.policy_counters) {
    auto& m = *c.policy_counters->impl;
    std::lock_guard lock(m.mu);
    for (const auto& k : plain) {
      cached(c, m, k);   // knows the table's value before taking from it
      m.pending[k] -= 1;
    }
    for (const auto& k : dependent) {
      const std::string key = k.substr(0, k.find('?')), dep = k.substr(k.find('?') + 1);
      if (cached(c, m, dep) <= 0) {
        cached(c, m, key);
        m.pending[key] -= 1;
      }
    }
  } else {
    auto take = [&](const std::string& key) {
      Query u(c, "UPDATE policy_counters SET n = max(n - 1, 0), updated_at = ?2 WHERE key = ?1");
      u.bind(1, key).bind(2, now).run();
    };
    for (const auto& k : plain) take(k);
    // "t|...?r|...": the recipient leaves the distinct count only when it has
    // no other counted message in the period.
    for (const auto& k : dependent) {
      const std::string key = k.substr(0, k.find('?')), dep = k.substr(k.find('?') + 1);
      if (table_count(c, dep) == 0) take(key);
    }
  }
  Query u(c, "UPDATE outbox SET counted = NULL WHERE id = ?1");
  u.bind(1, id).run();
}

void audit_in_tx(Conn& c, std::string_view actor, std::string_view action, std::string_view object,
                 std::string_view details, const std::string& now) {
  Query q(c, "INSERT INTO audit(at, actor, action, object, details) VALUES (?1, ?2, ?3, ?4, ?5)");
  q.bind(1, now).bind(2, actor.empty() ? std::string_view("?") : actor).bind(3, action);
  q.bind_or_null(4, object).bind_or_null(5, details).run();
}

}  // namespace detail

// ---- facts ----

std::int64_t Store::counter(const std::string& key) {
  if (conn_->policy_counters) {
    auto& m = *conn_->policy_counters->impl;
    std::lock_guard lock(m.mu);
    return detail::cached(*conn_, m, key);
  }
  return detail::table_count(*conn_, key);
}

void Store::set_counter_cache(std::shared_ptr<CounterCache> cache) { conn_->policy_counters = std::move(cache); }

std::int64_t Store::recover_policy_counters() {
  auto& c = *conn_;
  Tx tx(c);
  std::string flushed;
  {
    Query q(c, "SELECT updated_at FROM policy_counters WHERE key = ?1");
    q.bind(1, detail::kFlushedKey);
    if (!q.step()) return 0;   // no shared counters ever ran: the table is exact
    flushed = q.text(0);
  }
  std::int64_t rows = 0;
  std::vector<std::string> keys;
  {
    // Once at start: a scan of the outbox (no index is kept for this, to
    // spare the claim an index write).
    Query q(c, "SELECT counted FROM outbox WHERE counted IS NOT NULL AND counted_at > ?1"
               " AND status IN ('sending','sent','delivered','undelivered','unknown')");
    q.bind(1, flushed);
    while (q.step()) {
      const std::string counted = q.text(0);
      for (std::size_t at = 0; at < counted.size();) {
        const std::size_t nl = std::min(counted.find('\n', at), counted.size());
        if (nl > at) keys.push_back(counted.substr(at, nl - at));
        at = nl + 1;
      }
      ++rows;
    }
  }
  const std::string now = utc_now();
  auto cache = std::move(c.policy_counters);   // straight to the table
  detail::count_keys(c, keys, now);
  c.policy_counters = std::move(cache);
  {
    Query q(c, "UPDATE policy_counters SET updated_at = ?2 WHERE key = ?1");
    q.bind(1, detail::kFlushedKey).bind(2, now).run();
  }
  tx.commit();
  if (rows) sms::log::warn("db", "policy counters: added {} message(s) an unclean stop had left uncounted", rows);
  return rows;
}

void Store::counters(const std::vector<std::string>& keys, std::vector<std::int64_t>& out) {
  out.assign(keys.size(), 0);
  if (conn_->policy_counters) {
    auto& m = *conn_->policy_counters->impl;
    std::lock_guard lock(m.mu);
    for (std::size_t i = 0; i < keys.size(); ++i) out[i] = detail::cached(*conn_, m, keys[i]);
    return;
  }
  for (std::size_t at = 0; at < keys.size(); at += 8) {
    Query q(*conn_, "SELECT key, n FROM policy_counters WHERE key IN (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    const std::size_t n = std::min<std::size_t>(8, keys.size() - at);
    for (std::size_t i = 0; i < 8; ++i) {
      if (i < n) q.bind(static_cast<int>(i + 1), keys[at + i]); else q.bind_null(static_cast<int>(i + 1));
    }
    while (q.step()) {
      const std::string k = q.text(0);
      for (std::size_t i = 0; i < n; ++i)
        if (keys[at + i] == k) out[at + i] = q.int64(1);
    }
  }
}

int Store::batch_rows(std::int64_t batch, int at_most) {
  if (!batch) return 1;
  Query q(*conn_, "SELECT count(*) FROM (SELECT 1 FROM outbox WHERE batch = ?1 LIMIT ?2)");
  q.bind(1, batch).bind(2, at_most);
  return q.step() ? q.integer(0) : 0;
}

// ---- lists ----

namespace {
void check_list(std::string_view list) {
  if (list != "whitelist" && list != "blacklist" && list != "optout")
    throw StoreError("no list named '" + std::string(list) + "' (whitelist, blacklist, optout)");
}

// The numbers themselves when few, else how many: an audit row per action,
// not per number (an import of 100,000 numbers is one entry).
std::string some_numbers(const std::vector<std::string>& numbers) {
  constexpr std::size_t kListed = 20;
  std::string out;
  for (std::size_t i = 0; i < numbers.size() && i < kListed; ++i) out += (i ? ", " : "") + numbers[i];
  if (numbers.size() > kListed) out += " and " + std::to_string(numbers.size() - kListed) + " more";
  return out;
}
}  // namespace

namespace {
constexpr std::size_t kAddBatch = 100;
// INSERT of kAddBatch numbers (?6 ...) sharing list, time, actor, source and
// note (?1 to ?5). Made once: the statement cache is keyed by its address.
const char* add_batch_sql() {
  static const std::string sql = [] {
    std::string s = "INSERT INTO number_lists(number, list, added_at, added_by, source, note) VALUES ";
    for (std::size_t i = 0; i < kAddBatch; ++i)
      s += (i ? ", (?" : "(?") + std::to_string(6 + i) + ", ?1, ?2, ?3, ?4, ?5)";
    return s + " ON CONFLICT(number, list) DO NOTHING";
  }();
  return sql.c_str();
}
}  // namespace

Store::ListChange Store::list_add(std::string_view list, const std::vector<std::string>& numbers,
                                  std::string_view note, std::string_view source, std::string_view actor) {
  check_list(list);
  auto& c = *conn_;
  ListChange r;
  Tx tx(c);
  detail::ListEdit edit(c);
  const std::string now = utc_now();
  // A hundred numbers a statement: each INSERT on number_lists runs its
  // trigger (list_version) and opens a scratch table for it, a cost per
  // statement, not per row (an import of 100,000 numbers: 0.6 s instead of 1.7).
  std::size_t at = 0;
  for (; at + kAddBatch <= numbers.size(); at += kAddBatch) {
    Query q(c, add_batch_sql());
    q.bind(1, list).bind(2, now).bind_or_null(3, actor).bind_or_null(4, source).bind_or_null(5, note);
    for (std::size_t i = 0; i < kAddBatch; ++i) {
      q.bind(static_cast<int>(6 + i), numbers[at + i]);
      edit.touched(numbers[at + i]);
    }
    q.run();
    const auto added = static_cast<int>(sqlite3_changes(c.db()));   // duplicates, in the table or the batch, add nothing
    r.added += added;
    r.duplicate += static_cast<int>(kAddBatch) - added;
  }
  for (; at < numbers.size(); ++at) {
    const std::string& n = numbers[at];
    Query q(c, "INSERT INTO number_lists(number, list, added_at, added_by, source, note)"
               " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(number, list) DO NOTHING");
    q.bind(1, n).bind(2, list).bind(3, now).bind_or_null(4, actor).bind_or_null(5, source).bind_or_null(6, note).run();
    if (sqlite3_changes(c.db()) > 0) {
      ++r.added;
      edit.touched(n);
    } else {
      ++r.duplicate;
    }
  }
  detail::audit_in_tx(c, actor, std::string(list) + " add", std::string(list),
                      std::to_string(r.added) + " added, " + std::to_string(r.duplicate) + " already listed" +
                          (source.empty() ? "" : " (" + std::string(source) + ")") +
                          (numbers.empty() ? "" : ": " + some_numbers(numbers)),
                      now);
  edit.before_commit();
  tx.commit();
  edit.after_commit();
  return r;
}

Store::ListChange Store::list_remove(std::string_view list, const std::vector<std::string>& numbers,
                                     std::string_view actor) {
  check_list(list);
  auto& c = *conn_;
  ListChange r;
  Tx tx(c);
  detail::ListEdit edit(c);
  const std::string now = utc_now();
  for (const auto& n : numbers) {
    Query q(c, "DELETE FROM number_lists WHERE number = ?1 AND list = ?2");
    q.bind(1, n).bind(2, list).run();
    if (sqlite3_changes(c.db()) > 0) {
      ++r.removed;
      edit.touched(n);
    } else {
      ++r.missing;
    }
  }
  detail::audit_in_tx(c, actor, std::string(list) + " remove", std::string(list),
                      std::to_string(r.removed) + " removed, " + std::to_string(r.missing) + " not listed: " +
                          some_numbers(numbers),
                      now);
  edit.before_commit();
  tx.commit();
  edit.after_commit();
  return r;
}

std::vector<Store::ListEntry> Store::list_entries(std::string_view list) {
  check_list(list);
  std::vector<ListEntry> out;
  Query q(*conn_, "SELECT number, list, added_at, added_by, source, note, inbox_id FROM number_lists"
                  " WHERE list = ?1 ORDER BY added_at, number");
  q.bind(1, list);
  while (q.step()) {
    ListEntry e;
    e.number = q.text(0);
    e.list = q.text(1);
    e.added_at = q.text(2);
    e.added_by = q.text(3);
    e.source = q.text(4);
    e.note = q.text(5);
    e.inbox_id = q.int64(6);
    out.push_back(std::move(e));
  }
  return out;
}

Store::OptOut Store::record_optout(const std::string& e164, std::int64_t inbox_id, std::string_view keyword,
                                   const std::vector<std::string>& kinds, std::string_view default_kind,
                                   const std::function<bool(const std::string& recipient)>& same_number,
                                   std::string_view reply_to, std::string_view reply_text) {
  auto& c = *conn_;
  OptOut r;
  Tx tx(c);
  detail::ListEdit edit(c);
  const std::string now = utc_now();
  const std::string object = "inbox:" + std::to_string(inbox_id);
  {
    Query q(c, "INSERT INTO number_lists(number, list, added_at, added_by, source, note, inbox_id)"
               " VALUES (?1, 'optout', ?2, 'smserver', 'sms', ?3, ?4) ON CONFLICT(number, list) DO NOTHING");
    q.bind(1, e164).bind(2, now).bind(3, "replied " + std::string(keyword)).bind(4, inbox_id).run();
    r.added = sqlite3_changes(c.db()) > 0;
    if (r.added) edit.touched(e164);
  }
  if (!r.added) {
    detail::audit_in_tx(c, "smserver", "optout", object, e164 + " replied '" + std::string(keyword) +
                        "' again (already opted out; no second reply)", now);
    tx.commit();
    return r;
  }
  // What waits for this number and is of a kind the opt-out covers.
  std::vector<std::int64_t> ids;
  {
    Query q(c, "SELECT id, recipient, coalesce(kind, ?1) FROM outbox"
               " WHERE status IN ('queued','pending_approval','held')");
    q.bind(1, default_kind);
    while (q.step()) {
      const std::string kind = q.text(2);
      if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) continue;
      if (same_number(q.text(1))) ids.push_back(q.int64(0));
    }
  }
  const std::string why = e164 + " opted out (replied '" + std::string(keyword) + "')";
  for (auto id : ids) {
    Query u(c, "UPDATE outbox SET status = 'blocked', reason = ?2, updated_at = ?3"
               " WHERE id = ?1 AND status IN ('queued','pending_approval','held')");
    u.bind(1, id).bind(2, why).bind(3, now).run();
    detail::audit_in_tx(c, "policy", "blocked", "outbox:" + std::to_string(id), "optout: " + why, now);
  }
  r.blocked = static_cast<int>(ids.size());
  if (!reply_text.empty()) {
    Query q(c, "INSERT INTO outbox(recipient, text, kind, submitted_by, ref) VALUES (?1, ?2, 'notice', 'smserver', ?3)");
    q.bind(1, reply_to).bind(2, reply_text).bind(3, "optout reply to inbox " + std::to_string(inbox_id)).run();
    r.reply_id = sqlite3_last_insert_rowid(c.db());
  }
  detail::audit_in_tx(c, "smserver", "optout", object,
                      e164 + " replied '" + std::string(keyword) + "': on the opt-out list; " +
                          std::to_string(r.blocked) + " waiting message(s) blocked" +
                          (r.reply_id ? "; confirmation queued as outbox " + std::to_string(r.reply_id) : ""),
                      now);
  edit.before_commit();
  tx.commit();
  edit.after_commit();
  sms::log::info("policy", "{} opted out (inbox {}): {} waiting message(s) blocked", e164, inbox_id, r.blocked);
  return r;
}

// ---- batches ----

std::int64_t Store::create_batch(std::string_view created_by, std::string_view kind, std::string_view note) {
  auto& c = *conn_;
  Tx tx(c);
  Query q(c, "INSERT INTO batches(created_at, created_by, kind, note) VALUES (?1, ?2, ?3, ?4)");
  q.bind(1, utc_now()).bind_or_null(2, created_by).bind_or_null(3, kind).bind_or_null(4, note).run();
  const std::int64_t id = sqlite3_last_insert_rowid(c.db());
  tx.commit();
  return id;
}

// ---- approval ----

std::vector<OutRow> Store::pending_approval() {
  std::vector<OutRow> out;
  Query q(*conn_, "SELECT " SMS_OUT_COLUMNS " FROM outbox WHERE status = 'pending_approval' ORDER BY batch, id");
  while (q.step()) out.push_back(detail::read_out(q));
  return out;
}

std::vector<std::int64_t> Store::batch_ids(std::int64_t batch, std::string_view status) {
  std::vector<std::int64_t> out;
  Query q(*conn_, "SELECT id FROM outbox WHERE batch = ?1 AND (?2 IS NULL OR status = ?2) ORDER BY id");
  q.bind(1, batch).bind_or_null(2, status);
  while (q.step()) out.push_back(q.int64(0));
  return out;
}

namespace {
// approve() and reject(): each id changed or refused with the reason, all
// in one transaction, one audit row per changed message.
Store::ActResult decide_rows(detail::Conn& c, Store& s, const std::vector<std::int64_t>& ids, std::string_view actor,
                             std::string_view note, bool approve, bool four_eyes) {
  Store::ActResult r;
  Tx tx(c);
  const std::string now = utc_now();
  for (auto id : ids) {
    auto row = s.get_out(id);
    if (!row) {
      r.refused.emplace_back(id, "no outbox row with id " + std::to_string(id));
      continue;
    }
    if (row->status != kPendingApproval) {
      r.refused.emplace_back(id, "message " + std::to_string(id) + " is '" + row->status +
                                     "', not waiting for approval");
      continue;
    }
    if (approve && four_eyes && !row->submitted_by.empty() && row->submitted_by == actor) {
      r.refused.emplace_back(id, "message " + std::to_string(id) + " was submitted by " + std::string(actor) +
                                     "; four-eyes approval needs another approver");
      continue;
    }
    if (approve) {
      Query u(c, "UPDATE outbox SET status = 'queued', approved_by = ?2, approved_at = ?3, reason = NULL,"
                 " updated_at = ?3 WHERE id = ?1 AND status = 'pending_approval'");
      u.bind(1, id).bind(2, actor).bind(3, now).run();
    } else {
      Query u(c, "UPDATE outbox SET status = 'rejected', approved_by = ?2, approved_at = ?3, reason = ?4,"
                 " updated_at = ?3 WHERE id = ?1 AND status = 'pending_approval'");
      u.bind(1, id).bind(2, actor).bind(3, now).bind(4, "rejected by " + std::string(actor) + ": " + std::string(note)).run();
    }
    detail::audit_in_tx(c, actor, approve ? "approve" : "reject", "outbox:" + std::to_string(id),
                        std::string(note), now);
    r.changed.push_back(id);
  }
  tx.commit();
  return r;
}
}  // namespace

Store::ActResult Store::approve(const std::vector<std::int64_t>& ids, std::string_view actor, std::string_view note,
                                bool four_eyes) {
  return decide_rows(*conn_, *this, ids, actor, note, true, four_eyes);
}

Store::ActResult Store::reject(const std::vector<std::int64_t>& ids, std::string_view actor, std::string_view note) {
  return decide_rows(*conn_, *this, ids, actor, note, false, false);
}

// ---- audit ----

void Store::audit(std::string_view actor, std::string_view action, std::string_view object, std::string_view details) {
  auto& c = *conn_;
  const std::string now = utc_now();
  if (!sqlite3_get_autocommit(c.db())) {
    detail::audit_in_tx(c, actor, action, object, details, now);
    return;
  }
  Tx tx(c);
  detail::audit_in_tx(c, actor, action, object, details, now);
  tx.commit();
}

std::vector<Store::AuditEntry> Store::find_audit(const AuditQuery& a) {
  std::vector<AuditEntry> out;
  std::string objects;
  for (const auto& o : a.objects) objects += (objects.empty() ? "" : "\n") + o;
  // Objects as one newline-joined parameter: instr() keeps the statement
  // cacheable whatever the number of objects.
  Query q(*conn_, "SELECT id, at, actor, action, coalesce(object, ''), coalesce(details, '') FROM audit"
                  " WHERE at >= ?1 AND at < ?2 AND (?3 IS NULL OR actor = ?3) AND (?4 IS NULL OR action = ?4)"
                  "   AND (?5 IS NULL OR instr(char(10) || ?5 || char(10), char(10) || object || char(10)) > 0)"
                  " ORDER BY id");
  q.bind(1, a.from_utc).bind(2, a.to_utc.empty() ? std::string_view("\x7f") : std::string_view(a.to_utc));
  q.bind_or_null(3, a.actor).bind_or_null(4, a.action).bind_or_null(5, objects);
  while (q.step()) {
    AuditEntry e;
    e.id = q.int64(0);
    e.at = q.text(1);
    e.actor = q.text(2);
    e.action = q.text(3);
    e.object = q.text(4);
    e.details = q.text(5);
    out.push_back(std::move(e));
  }
  return out;
}

Store::Purged Store::purge(int audit_days, int message_days) {
  auto& c = *conn_;
  Purged p;
  Tx tx(c);
  if (audit_days > 0) {
    Query q(c, "DELETE FROM audit WHERE at < ?1");
    q.bind(1, utc_in(-audit_days * 86400)).run();
    p.audit = sqlite3_changes(c.db());
  }
  if (message_days > 0) {
    const std::string before = utc_in(-message_days * 86400);
    {
      // Terminal rows only: nothing that still waits, is being sent, or
      // could still get a status report... a report for a deleted row is
      // just unmatched.
      Query q(c, "DELETE FROM outbox WHERE updated_at < ?1 AND status IN"
                 " ('sent','delivered','undelivered','failed','cancelled','blocked','rejected')");
      q.bind(1, before).run();
      p.outbox = sqlite3_changes(c.db());
    }
    {
      Query q(c, "DELETE FROM inbox WHERE stored_at < ?1");
      q.bind(1, before).run();
      p.inbox = sqlite3_changes(c.db());
    }
  }
  {
    // The longest period is a month: a counter untouched for 40 days is over.
    Query q(c, "DELETE FROM policy_counters WHERE updated_at < ?1");
    q.bind(1, utc_in(-40 * 86400)).run();
    p.counters = sqlite3_changes(c.db());
  }
  if (p.audit || p.outbox || p.inbox)
    detail::audit_in_tx(c, "smserver", "purge", "",
                        "retention: " + std::to_string(p.audit) + " audit entries, " + std::to_string(p.outbox) +
                            " outbox rows, " + std::to_string(p.inbox) + " inbox rows deleted",
                        utc_now());
  tx.commit();
  return p;
}

}  // namespace sms::db
