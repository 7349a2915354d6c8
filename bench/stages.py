"""Benchmark: time per stage of the default pipeline, one core.

    python bench/stages.py [--gnad CSV] [--limit N] [--set KEY=VALUE ...] [--stages nlp,entities]

Reads 10kGNAD (default ../shared/data/10kgnad/test.csv) as plain-text articles,
then runs every stage of the packaged default pipeline in one process and
times each: each article through a segment's per-article stages in turn (as the
runner does: a stage may reuse what the stage before it computed for the same
text), corpus stages once.
Prints a table, then one JSON object on the last line with articles/s per
stage and for the whole pipeline (ingest excluded: see bench/ingest.py).
Each stage's wall-clock seconds and the CPU seconds of this process (``cpu_seconds``,
``time.process_time``: the figure to compare on a busy machine).  ``--stages``: time only
these stages (the ones before them still run, untimed, to give them their input; the run
stops after the last one named).
Targets: nlp + entities ≥ 100 articles/s per core (issue 3); time ≥ 500 (issue 4).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from lagebild.config import load_config  # noqa: E402
from lagebild.ingest import SourceSpec, read_source  # noqa: E402
from lagebild.model import Corpus  # noqa: E402
from lagebild.pipeline import Pipeline  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gnad", type=Path, default=REPO.parent / "shared" / "data" / "10kgnad" / "test.csv")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                    help="a setting override, as for `lagebild build --set`")
    ap.add_argument("--stages", default="", metavar="NAME,NAME",
                    help="time only these stages (comma-separated), e.g. nlp,entities")
    args = ap.parse_args()
    only = [x.strip() for x in args.stages.split(",") if x.strip()]
    if not args.gnad.is_file():
        sys.exit(f"bench/stages.py: {args.gnad} not found — pass --gnad PATH to a 10kGNAD-format CSV")
    csv.field_size_limit(sys.maxsize)
    with args.gnad.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter=";", quotechar="'") if len(r) >= 2]
    if args.limit:
        rows = rows[: args.limit]
    cfg = load_config(None, args.sets)
    articles = []
    for i, (label, text) in enumerate(rows):
        data = f"{label}: Artikel {i}\n\n{text}\n".encode()
        articles += [a for a in read_source(SourceSpec(name=f"gnad#{i}", data=data, hint="text"), cfg["ingest"])]
    pipeline = Pipeline.from_config(cfg)
    # warm up lazily loaded resources (KB, lexicons) so they are not charged to one article
    t0 = time.perf_counter()
    pipeline.run_corpus(Corpus([pipeline.run_article(articles[0])]))
    warmup = time.perf_counter() - t0

    n = len(articles)
    names = [s.name for _, stages in pipeline.segments() for s in stages]
    unknown = [x for x in only if x not in names]
    if unknown:
        sys.exit(f"bench/stages.py: --stages names {unknown}, not stages of this pipeline — pick from {names}")
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    corpus = Corpus(articles)
    clock, cpu_clock = time.perf_counter, time.process_time
    for level, stages in pipeline.segments():
        if only and all(x in timings for x in only):
            break
        if only:  # stop after the last stage named
            last = max((k for k, s in enumerate(stages) if s.name in only), default=len(stages) - 1)
            stages = stages[: last + 1]
        if level == "article":
            # article by article through the segment's stages, as the runner does (a stage may
            # reuse what the one before it computed for the same text: nlp's tokens in entities)
            for s in stages:
                timings.setdefault(s.name, 0.0)
                cpu.setdefault(s.name, 0.0)
            done = []
            for a in corpus.articles:
                for s in stages:
                    t0, c0 = clock(), cpu_clock()
                    a = pipeline._apply_article(s, a)
                    timings[s.name] += clock() - t0
                    cpu[s.name] += cpu_clock() - c0
                done.append(a)
            corpus = corpus.replace(done)
        else:
            for s in stages:
                t0, c0 = clock(), cpu_clock()
                corpus = s.fn(corpus, pipeline.settings[s.name])
                timings[s.name], cpu[s.name] = clock() - t0, cpu_clock() - c0
    if only:
        timings = {k: v for k, v in timings.items() if k in only}
        cpu = {k: v for k, v in cpu.items() if k in only}
    total = sum(timings.values())
    out = {
        "benchmark": "stages",
        "overrides": args.sets,
        "articles": n,
        "warmup_seconds": round(warmup, 2),
        "stages": {k: {"seconds": round(v, 3), "articles_per_s": round(n / v, 1) if v else None,
                       "cpu_seconds": round(cpu[k], 3)}
                   for k, v in timings.items()},
        "nlp_plus_entities_articles_per_s": _rate(n, timings, ("nlp", "entities")),
        "nlp_plus_entities_articles_per_cpu_s": _rate(n, cpu, ("nlp", "entities")),
        "timed_stages": only or "all",
        "pipeline_articles_per_s_one_core": round(n / total, 1) if not only else None,
        "entities_found": sum(len(a.entities) for a in corpus.articles),
        "times_found": sum(len(a.times) for a in corpus.articles),
    }
    for k, v in out["stages"].items():
        print(f"{k:>15}: {v['seconds']:7.3f} s  {v['articles_per_s']:>8} articles/s  (CPU {v['cpu_seconds']:7.3f} s)")
    print(f"whole pipeline (ingest excluded): {out['pipeline_articles_per_s_one_core']} articles/s on one core; "
          f"nlp + entities: {out['nlp_plus_entities_articles_per_s']} (target ≥ 100); warm-up {out['warmup_seconds']} s")
    print(json.dumps(out))


def _rate(n: int, seconds: dict[str, float], names: tuple[str, ...]) -> float | None:
    """Articles per second over the named stages (``None`` when one of them was not timed)."""
    if not all(x in seconds for x in names) or not sum(seconds[x] for x in names):
        return None
    return round(n / sum(seconds[x] for x in names), 1)


if __name__ == "__main__":
    main()
