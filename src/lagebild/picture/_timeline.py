"""The timeline: per storyline, merged events in the order they happened.

Order is by when an event happened (start of its date interval, then the finer
precision first), not when it was reported; undated events come last, in the
order they were first reported.  Background events stay in, flagged.  An event
whose mentions fall into several storylines appears in each; one whose articles
belong to no story goes under storyline ``None`` (listed last).
"""

from __future__ import annotations

from typing import Any, Mapping

__all__ = ["build_timeline", "timeline_groups", "timeline_item", "PRECISION_ORDER"]

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
    return [timeline_item(g) for g in timeline_groups(events, story_of_article, storyline_of_story)]


def timeline_item(group: tuple[str | None, list[dict[str, Any]]]) -> dict[str, Any]:
    """A storyline's item of the timeline from its :func:`timeline_groups` group."""
    line, evs = group
    return {"storyline": line, "entries": [_entry(e) for e in evs]}


def timeline_groups(
    events: list[dict[str, Any]],
    story_of_article: Mapping[str, str],
    storyline_of_story: Mapping[str, str],
) -> list[tuple[str | None, list[dict[str, Any]]]]:
    """``(storyline, its events in timeline order)`` in :func:`build_timeline`'s order: what it is made
    from, holding only references to ``events`` (so it can be made an item at a time)."""
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
    for evs in by_line.values():
        evs.sort(key=_sort_key)
    return sorted(by_line.items(), key=lambda g: (g[0] is None, _sort_key(g[1][0]), str(g[0])))
