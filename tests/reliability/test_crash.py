"""Crash safety: ``lagebild build`` killed with SIGKILL at random points, then re-run, loses and doubles nothing.

A build reads and processes every input, then writes each article in its own
transaction, records the run, brings the stories up to date, and writes the
picture.  The kills land (seeded) in each phase: while inputs are processed,
in the middle of the article writes (after a seeded number of articles is
committed), and after the run is recorded (during the stories update or the
picture).  After the last kill the build runs to completion; the database must
pass ``PRAGMA integrity_check``, hold every input's article exactly once, have
sane runs, and give the same articles, stories and picture.json as an
uninterrupted build on a fresh database.

The articles are the first lines of 10kGNAD news texts (../shared) or, without
it, variations of our examples; the pipeline is the default one without the
claims/events stages and the CRF, in one process (none of that touches the
store's crash paths, and it keeps the test near a minute on a quiet 2-core machine).
"""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest
from support import EXAMPLES, shared_dir

N_ARTICLES = 100
SEED = 20261123
SETTINGS = [
    "--set", "executor.kind=inline",  # workers never write to the store; one process is quicker on 2 cores
    "--set", 'pipeline.stages=["clean","identify","boilerplate","dedup","nlp","time","entities","entity_merge","pubdate_corpus"]',
    "--set", "stages.entities.ner=false",
]


def _write_inputs(folder: Path, n: int) -> list[Path]:
    folder.mkdir()
    rng = random.Random(SEED)
    texts: list[str] = []
    shared = shared_dir()
    gnad = shared / "data" / "10kgnad" / "test.csv" if shared else None
    if gnad is not None and gnad.is_file():
        with gnad.open(encoding="utf-8", newline="") as f:
            rows = [r for r in csv.reader(f, delimiter=";", quotechar="'") if len(r) == 2 and len(r[1]) > 400]
        texts = [r[1] for r in rng.sample(rows, n)]
    else:
        base = []
        for p in sorted(EXAMPLES.glob("*.txt")):
            try:
                base.append(p.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                continue  # the examples include a Windows-1252 file on purpose; the crash test needs none
        assert base, "no examples/*.txt"
        for i in range(n):  # vary the examples so each is its own article
            texts.append(f"Meldung {i}: " + base[i % len(base)].replace("\n\n", f"\n\nAbsatz zu Fall {i}.\n\n", 1))
    paths = []
    for i, text in enumerate(texts):
        title = text.split(". ")[0][:110]
        path = folder / f"{i:03d}.txt"
        path.write_text(f"{title}\n\n{text}\n", encoding="utf-8")
        paths.append(path)
    return paths


def _cmd(inputs: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "lagebild.cli", "build", str(inputs), "--db", str(db), "-q", *SETTINGS]


def _count(db: Path, sql: str) -> int | None:
    if not db.exists():
        return None
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.Error:
        return None  # not created yet, or locked for a moment


def _build_killed(inputs: Path, db: Path, when: Callable[[float], bool], limit: float = 600) -> str:
    """Start a build and SIGKILL its whole process group once ``when(seconds_since_start)`` holds."""
    proc = subprocess.Popen(_cmd(inputs, db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    start = time.monotonic()
    try:
        while proc.poll() is None:
            if when(time.monotonic() - start):
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return "killed"
            if time.monotonic() - start > limit:
                raise AssertionError("build ran too long")
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    out, err = proc.communicate()
    assert proc.returncode == 0, err.decode()
    return "finished"  # the build ended before the kill point: still a valid run


def _build(inputs: Path, db: Path) -> float:
    start = time.monotonic()
    done = subprocess.run(_cmd(inputs, db), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return time.monotonic() - start


def _picture(db: Path, out: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "lagebild.cli", "picture", "--db", str(db), "--out", str(out), *SETTINGS],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    picture = json.loads((out / "picture.json").read_text(encoding="utf-8"))
    picture.get("generated_from", {}).pop("db", None)  # the database path differs, nothing else may
    return picture


def _state(db: Path) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        docs = dict(conn.execute("SELECT id, doc FROM articles").fetchall())
        members: dict[str, list[str]] = {}
        for story, article in conn.execute("SELECT story_id, article_id FROM story_articles ORDER BY article_id"):
            members.setdefault(story, []).append(article)
        stories = conn.execute("SELECT id, headline, first, last, size FROM stories ORDER BY id").fetchall()
        sources = [r[0] for r in conn.execute("SELECT source FROM sources ORDER BY source")]
        fts = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        runs = conn.execute("SELECT id, started_at, finished_at, articles_new, failed FROM runs ORDER BY id").fetchall()
    return {"docs": docs, "members": members, "stories": stories, "sources": sources, "fts": fts, "runs": runs}


@pytest.mark.slow
def test_sigkill_at_random_points_then_rerun(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    paths = _write_inputs(inputs, N_ARTICLES)
    rng = random.Random(SEED)

    reference_db = tmp_path / "reference.db"
    _build(inputs, reference_db)
    reference = _state(reference_db)
    assert len(reference["docs"]) == N_ARTICLES  # the inputs are distinct articles

    db = tmp_path / "crashed.db"
    articles = "SELECT count(*) FROM articles"
    runs_started = "SELECT count(*) FROM runs"
    runs_finished = "SELECT count(*) FROM runs WHERE finished_at IS NOT NULL"
    # 1. while the inputs are read and processed: a moment after the run is recorded
    delay = rng.uniform(0.0, 1.0)
    seen: list[float] = []

    def processing(t: float) -> bool:
        if not seen and (_count(db, runs_started) or 0) >= 1:
            seen.append(t)
        return bool(seen) and t >= seen[0] + delay

    assert _build_killed(inputs, db, processing) == "killed"
    assert (_count(db, runs_started), _count(db, articles)) == (1, 0)
    # 2. in the middle of the article writes
    k = rng.randint(10, N_ARTICLES - 10)
    assert _build_killed(inputs, db, lambda t: (_count(db, articles) or 0) >= k) == "killed"
    written = _count(db, articles) or 0
    assert k <= written < N_ARTICLES, "the kill landed in the middle of the writes"
    # 3. after the run is recorded as finished: while the stories are updated
    outcome = _build_killed(inputs, db, lambda t: (_count(db, runs_finished) or 0) >= 1)
    assert (_count(db, runs_started), _count(db, articles)) == (3, N_ARTICLES)
    _build(inputs, db)  # re-run to completion
    state = _state(db)

    # nothing lost, nothing doubled
    assert sorted(state["docs"]) == sorted(reference["docs"])
    assert state["sources"] == [str(p) for p in paths]
    assert state["fts"] == N_ARTICLES
    # runs: one row per start, the killed ones unfinished, the last one finished
    runs = state["runs"]
    assert [r[0] for r in runs] == [1, 2, 3, 4]
    assert [r[2] is not None for r in runs] == [False, False, True, True]  # killed runs stay unfinished
    assert [r[3] for r in runs[2:]] == [N_ARTICLES - written, 0] and runs[-1][4] == 0
    assert outcome in ("killed", "finished")  # the stories update may be over before the kill lands
    # the same articles, stories and picture as the uninterrupted build
    assert state["docs"] == reference["docs"]
    assert state["members"] == reference["members"]
    assert state["stories"] == reference["stories"]
    assert _picture(db, tmp_path / "p1") == _picture(reference_db, tmp_path / "p2")
