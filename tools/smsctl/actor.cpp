#include "tools/smsctl/actor.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

namespace smsctl {

namespace {

bool plausible_user(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (unsigned char c : name)
    if (c <= 0x20 || c == 0x7F) return false;
  return true;
}

std::string passwd_name(unsigned uid) {
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buf(size > 0 ? static_cast<std::size_t>(size) : 16384);
  passwd pw{};
  passwd* found = nullptr;
  if (getpwuid_r(static_cast<uid_t>(uid), &pw, buf.data(), buf.size(), &found) != 0 || !found || !pw.pw_name)
    return {};
  return pw.pw_name;
}

}  // namespace

std::string actor_for(unsigned euid, const char* sudo_user, const std::function<std::string(unsigned)>& user_name) {
  if (euid == 0 && sudo_user && plausible_user(sudo_user)) return sudo_user;
  std::string name = user_name ? user_name(euid) : std::string();
  if (name.empty()) return "uid:" + std::to_string(euid);
  return name;
}

std::string current_actor() { return actor_for(geteuid(), std::getenv("SUDO_USER"), passwd_name); }

}  // namespace smsctl
