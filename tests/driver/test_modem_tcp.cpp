// tcp://host:port (ser2net): the same modem behind a TCP relay.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <thread>

#include "tests/driver/sim_harness.hpp"

using namespace sms::modem;
using namespace sms::modem::test;
namespace asio = boost::asio;

namespace {
// Accepts one connection and copies bytes between it and the pty, as ser2net
// does between a socket and a serial port. Blocking I/O on its own thread.
class Relay {
 public:
  explicit Relay(const std::string& pty) : acceptor_(io_, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this, pty] { run(pty); });
  }
  ~Relay() {
    stop_ = true;
    boost::system::error_code ec;
    acceptor_.close(ec);
    thread_.join();
  }
  unsigned short port() const { return port_; }

 private:
  void run(const std::string& pty) {
    boost::system::error_code ec;
    asio::ip::tcp::socket sock(io_);
    acceptor_.accept(sock, ec);
    if (ec) return;
    const int fd = ::open(pty.c_str(), O_RDWR | O_NOCTTY);
    if (fd < 0) return;
    const int sfd = sock.native_handle();
    std::array<char, 4096> buf{};
    while (!stop_) {
      pollfd p[2] = {{fd, POLLIN, 0}, {sfd, POLLIN, 0}};
      if (::poll(p, 2, 50) <= 0) continue;
      if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        const auto n = ::read(fd, buf.data(), buf.size());
        if (n <= 0) break;
        asio::write(sock, asio::buffer(buf.data(), static_cast<std::size_t>(n)), ec);
      }
      if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
        const auto n = ::read(sfd, buf.data(), buf.size());
        if (n <= 0) break;
        if (::write(fd, buf.data(), static_cast<std::size_t>(n)) != n) break;
      }
    }
    ::close(fd);
  }
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};
}  // namespace

TEST_CASE("a modem behind tcp:// initialises and sends", "[modem][tcp]") {
  PtySim sim(sms::sim::Options{});
  Relay relay(sim.link);
  Rig rig;
  rig.make_modem(test_config("tcp", "tcp://127.0.0.1:" + std::to_string(relay.port())));
  rig.modem->start();
  REQUIRE(rig.wait_state(State::ready));
  CHECK(rig.modem->info().imsi == "460001234567890");
  auto out = rig.send_text("+15551234567", "over tcp");
  CHECK(out.failure == Failure::none);
  auto subs = sim.sim->submits();
  REQUIRE(subs.size() == 1);
  CHECK(subs[0].message.text == "over tcp");
}
