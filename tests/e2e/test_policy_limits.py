#!/usr/bin/env python3
"""The per-modem limit (issue 9, section 2: <limit scope="modem">) with two
simulated modems and the real daemon, its clock started at 2026-12-07 20:00
in Asia/Shanghai (libfaketime):

<limit scope="modem" per="hour" max="2" kinds="bulk"/>

- five bulk messages: each modem hands over at most 2 this hour, so 4 go
  (2 by m1, 2 by m2) and the 5th stays queued with a reason naming the
  modem limit (send_at NULL, left to the other modems, or the next local
  hour), and nothing reaches a simulator beyond the 4;
- the counters are kept per modem and local hour (m|bulk|h|2026-12-07T20|m1);
- a notice still goes (the limit counts bulk messages only).
"""
import sys

from smstest import PolicyEnv, check, log, wait_until

POLICY = """
<policy>
    <limit scope="modem" per="hour" max="2" kinds="bulk"/>
  </policy>"""


def main():
    with PolicyEnv("policy-limits") as env:
        m1, m2 = env.sim("m1", "--submit-delay-ms", "50"), env.sim("m2", "--submit-delay-ms", "50")
        cfg = env.policy_config([m1, m2], POLICY, timezone="Asia/Shanghai")
        env.start_server_cfg(cfg, [m1, m2], fake_utc="2026-12-07 12:00:00")   # 20:00 in Shanghai
        nums = ["+861395511500%d" % i for i in range(1, 6)]
        out = env.sqlite3_cli("BEGIN;" + "".join("INSERT INTO outbox(recipient, text, kind) VALUES ('%s', '群发%d', 'bulk');"
                                                 % (n, i) for i, n in enumerate(nums, 1))
                              + "SELECT group_concat(id) FROM outbox; COMMIT;")
        ids = [int(x) for x in out.strip().splitlines()[-1].split(",")]

        def settled():
            st = env.statuses()
            sent = [i for i in ids if st.get(i) == "sent"]
            waiting = [i for i in ids if st.get(i) == "queued" and env.row(i)["reason"]]
            return (sent, waiting) if len(sent) == 4 and len(waiting) == 1 else None
        sent, waiting = wait_until(settled, 30, "4 rows sent and 1 waiting with a reason", interval=0.1)
        by = sorted(env.row(i)["sent_by"] for i in sent)
        check(by == ["m1", "m1", "m2", "m2"], "each modem sent 2 bulk messages (sent_by %s)" % by)
        r = env.row(waiting[0])
        # With every modem full, the table asks for send_at = the
        # first moment allowed (21:00 local = 13:00 UTC); a row left with its
        # send_at (NULL) for other modems is accepted too, as long as it waits.
        check("per modem per hour" in r["reason"] and (r["send_at"] is None or r["send_at"].startswith("2026-12-07 13:00:00")),
              "the 5th waits, the modem limit named: %r, send_at %r" % (r["reason"], r["send_at"]))
        check(len(m1.messages()) == 2 and len(m2.messages()) == 2, "2 submits per simulator, no more")
        c = dict(env.query("SELECT key, n FROM policy_counters WHERE key LIKE 'm|%'"))
        check(c == {"m|bulk|h|2026-12-07T20|m1": 2, "m|bulk|h|2026-12-07T20|m2": 2},
              "modem counters per local hour: %s" % c)
        n = env.insert("+8613955115009", "通知不受群发限额", kind="notice")
        env.wait_status([n])
        check(True, "a notice still goes through the full modems")
        check(env.statuses()[waiting[0]] == "queued", "the 5th bulk message still waits")
        check(env.stop_server() == 0, "SIGTERM: exit 0")
    log("policy limits: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
