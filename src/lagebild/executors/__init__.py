"""Executors: one interface, several engines (inline, process pool).

Stages never know which executor runs them; a distributed executor plugs in by
subclassing :class:`Executor`.  Pass an executor instance to
:func:`lagebild.build` to inject your own (as httpx injects a transport).
"""

from __future__ import annotations

from typing import Any, Mapping

from ..errors import ConfigError
from ._base import Executor
from ._inline import InlineExecutor
from ._process import ProcessExecutor

__all__ = ["Executor", "InlineExecutor", "ProcessExecutor", "make_executor", "KINDS"]

KINDS = ("inline", "process")


def make_executor(settings: Mapping[str, Any]) -> Executor:
    """An executor from the ``[executor]`` settings."""
    kind = settings.get("kind", "process")
    workers = int(settings.get("workers", 0) or 0)
    if kind == "inline":
        return InlineExecutor()
    if kind == "process":
        return ProcessExecutor(workers)
    raise ConfigError(f"unknown executor {kind!r} — choose one of: {', '.join(KINDS)}")
