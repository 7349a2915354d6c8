"""Benchmark: ingest + clean + identify + dedup throughput and peak memory.

    python bench/ingest.py [--gnad PATH/test.csv] [--seeds DIR] [--copies N]

Defaults read ../shared/data/10kgnad/test.csv and ../shared/seeds. Each 10kGNAD
row (label;text) is written to a temporary .txt file first (not timed), so the
timed run is the real path a user's folder takes: expand → read → decode →
clean → identify (in one process, inline executor = one core) → corpus stages.
Prints a human summary, then one JSON object on the last line.
Target (issue 2): ≥ 300 articles/s per core.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from lagebild.api import extract  # noqa: E402
from lagebild.config import load_config  # noqa: E402
from lagebild.executors import InlineExecutor, ProcessExecutor  # noqa: E402
from lagebild.ingest import expand_inputs, read_source  # noqa: E402
from lagebild.pipeline import Pipeline  # noqa: E402

SHARED = REPO.parent / "shared"


def write_gnad(csv_path: Path, folder: Path, copies: int) -> int:
    csv.field_size_limit(sys.maxsize)
    n = 0
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = [row for row in csv.reader(f, delimiter=";", quotechar="'") if len(row) >= 2]
    for c in range(copies):
        for i, (label, text) in enumerate(rows):
            body = text if c == 0 else f"{text}\n\nKopie {c}."
            (folder / f"{c:02d}_{i:05d}.txt").write_text(f"{label}: Artikel {i}\n\n{body}\n", encoding="utf-8")
            n += 1
    return n


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


#: the issue-2 part of the pipeline: what this benchmark measures
STAGES = '["clean", "identify", "boilerplate", "dedup"]'


def run(folder: Path, n: int, label: str) -> dict:
    cfg = load_config(None, ["executor.kind=inline", f"pipeline.stages={STAGES}"])
    pipeline = Pipeline.from_config(cfg)

    # phase timings (one core)
    t0 = time.perf_counter()
    raw = [a for spec in expand_inputs([str(folder)], cfg["ingest"]) for a in read_source(spec, cfg["ingest"])]
    t_ingest = time.perf_counter() - t0
    t0 = time.perf_counter()
    arts = [pipeline.run_article(a) for a in raw]
    t_article = time.perf_counter() - t0
    from lagebild.model import Corpus

    t0 = time.perf_counter()
    pipeline.run_corpus(Corpus(arts))
    t_corpus = time.perf_counter() - t0

    # the whole path through the library call, one core
    t0 = time.perf_counter()
    result = extract([str(folder)], config=cfg, executor=InlineExecutor())
    t_total = time.perf_counter() - t0
    assert not result.errors, result.errors[:3]
    groups = {a.duplicate_group for a in result.articles if a.duplicate_group}
    return {
        "set": label,
        "articles": n,
        "articles_out": len(result.articles),
        "duplicate_groups": len(groups),
        "removed_lines": sum(len(r.lines) for a in result.articles for r in a.removed),
        "seconds": round(t_total, 3),
        "articles_per_s_one_core": round(n / t_total, 1),
        "phase_seconds": {
            "ingest": round(t_ingest, 3),
            "per_article_stages": round(t_article, 3),
            "corpus_stages": round(t_corpus, 3),
        },
    }


def run_process(folder: Path, n: int) -> dict:
    cfg = load_config(None, ["executor.kind=process", f"pipeline.stages={STAGES}"])
    with ProcessExecutor() as ex:
        t0 = time.perf_counter()
        result = extract([str(folder)], config=cfg, executor=ex)
        t = time.perf_counter() - t0
        workers = ex.workers
    return {"workers": workers, "seconds": round(t, 3), "articles_per_s": round(len(result.articles) / t, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gnad", type=Path, default=SHARED / "data" / "10kgnad" / "test.csv")
    ap.add_argument("--seeds", type=Path, default=SHARED / "seeds")
    ap.add_argument("--copies", type=int, default=1, help="replicate 10kGNAD N times (copies get a changed last line)")
    args = ap.parse_args()
    if not args.gnad.is_file():
        sys.exit(f"bench/ingest.py: {args.gnad} not found — pass --gnad PATH to a 10kGNAD-format CSV")

    out: dict = {"benchmark": "ingest", "target_articles_per_s_per_core": 300}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n = write_gnad(args.gnad, folder, args.copies)
        out["gnad"] = run(folder, n, "10kgnad")
        out["gnad"]["process_pool"] = run_process(folder, n)
    if args.seeds.is_dir():
        seeds = sorted(args.seeds.glob("*.txt"))
        out["seeds"] = run(args.seeds, len(seeds), "seeds")
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    g = out["gnad"]
    print(f"10kGNAD: {g['articles']} articles in {g['seconds']} s → {g['articles_per_s_one_core']} articles/s on one core "
          f"(target ≥ 300); process pool ({g['process_pool']['workers']} workers): {g['process_pool']['articles_per_s']}/s")
    print(f"phases: {g['phase_seconds']}; peak RSS {out['peak_rss_mb']} MB")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
