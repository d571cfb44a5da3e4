// What the worker records after a send: the retry/backoff table.
#include <catch2/catch.hpp>

#include "src/dispatch/outcome.hpp"

using sms::dispatch::decide;
using sms::dispatch::Decision;
using sms::dispatch::retry_delay;
using sms::dispatch::RetryPolicy;
using sms::modem::Failure;
using sms::modem::SendOutcome;

namespace {
SendOutcome outcome(Failure f, int accepted = 0, bool uncertain = false, std::string error = "boom") {
  SendOutcome o;
  o.failure = f;
  o.parts_accepted = accepted;
  for (int i = 0; i < accepted; ++i) o.references.push_back(i + 1);
  o.uncertain = uncertain;
  o.error = std::move(error);
  return o;
}
}  // namespace

TEST_CASE("retry delays follow the configured list; the last one repeats") {
  RetryPolicy p{5, {10, 60, 300}};
  CHECK(retry_delay(p, 1) == 10);
  CHECK(retry_delay(p, 2) == 60);
  CHECK(retry_delay(p, 3) == 300);
  CHECK(retry_delay(p, 4) == 300);
  CHECK(retry_delay(p, 0) == 10);
  CHECK(retry_delay(RetryPolicy{5, {}}, 1) == 60);
}

TEST_CASE("send outcomes become the right database record") {
  RetryPolicy p{3, {10, 60}};
  using K = Decision::Kind;
  struct Case {
    const char* name;
    SendOutcome o;
    bool handed;
    int attempts;
    int parts;
    K kind;
    int delay;
    const char* reason_contains;
    int earlier = 0;   // parts that went out before (the rest of a partly sent message)
  };
  const Case cases[] = {
      {"all parts accepted", outcome(Failure::none, 2), true, 1, 2, K::sent, 0, ""},
      {"temporary, first attempt", outcome(Failure::temporary), true, 1, 1, K::retry, 10, "boom"},
      {"temporary, second attempt", outcome(Failure::temporary), true, 2, 1, K::retry, 60, "boom"},
      {"temporary, last attempt", outcome(Failure::temporary), true, 3, 1, K::failed, 0, "gave up after 3 attempts"},
      {"permanent fails at once", outcome(Failure::permanent, 0, false, "+CMS ERROR: 21"), true, 1, 1, K::failed, 0,
       "+CMS ERROR: 21"},
      {"modem gone before handing", outcome(Failure::modem), false, 1, 1, K::give_back, 0, "boom"},
      {"modem gone after handing, surely not sent", outcome(Failure::modem), true, 1, 1, K::retry, 10, "boom"},
      {"no final answer after the PDU", outcome(Failure::modem, 0, true), true, 1, 1, K::unknown, 0,
       "no final answer"},
      {"part 2 of 3 failed", outcome(Failure::temporary, 1), true, 1, 3, K::unknown, 0, "only 1 of 3 parts"},
      {"part 3 of 3 rejected", outcome(Failure::permanent, 2), true, 1, 3, K::unknown, 0, "only 2 of 3 parts"},
      {"device vanished with part 3 written", outcome(Failure::modem, 2, true, "port lost"), true, 1, 3, K::unknown,
       0, "only 2 of 3 parts were sent, then: port lost; part 3 was written to the modem without an answer"},
      // Resuming parts 3-5 of 5 after 1-2 went out earlier:
      {"rest sent", outcome(Failure::none, 3), true, 1, 5, K::sent, 0, "", 2},
      {"rest: part 4 of 5 failed", outcome(Failure::temporary, 1, false, "+CMS ERROR: 500"), true, 1, 5, K::unknown,
       0, "only 3 of 5 parts were sent (2 earlier, 1 on this retry), then: +CMS ERROR: 500", 2},
      // Nothing more went out: the rest is tried again later, still only the rest.
      {"rest: temporary before any part", outcome(Failure::temporary), true, 1, 5, K::retry, 10, "boom", 2},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto d = decide(c.o, c.handed, c.attempts, c.parts, p, c.earlier);
    CHECK(d.kind == c.kind);
    CHECK(d.delay_s == c.delay);
    CHECK_THAT(d.reason, Catch::Contains(c.reason_contains));
  }
}
