// The sending policy's decision: message + facts + clock -> decision.
// Rule order (policy.hpp): kind, blacklist, opt-out, whitelist, region,
// signature (added), banned words, max length, parts, approval, then the time
// rules (quiet hours, holidays, limits), which together give the first moment
// at which all of them allow the message.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>

#include "modem/pdu/pdu.hpp"
#include "src/policy/policy.hpp"

namespace sms::policy {
namespace {

// Enough for any sane configuration: each step moves past a quiet window,
// a holiday range or the current period of a limit. Quiet windows that
// together cover the whole day never end; the bound turns that into a block.
constexpr int kMaxTimeSteps = 1000;

// "bulk messages", "notices": the message's kind in a sentence.
std::string kind_plural(Kind k) { return k == Kind::bulk ? "bulk messages" : "notices"; }

// The kinds a limit counts, as a noun with its number.
std::string kinds_noun(KindSet s, std::int64_t n) {
  const bool one = n == 1;
  if (s == bit(Kind::bulk)) return one ? "bulk message" : "bulk messages";
  if (s == bit(Kind::notice)) return one ? "notice" : "notices";
  return one ? "message" : "messages";
}

std::string_view per_word(Limit::Per per) {
  switch (per) {
    case Limit::Per::hour: return "hour";
    case Limit::Per::day: return "day";
    case Limit::Per::month: return "month";
  }
  return "day";
}

std::string_view this_period(Limit::Per per) {
  switch (per) {
    case Limit::Per::hour: return "this hour";
    case Limit::Per::day: return "today";
    case Limit::Per::month: return "this month";
  }
  return "today";
}

// "2026-12-08 08:00" (seconds only when not 0).
std::string local_text(const Zone& zone, Seconds t) {
  const Civil c = zone.to_local(t);
  if (c.second != 0)
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute, c.second);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute);
}

Civil midnight(const Civil& c) {
  Civil d = c;
  d.hour = d.minute = d.second = 0;
  return d;
}

// The first moment of the period after the one `local` is in.
Civil next_period_start(Limit::Per per, const Civil& local) {
  Civil c = midnight(local);
  switch (per) {
    case Limit::Per::hour:
      if (local.hour >= 23) return add_days(c, 1);
      c.hour = local.hour + 1;
      return c;
    case Limit::Per::day:
      return add_days(c, 1);
    case Limit::Per::month:
      c.day = 1;
      if (++c.month > 12) {
        c.month = 1;
        ++c.year;
      }
      return c;
  }
  return add_days(c, 1);
}

bool in_quiet(const QuietWindow& q, int minute) {
  if (q.from == q.to) return false;   // empty window
  if (q.from < q.to) return minute >= q.from && minute < q.to;
  return minute >= q.from || minute < q.to;   // wraps midnight
}

// The end of the quiet window q that contains `local`, as local wall time.
Civil quiet_end(const QuietWindow& q, const Civil& local) {
  Civil c = midnight(local);
  if (q.from > q.to && local.minutes_of_day() >= q.from) c = add_days(c, 1);
  c.hour = q.to / 60;
  c.minute = q.to % 60;
  return c;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// Counters read during one decision, each once (a handful: a flat list).
class Counts {
 public:
  explicit Counts(Facts& f) : facts_(f) {}
  std::int64_t operator()(const std::string& key) {
    for (const auto& [k, n] : cache_)
      if (k == key) return n;
    const std::int64_t n = facts_.count(key);
    cache_.emplace_back(key, n);
    return n;
  }
  // Reads all of `keys` in one go (one query for the store).
  void prefetch(const std::vector<std::string>& keys) {
    if (keys.empty()) return;
    std::vector<std::int64_t> n(keys.size(), 0);
    facts_.counts(keys, n);
    for (std::size_t i = 0; i < keys.size(); ++i) cache_.emplace_back(keys[i], n[i]);
  }

 private:
  Facts& facts_;
  std::vector<std::pair<std::string, std::int64_t>> cache_;
};

struct LimitState {
  const Limit* limit = nullptr;
  std::string who;          // e164, modem id, "" for total
  std::string keys[kKindCount];   // now's counter key for each kind the limit counts ("" for the others)
  std::int64_t count = 0;   // in now's period
  bool full = false;        // no room in now's period
};

// Do two local times fall in the same period of a limit?
bool same_period(Limit::Per per, const Civil& a, const Civil& b) {
  if (a.year != b.year || a.month != b.month) return false;
  if (per == Limit::Per::month) return true;
  if (a.day != b.day) return false;
  return per == Limit::Per::day || a.hour == b.hour;
}

// "limit of 1 bulk message per recipient per day"
std::string limit_name(const Limit& l) {
  switch (l.scope) {
    case Limit::Scope::recipient:
      return fmt::format("limit of {} {} per recipient per {}", l.max, kinds_noun(l.kinds, l.max), per_word(l.per));
    case Limit::Scope::total:
      return fmt::format("limit of {} distinct recipients of {} per {}", l.max, kinds_noun(l.kinds, 2),
                         per_word(l.per));
    case Limit::Scope::modem:
      return fmt::format("limit of {} {} per modem per {}", l.max, kinds_noun(l.kinds, l.max), per_word(l.per));
  }
  return "limit";
}

// "limit of 1 bulk message per recipient per day reached (1 sent today)"
std::string limit_reason(const LimitState& s, const std::string& modem) {
  const Limit& l = *s.limit;
  switch (l.scope) {
    case Limit::Scope::recipient:
      return fmt::format("{} reached ({} sent {})", limit_name(l), s.count, this_period(l.per));
    case Limit::Scope::total:
      return fmt::format("{} reached ({} {})", limit_name(l), s.count, this_period(l.per));
    case Limit::Scope::modem:
      return fmt::format("{} reached ({} sent by {} {})", limit_name(l), s.count, modem, this_period(l.per));
  }
  return limit_name(l) + " reached";
}

char scope_letter(Limit::Scope s) {
  switch (s) {
    case Limit::Scope::recipient: return 'r';
    case Limit::Scope::total: return 't';
    case Limit::Scope::modem: return 'm';
  }
  return 'r';
}

char per_letter(Limit::Per p) {
  switch (p) {
    case Limit::Per::hour: return 'h';
    case Limit::Per::day: return 'd';
    case Limit::Per::month: return 'm';
  }
  return 'd';
}

}  // namespace

bool Policy::any_rule() const {
  return whitelist || blacklist || optout || !limits.empty() || !quiet.empty() || !holidays.empty() || signature ||
         max_length || banned_words || region || approval;
}

std::string_view to_string(List l) {
  switch (l) {
    case List::whitelist: return "whitelist";
    case List::blacklist: return "blacklist";
    case List::optout: return "optout";
  }
  return "list";
}

std::string_view to_string(Decision::Action a) {
  switch (a) {
    case Decision::Action::send: return "send";
    case Decision::Action::defer: return "defer";
    case Decision::Action::block: return "block";
    case Decision::Action::approval: return "approval";
    case Decision::Action::fail: return "fail";
  }
  return "send";
}

namespace {
// Digits written by hand: period_text runs for every counter key of every
// claimed message, where fmt::format cost 2 us a key.
void put_digits(std::string& out, int value, int width) {
  char buf[8];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}
}  // namespace

std::string period_text(Limit::Per per, const Civil& local) {
  std::string out;
  out.reserve(13);
  put_digits(out, local.year, 4);
  out += '-';
  put_digits(out, local.month, 2);
  if (per == Limit::Per::month) return out;
  out += '-';
  put_digits(out, local.day, 2);
  if (per == Limit::Per::day) return out;
  out += 'T';
  put_digits(out, local.hour, 2);
  return out;
}

namespace {
std::string key_in(Limit::Scope scope, Kind kind, Limit::Per per, std::string_view period, const std::string& who) {
  std::string key;
  key.reserve(8 + period.size() + who.size() + 8);
  key += scope_letter(scope);
  key += '|';
  key += to_string(kind);
  key += '|';
  key += per_letter(per);
  key += '|';
  key += period;
  if (!who.empty()) {
    key += '|';
    key += who;
  }
  return key;
}
}  // namespace

std::string counter_key(Limit::Scope scope, Kind kind, Limit::Per per, const Civil& local, const std::string& who) {
  return key_in(scope, kind, per, period_text(per, local), who);
}

Decision decide(const Policy& p, const Message& m, Facts& facts, Numbers& numbers, const Zone& zone, Seconds now) {
  Decision d;
  d.text = m.text;
  d.kind = p.default_kind;
  d.number = numbers.normalise(m.recipient);
  // The name the lists and counters know the recipient by; an invalid number
  // has no E.164 form, so its trimmed spelling stands in.
  std::string who = d.number.e164;
  if (who.empty()) {
    const auto b = m.recipient.find_first_not_of(" \t");
    const auto e = m.recipient.find_last_not_of(" \t");
    if (b != std::string::npos) who = m.recipient.substr(b, e - b + 1);
  }
  auto count_parts = [&d] {
    // A group send decides the same text for every row: this thread's last
    // count is kept (counting decodes the whole text).
    thread_local std::string last_text;
    thread_local std::optional<decltype(pdu::count_text(d.text))> last;
    if (!last || last_text != d.text) {
      last = pdu::count_text(d.text);
      last_text = d.text;
    }
    auto c = *last;
    d.parts = c ? c->parts : 0;
    return c;
  };

  // 1. kind
  if (m.kind) {
    auto k = parse_kind(*m.kind);
    if (!k) {
      count_parts();
      d.action = Decision::Action::fail;
      d.rule = "kind";
      d.reason = fmt::format("kind '{}' is not a message kind (notice or bulk)", *m.kind);
      return d;
    }
    d.kind = *k;
  }
  const Kind kind = d.kind;
  const std::string kinds_text = kind_plural(kind);

  // Signature and parts first, so that every decision shows the final text.
  const bool sign = p.signature && has(p.signature->kinds, kind) && !p.signature->text.empty();
  if (sign && d.text.find(p.signature->text) == std::string::npos) {
    d.text = p.signature->at_start ? p.signature->text + d.text : d.text + p.signature->text;
    d.text_changed = true;
  }
  const auto parts = count_parts();

  auto finish = [&d](Decision::Action a, std::string rule, std::string reason) {
    d.action = a;
    d.rule = std::move(rule);
    d.reason = std::move(reason);
    return d;
  };

  // 2. lists
  const bool black = p.blacklist && has(p.blacklist->kinds, kind);
  const bool opted = p.optout && has(p.optout->kinds, kind);
  const bool white = p.whitelist && has(p.whitelist->kinds, kind);
  if (black || opted || white) {
    const unsigned on = facts.lists(who);
    if (black && (on & bit(List::blacklist)))
      return finish(Decision::Action::block, "blacklist", fmt::format("the recipient {} is on the blacklist", who));
    if (opted && (on & bit(List::optout)))
      return finish(Decision::Action::block, "optout",
                    fmt::format("the recipient {} has opted out of {}", who, kinds_text));
    if (white && !(on & bit(List::whitelist)))
      return finish(Decision::Action::block, "whitelist",
                    fmt::format("the recipient {} is not on the whitelist ({} go only to listed numbers)", who,
                                kinds_text));
  }

  // 3. region
  if (p.region && has(p.region->kinds, kind)) {
    const std::string where = d.number.valid() ? numbers.region(d.number) : std::string();
    bool allowed = false;
    if (!where.empty())
      for (const auto& a : p.region->allow)
        if (region_allows(where, a)) {
          allowed = true;
          break;
        }
    if (!allowed) {
      const std::string list = join(p.region->allow, ", ");
      if (where.empty())
        return finish(Decision::Action::block, "region",
                      fmt::format("the province/city of {} is unknown; {} may go only to {}", who, kinds_text, list));
      return finish(Decision::Action::block, "region",
                    fmt::format("{} is in {}; {} may go only to {}", who, where, kinds_text, list));
    }
  }

  // 4. banned words (in the final text: a signature could hold one too)
  if (p.banned_words && has(p.banned_words->kinds, kind)) {
    if (auto w = p.banned_words->words.find(d.text))
      return finish(Decision::Action::block, "bannedWords", fmt::format("the text contains the banned word '{}'", *w));
  }

  // 5. max length
  if (p.max_length && has(p.max_length->kinds, kind)) {
    const std::size_t n = char_count(d.text);
    if (n > static_cast<std::size_t>(std::max(p.max_length->chars, 0)))
      return finish(Decision::Action::block, "maxLength",
                    fmt::format("the text has {} characters{}; {} may have at most {}", n,
                                sign ? " (signature included)" : "", kinds_text, p.max_length->chars));
  }

  // 6. SMS parts (dispatch maxParts)
  if (!parts)
    return finish(Decision::Action::fail, "length", fmt::format("text is not valid UTF-8: {}", parts.error()));
  if (parts->parts > m.max_parts)
    return finish(Decision::Action::fail, "length",
                  fmt::format("text too long: it needs {} SMS parts ({} {} units{}), the limit is {} parts "
                              "(dispatch maxParts)",
                              parts->parts, parts->units, pdu::to_string(parts->encoding),
                              d.text_changed ? ", signature included" : "", m.max_parts));

  // 7. approval
  if (p.approval && has(p.approval->kinds, kind) && !m.approved && m.batch_rows >= p.approval->min_recipients) {
    // The store counts a batch's rows only up to minRecipients (that is all
    // the rule needs), so a batch of that size may have more.
    const bool capped = m.batch != 0 && m.batch_rows > 1 && m.batch_rows == p.approval->min_recipients;
    const std::string rows = fmt::format("{}{} recipient{}", capped ? "at least " : "", m.batch_rows,
                                         m.batch_rows == 1 ? "" : "s");
    const std::string what = m.batch != 0 ? fmt::format("batch {} has {}", m.batch, rows) : rows;
    return finish(Decision::Action::approval, "approval",
                  fmt::format("{} need approval ({}{})", kinds_text, what, p.approval->four_eyes ? "; four-eyes" : ""));
  }

  // 8. time rules and limits. Every counter key is made once, in now's period.
  Counts counts(facts);
  const Civil local_now = zone.to_local(now);
  std::string periods[3];   // now's period text, by Limit::Per, made when first needed
  auto period = [&](Limit::Per per) -> const std::string& {
    std::string& p = periods[static_cast<int>(per)];
    if (p.empty()) p = period_text(per, local_now);
    return p;
  };
  std::string r_keys[3];    // the recipient's key of this kind, by Limit::Per
  auto r_key = [&](Limit::Per per) -> const std::string& {
    std::string& k = r_keys[static_cast<int>(per)];
    if (k.empty()) k = key_in(Limit::Scope::recipient, kind, per, period(per), who);
    return k;
  };

  std::vector<LimitState> limits;
  limits.reserve(p.limits.size());
  for (const auto& l : p.limits) {
    if (!has(l.kinds, kind)) continue;
    if (l.scope == Limit::Scope::modem && m.modem.empty()) continue;
    LimitState& s = limits.emplace_back();
    s.limit = &l;
    s.who = l.scope == Limit::Scope::recipient ? who : l.scope == Limit::Scope::modem ? m.modem : std::string();
    for (int k = 0; k < kKindCount; ++k)
      if (has(l.kinds, static_cast<Kind>(k)))
        s.keys[k] = key_in(l.scope, static_cast<Kind>(k), l.per, period(l.per), s.who);
  }

  if (!m.exempt) {
    {
      std::vector<std::string> keys;
      for (const auto& s : limits) {
        for (const auto& k : s.keys)
          if (!k.empty()) keys.push_back(k);
        if (s.limit->scope == Limit::Scope::total) keys.push_back(r_key(s.limit->per));
      }
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      counts.prefetch(keys);
    }
    // Counts in now's period (a later period has counted nothing yet).
    for (auto& s : limits) {
      const Limit& l = *s.limit;
      for (const auto& k : s.keys)
        if (!k.empty()) s.count += counts(k);
      s.full = s.count >= l.max;
      // A recipient already counted in this period adds nothing to a total.
      if (s.full && l.scope == Limit::Scope::total && l.max > 0 && counts(r_key(l.per)) > 0) s.full = false;
      if (l.max <= 0)
        return finish(Decision::Action::block, "limit", limit_name(l) + " allows no message at all");
    }

    struct HolidaySpan {
      std::string_view first, last;   // canonical "YYYY-MM-DD" (the config checked them), compared as text
      const std::string* last_text;
    };
    std::vector<const QuietWindow*> quiet;
    for (const auto& q : p.quiet)
      if (has(q.kinds, kind) && q.from != q.to) quiet.push_back(&q);
    std::vector<HolidaySpan> holidays;
    for (const auto& h : p.holidays) {
      if (!has(h.kinds, kind)) continue;
      const std::string& last = h.last.empty() ? h.first : h.last;
      holidays.push_back({h.first, last, &last});
    }

    // What blocks at now, in rule order (quiet, holiday, limit).
    std::string first_rule, first_what;
    bool only_modem = true;
    Seconds t = now;
    bool settled = false;
    for (int step = 0; step < kMaxTimeSteps; ++step) {
      const Civil local = step == 0 ? local_now : zone.to_local(t);
      const int minute = local.minutes_of_day();
      const std::string date = holidays.empty() ? std::string() : period_text(Limit::Per::day, local);
      Seconds next = t;
      bool blocked = false;
      // what(): the words for the reason, only made for the rule that blocks at now.
      auto block_until = [&](Seconds until, const char* rule, auto&& what, bool modem) {
        blocked = true;
        next = std::max(next, until > t ? until : t + std::chrono::seconds(1));
        if (step != 0) return;
        if (!modem) only_modem = false;
        if (first_rule.empty()) {
          first_rule = rule;
          first_what = what();
        }
      };
      for (const auto* q : quiet)
        if (in_quiet(*q, minute))
          block_until(zone.to_utc(quiet_end(*q, local)), "quiet", [&] {
            return fmt::format("quiet hours {}\u2013{} for {}", format_hhmm(q->from), format_hhmm(q->to), kinds_text);
          }, false);
      for (const auto& h : holidays) {
        if (date < h.first || date > h.last) continue;
        const auto last = parse_date(*h.last_text);
        if (!last) continue;
        block_until(zone.to_utc(add_days(*last, 1)), "holiday", [&] {
          return h.last == h.first ? fmt::format("holiday {} for {}", h.first, kinds_text)
                                   : fmt::format("holiday {} to {} for {}", h.first, h.last, kinds_text);
        }, false);
      }
      for (const auto& s : limits) {
        if (!s.full) continue;
        if (!same_period(s.limit->per, local, local_now)) continue;
        block_until(zone.to_utc(next_period_start(s.limit->per, local)), "limit",
                    [&] { return limit_reason(s, m.modem); }, s.limit->scope == Limit::Scope::modem);
      }
      if (!blocked) {
        settled = true;
        break;
      }
      t = next;
    }
    if (!settled)
      return finish(Decision::Action::block, first_rule,
                    fmt::format("{}; the time rules together allow no moment after {}", first_what,
                                local_text(zone, t)));
    if (t > now) {
      d.until = t;
      d.modem_full = only_modem;
      return finish(Decision::Action::defer, first_rule,
                    fmt::format("{}; deferred to {}", first_what, local_text(zone, t)));
    }
  }

  // 9. send: the counters it adds to, in now's period.
  auto add = [&d](std::string key) {
    if (std::find(d.count.begin(), d.count.end(), key) == d.count.end()) d.count.push_back(std::move(key));
  };
  for (auto& s : limits) {
    const Limit& l = *s.limit;
    std::string& own = s.keys[static_cast<int>(kind)];   // this message's kind: it has(l.kinds, kind)
    switch (l.scope) {
      case Limit::Scope::recipient:
      case Limit::Scope::modem:
        add(std::move(own));
        break;
      case Limit::Scope::total: {
        const std::string& r = r_key(l.per);
        if (counts(r) == 0) add(own + "?" + r);
        add(r);
        break;
      }
    }
  }
  d.action = Decision::Action::send;
  return d;
}

std::optional<std::string> optout_keyword(const Policy& p, std::string_view inbound_text) {
  if (!p.optout || p.optout->keywords.empty()) return std::nullopt;
  const std::string folded = fold_trimmed(inbound_text);
  if (folded.empty()) return std::nullopt;
  const auto& o = *p.optout;
  for (std::size_t i = 0; i < o.keywords.size(); ++i) {
    const bool match = i < o.folded.size() ? o.folded[i] == folded : fold_trimmed(o.keywords[i]) == folded;
    if (match) return o.keywords[i];
  }
  return std::nullopt;
}

}  // namespace sms::policy
