// Serial devices and pseudo-terminals as a Stream.
#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/write.hpp>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "modem/driver/port.hpp"
#include "modem/driver/port_errors.hpp"

namespace sms::modem {
namespace {

struct BaudEntry {
  unsigned rate;
  speed_t code;
};
constexpr BaudEntry kBauds[] = {
    {1200, B1200},       {2400, B2400},       {4800, B4800},       {9600, B9600},       {19200, B19200},
    {38400, B38400},     {57600, B57600},     {115200, B115200},   {230400, B230400},   {460800, B460800},
    {500000, B500000},   {576000, B576000},   {921600, B921600},   {1000000, B1000000}, {1152000, B1152000},
    {1500000, B1500000}, {2000000, B2000000}, {3000000, B3000000}, {4000000, B4000000},
};

// Unix98 pty slaves (/dev/pts/N) have majors 136..143 (Documentation/admin-guide/devices.txt).
bool is_pty_slave(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  const unsigned maj = major(st.st_rdev);
  return S_ISCHR(st.st_mode) && maj >= 136 && maj <= 143;
}

class SerialStream final : public Stream {
 public:
  SerialStream(boost::asio::any_io_executor ex, int fd, bool exclusive, std::string description)
      : sd_(ex, fd), exclusive_(exclusive), description_(std::move(description)) {}
  ~SerialStream() override { close(); }

  void async_read_some(char* data, std::size_t size, ReadHandler handler) override {
    sd_.async_read_some(boost::asio::buffer(data, size), std::move(handler));
  }
  void async_write(const char* data, std::size_t size, WriteHandler handler) override {
    boost::asio::async_write(sd_, boost::asio::buffer(data, size),
                             [h = std::move(handler)](const boost::system::error_code& ec, std::size_t) { h(ec); });
  }
  void close() noexcept override {
    if (!sd_.is_open()) return;
    boost::system::error_code ignored;
    sd_.cancel(ignored);
    // TIOCEXCL outlives our descriptor on a tty that someone else keeps open
    // (a pty held by the simulator): clear it so the next program can open.
    if (exclusive_) ::ioctl(sd_.native_handle(), TIOCNXCL);
    sd_.close(ignored);  // also releases the flock()
  }
  bool is_open() const override { return sd_.is_open(); }
  std::string describe() const override { return description_; }

 private:
  boost::asio::posix::stream_descriptor sd_;
  bool exclusive_;
  std::string description_;
};

Result<int> configure(int fd, const PortSettings& s) {
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) return make_error(describe_open_errno(errno, s.port));
  ::cfmakeraw(&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB | CSIZE);
  tio.c_cflag |= CS8;  // 8N1
  if (s.rtscts)
    tio.c_cflag |= CRTSCTS;
  else
    tio.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS);
  tio.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);  // PDUs are hex, but never XON/XOFF a modem
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  speed_t code = B115200;
  for (const auto& b : kBauds)
    if (b.rate == s.baud) code = b.code;
  ::cfsetispeed(&tio, code);
  ::cfsetospeed(&tio, code);
  if (::tcsetattr(fd, TCSANOW, &tio) != 0) return make_error(describe_open_errno(errno, s.port));
  // Whatever the kernel buffered before we opened belongs to somebody else.
  ::tcflush(fd, TCIOFLUSH);
  return fd;
}

}  // namespace

bool is_supported_baud(unsigned baud) {
  for (const auto& b : kBauds)
    if (b.rate == baud) return true;
  return false;
}

Result<std::unique_ptr<Stream>> open_serial(boost::asio::any_io_executor ex, const PortSettings& s) {
  if (!is_supported_baud(s.baud))
    return make_error(fmt::format("unsupported baud rate {} for {} (use 9600, 19200, 38400, 57600, 115200, 230400, "
                                  "460800 or 921600)",
                                  s.baud, s.port));
  const int fd = ::open(s.port.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return make_error(describe_open_errno(errno, s.port));
  auto fail = [&](int err) -> Result<std::unique_ptr<Stream>> {
    ::close(fd);
    return make_error(describe_open_errno(err, s.port));
  };
  if (!::isatty(fd)) return fail(ENOTTY);
  // Advisory lock shared with other smserver/smsctl processes (and minicom
  // with lockf-style tools that also flock): never two drivers on one modem.
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) return fail(errno == EWOULDBLOCK ? EBUSY : errno);
  // TIOCEXCL makes further open()s fail with EBUSY (root is exempt). Not on
  // pty slaves: the simulator keeps the slave open, so a flag left by a
  // crashed process would lock the pty for good.
  bool exclusive = false;
  if (!is_pty_slave(fd)) exclusive = ::ioctl(fd, TIOCEXCL) == 0;
  auto configured = configure(fd, s);
  if (!configured) {
    if (exclusive) ::ioctl(fd, TIOCNXCL);
    ::close(fd);
    return make_error(configured.error());
  }
  std::unique_ptr<Stream> stream =
      std::make_unique<SerialStream>(ex, fd, exclusive, fmt::format("{} at {} baud", s.port, s.baud));
  return stream;
}

}  // namespace sms::modem
