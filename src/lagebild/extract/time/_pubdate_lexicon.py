"""Cue words for publication-date inference, read from ``lexicon/pubdate_<lang>.toml``.

A :class:`PubLexicon` holds one language's cue tables compiled into regular
expressions; it is cached per language.  An article in a language without a
cue file uses the union of all cue files (the cues are short and rarely clash).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ...errors import ConfigError

__all__ = ["PubLexicon", "pub_lexicon", "pub_languages"]

_PREFIX = "pubdate_"


def _phrases(words: list[str]) -> str:
    """An alternation of phrases, longest first; spaces match any whitespace."""
    uniq = sorted({w.strip() for w in words if w.strip()}, key=lambda w: (-len(w), w))
    if not uniq:
        return "(?!)"
    return "(?:" + "|".join(r"\s+".join(re.escape(x) for x in w.split()) for w in uniq) + ")"


def _compile(patterns: list[str], where: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p, re.IGNORECASE))
        except re.error as e:
            raise ConfigError(f"{where}: bad regular expression {p!r} ({e}) — fix the cue file") from None
    return tuple(out)


@dataclass(frozen=True, slots=True)
class PubLexicon:
    """Compiled cue tables of one language (or of several merged)."""

    languages: tuple[str, ...]
    since: re.Pattern[str]  #: ends right before a date: "seit"
    until: re.Pattern[str]  #: ends right before a date: "bis"
    until_past_verbs: re.Pattern[str]  #: a state that ended: "war"
    target: re.Pattern[str]  #: ends right before a target date: "zum", "für den"
    not_target: re.Pattern[str]  #: a target word after these is no target: "Nacht zum"
    target_day_only: re.Pattern[str]  #: target words taking a day or month only: "für"
    attributive_year: str  #: "noun-year" (de), "the-year-noun" (en) or ""
    past_anaphor: re.Pattern[str]  #: "damals"
    #: a past event told as background (pluperfect, a birth, a document's date): no news-recency prior from it
    background: re.Pattern[str]
    background_before: re.Pattern[str]  #: ends right before a date: "Urteil vom"
    last_month: re.Pattern[str]  #: ends right before a month name: "zuletzt im"
    relative_year: tuple[tuple[re.Pattern[str], int], ...]  #: phrase → year offset
    anniversary: tuple[re.Pattern[str], ...]
    ago: tuple[re.Pattern[str], ...]
    #: lower-case words one of which a text must hold for the patterns above to be tried
    relative_year_keywords: tuple[str, ...]
    anniversary_keywords: tuple[str, ...]
    ago_keywords: tuple[str, ...]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    months: dict[str, int]
    weekdays: dict[str, int]
    day_month: tuple[re.Pattern[str], ...]
    stopwords: frozenset[str]

    def number(self, word: str) -> int | None:
        """``word`` as a number: digits, a number word or an ordinal word (any inflection)."""
        w = word.strip().casefold().rstrip(".")
        if w.isdigit():
            return int(w)
        if w in self.numbers:
            return self.numbers[w]
        for cut in (0, 1, 2):
            stem = w[: len(w) - cut] if cut else w
            if stem in self.ordinals:
                return self.ordinals[stem]
        return None


def pub_languages() -> tuple[str, ...]:
    """Languages with a publication-date cue file."""
    folder = resources.files(__package__).joinpath("lexicon")
    return tuple(sorted(p.name[len(_PREFIX) : -5] for p in folder.iterdir()
                        if p.name.startswith(_PREFIX) and p.name.endswith(".toml")))


@lru_cache(maxsize=None)
def _read(lang: str) -> dict[str, Any]:
    path = resources.files(__package__).joinpath("lexicon").joinpath(f"{_PREFIX}{lang}.toml")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"cue file lexicon/{_PREFIX}{lang}.toml is not valid TOML ({e}) — fix the file") from None


def _base(language: str | None) -> str:
    return (language or "").split("-")[0].split("_")[0].strip().lower()


@lru_cache(maxsize=16)
def pub_lexicon(language: str | None) -> PubLexicon:
    """The cue tables for ``language`` (all languages merged when it has no file)."""
    avail = pub_languages()
    base = _base(language)
    langs = (base,) if base in avail else avail
    tables = [_read(lang) for lang in langs]

    def lst(section: str, key: str) -> list[str]:
        return [w for t in tables for w in (t.get(section, {}).get(key) or [])]

    def dct(section: str, sub: str | None = None) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in tables:
            d = t.get(section, {})
            if sub is not None:
                d = d.get(sub, {})
            out.update({str(k).casefold(): int(v) for k, v in d.items() if isinstance(v, int)})
        return out

    rel: list[tuple[re.Pattern[str], int]] = []
    for t in tables:
        for off, words in (t.get("relative_year") or {}).items():
            rel.append((re.compile(r"(?<!\w)" + _phrases(words) + r"(?!\w)", re.IGNORECASE), int(off)))
    where = "lexicon/" + ",".join(f"{_PREFIX}{lang}.toml" for lang in langs)
    return PubLexicon(
        languages=langs,
        since=re.compile(r"(?<!\w)" + _phrases(lst("bounds", "since")) + r"\s*$", re.IGNORECASE),
        until=re.compile(r"(?<!\w)" + _phrases(lst("bounds", "until")) + r"\s*$", re.IGNORECASE),
        until_past_verbs=re.compile(r"(?<!\w)" + _phrases(lst("bounds", "until_past_verbs")) + r"(?!\w)", re.IGNORECASE),
        target=re.compile(r"(?<!\w)" + _phrases(lst("bounds", "target")) + r"\s*$", re.IGNORECASE),
        not_target=re.compile(r"(?<!\w)" + _phrases(lst("bounds", "not_target_after")) + r"(?:\s+\S+){1,3}\s*$", re.IGNORECASE),
        target_day_only=re.compile(r"(?<!\w)" + _phrases(lst("bounds", "target_day_only")) + r"\s*$", re.IGNORECASE),
        attributive_year=str(next((t["bounds"]["attributive_year"] for t in tables
                                   if t.get("bounds", {}).get("attributive_year")), "")) if len(tables) == 1 else "",
        past_anaphor=re.compile(r"(?<!\w)" + _phrases(lst("bounds", "past_anaphors")) + r"(?!\w)", re.IGNORECASE),
        background=re.compile(r"(?<!\w)" + _phrases(lst("recency", "background")) + r"(?!\w)", re.IGNORECASE),
        background_before=re.compile(r"(?<!\w)" + _phrases(lst("recency", "background_before")) + r"\s*$",
                                     re.IGNORECASE),
        last_month=re.compile(r"(?<!\w)" + _phrases(lst("bounds", "last_month")) + r"\s*$", re.IGNORECASE),
        relative_year=tuple(rel),
        anniversary=_compile(lst("anniversary", "patterns"), where),
        ago=_compile(lst("anniversary", "ago"), where),
        relative_year_keywords=tuple(w.casefold() for w in lst("relative_year_keywords", "words")),
        anniversary_keywords=tuple(w.casefold() for w in lst("anniversary", "keywords")),
        ago_keywords=tuple(w.casefold() for w in lst("anniversary", "ago_keywords")),
        numbers=dct("numbers"),
        ordinals=dct("ordinals"),
        months=dct("calendar", "months"),
        weekdays=dct("calendar", "weekdays"),
        day_month=_compile(lst("calendar", "day_month"), where),
        stopwords=frozenset(w.casefold() for w in lst("events", "stopwords")),
    )
