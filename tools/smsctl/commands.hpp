#pragma once
// smsctl subcommands. Each takes the words after its name and returns the
// process exit status: 0 success, 1 failure of the operation, 2 usage or
// configuration error. Errors go to stderr as one line "smsctl: ...".
#include <string>
#include <vector>

namespace smsctl {

struct Context {
  std::string config_path;   // --config FILE, or "" for the default lookup
  bool config_given = false;
  bool utc = false;          // global --utc: read and show times in UTC
};

using Words = std::vector<std::string>;

int cmd_pdu(const Context& ctx, const Words& args);     // tools/smsctl/cmd_pdu.cpp
int cmd_modem(const Context& ctx, const Words& args);   // tools/smsctl/cmd_modem.cpp
// Database commands (tools/smsctl/cmd_db.cpp): send, in, out, processed,
// cancel, retry, status, stats.
int cmd_db(const Context& ctx, const std::string& name, const Words& args);
// The sending policy's commands:
//   whitelist, blacklist, optout        tools/smsctl/cmd_lists.cpp
//   pending, approve, reject            tools/smsctl/cmd_approval.cpp
//   audit, why                          tools/smsctl/cmd_audit.cpp
//   policy (check)                      tools/smsctl/cmd_policy.cpp
int cmd_list(const Context& ctx, const std::string& list, const Words& args);
int cmd_pending(const Context& ctx, const Words& args);
int cmd_approve_reject(const Context& ctx, const std::string& name, const Words& args);
int cmd_audit(const Context& ctx, const Words& args);
int cmd_why(const Context& ctx, const Words& args);
int cmd_policy(const Context& ctx, const Words& args);

}  // namespace smsctl
