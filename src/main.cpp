// smserver: the SMS server daemon.
//   smserver [--config FILE] [--check-config] [-v|--verbose]
// Exit status: 0 after a clean stop (SIGTERM/SIGINT), 1 when the database
// cannot be opened or the server cannot start, 2 for usage or configuration errors.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <malloc.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <string_view>

#include "db/store.hpp"
#include "modem/common/log.hpp"
#include "src/config/config.hpp"
#include "src/server/server.hpp"

namespace {

void usage(std::FILE* out) {
  std::fprintf(out,
               "usage: smserver [--config FILE] [--check-config] [-v|--verbose]\n"
               "       smserver --help | --version\n"
               "\n"
               "  --config FILE   configuration (default %s, else conf/smserver.xml of the source checkout)\n"
               "  --check-config  validate the configuration, print a summary and exit (0 valid, 2 not)\n"
               "  -v, --verbose   log debug messages (overrides <log level>)\n"
               "\n"
               "Signals: SIGTERM/SIGINT stop gracefully; SIGHUP re-reads the configuration.\n",
               std::string(sms::config::kSystemPath).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  // Each worker thread allocates and frees some 100 KB per SQLite commit. With
  // glibc's default trim threshold its arena hands that back to the kernel
  // (madvise) after every message and faults it in again on the next one:
  // two system calls, a TLB shootdown and page faults per message for memory
  // that is needed again a millisecond later. Keep up to 1 MB per arena.
  mallopt(M_TRIM_THRESHOLD, 1 << 20);
  std::string path;
  bool check = false, verbose = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    } else if (a == "--version") {
      std::printf("smserver %s\n", SMSERVER_VERSION);
      return 0;
    } else if (a == "--config" && i + 1 < argc) {
      path = argv[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      path = std::string(a.substr(9));
    } else if (a == "--check-config") {
      check = true;
    } else if (a == "-v" || a == "--verbose") {
      verbose = true;
    } else {
      std::fprintf(stderr, "smserver: unknown option '%s'\n", argv[i]);
      usage(stderr);
      return 2;
    }
  }
  if (path.empty()) path = sms::config::default_path();

  sms::config::Config cfg;
  try {
    cfg = sms::config::load(path);
  } catch (const sms::config::ConfigError& e) {
    std::fprintf(stderr, "smserver: %s\n", e.what());
    return 2;
  }
  if (check) {
    std::printf("%s: valid; database %s; %zu modem(s):", path.c_str(), cfg.database.url.c_str(), cfg.modems.size());
    for (const auto& m : cfg.modems) std::printf(" %s=%s", m.id.c_str(), m.port.c_str());
    std::printf("\n");
    return 0;
  }
  sms::log::set_level(verbose ? sms::log::Level::debug : sms::config::log_level(cfg));
  std::signal(SIGPIPE, SIG_IGN);

  // The signal set exists before any thread starts, so every thread inherits
  // the handlers and the signals reach this io_context.
  boost::asio::io_context main_ioc;
  boost::asio::signal_set signals(main_ioc, SIGTERM, SIGINT, SIGHUP);

  std::unique_ptr<sms::server::Server> server;
  try {
    server = std::make_unique<sms::server::Server>(cfg);
  } catch (const sms::db::StoreError& e) {
    // StoreError names the path and the cause.
    std::fprintf(stderr, "smserver: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "smserver: cannot start: %s\n", e.what());
    return 1;
  }

  std::function<void()> wait_signal = [&] {
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        sms::log::info("server", "SIGHUP: re-reading {}", path);
        try {
          auto next = sms::config::load(path);
          server->reload(next);
          if (verbose) sms::log::set_level(sms::log::Level::debug);
        } catch (const sms::config::ConfigError& e) {
          sms::log::error("server", "new configuration rejected, keeping the running one: {}", e.what());
        }
        wait_signal();
        return;
      }
      sms::log::info("server", "{}: shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
      server->stop(std::chrono::seconds(3));
      main_ioc.stop();
    });
  };
  wait_signal();
  main_ioc.run();
  server.reset();
  return 0;
}
