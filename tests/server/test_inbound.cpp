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

  SECTION("a status report padded with FF by the modem is matched to its outbox row") {
    // The capture from Gammu's test data: delivered (TP-ST 0), TP-MR 171 (0xAB),
    // recipient 604865888 (national), then 143 octets of FF from AT+CMGR.
    const std::string capture = "079124602009999002AB098106845688F8907080517375809070805183018000";
    sms::db::OutRow r;
    r.recipient = "604865888";
    r.text = "status report test";
    r.status_report = true;
    const auto id = store.enqueue(r);
    REQUIRE(store.claim_next("m1", {})->id == id);
    sms::db::Advance a;
    a.finished.kind = sms::db::Finished::Kind::sent;
    a.finished.id = id;
    a.finished.references = {171};
    store.advance("m1", a, {});
    Incoming in;
    in.kind = Incoming::Kind::status_report;
    in.pdu = capture;
    for (int i = 0; i < 143; ++i) in.pdu += "FF";
    in.index = 3;
    in.storage = "SR";
    auto out = handle_incoming(store, "m1", in);
    CHECK(out.committed);
    CHECK(out.status_report);
    CHECK_FALSE(out.inbox_id);   // not stored as an undecodable inbox row
    CHECK(out.outbox_id == id);
    auto row = store.get_out(id);
    CHECK(row->status == "delivered");
    CHECK(row->delivery_status == "delivered");
    CHECK(row->delivered_at == "2009-07-08 13:38:10");   // TP-DT 09-07-08 15:38:10, zone 0x80 = +8 quarters (23.040 9.2.3.11)
  }

  SECTION("a PDU cut short by the modem keeps what is there, flagged, with the raw PDU") {
    sms::pdu::DeliverOptions o;
    o.originator = "+8613912345678";
    o.scts = ts();
    auto pdus = sms::pdu::encode_deliver("您好，这条短信被调制解调器截断了", o);   // 16 UCS-2 characters
    REQUIRE(pdus.ok());
    const std::string cut = pdus->at(0).substr(0, pdus->at(0).size() - 4 * 5);   // 5 characters = 10 octets gone
    auto out = handle_incoming(store, "m1", deliver_pdu(cut));
    CHECK(out.committed);
    REQUIRE(out.inbox_id);
    auto row = store.get_in(*out.inbox_id);
    CHECK(row->truncated);
    CHECK_THAT(row->text, Catch::StartsWith("您好，这条短信被调制解"));
    CHECK(row->text.find("截断了") == std::string::npos);
    CHECK(row->pdus == cut);
    CHECK(row->sender == "+8613912345678");
    CHECK(row->received_at.substr(0, 19) == sms::pdu::format_utc(ts()));
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
