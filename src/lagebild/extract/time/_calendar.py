"""Calendar values: parsing and formatting TIMEX3-style values, and resolving
relative descriptions (the ``relative`` dicts of :mod:`.tagger`) against a
reference value.

Value forms: ``2023-07-27``, ``2023-07-27T14:30``, ``2023-07-27TEV``,
``2023-07``, ``2023``, ``2023-W31``, ``2023-W31-WE``, ``2023-SU``, ``2023-Q2``,
``2023-H1``, ``195X`` (decade), ``19`` (century, the 1900s), ``BC0490``
(490 BC), and durations ``P3M``, ``PT2H``, ``P1Y6M``, ``PXD``.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass
from typing import Any, Mapping

__all__ = ["Point", "parse_value", "format_year", "duration_value", "resolve_relative", "SEASONS"]

#: Season codes in calendar order within a season-year (winter = December … February).
SEASONS = ("SP", "SU", "FA", "WI")
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}

_VALUE = re.compile(
    r"^(?P<bc>BC)?(?P<year>\d{4})"
    r"(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?|W(?P<week>\d{2})(?:-WE)?|(?P<season>SP|SU|FA|WI)"
    r"|Q(?P<quarter>[1-4])|H(?P<half>[12])))?(?:T.*)?$"
)


@dataclass(slots=True, frozen=True)
class Point:
    """A calendar value split into fields (``year`` < 0 is BC); frozen, as :func:`parse_value` shares them."""

    year: int
    month: int | None = None
    day: int | None = None
    week: int | None = None
    season: str | None = None
    quarter: int | None = None
    half: int | None = None

    def date(self) -> _dt.date | None:
        if self.year > 0 and self.month and self.day:
            try:
                return _dt.date(self.year, self.month, self.day)
            except ValueError:
                return None
        if self.year > 0 and self.week:
            try:
                return _dt.date.fromisocalendar(self.year, self.week, 1)
            except ValueError:
                return None
        return None

    @property
    def month_index(self) -> int | None:
        """Month of the point, or the first month of its season/quarter/half."""
        if self.month:
            return self.month
        if self.season:
            return _SEASON_START[self.season]
        if self.quarter:
            return 3 * self.quarter - 2
        if self.half:
            return 6 * self.half - 5
        d = self.date()
        return d.month if d else None


def parse_value(value: str | None) -> Point | None:
    """The fields of a date value with at least a year (None for anything else).

    Remembered per value: the tagger, the resolver and the date inference ask
    again and again about the same few values.
    """
    return _parse_value(value) if value else None


@functools.lru_cache(maxsize=20_000)
def _parse_value(value: str) -> Point | None:
    m = _VALUE.match(value)
    if not m:
        return None
    year = int(m["year"]) * (-1 if m["bc"] else 1)
    if year == 0:
        return None
    return Point(
        year=year,
        month=int(m["month"]) if m["month"] else None,
        day=int(m["day"]) if m["day"] else None,
        week=int(m["week"]) if m["week"] else None,
        season=m["season"],
        quarter=int(m["quarter"]) if m["quarter"] else None,
        half=int(m["half"]) if m["half"] else None,
    )


def format_year(year: int) -> str:
    return f"BC{-year:04d}" if year < 0 else f"{year:04d}"


def _add_years(year: int, n: int) -> int:
    out = year + n
    if year > 0 >= out:
        out -= 1  # there is no year 0
    elif year < 0 <= out:
        out += 1
    return out


def _valid(year: int, month: int, day: int) -> bool:
    try:
        _dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _fmt_date(d: _dt.date) -> str:
    return d.isoformat()


def _fmt_week(d: _dt.date, suffix: str = "") -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}{suffix}"


_FRACTION_DOWN = {
    "Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60), "DE": ("Y", 10), "CE": ("DE", 10),
}


def duration_value(n: float | str, unit: str) -> str:
    """ISO-8601/TIMEX3 duration for ``n`` ``unit``\\ s (``n == "X"``: unspecified)."""
    if unit == "Q":
        return duration_value(n * 3 if not isinstance(n, str) else n, "M")
    if unit == "WE":
        unit, n = "D", (2 * n if not isinstance(n, str) else n)
    time_unit = unit in ("H", "MIN", "S")
    code = {"MIN": "M"}.get(unit, unit)
    if isinstance(n, str):
        return ("PT" if time_unit else "P") + f"{n}{code}"
    whole = int(n)
    frac = n - whole
    if frac and unit in _FRACTION_DOWN:
        small, factor = _FRACTION_DOWN[unit]
        rest = round(frac * factor)
        if whole == 0:
            return duration_value(rest, small)
        if small in ("H", "MIN") and not time_unit:
            return f"P{whole}{code}T{rest}{'M' if small == 'MIN' else 'H'}"
        return f"P{whole}{code}{rest}{'M' if small == 'MIN' else small}".replace("PT", "P")
    if time_unit:
        return f"PT{whole}{code}"
    return f"P{whole}{code}"


# -- resolving relative descriptions -----------------------------------------------------------


def _shift(ref: Point, unit: str, n: float, fixed_day: str | None = None) -> str | None:
    """``ref`` moved by ``n`` ``unit``\\ s, formatted at the unit's granularity."""
    if n != int(n):
        if unit in _FRACTION_DOWN:
            small, factor = _FRACTION_DOWN[unit]
            return _shift(ref, small, round(n * factor))
        return None
    n = int(n)
    d = ref.date()
    if unit == "Y":
        y = _add_years(ref.year, n)
        return f"{format_year(y)}-{fixed_day}" if fixed_day else format_year(y)
    if unit == "DE":
        if ref.year < 0:
            return None
        return f"{ref.year // 10 + n:03d}X"
    if unit == "CE":
        if ref.year < 0:
            return None
        return f"{ref.year // 100 + n:02d}"
    if unit in ("M", "Q", "H"):
        mi = ref.month_index
        if mi is None or ref.year < 0:
            return format_year(ref.year) if n == 0 else None
        step = {"M": 1, "Q": 3, "H": 6}[unit]
        total = ref.year * 12 + (mi - 1) + n * step
        y, m0 = divmod(total, 12)
        if unit == "M":
            return f"{y:04d}-{m0 + 1:02d}"
        if unit == "Q":
            return f"{y:04d}-Q{m0 // 3 + 1}"
        return f"{y:04d}-H{m0 // 6 + 1}"
    if d is None:
        return None
    if unit == "D":
        return _fmt_date(d + _dt.timedelta(days=n))
    if unit == "W":
        return _fmt_week(d + _dt.timedelta(weeks=n))
    if unit == "WE":
        return _fmt_week(d + _dt.timedelta(weeks=n), "-WE")
    if unit in ("H", "MIN", "S"):
        return _fmt_date(d)
    return None


def _weekend(d: _dt.date, offset: int, direction: int | None) -> str:
    weekend_now = d.isoweekday() >= 6
    if offset < 0:
        weeks = -1 if not weekend_now else -1
    elif offset > 0:
        weeks = 0 if not weekend_now else 1
    elif direction is not None and direction < 0 and not weekend_now:
        weeks = -1
    else:
        weeks = 0
    return _fmt_week(d + _dt.timedelta(weeks=weeks), "-WE")


def _weekday(d: _dt.date, weekday: int, direction: int | None, strict: bool) -> _dt.date:
    back = (d.isoweekday() - weekday) % 7
    fwd = (weekday - d.isoweekday()) % 7
    if strict:
        back = back or 7
        fwd = fwd or 7
    if direction is not None and direction < 0:
        return d - _dt.timedelta(days=back)
    if direction is not None and direction > 0:
        return d + _dt.timedelta(days=fwd)
    return d - _dt.timedelta(days=back) if back <= fwd else d + _dt.timedelta(days=fwd)


def _pick_year(ref: Point, key: tuple[int, int], direction: int | None, strict: bool = False) -> int:
    """The year for a (month, day) ``key`` seen from ``ref`` in ``direction``
    (``strict``: a month-only key never means the reference's own month)."""
    y = ref.year
    if ref.month_index is None or direction is None:
        return y
    here = (ref.month_index, ref.day or (1 if key[1] > 0 else 0))
    if strict and not key[1]:
        here = (ref.month_index, 0)
        if direction < 0:
            return y if key < here else _add_years(y, -1)
        if direction > 0:
            return y if key > here else _add_years(y, 1)
    if direction < 0:
        return y if key <= here else _add_years(y, -1)
    if direction > 0:
        return y if key >= here else _add_years(y, 1)
    # nearest: compare in months (days as fractions)
    def dist(cy: int) -> float:
        return abs((cy - y) * 12 + (key[0] - here[0]) + (key[1] - here[1]) / 31)

    return min((y, _add_years(y, -1), _add_years(y, 1)), key=dist)


def _season(ref: Point, season: str, direction: int | None, strict: bool = False) -> str:
    if ref.month_index is None or direction is None:
        return f"{format_year(ref.year)}-{season}"
    m = ref.month_index
    cur_year = ref.year if m >= 3 else _add_years(ref.year, -1)
    cur_k = {3: 0, 4: 0, 5: 0, 6: 1, 7: 1, 8: 1, 9: 2, 10: 2, 11: 2}.get(m, 3)
    k = SEASONS.index(season)
    now = cur_year * 4 + cur_k
    cands = [(cur_year + dy) * 4 + k for dy in (-1, 0, 1)]
    if direction < 0:
        best = max(c for c in cands if c < now or (c == now and not strict))
    elif direction > 0:
        best = min(c for c in cands if c > now or (c == now and not strict))
    else:
        best = min(cands, key=lambda c: (abs(c - now), c > now))
    return f"{format_year(best // 4)}-{season}"


def _decade(ref: Point, digit: int, direction: int | None) -> str | None:
    if ref.year < 0:
        return None
    century = ref.year // 100
    starts = [(century + dc) * 100 + digit * 10 for dc in (-1, 0, 1)]
    if direction is not None and direction > 0:
        best = min(s for s in starts if s + 9 >= ref.year)
    else:
        best = max(s for s in starts if s <= ref.year)
    return f"{best // 10:03d}X"


def _year2(ref: Point, yy: int) -> int:
    if ref.year < 0:
        return yy
    century = ref.year // 100
    return min(((century + dc) * 100 + yy for dc in (-1, 0, 1)), key=lambda y: abs(y - ref.year))


def _with_time(base: str | None, spec: Mapping[str, Any]) -> str | None:
    if "time" not in spec and "pod" not in spec:
        return base
    if base is None or not re.match(r"^\d{4}-\d{2}-\d{2}$", base):
        date_part = "XXXX-XX-XX" if base is None else None
        if date_part is None:
            return base  # a coarse date: keep it without the time
        base = date_part
    tail = spec.get("time") or spec.get("pod")
    return f"{base}T{tail}{spec.get('tz') or ''}"


def resolve_relative(spec: Mapping[str, Any], ref_value: str | None) -> str | None:
    """The value of a relative description seen from ``ref_value`` (None if it cannot be resolved)."""
    ref = parse_value(ref_value)
    if ref is None:
        return None
    direction = spec.get("direction")
    if "weekday" in spec:
        d = ref.date()
        if d is None:
            return None
        day = _weekday(d, int(spec["weekday"]), direction, bool(spec.get("strict")))
        if spec.get("night_before"):
            day -= _dt.timedelta(days=1)
        return _with_time(_fmt_date(day), spec)
    if "month" in spec or "holiday" in spec:
        month = int(spec.get("month") or int(spec["holiday"][:2]))
        day_of = int(spec.get("day") or (spec["holiday"][3:] if "holiday" in spec else 0) or 0)
        if "year_offset" in spec:
            year = _add_years(ref.year, int(spec["year_offset"]))
        else:
            year = _pick_year(ref, (month, day_of), direction, bool(spec.get("strict")))
            step = -1 if direction is not None and direction < 0 else 1
            for _ in range(8):  # 29 February: the nearest leap year in that direction
                if not day_of or year < 0 or _valid(year, month, day_of):
                    break
                year = _add_years(year, step)
        base = f"{format_year(year)}-{month:02d}" + (f"-{day_of:02d}" if day_of else "")
        return _with_time(base, spec)
    if "season" in spec:
        if "year_offset" in spec:
            return f"{format_year(_add_years(ref.year, int(spec['year_offset'])))}-{spec['season']}"
        return _season(ref, str(spec["season"]), direction, bool(spec.get("strict")))
    if "quarter" in spec or "half" in spec:
        code, n = ("Q", spec["quarter"]) if "quarter" in spec else ("H", spec["half"])
        year = ref.year
        if direction is not None and ref.month_index is not None:
            size = 3 if code == "Q" else 6
            now = (ref.month_index - 1) // size + 1
            if direction < 0 and n > now:
                year = _add_years(year, -1)
            elif direction > 0 and n < now:
                year = _add_years(year, 1)
        return f"{format_year(year)}-{code}{n}"
    if "decade" in spec:
        return _decade(ref, int(spec["decade"]), direction)
    if "year2" in spec:
        base = f"{_year2(ref, int(spec['year2'])):04d}"
        if spec.get("month_of"):
            base += f"-{int(spec['month_of']):02d}" + (f"-{int(spec['day_of']):02d}" if spec.get("day_of") else "")
        return _with_time(base, spec)
    if "unit" in spec:
        unit, n = str(spec["unit"]), spec.get("offset", 0)
        if unit == "WE":
            d = ref.date()
            return _weekend(d, int(n), direction) if d else None
        return _with_time(_shift(ref, unit, n, spec.get("fixed_day")), spec)
    # a time or part of day on the reference day
    d = ref.date()
    return _with_time(_fmt_date(d) if d and ref.day else None, spec)
