"""bench/paired.py: two checkouts in turns on the same articles (here the same checkout twice)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support import REPO


def _paired(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "bench" / "paired.py"), *args], capture_output=True,
                          text=True, timeout=600)


def test_same_checkout_twice(shared):
    src = str(REPO / "src")
    p = _paired(src, src, "--gnad", str(shared / "data" / "10kgnad" / "test.csv"), "--limit", "30", "--chunk", "8")
    assert p.returncode == 0, p.stderr[-2000:]
    out = json.loads(p.stdout.strip().splitlines()[-1])
    assert out["articles"] == 30 and out["chunk"] == 8 and out["stages"] == ["nlp", "entities"]
    old, new = out["old"]["cpu_seconds"], out["new"]["cpu_seconds"]
    assert old > 0 and new > 0
    assert abs(out["speedup"] - old / new) < 0.01  # the ratio of the (rounded) sums
    assert 0.2 < out["speedup"] < 5  # the same code: within the noise of a shared machine, not a broken side


def test_refuses_a_folder_without_the_package(tmp_path, shared):
    p = _paired(str(tmp_path), str(REPO / "src"), "--gnad", str(shared / "data" / "10kgnad" / "test.csv"))
    assert p.returncode == 1
    assert p.stderr.strip() == f"bench/paired.py: {tmp_path} holds no lagebild package — pass a checkout's src folder"


def test_refuses_a_stage_the_pipeline_lacks(shared):
    src = str(REPO / "src")
    p = _paired(src, src, "--gnad", str(shared / "data" / "10kgnad" / "test.csv"), "--limit", "2", "--stages", "nope")
    assert p.returncode == 1
    assert "['nope'] are not per-article stages of this pipeline" in p.stderr
    assert "a side failed to start" in p.stderr


@pytest.mark.parametrize("stages", ["ingest", "ingest,nlp"])
def test_ingest_times_reading_too(shared, stages):
    src = str(REPO / "src")
    gnad = str(shared / "data" / "10kgnad" / "test.csv")
    p = _paired(src, src, "--gnad", gnad, "--limit", "12", "--chunk", "5", "--stages", stages)
    assert p.returncode == 0, p.stderr[-2000:]
    out = json.loads(p.stdout.strip().splitlines()[-1])
    assert out["stages"] == stages.split(",") and out["articles"] == 12
    assert out["old"]["cpu_seconds"] > 0 and out["new"]["cpu_seconds"] > 0
