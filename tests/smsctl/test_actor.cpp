// The actor smsctl records: the OS user, or SUDO_USER only when running as root.
#include <catch2/catch.hpp>
#include <unistd.h>

#include "tools/smsctl/actor.hpp"

using smsctl::actor_for;

namespace {
std::string names(unsigned uid) {
  if (uid == 0) return "root";
  if (uid == 1000) return "alice";
  return "";
}
}  // namespace

TEST_CASE("actor: the OS user of the effective uid") {
  CHECK(actor_for(1000, nullptr, names) == "alice");
  CHECK(actor_for(0, nullptr, names) == "root");
  CHECK(actor_for(4242, nullptr, names) == "uid:4242");
}

TEST_CASE("actor: SUDO_USER is trusted only as root") {
  CHECK(actor_for(0, "bob", names) == "bob");
  CHECK(actor_for(1000, "bob", names) == "alice");   // anyone can set the variable
  CHECK(actor_for(0, "", names) == "root");
  CHECK(actor_for(0, "bad name", names) == "root");
  CHECK(actor_for(0, "x\n", names) == "root");
  CHECK(actor_for(0, std::string(65, 'a').c_str(), names) == "root");
}

TEST_CASE("actor: this process has one") {
  const std::string me = smsctl::current_actor();
  CHECK_FALSE(me.empty());
}
