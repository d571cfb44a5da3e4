// Message kinds and kind lists (the `kind` column and every rule's `kinds`).
#include <catch2/catch.hpp>

#include "src/policy/kinds.hpp"

using namespace sms::policy;

TEST_CASE("kind names are exact and round-trip", "[policy][kinds]") {
  CHECK(to_string(Kind::notice) == "notice");
  CHECK(to_string(Kind::bulk) == "bulk");
  for (auto k : {Kind::notice, Kind::bulk}) CHECK(parse_kind(to_string(k)) == k);
  for (const char* bad : {"", "Bulk", "NOTICE", " bulk", "marketing", "notices"}) {
    INFO("kind '" << bad << "'");
    CHECK_FALSE(parse_kind(bad));
  }
}

TEST_CASE("kind lists as written in kinds=\"...\"", "[policy][kinds]") {
  const KindSet n = bit(Kind::notice), b = bit(Kind::bulk);
  struct Case {
    const char* text;
    std::optional<KindSet> want;
  } cases[] = {
      {"notice", n},         {"bulk", b},          {"notice,bulk", KindSet(n | b)},
      {"bulk,notice", KindSet(n | b)}, {" bulk , notice ", KindSet(n | b)}, {"bulk,bulk", b},
      {"", std::nullopt},    {" ", std::nullopt},  {"notice,", std::nullopt},
      {",bulk", std::nullopt}, {"notice,,bulk", std::nullopt}, {"notice;bulk", std::nullopt},
      {"bulk,marketing", std::nullopt}, {"Bulk", std::nullopt},
  };
  for (const auto& c : cases) {
    INFO("kinds=\"" << c.text << "\"");
    CHECK(parse_kinds(c.text) == c.want);
  }
}

TEST_CASE("kind sets print in kind order", "[policy][kinds]") {
  CHECK(to_string(kAllKinds) == "notice,bulk");
  CHECK(to_string(bit(Kind::bulk)) == "bulk");
  CHECK(to_string(bit(Kind::notice)) == "notice");
  CHECK(to_string(kNoKinds).empty());
  CHECK(has(kAllKinds, Kind::bulk));
  CHECK_FALSE(has(bit(Kind::notice), Kind::bulk));
  CHECK(parse_kinds(to_string(kAllKinds)) == kAllKinds);
}
