#!/usr/bin/env python3
"""A long message whose modem vanished after 2 of its 3 parts (USB unplug):
- the row ends 'unknown' and says which parts went out (refs of parts 1-2,
  parts = 3, the modem, the concatenation reference), checked against what
  the simulator logged as actually submitted;
- smsctl retry refuses while that modem is away and asks for --whole;
- once it is back, smsctl retry sends only part 3, through the same modem,
  with the same concatenation reference and part numbering, so a phone joins
  the three parts into the original text; the row says it went in two goes;
- smsctl retry --whole sends every part again, with a new reference."""
import json
import os
import subprocess
import sys

from smstest import BUILD, Env, check, log, wait_until

SMSCTL = os.path.join(BUILD, "tools", "smsctl", "smsctl")
# 3 UCS-2 parts (67 characters each).
LONG = "模拟器在发送第二段后拔出，第三段需要补发，接收方手机仍能拼成完整的一条长短信。" * 4


def smsctl(env, *args):
    p = subprocess.run([SMSCTL, args[0], "--db", env.db] + list(args[1:]), capture_output=True, text=True, timeout=60)
    log("smsctl", *args, "->", p.returncode, p.stdout.strip(), p.stderr.strip())
    return p.returncode, p.stdout, p.stderr


def row(env, rid):
    rc, out, _ = smsctl(env, "out", "--from", "2000-01-01", "--json")
    assert rc == 0
    return next(r for r in json.loads(out) if r["id"] == rid)


def state(env, mid):
    return dict(env.query("SELECT id, state FROM modems")).get(mid)


def main():
    with Env("partial_send") as env:
        # Vanishes once 2 submits have been answered; back after 8 s.
        m1 = env.sim("m1", "--vanish-after", "2", "--vanish-ms", "8000")
        env.start_server([m1])
        rid = env.insert("+8613800138000", LONG)

        env.wait_status([rid], ("unknown",), timeout=30)
        sub = m1.submits()
        check(len(sub) == 2 and [s["concat_seq"] for s in sub] == [1, 2] and all(s["concat_total"] == 3 for s in sub),
              "the simulator got parts 1 and 2 of 3, then vanished")
        ref = sub[0]["concat_ref"]
        r = row(env, rid)
        check(r["parts"] == 3 and r["refs"] == "%d,%d" % (sub[0]["mr"], sub[1]["mr"]) and r["sent_by"] == "m1"
              and r["concat_ref"] == ref,
              "the row records the 2 parts that went out: refs %s of %d parts, via m1, reference %d"
              % (r["refs"], r["parts"], ref))
        check("only 2 of 3 parts were sent" in r["last_error"], "and says why: %s" % r["last_error"])

        # m1 is away: retry must not send the rest through another way, nor everything silently.
        wait_until(lambda: state(env, "m1") not in (None, "ready"), 10, "m1 no longer ready")
        rc, out, err = smsctl(env, "retry", str(rid))
        check(rc == 1 and "--whole" in err and "m1" in err and "parts 1\u20132 of 3 went out" in err,
              "retry while m1 is away asks for --whole: %s" % err.strip())
        check(row(env, rid)["status"] == "unknown", "and changes nothing")

        wait_until(lambda: state(env, "m1") == "ready", 40, "m1 back")
        rc, out, err = smsctl(env, "retry", str(rid))
        check(rc == 0 and "only the missing part 3 of 3" in out, "retry once m1 is back: %s" % out.strip())
        env.wait_status([rid], ("sent",), timeout=30)
        sub = m1.submits()
        check(len(sub) == 3, "exactly one more part went out (%d submits in all)" % len(sub))
        third = sub[2]
        check(third["concat_ref"] == ref and third["concat_seq"] == 3 and third["concat_total"] == 3,
              "it is part 3 of 3 with the same reference %d" % ref)
        joined = [t for n, t in m1.messages() if n == "+8613800138000"]
        check(joined == [LONG], "the three parts join into the original text")
        r = row(env, rid)
        check(r["refs"] == ",".join(str(s["mr"]) for s in sub) and r["parts"] == 3,
              "the row's refs list all three parts: %s" % r["refs"])
        check("sent in two goes" in (r["last_error"] or ""), "and says it went in two goes: %s" % r["last_error"])

        # --whole: vanish again after 2 parts of a new message, then send it all again.
        m1.control("set vanish_after 2")
        rid2 = env.insert("+8613800138001", LONG)
        env.wait_status([rid2], ("unknown",), timeout=30)
        wait_until(lambda: state(env, "m1") not in (None, "ready"), 10, "m1 no longer ready")
        rc, out, err = smsctl(env, "retry", "--whole", str(rid2))
        check(rc == 0, "retry --whole is accepted while m1 is away")
        r = row(env, rid2)
        check(r["status"] == "queued" and r["refs"] is None and r["parts"] == 0 and r["resume_part"] is None,
              "the row forgets its parts")
        env.wait_status([rid2], ("sent",), timeout=40)
        sub2 = [s for s in m1.submits() if s["number"] == "+8613800138001"]
        seqs = [s["concat_seq"] for s in sub2]
        check(seqs == [1, 2, 1, 2, 3] and sub2[2]["concat_ref"] != sub2[0]["concat_ref"],
              "all three parts went out again, with a new reference (%s)" % seqs)
        check(env.stop_server() == 0, "SIGTERM: exit 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
