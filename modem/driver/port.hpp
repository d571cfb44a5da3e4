#pragma once
// Opening a modem port: a serial device (or pty) or "tcp://host:port".
#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "modem/common/result.hpp"
#include "modem/driver/stream.hpp"

namespace sms::modem {

struct PortSettings {
  std::string port;      // "/dev/ttyUSB0", a /dev/serial/by-id symlink, a pty path, "tcp://host:port"
  unsigned baud = 115200;
  bool rtscts = false;   // hardware flow control (Siemens TC35 needs it)
  std::chrono::milliseconds connect_timeout{10000};  // TCP only
};

bool is_tcp_port(const std::string& port);

// Supported serial speeds (termios has no arbitrary rates without termios2).
bool is_supported_baud(unsigned baud);

// Opens a serial device synchronously (open() on a tty does not block with
// O_NONBLOCK): 8N1, raw mode, the baud rate, optional RTS/CTS. Takes an
// exclusive flock() and TIOCEXCL so two programs never share one modem.
Result<std::unique_ptr<Stream>> open_serial(boost::asio::any_io_executor ex, const PortSettings& s);

// Opens either kind. TCP resolves and connects asynchronously with a timeout
// and sets TCP_NODELAY (each AT command is a small packet that must go now).
// `done` is invoked through `ex`.
using OpenHandler = std::function<void(Result<std::unique_ptr<Stream>>)>;
void async_open_port(boost::asio::any_io_executor ex, const PortSettings& s, OpenHandler done);

}  // namespace sms::modem
