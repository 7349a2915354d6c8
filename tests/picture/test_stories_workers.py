"""The stories step embedding in an executor's workers: the same vectors, stories and summaries as in one process."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from support import EXAMPLES, spy_on_embedding

from lagebild.api import build, write_picture
from lagebild.config import load_config
from lagebild.executors import DeferredExecutor, InlineExecutor, ProcessExecutor
from lagebild.picture._stories import load_stories, update_stories
from lagebild.store import open_store

CFG = load_config(None, ['executor.kind="inline"', "build.picture=false"])
ALL = load_config(None, ['executor.kind="inline"', "picture.stories.parallel_min=1"])


@pytest.fixture
def embedded_by(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The executors the stories' embeddings went through ("here": the calling process), by class name."""
    return spy_on_embedding(monkeypatch)


@pytest.fixture(scope="module")
def articles_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the bundled examples with articles and no stories yet."""
    db = tmp_path_factory.mktemp("workers") / "examples.db"
    report = build([str(EXAMPLES)], db, config=CFG)
    assert report.failed == 0 and report.stories is None
    return db


def _stories_with(db: Path, tmp: Path, name: str, executor: object) -> tuple[object, list[tuple]]:
    work = tmp / f"{name}.db"
    shutil.copy(db, work)
    with open_store(work) as store:
        result = update_stories(store, ALL, executor=executor)  # type: ignore[arg-type]
        picture = load_stories(store)
    con = sqlite3.connect(work)
    vectors = con.execute("SELECT article_id, model, key, vector FROM article_vectors ORDER BY article_id").fetchall()
    con.close()
    return (result, picture), vectors


def test_workers_embed_the_same_vectors_and_stories(articles_only: Path, tmp_path: Path) -> None:
    here, here_vectors = _stories_with(articles_only, tmp_path, "here", None)
    inline, inline_vectors = _stories_with(articles_only, tmp_path, "inline", InlineExecutor())
    with ProcessExecutor(2) as pool:
        pooled, pooled_vectors = _stories_with(articles_only, tmp_path, "pool", pool)
    assert len(here_vectors) >= 10  # every article of the examples has its lead vector, byte for byte the same
    assert here_vectors == inline_vectors == pooled_vectors
    assert here == inline == pooled
    lines, stories = here[1]  # type: ignore[index]
    assert any(len(s["articles"]) > 1 and s["summary"] for s in stories), "a multi-article story has a summary"


def test_the_deferred_executor_starts_only_for_enough_articles(articles_only: Path, tmp_path: Path) -> None:
    few = load_config(None, ['executor.kind="inline"'])  # parallel_min = 1000: 11 articles stay here
    for cfg, started in ((few, False), (ALL, True)):
        work = tmp_path / f"{started}.db"
        shutil.copy(articles_only, work)
        with open_store(work) as store, DeferredExecutor(cfg["executor"]) as ex:
            assert update_stories(store, cfg, executor=ex)["assigned"] >= 10
            assert ex.started is started


def test_write_picture_places_a_large_backlog_through_the_configured_executor(
    articles_only: Path, tmp_path: Path, embedded_by: set[str]
) -> None:
    """`lagebild picture` on a store built without stories: the stories come out as a one-process run gives,
    whether they are made in this process (which the spy sees) or in a child forked from it (the default)."""
    made = []
    for apart in ("false", "true"):
        work = tmp_path / f"picture-{apart}.db"
        shutil.copy(articles_only, work)
        pool = load_config(None, ['executor.kind="process"', "executor.workers=2", "picture.stories.parallel_min=1",
                                  f"build.stories_apart={apart}"])
        files = write_picture(work, tmp_path / f"out-{apart}", config=pool)
        assert files[0].name == "report.html"
        if apart == "false":
            assert embedded_by == {"ProcessExecutor"}
        with open_store(work) as store:
            made.append(load_stories(store))
    here, _ = _stories_with(articles_only, tmp_path, "reference", None)
    assert made == [here[1], here[1]]  # type: ignore[index]


def test_the_workers_preload_loads_the_encoder_once() -> None:
    """What the stories' forkserver imports (``api._stories_executor``): the encoder, weights and tokenizer —
    checked in a fresh process, since the preload freezes the garbage collector's view of the process."""
    import subprocess
    import sys

    from lagebild.api import _stories_executor

    check = ("from lagebild.picture import _warm_encoder; from lagebild.picture._embed import encoder; "
             "m = encoder(1); assert encoder.cache_info().currsize == 1 and m._backend is not None "
             "and m._sp is not None; print('warm')")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout == "warm\n", done.stderr[-2000:]
    with _stories_executor(load_config(None, ['executor.kind="process"']), None) as ex:
        assert isinstance(ex, DeferredExecutor) and not ex.started  # nothing sent: no workers
        assert ex._preload == ("lagebild.picture._warm_encoder",)


def test_cli_picture_takes_the_executor_options(articles_only: Path, tmp_path: Path, embedded_by: set[str]) -> None:
    """`lagebild picture --executor process --workers 2` places a backlog through a pool: the stories an
    inline run gives; `--scheduler` with another executor is one error line, as for `build`."""
    from click.testing import CliRunner

    from lagebild.cli import cli

    work = tmp_path / "cli.db"
    shutil.copy(articles_only, work)
    r = CliRunner().invoke(cli, ["picture", "--db", str(work), "--out", str(tmp_path / "out"), "--executor", "process",
                                 "--workers", "2", "--set", "picture.stories.parallel_min=1",
                                 "--set", "build.stories_apart=false"])  # in this process, where the spy sees it
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"report: {tmp_path / 'out' / 'report.html'}\n")
    assert embedded_by == {"ProcessExecutor"}
    here, _ = _stories_with(articles_only, tmp_path, "reference", None)
    with open_store(work) as store:
        assert load_stories(store) == here[1]  # type: ignore[index]
    bad = CliRunner().invoke(cli, ["picture", "--db", str(work), "--out", str(tmp_path / "out2"),
                                   "--executor", "process", "--scheduler", "tcp://127.0.0.1:1"])
    assert bad.exit_code == 1
    assert bad.stderr == ("Error: --scheduler runs on a Dask cluster, not with --executor process — drop one of the "
                          "two (or use --executor dask)\n")


def test_a_huge_story_reads_its_members_one_at_a_time(
    articles_only: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A block of stories with more than ``_HUGE`` members (at 100k replicated articles: one story of ~10,000
    copies) is described from articles read when asked for, a few kept — the same stories as read at once."""
    from lagebild.picture import _members, _stories

    at_once, _ = _stories_with(articles_only, tmp_path, "at-once", None)
    reads: list[int] = []
    got, made = _members.Members.__getitem__, _members.Members.__init__

    def counted(self: _members.Members, aid: str):  # type: ignore[no-untyped-def]
        reads.append(len(self._kept))
        return got(self, aid)

    def keep_two(self: _members.Members, store, ids, drop, keep: int = 256) -> None:  # type: ignore[no-untyped-def]
        made(self, store, ids, drop, keep=2)

    monkeypatch.setattr(_stories, "_HUGE", 1)  # every block of two or more members
    monkeypatch.setattr(_members.Members, "__init__", keep_two)  # at most two articles kept
    monkeypatch.setattr(_members.Members, "__getitem__", counted)
    one_by_one, _ = _stories_with(articles_only, tmp_path, "one-by-one", None)
    assert reads and max(reads) <= 2  # the lazy path ran, never holding more than two articles
    assert one_by_one == at_once


def test_members_reads_an_article_when_asked_for(articles_only: Path) -> None:
    from lagebild.picture._members import Members

    with open_store(articles_only) as store:
        ids = sorted(store.article_ids())[:3]
        members = Members(store, ids, ("raw_text",), keep=1)
        assert list(members) == ids and len(members) == 3 and ids[0] in members and "nope" not in members
        first = members[ids[0]]
        assert first.id == ids[0] and first.raw_text == "" and members[ids[0]] is first  # kept: the last read
        assert members[ids[1]].id == ids[1] and members[ids[0]] is not first  # read again: only one kept
        with pytest.raises(KeyError):
            members["nope"]
