// Raw TCP ports ("tcp://host:port"), as ser2net and networked modem pools expose them.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include <charconv>
#include <utility>

#include "modem/driver/port.hpp"
#include "modem/driver/port_errors.hpp"

namespace sms::modem {
namespace {

using boost::asio::ip::tcp;

class TcpStream final : public Stream {
 public:
  TcpStream(tcp::socket socket, std::string description)
      : socket_(std::move(socket)), description_(std::move(description)) {}
  ~TcpStream() override { close(); }

  void async_read_some(char* data, std::size_t size, ReadHandler handler) override {
    socket_.async_read_some(boost::asio::buffer(data, size), std::move(handler));
  }
  void async_write(const char* data, std::size_t size, WriteHandler handler) override {
    boost::asio::async_write(socket_, boost::asio::buffer(data, size),
                             [h = std::move(handler)](const boost::system::error_code& ec, std::size_t) { h(ec); });
  }
  void close() noexcept override {
    boost::system::error_code ignored;
    if (!socket_.is_open()) return;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }
  bool is_open() const override { return socket_.is_open(); }
  std::string describe() const override { return description_; }

 private:
  tcp::socket socket_;
  std::string description_;
};

struct HostPort {
  std::string host, port;
};

Result<HostPort> parse_tcp(const std::string& url) {
  std::string rest = url.substr(6);  // after "tcp://"
  HostPort hp;
  std::size_t colon;
  if (!rest.empty() && rest.front() == '[') {  // tcp://[::1]:4001
    const auto close = rest.find(']');
    if (close == std::string::npos) return make_error(fmt::format("bad TCP port '{}': missing ']'", url));
    hp.host = rest.substr(1, close - 1);
    colon = close + 1;
    if (colon >= rest.size() || rest[colon] != ':')
      return make_error(fmt::format("bad TCP port '{}': expected tcp://[addr]:port", url));
  } else {
    colon = rest.rfind(':');
    if (colon == std::string::npos)
      return make_error(fmt::format("bad TCP port '{}': expected tcp://host:port", url));
    hp.host = rest.substr(0, colon);
  }
  hp.port = rest.substr(colon + 1);
  while (!hp.port.empty() && hp.port.back() == '/') hp.port.pop_back();
  unsigned value = 0;
  const auto* end = hp.port.data() + hp.port.size();
  const auto r = std::from_chars(hp.port.data(), end, value);
  if (hp.host.empty() || hp.port.empty() || r.ec != std::errc{} || r.ptr != end || value == 0 || value > 65535)
    return make_error(fmt::format("bad TCP port '{}': expected tcp://host:port with a port 1..65535", url));
  return hp;
}

// State of one asynchronous connect: resolution, connection and a deadline.
struct Connect : std::enable_shared_from_this<Connect> {
  Connect(boost::asio::any_io_executor ex, std::string url, OpenHandler done)
      : resolver(ex), socket(ex), timer(ex), url(std::move(url)), done(std::move(done)) {}
  tcp::resolver resolver;
  tcp::socket socket;
  boost::asio::steady_timer timer;
  std::string url;
  OpenHandler done;
  bool finished = false;
  bool timed_out = false;

  void finish(Result<std::unique_ptr<Stream>> r) {
    if (finished) return;
    finished = true;
    timer.cancel();
    done(std::move(r));
  }
};

}  // namespace

bool is_tcp_port(const std::string& port) { return port.rfind("tcp://", 0) == 0; }

void async_open_port(boost::asio::any_io_executor ex, const PortSettings& s, OpenHandler done) {
  if (!is_tcp_port(s.port)) {
    auto r = open_serial(ex, s);
    // Keep the promise that handlers never run inside the call.
    auto holder = std::make_shared<Result<std::unique_ptr<Stream>>>(std::move(r));
    boost::asio::post(ex, [holder, done = std::move(done)] { done(std::move(*holder)); });
    return;
  }
  auto hp = parse_tcp(s.port);
  if (!hp) {
    auto err = hp.error();
    boost::asio::post(ex, [err, done = std::move(done)] { done(make_error(err)); });
    return;
  }
  auto c = std::make_shared<Connect>(ex, s.port, std::move(done));
  c->timer.expires_after(s.connect_timeout);
  c->timer.async_wait([c, ms = s.connect_timeout.count()](const boost::system::error_code& ec) {
    if (ec || c->finished) return;
    c->timed_out = true;
    c->resolver.cancel();
    boost::system::error_code ignored;
    c->socket.close(ignored);
    c->finish(make_error(fmt::format("no connection to {} within {} ms (host down or firewalled?)", c->url, ms)));
  });
  c->resolver.async_resolve(
      hp->host, hp->port, [c](const boost::system::error_code& ec, const tcp::resolver::results_type& results) {
        if (c->finished) return;
        if (ec) return c->finish(make_error(fmt::format("cannot resolve {}: {}", c->url, ec.message())));
        boost::asio::async_connect(c->socket, results, [c](const boost::system::error_code& ec2, const tcp::endpoint&) {
          if (c->finished) return;
          if (ec2) return c->finish(make_error(fmt::format("cannot connect to {}: {}", c->url, ec2.message())));
          boost::system::error_code ignored;
          c->socket.set_option(tcp::no_delay(true), ignored);
          c->socket.set_option(boost::asio::socket_base::keep_alive(true), ignored);
          std::unique_ptr<Stream> stream = std::make_unique<TcpStream>(std::move(c->socket), c->url);
          c->finish(std::move(stream));
        });
      });
}

}  // namespace sms::modem
