"""Concurrency (WAL): readers while a build writes see whole articles only; two builds at once never corrupt.

Readers: the store's read API in a loop, and HTTP reads against the web app
(``lagebild.web.create_app``) served by uvicorn on 127.0.0.1, while
``lagebild build`` runs in another process on the same database.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from support import REPO, free_port
from test_crash import SETTINGS, _write_inputs

from lagebild.store import open_store

SCHEMA = json.loads((REPO / "schema" / "article.schema.json").read_text(encoding="utf-8"))


def _build_proc(inputs: list[Path], db: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "lagebild.cli", "build", *map(str, inputs), "--db", str(db), "-q",
                             *SETTINGS, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _check_whole(doc: dict[str, Any], where: str) -> None:
    """A complete article: valid against the schema, every annotation's text at its offsets."""
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(doc), key=str)
    assert not errors, f"{where}: {errors[0].message}"
    text = doc["text"]
    for ent in doc["entities"]:
        for m in ent.get("mentions", []):
            assert text[m["start"]:m["end"]] == m["text"], where
    for t in doc["times"]:
        assert text[t["start"]:t["end"]] == t["text"], where


class _StoreReader(threading.Thread):
    """The read API in a loop until told to stop; records what it saw and any exception."""

    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.db, self.stop, self.error = db, threading.Event(), None
        self.reads = 0
        self.counts: set[int] = set()

    def run(self) -> None:
        try:
            with open_store(self.db, read_only=True, busy_timeout=5) as store:
                while not self.stop.is_set():
                    ids = store.article_ids()
                    self.counts.add(len(ids))
                    for article in store.iter_articles(ids[-20:]):  # the newest by id: some just written
                        _check_whole(article.to_dict(), f"store {article.id}")
                        self.reads += 1
                    stats = store.stats()
                    assert stats["articles"] >= len(ids)  # articles are only ever added by a build
                    for hit in store.search("der", limit=5):
                        assert hit.id and store.get_article(hit.id).id == hit.id
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc


class _HttpReader(threading.Thread):
    def __init__(self, base: str, db: Path) -> None:
        super().__init__(daemon=True)
        self.base, self.db, self.stop, self.error = base, db, threading.Event(), None
        self.reads = 0

    def _get(self, path: str) -> Any:
        with urllib.request.urlopen(self.base + path, timeout=30) as r:
            assert r.status == 200
            return json.loads(r.read())

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5) as conn:
                    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY seq DESC LIMIT 5")]
                for aid in ids:
                    doc = self._get(f"/api/articles/{aid}")
                    assert isinstance(doc, dict) and isinstance(doc.get("text"), str) and doc["text"], aid
                    self.reads += 1
                self._get("/api/search?q=der")
                self._get("/api/overview")
        except BaseException as exc:  # noqa: BLE001
            self.error = exc


@pytest.mark.slow
def test_readers_while_a_build_writes(tmp_path: Path) -> None:
    paths = _write_inputs(tmp_path / "in", 30)
    db = tmp_path / "db.sqlite"
    first = _build_proc(paths[:5], db)  # a store to start reading from
    assert first.wait(600) == 0, first.stderr.read().decode()  # type: ignore[union-attr]

    readers: list[Any] = [_StoreReader(db)]
    server = None
    try:
        from lagebild.web import create_app
    except ImportError:
        create_app = None  # the web app is not there yet: store readers only
    if create_app is not None:
        import uvicorn

        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(db, read_only=True), host="127.0.0.1", port=port,
                                               log_level="warning", lifespan="off"))
        threading.Thread(target=server.run, daemon=True).start()
        deadline = time.monotonic() + 60
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        readers.append(_HttpReader(f"http://127.0.0.1:{port}", db))
    for r in readers:
        r.start()
    try:
        build = _build_proc(paths[5:], db)
        out, err = build.communicate(timeout=600)
    finally:
        for r in readers:
            r.stop.set()
        for r in readers:
            r.join(60)
        if server is not None:
            server.should_exit = True
    assert build.returncode == 0, err.decode()
    for r in readers:
        assert r.error is None, f"{type(r).__name__}: {r.error!r}"
        assert r.reads > 0
    assert len(readers[0].counts) >= 2, "the store reader saw the build's writes arrive"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (30, 30)


@pytest.mark.slow
def test_two_builds_on_one_database(tmp_path: Path) -> None:
    paths = _write_inputs(tmp_path / "in", 24)
    db = tmp_path / "db.sqlite"
    # the same database, overlapping inputs: one waits for the other's write lock (busy_timeout)
    a = _build_proc(paths[:16], db)
    b = _build_proc(paths[8:], db)
    results = [(p.wait(600), p.stderr.read().decode()) for p in (a, b)]  # type: ignore[union-attr]
    for rc, err in results:
        if rc != 0:  # the only failure allowed: our one clear line about the busy database
            assert err.strip() == (f"Error: {db}: database is busy — another lagebild build is writing to it; "
                                   "wait or use another --db"), err
    assert any(rc == 0 for rc, _ in results)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
        sources = sorted(r[0] for r in conn.execute("SELECT source FROM sources"))
        unfinished = conn.execute("SELECT count(*) FROM runs WHERE finished_at IS NULL").fetchone()[0]
    assert len(ids) == len(set(ids))
    ok_inputs = set()
    for (rc, _), part in zip(results, (paths[:16], paths[8:])):
        if rc == 0:
            ok_inputs |= {str(p) for p in part}
    assert ok_inputs <= set(sources) and len(sources) == len(set(sources)), "every article of a finished build, once"
    # a build that gave up on the busy database left its run unfinished — or none at all, when the lock was
    # already held as it tried to record the run; a finished build never leaves one open
    assert unfinished <= sum(rc != 0 for rc, _ in results)
