#!/usr/bin/env python3
"""Reference benchmark: Debian's gammu-smsd (SQL service, sqlite3 DBI driver)
driven against smserver's modem simulator (tools/modemsim), measured the way
issue 4 section 6 measures smserver, so docs/PERFORMANCE.md can show both.

Scenarios (see README.md beside this file):
  idle  4 modems, gammu-smsd idle: CPU over --idle-seconds, peak RSS (VmHWM)
  A     throughput: M rows queued at once, 4 modems, no network delay
  B     utilisation: 8 modems, 2000 ms network delay per submit
  C     latency: 1 idle modem, one row at a time, commit -> simulator accept

Standard library only. Every process started here is stopped on exit, also on
Ctrl-C, SIGTERM or an exception.
"""

import argparse
import datetime as dt
import glob
import gzip
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SCHEMA_CANDIDATES = [
    "/usr/share/doc/gammu-smsd/examples/sqlite.sql",
    "/usr/share/doc/gammu-smsd/examples/sqlite.sql.gz",
]
CLK_TCK = os.sysconf("SC_CLK_TCK")
# 160 characters of the GSM 7-bit default alphabet: one full single-part SMS.
TEXT160 = ("Benchmark message from the gammu-smsd reference run. "
           "The quick brown fox jumps over the lazy dog 0123456789. "
           "Queued in outbox, sent via the modem simulator.")
TEXT160 = (TEXT160 * 2)[:160]
assert len(TEXT160) == 160

# gammu-smsd settings we must set to run at all; everything else is left at
# gammu-smsd 1.42's shipped defaults (CommTimeout 30, LoopSleep 1,
# StatusFrequency 60, ReceiveFrequency 15, CheckSecurity/Battery/Signal/
# Network 1, ...). README.md lists these.
CONF_TEMPLATE = """\
[gammu]
device = {device}
connection = at115200

[smsd]
service = sql
driver = sqlite3
dbdir = {dbdir}
database = {dbname}
phoneid = {phoneid}
{extra}"""


class Failure(Exception):
    pass


def log(msg):
    print("[gammuref %s] %s" % (time.strftime("%H:%M:%S"), msg),
          file=sys.stderr, flush=True)


# ---------------------------------------------------------------- /proc ----

def cpu_seconds(pid):
    """utime+stime of PID in seconds (/proc/PID/stat fields 14, 15)."""
    with open("/proc/%d/stat" % pid) as f:
        s = f.read()
    rest = s[s.rfind(")") + 2:].split()  # rest[0] is field 3 (state)
    return (int(rest[11]) + int(rest[12])) / CLK_TCK


def run_ns(pid):
    """Time on CPU in ns from /proc/PID/schedstat (finer than clock ticks)."""
    try:
        with open("/proc/%d/schedstat" % pid) as f:
            return int(f.read().split()[0])
    except OSError:
        return None


def vm_kb(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


# ------------------------------------------------------------ processes ----

class Procs:
    """Every child process; stop_all() ends them (daemons first, then sims)."""

    def __init__(self):
        self.items = []  # (kind, name, Popen)

    def start(self, kind, name, argv, stdout, stderr, env=None):
        p = subprocess.Popen(argv, stdout=stdout, stderr=stderr, env=env,
                             stdin=subprocess.DEVNULL)
        self.items.append((kind, name, p))
        return p

    def stop_all(self):
        for kind in ("smsd", "sim"):
            group = [p for k, _, p in self.items if k == kind]
            for p in group:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            deadline = time.time() + 10
            for p in group:
                try:
                    p.wait(timeout=max(0.1, deadline - time.time()))
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        self.items = []

    def check_alive(self):
        for kind, name, p in self.items:
            if p.poll() is not None:
                raise Failure("%s %s exited with status %s (see its .out file)"
                              % (kind, name, p.returncode))


def sim_time(s):
    """'2026-11-23T21:00:00.123Z' -> epoch seconds."""
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=dt.timezone.utc).timestamp()


class SimLog:
    """Incremental reader of one modemsim --log file (JSON lines)."""

    def __init__(self, path):
        self.path = path
        self.pos = 0
        self.partial = b""
        self.records = []

    def poll(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                data = f.read()
        except FileNotFoundError:
            return 0
        self.pos += len(data)
        data = self.partial + data
        lines = data.split(b"\n")
        self.partial = lines.pop()
        n = 0
        for line in lines:
            if line.strip():
                r = json.loads(line)
                r["t"] = sim_time(r["time"])
                self.records.append(r)
                n += 1
        return n


class Rig:
    """N modemsim processes + N gammu-smsd processes sharing one SQLite db."""

    def __init__(self, args, procs, workdir, n, delay_ms, tag):
        self.args, self.procs, self.n, self.delay_ms = args, procs, n, delay_ms
        self.dir = os.path.join(workdir, tag)
        os.makedirs(self.dir)
        self.db = os.path.join(self.dir, "smsd.db")
        self.ids = ["m%d" % (k + 1) for k in range(n)]
        self.logs = [SimLog(os.path.join(self.dir, i + ".jsonl"))
                     for i in self.ids]
        self.smsd = []  # Popen of gammu-smsd, same order as ids

    def create_db(self):
        schema = load_schema()
        con = sqlite3.connect(self.db)
        con.executescript(schema)
        con.commit()
        con.close()

    def start(self):
        self.create_db()
        for k, pid in enumerate(self.ids):
            link = os.path.join(self.dir, pid)
            argv = [self.args.modemsim, "--link", link, "--quiet",
                    "--log", os.path.join(self.dir, pid + ".jsonl"),
                    "--submit-delay-ms", str(self.delay_ms),
                    # gammu-smsd sends AT+CMMS=2 at start; the simulator then
                    # uses --cmms-delay-ms for every later submit. Same value,
                    # so every submit costs D as the benchmark specifies.
                    "--cmms-delay-ms", str(self.delay_ms),
                    # Distinct IMEIs: gammu's phones table is keyed by IMEI.
                    "--imei", "3569380356%05d" % (k + 1)]
            out = open(os.path.join(self.dir, pid + ".sim.out"), "wb")
            self.procs.start("sim", pid, argv, subprocess.PIPE, out)
        # Each simulator prints its pty path once the link exists.
        for kind, name, p in self.procs.items:
            if kind == "sim" and name in self.ids and p.stdout is not None:
                line = p.stdout.readline()
                if not line:
                    raise Failure("modemsim %s did not start" % name)
                p.stdout.close()
                p.stdout = None
        env = dict(os.environ)
        # gammu's queries compare the schema's UTC defaults
        # (datetime('now')) with datetime('now','localtime'): run in UTC.
        env["TZ"] = "UTC"
        for pid in self.ids:
            conf = os.path.join(self.dir, pid + ".conf")
            extra = ""
            if self.args.debug:
                extra = "debuglevel = 255\nlogfile = %s\n" % os.path.join(
                    self.dir, pid + ".smsd.log")
            with open(conf, "w") as f:
                f.write(CONF_TEMPLATE.format(
                    device=os.path.join(self.dir, pid), dbdir=self.dir,
                    dbname="smsd.db", phoneid=pid, extra=extra))
            out = open(os.path.join(self.dir, pid + ".smsd.out"), "wb")
            self.smsd.append(self.procs.start(
                "smsd", pid, [self.args.gammu_smsd, "-c", conf],
                out, subprocess.STDOUT, env=env))
        self.wait_ready()

    def wait_ready(self, timeout=90):
        """Ready = every daemon registered itself in `phones` (it does so at
        the end of its phone initialisation), then a few seconds so that its
        first outbox scan is done and it sits in its idle cycle."""
        deadline = time.time() + timeout
        while True:
            self.procs.check_alive()
            try:
                con = sqlite3.connect(self.db, timeout=10)
                rows = {r[0] for r in con.execute("SELECT ID FROM phones")}
                con.close()
            except sqlite3.OperationalError:
                rows = set()
            if set(self.ids) <= rows:
                break
            if time.time() > deadline:
                raise Failure("gammu-smsd not ready after %ds: phones has %s"
                              % (timeout, sorted(rows)))
            time.sleep(0.5)
        time.sleep(3)
        self.procs.check_alive()

    def cpu(self):
        return sum(cpu_seconds(p.pid) for p in self.smsd)

    def run_ns(self):
        v = [run_ns(p.pid) for p in self.smsd]
        return None if None in v else sum(v)

    def hwm(self):
        return [vm_kb(p.pid, "VmHWM") for p in self.smsd]

    def poll_logs(self):
        for lg in self.logs:
            lg.poll()
        return sum(len(lg.records) for lg in self.logs)

    def queue(self, count, first_number=0):
        """Insert `count` rows in one transaction; return the commit time."""
        con = sqlite3.connect(self.db, timeout=30)
        # The text starts with the row number so that a row sent twice shows
        # up in the simulator logs.
        rows = [("+86138001380%02d" % ((first_number + i) % 100),
                 ("%06d " % (first_number + i) + TEXT160)[:160])
                for i in range(count)]
        con.executemany(
            "INSERT INTO outbox(DestinationNumber, TextDecoded, Coding,"
            " CreatorID, MultiPart) VALUES (?, ?, 'Default_No_Compression',"
            " 'bench', 'false')", rows)
        con.commit()
        t = time.time()
        con.close()
        return t

    def wait_sent(self, total, timeout):
        """Wait until gammu moved every row out of outbox (checked once the
        simulators accepted `total` submits, or when submits stall for 20 s,
        since a row gammu gives up on never reaches a simulator)."""
        deadline = time.time() + timeout
        last, last_change, last_check = -1, time.time(), 0.0
        while True:
            n = self.poll_logs()
            self.procs.check_alive()
            now = time.time()
            if n != last:
                last, last_change = n, now
            if (n >= total or now - last_change > 20) and now - last_check > 2:
                last_check = now
                con = sqlite3.connect(self.db, timeout=30)
                left = con.execute("SELECT count(*) FROM outbox").fetchone()[0]
                con.close()
                if left == 0:
                    time.sleep(1)  # a daemon may still be writing sentitems
                    self.poll_logs()
                    return
            if now > deadline:
                raise Failure("only %d of %d submits after %ds"
                              % (n, total, timeout))
            time.sleep(0.2)

    def outcome(self, queued):
        """What happened to the queued rows: simulator submits (and
        duplicates: each row's text is unique), sentitems by status, rows
        left in outbox, and the errors gammu-smsd printed."""
        texts = [r.get("text") for lg in self.logs for r in lg.records]
        con = sqlite3.connect(self.db, timeout=30)
        status = dict(con.execute(
            "SELECT Status, count(*) FROM sentitems GROUP BY Status"))
        left = con.execute("SELECT count(*) FROM outbox").fetchone()[0]
        con.close()
        errors = {}
        for pid in self.ids:
            with open(os.path.join(self.dir, pid + ".smsd.out"), "rb") as f:
                for line in f.read().decode("utf-8", "replace").splitlines():
                    if "error" in line.lower():
                        key = line.split(": ", 1)[-1]
                        errors[key] = errors.get(key, 0) + 1
        return {"queued": queued, "submits": len(texts),
                "distinct_rows_submitted": len(set(texts)),
                "duplicate_submits": len(texts) - len(set(texts)),
                "sentitems_by_status": status, "left_in_outbox": left,
                "gammu_smsd_error_lines": errors}


def load_schema():
    for p in SCHEMA_CANDIDATES:
        if os.path.exists(p):
            if p.endswith(".gz"):
                with gzip.open(p, "rt") as f:
                    return f.read()
            with open(p) as f:
                return f.read()
    raise Failure("gammu-smsd's SQLite schema not found (%s); install "
                  "gammu-smsd" % ", ".join(SCHEMA_CANDIDATES))


# ------------------------------------------------------------ scenarios ----

def scenario_idle_and_a(args, procs, workdir):
    """Idle CPU with 4 modems, then scenario A on the same daemons."""
    rig = Rig(args, procs, workdir, 4, 0, "A")
    rig.start()
    res = {}
    # idle
    c0, n0, t0 = rig.cpu(), rig.run_ns(), time.time()
    time.sleep(args.idle_seconds)
    c1, n1, t1 = rig.cpu(), rig.run_ns(), time.time()
    procs.check_alive()
    span = t1 - t0
    res["idle"] = {
        "modems": 4, "seconds": round(span, 1),
        "cpu_s_ticks": round(c1 - c0, 3),
        "core_percent_all_daemons": round(100 * (c1 - c0) / span, 4),
        "core_percent_all_daemons_schedstat":
            None if n0 is None else round(100 * (n1 - n0) / 1e9 / span, 4),
        "core_percent_per_daemon_schedstat":
            None if n0 is None else round(100 * (n1 - n0) / 1e9 / span / 4, 4),
        "vmhwm_kb_after_idle": rig.hwm(),
    }
    log("idle: %s" % res["idle"])
    # A
    m = args.messages
    c0 = rig.cpu()
    t_commit = rig.queue(m)
    log("A: %d rows committed, waiting" % m)
    rig.wait_sent(m, timeout=args.timeout)
    c1 = rig.cpu()
    acc = sorted(r["t"] for lg in rig.logs for r in lg.records)
    t_first, t_last = acc[0], acc[-1]
    per_modem = [len(lg.records) for lg in rig.logs]
    res["A"] = {
        "modems": 4, "submit_delay_ms": 0, "messages": m,
        "outcome": rig.outcome(m), "submits_per_modem": per_modem,
        "wall_s_commit_to_last_submit": round(t_last - t_commit, 2),
        # rows handled (moved out of outbox) per second
        "msgs_per_s": round(m / (t_last - t_commit), 2),
        "first_submit_after_commit_s": round(t_first - t_commit, 2),
        "msgs_per_s_first_to_last_submit":
            round((m - 1) / (t_last - t_first), 2) if t_last > t_first else None,
        "cpu_s_total": round(c1 - c0, 2),
        "cpu_s_per_1000_msgs": round((c1 - c0) / m * 1000, 3),
        "vmhwm_kb": rig.hwm(),
    }
    res["A"]["vmhwm_kb_max"] = max(res["A"]["vmhwm_kb"])
    log("A: %s" % res["A"])
    procs.stop_all()
    return res


def busy_fraction(times, d, w0, w1):
    """Length of the union of [t-d, t] over times, clipped to [w0, w1], / (w1-w0)."""
    iv = sorted((max(w0, t - d), min(w1, t)) for t in times)
    busy, cur0, cur1 = 0.0, None, None
    for a, b in iv:
        if b <= a:
            continue
        if cur1 is None or a > cur1:
            if cur1 is not None:
                busy += cur1 - cur0
            cur0, cur1 = a, b
        else:
            cur1 = max(cur1, b)
    if cur1 is not None:
        busy += cur1 - cur0
    return busy / (w1 - w0) if w1 > w0 else None


def scenario_b(args, procs, workdir):
    n, d_ms = 8, 2000
    d = d_ms / 1000
    rig = Rig(args, procs, workdir, n, d_ms, "B")
    rig.start()
    m = n * args.per_modem
    t_commit = rig.queue(m)
    log("B: %d rows committed, waiting" % m)
    rig.wait_sent(m, timeout=args.timeout)
    per = [[r["t"] for r in lg.records] for lg in rig.logs]
    t_last = max(max(p) for p in per if p)
    t_first_start = min(min(p) for p in per if p) - d
    accepted = sum(len(p) for p in per)
    gaps = [b - a for p in per for a, b in zip(sorted(p), sorted(p)[1:])]
    res = {
        "modems": n, "submit_delay_ms": d_ms, "messages": m,
        "outcome": rig.outcome(m), "submits_per_modem": [len(p) for p in per],
        "wall_s_commit_to_last_submit": round(t_last - t_commit, 2),
        "first_submit_start_after_commit_s": round(t_first_start - t_commit, 2),
        # issue 4 definition: from the first insert until the queue is empty
        "utilisation_from_commit":
            round(accepted * d / (n * (t_last - t_commit)), 4),
        # same, from the moment the first submit started (leaves out the
        # idle daemons' wake-up, which scenario C measures)
        "utilisation_from_first_submit":
            round(accepted * d / (n * (t_last - t_first_start)), 4),
        "busy_fraction_per_modem_from_commit":
            [round(busy_fraction(p, d, t_commit, t_last), 4) if p else 0.0
             for p in per],
        "busy_fraction_per_modem_own_window":
            [round(busy_fraction(p, d, min(p) - d, max(p)), 4)
             for p in per if p],
        "gap_between_submits_s_min_median_max":
            [round(min(gaps), 3), round(statistics.median(gaps), 3),
             round(max(gaps), 3)] if gaps else None,
    }
    log("B: %s" % res)
    procs.stop_all()
    return res


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100)."""
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(-(-p * len(v) // 100)) - 1))
    return v[k]


def scenario_c(args, procs, workdir):
    rig = Rig(args, procs, workdir, 1, 0, "C")
    rig.start()
    rng = random.Random(1)
    lg = rig.logs[0]
    samples = []
    for i in range(args.samples):
        # A random pause puts each insert at a random phase of gammu-smsd's
        # idle cycle (it rescans outbox CommTimeout = 30 s after finding it
        # empty); inserting right after a send would catch the next 1 s loop.
        time.sleep(rng.uniform(2, 32))
        before = len(lg.records)
        t_commit = rig.queue(1, first_number=i)
        deadline = time.time() + 120
        while True:
            lg.poll()
            if len(lg.records) > before:
                break
            procs.check_alive()
            if time.time() > deadline:
                raise Failure("C: sample %d not submitted within 120 s" % i)
            time.sleep(0.01)
        lat = lg.records[before]["t"] - t_commit
        samples.append(lat)
        log("C: sample %d/%d: %.3f s" % (i + 1, args.samples, lat))
    # gammu writes sentitems and deletes the outbox row after the submit:
    # let it finish before counting.
    rig.wait_sent(len(samples), timeout=60)
    res = {
        "modems": 1, "submit_delay_ms": 0, "samples": len(samples),
        "median_s": round(statistics.median(samples), 3),
        "p99_s": round(percentile(samples, 99), 3),
        "min_s": round(min(samples), 3), "max_s": round(max(samples), 3),
        "all_s": [round(s, 3) for s in samples],
        "outcome": rig.outcome(len(samples)),
    }
    log("C: %s" % res)
    procs.stop_all()
    return res


# ------------------------------------------------------------ reporting ----

def machine_info(gammu_smsd):
    def sh(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True,
                                  timeout=10).stdout
        except OSError:
            return ""
    model = ""
    for line in sh(["lscpu"]).splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    return {
        "nproc": sh(["nproc"]).strip(),
        "cpu_model": model,
        "kernel": os.uname().release,
        "gammu_smsd_version": sh([gammu_smsd, "--version"]).splitlines()[0]
        if sh([gammu_smsd, "--version"]) else "",
        "loadavg_at_start": open("/proc/loadavg").read().split()[:3],
    }


def markdown(summary):
    r = summary["results"]
    rows = []
    if "A" in r:
        a = r["A"]
        rows += [
            ("A: %d msgs, 4 modems, 0 ms: messages/s (commit → last submit)"
             % a["messages"], "%.2f" % a["msgs_per_s"]),
            ("A: messages/s (first → last submit)",
             "%.2f" % a["msgs_per_s_first_to_last_submit"]),
            ("A: first submit after commit", "%.1f s" % a["first_submit_after_commit_s"]),
            ("A: CPU s per 1,000 messages (all gammu-smsd)",
             "%.3f" % a["cpu_s_per_1000_msgs"]),
            ("A: peak RSS per gammu-smsd (VmHWM, max of 4)",
             "%.1f MB" % (a["vmhwm_kb_max"] / 1024)),
            ("A: submits / distinct rows / duplicates",
             "%d / %d / %d" % (a["outcome"]["submits"],
                               a["outcome"]["distinct_rows_submitted"],
                               a["outcome"]["duplicate_submits"])),
            ("A: 'database is locked' lines from gammu-smsd",
             str(sum(v for k, v in a["outcome"]["gammu_smsd_error_lines"].items()
                     if "locked" in k))),
        ]
    if "B" in r:
        b = r["B"]
        rows += [
            ("B: %d msgs, 8 modems, 2000 ms: utilisation (from commit)"
             % b["messages"], "%.1f %%" % (100 * b["utilisation_from_commit"])),
            ("B: utilisation (from first submit start)",
             "%.1f %%" % (100 * b["utilisation_from_first_submit"])),
            ("B: busy fraction per modem, own window (min–max)",
             "%.1f–%.1f %%" % (100 * min(b["busy_fraction_per_modem_own_window"]),
                               100 * max(b["busy_fraction_per_modem_own_window"]))),
        ]
    if "C" in r:
        c = r["C"]
        rows += [
            ("C: insert → AT+CMGS accepted, median (%d samples)" % c["samples"],
             "%.0f ms" % (1000 * c["median_s"])),
            ("C: p99", "%.0f ms" % (1000 * c["p99_s"])),
        ]
    if "idle" in r:
        i = r["idle"]
        rows += [
            ("idle, 4 modems: CPU, all 4 daemons (%% of a core, %.0f s)"
             % i["seconds"], "%.3f %%" % i["core_percent_all_daemons"]),
            ("idle: CPU per daemon (schedstat)",
             "%.4f %%" % i["core_percent_per_daemon_schedstat"]
             if i["core_percent_per_daemon_schedstat"] is not None else "n/a"),
        ]
    out = ["| measure | gammu-smsd 1.42 |", "|---|---|"]
    out += ["| %s | %s |" % row for row in rows]
    return "\n".join(out)


def find_modemsim():
    env = os.environ.get("MODEMSIM")
    if env:
        return env
    c = sorted(glob.glob(os.path.join(REPO, "build*", "tools", "modemsim",
                                      "modemsim")), key=os.path.getmtime)
    return c[-1] if c else None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--modemsim", default=find_modemsim(),
                    help="modemsim binary (default: $MODEMSIM or newest build*/tools/modemsim/modemsim)")
    ap.add_argument("--gammu-smsd", default=shutil.which("gammu-smsd"))
    ap.add_argument("--quick", action="store_true",
                    help="short run: 200 msgs in A, 8x5 in B, 5 latency samples, 10 s idle")
    ap.add_argument("--messages", type=int, help="A: rows queued (default 2000)")
    ap.add_argument("--per-modem", type=int, help="B: rows per modem (default 20)")
    ap.add_argument("--samples", type=int, help="C: latency samples (default 20)")
    ap.add_argument("--idle-seconds", type=float, help="idle window (default 30)")
    ap.add_argument("--scenarios", default="A,B,C",
                    help="comma list of A (includes idle), B, C")
    ap.add_argument("--timeout", type=float, default=3600,
                    help="give up on a scenario after this many seconds")
    ap.add_argument("--debug", action="store_true",
                    help="gammu-smsd DebugLevel=255 and LogFile per daemon")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    ap.add_argument("--json-out", help="also write the JSON summary here")
    args = ap.parse_args()
    q = args.quick
    args.messages = args.messages or (200 if q else 2000)
    args.per_modem = args.per_modem or (5 if q else 20)
    args.samples = args.samples or (5 if q else 20)
    args.idle_seconds = args.idle_seconds or (10 if q else 30)
    if not args.modemsim or not os.access(args.modemsim, os.X_OK):
        sys.exit("modemsim not found: build it (cmake --build BUILD --target "
                 "modemsim) or pass --modemsim PATH")
    if not args.gammu_smsd:
        sys.exit("gammu-smsd not found: apt-get install gammu-smsd")
    if not glob.glob("/usr/lib/*/dbd/libdbdsqlite3.so"):
        sys.exit("the sqlite3 DBI driver gammu-smsd needs is missing: "
                 "apt-get install libdbd-sqlite3")

    def on_term(signum, frame):
        raise KeyboardInterrupt("signal %d" % signum)
    signal.signal(signal.SIGTERM, on_term)

    procs = Procs()
    workdir = tempfile.mkdtemp(prefix="gammuref-")
    summary = {
        "tool": "gammu-smsd (SQL service, sqlite3 DBI driver), defaults",
        "started_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
        "command": " ".join([os.path.basename(sys.argv[0])] + sys.argv[1:]),
        "machine": machine_info(args.gammu_smsd),
        "params": {"messages_A": args.messages, "per_modem_B": args.per_modem,
                   "samples_C": args.samples, "idle_seconds": args.idle_seconds},
        "results": {},
    }
    log("work dir %s" % workdir)
    rc = 0
    try:
        sc = [s.strip().upper() for s in args.scenarios.split(",")]
        if "A" in sc:
            summary["results"].update(scenario_idle_and_a(args, procs, workdir))
        if "B" in sc:
            summary["results"]["B"] = scenario_b(args, procs, workdir)
        if "C" in sc:
            summary["results"]["C"] = scenario_c(args, procs, workdir)
    except KeyboardInterrupt:
        log("interrupted")
        rc = 130
    except Failure as e:
        log("FAILED: %s (files in %s)" % (e, workdir))
        args.keep = True
        rc = 1
    finally:
        procs.stop_all()
    summary["finished_utc"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    text = json.dumps(summary, indent=2)
    print(text)
    print()
    print(markdown(summary) if summary["results"] else "(no results)")
    if args.json_out:
        with open(args.json_out, "w") as f:
            f.write(text + "\n")
    if args.keep:
        log("kept %s" % workdir)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
