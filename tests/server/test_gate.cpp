// The claim gate's validation rules: one table row per way an integrator can
// get a row wrong, and rows that must pass.
#include <catch2/catch.hpp>

#include <string>

#include "src/dispatch/gate.hpp"

using sms::db::OutRow;
using sms::db::Verdict;
using sms::dispatch::Gate;
using sms::dispatch::GateSettings;

namespace {

OutRow row(std::string recipient, std::string text) {
  OutRow r;
  r.id = 42;
  r.recipient = std::move(recipient);
  r.text = std::move(text);
  return r;
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("gate rejects rows an integrator got wrong, with the reason in words") {
  struct Case {
    const char* name;
    OutRow row;
    const char* must_contain;   // part of the reason a person reads in last_error
    const char* must_contain2;
  };
  OutRow null_recipient = row("", "hi");
  null_recipient.recipient_null = true;
  OutRow null_text = row("+8613800138000", "");
  null_text.text_null = true;
  OutRow bad_validity = row("+8613800138000", "hi");
  bad_validity.validity_minutes = 0;

  const Case cases[] = {
      {"NULL recipient", null_recipient, "recipient is empty", "NULL"},
      {"empty recipient", row("", "hi"), "recipient is empty", ""},
      {"blank recipient", row("   ", "hi"), "recipient is empty", ""},
      {"letters in the number", row("+86138abc", "hi"), "invalid recipient", "'+86138abc'"},
      {"NULL text", null_text, "text is empty", "NULL"},
      {"empty text", row("+8613800138000", ""), "text is empty", ""},
      // "ab" then a lone continuation byte at offset 2
      {"invalid UTF-8", row("+8613800138000", std::string("ab\x80" "cd")), "not valid UTF-8", "2"},
      {"truncated UTF-8 sequence", row("+8613800138000", std::string("\xE4\xBD")), "not valid UTF-8", ""},
      // 10 parts of 153 GSM 7-bit septets = 1530; one more needs an 11th part
      {"GSM 7-bit text one septet too long", row("10086", repeat("a", 1531)), "needs 11 SMS parts", "limit is 10"},
      // 10 parts of 67 UCS-2 units = 670
      {"Chinese text one character too long", row("10086", repeat("中", 671)), "needs 11 SMS parts", "limit is 10"},
      {"validity 0", bad_validity, "validity_minutes 0", "out of range"},
  };
  Gate gate(GateSettings{10});
  for (const auto& c : cases) {
    INFO(c.name);
    Verdict v = gate(c.row);
    CHECK(v.kind == Verdict::Kind::reject);
    CHECK_THAT(v.reason, Catch::Contains(c.must_contain));
    CHECK_THAT(v.reason, Catch::Contains(c.must_contain2));
  }
}

TEST_CASE("gate lets good rows through") {
  struct Case {
    const char* name;
    OutRow row;
  };
  const Case cases[] = {
      {"international", row("+8613800138000", "您好")},
      {"national short code", row("10086", "hello")},
      {"spaces and dashes are ignored", row("+86 138-0013-8000", "hello")},
      {"exactly 10 GSM parts", row("10086", repeat("a", 1530))},
      {"exactly 10 UCS-2 parts", row("10086", repeat("中", 670))},
      {"emoji", row("10086", "ok \xF0\x9F\x98\x80")},
  };
  Gate gate(GateSettings{10});
  for (const auto& c : cases) {
    INFO(c.name);
    Verdict v = gate(c.row);
    CHECK(v.kind == Verdict::Kind::send);
    CHECK(v.reason.empty());
  }
}

TEST_CASE("max_parts is configurable") {
  Gate one(GateSettings{1});
  CHECK(one(row("10086", repeat("a", 160))).kind == Verdict::Kind::send);
  auto v = one(row("10086", repeat("a", 161)));
  CHECK(v.kind == Verdict::Kind::reject);
  CHECK_THAT(v.reason, Catch::Contains("needs 2 SMS parts") && Catch::Contains("limit is 1"));
}

TEST_CASE("policy rules plug in after validation; the first objection decides") {
  Gate gate(GateSettings{10});
  gate.add_rule("quiet hours", [](const OutRow& r) -> std::optional<Verdict> {
    if (r.recipient == "10086") return Verdict::defer_until("2026-11-24 08:00:00", "quiet hours");
    return std::nullopt;
  });
  gate.add_rule("blacklist", [](const OutRow& r) -> std::optional<Verdict> {
    if (r.recipient == "10010") return Verdict::reject("recipient is blacklisted");
    return std::nullopt;
  });
  auto deferred = gate(row("10086", "hi"));
  CHECK(deferred.kind == Verdict::Kind::defer);
  CHECK(deferred.until == "2026-11-24 08:00:00");
  CHECK(gate(row("10010", "hi")).reason == "recipient is blacklisted");
  CHECK(gate(row("10000", "hi")).kind == Verdict::Kind::send);
  // validation runs first: a bad row is rejected for its own fault
  CHECK_THAT(gate(row("10086", "")).reason, Catch::Contains("text is empty"));

  // the adapter Store::claim_next takes gives the same answers
  auto g = gate.as_store_gate();
  CHECK(g(row("10010", "hi")).kind == Verdict::Kind::reject);
}

TEST_CASE("new settings (SIGHUP) keep the rules added to the chain") {
  Gate gate(GateSettings{10});
  gate.add_rule("blacklist", [](const OutRow& r) -> std::optional<Verdict> {
    if (r.recipient == "10010") return Verdict::reject("recipient is blacklisted");
    return std::nullopt;
  });
  auto store_gate = gate.as_store_gate();   // taken once, before the reload, as the worker does
  gate.configure(GateSettings{1});
  CHECK(gate.rule_names() == std::vector<std::string>{"recipient", "text", "length", "validity", "blacklist"});
  CHECK(store_gate(row("10010", "hi")).reason == "recipient is blacklisted");
  CHECK_THAT(store_gate(row("10086", repeat("a", 161))).reason, Catch::Contains("limit is 1"));
  CHECK(store_gate(row("10086", repeat("a", 160))).kind == Verdict::Kind::send);
}
