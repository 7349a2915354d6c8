"""Paths the tests share (import as `from support import ...`)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def shared_dir() -> Path | None:
    """``$LAGEBILD_SHARED`` or ``../shared`` beside the repo; None if absent."""
    env = os.environ.get("LAGEBILD_SHARED")
    cand = Path(env) if env else REPO.parent / "shared"
    return cand if (cand / "seeds").is_dir() else None
