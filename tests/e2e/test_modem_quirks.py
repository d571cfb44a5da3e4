#!/usr/bin/env python3
"""What real modems print, through the real daemon:
- status reports padded with FF in the +CMGR answer (a capture in Gammu's test
  data has 143 octets of FF after the report): each is decoded and matched to
  its outbox row, single and multipart, and nothing lands in the inbox;
- a PDU the modem cut short (user data shorter than its TP-UDL): the inbox row
  holds the text that was there, truncated = 1, and the raw PDU."""
import sys

from smstest import Env, check, wait_until

# The "How are you?" SMS-DELIVER from the GSM 03.40 examples (SMSC +31624000000,
# from +31641600986, TP-UDL 12 septets), its last 4 user-data octets cut off.
HOW_ARE_YOU = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07"
CUT = HOW_ARE_YOU[:-8]
LONG = "状态报告后面跟着很多个FF填充字节，服务器仍然要把它对应到发件箱里的这一行。" * 3   # 2 UCS-2 parts


def main():
    with Env("modem_quirks") as env:
        m1 = env.sim("m1", "--status-reports", "--status-report-delay-ms", "100", "--report-padding", "143")
        env.start_server([m1])
        a = env.insert("+8613800138000", "padded report", status_report=1)
        b = env.insert("+8613800138001", LONG, status_report=1)
        env.wait_status([a, b], ("delivered",), timeout=30)
        check(True, "both rows (1 and 2 parts) became 'delivered' from reports padded with 143 x FF")
        rows = env.query("SELECT delivery_status, delivered_at IS NOT NULL FROM outbox ORDER BY id")
        check(rows == [("delivered", 1), ("delivered", 1)], "delivery_status and delivered_at set: %s" % rows)
        stored = env.query("SELECT count(*) FROM inbox")[0][0]
        check(stored == 0, "no report was stored as an undecodable inbox message")
        check("matched no sent message" not in env.server_stderr(), "every report matched its row")

        m1.control("deliver-pdu " + CUT)
        got = wait_until(lambda: env.query("SELECT sender, text, truncated, pdus FROM inbox WHERE sender=?",
                                           ("+31641600986",)), 20, "the cut-short PDU in the inbox")
        check(len(got) == 1, "the cut-short PDU was stored once")
        sender, text, truncated, pdus = got[0]
        check(text.startswith("How are ") and "you?" not in text and truncated == 1,
              "with the text that was there, flagged truncated: %r" % text)
        check(pdus.upper() == CUT, "and its raw PDU")
        check(env.stop_server() == 0, "SIGTERM: exit 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
