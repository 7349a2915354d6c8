from __future__ import annotations

import abc
import functools
import gc
import itertools
import pickle
import traceback
from typing import Any, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(abc.ABC):
    """Runs a picklable function over items; results come back in input order.

    Implementations must not buffer more than a bounded number of items ahead
    of the consumer, so memory is bounded by the batch size, not the input.
    The built-in executors also take ``map(fn, items, chunksize=k)``: ``k``
    items per task (inline ignores it); an error raised by ``fn`` surfaces after
    the results of the items before it, whatever the chunk size.
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


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter), read lazily."""
    it = iter(items)
    while chunk := list(itertools.islice(it, max(1, size))):
        yield chunk


def run_chunk(fn: Callable[[T], R], chunk: list[T]) -> tuple[list[R], BaseException | None]:
    """Worker task for a chunk: the results of ``fn`` up to the first error, and that error (or None)."""
    out: list[R] = []
    for item in chunk:
        try:
            out.append(fn(item))
        except Exception as exc:  # handed back whole, raised by the consumer in item order
            try:
                exc.add_note("raised in a worker:\n" + "".join(traceback.format_exception(exc)).rstrip())
                pickle.loads(pickle.dumps(exc))
            except Exception:
                raise exc from None  # cannot travel as a value: let the executor report it as its own error
            return out, exc
    return out, None


def map_in_chunks(
    map_tasks: Callable[[Callable[[Any], Any], Iterable[Any]], Iterator[Any]],
    fn: Callable[[T], R],
    items: Iterable[T],
    size: int,
) -> Iterator[R]:
    """``fn`` over ``items`` through ``map_tasks`` (an executor's one-task-per-item map), ``size`` items
    per task; results in order, and an error raised by ``fn`` after the results of the items before it."""
    if size <= 1:
        yield from map_tasks(fn, items)
        return
    for done, error in map_tasks(functools.partial(run_chunk, fn), chunks(items, size)):
        yield from done
        if error is not None:
            raise error


def preload(load: Callable[[], object]) -> bool:
    """Run ``load`` where workers will be forked from (a forkserver's preload), then freeze the garbage
    collector's view of what it loaded (``gc.freeze``), so the workers share those pages copy-on-write.
    True if it ran; any error is ignored — an optimisation only, the workers load what they need themselves."""
    try:
        load()
    except Exception:  # noqa: BLE001
        return False
    finally:
        gc.collect()
        gc.freeze()
    return True
