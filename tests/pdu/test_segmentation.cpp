// Boundary tables for alphabet choice and segmentation (23.040 9.2.3.24.1,
// 23.038 6.2.1.1): every case is encoded, every part decoded again, and the
// parts must rejoin to the original text.
#include <catch2/catch.hpp>

#include <random>

#include "modem/pdu/pdu.hpp"
#include "modem/pdu/segment.hpp"
#include "tests/pdu/helpers.hpp"

using namespace sms::pdu;
using pdutest::repeat;

namespace {

const std::string kHan = "\u4E2D";          // one UTF-16 unit
const std::string kEmoji = "\U0001F600";    // a surrogate pair: two units

struct Row {
  std::string name;
  std::string text;
  Encoding encoding;
  int parts;
  int units;
  int units_left;
};

std::vector<Row> rows() {
  std::vector<Row> r = {
      {"empty text", "", Encoding::gsm7, 1, 0, 160},
      {"160 GSM chars fit one part", repeat("a", 160), Encoding::gsm7, 1, 160, 0},
      {"161 GSM chars need two", repeat("a", 161), Encoding::gsm7, 2, 161, 153 - 8},
      {"the euro sign counts two: 159 + 1 = 161 septets", repeat("a", 159) + "\u20AC", Encoding::gsm7, 2, 161,
       153 - 8},
      {"158 + euro = 160 septets, one part", repeat("a", 158) + "\u20AC", Encoding::gsm7, 1, 160, 0},
      // 152 'a' then '{' (ESC + code): the escape would be septet 153 and its code septet 154, so the
      // whole pair moves to part 2: part 1 holds 152, part 2 holds 2 + 10.
      {"extension char straddling the 153 boundary", repeat("a", 152) + "{" + repeat("a", 10), Encoding::gsm7, 2,
       164, 153 - 12},
      {"'^' right after 153 'a' starts part 2", repeat("a", 153) + "^" + repeat("a", 10), Encoding::gsm7, 2, 165,
       153 - 12},
      {"all extension chars", "\f^{}\\[~]|\u20AC", Encoding::gsm7, 1, 20, 140},
      {"70 Chinese fit one part", repeat(kHan, 70), Encoding::ucs2, 1, 70, 0},
      {"71 Chinese need two", repeat(kHan, 71), Encoding::ucs2, 2, 71, 67 - 4},
      // 66 Han + emoji: the pair would occupy units 66 and 67; unit 67 is beyond 67, so the emoji moves.
      {"emoji straddling the 67 boundary", repeat(kHan, 66) + kEmoji + repeat(kHan, 3), Encoding::ucs2, 2, 71,
       67 - 5},
      {"35 emoji = 70 units, one part", repeat(kEmoji, 35), Encoding::ucs2, 1, 70, 0},
      {"36 emoji = 72 units: 33 + 3 emoji", repeat(kEmoji, 36), Encoding::ucs2, 2, 72, 67 - 6},
      {"one Chinese char forces UCS2 for all", repeat("a", 100) + kHan, Encoding::ucs2, 2, 101, 67 - 34},
      {"a cedilla c is not in the default alphabet", "\u00E7a", Encoding::ucs2, 1, 2, 68},
      {"3000 GSM chars", repeat("a", 3000), Encoding::gsm7, 20, 3000, 153 * 20 - 3000},
      {"3000 Chinese chars", repeat(kHan, 3000), Encoding::ucs2, 45, 3000, 67 * 45 - 3000},
      // Pairs start on even units, so every part ends early at 66 units: 90 * 66 = 5940, 60 left over.
      {"3000 emoji", repeat(kEmoji, 3000), Encoding::ucs2, 91, 6000, 67 - 60},
  };
  for (int k = 2; k <= 6; ++k) {
    r.push_back({std::to_string(153 * k) + " GSM chars = " + std::to_string(k) + " parts", repeat("b", 153 * k),
                 Encoding::gsm7, k, 153 * k, 0});
    r.push_back({std::to_string(153 * k + 1) + " GSM chars = " + std::to_string(k + 1) + " parts",
                 repeat("b", 153 * k + 1), Encoding::gsm7, k + 1, 153 * k + 1, 152});
    r.push_back({std::to_string(67 * k) + " Chinese = " + std::to_string(k) + " parts", repeat(kHan, 67 * k),
                 Encoding::ucs2, k, 67 * k, 0});
    r.push_back({std::to_string(67 * k + 1) + " Chinese = " + std::to_string(k + 1) + " parts",
                 repeat(kHan, 67 * k + 1), Encoding::ucs2, k + 1, 67 * k + 1, 66});
    // An emoji whose pair would straddle the k-th boundary costs one extra unit of room in that part.
    r.push_back({"emoji at the " + std::to_string(67 * k) + " boundary",
                 repeat(kHan, 67 * k - 1) + kEmoji, Encoding::ucs2, k + 1, 67 * k + 1, 65});
  }
  return r;
}

}  // namespace

TEST_CASE("segmentation boundary table", "[pdu][segmentation]") {
  for (const auto& row : rows()) {
    SECTION(row.name) {
      auto c = count_text(row.text);
      REQUIRE(c.ok());
      CHECK(c->encoding == row.encoding);
      CHECK(c->parts == row.parts);
      CHECK(c->units == row.units);
      CHECK(c->units_left == row.units_left);

      SubmitOptions o;
      o.destination = "+8613800138000";
      o.concat_reference = 77;
      auto r = encode_submit(row.text, o);
      REQUIRE(r.ok());
      CHECK(r->encoding == row.encoding);
      REQUIRE(static_cast<int>(r->parts.size()) == row.parts);
      std::vector<Message> decoded;
      CHECK(pdutest::join_parts(*r, &decoded) == row.text);
      for (std::size_t i = 0; i < decoded.size(); ++i) {
        const Message& m = decoded[i];
        CHECK(m.error_note.empty());
        CHECK(r->parts[i].tpdu_length <= 140 + 25);
        if (row.parts == 1) {
          CHECK_FALSE(m.concat);
        } else {
          REQUIRE(m.concat);
          CHECK(m.concat->reference == 77);
          CHECK(m.concat->total == row.parts);
          CHECK(m.concat->sequence == i + 1);
        }
        // No part ends inside a character: every part's text is valid on its own.
        CHECK(utf8_to_utf16(m.text).ok());
        CHECK(m.text.find("\uFFFD") == std::string::npos);
      }
    }
  }
}

TEST_CASE("more than 255 parts is an error, 255 is fine", "[pdu][segmentation]") {
  SubmitOptions o;
  o.destination = "10086";
  auto ok = encode_submit(repeat("a", 153 * 255), o);
  REQUIRE(ok.ok());
  CHECK(ok->parts.size() == 255);
  auto bad = encode_submit(repeat("a", 153 * 255 + 1), o);
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error(), Catch::Contains("256 parts"));
}

TEST_CASE("forced encodings", "[pdu][segmentation]") {
  SubmitOptions o;
  o.destination = "10086";
  o.encoding = Encoding::ucs2;
  auto u = encode_submit("abc", o);
  REQUIRE(u.ok());
  CHECK(u->encoding == Encoding::ucs2);
  CHECK(decode(u->parts[0].hex)->text == "abc");

  o.encoding = Encoding::gsm7;
  auto g = encode_submit("a\u4E2D", o);
  REQUIRE_FALSE(g.ok());
  CHECK_THAT(g.error(), Catch::Contains("U+4E2D") && Catch::Contains("byte offset 1"));

  // 8-bit text never splits a UTF-8 sequence: 146 octets need two parts of at most 134; the 3-byte
  // character at octets 133..135 would straddle the cut, so part 1 stops at 133.
  o.encoding = Encoding::eight_bit;
  auto e = encode_submit(repeat("a", 133) + "\u4E2D" + repeat("z", 10), o);
  REQUIRE(e.ok());
  REQUIRE(e->parts.size() == 2);
  auto p1 = decode(e->parts[0].hex);
  REQUIRE(p1.ok());
  CHECK(p1->data.size() == 133);
}

TEST_CASE("8-bit data splits at 140 / 134 octets", "[pdu][segmentation]") {
  SubmitOptions o;
  o.destination = "10086";
  for (std::size_t n : {0u, 1u, 140u, 141u, 268u, 269u, 1000u}) {
    std::vector<std::uint8_t> data(n);
    for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<std::uint8_t>(i * 7);
    auto r = encode_submit_data(data, o);
    REQUIRE(r.ok());
    CHECK(r->encoding == Encoding::eight_bit);
    const std::size_t parts = n <= 140 ? 1 : (n + 133) / 134;
    REQUIRE(r->parts.size() == parts);
    std::vector<std::uint8_t> joined;
    for (const auto& p : r->parts) {
      auto m = decode(p.hex);
      REQUIRE(m.ok());
      CHECK(m->encoding == Encoding::eight_bit);
      joined.insert(joined.end(), m->data.begin(), m->data.end());
    }
    CHECK(joined == data);
  }
}

TEST_CASE("invalid UTF-8 is rejected with its byte offset", "[pdu][segmentation]") {
  struct Bad {
    std::string text;
    std::size_t offset;
  };
  const Bad bad[] = {
      {"ab\xC3", 2},            // truncated 2-byte sequence
      {"\xE4\xB8", 0},          // truncated 3-byte
      {"x\xC0\xAF", 1},         // overlong '/'
      {"\xED\xA0\x80", 0},      // UTF-16 surrogate encoded in UTF-8
      {"\xF4\x90\x80\x80", 0},  // above U+10FFFF
      {"ok\x80", 2},            // stray continuation byte
      {"\xE4\xB8\xAD\xFF", 3},  // invalid byte after valid Chinese (UCS2 path)
  };
  for (const auto& b : bad) {
    const std::string where = "byte offset " + std::to_string(b.offset);
    auto c = count_text(b.text);
    REQUIRE_FALSE(c.ok());
    CHECK_THAT(c.error(), Catch::Contains(where));
    SubmitOptions o;
    o.destination = "10086";
    auto r = encode_submit(b.text, o);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::Contains(where));
    auto u = utf8_to_utf16(b.text);
    REQUIRE_FALSE(u.ok());
    CHECK_THAT(u.error(), Catch::Contains(where));
  }
}

// count_text answers texts that fit one part without segmenting them (a
// separate loop): on random texts around both single-part limits it must
// agree with the segmenter itself, which encode_submit uses to cut the PDUs.
TEST_CASE("count_text's one-part count agrees with the segmenter on random texts", "[pdu][segmentation]") {
  const std::vector<std::string> pool = {"a", "Z", "0", " ", "@", "\xC3\xA9" /* é, default table */,
                                         "{", "\xE2\x82\xAC" /* €, extension: 2 septets */, "^",
                                         "\xC4\x81" /* ā, not GSM */, kHan, kEmoji, "\xEF\xBC\x8C" /* ， */};
  std::mt19937 rng(20261207);
  int single = 0;
  for (int n = 0; n < 4000; ++n) {
    // Mostly one class of character, so both encodings reach their limits.
    const bool latin = n % 2 == 0;
    const std::size_t len = latin ? 140 + rng() % 30 : 55 + rng() % 25;
    std::string text;
    for (std::size_t i = 0; i < len; ++i) {
      const std::size_t pick = rng() % 100;
      if (latin) text += pick < 96 ? pool[pick % 5] : pool[5 + pick % 4];
      else text += pick < 90 ? kHan : pool[pick % pool.size()];
    }
    auto c = count_text(text);
    REQUIRE(c.ok());
    sms::pdu::detail::Segmented seg;
    REQUIRE(sms::pdu::detail::segment_text(text, std::nullopt, false, seg).empty());
    INFO(text);
    CHECK(c->encoding == seg.encoding);
    CHECK(c->parts == static_cast<int>(seg.parts()));
    CHECK(c->units == static_cast<int>(seg.units()));
    if (seg.parts() == 1) {
      ++single;
      CHECK(c->units_left == static_cast<int>(sms::pdu::detail::single_part_capacity(seg.encoding) - seg.units()));
    }
  }
  // Both sides of the limits were drawn.
  CHECK(single > 800);
  CHECK(single < 3200);
}
