"""Benchmark of the ``quantities`` stage (issue 5, part 1).

    python bench/quantities.py [DIR] [--repeat N] [--sample N --seed S]

DIR (default ../shared/data/10kgnad) holds ``test.csv`` in the 10kGNAD format
(``;``-separated, text quoted with ``'``: label, article text).  Each article is
cleaned and run through ``nlp`` and ``time`` first (outside the timing); then
the ``quantities`` stage alone is timed over all articles, best of ``--repeat``
runs, one process = one core (wall clock, and per CPU second, which is
what counts on a machine shared with other work).  Target: ≥ 1000 articles/s (the numbers-and-claims
layer as a whole: ≥ 300).

Reported: articles/s, quantities per article, the share of quantities with an
object, the share whose measure is a concept of ``lexicon/measures.toml``, and
the share by ``mod`` and by unit.  There is no German quantity gold set in
../shared, so ``--sample N --seed S`` prints N random quantities with their
context (the quantity in [brackets], the object in <angle brackets>) for a
person to judge; the precision figure in the report is such a judgement.

Prints a human summary, then ONE JSON object on the last line.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from lagebild.model import Article  # noqa: E402

TARGET = 1000.0


def load_articles(folder: Path) -> list[Article]:
    """10kGNAD rows as German articles through ``clean``, ``nlp`` and ``time``."""
    from lagebild.pipeline import get_stage

    csv.field_size_limit(sys.maxsize)
    path = folder / "test.csv" if folder.is_dir() else folder
    with path.open(encoding="utf-8", newline="") as f:
        rows = [row for row in csv.reader(f, delimiter=";", quotechar="'") if len(row) >= 2]
    stages = [get_stage(n) for n in ("clean", "nlp", "time")]
    out = []
    for i, (label, text) in enumerate(rows):
        art = Article(id=f"gnad{i}", raw_text=f"{label}: Artikel {i}\n\n{text}\n", language="de")
        for s in stages:
            art = s.fn(art, {})
        out.append(art)
    return out


def run(articles: list[Article], repeat: int) -> tuple[list[Article], float, float]:
    """The stage over all articles, best of ``repeat``: (results, wall seconds, CPU seconds).

    CPU seconds (``time.process_time``) are what one core spends; on a busy
    machine the wall time is longer by the time other processes held the core.
    """
    from lagebild.extract.quantities import quantities

    for a in articles[:50]:  # compile the grammar and load the lemma dictionary outside the timing
        quantities(a, {})
    best = best_cpu = float("inf")
    done: list[Article] = []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        done = [quantities(a, {}) for a in articles]
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return done, best, best_cpu


def figures(done: list[Article], seconds: float, cpu_seconds: float) -> dict[str, Any]:
    from lagebild.extract.quantities._lexicon import load_measures

    concepts = set(load_measures().values())
    qs = [q for a in done for q in a.quantities]
    n = max(len(qs), 1)
    with_object = sum(q["object"] is not None for q in qs)
    in_map = sum(q["measure"].split(":", 1)[1] in concepts for q in qs)
    return {
        "articles": len(done),
        "mean_chars": round(sum(len(a.text) for a in done) / max(len(done), 1)),
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "articles_per_s_one_core": round(len(done) / seconds, 1),
        "articles_per_cpu_s": round(len(done) / max(cpu_seconds, 1e-9), 1),
        "quantities": len(qs),
        "quantities_per_article": round(len(qs) / max(len(done), 1), 2),
        "share_with_object": round(with_object / n, 3),
        "share_measure_in_concept_map": round(in_map / n, 3),
        "share_ranges_or_vague": round(sum(q["value"] is None for q in qs) / n, 3),
        "mods": dict(Counter(q["mod"] or "none" for q in qs).most_common()),
        "units": dict(Counter(q["unit"] or "count" for q in qs).most_common(12)),
        "top_measures": dict(Counter(q["measure"] for q in qs).most_common(12)),
    }


def sample(done: list[Article], n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` random quantities with 60 characters of context either side."""
    pool = [(a, q) for a in done for q in a.quantities]
    rng = random.Random(seed)
    picked = rng.sample(pool, min(n, len(pool)))
    out = []
    for a, q in picked:
        s, e = q["start"], q["end"]
        left = a.text[max(0, s - 60):s]
        right = a.text[e:e + 60]
        if q["object"] is not None:
            os_, oe = q["object_start"] - e, q["object_end"] - e
            right = right[:os_] + "<" + right[os_:oe] + ">" + right[oe:] if oe <= len(right) else right
        ctx = f"{left}[{q['text']}]{right}".replace("\n", " ")
        out.append({"article": a.id, "context": ctx, "value": q["value"], "low": q["low"], "high": q["high"],
                    "mod": q["mod"], "unit": q["unit"], "object": q["object"], "measure": q["measure"]})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("data", nargs="?", type=Path, default=REPO.parent / "shared" / "data" / "10kgnad",
                    help="folder with test.csv in the 10kGNAD format (or the CSV itself)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs; the best counts")
    ap.add_argument("--sample", type=int, default=0, help="print this many random quantities with context")
    ap.add_argument("--seed", type=int, default=0, help="random seed of --sample")
    args = ap.parse_args()
    csv_path = args.data / "test.csv" if args.data.is_dir() else args.data
    if not csv_path.is_file():
        sys.exit(f"bench/quantities.py: {csv_path} not found — pass the folder of a 10kGNAD-format test.csv")
    articles = load_articles(args.data)
    done, seconds, cpu_seconds = run(articles, max(args.repeat, 1))
    out: dict[str, Any] = {"benchmark": "quantities", "data": str(csv_path), "target_articles_per_s": TARGET}
    out.update(figures(done, seconds, cpu_seconds))
    if args.sample:
        items = sample(done, args.sample, args.seed)
        for i, it in enumerate(items, 1):
            shown = it["value"] if it["value"] is not None else f"{it['low']}–{it['high']}"
            print(f"{i:3d}. {it['context']}\n     value={shown} mod={it['mod']} unit={it['unit']} "
                  f"object={it['object']} measure={it['measure']}")
        out["sample"] = {"n": len(items), "seed": args.seed}
    print(f"quantities: {out['articles']} articles in {out['seconds']} s → {out['articles_per_s_one_core']} "
          f"articles/s on one core, wall clock ({out['articles_per_cpu_s']} per CPU second; target ≥ {TARGET:.0f}); "
          f"{out['quantities_per_article']} quantities per "
          f"article; with object {out['share_with_object']:.1%}; measure in the concept map "
          f"{out['share_measure_in_concept_map']:.1%}")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
