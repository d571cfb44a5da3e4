// Untrusted input: whatever the host writes, the core answers or stays silent,
// never crashes, and keeps working afterwards.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "tests/modemsim/sim_rig.hpp"
#include "modem/sim/control.hpp"

using simtest::Rig;

TEST_CASE("random host bytes never break the modem", "[robust]") {
  const sms::sim::Dialect dialects[] = {sms::sim::Dialect::generic, sms::sim::Dialect::huawei,
                                        sms::sim::Dialect::simcom, sms::sim::Dialect::quectel};
  // Fragments that steer the input into interesting states.
  const std::string pieces[] = {"AT",    "+CMGS=", "+CMGW=", "23",   "\r",    "\x1a", "\x1b", "\"",   ";",
                                "+CPMS=", "=?",    "?",      ",",    "+CNMI=", "SR",  "+CMGD=", "0,4", "ATE1",
                                "\n",    "+CPIN=", "00",     "FF",   "+CMGR=", "1",   "+CMGL=", "4",   "\b",
                                std::string(1, '\0'), "AT+CFUN=1,1\r", std::string(simtest::kHelloPdu)};
  for (auto d : dialects) {
    auto o = simtest::base_options();
    o.dialect = d;
    o.capacity = 3;
    o.submit_delay_ms = 7;
    Rig r(o);
    std::mt19937 rng(static_cast<unsigned>(d) + 1);
    std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1);
    std::uniform_int_distribution<int> byte(0, 255), coin(0, 9);
    for (int i = 0; i < 3000; ++i) {
      std::string chunk;
      const int n = 1 + coin(rng);
      for (int k = 0; k < n; ++k) chunk += coin(rng) < 2 ? std::string(1, static_cast<char>(byte(rng))) : pieces[pick(rng)];
      r.type(chunk);
      if (coin(rng) == 0) r.wait(coin(rng) * 50);
      if (coin(rng) == 0) (void)r.m.deliver("+1", "x", r.t);
      if (coin(rng) == 0) (void)sms::sim::execute_control(r.m, "status-report 1 0", r.t);
    }
    // Recover: cancel any prompt, finish any line, let pending work end.
    r.type("\x1b\r");
    r.wait(100000);
    INFO("dialect " << sms::sim::to_string(d));
    const std::string out = r.type("ATE0\rAT\r");
    CHECK(out.size() >= 6);
    CHECK(out.substr(out.size() - 6) == "\r\nOK\r\n");
  }
}

TEST_CASE("an overlong command line or PDU is refused, not stored", "[robust]") {
  Rig r;
  CHECK(r.type("AT+CSCA=\"" + std::string(5000, '1') + "\"\r") == "\r\nERROR\r\n");
  r.type("AT+CMEE=1\r");
  CHECK(r.type("AT+CMGS=23\r") == "\r\n> ");
  CHECK(r.type(std::string(100000, 'A') + "\x1a") == "\r\n+CMS ERROR: 304\r\n");
  CHECK(r.type("AT\r") == "\r\nOK\r\n");
}
