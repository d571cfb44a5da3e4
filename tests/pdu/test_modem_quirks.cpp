// What real modems hand us besides textbook PDUs: +CMGR answers padded with
// FF octets, and PDUs cut short. The expected fields are computed by hand from
// the octets (3GPP TS 23.040); each comment shows the computation.
#include <catch2/catch.hpp>

#include <string>

#include "modem/pdu/pdu.hpp"
#include "tests/pdu/helpers.hpp"

using namespace sms::pdu;

namespace {

// A status report captured from a modem (in Gammu's test data it is followed by 143 x FF):
//   07 91 24 60 20 09 99 90   SMSC: 7 octets, international, digits swapped -> +420602909909
//   02                        first octet: TP-MTI 10 = status report, TP-MMS 0 (more messages), no UDHI
//   AB                        TP-MR = 171
//   09 81 06 84 56 88 F8      TP-RA: 9 digits, type 0x81, swapped -> 604865888 (F = fill)
//   90 70 80 51 73 75 80      TP-SCTS 09-07-08 15:37:57, TZ 0x80: sign bit 0, tens 0, units 8
//                             -> +8 quarters = +120 min -> UTC 2009-07-08 13:37:57
//   90 70 80 51 83 01 80      TP-DT   09-07-08 15:38:10 +120 min -> UTC 2009-07-08 13:38:10
//   00                        TP-ST 0: delivered
const std::string kReportSmsc = "0791246020099990";
const std::string kReportTpdu = "02AB098106845688F8907080517375809070805183018000";

void check_report(const sms::Result<Message>& m, bool with_smsc) {
  REQUIRE(m.ok());
  CHECK(m->type == MessageType::status_report);
  CHECK(m->smsc == (with_smsc ? "+420602909909" : ""));
  CHECK(m->message_reference == 171);
  CHECK(m->number.number == "604865888");
  CHECK(m->number.type == 0x81);
  REQUIRE(m->scts);
  CHECK(format_utc(*m->scts) == "2009-07-08 13:37:57");
  CHECK(m->scts->offset_minutes == 120);
  REQUIRE(m->discharge);
  CHECK(format_utc(*m->discharge) == "2009-07-08 13:38:10");
  CHECK(m->discharge->offset_minutes == 120);
  CHECK(m->status == 0);
  CHECK(classify_status(m->status) == StatusClass::delivered);
  CHECK(m->text.empty());
  CHECK(m->more_messages_to_send);
}

}  // namespace

TEST_CASE("a status report padded with FF octets decodes", "[pdu][quirks][padding]") {
  for (int pad : {0, 1, 2, 143}) {
    const std::string ff = pdutest::repeat("FF", pad);
    INFO(pad << " x FF");
    SECTION("with SMSC field, " + std::to_string(pad) + " x FF") {
      const std::string hex = kReportSmsc + kReportTpdu + ff;
      check_report(decode(hex), true);
      check_report(decode(hex, SmscField::present), true);
      const auto bytes = pdutest::unhex(hex);
      check_report(decode(std::span<const std::uint8_t>(bytes), true), true);
      // Padding is not an oddity worth a note (SMS-DELIVER and SMS-SUBMIT ignore it silently too).
      CHECK(decode(hex)->error_note.empty());
    }
    SECTION("bare TPDU, " + std::to_string(pad) + " x FF") {
      const std::string hex = kReportTpdu + ff;
      check_report(decode(hex), false);
      check_report(decode(hex, SmscField::absent), false);
      CHECK(decode(hex)->error_note.empty());
    }
  }
}

TEST_CASE("FF padding after real status-report parameters is ignored", "[pdu][quirks][padding]") {
  const std::string report = kReportSmsc + kReportTpdu;
  SECTION("TP-PI 00 (no parameters), then padding") {
    auto m = decode(report + "00" + pdutest::repeat("FF", 10));
    check_report(m, true);
    CHECK(m->error_note.empty());
  }
  SECTION("TP-PI 03: PID 7F, DCS 08, then padding") {
    auto m = decode(report + "03" "7F" "08" + pdutest::repeat("FF", 5));
    check_report(m, true);
    CHECK(m->protocol_id == 0x7F);
    CHECK(m->dcs == 0x08);
    CHECK(m->encoding == Encoding::ucs2);
    CHECK(m->error_note.empty());
  }
  SECTION("TP-PI 07: PID, DCS, UDL 2, 'hi' packed, then padding") {
    // 'h' 0x68, 'i' 0x69: E8 = 0x68 | (0x69 << 7 & 0xFF), 34 = 0x69 >> 1.
    auto m = decode(report + "07" "00" "00" "02" "E834" + pdutest::repeat("FF", 143));
    REQUIRE(m.ok());
    CHECK(m->status == 0);
    CHECK(m->message_reference == 171);
    CHECK(m->text == "hi");
    CHECK(m->error_note.empty());
  }
  SECTION("reserved TP-PI bits are ignored (23.040 9.2.3.27)") {
    // 0x78: bits 3..6 reserved, no parameter present.
    auto m = decode(report + "78");
    check_report(m, true);
    CHECK(m->error_note.empty());
  }
}

TEST_CASE("status-report parameters that do not fit do not lose the report", "[pdu][quirks][padding]") {
  // TP-ST is octet 31 (counted from 0, SMSC field included), so TP-PI would be octet 32.
  const std::string report = kReportSmsc + kReportTpdu;
  struct Row {
    const char* name;
    const char* tail;
    const char* says;
  };
  const Row rows[] = {
      {"TP-PI promises UD, no TP-UDL", "04", "TP-UDL at octet 33 needs 1 octet, 0 left"},
      {"TP-PI promises PID and DCS, only PID", "0300", "TP-DCS at octet 34 needs 1 octet, 0 left"},
      {"TP-PI extension bit, no extension octet", "81", "TP-PI extension at octet 33 needs 1 octet, 0 left"},
      {"FF padding after an extended TP-PI", "80FFFF", "TP-PI extension at octet 35 needs 1 octet, 0 left"},
  };
  for (const auto& row : rows) {
    SECTION(row.name) {
      auto m = decode(report + row.tail);
      check_report(m, true);
      CHECK_THAT(m->error_note, Catch::Contains("ignored") && Catch::Contains("after TP-ST") &&
                                    Catch::Contains(row.says));
      CHECK(m->protocol_id == 0);
      CHECK(m->dcs == 0);
      CHECK(m->encoding == Encoding::gsm7);
      auto told = decode(report + row.tail, SmscField::present);
      check_report(told, true);
      CHECK(told->error_note == m->error_note);
    }
  }
}

namespace {
// Octets that read two ways (built by hand so that both readings decode):
//   with an SMSC field:  04 | 02 81 21 00 (SMSC) | 02 (status report) | 11 (MR) | 10 81 (RA, 16 digits)
//                        21 43 65 00 UDL 21 43 65 | SCTS 90 70 80 51 73 75 80 | DT 90 70 80 51 83 01 80 | 00 ST
//                        | TAIL
//   without:             04 (deliver) | 02 81 21 (OA "12") | 00 (PID) | 02 (DCS gsm7)
//                        | 11 10 81 21 43 65 00 (SCTS 2011-01-18 12:34:56 +0) | UDL | UD = the rest
std::string two_readings(const char* udl, const char* tail) {
  return std::string("04") + "02812100" + "02" + "11" + "1081" + "21436500" + udl + "214365" + "90708051737580" +
         "90708051830180" + "00" + tail;
}
}  // namespace

TEST_CASE("SMSC detection prefers the reading that accounts best for the octets", "[pdu][quirks][detect]") {
  SECTION("exact DELIVER beats a FF-padded status report") {
    // UDL 22 septets = 20 octets = octets 14..33: exact without the SMSC field.
    const std::string hex = two_readings("16", "FFFF");
    auto with = decode(hex, SmscField::present);
    REQUIRE(with.ok());
    CHECK(with->type == MessageType::status_report);
    auto m = decode(hex);
    REQUIRE(m.ok());
    CHECK(m->type == MessageType::deliver);
    CHECK(m->number.number == "12");
  }
  SECTION("a DELIVER with one octet over beats a status report with ignored parameters") {
    // UDL 20 septets = 18 octets of 19: one octet left over without the SMSC field; with it, the
    // report's "04" promises a TP-UDL that is not there.
    const std::string hex = two_readings("14", "04");
    auto with = decode(hex, SmscField::present);
    REQUIRE(with.ok());
    CHECK(with->type == MessageType::status_report);
    CHECK_THAT(with->error_note, Catch::Contains("ignored"));
    auto m = decode(hex);
    REQUIRE(m.ok());
    CHECK(m->type == MessageType::deliver);
    CHECK(m->error_note.empty());
  }
}
