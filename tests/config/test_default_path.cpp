// default_path(): /etc/smserver/smserver.xml first, then conf/smserver.xml of
// the checkout the program sits in, then of the working directory.
#include <catch2/catch.hpp>

#include <filesystem>

#include "src/config/config.hpp"
#include "tests/config/test_util.hpp"

namespace fs = std::filesystem;
using sms::config::default_path;
using sms::config::SearchPlaces;

TEST_CASE("default_path search order", "[config][default_path]") {
  cfgtest::TempDir tmp("default-path");
  const fs::path checkout = tmp.path / "checkout";
  const fs::path example = checkout / "conf" / "smserver.xml";
  cfgtest::write_file(example, "<smserver/>");
  const fs::path system = tmp.path / "etc" / "smserver" / "smserver.xml";
  const fs::path elsewhere = tmp.path / "elsewhere";
  fs::create_directories(elsewhere);

  SearchPlaces places;
  places.system_path = system.string();
  places.exe_path = (checkout / "build" / "src" / "smserver").string();  // need not exist
  places.cwd = elsewhere.string();

  SECTION("no system file: the checkout's example, found from the executable") {
    CHECK(default_path(places) == example.string());
    places.exe_path = (checkout / "build" / "tools" / "smsctl" / "smsctl").string();
    CHECK(default_path(places) == example.string());
    places.exe_path = (checkout / "smserver").string();
    CHECK(default_path(places) == example.string());
  }
  SECTION("the system file wins when it exists") {
    cfgtest::write_file(system, "<smserver/>");
    CHECK(default_path(places) == system.string());
  }
  SECTION("an installed program outside any checkout: the working directory") {
    places.exe_path = (tmp.path / "usr" / "bin" / "smserver").string();
    places.cwd = checkout.string();
    CHECK(default_path(places) == example.string());
  }
  SECTION("a directory named smserver.xml is not a config file") {
    fs::create_directories(system);
    CHECK(default_path(places) == example.string());
  }
  SECTION("nothing found: the system path, so the error names it") {
    places.exe_path = (tmp.path / "usr" / "bin" / "smserver").string();
    CHECK(default_path(places) == system.string());
    places.exe_path.clear();
    places.cwd.clear();
    CHECK(default_path(places) == system.string());
  }
}

TEST_CASE("default_path from this test binary finds the source checkout", "[config][default_path]") {
  const SearchPlaces places = sms::config::default_search_places();
  CHECK_FALSE(places.exe_path.empty());
  CHECK(places.system_path == "/etc/smserver/smserver.xml");
  const std::string found = default_path();
  if (fs::exists("/etc/smserver/smserver.xml")) {
    CHECK(found == "/etc/smserver/smserver.xml");
  } else if (fs::path(places.exe_path).string().rfind(fs::path(SMS_TEST_DATA).parent_path().parent_path().string(), 0) == 0) {
    // Built inside the checkout: walking up reaches <checkout>/conf/smserver.xml.
    CHECK(found == fs::path(SMS_TEST_DATA).parent_path().parent_path().string() + "/conf/smserver.xml");
  }
}
