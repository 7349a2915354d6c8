"""Site helpers: the entity page and the article page (indexed SQL, never a scan of all articles)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any, Mapping

from ..errors import NotFoundError

if TYPE_CHECKING:  # pragma: no cover
    from ._site import Site, _Index

__all__ = ["entity_page", "article_page"]

#: Surface forms, claims and co-mentions are counted over at most this many of an entity's newest articles
#: (keeps the page bounded for an entity named in thousands of articles).
SAMPLE_ARTICLES = 300
NEIGHBOURS = 30
RECENT = 20


def _neighbours(site: Site, ix: _Index, eid: str, recent: str) -> list[dict[str, Any]]:
    """Top actors by shared events (all) + claims and co-mentions (in ``recent``, a JSON list of article ids)."""
    weight: Counter[str] = Counter()
    kinds: dict[str, set[str]] = defaultdict(set)
    for ev_id in ix.events_of_entity.get(eid, []):
        ev = ix.events[ev_id]
        for other in set(ev.get("actors") or []) | set(ev.get("targets") or []):
            if other != eid:
                weight[other] += 1
                kinds[other].add(f"event:{ev.get('event')}")
    # claims it makes about others, and claims others make about it
    rows = site._rows(
        "SELECT CASE WHEN c.speaker_id = ?1 THEN ce.entity_id ELSE c.speaker_id END AS other, count(*)"
        " FROM claims AS c JOIN claim_entities AS ce ON ce.article_id = c.article_id AND ce.claim = c.n"
        " WHERE c.article_id IN (SELECT value FROM json_each(?2))"
        " AND ((c.speaker_id = ?1 AND ce.entity_id != ?1)"
        "  OR (ce.entity_id = ?1 AND c.speaker_id IS NOT NULL AND c.speaker_id != ?1)) GROUP BY other",
        (eid, recent),
    )
    for other, n in rows:
        weight[other] += int(n)
        kinds[other].add("claim")
    rows = site._rows(
        "SELECT m.entity_id, count(DISTINCT m.article_id) FROM mentions AS m"
        " WHERE m.article_id IN (SELECT value FROM json_each(?)) AND m.entity_id != ? GROUP BY m.entity_id",
        (recent, eid),
    )
    for other, n in rows:
        weight[other] += int(n)
        kinds[other].add("co-mention")
    top = sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))[:NEIGHBOURS]
    names = _names(site, ix, [o for o, _ in top])
    order = {"claim": 1, "co-mention": 2}
    return [
        {**names[o], "weight": int(w), "kinds": sorted(kinds[o], key=lambda k: (order.get(k, 0), k))}
        for o, w in top
    ]


def _names(site: Site, ix: _Index, ids: list[str]) -> dict[str, dict[str, Any]]:
    """``{id: {id, name, type}}`` from the picture, else the entities table."""
    out = {i: ix.entity_ref(i) for i in ids if i in ix.entities}
    missing = [i for i in ids if i not in out]
    if missing:
        marks = ",".join("?" * len(missing))
        for i, name, etype in site._rows(f"SELECT id, name, type FROM entities WHERE id IN ({marks})", missing):
            out[i] = {"id": i, "name": name or i, "type": etype}
        for i in missing:
            out.setdefault(i, {"id": i, "name": i, "type": None})
    return out


def entity_page(site: Site, ix: _Index, eid: str) -> dict[str, Any]:
    found = site._rows("SELECT id, name, type, kb FROM entities WHERE id = ?", (eid,))
    if not found:
        raise NotFoundError(f"no entity with id {eid!r} — entity ids are listed by `lagebild entities` "
                            "and in the entities of /api/articles/{id}")
    _, name, etype, kb = found[0]
    ref = ix.entity_ref(eid) if eid in ix.entities else {"id": eid, "name": name or eid, "type": etype}
    # one row per article naming it (covering index), with its date: counts, months, newest articles
    per_article = site._rows(
        "SELECT x.article_id, x.n, a.published_value FROM (SELECT article_id, count(*) AS n FROM mentions"
        " WHERE entity_id = ? GROUP BY article_id) AS x JOIN articles AS a ON a.id = x.article_id", (eid,)
    )
    newest = sorted(per_article, key=lambda r: r[0])
    newest.sort(key=lambda r: r[2] or "", reverse=True)  # newest first, undated last, ties by id (stable)
    recent = json.dumps([r[0] for r in newest[:SAMPLE_ARTICLES]])
    periods: Counter[str] = Counter()
    for _, n, published in per_article:
        periods[str(published)[:7] if published else "undated"] += int(n)
    forms = site._rows(
        "SELECT text, count(*) AS n FROM mentions WHERE article_id IN (SELECT value FROM json_each(?))"
        " AND entity_id = ? GROUP BY text ORDER BY n DESC, text", (recent, eid)
    )
    names = [ref["name"]]
    roles: list[dict[str, Any]] = []
    entry = site._kb_entity(eid) if kb else None
    if entry is not None:
        names += [n for n in entry.all_names() if n not in names]
        roles = [{"role": r.title, "of": ix.entity_ref(r.of)["name"] if r.of in ix.entities else r.of,
                  "of_id": r.of, "start": r.start, "end": r.end} for r in entry.roles]
    names += [t for t, _ in forms if t not in names]
    claims = (ix.picture.get("claims_by_entity") or {}).get(eid) or {}
    return {
        **ref, "kb": bool(kb), "names": names, "roles": roles,
        "mentions": sum(int(r[1]) for r in per_article), "articles": len(per_article),
        "timeline": [{"period": p, "mentions": n} for p, n in sorted(periods.items(), key=lambda kv: (
            kv[0] == "undated", kv[0]))],
        "neighbours": _neighbours(site, ix, eid, recent),
        "claims": {"says": int(claims.get("says", 0)), "about": int(claims.get("about", 0))},
        "recent_articles": [ix.articles[r[0]] for r in newest[:RECENT] if r[0] in ix.articles],
    }


def _actor_name(ix: _Index, names: Mapping[str, str], actor: Any) -> str | None:
    if isinstance(actor, Mapping):
        eid = actor.get("id")
        if eid and eid in names:
            return names[eid]
        if eid and eid in ix.entities:
            return ix.entities[eid]["name"]
        return actor.get("text") or eid
    if isinstance(actor, str):
        return names.get(actor) or actor
    return None


def article_page(site: Site, ix: _Index, aid: str) -> dict[str, Any]:
    a = site._store().get_article(aid)
    raw = a.raw_text.split("\n")
    removed = sorted(
        ({"line": n, "text": raw[n - 1].strip() if 0 < n <= len(raw) else "", "reason": block.reason}
         for block in a.removed for n in block.lines),
        key=lambda r: r["line"],
    )
    names = {e["id"]: e.get("name") or e["id"] for e in a.entities if e.get("id")}
    ents = sorted(
        ({"start": m["start"], "end": m["end"], "text": m.get("text", a.text[m["start"]:m["end"]]),
          "id": e.get("id"), "name": e.get("name"), "type": e.get("type")}
         for e in a.entities for m in e.get("mentions") or []),
        key=lambda x: (x["start"], x["end"]),
    )
    times = [{"start": t["start"], "end": t["end"], "text": t.get("text"), "value": t.get("value"),
              "type": t.get("type")} for t in a.times]
    qty = [{"start": q["start"], "end": q["end"], "text": q.get("text"), "value": q.get("value"),
            "unit": q.get("unit"), "measure": q.get("measure")} for q in a.quantities]
    claims = [{"start": c["start"], "end": c["end"], "status": c.get("status"),
               "speaker": _actor_name(ix, names, c.get("speaker")), "source": _actor_name(ix, names, c.get("source")),
               "cue": (c.get("cue") or {}).get("text") if isinstance(c.get("cue"), Mapping) else c.get("cue")}
              for c in a.claims]
    events = [{"start": e["start"], "end": e["end"], "event": e.get("event"), "status": e.get("status"),
               "actors": [n for n in (_actor_name(ix, names, x) for x in e.get("actors") or []) if n]}
              for e in a.events if e.get("start") is not None]
    story = ix.story_of_article.get(a.id)
    return {
        "id": a.id, "title": a.title, "outlet": a.outlet, "language": a.language,
        "published": a.published.to_dict(), "agencies": list(a.agencies), "duplicate_of": a.duplicate_of,
        "story": story, "storyline": ix.line_of_story.get(story) if story else None,
        "text": a.text, "source": [p.to_dict() for p in a.source], "removed": removed,
        "annotations": {"entities": ents, "times": times, "quantities": qty, "claims": claims},
        "events": events,
    }
