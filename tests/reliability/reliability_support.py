"""Helpers for the reliability tests: the hostile-input generators and a CLI runner that measures memory."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"


def load_generate() -> ModuleType:
    """tests/hostile/generate.py (a folder of data, not a package)."""
    spec = importlib.util.spec_from_file_location("lagebild_hostile_generate", HOSTILE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class CliRun:
    rc: int
    out: str
    err: str
    max_rss_mb: float


def run_cli(*args: str, stdin_path: Path | None = None, timeout: float = 300) -> CliRun:
    """``lagebild ARGS`` in a fresh interpreter: exit code, output, and the child's own peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        stdin = stdin_path.open("rb") if stdin_path else subprocess.DEVNULL
        try:
            proc = subprocess.Popen([sys.executable, "-m", "lagebild.cli", *args], stdin=stdin, stdout=out, stderr=err)
            deadline = time.monotonic() + timeout
            peak_kb = 0
            while True:
                peak_kb = max(peak_kb, _hwm_kb(proc.pid))
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() > deadline:
                    proc.kill()
                    os.wait4(proc.pid, 0)
                    raise TimeoutError(f"lagebild {' '.join(args)} ran over {timeout} s")
                time.sleep(0.05)
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            if stdin_path:
                stdin.close()  # type: ignore[union-attr]
        out.seek(0)
        err.seek(0)
        # the child's own high-water mark (VmHWM, sampled while it runs): ``ru_maxrss`` from wait4 would also
        # count the parent's resident size at the fork (Linux keeps the larger of the two across exec)
        peak = peak_kb if peak_kb else usage.ru_maxrss
        return CliRun(proc.returncode, out.read().decode(), err.read().decode(), peak / 1024)


def _hwm_kb(pid: int) -> int:
    """Peak resident size of process ``pid`` so far, in kB (``VmHWM`` in /proc; 0 when unreadable)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
