// PtyModem: the real pseudo-terminal, the control socket, vanish and return,
// the submit log file. Timeouts here are hang guards only.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include "tests/modemsim/sim_rig.hpp"
#include "modem/sim/pty_modem.hpp"

namespace {

constexpr int kGuardMs = 10000;

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/modemsim-test-XXXXXX";
    const char* p = ::mkdtemp(tmpl);
    REQUIRE(p != nullptr);
    path = p;
  }
  ~TempDir() {
    const std::string cmd = "rm -rf '" + path + "'";
    [[maybe_unused]] int rc = std::system(cmd.c_str());
  }
  std::string path;
};

// Reads from fd until `needle` was seen (returns everything read) or the guard expires.
std::string read_until(int fd, const std::string& needle) {
  std::string got;
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(kGuardMs);
  while (got.find(needle) == std::string::npos && std::chrono::steady_clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[512];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

void write_all(int fd, const std::string& s) {
  REQUIRE(::write(fd, s.data(), s.size()) == static_cast<ssize_t>(s.size()));
}

bool exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

// Waits until exists(p) == want.
bool wait_exists(const std::string& p, bool want) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(kGuardMs);
  while (exists(p) != want) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace

TEST_CASE("the pty answers AT with OK through its symlink", "[pty]") {
  TempDir dir;
  const std::string link = dir.path + "/modem";
  sms::sim::PtyModem p(simtest::base_options(), link);
  p.start();
  CHECK(p.pty_path().rfind("/dev/pts/", 0) == 0);
  const int fd = ::open(link.c_str(), O_RDWR | O_NOCTTY);
  REQUIRE(fd >= 0);
  write_all(fd, "AT\r");
  CHECK(read_until(fd, "OK\r\n") == "AT\r\r\nOK\r\n");
  ::close(fd);
  p.stop();
  CHECK_FALSE(exists(link));
}

TEST_CASE("a stale symlink is replaced, a regular file is not", "[pty]") {
  TempDir dir;
  const std::string link = dir.path + "/modem";
  REQUIRE(::symlink("/dev/pts/does-not-exist", link.c_str()) == 0);
  {
    sms::sim::PtyModem p(simtest::base_options(), link);
    p.start();
    CHECK(exists(link));
  }
  const std::string file = dir.path + "/file";
  std::ofstream(file) << "x";
  sms::sim::PtyModem q(simtest::base_options(), file);
  CHECK_THROWS_WITH(q.start(), Catch::Contains("is not a symlink"));
}

TEST_CASE("control socket, submit log, vanish and return", "[pty]") {
  TempDir dir;
  auto o = simtest::base_options();
  o.control_path = dir.path + "/ctl";
  o.log_path = dir.path + "/submits.jsonl";
  const std::string link = dir.path + "/modem";
  sms::sim::PtyModem p(o, link);
  p.start();

  int fd = ::open(link.c_str(), O_RDWR | O_NOCTTY);
  REQUIRE(fd >= 0);
  write_all(fd, "ATE0\r");
  REQUIRE(read_until(fd, "OK\r\n") == "ATE0\r\r\nOK\r\n");
  write_all(fd, "AT+CNMI=2,1,0,0,0\r");
  REQUIRE(read_until(fd, "OK\r\n") == "\r\nOK\r\n");

  // Control over the Unix socket.
  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(s >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, o.control_path.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  write_all(s, "ping\ndeliver +15551234 hi there\n");
  CHECK(read_until(s, "indexes=1\n") == "ok pong\nok parts=1 indexes=1\n");
  CHECK(read_until(fd, "\r\n+CMTI: \"SM\",1\r\n") == "\r\n+CMTI: \"SM\",1\r\n");

  // A submit lands in the log, flushed by the time +CMGS is seen.
  write_all(fd, "AT+CMGS=23\r");
  REQUIRE(read_until(fd, "> ") == "\r\n> ");
  write_all(fd, std::string(simtest::kHelloPdu) + "\x1a");
  REQUIRE(read_until(fd, "OK\r\n") == "\r\n+CMGS: 1\r\n\r\nOK\r\n");
  std::ifstream log(o.log_path);
  std::string line;
  REQUIRE(std::getline(log, line));
  CHECK(line.find("\"mr\":1,\"number\":\"+46708251358\"") != std::string::npos);
  CHECK(line.find("\"text\":\"hellohello\"") != std::string::npos);

  // Vanish: the port dies, the path goes, then a new pty comes back there.
  write_all(s, "vanish 300\n");
  CHECK(read_until(s, "ok\n") == "ok\n");
  CHECK(wait_exists(link, false));
  char buf[64];
  pollfd pf{fd, POLLIN, 0};
  REQUIRE(::poll(&pf, 1, kGuardMs) == 1);
  CHECK(::read(fd, buf, sizeof buf) <= 0);  // EIO / end of file: the device is gone
  ::close(fd);
  CHECK(wait_exists(link, true));
  fd = ::open(link.c_str(), O_RDWR | O_NOCTTY);
  REQUIRE(fd >= 0);
  write_all(fd, "AT\r");
  CHECK(read_until(fd, "OK\r\n") == "AT\r\r\nOK\r\n");  // rebooted: echo on again
  ::close(fd);
  ::close(s);
  CHECK(p.stats_json().find("\"vanishes\":1") != std::string::npos);
  CHECK(p.submits().size() == 1);
  p.stop();
  CHECK_FALSE(exists(o.control_path));
}

TEST_CASE("in-process API: deliver and control from another thread", "[pty]") {
  TempDir dir;
  const std::string link = dir.path + "/modem";
  sms::sim::PtyModem p(simtest::base_options(), link);
  p.start();
  const int fd = ::open(link.c_str(), O_RDWR | O_NOCTTY);
  REQUIRE(fd >= 0);
  write_all(fd, "ATE0;+CNMI=2,2,0,0,0\r");
  REQUIRE(read_until(fd, "OK\r\n") == "ATE0;+CNMI=2,2,0,0,0\r\r\nOK\r\n");
  auto d = p.deliver("+15551234", "direct");
  REQUIRE(d.ok());
  CHECK(d->direct);
  CHECK(read_until(fd, "+CMT: ,").find("\r\n+CMT: ,") == 0);
  CHECK(p.control("ping") == "ok pong");
  ::close(fd);
}

TEST_CASE("stop() returns with a submit waiting for the network, while vanished, from two threads", "[pty]") {
  // smserver's graceful shutdown waits for stop(): the poll loop must not wait
  // out a pending timer. The future's timeout is a hang guard only.
  auto stops_within_guard = [](sms::sim::PtyModem& p) {
    auto f = std::async(std::launch::async, [&p] { p.stop(); });
    return f.wait_for(std::chrono::milliseconds(kGuardMs)) == std::future_status::ready;
  };
  TempDir dir;
  const std::string link = dir.path + "/modem";
  auto o = simtest::base_options();
  o.submit_delay_ms = 600000;
  {
    sms::sim::PtyModem p(o, link);
    p.start();
    const int fd = ::open(link.c_str(), O_RDWR | O_NOCTTY);
    REQUIRE(fd >= 0);
    write_all(fd, "ATE0\r");
    REQUIRE(read_until(fd, "OK\r\n") == "ATE0\r\r\nOK\r\n");
    write_all(fd, "AT+CMGS=" + std::to_string(simtest::kHelloLen) + "\r");
    REQUIRE(read_until(fd, "> ") == "\r\n> ");
    write_all(fd, std::string(simtest::kHelloPdu) + "\x1a");
    CHECK(stops_within_guard(p));
    CHECK_FALSE(exists(link));
    ::close(fd);
  }
  {
    sms::sim::PtyModem p(o, link);
    p.start();
    p.vanish(600000);
    REQUIRE(wait_exists(link, false));
    CHECK(stops_within_guard(p));
  }
  {
    sms::sim::PtyModem p(o, link);
    p.start();
    auto other = std::async(std::launch::async, [&p] { p.stop(); });
    CHECK(stops_within_guard(p));
    CHECK(other.wait_for(std::chrono::milliseconds(kGuardMs)) == std::future_status::ready);
  }
}

TEST_CASE("vanish after N submits lets the host read the last answer first", "[pty]") {
  TempDir dir;
  auto o = simtest::base_options();
  o.vanish_after = 1;
  o.vanish_ms = 200;
  const std::string link = dir.path + "/modem";
  sms::sim::PtyModem p(o, link);
  p.start();
  const int fd = ::open(link.c_str(), O_RDWR | O_NOCTTY);
  REQUIRE(fd >= 0);
  write_all(fd, "ATE0\r");
  REQUIRE(read_until(fd, "OK\r\n") == "ATE0\r\r\nOK\r\n");
  write_all(fd, "AT+CMGS=23\r" + std::string(simtest::kHelloPdu) + "\x1a");
  // A slow reader: the answer is still there (the simulator waits up to 2 s).
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(read_until(fd, "OK\r\n") == "\r\n> \r\n+CMGS: 1\r\n\r\nOK\r\n");
  CHECK(wait_exists(link, false));
  ::close(fd);
  CHECK(wait_exists(link, true));
}
