// Plain commands of the core: echo, result codes, identity, network queries.
#include <catch2/catch.hpp>

#include "tests/modemsim/sim_rig.hpp"

using simtest::Rig;

TEST_CASE("echo is on at start and ATE0/ATZ switch it", "[basic]") {
  Rig r(simtest::base_options(), /*echo_off=*/false);
  CHECK(r.boot.empty());  // generic: silent power-up
  CHECK(r.type("AT\r") == "AT\r\r\nOK\r\n");
  CHECK(r.type("ATE0\r") == "ATE0\r\r\nOK\r\n");  // echoed: typed while echo was on
  CHECK(r.type("AT\r") == "\r\nOK\r\n");
  CHECK(r.type("ATZ\r") == "\r\nOK\r\n");
  CHECK(r.type("AT\r") == "AT\r\r\nOK\r\n");  // V.250: ATZ restores echo
}

TEST_CASE("a command split into single bytes gets one answer", "[basic]") {
  Rig r;
  std::string out;
  for (char c : std::string("AT+CSQ\r")) out += r.type(std::string(1, c));
  CHECK(out == "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
}

TEST_CASE("command table", "[basic]") {
  struct Row {
    const char* in;
    const char* out;
  };
  // Identity of the generic dialect, network state with the defaults
  // (registered home), and the error forms of AT+CMEE.
  const Row rows[] = {
      {"AT\r", "\r\nOK\r\n"},
      {"at\r", "\r\nOK\r\n"},
      {"AT+CGMI\r", "\r\nSIMULATOR\r\n\r\nOK\r\n"},
      {"AT+GMM\r", "\r\nSIM-GSM-1\r\n\r\nOK\r\n"},
      {"AT+CGMR\r", "\r\n1.0.0\r\n\r\nOK\r\n"},
      {"AT+CGSN\r", "\r\n356938035643809\r\n\r\nOK\r\n"},
      {"AT+CIMI\r", "\r\n460001234567890\r\n\r\nOK\r\n"},
      {"AT+CPIN?\r", "\r\n+CPIN: READY\r\n\r\nOK\r\n"},
      {"AT+CREG?\r", "\r\n+CREG: 0,1\r\n\r\nOK\r\n"},
      {"AT+CGREG?\r", "\r\n+CGREG: 0,1\r\n\r\nOK\r\n"},
      {"AT+COPS?\r", "\r\n+COPS: 0,0,\"SimNet\",0\r\n\r\nOK\r\n"},
      {"AT+CGATT?\r", "\r\n+CGATT: 1\r\n\r\nOK\r\n"},  // gammu-smsd gives up on ERROR here
      {"AT+CGATT=?\r", "\r\n+CGATT: (0,1)\r\n\r\nOK\r\n"},
      {"AT+CGATT=0\r", "\r\nOK\r\n"},
      {"AT+CGATT=1\r", "\r\nOK\r\n"},
      {"AT+CGATT=2\r", "\r\nERROR\r\n"},
      {"AT+CBC\r", "\r\n+CBC: 0,100\r\n\r\nOK\r\n"},
      {"AT+CBC=?\r", "\r\n+CBC: (0-3),(0-100)\r\n\r\nOK\r\n"},
      {"AT+CUSD=1\r", "\r\nOK\r\n"},
      {"AT+CUSD?\r", "\r\n+CUSD: 1\r\n\r\nOK\r\n"},
      {"AT+CUSD=?\r", "\r\n+CUSD: (0-2)\r\n\r\nOK\r\n"},
      {"AT+CUSD=0\r", "\r\nOK\r\n"},
      {"AT+CUSD?\r", "\r\n+CUSD: 0\r\n\r\nOK\r\n"},
      {"AT+CUSD=3\r", "\r\nERROR\r\n"},
      {"AT+CUSD=1,\"*100#\",15\r", "\r\nERROR\r\n"},  // sending USSD: not supported
      {"AT+CSCA?\r", "\r\n+CSCA: \"+8613800100500\",145\r\n\r\nOK\r\n"},
      {"AT+CMGF=0\r", "\r\nOK\r\n"},
      {"AT+CMGF=1\r", "\r\nERROR\r\n"},  // PDU mode only
      {"AT+CMGF?\r", "\r\n+CMGF: 0\r\n\r\nOK\r\n"},
      {"AT+CMMS?\r", "\r\n+CMMS: 0\r\n\r\nOK\r\n"},
      {"AT+CSMS=1\r", "\r\n+CSMS: 1,1,1\r\n\r\nOK\r\n"},
      {"AT+CNMI?\r", "\r\n+CNMI: 0,0,0,0,0\r\n\r\nOK\r\n"},
      {"AT+CNMI=2,1,0,2,0\r", "\r\nOK\r\n"},
      {"AT+CPMS?\r", "\r\n+CPMS: \"SM\",0,20,\"SM\",0,20,\"SM\",0,20\r\n\r\nOK\r\n"},
      {"AT+CPMS=\"ME\",\"ME\",\"ME\"\r", "\r\n+CPMS: 0,20,0,20,0,20\r\n\r\nOK\r\n"},
      {"AT+CPMS=\"XX\"\r", "\r\nERROR\r\n"},
      {"AT+FOO\r", "\r\nERROR\r\n"},
      {"AT^CURC=0\r", "\r\nERROR\r\n"},  // Huawei only
      {"AT+CMEE=1\r", "\r\nOK\r\n"},
      {"AT+CNMA\r", "\r\n+CMS ERROR: 340\r\n"},
      {"AT+CMGR=99\r", "\r\n+CMS ERROR: 321\r\n"},
      {"AT+CPIN=\"1234\"\r", "\r\n+CME ERROR: 3\r\n"},  // no PIN asked
      {"AT+CMEE=2\r", "\r\nOK\r\n"},
      {"AT+CMGR=99\r", "\r\n+CMS ERROR: invalid memory index\r\n"},
      {"AT+CMGF=0;+CMEE=1;+CSQ\r", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n"},  // chained
      {"AT+CMEE?\r", "\r\n+CMEE: 1\r\n\r\nOK\r\n"},
      {"hello\r", ""},  // not a command line: ignored like real modems do
      {"\r", ""},
  };
  Rig r;
  for (const auto& row : rows) {
    INFO("command " << row.in);
    CHECK(r.type(row.in) == row.out);
  }
}

TEST_CASE("registration after a delay is announced with AT+CREG=1", "[basic][network]") {
  auto o = simtest::base_options();
  o.register_after_ms = 5000;
  Rig r(o);
  CHECK(r.type("AT+CREG=1\r") == "\r\nOK\r\n");
  CHECK(r.type("AT+CREG?\r") == "\r\n+CREG: 1,2\r\n\r\nOK\r\n");  // searching
  CHECK(r.type("AT+COPS?\r") == "\r\n+COPS: 0\r\n\r\nOK\r\n");
  CHECK(r.wait(4999).empty());
  CHECK(r.wait(1) == "\r\n+CREG: 1\r\n");
  CHECK(r.type("AT+CREG?\r") == "\r\n+CREG: 1,1\r\n\r\nOK\r\n");
}

TEST_CASE("not registered and roaming", "[basic][network]") {
  auto o = simtest::base_options();
  o.registration = sms::sim::Registration::none;
  Rig none(o);
  CHECK(none.type("AT+CREG?\r") == "\r\n+CREG: 0,0\r\n\r\nOK\r\n");
  CHECK(none.type("AT+CGATT?\r") == "\r\n+CGATT: 0\r\n\r\nOK\r\n");
  CHECK(none.type("AT+CGATT=1\r") == "\r\nOK\r\n");
  CHECK(none.type("AT+CMEE=1\r") == "\r\nOK\r\n");
  CHECK(none.submit() == "\r\n+CMS ERROR: 331\r\n");  // no network service
  o.registration = sms::sim::Registration::roaming;
  Rig roam(o);
  CHECK(roam.type("AT+CREG?\r") == "\r\n+CREG: 0,5\r\n\r\nOK\r\n");
  CHECK(roam.type("AT+CGATT?\r") == "\r\n+CGATT: 1\r\n\r\nOK\r\n");
  CHECK(roam.submit() == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
}

TEST_CASE("PIN flow: wrong PIN counts tries, three lock the SIM, PUK unlocks", "[basic][pin]") {
  auto o = simtest::base_options();
  o.pin = "1234";
  Rig r(o);
  CHECK(r.type("AT+CMEE=1\r") == "\r\nOK\r\n");
  CHECK(r.type("AT+CPIN?\r") == "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
  CHECK(r.type("AT+CIMI\r") == "\r\n+CME ERROR: 11\r\n");
  CHECK(r.type("AT+CPMS?\r") == "\r\n+CMS ERROR: 311\r\n");
  CHECK(r.type("AT+CREG?\r") == "\r\n+CREG: 0,0\r\n\r\nOK\r\n");

  SECTION("right PIN") {
    CHECK(r.type("AT+CPIN=\"1111\"\r") == "\r\n+CME ERROR: 16\r\n");
    CHECK(r.type("AT+CPIN=\"1234\"\r") == "\r\nOK\r\n");
    CHECK(r.type("AT+CPIN?\r") == "\r\n+CPIN: READY\r\n\r\nOK\r\n");
    CHECK(r.type("AT+CREG?\r") == "\r\n+CREG: 0,1\r\n\r\nOK\r\n");
    CHECK(r.submit() == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
  }
  SECTION("three wrong PINs") {
    for (int i = 0; i < 3; ++i) CHECK(r.type("AT+CPIN=\"0000\"\r") == "\r\n+CME ERROR: 16\r\n");
    CHECK(r.type("AT+CPIN?\r") == "\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n");
    CHECK(r.type("AT+CPIN=\"1234\"\r") == "\r\n+CME ERROR: 16\r\n");  // the right PIN no longer helps
    CHECK(r.type("AT+CIMI\r") == "\r\n+CME ERROR: 12\r\n");
    CHECK(r.type("AT+CMGL=4\r") == "\r\n+CMS ERROR: 316\r\n");
    // A reboot does not unlock the SIM.
    r.m.reboot(r.t);
    r.m.take_output();
    r.type("ATE0\r");
    CHECK(r.type("AT+CPIN?\r") == "\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n");
    CHECK(r.type("AT+CPIN=\"12345678\",\"4321\"\r") == "\r\nOK\r\n");
    CHECK(r.type("AT+CPIN?\r") == "\r\n+CPIN: READY\r\n\r\nOK\r\n");
  }
  SECTION("wrong tries survive a reboot") {
    CHECK(r.type("AT+CPIN=\"0000\"\r") == "\r\n+CME ERROR: 16\r\n");
    CHECK(r.type("AT+CPIN=\"0000\"\r") == "\r\n+CME ERROR: 16\r\n");
    r.m.reboot(r.t);
    r.m.take_output();
    r.type("ATE0\r");
    r.type("AT+CMEE=1\r");
    CHECK(r.type("AT+CPIN?\r") == "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
    CHECK(r.type("AT+CPIN=\"0000\"\r") == "\r\n+CME ERROR: 16\r\n");
    CHECK(r.type("AT+CPIN?\r") == "\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n");
  }
}

TEST_CASE("AT+CFUN=1,1 answers OK and restarts the modem", "[basic]") {
  auto o = simtest::base_options();
  o.dialect = sms::sim::Dialect::simcom;
  Rig r(o);
  r.wait(5000);  // past SMS Ready
  CHECK(r.type("AT+CFUN=1,1\r") == "\r\nOK\r\n");
  CHECK(r.wait(200) == "\r\nRDY\r\n");
  CHECK(r.type("AT\r") == "AT\r\r\nOK\r\n");  // echo back on
}

TEST_CASE("no SIM inserted", "[basic][pin]") {
  auto o = simtest::base_options();
  o.no_sim = true;
  Rig r(o);
  r.type("AT+CMEE=1\r");
  CHECK(r.type("AT+CPIN?\r") == "\r\n+CME ERROR: 10\r\n");
  CHECK(r.type("AT+CIMI\r") == "\r\n+CME ERROR: 10\r\n");
  CHECK(r.type("AT+CMGL=4\r") == "\r\n+CMS ERROR: 310\r\n");
  CHECK(r.type("AT+CREG?\r") == "\r\n+CREG: 0,0\r\n\r\nOK\r\n");
  CHECK(r.type("AT+CGMI\r") == "\r\nSIMULATOR\r\n\r\nOK\r\n");  // the modem itself answers
  auto s = simtest::base_options();
  s.no_sim = true;
  s.dialect = sms::sim::Dialect::simcom;
  Rig sc(s);
  CHECK(sc.wait(200) == "\r\n+CFUN: 1\r\n\r\n+CPIN: NOT INSERTED\r\n");
}
