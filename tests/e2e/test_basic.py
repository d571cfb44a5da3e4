#!/usr/bin/env python3
"""Send and receive through one simulated modem: a GSM 7-bit message, a
Chinese multipart message both ways, inbound committed to the inbox before the
modem deletes it, runOnReceive with the
message in environment variables, a status report matched to its outbox row.
Also SIGTERM exits 0 and the modems table is kept."""
import os
import sys

from smstest import Env, check, wait_until

CHINESE = "您好，这是一条很长的中文短信，用来测试长短信的拆分与重组。" * 4   # 112 characters: 2 UCS-2 parts


def main():
    with Env("basic") as env:
        m1 = env.sim("m1", "--status-reports", "--status-report-delay-ms", "200")
        hook_out = os.path.join(env.dir, "hook.out")
        hook = os.path.join(env.dir, "hook.sh")
        with open(hook, "w") as f:
            f.write('#!/bin/sh\nprintf "%%s|%%s|%%s|%%s|%%s\\n" "$SMS_ID" "$SMS_SENDER" "$SMS_TEXT" "$SMS_MODEM" "$SMS_PARTS" '
                    '>> "%s"\n' % hook_out)
        os.chmod(hook, 0o755)
        env.start_server([m1], extra='<runOnReceive command="%s"/>' % hook)

        a = env.insert("+8613800138000", "hello from sqlite3")
        b = env.insert("10086", CHINESE)
        env.wait_status([a, b])
        msgs = m1.messages()
        check(("+8613800138000", "hello from sqlite3") in msgs, "GSM 7-bit text arrived decoded in the simulator")
        check(("10086", CHINESE) in msgs, "Chinese multipart text arrived whole (parts joined by concat reference)")
        subs = m1.submits()
        check(sum(1 for s in subs if s["number"] == "10086") == 2 and all(
            s["encoding"] == "ucs2" for s in subs if s["number"] == "10086"), "the Chinese text went as 2 UCS-2 parts")
        row = env.query("SELECT parts, attempts, sent_at IS NOT NULL FROM outbox WHERE id=?", (b,))[0]
        check(row == (2, 1, 1), "outbox row: parts=2, attempts=1, sent_at set (got %s)" % (row,))
        # The references the simulator answered (+CMGS: <mr>, in its log) are in
        # outbox.refs; no report was asked for, so no outbox_parts rows.
        mrs = ",".join(str(s["mr"]) for s in subs if s["number"] == "10086")
        refs = env.query("SELECT refs FROM outbox WHERE id=?", (b,))[0][0]
        check(refs == mrs, "outbox.refs holds the modem's references %r (got %r)" % (mrs, refs))
        check(env.query("SELECT count(*) FROM outbox_parts")[0][0] == 0,
              "no outbox_parts rows for messages sent without a status report")

        # inbound: single and Chinese multipart
        m1.control("deliver +8613912345678 hi there")
        m1.control("deliver +8613912345678 " + CHINESE)
        rows = wait_until(lambda: (lambda r: r if len(r) == 2 else None)(
            env.query("SELECT sender, text, parts, modem, processed FROM inbox ORDER BY id")), 20, "two inbox rows")
        check(rows[0] == ("+8613912345678", "hi there", 1, "m1", 0), "single inbound stored: %s" % (rows[0],))
        check(rows[1] == ("+8613912345678", CHINESE, 2, "m1", 0), "Chinese multipart inbound reassembled")
        # deleted from the SIM only after the commit: storage ends empty
        wait_until(lambda: m1.control("storage") in ("", "ok"), 20, "SIM storage emptied after the commit")
        check(True, "the modem's storage was emptied after the inbox rows were committed")

        # runOnReceive ran once per stored message, the text only as data
        wait_until(lambda: os.path.exists(hook_out) and len(open(hook_out).readlines()) == 2, 20, "two hook runs")
        lines = sorted(open(hook_out, encoding="utf-8").read().splitlines())
        check(lines[0].split("|", 1)[1] == "+8613912345678|hi there|m1|1" and lines[1].endswith("|m1|2"),
              "runOnReceive got SMS_ID, SMS_SENDER, SMS_TEXT, SMS_MODEM, SMS_PARTS: %s" % lines)

        # (an undecodable PDU cannot be injected: the simulator checks what it
        # delivers; tests/server/test_inbound.cpp covers that case)

        # a status report updates the outbox row
        sr = env.insert("10086", "report please", status_report=1)
        env.wait_status([sr], ("delivered",), timeout=20)
        ds = env.query("SELECT delivery_status, delivered_at FROM outbox WHERE id=?", (sr,))[0]
        check(ds[0] and ds[1], "status report matched: delivery_status=%r delivered_at=%r" % ds)
        parts = env.query("SELECT status FROM outbox_parts WHERE outbox_id=?", (sr,))
        check(parts == [("delivered",)], "the report-wanted message has its part row, delivered (%s)" % parts)

        rc = env.stop_server()
        check(rc == 0, "SIGTERM: smserver exits 0 (got %s)" % rc)
        state = env.query("SELECT state FROM modems WHERE id='m1'")
        check(state and state[0][0] == "stopped", "modems table says m1 stopped (%s)" % (state,))
    return 0


if __name__ == "__main__":
    sys.exit(main())
