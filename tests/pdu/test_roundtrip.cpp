// Round trips through our own encoders and decoder (the network side that the
// modem simulator uses), plus the small public helpers.
#include <catch2/catch.hpp>

#include "modem/pdu/pdu.hpp"
#include "tests/pdu/helpers.hpp"

using namespace sms::pdu;
using pdutest::repeat;

TEST_CASE("encode_deliver round-trips through decode", "[pdu][roundtrip]") {
  struct Row {
    const char* name;
    std::string text;
    std::string originator;
    bool concat16;
    int message_class;
    int offset_minutes;
  };
  const Row rows[] = {
      {"plain gsm7", "Hello", "+8613800138000", false, -1, 480},
      {"extension chars", "{[~]} \u20AC5 ^|\\", "10086", false, -1, 0},
      {"greek and accents", "\u0394\u03A9 \u00E9\u00E8\u00FC", "13800138000", false, 1, -300},
      {"chinese single part", repeat("\u4F60", 70), "+8613800138000", false, -1, 480},
      {"chinese 8 parts", repeat("\u4F60\u597D", 250), "+8613800138000", false, -1, 480},
      {"emoji multipart 16-bit ref", repeat("\U0001F600", 100), "ChinaMobile", true, -1, 480},
      {"flash", "Flash", "Bank", false, 0, 60},
      {"3000 gsm7 chars", repeat("0123456789", 300), "+8613800138000", false, -1, 0},
      {"alphanumeric with extension-free name", "x", "Alerts-2", false, 2, -45},
      {"empty", "", "+1234", false, -1, 0},
  };
  for (const auto& row : rows) {
    SECTION(row.name) {
      DeliverOptions o;
      o.originator = row.originator;
      o.concat16 = row.concat16;
      o.concat_reference = row.concat16 ? 0xA55A : 0x42;
      o.message_class = row.message_class;
      o.scts = {1795000000, row.offset_minutes};
      auto parts = encode_deliver(row.text, o);
      REQUIRE(parts.ok());
      std::string joined;
      for (std::size_t i = 0; i < parts->size(); ++i) {
        auto m = decode((*parts)[i]);
        REQUIRE(m.ok());
        CHECK(m->type == MessageType::deliver);
        CHECK(m->smsc == "+8613800100500");
        CHECK(m->number.number == row.originator);
        CHECK(m->message_class == row.message_class);
        REQUIRE(m->scts);
        CHECK(m->scts->utc_seconds == 1795000000);
        CHECK(m->scts->offset_minutes == row.offset_minutes);
        if (parts->size() > 1) {
          REQUIRE(m->concat);
          CHECK(m->concat->reference16 == row.concat16);
          CHECK(m->concat->reference == o.concat_reference);
          CHECK(m->concat->sequence == i + 1);
          CHECK(m->concat->total == parts->size());
        }
        joined += m->text;
      }
      CHECK(joined == row.text);
    }
  }
}

TEST_CASE("encode_deliver rejects bad options", "[pdu][roundtrip]") {
  DeliverOptions o;
  o.originator = "TwelveChars!";
  CHECK_THAT(encode_deliver("x", o).error(), Catch::Contains("at most 11"));
  o.originator = "\u4E2D\u6587";
  CHECK_THAT(encode_deliver("x", o).error(), Catch::Contains("not in the GSM 7-bit default alphabet"));
  o.originator = "";
  CHECK_FALSE(encode_deliver("x", o).ok());
  o.originator = "10086";
  o.scts.offset_minutes = 10;
  CHECK_THAT(encode_deliver("x", o).error(), Catch::Contains("multiple of 15"));
  o.scts.offset_minutes = 0;
  o.smsc = "abc";
  CHECK_THAT(encode_deliver("x", o).error(), Catch::Contains("SMSC"));
}

TEST_CASE("status reports round-trip and classify", "[pdu][roundtrip]") {
  struct Row {
    int st;
    StatusClass cls;
    const char* text;
  };
  const Row rows[] = {
      {0x00, StatusClass::delivered, "delivered"},
      {0x01, StatusClass::delivered, "forwarded, delivery not confirmed"},
      {0x20, StatusClass::pending, "congestion, still trying"},
      {0x22, StatusClass::pending, "no response from recipient, still trying"},
      {0x30, StatusClass::pending, "temporary error, still trying (reserved or SC-specific status)"},
      {0x41, StatusClass::failed, "incompatible destination"},
      {0x46, StatusClass::failed, "validity period expired"},
      {0x62, StatusClass::failed, "no response from recipient, no longer trying"},
      {0x80, StatusClass::failed, "unknown status"},
  };
  for (const auto& row : rows) {
    StatusReportOptions o;
    o.recipient = "+8613800138000";
    o.message_reference = 200;
    o.scts = {1795000000, 480};
    o.discharge = {1795000042, 480};
    o.status = static_cast<std::uint8_t>(row.st);
    auto hex = encode_status_report(o);
    REQUIRE(hex.ok());
    auto m = decode(*hex);
    REQUIRE(m.ok());
    CHECK(m->type == MessageType::status_report);
    CHECK(m->message_reference == 200);
    CHECK(m->number.number == "+8613800138000");
    CHECK(m->status == row.st);
    REQUIRE(m->discharge);
    CHECK(m->discharge->utc_seconds == 1795000042);
    CHECK(classify_status(row.st) == row.cls);
    CHECK(describe_status(row.st) == row.text);
  }
}

TEST_CASE("parse_destination", "[pdu][address]") {
  struct Good {
    const char* in;
    const char* number;
    std::uint8_t type;
  };
  const Good good[] = {
      {"+8613800138000", "+8613800138000", 0x91}, {"10086", "10086", 0x81},
      {"+1 (512) 555-1234", "+15125551234", 0x91}, {"*100#", "*100#", 0x81},
      {"12345678901234567890", "12345678901234567890", 0x81},
  };
  for (const auto& g : good) {
    auto a = parse_destination(g.in);
    REQUIRE(a.ok());
    CHECK(a->number == g.number);
    CHECK(a->type == g.type);
  }
  struct Bad {
    const char* in;
    const char* says;
  };
  const Bad bad[] = {
      {"", "no digits"},
      {"+", "no digits"},
      {"12a4", "'a' at position 2"},
      {"86+138", "'+' at position 2"},
      {"++86", "'+' at position 1"},
      {"123456789012345678901", "21 digits"},
      {"1\t2", "byte 0x09 at position 1"},
  };
  for (const auto& b : bad) {
    auto a = parse_destination(b.in);
    REQUIRE_FALSE(a.ok());
    CHECK_THAT(a.error(), Catch::Contains(b.says));
  }
  SubmitOptions o;
  o.destination = "12a4";
  CHECK_THAT(encode_submit("x", o).error(), Catch::Contains("destination: invalid number '12a4'"));
  o.destination = "10086";
  o.smsc = "x";
  CHECK_THAT(encode_submit("x", o).error(), Catch::Contains("SMSC: invalid number"));
}

TEST_CASE("timestamps: offsets, formatting, two-digit years", "[pdu][timestamp]") {
  Timestamp t{0, 0};
  CHECK(format_utc(t) == "1970-01-01 00:00:00");
  CHECK(format_iso8601({951782400, 0}) == "2000-02-29T00:00:00Z");  // leap day
  // 23.040 9.2.3.11 TZ octet: -19:45 is the most negative (79 quarters, sign bit).
  DeliverOptions o;
  o.originator = "1";
  for (int offset : {-79 * 15, -60, 0, 345, 79 * 15}) {
    o.scts = {1700000000, offset};
    auto p = encode_deliver("x", o);
    REQUIRE(p.ok());
    auto m = decode(p->front());
    REQUIRE(m.ok());
    REQUIRE(m->scts);
    CHECK(m->scts->utc_seconds == 1700000000);
    CHECK(m->scts->offset_minutes == offset);
  }
  // Year 99 is 1999, 89 is 2089 (SMS did not exist before the 1990s).
  auto m = decode("000405810180F600009930925161958000" "00", SmscField::present);
  REQUIRE(m.ok());
  CHECK(format_utc(*m->scts) == "1999-03-29 13:16:59");  // 15:16:59 at +2h (TZ 0x80)
}

TEST_CASE("utf8_to_utf16", "[pdu][utf8]") {
  CHECK(*utf8_to_utf16("") == u"");
  CHECK(*utf8_to_utf16("a\u00E9\u4E2D") == u"a\u00E9\u4E2D");
  CHECK(*utf8_to_utf16("\U0001F600") == u"\xD83D\xDE00");
}

TEST_CASE("to_string names", "[pdu]") {
  CHECK(to_string(Encoding::gsm7) == "gsm7");
  CHECK(to_string(Encoding::eight_bit) == "8bit");
  CHECK(to_string(Encoding::ucs2) == "ucs2");
  CHECK(to_string(MessageType::status_report) == "status-report");
}
