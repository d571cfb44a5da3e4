// Loading whole files: every tests/data/config/invalid/*.xml must fail with
// the line and words its first-line comment expects; every valid/*.xml must
// load to the values in the table below; the shipped conf/*.xml must load.
#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <regex>

#include "src/config/config.hpp"
#include "tests/config/test_util.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using sms::config::Config;
using sms::config::ConfigError;
using sms::config::load;
using sms::config::load_string;

namespace {

std::vector<fs::path> files_in(const std::string& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".xml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Expectation {
  int line = -1;
  std::vector<std::string> texts;
};

// <!-- expect line N: "text" "text" --> ; \" inside a text stands for ".
Expectation parse_expectation(const std::string& file_text) {
  Expectation x;
  std::smatch m;
  const std::string first = file_text.substr(0, file_text.find('\n'));
  if (!std::regex_search(first, m, std::regex(R"(<!-- expect line (\d+):(.*)-->)"))) return x;
  x.line = std::stoi(m[1]);
  const std::string rest = m[2];
  const std::regex quoted(R"re("((?:[^"\\]|\\.)*)")re");
  for (auto it = std::sregex_iterator(rest.begin(), rest.end(), quoted); it != std::sregex_iterator(); ++it) {
    x.texts.push_back(std::regex_replace((*it)[1].str(), std::regex(R"(\\")"), "\""));
  }
  return x;
}

ConfigError load_error(const std::string& path) {
  try {
    load(path);
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("loaded without error: " << path);
  throw;  // unreachable
}

}  // namespace

TEST_CASE("invalid config files fail with file, line and value", "[config][files]") {
  const auto files = files_in(cfgtest::kData + "/invalid");
  REQUIRE(files.size() >= 30);
  for (const auto& file : files) {
    DYNAMIC_SECTION(file.filename().string()) {
      const Expectation x = parse_expectation(cfgtest::read_file(file.string()));
      REQUIRE(x.line > 0);  // every invalid file states what it expects
      REQUIRE_FALSE(x.texts.empty());
      const ConfigError e = load_error(file.string());
      INFO(e.what());
      CHECK(e.file == file.string());
      CHECK(e.line == x.line);
      CHECK(std::string(e.what()) == file.string() + ":" + std::to_string(x.line) + ": " + e.message);
      for (const auto& t : x.texts) CHECK_THAT(e.what(), Catch::Contains(t));
    }
  }
}

TEST_CASE("valid config files load to the expected values", "[config][files]") {
  const std::string dir = cfgtest::kData + "/valid";
  const std::map<std::string, std::function<void(const Config&)>> checks{
      {"minimal.xml",
       [](const Config& c) {
         CHECK(c.database.driver == "sqlite3");
         CHECK(c.database.url == "/var/lib/smserver/sms.db");
         CHECK(c.database.busy_timeout_ms == 10000);
         REQUIRE(c.modems.size() == 1);  // no <modem>: one simulated modem
         CHECK(c.modems[0].id == "sim1");
         CHECK(c.modems[0].port == "sim");
         CHECK(sms::config::is_simulated(c.modems[0]));
         CHECK(c.dispatch.max_attempts == 5);
         CHECK(c.dispatch.retry_delays_s == std::vector<int>{10, 60, 300, 900});
         CHECK(c.dispatch.max_parts == 10);
         CHECK(c.dispatch.poll_interval_ms == 5000);
         CHECK(c.dispatch.partial_timeout_s == 86400);
         CHECK_FALSE(c.dispatch.status_reports);
         CHECK(c.run_on_receive.empty());
         CHECK(c.log_level == "info");
         CHECK(c.simulator.dialect == "generic");
         CHECK(c.simulator.submit_delay_ms == 0);
       }},
      {"sim.xml",
       [&](const Config& c) {
         CHECK(c.database.url == dir + "/sms.db");
         REQUIRE(c.modems.size() == 2);
         CHECK(c.modems[0].id == "simA");
         CHECK(c.modems[1].id == "simB");
         CHECK(sms::config::is_simulated(c.modems[1]));
         CHECK(c.simulator.dialect == "huawei");
         CHECK(c.simulator.submit_delay_ms == 2000);
       }},
      {"tcp.xml",
       [](const Config& c) {
         REQUIRE(c.modems.size() == 3);
         CHECK(c.modems[0].port == "tcp://192.0.2.10:4001");
         CHECK(c.modems[1].port == "tcp://[2001:db8::7]:4002");
         CHECK(c.modems[2].port == "tcp://gsm-gw.example.net:4001");
         CHECK(c.database.url == "/tmp/smserver-test/sms.db");
       }},
      {"by_id.xml",
       [&](const Config& c) {
         REQUIRE(c.modems.size() == 1);
         CHECK(c.modems[0].id == "huawei-e173");
         CHECK(c.modems[0].port == "/dev/serial/by-id/usb-HUAWEI_Technology_HUAWEI_Mobile-if00-port0");
         CHECK(c.modems[0].baud == 460800);
         // "../var/sms.db" relative to tests/data/config/valid/
         CHECK(c.database.url == fs::path(dir).parent_path().string() + "/var/sms.db");
       }},
      {"jdbc.xml",
       [&](const Config& c) {
         CHECK(c.database.driver == "sqlite3");
         CHECK(c.database.url == dir + "/data/sms.db");
       }},
      {"full.xml",
       [](const Config& c) {
         CHECK(c.timezone.empty());
         CHECK_FALSE(c.policy_present);
         CHECK(c.database.url == "/srv/sms/sms.db");
         CHECK(c.database.busy_timeout_ms == 30000);
         REQUIRE(c.modems.size() == 2);
         const auto& m1 = c.modems[0];
         CHECK(m1.id == "m1");
         CHECK(m1.port == "/dev/ttyUSB0");
         CHECK(m1.baud == 115200);  // its own attribute beats <modemDefaults>
         CHECK(m1.rtscts);          // from <modemDefaults>
         CHECK(m1.pin == "1234");
         CHECK(m1.smsc == "+8613800100500");
         CHECK(m1.init_commands == std::vector<std::string>{"AT+CMEE=1", "AT^CURC=0", "AT+CSCS=\"GSM\""});
         CHECK(m1.timeouts.probe == 1500ms);
         CHECK(m1.timeouts.command == 20s);
         CHECK(m1.timeouts.prompt == 15s);
         CHECK(m1.timeouts.submit == 90s);
         CHECK(m1.timeouts.list == 2min);
         CHECK(m1.timeouts.registration == 3min);
         CHECK(m1.health_interval == 30s);
         CHECK(m1.sweep_interval == 10min);
         CHECK(m1.reconnect_min == 1s);
         CHECK(m1.reconnect_max == 1min);
         CHECK(m1.trace);
         const auto& m2 = c.modems[1];
         CHECK(m2.baud == 9600);
         CHECK_FALSE(m2.rtscts);
         CHECK(m2.pin.empty());
         CHECK(m2.timeouts.submit == 45s);  // bare number: seconds
         CHECK(m2.init_commands == std::vector<std::string>{"AT+CMEE=1"});
         CHECK(c.dispatch.max_attempts == 3);
         CHECK(c.dispatch.retry_delays_s == std::vector<int>{5, 30, 120});
         CHECK(c.dispatch.max_parts == 6);
         CHECK(c.dispatch.poll_interval_ms == 250);
         CHECK(c.dispatch.partial_timeout_s == 12 * 3600);
         CHECK(c.dispatch.status_reports);
         CHECK(c.run_on_receive == "/bin/true");
         CHECK(c.run_on_receive_timeout_s == 15);
         CHECK(c.log_level == "debug");
         CHECK(sms::config::log_level(c) == sms::log::Level::debug);
         CHECK(c.simulator.dialect == "simcom");
         CHECK(c.simulator.submit_delay_ms == 1500);
       }},
      {"policy.xml",
       [&](const Config& c) {
         // tests/config/test_config_policy.cpp checks every value.
         CHECK(c.timezone == "Asia/Shanghai");
         REQUIRE(c.policy_present);
         CHECK(c.policy.limits.size() == 3);
         REQUIRE(c.policy.banned_words);
         CHECK(c.policy.banned_words->file == fs::path(dir).parent_path().string() + "/banned-words.txt");
         CHECK_FALSE(c.policy.banned_words->words.empty());
       }},
  };
  const auto files = files_in(dir);
  REQUIRE(files.size() == checks.size());  // a new valid file needs its row here
  for (const auto& file : files) {
    DYNAMIC_SECTION(file.filename().string()) {
      const auto check = checks.find(file.filename().string());
      REQUIRE(check != checks.end());
      const Config c = load(file.string());
      CHECK(c.path == file.string());
      check->second(c);

      // to_xml writes every setting; reading it back gives the same config.
      const std::string xml = sms::config::to_xml(c);
      const Config again = load_string(xml, file.string());
      CHECK(sms::config::differences(c, again).empty());
      CHECK(sms::config::to_xml(again) == xml);
      check->second(again);
    }
  }
}

TEST_CASE("the shipped conf/ examples load", "[config][files]") {
  const std::string conf = fs::path(SMS_TEST_DATA).parent_path().parent_path().string() + "/conf";
  SECTION("smserver.xml: simulator, database in var/ of the checkout") {
    const Config c = load(conf + "/smserver.xml");
    CHECK(c.database.url == fs::path(conf).parent_path().string() + "/var/sms.db");
    REQUIRE(c.modems.size() == 1);
    CHECK(c.modems[0].port == "sim");
    // The example documents the defaults: it must not change any.
    Config defaults = load_string("<smserver/>", conf + "/smserver.xml");
    defaults.database.url = c.database.url;
    for (const auto& ch : sms::config::differences(defaults, c)) FAIL_CHECK(ch.describe());

    // The commented-out elements show the defaults: uncommented, they must
    // load, and (but for the example modem and the database) change nothing.
    const std::string text = cfgtest::read_file(conf + "/smserver.xml");
    const std::regex commented(R"(<!--\s*(<[A-Za-z][\s\S]*?)-->)");
    std::string body;
    int shown = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), commented); it != std::sregex_iterator(); ++it) {
      body += (*it)[1].str() + "\n";
      ++shown;
    }
    CHECK(shown >= 7);  // database, modem, modemDefaults, dispatch, runOnReceive, log, simulator
    const Config uncommented = load_string("<smserver>\n" + body + "</smserver>\n", conf + "/smserver.xml");
    Config expected = load_string("<smserver/>", conf + "/smserver.xml");
    expected.modems = uncommented.modems;
    for (const auto& ch : sms::config::differences(expected, uncommented)) FAIL_CHECK(ch.describe());
    REQUIRE(uncommented.modems.size() == 1);
    CHECK(uncommented.modems[0].port == "/dev/ttyUSB0");
  }
  SECTION("smserver-production.xml: real modems") {
    const Config c = load(conf + "/smserver-production.xml");
    CHECK(c.modems.size() >= 2);
    for (const auto& m : c.modems) CHECK_FALSE(sms::config::is_simulated(m));
  }
}

TEST_CASE("files that cannot be read", "[config][files]") {
  cfgtest::TempDir tmp("unreadable");
  SECTION("missing file") {
    const std::string path = (tmp.path / "nope.xml").string();
    const ConfigError e = load_error(path);
    CHECK(e.line == 0);
    CHECK(std::string(e.what()) == path + ": cannot read: No such file or directory");
  }
  SECTION("a directory") {
    const ConfigError e = load_error(tmp.path.string());
    CHECK_THAT(e.what(), Catch::StartsWith(tmp.path.string() + ": ") && Catch::Contains("is a directory"));
  }
  SECTION("no permission") {
    const fs::path path = tmp.path / "secret.xml";
    cfgtest::write_file(path, "<smserver/>");
    ::chmod(path.c_str(), 0);
    if (::geteuid() == 0) {
      WARN("running as root: permission bits do not stop reading; case skipped");
    } else {
      const ConfigError e = load_error(path.string());
      CHECK(std::string(e.what()) == path.string() + ": cannot read: Permission denied");
    }
  }
  SECTION("empty file") {
    const fs::path path = tmp.path / "empty.xml";
    cfgtest::write_file(path, "\n\n");
    const ConfigError e = load_error(path.string());
    CHECK_THAT(e.what(), Catch::StartsWith(path.string() + ": ") && Catch::Contains("empty file"));
  }
  SECTION("not XML at all") {
    const fs::path path = tmp.path / "binary.xml";
    cfgtest::write_file(path, std::string("\x7f" "ELF\x02\x01\x01", 7));
    const ConfigError e = load_error(path.string());
    CHECK_THAT(e.what(), Catch::StartsWith(path.string() + ":"));
  }
  SECTION("far too large") {
    const fs::path path = tmp.path / "huge.xml";
    cfgtest::write_file(path, "<smserver>" + std::string(2 << 20, ' ') + "</smserver>");
    const ConfigError e = load_error(path.string());
    CHECK_THAT(e.what(), Catch::Contains("larger than"));
  }
}

TEST_CASE("runOnReceive programs are checked at load", "[config][files]") {
  const std::string hooks = cfgtest::kData + "/hooks";
  auto xml = [](const std::string& cmd) { return "<smserver>\n  <runOnReceive command=\"" + cmd + "\"/>\n</smserver>\n"; };
  SECTION("an executable file is accepted") {
    const Config c = load_string(xml(hooks + "/on-sms"), "/etc/smserver/smserver.xml");
    CHECK(c.run_on_receive == hooks + "/on-sms");
    CHECK(c.run_on_receive_timeout_s == 60);
  }
  SECTION("a file without x permission is refused") {
    try {
      load_string(xml(hooks + "/not-executable"), "/etc/smserver/smserver.xml");
      FAIL("loaded");
    } catch (const ConfigError& e) {
      CHECK(e.line == 2);
      CHECK_THAT(e.what(), Catch::StartsWith("/etc/smserver/smserver.xml:2: ") &&
                               Catch::Contains(hooks + "/not-executable") && Catch::Contains("not executable"));
    }
  }
  SECTION("command=\"\" means none") {
    CHECK(load_string(xml(""), "/x/smserver.xml").run_on_receive.empty());
  }
}
