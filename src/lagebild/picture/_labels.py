"""Readable labels of storylines and stories: "Russia – North Korea: meeting, aid".

A label names the most central participants — the entities taking part in
most of the group's events as actor or target, a capital counting as its state
— and the dominant event categories, counted by merged events (ties keep the
category order of ``templates/labels.toml``).  Names and category words are in
the group's language: entity names from the knowledge base (``names[lang]``),
words from the ``[label.<lang>]`` tables of ``templates/labels.toml`` (English
when a language has none).  Without events the label falls back to the most
frequent entities alone.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

__all__ = ["format_label", "local_name", "event_participation", "label_groups"]

#: Participants and categories a label names.
_PARTICIPANTS = 2
_CATEGORIES = 2
#: A second participant or category is named only with at least this share of the first's count.
_MIN_SHARE = 0.34


@lru_cache(maxsize=8192)
def local_name(entity_id: str, language: str | None, fallback: str | None = None) -> str:
    """The entity's name in ``language`` from the knowledge base; ``fallback`` (or its English name, or the id)."""
    from ..kb import load_kb

    e = load_kb().get(entity_id)
    if e is not None:
        forms = e.names.get(language or "") or ()
        if forms:
            return forms[0]
        return fallback or e.name
    return fallback or entity_id


def _category_words(language: str | None) -> tuple[dict[str, str], list[str]]:
    from ._report import labels

    words = labels()
    table = (words.get("label") or {}).get(language or "") or (words.get("label") or {}).get("en") or {}
    order = list(words.get("event") or {})
    return dict(table), order


def _state_of(entity_id: str) -> str:
    from ._events import _state_of as state

    return state(entity_id)


def _ranked(counts: Mapping[str, int], k: int, order: Sequence[str] = ()) -> list[str]:
    pos = {c: i for i, c in enumerate(order)}
    ranked = sorted(counts, key=lambda c: (-counts[c], pos.get(c, len(pos)), c))
    if not ranked:
        return []
    top = counts[ranked[0]]
    return [c for c in ranked[:k] if counts[c] >= _MIN_SHARE * top]


def format_label(participants: Mapping[str, int], categories: Mapping[str, int], language: str | None,
                 names: Mapping[str, str] | None = None, order: Sequence[str] = ()) -> str | None:
    """``"A – B: word, word"`` from participant and category counts; None when both are empty.

    ``order``: participants in the order that breaks ties of their counts (else by id).
    """
    words, cat_order = _category_words(language)
    who = [local_name(e, language, (names or {}).get(e)) for e in _ranked(participants, _PARTICIPANTS, order)]
    what = [words.get(c, c.lower()) for c in _ranked(categories, _CATEGORIES, cat_order)]
    head = " – ".join(dict.fromkeys(who))
    if head and what:
        return f"{head}: {', '.join(what)}"
    return head or (", ".join(what) if what else None)


def event_participation(events: Iterable[Mapping[str, Any]]) -> tuple[Counter[str], Counter[str]]:
    """``(participants, categories)``: per entity the events it takes part in; per category the
    events with one of the two most central participants in them (all events when none has one).

    Background events count only when the group has no other events.
    """
    events = list(events)
    current = [e for e in events if not e.get("background")] or events
    who: Counter[str] = Counter()
    parts = []
    for e in current:
        p = {_state_of(str(i)) for i in list(e.get("actors") or []) + list(e.get("targets") or [])}
        parts.append(p)
        who.update(p)
    central = set(_ranked(who, _PARTICIPANTS))
    what = Counter(str(e.get("event")) for e, p in zip(current, parts) if p & central)
    return who, what or Counter(str(e.get("event")) for e in current)


def _language(langs: Iterable[str | None]) -> str | None:
    c = Counter(lang for lang in langs if lang)
    return min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] if c else None


def label_groups(storylines: list[dict[str, Any]], stories: list[dict[str, Any]],
                 events: Sequence[Mapping[str, Any]], entity_names: Mapping[str, str]) -> None:
    """Set ``label`` on every story and storyline from the merged ``events`` of its articles (in place).

    A group with no events keeps its label (storylines) or gets its top entities (stories).
    """
    of_article: dict[str, list[Mapping[str, Any]]] = {}
    for ev in events:
        for aid in dict.fromkeys(m["article"] for m in ev.get("mentions") or []):
            of_article.setdefault(aid, []).append(ev)

    def group_events(article_ids: Iterable[str]) -> list[Mapping[str, Any]]:
        seen: dict[str, Mapping[str, Any]] = {}
        for aid in article_ids:
            for ev in of_article.get(aid, []):
                seen.setdefault(str(ev["id"]), ev)
        return [seen[k] for k in sorted(seen)]

    def label(article_ids: Iterable[str], language: str | None, top: Sequence[str]) -> str | None:
        who, what = event_participation(group_events(article_ids))
        if not who:
            who = Counter({e: len(top) - i for i, e in enumerate(top[:_PARTICIPANTS])})
        return format_label(who, what, language, entity_names)

    by_id = {s["id"]: s for s in stories}
    for s in stories:
        s["label"] = label(s.get("articles") or [], s.get("language"), s.get("entities") or []) or s.get("headline")
    for line in storylines:
        members = [by_id[i] for i in line.get("stories") or [] if i in by_id]
        arts = [a for s in members for a in s.get("articles") or []]
        got = label(arts, _language(s.get("language") for s in members), line.get("entities") or [])
        if got:
            line["label"] = got
