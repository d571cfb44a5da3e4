#!/usr/bin/env python3
"""Sending-policy benchmarks (issue 9, section 10): the real smserver against
modemsim processes on ptys, with and without every policy rule on, plus the
two smsctl figures. Not part of ctest; see bench/policy/README.md.

  bench_policy.py [--build DIR] [--only drain,check,import] [--quick]
                  [--messages N] [--repeat R] [--approval approved|off|huge]

Prints a Markdown report (the "## Sending policy" section of
docs/PERFORMANCE.md) on stdout, a line per run on stderr; --json FILE also
writes every figure as JSON.
"""
import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bench", "server"))
import bench  # noqa: E402  (bench/server/bench.py: Sims, SmServer, cpu_seconds, wait_until, ...)

TIMEZONE = "Asia/Shanghai"
SIGNATURE = "【某某公司】"
# Recipients: Anhui mobiles 139 5511 xxxx (libphonenumber: 安徽省合肥市), so
# region allow="安徽省" lets them through. 10,000 numbers in that block.
RECIPIENT_BLOCK = 13955110000
RECIPIENT_MAX = 10000
LIST_SIZES = {"whitelist": 100000, "optout": 10000, "blacklist": 1000}
BANNED_WORDS = 1000
# What every text is made of (the banned words avoid these characters, so none occurs).
TEXT_TEMPLATE = "尊敬的客户，您本月的积分为{}分，{}月底前可兑换礼品。回TD退订"
WITHOUT = set()   # --without: rule elements left out of the "every rule on" config (to find what costs)
CHECK_NUMBER = "+8613955112345"     # one of the recipients: whitelisted, in 安徽省
CHECK_BLOCKED = "+8613700000123"    # on the opt-out list


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def e164(n):
    return "+86%d" % n


def recipients(n):
    if n > RECIPIENT_MAX:
        raise SystemExit("at most %d messages (the 139 5511 xxxx block)" % RECIPIENT_MAX)
    return [e164(RECIPIENT_BLOCK + i) for i in range(n)]


def text_for(i):
    return TEXT_TEMPLATE.format(1000 + i % 9000, 12)


def list_numbers():
    """The lists of every run: the whitelist holds every possible recipient (the
    10,000 numbers of the block) plus filler
    (other valid mobiles) up to 100,000; opt-outs and the blacklist are other
    numbers (so every message still goes out)."""
    white = recipients(RECIPIENT_MAX)    # the whole block, whatever n_recipients (CHECK_NUMBER is in it)
    white += [e164(13800000000 + i) for i in range(LIST_SIZES["whitelist"] - len(white))]
    return {
        "whitelist": white,
        "optout": [e164(13700000000 + i) for i in range(LIST_SIZES["optout"])],
        "blacklist": [e164(13600000000 + i) for i in range(LIST_SIZES["blacklist"])],
    }


def banned_words():
    """1,000 words: 600 Chinese ones of 2-4 characters, 400 Latin ones. Each has
    a character that no text (nor the signature) contains, so none occurs."""
    used = set(TEXT_TEMPLATE + SIGNATURE + "0123456789")
    pool = [c for c in "发票代开贷款赌博彩票刷单兼职高薪返利中奖免费领取转账汇款密码验证账户冻结"
                       "投资理财股票基金保险房产中介装修搬家快递包裹签收退款赔偿维权律师诉讼"
                       "医院药品保健减肥美容整形游戏充值点卡会员优惠折扣秒杀抢购团购直播带货"
                       "网贷借呗花呗信用卡套现黑户征信洗钱传销集资众筹虚拟货币比特挖矿外汇黄金"
            if c not in used]
    pool = list(dict.fromkeys(pool))
    words = []
    for i in range(600):   # distinct (i -> digits in base len(pool)), 2 to 4 characters
        ln = 2 + i % 3
        words.append("".join(pool[(i // len(pool) ** j + 5 * j) % len(pool)] for j in range(ln)))
    for i in range(400):
        w = "spam" + "".join(chr(ord("a") + (i // 26 ** j) % 26) for j in range(3))
        words.append(w)
    assert len(set(words)) == BANNED_WORDS
    for w in words:
        assert any(c not in used for c in w.lower()), w
    return words


def policy_xml(now_local, approval):
    """Every rule of issue 9 on, none of them holding the bench's rows: quiet
    windows of one minute 12 and 11 hours away, holidays next year, limits
    above what the run sends."""
    q1 = now_local + dt.timedelta(hours=12)
    q2 = now_local + dt.timedelta(hours=11)
    hm = lambda t: t.strftime("%H:%M")
    next_year = now_local.year + 1
    rules = [
        '<whitelist kinds="bulk"/>',
        '<blacklist kinds="notice,bulk"/>',
        '<optout keywords="TD,T,退订,STOP,N" reply="您已退订，将不再收到此类短信。" kinds="bulk"/>',
        '<limit scope="recipient" per="day" max="5" kinds="bulk"/>',
        '<limit scope="total" per="day" max="1000000" kinds="bulk"/>',
        '<limit scope="modem" per="hour" max="1000000" kinds="notice,bulk"/>',
        '<quiet from="%s" to="%s" kinds="bulk"/>' % (hm(q1), hm(q1 + dt.timedelta(minutes=1))),
        '<quiet from="%s" to="%s" kinds="bulk"/>' % (hm(q2), hm(q2 + dt.timedelta(minutes=1))),
        '<holiday date="%d-02-17" kinds="bulk"/>' % next_year,
        '<holiday from="%d-10-01" to="%d-10-07" kinds="bulk"/>' % (next_year, next_year),
        '<signature text="%s" position="end" kinds="notice,bulk"/>' % SIGNATURE,
        '<maxLength chars="70" kinds="bulk"/>',
        '<bannedWords file="banned-words.txt" kinds="notice,bulk"/>',
        '<region allow="安徽省" kinds="bulk"/>',
    ]
    if approval == "approved":
        rules.append('<approval kinds="bulk" minRecipients="1" fourEyes="true"/>')
    elif approval == "huge":
        rules.append('<approval kinds="bulk" minRecipients="1000000000" fourEyes="true"/>')
    rules.append('<retention audit="180d" messages="365d"/>')
    rules = [r for r in rules if r[1:].split()[0].rstrip("/>") not in WITHOUT]
    return '  <policy defaultKind="notice" defaultRegion="CN">\n%s\n  </policy>\n' % "\n".join("    " + r for r in rules)


def write_config(d, db, links, policy):
    """smserver.xml (and banned-words.txt beside it) in d; returns its path."""
    with open(os.path.join(d, "banned-words.txt"), "w", encoding="utf-8") as f:
        f.write("# bench/policy: 1,000 words, none in the bench's texts\n")
        f.write("\n".join(banned_words()) + "\n")
    cfg = os.path.join(d, "smserver.xml")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write('<smserver timezone="%s">\n  <database url="%s"/>\n' % (TIMEZONE, db))
        for i, l in enumerate(links, 1):
            f.write('  <modem id="m%d" port="%s"/>\n' % (i, l))
        f.write('  <log level="warning"/>\n')
        if policy:
            f.write(policy)
        f.write('</smserver>\n')
    return cfg


class Server(bench.SmServer):
    """bench.SmServer with a config file of our own (time zone, policy)."""

    def __init__(self, build, d, cfg, db, n_modems):
        self.db = db
        self.cfg = cfg
        # BENCH_SMSERVER_WRAPPER: a command to run smserver under (profiling), e.g.
        # "valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p" or "strace -c -f -o /tmp/st".
        wrapper = os.environ.get("BENCH_SMSERVER_WRAPPER", "").split()
        self.proc = subprocess.Popen(wrapper + [os.path.join(build, "src", "smserver"), "--config", cfg],
                                     stderr=open(os.path.join(d, "smserver.stderr"), "a"))
        bench.wait_until(lambda: self._ready() == n_modems, 300 if wrapper else 60, "modems ready")


    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(300)   # under valgrind the exit (and its profile dump) takes a while


def user_sys(pid):
    """(utime, stime) of pid in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / bench.TICK, int(fields[12]) / bench.TICK


def fill_lists(db, lists):
    con = sqlite3.connect(db, timeout=30)
    con.execute("BEGIN")
    for name, numbers in lists.items():
        con.executemany("INSERT INTO number_lists(number, list, added_by, source) VALUES (?, ?, 'bench', 'bench')",
                        ((n, name) for n in numbers))
    con.commit()
    con.close()


def status_counts(db):
    con = sqlite3.connect(db, timeout=10)
    try:
        return dict(con.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall())
    finally:
        con.close()


def drain(build, n_msgs, with_policy, approval, keep=None):
    """One drain of n_msgs bulk rows through 4 modems; with_policy: every rule
    on. Both kinds of run have the same database (lists, batch) and rows; the
    only difference is <policy>. keep: a folder to copy the database and
    config into (for the smsctl figures)."""
    d = tempfile.mkdtemp(prefix="smpolicy-")
    sims = bench.Sims(build, d, 4, 0)
    db = os.path.join(d, "sms.db")
    now_local = dt.datetime.now(zoneinfo.ZoneInfo(TIMEZONE))
    cfg = write_config(d, db, sims.links, policy_xml(now_local, approval) if with_policy else "")
    # The server makes the database; the lists are imported while it is
    # stopped and it starts again with them, as an office runs it: lists
    # imported once, then days of sending (an import while it runs costs one
    # reading of the lists, logged with its time: "policy lists read into
    # memory: N numbers in M ms").
    srv = Server(build, d, cfg, db, 4)
    srv.stop()
    fill_lists(db, list_numbers())
    con = sqlite3.connect(db, timeout=10)
    con.execute("INSERT INTO batches(id, created_by, kind, note) VALUES (1, 'bench-submitter', 'bulk', 'bench')")
    con.commit()
    con.close()
    srv = Server(build, d, cfg, db, 4)
    try:
        time.sleep(1.0)   # let the modems settle after the start
        to = recipients(n_msgs)
        approved = approval == "approved"
        rows = [(to[i], text_for(i), "bulk", 1, "bench-submitter",
                 "bench-approver" if approved else None,
                 now_local.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S") if approved else None)
                for i in range(n_msgs)]
        tracer = None
        if os.environ.get("BENCH_STRACE_DIR"):   # system calls over the drain: strace -c -f attached to smserver
            out = os.path.join(os.environ["BENCH_STRACE_DIR"], "strace-%s-%d.txt" % (
                "policy" if with_policy else "plain", srv.proc.pid))
            tracer = subprocess.Popen(["strace", "-c", "-f", "-p", str(srv.proc.pid), "-o", out],
                                      stderr=subprocess.DEVNULL)
            time.sleep(1.0)
        cpu0, ut0 = srv.cpu(), user_sys(srv.proc.pid)
        c = sqlite3.connect(db, timeout=10)
        c.execute("BEGIN")
        c.executemany("INSERT INTO outbox(recipient, text, kind, batch, submitted_by, approved_by, approved_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        c.commit()
        t0 = time.time()
        c.close()

        def settled():
            s = status_counts(db)
            if s.get("queued", 0):   # a deferred row would wait for hours: the run would measure nothing
                cq = sqlite3.connect(db, timeout=10)
                why = cq.execute("SELECT reason FROM outbox WHERE status='queued' AND reason IS NOT NULL LIMIT 1").fetchone()
                cq.close()
                if why:
                    raise SystemExit("a row was deferred by the policy (the bench's rules must let every row "
                                     "through): " + why[0])
            waiting = s.get("sending", 0) + s.get("queued", 0)
            return waiting == 0 and sum(s.values()) == n_msgs
        bench.wait_until(settled, 600, "drain", interval=0.5)
        cpu1, ut1 = srv.cpu(), user_sys(srv.proc.pid)
        if tracer:
            tracer.send_signal(signal.SIGINT)
            tracer.wait(30)
        subs = sims.submits()
        t_last = max(bench.log_time(s["time"]) for s in subs)
        statuses = status_counts(db)
        sample = [s["text"] for s in subs[:1]]
        res = {
            "policy": with_policy, "messages": n_msgs, "modems": 4,
            "seconds": t_last - t0, "per_second": n_msgs / (t_last - t0),
            "cpu_per_1000": (cpu1 - cpu0) / n_msgs * 1000,
            "user_per_1000": (ut1[0] - ut0[0]) / n_msgs * 1000, "sys_per_1000": (ut1[1] - ut0[1]) / n_msgs * 1000,
            "submits": len(subs),
            "statuses": statuses, "not_sent": n_msgs - statuses.get("sent", 0),
            "sample_text": sample[0] if sample else None, "peak_rss_kb": srv.rss(),
        }
    finally:
        srv.stop()
        sims.stop()
    if keep:
        for name in ("sms.db", "banned-words.txt"):
            shutil.copy(os.path.join(d, name), os.path.join(keep, name))
        for suffix in ("-wal", "-shm"):
            if os.path.exists(db + suffix):
                shutil.copy(db + suffix, os.path.join(keep, "sms.db" + suffix))
    shutil.rmtree(d, ignore_errors=True)
    return res


def median_run(runs):
    runs = sorted(runs, key=lambda r: r["cpu_per_1000"])
    mid = dict(runs[len(runs) // 2])
    mid["runs"] = len(runs)
    mid["cpu_per_1000_runs"] = [round(r["cpu_per_1000"], 4) for r in runs]
    mid["per_second_runs"] = sorted(round(r["per_second"]) for r in runs)
    return mid


def drains(build, n_msgs, repeat, approval, keep):
    """Interleaved: plain, policy, policy, plain, plain, policy, ... (the order
    alternates so that a drift of the machine's load hits both alike)."""
    plain, pol = [], []
    for r in range(repeat):
        order = [False, True] if r % 2 == 0 else [True, False]
        for with_policy in order:
            res = drain(build, n_msgs, with_policy, approval, keep=keep if with_policy else None)
            (pol if with_policy else plain).append(res)
            log("drain %s run %d: %.4f CPU s / 1000 msgs (user %.3f, sys %.3f), %.0f msgs/s, statuses %s, load %.2f"
                % ("policy" if with_policy else "plain ", r + 1, res["cpu_per_1000"], res["user_per_1000"],
                   res["sys_per_1000"], res["per_second"],
                   res["statuses"], os.getloadavg()[0]))
    out = {"plain": median_run(plain), "policy": median_run(pol)}
    out["ratio"] = out["policy"]["cpu_per_1000"] / out["plain"]["cpu_per_1000"]
    # Each round's policy run against the plain run next to it.
    out["ratio_pairs"] = [round(p["cpu_per_1000"] / q["cpu_per_1000"], 3) for p, q in zip(pol, plain)]
    return out


# ---------------------------------------------------------------------------- smsctl figures

def smsctl(build):
    return os.path.join(build, "tools", "smsctl", "smsctl")


def timed(cmd, runs):
    times, last = [], None
    for _ in range(runs):
        t = time.perf_counter()
        last = subprocess.run(cmd, capture_output=True, text=True)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "runs": runs, "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(round(len(times) * 0.95)) - 1)],
        "min_ms": times[0], "max_ms": times[-1],
        "rc": last.returncode, "stdout": last.stdout.strip(), "stderr": last.stderr.strip(),
    }


def fresh_db(build, d, with_policy, approval):
    """An empty database of the current schema, made by smserver itself (one
    simulated modem, started and stopped); returns (db, config) in d."""
    sims = bench.Sims(build, d, 1, 0)
    db = os.path.join(d, "sms.db")
    now_local = dt.datetime.now(zoneinfo.ZoneInfo(TIMEZONE))
    cfg = write_config(d, db, sims.links, policy_xml(now_local, approval) if with_policy else "")
    srv = Server(build, d, cfg, db, 1)
    srv.stop()
    sims.stop()
    return db, cfg


def check(build, runs, approval, kept):
    """`smsctl policy check` against the database of a policy drain (100,000
    whitelisted, 10,000 opted out, 1,000 blacklisted, the drain's rows and
    counters), config with every rule on."""
    d = kept
    db = os.path.join(d, "sms.db")
    now_local = dt.datetime.now(zoneinfo.ZoneInfo(TIMEZONE))
    # A message of its own (no batch) would wait for approval under
    # minRecipients="1" and never reach the time rules: here approval is on
    # with a minimum no single message reaches, so the answer comes from every rule.
    cfg = write_config(d, db, [], policy_xml(now_local, "huge" if approval == "approved" else approval))
    con = sqlite3.connect(db)
    facts = {
        "lists": dict(con.execute("SELECT list, count(*) FROM number_lists GROUP BY list").fetchall()),
        "outbox_rows": con.execute("SELECT count(*) FROM outbox").fetchone()[0],
        "counters": con.execute("SELECT count(*) FROM policy_counters").fetchone()[0],
    }
    con.close()
    text = "尊敬的客户，您本月的积分为2345分，12月底前可兑换礼品。回TD退订"
    base = [smsctl(build), "--config", cfg, "policy", "check", "--kind", "bulk"]
    out = {"facts": facts, "text": text}
    out["send"] = timed(base + ["--to", CHECK_NUMBER, text], runs)
    log("policy check (send): median %.2f ms, p95 %.2f ms; %s" % (out["send"]["median_ms"], out["send"]["p95_ms"],
                                                                  out["send"]["stdout"].replace("\n", " | ")))
    out["blocked"] = timed(base + ["--to", CHECK_BLOCKED, text], runs)
    log("policy check (opt-out): median %.2f ms, p95 %.2f ms; %s" % (
        out["blocked"]["median_ms"], out["blocked"]["p95_ms"], out["blocked"]["stdout"].replace("\n", " | ")))
    # The floor: the same process start-up and config load without the policy work.
    out["help"] = timed([smsctl(build), "--config", cfg, "policy", "check", "--help"], runs)
    return out


def import_numbers(build, repeat, approval):
    """`smsctl whitelist import FILE` of 100,000 numbers (TXT, one a line, in
    the national form a spreadsheet holds: 13955110000), into a fresh database
    each time."""
    d = tempfile.mkdtemp(prefix="smpolicy-import-")
    try:
        tmpl = os.path.join(d, "template")
        os.mkdir(tmpl)
        fresh_db(build, tmpl, True, approval)
        numbers = [n[3:] for n in list_numbers()["whitelist"]]
        txt = os.path.join(d, "numbers.txt")
        with open(txt, "w") as f:
            f.write("\n".join(numbers) + "\n")
        runs = []
        for r in range(repeat):
            rd = os.path.join(d, "run%d" % r)
            os.mkdir(rd)
            for name in os.listdir(tmpl):
                if name.startswith("sms.db") or name == "banned-words.txt":
                    shutil.copy(os.path.join(tmpl, name), os.path.join(rd, name))
            db = os.path.join(rd, "sms.db")
            cfg = write_config(rd, db, [], policy_xml(dt.datetime.now(zoneinfo.ZoneInfo(TIMEZONE)), approval))
            t = time.perf_counter()
            p = subprocess.run([smsctl(build), "--config", cfg, "whitelist", "import", txt],
                               capture_output=True, text=True)
            wall = time.perf_counter() - t
            con = sqlite3.connect(db)
            listed = con.execute("SELECT count(*) FROM number_lists WHERE list='whitelist'").fetchone()[0]
            con.close()
            runs.append({"seconds": wall, "rc": p.returncode, "listed": listed,
                         "stdout": p.stdout.strip()[-400:], "stderr": p.stderr.strip()[-400:]})
            log("import run %d: %.2f s, rc %d, %d listed; %s" % (r + 1, wall, p.returncode, listed,
                                                                  p.stdout.strip().splitlines()[-1:] or p.stderr[-200:]))
        secs = sorted(x["seconds"] for x in runs)
        return {"numbers": len(numbers), "runs": runs, "median_s": statistics.median(secs), "seconds_runs": secs}
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------------------- report

def machine():
    info = {"nproc": os.cpu_count(), "kernel": platform.release()}
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                info["cpu"] = line.split(":", 1)[1].strip()
    except OSError:
        pass
    try:
        info["commit"] = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                        capture_output=True, text=True).stdout.strip()
        info["dirty"] = bool(subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                                            capture_output=True, text=True).stdout.strip())
    except OSError:
        pass
    return info


def report(out, args):
    m = out["machine"]
    L = []
    L.append("Run %s – %s UTC, commit %s%s, build `%s`; machine: %s × %s, load average %.2f before, %.2f after."
             % (out["start"], out["end"], m.get("commit", "?"), " (with uncommitted changes)" if m.get("dirty") else "",
                args.build, m.get("nproc"), m.get("cpu", "?"), out["load_before"], out["load_after"]))
    L.append("")
    L.append("Command: `python3 bench/policy/bench_policy.py %s`" % " ".join(sys.argv[1:]))
    L.append("")
    if "drain" in out:
        dr = out["drain"]
        p, q = dr["plain"], dr["policy"]
        L.append("| drain, {:,} bulk rows, 4 modems (median of {}, interleaved) | CPU s / 1,000 messages | runs | "
                 "user / sys | messages/s | not sent |".format(p["messages"], p["runs"]))
        L.append("|---|---|---|---|---|---|")
        for name, r in (("without `<policy>`", p), ("every rule on", q)):
            L.append("| %s | **%.3f** | %s | %.3f / %.3f | %d (%d – %d) | %d |" % (
                name, r["cpu_per_1000"], ", ".join("%.3f" % x for x in r["cpu_per_1000_runs"]),
                r["user_per_1000"], r["sys_per_1000"],
                round(r["per_second"]), r["per_second_runs"][0], r["per_second_runs"][-1], r["not_sent"]))
        L.append("")
        L.append("Ratio policy / plain (medians): **%.2f** (target ≤ 1.2); per round: %s." % (
            dr["ratio"], ", ".join("%.2f" % x for x in dr["ratio_pairs"])))
        L.append("Sample text as sent: `%s`." % q.get("sample_text"))
        L.append("")
    if "check" in out:
        c = out["check"]
        L.append("`smsctl policy check` (%d runs each, wall time per process, target < 10 ms; database: %s, %d outbox rows, %d counters):"
                 % (c["send"]["runs"], ", ".join("%s %d" % kv for kv in sorted(c["facts"]["lists"].items())),
                    c["facts"]["outbox_rows"], c["facts"]["counters"]))
        L.append("")
        L.append("| command | median | p95 | min – max | answer |")
        L.append("|---|---|---|---|---|")
        for name, key in (("check `--to %s` (whitelisted)" % CHECK_NUMBER, "send"),
                          ("check `--to %s` (opted out)" % CHECK_BLOCKED, "blocked"),
                          ("`policy check --help` (start-up floor)", "help")):
            r = c[key]
            ans = (r["stdout"] or r["stderr"]).splitlines()
            L.append("| %s | **%.2f ms** | %.2f ms | %.2f – %.2f ms | %s |" % (
                name, r["median_ms"], r["p95_ms"], r["min_ms"], r["max_ms"],
                ("`%s`" % ans[0].replace("|", "\\|")) if ans and key != "help" else ""))
        L.append("")
    if "import" in out:
        im = out["import"]
        last = (im["runs"][-1]["stdout"] or im["runs"][-1]["stderr"]).splitlines()
        L.append("`smsctl whitelist import` of {:,} numbers (TXT), fresh database each run: median **{:.2f} s** "
                 "(target < 5 s); runs {}; output: `{}`.".format(
                     im["numbers"], im["median_s"], ", ".join("%.2f" % s for s in im["seconds_runs"]),
                     os.path.basename(last[-1]) if last else ""))
        L.append("")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--only", default="drain,check,import")
    ap.add_argument("--quick", action="store_true", help="1,000 messages, 1 round, 10 checks, 1 import")
    ap.add_argument("--messages", type=int, help="rows per drain (default 4,000; --quick 1,000; at most 10,000)")
    ap.add_argument("--repeat", type=int, help="rounds of (plain, policy) drains (default 5; --quick 1)")
    ap.add_argument("--check-runs", type=int, default=50)
    ap.add_argument("--approval", choices=["approved", "off", "huge"], default="approved",
                    help="approved (default): <approval minRecipients=1>, the rows' batch already approved; "
                         "off: no <approval>; huge: minRecipients=1e9, so each claim counts the batch's rows")
    ap.add_argument("--without", default="", help="rule elements to leave out (comma list, e.g. limit,bannedWords): "
                    "to find what a rule costs; the figures are then not issue 9's")
    ap.add_argument("--keep", help="keep the policy drain's database and config for `policy check` in this folder")
    ap.add_argument("--json", help="also write the figures to this file")
    a = ap.parse_args()
    a.build = os.path.abspath(a.build)
    WITHOUT.update(w for w in a.without.split(",") if w)
    q = a.quick
    n = a.messages or (1000 if q else 4000)
    repeat = a.repeat or (1 if q else 5)
    only = set(a.only.split(","))
    out = {"machine": machine(), "load_before": os.getloadavg()[0], "without": sorted(WITHOUT),
           "start": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M"), "approval": a.approval}
    keep = a.keep or tempfile.mkdtemp(prefix="smpolicy-keep-")
    os.makedirs(keep, exist_ok=True)
    try:
        if "drain" in only:
            out["drain"] = drains(a.build, n, repeat, a.approval, keep)
        if "check" in only:
            if not os.path.exists(os.path.join(keep, "sms.db")):
                drain(a.build, n, True, a.approval, keep=keep)
            out["check"] = check(a.build, 10 if q else a.check_runs, a.approval, keep)
        if "import" in only:
            out["import"] = import_numbers(a.build, 1 if q else 3, a.approval)
    finally:
        if not a.keep:
            shutil.rmtree(keep, ignore_errors=True)
    out["load_after"] = os.getloadavg()[0]
    out["end"] = dt.datetime.now(dt.timezone.utc).strftime("%H:%M")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1, ensure_ascii=False)
    print(report(out, a))


if __name__ == "__main__":
    main()
