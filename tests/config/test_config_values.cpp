// Single values (durations, ports, ids, ...), name suggestions, relative
// database urls and the differences() list used on SIGHUP.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>

#include "src/config/config.hpp"
#include "src/config/duration.hpp"
#include "src/config/suggest.hpp"
#include "src/config/values.hpp"
#include "tests/config/test_util.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using sms::config::BareUnit;
using sms::config::ConfigError;
using sms::config::load_string;
using sms::config::parse_duration;

TEST_CASE("durations", "[config][duration]") {
  struct Good {
    const char* text;
    BareUnit bare;
    long long ms;
  };
  const Good good[] = {
      {"250ms", BareUnit::seconds, 250},
      {"10s", BareUnit::seconds, 10000},
      {"5m", BareUnit::seconds, 300000},
      {"5min", BareUnit::seconds, 300000},
      {"24h", BareUnit::seconds, 86400000},
      {"7d", BareUnit::seconds, 604800000},
      {"0", BareUnit::seconds, 0},
      {"0ms", BareUnit::seconds, 0},
      {"60", BareUnit::seconds, 60000},           // bare number: the attribute's unit
      {"60", BareUnit::milliseconds, 60},
      {"1.5s", BareUnit::seconds, 1500},
      {"0.25", BareUnit::seconds, 250},
      {"1.000000000s", BareUnit::seconds, 1000},
      {"0.001s", BareUnit::seconds, 1},
      {"1.5h", BareUnit::seconds, 5400000},
      {" 10 s ", BareUnit::seconds, 10000},       // blanks around and between
      {"+3s", BareUnit::seconds, 3000},
      {"3650d", BareUnit::seconds, 3650LL * 86400000},
  };
  for (const auto& g : good) {
    DYNAMIC_SECTION("good: '" << g.text << "'") {
      const auto r = parse_duration(g.text, g.bare);
      INFO((r ? std::string() : r.error()));
      REQUIRE(r.ok());
      CHECK(r->count() == g.ms);
    }
  }
  struct Bad {
    const char* text;
    const char* words;
  };
  const Bad bad[] = {
      {"", "empty duration"},
      {"   ", "empty duration"},
      {"-5s", "negative duration '-5s'"},
      {"10x", "unknown unit 'x'"},
      {"10 seconds", "unknown unit 'seconds'"},
      {"10S", "unknown unit 'S'"},  // units are lower case, as written in the docs
      {"s", "does not start with a number"},
      {"ten", "does not start with a number"},
      {"1.s", "no digits after the decimal point"},
      {".5s", "does not start with a number"},
      {"1.0005s", "not a whole number of milliseconds"},
      {"0.5ms", "not a whole number of milliseconds"},
      {"1.0000000001s", "too many decimals"},
      {"3700d", "too long"},
      {"99999999999999999999999", "too long"},
      {"5s5s", "unknown unit 's5s'"},
  };
  for (const auto& b : bad) {
    DYNAMIC_SECTION("bad: '" << b.text << "'") {
      const auto r = parse_duration(b.text);
      REQUIRE_FALSE(r.ok());
      CHECK_THAT(r.error(), Catch::Contains(b.words));
    }
  }
  SECTION("format_duration writes the shortest exact form") {
    CHECK(sms::config::format_duration(0ms) == "0s");
    CHECK(sms::config::format_duration(250ms) == "250ms");
    CHECK(sms::config::format_duration(1500ms) == "1500ms");
    CHECK(sms::config::format_duration(90s) == "90s");
    CHECK(sms::config::format_duration(5min) == "5m");
    CHECK(sms::config::format_duration(24h) == "24h");
    for (long long ms : {0LL, 1LL, 999LL, 1000LL, 61000LL, 3600000LL, 86400000LL, 90061001LL}) {
      CHECK(parse_duration(sms::config::format_duration(std::chrono::milliseconds(ms)))->count() == ms);
    }
  }
}

TEST_CASE("single values", "[config][values]") {
  using namespace sms::config;
  SECTION("baud rates") {
    CHECK(*parse_baud("115200") == 115200u);
    CHECK(*parse_baud("9600") == 9600u);
    CHECK(*parse_baud("4000000") == 4000000u);
    CHECK_FALSE(parse_baud("9601").ok());
    CHECK_FALSE(parse_baud("0").ok());
    CHECK_FALSE(parse_baud("-9600").ok());
    CHECK_FALSE(parse_baud("115200 ").ok());
    CHECK_FALSE(parse_baud("").ok());
  }
  SECTION("integers") {
    CHECK(*parse_int("0", 0, 10) == 0);
    CHECK(*parse_int("10", 0, 10) == 10);
    CHECK(*parse_int("+7", 0, 10) == 7);
    CHECK_THAT(parse_int("11", 0, 10).error(), Catch::Contains("between 0 and 10"));
    CHECK_THAT(parse_int("-1", 0, 10).error(), Catch::Contains("must not be negative"));
    CHECK_THAT(parse_int("1e3", 0, 10).error(), Catch::Contains("not a whole number"));
    CHECK_THAT(parse_int("", 0, 10).error(), Catch::Contains("not a whole number"));
    CHECK_THAT(parse_int("99999999999999999999999", 0, 10).error(), Catch::Contains("between"));
  }
  SECTION("booleans") {
    for (const char* t : {"true", "yes", "on", "1"}) CHECK(*parse_bool(t));
    for (const char* f : {"false", "no", "off", "0"}) CHECK_FALSE(*parse_bool(f));
    for (const char* x : {"", "TRUE ", "2", "maybe"}) CHECK_FALSE(parse_bool(x).ok());
  }
  SECTION("ports") {
    for (const char* ok : {"sim", "/dev/ttyUSB0", "/dev/serial/by-id/usb-SimTech_SIM7600-if02-port0", "/dev/pts/7",
                           "tcp://192.0.2.10:4001", "tcp://[2001:db8::1]:1", "tcp://gw:65535"}) {
      INFO(ok);
      CHECK(parse_port(ok).ok());
    }
    const std::pair<const char*, const char*> bad[] = {
        {"", "empty port"},
        {"ttyUSB0", "not an absolute device path"},
        {"COM3", "not an absolute device path"},
        {"tcp://192.0.2.10", "no port number"},
        {"tcp://:4001", "no host"},
        {"tcp://host:0", "out of range"},
        {"tcp://host:65536", "out of range"},
        {"tcp://host:40a1", "not a number"},
        {"tcp://2001:db8::1:4001", "IPv6 addresses go in brackets"},
        {"tcp://[2001:db8::1]4001", "not tcp://[IPV6]:PORT"},
        {"tcp://host/x:4001", "takes no path"},
        {"rfc2217://host:4001", "unsupported scheme"},
        {"/dev/ttyUSB0 ", "trailing blank"},
        {" /dev/ttyUSB0", "leading or trailing blank"},
        {"/dev/tty\tUSB0", "control character"},
    };
    for (const auto& [text, words] : bad) {
      INFO(text);
      const auto r = parse_port(text);
      REQUIRE_FALSE(r.ok());
      CHECK_THAT(r.error(), Catch::Contains(words));
    }
  }
  SECTION("modem ids") {
    CHECK(*parse_modem_id("m1") == "m1");
    CHECK(*parse_modem_id("huawei_E173-2.a") == "huawei_E173-2.a");
    CHECK_THAT(parse_modem_id("").error(), Catch::Contains("empty"));
    CHECK_THAT(parse_modem_id("m 1").error(), Catch::Contains("space"));
    CHECK_THAT(parse_modem_id("m/1").error(), Catch::Contains("'/'"));
    CHECK_THAT(parse_modem_id(std::string(33, 'a')).error(), Catch::Contains("32"));
  }
  SECTION("PIN, SMSC, init commands, levels, dialects") {
    CHECK(parse_pin("").ok());
    CHECK(parse_pin("0000").ok());
    CHECK(parse_pin("12345678").ok());
    CHECK_FALSE(parse_pin("123").ok());
    CHECK_FALSE(parse_pin("123456789").ok());
    CHECK(*parse_smsc("+8613800100500") == "+8613800100500");
    CHECK(parse_smsc("13800100500").ok());
    CHECK_FALSE(parse_smsc("+").ok());
    CHECK_FALSE(parse_smsc("+" + std::string(21, '1')).ok());
    CHECK(*parse_init_command("  AT^CURC=0\n ") == "AT^CURC=0");
    CHECK(*parse_init_command("at+cmee=1") == "at+cmee=1");
    CHECK_FALSE(parse_init_command("ATZ\rAT+CMGS=1").ok());
    CHECK_FALSE(parse_init_command("AT+CMGS=1\x1a").ok());
    CHECK_FALSE(parse_init_command("A").ok());
    CHECK(*parse_log_level("warn") == "warning");
    CHECK_FALSE(parse_log_level("INFO").ok());
    CHECK(parse_dialect("generic").ok());
    CHECK_FALSE(parse_dialect("Generic").ok());
  }
}

TEST_CASE("suggestions for misspelt names", "[config][suggest]") {
  const std::vector<std::string_view> modem{"id", "port", "baudRate", "rtsCts", "pin", "smsc", "submitTimeout", "reconnectMax"};
  const std::pair<const char*, const char*> table[] = {
      {"baudrate", "baudRate"},     // case only
      {"BaudRate", "baudRate"},
      {"baud_rate", "baudRate"},
      {"buadRate", "baudRate"},     // swapped letters
      {"rtscts", "rtsCts"},
      {"ID", "id"},
      {"prot", "port"},
      {"submitTimout", "submitTimeout"},
      {"reconectMax", "reconnectMax"},
      {"speed", ""},                // nothing close: no guess
      {"x", ""},
      {"device", ""},
  };
  for (const auto& [typo, expected] : table) {
    INFO(typo);
    CHECK(sms::config::closest_name(typo, modem) == expected);
  }
  CHECK(sms::config::name_distance("kitten", "sitting") == 3);
  CHECK(sms::config::name_distance("ab", "ba") == 1);
  CHECK(sms::config::name_distance("", "abc") == 3);
}

TEST_CASE("errors from text: file, line, value", "[config][errors]") {
  const std::string file = "/etc/smserver/smserver.xml";
  struct Case {
    const char* name;
    const char* xml;
    int line;
    std::vector<std::string> words;
  };
  const Case cases[] = {
      {"attribute line, not element line", "<smserver>\n<modem id=\"m1\"\n port=\"/dev/ttyS0\"\n\n baudRate=\"12\"/>\n</smserver>", 5,
       {"baudRate=\"12\""}},
      {"unknown dispatch attribute", "<smserver><dispatch maxAttempt=\"3\"/></smserver>", 1,
       {"unknown attribute 'maxAttempt' in <dispatch>", "did you mean 'maxAttempts'?"}},
      {"unknown element, case", "<smserver>\n\n<Modem id=\"m1\" port=\"sim\"/></smserver>", 3, {"<Modem>", "did you mean <modem>?"}},
      {"modemdefaults typo", "<smserver><modemDefault baudRate=\"9600\"/></smserver>", 1, {"did you mean <modemDefaults>?"}},
      {"runonreceive case", "<smserver><runonreceive command=\"\"/></smserver>", 1, {"did you mean <runOnReceive>?"}},
      {"missing id", "<smserver>\n<modem port=\"sim\"/></smserver>", 2, {"<modem> needs id=\"...\""}},
      {"element in init", "<smserver><modem id=\"a\" port=\"sim\"><init><b/></init></modem></smserver>", 1, {"<b>", "<init>"}},
      {"attribute in init", "<smserver><modem id=\"a\" port=\"sim\"><init x=\"1\">AT</init></modem></smserver>", 1,
       {"unknown attribute 'x' in <init>"}},
      {"empty init", "<smserver><modem id=\"a\" port=\"sim\">\n<init/></modem></smserver>", 2, {"<init></init>", "empty init command"}},
      {"mismatched end tag", "<smserver>\n<log level=\"info\">\n</smserver>", 2, {"<log> is not closed"}},
      {"attribute without value", "<smserver>\n<log level/>\n</smserver>", 2, {"XML syntax error in an attribute", "<log>"}},
      {"unterminated comment", "<smserver>\n<!-- no end\n</smserver>", 2, {"unterminated comment"}},
      {"retry delay not whole seconds", "<smserver><dispatch retryDelays=\"10s,1500ms\"/></smserver>", 1,
       {"retryDelays=\"10s,1500ms\"", "'1500ms' is not a whole number of seconds"}},
      {"busy timeout zero", "<smserver><database busyTimeout=\"0\"/></smserver>", 1, {"busyTimeout=\"0\"", "more than 0"}},
      {"poll interval over int range", "<smserver><dispatch pollInterval=\"30d\"/></smserver>", 1, {"pollInterval=\"30d\"", "at most"}},
      {"tcp duplicate through defaults", "<smserver><modem id=\"a\" port=\"tcp://h:1\"/><modem id=\"b\" port=\"tcp://h:1\"/></smserver>", 1,
       {"already used by modem 'a'"}},
      {"empty url", "<smserver><database url=\"\"/></smserver>", 1, {"url=\"\"", "empty database path"}},
      {"port is a directory", "<smserver><modem id=\"a\" port=\"/dev\"/></smserver>", 1, {"port=\"/dev\"", "is a directory"}},
      {"url with trailing blank", "<smserver><database url=\"sms.db \"/></smserver>", 1, {"url=\"sms.db \"", "trailing blank"}},
      {"long text cut on a character boundary", "<smserver><log>\u4f60\u597d\u4f60\u597d\u4f60\u597d\u4f60\u597d\u4f60\u597d\u4f60\u597d\u4f60\u597d</log></smserver>", 1,
       {"takes no text", "\u4f60\u597d\u4f60\u597d\u4f60\u597d\u4f60\u597d\u4f60\u597d\u4f60\u597d\u4f60...'"}},
      {"url scheme", "<smserver><database url=\"mysql://h/db\"/></smserver>", 1, {"url=\"mysql://h/db\""}},
      {"defaults reconnect order", "<smserver><modemDefaults reconnectMax=\"100ms\"/></smserver>", 1,
       {"reconnectMax=\"100ms\"", "shorter than reconnectMin (500ms)"}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      try {
        load_string(c.xml, file);
        FAIL("loaded without error");
      } catch (const ConfigError& e) {
        INFO(e.what());
        CHECK(e.line == c.line);
        CHECK_THAT(e.what(), Catch::StartsWith(file + ":" + std::to_string(c.line) + ": "));
        for (const auto& w : c.words) CHECK_THAT(e.what(), Catch::Contains(w));
      }
    }
  }
}

TEST_CASE("duplicate ports through symlinks", "[config][errors]") {
  cfgtest::TempDir tmp("symlink");
  cfgtest::write_file(tmp.path / "ttyUSB0", "");
  fs::create_directories(tmp.path / "by-id");
  fs::create_symlink(tmp.path / "ttyUSB0", tmp.path / "by-id" / "usb-HUAWEI-if00-port0");
  const std::string xml = "<smserver>\n<modem id=\"a\" port=\"" + (tmp.path / "ttyUSB0").string() + "\"/>\n<modem id=\"b\" port=\"" +
                          (tmp.path / "by-id" / "usb-HUAWEI-if00-port0").string() + "\"/>\n</smserver>";
  try {
    load_string(xml, "/x/smserver.xml");
    FAIL("loaded");
  } catch (const ConfigError& e) {
    CHECK(e.line == 3);
    CHECK_THAT(e.what(), Catch::Contains("already used by modem 'a' at line 2"));
  }
  // A path with "." segments is the same device too, existing or not.
  CHECK_THROWS_WITH(load_string("<smserver><modem id=\"a\" port=\"/dev/ttyUSB9\"/><modem id=\"b\" port=\"/dev/./ttyUSB9\"/></smserver>", "/x.xml"),
                    Catch::Contains("already used by modem 'a'"));
}

TEST_CASE("relative database urls resolve against the config file's folder", "[config][url]") {
  const std::pair<const char*, const char*> table[] = {
      {"sms.db", "/etc/smserver/sms.db"},
      {"../var/sms.db", "/etc/var/sms.db"},
      {"./data/../sms.db", "/etc/smserver/sms.db"},
      {"/var/lib/smserver/sms.db", "/var/lib/smserver/sms.db"},
      {"jdbc:sqlite:/srv/sms.db", "/srv/sms.db"},
      {"jdbc:sqlite:sms.db", "/etc/smserver/sms.db"},
  };
  for (const auto& [url, expected] : table) {
    INFO(url);
    const auto c = load_string(std::string("<smserver><database url=\"") + url + "\"/></smserver>", "/etc/smserver/smserver.xml");
    CHECK(c.database.url == expected);
  }
  SECTION("a config path relative to the working directory still gives an absolute url") {
    const auto c = load_string("<smserver><database url=\"../var/sms.db\"/></smserver>", "conf/smserver.xml");
    CHECK(fs::path(c.database.url).is_absolute());
    CHECK(c.database.url == (fs::current_path() / "var" / "sms.db").string());
    CHECK(c.path == (fs::current_path() / "conf" / "smserver.xml").string());
  }
}

TEST_CASE("differences between two configurations", "[config][reload]") {
  const std::string a = R"(<smserver>
    <modem id="m1" port="/dev/ttyUSB0"/>
    <modem id="m2" port="/dev/ttyUSB1"/>
  </smserver>)";
  const std::string b = R"(<smserver>
    <dispatch maxAttempts="3"/>
    <log level="debug"/>
    <modem id="m1" port="/dev/ttyUSB0" baudRate="9600"><init>AT^CURC=0</init></modem>
    <modem id="m3" port="/dev/ttyUSB2"/>
  </smserver>)";
  const auto before = load_string(a, "/x/s.xml");
  const auto after = load_string(b, "/x/s.xml");
  CHECK(sms::config::differences(before, before).empty());
  std::vector<std::string> described;
  for (const auto& ch : sms::config::differences(before, after)) described.push_back(ch.describe());
  CHECK(described == std::vector<std::string>{
                         "dispatch maxAttempts: \"5\" -> \"3\"",
                         "log level: \"info\" -> \"debug\"",
                         "modem m1 baudRate: \"115200\" -> \"9600\"",
                         "modem m1 init: \"\" -> \"AT^CURC=0\"",
                         "modem m2 removed",
                         "modem m3 added",
                     });
}

TEST_CASE("to_xml escapes what it writes", "[config][reload]") {
  const auto c = load_string(R"(<smserver><modem id="a" port="/dev/tty&amp;&lt;&quot;x"><init>AT+CSCS="GSM"&amp;&lt;</init></modem></smserver>)",
                             "/x/s.xml");
  REQUIRE(c.modems[0].port == "/dev/tty&<\"x");
  REQUIRE(c.modems[0].init_commands[0] == "AT+CSCS=\"GSM\"&<");
  const auto again = load_string(sms::config::to_xml(c), "/x/s.xml");
  CHECK(again.modems[0].port == c.modems[0].port);
  CHECK(again.modems[0].init_commands == c.modems[0].init_commands);
}

TEST_CASE("an <init> command split by a comment is joined", "[config][values]") {
  const auto c = load_string("<smserver><modem id=\"a\" port=\"sim\"><init> AT<!-- x -->+CMEE=1 </init></modem></smserver>", "/x.xml");
  CHECK(c.modems[0].init_commands == std::vector<std::string>{"AT+CMEE=1"});
}

TEST_CASE("the first error in the file is the one reported", "[config][errors]") {
  const char* xml = "<smserver>\n<log level=\"loud\"/>\n<dispatch maxParts=\"0\"/>\n<modem id=\"a b\" port=\"sim\"/>\n</smserver>";
  CHECK_THROWS_WITH(load_string(xml, "/x.xml"), Catch::StartsWith("/x.xml:2: <log> level=\"loud\""));
  const char* later = "<smserver>\n<modem id=\"a b\" port=\"sim\"/>\n<log level=\"loud\"/>\n</smserver>";
  CHECK_THROWS_WITH(load_string(later, "/x.xml"), Catch::StartsWith("/x.xml:2: <modem> id=\"a b\""));
}

TEST_CASE("a UTF-8 byte order mark and CRLF line ends are fine", "[config][files]") {
  const std::string xml = "\xEF\xBB\xBF<?xml version=\"1.0\"?>\r\n<smserver>\r\n  <log level=\"debug\"/>\r\n  <modem id=\"m1\" port=\"sim\" baudRate=\"1\"/>\r\n</smserver>\r\n";
  try {
    load_string(xml, "/x.xml");
    FAIL("loaded");
  } catch (const ConfigError& e) {
    CHECK(e.line == 4);  // lines still count right
  }
  CHECK(load_string(xml.substr(0, xml.find("  <modem")) + "</smserver>", "/x.xml").log_level == "debug");
}

// Damaged files (truncated, bytes flipped, lines swapped) must give a Config
// or a ConfigError with a line inside the text: never a crash or another
// exception. Deterministic: a fixed seed, a fixed number of cases.
TEST_CASE("mangled files: a config or a ConfigError", "[config][robustness]") {
  const std::string base = cfgtest::read_file(cfgtest::kData + "/valid/full.xml");
  REQUIRE_FALSE(base.empty());
  std::uint32_t seed = 12345;
  auto rnd = [&](std::uint32_t n) {
    seed = seed * 1664525u + 1013904223u;  // LCG (Numerical Recipes)
    return (seed >> 8) % n;
  };
  const std::string alphabet = "<>/=\"' &;!-?x0aZ\n\t\x01\xff\xc3";
  int loaded = 0, rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string s = base;
    const int edits = 1 + static_cast<int>(rnd(4));
    for (int k = 0; k < edits && !s.empty(); ++k) {
      const std::size_t at = rnd(static_cast<std::uint32_t>(s.size()));
      switch (rnd(4)) {
        case 0: s[at] = alphabet[rnd(static_cast<std::uint32_t>(alphabet.size()))]; break;
        case 1: s.erase(at, 1 + rnd(8)); break;
        case 2: s.insert(at, 1, alphabet[rnd(static_cast<std::uint32_t>(alphabet.size()))]); break;
        case 3: s.resize(at); break;
      }
    }
    const int lines = static_cast<int>(std::count(s.begin(), s.end(), '\n')) + 1;
    try {
      load_string(s, "/fuzz/smserver.xml");
      ++loaded;
    } catch (const ConfigError& e) {
      ++rejected;
      if (e.line < 0 || e.line > lines) FAIL("line " << e.line << " outside 0.." << lines << ": " << e.what());
    }
  }
  CHECK(rejected > 0);
  CHECK(loaded + rejected == 3000);
}
