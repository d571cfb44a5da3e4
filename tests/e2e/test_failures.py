#!/usr/bin/env python3
"""Rows an integrator got wrong fail with a clear last_error while good rows
still go; temporary modem errors are retried with backoff and give up after
maxAttempts; a retry succeeds once the network recovers."""
import sys

from smstest import Env, Raw, check, wait_until


def main():
    with Env("failures") as env:
        m1 = env.sim("m1")
        env.start_server([m1], dispatch='maxAttempts="3" retryDelays="1s" maxParts="10" pollInterval="5s"')

        bad = {
            env.insert(None, "no recipient"): "recipient is empty",
            env.insert("+86138abc000", "letters"): "invalid recipient",
            env.insert("10086", ""): "text is empty",
            env.insert("10086", None): "text is empty",
            env.insert("10086", Raw("CAST(X'6869FF6869' AS TEXT)")): "UTF-8",
            env.insert("10086", "x" * 1531): "needs 11 SMS parts",
        }
        good = [env.insert("10086", "good %d" % i) for i in range(3)]
        env.wait_status(list(bad), ("failed",))
        env.wait_status(good)
        for rid, words in bad.items():
            err = env.query("SELECT last_error FROM outbox WHERE id=?", (rid,))[0][0]
            check(words in (err or ""), "row %d failed with last_error %r" % (rid, err))
        check(sorted(t for _, t in m1.messages()) == ["good 0", "good 1", "good 2"],
              "the good rows were sent and no bad row reached the modem")
        check("rejected" in env.server_stderr(), "the server logged the rejected rows")

        # Temporary failures: +CMS ERROR 500/38 on every submit.
        m1.control("set error_rate 1")
        doomed = env.insert("10086", "doomed")
        env.wait_status([doomed], ("failed",), timeout=30)
        attempts, err = env.query("SELECT attempts, last_error FROM outbox WHERE id=?", (doomed,))[0]
        check(attempts == 3 and "gave up after 3 attempts" in err,
              "after 3 temporary failures the row failed: attempts=%d, %r" % (attempts, err))

        lucky = env.insert("10086", "lucky")
        wait_until(lambda: env.query("SELECT attempts, status FROM outbox WHERE id=?", (lucky,))[0] == (1, "queued"),
                   20, "first attempt failed and the row waits for its retry")
        err = env.query("SELECT last_error FROM outbox WHERE id=?", (lucky,))[0][0]
        check("CMS ERROR" in (err or ""), "the retry reason is recorded: %r" % err)
        m1.control("set error_rate 0")
        env.wait_status([lucky], timeout=20)
        check(env.query("SELECT attempts FROM outbox WHERE id=?", (lucky,))[0][0] == 2, "sent on the second attempt")
        check(env.stop_server() == 0, "SIGTERM: exit 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
