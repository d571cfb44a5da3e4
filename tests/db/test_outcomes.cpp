// What happens after a claim: sent, retry, failed, unknown, give back, and
// recovery after a crash.
#include <catch2/catch.hpp>

#include "tests/db/temp_db.hpp"

using namespace sms::db;
using namespace sms::db::test;

TEST_CASE("record_sent stores the modem, the parts and their references", "[db][outcome]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'+8613800138000', 'long text'");
  auto r = s.claim_next("m1", kSendAll);
  REQUIRE(r);
  s.mark_handed(r->id);
  CHECK(s.get_out(r->id)->handed);
  s.record_sent(r->id, "m1", {17, 18, 19});
  auto o = s.get_out(r->id);
  CHECK(o->status == "sent");
  CHECK(o->sent_by == "m1");
  CHECK(o->parts == 3);
  CHECK_FALSE(o->sent_at.empty());
  CHECK(scalar(s, "SELECT group_concat(seq || ':' || reference || ':' || recipient || ':' || status, ',')"
                  " FROM (SELECT * FROM outbox_parts ORDER BY seq)") ==
        "1:17:+8613800138000:sent,2:18:+8613800138000:sent,3:19:+8613800138000:sent");
}

TEST_CASE("record_retry requeues with a delay; the next claim counts another attempt", "[db][outcome]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'10086', 'x'");
  auto r = s.claim_next("m1", kSendAll);
  REQUIRE(r);
  s.record_retry(r->id, "+CMS ERROR: 512 (busy receiving)", 60);
  auto o = s.get_out(r->id);
  CHECK(o->status == "queued");
  CHECK(o->last_error == "+CMS ERROR: 512 (busy receiving)");
  CHECK(o->claimed_by.empty());
  CHECK(o->send_at > utc_in(30));
  CHECK_FALSE(s.claim_next("m2", kSendAll));   // not due yet
  exec(s, "UPDATE outbox SET send_at = NULL");
  auto again = s.claim_next("m2", kSendAll);   // another modem may take it
  REQUIRE(again);
  CHECK(again->attempts == 2);
}

TEST_CASE("record_failed and record_unknown keep the reason", "[db][outcome]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'10086', 'a'");
  insert(s, "'10086', 'b'");
  auto a = s.claim_next("m1", kSendAll);
  auto b = s.claim_next("m1", kSendAll);
  s.record_failed(a->id, "the network rejected the number (+CMS ERROR: 21)");
  s.record_unknown(b->id, "the modem stopped answering after the PDU was written");
  CHECK(s.get_out(a->id)->status == "failed");
  CHECK(s.get_out(a->id)->last_error == "the network rejected the number (+CMS ERROR: 21)");
  CHECK(s.get_out(b->id)->status == "unknown");
}

TEST_CASE("give_back returns an unhanded claim without counting the attempt", "[db][outcome]") {
  TempDb t;
  Store s = t.open();
  insert(s, "'10086', 'a'");
  insert(s, "'10086', 'b'");
  auto a = s.claim_next("m1", kSendAll);
  auto b = s.claim_next("m1", kSendAll);
  s.mark_handed(b->id);
  s.give_back(a->id);
  s.give_back(b->id);
  CHECK(s.get_out(a->id)->status == "queued");
  CHECK(s.get_out(a->id)->attempts == 0);
  // Already written to the modem: it may have gone out; never resend silently.
  CHECK(s.get_out(b->id)->status == "unknown");
  CHECK_THAT(s.get_out(b->id)->last_error, Catch::Contains("m1"));
}

TEST_CASE("recover resolves rows left in 'sending' by a crash, only for our modems", "[db][outcome][recover]") {
  TempDb t;
  {
    Store s = t.open();
    for (int i = 0; i < 4; ++i) insert(s, "'10086', 'x'");
    auto a = s.claim_next("m1", kSendAll);   // 1: claimed, not handed
    auto b = s.claim_next("m1", kSendAll);   // 2: handed
    s.mark_handed(b->id);
    auto c = s.claim_next("other", kSendAll);   // 3: another server's modem
    (void)a;
    (void)c;
    // The process "dies" here: the Store goes away without recording anything.
  }
  Store s = t.open();
  Recovery r = s.recover({"m1", "m2"});
  CHECK(r.requeued == 1);
  CHECK(r.unknown == 1);
  CHECK(s.get_out(1)->status == "queued");
  CHECK(s.get_out(1)->attempts == 0);
  CHECK(s.get_out(2)->status == "unknown");
  CHECK(s.get_out(2)->last_error ==
        "server stopped after handing the message to modem m1; it may have been sent — check with the "
        "recipient, then smsctl retry or cancel");
  CHECK(s.get_out(3)->status == "sending");   // not ours
  CHECK(s.get_out(4)->status == "queued");
  Recovery again = s.recover({"m1", "m2"});
  CHECK(again.requeued == 0);
  CHECK(again.unknown == 0);
}
