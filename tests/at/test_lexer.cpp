// The byte-fed lexer on its own: line framing, prompt forms, hints, garbage.
#include <catch2/catch.hpp>

#include "modem/at/lexer.hpp"

using namespace sms::at;

namespace {

std::string kind_name(Token t) {
  switch (t) {
    case Token::line: return "line";
    case Token::pdu: return "pdu";
    case Token::prompt: return "prompt";
    case Token::garbage: return "garbage";
  }
  return "?";
}

// Feeds all of `bytes` (in chunks of `chunk` bytes, 0 = whole) and returns
// "kind:text" per event.
std::vector<std::string> lex(Lexer& lx, std::string_view bytes, std::size_t chunk = 0) {
  std::vector<std::string> out;
  std::optional<LexEvent> ev;
  while (!bytes.empty()) {
    std::string_view piece = chunk ? bytes.substr(0, chunk) : bytes;
    bytes.remove_prefix(piece.size());
    while (!piece.empty()) {
      const std::size_t used = lx.feed(piece, ev);
      REQUIRE(used <= piece.size());
      piece.remove_prefix(used);
      if (ev) {
        std::string s = kind_name(ev->kind);
        if (ev->kind == Token::prompt && !ev->expected) s += "?";
        out.push_back(s + ":" + escape_bytes(ev->text));
      } else {
        REQUIRE(piece.empty());  // no event means the input was used up
      }
    }
  }
  return out;
}

std::vector<std::string> lex(std::string_view bytes, std::size_t chunk = 0) {
  Lexer lx;
  return lex(lx, bytes, chunk);
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("lexer: line framing", "[at][lexer]") {
  struct Row {
    const char* name;
    std::string bytes;
    V expected;
  };
  const Row rows[] = {
      {"V.250 framing", "\r\nOK\r\n", {"line:OK"}},
      {"no leading CR LF", "OK\r\n", {"line:OK"}},
      {"empty lines skipped", "\r\n\r\n\r\nOK\r\n\r\n", {"line:OK"}},
      {"Wavecom echo CR CR LF", "AT+GMM\r\r\nOK\r\n", {"line:AT+GMM", "line:OK"}},
      {"lone CR", "A\rB\r", {"line:A", "line:B"}},
      {"lone LF", "A\nB\n", {"line:A", "line:B"}},
      {"LF CR order", "A\n\rB\n\r", {"line:A", "line:B"}},
      {"unterminated line waits", "\r\nOK", {}},
      {"tab and high bytes kept", "+CMGL: 1,1,\"J\xc3\xb6rg\"\t,30\r\n", {"line:+CMGL: 1,1,\"J\\xc3\\xb6rg\"\\x09,30"}},
      {"Ctrl-Z echo kept in the line", "0011\x1a\r\n", {"line:0011\\x1a"}},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    CHECK(lex(r.bytes) == r.expected);
    CHECK(lex(r.bytes, 1) == r.expected);
  }
}

TEST_CASE("lexer: prompt forms", "[at][lexer]") {
  struct Row {
    const char* name;
    bool announced;
    std::string bytes;
    V expected;
  };
  const Row rows[] = {
      {"27.005 form", true, "\r\n> ", {"prompt:"}},
      {"no space (announced)", true, "\r\n>", {"prompt:"}},
      {"Siemens echo form", true, "AT+CMGS=36\r\r\n> ", {"line:AT+CMGS=36", "prompt:"}},
      {"space swallowed once, text after", true, "> \r\n+CMTI: \"SM\",1\r\n",
       {"prompt:", "line:+CMTI: \"SM\",1"}},
      {"only one prompt per announcement", true, "> > ", {"prompt:", "prompt?:"}},
      {"unannounced needs the space", false, "\r\n> ", {"prompt?:"}},
      {"unannounced without space waits", false, "\r\n>", {}},
      {"unannounced > starts text", false, ">x\r\n", {"line:>x"}},
      {"mid-line > is text", true, "a> b\r\n", {"line:a> b"}},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    for (std::size_t chunk : {0, 1, 2}) {
      Lexer lx;
      lx.expect_prompt(r.announced);
      CHECK(lex(lx, r.bytes, chunk) == r.expected);
    }
  }
}

TEST_CASE("lexer: PDU hint labels one line and blocks prompt detection", "[at][lexer]") {
  Lexer lx;
  lx.expect_prompt(true);
  lx.expect_pdu();
  CHECK(lex(lx, "\r\n>abc\r\n") == V{"pdu:>abc"});
  CHECK(lex(lx, "> ") == V{"prompt:"});  // hint used up; prompt still announced
  lx.expect_pdu();
  CHECK(lex(lx, "\r\n\r\n0791AB\r\nOK\r\n") == V{"pdu:0791AB", "line:OK"});
}

TEST_CASE("lexer: garbage is reported and bounded", "[at][lexer]") {
  Lexer lx(64);
  SECTION("NULs before a line") {
    CHECK(lex(lx, std::string("\0\0\0OK\r\n", 7)) == V{"garbage:\\x00\\x00\\x00", "line:OK"});
  }
  SECTION("wrong-baud noise 0xFF/0xFE") {
    CHECK(lex(lx, "\xff\xfe\xff\r\nOK\r\n") == V{"garbage:\\xff\\xfe\\xff", "line:OK"});
  }
  SECTION("noise inside a line takes the partial line with it") {
    CHECK(lex(lx, std::string("+CS\0Q: 1\r\n", 10)) == V{"garbage:+CS\\x00", "line:Q: 1"});
  }
  SECTION("overlong line: reported once, rest dropped until the line end") {
    const std::string big(200, 'A');
    const auto got = lex(lx, big + "\r\nOK\r\n");
    REQUIRE(got.size() == 2);
    CHECK(got[0] == "garbage:" + std::string(64, 'A'));
    CHECK(got[1] == "line:OK");
    CHECK(lx.buffered() == 0);
  }
  SECTION("endless NULs are cut into bounded pieces") {
    const auto got = lex(lx, std::string(1000, '\0'), 7);
    CHECK(got.size() == 15);  // 1000 / 64 rounded down; the rest waits
    CHECK(lx.buffered() <= 64);
  }
  SECTION("reset drops everything") {
    lex(lx, "+CSQ: 1");
    lx.expect_pdu();
    lx.expect_prompt(true);
    lx.reset();
    CHECK(lx.buffered() == 0);
    CHECK_FALSE(lx.prompt_expected());
    CHECK(lex(lx, "> 0A\r\n") == V{"prompt?:", "line:0A"});
  }
}

TEST_CASE("escape_bytes", "[at][lexer]") {
  CHECK(escape_bytes("a\r\n\\") == "a\\r\\n\\\\");
  CHECK(escape_bytes(std::string("\0\x1a\x7f\x80", 4)) == "\\x00\\x1a\\x7f\\x80");
}
