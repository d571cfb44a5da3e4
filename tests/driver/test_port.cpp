// Port opening and OS errors in words a person can act on.
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "modem/driver/port.hpp"
#include "modem/driver/port_errors.hpp"

using namespace sms::modem;

TEST_CASE("open errors name the device and what to do", "[port]") {
  struct Row {
    int err;
    const char* must_contain;
  };
  const Row rows[] = {
      {EACCES, "permission denied opening /dev/ttyUSB0 (is the user in the 'dialout' group?)"},
      {EPERM, "dialout"},
      {ENOENT, "no such device /dev/ttyUSB0"},
      {ENODEV, "unplugged"},
      {ENXIO, "unplugged"},
      {EBUSY, "port busy: /dev/ttyUSB0 (another program uses it?"},
      {EWOULDBLOCK, "port busy"},
      {ENOTTY, "not a serial port"},
      {EIO, "vanished"},
      {EMFILE, "cannot open /dev/ttyUSB0"},
  };
  for (const auto& r : rows) {
    INFO("errno " << r.err);
    CHECK_THAT(describe_open_errno(r.err, "/dev/ttyUSB0"), Catch::Contains(r.must_contain));
  }
}

TEST_CASE("read/write errors: which ones mean the device is gone", "[port]") {
  using boost::system::error_code;
  using boost::system::system_category;
  CHECK(is_vanished(boost::asio::error::eof));
  CHECK(is_vanished(error_code(EIO, system_category())));
  CHECK(is_vanished(error_code(ENODEV, system_category())));
  CHECK(is_vanished(error_code(ECONNRESET, system_category())));
  CHECK_FALSE(is_vanished(error_code()));
  CHECK_FALSE(is_vanished(boost::asio::error::operation_aborted));
  CHECK_THAT(describe_io_error(error_code(EIO, system_category()), "/dev/ttyUSB0"),
             Catch::Contains("device vanished: /dev/ttyUSB0"));
  CHECK_THAT(describe_io_error(boost::asio::error::eof, "/dev/pts/3"), Catch::Contains("device vanished"));
  CHECK_THAT(describe_io_error(error_code(ECONNRESET, system_category()), "tcp://h:1"),
             Catch::Contains("connection to tcp://h:1 lost"));
}

TEST_CASE("opening serial ports", "[port]") {
  boost::asio::io_context io;
  PortSettings s;

  SECTION("a missing device") {
    s.port = "/dev/ttyDOESNOTEXIST9";
    auto r = open_serial(io.get_executor(), s);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::Contains("no such device /dev/ttyDOESNOTEXIST9"));
  }
  SECTION("a regular file is not a serial port") {
    char path[] = "/tmp/sms-port-XXXXXX";
    const int fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    ::close(fd);
    s.port = path;
    auto r = open_serial(io.get_executor(), s);
    ::unlink(path);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::Contains("is not a serial port"));
  }
  SECTION("an unsupported baud rate") {
    s.port = "/dev/ttyUSB0";
    s.baud = 12345;
    auto r = open_serial(io.get_executor(), s);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::Contains("unsupported baud rate 12345"));
  }
  SECTION("a pty opens; a second open of the same port is refused as busy") {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(::grantpt(master) == 0);
    REQUIRE(::unlockpt(master) == 0);
    s.port = ::ptsname(master);
    auto first = open_serial(io.get_executor(), s);
    REQUIRE(first.ok());
    CHECK_THAT((*first)->describe(), Catch::Contains("at 115200 baud"));
    auto second = open_serial(io.get_executor(), s);
    REQUIRE_FALSE(second.ok());
    CHECK_THAT(second.error(), Catch::Contains("port busy"));
    (*first)->close();
    auto third = open_serial(io.get_executor(), s);  // the lock went with the first descriptor
    CHECK(third.ok());
    ::close(master);
  }
}

TEST_CASE("TCP port syntax errors say what form is expected", "[port]") {
  boost::asio::io_context io;
  const char* bad[] = {"tcp://nohostport", "tcp://host:", "tcp://host:99999", "tcp://:4001", "tcp://[::1"};
  for (const char* p : bad) {
    INFO(p);
    std::string error;
    PortSettings s;
    s.port = p;
    async_open_port(io.get_executor(), s, [&](sms::Result<std::unique_ptr<Stream>> r) {
      REQUIRE_FALSE(r.ok());
      error = r.error();
    });
    io.restart();
    io.run();
    CHECK_THAT(error, Catch::Contains("bad TCP port"));
  }
}

TEST_CASE("TCP: a refused connection is reported", "[port]") {
  boost::asio::io_context io;
  PortSettings s;
  s.port = "tcp://127.0.0.1:1";  // nothing listens on port 1
  std::string error;
  async_open_port(io.get_executor(), s, [&](sms::Result<std::unique_ptr<Stream>> r) {
    REQUIRE_FALSE(r.ok());
    error = r.error();
  });
  io.run();
  CHECK_THAT(error, Catch::Contains("cannot connect to tcp://127.0.0.1:1"));
}
