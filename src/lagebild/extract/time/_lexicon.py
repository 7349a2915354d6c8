"""Loading a language's temporal lexicon (``lexicon/<lang>.toml``).

A lexicon is data only: word tables (months, weekdays, units, cue words …) and a
``[grammar]`` table of small per-language switches.  :func:`load_lexicon` reads
and caches it; :func:`alt` turns a word table into a regex alternation.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any, Iterable

__all__ = ["Lexicon", "load_lexicon", "available_languages", "alt"]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One language's word tables (lower-case keys) and grammar switches."""

    language: str
    tables: dict[str, Any]

    def table(self, name: str) -> dict[str, Any]:
        """A word table (empty when the language has none)."""
        value = self.tables.get(name) or {}
        return value if isinstance(value, dict) else {}

    def grammar(self, key: str, default: Any = None) -> Any:
        return self.table("grammar").get(key, default)

    def words(self, table: str, key: str = "words") -> list[str]:
        """A list stored as ``[table] key = [...]``."""
        return list(self.table(table).get(key) or [])

    def tense(self, key: str) -> frozenset[str]:
        return frozenset(self.table("tense").get(key) or [])


def available_languages() -> list[str]:
    """Languages with a lexicon file, e.g. ``["de", "en"]``."""
    return list(_languages())


@functools.lru_cache(maxsize=1)
def _languages() -> tuple[str, ...]:
    folder = resources.files(__package__).joinpath("lexicon")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


@functools.lru_cache(maxsize=16)
def load_lexicon(language: str) -> Lexicon:
    """The lexicon of ``language`` (``ValueError`` when there is none)."""
    name = f"{language}.toml"
    folder = resources.files(__package__).joinpath("lexicon")
    path = folder.joinpath(name)
    if not path.is_file():
        raise ValueError(
            f"no temporal lexicon for language {language!r} — known: {', '.join(available_languages())}; "
            f"add src/lagebild/extract/time/lexicon/{name} to support it"
        )
    return Lexicon(language, tomllib.loads(path.read_text(encoding="utf-8")))


#: alternations of at least this many phrases open with a test of their first character
_GATE_MIN = 4


def alt(words: Iterable[str], *, boundary: bool = False) -> str:
    """A non-capturing alternation of ``words`` (longest first, regex-escaped).

    Spaces in a phrase match any run of whitespace.  ``boundary`` appends a
    word boundary to entries ending in a word character.

    A longer alternation first looks ahead for one of its phrases' first
    characters (``(?=[…])``, under the pattern's own flags, which a character
    class and a literal read alike): ``re`` tries every branch in turn where
    nothing stands that could start one — ignoring case it cannot skip a branch
    by its first letter — and the test fails there at once.  It only rules out
    places where no phrase can match, so the matches are the same.
    """
    uniq = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    if not uniq:
        return "(?!)"
    parts = []
    firsts: set[str] | None = set()
    for w in uniq:
        pieces = w.split()
        p = r"\s+".join(re.escape(x) for x in pieces)
        if boundary and (w[-1].isalnum()):
            p += r"\b"
        parts.append(p)
        if firsts is not None and pieces:
            firsts.add(pieces[0][0])
        else:
            firsts = None  # a blank phrase matches the empty string anywhere
    body = "(?:" + "|".join(parts) + ")"
    if firsts is None or len(parts) < _GATE_MIN:
        return body
    return "(?:(?=[" + "".join(re.escape(c) for c in sorted(firsts)) + "])" + body + ")"
