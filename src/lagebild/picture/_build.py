"""Assemble ``picture.json`` from the store: articles, entities, stories, events, timeline, variants.

:func:`build_picture` reads every stored article (representatives and
duplicates), asks the stories part for storylines and stories, the events
part for cross-article events, measure variants and the timeline, and adds
corpus-wide counts (entities, who says what).  :func:`picture_sections` gives
the same sections one at a time, each as soon as it is final, so a caller that
writes them away (``lagebild build`` into the store's picture cache) never holds
the whole picture.  :func:`assemble_picture` does the pure assembly from already
computed parts, so it can be tested without a store.  Everything is sorted, so
two builds of one store compare equal.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence as SequenceABC
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence, overload

from ..model import Article
from ._events import intern_word as _word

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ._variants import Value

__all__ = [
    "PICTURE_SCHEMA_VERSION", "SECTIONS", "LazySection", "build_picture", "picture_sections", "assemble_picture",
    "report_settings",
]

#: Version of the picture JSON contract (``schema/picture.schema.json``).
PICTURE_SCHEMA_VERSION = "1.0"

#: The picture's sections, in the order of picture.json.
SECTIONS = ("schema_version", "generated_from", "articles", "entities", "storylines", "stories", "events",
            "timeline", "variants", "claims_by_entity")


def _table(settings: Mapping[str, Any] | None, part: str) -> dict[str, Any]:
    """The ``[picture.<part>]`` table of a whole config, or the packaged defaults."""
    if settings is None:
        from ..config import load_config

        settings = load_config()
    return dict((settings.get("picture") or {}).get(part) or {})


def report_settings(settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The ``[picture.report]`` settings of a whole config (defaults when ``settings`` is None)."""
    return _table(settings, "report")


def _article_row(a: Article) -> tuple[Any, ...]:
    """An article's row of the ``articles`` section, compact (a tuple, repeated words one object):
    a corpus's rows are all held until the articles have streamed past; :class:`LazySection` makes
    each its dict when it is read."""
    p = a.published
    return (a.id, a.title, _word(a.outlet), tuple(sorted(map(_word, a.agencies))), _word(a.language),
            _word(p.value), _word(p.earliest), _word(p.latest), _word(p.source), a.duplicate_of)


class LazySection(SequenceABC[dict[str, Any]]):
    """A list section as :func:`picture_sections` gives ``articles`` and ``timeline``: a read-only
    sequence whose items are made as they are read (``make(item)`` of the compact ``items``), so the
    whole section is never held as dicts (``list()`` it to keep them)."""

    __slots__ = ("_items", "_make")

    def __init__(self, items: list[Any], make: Callable[[Any], dict[str, Any]]) -> None:
        self._items = items
        self._make = make

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, i: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, i: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, i: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(i, slice):
            return [self._make(x) for x in self._items[i]]
        return self._make(self._items[i])

    def __repr__(self) -> str:
        return f"<LazySection of {len(self._items)} items>"


def _row_dict(r: tuple[Any, ...]) -> dict[str, Any]:
    aid, title, outlet, agencies, language, value, earliest, latest, source, duplicate_of = r
    return {
        "id": aid,
        "title": title,
        "outlet": outlet,
        "agencies": list(agencies),
        "language": language,
        "published": {"value": value, "earliest": earliest, "latest": latest, "source": source},
        "duplicate_of": duplicate_of,
    }


def _outer_claims(claims: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The claims without those nested in another claim of the same speaker (a quote inside its
    attribution is one claim; counted once).  Claims of different speakers all stay."""
    def span(c: Mapping[str, Any]) -> tuple[int, int] | None:
        s, e = c.get("start"), c.get("end")
        return (s, e) if isinstance(s, int) and isinstance(e, int) else None

    def who(c: Mapping[str, Any]) -> Any:
        return (c.get("speaker") or {}).get("id")

    order = sorted(range(len(claims)), key=lambda i: (span(claims[i]) or (0, 0))[0] - (span(claims[i]) or (0, 0))[1])
    kept: list[int] = []  # longest first, so an outer claim is seen before what it holds
    for i in order:
        si = span(claims[i])
        if si is not None and any(
            (sk := span(claims[k])) is not None and sk[0] <= si[0] and si[1] <= sk[1] and who(claims[k]) == who(claims[i])
            for k in kept
        ):
            continue
        kept.append(i)
    return [claims[i] for i in sorted(kept)]


class _Tally:
    """Corpus-wide counts, one article at a time (so the articles need not stay in memory): the
    article rows, entities over representatives (most used name and type, article and mention
    counts), who says what about whom (outer claims of representatives) and the names all articles
    use for each entity."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []  # compact rows (_article_row)
        self.names: dict[str, Counter[str]] = defaultdict(Counter)  # representatives
        self.types: dict[str, Counter[str]] = defaultdict(Counter)
        self.arts: Counter[str] = Counter()
        self.mentions: Counter[str] = Counter()
        self.all_names: dict[str, Counter[str]] = defaultdict(Counter)  # every article, duplicates included
        self.says: Counter[str] = Counter()
        self.about: Counter[str] = Counter()
        self.speakers: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, a: Article) -> None:
        self.rows.append(_article_row(a))
        for e in a.entities:
            if e.get("id") and e.get("name"):
                self.all_names[e["id"]][e["name"]] += 1
        if a.duplicate_of:
            return
        for e in a.entities:
            eid = e.get("id")
            if not eid:
                continue
            self.names[eid][e.get("name") or eid] += 1
            if e.get("type"):
                self.types[eid][e["type"]] += 1
            self.arts[eid] += 1
            self.mentions[eid] += len(e.get("mentions") or [])
        self.add_claims(a)

    def add_claims(self, a: Article) -> None:
        """Count the outer claims of a representative: who says, about whom."""
        for c in _outer_claims(a.claims):
            speaker = (c.get("speaker") or {}).get("id")
            if speaker:
                self.says[speaker] += 1
            for eid in sorted(set(c.get("entities") or [])):
                if eid == speaker:
                    continue
                self.about[eid] += 1
                if speaker:
                    self.speakers[eid][speaker] += 1

    def entities(self) -> list[dict[str, Any]]:
        out = []
        for eid in sorted(self.arts):
            # most frequent, ties broken alphabetically, so the choice is stable
            name = min(self.names[eid].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            types = self.types.get(eid)
            etype = min(types.items(), key=lambda kv: (-kv[1], kv[0]))[0] if types else None
            out.append({"id": eid, "name": name, "type": etype, "articles": self.arts[eid],
                        "mentions": self.mentions[eid]})
        return out

    def claims_by_entity(self, top: int) -> dict[str, dict[str, Any]]:
        """Per entity: claims it makes (``says``), claims naming it (``about``), who speaks about it most."""
        out: dict[str, dict[str, Any]] = {}
        for eid in sorted(set(self.says) | set(self.about)):
            ranked = sorted(self.speakers.get(eid, {}).items(), key=lambda kv: (-kv[1], kv[0]))[: max(0, top)]
            out[eid] = {"says": self.says[eid], "about": self.about[eid],
                        "speakers": [{"id": sid, "claims": n} for sid, n in ranked]}
        return out

    def entity_names(self) -> dict[str, str]:
        """Entity id → the name the articles use most (ties alphabetical)."""
        return {i: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for i, c in self.all_names.items()}


def _tally(articles: Sequence[Article]) -> _Tally:
    t = _Tally()
    for a in articles:
        t.add(a)
    return t


def _entities(articles: Sequence[Article]) -> list[dict[str, Any]]:
    """Entities over representatives: most used name and type, article and mention counts."""
    return _tally(articles).entities()


def _claims_by_entity(articles: Sequence[Article], top: int) -> dict[str, dict[str, Any]]:
    """Per entity: claims it makes (``says``), claims naming it (``about``), and who speaks about it most."""
    t = _Tally()
    for a in articles:
        if not a.duplicate_of:
            t.add_claims(a)
    return t.claims_by_entity(top)


def _entity_names(articles: Sequence[Article]) -> dict[str, str]:
    """Entity id → the name the articles use most (ties alphabetical)."""
    return _tally(articles).entity_names()


def _sort_key_date(d: Any) -> str:
    if isinstance(d, Mapping):
        d = d.get("value") or d.get("earliest")
    return str(d or "9999")


def assemble_picture(
    articles: Sequence[Article],
    storylines: Sequence[Mapping[str, Any]],
    stories: Sequence[Mapping[str, Any]],
    events: Sequence[Mapping[str, Any]],
    variants: Sequence[Mapping[str, Any]],
    timeline: Sequence[Mapping[str, Any]],
    *,
    db: str | None = None,
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The picture.json object from its computed parts (pure; sorted for stable output)."""
    tally = _tally(sorted(articles, key=lambda a: a.id))
    return _assemble(tally, storylines, stories, events, variants, timeline, db=db, settings=settings)


def _assemble(
    tally: _Tally,
    storylines: Sequence[Mapping[str, Any]],
    stories: Sequence[Mapping[str, Any]],
    events: Sequence[Mapping[str, Any]],
    variants: Sequence[Mapping[str, Any]],
    timeline: Sequence[Mapping[str, Any]],
    *,
    db: str | None,
    settings: Mapping[str, Any] | None,
) -> dict[str, Any]:
    rs = dict(settings or {})
    rows = list(_rows(tally))
    return {
        "schema_version": PICTURE_SCHEMA_VERSION,
        "generated_from": {"articles": len(rows), "db": db},
        "articles": rows,
        "entities": tally.entities(),
        "storylines": _ordered("storylines", storylines),
        "stories": _ordered("stories", stories),
        "events": _ordered("events", events),
        "timeline": _ordered("timeline", timeline),
        "variants": _ordered("variants", variants),
        "claims_by_entity": tally.claims_by_entity(int(rs.get("top_speakers", 5))),
    }


def _rows(tally: _Tally) -> LazySection:
    tally.rows.sort(key=lambda r: r[0])  # by id
    return LazySection(tally.rows, _row_dict)


#: How each list section is ordered.
_ORDER: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "storylines": lambda s: str(s.get("id")),
    "stories": lambda s: str(s.get("id")),
    "events": lambda e: (_sort_key_date(e.get("date")), str(e.get("id"))),
    "timeline": lambda t: str(t.get("storyline")),
    "variants": lambda v: (str(v.get("measure")), str(v.get("object"))),
}


def _ordered(section: str, items: Sequence[Mapping[str, Any]], *, copy: bool = True) -> list[Any]:
    """A list section in its order: shallow copies of the caller's items, or (``copy=False``, for a
    list of our own) the list itself, sorted in place."""
    if copy or not isinstance(items, list):
        return sorted((dict(x) for x in items), key=_ORDER[section])
    items.sort(key=_ORDER[section])
    return items


def _story_maps(membership: Sequence[tuple[str, str, str | None]],
                duplicate_of: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """``story_of_article`` (duplicates follow their representative; ``duplicate_of`` in store order)
    and ``storyline_of_story``, from the stored membership rows ``(article, story, storyline)``
    (``store._stories.read_story_membership``): the stories' texts and counts are not needed for them."""
    story_of_article: dict[str, str] = {}
    storyline_of_story: dict[str, str] = {}
    for aid, sid, lid in membership:
        story_of_article[aid] = sid
        if lid:
            storyline_of_story[sid] = lid
    for aid, rep in duplicate_of.items():
        if aid not in story_of_article and rep in story_of_article:
            story_of_article[aid] = story_of_article[rep]
    return story_of_article, storyline_of_story


def build_picture(store: Store, settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Compute the picture of everything in ``store`` (stories must be up to date: ``update_stories``).

    ``settings`` is a whole config (``load_config()``); each part gets its own
    ``[picture.*]`` table.  Returns the picture.json object (sections in :data:`SECTIONS` order);
    :func:`picture_sections` gives the same sections one at a time.
    """
    parts = {k: list(v) if isinstance(v, LazySection) else v for k, v in picture_sections(store, settings)}
    return {k: parts[k] for k in SECTIONS}


def picture_sections(store: Store, settings: Mapping[str, Any] | None = None) -> Iterator[tuple[str, Any]]:
    """``(section, value)`` for each section of :func:`build_picture`'s picture, each as soon as it is
    final and dropped once given (not in :data:`SECTIONS` order: the articles, entities, claims and
    variants come first, the stories, events and timeline last).

    Memory: the articles stream past once (``store._lean.iter_picture_articles``, a chunk at a
    time); each leaves its row and counts in a :class:`_Tally`, its counted figures as value rows
    (:func:`._variants.article_values`) and, where it has events, a lean record
    (:func:`._lean.lean_article`) — never the whole article.  A caller that writes each section
    away and drops it before asking for the next (:meth:`Store.save_picture <lagebild.store.Store.save_picture>`
    does) holds at most the sections still being computed, never the whole picture.

    Each value is the section as in the picture, but ``articles`` and ``timeline`` are each a
    :class:`LazySection`, a read-only sequence that makes each item as it is read (``list()`` it to keep
    them; read it before asking for the next section).
    """
    from ..nlp._morph import release_lemmas
    from ..store._lean import duplicate_map
    from ..store._stories import read_story_membership
    from ._clause_lemmas import clause_lemmas
    from ._events import merge_events
    from ._labels import label_groups
    from ._stories import load_stories
    from ._timeline import timeline_groups, timeline_item
    from ._variants import compare_values

    # first, while nothing else is held: which story each article is in, and the lemmas of the
    # clauses the events part compares by wording (the lemma dictionary is let go again right after)
    story_of_article, storyline_of_story = _story_maps(read_story_membership(store), duplicate_map(store))
    lemmas = clause_lemmas(store, story_of_article)
    tally, values, profiles, with_events = _stream(store)
    rows = _rows(tally)
    tally.rows = []
    yield "schema_version", PICTURE_SCHEMA_VERSION
    yield "generated_from", {"articles": len(rows), "db": str(store.path) if getattr(store, "path", None) else None}
    yield "articles", rows
    del rows
    yield "entities", tally.entities()
    yield "claims_by_entity", tally.claims_by_entity(int(report_settings(settings).get("top_speakers", 5)))
    names = tally.entity_names()
    del tally
    ev_settings = _table(settings, "events")
    yield "variants", _ordered("variants", compare_values(values, profiles, ev_settings), copy=False)
    del values, profiles
    # the stories themselves (texts, counts) are loaded only once the events are merged: until then
    # the events need only which story and storyline each article is in
    events = merge_events(with_events, ev_settings, story_of_article, clustered=release_lemmas, lemmas=lemmas)
    del with_events, lemmas
    # the timeline does not depend on the stories' labels: given (an item made at a time) and dropped
    # before the stories are loaded
    groups = timeline_groups(events, story_of_article, storyline_of_story)
    groups.sort(key=lambda g: str(g[0]))  # the section's order (_ORDER), stable
    yield "timeline", LazySection(groups, timeline_item)
    del groups
    del story_of_article, storyline_of_story
    storylines, stories = load_stories(store)
    label_groups(storylines, stories, events, names)
    del names
    yield "storylines", _ordered("storylines", storylines, copy=False)
    del storylines
    yield "stories", _ordered("stories", stories, copy=False)
    del stories
    yield "events", _ordered("events", events, copy=False)


def _stream(store: Store) -> tuple[_Tally, dict[str, list[Value]], dict[str, frozenset[str]], list[Any]]:
    """Read every stored article once: ``(tally, values, profiles, with_events)`` — the counts, the
    counted figures by measure (article order), the entities of the articles with figures (equal
    sets shared) and the lean event records (id order = store order)."""
    from ..store._lean import iter_picture_articles
    from ._lean import lean_article
    from ._variants import article_profile, article_values

    tally = _Tally()
    with_events: list[Any] = []
    values: dict[str, list[Value]] = defaultdict(list)
    profiles: dict[str, frozenset[str]] = {}
    shared: dict[frozenset[str], frozenset[str]] = {}
    parts: dict[Any, Any] = {}  # equal small parts of the events (and event sentences), one object
    for a in iter_picture_articles(store):
        tally.add(a)
        found = article_values(a, shared)
        if found:
            profile = article_profile(a)
            profiles[a.id] = shared.setdefault(profile, profile)
            for measure, v in found:
                values[measure].append(v)
        rec = lean_article(a, figures=False, share=parts)
        if rec is not None:
            with_events.append(rec)
    return tally, values, profiles, with_events
