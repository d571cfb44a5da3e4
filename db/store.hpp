#pragma once
// The SQLite store: outbox (a public interface other programs INSERT into),
// parts of sent messages, inbox (with reassembly of multipart messages), and
// the modems table. Schema and migrations live in db/schema/*.sql.
//
// Threading rule: one Store (one sqlite3 connection) per thread. Workers,
// smsctl and the library API each open their own. Several processes may share
// one database file: the database runs in WAL mode with a busy timeout, and
// every claim runs in BEGIN IMMEDIATE.
//
// Every time column holds UTC text "YYYY-MM-DD HH:MM:SS[.SSS]".
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace sms::db {

namespace detail {
class Conn;
}

// Thrown only by open() (start-up) and by operations when SQLite itself fails
// (disk full, I/O error, corrupted file); never for bad row contents.
struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Exactly the status names integrators see in outbox.status.
inline constexpr std::string_view kQueued = "queued", kSending = "sending", kSent = "sent",
                                  kDelivered = "delivered", kUndelivered = "undelivered",
                                  kFailed = "failed", kCancelled = "cancelled", kUnknown = "unknown";
// Schema 5 (the sending policy): never claimed until a person acts.
inline constexpr std::string_view kBlocked = "blocked", kPendingApproval = "pending_approval",
                                  kRejected = "rejected", kHeld = "held";

struct OutRow {
  std::int64_t id = 0;
  std::string recipient;             // as the integrator wrote it ("" if NULL)
  std::string text;                  // raw bytes from the row; may be invalid UTF-8
  bool recipient_null = false, text_null = false;
  int priority = 0;
  std::string send_at;               // "" = now
  std::string modem;                 // preferred modem, "" = any
  bool status_report = false;
  bool flash = false;
  std::optional<int> validity_minutes;
  std::string ref;
  std::string status;
  std::string created_at, updated_at, sent_at;
  int attempts = 0;
  std::string last_error;
  int parts = 0;
  std::string sent_by;               // modem id that sent it
  std::string delivery_status;       // words from the status report
  std::string delivered_at;          // discharge time of the status report
  // additions
  std::string claimed_by;            // modem whose worker holds/held it
  bool handed = false;               // written to a modem (a crash then leaves it 'unknown')
  std::string refs;                  // part references (TP-MR) once sent: "17" or "17,18,19"
  // Addition (schema 4): a partly sent long message. `refs` then holds the
  // parts that went out (from part 1, in order) and `parts` how many it has.
  std::optional<int> concat_ref;     // concatenation reference of its last multipart send
  int resume_part = 0;               // set by retry(): first part still to send (0: the whole message)
  // Addition (schema 5): the sending policy.
  std::optional<std::string> kind;   // "notice", "bulk" or whatever was written; nullopt = NULL (defaultKind)
  std::int64_t batch = 0;            // 0 = none
  std::string submitted_by, approved_by, approved_at;
  std::string reason;                // why blocked, deferred, waiting or rejected
  std::string counted;               // policy counter keys it was counted in, '\n'-separated
};

struct InRow {
  std::int64_t id = 0;
  std::string sender, text, received_at, stored_at, modem, smsc;
  int parts = 1;
  bool processed = false;
  bool partial = false;              // some parts never came
  std::string pdus;                  // raw PDUs, hex, one per line, in part order
  bool truncated = false;            // a PDU's user data was shorter than its TP-UDL said
};

// What the claim gate (validation now, the sending policy later) decides about
// a due row, inside the claim transaction.
//   send     mark it 'sending' (with the policy's final text, kind and counters)
//   defer    leave it queued with send_at = until
//   reject   'failed' (last_error = reason): the row itself is wrong
//   block    'blocked' (reason): the sending policy forbids it (schema 5)
//   approval 'pending_approval' (reason) until a person approves or rejects it
//   pass     leave it as it is for other modems: this modem may not send this
//            kind now (its limit is reached); the claim skips that kind
struct Verdict {
  enum class Kind { send, defer, reject, block, approval, pass } kind = Kind::send;
  std::string reason;   // defer/reject/block/approval/pass: words (last_error for reject, reason otherwise)
  std::string until;    // defer: UTC time when the row becomes due again
  // Additions (the sending policy; empty = nothing to write):
  std::string rule;                  // the rule that decided, for the audit log ("blacklist", "quiet")
  std::string text;                  // send: the final text (signature added) when it differs
  std::string kind_name;             // send/block/...: the resolved kind written to outbox.kind
  std::vector<std::string> count;    // send: policy counter keys to add 1 to
  std::string pass_kind;             // pass: the kind this modem skips for the rest of the claim
  std::string pass_default;          // pass: the kind a NULL outbox.kind means (<policy defaultKind>)
  static Verdict send_now() { return {}; }
  static Verdict defer_until(std::string until_utc, std::string why) {
    Verdict v;
    v.kind = Kind::defer;
    v.reason = std::move(why);
    v.until = std::move(until_utc);
    return v;
  }
  static Verdict reject(std::string why) {
    Verdict v;
    v.kind = Kind::reject;
    v.reason = std::move(why);
    return v;
  }
};
using Gate = std::function<Verdict(const OutRow&)>;

// One decoded inbound part, as the server hands it over.
struct InboundPart {
  std::string modem;
  std::string sender;
  std::string smsc;
  std::string text;            // this part's text (UTF-8)
  std::string received_at;     // SMSC timestamp, UTC
  std::string pdu;             // raw hex
  // concatenation; total == 1 for single messages
  int ref = 0, total = 1, seq = 1;
  bool truncated = false;      // the modem cut the PDU: `text` is what was there
};

struct StoreResult {
  enum class Kind { stored, waiting_for_parts, duplicate } kind = Kind::stored;
  std::int64_t inbox_id = 0;   // for stored
};

struct ModemRow {
  std::string id, port, state, manufacturer, model, revision, imei, imsi, operator_name;
  std::optional<int> signal_dbm;
  std::string smsc, last_error;
  // Counters since the row was created; modems() includes the outcomes
  // recorded after the stored counters' counted_at (see count_modem).
  std::int64_t sent = 0, failed = 0, received = 0;
  // additions (read by modems(); upsert_modem sets them to now)
  std::string last_seen, updated_at;
};

struct Recovery {
  int requeued = 0;   // claimed but never handed to a modem
  int unknown = 0;    // handed to a modem, outcome never recorded
  std::int64_t recounted = 0;   // outcomes added to the modems' counters (recorded after counted_at)
};

struct Stats {
  std::string key;    // "" for the total, a day "2026-11-23" or a modem id
  std::int64_t sent = 0, failed = 0, delivered = 0, undelivered = 0, received = 0;
};

// Addition: what became of a message the modem has finished with, for
// Store::advance(). The worker decides (src/dispatch/outcome.hpp); the store
// only writes it.
struct Finished {
  enum class Kind {
    none,       // nothing to record
    sent,       // as record_sent(id, modem, references)
    retry,      // as record_retry(id, reason, delay_seconds)
    failed,     // as record_failed(id, reason)
    unknown,    // as record_unknown(id, reason)
    give_back,  // never written to the modem: back to 'queued', attempt not
                // counted, even if advance() marked it handed early
  } kind = Kind::none;
  std::int64_t id = 0;
  std::string reason;
  int delay_seconds = 0;
  std::vector<int> references;
  // sent: also write one outbox_parts row per part, which only a message
  // that asked for a status report needs (reports are matched there).
  // outbox.refs gets the references either way.
  bool track_parts = true;
  // unknown, when some parts of a long message are known to have gone out:
  // `references` holds those parts' TP-MR from part 1 on, `total_parts` how
  // many the message has and `concat_ref` the concatenation reference they
  // carry, so a later retry can send just the rest (Store::retry).
  int total_parts = 0;
  int concat_ref = -1;
  // sent: words kept in last_error (e.g. that it went out in two goes); "" = NULL.
  std::string note;
};

// Addition: one step of a worker's pipeline in ONE write transaction.
struct Advance {
  Finished finished;           // the message the modem just finished
  std::int64_t hand_id = 0;    // the claimed row about to be written (0: none)
  bool claim = false;          // also claim the next due row, through the gate
};

// Addition (the sending policy): the frequency-limit counters of one server
// process, shared by its workers. Without it every claim reads and writes
// the policy_counters rows, three more B-tree pages per commit (+25 % CPU per
// message); with it the counts live in memory (what the table held when a
// key was first read, plus what this process has added since) and reach the
// table at most once a second, with the modem counters. Claims of all
// workers serialise on the database's write lock, so the shared counts are
// exact within the process; another process sees them up to a second late
// (one server process per database; several hosts: PostgreSQL, later).
// After a crash, recover_policy_counters() adds what the table misses from
// the rows themselves: outbox.counted_at later than the last flush.
class CounterCache {
 public:
  CounterCache();
  ~CounterCache();
  CounterCache(const CounterCache&) = delete;
  CounterCache& operator=(const CounterCache&) = delete;
  struct Impl;
  std::unique_ptr<Impl> impl;
};

// Addition (schema 6): the lists (number_lists) of one server process in
// memory, shared by its workers. Without it every claim searches the lists'
// B-tree (100,000 numbers: three pages, which every other connection's
// commit evicts from the connection's cache, so each claim reads them from
// the file again). With it a claim reads list_version, one row that
// triggers on number_lists bump (direct INSERTs by other programs count
// too); when it moved, the table is read again whole (an import, smsctl).
// This process's own changes (an opt-out by SMS) patch the copy after their
// commit instead. Checked inside the claim's transaction, so the answer is
// exactly what the table holds at that moment.
class ListCache {
 public:
  ListCache();
  ~ListCache();
  ListCache(const ListCache&) = delete;
  ListCache& operator=(const ListCache&) = delete;
  struct Impl;
  std::unique_ptr<Impl> impl;
};

class Store {
 public:
  // Opens (creating if needed) the database, sets WAL and the busy timeout,
  // runs forward migrations. Throws StoreError naming the path and the cause.
  static Store open(const std::string& path, int busy_timeout_ms = 10000);
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  // ---- dispatch ----
  // Atomically picks the next due row this modem may send (status 'queued',
  // send_at NULL or <= now, modem NULL or == modem_id, highest priority then
  // oldest), asks the gate, and either marks it 'sending' (attempts+1, claimed
  // by modem_id) and returns it, or records the gate's defer/reject and looks
  // at the next row. Returns nullopt when nothing is due.
  std::optional<OutRow> claim_next(std::string_view modem_id, const Gate& gate);
  // The first PDU of the message is about to be written to the modem: from now
  // on a crash leaves the row 'unknown', not 'queued'.
  void mark_handed(std::int64_t id);
  void record_sent(std::int64_t id, std::string_view modem_id, const std::vector<int>& references);
  // Back to 'queued' with send_at = now + delay and the reason in last_error.
  // The row keeps its `modem` column, so a row with modem NULL may be picked
  // up by any modem next time.
  void record_retry(std::int64_t id, std::string_view reason, int delay_seconds);
  void record_failed(std::int64_t id, std::string_view reason);
  void record_unknown(std::int64_t id, std::string_view reason);
  // Claimed but never handed (modem went away, shutdown): back to 'queued',
  // attempts not counted.
  void give_back(std::int64_t id);
  // Addition: records `a.finished`, marks `a.hand_id` handed and (if a.claim)
  // claims the next row like claim_next, all in one BEGIN IMMEDIATE ... COMMIT,
  // so a message costs one write transaction instead of three. Pending
  // count_modem() additions are written in it too. If anything throws (the
  // gate, SQLite), nothing of it is written. Returns the claimed row.
  // Marking the next row handed before its PDU is written is deliberate: a
  // crash in between leaves it 'unknown' (a person decides), never resent
  // silently; if it is then never written, Finished::give_back requeues it.
  std::optional<OutRow> advance(std::string_view modem_id, const Advance& a, const Gate& gate);
  // Addition: queued rows whose `modem` names a modem that is neither in the
  // modems table nor in `also_known` (this server's configured modems) become
  // 'failed' with last_error "no modem 'm9' is known to any server (known:
  // m1, m2)". Only the modems table counts as "known elsewhere", because other
  // server processes may share the database. Returns how many rows failed.
  int fail_unknown_modems(const std::vector<std::string>& also_known);
  // At start-up, before workers run: resolve rows left in 'sending' by a crash,
  // and add to each modem's counters the outcomes recorded after its
  // counted_at (a crash lost them). Only rows claimed by one of `modem_ids`
  // (this server's modems) and their modems rows are touched.
  Recovery recover(const std::vector<std::string>& modem_ids);
  // A status report: matches the sent part (modem, reference, recipient, most
  // recent first) and updates the outbox row when all parts are final.
  // Returns the outbox id, or nullopt if nothing matched.
  std::optional<std::int64_t> apply_status_report(std::string_view modem_id, int reference,
                                                  std::string_view recipient, int tp_st,
                                                  std::string_view status_words, bool delivered,
                                                  bool final, std::string_view discharge_utc);
  // Earliest future send_at among queued rows ("" if none): lets a worker sleep until then.
  std::string next_due_time();

  // ---- inbound ----
  // Stores a part in one transaction: a single message goes straight to inbox;
  // a part of a multipart message is persisted until its siblings arrive and
  // then the whole text is written to inbox. Re-delivered parts/messages are
  // recognised (same modem-independent sender, ref, total, seq, timestamp, text).
  StoreResult store_inbound(const InboundPart& part);
  // Parts waiting longer than max_wait_seconds become partial inbox rows
  // (missing parts shown as "[…]" and partial = 1). Returns new inbox ids.
  // (Addition: a missing part arriving later fills its gap in that same row,
  // store_inbound returns it as stored with that id, and the row is marked
  // unprocessed again; partial = 0 once every part is there.)
  std::vector<std::int64_t> flush_incomplete(int max_wait_seconds);

  // ---- modems ----
  void upsert_modem(const ModemRow& m);
  // Adds to the modem's sent/failed counters; call it just before recording
  // the outcome it counts. The addition is written in this Store's next write
  // transaction (claim_next, record_*, store_inbound, upsert_modem), by
  // modems() or flush_counts(), or when the Store closes - so counting a
  // message costs no commit of its own. advance(), the per-message path,
  // writes them at most once a second (and whenever its claim finds the queue
  // empty): the modems row is one more page per commit otherwise. Each write
  // stamps modems.counted_at, and later outcomes of this Store are recorded
  // after it, so what a crash leaves uncounted is found from the rows:
  // modems() adds it and recover() writes it. `received` is counted by
  // store_inbound and flush_incomplete in the inbox row's own transaction.
  void count_modem(std::string_view modem_id, int sent, int failed, int received);
  // Addition: writes pending count_modem() additions now.
  void flush_counts();
  // Addition: how often advance() writes pending counters (default 1 s).
  void set_count_interval(std::chrono::milliseconds every);
  std::vector<ModemRow> modems();

  // ---- queries and admin actions (smsctl, library API) ----
  // uses recipient, text, priority, send_at, modem, status_report, flash,
  // validity_minutes, ref, and (schema 5) kind, batch, submitted_by.
  std::int64_t enqueue(const OutRow& row);
  // Addition: many rows in ONE transaction (smsctl send --file); all or none.
  // progress (optional) is called with the number of rows inserted so far.
  std::vector<std::int64_t> enqueue_many(const std::vector<OutRow>& rows,
                                         const std::function<void(std::size_t)>& progress = {});
  std::vector<OutRow> find_out(std::string_view from_utc, std::string_view to_utc,
                               std::string_view status = {});
  std::optional<OutRow> get_out(std::int64_t id);
  std::vector<InRow> find_in(std::string_view from_utc, std::string_view to_utc, bool unprocessed_only = false);
  std::optional<InRow> get_in(std::int64_t id);
  bool set_processed(std::int64_t id, bool processed = true);
  // queued/unknown/failed -> cancelled. Returns false (with why) otherwise.
  bool cancel(std::int64_t id, std::string* why = nullptr);
  // unknown/failed/cancelled -> queued (attempts reset). Returns false (with why) otherwise.
  // A partly sent long message (some parts' references recorded, fewer than
  // its parts) is resumed: only the missing parts go out, through the modem
  // that sent the others and with the same concatenation reference, so the
  // recipient's phone joins them; last_error says so. That needs the modem
  // ready (modems table): otherwise nothing changes and `why` asks for
  // RetryMode::whole, which sends every part again.
  enum class RetryMode { resume, whole };
  bool retry(std::int64_t id, std::string* why = nullptr, RetryMode mode = RetryMode::resume);
  std::int64_t queue_depth();                 // queued + sending
  std::vector<Stats> stats(std::string_view from_utc, std::string_view to_utc, std::string_view by);  // by: "", "day", "modem"

  // ---- the sending policy (schema 5) ----
  // Facts for the claim gate, read on this connection (inside the claim's
  // transaction when called from a gate):
  // the lists `e164` is on, as a mask: 1 whitelist, 2 blacklist, 4 optout.
  unsigned number_lists(const std::string& e164);
  // Answer number_lists() from a process's shared copy (the server's
  // workers; see ListCache).
  void set_list_cache(std::shared_ptr<ListCache> cache);
  // Reads the lists into that copy now (the server, at start, before the
  // first claim): about 50 ms for 100,000 numbers.
  void load_lists();
  // A policy counter (0 if absent).
  std::int64_t counter(const std::string& key);
  // Several (out[i] for keys[i]; out has keys.size() entries), eight a query.
  void counters(const std::vector<std::string>& keys, std::vector<std::int64_t>& out);
  // Use a process's shared counters (the server's workers; see CounterCache).
  void set_counter_cache(std::shared_ptr<CounterCache> cache);
  // At start, before workers claim: counts of rows claimed after the last
  // flush of a CounterCache (a crash lost them) are added to the table.
  // Returns how many rows were added.
  std::int64_t recover_policy_counters();
  // Rows of a batch, counted up to `at_most`.
  int batch_rows(std::int64_t batch, int at_most);

  // Lists. Numbers are E.164 already (the caller normalises). One
  // transaction, one audit row per call (with the numbers when few).
  struct ListEntry {
    std::string number, list, added_at, added_by, source, note;
    std::int64_t inbox_id = 0;
  };
  struct ListChange {
    int added = 0, duplicate = 0, removed = 0, missing = 0;
  };
  ListChange list_add(std::string_view list, const std::vector<std::string>& numbers, std::string_view note,
                      std::string_view source, std::string_view actor);
  ListChange list_remove(std::string_view list, const std::vector<std::string>& numbers, std::string_view actor);
  std::vector<ListEntry> list_entries(std::string_view list);

  // An opt-out by SMS, in ONE transaction: `e164` goes on the opt-out list
  // (inbox id, keyword), queued and pending rows to that number whose kind
  // is in `kinds` become 'blocked' (same_number decides which recipients are
  // that number; kind NULL counts as default_kind), the reply (if any) is
  // queued to `reply_to` as an exempt notice (submitted_by 'smserver'), and
  // the audit log records it. Already on the list: nothing but the audit row.
  struct OptOut {
    bool added = false;
    int blocked = 0;
    std::int64_t reply_id = 0;
  };
  OptOut record_optout(const std::string& e164, std::int64_t inbox_id, std::string_view keyword,
                       const std::vector<std::string>& kinds, std::string_view default_kind,
                       const std::function<bool(const std::string& recipient)>& same_number,
                       std::string_view reply_to, std::string_view reply_text);

  // Batches.
  std::int64_t create_batch(std::string_view created_by, std::string_view kind, std::string_view note);

  // Approval. Every id is answered: changed, or refused with why ("outbox 7
  // is sent, not waiting for approval", "you submitted outbox 7 yourself;
  // four-eyes approval needs another approver").
  struct ActResult {
    std::vector<std::int64_t> changed;
    std::vector<std::pair<std::int64_t, std::string>> refused;
  };
  std::vector<OutRow> pending_approval();
  std::vector<std::int64_t> batch_ids(std::int64_t batch, std::string_view status);
  ActResult approve(const std::vector<std::int64_t>& ids, std::string_view actor, std::string_view note, bool four_eyes);
  ActResult reject(const std::vector<std::int64_t>& ids, std::string_view actor, std::string_view note);

  // The audit log.
  struct AuditEntry {
    std::int64_t id = 0;
    std::string at, actor, action, object, details;
  };
  // Writes one entry (in the open transaction if there is one, else its own).
  void audit(std::string_view actor, std::string_view action, std::string_view object, std::string_view details);
  struct AuditQuery {
    std::string from_utc, to_utc;    // "" = unbounded
    std::string actor, action;       // "" = any
    std::vector<std::string> objects;   // any of these; empty = any
  };
  std::vector<AuditEntry> find_audit(const AuditQuery& q);
  // Retention: audit entries older than audit_days, and (message_days > 0)
  // terminal outbox rows and inbox rows older than message_days; counters
  // not touched for 40 days. 0 = keep. Never a queued, sending, held or
  // pending row. Returns rows deleted (audit, outbox, inbox).
  struct Purged {
    std::int64_t audit = 0, outbox = 0, inbox = 0, counters = 0;
  };
  Purged purge(int audit_days, int message_days);

  // ---- the address book (schema 7) ----
  // Numbers are E.164 already (the caller normalises). A department owns
  // its contacts and groups; "" is no department. Every change is one
  // transaction with one audit row.
  struct Contact {
    std::int64_t id = 0;
    std::string name, number, department, note, created_at, updated_at, created_by;
    std::vector<std::pair<std::string, std::string>> fields;   // free fields, sorted by name
  };
  // Adds contacts; a number already in its department is a duplicate
  // (counted, left as it is). With `group` (a group id, 0 = none) every
  // contact of the call, duplicates too, joins that group.
  struct ContactsAdded {
    int added = 0, duplicate = 0, joined = 0;   // joined: new members of the group
    std::vector<std::int64_t> ids;              // per input contact: the new or the existing id
  };
  ContactsAdded contacts_add(const std::vector<Contact>& contacts, std::int64_t group, std::string_view source,
                             std::string_view actor);
  // Changes the given fields of contact `id`; fields: the free fields are
  // replaced as a whole. "" = done; else why not ("no contact 7", "+86… is
  // already in the address book of department 'sales' as 张三").
  struct ContactEdit {
    std::optional<std::string> name, number, department, note;
    std::optional<std::vector<std::pair<std::string, std::string>>> fields;
  };
  std::string contact_edit(std::int64_t id, const ContactEdit& edit, std::string_view actor);
  // Removes contacts (and their memberships); returns how many existed.
  int contacts_remove(const std::vector<std::int64_t>& ids, std::string_view actor);
  std::optional<Contact> contact(std::int64_t id);
  // A page of contacts by id, after `after_id`: in one department or all,
  // members of one group, matching a search text (in the name, number, note
  // or a free field's value).
  struct ContactQuery {
    std::optional<std::string> department;   // nullopt: every department
    std::int64_t group = 0;                  // 0: any
    std::string search;                      // "": any
    std::int64_t after_id = 0;
    int limit = 1000;
  };
  std::vector<Contact> contacts(const ContactQuery& q);
  // The contacts with this number, in any department.
  std::vector<Contact> contacts_by_number(const std::string& e164);

  struct Group {
    std::int64_t id = 0;
    std::string name, department, note, created_at, created_by;
    std::int64_t members = 0;
  };
  // "" = created (id in *id); else why not ("group 'drivers' exists in department 'sales'").
  std::string group_add(std::string_view name, std::string_view department, std::string_view note,
                        std::string_view actor, std::int64_t* id = nullptr);
  // Removes a group and its memberships (never the contacts). False: no such group.
  bool group_remove(std::int64_t id, std::string_view actor);
  std::optional<Group> group(std::string_view name, std::string_view department);
  std::optional<Group> group(std::int64_t id);
  std::vector<Group> groups(const std::optional<std::string>& department);
  struct Membership {
    int changed = 0, unchanged = 0, missing = 0;   // missing: no such contact
  };
  Membership group_add_members(std::int64_t group, const std::vector<std::int64_t>& contacts, std::string_view actor);
  Membership group_remove_members(std::int64_t group, const std::vector<std::int64_t>& contacts,
                                  std::string_view actor);

  // PRAGMA data_version: changes when another connection commits.
  std::int64_t data_version();
  // Addition: data_version as read inside the last claim's transaction
  // (claim_next, or advance with a.claim): every commit of another connection
  // before the claim is in it, so a later data_version() that differs means
  // something changed since the claim looked. Saves the separate read
  // transaction (and its locks) a data_version() call would cost per claim.
  std::int64_t claim_data_version() const;
  sqlite3* handle() { return db_; }
  // Addition: the path it was opened with (for messages).
  const std::string& path() const;
  // Addition: the schema version of the open database (PRAGMA user_version).
  int schema_version();

 private:
  explicit Store(sqlite3* db);
  sqlite3* db_ = nullptr;
  std::unique_ptr<detail::Conn> conn_;   // owns db_ and the prepared-statement cache
};

// Addition: the schema version this build creates and migrates to.
int latest_schema_version();

// "YYYY-MM-DD HH:MM:SS.SSS" for now (UTC), and offset by seconds.
std::string utc_now();
std::string utc_in(int seconds_from_now);
// Addition: digits of a phone number for matching ("+86 138-0013-8000" ->
// "8613800138000"); numbers_match compares the last 8+ digits so "+8613800138000",
// "8613800138000" and "013800138000" match "13800138000".
std::string number_digits(std::string_view number);
bool numbers_match(std::string_view a, std::string_view b);
// Addition: outbox.refs text <-> part references ("17,18,19" <-> {17, 18, 19}).
std::string join_refs(const std::vector<int>& references);
std::vector<int> split_refs(std::string_view refs);
// Addition: "part 3" or "parts 1–2" (for reasons shown to people).
std::string part_range(int first, int last);

}  // namespace sms::db
