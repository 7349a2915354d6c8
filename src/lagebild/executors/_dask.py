"""A Dask (``distributed``) executor: per-article work on a local or remote Dask cluster.

Without a scheduler address a private :class:`distributed.LocalCluster` is
started on 127.0.0.1 (worker processes, one thread each, no dashboard); with
one, the executor connects to that scheduler and uses its workers.  ``map``
keeps a bounded window of tasks in flight and yields results in input order,
like :class:`~lagebild.executors.ProcessExecutor`.  Functions and items travel
pickled, as they do to a process pool.
"""

from __future__ import annotations

import collections
import logging
import os
from typing import Any, Callable, Deque, Iterable, Iterator, TypeVar

from ..errors import ConfigError
from ._base import Executor

__all__ = ["DaskExecutor"]

T = TypeVar("T")
R = TypeVar("R")

_INSTALL_HINT = (
    "the dask executor needs the 'dask[distributed]' package — install it (pip install 'lagebild[dask]') "
    "or choose another executor (--executor process)"
)


class DaskExecutor(Executor):
    """Runs tasks on a Dask cluster: a private local one, or the scheduler at ``scheduler``.

    ``workers`` is the number of local worker processes (0 = one per core); it
    is ignored when connecting to an existing scheduler, whose workers are
    used as they are.  ``window`` is the number of tasks in flight ahead of the
    consumer (default: four per worker thread).  ``connect_timeout`` bounds
    the wait for a remote scheduler (seconds).
    """

    name = "dask"

    def __init__(
        self,
        workers: int = 0,
        scheduler: str | None = None,
        window: int | None = None,
        connect_timeout: float = 10.0,
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ConfigError(_INSTALL_HINT) from exc
        self._cluster: Any = None
        self._client: Any = None
        if scheduler:
            try:
                self._client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ConfigError(
                    f"cannot reach the Dask scheduler at {scheduler} ({_first_line(exc)}) "
                    "— start one there (`dask scheduler`, then `dask worker ADDRESS`) and check the address, "
                    "or drop --scheduler to run on a local cluster"
                ) from exc
        else:
            n = workers if workers and workers > 0 else (os.cpu_count() or 1)
            self._cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                # the scheduler always serves a few HTTP routes (health, metrics): keep them on
                # 127.0.0.1 and a free port, so several local clusters never clash on :8787
                scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                silence_logs=logging.ERROR,
            )
            self._client = Client(self._cluster, set_as_default=False)
        threads = sum(self._client.nthreads().values()) if self._client is not None else 0
        self._workers = max(1, threads)
        self._window = window or self._workers * 4

    @property
    def workers(self) -> int:
        """Worker threads in the cluster when it was connected (at least 1)."""
        return self._workers

    @property
    def client(self) -> Any:
        """The :class:`distributed.Client` (for advanced use, e.g. ``client.dashboard_link``)."""
        return self._client

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        pending: Deque[Any] = collections.deque()
        try:
            for item in items:
                pending.append(self._client.submit(fn, item, pure=False))
                if len(pending) >= self._window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            if pending and self._client is not None:  # an error, or the consumer stopped early
                self._client.cancel(list(pending))

    def close(self) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
