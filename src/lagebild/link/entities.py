"""The ``entity_merge`` corpus stage: one id for a local entity across articles.

Per article, the ``entities`` stage already names local entities (those the KB
does not know) ``local:<slug>`` from their name.  Across the corpus this stage

* gives every local entity whose slug is shared with entities of a different,
  incompatible type its type as a suffix (``local:<slug>:org``) so that a
  person and an organisation of the same name stay apart (``MISC`` is
  compatible with every type and takes the group's one concrete type);
* links a one-word local name ("Dolzikowa") to the one local person whose full
  name ends in that word elsewhere in the corpus ("Darya Dolzikowa");
* keeps an ambiguous office mention (an entity with ``candidates``: "the defence
  minister", holder unknown) to articles of one publication day: its id gets the
  day (``local:<slug>@2024-06-19``), or the article id when the day is unknown —
  the office has different holders at different dates.

Ids are deterministic (they depend only on the names and types seen).  Articles
whose entities do not change are returned as the same object.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Mapping

from ..extract.entities import slug
from ..model import Article, Corpus
from ..pipeline import stage

__all__ = ["entity_merge", "merge_local_entities"]


def _key(e: Mapping[str, Any]) -> str:
    return slug(e.get("name") or e["id"].split(":", 1)[-1])


def merge_local_entities(docs: list[list[dict[str, Any]]],
                         when: list[str | None] | None = None) -> list[list[dict[str, Any]]]:
    """The entity lists of a corpus with local entities merged (new lists only where changed).

    ``when``: per document, its publication day or another key that keeps office mentions
    with ``candidates`` apart (None: the office mention keeps its id).
    """
    types: dict[str, set[str]] = defaultdict(set)
    full_names: dict[str, set[str]] = defaultdict(set)  # last word slug -> full-name slugs of persons
    for ents in docs:
        for e in ents:
            if e.get("kb"):
                continue
            k = _key(e)
            types[k].add(e.get("type") or "MISC")
            parts = k.split("-")
            if len(parts) > 1 and e.get("type") in ("PER", "MISC") and not e.get("candidates"):
                full_names[parts[-1]].add(k)
    out: list[list[dict[str, Any]]] = []
    for d, ents in enumerate(docs):
        day = when[d] if when is not None and d < len(when) else None
        new: list[dict[str, Any]] = []
        changed = False
        merged: dict[str, dict[str, Any]] = {}
        for e in ents:
            if e.get("kb"):
                new.append(e)
                continue
            k = _key(e)
            typ = e.get("type") or "MISC"
            if "-" not in k and len(full_names.get(k, ())) == 1 and typ in ("PER", "MISC"):
                k = next(iter(full_names[k]))  # a bare surname of a person named in full elsewhere
                typ = "PER"
            concrete = types[k] - {"MISC"}
            if typ == "MISC" and len(concrete) == 1:
                typ = next(iter(concrete))
            eid = f"local:{k}" if len(concrete) <= 1 else f"local:{k}:{typ.lower()}"
            if e.get("candidates") and day:
                eid = f"{eid}@{day}"  # an unresolved office: one holder per day, not across the corpus
            if eid == e["id"] and typ == e.get("type"):
                item = e
            else:
                changed = True
                item = {**e, "id": eid, "type": typ}
            if eid in merged:  # two local entities of one article became one
                changed = True
                tgt = merged[eid]
                tgt["mentions"] = sorted([*tgt["mentions"], *item["mentions"]], key=lambda m: (m["start"], m["end"]))
                tgt["name"] = item["name"] if _key(item) == k else tgt["name"]  # keep the full name: a re-run keys it the same
                continue
            if item is not e:
                item = {**item, "mentions": list(item["mentions"])}
            merged[eid] = item
            new.append(item)
        if changed:
            new.sort(key=lambda x: (x["mentions"][0]["start"], x["id"]) if x["mentions"] else (0, x["id"]))
        out.append(new if changed else ents)
    return out


def _id_map(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, str]:
    """Old entity id -> new id, followed through the mentions (which merging keeps)."""
    by_mention = {(m["start"], m["end"]): e["id"] for e in new for m in e.get("mentions") or []}
    out: dict[str, str] = {}
    for e in old:
        for m in e.get("mentions") or []:
            nid = by_mention.get((m["start"], m["end"]))
            if nid is not None:
                if nid != e["id"]:
                    out[e["id"]] = nid
                break
    return out


def _rewrite_claims(claims: list[dict[str, Any]], ids: dict[str, str]) -> list[dict[str, Any]]:
    """``claims`` with speaker/source/entities ids renamed (the same list when nothing changes)."""
    if not ids or not claims:
        return claims
    out = []
    for c in claims:
        c = dict(c)
        for role in ("speaker", "source"):
            p = c.get(role)
            if p and p.get("id") in ids:
                c[role] = {**p, "id": ids[p["id"]]}
        c["entities"] = sorted({ids.get(x, x) for x in c.get("entities") or []})
        out.append(c)
    return out


def _rewrite_events(events: list[dict[str, Any]], ids: dict[str, str]) -> list[dict[str, Any]]:
    """``events`` with actor/target/place ids renamed (the same list when nothing changes)."""
    if not ids or not events:
        return events

    def ref(p: dict[str, Any]) -> dict[str, Any]:
        return {**p, "id": ids[p["id"]]} if p.get("id") in ids else p

    out = []
    for ev in events:
        ev = dict(ev)
        for role in ("actors", "targets"):
            ev[role] = [ref(p) for p in ev.get(role) or []]
        if ev.get("place"):
            ev["place"] = ref(ev["place"])
        out.append(ev)
    return out


def _renamed(a: Article, new: list[dict[str, Any]]) -> Article:
    ids = _id_map(a.entities, new)
    return a.replace(entities=new, claims=_rewrite_claims(a.claims, ids), events=_rewrite_events(a.events, ids))


@stage("entity_merge", requires=("entities",), sets=("entities", "claims", "events"), level="corpus")
def entity_merge(corpus: Corpus, settings: Mapping[str, Any]) -> Corpus:
    """Give local entities of the same name and a compatible type one id across articles.

    Claims (``speaker.id``, ``source.id``, ``entities``) and events (``actors``,
    ``targets``, ``place``) follow the new ids.
    """
    docs = [a.entities for a in corpus.articles]
    when = [(a.published.value or "")[:10] or f"article-{a.id}" for a in corpus.articles]
    merged = merge_local_entities(docs, when)
    articles: list[Article] = [
        a if new is a.entities else _renamed(a, new) for a, new in zip(corpus.articles, merged)
    ]
    return corpus.replace(articles)
