// The modems table's counters and the rows they count agree after any crash:
// a child process records outcomes and inbound messages the way a worker
// does, then dies without running a destructor (as kill -9 would leave it),
// and the parent compares the counters with the rows (what `smsctl status`
// and `smsctl stats --by modem` show): at once through Store::modems(), and
// in the table itself once the next start-up's recover() ran.
#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>

#include "tests/db/temp_db.hpp"

using namespace sms::db;
using namespace sms::db::test;

namespace {

// Runs body in a forked child on its own connection; the child ends with
// _exit(0) right after, so nothing pending in memory is written. Returns the
// child's exit status (0 unless body threw).
int run_and_die(const TempDb& t, const std::function<void(Store&)>& body) {
  const pid_t pid = fork();
  if (pid == 0) {
    int rc = 0;
    try {
      Store s = t.open();
      body(s);
      // The Store is still open here: its destructor (which writes pending
      // counters) never runs.
      std::fflush(nullptr);
      _exit(0);
    } catch (...) {
      rc = 3;
    }
    _exit(rc);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

InboundPart part(const std::string& modem, const std::string& sender, const std::string& text, int ref = 0,
                 int total = 1, int seq = 1) {
  InboundPart p;
  p.modem = modem;
  p.sender = sender;
  p.text = text;
  p.received_at = "2026-12-03 08:00:0" + std::to_string(seq);
  p.pdu = "00";
  p.ref = ref;
  p.total = total;
  p.seq = seq;
  return p;
}

struct Figures {
  std::string counters;   // sent/failed/received from the modems table
  std::string rows;       // the same from the outbox and inbox rows
};

Figures figures(Store& s, const std::string& modem) {
  const std::string q = "'" + modem + "'";
  return {scalar(s, "SELECT sent || '/' || failed || '/' || received FROM modems WHERE id = " + q),
          scalar(s, "SELECT (SELECT count(*) FROM outbox WHERE sent_by = " + q +
                        " AND status IN ('sent','delivered','undelivered')) || '/' ||"
                        " (SELECT count(*) FROM outbox WHERE claimed_by = " + q + " AND status = 'failed') || '/' ||"
                        " (SELECT count(*) FROM inbox WHERE modem = " + q + ")")};
}

}  // namespace

TEST_CASE("counters equal the rows after a process dies right after its commits", "[db][counters]") {
  TempDb t;
  {
    Store s = t.open();
    for (int i = 0; i < 6; ++i) insert(s, "'1380013800" + std::to_string(i) + "', 'm" + std::to_string(i) + "'");
  }
  // A worker's per-message path: each outcome counted just before it is
  // recorded, the queue busy throughout (every advance claims the next row).
  REQUIRE(run_and_die(t, [](Store& s) {
            // However slow the machine: only the first advance writes the counters.
            s.set_count_interval(std::chrono::hours(1));
            auto row = s.claim_next("m1", kSendAll);
            for (int i = 0; row; ++i) {
              Advance a;
              a.finished.id = row->id;
              if (i == 2) {
                a.finished.kind = Finished::Kind::failed;
                a.finished.reason = "+CMS ERROR: 21";
                s.count_modem("m1", 0, 1, 0);
              } else {
                a.finished.kind = Finished::Kind::sent;
                a.finished.references = {i};
                s.count_modem("m1", 1, 0, 0);
              }
              a.claim = i < 4;
              row = s.advance("m1", a, kSendAll);
            }
          }) == 0);
  {
    Store s = t.open();
    auto f = figures(s, "m1");
    CHECK(f.rows == "4/1/0");
    // The stored counter lags (it is written once a second while busy)...
    CHECK(f.counters != f.rows);
    // ...but the view adds what was sent after counted_at.
    auto m = s.modems();
    REQUIRE(m.size() == 1);
    CHECK(std::to_string(m[0].sent) + "/" + std::to_string(m[0].failed) + "/" + std::to_string(m[0].received) ==
          f.rows);
    // The next start-up writes it into the table, once.
    CHECK(s.recover({"m1"}).recounted > 0);
    CHECK(figures(s, "m1").counters == f.rows);
    CHECK(s.recover({"m1"}).recounted == 0);
    CHECK(figures(s, "m1").counters == f.rows);
  }
  // Received: singles, a multipart message completed by its last part, a
  // duplicate (not a new row), and a partial message flushed after its wait.
  REQUIRE(run_and_die(t, [](Store& s) {
            s.store_inbound(part("m1", "+8613900000001", "one"));
            s.store_inbound(part("m1", "+8613900000001", "one"));   // re-delivered: same row
            s.store_inbound(part("m2", "+8613900000002", "two"));
            s.store_inbound(part("m1", "+8613900000003", "long ", 7, 2, 1));
            s.store_inbound(part("m1", "+8613900000003", "message", 7, 2, 2));
            s.store_inbound(part("m2", "+8613900000004", "never ", 9, 3, 1));
            s.flush_incomplete(0);
          }) == 0);
  Store s = t.open();
  auto f1 = figures(s, "m1");
  auto f2 = figures(s, "m2");
  // Received messages are counted in their own commit: no start-up needed.
  CHECK(f1.rows == "4/1/2");
  CHECK(f1.counters == f1.rows);
  CHECK(f2.rows == "0/0/2");
  CHECK(f2.counters == f2.rows);
  // The views smsctl shows: status (modems()) and stats --by modem.
  for (const auto& m : s.modems())
    for (const auto& st : s.stats("", "", "modem"))
      if (st.key == m.id) {
        CHECK(m.sent == st.sent);
        CHECK(m.failed == st.failed);
        CHECK(m.received == st.received);
      }
}
