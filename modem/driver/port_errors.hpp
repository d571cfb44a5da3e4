#pragma once
// Operating-system errors on a modem port, in words a person can act on.
// Pure functions (no I/O) so every branch is tested.
#include <boost/system/error_code.hpp>

#include <string>
#include <string_view>

namespace sms::modem {

// errno from open()/flock()/tcsetattr() on `path`.
//   EACCES -> "permission denied opening /dev/ttyUSB0 (is the user in the 'dialout' group?)"
//   ENOENT -> "no such device /dev/ttyUSB0"
//   EBUSY/EWOULDBLOCK -> "port busy: /dev/ttyUSB0 (another program uses it?)"
std::string describe_open_errno(int err, std::string_view path);

// A read/write error or end of file on an open port. EIO, ENODEV, ENXIO and
// EOF mean the USB device was unplugged or the pty's other side went away.
std::string describe_io_error(const boost::system::error_code& ec, std::string_view port);

// True when the error means the device itself is gone (as opposed to our own
// cancellation): the driver then reports "disconnected" and reopens with backoff.
bool is_vanished(const boost::system::error_code& ec);

}  // namespace sms::modem
