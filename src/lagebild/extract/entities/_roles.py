"""Who held a role over the article's publication interval (issue 3: ambiguity by time and context).

A bare title names a role of a state; :func:`resolve_role` picks its holder:

1. context: a person named in the article who held the role at any time in
   the interval (at any time at all when the date is unknown) — if exactly one;
2. time: the one KB holder whose term overlaps the interval, when that term
   covers the whole interval (a known date, or ``earliest``..``latest``);
3. otherwise no guess: the overlapping holders (all holders when the date is
   unknown) are returned as candidates of an ambiguous mention.

Partial dates are padded generously ("2024" → 2024-01-01 … 2024-12-31), so a
date near a change of office overlaps both terms and stays ambiguous.
"""

from __future__ import annotations

import calendar
from typing import Any, Iterable

__all__ = ["interval_of", "resolve_role"]

_LO, _HI = "0000-01-01", "9999-12-31"


def _pad_lo(d: str | None) -> str:
    if not d:
        return _LO
    d = d[:10]
    return d + "-01-01"[len(d) - 4 :] if len(d) < 10 else d


def _pad_hi(d: str | None) -> str:
    if not d:
        return _HI
    d = d[:10]
    if len(d) == 4:
        return d + "-12-31"
    if len(d) == 7 and d[:4].isdigit() and d[5:7].isdigit() and 1 <= int(d[5:7]) <= 12:
        return f"{d}-{calendar.monthrange(int(d[:4]), int(d[5:7]))[1]:02d}"
    return d


def interval_of(value: str | None, earliest: str | None = None, latest: str | None = None) -> tuple[str, str] | None:
    """The publication interval as padded ISO days: ``value`` if set, else
    ``earliest``..``latest`` (an open side stays open); ``None`` when no date is known."""
    if value:
        return _pad_lo(value), _pad_hi(value)
    if earliest or latest:
        return _pad_lo(earliest), _pad_hi(latest)
    return None


def _terms(kb: Any, eid: str, role: str, states: Iterable[str]) -> list[tuple[str, str]]:
    ent = kb.entities.get(eid)
    if ent is None:
        return []
    st = set(states)
    return [(_pad_lo(r.start), _pad_hi(r.end)) for r in ent.roles if r.title == role and r.of in st]


def resolve_role(
    kb: Any, role: str, states: list[str], span: tuple[str, str] | None, named: set[str]
) -> tuple[str | None, list[str]]:
    """``(holder, candidates)`` for role ``role`` of any of ``states`` over ``span``.

    ``holder`` is the one person the mention stands for (``None`` when it is
    not decided); ``candidates`` the KB holders it may stand for (empty when
    the KB knows nobody for that role, then there is no mention to make).
    """
    holders: list[str] = []
    for st in states:
        holders += [h for h in kb.role_holders(role, st, None) if h not in holders]
    if not holders:
        return None, []
    lo, hi = span if span is not None else (_LO, _HI)
    terms = {h: _terms(kb, h, role, states) for h in holders}
    overlapping = [h for h in holders if any(s <= hi and e >= lo for s, e in terms[h])]
    in_context = [h for h in overlapping if h in named]
    if len(in_context) == 1:
        return in_context[0], overlapping
    if span is not None and len(overlapping) == 1 and any(s <= lo and e >= hi for s, e in terms[overlapping[0]]):
        return overlapping[0], overlapping
    return None, overlapping or ([] if span is not None else holders)
