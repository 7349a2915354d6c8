"""Build a realistic N-article store for the web benchmarks (issues 7 and 9) and measure the build (issue 8).

    python bench/make_db.py [DATA ...] [--n 10000] [--db PATH] [--workers 0] [--keep-corpus DIR]

DATA (default ../shared/data/10kgnad) is one or more folders: 10kGNAD (``test.csv``,
1,028 German articles, topic category → outlet ``gnad-<category>``) and/or the
German Wikinews texts (``index.jsonl`` + ``<id>.txt``, outlet ``wikinews``).  The
rows are replicated up to N with the perturbation of ``bench/picture.py`` (copy
k ≥ 1 keeps half of its sentences, borrows others from articles of the same
category, shuffles them and swaps a few words — new ids, no near duplicates),
dates spread over one year, written as JSON Lines, 25 articles a file.

The store is built with the library (``lagebild.api.build``, the configured
executor — process by default — progress on stderr) in a child process, so that
the stories, events and picture cache exist.  If the build did not leave a
picture cache behind (older ``build``) and the store offers
``load_picture``/``save_picture``, the picture is computed and saved here.

Cache: if ``--db`` already holds exactly N articles, or the number a finished
make_db run of N recorded in ``DB.make_db.json`` (two generated copies can come
out identical and then are one article), the build is skipped (only the picture
cache is checked).  A store with another count is built on (the
build is idempotent: same seed → same inputs); one with more than N articles is
refused — remove it or pick another path.

Measured: wall time of the build (and of its stories part), peak RSS of the main
build process (``RUSAGE_SELF`` in the child), the largest single process of the
tree (``RUSAGE_CHILDREN`` here, includes the executor's workers once reaped) and
the peak of the whole tree's summed RSS sampled from /proc every 0.5 s.

Prints a human summary, then ONE JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from picture import make_corpus, read_gnad  # noqa: E402  (bench/picture.py: same replication)

DEFAULT_DATA = REPO.parent / "shared" / "data" / "10kgnad"


def read_rows(folders: list[Path]) -> list[tuple[str, str]]:
    """``(category, text)`` rows from 10kGNAD and/or Wikinews-text folders."""
    rows: list[tuple[str, str]] = []
    for folder in folders:
        if folder.is_file() and folder.suffix == ".csv":
            rows += read_gnad(folder)
        elif (folder / "test.csv").is_file():
            rows += read_gnad(folder / "test.csv")
        elif (folder / "index.jsonl").is_file():
            for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                rec = json.loads(line)
                text = (folder / rec["file"]).read_text(encoding="utf-8").strip()
                if text:
                    rows.append(("Wikinews", text))
        else:
            raise SystemExit(f"bench/make_db.py: {folder} has neither test.csv (10kGNAD) nor index.jsonl "
                             "(wikinews_text) — pass one of those folders as DATA")
    return rows


def count_articles(db: Path) -> int | None:
    """Articles in ``db`` (None when there is no readable store)."""
    if not db.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return None


def sidecar(db: Path) -> Path:
    return db.with_name(db.name + ".make_db.json")


def recorded(db: Path) -> dict:
    """What the last finished make_db run recorded for ``db`` ({} when nothing)."""
    try:
        return json.loads(sidecar(db).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def ensure_picture_cache(db: Path) -> dict:
    """Make sure the store's picture cache is current (``build`` saves it; the web app's ``Site`` computes and
    saves it when missing or stale, as ``lagebild serve`` would on its first request)."""
    from lagebild.web import Site

    site = Site(db)
    t0 = time.perf_counter()
    site.picture()
    if site.computed:
        return {"picture_cache": "computed here", "picture_s": round(time.perf_counter() - t0, 2)}
    return {"picture_cache": "present"}


def child(folder: Path, db: Path, workers: int) -> dict:
    """Run the build in this process (called as ``--child``); progress on stderr."""
    import lagebild.api as api
    from lagebild.config import load_config

    stories_s = [0.0]
    real = api._update_stories

    def timed(*a, **kw):  # same code path as `lagebild build`; only timed
        t = time.perf_counter()
        try:
            return real(*a, **kw)
        finally:
            stories_s[0] += time.perf_counter() - t

    api._update_stories = timed
    n_inputs = sum(1 for _ in folder.glob("*.jsonl"))
    t0 = time.perf_counter()

    def progress(done: int, name: str) -> None:
        if done % 20 == 0 or done == n_inputs:
            el = time.perf_counter() - t0
            print(f"  {done}/{n_inputs} input files read and cleaned ({el:.0f} s)", file=sys.stderr, flush=True)
            if done == n_inputs:
                print("  then the corpus stages and the rest of the per-article pipeline, the write, the stories "
                      "and the picture (no progress reported by the library; a heartbeat every 60 s)",
                      file=sys.stderr, flush=True)

    stop = threading.Event()

    def heartbeat() -> None:
        while not stop.wait(60):
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"  … {time.perf_counter() - t0:.0f} s, main process peak RSS {rss:.0f} MB",
                  file=sys.stderr, flush=True)

    threading.Thread(target=heartbeat, daemon=True).start()

    overrides = [f"executor.workers={workers}"] if workers else []
    cfg = load_config(None, overrides)
    try:
        report = api.build([str(folder)], db, config=cfg, progress=progress)
    finally:
        stop.set()
    wall = time.perf_counter() - t0
    t1 = time.perf_counter()
    cache = ensure_picture_cache(db)
    cache["check_s"] = round(time.perf_counter() - t1, 2)
    return {
        "new": report.new, "updated": report.updated, "unchanged": report.unchanged, "errors": report.failed,
        "first_errors": report.errors[:5], "stories": report.stories,
        "build_s": round(wall, 2), "stories_s": round(stories_s[0], 2),
        "main_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        **cache,
    }


def _tree_rss_kb(root: int) -> int:
    """Summed RSS (kB) of ``root`` and all its descendants, from /proc."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            pid = int(entry)
            parent[pid] = int(fields[1])
            rss[pid] = int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    kids: dict[int, list[int]] = {}
    for pid, pp in parent.items():
        kids.setdefault(pp, []).append(pid)
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += kids.get(pid, [])
    return total


def run_child(folder: Path, db: Path, workers: int) -> tuple[dict, float, float]:
    """Build in a subprocess; returns (child result, wall s, peak tree RSS MB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", str(folder), str(db), "--workers", str(workers)],
                            stdout=subprocess.PIPE, text=True)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            stop.wait(0.5)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, _ = proc.communicate()
    stop.set()
    th.join()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"bench/make_db.py: the build failed (exit {proc.returncode}, after {wall:.0f} s); "
                         "its messages are above")
    return json.loads(out.strip().splitlines()[-1]), wall, peak[0] / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="*", type=Path, help="10kGNAD and/or wikinews_text folders (default "
                    "../shared/data/10kgnad)")
    ap.add_argument("--n", type=int, default=10000, help="articles in the store (default 10000)")
    ap.add_argument("--db", type=Path, default=Path("/tmp/lagebild-web-10k.db"), help="store path")
    ap.add_argument("--workers", type=int, default=0, help="executor workers (0 = configured default)")
    ap.add_argument("--keep-corpus", type=Path, help="write the generated JSONL corpus here (kept)")
    ap.add_argument("--child", nargs=2, metavar=("FOLDER", "DB"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]), args.workers)))
        return 0

    have = count_articles(args.db)
    done = recorded(args.db)
    if have is not None and done.get("n") == args.n and done.get("articles") == have:
        have = args.n if have < args.n else have  # a finished run of N: the store is complete
    if have is not None and have > args.n:
        print(f"bench/make_db.py: {args.db} already holds {have} articles (> {args.n}) — remove it or pass "
              "another --db", file=sys.stderr)
        return 2
    if have == args.n:
        t0 = time.perf_counter()
        cache = ensure_picture_cache(args.db)
        res = {"bench": "make_db", "db": str(args.db), "n": args.n, "articles": count_articles(args.db),
               "cached": True,
               "check_s": round(time.perf_counter() - t0, 2), **cache}
        print(f"{args.db}: already {res['articles']} articles (made for --n {args.n}) — build skipped; "
              f"picture cache: {cache['picture_cache']}")
        print(json.dumps(res))
        return 0

    rows = read_rows(args.data or [DEFAULT_DATA])
    args.db.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lagebild-make-db-") as tmp:
        folder = args.keep_corpus or Path(tmp) / "in"
        t0 = time.perf_counter()
        make_corpus(rows, args.n, folder)
        gen_s = time.perf_counter() - t0
        print(f"corpus: {args.n} articles from {len(rows)} source rows in {gen_s:.1f} s → {folder}",
              file=sys.stderr, flush=True)
        res, wall, tree_peak = run_child(folder, args.db, args.workers)
    articles = count_articles(args.db)
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size_mb = sum(os.path.getsize(p) for p in (args.db, Path(f"{args.db}-wal")) if p.exists()) / 1e6
    out = {"bench": "make_db", "db": str(args.db), "n": args.n, "articles": articles, "cached": False,
           "source_rows": len(rows), "cpus": os.cpu_count(), "wall_s": round(wall, 1),
           "articles_per_s": round(args.n / res["build_s"], 1) if res["build_s"] else None,
           "largest_process_rss_mb": round(largest, 1), "tree_peak_rss_mb": round(tree_peak, 1),
           "db_mb": round(size_mb, 1), **res}
    print(f"{articles} articles in {args.db} ({size_mb:.0f} MB): build {res['build_s']:.1f} s "
          f"({out['articles_per_s']}/s; stories {res['stories_s']:.1f} s), whole run {wall:.1f} s; "
          f"peak RSS main {res['main_peak_rss_mb']:.0f} MB, largest process {largest:.0f} MB, "
          f"process tree {tree_peak:.0f} MB; errors {res['errors']}; picture cache: {res['picture_cache']}")
    if articles and not res["errors"]:
        sidecar(args.db).write_text(json.dumps({"n": args.n, "articles": articles}), encoding="utf-8")
    if articles != args.n:
        print(f"note: {args.n} generated articles became {articles} stored articles (identical generated copies "
              "are one article)")
    print(json.dumps(out))
    return 0 if articles and not res["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
