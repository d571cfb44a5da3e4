#!/usr/bin/env python3
"""SIGHUP reloads the sending policy (issue 9, section 2), with the real
daemon whose clock starts at 2026-12-07 20:00 in Asia/Shanghai (12:00 UTC,
libfaketime):

1. no <policy>: bulk messages go, also to Y (whose number is already on the
   blacklist table: without a <blacklist> rule the table is not consulted);
2. SIGHUP with <blacklist/>: a new bulk message to Y is blocked, others go;
3. SIGHUP adding a quiet window 19:00-21:00 for bulk (covering now): a bulk
   message is deferred to 21:00 local (13:00 UTC); a notice still goes;
4. SIGHUP with a broken policy (from="25:00"): rejected, the running policy
   stays (a bulk message is still deferred, Y still blocked);
5. SIGHUP changing only timezone to UTC: 12:0x UTC is outside 19:00-21:00, so
   a bulk message goes;
6. SIGHUP without <policy>: Y gets a bulk message again;
7. SIGHUP with a daily limit of 1 bulk message per recipient (timezone
   Asia/Shanghai again): the first goes, the second waits for the next local
   midnight, 2026-12-08 00:00 local = 2026-12-07 16:00 UTC (no quiet window
   covers midnight here), the limit named in `reason`.
"""
import sys

from smstest import PolicyEnv, check, log

Y = "+8613955113333"
O1, O2, O3, O4, O5, O6 = ("+861395511400%d" % i for i in range(1, 7))

BLACKLIST = """
<policy>
    <blacklist kinds="notice,bulk"/>
  </policy>"""
QUIET = """
<policy>
    <blacklist kinds="notice,bulk"/>
    <quiet from="19:00" to="21:00" kinds="bulk"/>
  </policy>"""
LIMIT = """
<policy>
    <limit scope="recipient" per="day" max="1" kinds="bulk"/>
  </policy>"""
BROKEN = """
<policy>
    <blacklist kinds="notice,bulk"/>
    <quiet from="25:00" to="21:00" kinds="bulk"/>
  </policy>"""


def main():
    with PolicyEnv("policy-reload") as env:
        m1 = env.sim("m1")
        cfg = env.policy_config([m1], "", timezone="Asia/Shanghai")
        env.start_server_cfg(cfg, [m1], fake_utc="2026-12-07 12:00:00")   # 20:00 in Shanghai
        env.list_add("blacklist", [Y])

        # 1. no policy
        ids = [env.insert(n, "第一批群发", kind="bulk") for n in (Y, O1, O2)]
        env.wait_status(ids)
        check(all(env.row(i)["reason"] is None for i in ids), "no policy: three bulk messages sent, Y included")

        # 2. a blacklist
        env.policy_config([m1], BLACKLIST, timezone="Asia/Shanghai")
        tail = env.reload()
        check("applied" in tail, "SIGHUP: the new policy is applied (log: %r)" % tail.strip()[:300])
        y = env.insert(Y, "第二批群发", kind="bulk")
        o = env.insert(O3, "第二批群发", kind="bulk")
        env.wait_status([y], ("blocked",))
        env.wait_status([o])
        check("blacklist" in env.row(y)["reason"], "after the reload a bulk message to Y is blocked: %r"
              % env.row(y)["reason"])

        # 3. a quiet window covering now (20:00 local)
        env.policy_config([m1], QUIET, timezone="Asia/Shanghai")
        env.reload()
        q = env.insert(O4, "第三批群发", kind="bulk")
        n = env.insert(O4, "第三批通知", kind="notice")
        env.wait_status([n])
        r = env.wait_row(q, lambda r: r["reason"], "deferred")
        check(r["status"] == "queued" and (r["send_at"] or "").startswith("2026-12-07 13:00:00"),
              "after the reload a bulk message is deferred to 21:00 local = 13:00 UTC (%s %r: %r)"
              % (r["status"], r["send_at"], r["reason"]))
        check("quiet" in r["reason"], "the reason names the quiet hours: %r" % r["reason"])

        # 4. a broken file is rejected; the running policy stays
        env.policy_config([m1], BROKEN, timezone="Asia/Shanghai")
        tail = env.reload()
        check("rejected" in tail and "25:00" in tail, "a broken policy is rejected, naming the value: %r"
              % tail.strip()[:300])
        q2 = env.insert(O5, "第四批群发", kind="bulk")
        y2 = env.insert(Y, "第四批群发", kind="bulk")
        r = env.wait_row(q2, lambda r: r["reason"], "deferred")
        check(r["status"] == "queued" and "quiet" in r["reason"], "the running quiet window still applies")
        env.wait_status([y2], ("blocked",))
        check(True, "the running blacklist still applies")

        # 5. the time zone alone: 12:0x UTC is outside 19:00-21:00
        env.policy_config([m1], QUIET, timezone="UTC")
        tail = env.reload()
        check("applied" in tail, "SIGHUP: the time zone change is applied")
        u = env.insert(O6, "第五批群发", kind="bulk")
        env.wait_status([u])
        check(True, "with timezone=UTC the quiet window 19:00-21:00 does not cover 12:0x: the bulk message went")

        # 6. no policy again
        env.policy_config([m1], "", timezone="UTC")
        env.reload()
        y3 = env.insert(Y, "第六批群发", kind="bulk")
        env.wait_status([y3])
        check(True, "without <policy> Y gets bulk messages again")

        # 7. a daily limit
        env.policy_config([m1], LIMIT, timezone="Asia/Shanghai")
        env.reload()
        l1 = env.insert(O1, "第七批群发", kind="bulk")
        env.wait_status([l1])
        l2 = env.insert(O1, "第七批群发（二）", kind="bulk")
        r = env.wait_row(l2, lambda r: r["reason"], "deferred by the limit")
        check(r["status"] == "queued" and (r["send_at"] or "").startswith("2026-12-07 16:00:00"),
              "the 2nd bulk message to one number that local day waits for local midnight = 16:00 UTC (%r)"
              % r["send_at"])
        check("limit of 1 bulk message per recipient per day" in r["reason"] and "2026-12-08 00:00" in r["reason"],
              "the reason names the limit and local midnight: %r" % r["reason"])

        msgs = m1.messages()
        check((Y, "第二批群发") not in msgs and (Y, "第四批群发") not in msgs and (O4, "第三批群发") not in msgs
              and (O5, "第四批群发") not in msgs, "nothing blocked or deferred reached the simulator")
        check(sorted(msgs) == sorted([(Y, "第一批群发"), (O1, "第一批群发"), (O2, "第一批群发"), (O3, "第二批群发"),
                                      (O4, "第三批通知"), (O6, "第五批群发"), (Y, "第六批群发"), (O1, "第七批群发")]),
              "the simulator's log holds exactly the messages the policy of the moment allowed")
        check(env.stop_server() == 0, "SIGTERM: exit 0")
    log("policy reload: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
