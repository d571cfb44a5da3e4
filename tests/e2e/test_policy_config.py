#!/usr/bin/env python3
"""Bad policy configurations and bad list files (issue 9, sections 2 and 5).

- A config with each kind of bad value (a time of day 25:00, an unknown scope
  and period, a region that is no province or city, a missing banned-words
  file, an unknown kind, an unknown time zone, and a few more) stops the
  server and `--check-config` with exit status 2 and one message naming
  FILE:LINE and the value. The example policy of the issue checks as good.
- `smsctl whitelist import` of a TXT file with garbage lines reports each bad
  line with its number and still adds the good numbers (in E.164, full-width
  digits, 0086, dashes and spaces normalised; a duplicate counted as such); a
  GB18030 CSV (Excel on Chinese Windows) with a header is read by its 手机号
  column; a UTF-16 file is refused as a whole. `smsctl blacklist add` of an
  invalid number is refused with the reason. The running server then sends a
  bulk message to an imported number and blocks one to a rejected line's.
"""
import os
import re
import subprocess
import sys

from smstest import SMSERVER, PolicyEnv, check, log

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'   # line 1


def policy_doc(rule_lines, root_attrs=' timezone="Asia/Shanghai"'):
    """Line 2 <smserver>, 3 <database>, 4 <policy>, rules from line 5."""
    return (HEAD + "<smserver%s>\n" % root_attrs + '  <database url="x.db"/>\n  <policy>\n'
            + "".join("    %s\n" % l for l in rule_lines) + "  </policy>\n</smserver>\n")


# (name, xml, line, text the message must show)
BAD = [
    ("quiet from=25:00", policy_doc(['<quiet from="25:00" to="08:00" kinds="bulk"/>']), 5, '"25:00"'),
    ("quiet to=08:60 (on its own line)", policy_doc(['<quiet from="22:00" kinds="bulk"', '       to="08:60"/>']), 6,
     '"08:60"'),
    ("limit scope=group", policy_doc(['<limit scope="group" per="day" max="1"/>']), 5, '"group"'),
    ("limit per=week", policy_doc(['<signature text="【某某公司】"/>', '<limit scope="recipient" per="week" max="1"/>']),
     6, '"week"'),
    ("limit max=0", policy_doc(['<limit scope="total" per="day" max="0"/>']), 5, '"0"'),
    ("region 火星省", policy_doc(['<region allow="安徽省,火星省" kinds="bulk"/>']), 5, "火星省"),
    ("bannedWords file missing", policy_doc(['<bannedWords file="no-such-words.txt"/>']), 5, "no-such-words.txt"),
    ("kinds=promo", policy_doc(['<blacklist kinds="promo"/>']), 5, "promo"),
    ("kinds=notice,promo", policy_doc(['<maxLength chars="65" kinds="notice,promo"/>']), 5, "promo"),
    ("defaultKind=promo", HEAD + '<smserver>\n  <database url="x.db"/>\n  <policy defaultKind="promo">\n  </policy>\n'
     '</smserver>\n', 4, "promo"),
    ("timezone Mars/Olympus", policy_doc(['<blacklist/>'], ' timezone="Mars/Olympus"'), 2, "Mars/Olympus"),
    ("holiday 2027-02-30", policy_doc(['<holiday date="2027-02-30"/>']), 5, "2027-02-30"),
    ("unknown rule", policy_doc(['<whitelst kinds="bulk"/>']), 5, "whitelst"),
    ("twice", policy_doc(['<signature text="【甲】"/>', '<signature text="【乙】"/>']), 6, "signature"),
    ("approval fourEyes=maybe", policy_doc(['<approval fourEyes="maybe"/>']), 5, "maybe"),
]

GOOD = """
    <whitelist kinds="bulk"/>
    <blacklist kinds="notice,bulk"/>
    <optout keywords="TD,T,退订,STOP,N" reply="您已退订，将不再收到此类短信。" kinds="bulk"/>
    <limit scope="recipient" per="day"  max="1"    kinds="bulk"/>
    <limit scope="total"     per="day"  max="3000" kinds="bulk"/>
    <limit scope="modem"     per="hour" max="200"  kinds="notice,bulk"/>
    <quiet from="22:00" to="08:00" kinds="bulk"/>
    <quiet from="11:00" to="14:00" kinds="bulk"/>
    <holiday date="2027-02-17" kinds="bulk"/>
    <holiday from="2027-10-01" to="2027-10-07" kinds="bulk"/>
    <signature text="【某某公司】" position="end" kinds="notice,bulk"/>
    <maxLength chars="65" kinds="bulk"/>
    <bannedWords file="banned-words.txt" kinds="notice,bulk"/>
    <region allow="安徽省" kinds="bulk"/>
    <approval kinds="bulk" minRecipients="1" fourEyes="true"/>
    <retention audit="180d" messages="0"/>"""


def run(*args):
    return subprocess.run([SMSERVER] + list(args), capture_output=True, text=True, timeout=30)


def config_checks(env):
    env.write("banned-words.txt", "free\n")
    for name, xml, line, value in BAD:
        path = env.write("bad.xml", xml)
        for extra in ([], ["--check-config"]):
            r = run("--config", path, *extra)
            what = name + (" --check-config" if extra else "")
            err = r.stderr.strip()
            m = re.search(re.escape(path) + r":(\d+):", err)
            check(r.returncode == 2 and m is not None and int(m.group(1)) == line and value in err
                  and len(err.splitlines()) == 1,
                  "%s: exit 2 (%d), one line naming bad.xml:%d and %s: %r"
                  % (what, r.returncode, line, value, err.replace(env.dir + "/", "")))
    good = env.write("good.xml", HEAD + '<smserver timezone="Asia/Shanghai">\n  <database url="x.db"/>\n'
                     '  <modem id="m1" port="sim"/>\n  <policy defaultKind="notice">' + GOOD + "\n  </policy>\n</smserver>\n")
    r = run("--config", good, "--check-config")
    check(r.returncode == 0, "the issue's example policy passes --check-config (%r)" % (r.stdout + r.stderr).strip())


def counted(out, word, n):
    """A line of the report that says `word` with the number n (e.g. "4 added",
    "added: 4")."""
    return any(word in l and re.search(r"(?<![\d:])%d(?![\d:])" % n, l) for l in out.splitlines())


def list_checks(env):
    m1 = env.sim("m1")
    cfg = env.policy_config([m1], '<policy>\n    <whitelist kinds="bulk"/>\n    <blacklist/>\n  </policy>',
                            timezone="Asia/Shanghai")
    env.start_server_cfg(cfg, [m1])

    lines = [
        "13955112345",            # 1 good
        "hello world",            # 2 garbage
        "+86 139-5511-2346",      # 3 good: spaces and dashes
        "12345",                  # 4 a short code: not for a list
        "008613955112347",        # 5 good: 0086
        "",                       # 6 blank
        "1395511234",             # 7 ten digits: not a number
        "１３９５５１１２３４８",    # 8 good: full-width digits
        "13955112345",            # 9 duplicate of line 1
        "+86 139 5511 23xx",      # 10 garbage
    ]
    txt = env.write("whitelist.txt", "\n".join(lines) + "\n")
    r = env.smsctl("whitelist", "import", txt)
    out = r.stdout + r.stderr
    check(r.returncode in (0, 1), "whitelist import ran (exit %d)" % r.returncode)
    for bad in (2, 4, 7, 10):
        check(re.search(r"(line |:)%d\b" % bad, out), "the report names bad line %d" % bad)
    listed = sorted(n for (n,) in env.query("SELECT number FROM number_lists WHERE list='whitelist'"))
    want = ["+8613955112345", "+8613955112346", "+8613955112347", "+8613955112348"]
    check(listed == want, "the good numbers were added in E.164 (%s)" % listed)
    check(counted(out, "added", 4) and counted(out, "duplicate", 1),
          "the report counts 4 added and 1 duplicate: %r" % out)

    # GB18030 CSV with a header: the 手机号 column.
    csv = "姓名,手机号,备注\r\n张三,13955112350,老客户\r\n李四,不知道,\r\n王五,+86 13955112351,\r\n"
    path = env.write("customers.csv", csv, encoding="gb18030")
    r = env.smsctl("whitelist", "import", path)
    out = r.stdout + r.stderr
    check(re.search(r"(line |:)3\b", out), "GB18030 CSV: the bad row (line 3) is reported: %r" % out)
    listed = set(n for (n,) in env.query("SELECT number FROM number_lists WHERE list='whitelist'"))
    check({"+8613955112350", "+8613955112351"} <= listed, "GB18030 CSV: the 手机号 column's good numbers were added")

    # UTF-16: refused as a whole.
    path = env.write("utf16.txt", "13955112360\n13955112361\n", encoding="utf-16")
    before = env.query("SELECT count(*) FROM number_lists")[0][0]
    r = env.smsctl("whitelist", "import", path)
    check(r.returncode != 0 and "UTF-16" in (r.stdout + r.stderr), "a UTF-16 file is refused, naming UTF-16")
    check(env.query("SELECT count(*) FROM number_lists")[0][0] == before, "nothing was added from it")

    # add: an invalid number is refused with the reason; a valid one goes on the list.
    r = env.smsctl("blacklist", "add", "1395511", "--note", "test")
    check(r.returncode != 0 and "1395511" in (r.stdout + r.stderr), "blacklist add of an invalid number is refused")
    r = env.smsctl("blacklist", "add", "+86 139 5511 2347", "--note", "投诉")
    check(r.returncode == 0, "blacklist add of a valid number: exit 0")
    check(env.query("SELECT note FROM number_lists WHERE number='+8613955112347' AND list='blacklist'") == [("投诉",)],
          "it is listed in E.164 with its note")
    r = env.smsctl("whitelist", "list", "--json")
    check(r.returncode == 0 and "+8613955112345" in r.stdout, "whitelist list --json shows the numbers")
    check(any(a[1].startswith("whitelist") for a in env.audit_rows()), "audit: the list changes are recorded")

    # The server uses what was imported.
    ok = env.insert("+8613955112346", "名单内群发", kind="bulk")
    no = env.insert("+8613955112340", "名单外群发", kind="bulk")
    bl = env.insert("+8613955112347", "黑名单群发", kind="bulk")
    env.wait_status([ok])
    env.wait_status([no, bl], ("blocked",))
    check(m1.messages() == [("+8613955112346", "名单内群发")],
          "a bulk message to an imported number went; not listed and blacklisted ones were blocked")
    check(env.stop_server() == 0, "SIGTERM: exit 0")


def main():
    with PolicyEnv("policy-config") as env:
        config_checks(env)
        list_checks(env)
    log("policy config and list files: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
