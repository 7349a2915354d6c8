"""The German/English temporal tagger: :func:`find_times` and :func:`resolve_times`.

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
  and direction phrases (``den 1950er Jahren``, ``das kommende Jahr``), part
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
  ``zwei Tage später``, clock times) or ``absolute``.
* **Direction** of weekdays, yearless dates, months and seasons follows the
  clause tense: past → the latest one on or before the anchor (the anchor day
  itself included: agency copy says "am Donnerstag" on that Thursday), future →
  the earliest on or after it, present → the nearest.  Explicit words are
  strict: ``letzten Donnerstag`` is before the anchor day, ``nächsten
  Donnerstag`` after it.  ``in zwei Tagen`` is a date ahead of the anchor, but a
  duration in a past clause or with a quantifier (``in weniger als drei
  Monaten`` = ``P3M`` ``LESS_THAN``).
* ``genre="narrative"`` (history writing, e.g. WikiWarsDE) resolves every
  relative expression against the last mentioned date (a yearless ``27. Juli``
  takes the year being narrated) and reads ``heute`` as ``PRESENT_REF``.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Any, Iterable

from ._calendar import format_year, parse_value, resolve_relative
from ._lexicon import _languages
from ._patterns import Patterns, patterns_for
from ._rules import TENSE, Cand
from ._rules_relative import AllRules
from ._tense import TenseDetector

__all__ = ["find_times", "resolve_times", "TYPES", "MODS"]

#: Expression types.
TYPES = ("DATE", "TIME", "DURATION", "SET")
#: ``mod`` values.
MODS = ("START", "MID", "END", "APPROX", "BEFORE", "AFTER", "LESS_THAN", "MORE_THAN", "EQUAL_OR_LESS", "EQUAL_OR_MORE")
_REFS = ("PAST_REF", "PRESENT_REF", "FUTURE_REF")
#: mods from prepositions: such dates bound an interval, they do not move the narrative on
_PREP_MODS = ("BEFORE", "AFTER", "EQUAL_OR_LESS", "EQUAL_OR_MORE")
_DAY = re.compile(r"^-?(?:BC)?\d{4}-\d{2}-\d{2}")
_POD = re.compile(r"T[A-Z]{2}$")
#: rules whose durations start with their number (a quantifier before them is theirs)
_COUNTED = ("unit", "unitadj")
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


_TOKEN = re.compile(r"\w+")


def _scan(text: str, pats: Patterns, rules: AllRules) -> list[Cand]:
    """Candidates: each rule is tried only where a word that may start it stands."""
    out: list[Cand] = []
    compiled = pats.rules
    handlers = rules.handlers
    triggers = pats.triggers
    digit_rules = pats.digit_rules
    n = len(text)
    for tok in pats.finder.finditer(text):
        pos = tok.start()
        digits = tok.group("d")
        if digits is None:
            idx: tuple[int, ...] | None = triggers[tok.group("w")]
        else:
            end = tok.end()
            ch = text[end] if end < n else " "
            if ch.isalpha():
                key = "alpha"
            else:
                key = ch if ch in ".-:/,'" else "-" if ch in "\u2013\u2014" else "space"
            idx = digit_rules[key]
            if pos and text[pos - 1] in "'\u2019":
                pos -= 1
        if not idx:
            continue
        for i in idx:
            m = compiled[i][1].match(text, pos)
            if m is not None:
                c = handlers[i](m, text)
                if c is not None and c.end > c.start:
                    c.rule = compiled[i][0]
                    out.append(c)
    if pats.scan_rules:
        low = text.lower()
        for stems, rx, i in pats.scan_rules:
            if not any(st in low for st in stems):
                continue
            for hit in rx.finditer(low):
                j = hit.start()
                while j > 0 and text[j - 1].isalpha():
                    j -= 1
                if j > 0 and text[j - 1] == "-":
                    j -= 1
                while j > 0 and text[j - 1].isdigit():
                    j -= 1
                m = compiled[i][1].match(text, j)
                if m is not None:
                    c = handlers[i](m, text)
                    if c is not None and c.end > c.start:
                        c.rule = compiled[i][0]
                        out.append(c)
    # longest first, then leftmost; keep what does not overlap a kept one
    out.sort(key=lambda c: (-c.length, c.start))
    kept: list[Cand] = []
    used = bytearray(len(text) + 1)
    for c in out:
        if any(used[c.start: c.end]):
            continue
        kept.append(c)
        used[c.start: c.end] = b"\x01" * (c.end - c.start)
    kept.sort(key=lambda c: c.start)
    return kept


def _coarse_point(c: Cand) -> bool:
    """A DATE point coarser than a day (may take a part word: "Ende Mai")."""
    if not c.point or c.type != "DATE":
        return False
    if c.value is not None:
        return not _DAY.match(c.value) and c.value not in _REFS
    rel = c.rel or {}
    return "day" not in rel and "weekday" not in rel and rel.get("unit") not in ("D", "W", "WE")


def _extend_left(text: str, cands: list[Cand], pats: Patterns, rules: AllRules) -> None:
    clock_before = {w.lower() for w in rules.g("clock_before", [])}
    prev_end = 0
    for c in cands:
        window_start = max(prev_end, c.start - 60)
        before = text[window_start: c.start]
        if _coarse_point(c) or (c.type == "TIME" and (c.rel or {}).get("pod")):
            m = pats.left_part.search(before)
            if m and c.type == "DATE":
                c.mod = c.mod or rules.parts.get(" ".join(m["part"].lower().split()))
                c.start = window_start + m.start()
                before = text[window_start: c.start]
        if c.type in ("DATE", "TIME", "DURATION") and c.value not in _REFS:
            m = pats.left_approx.search(before)
            if m:
                word = m["a"].lower()
                has_pod = bool((c.rel or {}).get("pod")) or bool(c.value and _POD.search(c.value))
                if c.type == "TIME":
                    ok = has_pod or word not in clock_before
                elif c.type == "DURATION":
                    ok = word not in clock_before and c.rule in _COUNTED
                else:
                    ok = _coarse_point(c) or word not in clock_before
                if ok:
                    c.mod = c.mod or "APPROX"
                    c.start = window_start + m.start()
                    before = text[window_start: c.start]
        if c.type == "DURATION" and c.rule in _COUNTED:
            m = pats.left_quant.search(before)
            if m:
                c.mod = c.mod or rules._mod_of(m["q"])
                c.start = window_start + m.start()
                before = text[window_start: c.start]
        m = pats.left_during.search(before)
        if m and c.type in ("DATE", "TIME"):
            c.start = window_start + m.start()
            before = text[window_start: c.start]
        if c.point and c.value not in _REFS and not c.mod:
            m = pats.left_prep.search(before)
            if m:
                c.mod = rules.T("prepositions").get(" ".join(m["p"].lower().split()))
        prev_end = c.end


def _fill_year(a: Cand, b: Cand) -> None:
    """A yearless range start takes the end's year ("Mai bis Juli 2024")."""
    rel = a.rel or {}
    pb = parse_value(b.value) if b.value else None
    if "month" not in rel or "year_offset" in rel or pb is None:
        return
    bm = pb.month_index or 12
    year = pb.year if rel["month"] <= bm else pb.year - 1
    a.value = f"{format_year(year)}-{int(rel['month']):02d}" + (f"-{int(rel['day']):02d}" if rel.get("day") else "")
    a.rel = None


def _ranges(text: str, cands: list[Cand], pats: Patterns) -> list[Cand]:
    out: list[Cand] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        b = cands[i + 1] if i + 1 < len(cands) else None
        if (b is not None and a.type == "DATE" == b.type and a.value not in _REFS and b.value not in _REFS
                and not a.parts and b.start - a.end <= 12):
            between = text[a.end: b.start]
            opener = pats.left_range_open.search(text[max(0, a.start - 20): a.start])
            if pats.range_between.match(between) or (opener and pats.range_between_open.match(between)):
                _fill_year(a, b)
                start = a.start - (len(text[max(0, a.start - 20): a.start]) - opener.start()) if opener else a.start
                mod = a.mod if a.mod not in _PREP_MODS else None
                out.append(Cand(start, b.end, "DATE", a.value, a.rel, mod, "range", True, parts=[a, b]))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


_GRAN = {"D": 3, "W": 3, "WE": 3, "M": 2, "Q": 2, "H": 2, "Y": 1}


def _granularity(c: Cand) -> int:
    """3 day, 2 month, 1 year, 0 coarser — of a DATE candidate."""
    if c.value is not None:
        if _DAY.match(c.value):
            return 3
        p = parse_value(c.value)
        return 0 if p is None else 2 if p.month_index else 1
    rel = c.rel or {}
    if "day" in rel or "weekday" in rel or "day_of" in rel:
        return 3
    if "unit" in rel:
        return _GRAN.get(str(rel["unit"]), 0)
    return 2 if ("month" in rel or "season" in rel or "quarter" in rel or "half" in rel) else 0


def _after_readings(cands: list[Cand], narrative: bool) -> None:
    """"nach zwei Tagen" is a date after a date that precise, else a duration."""
    last = None if narrative else 3
    for c in cands:
        if c.rule == "after" and c.duration_reading:
            need = _GRAN.get(str((c.rel or {}).get("unit")), 3)
            if last is None or last < need:
                c.start, c.value, c.mod = c.duration_reading
                c.type, c.rel, c.point = "DURATION", None, False
                continue
        if c.type in ("DATE", "TIME") and c.value not in _REFS and c.mod not in _PREP_MODS:
            g = _granularity(c.parts[0] if c.parts else c)
            if g:
                last = g


def _anchor_clock_times(cands: list[Cand], bounds: tuple[list[int], list[int]], narrative: bool) -> None:
    """A clock time or part of day belongs to a day named in its sentence ("um 15 Uhr am Freitag");
    without one, to the publication day (news) or the last day mentioned (narrative)."""
    starts = bounds[0]
    for i, c in enumerate(cands):
        rel = c.rel
        if rel is None or rel.get("ref") != "day":
            continue
        j = bisect.bisect_left(starts, c.start)
        s0 = starts[j - 1] if j else 0
        s1 = starts[j] if j < len(starts) else 1 << 60
        best = None
        for k, d in enumerate(cands):
            if k == i or d.type != "DATE" or d.value in _REFS or not (s0 <= d.start < s1):
                continue
            if _granularity(d) != 3:
                continue
            gap = d.start - c.end if d.start >= c.end else c.start - d.end
            if best is None or gap < best[0]:
                best = (gap, k)
        if best is not None:
            rel["ref"], rel["index"] = "expression", best[1]
        elif not narrative:
            rel["ref"] = "publication"


# -- resolution ------------------------------------------------------------------------------------


def _direction(rel: dict[str, Any], tense: str | None, narrative: bool) -> None:
    if rel.get("direction") != TENSE:
        return
    if narrative:
        rel["direction"] = 0 if "weekday" in rel else None
    else:
        rel["direction"] = {"past": -1, "future": 1}.get(tense or "", 0)


def _unresolved(rel: dict[str, Any]) -> str | None:
    if "month" in rel and "year_offset" not in rel:
        v = f"XXXX-{int(rel['month']):02d}" + (f"-{int(rel['day']):02d}" if rel.get("day") else "")
    elif "holiday" in rel:
        v = f"XXXX-{rel['holiday']}"
    elif "season" in rel and "year_offset" not in rel:
        v = f"XXXX-{rel['season']}"
    elif "time" in rel or "pod" in rel:
        return f"XXXX-XX-XXT{rel.get('time') or rel.get('pod')}{rel.get('tz') or ''}"
    else:
        return None
    if "pod" in rel or "time" in rel:
        v += f"T{rel.get('time') or rel.get('pod')}"
    return v


class _Resolver:
    """Resolves relative expressions in text order, tracking the last mentioned date."""

    def __init__(self, anchor: str | None, inferred: bool) -> None:
        self.anchor = _norm_anchor(anchor)
        self.inferred = inferred
        self.last: tuple[str, bool] | None = None  # (value, rests on an inferred anchor)
        self.last_day: tuple[str, bool] | None = None
        self.items: list[dict[str, Any]] = []
        self.pos = 0

    def run(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        deferred: list[dict[str, Any]] = []
        for i, item in enumerate(items):
            self.pos = i
            for x in item.get("parts") or [item]:
                x.setdefault("type", item.get("type"))
                rel = x.get("relative")
                if rel and rel.get("ref") == "expression" and int(rel.get("index", -1)) > i:
                    deferred.append(x)  # "um 15 Uhr am Freitag": resolved once Friday is
                    continue
                self._one(x)
            if item.get("parts"):
                self._range(item)
        for x in deferred:
            self._one(x)

    def _base(self, rel: dict[str, Any]) -> tuple[str | None, bool, str]:
        ref = rel.get("ref", "publication")
        if ref == "expression":
            k = int(rel.get("index", -1))
            v = self.items[k].get("value") if 0 <= k < len(self.items) else None
            if v and _DAY.match(v):
                return v[:10], bool(self.items[k].get("anchor_inferred")), "previous"
            return self.anchor, self.inferred, "publication"
        src = self.last if ref == "previous" else self.last_day if ref == "day" else None
        if src is not None:
            return src[0], src[1], "previous"
        return self.anchor, self.inferred, "publication"

    def _one(self, item: dict[str, Any]) -> None:
        rel = item.get("relative")
        if rel is None:
            self._note(item, False)
            return
        base, dep, used = self._base(rel)
        if base is None:
            used = "publication" if rel.get("ref", "publication") == "publication" else "previous"
        if "year_num" in rel or "decade_num" in rel:
            p = parse_value(base)
            bc = p is not None and p.year < 0
            n = int(rel.get("year_num") or rel.get("decade_num") or 0)
            item["value"] = (("BC" if bc else "") + f"{n:03d}X") if "decade_num" in rel else format_year(-n if bc else n)
            item["anchor"] = used if bc else "absolute"
            dep = dep and bc
        else:
            value = resolve_relative(rel, base) if base else None
            item["value"] = value if value is not None or base else _unresolved(rel)
            item["anchor"] = used
        if self.inferred and base is not None and dep:
            item["anchor_inferred"] = True
        else:
            item.pop("anchor_inferred", None)
        self._note(item, bool(base is not None and dep))

    def _note(self, item: dict[str, Any], dep: bool) -> None:
        """Remember the item's value as the last mentioned date, unless it only looks back or bounds."""
        value = item.get("value")
        if item.get("type") not in ("DATE", "TIME") or not value or value in _REFS:
            return
        if item.get("mod") in _PREP_MODS:
            return
        rel = item.get("relative") or {}
        back = min(float(rel.get("offset", 0) or 0), float(rel.get("year_offset", 0) or 0)) < 0
        if back and rel.get("ref") == "previous":
            return
        if parse_value(value) is None:
            return
        self.last = (value, dep)
        if _DAY.match(value):
            self.last_day = (value[:10], dep)

    def _range(self, item: dict[str, Any]) -> None:
        parts = item["parts"]
        first = parts[0]
        if first.get("value") and parse_value(first["value"]):
            self.last = (first["value"], bool(first.get("anchor_inferred")))
        item["value"] = first.get("value")
        item["range_end"] = parts[-1].get("value")
        item["anchor"] = first.get("anchor", "absolute")
        if any(p.get("anchor_inferred") for p in parts):
            item["anchor_inferred"] = True
        else:
            item.pop("anchor_inferred", None)


def _norm_anchor(anchor: str | None) -> str | None:
    if not anchor:
        return None
    a = anchor.strip().replace(" ", "T")
    return a if parse_value(a) else None


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

    ``language``: ``de`` or ``en`` (None: guessed from function words; a
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
    cands = _scan(text, pats, rules)
    _extend_left(text, cands, pats, rules)
    cands = _ranges(text, cands, pats)
    _after_readings(cands, narrative)
    ends = tenses.sentence_ends(text) if cands else ([], [])
    cache: dict[tuple[int, int, int, int], str | None] = {}
    for c in cands:
        c.tense = tenses.at(text, c.start, c.end, ends, cache)
        if c.duration_reading and c.rule == "ahead" and c.tense == "past":
            c.start, c.value, c.mod = c.duration_reading
            c.type, c.rel, c.point = "DURATION", None, False
        for x in [c, *c.parts]:
            if x.rel is not None:
                _direction(x.rel, c.tense, narrative)
                if narrative and x.rel.get("ref") == "publication":
                    x.rel["ref"] = "previous"
    _anchor_clock_times(cands, ends, narrative)
    items = [_to_dict(c, text) for c in cands]
    _Resolver(anchor, anchor_kind == "inferred").run(items)
    return items


def resolve_times(
    times: Iterable[dict[str, Any]], anchor: str, *, anchor_kind: str = "publication"
) -> list[dict[str, Any]]:
    """New dicts with every relative expression resolved against ``anchor``.

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
    _Resolver(anchor, anchor_kind == "inferred").run(out)
    return out
