"""Executors: one interface, several engines (inline, process pool, Dask).

Stages never know which executor runs them; a distributed executor plugs in by
subclassing :class:`Executor`.  Pass an executor instance to
:func:`lagebild.build` to inject your own (as httpx injects a transport).
The Dask executor (``lagebild.executors.DaskExecutor``) is imported only when
asked for, so ``dask`` is needed only where it is used.  The built-in
executors' ``map`` also takes ``chunksize=k`` (``k`` items per task; see
:class:`Executor`).
"""

from __future__ import annotations

from typing import Any, Mapping

from ..errors import ConfigError
from ._base import Executor
from ._deferred import DeferredExecutor
from ._inline import InlineExecutor
from ._process import ProcessExecutor

__all__ = ["Executor", "InlineExecutor", "ProcessExecutor", "DaskExecutor", "DeferredExecutor", "make_executor", "KINDS"]

KINDS = ("inline", "process", "dask")


def __getattr__(name: str) -> Any:
    if name == "DaskExecutor":
        from ._dask import DaskExecutor

        return DaskExecutor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def make_executor(settings: Mapping[str, Any], *, preload: tuple[str, ...] | None = None) -> Executor:
    """An executor from the ``[executor]`` settings.

    ``preload``: modules the workers import when they start, instead of the
    pipeline (a process pool's forkserver imports them if it is not running
    yet — its workers fork from it and share what they loaded; each Dask
    worker imports them); None = the executor's default (the pipeline).
    """
    kind = settings.get("kind", "process")
    workers = int(settings.get("workers", 0) or 0)
    extra: dict[str, Any] = {} if preload is None else {"preload": tuple(preload)}
    if kind == "inline":
        return InlineExecutor()
    if kind == "process":
        return ProcessExecutor(workers, **extra)
    if kind == "dask":
        from ._dask import DaskExecutor

        return DaskExecutor(
            workers,
            scheduler=str(settings.get("scheduler", "") or "") or None,
            connect_timeout=float(settings.get("connect_timeout", 10) or 10),
            **extra,
        )
    raise ConfigError(f"unknown executor {kind!r} — choose one of: {', '.join(KINDS)}")
