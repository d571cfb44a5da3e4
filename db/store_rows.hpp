#pragma once
// Column lists and row readers shared by the store's source files.
#include <array>
#include <map>
#include <string>
#include <vector>

#include "db/sqlite_util.hpp"

namespace sms::db::detail {

// This connection's own changes to number_lists (an opt-out by SMS, a list
// edit), applied to the process's shared copy (ListCache) once they are
// committed: one number patched instead of the whole table read again.
// Without a copy on the connection every call does nothing.
class ListEdit {
 public:
  explicit ListEdit(Conn& c);   // inside the write transaction, before the first change
  void touched(const std::string& number);
  void before_commit();         // reads the new version and the touched numbers' lists
  void after_commit();          // patches the copy, if it was current when the transaction began

 private:
  Conn& c_;
  std::int64_t from_ = -1, to_ = -1;
  std::vector<std::string> numbers_;
  std::vector<unsigned> masks_;
};

#define SMS_OUT_COLUMNS                                                                          \
  "id, recipient, text, priority, send_at, modem, status_report, flash, validity_minutes, ref, " \
  "status, created_at, updated_at, sent_at, attempts, last_error, parts, sent_by, "              \
  "delivery_status, delivered_at, claimed_by, handed, refs, concat_ref, resume_part, "            \
  "kind, batch, submitted_by, approved_by, approved_at, reason, counted"

#define SMS_IN_COLUMNS \
  "id, sender, text, received_at, stored_at, modem, smsc, parts, processed, partial, pdus, truncated"

// Per modem id: messages recorded 'sent' after the modems row's counted_at,
// i.e. missing from its `sent` counter if the worker's last counter write
// never came (a crash). sent_at is written only by that outcome, so this is
// exact. counted_at NULL (a row from before schema 4, or a worker that has
// not counted yet: its first sent message always writes the counter) means
// the counter is complete. (Failures are counted in their own commit:
// advance() writes the counters at once for them.) One scan of the outbox.
inline std::map<std::string, std::int64_t> uncounted_sent(Conn& c) {
  std::map<std::string, std::int64_t> out;
  Query q(c, "SELECT o.sent_by, count(*) FROM outbox o CROSS JOIN modems m ON m.id = o.sent_by"
             " WHERE o.status IN ('sent','delivered','undelivered') AND o.sent_at > m.counted_at"
             " GROUP BY o.sent_by");
  while (q.step()) out[q.text(0)] = q.int64(1);
  return out;
}

inline OutRow read_out(const Query& q) {
  OutRow r;
  r.id = q.int64(0);
  r.recipient_null = q.is_null(1);
  r.recipient = q.text(1);
  r.text_null = q.is_null(2);
  r.text = q.text(2);
  r.priority = q.integer(3);
  r.send_at = q.text(4);
  r.modem = q.text(5);
  r.status_report = q.integer(6) != 0;
  r.flash = q.integer(7) != 0;
  if (!q.is_null(8)) r.validity_minutes = q.integer(8);
  r.ref = q.text(9);
  r.status = q.text(10);
  r.created_at = q.text(11);
  r.updated_at = q.text(12);
  r.sent_at = q.text(13);
  r.attempts = q.integer(14);
  r.last_error = q.text(15);
  r.parts = q.integer(16);
  r.sent_by = q.text(17);
  r.delivery_status = q.text(18);
  r.delivered_at = q.text(19);
  r.claimed_by = q.text(20);
  r.handed = q.integer(21) != 0;
  r.refs = q.text(22);
  if (!q.is_null(23)) r.concat_ref = q.integer(23);
  r.resume_part = q.integer(24);
  if (!q.is_null(25)) r.kind = q.text(25);
  r.batch = q.int64(26);
  r.submitted_by = q.text(27);
  r.approved_by = q.text(28);
  r.approved_at = q.text(29);
  r.reason = q.text(30);
  r.counted = q.text(31);
  return r;
}

// Takes back the policy counters a row was counted in (outbox.counted: one
// key a line; "t|...?r|..." keys go last and only when their "r" key has
// returned to 0) and clears the column. For rows that end up not handed to
// a modem after all: failed, retried, given back, requeued by recovery.
void uncount(Conn& c, std::int64_t id, const std::string& now);
// Adds 1 to each counter key of a send decision ("t|...?r|..." adds to the
// "t" key; the decision checked the "r" key).
void count_keys(Conn& c, const std::vector<std::string>& keys, const std::string& now);
// Appends to the audit log in the open transaction.
void audit_in_tx(Conn& c, std::string_view actor, std::string_view action, std::string_view object,
                 std::string_view details, const std::string& now);

inline InRow read_in(const Query& q) {
  InRow r;
  r.id = q.int64(0);
  r.sender = q.text(1);
  r.text = q.text(2);
  r.received_at = q.text(3);
  r.stored_at = q.text(4);
  r.modem = q.text(5);
  r.smsc = q.text(6);
  r.parts = q.integer(7);
  r.processed = q.integer(8) != 0;
  r.partial = q.integer(9) != 0;
  r.pdus = q.text(10);
  r.truncated = q.integer(11) != 0;
  return r;
}

}  // namespace sms::db::detail
