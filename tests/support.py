"""Paths the tests share (import as `from support import ...`)."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

    import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def in_a_fresh_process(body: str, env: "dict[str, str] | None" = None) -> str:
    """``body`` (Python, dedented) run by a fresh interpreter with the package and the tests' folder on its
    path, and ``env`` added to this environment: no thread of this test session in it, so
    ``lagebild._memory.run_apart`` forks there.  Its stdout; fails the test if it fails."""
    script = (f"import sys\nsys.path.insert(0, {str(REPO / 'src')!r})\n"
              f"sys.path.insert(0, {str(REPO / 'tests')!r})\n")
    done = subprocess.run([sys.executable, "-c", script + textwrap.dedent(body)], capture_output=True, text=True,
                          timeout=600, env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def load_script(path: Path, name: str | None = None) -> "ModuleType":
    """The Python file at ``path`` (a benchmark, a script) loaded as a module, ``name`` defaulting to its stem."""
    spec = importlib.util.spec_from_file_location(name or f"script_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def entity_ids(text: str, ner: object = None, language: str = "de") -> dict[str, set[str]]:
    """Mention text → entity ids of ``text`` by the entities stage's finder; with ``ner`` (a model or
    :class:`FixedTags`) its spans are merged, without it the rules and the KB alone."""
    from lagebild.extract.entities import entities_of_text

    out: dict[str, set[str]] = {}
    for e in entities_of_text(text, language, ner=ner is not None, ner_model=ner):
        for m in e["mentions"]:
            out.setdefault(m["text"], set()).add(e["id"])
    return out


class FixedTags:
    """A stand-in for the NER model: fixed BIO tags for fixed token sequences, so that a test checks the
    merge rules, not what the packaged model happens to predict."""

    def __init__(self, spans: "dict[tuple[str, ...], str]") -> None:
        self.spans = spans

    def predict(self, tokens: list[str]) -> list[str]:
        tags = ["O"] * len(tokens)
        for words, label in self.spans.items():
            for i in range(len(tokens) - len(words) + 1):
                if tuple(tokens[i : i + len(words)]) == words:
                    tags[i : i + len(words)] = [f"B-{label}"] + [f"I-{label}"] * (len(words) - 1)
        return tags
