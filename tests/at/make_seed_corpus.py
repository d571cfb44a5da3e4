#!/usr/bin/python3
"""Regenerates the fuzz seed corpus tests/data/at/corpus/ from the transcript
files in tests/data/at/ plus a few hand-made malformed inputs.

Seed layout (see fuzz_at_parser.cpp): byte 0 picks the command in flight,
byte 1 the split stride, the rest is the modem's bytes.
Run: /usr/bin/python3 tests/at/make_seed_corpus.py
"""
import glob
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "at")
# Same order as `commands` in fuzz_at_parser.cpp.
COMMANDS = ["", "AT", "AT+CSQ", "AT+CMGS=24", "AT+CMGL=4", "AT+CMGR=1", "AT+CREG?",
            "AT+CPIN?", "AT+CGMI", "ATI", "AT+CPMS?", "AT+CNMI=?", "AT+COPS?", "AT+CSCA?"]


def unescape(s):
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            e = s[i + 1]
            i += 2
            if e == "x":
                out.append(int(s[i:i + 2], 16))
                i += 2
            else:
                out += {"r": b"\r", "n": b"\n", "t": b"\t", "\\": b"\\"}[e]
            continue
        out += c.encode("utf-8")
        i += 1
    return bytes(out)


def main():
    corpus = os.path.join(DATA, "corpus")
    os.makedirs(corpus, exist_ok=True)
    for n, path in enumerate(sorted(glob.glob(os.path.join(DATA, "*.txt")))):
        first, data = None, b""
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if line.startswith("> ") and first is None:
                    first = line[2:]
                if line.startswith("< "):
                    data += unescape(line[2:])
        idx = COMMANDS.index(first) if first in COMMANDS else 0
        name = os.path.basename(path)[:-4]
        with open(os.path.join(corpus, name), "wb") as out:
            out.write(bytes([idx, n * 7 % 64]) + data)
    seeds = {
        "nuls": bytes([1, 0]) + b"\0" * 300 + b"\r\nOK\r\n",
        "overlong": bytes([2, 63]) + b"A" * 700 + b"\r\n+CSQ: 1,2\r\nOK\r\n",
        "prompt_noise": bytes([3, 1]) + b"\r\n>\r\n> > >\x1a\x1b\r\n+CMGS: 1\r\nOK\r\n",
        "cmgl_flood": bytes([4, 5]) + b"\r\n+CMGL: 0,1,,30\r\n^RSSI:1\r\n0791\r\n+CMGL: 1\r\n+CMGL: ,,,\r\n\r\nOK\r\n",
        "quotes": bytes([10, 3]) + b'\r\n+CPMS: "SM,3,"",,,(0-9999999),"\r\n+CNMI: (0-2147483647),(-5--1)\r\nOK\r\n',
        "errors": bytes([1, 2]) + b"+CME ERROR: \r\n+CMS ERROR: 0000000000000000000\r\nMODEM ERROR:\r\n+CMS ERROR: memory full\r\n",
    }
    for name, data in seeds.items():
        with open(os.path.join(corpus, name), "wb") as out:
            out.write(data)


if __name__ == "__main__":
    main()
