// Malformed input must come back as an error value that says what is wrong
// and where; truncations and bit flips of valid PDUs must give a value or an
// error, never a crash or an out-of-bounds read (CI runs this under ASan).
#include <catch2/catch.hpp>

#include "modem/pdu/pdu.hpp"
#include "tests/pdu/helpers.hpp"

using namespace sms::pdu;

namespace {
struct Bad {
  const char* name;
  const char* hex;
  SmscField smsc;
  const char* says;  // a substring the error must contain
};

const Bad kBad[] = {
    {"empty string", "", SmscField::detect, "empty PDU"},
    {"whitespace only", "  \r\n", SmscField::detect, "empty PDU"},
    {"odd number of digits", "0011000", SmscField::detect, "odd number of hex digits (7)"},
    {"non-hex letter", "00110G", SmscField::detect, "not a hex digit: 'G' at position 5"},
    {"non-hex control byte", "00\x01" "1", SmscField::detect, "byte 0x01 at position 2"},
    {"only an empty SMSC field", "00", SmscField::present, "first octet at octet 1 needs 1 octet, 0 left"},
    {"SMSC length overruns", "0791683108", SmscField::present, "SMSC digits at octet 2 needs 6 octets, 3 left"},
    {"SMSC length above 11", "0C9168310810000500F004", SmscField::present, "length 12 exceeds 11 octets"},
    {"reserved message type", "0003", SmscField::present, "message type indicator 3 is reserved"},
    {"originator longer than 20 digits", "000415916831081083", SmscField::present, "length 21 exceeds 20"},
    {"truncated originator", "00040B913146", SmscField::present, "TP-OA at octet 4 needs 6 octets, 2 left"},
    {"zero-length address then nothing", "00040081", SmscField::present, "TP-PID at octet 4"},
    {"space inside the hex", "00040581 0180F600006211", SmscField::absent, "not a hex digit: ' ' at position 8"},
    {"deliver missing SCTS octets", "000405810180F60000621132", SmscField::present,
     "TP-SCTS at octet 9 needs 7 octets, 3 left"},
    {"deliver without UDL", "000405810180F6000062113202436500", SmscField::present, "TP-UDL at octet 16"},
    {"UDL overruns the data, cut inside the UDH", "004405810180F600086211320243650008050003", SmscField::present,
     "user data truncated inside its header at octet 17: TP-UDL 8 octets, 3 present"},
    {"UDH length overruns the user data", "004405810180F6000862113202436500060900030102014F60", SmscField::present,
     "user data header length 9 overruns the user data (5 octets after the UDHL)"},
    {"UDH element overruns the header", "004405810180F6000862113202436500060500070102014F60", SmscField::present,
     "information element 0x00 length 7 overruns the header (3 octets left)"},
    {"UDH element without its length octet", "004405810180F600086211320243650004010041424F", SmscField::present,
     "is cut off"},
    {"UDH indicated but no user data", "004405810180F600006211320243650000", SmscField::present,
     "user data header indicated but the user data is empty"},
    {"UDH longer than the septets of UDL", "004405810180F60000621132024365000302000041", SmscField::present,
     "user data header (3 octets) is longer than TP-UDL 3 septets"},
    {"submit truncated before the VP", "0011000B916407281553F80000", SmscField::present,
     "TP-VP at octet 13 needs 1 octet, 0 left"},
    {"submit truncated absolute VP", "0019000B916407281553F80000112233", SmscField::present,
     "TP-VP at octet 13 needs 7 octets, 3 left"},
    {"status report without TP-ST", "0006D60B911326880736F41110117195514011101171957140", SmscField::present,
     "TP-ST at octet 25 needs 1 octet, 0 left"},
};
}  // namespace

TEST_CASE("malformed PDUs return an error that says what and where", "[pdu][malformed]") {
  for (const auto& b : kBad) {
    SECTION(b.name) {
      auto m = decode(b.hex, b.smsc);
      REQUIRE_FALSE(m.ok());
      CHECK_THAT(m.error(), Catch::Contains(b.says));
    }
  }
}

TEST_CASE("malformed-looking but legal PDUs decode", "[pdu][malformed]") {
  // Zero-length originator, empty user data: odd but well-formed (23.040 allows an empty address).
  auto m = decode("000400810000621132024365" "0000", SmscField::present);
  REQUIRE(m.ok());
  CHECK(m->number.number.empty());
  CHECK(m->text.empty());
  // SMSC field "01 81": a type octet and no digits (libGammu writes this for an unknown SMSC).
  m = decode("018111000B916407281553F80000AA0AE8329BFD4697D9EC37", SmscField::present);
  REQUIRE(m.ok());
  CHECK(m->smsc.empty());
  CHECK(m->text == "hellohello");
  // Lower-case hex and surrounding whitespace as modems print them.
  m = decode("  0011000b916407281553f80000aa0ae8329bfd4697d9ec37\r\n");
  REQUIRE(m.ok());
  CHECK(m->text == "hellohello");
  // A concatenation element with sequence 0 is ignored (23.040 9.2.3.24.1), with a note.
  m = decode("004405810180F60008621132024365000805000301020000" "0041", SmscField::present);
  REQUIRE(m.ok());
  CHECK_FALSE(m->concat);
  CHECK_THAT(m->error_note, Catch::Contains("ignored"));
  // An invalid SCTS does not lose the message: it is reported in the note.
  m = decode("000405810180F60000FF113202436500" "01" "41", SmscField::present);
  REQUIRE(m.ok());
  CHECK_FALSE(m->scts);
  CHECK(m->text == "A");
  CHECK_THAT(m->error_note, Catch::Contains("year octet 0xFF"));
  // Compressed text is flagged, not garbled (23.038 4: DCS bit 5).
  m = decode("000405810180F60020621132024365000301020304", SmscField::present);
  REQUIRE(m.ok());
  CHECK(m->compressed);
  CHECK(m->text.empty());
  CHECK(m->data.size() == 3);
  CHECK_THAT(m->error_note, Catch::Contains("compressed"));
  // User data shorter than TP-UDL says (modems cut long PDUs) decodes as far as it goes, flagged.
  m = decode("0011000B916407281553F80000AA0CE8329BFD4697D9EC37", SmscField::present);  // gsm7 UDL overruns
  REQUIRE(m.ok());
  CHECK(m->truncated);
  CHECK(m->text == "hellohello");  // 9 octets = 72 bits: 10 whole septets of 12
  CHECK(m->error_note == "user data truncated: TP-UDL says 12 septets, 10 present");
  m = decode("000405810180F60008621132024365000A4F60597D", SmscField::present);  // ucs2 UDL overruns
  REQUIRE(m.ok());
  CHECK(m->truncated);
  CHECK(m->text == "\u4F60\u597D");
  CHECK(m->error_note == "user data truncated: TP-UDL says 10 octets, 4 present");
  // A status report whose TP-PI promises user data that is not there: the parameters after TP-ST are
  // optional (23.040 9.2.3.27), so the report is kept and what was dropped is named in the note.
  m = decode("0006D60B911326880736F4111011719551401110117195714000" "04", SmscField::present);
  REQUIRE(m.ok());
  CHECK(m->type == MessageType::status_report);
  CHECK(m->message_reference == 0xD6);
  CHECK(m->number.number == "+31628870634");
  CHECK(m->status == 0);
  CHECK_THAT(m->error_note, Catch::Contains("ignored the optional parameters after TP-ST (1 octet at octet 26)") &&
                                Catch::Contains("TP-UDL at octet 27"));
}

TEST_CASE("DCS groups of 23.038 section 4", "[pdu][dcs]") {
  struct Row {
    const char* dcs;
    Encoding encoding;
    int cls;
    bool waiting;
    const char* ud;    // UDL + UD
    const char* text;
  };
  const Row rows[] = {
      {"00", Encoding::gsm7, -1, false, "0141", "A"},
      {"11", Encoding::gsm7, 1, false, "0141", "A"},          // general, class 1
      {"16", Encoding::eight_bit, 2, false, "0141", ""},      // general, 8-bit, class 2
      {"1A", Encoding::ucs2, 2, false, "020041", "A"},        // general, UCS2, class 2
      {"48", Encoding::ucs2, -1, false, "020041", "A"},       // automatic deletion group, UCS2
      {"C8", Encoding::gsm7, -1, true, "0141", "A"},          // message waiting, discard
      {"D8", Encoding::gsm7, -1, true, "0141", "A"},          // message waiting, store
      {"E8", Encoding::ucs2, -1, true, "020041", "A"},        // message waiting, store, UCS2
      {"F0", Encoding::gsm7, 0, false, "0141", "A"},          // data coding / class: flash
      {"F5", Encoding::eight_bit, 1, false, "0141", ""},      // data coding / class: 8-bit, class 1
      {"0C", Encoding::gsm7, -1, false, "0141", "A"},         // reserved alphabet: default
  };
  for (const auto& row : rows) {
    const std::string hex = std::string("000405810180F600") + row.dcs + "62113202436500" + row.ud;
    auto m = decode(hex, SmscField::present);
    INFO(row.dcs);
    REQUIRE(m.ok());
    CHECK(m->encoding == row.encoding);
    CHECK(m->message_class == row.cls);
    CHECK(m->message_waiting == row.waiting);
    CHECK(m->text == row.text);
  }
}

namespace {

std::vector<std::string> valid_pdus() {
  std::vector<std::string> out = {
      "0011000B916407281553F80000AA0AE8329BFD4697D9EC37",
      "07911326040000F0040B911346610089F60000208062917314480CC8F71D14969741F977FD07",
      "07919730071111F106380B919730123456F8904012512212409040125122124000",
      "0006D60B911326880736F4111011719551401110117195714000",
      "0891683108200505F0040D91683116000077F5000841503210353423044F60597D",
  };
  for (const auto& v : pdutest::read_vectors(std::string(SMS_TEST_DATA) + "/pdu/gammu_vectors.txt"))
    out.push_back(v.hex);
  DeliverOptions d;
  d.originator = "Alphanumeric";
  d.originator.resize(11);
  d.concat16 = true;
  d.concat_reference = 0xBEEF;
  auto parts = encode_deliver(pdutest::repeat("\u4E2D\U0001F600", 30), d);
  if (parts) out.insert(out.end(), parts->begin(), parts->end());
  StatusReportOptions s;
  s.recipient = "+8613800138000";
  s.status = 0x41;
  if (auto r = encode_status_report(s)) out.push_back(*r);
  return out;
}

void decode_every_way(const std::vector<std::uint8_t>& bytes) {
  // An exactly sized copy, so that ASan sees any read past the end.
  std::vector<std::uint8_t> exact(bytes);
  for (bool smsc : {true, false}) {
    auto m = decode(std::span<const std::uint8_t>(exact.data(), exact.size()), smsc);
    if (!m.ok()) CHECK_FALSE(m.error().empty());
  }
  static const char* digits = "0123456789ABCDEF";
  std::string hex;
  for (auto b : bytes) {
    hex.push_back(digits[b >> 4]);
    hex.push_back(digits[b & 15]);
  }
  for (SmscField f : {SmscField::detect, SmscField::present, SmscField::absent}) {
    auto m = decode(hex, f);
    if (!m.ok()) CHECK_FALSE(m.error().empty());
  }
}

}  // namespace

TEST_CASE("every truncation of valid PDUs gives a value or an error", "[pdu][malformed][sweep]") {
  const auto pdus = valid_pdus();
  REQUIRE(pdus.size() > 30);
  for (const auto& hex : pdus) {
    const auto bytes = pdutest::unhex(hex);
    for (std::size_t n = 0; n <= bytes.size(); ++n)
      decode_every_way(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + static_cast<long>(n)));
    // Odd-length hex truncations too.
    for (std::size_t n = 1; n <= hex.size(); n += 2) {
      auto m = decode(hex.substr(0, n));
      REQUIRE_FALSE(m.ok());
      CHECK_THAT(m.error(), Catch::Contains("odd number"));
    }
  }
}

TEST_CASE("every single-bit flip of valid PDUs gives a value or an error", "[pdu][malformed][sweep]") {
  for (const auto& hex : valid_pdus()) {
    auto bytes = pdutest::unhex(hex);
    for (std::size_t i = 0; i < bytes.size(); ++i)
      for (int bit = 0; bit < 8; ++bit) {
        bytes[i] ^= static_cast<std::uint8_t>(1 << bit);
        decode_every_way(bytes);
        bytes[i] ^= static_cast<std::uint8_t>(1 << bit);
      }
  }
}

TEST_CASE("tpdu_length errors", "[pdu][malformed]") {
  CHECK_FALSE(tpdu_length("").ok());
  CHECK_FALSE(tpdu_length("0").ok());
  CHECK_THAT(tpdu_length("07911326").error(), Catch::Contains("SMSC length 7 leaves no TPDU"));
  CHECK_THAT(tpdu_length("00X1").error(), Catch::Contains("'X' at position 2"));
  CHECK(*tpdu_length("0011000B916407281553F80000AA0AE8329BFD4697D9EC37") == 23);
}
