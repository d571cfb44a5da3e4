#!/usr/bin/env python3
"""kill -9 in the middle of a run, then a restart: nothing is lost and nothing
is sent twice without trace. Every row ends 'sent' or 'unknown'; every 'sent'
row is in a simulator's submit log exactly once; no text was submitted twice;
an 'unknown' row was submitted at most once."""
import collections
import sys
import time

from smstest import Env, check, wait_until

N = 40


def main():
    with Env("crash") as env:
        m1 = env.sim("m1", "--submit-delay-ms", "150")
        m2 = env.sim("m2", "--submit-delay-ms", "150")
        env.start_server([m1, m2])
        ids = [env.insert("+86138001%05d" % i, "crash %d" % i) for i in range(N)]
        wait_until(lambda: len(m1.submits()) + len(m2.submits()) >= 12, 30, "a dozen submits before the kill")
        time.sleep(0.07)  # land somewhere inside a submit
        env.kill9()
        st = collections.Counter(env.statuses().values())
        check(True, "killed with SIGKILL; statuses then: %s" % dict(st))

        env.start_server([m1, m2])
        env.wait_status(ids, ("sent", "unknown"), timeout=60)
        err = env.server_stderr()
        check("recovered" in err or "nothing to recover" in err, "the restart reported its recovery")

        counts = collections.Counter(t for _, t in m1.messages() + m2.messages())
        st = env.statuses()
        twice = [t for t, c in counts.items() if c > 1]
        check(not twice, "no text was submitted twice (%s)" % twice)
        for i, rid in enumerate(ids):
            text = "crash %d" % i
            if st[rid] == "sent":
                assert counts[text] == 1, "row %d is 'sent' but was submitted %d times" % (rid, counts[text])
            else:
                assert counts[text] <= 1, "unknown row %d submitted %d times" % (rid, counts[text])
        unknown = [r for r in ids if st[r] == "unknown"]
        check(True, "all %d rows ended sent or unknown (%d unknown, each flagged for a person)" % (N, len(unknown)))
        for rid in unknown:
            e = env.query("SELECT last_error FROM outbox WHERE id=?", (rid,))[0][0]
            check(e, "unknown row %d says why: %r" % (rid, e))
        check(env.stop_server() == 0, "SIGTERM: exit 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
