#pragma once
// A Stream the test drives by hand: it records what the engine writes and
// delivers the bytes the test pushes, or a read error.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include <cstring>
#include <memory>
#include <string>

#include "modem/driver/stream.hpp"

namespace sms::modem::test {

struct FakeLine {
  std::string written;  // everything the engine wrote
  std::string pending;  // pushed bytes not yet read
  bool open = true;
  // Pending read.
  char* buf = nullptr;
  std::size_t size = 0;
  sms::modem::Stream::ReadHandler reader;
};

class FakeStream final : public sms::modem::Stream {
 public:
  FakeStream(boost::asio::any_io_executor ex, std::shared_ptr<FakeLine> line) : ex_(ex), line_(std::move(line)) {}
  ~FakeStream() override { close(); }
  void async_read_some(char* data, std::size_t size, ReadHandler handler) override {
    line_->buf = data;
    line_->size = size;
    line_->reader = std::move(handler);
    deliver(ex_, line_);
  }
  void async_write(const char* data, std::size_t size, WriteHandler handler) override {
    line_->written.append(data, size);
    boost::asio::post(ex_, [h = std::move(handler)] { h({}); });
  }
  void close() noexcept override {
    if (!line_->open) return;
    line_->open = false;
    if (line_->reader) {
      auto h = std::move(line_->reader);
      line_->reader = nullptr;
      boost::asio::post(ex_, [h] { h(boost::asio::error::operation_aborted, 0); });
    }
  }
  bool is_open() const override { return line_->open; }
  std::string describe() const override { return "fake"; }

  // Completes the pending read with whatever was pushed.
  static void deliver(boost::asio::any_io_executor ex, const std::shared_ptr<FakeLine>& line) {
    if (!line->reader || line->pending.empty()) return;
    const std::size_t n = std::min(line->size, line->pending.size());
    std::memcpy(line->buf, line->pending.data(), n);
    line->pending.erase(0, n);
    auto h = std::move(line->reader);
    line->reader = nullptr;
    boost::asio::post(ex, [h, n] { h({}, n); });
  }
  static void push(boost::asio::any_io_executor ex, const std::shared_ptr<FakeLine>& line, std::string bytes) {
    line->pending += bytes;
    deliver(ex, line);
  }
  static void fail(boost::asio::any_io_executor ex, const std::shared_ptr<FakeLine>& line,
                   boost::system::error_code ec) {
    if (!line->reader) return;
    auto h = std::move(line->reader);
    line->reader = nullptr;
    boost::asio::post(ex, [h, ec] { h(ec, 0); });
  }

 private:
  boost::asio::any_io_executor ex_;
  std::shared_ptr<FakeLine> line_;
};

}  // namespace sms::modem::test
