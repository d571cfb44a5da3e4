// Inbound storage: singles, multipart reassembly in any order, duplicates,
// reused references, partial messages.
#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/db/temp_db.hpp"

using namespace sms::db;
using namespace sms::db::test;
using Kind = StoreResult::Kind;

namespace {
InboundPart part(int ref, int total, int seq, std::string text, std::string at = "2026-11-23 08:00:00") {
  InboundPart p;
  p.modem = "m1";
  p.sender = "+8613912345678";
  p.smsc = "+8613800100500";
  p.text = std::move(text);
  p.received_at = std::move(at);
  p.pdu = "PDU" + std::to_string(seq);
  p.ref = ref;
  p.total = total;
  p.seq = seq;
  return p;
}
}  // namespace

TEST_CASE("a single message goes straight to inbox", "[db][inbound]") {
  TempDb t;
  Store s = t.open();
  auto r = s.store_inbound(part(0, 1, 1, "你好"));
  CHECK(r.kind == Kind::stored);
  auto in = s.get_in(r.inbox_id);
  REQUIRE(in);
  CHECK(in->sender == "+8613912345678");
  CHECK(in->text == "你好");
  CHECK(in->received_at == "2026-11-23 08:00:00");
  CHECK(in->modem == "m1");
  CHECK(in->smsc == "+8613800100500");
  CHECK(in->parts == 1);
  CHECK_FALSE(in->processed);
  CHECK_FALSE(in->partial);
  CHECK(in->pdus == "PDU1");
}

TEST_CASE("a re-delivered single message is a duplicate; a new one with the same text is not", "[db][inbound]") {
  TempDb t;
  Store s = t.open();
  auto first = s.store_inbound(part(0, 1, 1, "OK"));
  auto again = s.store_inbound(part(0, 1, 1, "OK"));
  CHECK(again.kind == Kind::duplicate);
  CHECK(again.inbox_id == first.inbox_id);
  auto other_modem = part(0, 1, 1, "OK");
  other_modem.modem = "m2";   // the same message read through another modem is still the same
  CHECK(s.store_inbound(other_modem).kind == Kind::duplicate);
  CHECK(s.store_inbound(part(0, 1, 1, "OK", "2026-11-23 08:05:00")).kind == Kind::stored);
  CHECK(scalar(s, "SELECT count(*) FROM inbox") == "2");
}

TEST_CASE("multipart parts are joined in seq order whatever order they arrive in", "[db][inbound]") {
  std::vector<int> order{1, 2, 3};
  do {
    INFO("arrival order " << order[0] << order[1] << order[2]);
    TempDb t;
    Store s = t.open();
    const char* texts[] = {"", "第一部分", "second ", "third"};
    StoreResult last;
    for (std::size_t i = 0; i < order.size(); ++i) {
      // Later parts carry later SMSC stamps, as they do on a real network.
      last = s.store_inbound(part(0x5A, 3, order[i], texts[order[i]], "2026-11-23 08:00:0" + std::to_string(order[i])));
      if (i + 1 < order.size()) CHECK(last.kind == Kind::waiting_for_parts);
    }
    REQUIRE(last.kind == Kind::stored);
    auto in = s.get_in(last.inbox_id);
    REQUIRE(in);
    CHECK(in->text == "第一部分second third");
    CHECK(in->parts == 3);
    CHECK(in->received_at == "2026-11-23 08:00:01");
    CHECK(in->pdus == "PDU1\nPDU2\nPDU3");
    CHECK_FALSE(in->partial);
    CHECK(scalar(s, "SELECT count(*) FROM inbox") == "1");
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST_CASE("duplicate parts are recognised before and after the message is joined", "[db][inbound]") {
  TempDb t;
  Store s = t.open();
  CHECK(s.store_inbound(part(9, 2, 1, "a")).kind == Kind::waiting_for_parts);
  CHECK(s.store_inbound(part(9, 2, 1, "a")).kind == Kind::duplicate);
  auto joined = s.store_inbound(part(9, 2, 2, "b"));
  CHECK(joined.kind == Kind::stored);
  // The network re-delivers both parts later: no second message, no partial.
  auto d1 = s.store_inbound(part(9, 2, 1, "a"));
  CHECK(d1.kind == Kind::duplicate);
  CHECK(d1.inbox_id == joined.inbox_id);
  CHECK(s.store_inbound(part(9, 2, 2, "b")).kind == Kind::duplicate);
  CHECK(s.flush_incomplete(0).empty());
  CHECK(scalar(s, "SELECT count(*) FROM inbox") == "1");
}

TEST_CASE("a new message reusing the reference later is a new message", "[db][inbound]") {
  TempDb t;
  Store s = t.open();
  s.store_inbound(part(1, 2, 1, "old-a", "2026-11-23 08:00:00"));
  CHECK(s.store_inbound(part(1, 2, 2, "old-b", "2026-11-23 08:00:01")).kind == Kind::stored);
  // Same sender, reference and count a day later: not a duplicate of old-a.
  CHECK(s.store_inbound(part(1, 2, 1, "new-a", "2026-11-24 09:00:00")).kind == Kind::waiting_for_parts);
  auto r = s.store_inbound(part(1, 2, 2, "new-b", "2026-11-24 09:00:02"));
  REQUIRE(r.kind == Kind::stored);
  CHECK(s.get_in(r.inbox_id)->text == "new-anew-b");
}

TEST_CASE("two waiting messages with the same reference are kept apart", "[db][inbound]") {
  TempDb t;
  Store s = t.open();
  // Part 1 of message A, then part 1 of message B (same ref, an hour later):
  // B cannot join A, which already holds a part 1.
  s.store_inbound(part(3, 2, 1, "A1", "2026-11-23 08:00:00"));
  CHECK(s.store_inbound(part(3, 2, 1, "B1", "2026-11-23 09:00:00")).kind == Kind::waiting_for_parts);
  auto a = s.store_inbound(part(3, 2, 2, "A2", "2026-11-23 08:00:01"));
  REQUIRE(a.kind == Kind::stored);
  CHECK(s.get_in(a.inbox_id)->text == "A1A2");
  auto b = s.store_inbound(part(3, 2, 2, "B2", "2026-11-23 09:00:01"));
  REQUIRE(b.kind == Kind::stored);
  CHECK(s.get_in(b.inbox_id)->text == "B1B2");
  // Another sender's parts never mix in.
  auto other = part(3, 2, 1, "X1");
  other.sender = "10086";
  CHECK(s.store_inbound(other).kind == Kind::waiting_for_parts);
}

TEST_CASE("parts that never complete become a partial message after the wait", "[db][inbound]") {
  TempDb t;
  Store s = t.open();
  s.store_inbound(part(4, 4, 1, "one "));
  s.store_inbound(part(4, 4, 3, "three"));
  CHECK(s.flush_incomplete(3600).empty());   // not waited long enough
  auto ids = s.flush_incomplete(0);
  REQUIRE(ids.size() == 1);
  auto in = s.get_in(ids[0]);
  CHECK(in->partial);
  CHECK(in->parts == 4);
  CHECK(in->text == "one […]three[…]");
  CHECK(in->pdus == "PDU1\nPDU3");
  CHECK(s.flush_incomplete(0).empty());   // flushed once
  s.set_processed(ids[0]);

  // A missing part arriving afterwards fills its gap in the same inbox row,
  // which becomes unprocessed again so the integrator sees the new text.
  auto late = s.store_inbound(part(4, 4, 2, "two "));
  CHECK(late.kind == Kind::stored);
  CHECK(late.inbox_id == ids[0]);
  in = s.get_in(ids[0]);
  CHECK(in->text == "one two three[…]");
  CHECK(in->partial);
  CHECK_FALSE(in->processed);
  CHECK(in->pdus == "PDU1\nPDU2\nPDU3");
  CHECK(s.store_inbound(part(4, 4, 2, "two ")).kind == Kind::duplicate);
  auto last = s.store_inbound(part(4, 4, 4, " four"));
  CHECK(last.inbox_id == ids[0]);
  in = s.get_in(ids[0]);
  CHECK(in->text == "one two three four");
  CHECK_FALSE(in->partial);
  CHECK(scalar(s, "SELECT count(*) FROM inbox") == "1");
  CHECK(s.flush_incomplete(0).empty());
}

TEST_CASE("parts with nonsense numbers are kept as their own flagged message", "[db][inbound]") {
  TempDb t;
  Store s = t.open();
  auto r = s.store_inbound(part(1, 3, 5, "seq beyond total"));
  REQUIRE(r.kind == Kind::stored);
  CHECK(s.get_in(r.inbox_id)->partial);
  auto z = s.store_inbound(part(1, 3, 0, "seq zero"));
  CHECK(z.kind == Kind::stored);
}

TEST_CASE("an error while storing leaves nothing half-written", "[db][inbound][rollback]") {
  TempDb t;
  Store s = t.open();
  s.store_inbound(part(8, 2, 1, "a"));
  // Make the inbox insert fail (as a full disk would) at the moment of joining.
  exec(s, "CREATE TRIGGER boom BEFORE INSERT ON inbox BEGIN SELECT RAISE(ABORT, 'disk full'); END");
  CHECK_THROWS_AS(s.store_inbound(part(8, 2, 2, "b")), StoreError);
  CHECK(scalar(s, "SELECT count(*) FROM inbox_parts") == "1");   // part 2 was not kept either
  CHECK(scalar(s, "SELECT count(*) FROM inbox") == "0");
  exec(s, "DROP TRIGGER boom");
  auto r = s.store_inbound(part(8, 2, 2, "b"));   // the modem did not delete it, so it comes again
  REQUIRE(r.kind == Kind::stored);
  CHECK(s.get_in(r.inbox_id)->text == "ab");
}
