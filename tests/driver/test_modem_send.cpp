// Sending through the simulator: single and multipart messages as the
// network saw them, the moment of hand-over, AT+CMMS, and how failures are
// classified (permanent / temporary / modem, uncertain).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "modem/pdu/pdu.hpp"
#include "tests/driver/sim_harness.hpp"

using namespace sms::modem;
using namespace sms::modem::test;

namespace {
std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}
}  // namespace

TEST_CASE("send a single-part message over a pty", "[modem][send]") {
  PtySim sim(sms::sim::Options{});
  Rig rig;
  rig.make_modem(test_config("s1", sim.link));
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  std::vector<int> handed;
  auto out = rig.send_text("+15551234567", "hello from the driver", false, &handed);
  CHECK(out.failure == Failure::none);
  CHECK_FALSE(out.uncertain);
  CHECK(out.parts_accepted == 1);
  REQUIRE(out.references.size() == 1);
  CHECK(handed == std::vector<int>{0});
  auto subs = sim.sim->submits();
  REQUIRE(subs.size() == 1);
  CHECK(subs[0].mr == out.references[0]);
  CHECK(subs[0].message.number.number == "+15551234567");
  CHECK(subs[0].message.text == "hello from the driver");
  CHECK_FALSE(subs[0].message.status_report_request);
}

TEST_CASE("send multipart messages: every part, in order, with references", "[modem][send]") {
  const std::pair<const char*, std::string> texts[] = {
      {"gsm7, 3 parts", repeat("0123456789", 40)},          // 400 septets: 153+153+94
      {"ucs2 with emoji, 3 parts", repeat("你好😀", 40)},   // 160 UTF-16 units: 67+67+26
  };
  for (const auto& [name, text] : texts) {
    SECTION(name) {
      PtySim sim(sms::sim::Options{});
      Rig rig;
      rig.make_modem(test_config("mp", sim.link));
      rig.modem->start();
      REQUIRE(rig.wait_state(State::ready));
      std::vector<int> handed;
      auto out = rig.send_text("+15551234567", text, true, &handed);
      CHECK(out.failure == Failure::none);
      REQUIRE(out.references.size() == 3);
      CHECK(handed == std::vector<int>{0, 1, 2});
      auto subs = sim.sim->submits();
      REQUIRE(subs.size() == 3);
      std::string joined;
      for (std::size_t i = 0; i < subs.size(); ++i) {
        const auto& m = subs[i].message;
        CHECK(subs[i].mr == out.references[i]);
        REQUIRE(m.concat);
        CHECK(m.concat->total == 3);
        CHECK(m.concat->sequence == i + 1);
        CHECK(m.concat->reference == 42);
        CHECK(m.status_report_request);
        joined += m.text;
      }
      CHECK(joined == text);
    }
  }
}

TEST_CASE("AT+CMMS=1 keeps the link open while parts follow; a refusal is remembered", "[modem][send]") {
  SECTION("accepted") {
    Rig rig;
    CoreSim sim(rig.io, sms::sim::Options{});
    auto cfg = test_config("cmms", "sim");
    sim.attach(cfg);
    rig.make_modem(cfg);
    rig.modem->start();
    REQUIRE(rig.wait_state(State::ready));
    auto out = rig.send_text("+15551234567", repeat("x", 300));  // 2 parts
    CHECK(out.failure == Failure::none);
    const auto cmds = sim.commands();
    const auto first_cmgs = std::find_if(cmds.begin(), cmds.end(), [](auto& c) { return c.rfind("AT+CMGS=", 0) == 0; });
    REQUIRE(first_cmgs != cmds.end());
    REQUIRE(first_cmgs != cmds.begin());
    CHECK(*(first_cmgs - 1) == "AT+CMMS=1");
  }
  SECTION("a single part needs no AT+CMMS") {
    Rig rig;
    CoreSim sim(rig.io, sms::sim::Options{});
    auto cfg = test_config("cmms", "sim");
    sim.attach(cfg);
    rig.make_modem(cfg);
    rig.modem->start();
    REQUIRE(rig.wait_state(State::ready));
    CHECK(rig.send_text("+15551234567", "one").failure == Failure::none);
    const auto cmds = sim.commands();
    CHECK(std::none_of(cmds.begin(), cmds.end(), [](auto& c) { return c.rfind("AT+CMMS", 0) == 0; }));
  }
}

TEST_CASE("send failures are classified", "[modem][send][errors]") {
  SECTION("network errors (+CMS ERROR: 500 / 38) are temporary") {
    sms::sim::Options o;
    o.error_rate = 1.0;
    PtySim sim(o);
    Rig rig;
    rig.make_modem(test_config("err", sim.link));
    rig.modem->start();
    REQUIRE(rig.wait_state(State::ready));
    for (int i = 0; i < 3; ++i) {
      auto out = rig.send_text("+15551234567", "try");
      CHECK(out.failure == Failure::temporary);
      CHECK((out.cms_error == 500 || out.cms_error == 38));
      CHECK_THAT(out.error, Catch::Contains("+CMS ERROR"));
      CHECK_FALSE(out.uncertain);
      CHECK(out.references.empty());
    }
    CHECK(rig.modem->state() == State::ready);
    sim.control("set error_rate 0");
    CHECK(rig.send_text("+15551234567", "now it goes").failure == Failure::none);
  }
  SECTION("an invalid PDU (+CMS ERROR: 304) is permanent") {
    PtySim sim(sms::sim::Options{});
    Rig rig;
    rig.make_modem(test_config("bad", sim.link));
    rig.modem->start();
    REQUIRE(rig.wait_state(State::ready));
    sms::pdu::SubmitOptions so;
    so.destination = "+15551234567";
    auto enc = sms::pdu::encode_submit("length mismatch", so);
    REQUIRE(enc);
    const auto& p = enc->parts.front();
    auto out = rig.send_pdus({PduToSend{p.hex, p.tpdu_length + 1}});  // AT+CMGS=<n> must match the TPDU
    CHECK(out.failure == Failure::permanent);
    CHECK(out.cms_error == 304);
    CHECK_FALSE(out.uncertain);
    CHECK(sim.sim->submits().empty());
    // The modem is fine afterwards.
    CHECK(rig.send_text("+15551234567", "valid").failure == Failure::none);
  }
  SECTION("multipart stops at the failing part and reports the accepted ones") {
    PtySim sim(sms::sim::Options{});
    Rig rig;
    rig.make_modem(test_config("mpfail", sim.link));
    rig.modem->start();
    REQUIRE(rig.wait_state(State::ready));
    sms::pdu::SubmitOptions so;
    so.destination = "+15551234567";
    auto enc = sms::pdu::encode_submit(repeat("y", 400), so);
    REQUIRE(enc);
    REQUIRE(enc->parts.size() == 3);
    std::vector<PduToSend> parts;
    for (const auto& p : enc->parts) parts.push_back({p.hex, p.tpdu_length});
    parts[1].hex = "00ZZ";  // not hex: 304
    auto out = rig.send_pdus(parts);
    CHECK(out.failure == Failure::permanent);
    CHECK(out.parts_accepted == 1);
    CHECK(out.references.size() == 1);
    CHECK_THAT(out.error, Catch::Contains("part 2/3"));
    CHECK(sim.sim->submits().size() == 1);
  }
}

TEST_CASE("no prompt: ESC, a clean temporary failure, and the modem keeps working", "[modem][send][timeout]") {
  sms::sim::Options o;
  PtySim sim(o);
  Rig rig;
  auto cfg = test_config("noprompt", sim.link);
  cfg.timeouts.prompt = 500ms;
  rig.make_modem(cfg);
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  sim.control("set hang AT+CMGS");
  std::vector<int> handed;
  auto out = rig.send_text("+15551234567", "stuck", false, &handed);
  CHECK(out.failure == Failure::temporary);
  CHECK_FALSE(out.uncertain);
  CHECK(handed.empty());  // nothing was handed over
  CHECK_THAT(out.error, Catch::Contains("prompt"));
  sim.control("set hang -");
  auto again = rig.send_text("+15551234567", "works again");
  CHECK(again.failure == Failure::none);
  CHECK(sim.sim->submits().size() == 1);
}

TEST_CASE("no answer after the PDU: uncertain, then recovery", "[modem][send][timeout]") {
  sms::sim::Options o;
  o.submit_delay_ms = 2500;
  PtySim sim(o);
  Rig rig;
  auto cfg = test_config("slow", sim.link);
  cfg.timeouts.submit = 300ms;
  rig.make_modem(cfg);
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  std::vector<int> handed;
  auto out = rig.send_text("+15551234567", "maybe sent", false, &handed);
  CHECK(out.failure == Failure::modem);
  CHECK(out.uncertain);
  CHECK(handed == std::vector<int>{0});
  // The late +CMGS answer must not be taken for the next send's.
  sim.control("set submit_delay_ms 0");
  rig.run_for(3000ms);
  auto next = rig.send_text("+15551234567", "next");
  CHECK(next.failure == Failure::none);
  auto subs = sim.sim->submits();
  REQUIRE(subs.size() == 2);
  REQUIRE(next.references.size() == 1);
  CHECK(next.references[0] == subs[1].mr);
  CHECK(subs[1].message.text == "next");
}

TEST_CASE("many queued sends go one after another", "[modem][send]") {
  PtySim sim(sms::sim::Options{});
  Rig rig;
  rig.make_modem(test_config("queue", sim.link));
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  std::vector<SendOutcome> outs;
  for (int i = 0; i < 10; ++i) {
    sms::pdu::SubmitOptions so;
    so.destination = "+1555000" + std::to_string(1000 + i);
    auto enc = sms::pdu::encode_submit("message " + std::to_string(i), so);
    REQUIRE(enc);
    std::vector<PduToSend> parts{{enc->parts[0].hex, enc->parts[0].tpdu_length}};
    rig.modem->send(parts, i < 9, nullptr, [&](const SendOutcome& o) { outs.push_back(o); });
  }
  REQUIRE(rig.run_until([&] { return outs.size() == 10; }));
  auto subs = sim.sim->submits();
  REQUIRE(subs.size() == 10);
  for (int i = 0; i < 10; ++i) {
    CHECK(outs[i].failure == Failure::none);
    CHECK(subs[i].message.text == "message " + std::to_string(i));
    CHECK(outs[i].references.at(0) == subs[i].mr);
  }
}
