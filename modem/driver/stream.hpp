#pragma once
// The transport seam: a modem port, once open, is just a byte stream.
//
// Serial ports, pseudo-terminals and TCP sockets (ser2net, modem pools)
// implement it; tests plug in a fake. The command engine never learns which
// one it talks to. All calls happen on the owner's executor; each handler is
// invoked through that executor (never inline from the call).
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace sms::modem {

class Stream {
 public:
  using ReadHandler = std::function<void(const boost::system::error_code&, std::size_t)>;
  using WriteHandler = std::function<void(const boost::system::error_code&)>;

  virtual ~Stream() = default;
  // At most one read in flight. The buffer must stay valid until the handler runs.
  virtual void async_read_some(char* data, std::size_t size, ReadHandler handler) = 0;
  // Writes all of [data, data+size). At most one write in flight.
  virtual void async_write(const char* data, std::size_t size, WriteHandler handler) = 0;
  // Cancels pending operations (their handlers run with operation_aborted)
  // and releases the device. Safe to call twice.
  virtual void close() noexcept = 0;
  virtual bool is_open() const = 0;
  // "/dev/ttyUSB0 at 115200 baud", "tcp://10.0.0.5:4001": for log lines.
  virtual std::string describe() const = 0;
};

}  // namespace sms::modem
