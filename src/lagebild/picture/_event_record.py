"""One merged event as the picture tells it: from a cluster of mentions to its record.

:func:`event_record` is what :func:`._events.merge_events` makes of each cluster:
category, mode and status, the date the mentions agree on, participants ranked by
how often they are named, every mention, the outlets and agencies, how many
independent sources tell it, who reported it first, and what each outlet's
account adds to or leaves out of the others'.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any, Sequence

from ..periods import precision
from ._events import _FIRM, _find, _refs, _sentence, _state_of

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Article
    from ._events import _Mention
    from ._lean import LeanArticle

__all__ = ["event_record", "in_sentence"]


def _independent_sources(group: Sequence[_Mention]) -> int:
    """Mentions' articles, with agency copy, duplicates and one outlet counted once."""
    arts = {m.article.id: m.article for m in group}
    parent = {i: i for i in arts}

    def union(i: str, j: str) -> None:
        if i in parent and j in parent:
            parent[_find(parent, i)] = _find(parent, j)

    by_key: dict[tuple[str, str], str] = {}
    for m in group:
        a, s, e = m.article, m.event["start"], m.event["end"]
        keys = [("dup", a.duplicate_group or ""), ("outlet", a.outlet or "")]
        if a.agencies:  # agency copy: one agency's same sentence
            text = " ".join(a.text[slice(*_sentence(a, s, e))].lower().split())
            keys += [("agency", f"{ag.lower()}|{text}") for ag in a.agencies]
        for k in keys:
            if k[1]:
                union(a.id, by_key.setdefault(k, a.id))
        for p in a.shared_paragraphs:
            if p["start"] <= s and e <= p["end"]:
                for other in p.get("articles") or []:
                    union(a.id, other)
    return len({_find(parent, i) for i in arts})


def in_sentence(a: Article | LeanArticle, s: int, e: int) -> tuple[frozenset[str], tuple[str, ...]]:
    """The entities (a capital as its state) with a mention starting in ``[s, e)`` and the texts of the
    quantities starting there — from an events-only lean record's ``sentence_parts`` (it has no mentions
    to count from, so a sentence it did not keep is an error, as a span its ``Snippets`` did not keep is)."""
    kept = getattr(a, "sentence_parts", None)
    if kept:
        try:
            return kept[(s, e)]
        except KeyError:
            raise KeyError(f"sentence {(s, e)} was not kept in the lean article — keep it in picture._lean") from None
    named = frozenset(_state_of(ent["id"]) for ent in a.entities
                      if any(s <= x["start"] < e for x in ent.get("mentions") or []))
    return named, tuple(q["text"] for q in a.quantities if s <= q["start"] < e)


def _accounts_of(group: Sequence[_Mention]) -> list[dict[str, Any]]:
    """Per outlet (an article where the outlet is unknown): what its sentences add and omit."""
    ents: dict[str, set[str]] = defaultdict(set)
    quants: dict[str, set[str]] = defaultdict(set)
    first: dict[str, tuple[str | None, str]] = {}
    for m in group:
        a = m.article
        k = a.outlet or f"article:{a.id}"
        first.setdefault(k, (a.outlet, a.id))
        named, figures = in_sentence(a, *_sentence(a, m.event["start"], m.event["end"]))
        ents[k].update(named)
        quants[k].update(figures)
    if len(first) < 2:
        return []
    out = []
    for k, (outlet, art) in sorted(first.items()):
        others_e = set().union(*(v for o, v in ents.items() if o != k))
        others_q = set().union(*(v for o, v in quants.items() if o != k))
        out.append({
            "outlet": outlet, "article": art,
            "adds": {"entities": sorted(ents[k] - others_e), "quantities": sorted(quants[k] - others_q)},
            "omits": {"entities": sorted(others_e - ents[k])},
        })
    return out


def _date_of(group: list[_Mention]) -> dict[str, Any]:
    dated = [m for m in group if m.interval]
    if dated:
        best = min(dated, key=lambda m: ((m.interval[1] - m.interval[0]).days, m.key))  # type: ignore[index]
        lo = max(m.interval[0] for m in dated)  # type: ignore[index]
        hi = min(m.interval[1] for m in dated)  # type: ignore[index]
        if lo > hi:
            lo, hi = best.interval  # type: ignore[misc]
        value = best.event["date"]["value"]
        return {"value": value, "precision": precision(value) or "unknown", "earliest": lo.isoformat(),
                "latest": hi.isoformat(), "year_known": True}
    partial = [m for m in group if m.partial]
    if partial:
        # a day or month without a year ("am 27. Juli" in an undated article): no interval, so it sorts
        # after every resolved date, and ``year_known`` false says it is not a date of year 0
        value = partial[0].event["date"]["value"]
        return {"value": value, "precision": "day" if partial[0].partial[1] else "month",  # type: ignore[index]
                "earliest": None, "latest": None, "year_known": False}
    return {"value": None, "precision": "unknown", "earliest": None, "latest": None, "year_known": False}


def _ranked(ids: list[str]) -> list[str]:
    return sorted(c := Counter(ids), key=lambda i: (-c[i], i))


def _event_id(group: list[_Mention], actors: list[str], targets: list[str], date_: dict[str, Any]) -> str:
    cat = group[0].event.get("event") or ""
    key = date_["value"] or ("undated:" + min(m.article.id for m in group))
    basis = "|".join([cat, ",".join(sorted(actors)), ",".join(sorted(targets)), key])
    return "ev-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


def event_record(group: list[_Mention]) -> dict[str, Any]:
    """The picture's record of one merged event (docs/picture.md): its mentions, participants, date,
    statuses, sources and each outlet's account."""
    group = sorted(group, key=lambda m: (m.article.id, m.key[1]))  # input order does not matter
    events = [m.event for m in group]
    cats = Counter(e.get("event") for e in events)
    modes = Counter(e.get("mode") for e in events if e.get("mode"))
    actors = _ranked([_state_of(i) for e in events for i in _refs(e.get("actors"))])
    targets = [t for t in _ranked([_state_of(i) for e in events for i in _refs(e.get("targets"))]) if t not in actors]
    places = _ranked([m.place for m in group if m.place])
    statuses = Counter(e.get("status") or "asserted" for e in events)
    date_ = _date_of(group)
    mentions = []
    for m in group:
        s, e = m.event["start"], m.event["end"]
        copy = any(p["start"] <= s and e <= p["end"] for p in m.article.shared_paragraphs)
        mentions.append({
            "article": m.article.id, "index": m.key[1], "outlet": m.article.outlet,
            "published": m.article.published.value or m.article.published.earliest, "status": m.event.get("status"),
            "start": s, "end": e, "text": m.event.get("text", ""), "agency_copy": copy,
        })
    dated = [(m.article.published.value or m.article.published.earliest, m) for m in group
             if m.article.published.value or m.bounded]
    first = None
    if dated:
        pub, m = min(dated, key=lambda t: (t[0], t[1].key))
        first = {"article": m.article.id, "outlet": m.article.outlet, "published": pub}
    return {
        "id": _event_id(group, actors, targets, date_),
        "event": cats.most_common(1)[0][0],
        "mode": modes.most_common(1)[0][0] if modes else None,
        "status": min(statuses, key=lambda s: _FIRM.get(s, len(_FIRM))),
        "statuses": dict(sorted(statuses.items())),
        "background": all(e.get("background") for e in events), "negated": all(e.get("negated") for e in events),
        "date": date_, "actors": actors, "targets": targets, "place": places[0] if places else None,
        "mentions": mentions,
        "sources": sorted({m.article.outlet for m in group if m.article.outlet}),
        "agencies": sorted({ag for m in group for ag in m.article.agencies}),
        "independent_sources": _independent_sources(group),
        "first_reported": first,
        "accounts": _accounts_of(group),
    }
