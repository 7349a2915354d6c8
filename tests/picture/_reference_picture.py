"""The picture as it was built before the lean path: every stored article loaded in full, in one list.

A private test helper, kept as an independent reference for ``build_picture`` (which streams the
store and keeps lean records): the counts are computed here from whole articles, and the events and
variants parts get whole articles, not lean records.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Mapping, Sequence

from lagebild.model import Article
from lagebild.picture._build import PICTURE_SCHEMA_VERSION, _article_row, _outer_claims, _row_dict, _sort_key_date, _table, report_settings

__all__ = ["reference_picture"]


def _entities(articles: Sequence[Article]) -> list[dict[str, Any]]:
    names: dict[str, Counter[str]] = defaultdict(Counter)
    types: dict[str, Counter[str]] = defaultdict(Counter)
    arts: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for a in articles:
        if a.duplicate_of:
            continue
        for e in a.entities:
            eid = e.get("id")
            if not eid:
                continue
            names[eid][e.get("name") or eid] += 1
            if e.get("type"):
                types[eid][e["type"]] += 1
            arts[eid] += 1
            mentions[eid] += len(e.get("mentions") or [])
    out = []
    for eid in sorted(arts):
        name = min(names[eid].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        etype = min(types[eid].items(), key=lambda kv: (-kv[1], kv[0]))[0] if types[eid] else None
        out.append({"id": eid, "name": name, "type": etype, "articles": arts[eid], "mentions": mentions[eid]})
    return out


def _claims_by_entity(articles: Sequence[Article], top: int) -> dict[str, dict[str, Any]]:
    says: Counter[str] = Counter()
    about: Counter[str] = Counter()
    speakers: dict[str, Counter[str]] = defaultdict(Counter)
    for a in articles:
        if a.duplicate_of:
            continue
        for c in _outer_claims(a.claims):
            speaker = (c.get("speaker") or {}).get("id")
            if speaker:
                says[speaker] += 1
            for eid in sorted(set(c.get("entities") or [])):
                if eid == speaker:
                    continue
                about[eid] += 1
                if speaker:
                    speakers[eid][speaker] += 1
    out: dict[str, dict[str, Any]] = {}
    for eid in sorted(set(says) | set(about)):
        ranked = sorted(speakers[eid].items(), key=lambda kv: (-kv[1], kv[0]))[: max(0, top)]
        out[eid] = {"says": says[eid], "about": about[eid], "speakers": [{"id": s, "claims": n} for s, n in ranked]}
    return out


def _entity_names(articles: Sequence[Article]) -> dict[str, str]:
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for a in articles:
        for e in a.entities:
            if e.get("id") and e.get("name"):
                names[e["id"]][e["name"]] += 1
    return {i: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for i, c in names.items()}


def reference_picture(store: Any, settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """picture.json of ``store`` computed from the full articles (the pre-lean path)."""
    from lagebild.picture._events import merge_events
    from lagebild.picture._labels import label_groups
    from lagebild.picture._stories import load_stories
    from lagebild.picture._timeline import build_timeline
    from lagebild.picture._variants import compare_measures

    articles = list(store.iter_articles())
    storylines, stories = load_stories(store)
    ev = _table(settings, "events")
    story_of: dict[str, str] = {aid: s["id"] for s in stories for aid in s.get("articles") or []}
    for a in articles:
        if a.id not in story_of and a.duplicate_of in story_of:
            story_of[a.id] = story_of[a.duplicate_of]
    line_of = {s["id"]: s["storyline"] for s in stories if s.get("storyline")}
    for line in storylines:
        for sid in line.get("stories") or []:
            line_of.setdefault(sid, line["id"])
    events = merge_events(articles, ev, story_of)
    variants = compare_measures(articles, ev)
    timeline = build_timeline(events, story_of, line_of)
    label_groups(storylines, stories, events, _entity_names(articles))
    ordered = sorted(articles, key=lambda a: a.id)
    top = int(report_settings(settings).get("top_speakers", 5))
    return {
        "schema_version": PICTURE_SCHEMA_VERSION,
        "generated_from": {"articles": len(ordered), "db": str(store.path)},
        "articles": [_row_dict(_article_row(a)) for a in ordered],
        "entities": _entities(ordered),
        "storylines": sorted((dict(s) for s in storylines), key=lambda s: str(s.get("id"))),
        "stories": sorted((dict(s) for s in stories), key=lambda s: str(s.get("id"))),
        "events": sorted((dict(e) for e in events), key=lambda e: (_sort_key_date(e.get("date")), str(e.get("id")))),
        "timeline": sorted((dict(t) for t in timeline), key=lambda t: str(t.get("storyline"))),
        "variants": sorted((dict(v) for v in variants), key=lambda v: (str(v.get("measure")), str(v.get("object")))),
        "claims_by_entity": _claims_by_entity(ordered, top),
    }
