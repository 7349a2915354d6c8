"""What the events and variants parts keep of one article, so the picture never holds the corpus.

:func:`lean_article` reduces an :class:`~lagebild.model.Article` to a
:class:`LeanArticle`: the same attribute names :func:`~._events.merge_events` and
:func:`~._variants.compare_measures` read, but only the parts they can use — the
events; the sentences that hold an event or a counted figure; the entities with
mentions inside those sentences (only those mentions) or named by an event as a
participant; the quantities and times inside those sentences; the claims carrying
figures; the shared paragraphs around an event; the publication interval (without its
evidence); and, for agency copy, the text of the event sentences only.  Both parts give
the same result for the article and its lean record (a test checks it on the seeds).
An article with neither events nor counted figures has no record (None).
``build_picture`` asks for event records only (``figures=False``) and reads the figures
straight from the article (:func:`._variants.article_values`).  An events-only record
keeps, instead of entity mentions and quantities, what the events part reads of them:
per event sentence the entities mentioned in it and its figures' texts
(``sentence_parts``), and the participants' types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from ..model import Article, Published
from ._events import _sentence
from ._events import intern_word as _intern

__all__ = ["LeanArticle", "Snippets", "lean_article", "measured"]


class Snippets:
    """The text of a few spans of an article, read as ``text[start:end]`` for exactly those spans."""

    __slots__ = ("_spans",)

    def __init__(self, spans: dict[tuple[int, int], str] | None = None) -> None:
        self._spans = spans or {}

    def __getitem__(self, key: slice) -> str:
        try:
            return self._spans[(key.start, key.stop)]
        except (KeyError, AttributeError):
            raise KeyError(f"span {key!r} was not kept in the lean article — keep it in picture._lean") from None

    def __len__(self) -> int:
        return len(self._spans)


@dataclass(slots=True)
class LeanArticle:
    """The parts of an article the events and variants parts read (attribute names as on Article)."""

    id: str
    outlet: str | None
    agencies: list[str]
    language: str | None
    published: Published
    duplicate_group: str | None
    duplicate_of: str | None
    events: list[dict[str, Any]] = field(default_factory=list)
    sentences: list[list[int]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    quantities: Sequence[dict[str, Any]] = field(default_factory=list)  # () in an events-only record
    claims: Sequence[dict[str, Any]] = field(default_factory=list)
    times: Sequence[dict[str, Any]] = field(default_factory=list)
    shared_paragraphs: list[dict[str, Any]] = field(default_factory=list)
    text: Snippets = field(default_factory=Snippets)
    profile: frozenset[str] = frozenset()  #: the article's entities, a capital as its state (variants)
    #: per event sentence (start, end): the entities mentioned in it and its quantities' texts, as
    #: ``_event_record.in_sentence`` gives them — kept by an events-only record instead of the mentions
    sentence_parts: dict[tuple[int, int], tuple[frozenset[str], tuple[str, ...]]] = field(default_factory=dict)


def measured(q: dict[str, Any]) -> bool:
    """Whether a quantity counts something (a ``measure`` key with an object: ``count:shell``)."""
    m = q.get("measure") or ""
    return ":" in m and bool(m.split(":", 1)[1])


#: Event fields the events part reads (top level; nested: only the keys below).
_EVENT_KEYS = ("event", "mode", "status", "start", "end", "text", "background", "negated")
_REF_KEYS = {"actors": "id", "targets": "id"}
_SUB_KEYS = {"date": ("value", "mod"), "place": ("id",), "trigger": ("lemma",)}


#: The profile of an events-only record (an empty frozenset is a new object each time).
_NO_PROFILE: frozenset[str] = frozenset()

#: Event fields whose values (categories, modes, statuses) thousands of events repeat.
_WORD_KEYS = frozenset({"event", "mode", "status"})


def _lean_event(e: dict[str, Any], share: dict[Any, Any]) -> dict[str, Any]:
    """An event with only what ``merge_events`` reads (present keys stay present, absent ones absent).

    Its small parts (a participant ``{"id": …}``, a date ``{"value", "mod"}``, a place, a trigger) are
    taken from ``share`` where an equal one was kept before: the events part only reads them, and a
    large corpus repeats each thousands of times.
    """
    out = {k: (_intern(e[k]) if k in _WORD_KEYS else e[k]) for k in _EVENT_KEYS if k in e}
    for k, key in _REF_KEYS.items():
        if k in e:
            out[k] = [_shared(share, {key: r[key]}) for r in e[k] or [] if r and r.get(key)]
    for k, keys in _SUB_KEYS.items():
        if k in e:
            sub = e[k]
            out[k] = _shared(share, {x: sub[x] for x in keys if x in sub}) if isinstance(sub, dict) else sub
    return out


def _shared(share: dict[Any, Any], small: dict[str, Any]) -> dict[str, Any]:
    """The dict kept in ``share`` equal to ``small`` (``small`` itself the first time); unhashable
    values are not shared.  ``share`` also keeps event sentences' parts, under other keys."""
    try:
        return share.setdefault(tuple(small.items()), small)
    except TypeError:
        return small


def _shared_parts(share: dict[Any, Any] | None, got: tuple[frozenset[str], tuple[str, ...]]) -> Any:
    """An event sentence's (entities, figures), one object for equal ones (most name the same few states)."""
    if share is None:
        return got
    return share.setdefault(("sentence", got), got)


def lean_article(a: Article | LeanArticle, *, figures: bool = True,
                 share: dict[Any, Any] | None = None) -> LeanArticle | None:
    """The lean record of ``a`` (None when it has neither events nor — as a representative — counted figures).

    ``figures=False``: a record for the events part only (None without events); the variants part
    then reads the figures from the article itself (:func:`._variants.article_values`).
    ``share``: a dict the caller keeps for all records of one corpus, so equal small parts of their
    events are one object (read only; see :func:`_lean_event`).
    """
    if isinstance(a, LeanArticle):
        return a
    from ._events import _state_of

    figures = figures and not a.duplicate_of and any(measured(q) for q in a.quantities)
    if not a.events and not figures:
        return None
    # (sentence, widened to the span) around each event: accounts and agency copy read these
    ev_ranges = [_sentence(a, e["start"], e["end"]) for e in a.events]
    q_ranges = [_sentence(a, q["start"], q["start"] + 1) for q in a.quantities if measured(q)] if figures else []
    ranges = sorted(set(ev_ranges) | set(q_ranges))

    def inside(x: int) -> bool:
        return any(s <= x < e for s, e in ranges)

    # the sentence _sentence finds for each start (the first holding it), in the article's order
    starts = [e["start"] for e in a.events] + ([q["start"] for q in a.quantities if measured(q)] if figures else [])
    keep: set[int] = set()
    for x in starts:
        for k, (s, e) in enumerate(a.sentences):
            if s <= x < e:
                keep.add(k)
                break
    # the entities with mentions in those sentences (only those mentions), and those the events name
    # as participants (the events part reads their type: people and organisations are specific)
    named = {_state_of(r["id"]) for e in a.events for k in ("actors", "targets") for r in e.get(k) or []
             if r and r.get("id")}
    entities = []
    parts: dict[tuple[int, int], tuple[frozenset[str], tuple[str, ...]]] = {}
    if not figures:  # the events part reads the entities and figures of an event's sentence only: kept per sentence
        from ._event_record import in_sentence

        parts = {r: _shared_parts(share, in_sentence(a, *r)) for r in set(ev_ranges)}
    for ent in a.entities:
        if not figures:  # a participant's id and type (one shared object for equal ones), no mentions
            if ent.get("id") in named:
                entities.append(_shared({} if share is None else share,
                                        {"id": _intern(ent.get("id")), "type": _intern(ent.get("type")), "mentions": ()}))
            continue
        mentions = [{"start": m["start"], "end": m["end"]} for m in ent.get("mentions") or [] if inside(m["start"])]
        if mentions or ent.get("id") in named:
            entities.append({"id": _intern(ent.get("id")), "type": _intern(ent.get("type")), "mentions": mentions})
    quantities: Sequence[dict[str, Any]] = ()
    claims: Sequence[dict[str, Any]] = ()
    times: Sequence[dict[str, Any]] = ()
    profile: frozenset[str] = _NO_PROFILE
    if figures:
        quantities = list(a.quantities)  # positions matter: claims name their figures by index
        claims = [c for c in a.claims if c.get("quantities")]
        spans = [(c["start"], c["end"]) for c in claims if isinstance(c.get("start"), int) and isinstance(c.get("end"), int)]
        times = [t for t in a.times if any(s <= t["start"] and t["end"] <= e for s, e in spans)]
        profile = frozenset(_state_of(e["id"]) for e in a.entities)
    shared = [p for p in a.shared_paragraphs
              if any(p["start"] <= e["start"] and e["end"] <= p["end"] for e in a.events)]
    # agency copy is compared by the text of the event's sentence (only where the article names an agency)
    text = Snippets({r: a.text[r[0]:r[1]] for r in set(ev_ranges)} if a.agencies else None)
    return LeanArticle(
        id=a.id, outlet=a.outlet, agencies=list(a.agencies), language=a.language,
        published=Published(a.published.value, a.published.earliest, a.published.latest, a.published.source),
        duplicate_group=a.duplicate_group, duplicate_of=a.duplicate_of, events=[_lean_event(e, {} if share is None else share) for e in a.events],
        sentences=[a.sentences[k] for k in sorted(keep)], entities=entities, quantities=quantities,
        claims=claims, times=times, shared_paragraphs=shared, text=text, profile=profile, sentence_parts=parts,
    )
