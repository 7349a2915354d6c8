"""Cue words per language, read from ``cues/<lang>.toml`` and compiled once.

A :class:`Cues` object merges the cue files of one or more languages into
precompiled regular expressions and sets; it is cached per language tuple, so
building it costs nothing after the first article.  Agency tables are always
taken from every cue file (agency names do not depend on the article's
language).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

from ..errors import ConfigError

__all__ = ["Cues", "PhraseIndex", "available_languages", "load_cues", "norm_cue", "languages_for", "ends_with_more"]

#: Characters stripped from both ends before comparing a whole line with a cue.
_EDGE = " \t\u00a0:;.,!?»«›‹…|/-–—•·*>\"'„“”‘’()[]"



#: Arrows and spaces after a "read more" link.
_ARROWS = " »›>→"


def ends_with_more(norm: str, cues: Cues) -> bool:
    """``norm`` (case-folded line) ends with a teaser "read more" link."""
    tail = norm.rstrip(_ARROWS)
    for m in cues.teaser_more:
        if tail.endswith(m) and (len(tail) == len(m) or not tail[-len(m) - 1].isalnum()):
            return True
    return False


def norm_cue(text: str) -> str:
    """``text`` as whole-line cues are compared: case-folded, edges trimmed, spaces collapsed."""
    return " ".join(text.casefold().split()).strip(_EDGE)


@lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...]:
    """Languages with a cue file, sorted."""
    folder = resources.files(__package__).joinpath("cues")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


@lru_cache(maxsize=None)
def _read(lang: str) -> dict[str, Any]:
    path = resources.files(__package__).joinpath("cues", f"{lang}.toml")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"no cue file for language {lang!r} — use one of {', '.join(available_languages())} "
            "in stages.clean.cue_language / extra_cue_languages"
        ) from None
    except tomllib.TOMLDecodeError as e:  # a packaging error, reported clearly
        raise ConfigError(f"cue file cues/{lang}.toml is not valid TOML ({e}) — fix the file") from None


def languages_for(language: str | None, cue_language: str, extra: Iterable[str]) -> tuple[str, ...]:
    """The cue languages to use for an article in ``language``.

    ``cue_language`` ``"auto"`` means the article's language (its primary
    subtag), falling back to all languages when it is unknown or has no cue
    file; ``"all"`` means every cue file; anything else names one language.
    ``extra`` languages are always added.
    """
    avail = available_languages()
    if cue_language == "all":
        return avail
    if cue_language == "auto":
        base = (language or "").split("-")[0].split("_")[0].strip().lower()
        if base not in avail:
            return avail
        chosen = [base]
    else:
        if cue_language not in avail:
            raise ConfigError(
                f"stages.clean.cue_language is {cue_language!r}, which has no cue file — "
                f"use auto, all or one of {', '.join(avail)}"
            )
        chosen = [cue_language]
    for e in extra:
        if e not in avail:
            raise ConfigError(
                f"stages.clean.extra_cue_languages names {e!r}, which has no cue file — "
                f"use languages from {', '.join(avail)}"
            )
        if e not in chosen:
            chosen.append(e)
    return tuple(sorted(chosen))


def _alternation(items: Iterable[str]) -> str:
    parts = sorted({re.escape(i.strip()).replace(r"\ ", r"\s+") for i in items if i.strip()}, key=len, reverse=True)
    return "|".join(parts) if parts else r"(?!x)x"


def _trie_regex(words: Iterable[str]) -> str:
    """One regular expression matching any of ``words``, factored as a character trie (fast)."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [(r"\s" if ch == " " else re.escape(ch)) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


class PhraseIndex:
    """Finds which kinds of cue phrases occur in a case-folded, space-normalised line."""

    __slots__ = ("_rx", "_kind")

    def __init__(self, by_kind: dict[str, list[str]]) -> None:
        self._kind: dict[str, str] = {}
        for kind, items in by_kind.items():
            for item in items:
                key = " ".join(item.casefold().split())
                if key:
                    self._kind.setdefault(key, kind)
        body = _trie_regex(sorted(self._kind)) if self._kind else r"(?!x)x"
        self._rx = re.compile(r"(?<!\w)" + body + r"(?!\w)")

    def kinds(self, norm: str) -> set[str]:
        """Kinds whose phrases occur in ``norm`` (whole words)."""
        return {self._kind[m.group()] for m in self._rx.finditer(norm)}


def _never() -> re.Pattern[str]:
    return re.compile(r"(?!x)x")


@dataclass(frozen=True, slots=True)
class Cues:
    """Compiled cues of some languages (see the module docstring)."""

    languages: tuple[str, ...]
    crumbs: frozenset[str]
    navigation: frozenset[str]
    #: whole-line patterns of navigation lines (comment counters)
    navigation_patterns: re.Pattern[str]
    #: whole-line patterns of relative update stamps ("updated 2 hours ago")
    timestamp_patterns: re.Pattern[str]
    byline_prefix: re.Pattern[str]
    particles: frozenset[str]
    caption_prefix: re.Pattern[str]
    caption_markers: re.Pattern[str]
    credit_prefix: re.Pattern[str]
    credit_names: frozenset[str]
    gallery_lines: frozenset[str]
    gallery_patterns: re.Pattern[str]
    audio_lines: frozenset[str]
    #: media labels alone on a line ("Video"): a player box starts
    video_lines: frozenset[str]
    #: phrase kinds ``audio``, ``video``, ``newsletter`` (see :class:`PhraseIndex`)
    phrases: PhraseIndex
    newsletter_lines: frozenset[str]
    teaser_headings: frozenset[str]
    teaser_heading_start: re.Pattern[str]
    #: case-folded endings of teaser items ("read more"), closing arrows stripped
    teaser_more: tuple[str, ...]
    source_prefix: re.Pattern[str]
    source_agency_prefix: re.Pattern[str]
    joiners: re.Pattern[str]
    stopwords: frozenset[str]
    #: case-folded alias → canonical agency spelling (all cue files)
    agencies: dict[str, str]


def _get(data: dict[str, Any], table: str, key: str) -> list[str]:
    value = data.get(table, {}).get(key, [])
    return [str(v) for v in value]


@lru_cache(maxsize=64)
def load_cues(languages: tuple[str, ...]) -> Cues:
    """The merged, compiled cues of ``languages`` (cached)."""
    data = [_read(lang) for lang in languages]

    def collect(table: str, key: str) -> list[str]:
        out: list[str] = []
        for d in data:
            out.extend(_get(d, table, key))
        return out

    def lines(table: str, key: str = "lines") -> frozenset[str]:
        return frozenset(norm_cue(x) for x in collect(table, key))

    def prefix(*keys: tuple[str, str], colon: bool) -> re.Pattern[str]:
        items: list[str] = []
        for t, k in keys:
            items.extend(collect(t, k))
        if not items:
            return _never()
        sep = r"\s*[:：]\s*" if colon else r"(?:\s*[:：]\s*|\s+)"
        return re.compile(r"^(?:" + _alternation(items) + r")" + sep, re.IGNORECASE)

    def patterns(table: str) -> re.Pattern[str]:
        items = collect(table, "patterns")
        if not items:
            return _never()
        try:
            return re.compile("|".join(f"(?:{p})" for p in items), re.IGNORECASE)
        except re.error as e:
            raise ConfigError(f"a [{table}] pattern in the cue files is not a valid regular expression ({e}) — fix it") from None

    agencies: dict[str, str] = {}
    for lang in available_languages():
        for canonical, aliases in _read(lang).get("agencies", {}).items():
            agencies[canonical.casefold()] = canonical
            for a in aliases:
                agencies.setdefault(" ".join(str(a).casefold().split()), canonical)

    teaser = [norm_cue(x) for x in collect("teaser", "headings")]
    joiners = collect("source", "joiners")
    return Cues(
        languages=languages,
        crumbs=lines("section", "crumbs"),
        navigation=lines("navigation"),
        navigation_patterns=patterns("navigation"),
        timestamp_patterns=patterns("timestamp"),
        byline_prefix=prefix(("byline", "prefixes"), colon=False),
        particles=frozenset(p.casefold() for p in collect("byline", "particles")),
        caption_prefix=prefix(("caption", "prefixes"), ("credit", "prefixes"), colon=True),
        caption_markers=patterns("caption"),
        credit_prefix=prefix(("credit", "prefixes"), colon=True),
        credit_names=frozenset(" ".join(n.casefold().split()) for n in collect("credit", "names")),
        gallery_lines=lines("gallery"),
        gallery_patterns=patterns("gallery"),
        audio_lines=lines("audio"),
        video_lines=lines("video"),
        phrases=PhraseIndex({k: collect(k, "phrases") for k in ("audio", "video", "newsletter")}),
        newsletter_lines=lines("newsletter"),
        teaser_headings=frozenset(teaser),
        teaser_heading_start=re.compile(r"^(?:" + _alternation(teaser) + r")(?:\s*[:：]\s*|\s+)\S", re.IGNORECASE)
        if teaser
        else _never(),
        teaser_more=tuple(sorted({" ".join(m.casefold().split()).rstrip(_ARROWS) for m in collect("teaser", "more")} - {""})),
        source_prefix=prefix(("source", "prefixes"), colon=True),
        source_agency_prefix=prefix(("source", "agency_prefixes"), colon=False),
        joiners=re.compile(r"\s*(?:[,;&+/|]|\s(?:" + _alternation(joiners) + r")\s)\s*", re.IGNORECASE)
        if joiners
        else re.compile(r"\s*[,;&+/|]\s*"),
        stopwords=frozenset(w.casefold() for w in collect("words", "stopwords")),
        agencies=agencies,
    )
