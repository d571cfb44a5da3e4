// The outbox side of dispatch: claiming, recording outcomes, crash recovery
// and status reports. These run once or twice per message on the server's hot
// path, so every statement is a cached prepared statement; with advance() a message
// costs one write transaction (its outcome, the next row's hand-over mark and
// the claim after that together).
#include <sqlite3.h>

#include <algorithm>

#include "db/store_rows.hpp"
#include "modem/common/log.hpp"

namespace sms::db {

using detail::Query;
using detail::Tx;

namespace {

// The claim inside an open transaction: the first due row the gate lets go,
// marked 'sending'. Rows the gate turns down are recorded on the way.
std::optional<OutRow> claim_in_tx(detail::Conn& c, std::string_view modem_id, const Gate& gate,
                                  const std::string& now) {
  // A kind this modem may not send now (its policy limit is reached): the
  // rest of this claim skips rows of that kind in SQL, so a full modem does
  // not walk every queued bulk row. NULL kinds mean `skip_default`'s kind.
  std::string skip_kind, skip_default;
  // Rows the gate turns down leave the candidate set (failed, blocked,
  // pending, or send_at moved to the future), so the loop always advances;
  // the bound is a guard against a gate that defers to the past.
  for (int guard = 0; guard < 10000; ++guard) {
    std::optional<OutRow> row;
    if (skip_kind.empty()) {
      Query q(c, "SELECT " SMS_OUT_COLUMNS " FROM outbox"
                 " WHERE status = 'queued' AND (send_at IS NULL OR send_at <= ?1)"
                 "   AND (modem IS NULL OR modem = '' OR modem = ?2)"
                 "   AND (resume_part IS NULL OR sent_by = ?2)"   // the rest of a partly sent message
                 " ORDER BY priority DESC, id LIMIT 1");
      q.bind(1, now).bind(2, modem_id);
      if (q.step()) row = detail::read_out(q);
    } else {
      Query q(c, "SELECT " SMS_OUT_COLUMNS " FROM outbox"
                 " WHERE status = 'queued' AND (send_at IS NULL OR send_at <= ?1)"
                 "   AND (modem IS NULL OR modem = '' OR modem = ?2)"
                 "   AND (resume_part IS NULL OR sent_by = ?2)"
                 "   AND coalesce(kind, ?3) IS NOT ?4"
                 " ORDER BY priority DESC, id LIMIT 1");
      q.bind(1, now).bind(2, modem_id).bind(3, skip_default).bind(4, skip_kind);
      if (q.step()) row = detail::read_out(q);
    }
    if (!row) return std::nullopt;
    Verdict v = gate ? gate(*row) : Verdict::send_now();
    const std::string object = "outbox:" + std::to_string(row->id);
    switch (v.kind) {
      case Verdict::Kind::send: {
        const std::string counted = [&] {
          std::string keys;
          for (const auto& k : v.count) keys += (keys.empty() ? "" : "\n") + k;
          return keys;
        }();
        Query u(c, "UPDATE outbox SET status = 'sending', claimed_by = ?2, attempts = attempts + 1,"
                   " handed = 0, updated_at = ?3, reason = NULL, kind = coalesce(?4, kind),"
                   " text = coalesce(?5, text), counted = ?6, counted_at = CASE WHEN ?6 IS NULL THEN NULL ELSE ?3 END"
                   " WHERE id = ?1");
        u.bind(1, row->id).bind(2, modem_id).bind(3, now).bind_or_null(4, v.kind_name).bind_or_null(5, v.text);
        u.bind_or_null(6, counted).run();
        if (!v.count.empty()) detail::count_keys(c, v.count, now);
        row->status = kSending;
        row->claimed_by = std::string(modem_id);
        row->attempts += 1;
        row->handed = false;
        row->updated_at = now;
        row->reason.clear();
        row->counted = counted;
        if (!v.kind_name.empty()) row->kind = v.kind_name;
        if (!v.text.empty()) row->text = v.text;
        return row;
      }
      case Verdict::Kind::reject: {
        // A rule of the policy (a kind that is no kind) also says so in `reason`.
        Query u(c, "UPDATE outbox SET status = 'failed', last_error = ?2, updated_at = ?3,"
                   " reason = CASE WHEN ?4 THEN ?2 ELSE reason END WHERE id = ?1");
        u.bind(1, row->id).bind(2, v.reason.empty() ? std::string("rejected") : v.reason).bind(3, now);
        u.bind(4, !v.rule.empty()).run();
        if (!v.rule.empty()) detail::audit_in_tx(c, "policy", "failed", object, v.rule + ": " + v.reason, now);
        sms::log::warn("db", "outbox {} failed: {}", row->id, v.reason);
        break;
      }
      case Verdict::Kind::block:
      case Verdict::Kind::approval: {
        const bool block = v.kind == Verdict::Kind::block;
        Query u(c, "UPDATE outbox SET status = ?2, reason = ?3, kind = coalesce(?4, kind), updated_at = ?5"
                   " WHERE id = ?1");
        u.bind(1, row->id).bind(2, block ? kBlocked : kPendingApproval).bind(3, v.reason);
        u.bind_or_null(4, v.kind_name).bind(5, now).run();
        detail::audit_in_tx(c, "policy", block ? "blocked" : "pending_approval", object,
                            (v.rule.empty() ? "" : v.rule + ": ") + v.reason, now);
        break;
      }
      case Verdict::Kind::defer: {
        // A time that is not in the future would hand the same row back at once.
        std::string until = v.until > now ? v.until : utc_in(1);
        // Policy deferrals keep their reason in `reason` (last_error is for
        // transmission errors) and are audited once per reason.
        if (v.rule.empty()) {
          Query u(c, "UPDATE outbox SET send_at = ?2, last_error = ?3, updated_at = ?4 WHERE id = ?1");
          u.bind(1, row->id).bind(2, until).bind_or_null(3, v.reason).bind(4, now).run();
        } else {
          Query u(c, "UPDATE outbox SET send_at = ?2, reason = ?3, updated_at = ?4 WHERE id = ?1");
          u.bind(1, row->id).bind(2, until).bind(3, v.reason).bind(4, now).run();
          if (v.reason != row->reason)
            detail::audit_in_tx(c, "policy", "deferred", object, v.rule + ": " + v.reason, now);
        }
        break;
      }
      case Verdict::Kind::pass: {
        // Other modems may send it; this one skips its kind from now on.
        if (v.reason != row->reason) {
          Query u(c, "UPDATE outbox SET reason = ?2, updated_at = ?3 WHERE id = ?1");
          u.bind(1, row->id).bind(2, v.reason).bind(3, now).run();
          detail::audit_in_tx(c, "policy", "deferred", object, (v.rule.empty() ? "" : v.rule + ": ") + v.reason, now);
        }
        if (v.pass_kind.empty() || !skip_kind.empty()) return std::nullopt;   // nothing narrower to try
        skip_kind = v.pass_kind;
        skip_default = v.pass_default;
        break;
      }
    }
  }
  return std::nullopt;
}

// One outbox_parts row per part in `references` (part 1 first), for matching
// status reports; attempt is the row's current attempt count.
void track_parts(detail::Conn& c, std::int64_t id, std::string_view modem_id, const std::vector<int>& references,
                 const std::string& now) {
  int seq = 0;
  for (int ref : references) {
    // OR REPLACE: record_sent twice for one claim (a caller's retry) overwrites.
    Query p(c, "INSERT OR REPLACE INTO outbox_parts(outbox_id, attempt, seq, modem, reference, recipient,"
               " status, updated_at)"
               " SELECT id, attempts, ?2, ?3, ?4, recipient, 'sent', ?5 FROM outbox WHERE id = ?1");
    p.bind(1, id).bind(2, ++seq).bind(3, modem_id).bind(4, ref).bind(5, now).run();
  }
}

void sent_in_tx(detail::Conn& c, const Finished& f, std::string_view modem_id, const std::string& now) {
  {
    Query u(c, "UPDATE outbox SET status = 'sent', sent_at = ?2, sent_by = ?3, parts = ?4, handed = 1,"
               " last_error = ?6, refs = ?5, resume_part = NULL, updated_at = ?2 WHERE id = ?1");
    u.bind(1, f.id).bind(2, now).bind(3, modem_id).bind(4, static_cast<int>(f.references.size()));
    u.bind_or_null(5, join_refs(f.references)).bind_or_null(6, f.note).run();
  }
  if (f.track_parts) track_parts(c, f.id, modem_id, f.references, now);
}

void retry_row(detail::Conn& c, std::int64_t id, std::string_view reason, int delay_seconds, const std::string& now) {
  detail::uncount(c, id, now);
  Query u(c, "UPDATE outbox SET status = 'queued', send_at = ?2, last_error = ?3, claimed_by = NULL,"
             " handed = 0, updated_at = ?4 WHERE id = ?1");
  u.bind(1, id).bind(2, utc_in(delay_seconds < 0 ? 0 : delay_seconds)).bind(3, reason).bind(4, now).run();
}

void failed_row(detail::Conn& c, std::int64_t id, std::string_view reason, const std::string& now) {
  detail::uncount(c, id, now);
  Query u(c, "UPDATE outbox SET status = 'failed', last_error = ?2, updated_at = ?3 WHERE id = ?1");
  u.bind(1, id).bind(2, reason).bind(3, now).run();
}

void unknown_row(detail::Conn& c, const Finished& f, std::string_view modem_id, const std::string& now) {
  if (f.references.empty()) {
    Query u(c, "UPDATE outbox SET status = 'unknown', last_error = ?2, updated_at = ?3 WHERE id = ?1");
    u.bind(1, f.id).bind(2, f.reason).bind(3, now).run();
    return;
  }
  // Some parts are known to have gone out: which ones (their references),
  // through which modem and with which concatenation reference, so an admin
  // sees it and smsctl retry can send only the rest.
  Query u(c, "UPDATE outbox SET status = 'unknown', last_error = ?2, updated_at = ?3, parts = ?4, refs = ?5,"
             " sent_by = ?6, concat_ref = ?7, resume_part = NULL WHERE id = ?1");
  u.bind(1, f.id).bind(2, f.reason).bind(3, now);
  u.bind(4, std::max<int>(f.total_parts, static_cast<int>(f.references.size())));
  u.bind(5, join_refs(f.references)).bind(6, modem_id);
  if (f.concat_ref >= 0) u.bind(7, f.concat_ref); else u.bind_null(7);
  u.run();
  // Their status reports can then be matched too.
  if (f.track_parts) track_parts(c, f.id, modem_id, f.references, now);
}

}  // namespace

std::string join_refs(const std::vector<int>& references) {
  std::string refs;
  for (int ref : references) {
    if (!refs.empty()) refs += ',';
    refs += std::to_string(ref);
  }
  return refs;
}

std::vector<int> split_refs(std::string_view refs) {
  std::vector<int> out;
  while (!refs.empty()) {
    const std::size_t comma = std::min(refs.find(','), refs.size());
    int v = 0;
    for (char ch : refs.substr(0, comma))
      if (ch >= '0' && ch <= '9') v = v * 10 + (ch - '0');
    out.push_back(v);
    refs.remove_prefix(std::min(comma + 1, refs.size()));
  }
  return out;
}

std::string part_range(int first, int last) {
  return first == last ? "part " + std::to_string(first)
                       : "parts " + std::to_string(first) + "\u2013" + std::to_string(last);
}

std::optional<OutRow> Store::claim_next(std::string_view modem_id, const Gate& gate) {
  auto& c = *conn_;
  Tx tx(c);
  c.claim_data_version = c.data_version();
  auto row = claim_in_tx(c, modem_id, gate, utc_now());
  c.flush_counts();
  tx.commit();
  return row;
}

std::optional<OutRow> Store::advance(std::string_view modem_id, const Advance& a, const Gate& gate) {
  auto& c = *conn_;
  Tx tx(c);
  const std::string now = c.outcome_time();
  const auto& f = a.finished;
  switch (f.kind) {
    case Finished::Kind::none: break;
    case Finished::Kind::sent: sent_in_tx(c, f, modem_id, now); break;
    case Finished::Kind::retry: retry_row(c, f.id, f.reason, f.delay_seconds, now); break;
    case Finished::Kind::failed: failed_row(c, f.id, f.reason, now); break;
    case Finished::Kind::unknown: unknown_row(c, f, modem_id, now); break;
    case Finished::Kind::give_back: {
      // The caller knows the PDU was never written (its on_handing never
      // ran), so an early hand-over mark is undone rather than turned 'unknown'.
      detail::uncount(c, f.id, now);
      Query u(c, "UPDATE outbox SET status = 'queued', claimed_by = NULL, handed = 0,"
                 " attempts = max(attempts - 1, 0), updated_at = ?2 WHERE id = ?1 AND status = 'sending'");
      u.bind(1, f.id).bind(2, now).run();
      break;
    }
  }
  if (a.hand_id) {
    Query u(c, "UPDATE outbox SET handed = 1, updated_at = ?2 WHERE id = ?1");
    u.bind(1, a.hand_id).bind(2, now).run();
  }
  std::optional<OutRow> row;
  if (a.claim) {
    c.claim_data_version = c.data_version();
    row = claim_in_tx(c, modem_id, gate, now);
  }
  // The counters ride along at most once a second while the queue is busy
  // (the modems row is one more page per commit: +15 % CPU per message), and
  // at once when it ran dry. What a crash leaves uncounted is found again
  // through modems.counted_at (Store::modems, Store::recover).
  // A failure is rare and has no watermark of its own (updated_at changes
  // later): its count commits with it.
  if ((a.claim && !row) || f.kind == Finished::Kind::failed)
    c.flush_counts();
  else
    c.flush_counts_if_due(c.count_interval);
  tx.commit();
  return row;
}

int Store::fail_unknown_modems(const std::vector<std::string>& also_known) {
  auto& c = *conn_;
  // A read first, outside any write transaction: on the poll path this is
  // normally all there is (nothing to fail, no write lock taken).
  auto unknown = [&] {
    std::vector<std::string> names;
    Query q(c, "SELECT DISTINCT modem FROM outbox WHERE status = 'queued' AND modem IS NOT NULL AND modem <> ''"
               " AND modem NOT IN (SELECT id FROM modems)");
    while (q.step()) {
      std::string m = q.text(0);
      bool ours = false;
      for (const auto& k : also_known) ours = ours || k == m;
      if (!ours) names.push_back(std::move(m));
    }
    return names;
  };
  if (unknown().empty()) return 0;
  Tx tx(c);
  auto names = unknown();   // again under the lock: another server may have registered meanwhile
  std::vector<std::string> known(also_known);
  {
    Query q(c, "SELECT id FROM modems ORDER BY id");
    while (q.step()) known.push_back(q.text(0));
  }
  std::sort(known.begin(), known.end());
  known.erase(std::unique(known.begin(), known.end()), known.end());
  std::string known_list;
  for (const auto& k : known) known_list += (known_list.empty() ? "" : ", ") + k;
  if (known_list.empty()) known_list = "none";
  const std::string now = utc_now();
  int failed = 0;
  for (const auto& m : names) {
    const std::string why = "no modem '" + m + "' is known to any server (known: " + known_list +
                            "); fix the row's modem column (or leave it empty for any modem), then smsctl retry";
    Query u(c, "UPDATE outbox SET status = 'failed', last_error = ?2, updated_at = ?3"
               " WHERE status = 'queued' AND modem = ?1");
    u.bind(1, m).bind(2, why).bind(3, now).run();
    const int n = sqlite3_changes(c.db());
    failed += n;
    sms::log::warn("db", "{} queued outbox row(s) failed: no modem '{}' is known to any server (known: {})", n, m,
                   known_list);
  }
  tx.commit();
  return failed;
}

void Store::mark_handed(std::int64_t id) {
  Query u(*conn_, "UPDATE outbox SET handed = 1, updated_at = strftime('%Y-%m-%d %H:%M:%f','now') WHERE id = ?1");
  u.bind(1, id).run();
}

void Store::record_sent(std::int64_t id, std::string_view modem_id, const std::vector<int>& references) {
  auto& c = *conn_;
  Tx tx(c);
  Finished f;
  f.kind = Finished::Kind::sent;
  f.id = id;
  f.references = references;
  sent_in_tx(c, f, modem_id, c.outcome_time());
  c.flush_counts();
  tx.commit();
}

// Each in one transaction with the pending counters (count_modem before).
void Store::record_retry(std::int64_t id, std::string_view reason, int delay_seconds) {
  auto& c = *conn_;
  Tx tx(c);
  retry_row(c, id, reason, delay_seconds, c.outcome_time());
  c.flush_counts();
  tx.commit();
}

void Store::record_failed(std::int64_t id, std::string_view reason) {
  auto& c = *conn_;
  Tx tx(c);
  failed_row(c, id, reason, c.outcome_time());
  c.flush_counts();
  tx.commit();
}

void Store::record_unknown(std::int64_t id, std::string_view reason) {
  auto& c = *conn_;
  Tx tx(c);
  Finished f;
  f.kind = Finished::Kind::unknown;
  f.id = id;
  f.reason = std::string(reason);
  unknown_row(c, f, {}, c.outcome_time());
  c.flush_counts();
  tx.commit();
}

void Store::give_back(std::int64_t id) {
  auto& c = *conn_;
  Tx tx(c);
  const std::string now = utc_now();
  {
    // Not handed: it never reached a modem, so it does not count.
    Query q(c, "SELECT 1 FROM outbox WHERE id = ?1 AND status = 'sending' AND handed = 0");
    q.bind(1, id);
    if (q.step()) detail::uncount(c, id, now);
  }
  {
    Query u(c, "UPDATE outbox SET status = 'queued', claimed_by = NULL,"
               " attempts = max(attempts - 1, 0), updated_at = ?2"
               " WHERE id = ?1 AND status = 'sending' AND handed = 0");
    u.bind(1, id).bind(2, now).run();
  }
  // Already written to the modem: sending it again could deliver it twice.
  {
    Query u(c, "UPDATE outbox SET status = 'unknown', updated_at = ?2,"
               " last_error = 'given back after modem ' || coalesce(claimed_by, '?') ||"
               " ' had been handed the message; it may have been sent — check with the recipient,"
               " then smsctl retry or cancel'"
               " WHERE id = ?1 AND status = 'sending' AND handed = 1");
    u.bind(1, id).bind(2, now).run();
  }
  tx.commit();
}

Recovery Store::recover(const std::vector<std::string>& modem_ids) {
  auto& c = *conn_;
  Recovery r;
  Tx tx(c);
  const std::string now = utc_now();
  // Outcomes a crash left out of the counters (recorded after counted_at).
  {
    const auto missing = detail::uncounted_sent(c);
    for (const auto& m : modem_ids) {
      auto it = missing.find(m);
      if (it == missing.end()) continue;
      c.add_counts(m, it->second, 0, 0, now);
      r.recounted += it->second;
    }
  }
  for (const auto& m : modem_ids) {
    {
      // Never handed to the modem: not counted by the policy's limits.
      std::vector<std::int64_t> ids;
      Query q(c, "SELECT id FROM outbox WHERE status = 'sending' AND claimed_by = ?1 AND handed = 0"
                 " AND counted IS NOT NULL");
      q.bind(1, m);
      while (q.step()) ids.push_back(q.int64(0));
      for (auto id : ids) detail::uncount(c, id, now);
    }
    {
      Query u(c, "UPDATE outbox SET status = 'queued', claimed_by = NULL,"
                 " attempts = max(attempts - 1, 0), updated_at = ?2"
                 " WHERE status = 'sending' AND claimed_by = ?1 AND handed = 0");
      u.bind(1, m).bind(2, now).run();
      r.requeued += sqlite3_changes(c.db());
    }
    {
      Query u(c, "UPDATE outbox SET status = 'unknown', updated_at = ?2,"
                 " last_error = 'server stopped after handing the message to modem ' || ?1 ||"
                 " '; it may have been sent — check with the recipient, then smsctl retry or cancel'"
                 " WHERE status = 'sending' AND claimed_by = ?1 AND handed = 1");
      u.bind(1, m).bind(2, now).run();
      r.unknown += sqlite3_changes(c.db());
    }
  }
  tx.commit();
  if (r.requeued || r.unknown || r.recounted)
    sms::log::warn("db",
                   "recovered after an unclean stop: {} message(s) queued again, {} marked unknown, {} outcome(s) "
                   "added to the modem counters",
                   r.requeued, r.unknown, r.recounted);
  return r;
}

std::optional<std::int64_t> Store::apply_status_report(std::string_view modem_id, int reference,
                                                       std::string_view recipient, int tp_st,
                                                       std::string_view status_words, bool delivered,
                                                       bool final, std::string_view discharge_utc) {
  auto& c = *conn_;
  Tx tx(c);
  const std::string now = utc_now();
  // TP-MR is one octet and repeats every 256 messages, so several parts can
  // share (modem, reference); the recipient tells them apart, and among equals
  // the most recent submit wins. Parts still waiting for a final report come
  // before ones that already have it.
  std::int64_t outbox_id = 0;
  int attempt = 0, seq = 0;
  {
    Query q(c, "SELECT outbox_id, attempt, seq, recipient FROM outbox_parts WHERE modem = ?1 AND reference = ?2"
               " ORDER BY status IN ('delivered','undelivered'), updated_at DESC, outbox_id DESC LIMIT 64");
    q.bind(1, modem_id).bind(2, reference & 0xff);
    while (q.step()) {
      if (recipient.empty() || numbers_match(q.text(3), recipient)) {
        outbox_id = q.int64(0);
        attempt = q.integer(1);
        seq = q.integer(2);
        break;
      }
    }
  }
  if (!outbox_id) {
    sms::log::info("db", "status report from {} for reference {} to {} (TP-ST {}) matches no sent part",
                   modem_id, reference, recipient, tp_st);
    return std::nullopt;
  }
  const char* part_status = !final ? "pending" : delivered ? "delivered" : "undelivered";
  {
    Query u(c, "UPDATE outbox_parts SET status = ?4, status_text = ?5, updated_at = ?6"
               " WHERE outbox_id = ?1 AND attempt = ?2 AND seq = ?3");
    u.bind(1, outbox_id).bind(2, attempt).bind(3, seq).bind(4, part_status).bind(5, status_words).bind(6, now).run();
  }
  int total = 0, finals = 0, good = 0;
  {
    // A partly sent message has fewer part rows than parts: its row's
    // `parts` counts, so reports for the parts that went out do not settle it.
    Query q(c, "SELECT count(*), sum(status IN ('delivered','undelivered')), sum(status = 'delivered'),"
               " (SELECT parts FROM outbox WHERE id = ?1)"
               " FROM outbox_parts WHERE outbox_id = ?1 AND attempt = ?2");
    q.bind(1, outbox_id).bind(2, attempt);
    if (q.step()) {
      total = std::max(q.integer(0), q.integer(3));
      finals = q.integer(1);
      good = q.integer(2);
    }
  }
  // A report proves the message left the modem, so it also settles 'unknown'.
  if (total > 0 && finals == total) {
    Query u(c, "UPDATE outbox SET status = ?2, delivery_status = ?3, delivered_at = ?4, updated_at = ?5"
               " WHERE id = ?1 AND status IN ('sent','delivered','undelivered','unknown')");
    u.bind(1, outbox_id)
        .bind(2, good == total ? kDelivered : kUndelivered)
        .bind(3, status_words)
        .bind_or_null(4, discharge_utc.empty() ? std::string_view(now) : discharge_utc)
        .bind(5, now)
        .run();
  } else {
    Query u(c, "UPDATE outbox SET delivery_status = ?2, updated_at = ?3 WHERE id = ?1"
               " AND status IN ('sent','unknown')");
    u.bind(1, outbox_id).bind(2, status_words).bind(3, now).run();
  }
  tx.commit();
  return outbox_id;
}

std::string Store::next_due_time() {
  Query q(*conn_, "SELECT min(send_at) FROM outbox WHERE status = 'queued' AND send_at IS NOT NULL AND send_at > ?1");
  q.bind(1, utc_now());
  return q.step() ? q.text(0) : std::string();
}

namespace {
void insert_out(detail::Conn& c, const OutRow& r) {
  Query q(c, "INSERT INTO outbox(recipient, text, priority, send_at, modem, status_report, flash,"
             " validity_minutes, ref, kind, batch, submitted_by)"
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  if (r.recipient_null) q.bind_null(1); else q.bind(1, r.recipient);
  if (r.text_null) q.bind_null(2); else q.bind(2, r.text);
  q.bind(3, r.priority)
      .bind_or_null(4, r.send_at)
      .bind_or_null(5, r.modem)
      .bind(6, r.status_report)
      .bind(7, r.flash)
      .bind(8, r.validity_minutes)
      .bind_or_null(9, r.ref);
  if (r.kind) q.bind(10, *r.kind); else q.bind_null(10);
  if (r.batch) q.bind(11, r.batch); else q.bind_null(11);
  q.bind_or_null(12, r.submitted_by).run();
}
}  // namespace

std::int64_t Store::enqueue(const OutRow& row) {
  auto& c = *conn_;
  Tx tx(c);
  insert_out(c, row);
  std::int64_t id = sqlite3_last_insert_rowid(c.db());
  tx.commit();
  return id;
}

std::vector<std::int64_t> Store::enqueue_many(const std::vector<OutRow>& rows,
                                              const std::function<void(std::size_t)>& progress) {
  auto& c = *conn_;
  std::vector<std::int64_t> ids;
  ids.reserve(rows.size());
  Tx tx(c);
  for (const auto& r : rows) {
    insert_out(c, r);
    ids.push_back(sqlite3_last_insert_rowid(c.db()));
    if (progress && (ids.size() % 256 == 0 || ids.size() == rows.size())) progress(ids.size());
  }
  tx.commit();
  return ids;
}

}  // namespace sms::db
