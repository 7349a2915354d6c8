"""Quality floors on real pages: they may rise, never drop silently.

Each test runs a benchmark script from bench/ the way a person would and reads
the JSON object on its last line.  Measured values are in bench/RESULTS.md.
"""

from __future__ import annotations

import json
import subprocess
import sys

from support import REPO


def run_bench(script: str, *args: str) -> dict:
    p = subprocess.run([sys.executable, str(REPO / "bench" / script), *args], capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def test_html_extraction_and_cleaning_floor(shared):
    out = run_bench("extraction.py", str(shared / "data" / "trafilatura_de"))
    assert out["pages"] == 40 and out["pages_without_text"] == 0
    cleaned = out["ingest+clean"]
    # measured 2026-11: precision 0.921, recall 0.890, F1 0.905 (ingest alone: 0.892 / 0.907 / 0.899)
    assert cleaned["precision"] >= 0.91
    assert cleaned["recall"] >= 0.88
    assert cleaned["f1"] >= 0.895
    # cleaning must pay for itself: more precision than trafilatura alone, little recall lost
    assert cleaned["precision"] > out["ingest"]["precision"]
    assert out["ingest"]["recall"] - cleaned["recall"] <= 0.03
