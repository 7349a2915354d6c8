"""Freed memory handed back to the system between a build's phases (``lagebild._memory``)."""

from __future__ import annotations

import os
import re
import sys
import threading
from pathlib import Path

import pytest

from lagebild._memory import _malloc_trim, can_run_apart, growing_state, run_apart
from support import in_a_fresh_process


@pytest.mark.skipif(_malloc_trim() is None, reason="no glibc malloc_trim here: give_back_memory does nothing")
def test_freed_heap_pages_are_given_back():
    # many small blocks on the heap, freed, with one allocated after them: the heap cannot shrink by itself
    out = in_a_fresh_process("""
        from lagebild._memory import give_back_memory
        def rss():
            return int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
        blocks = [bytes(4000) + bytes([i % 256]) for i in range(50_000)]
        pin = bytes(4000) + b"x"
        del blocks
        held = rss()
        assert give_back_memory()
        print(held, rss())
    """)
    held, after = map(float, out.split())
    assert held - after > 120, (held, after)  # ~200 MB were freed but still resident


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="run_apart forks only on Linux")
def test_run_apart_runs_in_a_child_and_brings_back_the_result_or_the_error():
    out = in_a_fresh_process("""
        import os, re, threading
        from lagebild._memory import can_run_apart, run_apart
        from lagebild.errors import LagebildError, StoreError

        def pid_and(value):
            return os.getpid(), value * 2

        def broken(path):
            raise StoreError(f"{path}: broken")

        def die():
            os._exit(3)  # as if killed: no answer

        def unpicklable():
            return lambda: None

        class Odd(Exception):
            def __init__(self, a, b):  # pickled with args (a,) only: it does not unpickle
                super().__init__(a)

        def odd():
            raise Odd("x", "y")

        def raised(fn, *args, **kw):
            try:
                run_apart(fn, *args, **kw)
            except LagebildError as exc:
                return type(exc).__name__ + ": " + str(exc)

        assert can_run_apart()
        pid, doubled = run_apart(pid_and, 21, what="doubling")
        print(doubled, pid != os.getpid())
        print(raised(broken, "x.db"))
        print(raised(die, what="the test step"))
        print(raised(unpicklable))
        print(raised(odd, what="the odd step"))
        print(threading.active_count())
    """).splitlines()
    assert out[0] == "42 True"  # computed in another process
    assert out[1] == "StoreError: x.db: broken"  # the child's exception, raised here
    assert out[2].startswith("LagebildError: the test step ended in its own process without an answer (exit code 3)")
    assert re.match(r"LagebildError: the step: its result cannot be handed back from its process: .*pickle", out[3]), out[3]
    assert out[4].startswith("LagebildError: the odd step: its answer cannot be read back from its process: TypeError")
    assert out[5] == "1"  # nothing left running here


def test_run_apart_runs_here_where_it_cannot_fork():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not can_run_apart()  # a fork would copy only this thread
        assert run_apart(_pid_and, 1) == (os.getpid(), 2)
    finally:
        stop.set()
        other.join()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="run_apart forks only on Linux")
def test_the_stories_step_apart_gives_the_same_stories_and_picture(tmp_path: Path):
    out = in_a_fresh_process(f"""
        import hashlib, json, os
        from pathlib import Path
        from lagebild import api
        from lagebild.config import load_config
        from lagebild.store import open_store
        from support import EXAMPLES

        of = api._stories_of
        def stories_of(*args):  # which process made the stories
            return dict(of(*args), pid=os.getpid())
        api._stories_of = stories_of

        tmp = Path({str(tmp_path)!r})
        inputs = sorted(str(p) for p in Path(EXAMPLES).iterdir() if p.suffix in (".txt", ".html", ".json"))
        for apart in (True, False):
            cfg = load_config(overrides={{"executor": {{"kind": "inline"}}, "build": {{"stories_apart": apart}}}})
            db = tmp / f"{{apart}}.db"
            report = api.build(inputs, db, config=cfg, out=tmp / f"out-{{apart}}")
            with open_store(db) as store:
                tables = (
                    store._rows("SELECT id, storyline_id, headline, summary, language, first, last, size, centroid,"
                                " entities, events FROM stories ORDER BY id"),
                    store._rows("SELECT story_id, article_id, score FROM story_articles ORDER BY article_id"),
                    store._rows("SELECT action, story_id, other_id, article_id, detail FROM story_log ORDER BY seq"),
                )
            picture = json.loads((tmp / f"out-{{apart}}" / "picture.json").read_text(encoding="utf-8"))
            picture.pop("generated_from", None)
            digest = hashlib.sha1(repr((tables, json.dumps(picture, sort_keys=True))).encode()).hexdigest()
            print(apart, report.stories["pid"] != os.getpid(), report.stories["assigned"], len(tables[0]), digest)
    """).splitlines()
    apart, here = (line.split() for line in out)
    assert apart[:2] == ["True", "True"] and here[:2] == ["False", "False"]  # made in a child, then here
    assert int(apart[2]) > 0 and int(apart[3]) > 0  # articles placed, stories made
    assert apart[2:] == here[2:]  # the same stories and picture


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="run_apart forks only on Linux")
def test_a_daemon_process_does_not_fork_a_child():
    # multiprocessing forbids a daemon (a Dask nanny's worker) to have children: run_apart works in place
    out = in_a_fresh_process("""
        import multiprocessing, os
        from lagebild._memory import can_run_apart, run_apart

        def where(send):
            send.send((can_run_apart(), run_apart(os.getpid) == os.getpid()))

        ctx = multiprocessing.get_context("fork")
        receive, send = ctx.Pipe(duplex=False)
        for daemon in (True, False):
            p = ctx.Process(target=where, args=(send,), daemon=daemon)
            p.start()
            print(daemon, *receive.recv())
            p.join()
    """)
    assert out.split("\n")[:2] == ["True False True", "False True False"]


def test_growing_state_keeps_settled_objects_out_of_collections_until_it_ends():
    import gc

    if gc.get_freeze_count():
        gc.unfreeze()
    state = [{"n": i} for i in range(1000)]
    with growing_state() as settle:
        assert gc.get_freeze_count() == 0
        settle()
        assert gc.get_freeze_count() >= len(state)  # the state (and all else alive) is out of gc's walks
        more = [[i] for i in range(10)]  # (not frozen until the next settle)
        settle()
        frozen = gc.get_freeze_count()
        assert frozen >= len(state) + len(more)
    assert gc.get_freeze_count() == 0  # back in gc's generations at the end
    # frozen before it began: left frozen (gc cannot unfreeze a part)
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with growing_state() as settle:
            settle()
        assert gc.get_freeze_count() >= before > 0
    finally:
        gc.unfreeze()
