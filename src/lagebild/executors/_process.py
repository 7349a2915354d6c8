from __future__ import annotations

import collections
import multiprocessing
import multiprocessing.forkserver
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable, Deque, Iterable, Iterator, TypeVar

from ._base import Executor, map_in_chunks

T = TypeVar("T")
R = TypeVar("R")

_lock = threading.Lock()
_open = 0  # process executors open in this process (they share its one forkserver)


def _stop_forkserver() -> None:
    """Stop this process's forkserver: it holds what it preloaded (the pipeline's data, a few hundred MB) for
    as long as it runs, and the stdlib keeps it until the process exits.  The next pool starts a fresh one
    with its own preload.  ``ForkServer._stop`` is private (the stdlib's tests use it); where it is missing,
    the forkserver simply stays."""
    stop = getattr(getattr(multiprocessing.forkserver, "_forkserver", None), "_stop", None)
    if callable(stop):
        try:
            stop()
        except OSError:  # already gone
            pass


class ProcessExecutor(Executor):
    """A pool of worker processes (default: one per core) with a bounded window of work in flight.

    ``window`` is the number of tasks in flight (default: four per worker);
    ``chunksize`` the default number of items per task of :meth:`map`.
    """

    name = "process"

    def __init__(
        self,
        workers: int = 0,
        window: int | None = None,
        preload: tuple[str, ...] = ("lagebild.api", "lagebild.executors._warm"),
        chunksize: int = 1,
    ) -> None:
        self._workers = workers if workers and workers > 0 else (os.cpu_count() or 1)
        self._window = window or self._workers * 4
        self._chunksize = max(1, int(chunksize))
        ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "forkserver")
        if os.name != "nt":
            # workers fork from a server that has imported the pipeline and loaded its data once (_warm)
            ctx.set_forkserver_preload(list(preload))
        self._pool = ProcessPoolExecutor(max_workers=self._workers, mp_context=ctx)
        self._fork = os.name != "nt"
        if self._fork:
            global _open
            with _lock:
                _open += 1

    @property
    def workers(self) -> int:
        return self._workers

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int | None = None) -> Iterator[R]:
        """Apply ``fn`` to every item in the pool, ``chunksize`` items per task, yielding results in order."""
        yield from map_in_chunks(self._map_tasks, fn, items, max(1, int(chunksize or self._chunksize)))

    def _map_tasks(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        pending: Deque[Future[Any]] = collections.deque()
        try:
            for item in items:
                pending.append(self._pool.submit(fn, item))
                if len(pending) >= self._window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for f in pending:  # an error, or the consumer stopped early
                f.cancel()

    def close(self) -> None:
        """Shut the pool down (waiting for its workers); the last pool open in this process also stops the
        forkserver, so what it preloaded is given back."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._fork:
            global _open
            self._fork = False
            with _lock:
                _open -= 1
                last = _open == 0
            if last:
                _stop_forkserver()
