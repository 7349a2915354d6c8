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

from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

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


class _Tables:
    """What :func:`_assign` needs of the whole corpus, compact: a few bytes per distinct key, nothing per article.

    * ``types``: local key → bit mask of the types it was seen with (one bit per
      type name, given in order of first sight; ``None`` counts as ``MISC``);
    * ``full``: last word of a multi-word person (or ``MISC``) key without
      candidates → that key when it is the only one ending so, ``None`` when
      several do.
    """

    __slots__ = ("types", "full", "bits", "names", "_concrete")

    def __init__(self) -> None:
        self.types: dict[str, int] = {}
        self.full: dict[str, str | None] = {}
        self.bits: dict[str, int] = {"MISC": 1}
        self.names: list[str] = ["MISC"]
        self._concrete: dict[int, tuple[str, ...]] = {}  # mask -> its types other than MISC (a few masks)

    def add(self, k: str, typ: str | None, cands: bool) -> None:
        name = typ or "MISC"
        bit = self.bits.get(name)
        if bit is None:
            bit = self.bits[name] = 1 << len(self.names)
            self.names.append(name)
        self.types[k] = self.types.get(k, 0) | bit
        if "-" in k and typ in ("PER", "MISC") and not cands:
            last = k.rsplit("-", 1)[1]
            if last not in self.full:
                self.full[last] = k
            elif self.full[last] not in (None, k):
                self.full[last] = None

    def concrete(self, k: str) -> tuple[str, ...]:
        """The types other than ``MISC`` seen with ``k``, in bit order (at most a few)."""
        mask = self.types.get(k, 0) & ~1
        got = self._concrete.get(mask)
        if got is None:
            got = self._concrete[mask] = tuple(self.names[b] for b in range(1, mask.bit_length()) if mask >> b & 1)
        return got


def _tables(summaries: Iterable[LocalNames | None]) -> _Tables:
    t = _Tables()
    for s in summaries:
        for _, k, typ, cands in s.entities if s is not None else ():
            t.add(k, typ, cands)
    return t


def _assign(s: LocalNames, t: _Tables) -> Assignment | None:
    """The new key, id and type of each local entity; None when the article's entities stay as they are."""
    out = []
    changed = False
    seen: set[str] = set()
    for old_id, k, old_type, cands in s.entities:
        old_id = old_id or f"local:{k}"
        typ = old_type or "MISC"
        if "-" not in k and typ in ("PER", "MISC") and t.full.get(k):
            k = t.full[k]  # a bare surname of a person named in full elsewhere
            typ = "PER"
        concrete = t.concrete(k)
        if typ == "MISC" and len(concrete) == 1:
            typ = concrete[0]
        eid = f"local:{k}" if len(concrete) <= 1 else f"local:{k}:{typ.lower()}"
        if cands and s.day:
            eid = f"{eid}@{s.day}"  # an unresolved office: one holder per day, not across the corpus
        if eid != old_id or typ != old_type or eid in seen:  # renamed, retyped, or two became one
            changed = True
        seen.add(eid)
        out.append((k, eid, typ))
    return tuple(out) if changed else None


class _Assignments(Mapping[int, Assignment]):
    """:func:`decide`'s changes, computed from the summaries as they are read, never all held at once.

    Iterating (``items()`` above all) reads the summaries once, in position order;
    looking one position up reads its summary (the last one looked up is kept, so
    that ``i in changes`` and then ``changes[i]`` compute it once).  Pickled, it
    becomes a plain ``dict``.
    """

    __slots__ = ("_summaries", "_tables", "_last")

    def __init__(self, summaries: Sequence[LocalNames | None], tables: _Tables) -> None:
        self._summaries = summaries
        self._tables = tables
        self._last: tuple[int, Assignment | None] | None = None

    def _scan(self) -> Iterator[tuple[int, Assignment]]:
        for i, s in enumerate(self._summaries):
            a = _assign(s, self._tables) if s is not None else None
            if a is not None:
                yield i, a

    def __getitem__(self, i: int) -> Assignment:
        if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < len(self._summaries):
            raise KeyError(i)
        if self._last is None or self._last[0] != i:
            s = self._summaries[i]
            self._last = (i, _assign(s, self._tables) if s is not None else None)
        a = self._last[1]
        if a is None:
            raise KeyError(i)
        return a

    def __iter__(self) -> Iterator[int]:
        return (i for i, _ in self._scan())

    def __len__(self) -> int:
        return sum(1 for _ in self._scan())

    def __bool__(self) -> bool:
        return next(self._scan(), None) is not None

    def items(self) -> _Items:  # type: ignore[override]
        return _Items(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self._scan()),))


class _Items(ItemsView[int, Assignment]):
    """``(position, assignment)`` of an :class:`_Assignments`, in one read of the summaries."""

    _mapping: _Assignments

    def __iter__(self) -> Iterator[tuple[int, Assignment]]:
        return self._mapping._scan()


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


def decide(summaries: Sequence[LocalNames | None], settings: Mapping[str, Any]) -> Mapping[int, Assignment]:
    """Position → new key, id and type per local entity, for the articles whose entities change.

    Two reads of ``summaries``: the first builds the compact tables (types per
    key, full names per last word), the second, as the changes are iterated,
    assigns the ids (a lazy mapping: the changes of the whole corpus are never one
    object; pickled, it is a plain ``dict``).
    """
    return _Assignments(summaries, _tables(summaries))


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
