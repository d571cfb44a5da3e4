// Placeholder until the database subcommands land.
#include <cstdio>

#include "tools/smsctl/commands.hpp"

namespace smsctl {
int cmd_db(const Context&, const std::string& name, const Words&) {
  std::fprintf(stderr, "smsctl %s: not built yet\n", name.c_str());
  return 1;
}
}  // namespace smsctl
