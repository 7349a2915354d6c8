"""Benchmark: throughput of the full default per-article pipeline, and peak memory of a build (issue 8).

    python bench/throughput.py [--gnad CSV] [--n 1000] [--workers 1,2] [--memory-n 10000,100000]
                               [--no-dask] [--no-pool]

Reads 10kGNAD (default ../shared/data/10kgnad/test.csv; 1,028 German
articles) into memory as plain-text inputs, the first ``--n`` of them
(replicated with perturbations, as in bench/picture.py, when more are asked
for), and measures:

* ``inline``: the full default per-article pipeline — ingest (read + decode +
  language), then every per-article stage of the default pipeline (clean,
  identify, nlp, time, entities, quantities, claims, events; the corpus stages
  between them are left out), through the task ``lagebild build`` gives each
  batch (:func:`lagebild.api._process_batch`) — in this one process:
  articles/s on one core, and per CPU second of this process (robust on a busy machine);
* ``floor``: spaCy's blank German tokenizer (``spacy.blank("de").tokenizer``,
  no model) over the same texts in the same run — the cost of only reading and
  tokenising them — and the ratio floor / pipeline (target: within 4×);
* ``process`` and ``dask``: the same task through the process pool and through
  Dask (a LocalCluster of worker processes, one thread each) with each worker
  count of ``--workers``: articles/s after the pool is up (start-up, including
  importing the pipeline in the workers and one warm-up batch per worker, is
  reported apart as ``startup_s``), and the speedup from the first worker count
  to the last (target ≥ 1.8× from 1 to 2 workers); and, robust on a busy
  machine, the CPU seconds of the run in the workers and in this process (the
  client, and for Dask the local scheduler) and the CPU per article over all
  of them relative to inline (``cpu_per_article_vs_inline``: 1.0 = the
  executor costs nothing; on 2 free cores the 2-worker speedup is at most
  about 2 / that figure);
* ``memory``: peak resident memory of ``lagebild build`` (a subprocess, the
  default executor: a process pool over all cores) at each size of
  ``--memory-n``, the inputs written as JSON Lines files first (untimed): the
  peak of the sum over the whole process tree (main process, forkserver, pool
  workers), sampled every 0.2 s with psutil, and the main process's own peak
  (``ru_maxrss`` of the waited child) — target ≤ 1 GB at 100,000 articles.
  ``--memory-n 0`` skips it.

Bench requirements beyond lagebild's own, all in the ``bench`` extra (``make bench``
installs them): ``spacy`` (for the floor; without it the floor is reported as null),
``dask[distributed]`` and ``psutil`` (which distributed brings).  Prints a summary, then ONE JSON object on the last line.  On a
machine shared with other work the figures are noisy: say so where you quote them.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from picture import _SENT, _perturb, read_gnad  # noqa: E402  (the same perturbed replication)

from lagebild.api import _process_batch  # noqa: E402
from lagebild.config import load_config  # noqa: E402
from lagebild.ingest import SourceSpec  # noqa: E402
from lagebild.pipeline import Pipeline  # noqa: E402


def texts_of(rows: list[tuple[str, str]], n: int, seed: int = 8) -> list[tuple[str, str]]:
    """``n`` (category, text) pairs: the rows first, then perturbed copies (bench/picture.py's recipe)."""
    rng = random.Random(seed)
    by_cat: dict[str, list[list[str]]] = {}
    for cat, text in rows:
        by_cat.setdefault(cat, []).append(_SENT.split(text))
    out = []
    for i in range(n):
        cat, text = rows[i % len(rows)]
        out.append((cat, text if i < len(rows) else _perturb(text, by_cat[cat], rng)))
    return out


def specs_of(items: list[tuple[str, str]]) -> list[SourceSpec]:
    """Each article as an in-memory plain-text input (title line, blank line, text)."""
    return [
        SourceSpec(name=f"gnad#{i}", data=f"{cat}: Artikel {i}\n\n{text}\n".encode(), hint="text")
        for i, (cat, text) in enumerate(items)
    ]


def batched(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def run_executor(ex, task, batches: list[list[SourceSpec]]) -> tuple[int, float]:
    """Articles out and seconds for all ``batches`` through executor ``ex``."""
    t0 = time.perf_counter()
    n = sum(len(r.articles) for r in ex.map(task, batches))
    return n, time.perf_counter() - t0


def floor_rate(texts: list[str], repeat: int = 3) -> tuple[float, float] | None:
    """Articles/s of spaCy's blank German tokenizer over ``texts``, best of ``repeat`` passes as in
    bench/nlp.py: ``(per wall second, per CPU second)``; None without spaCy."""
    try:
        import spacy
    except ImportError:
        return None
    tok = spacy.blank("de").tokenizer
    wall = cpu = float("inf")
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        for t in texts:
            tok(t)
        wall, cpu = min(wall, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
    return len(texts) / wall, len(texts) / cpu


def tree_cpu_s() -> tuple[float, float]:
    """CPU seconds (user + system) so far of this process and of all its live descendants (pool workers,
    forkserver, Dask nannies and workers; the local Dask scheduler runs in this process)."""
    import psutil

    me = psutil.Process()
    own = sum(me.cpu_times()[:2])
    kids = 0.0
    for p in me.children(recursive=True):
        try:
            kids += sum(p.cpu_times()[:2])
        except psutil.Error:
            pass
    return own, kids


def pooled(kind: str, workers: int, task, batches: list[list[SourceSpec]]) -> dict:
    """One executor kind with ``workers`` workers: start-up (with a warm-up batch per worker), then the run.

    Besides wall-clock articles/s, the CPU seconds spent during the run by this process (client; for Dask
    also the scheduler) and by the workers, and the CPU per article over all of them relative to inline:
    the executor's overhead, which a busy machine does not distort the way it distorts wall time."""
    from lagebild.executors import DaskExecutor, ProcessExecutor

    t0 = time.perf_counter()
    ex = ProcessExecutor(workers) if kind == "process" else DaskExecutor(workers)
    try:
        warm = [b[:1] for b in batches[: workers * 2]]
        run_executor(ex, task, warm)
        startup = time.perf_counter() - t0
        own0, kids0 = tree_cpu_s()
        n, secs = run_executor(ex, task, batches)
        own1, kids1 = tree_cpu_s()
    finally:
        logging.getLogger("distributed").setLevel(logging.CRITICAL)  # shutdown chatter of a busy cluster
        ex.close()
    main_cpu, workers_cpu = own1 - own0, kids1 - kids0
    return {"workers": workers, "articles": n, "seconds": round(secs, 2), "articles_per_s": round(n / secs, 1),
            "startup_s": round(startup, 2), "cpu_s_main": round(main_cpu, 2), "cpu_s_workers": round(workers_cpu, 2),
            "articles_per_cpu_s_all": round(n / (main_cpu + workers_cpu), 1),
            "articles_per_cpu_s_workers": round(n / workers_cpu, 1)}


def write_jsonl(items: list[tuple[str, str]], folder: Path, per_file: int = 25) -> None:
    """Articles as JSON Lines files (``per_file`` each), for ``lagebild build``."""
    import datetime as dt

    folder.mkdir(parents=True, exist_ok=True)
    start = dt.date(2024, 1, 1)
    for f0 in range(0, len(items), per_file):
        with open(folder / f"part{f0 // per_file:06d}.jsonl", "w", encoding="utf-8") as fh:
            for i in range(f0, min(f0 + per_file, len(items))):
                cat, text = items[i]
                rec = {"title": _SENT.split(text, maxsplit=1)[0][:150], "text": text,
                       "outlet": f"gnad-{cat.lower()}",
                       "date": (start + dt.timedelta(days=(i * 7919) % 366)).isoformat()}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def build_memory(items: list[tuple[str, str]], timeout: float, sets: tuple[str, ...] = ()) -> dict:
    """Peak memory of ``lagebild build`` over ``items``, sampled: the process tree's RSS sum (pages
    shared by forked workers counted in each), its PSS sum (shared pages split between the processes
    sharing them — what the tree really uses), and the main process's RSS."""
    import psutil

    with tempfile.TemporaryDirectory(prefix="lagebild-throughput-") as tmp:
        folder = Path(tmp) / "in"
        write_jsonl(items, folder)
        cmd = [sys.executable, "-m", "lagebild.cli", "build", str(folder), "--db", str(Path(tmp) / "b.db"), "-q"]
        for s in sets:
            cmd += ["--set", s]
        env = {**os.environ, "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        peak = [0]
        peak_pss = [0]
        peak_main = [0]
        at_peak: dict[str, object] = {}  # when the PSS peak was sampled, and each process's PSS then
        done = threading.Event()

        def sample() -> None:
            try:
                root = psutil.Process(proc.pid)
            except psutil.Error:
                return
            while not done.is_set():
                total = pss = 0
                each = []
                try:
                    for p in [root, *root.children(recursive=True)]:
                        try:
                            info = p.memory_full_info()
                            total += info.rss
                            own = getattr(info, "pss", info.rss)
                            pss += own
                            each.append([p.pid, p.ppid(), round(own / 2**20, 1)])
                            if p.pid == root.pid:
                                peak_main[0] = max(peak_main[0], info.rss)
                        except psutil.Error:
                            pass
                except psutil.Error:
                    break
                peak[0] = max(peak[0], total)
                if pss > peak_pss[0]:
                    peak_pss[0] = pss
                    at_peak.update(s=round(time.perf_counter() - t0, 1), processes=each)
                done.wait(0.5)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        try:
            _, err = proc.communicate(timeout=timeout)
            finished = proc.returncode == 0
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
            finished = False
        done.set()
        th.join()
        wall = time.perf_counter() - t0
        own = _child_maxrss_mb()
    return {"articles": len(items), "finished": finished, "returncode": proc.returncode, "wall_s": round(wall, 1),
            "sets": list(sets), "peak_tree_rss_mb": round(peak[0] / 2**20, 1),
            "peak_tree_pss_mb": round(peak_pss[0] / 2**20, 1), "peak_main_rss_mb": round(peak_main[0] / 2**20, 1),
            "max_child_rss_mb": own,
            # [pid, parent pid, PSS MB] of each process of the tree when the PSS peak was sampled (the build's
            # main process first), and the second of the build it was sampled at: which phase peaked
            "peak_pss_at_s": at_peak.get("s"), "peak_pss_processes": at_peak.get("processes"),
            "stderr_tail": (err or b"").decode(errors="replace")[-300:] if not finished else ""}


def _child_maxrss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gnad", type=Path, default=REPO.parent / "shared" / "data" / "10kgnad" / "test.csv")
    ap.add_argument("--n", type=int, default=1000, help="articles for the throughput runs")
    ap.add_argument("--workers", default="1,2", help="worker counts for the process pool and Dask")
    ap.add_argument("--memory-n", default="10000,100000", help="build sizes for peak memory (0: skip)")
    ap.add_argument("--memory-timeout", type=float, default=3600.0, help="seconds before a build is stopped")
    ap.add_argument("--batch-size", type=int, default=8, help="articles per task (the default executor.batch_size)")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--no-pool", action="store_true", help="skip the process pool and Dask runs")
    ap.add_argument("--memory-set", action="append", default=[], metavar="KEY=VALUE",
                    help="a setting for the memory builds (repeatable), e.g. build.picture=false for articles only")
    ap.add_argument("--no-throughput", action="store_true", help="only the memory builds")
    args = ap.parse_args(argv)
    if not args.gnad.is_file():
        sys.exit(f"bench/throughput.py: {args.gnad} not found — pass --gnad PATH to a 10kGNAD-format CSV")
    rows = read_gnad(args.gnad)
    items = texts_of(rows, args.n)
    specs = specs_of(items)
    cfg = load_config(None, [])
    full = Pipeline.from_config(cfg)
    # every per-article stage in one task (the corpus stages — boilerplate, dedup, entity_merge,
    # pubdate_corpus — are left out: `build` runs them between and after the per-article segments)
    pipeline = Pipeline([s for s in full.stages if s.level == "article"], cfg["stages"])
    task = functools.partial(_process_batch, pipeline, cfg["ingest"])
    batches = batched(specs, args.batch_size)
    result: dict = {"benchmark": "throughput", "articles": len(specs), "batch_size": args.batch_size,
                    "cpu_count": os.cpu_count(), "load_avg_at_start": [round(x, 2) for x in os.getloadavg()]}
    if not args.no_throughput:
        task(specs[:1])  # load the KB, lexicons and model once, not charged to the run

        from lagebild.executors import InlineExecutor

        c0 = time.process_time()
        n, secs = run_executor(InlineExecutor(), task, batches)
        cpu = time.process_time() - c0
        rate = n / secs
        floors = floor_rate([t for _, t in items])
        result["inline"] = {"articles": n, "seconds": round(secs, 2), "articles_per_s_per_core": round(rate, 1),
                            "cpu_seconds": round(cpu, 2), "articles_per_cpu_s": round(n / cpu, 1)}
        result["floor_spacy_blank_de_per_s"] = round(floors[0], 1) if floors else None
        result["floor_spacy_blank_de_per_cpu_s"] = round(floors[1], 1) if floors else None
        result["floor_over_pipeline"] = round(floors[0] / rate, 2) if floors else None
        result["floor_over_pipeline_cpu"] = round(floors[1] / (n / cpu), 2) if floors else None
        print(f"inline, one core: {rate:.1f} articles/s ({n} articles, {secs:.1f} s; {n / cpu:.1f} per CPU second)")
        print(f"floor (spaCy blank de tokenizer, same texts, best of 3): {result['floor_spacy_blank_de_per_s']} "
              f"articles/s — pipeline is {result['floor_over_pipeline']}× slower (CPU time: "
              f"{result['floor_over_pipeline_cpu']}×; target ≤ 4×)")

        workers = [int(w) for w in args.workers.split(",") if w.strip()]
        kinds = [] if args.no_pool else ["process"] + ([] if args.no_dask else ["dask"])
        for kind in kinds:
            runs = [pooled(kind, w, task, batches) for w in workers]
            entry: dict = {"runs": runs}
            if len(runs) > 1:
                entry["speedup"] = round(runs[-1]["articles_per_s"] / runs[0]["articles_per_s"], 2)
            inline_cpu = result["inline"]["cpu_seconds"] / result["inline"]["articles"]
            for r in runs:  # CPU per article over all processes, relative to inline (1.0 = no overhead)
                r["cpu_per_article_vs_inline"] = round(1 / r["articles_per_cpu_s_all"] / inline_cpu, 3)
            result[kind] = entry
            for r in runs:
                print(f"{kind}, {r['workers']} worker(s): {r['articles_per_s']} articles/s (start-up {r['startup_s']} s); "
                      f"CPU: {r['cpu_s_workers']} s in workers + {r['cpu_s_main']} s in this process, "
                      f"{r['articles_per_cpu_s_all']} articles per CPU second, "
                      f"{r['cpu_per_article_vs_inline']}× inline's CPU per article")
            if "speedup" in entry:
                print(f"{kind}: speedup {workers[0]} → {workers[-1]} workers: {entry['speedup']}× (target ≥ 1.8×)")

    sizes = [int(x) for x in args.memory_n.split(",") if x.strip() and int(x) > 0]
    result["memory"] = []
    for size in sizes:
        m = build_memory(texts_of(rows, size), args.memory_timeout, tuple(args.memory_set))
        result["memory"].append(m)
        state = "" if m["finished"] else " (NOT finished: stopped or failed)"
        print(f"build of {size} articles: peak {m['peak_tree_pss_mb']} MB PSS / {m['peak_tree_rss_mb']} MB RSS "
              f"(process tree), main process RSS {m['peak_main_rss_mb']} MB, {m['wall_s']} s{state}; the PSS peak "
              f"at {m['peak_pss_at_s']} s: " + ", ".join(f"pid {p} (parent {pp}) {mb} MB" for p, pp, mb in
                                                      m["peak_pss_processes"] or []))
    result["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
