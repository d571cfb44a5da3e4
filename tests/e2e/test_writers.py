#!/usr/bin/env python3
"""Four writer processes insert concurrently while the server sends: no
"database is locked" for anyone, every row sent exactly once."""
import os
import subprocess
import sys

from smstest import SQLITE3, Env, check

PER_WRITER = 40

WRITER = r'''
import sqlite3, sys
db, w, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
con = sqlite3.connect(db, timeout=10, isolation_level=None)
for i in range(n):
    con.execute("INSERT INTO outbox(recipient, text) VALUES (?, ?)", ("+86138%06d" % (w * 1000 + i), "w%d-%d" % (w, i)))
print("done")
'''


def main():
    with Env("writers") as env:
        m1 = env.sim("m1")
        m2 = env.sim("m2")
        env.start_server([m1, m2])
        procs = [subprocess.Popen([sys.executable, "-c", WRITER, env.db, str(w), str(PER_WRITER)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(3)]
        # the fourth writer is the sqlite3 CLI, one statement (one transaction) at a time
        script = "".join("INSERT INTO outbox(recipient, text) VALUES ('+86138%06d', 'w3-%d');\n" % (3000 + i, i)
                         for i in range(PER_WRITER))
        path = os.path.join(env.dir, "writer3.sql")
        with open(path, "w") as f:
            f.write(script)
        procs.append(subprocess.Popen([SQLITE3, "-cmd", ".timeout 10000", "-bail", env.db], stdin=open(path),
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        for p in procs:
            out, err = p.communicate(timeout=60)
            check(p.returncode == 0 and "locked" not in err, "writer exited %d without lock errors %r" % (p.returncode, err))
        ids = [r[0] for r in env.query("SELECT id FROM outbox")]
        check(len(ids) == 4 * PER_WRITER, "all %d rows are in the outbox" % (4 * PER_WRITER))
        env.wait_status(ids, timeout=90)
        texts = [t for _, t in m1.messages() + m2.messages()]
        check(sorted(texts) == sorted("w%d-%d" % (w, i) for w in range(4) for i in range(PER_WRITER)),
              "every row was submitted exactly once")
        check("locked" not in env.server_stderr(), "the server saw no lock errors")
        check(env.stop_server() == 0, "SIGTERM: exit 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
