#!/usr/bin/python3
"""Runs the real `smsctl pdu decode` on PDUs that real modems hand over: a status
report padded with FF, PDUs cut short (the "truncated" JSON key and the human
line), and a cut inside the user data header (still an error).

    /usr/bin/python3 tests/pdu/smsctl_pdu_decode_cli.py build/tools/smsctl/smsctl
"""
import json
import subprocess
import sys

SMSCTL = sys.argv[1] if len(sys.argv) > 1 else "smsctl"
FAILURES = []

# The status report of tests/pdu/test_modem_quirks.cpp (SMSC +420602909909, MR 171, delivered).
REPORT = "079124602009999002AB098106845688F8907080517375809070805183018000"
# DELIVER from 10086, UCS2, TP-UDL 10 octets of which 4 are there: 4F60 597D.
CUT_UCS2 = "000405810180F60008621132024365000A4F60597D"
# DELIVER with UDHI, TP-UDL 8, the 6-octet UDH cut after 3 octets.
CUT_UDH = "004405810180F600086211320243650008050003"


def run(*args):
    r = subprocess.run([SMSCTL, "pdu", "decode"] + list(args), capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout, r.stderr


def check(what, got, want):
    if got != want:
        FAILURES.append("%s: got %r, want %r" % (what, got, want))


def main():
    for pad in (0, 1, 143):
        label = "report + %d x FF" % pad
        rc, out, err = run("--json", REPORT + "FF" * pad)
        check(label + " exit", (rc, err), (0, ""))
        if rc == 0:
            m = json.loads(out)
            check(label + " fields", (m["type"], m["smsc"], m["number"], m["mr"], m["status"], m["status_class"]),
                  ("status-report", "+420602909909", "604865888", 171, 0, "delivered"))
            check(label + " times", (m["timestamp"], m["timestamp_offset_minutes"], m["discharge_time"]),
                  ("2009-07-08T13:37:57Z", 120, "2009-07-08T13:38:10Z"))
            check(label + " truncated", m["truncated"], False)
            check(label + " note", m.get("note"), None)
        rc, out, err = run(REPORT + "FF" * pad)
        check(label + " human exit", rc, 0)
        check(label + " human status", "status: 0 (delivered" in out, True)
        check(label + " human not truncated", "truncated" in out, False)

    rc, out, err = run("--json", CUT_UCS2)
    check("cut ucs2 exit", (rc, err), (0, ""))
    if rc == 0:
        m = json.loads(out)
        check("cut ucs2 text", m["text"], "\u4f60\u597d")
        check("cut ucs2 truncated", m["truncated"], True)
        check("cut ucs2 note", m["note"], "user data truncated: TP-UDL says 10 octets, 4 present")
    rc, out, err = run(CUT_UCS2)
    check("cut ucs2 human exit", rc, 0)
    check("cut ucs2 human line", "\ntruncated: yes" in out, True)
    check("cut ucs2 human note", "note: user data truncated: TP-UDL says 10 octets, 4 present\n" in out, True)
    check("cut ucs2 human text", out.endswith("text: \u4f60\u597d\n"), True)

    rc, out, err = run("--json", "0011000B916407281553F80000AA0AE8329BFD4697D9EC37")
    check("whole submit exit", rc, 0)
    if rc == 0:
        check("whole submit truncated", json.loads(out)["truncated"], False)

    rc, out, err = run("--json", CUT_UDH)
    check("cut udh exit", rc, 1)
    check("cut udh stdout", out, "")
    check("cut udh says", "user data truncated inside its header at octet 17" in err, True)

    rc, out, err = run("--help")
    check("help lists truncated", (rc, "truncated (true when" in out), (0, True))

    for f in FAILURES:
        print("FAIL " + f)
    print("smsctl pdu decode: %d failures" % len(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
