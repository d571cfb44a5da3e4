// Placeholder until the modem subcommand lands.
#include <cstdio>

#include "tools/smsctl/commands.hpp"

namespace smsctl {
int cmd_modem(const Context&, const Words&) {
  std::fputs("smsctl modem: not built yet\n", stderr);
  return 1;
}
}  // namespace smsctl
