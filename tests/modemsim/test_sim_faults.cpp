// Fault injection: error rate, hanging command, garbage, stale answer, vanish.
#include <catch2/catch.hpp>

#include <string>

#include "tests/modemsim/sim_rig.hpp"

using simtest::Rig;

TEST_CASE("error rate 1: every valid submit fails with 500 or 38, nothing logged", "[faults]") {
  auto o = simtest::base_options();
  o.error_rate = 1.0;
  Rig r(o);
  r.type("AT+CMEE=1\r");
  int e500 = 0, e38 = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string out = r.submit();
    if (out == "\r\n+CMS ERROR: 500\r\n") ++e500;
    else if (out == "\r\n+CMS ERROR: 38\r\n") ++e38;
    else FAIL("unexpected answer " << out);
  }
  CHECK(e500 > 0);
  CHECK(e38 > 0);
  CHECK(r.m.submits().empty());
  CHECK(r.m.stats().injected_errors == 40);
  // Invalid PDUs are still 304, not an injected error.
  CHECK(r.submit(simtest::kHelloPdu, 22) == "\r\n+CMS ERROR: 304\r\n");
}

TEST_CASE("error rate is seeded: the same seed gives the same sequence", "[faults]") {
  auto run = [](std::uint64_t seed) {
    auto o = simtest::base_options();
    o.error_rate = 0.5;
    o.seed = seed;
    Rig r(o);
    std::string seq;
    for (int i = 0; i < 30; ++i) seq += r.submit().find("ERROR") != std::string::npos ? 'E' : '.';
    return seq;
  };
  CHECK(run(7) == run(7));
  CHECK(run(7).find('E') != std::string::npos);
  CHECK(run(7).find('.') != std::string::npos);
}

TEST_CASE("a hanging command is echoed but never answered; others still are", "[faults]") {
  auto o = simtest::base_options();
  o.hang_prefix = "at+cmgl";
  Rig r(o, /*echo_off=*/false);
  CHECK(r.type("AT+CMGL=4\r") == "AT+CMGL=4\r");
  CHECK(r.wait(60000).empty());
  CHECK(r.type("AT\r") == "AT\r\r\nOK\r\n");
}

TEST_CASE("garbage at start and between responses never forms a result", "[faults]") {
  auto o = simtest::base_options();
  o.garbage = true;
  o.garbage_rate = 0.5;
  Rig r(o);
  REQUIRE(r.boot.size() >= 8);
  for (unsigned char c : r.boot) CHECK((c == 0 || c >= 0x80));
  int dirty = 0;
  for (int i = 0; i < 50; ++i) {
    const std::string out = r.type("AT\r");
    REQUIRE(out.size() >= 6);
    REQUIRE(out.substr(out.size() - 6) == "\r\nOK\r\n");
    if (out.size() > 6) ++dirty;
    for (std::size_t k = 0; k + 6 < out.size(); ++k) CHECK(static_cast<unsigned char>(out[k]) >= 0x80);
  }
  CHECK(dirty > 0);
}

TEST_CASE("a stale answer precedes the answer to the first command only", "[faults]") {
  auto o = simtest::base_options();
  o.stale_answer = true;
  Rig r(o, /*echo_off=*/false);
  CHECK(r.type("AT\r") == "AT\r\r\n+CMGS: 254\r\n\r\nOK\r\n\r\nOK\r\n");
  CHECK(r.type("AT\r") == "AT\r\r\nOK\r\n");
}

TEST_CASE("vanish after N submits is requested once, after the Nth answer", "[faults]") {
  auto o = simtest::base_options();
  o.vanish_after = 2;
  o.vanish_ms = 1500;
  Rig r(o);
  CHECK(r.submit() == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
  CHECK_FALSE(r.m.take_vanish_request().has_value());
  CHECK(r.submit() == "\r\n+CMGS: 2\r\n\r\nOK\r\n");
  CHECK(r.m.take_vanish_request() == 1500);
  // The pty layer reboots the modem when it returns: echo on again, MR kept.
  r.m.reboot(r.t);
  r.m.take_output();
  CHECK(r.type("AT\r") == "AT\r\r\nOK\r\n");
  r.type("ATE0\r");
  CHECK(r.submit() == "\r\n+CMGS: 3\r\n\r\nOK\r\n");
  CHECK(r.submit() == "\r\n+CMGS: 4\r\n\r\nOK\r\n");
  CHECK_FALSE(r.m.take_vanish_request().has_value());
}

TEST_CASE("a reboot while a submit waits for the network drops it", "[faults]") {
  auto o = simtest::base_options();
  o.submit_delay_ms = 1000;
  Rig r(o);
  CHECK(r.submit().empty());
  r.m.reboot(r.t);
  r.m.take_output();
  CHECK(r.wait(2000).empty());
  CHECK(r.m.submits().empty());
  CHECK(r.type("AT\r") == "AT\r\r\nOK\r\n");
}
