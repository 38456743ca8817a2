#!/usr/bin/env python3
"""End-to-end checks of the dyad program: exit codes, bad input, output
formats, the worker pool, dictionaries, and the real scraped sample from
../shared (skipped with a message when it is absent)."""
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile

DYAD = os.environ.get("DYAD", "build/dyad")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
results = []


def run(args, stdin=None, timeout=120):
    p = subprocess.run([DYAD] + args, input=stdin, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def check(name, cond, why=""):
    results.append((name, bool(cond), why))


def skip(name, why):
    results.append((name, None, why))


def records(out):
    return [json.loads(l) for l in out.splitlines() if l.strip()]


def tmpfile(data, suffix=".txt"):
    f = tempfile.NamedTemporaryFile(delete=False, suffix=suffix)
    f.write(data if isinstance(data, bytes) else data.encode())
    f.close()
    return f.name


def test_usage():
    rc, out, _ = run(["--help"])
    check("help lists the commands", rc == 0 and all(c in out for c in ("code", "segment", "actors", "eval", "dict check")))
    rc, _, err = run(["frobnicate"])
    check("unknown command exits 2", rc == 2 and "unknown command" in err)
    rc, _, err = run(["code", "--bogus"])
    check("unknown option exits 2", rc == 2 and "--bogus" in err)
    rc, _, err = run(["code", "--date", "yesterday", "-"], stdin=b"x")
    check("bad --date exits 2", rc == 2)


def test_dictionaries():
    rc, out, err = run(["dict", "check", os.path.join(ROOT, "data")])
    check("built-in dictionaries have no problems", rc == 0 and out.startswith("0 problems"), err[:800])
    bad = tmpfile("Freedonia | Freedonian = FRD\nBroken line without equals\nSylvania = syl\nRufus T Firefly = FRDGOV 2020-01-01..2019-01-01\n")
    rc, out, err = run(["dict", "check", "--no-builtin", bad])
    check("dictionary typos are reported as file:line", rc == 1 and (bad + ":2:") in err and (bad + ":3:") in err and (bad + ":4:") in err, err)
    verbs = tmpfile("046  hold talks with $T\n999  frobnicate $T\n046  xyzzyq $T\n", suffix="-verbs.txt")
    rc, out, err = run(["dict", "check", verbs])
    check("bad verb patterns are reported", rc == 1 and (verbs + ":2:") in err and (verbs + ":3:") in err and (verbs + ":1:") not in err, err)
    wn = "/usr/share/wordnet"
    if os.path.isdir(wn):
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tools/gen_wordnet.py"), wn], capture_output=True)
        with open(os.path.join(ROOT, "src/wordnet_verbs.inc"), "rb") as f:
            check("WordNet table regenerates identically", p.stdout == f.read())
    else:
        skip("WordNet table regenerates identically", "wordnet-base not installed")


def test_bad_input():
    rnd = random.Random(7)
    garbage = bytes(rnd.randrange(256) for _ in range(200000))
    rc, out, err = run(["code", tmpfile(garbage, ".bin")])
    check("random bytes: no crash", rc in (0, 1) and "documents read" in err, err[-300:])
    rc, out, err = run(["segment", tmpfile(b"\0" * 100000)])
    check("a file of NULs: no crash", rc in (0, 1) and "documents read" in err, err[-300:])
    rc, out, err = run(["segment", tmpfile(b"")])
    check("an empty file: exit 0", rc == 0, err)
    jl = tmpfile('{"id":"a","text":"France criticised Germany."}\n{"id":"b","text": broken\n{"id":"c","text":"Spain met Italy."}\n', ".jsonl")
    rc, out, err = run(["segment", jl])
    ids = {r["doc"] for r in records(out)}
    check("broken JSON line: reported with file:line, others kept, exit 1",
          rc == 1 and (jl + ":2:") in err and ids == {"a", "c"} and "2 documents read, 1 skipped" in err, err)
    rc, out, err = run(["segment", "/nonexistent/file.txt"])
    check("missing file: reported, exit 1", rc == 1 and "/nonexistent/file.txt" in err, err)
    long_line = b"word " * 2_000_000
    rc, out, err = run(["code", tmpfile(long_line)], timeout=120)
    check("10 MB line without a full stop: processed", rc == 0 and "1 documents read" in err, err[-300:])
    mixed = b"\xef\xbb\xbfdate 2024-01-02\r\nFrance \xff\xfe criticised\x00 Germany.\r\n\r\nCaf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d.\r\n"
    rc, out, err = run(["segment", tmpfile(mixed)])
    recs = records(out)
    ok = rc == 0 and len(recs) == 2 and all("\ufffd" in r["text"] or "Caf" in r["text"] for r in recs)
    check("BOM, CRLF, invalid UTF-8 and NUL: valid JSON, U+FFFD", ok, out[:500])


def test_formats():
    docs = "".join(json.dumps({"id": "d%d" % i, "date": "2024-05-0%d" % (1 + i % 3),
                               "text": "France criticised Germany on Monday. Japan and China held talks in Tokyo."}) + "\n"
                   for i in range(40))
    jl = tmpfile(docs, ".jsonl")
    rc1, out1, _ = run(["code", "-j", "1", jl])
    rc2, out2, _ = run(["code", "-j", "2", jl])
    check("-j 2 output equals -j 1 output (input order)", rc1 == 0 and out1 == out2 and out1)
    rc, out, _ = run(["code", "--format", "tsv", jl])
    lines = out.splitlines()
    check("TSV has a header and one row an event", rc == 0 and lines and lines[0].startswith("doc\tdate\tsentence\tsource") and len(lines) - 1 == len(records(out1)))
    rc, out, _ = run(["code", "--one-a-day", jl])
    per_day = records(out)
    keys = {(r["date"], r["source"], r["target"], r["code"]) for r in records(out1) if r["kind"] == "event"}
    check("--one-a-day keeps one event per date/source/target/code", rc == 0 and len(per_day) == len(keys) and len(per_day) < len(records(out1)))
    db = tempfile.mktemp(suffix=".db")
    rc, out, err = run(["code", "--db", db, jl])
    try:
        con = sqlite3.connect(db)
        n_docs = con.execute("select count(*) from documents").fetchone()[0]
        n_events = con.execute("select count(*) from events").fetchone()[0]
        ok = rc == 0 and n_docs == 40 and n_events == len([r for r in records(out1) if r["kind"] == "event"])
    except Exception as e:  # noqa
        ok, err = False, str(e)
    check("--db writes documents and events to SQLite", ok, err)


def test_dates():
    text = b"Donald Trump criticised China.\n"
    codes = []
    for date in ("2019-06-01", "2022-06-01", "2025-06-01"):
        rc, out, _ = run(["actors", "--date", date, "-"], stdin=text)
        trump = [r["code"] for r in records(out) if "Trump" in r["text"]]
        codes.append(trump[0] if trump else None)
    ok = codes[0] == "USAGOV" and codes[2] == "USAGOV" and codes[1] not in (None, "USAGOV")
    check("Donald Trump: government in 2019 and 2025, not in 2022", ok, str(codes))


def test_sample():
    path = os.path.join(SHARED, "samples", "independent-2025-03-05.txt")
    if not os.path.exists(path):
        skip("shared sample", "../shared/samples is absent")
        return
    rc, out, err = run(["segment", "--all", path])
    recs = records(out)
    body = [r["text"] for r in recs if r["segment"] == "body"]
    captions = [r["text"] for r in recs if r["segment"] == "caption"]
    boiler = [r["text"] for r in recs if r["segment"] == "boilerplate"]
    alltext = " ".join(r["text"] for r in recs if r["segment"] != "boilerplate")
    check("sample: donation appeal is boilerplate", any("Your support" in t for t in boiler) and not any("donation" in t for t in body))
    check("sample: four gallery captions marked caption", len(captions) >= 4 and all("open image in gallery" not in t for t in captions), str(captions)[:400])
    check("sample: picture credits dropped", "Carl Court" not in alltext and "PA Wire" not in alltext and "AFP/Getty" not in alltext)
    check("sample: date read from the first line", rc == 0)
    check("sample: '?'/quote/abbreviation boundaries", any(t.startswith("Mr Zelensky had bowed") for t in body) and any(t.endswith("said.") for t in body))


def main():
    for t in (test_usage, test_dictionaries, test_bad_input, test_formats, test_dates, test_sample):
        try:
            t()
        except Exception as e:  # a crash of the harness is a failure, not a stop
            results.append((t.__name__, False, "harness error: %r" % e))
    failed = 0
    for name, ok, why in results:
        if ok is None:
            print("SKIP cli %s: %s" % (name, why))
        elif ok:
            print("PASS cli " + name)
        else:
            failed += 1
            print("FAIL cli %s%s" % (name, (": " + why) if why else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
