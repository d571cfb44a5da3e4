#!/usr/bin/env python3
"""Approval with four eyes (issue 9, section 6), through smsctl and the real
daemon:

<approval kinds="bulk" minRecipients="2" fourEyes="true"/>

- `smsctl send --kind bulk --to A,B,C` by alice makes one batch; its rows wait
  as 'pending_approval' with a reason, and nothing reaches the simulator;
- `smsctl pending` lists the batch and its submitter;
- `smsctl approve --batch B` by alice herself is refused (exit 1, the reason
  names four-eyes) and changes nothing; by bob it works and the three
  messages go out, approved_by = bob;
- `smsctl reject --batch B2 --note ...` keeps the note as the rows' reason;
  nothing of that batch is sent;
- a single bulk message (a batch of 1 < minRecipients) and a notice batch go
  without approval;
- the audit log has the send, the approval and the rejection with their actors.

The actor is the OS user; under sudo, smsctl trusts SUDO_USER (only when its
effective uid is 0). The tests run as root in CI, so SUDO_USER=alice/bob
stands for two people. Not root: alice's part is played by the current user
and the second approver's rows are written by SQL with another submitter.
"""
import os
import re
import sys

from smstest import PolicyEnv, check, log, wait_until

POLICY = """
<policy>
    <approval kinds="bulk" minRecipients="2" fourEyes="true"/>
  </policy>"""

A, B, C = "+8613955110101", "+8613955110102", "+8613955110103"
D, E = "+8613955110104", "+8613955110105"
F = "+8613955110106"


def batch_of(r):
    m = re.search(r"batch (\d+)", r.stdout)
    if not m:
        raise AssertionError("smsctl send printed no batch id: %r %r" % (r.stdout, r.stderr))
    return int(m.group(1))


def main():
    root = os.geteuid() == 0
    if not root:
        log("NOTE: not running as root: smsctl ignores SUDO_USER unless its euid is 0, so the SUDO_USER parts "
            "(alice submits, bob approves) are skipped; the current user plays alice and a row written by SQL "
            "plays another submitter")
    with PolicyEnv("policy-approval") as env:
        m1 = env.sim("m1")
        cfg = env.policy_config([m1], POLICY, timezone="Asia/Shanghai")
        env.start_server_cfg(cfg, [m1])
        alice = {"SUDO_USER": "alice"} if root else None
        bob = {"SUDO_USER": "bob"} if root else None

        r = env.smsctl("send", "--kind", "bulk", "--to", ",".join([A, B, C]), "年终答谢会邀请", env_extra=alice)
        check(r.returncode == 0, "smsctl send --kind bulk --to A,B,C: exit 0")
        b1 = batch_of(r)
        ids = [i for (i,) in env.query("SELECT id FROM outbox WHERE batch=? ORDER BY id", (b1,))]
        check(len(ids) == 3, "three rows in batch %d: %s" % (b1, ids))
        env.wait_status(ids, ("pending_approval",))
        rows = [env.row(i) for i in ids]
        submitter = rows[0]["submitted_by"]
        if root:
            check(all(x["submitted_by"] == "alice" for x in rows), "submitted_by = alice (SUDO_USER, euid 0)")
        check(all(x["reason"] and "approval" in x["reason"] for x in rows),
              "the rows say why they wait: %r" % rows[0]["reason"])
        # The batch has 3 rows: the reason must not say fewer (the count may
        # stop at minRecipients, but then it has to say "at least").
        check(re.search(r"\b3 recipients|at least 2 recipients", rows[0]["reason"]),
              "the reason states the batch's size truthfully (3, or at least 2): %r" % rows[0]["reason"])
        check(env.query("SELECT created_by, kind FROM batches WHERE id=?", (b1,)) == [(submitter, "bulk")],
              "batches row: created by %s, kind bulk" % submitter)
        check(m1.messages() == [], "nothing reached the simulator while the batch waits")

        r = env.smsctl("pending", env_extra=alice)
        check(r.returncode == 0 and str(b1) in r.stdout and submitter in r.stdout,
              "smsctl pending lists batch %d and its submitter %s" % (b1, submitter))
        r = env.smsctl("pending", "--json")
        check(r.returncode == 0 and str(b1) in r.stdout and r.stdout.strip()[:1] in "[{", "smsctl pending --json")

        # The submitter approves her own batch: refused.
        r = env.smsctl("approve", "--batch", b1, env_extra=alice)
        check(r.returncode == 1, "approve by the submitter herself: exit 1 (got %d)" % r.returncode)
        check("four-eyes" in (r.stdout + r.stderr).lower(), "the refusal names four-eyes: %r" % (r.stdout + r.stderr))
        check(all(env.row(i)["status"] == "pending_approval" for i in ids), "still pending after the refusal")
        check(m1.messages() == [], "still nothing sent")

        if root:
            r = env.smsctl("approve", "--batch", b1, "--note", "同意发送", env_extra=bob)
            check(r.returncode == 0, "approve --batch by bob: exit 0")
            env.wait_status(ids)
            check(sorted(m1.messages()) == sorted([(n, "年终答谢会邀请") for n in (A, B, C)]),
                  "after bob's approval the three messages went out")
            rows = [env.row(i) for i in ids]
            check(all(x["approved_by"] == "bob" and x["approved_at"] for x in rows), "approved_by = bob, approved_at set")
            a = env.query("SELECT actor, object FROM audit WHERE action='approve' ORDER BY id")
            check(sorted(a) == sorted([("bob", "outbox:%d" % i) for i in ids]), "audit: one approve row per message by bob")
        else:
            # Someone else's batch, written by SQL.
            env.sqlite3_cli("INSERT INTO batches(id, created_by, kind) VALUES (900, 'carol', 'bulk');"
                            "INSERT INTO outbox(recipient, text, kind, batch, submitted_by) VALUES"
                            " ('%s', 'x', 'bulk', 900, 'carol'), ('%s', 'x', 'bulk', 900, 'carol');" % (A, B))
            other = [i for (i,) in env.query("SELECT id FROM outbox WHERE batch=900")]
            env.wait_status(other, ("pending_approval",))
            r = env.smsctl("approve", "--batch", 900)
            check(r.returncode == 0, "approving another submitter's batch: exit 0")
            env.wait_status(other)

        # A second batch, rejected with a note.
        r = env.smsctl("send", "--kind", "bulk", "--to", "%s,%s" % (D, E), "促销信息", env_extra=alice)
        b2 = batch_of(r)
        ids2 = [i for (i,) in env.query("SELECT id FROM outbox WHERE batch=? ORDER BY id", (b2,))]
        env.wait_status(ids2, ("pending_approval",))
        r = env.smsctl("pending")
        check(str(b2) in r.stdout, "smsctl pending lists the second batch %d" % b2)
        r = env.smsctl("reject", "--batch", b2, env_extra=bob)
        check(r.returncode != 0 and all(env.row(i)["status"] == "pending_approval" for i in ids2),
              "reject without --note is refused (exit %d); the rows still wait" % r.returncode)
        note = "内容未经法务审核"
        r = env.smsctl("reject", "--batch", b2, "--note", note, env_extra=bob)
        check(r.returncode == 0, "reject --batch --note: exit 0")
        rows = [env.row(i) for i in ids2]
        check(all(x["status"] == "rejected" and note in (x["reason"] or "") for x in rows),
              "rejected rows keep the note as their reason: %r" % rows[0]["reason"])
        rej = env.query("SELECT actor, details FROM audit WHERE action='reject'")
        check(len(rej) == 2 and all(note in (d or "") for _, d in rej), "audit: the rejections with the note (%s)" % rej)

        # Under minRecipients, and notices: no approval.
        r = env.smsctl("send", "--kind", "bulk", "--to", F, "单条群发", env_extra=alice)
        single = int(r.stdout.strip().split()[-1])
        r = env.smsctl("send", "--kind", "notice", "--to", "%s,%s" % (D, E), "系统维护通知", env_extra=alice)
        ids3 = [i for (i,) in env.query("SELECT id FROM outbox WHERE batch=? ORDER BY id", (batch_of(r),))]
        env.wait_status([single] + ids3)
        msgs = m1.messages()
        check((F, "单条群发") in msgs and (D, "系统维护通知") in msgs and (E, "系统维护通知") in msgs,
              "one bulk message (below minRecipients=2) and a notice batch went without approval")
        check(not any(t == "促销信息" for _, t in msgs), "nothing of the rejected batch was sent")
        sends = env.query("SELECT actor, object FROM audit WHERE action='send'")
        check(("alice" if root else submitter, "batch:%d" % b1) in sends, "audit: the send of batch %d by %s"
              % (b1, submitter))
        check(env.stop_server() == 0, "SIGTERM: exit 0")
    log("policy approval: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
