"""Hand freed memory back to the operating system between the long phases of a build, or run a phase in a
child process, whose memory all goes back when it ends."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import multiprocessing
import sys
import threading
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, TypeVar, cast

from .errors import LagebildError

__all__ = ["can_run_apart", "give_back_memory", "run_apart", "growing_state"]

T = TypeVar("T")


@lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, or None (another C library, or none found)."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None)
    except OSError:
        return None


def give_back_memory() -> bool:
    """Collect garbage, then ask glibc to return the free pages of its heap (``malloc_trim(0)``): after a
    phase that held much and let it go, the allocator otherwise keeps those pages for the process.  Only
    resident memory changes, never a result.  True if the trim ran (glibc), False elsewhere."""
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def can_run_apart() -> bool:
    """Whether :func:`run_apart` forks: on Linux, in a process that runs no other thread (a fork copies only
    the calling thread, so a lock another thread held would stay locked in the child for good) and is no
    daemon (multiprocessing forbids a daemon to have children)."""
    return (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1 and not multiprocessing.current_process().daemon)


def _child(send: Any, fn: Callable[..., T], args: tuple[Any, ...], what: str) -> None:
    try:
        outcome: tuple[str, Any] = ("ok", fn(*args))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        outcome = ("raised", exc)
    try:
        send.send(outcome)
    except Exception as exc:  # a result or an exception that does not pickle
        kind = "result" if outcome[0] == "ok" else f"error ({type(outcome[1]).__name__}: {outcome[1]})"
        send.send(("raised", LagebildError(f"{what}: its {kind} cannot be handed back from its process: {exc}")))
    finally:
        send.close()


def run_apart(fn: Callable[..., T], *args: Any, what: str = "the step") -> T:
    """``fn(*args)`` in a child process forked from this one, if :func:`can_run_apart`; else here.

    For a long phase that holds much and then frees it: in a child, all it held goes back to the system when
    the child ends, where in this process the allocator would keep part of it, partly used, for the phases
    after it.  The child shares this process's pages until it writes them.  ``fn``'s result (or its
    exception) comes back pickled, so it must be small; ``fn`` must not use what this process holds open
    (a database connection: open another).  A child that dies without an answer (killed, out of memory) is
    a :class:`~lagebild.errors.LagebildError` naming ``what``.
    """
    if not can_run_apart():
        return fn(*args)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, fn, args, what), name=f"lagebild: {what}")
    # what this process holds stays out of the child's garbage collections, which would otherwise
    # write to (and so copy) every page of it: the child shares those pages instead
    gc.freeze()
    try:
        child.start()
    finally:
        gc.unfreeze()
    send.close()  # the child holds the only writing end: its death ends the read below
    try:
        try:
            status, value = receive.recv()
        except EOFError:
            child.join()
            raise LagebildError(
                f"{what} ended in its own process without an answer (exit code {child.exitcode}) — "
                "if the system ran out of memory, give it more or build in smaller parts (build.picture = false)"
            ) from None
        except Exception as exc:  # an answer that does not unpickle here (an exception class's own arguments)
            raise LagebildError(f"{what}: its answer cannot be read back from its process: {exc!r}") from None
    finally:
        receive.close()
        if child.is_alive():
            child.join(timeout=60)
            if child.is_alive():
                child.terminate()
                child.join()
    if status == "raised":
        raise value
    return cast(T, value)


@contextlib.contextmanager
def growing_state() -> Iterator[Callable[[], None]]:
    """For a step that builds a large state while many short-lived objects pass through (articles read a
    chunk at a time): yields ``settle``, to call between chunks, which puts every object alive then out of
    the cyclic garbage collector's sight (:func:`gc.freeze`).  Without it each full collection walks the
    whole state again, and a stream of chunks sets one off every second or so (at 100,000 articles, a
    sixth of the stories step).  Objects still die by reference counting as before; only cycles among
    settled objects wait for the end of the block, where everything is put back (unless something was
    frozen before it began: :mod:`gc` cannot unfreeze only a part, so then it all stays frozen)."""
    before = gc.get_freeze_count()
    try:
        yield gc.freeze
    finally:
        if not before:
            gc.unfreeze()
