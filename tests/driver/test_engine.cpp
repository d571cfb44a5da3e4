// The command engine on a fake stream: one command at a time, answers matched
// to the command in flight, prompts, timeouts, late answers, URCs, a lost port.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <vector>

#include "modem/driver/engine.hpp"
#include "tests/driver/fake_stream.hpp"

using namespace sms::modem;
using sms::modem::test::FakeLine;
using sms::modem::test::FakeStream;
using namespace std::chrono_literals;

namespace {

struct Rig {
  boost::asio::io_context io;
  std::shared_ptr<FakeLine> line = std::make_shared<FakeLine>();
  std::shared_ptr<Engine> engine = Engine::create(io.get_executor(), "t");
  std::vector<sms::at::Event> urcs;
  std::optional<std::string> lost;

  Rig() {
    engine->on_urc([this](const sms::at::Event& e) { urcs.push_back(e); });
    engine->on_lost([this](const std::string& why, bool) { lost = why; });
    engine->attach(std::make_unique<FakeStream>(io.get_executor(), line));
  }
  // The fake line holds the pending read handler, which holds the port:
  // detach to break that cycle (a real descriptor's io_context does it).
  ~Rig() {
    engine->detach("end of test");
    settle();
  }
  void settle() {
    io.restart();
    io.poll();
    io.restart();
    io.poll();
  }
  void push(const std::string& bytes) {
    FakeStream::push(io.get_executor(), line, bytes);
    settle();
  }
  std::optional<Reply> submit(Request r) {
    auto out = std::make_shared<std::optional<Reply>>();
    engine->submit(std::move(r), [out](Reply rep) { *out = std::move(rep); });
    settle();
    return *out;  // usually still empty: the test answers next
  }
  // Runs the loop until `done` or a hang guard of 5 s.
  template <class F>
  void run_until(F done) {
    const auto end = std::chrono::steady_clock::now() + 5s;
    while (!done() && std::chrono::steady_clock::now() < end) {
      io.restart();
      io.run_one_for(20ms);
    }
  }
};

Request req(std::string text, std::chrono::milliseconds timeout = 5000ms) {
  Request r;
  r.text = std::move(text);
  r.timeout = timeout;
  return r;
}

}  // namespace

TEST_CASE("engine: a command, its response lines and final result", "[engine]") {
  Rig rig;
  std::optional<Reply> got;
  rig.engine->submit(req("AT+CSQ"), [&](Reply r) { got = std::move(r); });
  rig.settle();
  CHECK(rig.line->written == "AT+CSQ\r");
  rig.push("\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
  REQUIRE(got);
  CHECK(got->ok());
  CHECK(got->value("+CSQ:") == "20,99");
  CHECK(got->describe() == "OK");
}

TEST_CASE("engine: commands wait in a queue; one in flight", "[engine]") {
  Rig rig;
  std::vector<std::string> order;
  rig.engine->submit(req("AT+CGMI"), [&](Reply r) { order.push_back("1:" + r.describe()); });
  rig.engine->submit(req("AT+CGMM"), [&](Reply r) { order.push_back("2:" + r.describe()); });
  rig.settle();
  CHECK(rig.line->written == "AT+CGMI\r");  // the second waits
  CHECK(rig.engine->queued() == 2);
  rig.push("\r\nSIMCOM_Ltd\r\n\r\nOK\r\n");
  CHECK(rig.line->written == "AT+CGMI\rAT+CGMM\r");
  rig.push("\r\n+CMS ERROR: 500\r\n");
  REQUIRE(order.size() == 2);
  CHECK(order[0] == "1:OK");
  CHECK(order[1] == "2:+CMS ERROR: 500");
  CHECK_FALSE(rig.engine->busy());
}

TEST_CASE("engine: a URC inside a response goes to the URC handler", "[engine]") {
  Rig rig;
  std::optional<Reply> got;
  rig.engine->submit(req("AT+CSQ"), [&](Reply r) { got = std::move(r); });
  rig.settle();
  rig.push("\r\n+CSQ: 18,99\r\n\r\n+CMTI: \"SM\",3\r\n\r\nOK\r\n");
  REQUIRE(got);
  CHECK(got->responses.size() == 1);
  REQUIRE(rig.urcs.size() == 1);
  CHECK(rig.urcs[0].urc == sms::at::Urc::cmti);
}

TEST_CASE("engine: AT+CMGS writes the PDU after the prompt and calls on_prompt first", "[engine]") {
  Rig rig;
  Request r = req("AT+CMGS=18");
  r.pdu = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37";
  std::string written_at_prompt = "unset";
  r.on_prompt = [&] { written_at_prompt = rig.line->written; };
  std::optional<Reply> got;
  rig.engine->submit(std::move(r), [&](Reply rep) { got = std::move(rep); });
  rig.settle();
  rig.push("\r\n> ");
  CHECK(written_at_prompt == "AT+CMGS=18\r");  // nothing of the PDU was written yet
  CHECK(rig.line->written == "AT+CMGS=18\r0011000B916407281553F80000AA0AE8329BFD4697D9EC37\x1a");
  rig.push("\r\n+CMGS: 7\r\n\r\nOK\r\n");
  REQUIRE(got);
  CHECK(got->ok());
  CHECK(got->pdu_written);
  CHECK(got->value("+CMGS:") == "7");
}

TEST_CASE("engine: no prompt -> ESC, prompt_timeout, nothing handed over", "[engine]") {
  Rig rig;
  Request r = req("AT+CMGS=18", 50ms);
  r.pdu = "00";
  bool prompted = false;
  r.on_prompt = [&] { prompted = true; };
  std::optional<Reply> got;
  rig.engine->submit(std::move(r), [&](Reply rep) { got = std::move(rep); });
  rig.run_until([&] { return got.has_value(); });
  REQUIRE(got);
  CHECK(got->status == Reply::Status::prompt_timeout);
  CHECK_FALSE(got->pdu_written);
  CHECK_FALSE(prompted);
  CHECK(rig.line->written == "AT+CMGS=18\r\x1b");
}

TEST_CASE("engine: a late answer after a timeout is not taken for the next command", "[engine]") {
  Rig rig;
  std::optional<Reply> first, second;
  rig.engine->submit(req("AT+CMGL=4", 50ms), [&](Reply r) { first = std::move(r); });
  rig.run_until([&] { return first.has_value(); });
  REQUIRE(first);
  CHECK(first->status == Reply::Status::timeout);
  const auto noise = rig.engine->noise();
  // The abandoned command's answer arrives late, with no command in flight.
  rig.push("\r\nOK\r\n");
  CHECK(rig.engine->noise() == noise + 1);
  rig.engine->submit(req("AT+CSQ"), [&](Reply r) { second = std::move(r); });
  rig.settle();
  CHECK_FALSE(second);  // the stray OK did not answer it
  rig.push("\r\n+CSQ: 5,99\r\n\r\nOK\r\n");
  REQUIRE(second);
  CHECK(second->value("+CSQ:") == "5,99");
}

TEST_CASE("engine: an unexpected prompt (dead process's AT+CMGS) gets an ESC", "[engine]") {
  Rig rig;
  rig.push("\r\n> ");
  CHECK(rig.line->written == "\x1b");
}

TEST_CASE("engine: a read error fails the command in flight and the queue", "[engine]") {
  Rig rig;
  std::vector<Reply> got;
  rig.engine->submit(req("AT+CSQ"), [&](Reply r) { got.push_back(std::move(r)); });
  rig.engine->submit(req("AT+CREG?"), [&](Reply r) { got.push_back(std::move(r)); });
  rig.settle();
  FakeStream::fail(rig.io.get_executor(), rig.line, boost::system::error_code(EIO, boost::system::system_category()));
  rig.settle();
  REQUIRE(got.size() == 2);
  for (const auto& r : got) {
    CHECK(r.status == Reply::Status::closed);
    CHECK_THAT(r.error, Catch::Contains("device vanished"));
  }
  REQUIRE(rig.lost);
  CHECK_FALSE(rig.engine->attached());
  // Without a port, a command completes at once.
  std::optional<Reply> late;
  rig.engine->submit(req("AT"), [&](Reply r) { late = std::move(r); });
  rig.settle();
  REQUIRE(late);
  CHECK(late->status == Reply::Status::closed);
}

TEST_CASE("engine: detach completes everything with the reason", "[engine]") {
  Rig rig;
  std::optional<Reply> got;
  rig.engine->submit(req("AT+CSQ"), [&](Reply r) { got = std::move(r); });
  rig.settle();
  rig.engine->detach("shutting down");
  rig.settle();
  REQUIRE(got);
  CHECK(got->status == Reply::Status::closed);
  CHECK(got->error == "shutting down");
  CHECK_FALSE(rig.lost);  // our own close is not a lost port
}
