"""Calendar spans of TIMEX3-style values, for searching articles by date."""

from __future__ import annotations

import calendar
import datetime as _dt
import re

__all__ = ["value_span", "bound_span"]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(?:-WE)?$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|AU|WI)$")
_DECADE = re.compile(r"^(\d{3})X$")
_CENTURY = re.compile(r"^(\d{2})$")
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "AU": (9, 11), "WI": (12, 14)}


def _month_span(year: int, first: int, last: int) -> tuple[str, str]:
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    last_day = calendar.monthrange(end_year, end_month)[1]
    return f"{year:04d}-{first:02d}-01", f"{end_year:04d}-{end_month:02d}-{last_day:02d}"


def value_span(value: str | None) -> tuple[str, str] | None:
    """``(first_day, last_day)`` that a date value covers, or None (durations, refs, sets)."""
    if not value:
        return None
    try:
        if m := _DATE.match(value):
            year, month, day = int(m[1]), m[2], m[3]
            if day:
                d = _dt.date(year, int(month), int(day)).isoformat()
                return d, d
            if month:
                if not 1 <= int(month) <= 12:
                    return None
                return _month_span(year, int(month), int(month))
            return f"{year:04d}-01-01", f"{year:04d}-12-31"
        if m := _WEEK.match(value):
            monday = _dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday.isoformat(), (monday + _dt.timedelta(days=6)).isoformat()
        if m := _QUARTER.match(value):
            q = int(m[2])
            return _month_span(int(m[1]), 3 * q - 2, 3 * q)
        if m := _HALF.match(value):
            h = int(m[2])
            return _month_span(int(m[1]), 6 * h - 5, 6 * h)
        if m := _SEASON.match(value):
            first, last = _SEASON_MONTHS[m[2]]
            return _month_span(int(m[1]), first, last)
        if m := _DECADE.match(value):
            start = int(m[1]) * 10
            return f"{start:04d}-01-01", f"{start + 9:04d}-12-31"
        if m := _CENTURY.match(value):
            start = int(m[1]) * 100
            return f"{start:04d}-01-01", f"{start + 99:04d}-12-31"
    except ValueError:  # e.g. 2023-02-30, week 54
        return None
    return None


def bound_span(text: str) -> tuple[str, str]:
    """A user's ``--from``/``--to`` bound (``2024``, ``2024-01``, ``2024-01-15``) as a span.

    Raises ``ValueError`` with a message naming the accepted forms.
    """
    span = value_span(text.strip()) if _DATE.match(text.strip()) else None
    if span is None:
        raise ValueError(f"{text!r} is not a date — write YYYY, YYYY-MM or YYYY-MM-DD")
    return span
