"""Shared test helpers: where ../shared lives, and the `shared` fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import EXAMPLES, REPO, shared_dir  # noqa: F401  (re-exported for older imports)


@pytest.fixture(scope="session")
def shared() -> Path:
    d = shared_dir()
    if d is None:
        pytest.skip("../shared (seeds and open datasets) not found — set LAGEBILD_SHARED to its path to run this test")
    return d


@pytest.fixture(scope="session")
def seeds(shared: Path) -> list[Path]:
    return sorted((shared / "seeds").glob("*.txt"))
