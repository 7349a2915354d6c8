"""Hand freed memory back to the operating system between the long phases of a build."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import lru_cache
from typing import Any

__all__ = ["give_back_memory"]


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
