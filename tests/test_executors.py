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
