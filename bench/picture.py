"""Benchmark of ``lagebild build --out`` at growing corpus sizes (issue 6).

    python bench/picture.py [--sizes 1000,10000,100000] [--workers N] [--set KEY=VALUE ...] [DIR]
    python bench/picture.py --stories DB [--workers N] [--set KEY=VALUE ...]
    python bench/picture.py --picture DB [--set KEY=VALUE ...]

DIR (default ../shared/data/10kgnad) holds 10kGNAD's ``test.csv`` (1,028
German articles).  For each size N the articles are replicated with
perturbations up to N: copy k ≥ 1 of an article keeps half of its sentences,
takes the rest from other articles of the same category, shuffles the
sentence order and swaps a few neighbouring words — so every copy has a new
id and is no near duplicate of its original (dedup would collapse plain
copies), while the corpus keeps the topic mix of the original.  Copies get
publication dates spread over one year.  Articles are written as JSON Lines,
25 to a file, so the executor can spread them over its workers.

Each size runs in its own subprocess (``--child``), which calls
``lagebild.api.build(..., out=DIR)`` — the pipeline, the store, then the
corpus-level picture — and reports:

* ``wall_s`` — the whole build with ``--out``;
* ``corpus_s`` — the corpus-level part alone: ``update_stories`` + ``build_picture`` + ``write_outputs``;
* ``peak_rss_mb`` — peak resident memory of the main process (``resource.getrusage``), where the store is
  written and the corpus part runs (the per-article workers are children of the executor's forkserver, not
  of this process, so their memory is not in this figure; each holds one batch at a time).

Then the growth exponent between consecutive sizes (slope in log-log) of the
wall time and of the corpus part; the corpus part must grow sub-quadratically
(slope < 2).  Sizes above 10,000 are slow (the per-article pipeline runs at
roughly 60 articles/s per core): ask for them with ``--sizes``.

``--stories DB`` instead times ``update_stories`` alone, from scratch, on a copy of the store DB
(its story tables and article vectors emptied first; e.g. a store of ``bench/make_db.py``), in
this process: wall and CPU seconds, articles per second, peak RSS, stories and storylines.  As in
``lagebild build``, the leads and summary sentences are embedded by the executor's workers (``--workers``,
0 = one per core) from ``picture.stories.parallel_min`` articles on; ``--set
picture.stories.parallel_min=1000000000`` measures the one-process way.

``--picture DB`` measures the picture phase of a finished store (e.g. of ``bench/make_db.py``), each
part in its own child process on a copy of DB, so that each peak is its own: ``update_stories`` from
scratch (story tables and vectors emptied first) and ``build_picture`` + saving it in the store's picture
cache + ``write_outputs`` (stories as stored; what ``lagebild build --out`` does after ``update_stories``).  Per part: wall and CPU seconds, the process's resident memory before the part (after the
imports, the knowledge base and the encoder are loaded) and its peak during it (``resource.getrusage``),
and the growth per article, (peak − before) / articles.

``--parts picture`` measures only one of the two parts.  ``--parts cache`` (not in the default) measures what
``lagebild build`` without ``--out`` does after the stories: the picture's sections computed one at a time and
written into the store's picture cache as they are finished (``picture_sections``), never the whole object.

``--set KEY=VALUE`` (repeatable) overrides a setting of the build, as ``lagebild --set`` does
(e.g. ``--set picture.stories.threads=1``); the overrides are in the JSON line.

Prints a human summary, then ONE JSON object on the last line.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:  # this checkout's lagebild, not whichever is installed (an A/B from a worktree)
    sys.path.insert(0, str(REPO / "src"))
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ\"„])")


def read_gnad(path: Path) -> list[tuple[str, str]]:
    """``(category, text)`` rows of 10kGNAD's test.csv."""
    with open(path, encoding="utf-8", newline="") as f:
        return [(r[0], r[1]) for r in csv.reader(f, delimiter=";", quotechar="'") if len(r) >= 2 and r[1].strip()]


def _perturb(text: str, pool: list[list[str]], rng: random.Random) -> str:
    sents = _SENT.split(text)
    keep = [s for s in sents if rng.random() < 0.5] or sents[:1]
    donors = rng.sample(pool, min(3, len(pool)))
    extra = [s for d in donors for s in d if rng.random() < 0.3]
    mixed = keep + extra[: max(1, len(sents) - len(keep))]
    rng.shuffle(mixed)
    out = []
    for s in mixed:
        words = s.split()
        if len(words) > 4 and rng.random() < 0.5:
            i = rng.randrange(1, len(words) - 2)
            words[i], words[i + 1] = words[i + 1], words[i]
        out.append(" ".join(words))
    return " ".join(out)


def make_corpus(rows: list[tuple[str, str]], n: int, folder: Path, per_file: int = 25, seed: int = 6) -> int:
    """Write ``n`` articles (originals first, then perturbed copies) as JSONL files into ``folder``."""
    rng = random.Random(seed)
    by_cat: dict[str, list[list[str]]] = {}
    for cat, text in rows:
        by_cat.setdefault(cat, []).append(_SENT.split(text))
    start = dt.date(2024, 1, 1)
    folder.mkdir(parents=True, exist_ok=True)
    fh = None
    for i in range(n):
        if i % per_file == 0:
            if fh:
                fh.close()
            fh = open(folder / f"part{i // per_file:06d}.jsonl", "w", encoding="utf-8")
        cat, text = rows[i % len(rows)]
        if i >= len(rows):
            text = _perturb(text, by_cat[cat], rng)
        title = _SENT.split(text, maxsplit=1)[0][:150]
        rec = {"title": title, "text": text, "outlet": f"gnad-{cat.lower()}",
               "date": (start + dt.timedelta(days=(i * 7919) % 366)).isoformat()}
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if fh:
        fh.close()
    return n


def child(folder: Path, workdir: Path, workers: int, overrides: list[str] | None = None) -> dict:
    """Run one build with --out in this process; time the corpus-level part separately."""
    import lagebild.api as api
    from lagebild.config import load_config

    timings = {"stories_s": 0.0, "picture_s": 0.0}
    real_stories, real_picture = api._update_stories, api._write_picture

    def timed(fn, key):  # wrap the api's corpus-level steps to time them (same code path as `build --out`)
        def run(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                timings[key] += time.perf_counter() - t
        return run

    api._update_stories = timed(real_stories, "stories_s")
    api._write_picture = timed(real_picture, "picture_s")
    cfg = load_config(None, [f"executor.workers={workers}", *(overrides or [])])
    t0 = time.perf_counter()
    report = api.build([str(folder)], workdir / "bench.db", config=cfg, out=workdir / "out")
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before reading picture.json back
    pic_bytes = (workdir / "out" / "picture.json").stat().st_size
    pic = json.loads((workdir / "out" / "picture.json").read_text(encoding="utf-8"))
    return {
        "articles": report.new + report.updated + report.unchanged,
        "errors": report.failed,
        "wall_s": round(wall, 2),
        "stories_s": round(timings["stories_s"], 2),
        "picture_s": round(timings["picture_s"], 2),
        "corpus_s": round(timings["stories_s"] + timings["picture_s"], 2),
        "peak_rss_mb": round(peak, 1),
        "stories": len(pic["stories"]), "storylines": len(pic["storylines"]), "events": len(pic["events"]),
        "variants": len(pic["variants"]), "picture_json_mb": round(pic_bytes / 2**20, 1),
        "db_mb": round((workdir / "bench.db").stat().st_size / 2**20, 1),
    }


def _copy(db: Path, work: Path, *, clear_stories: bool) -> Path:
    """A copy of the store ``db`` at ``work``; with ``clear_stories`` its stories, vectors and picture emptied."""
    import shutil
    import sqlite3

    shutil.copy(db, work)
    if clear_stories:
        con = sqlite3.connect(work)
        for table in ("story_articles", "story_log", "stories", "storylines", "article_vectors", "picture_cache",
                      "picture_parts"):
            con.execute(f"DELETE FROM {table}")  # noqa: S608 — fixed table names
        con.commit()
        con.close()
    return work


def stories_only(db: Path, overrides: list[str], workers: int = 0) -> dict:
    """Time ``update_stories`` from scratch on a copy of ``db`` (story tables and vectors emptied), embedding
    through the configured executor as ``lagebild build`` does (from ``picture.stories.parallel_min``
    articles on; ``workers`` of them, 0 = one per core; their start-up is timed)."""
    from lagebild.api import _stories_executor
    from lagebild.config import load_config
    from lagebild.picture._stories import load_stories, update_stories
    from lagebild.store import open_store

    cfg = load_config(None, [f"executor.workers={workers}", *overrides])
    with tempfile.TemporaryDirectory(prefix="lagebild-bench-") as tmp:
        work = _copy(db, Path(tmp) / "stories.db", clear_stories=True)
        store = open_store(work)
        t0, c0 = time.perf_counter(), time.process_time()
        with _stories_executor(cfg, None) as ex:
            update_stories(store, cfg, executor=ex)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        lines, stories = load_stories(store)
        store.close()
    n = sum(len(s["articles"]) for s in stories)
    return {"db": str(db), "articles": n, "workers": workers if n >= int(cfg["picture"]["stories"]["parallel_min"])
            else 0, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
            "articles_per_s": round(n / wall, 1), "articles_per_cpu_s": round(n / cpu, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "stories": len(stories), "storylines": len(lines)}


def phase(db: Path, which: str, overrides: list[str]) -> dict:
    """One part of the picture phase on a copy of ``db``, in this process: ``stories`` (update_stories from
    scratch), ``picture`` (build_picture + write_outputs) or ``cache`` (the sections into the cache, as a build
    without ``--out`` saves them)."""

    from lagebild.config import load_config
    from lagebild.kb import load_kb
    from lagebild.picture import build_picture, write_outputs
    from lagebild.picture._embed import encoder
    from lagebild.picture._stories import update_stories
    from lagebild.store import open_store

    cfg = load_config(None, overrides)
    load_kb()  # fixed costs, loaded before the baseline
    if which == "stories":
        encoder(int(cfg["picture"]["stories"].get("threads", 1)))
    with tempfile.TemporaryDirectory(prefix="lagebild-bench-") as tmp:
        work = _copy(db, Path(tmp) / "phase.db", clear_stories=which == "stories")
        store = open_store(work)
        n = store.stats()["articles"]
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0, c0 = time.perf_counter(), time.process_time()
        extra: dict = {}
        if which == "stories":
            from lagebild.api import _stories_executor

            with _stories_executor(cfg, None) as ex:
                update_stories(store, cfg, executor=ex)
        elif which == "cache":
            from lagebild.api import _save_picture

            _save_picture(store, cfg, keep=False)
            # counted in SQL: loading the picture would hold it whole, which is what this part avoids
            for section in ("events", "variants", "stories"):
                extra[section] = store._rows("SELECT coalesce(sum(json_array_length(json)), 0) FROM picture_parts"
                                             " WHERE section = ?", (section,))[0][0]
        else:
            pic = build_picture(store, cfg)
            extra["build_picture_cpu_s"] = round(time.process_time() - c0, 2)
            extra["build_picture_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
            store.save_picture(pic, store.fingerprint())
            write_outputs(pic, Path(tmp) / "out", (cfg.get("picture") or {}).get("report"))
            extra.update(events=len(pic["events"]), variants=len(pic["variants"]), stories=len(pic["stories"]))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        store.close()
    return {"part": which, "articles": n, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "rss_before_mb": round(before, 1), "peak_rss_mb": round(peak, 1),
            "mb_per_article": round((peak - before) / max(1, n), 4), **extra}


def _slopes(results: list[dict], key: str) -> list[float | None]:
    out: list[float | None] = []
    for a, b in zip(results, results[1:]):
        if a[key] > 0 and b[key] > 0 and b["articles"] > a["articles"]:
            out.append(round(math.log(b[key] / a[key]) / math.log(b["articles"] / a["articles"]), 2))
        else:
            out.append(None)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", type=Path, default=REPO.parent / "shared" / "data" / "10kgnad",
                    help="folder with 10kGNAD's test.csv (default ../shared/data/10kgnad)")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (default 1000,10000)")
    ap.add_argument("--workers", type=int, default=0, help="worker processes (0 = one per core)")
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                    help="override a setting of the build (repeatable), e.g. picture.stories.threads=1")
    ap.add_argument("--stories", type=Path, metavar="DB",
                    help="time update_stories alone on a copy of this store (story tables emptied)")
    ap.add_argument("--picture", type=Path, metavar="DB",
                    help="measure the picture phase (stories, then picture + outputs) on copies of this store")
    ap.add_argument("--parts", default="stories,picture", metavar="PART,PART",
                    help="with --picture: the parts to measure: stories, picture, cache (default stories,picture)")
    ap.add_argument("--phase", nargs=2, metavar=("PART", "DB"), help=argparse.SUPPRESS)
    ap.add_argument("--child", nargs=2, metavar=("FOLDER", "WORKDIR"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]), args.workers, args.overrides)))
        return 0
    if args.phase:
        print(json.dumps(phase(Path(args.phase[1]), args.phase[0], args.overrides)))
        return 0
    if args.picture:
        if not args.picture.is_file():
            print(f"bench/picture.py: {args.picture} not found — make a store with bench/make_db.py --db PATH",
                  file=sys.stderr)
            return 2
        parts = []
        which_parts = [x.strip() for x in args.parts.split(",") if x.strip()]
        if not which_parts or set(which_parts) - {"stories", "picture", "cache"}:
            print(f"bench/picture.py: --parts {args.parts!r}: name stories, picture and/or cache", file=sys.stderr)
            return 2
        for which in which_parts:
            proc = subprocess.run([sys.executable, __file__, "--phase", which, str(args.picture),
                                   *(f"--set={o}" for o in args.overrides)], capture_output=True, text=True)
            if proc.returncode != 0:
                print(proc.stderr[-3000:], file=sys.stderr)
                return 1
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            parts.append(res)
            print(f"{which:>8} on {res['articles']} articles: {res['wall_s']} s wall, {res['cpu_s']} s CPU, "
                  f"RSS {res['rss_before_mb']:.0f} MB before → peak {res['peak_rss_mb']:.0f} MB "
                  f"({res['mb_per_article'] * 1000:.1f} kB an article)", flush=True)
        print(json.dumps({"bench": "picture-phase", "db": str(args.picture), "overrides": args.overrides,
                          "parts": parts, "peak_rss_mb": max(p["peak_rss_mb"] for p in parts)}))
        return 0
    if args.stories:
        if not args.stories.is_file():
            print(f"bench/picture.py: {args.stories} not found — make a store with bench/make_db.py --db PATH",
                  file=sys.stderr)
            return 2
        res = stories_only(args.stories, args.overrides, args.workers)
        print(f"update_stories on {res['articles']} articles: {res['wall_s']} s wall ({res['articles_per_s']}/s), "
              f"{res['cpu_s']} s CPU ({res['articles_per_cpu_s']}/CPU s), peak RSS {res['peak_rss_mb']:.0f} MB, "
              f"{res['stories']} stories, {res['storylines']} storylines")
        print(json.dumps({"bench": "picture-stories", "overrides": args.overrides, **res}))
        return 0
    csv_path = args.data / "test.csv" if args.data.is_dir() else args.data
    if not csv_path.is_file():
        print(f"bench/picture.py: {csv_path} not found — pass the 10kGNAD folder as DIR", file=sys.stderr)
        return 2
    rows = read_gnad(csv_path)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="lagebild-bench-") as tmp:
            folder, workdir = Path(tmp) / "in", Path(tmp) / "work"
            workdir.mkdir()
            make_corpus(rows, n, folder)
            proc = subprocess.run([sys.executable, __file__, "--child", str(folder), str(workdir),
                                   "--workers", str(args.workers),
                                   *(f"--set={o}" for o in args.overrides)], capture_output=True, text=True)
            if proc.returncode != 0:
                print(proc.stderr[-3000:], file=sys.stderr)
                return 1
            res = {"size": n, **json.loads(proc.stdout.strip().splitlines()[-1])}
        results.append(res)
        print(f"{n:>7} articles: build --out {res['wall_s']:8.1f} s ({res['articles'] / res['wall_s']:6.1f}/s)  "
              f"corpus part {res['corpus_s']:7.2f} s (stories {res['stories_s']:.2f}, picture {res['picture_s']:.2f})  "
              f"peak RSS {res['peak_rss_mb']:.0f} MB  "
              f"{res['stories']} stories, {res['storylines']} storylines, {res['events']} events", flush=True)
    wall_slope, corpus_slope = _slopes(results, "wall_s"), _slopes(results, "corpus_s")
    for (a, b), ws, cs in zip(zip(results, results[1:]), wall_slope, corpus_slope):
        print(f"growth {a['size']} → {b['size']}: build exponent {ws}, corpus part exponent {cs}"
              f"{'  (sub-quadratic)' if cs is not None and cs < 2 else '  (NOT sub-quadratic)' if cs else ''}")
    sub = all(c is not None and c < 2 for c in corpus_slope) if corpus_slope else None
    print(json.dumps({"bench": "picture", "sizes": sizes, "overrides": args.overrides, "results": results,
                      "exponent_build": wall_slope, "exponent_corpus": corpus_slope, "corpus_subquadratic": sub}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
