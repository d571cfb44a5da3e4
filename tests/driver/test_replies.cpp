// Pure helpers that read modem answers.
#include <catch2/catch.hpp>

#include "modem/at/parser.hpp"
#include "modem/driver/replies.hpp"

using namespace sms::modem;

TEST_CASE("TP-MTI of a PDU with its SMSC field", "[replies]") {
  // 23.040 9.2.3.1: bits 0-1 of the first TPDU octet.
  CHECK(tpdu_type("07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07") == 0);
  CHECK(tpdu_type("0011000B916407281553F80000AA0AE8329BFD4697D9EC37") == 1);     // submit, "00" SMSC
  CHECK(tpdu_type("07919471060040340646") == 2);                             // status report first octet 06
  CHECK(tpdu_type("00") == -1);        // no TPDU
  CHECK(tpdu_type("") == -1);
  CHECK(tpdu_type("0G11") == -1);      // not hex
  CHECK(tpdu_type("FF00") == -1);      // SMSC length beyond the data
}

TEST_CASE("SIM-not-ready, memory-full and empty-slot codes", "[replies]") {
  auto f = [](sms::at::FinalCode c, int n) {
    sms::at::Final x;
    x.code = c;
    x.number = n;
    return x;
  };
  using C = sms::at::FinalCode;
  CHECK(is_not_ready(f(C::cms_error, 314)));  // SIMCom before "SMS Ready"
  CHECK(is_not_ready(f(C::cme_error, 14)));   // ZTE SIM busy
  CHECK(is_not_ready(f(C::cme_error, 515)));  // Wavecom after AT+CFUN=1
  CHECK_FALSE(is_not_ready(f(C::cms_error, 500)));
  CHECK(is_memory_full(f(C::cms_error, 322)));
  CHECK_FALSE(is_memory_full(f(C::cms_error, 321)));
  CHECK(is_empty_slot(f(C::cms_error, 321)));
  sms::at::Final plain;
  plain.code = C::error;
  CHECK_FALSE(is_not_ready(plain));
  CHECK_FALSE(is_memory_full(plain));
}

TEST_CASE("identity answers lose prefixes, quotes and spaces", "[replies]") {
  CHECK(identity_value("SIMCOM_Ltd") == "SIMCOM_Ltd");
  CHECK(identity_value(" WAVECOM MODEM") == "WAVECOM MODEM");  // Wavecom's leading space
  CHECK(identity_value("+CGMI: \"Quectel\"") == "Quectel");
  CHECK(identity_value("+CGSN: 356938035643809") == "356938035643809");
}

TEST_CASE("AT string parameters cannot break out of the command", "[replies]") {
  CHECK(at_quote("1234") == "\"1234\"");
  CHECK(at_quote("12\"34\r\x1a") == "\"1234\"");
}

TEST_CASE("CNMI fallbacks: +CMTI always, status reports while possible", "[replies]") {
  REQUIRE(kCnmiFallbacks.size() == 5);
  CHECK(kCnmiFallbacks.front().command == "AT+CNMI=2,1,0,2,0");
  CHECK(kCnmiFallbacks.back().command == "AT+CNMI=1,1,0,0,0");
  for (const auto& c : kCnmiFallbacks) CHECK(c.mt == 1);
}
