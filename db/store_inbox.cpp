// Inbound messages: duplicate detection, persisted multipart reassembly
// (23.040 9.2.3.24.1: parts share sender, an 8-bit reference and the part
// count), and partial messages whose missing parts never came.
#include <sqlite3.h>

#include <map>

#include "db/store_rows.hpp"
#include "modem/common/log.hpp"

namespace sms::db {

using detail::Query;
using detail::Tx;

namespace {

// A part joins a waiting message only if their SMSC timestamps are this close.
// The parts of one message are submitted together and arrive seconds apart
// (minutes when a phone was off); a sender reusing the 8-bit reference for a
// new message is usually hours later, and even then a waiting message that
// already holds this part number is never joined.
constexpr int kGroupWindowSeconds = 6 * 3600;
// Joined parts are kept this long to recognise re-delivered copies.
constexpr int kKeepJoinedPartsSeconds = 7 * 86400;
// What a partial message shows where a part is missing.
constexpr std::string_view kMissing = "[\xE2\x80\xA6]";   // "[…]"

// Also counts the row for its modem in the same transaction, so the modems
// table's `received` never lags the inbox (not even after a crash).
std::int64_t insert_inbox(detail::Conn& c, const std::string& sender, const std::string& text,
                          const std::string& received_at, const std::string& stored_at, const std::string& modem,
                          const std::string& smsc, int parts, bool partial, const std::string& pdus, bool truncated) {
  Query q(c, "INSERT INTO inbox(sender, text, received_at, stored_at, modem, smsc, parts, partial, pdus, truncated)"
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  q.bind(1, sender).bind(2, text).bind(3, received_at).bind(4, stored_at).bind_or_null(5, modem);
  q.bind_or_null(6, smsc).bind(7, parts).bind(8, partial).bind_or_null(9, pdus).bind(10, truncated).run();
  const std::int64_t id = sqlite3_last_insert_rowid(c.db());
  if (!modem.empty()) c.add_counts(modem, 0, 0, 1);
  return id;
}

struct Assembled {
  std::string sender, modem, smsc, received_at, text, pdus;
  int total = 0, have = 0;
  bool truncated = false;   // some part was cut short by the modem
};

// The text of group_id's parts in seq order, missing parts as "[…]".
Assembled assemble(detail::Conn& c, std::int64_t group_id) {
  Assembled a;
  int expect = 1;
  Query q(c, "SELECT sender, total, seq, text, received_at, pdu, modem, smsc, truncated FROM inbox_parts"
             " WHERE group_id = ?1 ORDER BY seq, id");
  q.bind(1, group_id);
  int last_seq = 0;
  while (q.step()) {
    int seq = q.integer(2);
    if (seq == last_seq) continue;   // cannot happen (duplicates are refused), but never print a part twice
    if (a.sender.empty()) {
      a.sender = q.text(0);
      a.total = q.integer(1);
      a.modem = q.text(6);
      a.smsc = q.text(7);
    }
    for (; expect < seq; ++expect) a.text += kMissing;
    a.text += q.text(3);
    a.truncated = a.truncated || q.integer(8) != 0;
    expect = seq + 1;
    last_seq = seq;
    ++a.have;
    // The message's time is its first part's; parts the SMSC stamped earlier win.
    std::string t = q.text(4);
    if (a.received_at.empty() || t < a.received_at) a.received_at = t;
    if (!a.pdus.empty()) a.pdus += '\n';
    a.pdus += q.text(5);
  }
  for (; expect <= a.total; ++expect) a.text += kMissing;
  return a;
}

// Joins the parts of group_id into one inbox row and marks the parts as
// joined. Returns the inbox id.
std::int64_t join_group(detail::Conn& c, std::int64_t group_id, const std::string& now, bool partial) {
  Assembled a = assemble(c, group_id);
  std::int64_t id =
      insert_inbox(c, a.sender, a.text, a.received_at, now, a.modem, a.smsc, a.total, partial, a.pdus, a.truncated);
  Query u(c, "UPDATE inbox_parts SET inbox_id = ?2 WHERE group_id = ?1");
  u.bind(1, group_id).bind(2, id).run();
  return id;
}

}  // namespace

StoreResult Store::store_inbound(const InboundPart& p) {
  auto& c = *conn_;
  Tx tx(c);
  const std::string now = utc_now();
  const std::string received_at = p.received_at.empty() ? now : p.received_at;
  StoreResult result;

  const bool multipart = p.total > 1 && p.seq >= 1 && p.seq <= p.total;
  if (!multipart) {
    // The network re-delivers a message whose acknowledgement got lost, and a
    // modem may show the same stored message twice: same sender, same SMSC
    // timestamp (to the second) and same text is the same message.
    {
      Query q(c, "SELECT id FROM inbox WHERE sender = ?1 AND received_at = ?2 AND text = ?3 LIMIT 1");
      q.bind(1, p.sender).bind(2, received_at).bind(3, p.text);
      if (q.step()) {
        result.kind = StoreResult::Kind::duplicate;
        result.inbox_id = q.int64(0);
        return result;   // ~Tx rolls back: nothing was written
      }
    }
    // A part whose numbers make no sense (seq 0, seq > total) is kept as a
    // message of its own, flagged partial, rather than lost.
    const bool odd = p.total > 1;
    result.inbox_id =
        insert_inbox(c, p.sender, p.text, received_at, now, p.modem, p.smsc, 1, odd, p.pdu, p.truncated);
    c.flush_counts();
    tx.commit();
    return result;
  }

  // A re-delivered part, waiting or already joined.
  {
    Query q(c, "SELECT inbox_id FROM inbox_parts WHERE sender = ?1 AND ref = ?2 AND total = ?3 AND seq = ?4"
               " AND received_at = ?5 AND text = ?6 LIMIT 1");
    q.bind(1, p.sender).bind(2, p.ref).bind(3, p.total).bind(4, p.seq).bind(5, received_at).bind(6, p.text);
    if (q.step()) {
      result.kind = StoreResult::Kind::duplicate;
      result.inbox_id = q.int64(0);
      return result;
    }
  }
  // The waiting message this part belongs to: same sender, reference and
  // count, close in time, and not already holding this part number.
  std::int64_t group_id = 0;
  {
    Query q(c, "SELECT group_id FROM inbox_parts"
               " WHERE sender = ?1 AND ref = ?2 AND total = ?3 AND inbox_id IS NULL"
               "   AND abs(julianday(received_at) - julianday(?5)) * 86400 <= ?6"
               " GROUP BY group_id HAVING sum(seq = ?4) = 0"
               " ORDER BY min(id) LIMIT 1");
    q.bind(1, p.sender).bind(2, p.ref).bind(3, p.total).bind(4, p.seq).bind(5, received_at);
    q.bind(6, kGroupWindowSeconds);
    if (q.step()) group_id = q.int64(0);
  }
  // A part that comes after its message was already stored as partial
  // (flush_incomplete) fills its gap in that inbox row; the row is marked
  // unprocessed again so the integrator sees the completed text.
  std::int64_t partial_inbox = 0;
  if (!group_id) {
    Query q(c, "SELECT p.group_id, p.inbox_id FROM inbox_parts p JOIN inbox i ON i.id = p.inbox_id"
               " WHERE p.sender = ?1 AND p.ref = ?2 AND p.total = ?3 AND i.partial = 1"
               "   AND abs(julianday(p.received_at) - julianday(?5)) * 86400 <= ?6"
               " GROUP BY p.group_id HAVING sum(p.seq = ?4) = 0"
               " ORDER BY min(p.id) DESC LIMIT 1");
    q.bind(1, p.sender).bind(2, p.ref).bind(3, p.total).bind(4, p.seq).bind(5, received_at);
    q.bind(6, kGroupWindowSeconds);
    if (q.step()) {
      group_id = q.int64(0);
      partial_inbox = q.int64(1);
    }
  }
  {
    Query q(c, "INSERT INTO inbox_parts(group_id, sender, ref, total, seq, text, received_at, pdu, modem, smsc,"
               " stored_at, inbox_id, truncated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    if (group_id) q.bind(1, group_id); else q.bind_null(1);
    if (partial_inbox) q.bind(12, partial_inbox); else q.bind_null(12);
    q.bind(2, p.sender).bind(3, p.ref).bind(4, p.total).bind(5, p.seq).bind(6, p.text).bind(7, received_at);
    q.bind_or_null(8, p.pdu).bind_or_null(9, p.modem).bind_or_null(10, p.smsc).bind(11, now);
    q.bind(13, p.truncated).run();
  }
  if (partial_inbox) {
    Assembled a = assemble(c, group_id);
    Query u(c, "UPDATE inbox SET text = ?2, pdus = ?3, received_at = ?4, partial = ?5, processed = 0,"
               " truncated = ?6 WHERE id = ?1");
    u.bind(1, partial_inbox).bind(2, a.text).bind_or_null(3, a.pdus).bind(4, a.received_at);
    u.bind(5, a.have < a.total).bind(6, a.truncated).run();
    result.kind = StoreResult::Kind::stored;
    result.inbox_id = partial_inbox;
    c.flush_counts();
    tx.commit();
    return result;
  }
  if (!group_id) {
    group_id = sqlite3_last_insert_rowid(c.db());
    Query u(c, "UPDATE inbox_parts SET group_id = id WHERE id = ?1");
    u.bind(1, group_id).run();
  }
  int have = 0;
  {
    Query q(c, "SELECT count(DISTINCT seq) FROM inbox_parts WHERE group_id = ?1");
    q.bind(1, group_id);
    if (q.step()) have = q.integer(0);
  }
  if (have >= p.total) {
    result.kind = StoreResult::Kind::stored;
    result.inbox_id = join_group(c, group_id, now, false);
  } else {
    result.kind = StoreResult::Kind::waiting_for_parts;
  }
  c.flush_counts();
  tx.commit();
  return result;
}

std::vector<std::int64_t> Store::flush_incomplete(int max_wait_seconds) {
  auto& c = *conn_;
  std::vector<std::int64_t> ids;
  Tx tx(c);
  const std::string now = utc_now();
  std::vector<std::int64_t> groups;
  {
    Query q(c, "SELECT group_id FROM inbox_parts WHERE inbox_id IS NULL"
               " GROUP BY group_id HAVING min(stored_at) <= ?1");
    q.bind(1, utc_in(-max_wait_seconds));
    while (q.step()) groups.push_back(q.int64(0));
  }
  for (auto g : groups) {
    ids.push_back(join_group(c, g, now, true));
    sms::log::warn("db", "inbox {}: parts of a multipart message never all came; stored as partial", ids.back());
  }
  {
    Query d(c, "DELETE FROM inbox_parts WHERE inbox_id IS NOT NULL AND stored_at < ?1");
    d.bind(1, utc_in(-kKeepJoinedPartsSeconds)).run();
  }
  tx.commit();
  return ids;
}

}  // namespace sms::db
