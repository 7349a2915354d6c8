"""Benchmark: two checkouts of lagebild side by side, in turns, on the same articles (a paired A/B).

    python bench/paired.py OLD_SRC NEW_SRC [--gnad CSV] [--limit N] [--chunk 50] [--stages nlp,entities]

``OLD_SRC`` and ``NEW_SRC`` are ``src`` folders of two checkouts (``git worktree add /tmp/old HEAD~1``
gives one: pass ``/tmp/old/src``).  Each runs in its own process, loads the packaged pipeline and the
10kGNAD articles (default ../shared/data/10kgnad/test.csv), runs the stages before the timed ones,
then the two take ``--chunk`` articles of the timed stages (default nlp + entities; the name ``ingest``
adds reading each article from its bytes, language detection included, and every stage up to the last
one named) in turn, the order
of each pair alternating, until all articles are done.  A machine whose speed drifts (a shared VM)
slows both alike, so the ratio of their CPU seconds holds where two separate runs minutes apart
would not.  Each article goes through the timed stages one after the other, as the runner does.
Prints both sums and the ratio, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# what each side's process runs: arguments SRC GNAD LIMIT STAGES; reads a chunk's first index per
# line on stdin, answers the CPU seconds it took
_SIDE = r"""
import csv, sys, time
src, gnad, limit, names = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(",")
ingest = "ingest" in names  # time reading each article from its bytes too (language detection included)
names = [x for x in names if x != "ingest"]
sys.path.insert(0, src)
from lagebild.config import load_config
from lagebild.ingest import SourceSpec, read_source
from lagebild.model import Corpus
from lagebild.pipeline import Pipeline
csv.field_size_limit(sys.maxsize)
with open(gnad, encoding="utf-8", newline="") as f:
    rows = [r for r in csv.reader(f, delimiter=";", quotechar="'") if len(r) >= 2]
rows = rows[:limit] if limit else rows
cfg = load_config(None, [])
specs = [
    SourceSpec(name=f"gnad#{i}", data=f"{label}: Artikel {i}\n\n{text}\n".encode(), hint="text")
    for i, (label, text) in enumerate(rows)
]
# reading is timed with ``ingest``: then only the first article is read ahead, to load what the stages need
articles = [a for spec in (specs[:1] if ingest else specs) for a in read_source(spec, cfg["ingest"])]
pipeline = Pipeline.from_config(cfg)
pipeline.run_corpus(Corpus([pipeline.run_article(articles[0])]))  # lazily loaded resources
stages = [s for level, ss in pipeline.segments() if level == "article" for s in ss]
missing = [x for x in names if x not in [s.name for s in stages]]
if missing:
    sys.exit(f"bench/paired.py: {missing} are not per-article stages of this pipeline")
first = 0 if ingest else min(k for k, s in enumerate(stages) if s.name in names)
last = max((k for k, s in enumerate(stages) if s.name in names), default=-1)
ready = []
for a in articles:
    for s in stages[:first]:
        a = pipeline._apply_article(s, a)
    ready.append(a)
print(len(specs) if ingest else len(ready), flush=True)
for line in sys.stdin:
    k, n = map(int, line.split())
    t = time.process_time()
    for item in (specs if ingest else ready)[k : k + n]:
        for a in (read_source(item, cfg["ingest"]) if ingest else (item,)):
            for s in stages[first : last + 1]:
                a = pipeline._apply_article(s, a)
    print(time.process_time() - t, flush=True)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old", type=Path, help="the src folder of the checkout to compare against")
    ap.add_argument("new", type=Path, help="the src folder of the checkout under test")
    ap.add_argument("--gnad", type=Path, default=REPO.parent / "shared" / "data" / "10kgnad" / "test.csv")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--chunk", type=int, default=50)
    ap.add_argument("--stages", default="nlp,entities", metavar="NAME,NAME")
    args = ap.parse_args()
    if not args.gnad.is_file():
        sys.exit(f"bench/paired.py: {args.gnad} not found — pass --gnad PATH to a 10kGNAD-format CSV")
    for src in (args.old, args.new):
        if not (src / "lagebild" / "__init__.py").is_file():
            sys.exit(f"bench/paired.py: {src} holds no lagebild package — pass a checkout's src folder")
    sides = [
        subprocess.Popen(
            [sys.executable, "-c", _SIDE, str(src), str(args.gnad), str(args.limit), args.stages],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        for src in (args.old, args.new)
    ]
    counts = []
    for side in sides:
        line = side.stdout.readline() if side.stdout else ""
        if not line.strip().isdigit():
            sys.exit("bench/paired.py: a side failed to start (its error is above)")
        counts.append(int(line))
    if counts[0] != counts[1]:
        sys.exit(f"bench/paired.py: the two checkouts read {counts[0]} and {counts[1]} articles")
    n = counts[0]
    cpu = [0.0, 0.0]
    for turn, k in enumerate(range(0, n, args.chunk)):
        for j in ((0, 1) if turn % 2 == 0 else (1, 0)):
            side = sides[j]
            assert side.stdin is not None and side.stdout is not None
            side.stdin.write(f"{k} {args.chunk}\n")
            side.stdin.flush()
            cpu[j] += float(side.stdout.readline())
    for side in sides:
        assert side.stdin is not None
        side.stdin.close()
        side.wait()
    out = {
        "benchmark": "paired",
        "stages": args.stages.split(","),
        "articles": n,
        "chunk": args.chunk,
        "old": {"src": str(args.old), "cpu_seconds": round(cpu[0], 3), "articles_per_cpu_s": round(n / cpu[0], 1)},
        "new": {"src": str(args.new), "cpu_seconds": round(cpu[1], 3), "articles_per_cpu_s": round(n / cpu[1], 1)},
        "speedup": round(cpu[0] / cpu[1], 3),
    }
    print(f"old {cpu[0]:.2f} s ({out['old']['articles_per_cpu_s']}/s), new {cpu[1]:.2f} s "
          f"({out['new']['articles_per_cpu_s']}/s): new is {out['speedup']}× as fast")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
