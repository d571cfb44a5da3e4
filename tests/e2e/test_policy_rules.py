#!/usr/bin/env python3
"""Each rule of the sending policy (issue 9) with the real daemon, its clock
started at a fixed moment under libfaketime, and one simulated modem:

run 1 at 2026-12-07 10:00 in Asia/Shanghai (02:00 UTC):
  - a bulk message to a whitelisted Anhui number goes out with the signature
    appended (the simulator's log shows the text that went);
  - a second bulk message to that number the same local day stays queued,
    send_at moved and the limit named in `reason`. The limit resets at local
    midnight, but 00:00 lies inside the 22:00-08:00 quiet window, so the first
    moment every rule allows it is 08:00 local (2026-12-08 00:00 UTC), as the
    issue's table says ("a limit that resets at 00:00 inside a 22:00-08:00
    quiet window defers to 08:00");
  - a notice to a number not on the whitelist goes (whitelist kinds=bulk);
  - a bulk message to that number is blocked (whitelist);
  - a number on the blacklist is blocked, notice and bulk alike;
  - a whitelisted Jiangsu number is blocked by region allow="安徽省";
  - banned words: "ＦＲＥＥ" (full-width) matches the listed "free", and a
    Chinese phrase in a notice; the word is named;
  - maxLength 65: 59 characters + the 6 of the signature go, 60 + 6 = 66 are
    blocked with both numbers; a text that already has the signature does not
    get it twice;
  - kind NULL means defaultKind (notice); kind 'promo' fails with the reason;
  - the total limit (3 distinct bulk recipients a day): a 4th recipient waits;
run 2 (a restart) at 22:00:05 local: a bulk message is deferred to 08:00 local
  (00:00 UTC the next day) while a notice goes at once;
run 3 at 2027-10-07 10:00 local, the last day of a holiday range: bulk waits
  for 2027-10-08 08:00 local (the holiday ends at 00:00, inside the quiet
  window), a notice goes; rows deferred in 2026 and due now are deferred
  again by the holiday.

Nothing that was blocked or deferred appears in the simulator's log; each
decision is in the audit table; the recipient counter is keyed by the local
day."""
import sys

from smstest import PolicyEnv, check, log, wait_until

SIG = "【某某公司】"
TZ = "Asia/Shanghai"

A = "+8613955112345"      # Anhui (Hefei), whitelisted
N1 = "+8613955110001"     # Anhui, NOT whitelisted
BL = "+8613955110002"     # Anhui, whitelisted AND blacklisted: the blacklist wins
JS = "+8613912345678"     # Jiangsu, whitelisted
W1 = "+8613955110003"     # whitelisted: banned word (full-width)
W2 = "+8613955110004"     # whitelisted: 66 characters with the signature
W3 = "+8613955110005"     # whitelisted: 65 characters with the signature
W4 = "+8613955110006"     # whitelisted: bulk during quiet hours (run 2)
W5 = "+8613955110007"     # whitelisted: the signature is already there
W6 = "+8613955110008"     # whitelisted: the 4th distinct bulk recipient of the day (total limit 3)
W7 = "+8613955110009"     # whitelisted: bulk on a holiday (run 3)

POLICY = """
<policy defaultKind="notice">
    <whitelist kinds="bulk"/>
    <blacklist kinds="notice,bulk"/>
    <limit scope="recipient" per="day" max="1" kinds="bulk"/>
    <limit scope="total" per="day" max="3" kinds="bulk"/>
    <holiday from="2027-10-01" to="2027-10-07" kinds="bulk"/>
    <quiet from="22:00" to="08:00" kinds="bulk"/>
    <signature text="【某某公司】" position="end" kinds="notice,bulk"/>
    <maxLength chars="65" kinds="bulk"/>
    <bannedWords file="banned-words.txt" kinds="notice,bulk"/>
    <region allow="安徽省" kinds="bulk"/>
  </policy>"""

TEN = "一二三四五六七八九十"     # 10 characters, no banned word


def main():
    with PolicyEnv("policy-rules") as env:
        env.write("banned-words.txt", "# words the office's rules forbid\nfree\n发票\n\n")
        m1 = env.sim("m1")
        cfg = env.policy_config([m1], POLICY, timezone=TZ)
        env.start_server_cfg(cfg, [m1], fake_utc="2026-12-07 02:00:00")   # 10:00 in Shanghai
        env.list_add("whitelist", [A, BL, JS, W1, W2, W3, W4, W5, W6, W7])
        env.list_add("blacklist", [BL])

        # -- the first bulk message of the day to A: goes, signed
        a1 = env.insert(A, "明天上午十点开会", kind="bulk")
        env.wait_status([a1])
        check((A, "明天上午十点开会" + SIG) in m1.messages(), "bulk to a whitelisted Anhui number went with the signature")
        r = env.row(a1)
        check(r["text"] == "明天上午十点开会" + SIG and r["kind"] == "bulk" and r["reason"] is None,
              "the sent row holds the final text (signature added): %r" % r["text"])
        n = env.query("SELECT n FROM policy_counters WHERE key=?", ("r|bulk|d|2026-12-07|" + A,))
        check(n == [(1,)], "the recipient counter is keyed by the LOCAL day 2026-12-07 and is 1 (%s)" % n)

        # -- the second bulk message to A the same local day: deferred by the limit
        a2 = env.insert(A, "第二条群发", kind="bulk")
        r = env.wait_row(a2, lambda r: r["reason"], "deferred with a reason")
        check(r["status"] == "queued", "2nd bulk to A the same day stays queued (status %r)" % r["status"])
        check((r["send_at"] or "").startswith("2026-12-08 00:00:00"),
              "send_at is the first moment every rule allows: 2026-12-08 08:00 local = 00:00 UTC "
              "(the limit resets at midnight, inside the 22:00-08:00 quiet window) (send_at %r)" % r["send_at"])
        check("limit" in r["reason"] and "per recipient per day" in r["reason"] and "2026-12-08 08:00" in r["reason"],
              "the reason names the limit and the local time it waits for: %r" % r["reason"])

        # -- the rules that block, and the ones that let a row through
        rows = {}
        rows["n1_notice"] = env.insert(N1, "您的验证码是123456", kind="notice")
        rows["n1_bulk"] = env.insert(N1, "年终大促", kind="bulk")
        rows["bl_bulk"] = env.insert(BL, "年终大促", kind="bulk")
        rows["bl_notice"] = env.insert(BL, "您的验证码是654321", kind="notice")
        rows["js_bulk"] = env.insert(JS, "年终大促", kind="bulk")
        rows["w1_banned"] = env.insert(W1, "限时ＦＲＥＥ领取", kind="bulk")
        rows["n1_banned"] = env.insert(N1, "代开发票请联系", kind="notice")
        rows["w2_66"] = env.insert(W2, (TEN * 6)[:60], kind="bulk")
        rows["w3_65"] = env.insert(W3, (TEN * 6)[:59], kind="bulk")
        rows["w5_signed"] = env.insert(W5, "新品上市" + SIG, kind="bulk")
        rows["n1_default"] = env.insert(N1, "默认类型的提醒")            # kind NULL: defaultKind notice
        rows["n1_promo"] = env.insert(N1, "未知类型", kind="promo")
        goes = ["n1_notice", "w3_65", "w5_signed", "n1_default"]
        failed = ["n1_promo"]
        blocked = [k for k in rows if k not in goes + failed]
        env.wait_status([rows[k] for k in goes])
        env.wait_status([rows[k] for k in blocked], ("blocked",))
        env.wait_status([rows[k] for k in failed], ("failed",))
        msgs = m1.messages()
        check((N1, "您的验证码是123456" + SIG) in msgs, "a notice to a number not on the whitelist went (signed)")
        check((W3, (TEN * 6)[:59] + SIG) in msgs, "59 characters + the 6 of the signature = 65: went")
        check((W5, "新品上市" + SIG) in msgs, "a text that has the signature already is not signed twice")
        check((N1, "默认类型的提醒" + SIG) in msgs and env.row(rows["n1_default"])["kind"] == "notice",
              "kind NULL is defaultKind notice (the whitelist does not apply; the row now says kind=notice)")
        r = env.row(rows["n1_promo"])
        check("promo" in (r["reason"] or "") and "promo" in (r["last_error"] or ""),
              "kind 'promo' is no kind: failed, with the reason (%r)" % r["reason"])

        def reason(k):
            return env.row(rows[k])["reason"] or ""
        check(N1 in reason("n1_bulk") and "whitelist" in reason("n1_bulk"),
              "bulk to a number not on the whitelist: blocked: %r" % reason("n1_bulk"))
        check("blacklist" in reason("bl_bulk") and "blacklist" in reason("bl_notice"),
              "a blacklisted number: bulk and notice blocked: %r / %r" % (reason("bl_bulk"), reason("bl_notice")))
        check("江苏" in reason("js_bulk") and "安徽省" in reason("js_bulk"),
              "a whitelisted Jiangsu number is blocked by region allow=安徽省: %r" % reason("js_bulk"))
        check("'free'" in reason("w1_banned"), "full-width ＦＲＥＥ matches the banned word 'free' (named): %r"
              % reason("w1_banned"))
        check("'发票'" in reason("n1_banned"), "a banned phrase in a notice is named: %r" % reason("n1_banned"))
        check("66" in reason("w2_66") and "65" in reason("w2_66"),
              "66 characters with the signature: blocked with both numbers: %r" % reason("w2_66"))

        # -- the total limit: A, W3 and W5 had bulk messages today; a 4th recipient waits
        w6 = env.insert(W6, "第四位群发对象", kind="bulk")
        r = env.wait_row(w6, lambda r: r["reason"], "deferred by the total limit")
        check(r["status"] == "queued" and "limit of 3 distinct recipients" in r["reason"]
              and (r["send_at"] or "").startswith("2026-12-08 00:00:00"),
              "the 4th distinct bulk recipient of the day waits for 08:00 tomorrow (%r, %r)" % (r["send_at"], r["reason"]))
        n = env.query("SELECT n FROM policy_counters WHERE key='t|bulk|d|2026-12-07'")
        check(n == [(3,)], "the distinct-recipient counter of the local day is 3 (%s)" % n)

        # -- every blocked row is in the audit log, and none is in the simulator's log
        for k in blocked:
            a = env.audit_rows("blocked", "outbox:%d" % rows[k])
            check(len(a) == 1 and a[0][0] == "policy", "audit: %s blocked once, by 'policy' (%s)" % (k, a))
        check(len(env.audit_rows("deferred", "outbox:%d" % a2)) == 1, "audit: the limit deferral recorded once")

        # -- run 2: a restart with the clock at 22:00:05 local (14:00:05 UTC)
        check(env.stop_server() == 0, "SIGTERM: exit 0")
        env.start_server_cfg(cfg, [m1], fake_utc="2026-12-07 14:00:05")
        night_bulk = env.insert(W4, "晚间群发", kind="bulk")
        night_notice = env.insert(N1, "夜间告警：机房温度过高", kind="notice")
        env.wait_status([night_notice])
        check((N1, "夜间告警：机房温度过高" + SIG) in m1.messages(), "22:00:05 local: a notice goes at once")
        r = env.wait_row(night_bulk, lambda r: r["reason"], "deferred by the quiet window")
        check(r["status"] == "queued" and (r["send_at"] or "").startswith("2026-12-08 00:00:00"),
              "22:00:05 local: bulk deferred to 08:00 local = 2026-12-08 00:00 UTC (%s, %r)"
              % (r["status"], r["send_at"]))
        check("quiet hours 22:00" in r["reason"] and "08:00" in r["reason"], "reason names the quiet hours: %r"
              % r["reason"])
        check(len(env.audit_rows("deferred", "outbox:%d" % night_bulk)) == 1, "audit: the quiet deferral recorded")
        r = env.row(a2)
        check(r["status"] == "queued" and r["send_at"].startswith("2026-12-08 00:00:00"),
              "the limit-deferred row still waits after the restart (%s %s)" % (r["status"], r["send_at"]))

        # -- run 3: 2027-10-07 10:00 local, the last day of the holiday range 10-01..10-07
        check(env.stop_server() == 0, "SIGTERM: exit 0")
        env.start_server_cfg(cfg, [m1], fake_utc="2027-10-07 02:00:00")
        hb = env.insert(W7, "国庆群发", kind="bulk")
        hn = env.insert(N1, "国庆值班提醒", kind="notice")
        env.wait_status([hn])
        r = env.wait_row(hb, lambda r: r["reason"], "deferred by the holiday")
        check(r["status"] == "queued" and (r["send_at"] or "").startswith("2027-10-08 00:00:00"),
              "on the holiday's last day bulk waits for 2027-10-08 08:00 local (00:00 lies in the quiet window) "
              "= 00:00 UTC (%r)" % r["send_at"])
        check("holiday 2027-10-01 to 2027-10-07" in r["reason"], "the reason names the holiday: %r" % r["reason"])
        # The rows deferred in 2026 are due now; the holiday defers them again.
        for rid in (a2, night_bulk, w6):
            r = env.wait_row(rid, lambda r: "holiday" in (r["reason"] or ""), "deferred again by the holiday")
            check(r["status"] == "queued" and r["send_at"].startswith("2027-10-08 00:00:00"),
                  "row %d, due since 2026, is deferred again by the holiday (%r)" % (rid, r["send_at"]))

        # -- the simulator's log holds exactly what was allowed, nothing else
        expected = sorted([(A, "明天上午十点开会" + SIG), (N1, "您的验证码是123456" + SIG), (W3, (TEN * 6)[:59] + SIG),
                           (W5, "新品上市" + SIG), (N1, "默认类型的提醒" + SIG), (N1, "夜间告警：机房温度过高" + SIG),
                           (N1, "国庆值班提醒" + SIG)])
        got = sorted(m1.messages())
        check(got == expected, "the simulator's log holds exactly the %d allowed messages (got %s)" % (len(expected), got))
        held = env.query("SELECT id, recipient, text FROM outbox WHERE status IN ('blocked','queued','failed')")
        for rid, rcpt, text in held:
            check(not any(num == rcpt and text.replace(SIG, "") in t for num, t in got),
                  "row %d (%s) is not in the simulator's log" % (rid, env.statuses()[rid]))
        check(env.stop_server() == 0, "SIGTERM: exit 0")
    log("policy rules: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
