// Placeholder until the pdu subcommand lands.
#include <cstdio>

#include "tools/smsctl/commands.hpp"

namespace smsctl {
int cmd_pdu(const Context&, const Words&) {
  std::fputs("smsctl pdu: not built yet\n", stderr);
  return 1;
}
}  // namespace smsctl
