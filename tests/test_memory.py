"""Freed memory handed back to the system between a build's phases (``lagebild._memory``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lagebild._memory import _malloc_trim

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.mark.skipif(_malloc_trim() is None, reason="no glibc malloc_trim here: give_back_memory does nothing")
def test_freed_heap_pages_are_given_back():
    # many small blocks on the heap, freed, with one allocated after them: the heap cannot shrink by itself
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(SRC)!r})
        from lagebild._memory import give_back_memory
        def rss():
            return int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
        blocks = [bytes(4000) + bytes([i % 256]) for i in range(50_000)]
        pin = bytes(4000) + b"x"
        del blocks
        held = rss()
        assert give_back_memory()
        print(held, rss())
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    held, after = map(float, out.split())
    assert held - after > 120, (held, after)  # ~200 MB were freed but still resident
