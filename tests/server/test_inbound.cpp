// What a worker commits for each PDU its modem hands over (an in-memory store).
#include <catch2/catch.hpp>

#include "db/store.hpp"
#include "modem/pdu/pdu.hpp"
#include "src/dispatch/inbound.hpp"

using sms::dispatch::handle_incoming;
using sms::modem::Incoming;

namespace {
Incoming deliver_pdu(const std::string& hex) {
  Incoming in;
  in.kind = Incoming::Kind::deliver;
  in.pdu = hex;
  in.index = 1;
  in.storage = "SM";
  return in;
}
sms::pdu::Timestamp ts() {
  sms::pdu::Timestamp t;
  t.utc_seconds = 1795000000;  // 2026-11-18 ...
  t.offset_minutes = 480;
  return t;
}
}  // namespace

TEST_CASE("inbound: messages are committed before the modem may delete them; nothing is lost") {
  auto store = sms::db::Store::open(":memory:");

  SECTION("a single message is stored with the SMSC time in UTC") {
    sms::pdu::DeliverOptions o;
    o.originator = "+8613912345678";
    o.scts = ts();
    auto pdus = sms::pdu::encode_deliver("您好", o);
    REQUIRE(pdus.ok());
    auto out = handle_incoming(store, "m1", deliver_pdu(pdus->at(0)));
    CHECK(out.committed);
    REQUIRE(out.inbox_id);
    auto row = store.get_in(*out.inbox_id);
    REQUIRE(row);
    CHECK(row->sender == "+8613912345678");
    CHECK(row->text == "您好");
    CHECK(row->modem == "m1");
    CHECK(row->received_at.substr(0, 19) == sms::pdu::format_utc(ts()));

    // the network re-delivers it: recognised, still "committed" so the SIM is emptied
    auto again = handle_incoming(store, "m1", deliver_pdu(pdus->at(0)));
    CHECK(again.committed);
    CHECK_FALSE(again.inbox_id);
  }

  SECTION("parts wait for their siblings, then one inbox row") {
    sms::pdu::DeliverOptions o;
    o.originator = "10086";
    o.scts = ts();
    o.concat_reference = 7;
    std::string text(200, 'a');
    auto pdus = sms::pdu::encode_deliver(text, o);
    REQUIRE(pdus.ok());
    REQUIRE(pdus->size() == 2);
    auto first = handle_incoming(store, "m1", deliver_pdu(pdus->at(1)));
    CHECK(first.committed);
    CHECK_FALSE(first.inbox_id);
    auto second = handle_incoming(store, "m1", deliver_pdu(pdus->at(0)));
    CHECK(second.committed);
    REQUIRE(second.inbox_id);
    auto row = store.get_in(*second.inbox_id);
    CHECK(row->text == text);
    CHECK(row->parts == 2);
  }

  SECTION("an undecodable PDU is stored with its hex and the decoder's words") {
    auto out = handle_incoming(store, "m1", deliver_pdu("0004FF"));
    CHECK(out.committed);
    REQUIRE(out.inbox_id);
    auto row = store.get_in(*out.inbox_id);
    CHECK_THAT(row->text, Catch::StartsWith("[undecodable PDU: "));
    CHECK_THAT(row->pdus, Catch::Contains("0004FF"));
  }

  SECTION("a status report that matches nothing is still acknowledged") {
    sms::pdu::StatusReportOptions o;
    o.recipient = "+8613800138000";
    o.message_reference = 42;
    o.scts = ts();
    o.discharge = ts();
    auto hex = sms::pdu::encode_status_report(o);
    REQUIRE(hex.ok());
    Incoming in;
    in.kind = Incoming::Kind::status_report;
    in.pdu = *hex;
    auto out = handle_incoming(store, "m1", in);
    CHECK(out.committed);
    CHECK(out.status_report);
    CHECK_FALSE(out.outbox_id);
  }
}
