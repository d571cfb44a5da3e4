// --report-padding: real modems pad +CMGR answers with FF octets (one capture
// is a status report followed by 143 x FF). The simulator appends N octets of
// FF to every SMS-STATUS-REPORT it prints (+CDS, +CMGR/+CMGL of SR); the
// <length> printed stays the report's own TPDU length.
#include <catch2/catch.hpp>

#include <string>

#include "modem/pdu/pdu.hpp"
#include "modem/sim/control.hpp"
#include "tests/modemsim/sim_rig.hpp"

using simtest::Rig;

namespace {

enum class Route { cds, cmgr, cmgl };

// One submit (MR 1), its status report (TP-ST 0) routed per `route`, and
// what the modem printed for it: the +CDS URC (ds=1), or, stored in SR (ds=2),
// the answer to AT+CMGR=1 / AT+CMGL=4.
std::string printed_report(Route route, int padding) {
  auto o = simtest::base_options();
  o.report_padding = padding;
  Rig r(o);
  const bool direct = route == Route::cds;
  if (r.type(direct ? "AT+CNMI=2,1,0,1,0\r" : "AT+CNMI=2,1,0,2,0\r") != "\r\nOK\r\n") return "CNMI refused";
  if (r.submit() != "\r\n+CMGS: 1\r\n\r\nOK\r\n") return "submit refused";
  if (!r.m.status_report(1, 0, r.t).ok()) return "no report";
  const std::string urc = r.m.take_output();
  if (direct) return urc;
  if (urc != "\r\n+CDSI: \"SR\",1\r\n") return "not stored: " + urc;
  if (r.type("AT+CPMS=\"SR\"\r") != "\r\n+CPMS: 1,20,0,20,0,20\r\n\r\nOK\r\n") return "SR not selected";
  return r.type(route == Route::cmgr ? "AT+CMGR=1\r" : "AT+CMGL=4\r");
}

std::string ff(int octets) { return std::string(2 * static_cast<std::size_t>(octets), 'F'); }

}  // namespace

TEST_CASE("--report-padding: N octets of FF after every status report printed, <length> unchanged",
          "[report]") {
  // The report as printed without padding: "+CDS: <length>", then its hex.
  const std::string plain = printed_report(Route::cds, 0);
  REQUIRE(plain.rfind("\r\n+CDS: ", 0) == 0);
  const auto nl = plain.find("\r\n", 2);
  const std::string hex = plain.substr(nl + 2, plain.size() - nl - 4);
  auto report = sms::pdu::decode(hex, sms::pdu::SmscField::present);
  REQUIRE(report.ok());
  REQUIRE(report->type == sms::pdu::MessageType::status_report);
  REQUIRE(report->message_reference == 1);
  REQUIRE(report->status == 0);
  REQUIRE(hex.substr(hex.size() - 2) == "00");  // ends with TP-ST: any FF printed is padding
  const std::string len = std::to_string(*sms::pdu::tpdu_length(hex));
  REQUIRE(plain == "\r\n+CDS: " + len + "\r\n" + hex + "\r\n");

  struct Way {
    Route route;
    const char* name;
    std::string before, after;  // around the PDU line
  };
  const Way ways[] = {
      {Route::cds, "+CDS (ds=1)", "\r\n+CDS: " + len + "\r\n", "\r\n"},
      {Route::cmgr, "AT+CMGR of SR", "\r\n+CMGR: 0,," + len + "\r\n", "\r\n\r\nOK\r\n"},
      {Route::cmgl, "AT+CMGL of SR", "\r\n+CMGL: 1,0,," + len + "\r\n", "\r\n\r\nOK\r\n"},
  };
  const int paddings[] = {0, 1, 2, 143};
  for (const auto& way : ways) {
    for (int n : paddings) {
      INFO(way.name << ", --report-padding " << n);
      CHECK(printed_report(way.route, n) == way.before + hex + ff(n) + way.after);
    }
  }
  // What a host gets still decodes as the same report (the codec skips the FF).
  auto padded = sms::pdu::decode(hex + ff(143), sms::pdu::SmscField::present);
  REQUIRE(padded.ok());
  CHECK(padded->type == sms::pdu::MessageType::status_report);
  CHECK(padded->message_reference == 1);
  CHECK(padded->status == 0);
}

TEST_CASE("report padding via the control channel applies to later reports", "[report][control]") {
  Rig r;
  REQUIRE(r.type("AT+CNMI=2,1,0,1,0\r") == "\r\nOK\r\n");
  REQUIRE(r.submit() == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
  REQUIRE(sms::sim::execute_control(r.m, "status-report 1 0", r.t) == "ok");
  const std::string plain = r.m.take_output();
  REQUIRE(plain.rfind("\r\n+CDS: ", 0) == 0);

  CHECK(sms::sim::execute_control(r.m, "set report_padding 3", r.t) == "ok");
  CHECK(r.m.options().report_padding == 3);
  CHECK(sms::sim::execute_control(r.m, "set report_padding 1001", r.t) ==
        "error report_padding: at most 1000 octets, got 1001");
  CHECK(sms::sim::execute_control(r.m, "set report_padding -1", r.t) ==
        "error report_padding: not a number >= 0: '-1'");
  CHECK(r.m.options().report_padding == 3);
  REQUIRE(sms::sim::execute_control(r.m, "status-report 1 0", r.t) == "ok");
  // The same report again (same clock), now with 3 octets of FF before the CRLF.
  CHECK(r.m.take_output() == plain.substr(0, plain.size() - 2) + "FFFFFF\r\n");
}
