#!/usr/bin/env python3
"""Two modems share one queue (every row sent exactly once, both modems used);
priority order; a scheduled row waits for its time; a row for a named modem
goes out on that modem. The fallback poll is set to 60 s, so every row below
is found through the database watcher, also right after a drain (during which
the watcher sleeps because no worker listens)."""
import sys
import time

from smstest import Env, check


def main():
    with Env("queue") as env:
        # A short network delay so both modems get work while the queue drains.
        m1 = env.sim("m1", "--submit-delay-ms", "50")
        m2 = env.sim("m2", "--submit-delay-ms", "50")
        env.start_server([m1, m2], dispatch='retryDelays="1s" pollInterval="60s"')
        started = time.time()

        ids = [env.insert("+86138000%05d" % i, "shared queue %d" % i) for i in range(30)]
        env.wait_status(ids, timeout=60)
        t1 = [t for _, t in m1.messages()]
        t2 = [t for _, t in m2.messages()]
        every = sorted(t1 + t2)
        check(every == sorted("shared queue %d" % i for i in range(30)),
              "30 rows, each sent exactly once across both modems")
        check(len(t1) > 0 and len(t2) > 0, "both modems sent (m1 %d, m2 %d)" % (len(t1), len(t2)))
        by = dict(env.query("SELECT id, sent_by FROM outbox WHERE id IN (%s)" % ",".join(map(str, ids))))
        check(sum(1 for v in by.values() if v == "m1") == len(t1) and sum(1 for v in by.values() if v == "m2") == len(t2),
              "outbox.sent_by names the modem that sent each row")

        # Right after the drain: a single row is noticed by the watcher again,
        # long before the 60 s poll could find it.
        one = env.insert("10086", "after the drain")
        env.wait_status([one], timeout=20)
        check(time.time() - started < 55, "the row after the drain went out without the fallback poll")
        log = open(env.server_log, encoding="utf-8").read()
        check("database watch paused" in log and "database watch resumed" in log,
              "the watcher slept during the drain and woke after it (server log)")

        # Priority: one transaction with mixed priorities; the single free
        # modem must send them highest first (same priority: oldest first).
        before = len(m1.submits()) + len(m2.submits())
        env.sqlite3_cli("BEGIN; " + " ".join(
            "INSERT INTO outbox(recipient, text, priority, modem) VALUES ('10086', 'prio %d-%s', %d, 'm1');" % (p, tag, p)
            for p, tag in [(0, "a"), (5, "a"), (1, "a"), (5, "b"), (9, "a"), (0, "b")]) + " COMMIT;")
        pids = [r[0] for r in env.query("SELECT id FROM outbox WHERE text LIKE 'prio %'")]
        env.wait_status(pids)
        order = [s["text"] for s in m1.submits() if s["text"].startswith("prio")]
        check(order == ["prio 9-a", "prio 5-a", "prio 5-b", "prio 1-a", "prio 0-a", "prio 0-b"],
              "rows for m1 went highest priority first, then oldest: %s" % order)
        check(len(m1.submits()) + len(m2.submits()) == before + 6, "nothing else was sent")

        # Scheduled: send_at 3 s ahead (UTC, the database's format).
        start = time.time()
        sid = env.insert("10086", "scheduled", send_at=time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(start + 3)))
        nid = env.insert("10086", "not scheduled")
        env.wait_status([nid])
        check(env.statuses()[sid] == "queued", "the scheduled row is still queued while the other went")
        env.wait_status([sid], timeout=20)
        sent_at = env.query("SELECT sent_at FROM outbox WHERE id=?", (sid,))[0][0]
        due = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(start + 3))
        check(sent_at[:19] >= due, "the scheduled row was sent at its time (due %s, sent %s)" % (due, sent_at))

        check(env.stop_server() == 0, "SIGTERM: exit 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
