// Start-up output and quirks of each dialect.
#include <catch2/catch.hpp>

#include <string>

#include "tests/modemsim/sim_rig.hpp"

using sms::sim::Dialect;
using simtest::Rig;

namespace {
sms::sim::Options dialect(Dialect d) {
  auto o = simtest::base_options();
  o.dialect = d;
  return o;
}
}  // namespace

TEST_CASE("simcom: RDY ... SMS Ready, SIM busy before it, CNMI quirk", "[dialect][simcom]") {
  auto o = dialect(Dialect::simcom);
  o.ready_delay_ms = 3000;
  Rig r(o, /*echo_off=*/false);
  CHECK(r.boot == "\r\nRDY\r\n");
  CHECK(r.type("AT\r") == "AT\r\r\nOK\r\n");  // echo on at start
  r.type("ATE0\r");
  CHECK(r.wait(100) == "\r\n+CFUN: 1\r\n");
  CHECK(r.wait(100) == "\r\n+CPIN: READY\r\n");
  r.type("AT+CMEE=1\r");
  CHECK(r.type("AT+CPMS?\r") == "\r\n+CMS ERROR: 314\r\n");  // SIM busy
  CHECK(r.type("AT+CMGS=23\r") == "\r\n+CMS ERROR: 314\r\n");
  CHECK(r.wait(1800) == "\r\nCall Ready\r\n");
  CHECK(r.wait(1000) == "\r\nSMS Ready\r\n");
  CHECK(r.type("AT+CPMS?\r") == "\r\n+CPMS: \"SM\",0,20,\"SM\",0,20,\"SM\",0,20\r\n\r\nOK\r\n");
  CHECK(r.type("AT+CGMI\r") == "\r\nSIMCOM_Ltd\r\n\r\nOK\r\n");
  // SIM800: rejects status reports routed as +CDSI with this combination.
  CHECK(r.type("AT+CNMI=2,1,0,2,0\r") == "\r\n+CMS ERROR: 303\r\n");
  CHECK(r.type("AT+CNMI=2,1,0,1,0\r") == "\r\nOK\r\n");
  // An empty slot reads as a bare OK.
  CHECK(r.type("AT+CMGR=1\r") == "\r\nOK\r\n");
}

TEST_CASE("simcom with a PIN: SMS Ready counts from the PIN", "[dialect][simcom]") {
  auto o = dialect(Dialect::simcom);
  o.pin = "1234";
  o.ready_delay_ms = 1000;
  Rig r(o);
  CHECK(r.wait(200) == "\r\n+CFUN: 1\r\n\r\n+CPIN: SIM PIN\r\n");
  CHECK(r.wait(5000).empty());
  CHECK(r.type("AT+CPIN=\"1234\"\r") == "\r\nOK\r\n");
  CHECK(r.wait(1000) == "\r\nCall Ready\r\n\r\nSMS Ready\r\n");
}

TEST_CASE("quectel: RDY, +QIND: SMS DONE / PB DONE, csq noise", "[dialect][quectel]") {
  auto o = dialect(Dialect::quectel);
  o.ready_delay_ms = 1000;
  o.noise_ms = 2000;
  Rig r(o);
  CHECK(r.boot == "\r\nRDY\r\n");
  CHECK(r.wait(200) == "\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n");
  r.type("AT+CMEE=1\r");
  CHECK(r.type("AT+CMGL=4\r") == "\r\n+CMS ERROR: 314\r\n");
  CHECK(r.wait(800) == "\r\n+QIND: SMS DONE\r\n");
  CHECK(r.type("AT+CMGL=4\r") == "\r\nOK\r\n");
  CHECK(r.wait(500) == "\r\n+QIND: PB DONE\r\n");
  CHECK(r.wait(500) == "\r\n+QIND: \"csq\",20,99\r\n");  // t = 2000
  CHECK(r.type("AT+QINDCFG=\"csq\",0\r") == "\r\nOK\r\n");
  CHECK(r.wait(10000).empty());
}

TEST_CASE("huawei: noise URCs, silenced by AT^CURC=0; indexes from 0; COMMAND NOT SUPPORT",
          "[dialect][huawei]") {
  auto o = dialect(Dialect::huawei);
  o.noise_ms = 1000;
  Rig r(o);
  CHECK(r.boot.empty());
  CHECK(r.type("AT+CGMM\r").find("E173") != std::string::npos);
  CHECK(r.type("AT+NOPE\r").find("\r\nCOMMAND NOT SUPPORT\r\n") != std::string::npos);
  const std::string noise = r.wait(1000);
  const bool known = noise.rfind("\r\n^RSSI: 20\r\n", 0) == 0 || noise.rfind("\r\n^MODE: 5,4\r\n", 0) == 0 ||
                     noise.rfind("\r\n^DSFLOWRPT: ", 0) == 0 || noise.rfind("\r\n^BOOT: ", 0) == 0;
  CHECK(known);
  // Noise inside responses: over many commands some OK is preceded by a noise URC.
  int inside = 0;
  for (int i = 0; i < 100; ++i) {
    const std::string out = r.type("AT+CSQ\r");
    REQUIRE(out.rfind("\r\n+CSQ: 20,99\r\n", 0) == 0);
    REQUIRE(out.size() >= 6);
    REQUIRE(out.substr(out.size() - 6) == "\r\nOK\r\n");
    if (out.find('^') != std::string::npos) ++inside;
  }
  CHECK(inside > 0);
  CHECK(inside < 100);
  CHECK(r.type("AT^CURC=0\r").find("OK") != std::string::npos);
  CHECK(r.wait(10000).empty());
  for (int i = 0; i < 50; ++i) REQUIRE(r.type("AT+CSQ\r") == "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
  // Storage indexes start at 0.
  REQUIRE(r.type("AT+CNMI=2,1,0,0,0\r") == "\r\nOK\r\n");
  REQUIRE(r.m.deliver("+1", "zero", r.t).ok());
  CHECK(r.m.take_output() == "\r\n+CMTI: \"SM\",0\r\n");
  CHECK(r.type("AT+CMGR=0\r").rfind("\r\n+CMGR: 0,,", 0) == 0);
}

TEST_CASE("configurable CNMI rejection (Qualcomm mode 2, ds=1)", "[dialect][cnmi]") {
  auto o = simtest::base_options();
  o.reject_cnmi = "2;*,*,*,1";
  Rig r(o);
  r.type("AT+CMEE=1\r");
  CHECK(r.type("AT+CNMI=2,1,0,0,0\r") == "\r\n+CMS ERROR: 303\r\n");
  CHECK(r.type("AT+CNMI=1,1,0,1,0\r") == "\r\n+CMS ERROR: 303\r\n");
  CHECK(r.type("AT+CNMI=1,1,0,2,0\r") == "\r\nOK\r\n");
  CHECK(r.type("AT+CNMI?\r") == "\r\n+CNMI: 1,1,0,2,0\r\n\r\nOK\r\n");
  CHECK(r.type("AT+CNMI=4,1\r") == "\r\n+CMS ERROR: 302\r\n");  // out of range
}
