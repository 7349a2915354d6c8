"""Shared test helpers: where ../shared lives, and the `shared` fixture."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def shared_dir() -> Path | None:
    """``$LAGEBILD_SHARED`` or ``../shared`` beside the repo; None if absent."""
    env = os.environ.get("LAGEBILD_SHARED")
    cand = Path(env) if env else REPO.parent / "shared"
    return cand if (cand / "seeds").is_dir() else None


@pytest.fixture(scope="session")
def shared() -> Path:
    d = shared_dir()
    if d is None:
        pytest.skip("../shared (seeds and open datasets) not found — set LAGEBILD_SHARED to its path to run this test")
    return d


@pytest.fixture(scope="session")
def seeds(shared: Path) -> list[Path]:
    return sorted((shared / "seeds").glob("*.txt"))
