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
whose entities do not change are returned as the same object.  A partitioned
corpus stage (:class:`~lagebild.pipeline.Parts`): :func:`summarize` keeps each
article's local entity keys and types, :func:`decide` assigns the ids,
:func:`apply` rewrites entities, claims and events.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Mapping, NamedTuple, Sequence

from ..extract.entities import slug
from ..model import Article, Corpus
from ..pipeline import corpus_stage, run_parts

__all__ = ["entity_merge", "merge_local_entities", "LocalNames", "summarize", "decide", "apply"]


def _key(e: Mapping[str, Any]) -> str:
    return slug(e.get("name") or e["id"].split(":", 1)[-1])


class LocalNames(NamedTuple):
    """What :func:`decide` needs of one article: its local entities' keys and types, no text."""

    #: publication day (or another key) that keeps office mentions with candidates apart; None: none
    day: str | None
    #: per local (non-KB) entity in list order: ``(id or None when it is "local:<key>", key, type, has candidates)``
    entities: tuple[tuple[str | None, str, str | None, bool], ...]


#: Per local entity in list order: ``(key, new id, new type)``.
Assignment = tuple[tuple[str, str, str], ...]


def _local_names(ents: list[dict[str, Any]], day: str | None) -> LocalNames | None:
    out = []
    for e in ents:
        if e.get("kb"):
            continue
        k = _key(e)
        out.append((None if e["id"] == f"local:{k}" else e["id"], k, e.get("type"), bool(e.get("candidates"))))
    return LocalNames(day, tuple(out)) if out else None


class _Tables(NamedTuple):
    types: dict[str, set[str]]
    full_names: dict[str, set[str]]  # last word slug -> full-name slugs of persons


def _tables(summaries: Sequence[LocalNames | None]) -> _Tables:
    types: dict[str, set[str]] = defaultdict(set)
    full_names: dict[str, set[str]] = defaultdict(set)
    for s in summaries:
        for _, k, typ, cands in s.entities if s is not None else ():
            types[k].add(typ or "MISC")
            parts = k.split("-")
            if len(parts) > 1 and typ in ("PER", "MISC") and not cands:
                full_names[parts[-1]].add(k)
    return _Tables(types, full_names)


def _assign(s: LocalNames, t: _Tables) -> Assignment | None:
    """The new key, id and type of each local entity; None when the article's entities stay as they are."""
    out = []
    changed = False
    seen: set[str] = set()
    for old_id, k, old_type, cands in s.entities:
        old_id = old_id or f"local:{k}"
        typ = old_type or "MISC"
        if "-" not in k and len(t.full_names.get(k, ())) == 1 and typ in ("PER", "MISC"):
            k = next(iter(t.full_names[k]))  # a bare surname of a person named in full elsewhere
            typ = "PER"
        concrete = t.types.get(k, set()) - {"MISC"}
        if typ == "MISC" and len(concrete) == 1:
            typ = next(iter(concrete))
        eid = f"local:{k}" if len(concrete) <= 1 else f"local:{k}:{typ.lower()}"
        if cands and s.day:
            eid = f"{eid}@{s.day}"  # an unresolved office: one holder per day, not across the corpus
        if eid != old_id or typ != old_type or eid in seen:  # renamed, retyped, or two became one
            changed = True
        seen.add(eid)
        out.append((k, eid, typ))
    return tuple(out) if changed else None


def _rewrite(ents: list[dict[str, Any]], assignment: Assignment) -> list[dict[str, Any]]:
    """A new entity list with the local entities renamed, retyped and merged as ``assignment`` says."""
    todo = iter(assignment)
    new: list[dict[str, Any]] = []
    merged: dict[str, dict[str, Any]] = {}
    for e in ents:
        if e.get("kb"):
            new.append(e)
            continue
        k, eid, typ = next(todo)
        item = e if eid == e["id"] and typ == e.get("type") else {**e, "id": eid, "type": typ}
        if eid in merged:  # two local entities of one article became one
            tgt = merged[eid]
            tgt["mentions"] = sorted([*tgt["mentions"], *item["mentions"]], key=lambda m: (m["start"], m["end"]))
            tgt["name"] = item["name"] if _key(item) == k else tgt["name"]  # keep the full name: a re-run keys it the same
            continue
        if item is not e:
            item = {**item, "mentions": list(item["mentions"])}
        merged[eid] = item
        new.append(item)
    new.sort(key=lambda x: (x["mentions"][0]["start"], x["id"]) if x["mentions"] else (0, x["id"]))
    return new


def merge_local_entities(docs: list[list[dict[str, Any]]],
                         when: list[str | None] | None = None) -> list[list[dict[str, Any]]]:
    """The entity lists of a corpus with local entities merged (new lists only where changed).

    ``when``: per document, its publication day or another key that keeps office mentions
    with ``candidates`` apart (None: the office mention keeps its id).
    """
    summaries = [
        _local_names(ents, when[d] if when is not None and d < len(when) else None) for d, ents in enumerate(docs)
    ]
    tables = _tables(summaries)
    out: list[list[dict[str, Any]]] = []
    for ents, s in zip(docs, summaries):
        assignment = _assign(s, tables) if s is not None else None
        out.append(ents if assignment is None else _rewrite(ents, assignment))
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


def _day(a: Article) -> str:
    return (a.published.value or "")[:10] or f"article-{a.id}"


def summarize(article: Article, settings: Mapping[str, Any]) -> LocalNames | None:
    """The publication day and the local entities' keys and types (None: no local entity)."""
    return _local_names(article.entities, _day(article))


def decide(summaries: Sequence[LocalNames | None], settings: Mapping[str, Any]) -> dict[int, Assignment]:
    """Position → new key, id and type per local entity, for the articles whose entities change."""
    tables = _tables(summaries)
    out: dict[int, Assignment] = {}
    for i, s in enumerate(summaries):
        assignment = _assign(s, tables) if s is not None else None
        if assignment is not None:
            out[i] = assignment
    return out


def apply(article: Article, assignment: Assignment, settings: Mapping[str, Any]) -> Article:
    """``article`` with its local entities renamed and merged; claims and events follow the new ids."""
    return _renamed(article, _rewrite(article.entities, assignment))


_PARTS = corpus_stage(
    "entity_merge",
    requires=("entities",),
    sets=("entities", "claims", "events"),
    summarize=summarize,
    decide=decide,
    apply=apply,
    doc="Give local entities of the same name and a compatible type one id across articles.",
).parts


def entity_merge(corpus: Corpus, settings: Mapping[str, Any]) -> Corpus:
    """Give local entities of the same name and a compatible type one id across articles.

    Claims (``speaker.id``, ``source.id``, ``entities``) and events (``actors``,
    ``targets``, ``place``) follow the new ids.
    """
    assert _PARTS is not None
    return run_parts(_PARTS, corpus, settings)
