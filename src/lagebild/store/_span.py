"""Calendar spans of time values as ISO strings, for storing and searching by date.

The calendar arithmetic lives in :mod:`lagebild.periods` (shared with the time
layer); this module only turns its periods into the ``first_day``/``last_day``
strings of the ``times`` table and reads a user's ``--from``/``--to`` bounds.
"""

from __future__ import annotations

import re

from ..periods import period

__all__ = ["value_span", "bound_span"]

#: What a user may write as a search bound: ``2024``, ``2024-01`` or ``2024-01-15``.
_BOUND = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def value_span(value: str | None) -> tuple[str, str] | None:
    """``(first_day, last_day)`` that a date value covers, or None (durations, refs, sets)."""
    days = period(value)
    return (days[0].isoformat(), days[1].isoformat()) if days else None


def bound_span(text: str) -> tuple[str, str]:
    """A user's ``--from``/``--to`` bound (``2024``, ``2024-01``, ``2024-01-15``) as a span.

    Raises ``ValueError`` with a message naming the accepted forms.
    """
    span = value_span(text.strip()) if _BOUND.match(text.strip()) else None
    if span is None:
        raise ValueError(f"{text!r} is not a date — write YYYY, YYYY-MM or YYYY-MM-DD")
    return span
