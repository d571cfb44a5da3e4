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

#include <smserver/smserver.hpp>

#include "db/store.hpp"
#include "src/config/config.hpp"
#include "src/dispatch/inbound.hpp"
#include "src/dispatch/spawner.hpp"
#include "src/server/server.hpp"

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
  r.truncated = true;
  auto env = sms::dispatch::receive_environment(r);
  const std::vector<std::string> want{"SMS_ID=7", "SMS_SENDER=+8613912345678", "SMS_TEXT=您好 $(rm -rf /)",
                                      "SMS_RECEIVED_AT=2026-11-23 12:00:00", "SMS_MODEM=m1", "SMS_PARTS=2",
                                      "SMS_PARTIAL=1", "SMS_TRUNCATED=1"};
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

// ---- config -> workers: a whole server in-process on the bundled simulator ----

TEST_CASE("a configured server sends through its simulated modem; reload applies only what is safe") {
  auto dir = fs::temp_directory_path() / ("smserver-test-wiring-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "sms.db").string();
  const std::string xml = "<smserver>\n  <database url=\"" + db +
                          "\"/>\n  <modem id=\"a\" port=\"sim\"/>\n  <modem id=\"b\" port=\"sim\"/>\n"
                          "  <dispatch maxParts=\"2\"/>\n</smserver>\n";
  auto cfg = sms::config::load_string(xml, (dir / "smserver.xml").string());
  REQUIRE(cfg.modems.size() == 2);

  sms::server::Server server(cfg);
  CHECK_FALSE(server.simulator_port("a").empty());
  CHECK(server.simulator_port("a") != server.simulator_port("b"));
  CHECK(server.simulator_port("nope").empty());

  auto dbh = smserver::Database::open(db);
  const auto ok = dbh.enqueue("+8613800138000", "wired");
  const auto too_long = dbh.enqueue("10086", std::string(400, 'x'));  // 3 parts > maxParts 2
  std::string st_ok, st_long;
  for (int i = 0; i < 600; ++i) {  // hang guard only
    st_ok = dbh.get_out_message(ok)->status;
    st_long = dbh.get_out_message(too_long)->status;
    if (st_ok == "sent" && st_long == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(st_ok == "sent");
  CHECK(st_long == "failed");
  CHECK_THAT(dbh.get_out_message(too_long)->last_error, Catch::Contains("limit is 2"));

  // SIGHUP path: dispatch applies live, a modem change needs a restart.
  auto next = cfg;
  next.dispatch.max_parts = 5;
  next.modems[0].baud = 9600;
  auto not_applied = server.reload(next);
  REQUIRE(not_applied.size() == 1);
  CHECK_THAT(not_applied[0], Catch::Contains("baudRate"));
  CHECK(server.config().dispatch.max_parts == 5);
  const auto now_fits = dbh.enqueue("10086", std::string(400, 'x'));
  for (int i = 0; i < 600 && dbh.get_out_message(now_fits)->status != "sent"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(dbh.get_out_message(now_fits)->status == "sent");

  server.stop();
  server.stop();  // idempotent
  auto modems = sms::db::Store::open(db).modems();
  REQUIRE(modems.size() == 2);
  CHECK(modems[0].state == "stopped");
  CHECK(modems[0].sent + modems[1].sent == 2);

  // The library shows a received message the modem cut short as such.
  {
    auto store = sms::db::Store::open(db);
    sms::db::InboundPart p;
    p.modem = "a";
    p.sender = "+31641600986";
    p.text = "How are ";
    p.received_at = "2026-12-03 08:00:00";
    p.pdu = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741";
    p.truncated = true;
    store.store_inbound(p);
  }
  auto in = dbh.find_in_messages("2026-12-03 00:00:00", "2026-12-04 00:00:00");
  REQUIRE(in.size() == 1);
  CHECK(in[0].truncated);
  CHECK_FALSE(in[0].partial);
  fs::remove_all(dir);
}
