// Loading <smserver timezone="..."> and <policy> (issue 9, docs/CONFIG.md
// "Sending policy"): the same house rules as the rest of the file. Every
// problem is a ConfigError naming the file, the line and the value; unknown
// names are refused with a suggestion; a rule is on exactly when its element
// is there, with the kinds its `kinds` attribute names (each rule's default
// is the one of src/policy/policy.hpp).
#include <fmt/format.h>
#include <tinyxml2.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/config/duration.hpp"
#include "src/config/loader.hpp"
#include "src/policy/kinds.hpp"
#include "src/policy/number.hpp"
#include "src/policy/policy.hpp"
#include "src/policy/text.hpp"
#include "src/policy/zone.hpp"

namespace sms::config::detail {

namespace fs = std::filesystem;
namespace pol = sms::policy;
using tinyxml2::XMLAttribute;
using tinyxml2::XMLElement;

namespace {

constexpr std::string_view kFullWidthComma = "\xEF\xBC\x8C";      // U+FF0C '，'
constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";    // U+3000

// Blanks around list items: ASCII blanks and the full-width space a Chinese
// input method types.
std::string_view trim(std::string_view s) {
  while (true) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
      s.remove_prefix(1);
    } else if (s.substr(0, kIdeographicSpace.size()) == kIdeographicSpace) {
      s.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  while (true) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
      s.remove_suffix(1);
    } else if (s.size() >= kIdeographicSpace.size() && s.substr(s.size() - kIdeographicSpace.size()) == kIdeographicSpace) {
      s.remove_suffix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  return s;
}

// "a, b，c" -> {"a", "b", "c"}: items split at ',' or the full-width '，',
// each trimmed. Empty items are kept (as "") so the caller can refuse them.
std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size();) {
    std::size_t sep = 0;
    if (i == s.size()) sep = 1;
    else if (s[i] == ',') sep = 1;
    else if (s.substr(i, kFullWidthComma.size()) == kFullWidthComma) sep = kFullWidthComma.size();
    if (sep == 0) {
      ++i;
      continue;
    }
    out.emplace_back(trim(s.substr(start, i - start)));
    i += sep;
    start = i;
  }
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The child elements of <policy>; those not in kRepeatable at most once.
const std::vector<std::string_view> kRules{"whitelist", "blacklist", "optout",     "limit",  "quiet",    "holiday", "signature",
                                           "maxLength", "bannedWords", "region", "approval", "retention"};
const std::vector<std::string_view> kRepeatable{"limit", "quiet", "holiday"};

}  // namespace

void Loader::timezone(const XMLElement& e, const XMLAttribute& a, Config& c) const {
  const std::string v = a.Value();
  if (v.empty()) {  // written out by to_xml for "the system's zone"
    c.timezone.clear();
    return;
  }
  if (trim(v) != v) bad(e, a, "leading or trailing blank in the time zone name");
  try {
    (void)pol::Zone::named(v);
  } catch (const std::exception&) {
    bad(e, a,
        "not a time zone of the time-zone database (write an IANA name such as \"Asia/Shanghai\", "
        "or leave timezone out for the system's zone)");
  }
  c.timezone = v;
}

pol::KindSet Loader::kinds_value(const XMLElement& e, const XMLAttribute& a) const {
  if (auto k = pol::parse_kinds(a.Value()); k && *k != pol::kNoKinds) return *k;
  const auto words = split_list(a.Value());
  for (const auto& w : words) {
    if (w.empty()) {
      bad(e, a, words.size() == 1 ? std::string("no message kind given (write notice, bulk or notice,bulk)")
                                  : std::string("empty item in the list of kinds (write notice, bulk or notice,bulk)"));
    }
    if (pol::parse_kind(w)) continue;
    if (const auto k = pol::parse_kind(ascii_lower(w))) {
      bad(e, a, fmt::format("'{}' is not a message kind (kinds are written in lower case: '{}')", w, pol::to_string(*k)));
    }
    bad(e, a, fmt::format("'{}' is not a message kind (the kinds are notice and bulk; write notice, bulk or notice,bulk)", w));
  }
  bad(e, a, "not a list of message kinds (write notice, bulk or notice,bulk)");
}

std::vector<std::string> Loader::list_value(const XMLElement& e, const XMLAttribute& a, std::string_view what) const {
  auto items = split_list(a.Value());
  if (items.size() == 1 && items[0].empty()) bad(e, a, fmt::format("empty list (write one or more {}, separated by commas)", what));
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].empty()) bad(e, a, fmt::format("item {} of the list is empty (a comma too many?)", i + 1));
  }
  return items;
}

int Loader::days_value(const XMLElement& e, const XMLAttribute& a) const {
  const auto d = get(e, a, parse_duration(a.Value(), BareUnit::seconds));
  constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
  if (d.count() % kDayMs != 0) bad(e, a, "must be a whole number of days (write e.g. \"180d\"; \"0\" keeps forever)");
  return static_cast<int>(d.count() / kDayMs);
}

void Loader::optout(const XMLElement& e, pol::Policy& p) const {
  pol::OptOutRule r;
  apply_attributes(e, {
      {"keywords",
       [&](const XMLAttribute& a) {
         r.keywords = list_value(e, a, "keywords");
         std::map<std::string, std::string> seen;  // folded -> as written
         for (const auto& k : r.keywords) {
           std::string folded = pol::fold_trimmed(k);
           if (folded.empty()) bad(e, a, fmt::format("keyword '{}' is blank", k));
           if (auto it = seen.find(folded); it != seen.end()) {
             bad(e, a, it->second == k ? fmt::format("keyword '{}' is listed twice", k)
                                       : fmt::format("keywords '{}' and '{}' are the same (they are compared case-insensitively, "
                                                     "full-width letters as half-width)",
                                                     it->second, k));
           }
           seen.emplace(folded, k);
           r.folded.push_back(std::move(folded));
         }
       }},
      {"reply", [&](const XMLAttribute& a) { r.reply = a.Value(); }},
      {"kinds", [&](const XMLAttribute& a) { r.kinds = kinds_value(e, a); }},
  });
  require(e, "keywords");
  p.optout = std::move(r);
}

void Loader::limit(const XMLElement& e, pol::Policy& p) const {
  pol::Limit r;
  apply_attributes(e, {
      {"scope",
       [&](const XMLAttribute& a) {
         const std::string_view v = a.Value();
         if (v == "recipient") r.scope = pol::Limit::Scope::recipient;
         else if (v == "total") r.scope = pol::Limit::Scope::total;
         else if (v == "modem") r.scope = pol::Limit::Scope::modem;
         else bad(e, a, "unknown scope (recipient: messages to one number; total: distinct recipients; modem: messages one modem sends)");
       }},
      {"per",
       [&](const XMLAttribute& a) {
         const std::string_view v = a.Value();
         if (v == "hour") r.per = pol::Limit::Per::hour;
         else if (v == "day") r.per = pol::Limit::Per::day;
         else if (v == "month") r.per = pol::Limit::Per::month;
         else bad(e, a, "unknown period (hour, day or month: local calendar periods)");
       }},
      {"max", [&](const XMLAttribute& a) { r.max = int_value(e, a, 1, 1000000000); }},
      {"kinds", [&](const XMLAttribute& a) { r.kinds = kinds_value(e, a); }},
  });
  require(e, "scope");
  require(e, "per");
  require(e, "max");
  p.limits.push_back(r);
}

void Loader::quiet(const XMLElement& e, pol::Policy& p) const {
  pol::QuietWindow r;
  auto hhmm = [&](const XMLAttribute& a) {
    const auto m = pol::parse_hhmm(a.Value());
    if (!m) bad(e, a, "not a time of day (write HH:MM, 00:00 to 23:59, local time)");
    return *m;
  };
  apply_attributes(e, {
      {"from", [&](const XMLAttribute& a) { r.from = hhmm(a); }},
      {"to", [&](const XMLAttribute& a) { r.to = hhmm(a); }},
      {"kinds", [&](const XMLAttribute& a) { r.kinds = kinds_value(e, a); }},
  });
  require(e, "from");
  require(e, "to");
  if (r.from == r.to) bad(e, *e.FindAttribute("to"), "the same as from: the window would be empty");
  p.quiet.push_back(r);
}

void Loader::holiday(const XMLElement& e, pol::Policy& p) const {
  pol::Holiday r;
  auto date = [&](const XMLAttribute& a) {
    const auto d = pol::parse_date(a.Value());
    if (!d) bad(e, a, "not a date of the calendar (write YYYY-MM-DD, e.g. 2027-02-17)");
    return d->date_text();
  };
  apply_attributes(e, {
      {"date", [&](const XMLAttribute& a) { r.first = r.last = date(a); }},
      {"from", [&](const XMLAttribute& a) { r.first = date(a); }},
      {"to", [&](const XMLAttribute& a) { r.last = date(a); }},
      {"kinds", [&](const XMLAttribute& a) { r.kinds = kinds_value(e, a); }},
  });
  const XMLAttribute* date_a = e.FindAttribute("date");
  const XMLAttribute* from_a = e.FindAttribute("from");
  const XMLAttribute* to_a = e.FindAttribute("to");
  if (date_a && (from_a || to_a)) {
    fail(e.GetLineNum(), "<holiday> takes date=\"...\" for one day or from=\"...\" and to=\"...\" for a range, not both");
  }
  if (!date_a && !from_a && !to_a) {
    fail(e.GetLineNum(), "<holiday> needs date=\"YYYY-MM-DD\", or from=\"YYYY-MM-DD\" and to=\"YYYY-MM-DD\"");
  }
  if (!date_a) {
    require(e, "from");
    require(e, "to");
    if (r.last < r.first) bad(e, *to_a, fmt::format("the range ends before it starts (from=\"{}\")", from_a->Value()));
  }
  p.holidays.push_back(r);
}

void Loader::signature(const XMLElement& e, pol::Policy& p) const {
  pol::SignatureRule r;
  apply_attributes(e, {
      {"text",
       [&](const XMLAttribute& a) {
         r.text = a.Value();
         if (trim(r.text).empty()) bad(e, a, "empty signature (write the sender's name, e.g. 【某某公司】)");
       }},
      {"position",
       [&](const XMLAttribute& a) {
         const std::string_view v = a.Value();
         if (v == "start") r.at_start = true;
         else if (v == "end") r.at_start = false;
         else bad(e, a, "unknown position (start or end)");
       }},
      {"kinds", [&](const XMLAttribute& a) { r.kinds = kinds_value(e, a); }},
  });
  require(e, "text");
  p.signature = std::move(r);
}

void Loader::max_length(const XMLElement& e, pol::Policy& p) const {
  pol::MaxLengthRule r;
  apply_attributes(e, {
      {"chars", [&](const XMLAttribute& a) { r.chars = int_value(e, a, 1, 100000); }},
      {"kinds", [&](const XMLAttribute& a) { r.kinds = kinds_value(e, a); }},
  });
  require(e, "chars");
  p.max_length = r;
}

void Loader::banned_words(const XMLElement& e, pol::Policy& p, Config& c) const {
  pol::BannedWordsRule r;
  apply_attributes(e, {
      {"file",
       [&](const XMLAttribute& a) {
         const std::string v = a.Value();
         if (v.empty()) bad(e, a, "empty file name (one word or phrase a line; a relative path is read from the config file's folder)");
         fs::path path(v);
         if (path.is_relative()) path = dir_ / path;
         path = path.lexically_normal();
         const std::string shown = path.string();
         std::error_code ec;
         if (fs::is_directory(path, ec)) bad(e, a, fmt::format("{} is a directory, not a list of words", shown));
         std::string error;
         auto words = pol::read_word_file(shown, error);
         if (!words) {
           if (error.empty()) error = "cannot read it";
           bad(e, a, error.find(shown) != std::string::npos ? error : fmt::format("{}: {}", shown, error));
         }
         const bool any = std::any_of(words->begin(), words->end(), [](const std::string& w) { return !trim(w).empty(); });
         if (!any) bad(e, a, fmt::format("{} lists no words (one word or phrase a line; '#' starts a comment)", shown));
         r.file = shown;
         r.words = pol::WordList(*words);
         std::uint64_t h = 14695981039346656037ull;  // FNV-1a over the words, each ended by '\n'
         for (const auto& w : *words) {
           for (unsigned char ch : w + "\n") h = (h ^ ch) * 1099511628211ull;
         }
         c.banned_words_digest = h;
       }},
      {"kinds", [&](const XMLAttribute& a) { r.kinds = kinds_value(e, a); }},
  });
  require(e, "file");
  p.banned_words = std::move(r);
}

void Loader::region(const XMLElement& e, pol::Policy& p) const {
  pol::RegionRule r;
  apply_attributes(e, {
      {"allow",
       [&](const XMLAttribute& a) {
         r.allow = list_value(e, a, "provinces or cities");
         for (const auto& name : r.allow) {
           if (pol::is_known_region(name)) continue;
           std::string why = fmt::format("'{}' is not a Chinese province or city known to the geocoder", name);
           if (const std::string hint = pol::suggest_region(name); !hint.empty()) why += fmt::format(" (did you mean '{}'?)", hint);
           bad(e, a, why);
         }
       }},
      {"kinds", [&](const XMLAttribute& a) { r.kinds = kinds_value(e, a); }},
  });
  require(e, "allow");
  p.region = std::move(r);
}

void Loader::approval(const XMLElement& e, pol::Policy& p) const {
  pol::ApprovalRule r;
  apply_attributes(e, {
      {"kinds", [&](const XMLAttribute& a) { r.kinds = kinds_value(e, a); }},
      {"minRecipients", [&](const XMLAttribute& a) { r.min_recipients = int_value(e, a, 1, 1000000000); }},
      {"fourEyes", [&](const XMLAttribute& a) { r.four_eyes = bool_value(e, a); }},
  });
  p.approval = r;
}

void Loader::retention(const XMLElement& e, pol::Policy& p) const {
  apply_attributes(e, {
      {"audit", [&](const XMLAttribute& a) { p.retention.audit_days = days_value(e, a); }},
      {"messages", [&](const XMLAttribute& a) { p.retention.message_days = days_value(e, a); }},
  });
}

void Loader::policy(const XMLElement& e, Config& c) const {
  pol::Policy p;
  check_content(e, kRules);
  apply_attributes(e, {
      {"defaultKind",
       [&](const XMLAttribute& a) {
         const auto k = pol::parse_kind(a.Value());
         if (!k) bad(e, a, "not a message kind (notice or bulk)");
         p.default_kind = *k;
       }},
      {"defaultRegion",
       [&](const XMLAttribute& a) {
         // ISO 3166-1 alpha-2, as libphonenumber names regions ("CN").
         const std::string_view v = a.Value();
         const bool ok = v.size() == 2 && std::all_of(v.begin(), v.end(), [](char ch) {
                           return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
                         });
         if (!ok) bad(e, a, "not a two-letter country code (ISO 3166, e.g. CN)");
         std::string up(v);
         for (char& ch : up) {
           if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
         }
         p.default_region = up;
       }},
  });

  std::map<std::string, int, std::less<>> seen;  // single rules: name -> first line
  for (const XMLElement* r = e.FirstChildElement(); r; r = r->NextSiblingElement()) {
    const std::string name = r->Name();
    if (std::find(kRepeatable.begin(), kRepeatable.end(), name) == kRepeatable.end()) {
      if (auto it = seen.find(name); it != seen.end()) {
        fail(r->GetLineNum(), fmt::format("<{}> appears twice in <policy> (first at line {}); write it once", name, it->second));
      }
      seen.emplace(name, r->GetLineNum());
    }
    check_content(*r, {});
    if (name == "whitelist" || name == "blacklist") {
      pol::ListRule list;
      list.kinds = name == "whitelist" ? pol::bit(pol::Kind::bulk) : pol::kAllKinds;
      apply_attributes(*r, {{"kinds", [&](const XMLAttribute& a) { list.kinds = kinds_value(*r, a); }}});
      (name == "whitelist" ? p.whitelist : p.blacklist) = list;
    } else if (name == "optout") {
      optout(*r, p);
    } else if (name == "limit") {
      limit(*r, p);
    } else if (name == "quiet") {
      quiet(*r, p);
    } else if (name == "holiday") {
      holiday(*r, p);
    } else if (name == "signature") {
      signature(*r, p);
    } else if (name == "maxLength") {
      max_length(*r, p);
    } else if (name == "bannedWords") {
      banned_words(*r, p, c);
    } else if (name == "region") {
      region(*r, p);
    } else if (name == "approval") {
      approval(*r, p);
    } else if (name == "retention") {
      retention(*r, p);
    }
  }

  // A signature as long as the maximum leaves no room for any text: every
  // message of those kinds would be blocked.
  if (p.signature && p.max_length && (p.signature->kinds & p.max_length->kinds) != 0) {
    const std::size_t sig = pol::char_count(p.signature->text);
    if (sig >= static_cast<std::size_t>(p.max_length->chars)) {
      const XMLElement* m = e.FirstChildElement("maxLength");
      bad(*m, *m->FindAttribute("chars"),
          fmt::format("the signature alone has {} characters and is counted in the length: no message would fit", sig));
    }
  }

  c.policy = std::move(p);
  c.policy_present = true;
  if (!c.policy.banned_words) c.banned_words_digest = 0;
}

}  // namespace sms::config::detail
