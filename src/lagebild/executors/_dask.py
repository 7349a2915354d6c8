"""A Dask (``distributed``) executor: per-article work on a local or remote Dask cluster.

Without a scheduler address a private :class:`distributed.LocalCluster` is
started on 127.0.0.1 (worker processes, one thread each, no dashboard); with
one, the executor connects to that scheduler and uses its workers.  ``map``
keeps a bounded window of tasks in flight and yields results in input order,
like :class:`~lagebild.executors.ProcessExecutor`.  Functions and items travel
pickled, as they do to a process pool.

What keeps Dask close to the process pool on pure-Python, GIL-bound work:

* the local cluster's workers run without Dask's statistical profiler (a
  thread that walks the task's stack every 10 ms and competes for the GIL)
  and with slower housekeeping ticks (:data:`LOCAL_WORKER_CONFIG`);
* results are fetched straight from the local workers, not relayed through
  the scheduler;
* every worker imports the pipeline and loads the knowledge base once, at
  start-up (``preload``), not inside the first timed task;
* ``map(..., chunksize=k)`` sends ``k`` items per task, so the per-task
  cost (scheduling, one round trip, the pickled function) is paid once per
  chunk — for maps of single articles.
"""

from __future__ import annotations

import collections
import importlib
import logging
import os
from typing import Any, Callable, Deque, Iterable, Iterator, Sequence, TypeVar

from ..errors import ConfigError
from ._base import Executor, map_in_chunks

__all__ = ["DaskExecutor", "LOCAL_WORKER_CONFIG", "DEFAULT_PRELOAD"]

T = TypeVar("T")
R = TypeVar("R")

_INSTALL_HINT = (
    "the dask executor needs the 'dask[distributed]' package — install it (pip install 'lagebild[dask]') "
    "or choose another executor (--executor process)"
)

#: Dask settings for the workers of a private local cluster (they hold the GIL in pure Python all the time).
LOCAL_WORKER_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}

#: What every worker imports (``module``) or calls (``module:function``, no arguments) when the executor starts.
DEFAULT_PRELOAD: tuple[str, ...] = ("lagebild.api", "lagebild.kb:load_kb")


def _preload(entries: Sequence[str]) -> str:
    """Worker side of the warm-up: import / call ``entries``; returns the worker's lagebild version."""
    for entry in entries:
        module, _, func = entry.partition(":")
        mod = importlib.import_module(module)
        if func:
            getattr(mod, func)()
    import lagebild

    return str(getattr(lagebild, "__version__", "?"))


class DaskExecutor(Executor):
    """Runs tasks on a Dask cluster: a private local one, or the scheduler at ``scheduler``.

    ``workers`` is the number of local worker processes (0 = one per core); it
    is ignored when connecting to an existing scheduler, whose workers are
    used as they are.  ``window`` is the number of tasks in flight ahead of the
    consumer (default: four per worker thread).  ``connect_timeout`` bounds
    the wait for a remote scheduler (seconds).  ``chunksize`` is the default
    number of items per task of :meth:`map`.  ``preload`` names what every
    worker imports (``"module"``) or calls (``"module:function"``) at start-up;
    the workers' lagebild version is checked against this one at the same time.
    """

    name = "dask"

    def __init__(
        self,
        workers: int = 0,
        scheduler: str | None = None,
        window: int | None = None,
        connect_timeout: float = 10.0,
        chunksize: int = 1,
        preload: Sequence[str] = DEFAULT_PRELOAD,
    ) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ConfigError(_INSTALL_HINT) from exc
        self._cluster: Any = None
        self._client: Any = None
        self._chunksize = max(1, int(chunksize))
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
            # the nannies hand the current Dask config to the worker processes they start
            with dask.config.set(LOCAL_WORKER_CONFIG):
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
            # local workers are always reachable: fetch results from them, not through the scheduler
            self._client = Client(self._cluster, set_as_default=False, direct_to_workers=True)
        try:
            self.warm_up(preload)
        except BaseException:
            self.close()
            raise
        threads = sum(self._client.nthreads().values())
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

    def warm_up(self, preload: Sequence[str] = DEFAULT_PRELOAD) -> dict[str, str]:
        """Import / call ``preload`` on every worker now; returns each worker's lagebild version.

        Raises :class:`ConfigError` when a worker cannot import lagebild or runs another version.
        """
        import lagebild

        if not preload:
            return {}
        try:
            versions = self._client.run(_preload, tuple(preload))
        except ImportError as exc:
            raise ConfigError(
                f"a Dask worker cannot import what lagebild needs ({_first_line(exc)}) — install the same "
                f"lagebild version ({lagebild.__version__}) and its extras on every worker"
            ) from exc
        wrong = sorted(f"{w} has {v}" for w, v in versions.items() if v != lagebild.__version__)
        if wrong:
            raise ConfigError(
                f"Dask workers run another lagebild version than this one ({lagebild.__version__}): "
                f"{'; '.join(wrong)} — install the same version on every worker"
            )
        return versions

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int | None = None) -> Iterator[R]:
        """Apply ``fn`` to every item on the workers, yielding results in input order.

        ``chunksize`` items go to a worker per task (default: the executor's
        ``chunksize``); at most ``window`` tasks are in flight ahead of the
        consumer.  An error raised by ``fn`` is raised here after the results of
        the items before it, as with the process pool.
        """
        yield from map_in_chunks(self._map_tasks, fn, items, max(1, int(chunksize or self._chunksize)))

    def _map_tasks(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
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
