from __future__ import annotations

from typing import Callable, Iterable, Iterator, TypeVar

from ._base import Executor

T = TypeVar("T")
R = TypeVar("R")


class InlineExecutor(Executor):
    """Runs everything in the calling process, one item after another (tests, debugging)."""

    name = "inline"

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int | None = None) -> Iterator[R]:
        """Apply ``fn`` to every item here, in order (``chunksize`` is accepted and ignored)."""
        for item in items:
            yield fn(item)
