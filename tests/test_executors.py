"""Executors: same results, in order, with bounded look-ahead."""

from __future__ import annotations

import os

import pytest

from lagebild.errors import ConfigError
from lagebild.executors import InlineExecutor, ProcessExecutor, make_executor


def square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def test_inline_and_process_agree():
    items = list(range(40))
    inline = [r for r, _ in InlineExecutor().map(square_and_pid, items)]
    with ProcessExecutor(workers=2) as ex:
        results = list(ex.map(square_and_pid, items))
    assert [r for r, _ in results] == inline == [x * x for x in items]
    assert os.getpid() not in {pid for _, pid in results}


def parent_pid(_: int) -> int:
    return os.getppid()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(os.name == "nt", reason="no forkserver on Windows")
def test_the_last_pool_closed_stops_the_forkserver():
    # the workers fork from the forkserver, which holds the preloaded pipeline data for as long as it runs
    first, second = ProcessExecutor(workers=1), ProcessExecutor(workers=1)
    server = set(first.map(parent_pid, range(2)))
    assert len(server) == 1 and os.getpid() not in server
    (pid,) = server
    assert set(second.map(parent_pid, range(2))) == server  # one forkserver for the process
    first.close()
    assert _running(pid)  # the second pool is still open
    assert [r for r, _ in second.map(square_and_pid, range(3))] == [0, 1, 4]
    second.close()
    assert not _running(pid)
    with ProcessExecutor(workers=1) as third:  # a new pool starts a new forkserver
        assert [r for r, _ in third.map(square_and_pid, range(3))] == [0, 1, 4]
        assert set(third.map(parent_pid, range(2))) != server


def test_process_pool_reads_input_lazily():
    pulled = []

    def gen():
        for i in range(1000):
            pulled.append(i)
            yield i

    with ProcessExecutor(workers=2, window=4) as ex:
        it = ex.map(square_and_pid, gen())
        next(it)
        assert len(pulled) <= 5  # window + the one being waited for
        assert sum(1 for _ in it) == 999


def test_make_executor():
    assert isinstance(make_executor({"kind": "inline"}), InlineExecutor)
    ex = make_executor({"kind": "process", "workers": 0})
    try:
        assert ex.workers == (os.cpu_count() or 1)
    finally:
        ex.close()
    with pytest.raises(ConfigError, match="unknown executor 'gpu' — choose one of: inline, process"):
        make_executor({"kind": "gpu"})


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError(f"bad item {x}")
    return x


def test_chunked_map_in_order_and_lazy():
    pulled = []

    def gen():
        for i in range(50):
            pulled.append(i)
            yield i

    assert list(InlineExecutor().map(fail_on_three, [4, 5], chunksize=7)) == [4, 5]
    with ProcessExecutor(workers=2, window=4) as ex:
        it = ex.map(square_and_pid, gen(), chunksize=3)
        assert next(it)[0] == 0
        assert len(pulled) == 12  # 4 tasks of 3 items
        rest = list(it)
        assert [r for r, _ in rest] == [x * x for x in range(1, 50)]
        assert os.getpid() not in {pid for _, pid in rest}


def test_error_inside_a_chunk_surfaces_in_item_order():
    for chunksize in (1, 2, 4):
        got = []
        with ProcessExecutor(workers=2, chunksize=chunksize) as ex:
            with pytest.raises(ValueError) as info:
                for r in ex.map(fail_on_three, range(10)):
                    got.append(r)
            assert str(info.value) == "bad item 3"
            assert got == [0, 1, 2]
            assert list(ex.map(fail_on_three, [4, 5, 6])) == [4, 5, 6]
