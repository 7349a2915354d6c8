"""The timeline: per storyline, merged events in the order they happened.

Order is by when an event happened (start of its date interval, then the finer
precision first), not when it was reported; undated events come last, in the
order they were first reported.  Background events stay in, flagged.  An event
whose mentions fall into several storylines appears in each; one whose articles
belong to no story goes under storyline ``None`` (listed last).
"""

from __future__ import annotations

from typing import Any, Mapping

__all__ = ["build_timeline", "PRECISION_ORDER"]

#: Precisions from finest to coarsest.
PRECISION_ORDER = ("day", "week", "month", "season", "quarter", "half", "year", "decade", "century", "unknown")
_PREC = {p: i for i, p in enumerate(PRECISION_ORDER)}


def _sort_key(ev: Mapping[str, Any]) -> tuple[Any, ...]:
    d = ev.get("date") or {}
    first = ev.get("first_reported") or {}
    return (
        d.get("earliest") is None,
        d.get("earliest") or "",
        _PREC.get(d.get("precision") or "unknown", len(_PREC)),
        d.get("latest") or "",
        first.get("published") is None,
        first.get("published") or "",
        ev["id"],
    )


def _entry(ev: Mapping[str, Any]) -> dict[str, Any]:
    d = ev.get("date") or {}
    return {
        "event": ev["id"],
        "date": d.get("value"),
        "precision": d.get("precision") or "unknown",
        "year_known": bool(d.get("year_known", d.get("earliest") is not None)),
        "status": ev.get("status"),
        "sources": list(ev.get("sources") or []),
        "independent_sources": ev.get("independent_sources", 0),
        "background": bool(ev.get("background")),
    }


def build_timeline(
    events: list[dict[str, Any]],
    story_of_article: Mapping[str, str],
    storyline_of_story: Mapping[str, str],
) -> list[dict[str, Any]]:
    """``[{storyline, entries: [...]}]``, storylines ordered by their first entry, ``None`` last."""
    by_line: dict[str | None, list[dict[str, Any]]] = {}
    for ev in events:
        lines: list[str | None] = []
        for m in ev.get("mentions") or []:
            story = story_of_article.get(m["article"])
            line = storyline_of_story.get(story) if story is not None else None
            if line not in lines:
                lines.append(line)
        for line in lines or [None]:
            by_line.setdefault(line, []).append(ev)
    out = []
    for line, evs in by_line.items():
        evs.sort(key=_sort_key)
        out.append({"storyline": line, "entries": [_entry(e) for e in evs]})
    out.sort(key=lambda t: (t["storyline"] is None, _sort_key_first(t, by_line), str(t["storyline"])))
    return out


def _sort_key_first(t: Mapping[str, Any], by_line: Mapping[str | None, list[dict[str, Any]]]) -> tuple[Any, ...]:
    return _sort_key(by_line[t["storyline"]][0])
