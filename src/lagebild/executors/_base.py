from __future__ import annotations

import abc
from typing import Any, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(abc.ABC):
    """Runs a picklable function over items; results come back in input order.

    Implementations must not buffer more than a bounded number of items ahead
    of the consumer, so memory is bounded by the batch size, not the input.
    """

    name: str = "executor"

    @abc.abstractmethod
    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Apply ``fn`` to every item, yielding results in order."""

    @property
    def workers(self) -> int:
        return 1

    def close(self) -> None:  # pragma: no cover - trivial
        """Release workers."""

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
