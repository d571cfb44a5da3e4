// The modemsim command line.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tools/modemsim/cli.hpp"

namespace {
sms::sim::CliResult parse(std::vector<std::string> args, sms::sim::Options& o, std::string& link, std::string& err) {
  args.insert(args.begin(), "modemsim");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return sms::sim::parse_cli(static_cast<int>(argv.size()), argv.data(), o, link, err);
}
}  // namespace

TEST_CASE("command line options fill Options", "[cli]") {
  sms::sim::Options o;
  std::string link, err;
  REQUIRE(parse({"--link", "/tmp/m", "--dialect", "huawei", "--pin", "1234", "--capacity", "5",
                 "--submit-delay-ms", "1500", "--cmms-delay-ms", "200", "--error-rate", "0.25", "--hang", "AT+CMGL",
                 "--garbage", "--stale-answer", "--vanish-after", "3", "--vanish-ms", "700", "--reject-cnmi", "2",
                 "--not-registered", "--status-reports", "--control", "/tmp/c", "--log", "/tmp/l", "--seed", "9",
                 "--imsi", "001010123456789", "--cnma-timeout-ms", "3000", "--report-padding", "143", "--quiet"},
                o, link, err) == sms::sim::CliResult::run);
  CHECK(link == "/tmp/m");
  CHECK(o.dialect == sms::sim::Dialect::huawei);
  CHECK(o.pin == "1234");
  CHECK(o.capacity == 5);
  CHECK(o.submit_delay_ms == 1500);
  CHECK(o.cmms_delay_ms == 200);
  CHECK(o.error_rate == Approx(0.25));
  CHECK(o.hang_prefix == "AT+CMGL");
  CHECK(o.garbage);
  CHECK(o.stale_answer);
  CHECK(o.vanish_after == 3);
  CHECK(o.vanish_ms == 700);
  CHECK(o.reject_cnmi == std::optional<std::string>("2"));
  CHECK(o.registration == sms::sim::Registration::none);
  CHECK(o.status_reports);
  CHECK(o.control_path == "/tmp/c");
  CHECK(o.log_path == "/tmp/l");
  CHECK(o.seed == 9);
  CHECK(o.imsi == "001010123456789");
  CHECK(o.cnma_timeout_ms == 3000);
  CHECK(o.report_padding == 143);
  CHECK_FALSE(o.trace);
}

TEST_CASE("command line errors say what was wrong", "[cli]") {
  struct Row {
    std::vector<std::string> args;
    const char* error;
  };
  const Row rows[] = {
      {{}, "--link PATH is required"},
      {{"--link"}, "--link needs a value"},
      {{"--link", "x", "--dialect", "nokia"}, "--dialect: expected generic, huawei, simcom or quectel, got 'nokia'"},
      {{"--link", "x", "--capacity", "-1"}, "--capacity: not a number >= 0: '-1'"},
      {{"--link", "x", "--error-rate", "1.5"}, "--error-rate: expected a probability 0..1, got '1.5'"},
      {{"--link", "x", "--report-padding", "1001"}, "--report-padding: at most 1000 octets, got 1001"},
      {{"--link", "x", "--frob"}, "unknown option '--frob'"},
  };
  for (const auto& row : rows) {
    sms::sim::Options o;
    std::string link, err;
    CHECK(parse(row.args, o, link, err) == sms::sim::CliResult::error);
    CHECK(err == row.error);
  }
  sms::sim::Options o;
  std::string link, err;
  CHECK(parse({"--help"}, o, link, err) == sms::sim::CliResult::help);
  CHECK(sms::sim::cli_help().find("--vanish-after") != std::string::npos);
}
