#include "modem/driver/port_errors.hpp"

#include <boost/asio/error.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace sms::modem {

std::string describe_open_errno(int err, std::string_view path) {
  switch (err) {
    case EACCES:
    case EPERM:
      return fmt::format("permission denied opening {} (is the user in the 'dialout' group?)", path);
    case ENOENT:
      return fmt::format("no such device {} (unplugged, or a wrong path? see ls /dev/serial/by-id/)", path);
    case ENXIO:
    case ENODEV:
      return fmt::format("device {} is not there (no such device or address: unplugged?)", path);
    case EBUSY:
    case EWOULDBLOCK:
      return fmt::format("port busy: {} (another program uses it? e.g. ModemManager, minicom, or a second smserver)",
                         path);
    case ENOTTY:
      return fmt::format("{} is not a serial port (not a terminal device)", path);
    case EISDIR:
      return fmt::format("{} is a directory, not a serial port", path);
    case EIO:
      return fmt::format("input/output error opening {} (device vanished?)", path);
    default:
      return fmt::format("cannot open {}: {}", path, std::strerror(err));
  }
}

bool is_vanished(const boost::system::error_code& ec) {
  if (!ec) return false;
  if (ec == boost::asio::error::eof) return true;
  if (ec.category() == boost::system::system_category()) {
    switch (ec.value()) {
      case EIO:
      case ENODEV:
      case ENXIO:
      case EBADF:
      case ECONNRESET:
      case EPIPE:
      case ECONNABORTED:
      case ETIMEDOUT:
      case EHOSTUNREACH:
      case ENETUNREACH:
        return true;
      default:
        return false;
    }
  }
  return false;
}

std::string describe_io_error(const boost::system::error_code& ec, std::string_view port) {
  if (ec == boost::asio::error::eof) return fmt::format("device vanished: {} closed (end of file)", port);
  if (ec.category() == boost::system::system_category()) {
    switch (ec.value()) {
      case EIO:
      case ENODEV:
      case ENXIO:
        return fmt::format("device vanished: {} ({}; USB unplugged?)", port, ec.message());
      case ECONNRESET:
      case EPIPE:
      case ECONNABORTED:
        return fmt::format("connection to {} lost ({})", port, ec.message());
      default:
        break;
    }
  }
  return fmt::format("i/o error on {}: {}", port, ec.message());
}

}  // namespace sms::modem
