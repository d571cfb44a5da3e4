"""Helpers for smserver's end-to-end tests (Python 3 standard library only).

Each test starts the REAL smserver process against modemsim processes on
ptys, writes rows with the sqlite3 CLI (as an integrator would), and checks the
decoded text the simulators logged. Usage in a test script:

    from smstest import Env
    with Env("name") as env:
        m1 = env.sim("m1")
        env.start_server([m1])
        env.insert("+8613800138000", "hello")
        ...
"""
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

BUILD = os.environ.get("SMS_BINARY_DIR") or os.path.join(os.path.dirname(__file__), "..", "..", "build")
SMSERVER = os.path.join(BUILD, "src", "smserver")
MODEMSIM = os.path.join(BUILD, "tools", "modemsim", "modemsim")
SQLITE3 = shutil.which("sqlite3") or "/usr/bin/sqlite3"


def _die_with_parent():
    """Child processes get SIGTERM when the test process dies (even by SIGKILL
    from a CTest timeout), so no modemsim or smserver outlives its test."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def log(*a):
    print("[e2e]", *a, flush=True)


def wait_until(pred, timeout, what, interval=0.05):
    """Polls pred() until it returns something truthy; a hang guard, not a timing assertion."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %ss waiting for %s" % (timeout, what))
        time.sleep(interval)


class Raw(str):
    """An SQL expression written as is (e.g. CAST(X'61FF' AS TEXT))."""


def sql_quote(s):
    if isinstance(s, Raw):
        return str(s)
    if s is None:
        return "NULL"
    if isinstance(s, (int, float)):
        return str(s)
    return "'" + s.replace("'", "''") + "'"


class Sim:
    """One modemsim process with a control socket and a submit log."""

    def __init__(self, env, mid, *args):
        self.id = mid
        self.link = os.path.join(env.dir, mid + ".pty")
        self.ctl = os.path.join(env.dir, mid + ".ctl")
        self.logfile = os.path.join(env.dir, mid + ".log")
        self.args = list(args)
        self.stderr = open(os.path.join(env.dir, mid + ".stderr"), "w")
        self.proc = subprocess.Popen([MODEMSIM, "--link", self.link, "--control", self.ctl, "--log", self.logfile,
                                      "--quiet"] + self.args,
                                     stdout=subprocess.PIPE, stderr=self.stderr, text=True,
                                     preexec_fn=_die_with_parent)
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError("modemsim %s did not start (see %s.stderr)" % (mid, mid))
        wait_until(lambda: os.path.exists(self.ctl), 10, "control socket of " + mid)

    def control(self, line):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(10)
            s.connect(self.ctl)
            s.sendall((line + "\n").encode())
            buf = b""
            while not buf.endswith(b"\n"):
                chunk = s.recv(4096)
                if not chunk:
                    break
                buf += chunk
        reply = buf.decode().strip()
        if not reply.startswith("ok"):
            raise AssertionError("modemsim %s: %r -> %r" % (self.id, line, reply))
        return reply[2:].strip()

    def submits(self):
        """Decoded submits as logged (one dict per accepted PDU)."""
        if not os.path.exists(self.logfile):
            return []
        out = []
        with open(self.logfile, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    out.append(json.loads(line))
        return out

    def messages(self):
        """Submits joined into messages: list of (number, text), parts joined by concat reference."""
        msgs, pending = [], {}
        for s in self.submits():
            total = s.get("concat_total")
            if not total or total == 1:
                msgs.append((s["number"], s["text"]))
                continue
            key = (s["number"], s["concat_ref"], total)
            pending.setdefault(key, {})[s["concat_seq"]] = s["text"]
            if len(pending[key]) == total:
                parts = pending.pop(key)
                msgs.append((s["number"], "".join(parts[i] for i in range(1, total + 1))))
        return msgs

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()


class Env:
    def __init__(self, name, keep=False):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="smserver-e2e-%s-" % name)
        self.db = os.path.join(self.dir, "sms.db")
        self.sims = []
        self.server = None
        self.server_log = None
        self.keep = keep or bool(os.environ.get("SMS_E2E_KEEP"))
        self.runs = 0

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.stop_server()
        for s in self.sims:
            s.stop()
        if exc_type is not None:
            log("FAILED; files kept in", self.dir)
            for f in sorted(os.listdir(self.dir)):
                if f.startswith("server") and f.endswith(".stderr"):
                    with open(os.path.join(self.dir, f), errors="replace") as fh:
                        tail = fh.readlines()[-40:]
                    log("---- last lines of", f)
                    sys.stdout.write("".join(tail))
        elif not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False

    # ---- processes
    def sim(self, mid, *args):
        s = Sim(self, mid, *args)
        self.sims.append(s)
        return s

    def config(self, modems, dispatch='retryDelays="1s" pollInterval="5s"', extra=""):
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<smserver>",
                 '  <database driverClassName="sqlite3" url="%s"/>' % self.db]
        for m in modems:
            if isinstance(m, Sim):
                lines.append('  <modem id="%s" port="%s"/>' % (m.id, m.link))
            else:
                lines.append("  " + m)
        if dispatch:
            lines.append("  <dispatch %s/>" % dispatch)
        if extra:
            lines.append("  " + extra)
        lines.append("</smserver>")
        path = os.path.join(self.dir, "smserver.xml")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def start_server(self, modems, wait_ready=True, **kw):
        path = self.config(modems, **kw)
        self.runs += 1
        self.server_log = os.path.join(self.dir, "server%d.stderr" % self.runs)
        self.server = subprocess.Popen([SMSERVER, "--config", path, "-v"],
                                       stderr=open(self.server_log, "w"), stdout=subprocess.DEVNULL,
                                       preexec_fn=_die_with_parent)
        if wait_ready:
            ids = [m.id for m in modems if isinstance(m, Sim)]
            wait_until(lambda: self.modems_ready(ids), 30, "modems %s ready" % ids, interval=0.1)
        return self.server

    def modems_ready(self, ids):
        if self.server.poll() is not None:
            raise AssertionError("smserver exited with %s" % self.server.returncode)
        try:
            rows = dict(self.query("SELECT id, state FROM modems"))
        except sqlite3.Error:
            return False
        return all(rows.get(i) == "ready" for i in ids)

    def stop_server(self, sig=signal.SIGTERM, timeout=15):
        if not self.server or self.server.poll() is not None:
            return self.server.returncode if self.server else None
        self.server.send_signal(sig)
        try:
            rc = self.server.wait(timeout)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
            raise AssertionError("smserver did not stop within %ss after signal %d" % (timeout, sig))
        return rc

    def kill9(self):
        self.server.kill()
        self.server.wait()

    def server_stderr(self):
        with open(self.server_log, errors="replace") as f:
            return f.read()

    # ---- database
    def sqlite3_cli(self, sql):
        """Runs SQL through the sqlite3 command-line program (what a shell-script integrator uses)."""
        r = subprocess.run([SQLITE3, "-cmd", ".timeout 10000", self.db, sql], capture_output=True, text=True)
        if r.returncode != 0:
            raise AssertionError("sqlite3 failed (%d): %s" % (r.returncode, r.stderr))
        return r.stdout

    def insert(self, recipient, text, **cols):
        names = ["recipient", "text"] + list(cols.keys())
        values = [sql_quote(recipient), sql_quote(text)] + [sql_quote(v) for v in cols.values()]
        out = self.sqlite3_cli("INSERT INTO outbox(%s) VALUES (%s); SELECT last_insert_rowid();"
                               % (", ".join(names), ", ".join(values)))
        return int(out.strip().splitlines()[-1])

    def query(self, sql, args=()):
        con = sqlite3.connect(self.db, timeout=10)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def statuses(self):
        return dict(self.query("SELECT id, status FROM outbox"))

    def wait_status(self, ids, statuses=("sent",), timeout=30):
        ids = list(ids)

        def done():
            st = self.statuses()
            return all(st.get(i) in statuses for i in ids)
        try:
            wait_until(done, timeout, "rows %s to reach %s" % (ids[:10], statuses), interval=0.1)
        except AssertionError:
            st = self.statuses()
            log("statuses:", {i: st.get(i) for i in ids})
            raise


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    log("ok:", what)


# ---------------------------------------------------------------------------
# The sending policy (issue 9): configs with <policy> and a time zone, the
# server under a faked clock, smsctl, the policy's tables. Appended; nothing
# above changes.

SMSCTL = os.path.join(BUILD, "tools", "smsctl", "smsctl")


def faketime_library():
    """Debian's libfaketime (package libfaketime), the multi-threaded build
    when there is one; None if it is not installed."""
    import glob
    for name in ("libfaketimeMT.so.1", "libfaketime.so.1"):
        for p in sorted(glob.glob("/usr/lib/*/faketime/" + name)) + sorted(glob.glob("/usr/lib/faketime/" + name)):
            if os.path.exists(p):
                return p
    return None


# libfaketime 0.9.10 also rewrites absolute timerfd deadlines by the fake
# offset, although the monotonic clock is not faked: Boost.Asio arms its
# timerfd with TFD_TIMER_ABSTIME and 1 ns for "already due" timers, which then
# fires hours late (fake time in the past) or fails with EINVAL (in the
# future), and the server hangs. This shim, preloaded in front of
# libfaketime, sends timerfd_settime/gettime straight to the kernel (Asio's
# timerfd is CLOCK_MONOTONIC, which is left real).
_SHIM_C = r"""
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>
int timerfd_settime(int fd, int flags, const struct itimerspec* n, struct itimerspec* o) {
  return (int)syscall(SYS_timerfd_settime, fd, flags, n, o);
}
int timerfd_gettime(int fd, struct itimerspec* c) { return (int)syscall(SYS_timerfd_gettime, fd, c); }
"""


def faketime_shim():
    """Builds the timerfd shim once per test process (any C compiler)."""
    global _SHIM_SO
    try:
        return _SHIM_SO
    except NameError:
        pass
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        log("warning: no C compiler: libfaketime runs without the timerfd shim")
        _SHIM_SO = None
        return None
    import atexit
    d = tempfile.mkdtemp(prefix="smserver-e2e-shim-")
    atexit.register(shutil.rmtree, d, True)
    src, so = os.path.join(d, "shim.c"), os.path.join(d, "timerfd_shim.so")
    with open(src, "w") as f:
        f.write(_SHIM_C)
    r = subprocess.run([cc, "-shared", "-fPIC", "-O2", "-o", so, src], capture_output=True, text=True)
    if r.returncode != 0:
        log("warning: building the timerfd shim failed (%s): libfaketime runs without it" % r.stderr.strip())
        so = None
    _SHIM_SO = so
    return so


def faketime_env(start_utc):
    """Environment that starts a program's wall clock at start_utc
    ("YYYY-MM-DD HH:MM:SS", UTC) and lets it run, as
    `faketime -f '@start_utc' --exclude-monotonic PROGRAM` would.

    The library is preloaded directly instead of through the faketime
    wrapper: the wrapper forks and waits, so signals sent to the pid we hold
    (SIGHUP, SIGTERM) would not reach smserver. TZ=UTC makes libfaketime read
    the start time as UTC (the tests name the office's zone in the config).
    The monotonic clock is left alone (FAKETIME_DONT_FAKE_MONOTONIC): with it
    faked, std::condition_variable::wait_for (pthread_cond_clockwait, which
    libfaketime 0.9.10 does not wrap) waits ~56 years. File times (stat) are
    not faked either (NO_FAKE_STAT). faketime_shim() keeps Boost.Asio's timers
    working."""
    lib = faketime_library()
    if not lib:
        raise AssertionError("libfaketime is not installed (apt-get install faketime)")
    env = dict(os.environ)
    prev = env.get("LD_PRELOAD")
    shim = faketime_shim()
    env.update({"LD_PRELOAD": ":".join([p for p in (shim, lib, prev) if p]), "FAKETIME": "@" + start_utc,
                "FAKETIME_DONT_FAKE_MONOTONIC": "1", "NO_FAKE_STAT": "1", "TZ": "UTC"})
    return env


def xml_attr(s):
    return (s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))


def utc_from_sim(t):
    """A simulator log time ("2026-11-23T21:00:00.123Z") in the database's
    form ("2026-11-23 21:00:00.123"), so the two compare as text."""
    return t.replace("T", " ").rstrip("Z")


class PolicyEnv(Env):
    """Env with the sending policy's helpers."""

    def policy_config(self, modems, policy="", timezone="Asia/Shanghai", dispatch='retryDelays="1s" pollInterval="5s"',
                      extra="", name="smserver.xml"):
        """Writes the config (as Env.config) with <smserver timezone=...> and
        `policy` (the <policy> element's text, or "" for none)."""
        path = self.config(modems, dispatch=dispatch, extra=extra)
        with open(path, encoding="utf-8") as f:
            xml = f.read()
        if timezone:
            xml = xml.replace("<smserver>", '<smserver timezone="%s">' % timezone, 1)
        if policy:
            xml = xml.replace("</smserver>", "  " + policy.strip() + "\n</smserver>")
        target = os.path.join(self.dir, name)
        with open(target, "w", encoding="utf-8") as f:
            f.write(xml)
        return target

    def write(self, name, text, encoding="utf-8"):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(text.encode(encoding) if isinstance(text, str) else text)
        return path

    def start_server_cfg(self, path, modems, fake_utc=None, wait_ready=True):
        """Starts smserver on an existing config file; with fake_utc
        ("YYYY-MM-DD HH:MM:SS") its clock starts there (faketime_env)."""
        self.runs += 1
        self.server_log = os.path.join(self.dir, "server%d.stderr" % self.runs)
        env = faketime_env(fake_utc) if fake_utc else None
        if fake_utc:
            log("server run %d starts with its clock at %s UTC" % (self.runs, fake_utc))
        self.server = subprocess.Popen([SMSERVER, "--config", path, "-v"],
                                       stderr=open(self.server_log, "w"), stdout=subprocess.DEVNULL,
                                       preexec_fn=_die_with_parent, env=env)
        if wait_ready:
            ids = [m.id for m in modems if isinstance(m, Sim)]
            wait_until(lambda: self.modems_ready(ids), 30, "modems %s ready" % ids, interval=0.1)
        return self.server

    def reload(self, timeout=15):
        """SIGHUP, then waits until the server has re-read the file and said
        what it applied (or that it rejected the file). Returns the log lines
        written for this reload."""
        marker = "SIGHUP: re-reading"
        before = self.server_stderr().count(marker)
        self.server.send_signal(signal.SIGHUP)

        def done():
            err = self.server_stderr()
            if err.count(marker) <= before:
                return None
            tail = err[err.rfind(marker):]
            lines = tail.splitlines()
            if any("applied" in l or "rejected" in l or "restart" in l for l in lines[1:]):
                return tail
            return None
        tail = wait_until(done, timeout, "the server to re-read its config after SIGHUP", interval=0.05)
        # The workers get the new policy through their own event loops right
        # after the "applied" line; give them a moment (a hang guard would
        # need a probe row, which would change the counts under test).
        time.sleep(0.3)
        return tail

    def smsctl(self, *args, config=None, env_extra=None, input=None, timeout=60):
        """Runs smsctl --config CONFIG ARGS...; returns the CompletedProcess."""
        cfg = config or os.path.join(self.dir, "smserver.xml")
        env = dict(os.environ)
        env.pop("SUDO_USER", None)
        if env_extra:
            env.update(env_extra)
        r = subprocess.run([SMSCTL, "--config", cfg] + [str(a) for a in args], capture_output=True, text=True,
                           input=input, env=env, timeout=timeout)
        log("smsctl %s -> %d%s%s" % (" ".join(str(a) for a in args)[:120], r.returncode,
                                     ("\n  stdout: " + r.stdout.strip().replace("\n", "\n          ")) if r.stdout.strip() else "",
                                     ("\n  stderr: " + r.stderr.strip().replace("\n", "\n          ")) if r.stderr.strip() else ""))
        return r

    def list_add(self, list_name, numbers, note=None):
        """Puts numbers on a list straight through SQL (as an integrator's
        script may), bypassing smsctl."""
        values = ", ".join("(%s, %s, 'e2e', 'sql', %s)" % (sql_quote(n), sql_quote(list_name), sql_quote(note))
                           for n in numbers)
        self.sqlite3_cli("INSERT INTO number_lists(number, list, added_by, source, note) VALUES %s;" % values)

    def row(self, rid):
        con = sqlite3.connect(self.db, timeout=10)
        con.row_factory = sqlite3.Row
        try:
            r = con.execute("SELECT * FROM outbox WHERE id=?", (rid,)).fetchone()
            return dict(r) if r else None
        finally:
            con.close()

    def wait_row(self, rid, pred, what, timeout=30):
        """Waits until pred(row dict) holds for outbox row rid; returns the row."""
        try:
            return wait_until(lambda: (lambda r: r if r and pred(r) else None)(self.row(rid)), timeout,
                              "outbox row %d: %s" % (rid, what), interval=0.1)
        except AssertionError:
            log("row %d is now: %s" % (rid, self.row(rid)))
            raise

    def audit_rows(self, action=None, obj=None):
        sql = "SELECT actor, action, object, details FROM audit WHERE 1=1"
        args = []
        if action:
            sql += " AND action=?"
            args.append(action)
        if obj:
            sql += " AND object=?"
            args.append(obj)
        return self.query(sql + " ORDER BY id", tuple(args))
