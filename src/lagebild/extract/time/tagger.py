"""The German/English/French temporal tagger: :func:`find_times` and :func:`resolve_times`.

``find_times`` finds DATE, TIME, DURATION and SET expressions and normalises
them TIMEX3-style.  Each result is a dict::

    {start, end, text, type, value, mod, anchor, tense}
    (+ relative)                 relative expressions: how to resolve them
    (+ range_end, parts)         ranges
    (+ anchor_inferred)          resolved against an inferred publication date

Conventions (chosen and documented here, tested in tests/extract/time):

* **Extents** follow TIMEX2/TIMEX3: prepositions are left out (``am
  Donnerstag`` → ``Donnerstag``; ``bis Mai 2024`` → ``Mai 2024``) but set
  ``mod``: ``bis``/``spätestens``/``until``/``by`` → ``EQUAL_OR_LESS`` (up to and
  including), ``seit``/``ab``/``since``/``from`` → ``EQUAL_OR_MORE``, ``vor``/``before``
  → ``BEFORE``, ``nach``/``after`` → ``AFTER``.  Determiners are kept with decades
  (``den 1950er Jahren``) and, following the TIMEX2 annotation of WikiWarsDE,
  with nominative direction phrases (``das kommende Jahr``, not ``des
  folgenden Jahres``); part
  words, approximators and quantifiers are kept (``Anfang 2022``, ``um 1950``,
  ``weniger als drei Monaten``).  Words that carry the meaning are kept: ``vor
  zwei Tagen``, ``in zwei Tagen``, ``nach zwei Tagen``, ``two days ago``.
* **Ranges** (``zwischen 1950 und 1953``, ``von Mai bis Juli 2024``,
  ``2022–2024``, ``Mai/Juni 1940``) are ONE expression: ``value`` = the start,
  ``range_end`` = the end, ``parts`` = the two endpoints as ``{start, end, text,
  value}`` (TIMEX2 annotates endpoints separately; ``parts`` keeps them).  An
  endpoint without a year takes the other's (``Mai`` → ``2024-05``).
* **Relative** expressions carry ``relative`` (a JSON-serialisable
  description) always; ``value`` is filled when they could be resolved, else
  None (a date lacking only its year is ``XXXX-07-27``).  ``anchor`` says what
  they were resolved against: ``publication`` (the ``anchor`` date),
  ``previous`` (the last date mentioned before — anaphoric: ``am Tag darauf``,
  ``zwei Tage später``, ``im selben Monat``) or ``absolute``.  A date that only
  looks back (``zwei Jahre zuvor``) or bounds (``bis 1881``) does not become the
  "last date".  ``nach zwei Tagen`` is a date when an earlier date is that
  precise, else a duration (``nach sechs Jahren Zusammenarbeit``).
* **Clock times and parts of the day** (``um 14.30 Uhr``, ``am Abend``) take
  the day named in their sentence (``um 15 Uhr am Freitag``; ``relative`` then
  says ``{"ref": "expression", "index": k}``, k = that expression's position
  in the list), else the publication day (news) or the last day mentioned
  (narrative).
* **Direction** of weekdays, yearless dates, months and seasons follows the
  clause tense: past → the latest one on or before the anchor (the anchor day
  itself included: agency copy says "am Donnerstag" on that Thursday), future →
  the earliest on or after it, present → the nearest.  Explicit words are
  strict: ``letzten Donnerstag`` is before the anchor day, ``nächsten
  Donnerstag`` after it.  ``in zwei Tagen`` is a date ahead of the anchor, but a
  duration in a past clause or with a quantifier (``in weniger als drei
  Monaten`` = ``P3M`` ``LESS_THAN``).
* **Event-anchored** expressions ("drei Tage vor der Wahl", "kurz nach dem
  Gipfel", "two days after the summit") are one DATE item with ``anchor:
  "event"``, ``relation`` (``before``/``after``), ``offset`` (``P3D``; None for
  "kurz", then ``mod`` is ``BEFORE``/``AFTER``) and ``event`` (``{start, end,
  text}`` of the event phrase); ``value`` is None unless the event is dated in
  the article ("Die Wahl am 5. Mai …"), see :mod:`._events`.
* ``genre="narrative"`` (history writing, e.g. WikiWarsDE) resolves every
  relative expression against the last mentioned date (a yearless ``27. Juli``
  takes the year being narrated) and reads ``heute`` as ``PRESENT_REF``.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Iterable

from ._events import link_events
from ._lexicon import _languages
from ._patterns import Patterns, patterns_for
from ._resolve import Resolver, set_direction
from ._rules import Cand
from ._rules_relative import AllRules
from ._select import after_readings, anchor_clock_times, extend_left, ranges, scan
from ._tense import TenseDetector

__all__ = ["find_times", "resolve_times", "TYPES", "MODS"]

#: Expression types.
TYPES = ("DATE", "TIME", "DURATION", "SET")
#: ``mod`` values.
MODS = ("START", "MID", "END", "APPROX", "BEFORE", "AFTER", "LESS_THAN", "MORE_THAN", "EQUAL_OR_LESS", "EQUAL_OR_MORE")
_EN_HINT = re.compile(r"\b(?:the|and|of|was|is|with)\b")
_DE_HINT = re.compile(r"\b(?:der|und|die|das|ist|mit|nicht)\b")


@functools.lru_cache(maxsize=32)
def _machinery(language: str, narrative: bool) -> tuple[Patterns, AllRules, TenseDetector]:
    pats = patterns_for(language)
    rules = AllRules(pats)
    rules.narrative = narrative
    return pats, rules, TenseDetector(pats.lex)


def _language(text: str, language: str | None) -> str | None:
    if language:
        lang = language.lower().split("-")[0].split("_")[0]
        return lang if lang in _languages() else None
    sample = text[:3000]
    return "en" if len(_EN_HINT.findall(sample)) > len(_DE_HINT.findall(sample)) else "de"


# -- candidate selection -------------------------------------------------------------------------


def _to_dict(c: Cand, text: str) -> dict[str, Any]:
    d: dict[str, Any] = {
        "start": c.start,
        "end": c.end,
        "text": text[c.start: c.end],
        "type": c.type,
        "value": c.value,
        "mod": c.mod,
        "anchor": "absolute",
        "tense": c.tense,
    }
    if c.rel is not None:
        d["relative"] = dict(c.rel)
    if c.parts:
        d["parts"] = [
            {k: v for k, v in _to_dict(p, text).items() if k in ("start", "end", "text", "type", "value", "relative", "anchor")}
            for p in c.parts
        ]
        d["range_end"] = c.parts[-1].value
    return d


def find_times(
    text: str,
    language: str | None,
    *,
    anchor: str | None = None,
    anchor_kind: str = "publication",
    genre: str = "news",
) -> list[dict[str, Any]]:
    """Time expressions in ``text`` (see the module docstring for the output).

    ``language``: ``de``, ``en`` or ``fr`` (None: ``de`` or ``en``, guessed from function words; a
    language without a lexicon yields ``[]``).  ``anchor``: the ISO date the
    relative expressions are resolved against (the publication date), or None
    to leave them unresolved; ``anchor_kind="inferred"`` marks values that rest
    on it with ``anchor_inferred: true``.  ``genre``: ``news`` or ``narrative``.
    """
    if anchor_kind not in ("publication", "inferred"):
        raise ValueError(f"anchor_kind must be 'publication' or 'inferred', not {anchor_kind!r}")
    if genre not in ("news", "narrative"):
        raise ValueError(f"genre must be 'news' or 'narrative', not {genre!r}")
    lang = _language(text, language)
    if lang is None or not text:
        return []
    narrative = genre == "narrative"
    pats, rules, tenses = _machinery(lang, narrative)
    low = text.lower()  # for the rules found by substring and for the event cues
    cands = scan(text, pats, rules, low)
    extend_left(text, cands, pats, rules)
    cands = ranges(text, cands, pats)
    after_readings(cands, narrative)
    ends = tenses.sentence_ends(text) if cands else ([], [])
    cache: dict[tuple[int, int, int, int], str | None] = {}
    for c in cands:
        c.tense = tenses.at(text, c.start, c.end, ends, cache)
        if c.duration_reading and c.rule == "ahead" and c.tense == "past":
            c.start, c.value, c.mod = c.duration_reading
            c.type, c.rel, c.point = "DURATION", None, False
        for x in [c, *c.parts]:
            if x.rel is not None:
                set_direction(x.rel, c.tense, narrative)
                if narrative and x.rel.get("ref") == "publication":
                    x.rel["ref"] = "previous"
    anchor_clock_times(cands, ends, narrative)
    items = link_events(text, [_to_dict(c, text) for c in cands], pats.lex, low=low)
    Resolver(anchor, anchor_kind == "inferred").run(items)
    return items


def resolve_times(
    times: Iterable[dict[str, Any]], anchor: str, *, anchor_kind: str = "publication"
) -> list[dict[str, Any]]:
    """New dicts with every relative expression resolved against ``anchor``.

    ``times`` is the whole list :func:`find_times` returned, in its order
    (anaphoric expressions refer to the ones before them, clock times may name
    another expression by its position).

    Expressions anchored on the previous date are re-resolved in order, so a
    chain (``am Mittwoch`` … ``am Tag darauf``) follows the new anchor.  With
    ``anchor_kind="inferred"`` values resting on the anchor get
    ``anchor_inferred: true``.
    """
    if anchor_kind not in ("publication", "inferred"):
        raise ValueError(f"anchor_kind must be 'publication' or 'inferred', not {anchor_kind!r}")
    out = []
    for t in times:
        d = dict(t)
        if "relative" in d:
            d["relative"] = dict(d["relative"])
        if "parts" in d:
            d["parts"] = [dict(p, relative=dict(p["relative"])) if "relative" in p else dict(p) for p in d["parts"]]
        out.append(d)
    Resolver(anchor, anchor_kind == "inferred").run(out)
    return out
