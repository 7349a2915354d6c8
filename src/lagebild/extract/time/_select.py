"""Candidate selection: trigger-driven rule matching, overlaps, left extensions,
ranges, and the readings that depend on neighbouring expressions."""

from __future__ import annotations

import bisect
import re
from typing import Iterator

from ._calendar import format_year, parse_value
from ._patterns import Patterns
from ._rules import Cand
from ._rules_relative import AllRules

__all__ = ["tokens", "scan", "extend_left", "ranges", "after_readings", "anchor_clock_times", "REFS", "PREP_MODS",
           "DAY"]

#: Values that are references, not calendar points.
REFS = ("PAST_REF", "PRESENT_REF", "FUTURE_REF")
#: mods from prepositions: such dates bound an interval, they do not move the narrative on
PREP_MODS = ("BEFORE", "AFTER", "EQUAL_OR_LESS", "EQUAL_OR_MORE")
DAY = re.compile(r"^-?(?:BC)?\d{4}-\d{2}-\d{2}")
_POD = re.compile(r"T[A-Z]{2}$")
#: rules whose durations start with their number (a quantifier before them is theirs)
_COUNTED = ("unit", "unitadj")
_REFS, _PREP_MODS, _DAY = REFS, PREP_MODS, DAY


def tokens(text: str, pats: Patterns) -> Iterator[re.Match[str]]:
    """What ``pats.finder.finditer(text)`` finds (each token in group ``t``), found faster.

    ``finder`` opens with a look-behind (no word character before the token),
    which ``re`` tries at every position of the text; ``finder_after`` consumes
    that non-word character instead, and ``re`` scans fast for a character
    class.  Every trigger word starts with a word character (so does a digit
    run), so the non-word character before a token is never part of the token
    before it: after a token at the text's start, both find the same tokens.
    """
    first = pats.finder.match(text)
    if first is not None:
        yield first
    yield from pats.finder_after.finditer(text, first.end() if first is not None else 0)


def scan(text: str, pats: Patterns, rules: AllRules, low: str | None = None) -> list[Cand]:
    """Candidates: each rule is tried only where a word that may start it stands.

    ``low``: ``text.lower()``, where the caller has it already.
    """
    out: list[Cand] = []
    compiled = pats.rules
    handlers = rules.handlers
    word_steps = rules.word_steps
    digit_steps = rules.digit_steps
    n = len(text)
    for tok in tokens(text, pats):
        pos = tok.start("t")
        digits = tok.group("d")
        if digits is None:
            steps = word_steps[tok.group("w")]
        else:
            end = tok.end()
            ch = text[end] if end < n else " "
            if ch.isalpha():
                key = "alpha"
            else:
                key = ch if ch in ".-:/,'" else "-" if ch in "\u2013\u2014" else "space"
            steps = digit_steps[key]
            if pos and text[pos - 1] in "'\u2019":
                pos -= 1
        for match, handler, name in steps:
            m = match(text, pos)
            if m is not None:
                c = handler(m, text)
                if c is not None and c.end > c.start:
                    c.rule = c.rule or name
                    out.append(c)
    if pats.scan_rules:
        if low is None:
            low = text.lower()
        for stems, rx, i in pats.scan_rules:
            if not any(map(low.__contains__, stems)):
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
                        c.rule = c.rule or compiled[i][0]
                        out.append(c)
    # longest first, then leftmost; keep what does not overlap a kept one
    out.sort(key=lambda c: (c.start - c.end, c.start))
    kept: list[Cand] = []
    used = bytearray(len(text) + 1)
    for c in out:
        if used.find(1, c.start, c.end) >= 0:
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


def extend_left(text: str, cands: list[Cand], pats: Patterns, rules: AllRules) -> None:
    clock_before = {w.lower() for w in rules.g("clock_before", [])}
    prev_end = 0
    for c in cands:
        window_start = max(prev_end, c.start - 60)
        before = text[window_start: c.start]
        if _coarse_point(c):  # part words extend DATE points coarser than a day ("Ende Mai")
            m = pats.search_left("left_part", before, 0, len(before))
            if m:
                c.mod = c.mod or rules.parts.get(" ".join(m["part"].lower().split()))
                c.start = window_start + m.start()
                before = text[window_start: c.start]
        if c.type in ("DATE", "TIME", "DURATION") and c.value not in _REFS:
            m = pats.search_left("left_approx", before, 0, len(before))
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
            m = pats.search_left("left_quant", before, 0, len(before))
            if m:
                c.mod = c.mod or rules._mod_of(m["q"])
                c.start = window_start + m.start()
                before = text[window_start: c.start]
        m = pats.search_left("left_during", before, 0, len(before)) if c.type in ("DATE", "TIME") else None
        if m:
            c.start = window_start + m.start()
            before = text[window_start: c.start]
        if c.point and c.value not in _REFS and not c.mod:
            m = pats.search_left("left_prep", before, 0, len(before))
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


def ranges(text: str, cands: list[Cand], pats: Patterns) -> list[Cand]:
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


def after_readings(cands: list[Cand], narrative: bool) -> None:
    """"nach zwei Tagen" is a date after an earlier date that precise, else a duration
    ("nach sechs Jahren Zusammenarbeit")."""
    last = None
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


def anchor_clock_times(cands: list[Cand], bounds: tuple[list[int], list[int]], narrative: bool) -> None:
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


