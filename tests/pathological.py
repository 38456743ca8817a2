#!/usr/bin/env python3
"""Pathological inputs under a time bound (after cmark's
pathological_tests.py): each must finish within LIMIT seconds in the
sanitizer build, exit 0 or 1, and print its summary."""
import os
import subprocess
import sys
import time

DYAD = os.environ.get("DYAD", "build/dyad")
LIMIT = float(os.environ.get("PATHOLOGICAL_LIMIT", "20"))

CASES = {
    "1 MB without a sentence end": b"the minister said that " * 45000,
    "a 1 MB token": b"x" * 1_000_000,
    "5,000 actor hits in one sentence": b"France, Germany, " * 5000 + b"and Spain met.\n",
    "10,000 quotation marks": b'"' * 10000 + b" he said.\n",
    "nested quotes 2,000 deep": "\u201c\u2018".encode() * 2000 + b"war" + "\u2019\u201d".encode() * 2000,
    "unbalanced quotes in every paragraph": b'\xe2\x80\x9cNo end here, he said\n\n' * 20000,
    "100,000 one-word sentences": b"Stop. " * 100000,
    "100,000 empty paragraphs": b"\n\n" * 100000 + b"France criticised Germany.\n",
    "1 MB of invalid UTF-8": bytes([0xff, 0xfe, 0xc3]) * 350000,
    "1 MB of NUL bytes": b"\0" * 1_000_000,
    "5,000 titles and surnames": b"Mr Smith met Mr Jones and Mr Brown. He said. " * 5000,
    "20,000 verbs without actors": b"attacked threatened accused imposed " * 5000,
    "abbreviations everywhere": b"U.S. U.K. Mr. Dr. Gen. J. R. R. Jan. " * 20000,
}


def main():
    failed = 0
    for name, data in CASES.items():
        t0 = time.time()
        try:
            p = subprocess.run([DYAD, "code", "-j", "1", "--input-format", "text", "-"], input=data,
                               capture_output=True, timeout=LIMIT * 3)
            secs = time.time() - t0
            ok = p.returncode in (0, 1) and b"documents read" in p.stderr and secs <= LIMIT
            why = "exit %d in %.1fs %s" % (p.returncode, secs, p.stderr[-200:].decode("utf-8", "replace"))
        except subprocess.TimeoutExpired:
            ok, why = False, "timed out"
        if ok:
            print("PASS pathological %s (%.2fs)" % (name, secs))
        else:
            failed += 1
            print("FAIL pathological %s: %s" % (name, why))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
