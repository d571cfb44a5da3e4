// smsctl: the administrator's tool for smserver.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "tools/smsctl/args.hpp"
#include "tools/smsctl/commands.hpp"

namespace {

constexpr const char* kUsage = R"(usage: smsctl [--config FILE] COMMAND [ARGS...]

Queue and inspect messages of a running smserver, and talk to modems directly.

Database commands (find the database through the config file):
  send        queue a message:          smsctl send --to NUMBER[,NUMBER...] [--kind notice|bulk]
              [--at TIME] [--priority N] [--srr] TEXT   (several recipients: one batch)
  in          received messages:        smsctl in --from TIME --to TIME [--unprocessed] [--json|--csv]
  out         sent and queued messages: smsctl out --from TIME --to TIME [--status S] [--json|--csv]
  processed   mark received messages processed:  smsctl processed ID...
  cancel      cancel queued messages:   smsctl cancel ID...
  retry       queue failed/unknown messages again (a partly sent long message: only
              its missing parts): smsctl retry [--whole] ID...
  status      modems and queue depth:   smsctl status [--json]
  stats       counts and success rate:  smsctl stats [--from T --to T] [--by day|modem] [--json]

The sending policy (<policy> in the config):
  whitelist, blacklist, optout
              number lists:             smsctl whitelist add|remove NUMBER... | list | import FILE
  pending     what waits for approval:  smsctl pending [--json]
  approve     approve waiting messages: smsctl approve ID...|--batch B [--note TEXT]
  reject      reject waiting messages:  smsctl reject ID...|--batch B --note TEXT
  audit       the audit log:            smsctl audit [--from T --to T] [--actor A] [--action X] [--json|--csv]
  why         a message's state and history: smsctl why ID
  policy      what the policy would do: smsctl policy check --to NUMBER [--kind K] [--at TIME] TEXT

Without a database:
  modem       talk to a modem directly: smsctl modem info|send|list --port P ...
  pdu         encode or decode PDUs:    smsctl pdu encode|decode ...

Options:
  --config FILE   smserver configuration (default /etc/smserver/smserver.xml,
                  or conf/smserver.xml in a source checkout)
  --utc           read and show times in UTC (also an option of each command)
  --help          this text; "smsctl COMMAND --help" explains a command
  --version       print the version

Times: the database stores UTC; smsctl reads TIME options and shows times in local
time, the config's <smserver timezone> (else the system's), as 'YYYY-MM-DD HH:MM:SS'.
With --utc they are UTC, shown with a trailing Z. --json and --csv keep the database's
UTC text. Changes are recorded in the audit log under your name: the OS user (run as
root through sudo: SUDO_USER).

Exit status: 0 success, 1 the operation failed, 2 bad usage or configuration.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  smsctl::Context ctx;
  std::size_t i = 0;
  // Global options come before the command.
  while (i < words.size() && words[i].rfind("--", 0) == 0) {
    const std::string& w = words[i];
    if (w == "--help" || w == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (w == "--version") {
      std::puts("smsctl " SMSERVER_VERSION);
      return 0;
    }
    if (w == "--config" && i + 1 < words.size()) {
      ctx.config_path = words[i + 1];
      ctx.config_given = true;
      i += 2;
    } else if (w == "--utc") {
      ctx.utc = true;
      i += 1;
    } else if (w.rfind("--config=", 0) == 0) {
      ctx.config_path = w.substr(9);
      ctx.config_given = true;
      i += 1;
    } else {
      std::fprintf(stderr, "smsctl: unknown option '%s' (options go before the command; try --help)\n", w.c_str());
      return 2;
    }
  }
  if (i >= words.size()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string command = words[i];
  const smsctl::Words rest(words.begin() + static_cast<long>(i) + 1, words.end());
  try {
    if (command == "pdu") return smsctl::cmd_pdu(ctx, rest);
    if (command == "modem") return smsctl::cmd_modem(ctx, rest);
    for (const char* db_command : {"send", "in", "out", "processed", "cancel", "retry", "status", "stats"})
      if (command == db_command) return smsctl::cmd_db(ctx, command, rest);
    if (command == "whitelist" || command == "blacklist" || command == "optout")
      return smsctl::cmd_list(ctx, command, rest);
    if (command == "pending") return smsctl::cmd_pending(ctx, rest);
    if (command == "approve" || command == "reject") return smsctl::cmd_approve_reject(ctx, command, rest);
    if (command == "audit") return smsctl::cmd_audit(ctx, rest);
    if (command == "why") return smsctl::cmd_why(ctx, rest);
    if (command == "policy") return smsctl::cmd_policy(ctx, rest);
    if (command == "help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    std::fprintf(stderr, "smsctl: unknown command '%s' (try smsctl --help)\n", command.c_str());
    return 2;
  } catch (const smsctl::UsageError& e) {
    std::fprintf(stderr, "smsctl %s: %s (try smsctl %s --help)\n", command.c_str(), e.what(), command.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "smsctl %s: %s\n", command.c_str(), e.what());
    return 1;
  }
}
