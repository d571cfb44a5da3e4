// What real modems hand us besides textbook PDUs: +CMGR answers padded with
// FF octets, and PDUs cut short. The expected fields are computed by hand from
// the octets (3GPP TS 23.040); each comment shows the computation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

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
      CHECK(decode(hex)->text.empty());
      CHECK_FALSE(decode(hex)->truncated);
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

// ---- User data shorter than TP-UDL says ------------------------------------------------------

namespace {
// 00 (no SMSC) | FO | OA 05 81 "10086" -> 01 80 F6 | PID 00 | DCS | SCTS 2026-11-23 20:34:56 +0
std::string deliver(const char* fo, const char* dcs, const char* udl_and_ud) {
  return std::string("00") + fo + "05810180F6" + "00" + dcs + "62113202436500" + udl_and_ud;
}
}  // namespace

TEST_CASE("a GSM 7-bit DELIVER cut short keeps its whole septets", "[pdu][quirks][truncated]") {
  // "hellohello" packs into 9 octets E8 32 9B FD 46 97 D9 EC 37 (TP-UDL 10 septets).
  SECTION("5 of 9 octets: 40 bits hold 5 whole septets") {
    auto m = decode(deliver("04", "00", "0A" "E8329BFD46"), SmscField::present);
    REQUIRE(m.ok());
    CHECK(m->truncated);
    CHECK(m->text == "hello");
    CHECK(m->number.number == "10086");
    REQUIRE(m->scts);
    CHECK(format_utc(*m->scts) == "2026-11-23 20:34:56");
    CHECK(m->error_note == "user data truncated: TP-UDL says 10 septets, 5 present");
  }
  SECTION("6 of 9 octets: 48 bits hold 6 whole septets (the 7th has 6 of its 7 bits)") {
    auto m = decode(deliver("04", "00", "0A" "E8329BFD4697"), SmscField::present);
    REQUIRE(m.ok());
    CHECK(m->truncated);
    CHECK(m->text == "helloh");
    CHECK(m->error_note == "user data truncated: TP-UDL says 10 septets, 6 present");
  }
  SECTION("no user data octet at all") {
    auto m = decode(deliver("04", "00", "0A"), SmscField::present);
    REQUIRE(m.ok());
    CHECK(m->truncated);
    CHECK(m->text.empty());
    CHECK(m->error_note == "user data truncated: TP-UDL says 10 septets, 0 present");
  }
  SECTION("160 septets cut to 105 of 140 octets: 840 bits = the first 120 characters") {
    DeliverOptions o;
    o.originator = "10086";
    const std::string text = pdutest::repeat("0123456789", 16);
    auto full = encode_deliver(text, o);
    REQUIRE(full.ok());
    REQUIRE(full->size() == 1);
    const std::string& hex = full->front();
    CHECK(hex.substr(hex.size() - 2 * 140 - 2, 2) == "A0");  // TP-UDL 160
    auto m = decode(hex.substr(0, hex.size() - 2 * 35));
    REQUIRE(m.ok());
    CHECK(m->truncated);
    CHECK(m->text == text.substr(0, 120));
    CHECK(m->error_note == "user data truncated: TP-UDL says 160 septets, 120 present");
    // 104 octets = 832 bits: 118 whole septets.
    m = decode(hex.substr(0, hex.size() - 2 * 36));
    REQUIRE(m.ok());
    CHECK(m->text == text.substr(0, 118));
    CHECK(m->error_note == "user data truncated: TP-UDL says 160 septets, 118 present");
    // Uncut, nothing is flagged.
    m = decode(hex);
    REQUIRE(m.ok());
    CHECK_FALSE(m->truncated);
    CHECK(m->text == text);
    CHECK(m->error_note.empty());
  }
}

TEST_CASE("a UCS2 DELIVER cut short keeps its whole code units", "[pdu][quirks][truncated]") {
  // DCS 08, TP-UDL 8: 4F60 597D 4E16 754C = 你好世界.
  SECTION("odd: 5 of 8 octets -> 2 code units") {
    auto m = decode(deliver("04", "08", "08" "4F60597D4E"), SmscField::present);
    REQUIRE(m.ok());
    CHECK(m->truncated);
    CHECK(m->encoding == Encoding::ucs2);
    CHECK(m->text == "\u4F60\u597D");
    CHECK(m->error_note == "user data truncated: TP-UDL says 8 octets, 5 present");
  }
  SECTION("even: 6 of 8 octets -> 3 code units") {
    auto m = decode(deliver("04", "08", "08" "4F60597D4E16"), SmscField::present);
    REQUIRE(m.ok());
    CHECK(m->truncated);
    CHECK(m->text == "\u4F60\u597D\u4E16");
    CHECK(m->error_note == "user data truncated: TP-UDL says 8 octets, 6 present");
  }
  SECTION("a surrogate pair cut in half is dropped, not shown as U+FFFD") {
    // 4F60 D83D DE00 = 你😀; 4 of 6 octets leave 你 and the high surrogate D83D.
    auto m = decode(deliver("04", "08", "06" "4F60D83D"), SmscField::present);
    REQUIRE(m.ok());
    CHECK(m->truncated);
    CHECK(m->text == "\u4F60");
  }
  SECTION("an earlier note is kept") {
    // SCTS year octet FF is not BCD: noted, then the truncation.
    auto m = decode("000405810180F60008FF113202436500" "08" "4F60597D4E16", SmscField::present);
    REQUIRE(m.ok());
    CHECK_FALSE(m->scts);
    CHECK(m->text == "\u4F60\u597D\u4E16");
    CHECK_THAT(m->error_note, Catch::StartsWith("TP-SCTS: ") &&
                                  Catch::EndsWith("; user data truncated: TP-UDL says 8 octets, 6 present"));
  }
}

TEST_CASE("a concatenated part cut short keeps its concatenation header", "[pdu][quirks][truncated]") {
  SECTION("UCS2: UDH 05 00 03 2A 02 01, then 4F60 597D 4E16 754C (TP-UDL 6 + 8 = 14), 11 octets present") {
    auto m = decode(deliver("44", "08", "0E" "0500032A0201" "4F60597D4E"), SmscField::present);
    REQUIRE(m.ok());
    CHECK(m->truncated);
    REQUIRE(m->concat);
    CHECK(m->concat->reference == 0x2A);
    CHECK(m->concat->total == 2);
    CHECK(m->concat->sequence == 1);
    CHECK(m->text == "\u4F60\u597D");
    CHECK(m->error_note == "user data truncated: TP-UDL says 14 octets, 11 present");
  }
  SECTION("GSM 7-bit: a 6-octet UDH puts 'a' x 10 at septets 7..16 (TP-UDL 17, 15 octets), 10 present") {
    // Octet 6 = fill bit 0 then 'a' 0x61 in bits 1..7 = C2 (see test_hand_vectors). 10 octets = 80 bits
    // = 11 whole septets, of which the UDH takes 7: "aaaa".
    const std::string full = "11" "0500032A0201" "C2E170381C0E87C361";
    auto whole = decode(deliver("44", "00", full.c_str()), SmscField::present);
    REQUIRE(whole.ok());
    CHECK_FALSE(whole->truncated);
    CHECK(whole->text == "aaaaaaaaaa");
    auto m = decode(deliver("44", "00", "11" "0500032A0201" "C2E17038"), SmscField::present);
    REQUIRE(m.ok());
    CHECK(m->truncated);
    REQUIRE(m->concat);
    CHECK(m->concat->sequence == 1);
    CHECK(m->text == "aaaa");
    CHECK(m->error_note == "user data truncated: TP-UDL says 17 septets, 11 present");
    // Only the UDH and its fill bit: no character yet.
    m = decode(deliver("44", "00", "11" "0500032A0201"), SmscField::present);
    REQUIRE(m.ok());
    CHECK(m->truncated);
    REQUIRE(m->concat);
    CHECK(m->text.empty());
  }
}

TEST_CASE("a cut inside the user data header is still an error", "[pdu][quirks][truncated]") {
  // UDHL 5 announces 5 header octets; only 2 follow it.
  auto m = decode(deliver("44", "08", "0E" "050003"), SmscField::present);
  REQUIRE_FALSE(m.ok());
  CHECK_THAT(m.error(), Catch::Contains("user data truncated inside its header at octet 17") &&
                            Catch::Contains("TP-UDL 14 octets, 3 present") &&
                            Catch::Contains("user data header length 5 overruns the user data (2 octets after the UDHL)"));
  // Nothing at all after TP-UDL, with UDHI set.
  m = decode(deliver("44", "08", "0E"), SmscField::present);
  REQUIRE_FALSE(m.ok());
  CHECK_THAT(m.error(), Catch::Contains("user data truncated inside its header"));
  // A header that would overrun even the full TP-UDL is malformed, not cut: the old error.
  m = decode(deliver("44", "08", "0E" "20000300"), SmscField::present);
  REQUIRE_FALSE(m.ok());
  CHECK_THAT(m.error(), Catch::Contains("user data header length 32 overruns the user data"));
}

TEST_CASE("a status report whose user data is cut short", "[pdu][quirks][truncated]") {
  // The captured report, TP-PI 04 (TP-UDL follows), TP-UDL 10 septets, 5 octets of "hellohello".
  auto m = decode(kReportSmsc + "02AB098106845688F8907080517375809070805183018000" "04" "0A" "E8329BFD46");
  check_report(m, true);
  CHECK(m->truncated);
  CHECK(m->text == "hello");
  CHECK(m->error_note == "user data truncated: TP-UDL says 10 septets, 5 present");
}

TEST_CASE("SMSC detection: exact, then complete, then truncated", "[pdu][quirks][detect][truncated]") {
  SECTION("a FF-padded status report beats a truncated DELIVER") {
    // Without the SMSC field TP-UDL 22 septets needs 20 octets, 19 are there.
    const std::string hex = two_readings("16", "FF");
    auto without = decode(hex, SmscField::absent);
    REQUIRE(without.ok());
    CHECK(without->truncated);
    auto m = decode(hex);
    REQUIRE(m.ok());
    CHECK(m->type == MessageType::status_report);
    CHECK_FALSE(m->truncated);
  }
  SECTION("a DELIVER with one octet over beats a status report with truncated user data") {
    // With the SMSC field: TP-PI 04, TP-UDL FF (255 septets), nothing after it.
    const std::string hex = two_readings("14", "04FF");
    auto with = decode(hex, SmscField::present);
    REQUIRE(with.ok());
    CHECK(with->type == MessageType::status_report);
    CHECK(with->truncated);
    auto m = decode(hex);
    REQUIRE(m.ok());
    CHECK(m->type == MessageType::deliver);
    CHECK_FALSE(m->truncated);
  }
  SECTION("an exact DELIVER beats a truncated status report") {
    const std::string hex = two_readings("16", "04FF");
    auto m = decode(hex);
    REQUIRE(m.ok());
    CHECK(m->type == MessageType::deliver);
    CHECK(m->error_note.empty());
  }
}

TEST_CASE("every cut of a valid PDU inside its user data decodes to a prefix of its text", "[pdu][quirks][truncated]") {
  std::vector<std::string> pdus;
  for (const auto& v : pdutest::read_vectors(std::string(SMS_TEST_DATA) + "/pdu/gammu_vectors.txt")) pdus.push_back(v.hex);
  DeliverOptions d;
  d.originator = "10086";
  d.concat16 = true;
  d.concat_reference = 0xBEEF;
  for (const auto& text : {pdutest::repeat("\u4E2D\U0001F600", 40), pdutest::repeat("{x}\u20AC^", 50)})
    if (auto parts = encode_deliver(text, d)) pdus.insert(pdus.end(), parts->begin(), parts->end());
  REQUIRE(pdus.size() > 30);
  int cuts = 0;
  for (const auto& hex : pdus) {
    INFO(hex);
    auto full = decode(hex, SmscField::present);
    REQUIRE(full.ok());
    REQUIRE_FALSE(full->truncated);
    const auto bytes = pdutest::unhex(hex);
    for (std::size_t n = bytes.size() - 1; n > 0; --n) {
      const std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(n));
      auto m = decode(std::span<const std::uint8_t>(cut), true);
      if (!m.ok()) continue;
      INFO(n << " octets");
      ++cuts;
      CHECK(m->truncated);
      CHECK(m->type == full->type);
      CHECK(m->number.number == full->number.number);
      CHECK(std::string_view(full->text).starts_with(m->text));
      CHECK(m->data.size() <= full->data.size());
      CHECK(std::equal(m->data.begin(), m->data.end(), full->data.begin()));
      REQUIRE(m->concat.has_value() == full->concat.has_value());
      if (m->concat) CHECK(m->concat->sequence == full->concat->sequence);
      CHECK_THAT(m->error_note, Catch::Contains("user data truncated: TP-UDL says "));
    }
  }
  CHECK(cuts > 1000);
}

TEST_CASE("a status report whose user data header is cut keeps the report, not the flag", "[pdu][quirks][truncated]") {
  // First octet 0x42: status report with UDHI. TP-PI 04, TP-UDL 8, UDHL 5 but 2 header octets.
  auto m = decode(kReportSmsc + "42AB098106845688F8907080517375809070805183018000" "04" "08" "050003");
  check_report(m, true);
  CHECK_FALSE(m->truncated);
  CHECK_FALSE(m->concat);
  CHECK_THAT(m->error_note, Catch::Contains("ignored the optional parameters after TP-ST (5 octets from octet 32)") &&
                                Catch::Contains("user data truncated inside its header"));
}
