#!/usr/bin/env python3
"""Server benchmarks: smserver (and Debian's gammu-smsd as the reference)
against modemsim processes on ptys. Not part of ctest; see bench/server/README.md.

  bench.py [--build DIR] [--only drain,util,idle,latency,gammu] [--quick]

Prints a Markdown report (the "## Server" section of docs/PERFORMANCE.md).
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK   # utime + stime


def cpu_seconds_ns(pid):
    """On-CPU time of every live thread of pid from /proc/PID/task/*/schedstat
    (nanoseconds): an idle daemon uses a few clock ticks a minute, too few for
    utime+stime (10 ms ticks) to tell 0.02 % from 0.03 %."""
    total = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total / 1e9


def peak_rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def log_time(s):
    """Submit log time "2026-11-23T21:00:00.123Z" -> seconds since the epoch."""
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()


def wait_until(pred, timeout, what, interval=0.2):
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for " + what)
        time.sleep(interval)


class Sims:
    def __init__(self, build, d, n, delay_ms, prefix="m"):
        self.dir = d
        self.procs, self.links, self.logs = [], [], []
        for i in range(1, n + 1):
            link = os.path.join(d, "%s%d.pty" % (prefix, i))
            log = os.path.join(d, "%s%d.log" % (prefix, i))
            p = subprocess.Popen([os.path.join(build, "tools", "modemsim", "modemsim"), "--link", link, "--log", log,
                                  "--quiet", "--submit-delay-ms", str(delay_ms), "--cmms-delay-ms", str(delay_ms)],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            p.stdout.readline()
            self.procs.append(p)
            self.links.append(link)
            self.logs.append(log)

    def submits(self):
        out = []
        for i, log in enumerate(self.logs):
            if os.path.exists(log):
                with open(log) as f:
                    for line in f:
                        if line.strip():
                            s = json.loads(line)
                            s["modem"] = i
                            out.append(s)
        return out

    def stop(self):
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            p.wait()


class SmServer:
    def __init__(self, build, d, links, db):
        self.db = db
        cfg = os.path.join(d, "smserver.xml")
        with open(cfg, "w") as f:
            f.write('<smserver>\n  <database url="%s"/>\n' % db)
            for i, l in enumerate(links, 1):
                f.write('  <modem id="m%d" port="%s"/>\n' % (i, l))
            f.write('  <log level="warning"/>\n</smserver>\n')
        self.proc = subprocess.Popen([os.path.join(build, "src", "smserver"), "--config", cfg],
                                     stderr=open(os.path.join(d, "smserver.stderr"), "w"))
        n = len(links)
        wait_until(lambda: self._ready() == n, 60, "modems ready")

    def _ready(self):
        try:
            con = sqlite3.connect(self.db, timeout=10)
            try:
                return con.execute("SELECT count(*) FROM modems WHERE state='ready'").fetchone()[0]
            finally:
                con.close()
        except sqlite3.Error:
            return 0

    def cpu(self):
        return cpu_seconds(self.proc.pid)

    def rss(self):
        return peak_rss_kb(self.proc.pid)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(30)


def cmgs_time(s):
    """When the simulator read AT+CMGS=<n> for this submit ("cmgs_time"); older
    simulators log only the +CMGS answer time ("time")."""
    return log_time(s.get("cmgs_time") or s["time"])


def count_status(db, table_sql):
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute(table_sql).fetchone()[0]
    finally:
        con.close()


def insert_many(db, rows):
    con = sqlite3.connect(db, timeout=10)
    con.execute("BEGIN")
    con.executemany("INSERT INTO outbox(recipient, text) VALUES (?, ?)", rows)
    con.commit()
    t = time.time()
    con.close()
    return t


# ---------------------------------------------------------------------------- smserver runs

def drain(build, n_msgs, n_modems, delay_ms):
    d = tempfile.mkdtemp(prefix="smbench-")
    sims = Sims(build, d, n_modems, delay_ms)
    srv = SmServer(build, d, sims.links, os.path.join(d, "sms.db"))
    try:
        cpu0 = srv.cpu()
        rows = [("+86138%08d" % i, "bench message %d" % i) for i in range(n_msgs)]
        t0 = insert_many(srv.db, rows)
        wait_until(lambda: count_status(srv.db, "SELECT count(*) FROM outbox WHERE status IN ('sent','failed','unknown')")
                   == n_msgs, 3600, "drain", interval=0.5)
        cpu1 = srv.cpu()
        subs = sims.submits()
        times = [log_time(s["time"]) for s in subs]
        t_last = max(times)
        per_modem = {}
        for s in subs:
            per_modem.setdefault(s["modem"], []).append(log_time(s["time"]))
        util = []
        for m, ts in per_modem.items():
            ts.sort()
            span = ts[-1] - (ts[0] - delay_ms / 1000.0)
            util.append(len(ts) * (delay_ms / 1000.0) / span if delay_ms else 0)
        failed = count_status(srv.db, "SELECT count(*) FROM outbox WHERE status<>'sent'")
        return {
            "messages": n_msgs, "modems": n_modems, "delay_ms": delay_ms,
            "seconds": t_last - t0, "per_second": n_msgs / (t_last - t0),
            "cpu_per_1000": (cpu1 - cpu0) / n_msgs * 1000, "submits": len(subs), "not_sent": failed,
            "utilisation_min": min(util) if util else 0, "utilisation_mean": statistics.mean(util) if util else 0,
            "peak_rss_kb": srv.rss(),
        }
    finally:
        srv.stop()
        sims.stop()
        shutil.rmtree(d, ignore_errors=True)


def idle(build, n_modems, seconds):
    d = tempfile.mkdtemp(prefix="smbench-")
    sims = Sims(build, d, n_modems, 0)
    srv = SmServer(build, d, sims.links, os.path.join(d, "sms.db"))
    try:
        time.sleep(5)
        cpu0, ns0 = srv.cpu(), cpu_seconds_ns(srv.proc.pid)
        time.sleep(seconds)
        cpu1, ns1 = srv.cpu(), cpu_seconds_ns(srv.proc.pid)
        return {"modems": n_modems, "seconds": seconds, "cpu_percent": (ns1 - ns0) / seconds * 100,
                "cpu_percent_ticks": (cpu1 - cpu0) / seconds * 100, "peak_rss_kb": srv.rss()}
    finally:
        srv.stop()
        sims.stop()
        shutil.rmtree(d, ignore_errors=True)


def latency(build, samples):
    d = tempfile.mkdtemp(prefix="smbench-")
    sims = Sims(build, d, 1, 0)
    srv = SmServer(build, d, sims.links, os.path.join(d, "sms.db"))
    try:
        time.sleep(1)
        con = sqlite3.connect(srv.db, timeout=10)
        commits = {}
        for i in range(samples):
            time.sleep(random.uniform(0.05, 0.15))
            con.execute("INSERT INTO outbox(recipient, text) VALUES ('10086', ?)", ("lat %d" % i,))
            con.commit()
            commits["lat %d" % i] = time.time()
        con.close()
        wait_until(lambda: len(sims.submits()) >= samples, 60, "latency submits")
        lat = sorted((cmgs_time(s) - commits[s["text"]]) * 1000 for s in sims.submits() if s["text"] in commits)
        return {"samples": len(lat), "median_ms": statistics.median(lat),
                "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))], "max_ms": lat[-1]}
    finally:
        srv.stop()
        sims.stop()
        shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------------------- gammu-smsd reference

GAMMU_SCHEMA = "/usr/share/doc/gammu-smsd/examples/sqlite.sql"


def gammu_run(build, n_msgs, delay_ms, latency_samples=0):
    """One gammu-smsd (SQL backend, sqlite3 driver) on one simulated modem."""
    if not shutil.which("gammu-smsd"):
        return None
    d = tempfile.mkdtemp(prefix="gammubench-")
    sims = Sims(build, d, 1, delay_ms, prefix="g")
    db = os.path.join(d, "gammu.db")
    schema = open(GAMMU_SCHEMA).read() if os.path.exists(GAMMU_SCHEMA) else \
        subprocess.run(["zcat", GAMMU_SCHEMA + ".gz"], capture_output=True, text=True).stdout
    con = sqlite3.connect(db)
    con.executescript(schema)
    con.close()
    rc = os.path.join(d, "smsdrc")
    with open(rc, "w") as f:
        f.write("[gammu]\ndevice = %s\nconnection = at115200\n\n[smsd]\nservice = sql\ndriver = sqlite3\n"
                "sql = sqlite\ndatabase = gammu.db\ndbdir = %s/\nlogfile = %s/gammu-smsd.log\ndebuglevel = 0\n"
                "PhoneID = g1\n" % (sims.links[0], d, d))
    p = subprocess.Popen(["gammu-smsd", "-c", rc], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(8)  # let it initialise the modem
        cpu0 = cpu_seconds(p.pid)
        con = sqlite3.connect(db, timeout=10)
        t0 = time.time()
        con.executemany("INSERT INTO outbox(DestinationNumber, TextDecoded, CreatorID, Coding) VALUES (?, ?, 'bench', "
                        "'Default_No_Compression')", [("+86138%08d" % i, "gammu message %d" % i) for i in range(n_msgs)])
        con.commit()
        con.close()
        wait_until(lambda: len(sims.submits()) >= n_msgs, 1800, "gammu drain", interval=0.5)
        cpu1 = cpu_seconds(p.pid)
        ts = sorted(log_time(s["time"]) for s in sims.submits())
        res = {"messages": n_msgs, "delay_ms": delay_ms, "seconds": ts[-1] - t0, "per_second": n_msgs / (ts[-1] - t0),
               "cpu_per_1000": (cpu1 - cpu0) / n_msgs * 1000}
        if delay_ms:
            res["utilisation"] = len(ts) * delay_ms / 1000.0 / (ts[-1] - (ts[0] - delay_ms / 1000.0))
        if latency_samples:
            con = sqlite3.connect(db, timeout=10)
            commits = {}
            before = len(sims.submits())
            for i in range(latency_samples):
                time.sleep(random.uniform(0.5, 3))
                con.execute("INSERT INTO outbox(DestinationNumber, TextDecoded, CreatorID, Coding) VALUES "
                            "('10086', ?, 'bench', 'Default_No_Compression')", ("glat %d" % i,))
                con.commit()
                commits["glat %d" % i] = time.time()
                wait_until(lambda: len(sims.submits()) >= before + i + 1, 120, "gammu latency submit")
            con.close()
            lat = sorted((cmgs_time(s) - commits[s["text"]]) * 1000 for s in sims.submits()
                         if s["text"] in commits)
            res["latency_median_ms"] = statistics.median(lat)
            res["latency_max_ms"] = lat[-1]
            res["latency_samples"] = len(lat)
        res["peak_rss_kb"] = peak_rss_kb(p.pid)
        return res
    finally:
        p.terminate()
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
        sims.stop()
        shutil.rmtree(d, ignore_errors=True)


def repeated(run, n):
    """The median of n runs by CPU per 1,000 messages, with every run's CPU and rate."""
    runs = sorted((run() for _ in range(max(1, n))), key=lambda r: r["cpu_per_1000"])
    mid = dict(runs[len(runs) // 2])
    mid["runs"] = len(runs)
    mid["cpu_per_1000_runs"] = [r["cpu_per_1000"] for r in runs]
    mid["per_second_runs"] = sorted(round(r["per_second"]) for r in runs)
    return mid


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(HERE, "..", "..", "build"))
    ap.add_argument("--only", default="drain,util,idle,latency,gammu")
    ap.add_argument("--quick", action="store_true", help="smaller runs (for a smoke test)")
    ap.add_argument("--repeat", type=int, default=5,
                    help="drain runs to make (the median by CPU per message is reported, with every run's figure): "
                         "CPU time on a shared 2-core machine varies by 10-20 %% from run to run")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    only = set(a.only.split(","))
    q = a.quick
    out = {}
    if "drain" in only:
        out["drain"] = repeated(lambda: drain(build, 1000 if q else 10000, 4, 0), 1 if q else a.repeat)
        out["drain1"] = repeated(lambda: drain(build, 200 if q else 1000, 1, 0), 1 if q else a.repeat)
        print("drain:", out["drain"], "\ndrain1:", out["drain1"], file=sys.stderr)
    if "util" in only:
        out["util"] = drain(build, 8 * (5 if q else 20), 8, 2000)
        print("util:", out["util"], file=sys.stderr)
    if "idle" in only:
        out["idle"] = idle(build, 4, 10 if q else 60)
        print("idle:", out["idle"], file=sys.stderr)
    if "latency" in only:
        out["latency"] = latency(build, 50 if q else 300)
        print("latency:", out["latency"], file=sys.stderr)
    if "gammu" in only:
        out["gammu_drain"] = gammu_run(build, 20 if q else 100, 0, latency_samples=5 if q else 10)
        out["gammu_util"] = gammu_run(build, 5 if q else 20, 2000)
        print("gammu:", out["gammu_drain"], out["gammu_util"], file=sys.stderr)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
