#!/usr/bin/python3
"""Cross-checks our PDU codec against libGammu (Debian's python3-gammu).

    /usr/bin/python3 tests/pdu/gammu_crosscheck.py build/tools/smsctl/smsctl

Both directions, for every kind of text issue 2 names:
  * our `smsctl pdu encode --json` (and `pdu deliver`, `pdu report`) output is
    decoded by gammu.DecodePDU, which must read back the same text, number,
    alphabet, class and concatenation headers;
  * PDUs made by gammu.EncodeSMS + gammu.EncodePDU are decoded by
    `smsctl pdu decode --json`, which must give gammu's fields.
Exit status: 0 all agree, 1 a mismatch (each one printed), 77 skipped because
python3-gammu is not installed (CTest SKIP_RETURN_CODE).
"""
import binascii
import datetime
import json
import subprocess
import sys

try:
    import gammu
except ImportError:
    print("SKIP: python3-gammu is not installed (apt-get install python3-gammu); "
          "the libGammu cross-check did not run")
    sys.exit(77)

SMSCTL = sys.argv[1] if len(sys.argv) > 1 else "smsctl"
FAILURES = []
CHECKS = 0

HAN = "\u4e2d"
EMOJI = "\U0001F600"

TEXTS = [
    ("gsm7 with extension chars", "Price: 5\u20ac [promo] {x} ^~|\\ and \u00e9\u00e8\u00c4\u0394"),
    ("160 gsm7", "a" * 160),
    ("161 gsm7", "b" * 161),
    ("306 gsm7 (153x2)", "c" * 306),
    ("307 gsm7", "d" * 307),
    ("459 gsm7 (153x3)", "e" * 459),
    ("extension char straddling 153", "f" * 152 + "{" + "f" * 20),
    ("70 chinese", HAN * 70),
    ("71 chinese", HAN * 71),
    ("134 chinese (67x2)", HAN * 134),
    ("135 chinese", HAN * 135),
    ("201 chinese (67x3)", HAN * 201),
    ("emoji straddling 67", HAN * 66 + EMOJI + HAN * 5),
    ("emoji straddling 134", HAN * 133 + EMOJI),
    ("emoji only", EMOJI * 40),
    ("empty", ""),
    ("3000 gsm7", ("0123456789abcdefghij" * 150)),
    ("3000 chinese", ("\u4f60\u597d\u4e16\u754c" * 750)),
    ("3000 mixed with emoji", (("hello " + EMOJI + " \u4e16\u754c ") * 300)[:3000]),
]


def check(what, got, want):
    global CHECKS
    CHECKS += 1
    if got != want:
        FAILURES.append("%s: got %r, want %r" % (what, got, want))


def smsctl(*args):
    r = subprocess.run([SMSCTL, "pdu"] + list(args), capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("smsctl pdu %s failed: %s" % (args[0], r.stderr.strip()))
    return r.stdout


def gammu_text(d):
    # libGammu pads Text up to Length (in septets) when a part holds escape sequences, with a
    # U+0000 and whatever follows in its buffer; the message text ends at the first U+0000
    # (a real '@' decodes as '@').
    return d["Text"].split("\x00")[0]


CODING = {"Default_No_Compression": "gsm7", "Unicode_No_Compression": "ucs2", "8bit": "8bit"}


def ours_to_gammu():
    for name, text in TEXTS:
        for extra in ([], ["--flash"], ["--validity", "1440", "--srr", "--ref", "99"]):
            label = "encode %s %s" % (name, " ".join(extra))
            out = json.loads(smsctl("encode", "--json", "--to", "+8613800138000", *extra, "--", text))
            parts = out["parts"]
            joined = ""
            for i, part in enumerate(parts):
                raw = binascii.unhexlify(part["pdu"])
                check(label + " tpdu_length", part["tpdu_length"], len(raw) - 1 - raw[0])
                d = gammu.DecodePDU(raw, SMSC=True)
                check(label + " type", d["Type"], "Submit")
                check(label + " number", d["Number"], "+8613800138000")
                check(label + " coding", CODING.get(d["Coding"]), out["encoding"])
                check(label + " class", d["Class"], 0 if "--flash" in extra else -1)
                if "--validity" in extra:
                    check(label + " validity", d["SMSC"]["Validity"], "1440M")  # VP 0xA7 = 24 h
                if len(parts) > 1:
                    check(label + " concat", (d["UDH"]["AllParts"], d["UDH"]["PartNumber"]), (len(parts), i + 1))
                    if "--ref" in extra:
                        check(label + " ref", d["UDH"]["ID8bit"], 99)
                else:
                    check(label + " no udh", d["UDH"]["Type"], "NoUDH")
                joined += gammu_text(d)
            check(label + " text", joined, text)


def ours_deliver_to_gammu():
    cases = [("alphanumeric sender", "ChinaMobile", "Your code is 1234"),
             ("alphanumeric sender, chinese", "Bank", "\u4f59\u989d 100"),
             ("international sender", "+8613800138000", "Hello [x]"),
             ("short code, 3000 chinese", "10086", "\u4f60\u597d" * 1500)]
    when = 1795000000
    for name, sender, text in cases:
        pdus = smsctl("deliver", "--from", sender, "--time", str(when), "--offset", "480", "--ref", "7",
                      "--", text).split()
        joined = ""
        for i, hexpdu in enumerate(pdus):
            d = gammu.DecodePDU(binascii.unhexlify(hexpdu), SMSC=True)
            check("deliver %s type" % name, d["Type"], "Deliver")
            check("deliver %s sender" % name, d["Number"], sender)
            check("deliver %s smsc" % name, d["SMSC"]["Number"], "+8613800100500")
            # libGammu reports the SMSC's local time without the zone.
            local = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=when + 480 * 60)
            check("deliver %s time" % name, d["DateTime"].replace(tzinfo=None), local)
            if len(pdus) > 1:
                check("deliver %s concat" % name, (d["UDH"]["ID8bit"], d["UDH"]["AllParts"], d["UDH"]["PartNumber"]),
                      (7, len(pdus), i + 1))
            joined += gammu_text(d)
        check("deliver %s text" % name, joined, text)


def ours_report_to_gammu():
    for status in (0, 0x21, 0x46):
        hexpdu = smsctl("report", "--to", "+8613800138000", "--mr", "42", "--status", str(status),
                        "--time", "1795000000").strip()
        d = gammu.DecodePDU(binascii.unhexlify(hexpdu), SMSC=True)
        check("report %d type" % status, d["Type"], "Status_Report")
        check("report %d number" % status, d["Number"], "+8613800138000")
        check("report %d mr" % status, d["MessageReference"], 42)
        check("report %d status" % status, d["DeliveryStatus"], status)


TEMPLATE = gammu.DecodePDU(binascii.unhexlify(
    "07911326040000F0040B911346610089F60000208062917314480CC8F71D14969741F977FD07"), SMSC=True)


def gammu_to_ours():
    for name, text in TEXTS:
        if text == "":
            continue  # EncodeSMS makes no part for an empty text
        unicode = any(ord(c) > 0x3FF and c != "\u20ac" for c in text)  # Greek capitals and the euro are GSM
        for layout in ("Submit", "Deliver"):
            info = {"Class": -1, "Unicode": unicode, "Entries": [{"ID": "ConcatenatedTextLong", "Buffer": text}]}
            parts = gammu.EncodeSMS(info)
            joined = ""
            for i, part in enumerate(parts):
                part["Number"] = "+8613800138000"
                part["SMSC"] = {"Location": 0, "Number": "+8613800100500"}
                part["Type"] = layout
                part["Folder"] = 1
                part["DateTime"] = datetime.datetime(2026, 11, 23, 20, 34, 56)
                hexpdu = binascii.hexlify(gammu.EncodePDU(part, layout)).decode().upper()
                label = "decode %s %s part %d" % (layout, name, i + 1)
                m = json.loads(smsctl("decode", "--json", hexpdu))
                check(label + " type", m["type"], layout.lower())
                check(label + " number", m["number"], "+8613800138000")
                check(label + " smsc", m.get("smsc"), "+8613800100500")
                check(label + " encoding", m["encoding"], CODING[part["Coding"]])
                if len(parts) > 1:
                    check(label + " concat", (m["concat"]["total"], m["concat"]["seq"]), (len(parts), i + 1))
                if layout == "Deliver":
                    check(label + " timestamp offset applied", m["timestamp"][:10], "2026-11-23")
                joined += m["text"]
            check("decode %s %s text" % (layout, name), joined, text)
    # Published status reports, and one captured from a modem that pads +CMGR answers with FF
    # (Gammu's test data has it with 143 x FF): libGammu and we must agree.
    captured = "079124602009999002AB098106845688F8907080517375809070805183018000"
    for hexpdu in ("07919730071111F106380B919730123456F8904012512212409040125122124000",
                   "0006D60B911326880736F4111011719551401110117195714000",
                   captured, captured + "FF", captured + "FF" * 143):
        label = "status report %s..%s (%d octets)" % (hexpdu[:8], hexpdu[-4:], len(hexpdu) // 2)
        d = gammu.DecodePDU(binascii.unhexlify(hexpdu), SMSC=True)
        m = json.loads(smsctl("decode", "--json", hexpdu))
        check(label + " type", m["type"], "status-report")
        check(label + " number", m["number"], d["Number"])
        check(label + " smsc", m.get("smsc", ""), d["SMSC"]["Number"])
        check(label + " mr", m["mr"], d["MessageReference"])
        check(label + " status", m["status"], d["DeliveryStatus"])
        # libGammu reports the SCTS as the SMSC's local time, without the zone.
        utc = datetime.datetime.strptime(m["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
        local = utc + datetime.timedelta(minutes=m["timestamp_offset_minutes"])
        check(label + " time", local, d["DateTime"].replace(tzinfo=None))
    # Flash and validity written by libGammu.
    for cls in (0, 1):
        msg = dict(TEMPLATE)
        msg.update(Number="10086", Text="flash", Class=cls, Type="Submit")
        m = json.loads(smsctl("decode", "--json", binascii.hexlify(gammu.EncodePDU(msg, "Submit")).decode()))
        check("gammu class %d" % cls, m.get("class"), cls)
        check("gammu class %d text" % cls, m["text"], "flash")


def main():
    ours_to_gammu()
    ours_deliver_to_gammu()
    ours_report_to_gammu()
    gammu_to_ours()
    for f in FAILURES:
        print("MISMATCH " + f)
    print("%d checks against libGammu %s, %d mismatches" % (CHECKS, gammu.Version()[0], len(FAILURES)))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
