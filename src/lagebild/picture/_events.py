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
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

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
def _state_of(entity_id: str) -> str:
    """The state a capital (or seat of government) stands for; the id itself otherwise."""
    from ..kb import load_kb

    e = load_kb().get(entity_id)
    return e.metonym_of if e is not None and e.metonym_of else entity_id


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
             story: str | None = None) -> _Mention:
    d, window = e.get("date") or {}, _pub_window(a)
    parts = frozenset(_state_of(i) for i in _refs(e.get("actors")) + _refs(e.get("targets")))
    specific = frozenset(i for i in parts if types.get(i) not in (None, "GPE", "LOC"))
    place = (e.get("place") or {}).get("id")
    return _Mention(
        key=(pos, idx), article=a, event=e, group=_GROUPS.get(e.get("event") or "", e.get("event") or ""),
        planned=e.get("status") == "planned", parts=parts, place=place,
        actors=frozenset(_state_of(i) for i in _refs(e.get("actors"))), specific=specific,
        interval=period(d.get("value"), d.get("mod")), partial=_partial(d.get("value")),
        window=window, bounded=_bounded(window), story=story,
    )


#: Actor-less mentions merge with an event of their story when their clauses share this share of
#: content lemmas (Jaccard) and the same trigger lemma — or twice this share with different triggers.
_ACTORLESS_SIMILARITY = 0.25
#: Shortest word counted as a content lemma.
_CONTENT_MIN = 4


def _lemmas(m: _Mention) -> frozenset[str]:
    """Content lemmas of the mention's clause (words of 4+ letters), the trigger's lemma included."""
    if m.lemmas is None:
        from ..nlp import lemma, tokenize

        text = str(m.event.get("text") or "")
        lang = m.article.language
        words = {lemma(t.text, lang).casefold() for t in tokenize(text, lang)
                 if len(t.text) >= _CONTENT_MIN and t.text.isalpha()}
        trig = (m.event.get("trigger") or {}).get("lemma")
        m.lemmas = frozenset(words | ({str(trig).casefold()} if trig else set()))
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
    participant (actor-less ones: of one story).  The pairs are kept as packed numbers (``i·n + j``) and
    float arrays, 16 bytes a pair: a corpus with many copies of the same stories has tens of millions of
    them, which as Python tuples and a set of seen pairs took gigabytes.
    """
    width = max(1, int(cfg["block_window"]))
    n = len(ms)
    met = array("q")
    for members in _blocks(ms):
        for x, i in enumerate(members):
            for j in members[x + 1 : x + 1 + width]:
                met.append(min(i, j) * n + max(i, j))
    pairs = np.unique(np.frombuffer(met, dtype=np.int64)) if met else np.zeros(0, dtype=np.int64)
    del met
    kept, scores = array("q"), array("d")
    for b in range(0, len(pairs), _CHUNK):
        for code in pairs[b : b + _CHUNK].tolist():
            i, j = divmod(code, n)
            if (s := _pair_score(ms[i], ms[j], cfg)) is not None:
                kept.append(code)
                scores.append(s - (0.0 if ms[i].key[0] == ms[j].key[0] else 1000.0))
    del pairs
    codes = np.frombuffer(kept, dtype=np.int64) if kept else np.zeros(0, dtype=np.int64)
    score = np.frombuffer(scores, dtype=np.float64) if scores else np.zeros(0, dtype=np.float64)
    order = np.lexsort((codes, -score))  # strongest first; on a tie by i, then j (codes order as (i, j) does)
    for b in range(0, len(order), _CHUNK):
        part = order[b : b + _CHUNK]
        for s, code in zip(score[part].tolist(), codes[part].tolist()):
            i, j = divmod(code, n)
            yield s, i, j


def _find(parent: dict[Any, Any], i: Any) -> Any:
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


def _cluster(ms: list[_Mention], cfg: Mapping[str, Any]) -> list[list[int]]:
    parent = {i: i for i in range(len(ms))}
    clusters: dict[int, _Cluster] = {}
    for i, m in enumerate(ms):
        opened = {m.key[0]} if m.interval is None and m.partial is None and not m.bounded else set()
        clusters[i] = _Cluster([i], m.interval, {m.partial} if m.partial else set(), m.planned, {m.key[0]}, opened)

    for _, i, j in _candidates(ms, cfg):
        ri, rj = _find(parent, i), _find(parent, j)
        if ri == rj or not _can_join(clusters[ri], clusters[rj], cfg):
            continue
        root, other = min(ri, rj), max(ri, rj)
        parent[other] = root
        clusters[root] = _join(clusters[root], clusters.pop(other))
    return [sorted(c.members) for c in clusters.values()]


def _sentence(a: Article, start: int, end: int) -> tuple[int, int]:
    for s, e in a.sentences:
        if s <= start < e:
            return s, max(e, end)
    return start, end


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


def _accounts_of(group: Sequence[_Mention]) -> list[dict[str, Any]]:
    """Per outlet (an article where the outlet is unknown): what its sentences add and omit."""
    ents: dict[str, set[str]] = defaultdict(set)
    quants: dict[str, set[str]] = defaultdict(set)
    first: dict[str, tuple[str | None, str]] = {}
    for m in group:
        a = m.article
        k = a.outlet or f"article:{a.id}"
        first.setdefault(k, (a.outlet, a.id))
        s, e = _sentence(a, m.event["start"], m.event["end"])
        for ent in a.entities:
            if any(s <= x["start"] < e for x in ent.get("mentions") or []):
                ents[k].add(_state_of(ent["id"]))
        quants[k].update(q["text"] for q in a.quantities if s <= q["start"] < e)
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


def _build(group: list[_Mention]) -> dict[str, Any]:
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


def merge_events(articles: Sequence[Article | LeanArticle], settings: Mapping[str, Any] | None = None,
                 story_of_article: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The corpus's events, each with all its mentions (see docs/picture.md for the shape).

    ``articles``: Articles or their lean records (:func:`._lean.lean_article`; same result).
    ``settings`` is the ``[picture.events]`` table (or a whole config).
    ``story_of_article`` (article id → story id) lets a mention that names no
    actor or target join an event of its story (without it: of its article).  The
    result is ordered by date (undated last), then id; ids are content-derived
    and stable across runs.
    """
    cfg = events_settings(settings)
    stories = story_of_article or {}
    ms: list[_Mention] = []
    for pos, a in enumerate(sorted(articles, key=lambda a: a.id)):  # the input order does not matter
        types = {ent["id"]: ent.get("type") for ent in a.entities}
        story = stories.get(a.id)
        mine = [_mention(pos, idx, a, e, types, story) for idx, e in enumerate(a.events)]
        _mark_recurring(mine)
        ms.extend(mine)
    out = [_build([ms[i] for i in members]) for members in _cluster(ms, cfg)]
    seen: Counter[str] = Counter()
    for ev in sorted(out, key=lambda e: (e["mentions"][0]["article"], e["mentions"][0]["index"])):
        seen[ev["id"]] += 1
        if seen[ev["id"]] > 1:  # same content key, different events: disambiguate by first mention
            m = ev["mentions"][0]
            ev["id"] += "-" + hashlib.sha1(f"{m['article']}:{m['start']}".encode()).hexdigest()[:6]
    out.sort(key=lambda e: (e["date"]["earliest"] is None, e["date"]["earliest"] or "", e["id"]))
    return out
