"""Cross-article events: the mentions of one real event, merged.

Mentions are candidates when they share a PLOVER category (or a compatible
one), an actor or target (a capital counts as its state), a compatible place
and compatible dates; candidate pairs come from blocks keyed by (category,
actor id), so the work stays well below all pairs.  A union-find joins them,
strongest pairs first, refusing unions that would put incompatible dates, or a
planned and a happened event, into one cluster.  An undated mention joins
another article's event only on a strong actor overlap and within its article's
known publication window, and never when its article also tells an earlier
occurrence of that event (the other mention may as well be that one).  Agency copy, duplicates and one outlet count once.
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

import numpy as np

from ..model import Article
from ..periods import parse_iso, period, precision

if TYPE_CHECKING:  # pragma: no cover
    from ._lean import LeanArticle

__all__ = ["merge_events", "events_settings", "STATUS_ORDER"]

#: Statuses from firmest to weakest.
STATUS_ORDER = ("asserted", "quoted", "reported", "hedged", "speculated", "planned", "denied")
_FIRM = {s: i for i, s in enumerate(STATUS_ORDER)}

#: Categories whose mentions may tell one event (signing one treaty is AGREE in
#: one text and SUPPORT in another).
_GROUPS = {"AGREE": "AGREE+SUPPORT", "SUPPORT": "AGREE+SUPPORT"}


def _group(event: Mapping[str, Any]) -> str:
    """The category group an event's mentions are compared in (its category, or the group it shares)."""
    kind = event.get("event") or ""
    return _GROUPS.get(kind, kind)
#: Categories whose actors and targets play the same part (a meeting, a cooperation).
_SYMMETRIC = {"CONSULT", "COOPERATE", "AGREE+SUPPORT"}


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    from ..config import load_config

    return dict(load_config()["picture"]["events"])


def events_settings(settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The ``[picture.events]`` table: from a whole config, the table itself, or the defaults."""
    table: Mapping[str, Any] = settings or {}
    if "picture" in table:
        table = (table.get("picture") or {}).get("events") or {}
    return {**_defaults(), **dict(table)}


@lru_cache(maxsize=4096)
def intern_word(value: Any) -> Any:
    """One shared string object for a word (an id, a type, a date) that thousands of the picture's records
    repeat; anything but a ``str`` as it is."""
    return sys.intern(value) if type(value) is str else value


def _state_of(entity_id: str) -> str:
    """The state a capital (or seat of government) stands for; the id itself otherwise."""
    from ..kb import load_kb

    e = load_kb().get(entity_id)
    # one string object per id for all the sets the picture keeps (profiles, figures' entities)
    return intern_word(e.metonym_of if e is not None and e.metonym_of else entity_id)


def _pub_window(a: Article) -> tuple[date | None, date | None]:
    p = a.published
    if p.value and (d := parse_iso(p.value)):
        return d, d
    return parse_iso(p.earliest), parse_iso(p.latest)


#: A publication window at most this many days wide dates an article's undated mentions; a wider one
#: (a term of office: years) says too little to merge them with other articles' dated events.
_BOUNDED_DAYS = 92


def _bounded(window: tuple[date | None, date | None]) -> bool:
    lo, hi = window
    return lo is not None and hi is not None and (hi - lo).days <= _BOUNDED_DAYS


def _partial(value: str | None) -> tuple[int, int | None] | None:
    """``XXXX-03`` / ``XXXX-07-27``: month (and day) without a year."""
    if not value or not value.startswith("XXXX-"):
        return None
    parts = value[5:].split("-")
    try:
        return int(parts[0]), (int(parts[1][:2]) if len(parts) > 1 else None)
    except (ValueError, IndexError):
        return None


@dataclass(slots=True)
class _Mention:
    key: tuple[int, int]  # (article position, event index)
    article: Article
    event: dict[str, Any]
    group: str
    planned: bool
    parts: frozenset[str]
    actors: frozenset[str]
    specific: frozenset[str]  # participants that are people or organisations, not states or places
    place: str | None
    interval: tuple[date, date] | None
    partial: tuple[int, int | None] | None
    window: tuple[date | None, date | None]
    bounded: bool  # publication window known on both sides, at most _BOUNDED_DAYS wide
    story: str | None = None  # the article's story, where known
    lemmas: frozenset[str] | None = None  # content lemmas of the clause (computed when needed)
    recurring: bool = False  # its article also tells an earlier occurrence (background, same people)


@dataclass(slots=True)
class _Cluster:
    members: list[int]
    interval: tuple[date, date] | None
    partials: set[tuple[int, int | None]]
    planned: bool
    articles: set[int]
    open_articles: set[int]  # undated mentions from articles with no bounded window


def _refs(refs: Sequence[Mapping[str, Any]] | None) -> list[str]:
    return [r["id"] for r in refs or [] if r and r.get("id")]


def _mention(pos: int, idx: int, a: Article, e: dict[str, Any], types: Mapping[str, Any],
             story: str | None = None, share: dict[Any, Any] | None = None) -> _Mention:
    """The mention of event ``idx`` of article ``a``; ``share``: a dict kept for all mentions of a
    corpus, so equal participant sets (most name the same few states) and equal date spans are one object."""
    one: dict[Any, Any] = {} if share is None else share
    d, window = e.get("date") or {}, _pub_window(a)
    window = one.setdefault(window, window)
    interval = period(d.get("value"), d.get("mod"))
    if interval is not None:
        interval = one.setdefault(interval, interval)
    parts = frozenset(_state_of(i) for i in _refs(e.get("actors")) + _refs(e.get("targets")))
    parts = one.setdefault(parts, parts)
    specific = frozenset(i for i in parts if types.get(i) not in (None, "GPE", "LOC"))
    specific = one.setdefault(specific, specific)
    actors = frozenset(_state_of(i) for i in _refs(e.get("actors")))
    place = (e.get("place") or {}).get("id")
    return _Mention(
        key=(pos, idx), article=a, event=e, group=_group(e),
        planned=e.get("status") == "planned", parts=parts, place=place,
        actors=one.setdefault(actors, actors), specific=specific,
        interval=interval, partial=_partial(d.get("value")),
        window=window, bounded=_bounded(window), story=story,
    )


#: Actor-less mentions merge with an event of their story when their clauses share this share of
#: content lemmas (Jaccard) and the same trigger lemma — or twice this share with different triggers.
_ACTORLESS_SIMILARITY = 0.25


def _lemmas(m: _Mention) -> frozenset[str]:
    """Content lemmas of the mention's clause (:func:`._clause_lemmas.clause_lemma_set`), computed here
    unless given to :func:`merge_events`."""
    if m.lemmas is None:
        from ._clause_lemmas import clause_lemma_set

        m.lemmas = clause_lemma_set(str(m.event.get("text") or ""), m.article.language,
                                    (m.event.get("trigger") or {}).get("lemma"))
    return m.lemmas


def _actorless_score(m: _Mention, n: _Mention, cfg: Mapping[str, Any]) -> float | None:
    """Mentions of which one names no participant: one event only within one story, on compatible
    dates (both dated and overlapping, or one undated in the same article) and similar clauses."""
    if m.key[0] != n.key[0] and (m.story is None or m.story != n.story):
        return None
    if bool(m.event.get("background")) != bool(n.event.get("background")):
        return None
    tol = timedelta(days=int(cfg["date_tolerance_days"]))
    if m.interval and n.interval:
        if not _overlap(m.interval, n.interval, tol):
            return None
    elif m.partial and n.partial:
        if m.partial != n.partial:
            return None
    elif m.key[0] != n.key[0] or (m.partial and n.interval) or (n.partial and m.interval):
        return None
    a, b = _lemmas(m), _lemmas(n)
    sim = len(a & b) / len(a | b) if a and b else 0.0
    t1, t2 = ((x.event.get("trigger") or {}).get("lemma") for x in (m, n))
    if sim < (_ACTORLESS_SIMILARITY if t1 and t1 == t2 else 2 * _ACTORLESS_SIMILARITY):
        return None
    return 1.0 + sim + (1.0 if m.place and m.place == n.place else 0.0)


def _places_ok(p: str | None, q: str | None) -> bool:
    return p is None or q is None or p == q or _state_of(p) == q or _state_of(q) == p


def _overlap(a: tuple[date, date], b: tuple[date, date], tol: timedelta) -> bool:
    return a[0] <= b[1] + tol and b[0] <= a[1] + tol


def _partial_fits(p: tuple[int, int | None], iv: tuple[date, date]) -> bool:
    n = (iv[1] - iv[0]).days
    days_ = (iv[0] + timedelta(days=k) for k in range(n + 1))
    return n > 62 or any(d.month == p[0] and (p[1] is None or d.day == p[1]) for d in days_)


def _window_fits(w: tuple[date | None, date | None], iv: tuple[date, date], recent: timedelta) -> bool:
    return (w[1] is None or iv[0] <= w[1]) and (w[0] is None or iv[1] >= w[0] - recent)


def _told_earlier(m: _Mention, n: _Mention) -> bool:
    """One article: one mention is dated by the publication date (the article's "now"), the other by its
    own month (or coarser) ending before it — "besuchte X im März" in an April article is an earlier
    event, whatever the day tolerance says."""
    for x, y in ((m, n), (n, m)):
        dx, dy = x.event.get("date") or {}, y.event.get("date") or {}
        if (dx.get("anchor") == "publication" and dy.get("anchor") not in (None, "publication", "none")
                and precision(dy.get("value")) not in ("day", "unknown", None)
                and y.interval is not None and x.interval is not None and y.interval[1] < x.interval[0]):
            return True
    return False


def _pair_score(m: _Mention, n: _Mention, cfg: Mapping[str, Any]) -> float | None:
    """How strongly two mentions look like one event; None if they cannot be."""
    if m.group != n.group or m.planned != n.planned or not _places_ok(m.place, n.place):
        return None
    shared = len(m.parts & n.parts)
    if shared == 0:
        return _actorless_score(m, n, cfg) if not (m.parts and n.parts) else None
    if m.group not in _SYMMETRIC and m.actors and n.actors and not m.actors & n.actors:
        return None  # different actors doing the same to the same target
    tol, recent = timedelta(days=int(cfg["date_tolerance_days"])), timedelta(days=int(cfg["recent_days"]))
    score = 2.0 * shared + (1.0 if m.place and m.place == n.place else 0.0)
    if m.interval and n.interval:
        if not _overlap(m.interval, n.interval, tol) or m.key[0] == n.key[0] and _told_earlier(m, n):
            return None
        return score + 10.0
    for x, y in ((m, n), (n, m)):
        if x.partial and y.interval and not _partial_fits(x.partial, y.interval):
            return None
    if m.partial and n.partial and m.partial != n.partial:
        return None
    if m.key[0] == n.key[0]:  # one article
        if bool(m.event.get("background")) != bool(n.event.get("background")):
            return None  # the article tells a past event as the setting of the present one
        return score + (1.0 if (m.interval or n.interval) else 0.0)
    if shared < int(cfg["min_shared_undated"]) or ((m.specific or n.specific) and not m.specific & n.specific):
        return None
    dated = m.interval or n.interval
    if not dated and (m.recurring or n.recurring):
        return None  # the other article's undated mention may as well be the earlier occurrence
    if dated:
        undated = n if m.interval else m
        if not undated.bounded or not _window_fits(undated.window, dated, recent):
            return None
        return score
    (lo1, hi1), (lo2, hi2) = m.window, n.window
    if lo1 and hi2 and lo1 > hi2 + recent or lo2 and hi1 and lo2 > hi1 + recent:
        return None
    return score


def _mark_recurring(ms: Sequence[_Mention]) -> None:
    """Flag one article's happened, current mentions whose event the article also tells as an earlier
    occurrence: a background mention of the same category whose people and organisations (all its
    participants where it names none) all take part in the current one — "zweiter Besuch …; besuchte X
    zuletzt im März"."""
    past = [m for m in ms if m.event.get("background") and not m.planned and m.parts]
    if not past:
        return
    for m in ms:
        if m.planned or m.event.get("background") or not m.parts:
            continue
        m.recurring = any(
            b.group == m.group and (b.specific or b.parts) <= m.parts for b in past
        )


def _blocks(ms: list[_Mention]) -> list[list[int]]:
    """The blocks mentions meet in, each in date order: one per category and participant, and one per category
    and story (or article) for the actor-less mentions and those they meet."""
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, m in enumerate(ms):
        for p in m.parts:
            blocks[(m.group, p)].append(i)
    # an actor-less mention meets the mentions of its category in its story (or its article)
    loose = {(m.group, m.story or f"article:{m.key[0]}") for m in ms if not m.parts}
    for i, m in enumerate(ms):
        if (k := (m.group, m.story or f"article:{m.key[0]}")) in loose:
            blocks[("story", *k)].append(i)
    for members in blocks.values():
        members.sort(key=lambda i: (ms[i].interval[0] if ms[i].interval else (ms[i].window[0] or date.min), ms[i].key))
    return list(blocks.values())


#: Pairs turned into Python numbers at a time.
_CHUNK = 65536


def _candidates(ms: list[_Mention], cfg: Mapping[str, Any]) -> Iterator[tuple[float, int, int]]:
    """Scored pairs ``(score, i, j)``, ``i < j``: same-article pairs first, then by strength, then by position.

    Each mention meets its ``block_window`` next neighbours (by date) in each block of one category and one
    participant (actor-less ones: of one story).  A pair is scored where it is met — one met in two blocks
    (two shared participants) is scored twice, the same — and only the pairs that can be one event are
    kept, as packed numbers (``i·n + j``) with their scores, 16 bytes a pair, then made unique.  The pairs
    met are never listed: a corpus with many copies of the same stories meets tens of millions of them
    (as Python tuples and a set of seen pairs they took gigabytes; as one array and its sorted copy,
    hundreds of megabytes), and keeps a few in a hundred.
    """
    width = max(1, int(cfg["block_window"]))
    n = len(ms)
    kept, scores = array("q"), array("d")
    for members in _blocks(ms):
        for x, i in enumerate(members):
            for j in members[x + 1 : x + 1 + width]:
                lo, hi = (i, j) if i < j else (j, i)
                if (s := _pair_score(ms[lo], ms[hi], cfg)) is not None:
                    kept.append(lo * n + hi)
                    scores.append(s - (0.0 if ms[lo].key[0] == ms[hi].key[0] else 1000.0))
    codes = np.frombuffer(kept, dtype=np.int64) if kept else np.zeros(0, dtype=np.int64)
    score = np.frombuffer(scores, dtype=np.float64) if scores else np.zeros(0, dtype=np.float64)
    codes, first = np.unique(codes, return_index=True)  # a pair scores the same in every block it is met in
    score = score[first]
    del kept, scores
    order = np.lexsort((codes, -score))  # strongest first; on a tie by i, then j (codes order as (i, j) does)
    for b in range(0, len(order), _CHUNK):
        part = order[b : b + _CHUNK]
        for s, code in zip(score[part].tolist(), codes[part].tolist()):
            i, j = divmod(code, n)
            yield s, i, j


def _find(parent: Any, i: Any) -> Any:
    """The root of ``i`` in ``parent`` (a dict, or a list over positions), halving the path."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _can_join(a: _Cluster, b: _Cluster, cfg: Mapping[str, Any]) -> bool:
    if a.planned != b.planned:
        return False
    tol = timedelta(days=int(cfg["date_tolerance_days"]))
    if a.interval and b.interval and not _overlap(a.interval, b.interval, tol):
        return False
    for x, y in ((a, b), (b, a)):
        if x.interval and any(not _partial_fits(p, x.interval) for p in y.partials):
            return False
        if (x.interval or x.partials) and not (y.interval or y.partials) and y.open_articles - x.articles:
            return False
    months = {p[0] for p in a.partials | b.partials}
    return len(months) <= 1


def _join(a: _Cluster, b: _Cluster) -> _Cluster:
    if a.interval and b.interval:
        lo, hi = max(a.interval[0], b.interval[0]), min(a.interval[1], b.interval[1])
        iv: tuple[date, date] | None = (lo, hi) if lo <= hi else (hi, lo)
    else:
        iv = a.interval or b.interval
    return _Cluster(a.members + b.members, iv, a.partials | b.partials, a.planned,
                    a.articles | b.articles, a.open_articles | b.open_articles)


def _single(ms: list[_Mention], i: int) -> _Cluster:
    m = ms[i]
    opened = {m.key[0]} if m.interval is None and m.partial is None and not m.bounded else set()
    return _Cluster([i], m.interval, {m.partial} if m.partial else set(), m.planned, {m.key[0]}, opened)


def _cluster(ms: list[_Mention], cfg: Mapping[str, Any]) -> list[list[int]]:
    """The mentions' clusters (member positions, sorted), ordered by their smallest member."""
    parent = list(range(len(ms)))
    clusters: dict[int, _Cluster] = {}  # of the roots that met a candidate; any other mention is alone

    def of(r: int) -> _Cluster:
        c = clusters.get(r)
        return c if c is not None else _single(ms, r)

    for _, i, j in _candidates(ms, cfg):
        ri, rj = _find(parent, i), _find(parent, j)
        if ri == rj:
            continue
        ci, cj = of(ri), of(rj)
        if not _can_join(ci, cj, cfg):
            continue
        root, other = min(ri, rj), max(ri, rj)
        parent[other] = root
        clusters.pop(other, None)
        clusters[root] = _join(ci, cj) if root == ri else _join(cj, ci)
    return [sorted(clusters[i].members) if i in clusters else [i] for i in range(len(ms)) if parent[i] == i]


def _sentence(a: Article, start: int, end: int) -> tuple[int, int]:
    for s, e in a.sentences:
        if s <= start < e:
            return s, max(e, end)
    return start, end


def merge_events(articles: Sequence[Article | LeanArticle], settings: Mapping[str, Any] | None = None,
                 story_of_article: Mapping[str, str] | None = None, *,
                 clustered: Callable[[], None] | None = None,
                 lemmas: Mapping[tuple[str, int], frozenset[str]] | None = None) -> list[dict[str, Any]]:
    """The corpus's events, each with all its mentions (see docs/picture.md for the shape).

    ``articles``: Articles or their lean records (:func:`._lean.lean_article`; same result).
    ``settings`` is the ``[picture.events]`` table (or a whole config).
    ``story_of_article`` (article id → story id) lets a mention that names no
    actor or target join an event of its story (without it: of its article).  The
    result is ordered by date (undated last), then id; ids are content-derived
    and stable across runs.  ``clustered`` is called once the mentions are
    clustered, before the events are built: no lemma is needed after that point
    (``build_picture`` lets go of the lemma dictionaries there).  ``lemmas``: the clauses' content
    lemmas by ``(article id, event index)`` where computed beforehand (:func:`._clause_lemmas.clause_lemmas`;
    any mention it lacks gets them computed here, when needed).
    """
    from ._event_record import event_record

    cfg = events_settings(settings)
    stories = story_of_article or {}
    ms: list[_Mention] = []
    share: dict[Any, Any] = {}
    for pos, a in enumerate(sorted(articles, key=lambda a: a.id)):  # the input order does not matter
        types = {ent["id"]: ent.get("type") for ent in a.entities}
        story = stories.get(a.id)
        mine = [_mention(pos, idx, a, e, types, story, share) for idx, e in enumerate(a.events)]
        if lemmas:
            for idx, m in enumerate(mine):
                m.lemmas = lemmas.get((a.id, idx))
        _mark_recurring(mine)
        ms.extend(mine)
    clusters = _cluster(ms, cfg)
    for m in ms:
        m.lemmas = None  # read by the clustering only
    if clustered is not None:
        clustered()
    out = [event_record([ms[i] for i in members]) for members in clusters]
    del clusters
    seen: Counter[str] = Counter()
    for ev in sorted(out, key=lambda e: (e["mentions"][0]["article"], e["mentions"][0]["index"])):
        seen[ev["id"]] += 1
        if seen[ev["id"]] > 1:  # same content key, different events: disambiguate by first mention
            m = ev["mentions"][0]
            ev["id"] += "-" + hashlib.sha1(f"{m['article']}:{m['start']}".encode()).hexdigest()[:6]
    out.sort(key=lambda e: (e["date"]["earliest"] is None, e["date"]["earliest"] or "", e["id"]))
    return out
