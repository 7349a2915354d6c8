"""From clues to one publication interval, a best guess and the evidence for both.

1. Bounds are taken greedily, most trusted kind first (:data:`WEIGHTS`); a bound
   that would leave no day between ``earliest`` and ``latest`` is left out.
2. Days named without a year ("am Donnerstag, 27. Juli", "zuletzt im März") are
   read in the one year the interval allows, if exactly one fits.
3. News-recency prior (``news_recency_days`` > 0, ``news_recency_month_days`` > 0):
   when the earliest bound is a past event day (month), the article is taken to
   be written within that many days of it (of the month's end).
4. The best guess: where the interval is closed and at most ``max_guess_days``
   wide, the day a clue points at (an anniversary, the day after a weekday
   event), else the day after the first weekday the text reports in the past
   ("am Mittwoch traf …") that lies in the interval, else ``earliest`` +
   ``guess_lag_days`` (news is written a day or so after the events it
   reports); never beyond ``latest``.  An open or wider interval gets no guess.

Evidence lists the bounds that decide ``earliest`` or ``latest`` (and the clue
behind the guess), each with its span in the clean text.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any, Mapping

from ._pubdate_clues import Bound, Clues, Yearless
from ...periods import iso

__all__ = ["combine"]


def _take(bounds: list[Bound]) -> tuple[date | None, date | None, list[Bound]]:
    lo: date | None = None
    hi: date | None = None
    used: list[Bound] = []
    order = sorted(
        enumerate(bounds),
        key=lambda ib: (-ib[1].weight, -(ib[1].lower.toordinal() if ib[1].lower else 0), ib[0]),
    )
    for _, b in order:
        nlo = max(lo, b.lower) if lo and b.lower else (lo or b.lower)
        nhi = min(hi, b.upper) if hi and b.upper else (hi or b.upper)
        if nlo and nhi and nlo > nhi:
            continue
        lo, hi = nlo, nhi
        used.append(b)
    return lo, hi, used


def _month_last(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _yearless_bounds(y: Yearless, lo: date, hi: date, settings: Mapping[str, Any]) -> list[Bound]:
    """Bounds from a day without a year, if exactly one year fits ``[lo, hi]``."""
    year_days = timedelta(days=365)
    fits: list[tuple[date, date, date]] = []
    for year in range(lo.year - 1, hi.year + 2):
        try:
            first = date(year, y.month, y.day or 1)
        except ValueError:
            continue
        last = first if y.day else _month_last(year, y.month)
        if y.weekday is not None and first.weekday() != y.weekday:
            continue
        if y.tense == "past":
            a, b = first, last + year_days
        elif y.tense == "future":
            a, b = first - year_days, last
        else:
            a, b = first - year_days, last + year_days
        if a <= hi and b >= lo:
            fits.append((first, last, max(a, lo)))
    if len(fits) != 1:
        return []
    first, last, _ = fits[0]
    out = []
    if y.tense == "past":
        out.append(Bound(first, last + year_days - timedelta(days=1), "yearless-date" if y.day else "last-month",
                         y.start, y.end, y.text, event="day" if y.day else "month"))
    elif y.tense == "future":
        out.append(Bound(first - year_days + timedelta(days=1), last, "yearless-date", y.start, y.end, y.text))
    if y.weekday is not None and y.day and y.tense in ("past", "future"):
        w = timedelta(days=int(settings["weekday_window_days"]))
        if y.tense == "past":
            out.append(Bound(first, first + w, "weekday-date", y.start, y.end, y.text, point=first + timedelta(days=1)))
        else:
            out.append(Bound(first - w, first, "weekday-date", y.start, y.end, y.text, point=first - timedelta(days=1)))
    return out


def _recency(used: list[Bound], lo: date | None, hi: date | None, day_days: int, month_days: int) -> Bound | None:
    """The news-recency prior: written within ``day_days`` of the latest past event day the text names
    (``month_days`` after the end of its month when only the month is known); None when off or not narrower."""
    if lo is None:
        return None
    binding = [b for b in used if b.lower == lo and b.event]
    day = [b for b in binding if b.event == "day"]
    if day and day_days > 0:
        b, upper = day[0], lo + timedelta(days=day_days)
    elif binding and not day and month_days > 0:
        b, upper = binding[0], _month_last(lo.year, lo.month) + timedelta(days=month_days)
    else:
        return None
    if hi is not None and hi <= upper:
        return None
    return Bound(None, upper, "news-recency", b.start, b.end, b.text)


def _weekday_guess(clues: Clues, lo: date, hi: date, lag: timedelta) -> tuple[date, Bound] | None:
    """The guess moved to just after the first weekday the text reports in the past ("am Mittwoch traf …").

    A weekday without a date bounds nothing (every week has one), but inside a
    known interval it says on which days the reported event can have happened:
    the guess becomes the first such day in the interval plus the usual lag.
    """
    past = [w for w in clues.weekdays if w[1] == "past"]
    if not past:
        return None
    weekday, _, start, end, text = past[0]
    first = lo + timedelta(days=(weekday - lo.weekday()) % 7)
    if first > hi:
        return None
    guess = min(first + lag, hi)
    return guess, Bound(None, None, "weekday-guess", start, end, text, point=guess)


def _evidence(b: Bound, lo: date | None, hi: date | None) -> dict[str, Any]:
    sides = [s for s, hit in (("earliest", b.lower is not None and b.lower == lo),
                               ("latest", b.upper is not None and b.upper == hi)) if hit]
    ev: dict[str, Any] = {}
    if b.start is not None and b.end is not None:
        ev.update(start=b.start, end=b.end)
    ev.update(text=b.text, reason=b.reason, bounds=sides or ["value"])
    if b.lower is not None:
        ev["earliest"] = iso(b.lower)
    if b.upper is not None:
        ev["latest"] = iso(b.upper)
    if b.via:
        ev["via"] = dict(b.via)
    return ev


def combine(clues: Clues, bounds: list[Bound], settings: Mapping[str, Any]) -> tuple[str | None, str | None, str | None, list[dict[str, Any]]]:
    """``(value, earliest, latest, evidence)`` from ``bounds`` and the yearless clues in ``clues``."""
    lo, hi, used = _take(bounds)
    if lo and hi and clues.yearless:
        extra = [b for y in clues.yearless for b in _yearless_bounds(y, lo, hi, settings)]
        if extra:
            lo, hi, used = _take(bounds + extra)
    rec = _recency(used, lo, hi, int(settings["news_recency_days"]), int(settings["news_recency_month_days"]))
    if rec is not None:
        lo, hi, used = _take([*used, rec])
    value: date | None = None
    point_from: Bound | None = None
    if lo and hi and (hi - lo).days <= int(settings["max_guess_days"]):
        pointed = [b for b in used if b.point is not None and lo <= b.point <= hi]
        lag = timedelta(days=int(settings["guess_lag_days"]))
        if pointed:
            point_from = max(pointed, key=lambda b: b.weight)
            value = point_from.point
        else:
            value = min(lo + lag, hi)
            wd = _weekday_guess(clues, lo, hi, lag)
            if wd is not None:
                value, point_from = wd
    evidence = []
    for b in used:
        binding = (b.lower is not None and b.lower == lo) or (b.upper is not None and b.upper == hi)
        if binding or b is point_from:
            evidence.append(_evidence(b, lo, hi))
    if point_from is not None and not any(b is point_from for b in used):
        evidence.append(_evidence(point_from, lo, hi))
    evidence.sort(key=lambda e: (e.get("start", -1), e["reason"]))
    return iso(value), iso(lo), iso(hi), evidence
