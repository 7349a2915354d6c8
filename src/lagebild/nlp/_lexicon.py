"""Per-language word lists for the tokenizer, read from ``nlp/data/*.txt``.

The lists are human-editable text files (see their header comments):
``abbrev_{lang}.txt`` (abbreviations with a dot, optional flags ``final`` and
``num``) and ``ordinal_{lang}.txt`` (``[before]``/``[after]`` cue words for
ordinal numbers such as "3. Oktober").  Languages without a file fall back to
the union of all files, so unknown-language text still gets the common cases.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

__all__ = ["Lexicon", "lexicon", "LANGUAGES"]

#: Languages that have their own data files.
LANGUAGES = ("de", "en")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What the tokenizer needs to know about one language."""

    #: abbreviation without its final dot -> may it end a sentence?
    abbrev: dict[str, bool]
    #: abbreviations (without final dot) that count only before a number
    abbrev_num: frozenset[str]
    #: lower-cased words after which "N." is an ordinal
    ordinal_before: frozenset[str]
    #: lower-cased words before which "N." is an ordinal
    ordinal_after: frozenset[str]
    #: whether "N." can be an ordinal at all in this language
    ordinals: bool


def _lines(name: str) -> list[str]:
    try:
        raw = resources.files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _read(lang: str) -> Lexicon:
    abbrev: dict[str, bool] = {}
    num: set[str] = set()
    for line in _lines(f"abbrev_{lang}.txt"):
        word, *flags = line.split()
        word = word[:-1] if word.endswith(".") else word
        abbrev[word] = "final" in flags
        if "num" in flags:
            num.add(word)
        # a lower-case abbreviation may open a sentence capitalised ("Ca. 20 …")
        if word[:1].islower():
            abbrev.setdefault(word[:1].upper() + word[1:], "final" in flags)
    before: set[str] = set()
    after: set[str] = set()
    section: set[str] | None = None
    lines = _lines(f"ordinal_{lang}.txt")
    for line in lines:
        if line == "[before]":
            section = before
        elif line == "[after]":
            section = after
        elif section is not None:
            section.add(line.casefold())
    return Lexicon(abbrev, frozenset(num), frozenset(before), frozenset(after), bool(lines))


@functools.lru_cache(maxsize=None)
def lexicon(language: str | None) -> Lexicon:
    """The lexicon for ``language`` (ISO 639-1); the union of all for others."""
    lang = (language or "").lower()[:2]
    if lang in LANGUAGES:
        return _read(lang)
    parts = [_read(code) for code in LANGUAGES]
    abbrev: dict[str, bool] = {}
    for p in parts:
        for k, v in p.abbrev.items():
            abbrev[k] = abbrev.get(k, False) or v
    return Lexicon(
        abbrev,
        frozenset().union(*(p.abbrev_num for p in parts)),
        frozenset().union(*(p.ordinal_before for p in parts)),
        frozenset().union(*(p.ordinal_after for p in parts)),
        any(p.ordinals for p in parts),
    )
