// runOnReceive wiring: environment from an inbox row, and the spawner runs the
// program without a shell (text with shell syntax stays inert data).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "src/dispatch/inbound.hpp"
#include "src/dispatch/spawner.hpp"

namespace fs = std::filesystem;

TEST_CASE("runOnReceive environment names every field") {
  sms::db::InRow r;
  r.id = 7;
  r.sender = "+8613912345678";
  r.text = "您好 $(rm -rf /)";
  r.received_at = "2026-11-23 12:00:00";
  r.modem = "m1";
  r.parts = 2;
  r.partial = true;
  auto env = sms::dispatch::receive_environment(r);
  const std::vector<std::string> want{"SMS_ID=7", "SMS_SENDER=+8613912345678", "SMS_TEXT=您好 $(rm -rf /)",
                                      "SMS_RECEIVED_AT=2026-11-23 12:00:00", "SMS_MODEM=m1", "SMS_PARTS=2",
                                      "SMS_PARTIAL=1"};
  CHECK(env == want);
}

TEST_CASE("spawner runs the program with the variables and no shell") {
  auto dir = fs::temp_directory_path() / ("smserver-test-spawn-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto script = dir / "hook.sh";
  auto out = dir / "out.txt";
  {
    std::ofstream s(script);
    // The hook itself is a shell script (the administrator's choice); the text
    // reaches it only as data in SMS_TEXT.
    s << "#!/bin/sh\nprintf '%s|%s' \"$SMS_ID\" \"$SMS_TEXT\" > \"" << out.string() << "\"\n";
  }
  fs::permissions(script, fs::perms::owner_all);
  sms::dispatch::Spawner sp;
  std::string err;
  pid_t pid = sp.spawn(script.string(), {"SMS_ID=5", "SMS_TEXT=a; touch " + (dir / "pwned").string()}, &err);
  REQUIRE(pid > 0);
  for (int i = 0; i < 500 && sp.reap() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(sp.running() == 0);
  std::ifstream in(out);
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(ss.str() == "5|a; touch " + (dir / "pwned").string());
  CHECK_FALSE(fs::exists(dir / "pwned"));

  CHECK(sp.spawn((dir / "missing").string(), {}, &err) == -1);
  CHECK_THAT(err, Catch::Contains("missing"));
  fs::remove_all(dir);
}
