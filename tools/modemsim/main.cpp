// modemsim: a simulated GSM modem on a pseudo-terminal. See README.md.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>

#include "modem/sim/pty_modem.hpp"
#include "tools/modemsim/cli.hpp"

int main(int argc, char** argv) {
  std::string link;
  sms::sim::Options opt;
  std::string err;
  const auto parsed = sms::sim::parse_cli(argc, argv, opt, link, err);
  if (parsed == sms::sim::CliResult::help) {
    std::fputs(sms::sim::cli_help().c_str(), stdout);
    return 0;
  }
  if (parsed == sms::sim::CliResult::error) {
    std::fprintf(stderr, "modemsim: %s\n(try modemsim --help)\n", err.c_str());
    return 2;
  }
  // Block the stop signals before the simulator thread exists so only
  // sigwait() below sees them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  sms::sim::PtyModem modem(opt, link);
  try {
    modem.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "modemsim: %s\n", e.what());
    return 1;
  }
  std::printf("%s\n", modem.pty_path().c_str());
  std::fflush(stdout);
  if (opt.trace)
    std::fprintf(stderr, "modemsim: %s dialect at %s -> %s\n", std::string(sms::sim::to_string(opt.dialect)).c_str(),
                 link.c_str(), modem.pty_path().c_str());
  int sig = 0;
  sigwait(&set, &sig);
  modem.stop();
  return 0;
}
