// libFuzzer target: the sending policy's decision with arbitrary recipient,
// text and kind bytes against every rule (the text rules fold with ICU, the
// number rules parse with the tables and libphonenumber). decide() must
// never throw or crash, and a send must carry text that contains the
// signature.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "src/policy/policy.hpp"

namespace {
using namespace sms::policy;

struct NoFacts : Facts {
  unsigned lists(const std::string& e164) override { return e164.size() % 3 == 0 ? bit(List::whitelist) : 0u; }
  std::int64_t count(const std::string& key) override { return static_cast<std::int64_t>(key.size() % 4); }
};

Policy every_rule() {
  Policy p;
  p.whitelist = ListRule{bit(Kind::bulk)};
  p.blacklist = ListRule{kAllKinds};
  p.optout = OptOutRule{{"TD", "退订"}, {fold_trimmed("TD"), fold_trimmed("退订")}, "ok", bit(Kind::bulk)};
  Limit l;
  l.max = 2;
  p.limits.push_back(l);
  Limit t;
  t.scope = Limit::Scope::total;
  t.max = 3;
  p.limits.push_back(t);
  p.quiet.push_back(QuietWindow{22 * 60, 8 * 60, bit(Kind::bulk)});
  p.holidays.push_back(Holiday{"2027-02-17", "2027-02-17", bit(Kind::bulk)});
  p.signature = SignatureRule{"【某某公司】", false, kAllKinds};
  p.max_length = MaxLengthRule{65, bit(Kind::bulk)};
  BannedWordsRule b;
  b.words = WordList({"free", "发票", "ｔｅｓｔ"});
  p.banned_words = b;
  p.region = RegionRule{{"安徽省"}, bit(Kind::bulk)};
  p.approval = ApprovalRule{bit(Kind::bulk), 5, true};
  return p;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Policy policy = every_rule();
  static Numbers numbers("CN");
  static const Zone zone = Zone::named("Asia/Shanghai");
  const std::string in(reinterpret_cast<const char*>(data), size);
  // recipient \0 text \0 kind
  const auto a = in.find('\0');
  const auto b = a == std::string::npos ? std::string::npos : in.find('\0', a + 1);
  Message m;
  m.recipient = in.substr(0, a);
  m.text = a == std::string::npos ? "x" : in.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
  if (b != std::string::npos) m.kind = in.substr(b + 1);
  m.batch_rows = static_cast<int>(size % 7);
  m.modem = "m1";
  NoFacts facts;
  const Seconds now{std::chrono::seconds(1796000000 + static_cast<long>(size) * 3600)};
  const Decision d = decide(policy, m, facts, numbers, zone, now);
  if (d.action == Decision::Action::send && d.text.find("【某某公司】") == std::string::npos) std::abort();
  if (d.action == Decision::Action::defer && d.until <= now) std::abort();
  (void)optout_keyword(policy, m.text);
  return 0;
}
