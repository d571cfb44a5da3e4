#!/usr/bin/env python3
"""A modem vanishes mid-run (USB unplug): its messages finish on the other
modem, nothing is sent twice, and the vanished modem comes back."""
import sys

from smstest import Env, check, wait_until


def main():
    with Env("vanish") as env:
        m1 = env.sim("m1", "--submit-delay-ms", "100", "--vanish-after", "3", "--vanish-ms", "8000")
        m2 = env.sim("m2", "--submit-delay-ms", "100")
        env.start_server([m1, m2])
        ids = [env.insert("+8613800138%03d" % i, "vanish %d" % i) for i in range(24)]
        env.wait_status(ids, ("sent", "unknown"), timeout=60)
        st = env.statuses()
        unknown = [i for i in ids if st[i] == "unknown"]
        texts = [t for _, t in m1.messages()] + [t for _, t in m2.messages()]
        check(len(texts) == len(set(texts)), "no message was submitted twice")
        sent = set(texts)
        check(all(("vanish %d" % (i - ids[0])) in sent for i in ids if st[i] == "sent"),
              "every 'sent' row is in a simulator's submit log")
        check(len(unknown) <= 1, "at most the message in flight at the unplug is 'unknown' (%d)" % len(unknown))
        n1 = len(m1.messages())
        check(n1 >= 3 and len(m2.messages()) >= 24 - n1 - len(unknown),
              "m1 sent %d before vanishing, m2 finished the rest (%d)" % (n1, len(m2.messages())))
        wait_until(lambda: dict(env.query("SELECT id, state FROM modems")).get("m1") == "ready", 40,
                   "m1 back to ready after it returned")
        check(True, "m1 is ready again after the pty came back")
        check(env.stop_server() == 0, "SIGTERM: exit 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
