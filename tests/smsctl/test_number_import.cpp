// The number-file reader of `smsctl whitelist|blacklist|optout import`:
// encoding detection (UTF-8, UTF-8 with BOM, GB18030), RFC 4180 quoting,
// the column choice, line numbers, and hostile input.
#include <catch2/catch.hpp>
#include <iconv.h>

#include <string>

#include "tools/smsctl/number_import.hpp"

using namespace smsctl;

namespace {

std::string to_gb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 4 + 4, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* o = out.data();
  std::size_t o_left = out.size();
  REQUIRE(iconv(cd, &in, &in_left, &o, &o_left) != static_cast<std::size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - o_left);
  return out;
}

std::vector<std::string> values(const NumberFile& f) {
  std::vector<std::string> v;
  for (const auto& e : f.entries) v.push_back(std::to_string(e.line) + ":" + e.value);
  return v;
}

NumberFile read(const std::string& bytes, ImportOptions o = {}) {
  auto r = read_number_file(bytes, o);
  INFO((r.ok() ? std::string() : r.error()));
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("encodings: UTF-8, UTF-8 with BOM, GB18030") {
  SECTION("plain UTF-8") {
    auto d = decode_text("号码\n13800138000\n");
    REQUIRE(d.ok());
    CHECK(d->encoding == TextEncoding::utf8);
    CHECK(d->utf8 == "号码\n13800138000\n");
  }
  SECTION("BOM dropped") {
    auto d = decode_text("\xEF\xBB\xBF号码\n");
    REQUIRE(d.ok());
    CHECK(d->encoding == TextEncoding::utf8_bom);
    CHECK(d->utf8 == "号码\n");
  }
  SECTION("GB18030 converted") {
    const std::string gb = to_gb18030("手机号,姓名\n13800138000,张三\n");
    REQUIRE(gb != "手机号,姓名\n13800138000,张三\n");
    auto d = decode_text(gb);
    REQUIRE(d.ok());
    CHECK(d->encoding == TextEncoding::gb18030);
    CHECK(d->utf8 == "手机号,姓名\n13800138000,张三\n");
  }
  SECTION("ASCII is UTF-8") {
    auto d = decode_text("13800138000\r\n");
    REQUIRE(d.ok());
    CHECK(d->encoding == TextEncoding::utf8);
  }
  SECTION("refused: NUL, UTF-16, bytes that are neither") {
    auto nul = decode_text(std::string("1380\n0013\0" "8000\n", 15));
    REQUIRE_FALSE(nul.ok());
    CHECK_THAT(nul.error(), Catch::Contains("line 2 holds a NUL byte"));
    auto u16 = decode_text("\xFF\xFE" "1\0" "3\0");
    REQUIRE_FALSE(u16.ok());
    CHECK_THAT(u16.error(), Catch::Contains("UTF-16"));
    auto garbage = decode_text("13800138000\n\x80\xFF\xFE\n");
    REQUIRE_FALSE(garbage.ok());
    CHECK_THAT(garbage.error(), Catch::Contains("neither UTF-8 nor GB18030"));
    CHECK_THAT(garbage.error(), Catch::Contains("line 2"));
    auto bad_after_bom = decode_text("\xEF\xBB\xBF" "1\n\xC3\x28\n");
    REQUIRE_FALSE(bad_after_bom.ok());
    CHECK_THAT(bad_after_bom.error(), Catch::Contains("line 2 is not valid UTF-8"));
  }
}

TEST_CASE("CSV quoting per RFC 4180") {
  std::vector<CsvProblem> problems;
  auto recs = parse_csv("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x\nlast", ',', problems);
  CHECK(problems.empty());
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].line == 1);
  CHECK(recs[0].fields == std::vector<std::string>{"a", "b,c", "say \"hi\""});
  CHECK(recs[1].line == 2);
  CHECK(recs[1].fields == std::vector<std::string>{"multi\nline", "x"});
  CHECK(recs[2].line == 4);   // the quoted line break counted
  CHECK(recs[2].fields == std::vector<std::string>{"last"});

  SECTION("an unclosed quote is reported at the line it opens") {
    std::vector<CsvProblem> p;
    auto r = parse_csv("1,2\n\"open,3\n4\n", ',', p);
    CHECK(r.size() == 1);
    REQUIRE(p.size() == 1);
    CHECK(p[0].line == 2);
    CHECK_THAT(p[0].reason, Catch::Contains("never closed"));
  }
  SECTION("a quote inside an unquoted field is kept") {
    std::vector<CsvProblem> p;
    auto r = parse_csv("ab\"c,d\n", ',', p);
    REQUIRE(r.size() == 1);
    CHECK(r[0].fields == std::vector<std::string>{"ab\"c", "d"});
  }
  SECTION("empty fields") {
    std::vector<CsvProblem> p;
    auto r = parse_csv(",,\n", ',', p);
    REQUIRE(r.size() == 1);
    CHECK(r[0].fields.size() == 3);
  }
}

TEST_CASE("TXT: one number a line, blank and comment lines skipped, line numbers kept") {
  auto f = read("13800138000\n\n  139 0000 0000  \n# a comment\r\n+86 137-0000-0000\r\n");
  CHECK_FALSE(f.csv);
  CHECK_FALSE(f.header);
  CHECK(values(f) == std::vector<std::string>{"1:13800138000", "3:139 0000 0000", "5:+86 137-0000-0000"});
  CHECK(f.blank == 2);
  SECTION("a first line without digits is a header") {
    auto g = read("号码\n13800138000\n");
    CHECK(g.header);
    CHECK(values(g) == std::vector<std::string>{"2:13800138000"});
  }
}

TEST_CASE("CSV: the column") {
  SECTION("named like a phone column") {
    auto f = read("姓名,手机号,备注\n张三,13800138000,\"a, b\"\n李四,\"13900000000\",\n", {"", true});
    CHECK(f.csv);
    CHECK(f.header);
    CHECK(f.column == "手机号");
    CHECK(f.column_index == 1);
    CHECK(values(f) == std::vector<std::string>{"2:13800138000", "3:13900000000"});
  }
  SECTION("English names, any case; contains") {
    auto f = read("Name,Mobile Phone\nx,13800138000\n");
    CHECK(f.column_index == 1);
    CHECK(f.column == "Mobile Phone");
  }
  SECTION("--column by name wins over the guess") {
    ImportOptions o;
    o.column = "backup";
    auto f = read("phone,backup\n13800138000,13900000000\n", o);
    CHECK(f.column_index == 1);
    CHECK(values(f) == std::vector<std::string>{"2:13900000000"});
  }
  SECTION("--column by number") {
    ImportOptions o;
    o.column = "2";
    auto f = read("x,13800138000\ny,13900000000\n", o);
    CHECK_FALSE(f.header);
    CHECK(values(f) == std::vector<std::string>{"1:13800138000", "2:13900000000"});
  }
  SECTION("--column that no header has") {
    ImportOptions o;
    o.column = "tel";
    auto r = read_number_file("name,phone\nx,1\n", o);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::Contains("no column named 'tel'"));
    CHECK_THAT(r.error(), Catch::Contains("name, phone"));
  }
  SECTION("no header: the first column") {
    auto f = read("13800138000,张三\n13900000000,李四\n");
    CHECK_FALSE(f.header);
    CHECK(f.column_index == 0);
    CHECK(values(f).size() == 2);
  }
  SECTION("an unknown header without digits: skipped, first column") {
    auto f = read("a,b\n13800138000,x\n");
    CHECK(f.header);
    CHECK(values(f) == std::vector<std::string>{"2:13800138000"});
  }
  SECTION("semicolons and tabs") {
    CHECK(read("phone;name\n13800138000;x\n").separator == ';');
    CHECK(values(read("name\tphone\nx\t13800138000\n")) == std::vector<std::string>{"2:13800138000"});
  }
  SECTION("short rows and empty cells are problems with their line") {
    auto f = read("name,phone\nx\ny,\nz,13800138000\n");
    CHECK(values(f) == std::vector<std::string>{"4:13800138000"});
    REQUIRE(f.problems.size() == 2);
    CHECK(f.problems[0].line == 2);
    CHECK_THAT(f.problems[0].reason, Catch::Contains("no column 2"));
    CHECK(f.problems[1].line == 3);
  }
  SECTION("GB18030 with a header") {
    auto f = read(to_gb18030("姓名,电话\n王五,13800138000\n"), {"", true});
    CHECK(f.encoding == TextEncoding::gb18030);
    CHECK(f.column == "电话");
    CHECK(values(f) == std::vector<std::string>{"2:13800138000"});
  }
  SECTION("UTF-8 with BOM: the header's first name is found") {
    auto f = read("\xEF\xBB\xBF手机,name\n13800138000,x\n");
    CHECK(f.encoding == TextEncoding::utf8_bom);
    CHECK(f.column == "手机");
    CHECK(f.column_index == 0);
  }
}

TEST_CASE("hostile input: long lines are problems, not crashes") {
  std::string big(10 * 1024 * 1024, '1');
  SECTION("a 10 MB single line") {
    auto f = read(big);
    CHECK(f.entries.empty());
    REQUIRE(f.problems.size() == 1);
    CHECK(f.problems[0].line == 1);
    CHECK_THAT(f.problems[0].reason, Catch::Contains("bytes long"));
  }
  SECTION("a long CSV record between good ones") {
    auto f = read("phone\n13800138000\n" + std::string(kMaxRecordBytes + 10, 'x') + ",\n13900000000\n", {"", true});
    CHECK(values(f) == std::vector<std::string>{"2:13800138000", "4:13900000000"});
    REQUIRE(f.problems.size() == 1);
    CHECK(f.problems[0].line == 3);
  }
  SECTION("an unclosed quote over a huge remainder") {
    auto f = read("phone\n\"" + big, {"", true});
    CHECK(f.entries.empty());
    REQUIRE(f.problems.size() >= 1);
    CHECK(f.problems[0].line == 2);
  }
  SECTION("empty file") {
    auto f = read("");
    CHECK(f.entries.empty());
    CHECK(f.problems.empty());
  }
}
