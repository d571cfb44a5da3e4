// PDUs produced by libGammu (python3-gammu EncodePDU / EncodeSMS), an
// implementation independent of ours; see tests/pdu/make_gammu_vectors.py for
// how tests/data/pdu/gammu_vectors.txt was generated.
#include <catch2/catch.hpp>

#include "modem/pdu/pdu.hpp"
#include "tests/pdu/helpers.hpp"

using namespace sms::pdu;

namespace {
const std::string kFile = std::string(SMS_TEST_DATA) + "/pdu/gammu_vectors.txt";
}

TEST_CASE("libGammu-encoded PDUs decode to the fields libGammu reads back", "[pdu][gammu]") {
  const auto vectors = pdutest::read_vectors(kFile);
  REQUIRE(vectors.size() >= 25);
  for (const auto& v : vectors) {
    SECTION(v.name) {
      auto m = decode(v.hex, v.smsc ? SmscField::present : SmscField::absent);
      REQUIRE(m.ok());
      auto f = v.fields;
      CHECK(to_string(m->type) == f["type"]);
      CHECK(m->number.number == f["number"]);
      CHECK(to_string(m->encoding) == f["encoding"]);
      if (f.count("text_hex")) CHECK(m->text == pdutest::hex_to_text(f["text_hex"]));
      CHECK(m->message_class == std::stoi(f["class"]));
      CHECK(m->smsc == "+8613800100500");
      if (f.count("concat")) {
        REQUIRE(m->concat);
        const std::string got = std::to_string(m->concat->reference) + "/" + std::to_string(m->concat->total) + "/" +
                                std::to_string(m->concat->sequence);
        CHECK(got == f["concat"]);
      } else {
        CHECK_FALSE(m->concat);
      }
      if (f.count("mr")) CHECK(m->message_reference == std::stoi(f["mr"]));
      if (f.count("local_time")) {
        REQUIRE(m->scts);
        CHECK(pdutest::local_time(*m->scts) == f["local_time"]);
      }
      // Detection of the SMSC field must agree with being told.
      auto detected = decode(v.hex);
      REQUIRE(detected.ok());
      CHECK(detected->smsc == m->smsc);
      CHECK(detected->text == m->text);
    }
  }
}

TEST_CASE("our SUBMIT encoder matches libGammu byte for byte where the options agree", "[pdu][gammu]") {
  // libGammu writes TP-VP 00 (5 minutes), MR 0, a random concatenation reference (read back from the
  // vector) and the SMSC field; ask for the same.
  const auto vectors = pdutest::read_vectors(kFile);
  std::map<std::string, std::vector<std::string>> messages;  // name without " part N" -> PDUs in order
  std::map<std::string, std::string> texts;
  std::map<std::string, int> refs;
  for (const auto& v : vectors) {
    if (v.fields.at("type") != "submit" || v.fields.at("class") != "-1" || v.fields.at("mr") != "0") continue;
    if (v.name == "submit srr") continue;  // libGammu does not set TP-SRR from DeliveryStatus
    const auto cut = v.name.find(" part ");
    const std::string base = v.name.substr(0, cut);
    messages[base].push_back(v.hex);
    texts[base] += pdutest::hex_to_text(v.fields.at("text_hex"));
    if (v.fields.count("concat")) refs[base] = std::stoi(v.fields.at("concat"));
  }
  REQUIRE(messages.size() >= 3);
  for (const auto& [name, pdus] : messages) {
    SECTION(name) {
      SubmitOptions o;
      o.destination = "+8613800138000";
      o.smsc = "+8613800100500";
      o.validity_minutes = 5;
      o.concat_reference = static_cast<std::uint8_t>(refs[name]);
      auto r = encode_submit(texts[name], o);
      REQUIRE(r.ok());
      REQUIRE(r->parts.size() == pdus.size());
      for (std::size_t i = 0; i < pdus.size(); ++i) CHECK(r->parts[i].hex == pdus[i]);
    }
  }
}
