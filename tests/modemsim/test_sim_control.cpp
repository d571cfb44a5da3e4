// The control protocol (pure part, no socket).
#include <catch2/catch.hpp>

#include <string>

#include "modem/pdu/pdu.hpp"
#include "tests/modemsim/sim_rig.hpp"
#include "modem/sim/control.hpp"

using sms::sim::execute_control;
using sms::sim::unescape;
using simtest::Rig;

TEST_CASE("unescape", "[control]") {
  CHECK(unescape("a\\nb") == "a\nb");
  CHECK(unescape("tab\\tx\\\\y") == "tab\tx\\y");
  CHECK(unescape("\\u00e9t\\u00E9") == "\xC3\xA9t\xC3\xA9");      // été
  CHECK(unescape("\\u4f60\\u597d") == "\xE4\xBD\xA0\xE5\xA5\xBD");  // 你好
  CHECK(unescape("\\ud83d\\ude00") == "\xF0\x9F\x98\x80");          // U+1F600 from a surrogate pair
  CHECK(unescape("\\ud83d") == "\xEF\xBF\xBD");                      // lone surrogate -> U+FFFD
  CHECK(unescape("\\q\\u12") == "\\q\\u12");                          // unknown / short: kept
  CHECK(unescape("trailing\\") == "trailing\\");
}

TEST_CASE("control commands and their replies", "[control]") {
  Rig r;
  REQUIRE(r.type("AT+CNMI=2,1,0,0,0\r") == "\r\nOK\r\n");
  struct Row {
    const char* in;
    const char* reply;
  };
  const Row rows[] = {
      {"ping", "ok pong"},
      {"", "error empty command"},
      {"frobnicate", "error unknown command 'frobnicate'"},
      {"deliver", "error usage: deliver FROM TEXT"},
      {"deliver +15551234 hello\\nworld", "ok parts=1 indexes=1"},
      {"deliver-parts +15551234 7 2 2 short", "error text makes 1 parts, not 2"},
      {"deliver-parts +15551234 x 2 2 hi", "error usage: deliver-parts FROM REF TOTAL SEQ,SEQ,... TEXT"},
      {"deliver-pdu 00ZZ", "error not an even number of hex digits"},
      {"deliver-pdu 0011000B916407281553F80000AA0AE8329BFD4697D9EC37", "error not an SMS-DELIVER"},
      {"status-report 9 0", "error no submit with mr 9"},
      {"status-report x", "error usage: status-report MR STATUS"},
      {"set submit_delay_ms 250", "ok"},
      {"set error_rate 2", "error error_rate: not a probability 0..1: '2'"},
      {"set colour blue", "error unknown key 'colour'"},
      {"set registration sideways",
       "error registration: expected home|roaming|searching|denied|none, got 'sideways'"},
      {"vanish 100", "ok"},
      {"storage", "ok 1:0:27"},  // 1+6+1+1+7+1+10 octets: 11 septets pack into 10
  };
  for (const auto& row : rows) {
    INFO(row.in);
    CHECK(execute_control(r.m, row.in, r.t) == row.reply);
  }
  CHECK(r.m.options().submit_delay_ms == 250);
  CHECK(r.m.take_vanish_request() == 100);
  const std::string s = execute_control(r.m, "stats", r.t);
  CHECK(s.rfind("ok {\"submits\":0,", 0) == 0);
  CHECK(s.find("\"delivered\":1,") != std::string::npos);
  CHECK(s.find("\"storage\":{\"SM\":[1,20],\"ME\":[0,20],\"SR\":[0,20]}") != std::string::npos);
  auto m = sms::pdu::decode(r.m.storage("SM").slots[0].pdu, sms::pdu::SmscField::present);
  REQUIRE(m.ok());
  CHECK(m->text == "hello\nworld");
  CHECK(execute_control(r.m, "clear", r.t) == "ok");
  CHECK(r.m.storage("SM").used() == 0);
}

TEST_CASE("deliver-parts sends chosen parts out of order and duplicated", "[control]") {
  Rig r;
  REQUIRE(r.type("AT+CNMI=2,1,0,0,0\r") == "\r\nOK\r\n");
  const std::string text(400, 'p');  // 3 parts: 153 + 153 + 94 septets
  CHECK(execute_control(r.m, "deliver-parts +15551234 42 3 3,1,1 " + text, r.t) == "ok parts=3 indexes=1,2,3");
  CHECK(r.m.take_output() == "\r\n+CMTI: \"SM\",1\r\n\r\n+CMTI: \"SM\",2\r\n\r\n+CMTI: \"SM\",3\r\n");
  const int expect_seq[] = {3, 1, 1};
  for (int i = 0; i < 3; ++i) {
    auto m = sms::pdu::decode(r.m.storage("SM").slots[static_cast<std::size_t>(i)].pdu, sms::pdu::SmscField::present);
    REQUIRE(m.ok());
    REQUIRE(m->concat.has_value());
    CHECK(m->concat->reference == 42);
    CHECK(m->concat->total == 3);
    CHECK(m->concat->sequence == expect_seq[i]);
  }
  CHECK(execute_control(r.m, "deliver-parts +15551234 42 3 4 " + text, r.t) == "error part 4 out of range 1..3");
}

TEST_CASE("status-report by MR uses the recipient of that submit", "[control]") {
  Rig r;
  REQUIRE(r.type("AT+CNMI=2,1,0,1,0\r") == "\r\nOK\r\n");
  REQUIRE(r.submit() == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
  CHECK(execute_control(r.m, "status-report 1 0x46", r.t) == "ok");
  const std::string out = r.m.take_output();
  REQUIRE(out.rfind("\r\n+CDS: ", 0) == 0);
  const auto nl = out.find("\r\n", 2);
  auto m = sms::pdu::decode(out.substr(nl + 2, out.size() - nl - 4), sms::pdu::SmscField::present);
  REQUIRE(m.ok());
  CHECK(m->number.number == "+46708251358");
  CHECK(m->message_reference == 1);
  CHECK(m->status == 0x46);  // 23.040 9.2.3.15: permanent error, validity period expired
}

TEST_CASE("deliveries need a registered modem", "[control]") {
  auto o = simtest::base_options();
  o.pin = "1234";
  Rig r(o);
  CHECK(execute_control(r.m, "deliver +1 hi", r.t) ==
        "error modem not registered (CREG stat 0): the network cannot deliver");
  r.type("AT+CPIN=\"1234\"\r");
  CHECK(execute_control(r.m, "deliver +1 hi", r.t) == "ok parts=1 indexes=1");
  CHECK(execute_control(r.m, "set registration denied", r.t) == "ok");
  CHECK(execute_control(r.m, "deliver +1 hi", r.t) ==
        "error modem not registered (CREG stat 3): the network cannot deliver");
}
