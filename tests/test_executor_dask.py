"""The Dask executor: a real LocalCluster (2 worker processes) gives exactly the inline results."""

from __future__ import annotations

import os
import time

import pytest

pytest.importorskip("distributed", reason="dask[distributed] not installed (pip install 'lagebild[dask]')")

from click.testing import CliRunner  # noqa: E402

from lagebild import api  # noqa: E402
from lagebild.cli import cli  # noqa: E402
from lagebild.config import load_config  # noqa: E402
from lagebild.errors import ConfigError  # noqa: E402
from lagebild.executors import DaskExecutor, InlineExecutor, make_executor  # noqa: E402
from lagebild.store import open_store  # noqa: E402

from support import EXAMPLES, spy_on_embedding  # noqa: E402

pytestmark = pytest.mark.slow


def square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError(f"bad item {x}")
    return x


@pytest.fixture(scope="module")
def dask_ex():
    with DaskExecutor(workers=2) as ex:
        yield ex


def _dicts(articles) -> list[dict]:
    return sorted((a.to_dict() for a in articles), key=lambda d: d["id"])


def test_in_order_on_worker_processes_and_lazy(dask_ex):
    assert dask_ex.workers == 2
    pulled: list[int] = []

    def gen():
        for i in range(60):
            pulled.append(i)
            yield i

    it = dask_ex.map(square_and_pid, gen())
    first = next(it)
    assert first[0] == 0
    assert len(pulled) == 8  # the window (4 per worker thread), not the whole input
    results = [first, *it]
    assert [r for r, _ in results] == [x * x for x in range(60)]
    pids = {pid for _, pid in results}
    assert os.getpid() not in pids and len(pids) <= 2


def test_task_error_propagates_like_the_process_pool(dask_ex):
    got: list[int] = []
    with pytest.raises(ValueError, match="bad item 3"):
        for r in dask_ex.map(fail_on_three, range(20)):
            got.append(r)
    assert got == [0, 1, 2]
    # the executor is still usable afterwards
    assert list(dask_ex.map(fail_on_three, [5, 6])) == [5, 6]


def slow_square(x: int) -> int:
    time.sleep(0.05)
    return x * x


def test_chunked_map_in_order_lazy_and_on_workers(dask_ex):
    pulled: list[int] = []

    def gen():
        for i in range(103):
            pulled.append(i)
            yield i

    it = dask_ex.map(square_and_pid, gen(), chunksize=5)
    first = next(it)
    assert first[0] == 0
    assert len(pulled) == 40  # the window (8 tasks) of 5 items each, not the whole input
    results = [first, *it]
    assert [r for r, _ in results] == [x * x for x in range(103)]  # the last chunk is short (3 items)
    assert os.getpid() not in {pid for _, pid in results}
    # the executor's own default chunk size is used when map is not given one
    with DaskExecutor(workers=1, chunksize=4, preload=()) as one:
        assert list(one.map(fail_on_three, [5, 6, 7, 8, 9])) == [5, 6, 7, 8, 9]


def test_error_inside_a_chunk_surfaces_in_item_order(dask_ex):
    got: list[int] = []
    with pytest.raises(ValueError) as info:
        for r in dask_ex.map(fail_on_three, range(20), chunksize=4):
            got.append(r)
    assert str(info.value) == "bad item 3"
    assert got == [0, 1, 2]  # the results before the failing item, from the same chunk
    notes = getattr(info.value, "__notes__", [])
    assert len(notes) == 1 and notes[0].startswith("raised in a worker:\nTraceback")
    assert "in fail_on_three" in notes[0]
    assert list(dask_ex.map(fail_on_three, [4, 5, 6], chunksize=2)) == [4, 5, 6]


def _scheduler_keys(dask_scheduler) -> set:
    return set(dask_scheduler.tasks)


def test_consumer_stopping_cancels_the_tasks_in_flight(dask_ex):
    client = dask_ex.client
    before = client.run_on_scheduler(_scheduler_keys)  # e.g. an erred future an earlier test's traceback keeps
    for chunksize in (1, 3):
        it = dask_ex.map(slow_square, range(200), chunksize=chunksize)
        assert next(it) == 0
        assert len(client.run_on_scheduler(_scheduler_keys) - before) >= 7  # the rest of the window
        it.close()  # the consumer stops early
        deadline = time.monotonic() + 10
        while client.run_on_scheduler(_scheduler_keys) - before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.run_on_scheduler(_scheduler_keys) - before == set()


def _worker_state() -> tuple[bool, bool, bool]:
    import sys

    import dask

    from lagebild.kb import _base

    return ("lagebild.api" in sys.modules, _base._load.cache_info().currsize >= 1,
            dask.config.get("distributed.worker.profile.enabled"))


def test_workers_are_warm_and_unprofiled(dask_ex):
    import dask

    import lagebild

    states = dask_ex.client.run(_worker_state)
    assert len(states) == 2
    # pipeline imported, KB loaded, Dask's stack-sampling profiler off — in the workers only
    assert set(states.values()) == {(True, True, False)}
    assert dask.config.get("distributed.worker.profile.enabled") is True
    assert set(dask_ex.warm_up(("lagebild.api",)).values()) == {lagebild.__version__}
    with pytest.raises(ConfigError, match=r"^a Dask worker cannot import what lagebild needs \(No module named "
                                          r"'lagebild_no_such_module'\) — install the same lagebild version"):
        dask_ex.warm_up(("lagebild_no_such_module",))


def test_extract_examples_same_as_inline(dask_ex):
    cfg = load_config()
    inline = api.extract([str(EXAMPLES)], config=cfg, executor=InlineExecutor())
    dask = api.extract([str(EXAMPLES)], config=cfg, executor=dask_ex)
    assert len(inline.articles) == 11
    assert _dicts(dask.articles) == _dicts(inline.articles)
    assert dask.errors == inline.errors


@pytest.mark.shared
def test_extract_seeds_same_as_inline(dask_ex, seeds):
    assert len(seeds) == 5
    cfg = load_config()
    paths = [str(p) for p in seeds]
    inline = api.extract(paths, config=cfg, executor=InlineExecutor())
    dask = api.extract(paths, config=cfg, executor=dask_ex)
    assert len(inline.articles) == 5 and not inline.errors
    assert _dicts(dask.articles) == _dicts(inline.articles)


def test_bad_inputs_among_good_ones(dask_ex, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_empty.txt").write_bytes(b"")
    (d / "b_broken.json").write_text('{"title": "x", "text": ', encoding="utf-8")
    (d / "c_good.txt").write_text(
        "Neue Brücke eröffnet\n\nDie Stadt hat am Montag eine neue Brücke über den Fluss eröffnet. "
        "Sie verbindet zwei Stadtteile, die bisher nur über einen Umweg erreichbar waren.\n",
        encoding="utf-8",
    )
    (d / "d_mixed.jsonl").write_text(
        '{"title": "A", "text": "Erster guter Datensatz mit genug Text für einen Artikel."}\n'
        "{bad\n"
        '{"title": "B", "text": "Zweiter guter Datensatz mit genug Text für einen Artikel."}\n',
        encoding="utf-8",
    )
    cfg = load_config(None, ["executor.batch_size=1"])  # one input per task: errors from several workers
    inline = api.extract([str(d)], config=cfg, executor=InlineExecutor())
    dask = api.extract([str(d)], config=cfg, executor=dask_ex)
    assert dask.errors == inline.errors == [
        f"{d}/a_empty.txt: empty (0 bytes) — nothing to read; check that the file was saved completely",
        f"{d}/b_broken.json: not valid JSON (Expecting value at line 1, column 24) — fix the JSON there "
        "(or pass the text as a .txt file)",
        f"{d}/d_mixed.jsonl:2: not valid JSON (Expecting property name enclosed in double quotes at column 2) "
        "— fix or remove that line; the other lines are read",
    ]
    assert {a.title for a in dask.articles} == {"Neue Brücke eröffnet", "A", "B"}
    assert _dicts(dask.articles) == _dicts(inline.articles)


def _stories_and_vectors(db) -> tuple:
    import sqlite3

    from lagebild.picture._stories import load_stories

    with open_store(db) as store:
        stories = load_stories(store)
    con = sqlite3.connect(db)
    vectors = con.execute("SELECT article_id, model, key, vector FROM article_vectors ORDER BY article_id").fetchall()
    con.close()
    return stories, vectors


def test_build_into_sqlite_same_as_inline(dask_ex, tmp_path, monkeypatch):
    # parallel_min = 1: the stories' encoder runs on the Dask workers too (the build's own executor)
    cfg = load_config(None, ["picture.stories.parallel_min=1"])
    reports = {}
    stored = {}
    stories = {}
    seen = spy_on_embedding(monkeypatch)
    used = {}
    for name, ex in (("inline", InlineExecutor()), ("dask", dask_ex)):
        db = tmp_path / f"{name}.db"
        seen.clear()
        reports[name] = api.build([str(EXAMPLES)], db, config=cfg, executor=ex)
        used[name] = set(seen)
        with open_store(db) as store:
            stored[name] = _dicts(store.iter_articles())
        stories[name] = _stories_and_vectors(db)
    assert (reports["dask"].new, reports["dask"].inputs, reports["dask"].errors) == (11, 9, [])
    assert (reports["dask"].new, reports["dask"].updated, reports["dask"].unchanged, reports["dask"].inputs) == (
        reports["inline"].new, reports["inline"].updated, reports["inline"].unchanged, reports["inline"].inputs)
    assert stored["dask"] == stored["inline"]
    assert len(stories["dask"][1]) == 11 and stories["dask"] == stories["inline"]  # vectors byte for byte
    assert used == {"inline": {"InlineExecutor"}, "dask": {"DaskExecutor"}}


def test_cli_build_with_dask_matches_inline(tmp_path):
    out = {}
    for kind in ("inline", "dask"):
        db = tmp_path / "x.db"
        r = CliRunner().invoke(
            cli, ["build", str(EXAMPLES), "--executor", kind, "--workers", "2", "--db", str(db), "--quiet"]
        )
        assert r.exit_code == 0, r.output
        assert r.stderr == ""
        out[kind] = r.stdout
        db.unlink()
    assert out["dask"] == out["inline"] == f"{tmp_path / 'x.db'}: 11 new, 0 updated, 0 unchanged articles from 9 inputs; 0 problems\n"


def test_cli_build_with_dask_places_stories_on_a_fresh_cluster(tmp_path, monkeypatch):
    """`--executor dask` closes the article phase's local cluster and starts one for the stories, whose
    workers load the encoder first: the stories and vectors are those of an inline build."""
    got, used = {}, {}
    seen = spy_on_embedding(monkeypatch)
    for kind in ("inline", "dask"):
        db = tmp_path / f"{kind}.db"
        seen.clear()
        r = CliRunner().invoke(cli, ["build", str(EXAMPLES), "--executor", kind, "--workers", "2", "--db", str(db),
                                     "--quiet", "--set", "picture.stories.parallel_min=1"])
        assert r.exit_code == 0, r.output
        got[kind] = _stories_and_vectors(db)
        used[kind] = set(seen)
    assert len(got["dask"][1]) == 11 and got["dask"] == got["inline"]
    assert used == {"inline": {"InlineExecutor"}, "dask": {"DaskExecutor"}}


def test_cli_unreachable_scheduler_is_one_line(tmp_path):
    db = tmp_path / "x.db"
    t0 = time.monotonic()
    r = CliRunner().invoke(
        cli, ["build", str(EXAMPLES), "--scheduler", "tcp://127.0.0.1:1", "--set", "executor.connect_timeout=2",
              "--db", str(db), "--quiet"],
    )
    elapsed = time.monotonic() - t0
    assert r.exit_code == 1
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: cannot reach the Dask scheduler at tcp://127.0.0.1:1 (")
    assert lines[0].endswith("— start one there (`dask scheduler`, then `dask worker ADDRESS`) and check the address, "
                             "or drop --scheduler to run on a local cluster")
    assert elapsed < 8
    assert not db.exists()  # failed before the store was opened


def test_scheduler_with_another_executor_is_an_error():
    r = CliRunner().invoke(cli, ["extract", str(EXAMPLES), "--executor", "inline", "--scheduler", "tcp://127.0.0.1:1"])
    assert r.exit_code == 1
    assert r.stderr == ("Error: --scheduler runs on a Dask cluster, not with --executor inline "
                        "— drop one of the two (or use --executor dask)\n")


def test_make_executor_dask_remote_timeout():
    with pytest.raises(ConfigError, match=r"^cannot reach the Dask scheduler at tcp://127\.0\.0\.1:1 "):
        make_executor({"kind": "dask", "scheduler": "tcp://127.0.0.1:1", "connect_timeout": 1})
