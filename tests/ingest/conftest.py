"""Fixtures for the ingest tests: settings that surface bugs, and a one-call reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lagebild.config import defaults
from lagebild.errors import InputError
from lagebild.ingest import SourceSpec, expand_inputs, read_source
from lagebild.model import Article


class Reader:
    """Reads a path (expanded like the CLI does) or a :class:`SourceSpec`."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings

    def all(self, target: str | Path | SourceSpec, **overrides: Any) -> list[Article | InputError]:
        settings = {**self.settings, **overrides}
        if isinstance(target, SourceSpec):
            return list(read_source(target, settings))
        out: list[Article | InputError] = []
        for item in expand_inputs([str(target)], settings):
            if isinstance(item, InputError):
                out.append(item)
            else:
                out.extend(read_source(item, settings))
        return out

    def article(self, target: str | Path | SourceSpec, **overrides: Any) -> Article:
        results = self.all(target, **overrides)
        assert len(results) == 1, results
        assert isinstance(results[0], Article), str(results[0])
        return results[0]

    def error(self, target: str | Path | SourceSpec, cls: type[InputError], **overrides: Any) -> InputError:
        results = self.all(target, **overrides)
        assert len(results) == 1, results
        assert isinstance(results[0], cls), repr(results[0])
        return results[0]


@pytest.fixture()
def settings() -> dict[str, Any]:
    """The packaged ``[ingest]`` settings, with internal errors re-raised (bugs must not hide)."""
    s = dict(defaults()["ingest"])
    s["raise_unexpected"] = True
    return s


@pytest.fixture()
def ingest(settings: dict[str, Any]) -> Reader:
    return Reader(settings)
