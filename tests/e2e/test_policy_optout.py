#!/usr/bin/env python3
"""Opt-out by reply (退订) while a 200-row bulk batch drains through one
simulated modem (a 40 ms network delay per submit):

- the batch has 200 rows; X gets rows 100, 150 and 190, every other row goes
  to a number of its own (no whitelist is configured);
- once about 120 messages have gone out, the simulator delivers "退订" from X;
- X is put on the opt-out list (number_lists, list 'optout', with the inbox
  row's id), the reply goes to X, the waiting rows to X are blocked with a
  reason, and the audit log has the opt-out and each block;
- the reply is a notice submitted by 'smserver' and exempt from quiet hours:
  a quiet window covering now for notices defers an ordinary notice, yet the
  reply goes;
- after the opt-out committed, no row to X is handed to the modem.

How "after it committed" is checked. The opt-out is one write transaction
(number_lists row, blocking X's queued rows, the reply, the audit rows), and
number_lists.added_at is taken inside it, after the write lock is held.
Claiming a row is also a write transaction, so every claim is either before
that transaction or after its commit, and a claim after the commit sees X on
the list. One modem has at most one row claimed at a time (it claims the next
only when the previous one is answered), so at the commit at most one row can
be claimed and not yet submitted: the one in flight. Hence, in the
simulator's submit log (the real clock, as added_at; cmgs_time is when the
modem read AT+CMGS), the first submit with cmgs_time >= added_at may be a row
to X claimed before the commit; no later submit may go to X, except the
reply. The rows to X must end 'sent' (submitted before, or that one in flight)
or 'blocked' with the opt-out as reason; at least one of them must be blocked,
or the test did not test anything (it would mean the inbound message was not
handled while the batch was draining).

Also: the keyword is matched after trimming, NFKC and case folding (" Ｔｄ "
from another number); a second 退订 from X gets no second reply; a new bulk
row to X is blocked by the claim gate; a notice to X is not (kinds="bulk").
"""
import datetime
import sys

from smstest import PolicyEnv, check, log, utc_from_sim, wait_until

X = "+8613955119999"
Z = "+8613955118888"
REPLY = "您已退订，将不再收到此类短信。"
ROWS = 200
X_ROWS = (100, 150, 190)   # 1-based positions in the batch: the first goes before the opt-out
DELIVER_AFTER = 120        # submits logged before the opt-out arrives


def quiet_window_around_now():
    """A quiet window (Asia/Shanghai, no DST: UTC+8) from 2 h before to 2 h
    after the real time now, as HH:MM."""
    now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)
    f = (now - datetime.timedelta(hours=2)).strftime("%H:%M")
    t = (now + datetime.timedelta(hours=2)).strftime("%H:%M")
    return f, t


def main():
    q_from, q_to = quiet_window_around_now()
    policy = """
<policy>
    <optout keywords="TD,T,退订,STOP,N" reply="%s" kinds="bulk"/>
    <quiet from="%s" to="%s" kinds="notice"/>
  </policy>""" % (REPLY, q_from, q_to)
    log("quiet window for notices (local): %s-%s" % (q_from, q_to))
    with PolicyEnv("policy-optout") as env:
        m1 = env.sim("m1", "--submit-delay-ms", "40")
        cfg = env.policy_config([m1], policy, timezone="Asia/Shanghai")
        env.start_server_cfg(cfg, [m1])

        # An ordinary notice: the quiet window covers now for notices.
        notice = env.insert("+8613955117777", "普通通知", kind="notice")
        r = env.wait_row(notice, lambda r: r["reason"], "deferred by the quiet window")
        check(r["status"] == "queued" and "quiet" in r["reason"],
              "an ordinary notice is deferred by the quiet window (%s: %r)" % (r["status"], r["reason"]))

        # The batch, in one transaction.
        recipients = []
        for i in range(1, ROWS + 1):
            recipients.append(X if i in X_ROWS else "+86139551%05d" % (20000 + i))
        values = ",\n".join("('%s', '群发第%d条', 'bulk', 1)" % (n, i) for i, n in enumerate(recipients, 1))
        out = env.sqlite3_cli("BEGIN; INSERT INTO batches(id, created_by, kind, note) VALUES (1, 'e2e', 'bulk', 'opt-out test');"
                              "INSERT INTO outbox(recipient, text, kind, batch) VALUES %s;"
                              "SELECT min(id), max(id) FROM outbox WHERE batch = 1; COMMIT;" % values)
        lo, hi = (int(v) for v in out.strip().splitlines()[-1].split("|"))
        ids = list(range(lo, hi + 1))
        x_ids = [ids[i - 1] for i in X_ROWS]
        check(len(ids) == ROWS, "%d bulk rows queued as batch 1 (ids %d-%d); X's rows: %s" % (ROWS, lo, hi, x_ids))

        wait_until(lambda: len(m1.submits()) >= DELIVER_AFTER, 60, "%d submits" % DELIVER_AFTER, interval=0.02)
        log("delivering 退订 from X after %d submits" % len(m1.submits()))
        m1.control("deliver %s 退订" % X)

        ol = wait_until(lambda: env.query("SELECT added_at, inbox_id, added_by, source FROM number_lists"
                                          " WHERE number=? AND list='optout'", (X,)), 30, "X on the opt-out list")
        added_at, inbox_id, added_by, source = ol[0]
        inbox = env.query("SELECT id, sender, text, stored_at FROM inbox WHERE id=?", (inbox_id,))
        check(inbox and inbox[0][1] == X and inbox[0][2] == "退订",
              "X is on the opt-out list with the inbox row of its 退订 (inbox %s: %s)" % (inbox_id, inbox))
        check(added_by == "smserver" and inbox[0][3] <= added_at,
              "added by 'smserver' at %s, after the inbox row was stored at %s" % (added_at, inbox[0][3]))

        env.wait_status(ids, ("sent", "blocked"), timeout=60)
        reply_rows = env.query("SELECT id, status, kind, submitted_by, reason FROM outbox WHERE recipient=? AND text=?",
                               (X, REPLY))
        check(len(reply_rows) == 1 and reply_rows[0][2] == "notice" and reply_rows[0][3] == "smserver",
              "one reply queued: a notice submitted by 'smserver' (%s)" % reply_rows)
        env.wait_status([reply_rows[0][0]], timeout=30)
        check((X, REPLY) in m1.messages(), "the reply went to X although the quiet window covers notices now")
        check(env.row(notice)["status"] == "queued", "the ordinary notice still waits for the end of the quiet window")

        # Rows to X after the commit.
        subs = m1.submits()
        after = [i for i, s in enumerate(subs) if utc_from_sim(s["cmgs_time"]) >= added_at]
        in_flight = after[0] if after else None
        later = set(after[1:])
        late = [s for i, s in enumerate(subs) if i in later and s["number"] == X and s["text"] != REPLY]
        log("opt-out committed at %s; %d submits before it; the one in flight: %s" % (
            added_at, len(subs) - len(after), (subs[in_flight]["number"], subs[in_flight]["text"]) if after else None))
        check(not late, "no row to X was submitted after the opt-out committed (besides the one in flight): %s" % late)
        st = {}
        for rid in x_ids:
            r = env.row(rid)
            st[rid] = (r["status"], r["reason"])
            check(r["status"] == "sent" or (r["status"] == "blocked" and "opted out" in (r["reason"] or "")),
                  "X's row %d: sent before the opt-out, or blocked naming it: %s" % (rid, st[rid]))
        blocked_x = [rid for rid in x_ids if st[rid][0] == "blocked"]
        check(blocked_x, "at least one of X's rows was still waiting and is blocked (%s)" % st)
        first = env.row(x_ids[0])
        first_sub = [s for s in subs if s["number"] == X and s["text"] == first["text"]]
        check(first["status"] == "sent" and len(first_sub) == 1 and utc_from_sim(first_sub[0]["cmgs_time"]) < added_at,
              "X's row %d (before the 退订 arrived) was sent, submitted before the opt-out committed" % x_ids[0])
        sent_to_x = [s for s in subs if s["number"] == X and s["text"] != REPLY]
        check(len(sent_to_x) == len(x_ids) - len(blocked_x), "X's sent rows match its submits (%d)" % len(sent_to_x))
        others = env.query("SELECT count(*) FROM outbox WHERE batch=1 AND status='sent' AND recipient<>?", (X,))[0][0]
        check(others == ROWS - len(x_ids), "the other %d rows of the batch were all sent" % others)

        # Audit.
        a = env.audit_rows("optout", "inbox:%d" % inbox_id)
        check(len(a) == 1 and a[0][0] == "smserver" and X in a[0][3], "audit: the opt-out (%s)" % a)
        for rid in blocked_x:
            b = env.audit_rows("blocked", "outbox:%d" % rid)
            check(len(b) == 1 and "opted out" in b[0][3], "audit: row %d blocked by the opt-out (%s)" % (rid, b))

        # After the opt-out: the claim gate blocks new bulk rows to X; notices are not covered.
        nb = env.insert(X, "新的群发", kind="bulk")
        r = env.wait_row(nb, lambda r: r["status"] == "blocked", "blocked by the gate")
        check("opted out" in (r["reason"] or ""), "a new bulk row to X is blocked: %r" % r["reason"])
        nn = env.insert(X, "账户变动提醒", kind="notice")
        r = env.wait_row(nn, lambda r: r["reason"], "a decision")
        check(r["status"] == "queued" and "quiet" in r["reason"],
              "a notice to X is not blocked (kinds=bulk), only deferred by the quiet window: %r" % r["reason"])

        # A second 退订 from X: recorded, no second reply.
        m1.control("deliver %s 退订" % X)
        wait_until(lambda: len(env.audit_rows("optout")) >= 2, 30, "the second opt-out audited")
        check(len(env.query("SELECT id FROM outbox WHERE recipient=? AND text=?", (X, REPLY))) == 1,
              "a second 退订 from X queues no second reply")

        # Trimmed, NFKC, case-folded: " Ｔｄ " (full-width letters, blanks around).
        m1.control("deliver %s \\u0020Ｔｄ\\u0020" % Z)
        wait_until(lambda: env.query("SELECT 1 FROM number_lists WHERE number=? AND list='optout'", (Z,)), 30,
                   "Z on the opt-out list")
        check(True, "' Ｔｄ ' is the keyword TD after trimming, NFKC and case folding")
        zr = wait_until(lambda: env.query("SELECT id FROM outbox WHERE recipient=? AND text=?", (Z, REPLY)), 30,
                        "Z's reply queued")
        env.wait_status([zr[0][0]])
        check((Z, REPLY) in m1.messages(), "Z got the reply")
        check(env.stop_server() == 0, "SIGTERM: exit 0")
    log("policy opt-out: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
