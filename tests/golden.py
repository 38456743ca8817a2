#!/usr/bin/env python3
"""Golden tests: readable cases of input and expected output, run through
the dyad program.

A file holds cases separated by a line `===`. A case is

    ### name of the case
    % code --date 2025-03-05        (optional: the command and options)
    input text, as many lines and paragraphs as needed
    ---
    expected output, one record a line

The command defaults to the file's prefix: segment-*.txt runs `segment`,
actors-*.txt `actors`, events-*.txt `code --events-only`, quotes-*.txt
`code --quotes-only`. Records are shown as:

    segment   [kind] sentence text
    actors    text => CODE (how) name          (CODE is - when unknown)
    events    SOURCE TARGET CODE (verb text)   (flags appended: negated...)
    quotes    speaker | actor | full/partial | continuation/- | quoted text

Prints one line a case, PASS or FAIL (with a diff); exit 1 if any failed.
"""
import json
import os
import subprocess
import sys

DEFAULTS = {
    "segment": ["segment"],
    "actors": ["actors"],
    "events": ["code", "--events-only"],
    "quotes": ["code", "--quotes-only"],
    "code": ["code"],
}


def show(rec, text):
    kind = rec.get("kind")
    if kind == "sentence":
        return "[%s] %s" % (rec["segment"], rec["text"])
    if kind == "actor":
        s = "%s => %s (%s)" % (rec["text"], rec["code"] or "-", rec["how"])
        if rec.get("name"):
            s += " " + rec["name"]
        return s
    if kind == "event":
        s = "%s %s %s (%s)" % (rec["source"] or "-", rec["target"] or "-", rec["code"],
                                rec.get("verb_text") or "")
        for flag in ("negated", "hypothetical"):
            if rec.get(flag):
                s += " " + flag
        return s
    if kind == "quote":
        return "%s | %s | %s | %s | %s" % (
            rec["speaker"] or "-", rec["speaker_actor"] or "-",
            "partial" if rec["partial"] else "full",
            "continuation" if rec["continuation"] else "-", rec["text"])
    return json.dumps(rec)


def parse(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    for chunk in raw.split("\n===\n"):
        lines = chunk.strip("\n").split("\n")
        if not lines or not lines[0].startswith("### "):
            if chunk.strip():
                cases.append((path, "(malformed case)", None, None, None))
            continue
        name = lines[0][4:].strip()
        args = None
        body = lines[1:]
        if body and body[0].startswith("% "):
            args = body[0][2:].split()
            body = body[1:]
        if "---" not in body:
            cases.append((path, name, None, None, None))
            continue
        sep = body.index("---")
        text = "\n".join(body[:sep]) + "\n"
        expected = [l for l in body[sep + 1:] if l.strip()]
        cases.append((path, name, args, text, expected))
    return cases


def run_case(dyad, prefix, case):
    path, name, args, text, expected = case
    if text is None:
        return False, "malformed case (needs ### name, input, ---, expected)"
    argv = [dyad] + (args or DEFAULTS.get(prefix, ["code"])) + ["-q", "--input-format", "text", "-j", "1", "-"]
    p = subprocess.run(argv, input=text.encode(), capture_output=True, timeout=60)
    if p.returncode not in (0, 1):
        return False, "exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace")[:500])
    got = []
    for line in p.stdout.decode().splitlines():
        got.append(show(json.loads(line), text))
    if got == expected:
        return True, ""
    diff = ["    expected:"] + ["      " + l for l in expected] + ["    got:"] + ["      " + l for l in got]
    return False, "\n".join(diff)


def main():
    dyad = os.environ.get("DYAD", "build/dyad")
    files = sys.argv[1:] or sorted(
        os.path.join("tests/golden", f) for f in os.listdir("tests/golden") if f.endswith(".txt"))
    failed = 0
    for path in files:
        prefix = os.path.basename(path).split("-")[0].split(".")[0]
        for case in parse(path):
            ok, why = run_case(dyad, prefix, case)
            label = "golden %s: %s" % (os.path.basename(path), case[1])
            if ok:
                print("PASS " + label)
            else:
                failed += 1
                print("FAIL " + label + "\n" + why)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
