// Start-up against the simulator: each dialect, the PIN (entered at most
// once), fatal SIM states, a stale answer on the line, CNMI fallbacks,
// registration.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/driver/sim_harness.hpp"

using namespace sms::modem;
using namespace sms::modem::test;

namespace {
int count_prefix(const std::vector<std::string>& cmds, const std::string& prefix) {
  return static_cast<int>(std::count_if(cmds.begin(), cmds.end(), [&](const std::string& c) {
    return c.rfind(prefix, 0) == 0;
  }));
}
}  // namespace

TEST_CASE("start-up in every dialect over a pty reaches ready with the identity", "[modem][start]") {
  const std::pair<sms::sim::Dialect, const char*> dialects[] = {
      {sms::sim::Dialect::generic, "generic"},
      {sms::sim::Dialect::huawei, "huawei"},
      {sms::sim::Dialect::simcom, "simcom"},
      {sms::sim::Dialect::quectel, "quectel"},
  };
  for (const auto& [dialect, name] : dialects) {
    SECTION(name) {
      sms::sim::Options o;
      o.dialect = dialect;
      o.ready_delay_ms = 1500;  // SIMCom/Quectel: SMS commands give 314 until then
      o.noise_ms = 200;         // Huawei/Quectel: plenty of noise URCs during start-up
      o.csq = 20;
      PtySim sim(o);
      Rig rig;
      rig.make_modem(test_config(name, sim.link));
      rig.modem->start();
      REQUIRE(rig.wait_state(State::ready));
      const Info& info = rig.modem->info();
      CHECK_FALSE(info.manufacturer.empty());
      CHECK_FALSE(info.model.empty());
      CHECK_FALSE(info.revision.empty());
      CHECK(info.imei == "356938035643809");
      CHECK(info.imsi == "460001234567890");
      CHECK(info.sim == "READY");
      CHECK(info.registered);
      CHECK_FALSE(info.roaming);
      CHECK(info.operator_name == "SimNet");
      CHECK(info.rssi == 20);
      REQUIRE(info.signal_dbm);
      CHECK(*info.signal_dbm == -73);  // 27.007 8.5: -113 + 2*20
      CHECK(info.smsc == "+8613800100500");
      CHECK(info.storage_total == 20);
      CHECK(rig.states.front().state == State::starting);
      for (const auto& s : rig.states) CHECK_FALSE(is_fatal(s.state));
    }
  }
}

TEST_CASE("the configured PIN is entered once and the modem becomes ready", "[modem][start][pin]") {
  Rig rig;
  sms::sim::Options o;
  o.pin = "4321";
  CoreSim sim(rig.io, o);
  auto cfg = test_config("pin", "sim");
  cfg.pin = "4321";
  sim.attach(cfg);
  rig.make_modem(cfg);
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  CHECK(count_prefix(sim.commands(), "AT+CPIN=") == 1);
  CHECK(rig.modem->info().sim == "READY");
}

TEST_CASE("a wrong PIN is tried exactly once: pin_rejected, never retried", "[modem][start][pin]") {
  Rig rig;
  sms::sim::Options o;
  o.pin = "4321";
  CoreSim sim(rig.io, o);
  auto cfg = test_config("pin", "sim");
  cfg.pin = "1111";
  sim.attach(cfg);
  rig.make_modem(cfg);
  rig.modem->start();
  REQUIRE(rig.wait_state(State::pin_rejected));
  CHECK(is_fatal(rig.modem->state()));
  CHECK_THAT(rig.states.back().detail, Catch::Contains("refused the configured PIN"));
  // Give a retrying driver every chance to try again: it must not.
  rig.run_for(1500ms);
  CHECK(count_prefix(sim.commands(), "AT+CPIN=") == 1);
  CHECK(rig.modem->state() == State::pin_rejected);
  // Sends fail at once as a modem failure.
  auto out = rig.send_text("+15551234567", "hi");
  CHECK(out.failure == Failure::modem);
  CHECK_THAT(out.error, Catch::Contains("pin rejected"));
}

TEST_CASE("fatal SIM states: PIN needed without a configured PIN, PUK", "[modem][start][pin]") {
  SECTION("no pin configured") {
    sms::sim::Options o;
    o.pin = "4321";
    PtySim sim(o);
    Rig rig;
    rig.make_modem(test_config("nopin", sim.link));
    rig.modem->start();
    REQUIRE(rig.wait_state(State::pin_needed));
    CHECK_THAT(rig.states.back().detail, Catch::Contains("no pin is configured"));
    CHECK(rig.modem->info().sim == "SIM PIN");
  }
  SECTION("no SIM inserted") {
    sms::sim::Options o;
    o.no_sim = true;
    PtySim sim(o);
    Rig rig;
    rig.make_modem(test_config("nosim", sim.link));
    rig.modem->start();
    REQUIRE(rig.wait_state(State::no_sim));
    CHECK(is_fatal(rig.modem->state()));
  }
  SECTION("SIM PUK after three wrong tries by someone else") {
    Rig rig;
    sms::sim::Options o;
    o.pin = "4321";
    CoreSim sim(rig.io, o);
    sim.boot();
    for (int i = 0; i < 3; ++i) sim.core().feed("AT+CPIN=\"0000\"\r", sim.now());
    sim.core().take_output();
    auto cfg = test_config("puk", "sim");
    cfg.pin = "4321";
    sim.attach(cfg);
    rig.make_modem(cfg);
    rig.modem->start();
    REQUIRE(rig.wait_state(State::puk_needed));
    CHECK(count_prefix(sim.commands(), "AT+CPIN=\"4321\"") == 0);
  }
}

TEST_CASE("a stale answer left by a dead process is not taken for ours", "[modem][start]") {
  sms::sim::Options o;
  o.stale_answer = true;
  o.garbage = true;
  PtySim sim(o);
  Rig rig;
  rig.make_modem(test_config("stale", sim.link));
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  CHECK(rig.modem->info().imsi == "460001234567890");
  auto out = rig.send_text("+15551234567", "after a stale answer");
  CHECK(out.failure == Failure::none);
  REQUIRE(out.references.size() == 1);
  CHECK(out.references[0] == 1);  // the simulator's first MR, not the stale 254
}

TEST_CASE("CNMI: rejected combinations fall back in order", "[modem][start][cnmi]") {
  struct Row {
    const char* reject;
    const char* accepted;
    int tried;
  };
  const Row rows[] = {
      {"none", "AT+CNMI=2,1,0,2,0", 1},
      {"2,1,0,2", "AT+CNMI=2,1,0,1,0", 2},   // SIMCom SIM800
      {"2", "AT+CNMI=1,1,0,2,0", 3},         // Qualcomm: no mode 2
      {"2;*,*,*,2", "AT+CNMI=1,1,0,1,0", 4},
      {"2;*,*,*,2;*,*,*,1", "AT+CNMI=1,1,0,0,0", 5},
  };
  for (const auto& r : rows) {
    DYNAMIC_SECTION("reject " << r.reject) {
      Rig rig;
      sms::sim::Options o;
      o.reject_cnmi = r.reject;
      CoreSim sim(rig.io, o);
      auto cfg = test_config("cnmi", "sim");
      sim.attach(cfg);
      rig.make_modem(cfg);
      rig.modem->start();
      REQUIRE(rig.wait_state(State::ready));
      std::vector<std::string> cnmi;
      for (const auto& c : sim.commands())
        if (c.rfind("AT+CNMI=", 0) == 0) cnmi.push_back(c);
      REQUIRE(static_cast<int>(cnmi.size()) == r.tried);
      CHECK(cnmi.back() == r.accepted);
    }
  }
}

TEST_CASE("registration: roaming is registered; none gives not_registered", "[modem][start]") {
  SECTION("roaming") {
    sms::sim::Options o;
    o.registration = sms::sim::Registration::roaming;
    PtySim sim(o);
    Rig rig;
    rig.make_modem(test_config("roam", sim.link));
    rig.modem->start();
    REQUIRE(rig.wait_state(State::ready));
    CHECK(rig.modem->info().roaming);
  }
  SECTION("not registered within the registration timeout") {
    sms::sim::Options o;
    o.registration = sms::sim::Registration::none;
    PtySim sim(o);
    Rig rig;
    auto cfg = test_config("noreg", sim.link);
    cfg.timeouts.registration = 1500ms;
    rig.make_modem(cfg);
    rig.modem->start();
    REQUIRE(rig.wait_state(State::not_registered));
    auto out = rig.send_text("+15551234567", "hi");
    CHECK(out.failure == Failure::temporary);
    CHECK_THAT(out.error, Catch::Contains("not registered"));
    // The network comes back: the driver notices (URC or health check) and is ready.
    CHECK(sim.control("set registration home").rfind("ok", 0) == 0);
    REQUIRE(rig.wait_state(State::ready));
  }
  SECTION("registration after a while during start-up") {
    sms::sim::Options o;
    o.register_after_ms = 1500;
    PtySim sim(o);
    Rig rig;
    rig.make_modem(test_config("late", sim.link));
    rig.modem->start();
    REQUIRE(rig.wait_state(State::ready));
    CHECK_FALSE(rig.saw_state(State::not_registered));
  }
}
