#pragma once
// The sending policy: the written rules of enterprise SMS in China (message
// kinds, white/black lists, opt-out, frequency limits, quiet hours and
// holidays, signature, length, banned words, region, approval), as a pure
// function:  message + facts + clock -> decision.
//
// The claim gate calls decide() for every due row inside the claim
// transaction; `smsctl policy check` calls it for a message that does not
// exist yet. Facts (list membership, counters) come through an interface the
// store implements on its open transaction and tests implement with a table.
// Every rule is off unless configured; every decision carries a reason in
// words and the name of the rule that made it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/policy/kinds.hpp"
#include "src/policy/number.hpp"
#include "src/policy/text.hpp"
#include "src/policy/zone.hpp"

namespace sms::policy {

// ---- configuration (<policy> in smserver.xml; src/config loads it) --------

struct ListRule {        // <whitelist kinds=.../>, <blacklist kinds=.../>
  KindSet kinds = 0;
};
struct OptOutRule {      // <optout keywords="TD,退订" reply="..." kinds="bulk"/>
  std::vector<std::string> keywords;        // as written
  std::vector<std::string> folded;          // fold_trimmed(keyword), same order
  std::string reply;                        // "" = no reply
  KindSet kinds = bit(Kind::bulk);
};
struct Limit {           // <limit scope="recipient" per="day" max="1" kinds="bulk"/>
  enum class Scope { recipient, total, modem } scope = Scope::recipient;
  enum class Per { hour, day, month } per = Per::day;
  int max = 0;
  KindSet kinds = bit(Kind::bulk);
};
struct QuietWindow {     // <quiet from="22:00" to="08:00" kinds="bulk"/>; from > to wraps midnight
  int from = 0, to = 0;  // minutes since local midnight, [from, to)
  KindSet kinds = bit(Kind::bulk);
};
struct Holiday {         // <holiday date="..."/> or from/to, local dates, inclusive
  std::string first, last;   // "YYYY-MM-DD"
  KindSet kinds = bit(Kind::bulk);
};
struct SignatureRule {   // <signature text="【某某公司】" position="end"/>
  std::string text;
  bool at_start = false;
  KindSet kinds = kAllKinds;
};
struct MaxLengthRule {   // <maxLength chars="65" kinds="bulk"/>
  int chars = 0;
  KindSet kinds = bit(Kind::bulk);
};
struct BannedWordsRule { // <bannedWords file="banned-words.txt"/>
  std::string file;          // absolute path (resolved against the config's folder)
  WordList words;
  KindSet kinds = kAllKinds;
};
struct RegionRule {      // <region allow="安徽省,南京市" kinds="bulk"/>
  std::vector<std::string> allow;
  KindSet kinds = bit(Kind::bulk);
};
struct ApprovalRule {    // <approval kinds="bulk" minRecipients="1" fourEyes="true"/>
  KindSet kinds = bit(Kind::bulk);
  int min_recipients = 1;
  bool four_eyes = false;
};
struct Retention {       // <retention audit="180d" messages="0"/>; 0 = keep forever
  int audit_days = 0;
  int message_days = 0;
};

struct Policy {
  Kind default_kind = Kind::notice;            // <policy defaultKind>
  std::string default_region = "CN";           // <policy defaultRegion>
  std::optional<ListRule> whitelist, blacklist;
  std::optional<OptOutRule> optout;
  std::vector<Limit> limits;
  std::vector<QuietWindow> quiet;
  std::vector<Holiday> holidays;
  std::optional<SignatureRule> signature;
  std::optional<MaxLengthRule> max_length;
  std::optional<BannedWordsRule> banned_words;
  std::optional<RegionRule> region;
  std::optional<ApprovalRule> approval;
  Retention retention;
  // Any rule that can change a row's fate configured? (false: the claim gate
  // skips the policy entirely, as before schema 5.)
  bool any_rule() const;
};

// ---- facts the decision needs from the database ------------------------

enum class List : std::uint8_t { whitelist = 1, blacklist = 2, optout = 4 };
inline constexpr unsigned bit(List l) { return static_cast<unsigned>(l); }
std::string_view to_string(List l);            // "whitelist", "blacklist", "optout"

class Facts {
 public:
  virtual ~Facts() = default;
  // The lists `e164` is on, as a mask of bit(List).
  virtual unsigned lists(const std::string& e164) = 0;
  // The counter `key` (see counter_key) - 0 if it does not exist.
  virtual std::int64_t count(const std::string& key) = 0;
  // Several counters at once (out has keys.size() entries): the store reads
  // them with one query. The default asks count() for each.
  virtual void counts(const std::vector<std::string>& keys, std::vector<std::int64_t>& out) {
    for (std::size_t i = 0; i < keys.size(); ++i) out[i] = count(keys[i]);
  }
};

// Counters count what was handed to a modem (sent, delivered, undelivered,
// unknown), never what waits: the store adds 1 to each of a send decision's
// `count` keys when it claims the row and takes it back if the row ends
// failed, is retried or given back. Keys name the scope, the kind and the
// local period:
//   r|bulk|d|2026-12-07|+8613955112345    recipient, per day
//   t|bulk|d|2026-12-07                   distinct recipients, per day
//   m|notice|h|2026-12-07T14|m1           modem, per hour
// Months are "2026-12". A "t" key counts a recipient once per period: the
// decision adds it only when that recipient's "r" key for the same kind and
// period is 0, and writes it as "t|...?r|..." so the store takes it back only
// when the "r" key returns to 0.
std::string counter_key(Limit::Scope scope, Kind kind, Limit::Per per, const Civil& local,
                        const std::string& who);   // who: e164, modem id, or "" for total
std::string period_text(Limit::Per per, const Civil& local);   // "2026-12-07T14", "2026-12-07", "2026-12"

// ---- the message and the decision -----------------------------------------

struct Message {
  std::int64_t id = 0;                 // 0 for smsctl policy check
  std::string recipient;               // as written
  std::string text;                    // valid UTF-8 (the gate's validation ran first)
  std::optional<std::string> kind;     // outbox.kind as written; nullopt = NULL
  std::int64_t batch = 0;              // 0 = none
  int batch_rows = 1;                  // rows of its batch (1 without one)
  bool approved = false;               // approved_by is set
  bool exempt = false;                 // the server's own replies (opt-out confirmation): no time rules, no limits
  std::string modem;                   // the modem that would send it ("" = unknown: no modem limits)
  int max_parts = 10;                  // dispatch maxParts
};

struct Decision {
  enum class Action { send, defer, block, approval, fail } action = Action::send;
  std::string rule;                    // which rule decided: "kind", "blacklist", "optout", "whitelist",
                                       // "region", "bannedWords", "maxLength", "approval", "limit",
                                       // "quiet", "holiday"; "" for send
  std::string reason;                  // in words, for outbox.reason and the audit log
  Seconds until{};                     // defer: the first moment every rule allows it
  Kind kind = Kind::notice;            // the kind the message has (after defaultKind)
  Number number;                       // the recipient, normalised
  std::string text;                    // the text to send (signature added)
  bool text_changed = false;
  int parts = 0;                       // SMS parts of `text`
  std::vector<std::string> count;      // send: counter keys to add 1 to (see counter_key)
  // defer by a modem limit only: that modem is full, others may not be;
  // the store then leaves the row for other modems instead of moving send_at.
  bool modem_full = false;
};

std::string_view to_string(Decision::Action a);   // "send", "defer", "block", "approval", "fail"

// The decision. Never throws for any message content. Rule order: kind,
// blacklist, opt-out, whitelist, region, signature (added), banned words,
// max length, approval, then the time rules (quiet hours, holidays, limits),
// which together give the first moment at which all of them allow the message.
Decision decide(const Policy& p, const Message& m, Facts& facts, Numbers& numbers, const Zone& zone, Seconds now);

// Is an inbound text an opt-out request (its whole text, trimmed and folded,
// one of the keywords)? Returns the keyword as configured.
std::optional<std::string> optout_keyword(const Policy& p, std::string_view inbound_text);

}  // namespace sms::policy
