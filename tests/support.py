"""Paths the tests share (import as `from support import ...`)."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for a test server)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def shared_dir() -> Path | None:
    """``$LAGEBILD_SHARED`` or ``../shared`` beside the repo; None if absent."""
    env = os.environ.get("LAGEBILD_SHARED")
    cand = Path(env) if env else REPO.parent / "shared"
    return cand if (cand / "seeds").is_dir() else None


def seed_articles(seeds: "list[Path]", stages: str) -> "dict[str, object]":
    """The five seeds through ``stages`` (a JSON list) with the inline executor, keyed by file-name prefix ("000")."""
    from lagebild.api import extract
    from lagebild.config import load_config

    cfg = load_config(None, ['executor.kind="inline"', f"pipeline.stages={stages}"])
    result = extract([str(p) for p in seeds], config=cfg)
    assert not result.errors, result.errors
    assert len(result.articles) == 5
    return {Path(a.source[0].source).name[:3]: a for a in result.articles}


def spy_on_embedding(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Record the executors the stories' embeddings go through ("here": the calling process), by class
    name, into the returned set (``lagebild.picture._stories.embed_ahead`` wrapped for the test)."""
    import lagebild.picture._stories as stories

    seen: set[str] = set()
    real = stories.embed_ahead

    def spy(jobs, executor, threads=1):  # type: ignore[no-untyped-def]
        for item in real(jobs, executor, threads):
            # a deferred executor has made its executor by the time a result comes back
            seen.add("here" if executor is None else type(getattr(executor, "_inner", executor)).__name__)
            yield item

    monkeypatch.setattr(stories, "embed_ahead", spy)
    return seen
