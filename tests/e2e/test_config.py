#!/usr/bin/env python3
"""Bad configurations stop the server with exit status 2 and FILE:LINE in one
clear message; --check-config validates; a database that cannot be opened
gives exit status 1 naming the path; SIGHUP applies safe changes and names
the ones that need a restart."""
import os
import re
import signal
import subprocess
import sys
import time

from smstest import SMSERVER, Env, check, wait_until

BAD = [
    ("unknown element", '<smserver>\n  <databse url="x.db"/>\n</smserver>\n', 2, "databse"),
    ("unknown attribute", '<smserver>\n  <database url="x.db"/>\n  <modem id="m1" port="sim" baud="9600"/>\n</smserver>\n',
     3, "baud"),
    ("bad value", '<smserver>\n  <database url="x.db"/>\n  <modem id="m1" port="sim" baudRate="fast"/>\n</smserver>\n',
     3, "fast"),
    ("duplicate modem id",
     '<smserver>\n  <database url="x.db"/>\n  <modem id="m1" port="sim"/>\n  <modem id="m1" port="sim"/>\n</smserver>\n',
     4, "m1"),
    ("not XML", '<smserver>\n  <database url="x.db">\n</smserver>\n', None, ""),
]


def run(*args):
    return subprocess.run([SMSERVER] + list(args), capture_output=True, text=True, timeout=30)


def main():
    with Env("config") as env:
        for name, xml, line, value in BAD:
            path = os.path.join(env.dir, "bad.xml")
            with open(path, "w") as f:
                f.write(xml)
            for extra in ([], ["--check-config"]):
                r = run("--config", path, *extra)
                check(r.returncode == 2, "%s%s: exit 2 (got %d)" % (name, " --check-config" if extra else "", r.returncode))
                m = re.search(re.escape(path) + r":(\d+):", r.stderr)
                check(m is not None, "%s: message names FILE:LINE: %r" % (name, r.stderr.strip()))
                if line:
                    check(int(m.group(1)) == line, "%s: line %d" % (name, line))
                check(value in r.stderr, "%s: message shows the value %r" % (name, value))

        good = env.config(['<modem id="m1" port="sim"/>'])
        r = run("--config", good, "--check-config")
        check(r.returncode == 0, "--check-config of a good file: exit 0 (%r)" % r.stdout.strip())
        check(run("--version").returncode == 0 and run("--help").returncode == 0, "--version and --help exit 0")
        check(run("--bogus").returncode == 2, "an unknown option: exit 2")

        nodb = os.path.join(env.dir, "nodb.xml")
        with open(nodb, "w") as f:
            f.write('<smserver>\n  <database url="/proc/no/such/dir/sms.db"/>\n</smserver>\n')
        r = run("--config", nodb)
        check(r.returncode == 1 and "/proc/no/such/dir/sms.db" in r.stderr,
              "a database that cannot be opened: exit 1 naming the path (%r)" % r.stderr.strip())

        # SIGHUP: the in-process simulator (port="sim"), then a changed dispatch and modem.
        m1 = env.sim("m1")
        env.start_server([m1])
        path = os.path.join(env.dir, "smserver.xml")
        with open(path) as f:
            xml = f.read()
        xml = xml.replace('retryDelays="1s"', 'retryDelays="2s"').replace('<modem id="m1"', '<modem id="m1" baudRate="9600"')
        with open(path, "w") as f:
            f.write(xml)
        env.server.send_signal(signal.SIGHUP)
        wait_until(lambda: "restart" in env.server_stderr(), 10, "SIGHUP handled")
        err = env.server_stderr()
        check("applied" in err and "retryDelays" in err, "SIGHUP applied the dispatch change")
        check("baudRate" in err and "restart" in err, "SIGHUP named the modem change that needs a restart")
        rid = env.insert("10086", "after reload")
        env.wait_status([rid])
        check(env.stop_server() == 0, "still sending after SIGHUP; SIGTERM exit 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
