// Faults: a command that never gets an answer, a silent modem, the device
// vanishing and coming back, a reboot, stop() with work pending, and two
// modems on two threads.
#include <catch2/catch.hpp>

#include <atomic>
#include <optional>
#include <thread>

#include "modem/pdu/pdu.hpp"
#include "tests/driver/sim_harness.hpp"

using namespace sms::modem;
using namespace sms::modem::test;

TEST_CASE("a hanging command times out; the modem is probed and keeps working", "[modem][faults]") {
  PtySim sim(sms::sim::Options{});
  Rig rig;
  auto cfg = test_config("hang", sim.link);
  cfg.timeouts.list = 500ms;
  cfg.sweep_interval = std::chrono::seconds(1);
  rig.make_modem(cfg);
  sim.control("set hang AT+CMGL");  // Huawei firmwares that hang on AT+CMGL
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  rig.run_for(1500ms);  // at least one sweep hangs and times out
  CHECK(rig.modem->state() == State::ready);
  CHECK(rig.send_text("+15551234567", "still alive").failure == Failure::none);
  // Once the firmware behaves, the sweep finds what was stored meanwhile.
  sim.control("set hang -");
  sim.control("deliver +15557654321 found later");
  REQUIRE(rig.run_until([&] { return !rig.incoming.empty(); }));
  CHECK_FALSE(rig.saw_state(State::disconnected));
}

TEST_CASE("a silent modem: the port is closed and reopened until it answers", "[modem][faults]") {
  PtySim sim(sms::sim::Options{});
  Rig rig;
  auto cfg = test_config("silent", sim.link);
  cfg.health_interval = std::chrono::seconds(1);
  cfg.timeouts.command = 500ms;
  cfg.timeouts.probe = 300ms;
  rig.make_modem(cfg);
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  sim.control("set hang AT");  // every command: echoed, never answered
  REQUIRE(rig.wait_state(State::disconnected));
  CHECK_THAT(rig.states.back().detail, Catch::Contains("answer"));
  sim.control("set hang -");
  REQUIRE(rig.wait_state(State::ready));
  CHECK(rig.send_text("+15551234567", "back").failure == Failure::none);
}

TEST_CASE("the device vanishes and comes back at the same path", "[modem][faults][vanish]") {
  sms::sim::Options o;
  o.vanish_after = 1;
  o.vanish_ms = 800;
  PtySim sim(o);
  Rig rig;
  rig.make_modem(test_config("usb", sim.link));
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  auto first = rig.send_text("+15551234567", "before the unplug");
  CHECK(first.failure == Failure::none);
  REQUIRE(rig.wait_state(State::disconnected));
  REQUIRE(rig.wait_state(State::ready));
  auto second = rig.send_text("+15551234567", "after the replug");
  CHECK(second.failure == Failure::none);
  auto subs = sim.sim->submits();
  REQUIRE(subs.size() == 2);
  CHECK(subs[1].message.text == "after the replug");
  // A send while the device is gone fails at once as a modem failure.
  sim.control("vanish 1500");
  REQUIRE(rig.wait_state(State::disconnected));
  auto gone = rig.send_text("+15551234567", "nobody there");
  CHECK(gone.failure == Failure::modem);
  REQUIRE(rig.wait_state(State::ready));
}

TEST_CASE("a SIMCom reboot (RDY) is noticed and the modem initialised again", "[modem][faults]") {
  sms::sim::Options o;
  o.dialect = sms::sim::Dialect::simcom;
  o.ready_delay_ms = 1000;
  PtySim sim(o);
  Rig rig;
  rig.make_modem(test_config("reboot", sim.link));
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  rig.states.clear();
  CHECK(sim.control("reboot") == "ok");
  REQUIRE(rig.run_until([&] { return rig.saw_state(State::starting); }));
  REQUIRE(rig.wait_state(State::ready));
  // +CNMI was reset by the reboot and set again: +CMTI works.
  sim.control("deliver +15557654321 after reboot");
  REQUIRE(rig.run_until([&] { return rig.incoming.size() == 1; }, 10s));
}

TEST_CASE("stop(): pending sends complete as modem failures, 'shutting down'", "[modem][faults]") {
  sms::sim::Options o;
  o.submit_delay_ms = 5000;
  PtySim sim(o);
  Rig rig;
  rig.make_modem(test_config("stop", sim.link));
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  sms::pdu::SubmitOptions so;
  so.destination = "+15551234567";
  auto enc = sms::pdu::encode_submit("never", so);
  REQUIRE(enc);
  std::optional<SendOutcome> outs[2];
  bool handed = false;
  for (int i = 0; i < 2; ++i)
    rig.modem->send({{enc->parts[0].hex, enc->parts[0].tpdu_length}}, true, [&](int) { handed = true; },
                    [&outs, i](const SendOutcome& out) { outs[i] = out; });
  REQUIRE(rig.run_until([&] { return handed; }));  // the first is with the network
  bool stopped = false;
  rig.modem->stop([&] { stopped = true; });
  REQUIRE(rig.run_until([&] { return stopped && outs[0] && outs[1]; }));
  for (const auto& out : outs) {
    CHECK(out->failure == Failure::modem);
    CHECK_THAT(out->error, Catch::Contains("shutting down"));
  }
  CHECK(outs[0]->uncertain);       // its PDU was handed over
  CHECK_FALSE(outs[1]->uncertain);  // never started
  CHECK(rig.modem->state() == State::stopped);
}

TEST_CASE("two modems side by side on two threads", "[modem][threads]") {
  PtySim a(sms::sim::Options{}, "a"), b(sms::sim::Options{}, "b");
  struct Result {
    bool ready = false;
    int sent = 0;
  };
  auto drive = [](const std::string& link, const std::string& id, Result& res) {
    Rig rig;
    rig.make_modem(test_config(id, link));
    rig.modem->start();
    res.ready = rig.wait_state(State::ready);
    if (!res.ready) return;
    for (int i = 0; i < 5; ++i)
      if (rig.send_text("+1555000000" + std::to_string(i), id + " " + std::to_string(i)).failure == Failure::none)
        ++res.sent;
  };
  Result ra, rb;
  std::thread ta(drive, a.link, "a", std::ref(ra));
  std::thread tb(drive, b.link, "b", std::ref(rb));
  ta.join();
  tb.join();
  CHECK(ra.ready);
  CHECK(rb.ready);
  CHECK(ra.sent == 5);
  CHECK(rb.sent == 5);
  auto sa = a.sim->submits(), sb = b.sim->submits();
  REQUIRE(sa.size() == 5);
  REQUIRE(sb.size() == 5);
  CHECK(sa[4].message.text == "a 4");
  CHECK(sb[4].message.text == "b 4");
}
