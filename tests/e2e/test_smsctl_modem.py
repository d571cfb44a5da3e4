"""smsctl modem info/send/list against the simulator over a pty: the commands
users reach for first when a modem "does not work", so their answers and their
errors are checked here (no database, no server)."""
import json
import os
import subprocess
import sys

from smstest import BUILD, Env, check, log

SMSCTL = os.path.join(BUILD, "tools", "smsctl", "smsctl")


def smsctl(*args):
    p = subprocess.run([SMSCTL, "modem"] + list(args), capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def main():
    with Env("smsctl-modem") as env:
        m1 = env.sim("m1")
        # A message waiting on the SIM before anyone opened the port.
        m1.control("deliver +8613912345678 stored before smsctl ran")

        rc, out, err = smsctl("info", "--port", m1.link, "--json")
        check(rc == 0, "modem info exits 0 (rc=%d, stderr=%r)" % (rc, err))
        info = json.loads(out)
        for key in ("manufacturer", "model", "revision", "imei", "imsi", "sim", "registered", "operator",
                    "signal_dbm", "smsc"):
            check(key in info, "modem info --json has key %r" % key)
        # The simulator's defaults (tools/modemsim/README.md, modem/sim/README.md): CSQ 20 is -113 + 2*20 = -73 dBm.
        check(info["imsi"] == "460001234567890" and info["imei"] == "356938035643809", "identity: %r" % info)
        check(info["sim"] == "READY" and info["registered"] is True, "SIM ready and registered")
        check(info["signal_dbm"] == -73, "signal in dBm from +CSQ: 20 (got %r)" % info["signal_dbm"])
        check(info["smsc"] == "+8613800100500" and info["operator"] == "SimNet", "SMSC and operator")

        text = "短信" * 40  # 80 UCS2 characters: two parts (67 + 13)
        rc, out, err = smsctl("send", "--port", m1.link, "--to", "+8613800138000", text)
        check(rc == 0, "modem send exits 0 (stderr=%r)" % err)
        check("1, 2" in out, "modem send prints both message references: %r" % out)
        check(m1.messages() == [("+8613800138000", text)], "the simulator received the whole text in 2 parts")
        check(len(m1.submits()) == 2, "exactly two submits")

        rc, out, err = smsctl("list", "--port", m1.link, "--json")
        check(rc == 0, "modem list exits 0 (stderr=%r)" % err)
        stored = json.loads(out)
        check(any(s["number"] == "+8613912345678" and s["text"] == "stored before smsctl ran" for s in stored),
              "modem list shows the stored message decoded: %r" % stored)

        rc, out, err = smsctl("info", "--port", os.path.join(env.dir, "no-such-tty"))
        check(rc != 0 and "no such device" in err, "a missing port is named: %r" % err)

        m2 = env.sim("m2", "--pin", "1234")
        rc, out, err = smsctl("info", "--port", m2.link)
        check(rc != 0 and "PIN" in err and "--pin" in err, "a SIM PIN request tells the user to give --pin: %r" % err)
        rc, out, err = smsctl("info", "--port", m2.link, "--pin", "1234", "--json")
        check(rc == 0 and json.loads(out)["sim"] == "READY", "with --pin the SIM is unlocked (stderr=%r)" % err)
    log("smsctl modem: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
