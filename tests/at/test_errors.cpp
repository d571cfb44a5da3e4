// +CMS/+CME ERROR tables and the class of a failed send.
#include <catch2/catch.hpp>

#include "modem/at/errors.hpp"

using namespace sms::at;

TEST_CASE("+CMS ERROR codes: meaning and class", "[at][errors]") {
  struct Row {
    int code;
    const char* meaning;
    ErrorClass cls;
  };
  const Row rows[] = {
      {1, "unassigned (unallocated) number", ErrorClass::permanent},
      {21, "short message transfer rejected", ErrorClass::permanent},
      {28, "unidentified subscriber", ErrorClass::permanent},
      {29, "facility rejected", ErrorClass::permanent},
      {30, "unknown subscriber", ErrorClass::permanent},
      {38, "network out of order", ErrorClass::temporary},
      {41, "temporary failure", ErrorClass::temporary},
      {42, "congestion", ErrorClass::temporary},
      {47, "resources unavailable, unspecified", ErrorClass::temporary},
      {96, "invalid mandatory information", ErrorClass::permanent},
      {0xC5, "SM rejected-duplicate SM", ErrorClass::permanent},
      {304, "invalid PDU mode parameter", ErrorClass::permanent},
      {305, "invalid text mode parameter", ErrorClass::permanent},
      {310, "SIM not inserted", ErrorClass::modem},
      {311, "SIM PIN required", ErrorClass::modem},
      {314, "SIM busy", ErrorClass::temporary},
      {316, "SIM PUK required", ErrorClass::modem},
      {322, "memory full", ErrorClass::modem},
      {330, "SMSC address unknown", ErrorClass::modem},
      {331, "no network service", ErrorClass::temporary},
      {332, "network timeout", ErrorClass::temporary},
      {500, "unknown error", ErrorClass::temporary},
  };
  for (const auto& r : rows) {
    INFO(r.code);
    const ErrorInfo i = cms_error_info(r.code);
    CHECK(i.known);
    CHECK(i.meaning == r.meaning);
    CHECK(i.cls == r.cls);
  }
  CHECK(cms_error_info(512).cls == ErrorClass::temporary);
  CHECK(cms_error_info(515).cls == ErrorClass::temporary);
  const ErrorInfo unknown = cms_error_info(777);
  CHECK_FALSE(unknown.known);
  CHECK(unknown.cls == ErrorClass::temporary);
  CHECK(unknown.meaning == "unknown error code");
}

TEST_CASE("+CME ERROR codes: meaning and class", "[at][errors]") {
  CHECK(cme_error_info(10).meaning == "SIM not inserted");
  CHECK(cme_error_info(10).cls == ErrorClass::modem);
  CHECK(cme_error_info(11).cls == ErrorClass::modem);
  CHECK(cme_error_info(12).meaning == "SIM PUK required");
  CHECK(cme_error_info(14).cls == ErrorClass::temporary);  // ZTE: SIM busy just after start
  CHECK(cme_error_info(16).meaning == "incorrect password");
  CHECK(cme_error_info(30).cls == ErrorClass::temporary);
  CHECK(cme_error_info(100).meaning == "unknown");
  CHECK(cme_error_info(515).cls == ErrorClass::temporary);  // Wavecom after AT+CFUN=1
  CHECK_FALSE(cme_error_info(9999).known);
}

TEST_CASE("text forms map to codes", "[at][errors]") {
  CHECK(cme_code_from_text("SIM PIN required") == 11);
  CHECK(cme_code_from_text("sim pin required") == 11);
  CHECK(cme_code_from_text("SIM PIN") == 11);
  CHECK(cme_code_from_text("SIM PUK required") == 12);
  CHECK(cme_code_from_text("incorrect password") == 16);
  CHECK(cme_code_from_text("SIM busy") == 14);
  CHECK(cme_code_from_text("(U)SIM not inserted") == 10);
  CHECK(cme_code_from_text("no network service") == 30);
  CHECK(cme_code_from_text("unknown") == 100);
  CHECK(cme_code_from_text("frobnicated") == std::nullopt);
  CHECK(cme_code_from_text("") == std::nullopt);
  CHECK(cms_code_from_text("Unknown error") == 500);
  CHECK(cms_code_from_text("memory full") == 322);
  CHECK(cms_code_from_text("invalid PDU mode parameter") == 304);
  CHECK(cms_code_from_text("SIM busy") == 314);
  CHECK(cms_code_from_text("network timeout") == 332);
}

TEST_CASE("classify_send_failure and describe", "[at][errors]") {
  auto final_of = [](FinalCode c, std::optional<int> n, std::string text) { return Final{c, n, std::move(text)}; };
  CHECK(classify_send_failure(final_of(FinalCode::cms_error, 21, "21")) == ErrorClass::permanent);
  CHECK(classify_send_failure(final_of(FinalCode::cms_error, 500, "500")) == ErrorClass::temporary);
  CHECK(classify_send_failure(final_of(FinalCode::cms_error, 322, "322")) == ErrorClass::modem);
  CHECK(classify_send_failure(final_of(FinalCode::cms_error, std::nullopt, "weird")) == ErrorClass::temporary);
  CHECK(classify_send_failure(final_of(FinalCode::cme_error, 11, "11")) == ErrorClass::modem);
  CHECK(classify_send_failure(final_of(FinalCode::error, std::nullopt, "")) == ErrorClass::temporary);
  CHECK(classify_send_failure(final_of(FinalCode::command_not_support, std::nullopt, "")) ==
        ErrorClass::temporary);

  CHECK(describe(final_of(FinalCode::cms_error, 21, "21")) == "+CMS ERROR: 21 (short message transfer rejected)");
  CHECK(describe(final_of(FinalCode::cme_error, 11, "SIM PIN required")) == "+CME ERROR: SIM PIN required (code 11)");
  CHECK(describe(final_of(FinalCode::cms_error, 777, "777")) == "+CMS ERROR: 777");
  CHECK(describe(final_of(FinalCode::error, std::nullopt, "")) == "ERROR");
  CHECK(describe(final_of(FinalCode::modem_error, 3, "3")) == "MODEM ERROR: 3");
  CHECK(to_string(ErrorClass::modem) == "modem");
}
