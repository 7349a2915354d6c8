"""The validated ``[stages.clean]`` settings (packaged defaults fill the gaps)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from ..errors import ConfigError

__all__ = ["CleanSettings"]

_WHERE = "stages.clean"

#: (key, lowest, highest, integer?) of the numeric settings.
_NUMBERS: tuple[tuple[str, float, float, bool], ...] = (
    ("short_line_chars", 1, 10_000, True),
    ("top_lines", 1, 1_000, True),
    ("title_max_chars", 10, 10_000, True),
    ("title_jaccard", 0.05, 1.0, False),
    ("prose_min_chars", 10, 10_000, True),
    ("heading_max_chars", 5, 10_000, True),
    ("caption_max_chars", 10, 100_000, True),
    ("repeat_min_chars", 1, 10_000, True),
    ("cue_line_max_chars", 10, 100_000, True),
    ("teaser_overlap_max", 0.0, 1.0, False),
)


@lru_cache(maxsize=1)
def _packaged() -> dict[str, Any]:
    from ..config import defaults

    return dict(defaults().get("stages", {}).get("clean", {}))


@dataclass(frozen=True, slots=True)
class CleanSettings:
    """Settings of the ``clean`` stage (see ``[stages.clean]`` in defaults.toml)."""

    cue_language: str
    extra_cue_languages: tuple[str, ...]
    short_line_chars: int
    top_lines: int
    title_max_chars: int
    title_jaccard: float
    prose_min_chars: int
    heading_max_chars: int
    caption_max_chars: int
    repeat_min_chars: int
    cue_line_max_chars: int
    teaser_overlap_max: float
    inline_agencies: bool

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any] | None) -> CleanSettings:
        """``settings`` completed by the packaged defaults and checked."""
        if isinstance(settings, CleanSettings):
            return settings
        return _cached(tuple(sorted((k, _freeze(v)) for k, v in dict(settings or {}).items())))


def _freeze(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


def _fail(key: str, want: str, got: Any) -> ConfigError:
    return ConfigError(
        f"{_WHERE}.{key} must be {want}, got {got!r} — fix it in your config file or with --set {_WHERE}.{key}=VALUE"
    )


@lru_cache(maxsize=64)
def _cached(items: tuple[tuple[str, Any], ...]) -> CleanSettings:
    merged = {**_packaged(), **dict(items)}
    values: dict[str, Any] = {}
    for key, lo, hi, integer in _NUMBERS:
        v = merged.get(key)
        ok = isinstance(v, int) if integer else isinstance(v, (int, float))
        if isinstance(v, bool) or not ok or not lo <= v <= hi:
            raise _fail(key, f"{'an integer' if integer else 'a number'} from {lo:g} to {hi:g}", v)
        values[key] = v if integer else float(v)
    cue = merged.get("cue_language")
    if not isinstance(cue, str) or not cue:
        raise _fail("cue_language", 'a language code, "auto" or "all"', cue)
    extra = merged.get("extra_cue_languages", ())
    if isinstance(extra, str) or not all(isinstance(e, str) for e in extra):
        raise _fail("extra_cue_languages", 'a list of language codes such as ["en"]', extra)
    inline = merged.get("inline_agencies")
    if not isinstance(inline, bool):
        raise _fail("inline_agencies", "true or false", inline)
    return CleanSettings(cue_language=cue, extra_cue_languages=tuple(extra), inline_agencies=inline, **values)
