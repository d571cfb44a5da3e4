// AT+CMGS: real validation of the PDU, MR numbering, network delays, AT+CMMS,
// the submit log.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "modem/pdu/pdu.hpp"
#include "tests/modemsim/sim_rig.hpp"

using simtest::kHelloLen;
using simtest::kHelloPdu;
using simtest::Rig;

TEST_CASE("a valid submit is accepted, numbered and recorded", "[submit]") {
  Rig r;
  CHECK(r.type("AT+CMGS=23\r") == "\r\n> ");
  CHECK(r.type(std::string(kHelloPdu) + "\x1a") == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
  REQUIRE(r.m.submits().size() == 1);
  const auto& s = r.m.submits()[0];
  CHECK(s.mr == 1);
  CHECK(s.pdu == kHelloPdu);
  CHECK(s.tpdu_length == 23);
  CHECK(s.message.number.number == "+46708251358");
  CHECK(s.message.text == "hellohello");
  CHECK(s.message.validity_minutes == 4 * 24 * 60);  // VP 0xAA: (170-166) days, 23.040 9.2.3.12.1
  CHECK(r.submit() == "\r\n+CMGS: 2\r\n\r\nOK\r\n");
  const auto st = r.m.stats();
  CHECK(st.submits == 2);
  CHECK(st.accepted == 2);
}

TEST_CASE("the submit log line has the decoded fields", "[submit][log]") {
  Rig r;
  std::string logged;
  r.m.set_submit_sink([&](const sms::sim::SubmitRecord& rec) { logged = sms::sim::submit_json(rec); });
  REQUIRE(r.submit() == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
  CHECK(logged ==
        "{\"time\":\"2026-11-18T11:06:40.000Z\",\"cmgs_time\":\"2026-11-18T11:06:40.000Z\",\"mr\":1,\"number\":\"+46708251358\",\"toa\":145,"
        "\"text\":\"hellohello\",\"encoding\":\"gsm7\",\"dcs\":0,\"concat_ref\":null,\"concat_total\":null,"
        "\"concat_seq\":null,\"srr\":false,\"class\":-1,\"validity\":5760,\"tpdu_length\":23,"
        "\"pdu\":\"0011000B916407281553F80000AA0AE8329BFD4697D9EC37\"}");
}

TEST_CASE("the submit log has the AT+CMGS arrival and the answer time", "[submit][log]") {
  // A wall clock that follows the rig's fake clock, so the two times differ
  // by exactly what the host and the network took.
  auto o = simtest::base_options();
  o.submit_delay_ms = 1500;
  std::int64_t rig_t = 0;
  o.wall_ms = [&rig_t] { return std::int64_t{1795000000000} + rig_t; };
  Rig r(o);
  std::vector<std::string> logged;
  std::vector<sms::sim::SubmitRecord> recs;
  r.m.set_submit_sink([&](const sms::sim::SubmitRecord& rec) {
    logged.push_back(sms::sim::submit_json(rec));
    recs.push_back(rec);
  });
  rig_t = r.t = 250;
  REQUIRE(r.type("AT+CMGS=23\r") == "\r\n> ");
  rig_t = r.t = 1234;  // the host takes its time typing the PDU
  REQUIRE(r.type(std::string(kHelloPdu) + "\x1a").empty());
  rig_t = 1234 + 1500;
  REQUIRE(r.wait(1500) == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
  REQUIRE(logged.size() == 1);
  CHECK(recs[0].cmgs_wall_ms == 1795000000250);
  CHECK(recs[0].wall_ms == 1795000002734);
  CHECK(recs[0].cmgs_wall_ms <= recs[0].wall_ms);
  CHECK(logged[0].rfind(
            "{\"time\":\"2026-11-18T11:06:42.734Z\",\"cmgs_time\":\"2026-11-18T11:06:40.250Z\",\"mr\":1,", 0) == 0);
  // A cancelled prompt is not logged; the next submit gets its own command time.
  rig_t = r.t = 5000;
  REQUIRE(r.type("AT+CMGS=23\r") == "\r\n> ");
  REQUIRE(r.type("\x1b") == "\r\nOK\r\n");
  rig_t = r.t = 6000;
  REQUIRE(r.type("AT+CMGS=23\r") == "\r\n> ");
  REQUIRE(r.type(std::string(kHelloPdu) + "\x1a").empty());
  rig_t = 7500;
  REQUIRE(r.wait(1500) == "\r\n+CMGS: 2\r\n\r\nOK\r\n");
  REQUIRE(recs.size() == 2);
  CHECK(recs[1].cmgs_wall_ms == 1795000006000);
  CHECK(recs[1].wall_ms == 1795000007500);
}

TEST_CASE("multipart submits from the codec are logged with their concat fields", "[submit][log]") {
  Rig r;
  sms::pdu::SubmitOptions so;
  so.destination = "+8613800138000";
  so.status_report = true;
  so.concat_reference = 77;
  auto enc = sms::pdu::encode_submit(std::string(200, 'x'), so);
  REQUIRE(enc.ok());
  REQUIRE(enc->parts.size() == 2);
  int mr = 1;
  for (const auto& p : enc->parts) {
    CHECK(r.submit(p.hex, p.tpdu_length) == "\r\n+CMGS: " + std::to_string(mr++) + "\r\n\r\nOK\r\n");
  }
  REQUIRE(r.m.submits().size() == 2);
  for (int k = 0; k < 2; ++k) {
    const auto& m = r.m.submits()[static_cast<std::size_t>(k)].message;
    REQUIRE(m.concat.has_value());
    CHECK(m.concat->reference == 77);
    CHECK(m.concat->total == 2);
    CHECK(m.concat->sequence == k + 1);
    CHECK(m.status_report_request);
  }
}

TEST_CASE("invalid submits get +CMS ERROR: 304", "[submit]") {
  struct Row {
    const char* what;
    std::string pdu;
    int len;
  };
  const std::string hello(kHelloPdu);
  const Row rows[] = {
      {"length one short", hello, kHelloLen - 1},
      {"length one long", hello, kHelloLen + 1},
      {"odd number of digits", hello.substr(0, hello.size() - 1), kHelloLen},
      {"not hex", "0011000B916407281553F80000AA0AE8329BFD4697D9ECZZ", kHelloLen},
      {"truncated user data", hello.substr(0, hello.size() - 4), kHelloLen - 2},
      {"empty", "", 1},
      // An SMS-DELIVER (MTI 00) is not something a host may submit.
      {"deliver instead of submit", "0004000B916407281553F80000621132125404000AE8329BFD4697D9EC37", 28},
  };
  Rig r;
  REQUIRE(r.type("AT+CMEE=1\r") == "\r\nOK\r\n");
  for (const auto& row : rows) {
    INFO(row.what);
    CHECK(r.submit(row.pdu, row.len) == "\r\n+CMS ERROR: 304\r\n");
  }
  CHECK(r.m.submits().empty());
  CHECK(r.m.stats().rejected == static_cast<long>(std::size(rows)));
  // A length outside 1..180 fails before the prompt.
  CHECK(r.type("AT+CMGS=0\r") == "\r\n+CMS ERROR: 304\r\n");
  CHECK(r.type("AT+CMGS=500\r") == "\r\n+CMS ERROR: 304\r\n");
  // The modem still works, and the MR did not move.
  CHECK(r.submit() == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
}

TEST_CASE("ESC at the prompt cancels the message", "[submit]") {
  Rig r;
  CHECK(r.type("AT+CMGS=23\r") == "\r\n> ");
  CHECK(r.type("0011000B91\x1b") == "\r\nOK\r\n");
  CHECK(r.m.submits().empty());
  CHECK(r.type("AT\r") == "\r\nOK\r\n");
}

TEST_CASE("the PDU is echoed while echo is on", "[submit]") {
  Rig r(simtest::base_options(), /*echo_off=*/false);
  CHECK(r.type("AT+CMGS=23\r") == "AT+CMGS=23\r\r\n> ");
  CHECK(r.type(std::string(kHelloPdu) + "\x1a") == std::string(kHelloPdu) + "\r\n+CMGS: 1\r\n\r\nOK\r\n");
}

TEST_CASE("the MR is 8 bits and wraps", "[submit]") {
  Rig r;
  for (int i = 1; i <= 255; ++i) REQUIRE(r.submit() == "\r\n+CMGS: " + std::to_string(i) + "\r\n\r\nOK\r\n");
  CHECK(r.submit() == "\r\n+CMGS: 0\r\n\r\nOK\r\n");
  CHECK(r.submit() == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
}

TEST_CASE("network delay; bytes typed meanwhile wait for the answer", "[submit][delay]") {
  auto o = simtest::base_options();
  o.submit_delay_ms = 1000;
  Rig r(o);
  CHECK(r.submit().empty());
  CHECK(r.m.next_deadline() == 1000);
  CHECK(r.type("AT\r").empty());  // busy: not even processed yet
  CHECK(r.wait(999).empty());
  CHECK(r.wait(1) == "\r\n+CMGS: 1\r\n\r\nOK\r\n\r\nOK\r\n");
}

TEST_CASE("AT+CMMS=1 shortens submits while the link is open, then falls back", "[submit][cmms]") {
  auto o = simtest::base_options();
  o.submit_delay_ms = 1000;
  o.cmms_delay_ms = 100;
  Rig r(o);
  CHECK(r.type("AT+CMMS=1\r") == "\r\nOK\r\n");
  // The first submit opens the link: full network time.
  CHECK(r.submit().empty());
  CHECK(r.wait(999).empty());
  CHECK(r.wait(1) == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
  // Right after: the link is open.
  CHECK(r.submit().empty());
  CHECK(r.wait(99).empty());
  CHECK(r.wait(1) == "\r\n+CMGS: 2\r\n\r\nOK\r\n");
  // 4.9 s later still open.
  r.wait(4900);
  CHECK(r.submit().empty());
  CHECK(r.wait(100) == "\r\n+CMGS: 3\r\n\r\nOK\r\n");
  // After more than 5 s the link closed and CMMS fell back to 0 (27.005 3.5.6).
  r.wait(6000);
  CHECK(r.type("AT+CMMS?\r") == "\r\n+CMMS: 0\r\n\r\nOK\r\n");
  CHECK(r.submit().empty());
  CHECK(r.wait(100).empty());
  CHECK(r.wait(900) == "\r\n+CMGS: 4\r\n\r\nOK\r\n");
}

TEST_CASE("AT+CMMS=2 keeps the link mode after a gap", "[submit][cmms]") {
  auto o = simtest::base_options();
  o.submit_delay_ms = 1000;
  o.cmms_delay_ms = 100;
  Rig r(o);
  CHECK(r.type("AT+CMMS=2\r") == "\r\nOK\r\n");
  r.submit();
  r.wait(1000);
  r.wait(10000);
  CHECK(r.type("AT+CMMS?\r") == "\r\n+CMMS: 2\r\n\r\nOK\r\n");
  CHECK(r.submit().empty());
  CHECK(r.wait(1000) == "\r\n+CMGS: 2\r\n\r\nOK\r\n");  // gap: link had closed, full time again
  CHECK(r.submit().empty());
  CHECK(r.wait(100) == "\r\n+CMGS: 3\r\n\r\nOK\r\n");
}

TEST_CASE("status reports for submits with SRR, routed by AT+CNMI ds", "[submit][report]") {
  auto o = simtest::base_options();
  o.status_reports = true;
  o.status_report_delay_ms = 500;
  sms::pdu::SubmitOptions so;
  so.destination = "+8613800138000";
  so.status_report = true;
  auto enc = sms::pdu::encode_submit("report me", so);
  REQUIRE(enc.ok());
  const auto& part = enc->parts.at(0);

  SECTION("ds=1: +CDS direct") {
    Rig r(o);
    REQUIRE(r.type("AT+CNMI=2,1,0,1,0\r") == "\r\nOK\r\n");
    REQUIRE(r.submit(part.hex, part.tpdu_length) == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
    CHECK(r.wait(499).empty());
    const std::string out = r.wait(1);
    REQUIRE(out.rfind("\r\n+CDS: ", 0) == 0);
    const auto nl = out.find("\r\n", 2);
    const std::string pdu = out.substr(nl + 2, out.size() - nl - 4);
    auto m = sms::pdu::decode(pdu, sms::pdu::SmscField::present);
    REQUIRE(m.ok());
    CHECK(m->type == sms::pdu::MessageType::status_report);
    CHECK(m->message_reference == 1);
    CHECK(m->number.number == "+8613800138000");
    CHECK(m->status == 0);
    CHECK(out == "\r\n+CDS: " + std::to_string(*sms::pdu::tpdu_length(pdu)) + "\r\n" + pdu + "\r\n");
  }
  SECTION("ds=2: stored in SR, +CDSI") {
    Rig r(o);
    REQUIRE(r.type("AT+CNMI=2,1,0,2,0\r") == "\r\nOK\r\n");
    REQUIRE(r.submit(part.hex, part.tpdu_length) == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
    CHECK(r.wait(500) == "\r\n+CDSI: \"SR\",1\r\n");
    CHECK(r.type("AT+CPMS=\"SR\"\r") == "\r\n+CPMS: 1,20,0,20,0,20\r\n\r\nOK\r\n");
    const std::string out = r.type("AT+CMGR=1\r");
    CHECK(out.rfind("\r\n+CMGR: 0,,", 0) == 0);
  }
  SECTION("ds=0: dropped and counted") {
    Rig r(o);
    REQUIRE(r.submit(part.hex, part.tpdu_length) == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
    CHECK(r.wait(500).empty());
    CHECK(r.m.stats().reports_dropped == 1);
  }
  SECTION("no SRR: no report") {
    Rig r(o);
    REQUIRE(r.type("AT+CNMI=2,1,0,1,0\r") == "\r\nOK\r\n");
    REQUIRE(r.submit() == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
    CHECK(r.wait(5000).empty());
  }
}

TEST_CASE("the in-memory submit list stays bounded", "[submit]") {
  auto o = simtest::base_options();
  o.keep_submits = 3;
  Rig r(o);
  for (int i = 0; i < 20; ++i) REQUIRE(r.submit().find("+CMGS:") != std::string::npos);
  const auto& s = r.m.submits();
  REQUIRE(s.size() >= 3);
  CHECK(s.size() < 6);
  CHECK(s.back().mr == 20);
  CHECK(r.m.stats().accepted == 20);
}
