"""TIMEX3-style values as calendar periods, shared by the time layer and the store.

A TIMEX3-style value (``2023-07-27``, ``2024-05``, ``2022``, ``2023-W31``,
``2024-Q1``, ``2024-H2``, ``2024-SU``, ``195X``, ``19`` (the 1900s), ``2023-07-27T10:00``) names a
*period*; :func:`period` gives its first and last day.  ``mod`` START/MID/END
narrows a period to its first, middle or last third.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

__all__ = ["period", "precision", "iso", "parse_iso", "shift_years", "days"]

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(?:-WE)?$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|AU|WI)$")
_DECADE = re.compile(r"^(\d{3})X$")
_CENTURY = re.compile(r"^(\d{2})(?:XX)?$")

#: Season → (first month, last month); winter runs into the next year.
_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "AU": (9, 11), "WI": (12, 14)}


def _month_end(y: int, m: int) -> date:
    while m > 12:
        y, m = y + 1, m - 12
    return date(y, m, calendar.monthrange(y, m)[1])


def _raw_period(value: str) -> tuple[date, date, str] | None:
    if m := _DAY.match(value):
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return d, d, "day"
    if m := _MONTH.match(value):
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, 1), _month_end(y, mo), "month"
    if m := _YEAR.match(value):
        y = int(m[1])
        return date(y, 1, 1), date(y, 12, 31), "year"
    if m := _WEEK.match(value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return monday, monday + timedelta(days=6), "week"
    if m := _QUARTER.match(value):
        y, q = int(m[1]), int(m[2])
        return date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "quarter"
    if m := _HALF.match(value):
        y, h = int(m[1]), int(m[2])
        return date(y, 6 * h - 5, 1), _month_end(y, 6 * h), "half"
    if m := _SEASON.match(value):
        y = int(m[1])
        first, last = _SEASONS[m[2]]
        return date(y, first, 1), _month_end(y, last), "season"
    if m := _DECADE.match(value):
        y = int(m[1]) * 10
        return date(y, 1, 1), date(y + 9, 12, 31), "decade"
    if m := _CENTURY.match(value):
        y = int(m[1]) * 100
        return date(y, 1, 1), date(y + 99, 12, 31), "century"
    return None


def period(value: str | None, mod: str | None = None) -> tuple[date, date] | None:
    """First and last day of the period ``value`` names (None if it names none).

    ``mod`` START/MID/END keeps the first, middle or last third of the period;
    other modifiers leave it whole.
    """
    if not value or not isinstance(value, str):
        return None
    try:
        raw = _raw_period(value.strip())
    except ValueError:  # 2023-02-30, week 54 …
        return None
    if raw is None:
        return None
    first, last, _ = raw
    span = (last - first).days
    if mod in ("START", "MID", "END") and span >= 2:
        third = span // 3
        if mod == "START":
            last = first + timedelta(days=third)
        elif mod == "END":
            first = last - timedelta(days=third)
        else:
            first, last = first + timedelta(days=third), last - timedelta(days=third)
    return first, last


def precision(value: str | None) -> str | None:
    """``day``, ``week``, ``month``, ``quarter``, ``half``, ``season``, ``year``, ``decade``, ``century``."""
    if not value or not isinstance(value, str):
        return None
    try:
        raw = _raw_period(value.strip())
    except ValueError:
        return None
    return raw[2] if raw else None


def iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def parse_iso(text: str | None) -> date | None:
    """The day an ISO date or datetime string falls on (None if unreadable)."""
    if not text:
        return None
    m = _DAY.match(text.strip())
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    p = period(text)
    return p[0] if p else None


def shift_years(d: date, years: int) -> date:
    """``d`` moved by whole years (29 February becomes 28 February)."""
    y = d.year + years
    try:
        return d.replace(year=y)
    except ValueError:
        return d.replace(year=y, day=28)


def days(n: int) -> timedelta:
    return timedelta(days=n)
