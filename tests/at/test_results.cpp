// Result parsers: hand-written answers as modems print them (27.005/27.007
// examples, vendor variants), and malformed ones that must fail cleanly.
#include <catch2/catch.hpp>

#include "modem/at/results.hpp"

using namespace sms::at;

TEST_CASE("FieldReader: numbers, quoted strings, empty fields, groups", "[at][results]") {
  struct Row {
    const char* text;
    std::vector<std::string> fields;
    std::vector<bool> quoted;
  };
  const Row rows[] = {
      {"20,99", {"20", "99"}, {false, false}},
      {"\"SM\", 3", {"SM", "3"}, {true, false}},  // ZTE space after comma
      {",30", {"", "30"}, {false, false}},
      {"1,,\"\",30", {"1", "", "", "30"}, {false, false, true, false}},
      {"\"a,b\",2", {"a,b", "2"}, {true, false}},
      {"(0-2),(0,1)", {"(0-2)", "(0,1)"}, {false, false}},
      {"", {}, {}},
      {"   ", {}, {}},
      {"1,", {"1", ""}, {false, false}},
      {"\"unterminated,2", {"unterminated,2"}, {true}},
      {" \" sp \" ,x", {" sp ", "x"}, {true, false}},
  };
  for (const auto& r : rows) {
    INFO(r.text);
    const auto f = split_fields(r.text);
    REQUIRE(f.size() == r.fields.size());
    for (std::size_t i = 0; i < f.size(); ++i) {
      CHECK(f[i].text == r.fields[i]);
      CHECK(f[i].quoted == r.quoted[i]);
    }
  }
  FieldReader r("5,x,,");
  CHECK(*r.next_int("<a>") == 5);
  auto bad = r.next_int("<b>");
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == "<b>: expected a number, got \"x\"");
  auto empty = r.next_opt_int("<c>");
  REQUIRE(empty);
  CHECK_FALSE(empty->has_value());
  CHECK(r.next_string("<d>").value().empty());
  CHECK(r.done());
  CHECK_FALSE(r.next_int("<e>"));
}

TEST_CASE("prefix helpers", "[at][results]") {
  CHECK(prefix_of("+CSQ: 20,99") == "+CSQ");
  CHECK(prefix_of("^RSSI:5") == "^RSSI");
  CHECK(prefix_of(" +CME ERROR: 10") == "+CME ERROR");
  CHECK(prefix_of("OK") == "");
  CHECK(prefix_of("+PBREADY") == "");
  CHECK(prefix_of("+CMGS=\"x:y\"") == "");
  CHECK(strip_prefix("+CSQ:20,99") == "20,99");
  CHECK(strip_prefix("  WAVECOM MODEM ") == "WAVECOM MODEM");
  CHECK(is_hex_line("0791AbCd  "));
  CHECK_FALSE(is_hex_line("OK"));
  CHECK_FALSE(is_hex_line(""));
}

TEST_CASE("parse_cmgs", "[at][results]") {
  CHECK(*parse_cmgs("+CMGS: 12") == 12);
  CHECK(*parse_cmgs("+CMGS: 201,\"24/11/23,21:00:00+04\"") == 201);
  CHECK(*parse_cmgs("+CMGW: 3") == 3);
  CHECK(*parse_cmgs("255") == 255);
  auto e = parse_cmgs("+CMGS: abc");
  REQUIRE_FALSE(e);
  CHECK(e.error() == "<mr>: expected a number, got \"abc\" in \"+CMGS: abc\"");
  CHECK_FALSE(parse_cmgs("+CMGS:"));
  CHECK_FALSE(parse_cmgs("+CMGS: -1"));
}

TEST_CASE("parse_csq: rssi to dBm (27.007 8.5)", "[at][results]") {
  struct Row {
    const char* line;
    int rssi, ber;
    std::optional<int> dbm;
  };
  const Row rows[] = {
      {"+CSQ: 0,0", 0, 0, -113},
      {"+CSQ: 1,99", 1, 99, -111},
      {"+CSQ: 20,99", 20, 99, -73},
      {"+CSQ: 31,7", 31, 7, -51},
      {"+CSQ: 99,99", 99, 99, std::nullopt},
      {"+CSQ: 17", 17, 99, -79},
  };
  for (const auto& r : rows) {
    INFO(r.line);
    auto q = parse_csq(r.line);
    REQUIRE(q);
    CHECK(q->rssi == r.rssi);
    CHECK(q->ber == r.ber);
    CHECK(q->dbm == r.dbm);
  }
  CHECK_FALSE(parse_csq("+CSQ: 32,0"));
  CHECK_FALSE(parse_csq("+CSQ: ,0"));
  CHECK_FALSE(parse_csq("+CSQ: x"));
  CHECK(parse_huawei_rssi("^RSSI:17")->dbm == -79);
  CHECK_FALSE(parse_huawei_rssi("^RSSI:"));
}

TEST_CASE("parse_creg: answer and URC shapes (27.007 7.2)", "[at][results]") {
  struct Row {
    const char* line;
    bool urc_shape;
    std::optional<int> n;
    int stat;
    std::string lac, ci;
    bool registered, roaming;
  };
  const Row rows[] = {
      {"+CREG: 0,1", false, 0, 1, "", "", true, false},
      {"+CREG: 2,5,\"1A2B\",\"00C3D4E5\"", false, 2, 5, "1A2B", "00C3D4E5", true, true},
      {"+CREG: 2,1,\"1A2B\",\"00C3D4E5\",7", false, 2, 1, "1A2B", "00C3D4E5", true, false},
      {"+CREG: 1", true, std::nullopt, 1, "", "", true, false},
      {"+CREG: 5,\"1A2B\",\"3C4D\"", true, std::nullopt, 5, "1A2B", "3C4D", true, true},
      {"+CGREG: 2", true, std::nullopt, 2, "", "", false, false},
      {"+CREG: 1,3", false, 1, 3, "", "", false, false},
      {"+CREG: 0, 0", false, 0, 0, "", "", false, false},
  };
  for (const auto& r : rows) {
    INFO(r.line);
    CHECK(creg_is_urc_shape(r.line) == r.urc_shape);
    auto g = parse_creg(r.line);
    REQUIRE(g);
    CHECK(g->n == r.n);
    CHECK(g->stat == r.stat);
    CHECK(g->lac == r.lac);
    CHECK(g->ci == r.ci);
    CHECK(g->registered() == r.registered);
    CHECK(g->roaming() == r.roaming);
  }
  CHECK(parse_creg("+CREG: 2,1,\"1A2B\",\"00C3D4E5\",7")->act == 7);
  CHECK_FALSE(parse_creg("+CREG:"));
  CHECK_FALSE(parse_creg("+CREG: 0,x"));
  CHECK_FALSE(parse_creg("+CREG: 0,99"));
}

TEST_CASE("parse_cpin", "[at][results]") {
  CHECK(*parse_cpin("+CPIN: READY") == "READY");
  CHECK(*parse_cpin("+CPIN: SIM PIN") == "SIM PIN");
  CHECK(*parse_cpin("+CPIN: \"SIM PUK\"") == "SIM PUK");
  CHECK_FALSE(parse_cpin("+CPIN: "));
}

TEST_CASE("parse_cpms: three-, one-storage and named forms (27.005 3.2.2)", "[at][results]") {
  auto named = parse_cpms("+CPMS: \"SM\",3,30,\"ME\",0,100,\"SM\",3,30");
  REQUIRE(named);
  REQUIRE(named->size() == 3);
  CHECK((*named)[0].name == "SM");
  CHECK((*named)[0].used == 3);
  CHECK((*named)[0].total == 30);
  CHECK((*named)[1].name == "ME");
  CHECK((*named)[1].total == 100);
  auto set = parse_cpms("+CPMS: 3,30,3,30,3,30");
  REQUIRE(set);
  REQUIRE(set->size() == 3);
  CHECK((*set)[2].used == 3);
  CHECK((*set)[2].name.empty());
  auto one = parse_cpms("+CPMS: 2,25");  // Wavecom: one storage
  REQUIRE(one);
  REQUIRE(one->size() == 1);
  CHECK((*one)[0].total == 25);
  CHECK_FALSE(parse_cpms("+CPMS: (),(),()"));  // Nokia S60: test answer, no storage
  CHECK_FALSE(parse_cpms("+CPMS: 1"));
  CHECK_FALSE(parse_cpms("+CPMS: \"SM\",x,30"));
}

TEST_CASE("parse_cops, parse_csca", "[at][results]") {
  auto op = parse_cops("+COPS: 0,0,\"CHINA MOBILE\",7");
  REQUIRE(op);
  CHECK(op->mode == 0);
  CHECK(op->format == 0);
  CHECK(op->name == "CHINA MOBILE");
  CHECK(op->act == 7);
  auto none = parse_cops("+COPS: 0");
  REQUIRE(none);
  CHECK(none->name.empty());
  CHECK_FALSE(none->format);
  CHECK(parse_cops("+COPS: 1,2,\"26201\"")->name == "26201");
  CHECK_FALSE(parse_cops("+COPS: x"));

  auto sc = parse_csca("+CSCA: \"+31624000000\",145");
  REQUIRE(sc);
  CHECK(sc->number == "+31624000000");
  CHECK(sc->type == 145);
  CHECK(parse_csca("+CSCA: \"\",129")->number.empty());
  CHECK_FALSE(parse_csca("+CSCA:"));
}

TEST_CASE("parse_cmti / +CDSI (27.005 3.4.1)", "[at][results]") {
  for (const char* line : {"+CMTI: \"SM\",3", "+CMTI: \"SM\", 3", "+CMTI:\"SM\",3", "+CMTI: SM,3"}) {
    INFO(line);
    auto s = parse_cmti(line);
    REQUIRE(s);
    CHECK(s->storage == "SM");
    CHECK(s->index == 3);
  }
  auto h = parse_cmti("+CMTI: \"ME\",0");  // Huawei indexes start at 0
  REQUIRE(h);
  CHECK(h->index == 0);
  CHECK(parse_cmti("+CDSI: \"SR\",5")->storage == "SR");
  CHECK_FALSE(parse_cmti("+CMTI: \"SM\""));
  CHECK_FALSE(parse_cmti("+CMTI: ,3"));
  CHECK_FALSE(parse_cmti("+CMTI: \"SM\",-1"));
}

TEST_CASE("parse_cmgl / parse_cmgr headers", "[at][results]") {
  struct Row {
    const char* line;
    bool list;
    int index;
    std::optional<int> stat;
    std::string alpha;
    int length;
  };
  const Row rows[] = {
      {"+CMGL: 1,0,,30", true, 1, 0, "", 30},
      {"+CMGL: 2,1,\"Alice\",24", true, 2, 1, "Alice", 24},
      {"+CMGL: 0, 1, , 30", true, 0, 1, "", 30},
      {"+CMGL: 3,1,30", true, 3, 1, "", 30},
      {"+CMGR: 1,,30", false, -1, 1, "", 30},
      {"+CMGR: 0,\"Bob\",25", false, -1, 0, "Bob", 25},
      {"+CMGR: ,,30", false, -1, std::nullopt, "", 30},  // ZTE: no stat
      {"+CMGR: 30", false, -1, std::nullopt, "", 30},
  };
  for (const auto& r : rows) {
    INFO(r.line);
    auto h = r.list ? parse_cmgl(r.line) : parse_cmgr(r.line);
    REQUIRE(h);
    CHECK(h->index == r.index);
    CHECK(h->stat == r.stat);
    CHECK(h->alpha == r.alpha);
    CHECK(h->length == r.length);
  }
  CHECK_FALSE(parse_cmgl("+CMGL: 1"));
  CHECK_FALSE(parse_cmgl("+CMGL: x,0,,30"));
  CHECK_FALSE(parse_cmgl("+CMGL: 1,0,,300"));
  CHECK_FALSE(parse_cmgr("+CMGR:"));
  CHECK_FALSE(parse_cmgr("+CMGR: 0,,abc"));
}

TEST_CASE("parse_cmt / parse_cds headers", "[at][results]") {
  CHECK(parse_cmt("+CMT: ,30")->length == 30);
  CHECK(parse_cmt("+CMT: \"Alice\",30")->alpha == "Alice");
  CHECK(parse_cmt("+CMT: 24")->length == 24);
  CHECK(parse_cds("+CDS: 25")->length == 25);
  CHECK(parse_cds("+CDS: ,25")->length == 25);  // ZTE
  CHECK_FALSE(parse_cmt("+CMT:"));
  CHECK_FALSE(parse_cds("+CDS: x"));
}

TEST_CASE("parse_cnmi_test and ranges", "[at][results]") {
  auto s = parse_cnmi_test("+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)");
  REQUIRE(s);
  REQUIRE(s->values.size() == 5);
  CHECK(s->supports(0, 2));
  CHECK(s->supports(1, 3));
  CHECK_FALSE(s->supports(2, 1));
  CHECK(s->supports(2, 2));
  CHECK(s->supports(4, 1));
  CHECK_FALSE(s->supports(5, 0));
  auto spaced = parse_cnmi_test("+CNMI: (0,1,2),(0,1,2,3),(0,2),(0,1,2),(0,1)");
  REQUIRE(spaced);
  CHECK(spaced->values[1] == std::vector<int>{0, 1, 2, 3});
  CHECK(*parse_range_list("(0-2,4)") == std::vector<int>{0, 1, 2, 4});
  CHECK(*parse_range_list("1") == std::vector<int>{1});
  CHECK(parse_range_list("()")->empty());
  CHECK_FALSE(parse_range_list("(2-1)"));
  CHECK_FALSE(parse_range_list("(0-100000)"));
  CHECK_FALSE(parse_range_list("(a)"));
  CHECK_FALSE(parse_cnmi_test("+CNMI:"));
}

TEST_CASE("parse_cmms", "[at][results]") {
  CHECK(*parse_cmms("+CMMS: 1") == 1);
  CHECK(*parse_cmms("+CMMS: 0") == 0);
  CHECK_FALSE(parse_cmms("+CMMS: "));
}
