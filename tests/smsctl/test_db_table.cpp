// Terminal width of UTF-8 text, table layout with CJK, CSV and JSON escaping.
#include <catch2/catch.hpp>

#include "tools/smsctl/db_table.hpp"

using namespace smsctl;

TEST_CASE("display width counts East Asian wide characters as two columns", "[smsctl][table]") {
  struct Case {
    const char* text;
    int width;
  } cases[] = {
      {"", 0},
      {"abc", 3},
      {"你好", 4},
      {"您好，世界", 10},                 // U+FF0C FULLWIDTH COMMA is wide too
      {"hello 世界", 10},
      {"한국어", 6},                      // Hangul syllables
      {"カタカナ", 8},                    // Katakana
      {"\xEF\xBD\xB1", 1},                // U+FF71 HALFWIDTH KATAKANA A
      {"\xC3\xA9", 1},                    // é precomposed
      {"e\xCC\x81", 1},                   // e + U+0301 combining acute
      {"\xF0\x9F\x98\x80", 2},            // U+1F600 emoji
      {"a\xE2\x80\x8B" "b", 2},           // zero width space
      {"\xFF", 1},                        // invalid byte: shown as U+FFFD
      {"\xE4\xBD", 2},                    // truncated sequence: two replacement characters
      {"\xED\xA0\x80", 3},                // a UTF-16 surrogate encoded in UTF-8 is invalid
      {"\xC0\xAF", 2},                    // overlong '/'
      {"Ünïcödé", 7},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(display_width(c.text) == c.width);
  }
}

TEST_CASE("cell text is cut to a width with an ellipsis, never inside a character", "[smsctl][table]") {
  struct Case {
    const char* text;
    int max;
    const char* expect;
  } cases[] = {
      {"hello", 10, "hello"},
      {"hello", 5, "hello"},
      {"hello world", 5, "hell…"},
      {"你好世界", 8, "你好世界"},
      {"你好世界", 7, "你好世…"},
      {"你好世界", 5, "你好…"},
      {"你好世界", 4, "你…"},
      {"a你好", 3, "a…"},
      {"a\nb", 0, "a⏎b"},
      {"a\r\nb", 0, "a⏎b"},
      {"tab\there", 0, "tab here"},
      {"\xFF", 0, "\xEF\xBF\xBD"},
      {"😀😀😀", 4, "😀…"},
  };
  for (const auto& c : cases) {
    INFO(c.text << " / " << c.max);
    std::string got = cell_text(c.text, c.max);
    CHECK(got == c.expect);
    if (c.max > 0) CHECK(display_width(got) <= c.max);
  }
}

TEST_CASE("tables align columns by display width", "[smsctl][table]") {
  Table t;
  t.headers = {"id", "text", "n"};
  t.right_align = {true, false, true};
  t.rows = {{"1", "你好", "5"}, {"22", "abc", "10"}, {"3", "x", ""}};
  CHECK(t.render() ==
        "id  text   n\n"
        " 1  你好   5\n"
        "22  abc   10\n"
        " 3  x\n");
  Table cut;
  cut.headers = {"text", "end"};
  cut.max_width = {5, 0};
  cut.rows = {{"这是一个很长的短信", "|"}, {"ab", "|"}};
  CHECK(cut.render() ==
        "text   end\n"
        "这是…  |\n"
        "ab     |\n");
}

TEST_CASE("CSV fields are quoted per RFC 4180", "[smsctl][csv]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("") == "");
  CHECK(csv_field("你好") == "你好");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("line\nbreak") == "\"line\nbreak\"");
  CHECK(csv_field("cr\rx") == "\"cr\rx\"");
  CHECK(csv_field(" lead") == "\" lead\"");
  CHECK(csv_field("trail ") == "\"trail \"");
  CHECK(csv_record({"1", "a,b", "", "x"}) == "1,\"a,b\",,x\r\n");
}

TEST_CASE("JSON strings are valid UTF-8 and escaped", "[smsctl][json]") {
  CHECK(json_string("ok") == "\"ok\"");
  CHECK(json_string("您好") == "\"您好\"");
  CHECK(json_string("a\"b\\c\n") == "\"a\\\"b\\\\c\\n\"");
  CHECK(json_string("\x01") == "\"\\u0001\"");
  CHECK(json_string("\xFF" "A") == "\"\xEF\xBF\xBD" "A\"");
  CHECK(valid_utf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");
  CHECK(valid_utf8("\xF0\x9F\x98") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}
