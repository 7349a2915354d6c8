"""An executor started only when work is first sent to it."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Mapping, TypeVar

from ._base import Executor

T = TypeVar("T")
R = TypeVar("R")


class DeferredExecutor(Executor):
    """The executor of the ``[executor]`` settings, made on the first :meth:`map` (never, if nothing is sent);
    ``preload`` as in :func:`~lagebild.executors.make_executor`.

    For a step that needs workers only when it has much to do (the stories of a
    large build): starting a Dask cluster, or a process pool's workers, costs
    seconds that a small update should not pay.
    """

    name = "deferred"

    def __init__(self, settings: Mapping[str, Any], *, preload: tuple[str, ...] | None = None) -> None:
        self._settings = dict(settings)
        self._preload = preload
        self._inner: Executor | None = None

    @property
    def started(self) -> bool:
        """Whether the executor has been made (work was sent to it)."""
        return self._inner is not None

    @property
    def workers(self) -> int:
        return self._executor().workers

    def _executor(self) -> Executor:
        if self._inner is None:
            from . import make_executor

            self._inner = make_executor(self._settings, preload=self._preload)
        return self._inner

    def map(self, fn: Callable[[T], R], items: Iterable[T], **kwargs: Any) -> Iterator[R]:
        return self._executor().map(fn, items, **kwargs)  # type: ignore[call-arg]

    def close(self) -> None:
        if self._inner is not None:
            self._inner.close()
            self._inner = None
