// PDUs computed by hand from 3GPP TS 23.040 / 23.038; each comment shows the
// computation so a reader can check it without running anything.
#include <catch2/catch.hpp>

#include "modem/pdu/pdu.hpp"
#include "tests/pdu/helpers.hpp"

using namespace sms::pdu;

namespace {
struct HandSubmit {
  const char* name;
  const char* text;
  const char* to;
  bool srr;
  bool flash;
  int validity;  // 0 = none
  const char* smsc;
  const char* expected;
  int tpdu_length;
};

const HandSubmit kSubmits[] = {
    // 00 SMSC "use the SIM's" | 01 SUBMIT, no VP | 00 MR | 05 81 "10086" -> 01 80 F6 (swapped, F fill)
    // | 00 PID | 00 DCS gsm7 | 01 UDL | 'A' = septet 0x41 -> octet 41.  TPDU = 11 octets.
    {"one letter to a short code", "A", "10086", false, false, 0, "", "00010005810180F600000141", 11},
    // FO 0x21 = SUBMIT | SRR. DA 0D 91 "8613800138000" -> 68 31 08 10 83 00 F0. DCS 0x10: class 0 (flash).
    // '\u20AC' is ESC 0x1B + 0x65 (23.038 6.2.1.1): bits 0-6 = 0x1B, bits 7-13 = 0x65
    // -> octet 0 = 0x1B | (0x65 << 7 & 0xFF) = 0x9B, octet 1 = 0x65 >> 1 = 0x32. UDL = 2 septets.
    {"euro sign costs two septets", "\u20AC", "+8613800138000", true, true, 0, "", "0021000D91683108108300F00010029B32",
     16},
    // UCS2: DCS 0x08, UDL 4 octets, U+4F60 U+597D big-endian.
    {"two Chinese characters", "\u4F60\u597D", "10086", false, false, 0, "", "00010005810180F60008044F60597D", 14},
    // VP present: FO 0x11 (VPF 10); 60 minutes -> VP = 60/5 - 1 = 11 = 0x0B. SMSC field: 08 91 "8613800100500"
    // -> 68 31 08 10 00 05 F0 (7 octets) so length 8 (type + 7).
    {"validity and SMSC", "hi", "+8613800138000", false, false, 60, "+8613800100500",
     "0891683108100005F011000D91683108108300F000000B02E834", 17},
    // Empty text: UDL 0, no user data octets.
    {"empty text", "", "10086", false, false, 0, "", "00010005810180F6000000", 10},
    // '*' and '#' are semi-octets A and B (23.040 9.1.2.3): the digits * 1 0 0 # pair up as
    // (*,1) (0,0) (#,fill F), each pair written low nibble first -> 1A 00 FB.
    {"USSD-like short code", "x", "*100#", false, false, 0, "", "00010005811A00FB00000178", 11},
};
}  // namespace

TEST_CASE("hand-computed SMS-SUBMIT PDUs", "[pdu][hand]") {
  for (const auto& v : kSubmits) {
    SECTION(v.name) {
      SubmitOptions o;
      o.destination = v.to;
      o.status_report = v.srr;
      o.flash = v.flash;
      if (v.validity) o.validity_minutes = v.validity;
      o.smsc = v.smsc;
      auto r = encode_submit(v.text, o);
      REQUIRE(r.ok());
      REQUIRE(r->parts.size() == 1);
      CHECK(r->parts[0].hex == v.expected);
      CHECK(r->parts[0].tpdu_length == v.tpdu_length);
      auto len = tpdu_length(r->parts[0].hex);
      REQUIRE(len.ok());
      CHECK(*len == v.tpdu_length);
      auto back = decode(r->parts[0].hex);
      REQUIRE(back.ok());
      CHECK(back->text == v.text);
      CHECK(back->status_report_request == v.srr);
      CHECK(back->message_class == (v.flash ? 0 : -1));
    }
  }
}

TEST_CASE("the UDH fill bit of a 7-bit part is where 23.040 9.2.3.24 puts it", "[pdu][hand]") {
  // 161 'a': part 2 holds 8 'a'. UDH 05 00 03 2A 02 02 is 6 octets = 48 bits; the text starts at
  // septet ceil(48/7) = 7 (bit 49), so there is exactly one fill bit. UDL = 7 + 8 = 15 = 0x0F.
  // Octet 6: fill bit 0, then 'a' (0x61) in bits 1-7: 0x61 << 1 & 0xFF = 0xC2.
  // In general septet k (k = 0..7) sits at bits 49 + 7k .. 55 + 7k of the user data; the expected
  // octets are built below straight from that definition, independently of the codec's packer.
  std::uint8_t ud[15] = {};
  for (int k = 0; k < 8; ++k)
    for (int b = 0; b < 7; ++b)
      if (0x61 >> b & 1) ud[(49 + 7 * k + b) / 8] |= static_cast<std::uint8_t>(1 << ((49 + 7 * k + b) % 8));
  std::string text_octets;
  for (int i = 6; i < 14; ++i) {  // 15 septets = 105 bits = 14 octets
    char buf[3];
    std::snprintf(buf, sizeof buf, "%02X", ud[i]);
    text_octets += buf;
  }
  SubmitOptions o;
  o.destination = "10086";
  o.concat_reference = 0x2A;
  auto r = encode_submit(pdutest::repeat("a", 161), o);
  REQUIRE(r.ok());
  REQUIRE(r->parts.size() == 2);
  // FO 0x41 (UDHI), MR 00, DA, PID 00, DCS 00, UDL 0F, UDH, text.
  CHECK(r->parts[1].hex == "00410005810180F600000F0500032A0202" + text_octets);
  CHECK(text_octets.substr(0, 2) == "C2");
  // Part 1: 153 septets after a 7-septet UDH: UDL 160 = 0xA0, 140 octets.
  CHECK(r->parts[0].hex.substr(20, 14) == "A00500032A0201");
  CHECK(r->parts[0].tpdu_length == 10 + 140);
}

TEST_CASE("relative validity rounds up to the next period of 23.040 9.2.3.12.1", "[pdu][hand]") {
  struct Row {
    int minutes;
    const char* vp;  // expected TP-VP octet in hex
    int decoded;     // the period the network will apply
  };
  const Row rows[] = {
      {1, "00", 5},          {5, "00", 5},         {6, "01", 10},          {720, "8F", 720},
      {721, "90", 750},      {1440, "A7", 1440},   {1441, "A8", 2880},     {2880, "A8", 2880},
      {43200, "C4", 43200},  {43201, "C5", 50400}, {635040, "FF", 635040},
  };
  for (const auto& row : rows) {
    SubmitOptions o;
    o.destination = "10086";
    o.validity_minutes = row.minutes;
    auto r = encode_submit("x", o);
    REQUIRE(r.ok());
    // 00 11 00 05 81 01 80 F6 00 00 VP: the VP octet is at hex offset 20.
    CHECK(r->parts[0].hex.substr(20, 2) == row.vp);
    auto m = decode(r->parts[0].hex);
    REQUIRE(m.ok());
    CHECK(m->validity_minutes == row.decoded);
  }
  for (int bad : {0, -5, 635041}) {
    SubmitOptions o;
    o.destination = "10086";
    o.validity_minutes = bad;
    auto r = encode_submit("x", o);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::Contains("validity") && Catch::Contains(std::to_string(bad)));
  }
}

TEST_CASE("hand-computed DELIVER from a Chinese SMSC", "[pdu][hand]") {
  // 08 91 "8613800250500" | FO 04 (MMS: no more) | OA 0D 91 "8613610000775" | PID 00 | DCS 08
  // | SCTS 41 50 32 10 35 34 23 = 14-05-23 01:53:43, TZ 0x23: tens 3, units 2 = 32 quarters = +8h
  //   -> UTC 2014-05-22 17:53:43 | UDL 04 | 4F60 597D.
  auto m = decode("0891683108200505F0040D91683116000077F5000841503210353423044F60597D");
  REQUIRE(m.ok());
  CHECK(m->type == MessageType::deliver);
  CHECK(m->smsc == "+8613800250500");
  CHECK(m->number.number == "+8613610000775");
  CHECK(m->number.type == 0x91);
  CHECK(m->encoding == Encoding::ucs2);
  CHECK(m->text == "\u4F60\u597D");
  REQUIRE(m->scts);
  CHECK(format_iso8601(*m->scts) == "2014-05-22T17:53:43Z");
  CHECK(m->scts->offset_minutes == 480);
  CHECK_FALSE(m->more_messages_to_send);
}

TEST_CASE("hand-computed DELIVER with alphanumeric originator and negative zone", "[pdu][hand]") {
  // OA: "Bank" in 7-bit: B=0x42 a=0x61 n=0x6E k=0x6B packed -> C2 B0 7B 0D (28 bits -> 4 octets:
  // C2 = 0x42 | (0x61 << 7 & 0xFF), B0 = 0x61 >> 1 | (0x6E << 6 & 0xFF), 7B = 0x6E >> 2 | (0x6B << 5 & 0xFF),
  // 0D = 0x6B >> 3),
  // length = 7 semi-octets (28 bits / 4), type D0. SCTS 26-01-02 03:04:05, TZ 0x8A: low nibble A = sign
  // + tens 2, high nibble 8 = units -> -28 quarters = -7h -> UTC 10:04:05.
  auto m = decode("00040 7D0C2B07B0D00006210203040508A02E834", SmscField::detect);
  // Spaces are not hex: this must fail with a position.
  REQUIRE_FALSE(m.ok());
  CHECK_THAT(m.error(), Catch::Contains("position 5"));
  m = decode("000407D0C2B07B0D00006210203040508A02E834");
  REQUIRE(m.ok());
  CHECK(m->number.number == "Bank");
  CHECK(m->number.type == 0xD0);
  CHECK(m->text == "hi");
  REQUIRE(m->scts);
  CHECK(format_utc(*m->scts) == "2026-01-02 10:04:05");
  CHECK(m->scts->offset_minutes == -420);
}
