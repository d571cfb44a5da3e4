// SIM storage: capacity, +CMTI / +CMT routing, AT+CMGR / AT+CMGL / AT+CMGD / AT+CMGW.
#include <catch2/catch.hpp>

#include <string>

#include "modem/pdu/pdu.hpp"
#include "tests/modemsim/sim_rig.hpp"

using simtest::Rig;

namespace {
// The PDU line following a "+CMGR:"/"+CMGL:" header in `out` starting at `from`.
std::string pdu_after(const std::string& out, const std::string& header) {
  const auto h = out.find(header);
  if (h == std::string::npos) return {};
  const auto start = out.find("\r\n", h) + 2;
  return out.substr(start, out.find("\r\n", start) - start);
}
}  // namespace

TEST_CASE("delivered messages are stored and announced with +CMTI", "[storage]") {
  Rig r;
  REQUIRE(r.type("AT+CNMI=2,1,0,0,0\r") == "\r\nOK\r\n");
  auto d = r.m.deliver("+15551234", "hello", r.t);
  REQUIRE(d.ok());
  CHECK(d->parts == 1);
  CHECK(d->indexes == std::vector<int>{1});
  CHECK(r.m.take_output() == "\r\n+CMTI: \"SM\",1\r\n");

  const std::string out = r.type("AT+CMGR=1\r");
  const std::string pdu = pdu_after(out, "+CMGR: 0,,");
  auto m = sms::pdu::decode(pdu, sms::pdu::SmscField::present);
  REQUIRE(m.ok());
  CHECK(m->type == sms::pdu::MessageType::deliver);
  CHECK(m->number.number == "+15551234");
  CHECK(m->text == "hello");
  CHECK(m->scts->utc_seconds == 1795000000);
  CHECK(out == "\r\n+CMGR: 0,," + std::to_string(*sms::pdu::tpdu_length(pdu)) + "\r\n" + pdu + "\r\n\r\nOK\r\n");
  // Reading marked it read (27.005 3.4.3).
  CHECK(r.type("AT+CMGR=1\r").rfind("\r\n+CMGR: 1,,", 0) == 0);
}

TEST_CASE("without AT+CNMI messages are stored silently; mode 2 mt 2 is direct +CMT", "[storage]") {
  Rig r;
  REQUIRE(r.m.deliver("+15551234", "quiet", r.t).ok());
  CHECK(r.m.take_output().empty());
  CHECK(r.m.storage("SM").used() == 1);

  REQUIRE(r.type("AT+CNMI=2,2,0,0,0\r") == "\r\nOK\r\n");
  auto d = r.m.deliver("+15551234", "direct", r.t);
  REQUIRE(d.ok());
  CHECK(d->direct);
  const std::string out = r.m.take_output();
  REQUIRE(out.rfind("\r\n+CMT: ,", 0) == 0);
  const auto nl = out.find("\r\n", 2);
  auto m = sms::pdu::decode(out.substr(nl + 2, out.size() - nl - 4), sms::pdu::SmscField::present);
  REQUIRE(m.ok());
  CHECK(m->text == "direct");
  CHECK(r.m.storage("SM").used() == 1);  // not stored

  // Phase 2+ (AT+CSMS=1): one AT+CNMA per +CMT.
  REQUIRE(r.type("AT+CMEE=1\r") == "\r\nOK\r\n");
  REQUIRE(r.type("AT+CSMS=1\r") == "\r\n+CSMS: 1,1,1\r\n\r\nOK\r\n");
  REQUIRE(r.m.deliver("+15551234", "ack me", r.t).ok());
  r.m.take_output();
  CHECK(r.type("AT+CNMA\r") == "\r\nOK\r\n");
  CHECK(r.type("AT+CNMA\r") == "\r\n+CMS ERROR: 340\r\n");
}

TEST_CASE("capacity: a full storage refuses messages and AT+CMGW gets 322", "[storage]") {
  auto o = simtest::base_options();
  o.capacity = 2;
  Rig r(o);
  REQUIRE(r.type("AT+CMEE=1\r") == "\r\nOK\r\n");
  REQUIRE(r.type("AT+CNMI=2,1,0,0,0\r") == "\r\nOK\r\n");
  REQUIRE(r.m.deliver("+1", "one", r.t).ok());
  REQUIRE(r.m.deliver("+1", "two", r.t).ok());
  r.m.take_output();
  auto third = r.m.deliver("+1", "three", r.t);
  REQUIRE_FALSE(third.ok());
  CHECK(third.error() == "storage SM full (2/2): stored 0 of 1 parts");
  CHECK(r.m.take_output().empty());  // no +CMTI for a refused message
  CHECK(r.m.stats().refused_full == 1);
  CHECK(r.type("AT+CPMS?\r") == "\r\n+CPMS: \"SM\",2,2,\"SM\",2,2,\"SM\",2,2\r\n\r\nOK\r\n");
  CHECK(r.type("AT+CMGW=23\r") == "\r\n> ");
  CHECK(r.type(std::string(simtest::kHelloPdu) + "\x1a") == "\r\n+CMS ERROR: 322\r\n");
  // Deleting makes room.
  CHECK(r.type("AT+CMGD=1\r") == "\r\nOK\r\n");
  CHECK(r.type("AT+CMGW=23\r") == "\r\n> ");
  CHECK(r.type(std::string(simtest::kHelloPdu) + "\x1a") == "\r\n+CMGW: 1\r\n\r\nOK\r\n");
  CHECK(r.type("AT+CMGL=2\r") ==
        "\r\n+CMGL: 1,2,,23\r\n" + std::string(simtest::kHelloPdu) + "\r\n\r\nOK\r\n");
}

TEST_CASE("AT+CMGL by status, AT+CMGD with flags", "[storage]") {
  Rig r;
  for (const char* t : {"a", "b", "c"}) REQUIRE(r.m.deliver("+1", t, r.t).ok());
  r.type("AT+CMGR=2\r");  // now read
  const std::string unread = r.type("AT+CMGL=0\r");
  CHECK(unread.find("+CMGL: 1,0,,") != std::string::npos);
  CHECK(unread.find("+CMGL: 2,") == std::string::npos);
  CHECK(unread.find("+CMGL: 3,0,,") != std::string::npos);
  // Listing unread marks them read; CMGL=0 is then empty.
  CHECK(r.type("AT+CMGL=0\r") == "\r\nOK\r\n");
  const std::string all = r.type("AT+CMGL=4\r");
  CHECK(all.find("+CMGL: 1,1,,") != std::string::npos);
  CHECK(all.find("+CMGL: 2,1,,") != std::string::npos);
  CHECK(all.find("+CMGL: 3,1,,") != std::string::npos);
  CHECK(r.type("AT+CMGD=?\r") == "\r\n+CMGD: (1,2,3),(0-4)\r\n\r\nOK\r\n");
  CHECK(r.type("AT+CMGD=2\r") == "\r\nOK\r\n");
  CHECK(r.type("AT+CMGD=?\r") == "\r\n+CMGD: (1,3),(0-4)\r\n\r\nOK\r\n");
  CHECK(r.type("AT+CMGD=1,4\r") == "\r\nOK\r\n");  // delete all
  CHECK(r.type("AT+CMGL=4\r") == "\r\nOK\r\n");
  CHECK(r.m.storage("SM").used() == 0);
  CHECK(r.type("AT+CMGD=21\r") == "\r\nERROR\r\n");  // beyond capacity
}

TEST_CASE("AT+CPMS selects where messages go and are read from", "[storage]") {
  Rig r;
  CHECK(r.type("AT+CPMS=\"ME\",\"ME\",\"ME\"\r") == "\r\n+CPMS: 0,20,0,20,0,20\r\n\r\nOK\r\n");
  REQUIRE(r.type("AT+CNMI=1,1,0,0,0\r") == "\r\nOK\r\n");
  REQUIRE(r.m.deliver("+1", "to ME", r.t).ok());
  CHECK(r.m.take_output() == "\r\n+CMTI: \"ME\",1\r\n");
  CHECK(r.m.storage("ME").used() == 1);
  CHECK(r.m.storage("SM").used() == 0);
  CHECK(r.type("AT+CPMS=\"SM\"\r") == "\r\n+CPMS: 0,20,1,20,1,20\r\n\r\nOK\r\n");
  CHECK(r.type("AT+CMGL=4\r") == "\r\nOK\r\n");
}

TEST_CASE("multipart delivery: one +CMTI per part, parts decode with their UDH", "[storage]") {
  Rig r;
  REQUIRE(r.type("AT+CNMI=2,1,0,0,0\r") == "\r\nOK\r\n");
  auto d = r.m.deliver("+1", std::string(200, 'z'), r.t);
  REQUIRE(d.ok());
  CHECK(d->parts == 2);
  CHECK(r.m.take_output() == "\r\n+CMTI: \"SM\",1\r\n\r\n+CMTI: \"SM\",2\r\n");
  for (int i = 1; i <= 2; ++i) {
    auto m = sms::pdu::decode(r.m.storage("SM").slots[static_cast<std::size_t>(i - 1)].pdu,
                              sms::pdu::SmscField::present);
    REQUIRE(m.ok());
    REQUIRE(m->concat.has_value());
    CHECK(m->concat->total == 2);
    CHECK(m->concat->sequence == i);
  }
}

TEST_CASE("AT+CSMS=1: an unacknowledged +CMT turns routing off and is re-delivered", "[storage][cnma]") {
  auto o = simtest::base_options();
  o.cnma_timeout_ms = 10000;
  Rig r(o);
  REQUIRE(r.type("AT+CSMS=1\r") == "\r\n+CSMS: 1,1,1\r\n\r\nOK\r\n");
  REQUIRE(r.type("AT+CNMI=2,2,0,1,0\r") == "\r\nOK\r\n");
  SECTION("acknowledged in time: nothing happens") {
    REQUIRE(r.m.deliver("+1", "acked", r.t).ok());
    r.m.take_output();
    r.wait(5000);
    CHECK(r.type("AT+CNMA\r") == "\r\nOK\r\n");
    CHECK(r.wait(10000).empty());
    CHECK(r.type("AT+CNMI?\r") == "\r\n+CNMI: 2,2,0,1,0\r\n\r\nOK\r\n");
    CHECK(r.m.storage("SM").used() == 0);
  }
  SECTION("not acknowledged") {
    REQUIRE(r.m.deliver("+1", "lost ack", r.t).ok());
    r.m.take_output();
    CHECK(r.wait(10000).empty());  // re-delivered into storage, silently (mt is now 0)
    CHECK(r.type("AT+CNMI?\r") == "\r\n+CNMI: 2,0,0,0,0\r\n\r\nOK\r\n");
    CHECK(r.m.storage("SM").used() == 1);
    CHECK(r.m.stats().cnma_timeouts == 1);
    CHECK(r.m.stats().redelivered == 1);
    CHECK(r.type("AT+CMEE=1;+CNMA\r") == "\r\n+CMS ERROR: 340\r\n");
  }
}
