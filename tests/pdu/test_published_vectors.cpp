// Widely published PDUs, each decoded field by field. Every vector was also
// checked with libGammu (python3-gammu DecodePDU) when it was added.
#include <catch2/catch.hpp>

#include "modem/pdu/pdu.hpp"
#include "tests/pdu/helpers.hpp"

using namespace sms::pdu;

namespace {
struct Published {
  const char* source;
  const char* hex;
  MessageType type;
  const char* smsc;
  const char* number;
  const char* text;
  const char* utc;  // "" when the type has no SCTS
  int offset_minutes;
  int mr;
  int status;
};

const Published kPublished[] = {
    // The classic SUBMIT of the PDU-mode tutorials (dreamfabric "SMS and the PDU format"): VP 0xAA = 4 days.
    {"hellohello SUBMIT", "0011000B916407281553F80000AA0AE8329BFD4697D9EC37", MessageType::submit, "", "+46708251358",
     "hellohello", "", 0, 0, -1},
    // The DELIVER of the same tutorial. SCTS 02-08-26 19:37:41, TZ octet 0x48: sign bit set, 4 quarters,
    // so local time is UTC-1h (23.040 9.2.3.11) and UTC is 20:37:41.
    {"How are you? DELIVER", "07911326040000F0040B911346610089F60000208062917314480CC8F71D14969741F977FD07",
     MessageType::deliver, "+31624000000", "+31641600986", "How are you?", "2002-08-26 20:37:41", -60, -1, -1},
    // SUBMIT with MR 1 and no VP, seen in many AT+CMGS examples.
    {"Howdy SUBMIT", "0001000B915121551532F400000CC8F79D9C07E54F61363B04", MessageType::submit, "", "+15125551234",
     "Howdy y'all!", "", 0, 0, -1},
    // STATUS-REPORT with SMSC, MR 0x38. SCTS 09-04-21 15:22:21, TZ octet 0x40: tens 0 (low nibble),
    // units 4 (high nibble), sign clear: +4 quarters = +1h, so UTC is 14:22:21.
    {"status report (Russian operator)", "07919730071111F106380B919730123456F8904012512212409040125122124000",
     MessageType::status_report, "+79037011111", "+79032143658", "", "2009-04-21 14:22:21", 60, 0x38, 0},
    // STATUS-REPORT without an SMSC number ("00"), MR 0xD6, delivered.
    {"status report (Dutch operator)", "0006D60B911326880736F4111011719551401110117195714000",
     MessageType::status_report, "", "+31628870634", "", "2011-01-11 16:59:15", 60, 0xD6, 0},
};
}  // namespace

TEST_CASE("published PDUs decode field by field", "[pdu][published]") {
  for (const auto& v : kPublished) {
    SECTION(v.source) {
      auto m = decode(v.hex);
      REQUIRE(m.ok());
      CHECK(m->type == v.type);
      CHECK(m->smsc == v.smsc);
      CHECK(m->number.number == v.number);
      CHECK(m->text == v.text);
      CHECK(m->error_note.empty());
      if (*v.utc) {
        REQUIRE(m->scts);
        CHECK(format_utc(*m->scts) == v.utc);
        CHECK(m->scts->offset_minutes == v.offset_minutes);
      } else {
        CHECK_FALSE(m->scts);
      }
      CHECK(m->message_reference == v.mr);
      CHECK(m->status == v.status);
    }
  }
}

TEST_CASE("hellohello SUBMIT is re-encoded byte for byte", "[pdu][published]") {
  SubmitOptions o;
  o.destination = "+46708251358";
  o.validity_minutes = 4 * 24 * 60;  // VP 0xAA: (170 - 166) days
  auto r = encode_submit("hellohello", o);
  REQUIRE(r.ok());
  REQUIRE(r->parts.size() == 1);
  CHECK(r->parts[0].hex == "0011000B916407281553F80000AA0AE8329BFD4697D9EC37");
  CHECK(r->parts[0].tpdu_length == 23);
  auto m = decode(r->parts[0].hex);
  REQUIRE(m.ok());
  CHECK(m->validity_minutes == 5760);
}

TEST_CASE("status report of the published vector is a delivery", "[pdu][published]") {
  auto m = decode("0006D60B911326880736F4111011719551401110117195714000");
  REQUIRE(m.ok());
  REQUIRE(m->discharge);
  CHECK(format_utc(*m->discharge) == "2011-01-11 16:59:17");
  CHECK(classify_status(m->status) == StatusClass::delivered);
  CHECK(describe_status(m->status) == "delivered");
}
