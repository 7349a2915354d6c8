"""The ``[ingest]`` settings, resolved once per call over the packaged defaults."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Mapping

from ..config import defaults
from ..errors import ConfigError

__all__ = ["IngestSettings", "resolve"]

_FOCUS = ("balanced", "precision", "recall")


@dataclass(frozen=True, slots=True)
class IngestSettings:
    max_bytes: int
    max_warc_bytes: int
    max_warc_record_bytes: int
    extensions: tuple[str, ...]
    skip_hidden: bool
    detect_language: bool
    html_focus: str
    html_min_letters: int
    max_title_chars: int
    raise_unexpected: bool


@functools.lru_cache(maxsize=1)
def _packaged() -> tuple[tuple[str, Any], ...]:
    table = defaults().get("ingest", {})
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in table.items())


def resolve(settings: Mapping[str, Any] | IngestSettings | None) -> IngestSettings:
    """``settings`` (the ``[ingest]`` table, possibly partial) over the packaged defaults."""
    if isinstance(settings, IngestSettings):
        return settings
    merged: dict[str, Any] = dict(_packaged())
    merged.update(settings or {})
    focus = str(merged["html_focus"])
    if focus not in _FOCUS:
        raise ConfigError(
            f"ingest.html_focus is {focus!r} — choose one of: {', '.join(_FOCUS)}"
        )
    return IngestSettings(
        max_bytes=int(merged["max_bytes"]),
        max_warc_bytes=int(merged["max_warc_bytes"]),
        max_warc_record_bytes=int(merged["max_warc_record_bytes"]),
        extensions=tuple(str(e).lower() for e in merged["extensions"]),
        skip_hidden=bool(merged["skip_hidden"]),
        detect_language=bool(merged["detect_language"]),
        html_focus=focus,
        html_min_letters=int(merged["html_min_letters"]),
        max_title_chars=int(merged["max_title_chars"]),
        raise_unexpected=bool(merged["raise_unexpected"]),
    )
