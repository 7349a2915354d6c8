"""Helpers of the web tests, importable by name (``from web_support import …``): the test configuration,
a free port on 127.0.0.1, and a real ``lagebild serve`` subprocess."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

from support import free_port

__all__ = ["CONFIG_OVERRIDES", "web_config", "free_port", "serve_process"]

#: Inline executor: the tests must not fork process pools.
CONFIG_OVERRIDES = ['executor.kind="inline"']


def web_config() -> dict[str, Any]:
    from lagebild.config import load_config

    return load_config(None, CONFIG_OVERRIDES)


@contextlib.contextmanager
def serve_process(db: Path, *options: str, probe: str = "/api/overview",
                  wait: float = 60) -> Iterator[tuple[str, Any, subprocess.Popen[bytes]]]:
    """A real ``lagebild serve DB --port P OPTIONS`` subprocess, inline executor; yields the base URL, the first
    answer to ``probe`` (once the server answers) and the process; terminated on exit."""
    import httpx

    port = free_port()
    exe = Path(sys.executable).with_name("lagebild")
    proc = subprocess.Popen([str(exe), "serve", str(db), "--port", str(port), *options,
                             "--set", CONFIG_OVERRIDES[0]], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                first = httpx.get(base + probe, timeout=10)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, f"server did not answer in {wait:.0f} s"
                time.sleep(0.2)
        yield base, first, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)
