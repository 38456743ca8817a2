#!/usr/bin/env python3
"""make bench: throughput and peak memory of dyad on generated corpora.

Generates (once, into the build folder) a corpus of news-like articles from
templates of our own, then times:
  - read+clean+segment (`dyad segment`) on >= 50 MB, MB/s and sentences/s;
  - the whole job (`dyad code`) on >= 100,000 sentences, one worker and all
    cores, sentences/s per core, with the built-in dictionaries and, when
    ../shared/refdata is present, with the PETRARCH dictionaries loaded;
  - model load time (built-in; PETRARCH-size when present).
Peak memory is the child's maximum resident set size."""
import os
import random
import tempfile
import subprocess
import sys
import time

DYAD = sys.argv[1] if len(sys.argv) > 1 else "build/dyad"
OUT = os.path.join(os.path.dirname(os.path.abspath(DYAD)), "bench")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFDATA = os.path.join(ROOT, "..", "shared", "refdata")

ACTORS = ["France", "Germany", "the United States", "Russia", "China", "Japan", "India",
          "Brazil", "Turkish President Recep Tayyip Erdogan", "the European Union",
          "NATO", "Iranian officials", "Israeli troops", "the Kenyan government",
          "Ukrainian President Volodymyr Zelensky", "Egypt", "the United Nations",
          "South Korea", "Pakistani police", "Mr Macron"]
VERBS = ["criticised", "accused {t} of violating the truce with", "held talks with",
         "imposed sanctions on", "visited", "threatened", "praised", "met",
         "signed a trade agreement with", "condemned", "called on", "attacked",
         "suspended military aid to", "expelled diplomats from", "offered aid to"]
FILLER = ["on Monday", "in a statement", "late on Tuesday", "after weeks of tension",
          "according to officials", "despite warnings", "for the first time in years"]


def sentence(rnd):
    a, b = rnd.sample(ACTORS, 2)
    v = rnd.choice(VERBS)
    s = "%s %s %s %s." % (a, v.replace("{t}", b), b, rnd.choice(FILLER))
    if rnd.random() < 0.2:
        s = "\u201cWe will respond,\u201d the minister said. " + s
    return s[0].upper() + s[1:]


def make_corpus(path, target_bytes, seed):
    if os.path.exists(path) and os.path.getsize(path) >= target_bytes:
        return
    rnd = random.Random(seed)
    import json
    with open(path, "w", encoding="utf-8") as f:
        size, i = 0, 0
        while size < target_bytes:
            paras = ["\n".join([" ".join(sentence(rnd) for _ in range(rnd.randint(1, 4)))])
                     for _ in range(rnd.randint(4, 10))]
            line = json.dumps({"id": "b%d" % i, "date": "2024-0%d-1%d" % (1 + i % 9, i % 10),
                               "text": "\n\n".join(paras)}) + "\n"
            f.write(line)
            size += len(line.encode())
            i += 1


def timed(args):
    """Runs dyad; returns seconds, the child's own peak RSS (KiB), stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.time()
        p = subprocess.Popen([DYAD] + args, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        secs = time.time() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    if p.returncode not in (0, 1):
        sys.exit("bench: dyad %s failed: %s" % (" ".join(args), text[-400:]))
    return secs, usage.ru_maxrss, text, None


def count_field(stderr, word):
    for part in stderr.split(","):
        if part.strip().endswith(word):
            return int(part.strip().split()[0].split(":")[-1])
    return 0


def main():
    os.makedirs(OUT, exist_ok=True)
    big = os.path.join(OUT, "corpus-60mb.jsonl")
    make_corpus(big, 60 * 1024 * 1024, 1)
    mb = os.path.getsize(big) / 1e6
    secs, rss, err, _ = timed(["segment", "-q", "-j", "1", big])
    _, _, err, _ = timed(["segment", "-j", "1", big])
    sents = count_field(err.splitlines()[-1].replace("dyad:", ""), "sentences")
    print("segment  %.0f MB, %d sentences, 1 core: %.1f MB/s, %.0f sentences/s, peak %.0f MB"
          % (mb, sents, mb / secs, sents / secs, rss / 1024))

    small = os.path.join(OUT, "corpus-code.jsonl")
    make_corpus(small, 12 * 1024 * 1024, 2)
    for jobs in ("1", str(os.cpu_count() or 1)):
        secs, rss, err, _ = timed(["code", "-j", jobs, small])
        last = err.splitlines()[-1]
        n = count_field(last.replace("dyad:", ""), "sentences")
        ev = count_field(last, "events")
        print("code     %d sentences, %d events, -j %s: %.0f sentences/s (%.0f per core), peak %.0f MB"
              % (n, ev, jobs, n / secs, n / secs / int(jobs), rss / 1024))

    runs = [timed(["code", "-q", "/dev/null"])[0] for _ in range(5)]
    print("startup  built-in dictionaries: %.1f ms (process start + model load, best of 5)"
          % (min(runs) * 1000))
    pd = os.path.join(REFDATA, "petrarch2", "dictionaries")
    if os.path.isdir(pd):
        args = ["--dict-format", "petrarch", "--no-builtin"]
        for f in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                  "Phoenix.MilNonState.actors.txt", "Phoenix.agents.txt", "CAMEO.2.0.txt"):
            args += ["--dict", os.path.join(pd, f)]
        runs = [timed(["code", "-q"] + args + ["/dev/null"]) for _ in range(3)]
        print("startup  PETRARCH-2 dictionaries: %.0f ms, peak %.0f MB"
              % (min(r[0] for r in runs) * 1000, runs[0][1] / 1024))
        secs, rss, err, _ = timed(["code", "-j", "1"] + args[:0] + ["--dict-format", "petrarch"] +
                                  [a for a in args[3:]] + [small])
        n = count_field(err.splitlines()[-1].replace("dyad:", ""), "sentences")
        print("code     with built-in + PETRARCH-2 dictionaries, -j 1: %.0f sentences/s" % (n / secs))
    else:
        print("startup  PETRARCH-2 dictionaries: skipped (../shared/refdata absent)")


if __name__ == "__main__":
    main()
