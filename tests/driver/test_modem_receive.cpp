// Receiving through the simulator: +CMTI then read, hand over, delete only
// when stored; sweeps; direct +CMT with +CNMA; status reports (+CDSI, +CDS);
// a full storage.
#include <catch2/catch.hpp>

#include <algorithm>

#include "modem/pdu/pdu.hpp"
#include "tests/driver/sim_harness.hpp"

using namespace sms::modem;
using namespace sms::modem::test;

namespace {
std::string text_of(const Incoming& m) {
  auto d = sms::pdu::decode(m.pdu);
  return d ? d->text : "<undecodable: " + d.error() + ">";
}
bool storage_empty(PtySim& sim, const std::string& mem = "SM") {
  return sim.sim->stats_json().find("\"" + mem + "\":[0,") != std::string::npos;
}
}  // namespace

TEST_CASE("+CMTI: read, hand over, delete once stored", "[modem][receive]") {
  for (auto dialect : {sms::sim::Dialect::generic, sms::sim::Dialect::huawei}) {
    DYNAMIC_SECTION("dialect " << sms::sim::to_string(dialect)) {
      sms::sim::Options o;
      o.dialect = dialect;
      o.noise_ms = 300;
      PtySim sim(o);
      Rig rig;
      rig.make_modem(test_config("rx", sim.link));
      rig.modem->start();
      REQUIRE(rig.wait_state(State::ready));
      CHECK(sim.control("deliver +15557654321 hello driver").rfind("ok parts=1 indexes=", 0) == 0);
      REQUIRE(rig.run_until([&] { return rig.incoming.size() == 1; }));
      const auto& m = rig.incoming[0];
      CHECK(m.kind == Incoming::Kind::deliver);
      CHECK(m.storage == "SM");
      CHECK(m.index == (dialect == sms::sim::Dialect::huawei ? 0 : 1));  // Huawei counts from 0
      CHECK(text_of(m) == "hello driver");
      REQUIRE(rig.run_until([&] { return storage_empty(sim); }));
    }
  }
}

TEST_CASE("a message the owner did not store stays and is offered again by the sweep", "[modem][receive]") {
  PtySim sim(sms::sim::Options{});
  Rig rig;
  auto cfg = test_config("refuse", sim.link);
  cfg.sweep_interval = std::chrono::seconds(1);
  rig.make_modem(cfg);
  int offered = 0;
  rig.accept = [&](const Incoming&) {
    ++offered;
    return offered >= 2;  // the database was down the first time
  };
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  sim.control("deliver +15557654321 keep me");
  REQUIRE(rig.run_until([&] { return rig.incoming.size() == 1; }));
  CHECK(offered >= 2);
  CHECK(text_of(rig.incoming[0]) == "keep me");
  REQUIRE(rig.run_until([&] { return storage_empty(sim); }));
}

TEST_CASE("messages stored while nobody listened are swept at start", "[modem][receive]") {
  PtySim sim(sms::sim::Options{});
  // CNMI is 0 after power-up: these are stored silently.
  CHECK(sim.control("deliver +15550000001 first").rfind("ok", 0) == 0);
  CHECK(sim.control("deliver +15550000002 second").rfind("ok", 0) == 0);
  Rig rig;
  rig.make_modem(test_config("sweep", sim.link));
  rig.modem->start();
  REQUIRE(rig.run_until([&] { return rig.incoming.size() == 2; }));
  std::vector<std::string> texts{text_of(rig.incoming[0]), text_of(rig.incoming[1])};
  std::sort(texts.begin(), texts.end());
  CHECK(texts == std::vector<std::string>{"first", "second"});
  REQUIRE(rig.run_until([&] { return storage_empty(sim); }));
}

TEST_CASE("multipart deliveries arrive as separate parts", "[modem][receive]") {
  PtySim sim(sms::sim::Options{});
  Rig rig;
  rig.make_modem(test_config("mprx", sim.link));
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  std::string text(300, 'z');
  CHECK(sim.control("deliver +15557654321 " + text).rfind("ok parts=2", 0) == 0);
  REQUIRE(rig.run_until([&] { return rig.incoming.size() == 2; }));
  std::string joined;
  for (const auto& m : rig.incoming) {
    auto d = sms::pdu::decode(m.pdu);
    REQUIRE(d);
    REQUIRE(d->concat);
    CHECK(d->concat->total == 2);
    joined += d->text;
  }
  CHECK(joined.size() == 300);
}

TEST_CASE("+CMT direct delivery: handed over, +CNMA only after it was stored", "[modem][receive]") {
  Rig rig;
  CoreSim sim(rig.io, sms::sim::Options{});
  auto cfg = test_config("cmt", "sim");
  cfg.init_commands = {"AT+CSMS=1", "AT+CNMI=2,2,0,1,0"};  // phase 2+, deliveries routed directly
  sim.attach(cfg);
  rig.make_modem(cfg);
  bool store = true;
  rig.accept = [&](const Incoming&) { return store; };
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  auto r = sim.core().deliver("+15557654321", "direct one", sim.now());
  REQUIRE(r);
  CHECK(r->direct);
  REQUIRE(rig.run_until([&] {
    auto c = sim.commands();
    return std::find(c.begin(), c.end(), "AT+CNMA") != c.end();
  }));
  REQUIRE(rig.incoming.size() == 1);
  CHECK(rig.incoming[0].index == -1);
  CHECK(rig.incoming[0].storage.empty());
  CHECK(text_of(rig.incoming[0]) == "direct one");

  // Not stored: not acknowledged (the network will deliver it again).
  store = false;
  const auto before = sim.commands();
  const auto cnma_before = std::count(before.begin(), before.end(), std::string("AT+CNMA"));
  REQUIRE(sim.core().deliver("+15557654321", "direct two", sim.now()));
  rig.run_for(500ms);
  const auto cmds = sim.commands();
  CHECK(std::count(cmds.begin(), cmds.end(), std::string("AT+CNMA")) == cnma_before);
}

TEST_CASE("status reports: stored (+CDSI) and direct (+CDS)", "[modem][receive][report]") {
  struct Row {
    const char* name;
    const char* reject_cnmi;
    bool stored;
  };
  const Row rows[] = {{"+CDSI (ds=2)", "none", true}, {"+CDS (ds=1)", "*,*,*,2", false}};
  for (const auto& row : rows) {
    SECTION(row.name) {
      sms::sim::Options o;
      o.status_reports = true;
      o.status_report_delay_ms = 100;
      o.reject_cnmi = row.reject_cnmi;
      PtySim sim(o);
      Rig rig;
      rig.make_modem(test_config("sr", sim.link));
      rig.modem->start();
      REQUIRE(rig.wait_state(State::ready));
      auto out = rig.send_text("+15551234567", "report please", true);
      REQUIRE(out.failure == Failure::none);
      REQUIRE(rig.run_until([&] { return !rig.incoming.empty(); }));
      const auto& m = rig.incoming[0];
      CHECK(m.kind == Incoming::Kind::status_report);
      if (row.stored) {
        CHECK(m.storage == "SR");
        CHECK(m.index >= 0);
        REQUIRE(rig.run_until([&] { return storage_empty(sim, "SR"); }));
      } else {
        CHECK(m.index == -1);
      }
      auto d = sms::pdu::decode(m.pdu);
      REQUIRE(d);
      CHECK(d->type == sms::pdu::MessageType::status_report);
      CHECK(d->message_reference == out.references.at(0));
      CHECK(d->status == 0);
      // Reading from SR must not leave the driver on the SR storage.
      sim.control("deliver +15557654321 after the report");
      REQUIRE(rig.run_until([&] { return rig.incoming.size() == 2; }));
      CHECK(rig.incoming[1].storage == "SM");
    }
  }
}

TEST_CASE("a full storage is reported and clears once messages are stored", "[modem][receive][full]") {
  sms::sim::Options o;
  o.capacity = 2;
  PtySim sim(o);
  Rig rig;
  auto cfg = test_config("full", sim.link);
  cfg.sweep_interval = std::chrono::seconds(1);
  rig.make_modem(cfg);
  bool store = false;
  rig.accept = [&](const Incoming&) { return store; };
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  sim.control("deliver +15550000001 one");
  sim.control("deliver +15550000002 two");
  REQUIRE(rig.wait_state(State::storage_full));
  store = true;
  REQUIRE(rig.wait_state(State::ready));
  CHECK(rig.incoming.size() == 2);
  CHECK(storage_empty(sim));
}
