"""Figure variants: one measure ("shells delivered") told with different numbers.

Quantities are grouped by their ``measure`` key (only keys with a counted
object: ``count:shell``, not ``count:`` or ``%:``).  Each value gets the time
it refers to (a dated time expression inside its claim, else its article's
publication interval), who says it (the claim's speaker and relaying source)
and how firmly (the claim's status).  A measure's values are split into
figures about one thing: values of different articles whose sentences name a
common entity and whose articles name much the same entities, plus a figure
repeated in one article (two different figures of one measure in one article
count two things and are never compared).  A group is then classified:

* ``same`` — every value agrees with the others within its qualifier;
* ``update`` — values differ and one report is clearly later than the other
  (or one source gives both and the dates do not order them: a revision);
* ``different_source`` — values differ at about the same (or an unknown) time
  and come from different speakers or sources;
* ``contradiction`` — values differ incompatibly for known, overlapping times
  from the same source, or both stated as fact by their outlets.

The group takes the gravest relation any two of its values have, and its
``reason`` is that pair's sentence (named sources preferred).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date
from typing import Any, Iterable, Iterator, Mapping, Sequence

from ..model import Article
from ..periods import parse_iso, period
from ._events import _find, _sentence, _state_of, events_settings
from ._events import intern_word as _word
from ._lean import LeanArticle

__all__ = ["compare_measures", "compare_values", "article_values", "article_profile", "Value", "CLASSIFICATIONS"]

CLASSIFICATIONS = ("same", "update", "different_source", "contradiction")
_RANK = {"same": 0, "different_source": 1, "update": 2, "contradiction": 3}
_MOD_WORDS = {
    "APPROX": "about", "MORE_THAN": "more than", "LESS_THAN": "less than", "AT_LEAST": "at least",
    "AT_MOST": "at most", "UP_TO": "up to", "NEARLY": "nearly",
}
#: A group with more value pairs than this compares each value with the next in time order only.
_ALL_PAIRS = 20000
_LOWER = {"MORE_THAN", "AT_LEAST"}
_UPPER = {"LESS_THAN", "AT_MOST", "UP_TO", "NEARLY"}


def _actor(ref: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return {"id": ref.get("id"), "text": ref.get("text")} if ref else None


def _when(a: Article, claim: Mapping[str, Any] | None) -> tuple[date | None, date | None, str]:
    """The interval a value refers to and where it came from (claim time, publication)."""
    if claim is not None:
        for t in a.times:
            if claim["start"] <= t["start"] and t["end"] <= claim["end"] and (p := period(t.get("value"), t.get("mod"))):
                return p[0], p[1], "claim"
    p = a.published
    if p.value and (d := parse_iso(p.value)):
        return d, d, "published"
    lo, hi = parse_iso(p.earliest), parse_iso(p.latest)
    return lo, hi, "inferred" if (lo or hi) else "unknown"


class Value(Mapping[str, Any]):
    """One counted figure as :func:`compare_values` reads it: a read-only mapping over fixed keys
    (those of the output's value rows, and ``_when``, ``_object``, ``_ents``: working data).

    Slots, not a dict: a corpus of 100,000 articles has hundreds of thousands of figures, all held
    until they are compared, and a dict of 17 keys takes about a kilobyte more.
    """

    __slots__ = ("article", "outlet", "published", "speaker", "source", "status", "value", "low", "high", "mod",
                 "unit", "text", "start", "end", "_when", "_object", "_ents")

    def __init__(self, **fields: Any) -> None:
        for k in self.__slots__:
            object.__setattr__(self, k, fields[k])

    def __getitem__(self, key: str) -> Any:
        if key not in self.__slots__:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.__slots__)

    def __len__(self) -> int:
        return len(self.__slots__)

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(f"a figure's {key} is read-only")

    def __reduce__(self) -> tuple[Any, ...]:
        return _value, (tuple(getattr(self, k) for k in self.__slots__),)

    def __repr__(self) -> str:
        return f"Value({dict(self)!r})"


def _value(fields: tuple[Any, ...]) -> Value:
    return Value(**dict(zip(Value.__slots__, fields)))


def article_values(a: Article | LeanArticle, share: dict[frozenset[str], frozenset[str]] | None = None
                   ) -> list[tuple[str, Value]]:
    """``(measure, value)`` for each counted figure of ``a`` (none for a duplicate: a copy tells
    nothing its representative does not).  The value keeps what :func:`compare_values` reads; its
    keys starting with ``_`` are working data, left out of the output.  ``share``: a dict a caller
    keeps for all articles, so equal entity sets of figures are one object."""
    if a.duplicate_of:
        return []
    out: list[tuple[str, Value]] = []
    spans: list[tuple[int, int, str]] | None = None
    claim_of: dict[int, Mapping[str, Any]] = {}
    for i, q in enumerate(a.quantities):
        measure = q.get("measure") or ""
        if ":" not in measure or not measure.split(":", 1)[1]:
            continue
        if spans is None:  # worked out once, for the first counted figure
            claim_of = {k: c for c in a.claims for k in c.get("quantities") or []}
            spans = [(x["start"], x["end"], _state_of(e["id"])) for e in a.entities for x in e.get("mentions") or []]
        c = claim_of.get(i)
        lo, hi, basis = _when(a, c)
        out.append((measure, Value(
            article=a.id, outlet=_word(a.outlet),
            published=a.published.value or a.published.earliest,
            speaker=_actor(c.get("speaker")) if c else None,
            source=_actor(c.get("source")) if c else None,
            status=_word(c.get("status")) if c else "asserted",
            value=q.get("value"), low=q.get("low"), high=q.get("high"), mod=_word(q.get("mod")),
            unit=_word(q.get("unit")), text=q.get("text"), start=q["start"], end=q["end"],
            _when=(lo, hi, basis), _object=_word(q.get("object_lemma") or q.get("object")),
            _ents=_entities_near(a, q["start"], spans, share),
        )))
    return out


def _values(articles: Sequence[Article | LeanArticle]) -> dict[str, list[Value]]:
    groups: dict[str, list[Value]] = defaultdict(list)
    for a in articles:
        for measure, v in article_values(a):
            groups[measure].append(v)
    return groups


def _entities_near(a: Article, start: int, spans: list[tuple[int, int, str]],
                   share: dict[frozenset[str], frozenset[str]] | None = None) -> frozenset[str]:
    s, e = _sentence(a, start, start + 1)
    near = frozenset(i for x, y, i in spans if s <= x < e)
    return near if share is None else share.setdefault(near, near)


def _topics(values: list[Value], cfg: Mapping[str, Any], profiles: Mapping[str, frozenset[str]]) -> list[list[Value]]:
    """Split one measure's values into figures about one thing: values of different articles whose
    sentences name a common entity and whose articles name much the same entities (Jaccard of the
    articles' entity sets), and agreeing values of one article (a figure repeated)."""
    tol, same_tol = float(cfg["approx_tolerance"]), float(cfg["same_tolerance"])
    least, width = float(cfg["variant_min_article_overlap"]), max(1, int(cfg["block_window"]))
    parent = {i: i for i in range(len(values))}
    with_entity: dict[str, list[int]] = defaultdict(list)
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(values):
        by_article[v["article"]].append(i)
        for ent in v["_ents"]:
            with_entity[ent].append(i)

    def related(i: int, j: int) -> bool:
        a, b = profiles[values[i]["article"]], profiles[values[j]["article"]]
        return bool(a | b) and len(a & b) / len(a | b) >= least

    for idx in with_entity.values():
        for x, i in enumerate(idx):
            for j in idx[x + 1 : x + 1 + width]:
                if values[i]["article"] != values[j]["article"] and related(i, j):
                    parent[_find(parent, i)] = _find(parent, j)
    for idx in by_article.values():
        for x, i in enumerate(idx):
            for j in idx[x + 1 :]:
                si, sj = _span(values[i], tol), _span(values[j], tol)
                if si and sj and _agree(si, sj, same_tol):
                    parent[_find(parent, i)] = _find(parent, j)
    groups: dict[int, list[Value]] = defaultdict(list)
    for i, v in enumerate(values):
        groups[_find(parent, i)].append(v)
    return list(groups.values())


def _span(v: Mapping[str, Any], tol: float) -> tuple[float, float, float] | None:
    """(low, central, high) a value allows."""
    x, lo, hi, mod = v.get("value"), v.get("low"), v.get("high"), v.get("mod")
    if x is None:
        if lo is None or hi is None:
            return None
        return float(lo), (lo + hi) / 2.0, float(hi)
    x = float(x)
    if mod == "APPROX":
        return x * (1 - tol), x, x * (1 + tol)
    if mod in _LOWER:
        return x, x, math.inf
    if mod in _UPPER:
        return (x * (1 - tol) if mod == "NEARLY" else 0.0), x, x
    return x, x, x


def _agree(a: tuple[float, float, float], b: tuple[float, float, float], same_tol: float) -> bool:
    if a[0] > b[2] or b[0] > a[2]:
        return False
    big = max(abs(a[1]), abs(b[1])) or 1.0
    if abs(a[1] - b[1]) / big <= same_tol:
        return True
    # a closed range holding the other figure ("100 bis 600" and "500"); an open bound ("more than") is too vague
    finite = math.isfinite(a[2]) and math.isfinite(b[2])
    return finite and (a[0] <= b[1] <= a[2] and a[0] < a[2] or b[0] <= a[1] <= b[2] and b[0] < b[2])


def _who(v: Mapping[str, Any]) -> str:
    for k in ("speaker", "source"):
        ref = v.get(k)
        if ref:
            return ref.get("id") or " ".join(str(ref.get("text") or "").lower().split())
    return f"outlet:{v.get('outlet') or v['article']}"


def _number(x: float) -> str:
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(x) >= size:
            return f"{x / size:g} {word}"
    return f"{x:,.0f}" if x == int(x) else f"{x:g}"


def _describe(v: Mapping[str, Any]) -> str:
    if v.get("value") is None and v.get("low") is not None:
        num = f"{_number(v['low'])} to {_number(v['high'])}"
    else:
        num = _number(float(v["value"]))
        if v.get("mod") in _MOD_WORDS:
            num = f"{_MOD_WORDS[v['mod']]} {num}"
    if v.get("unit"):
        num += f" {v['unit']}"
    lo, hi, basis = v["_when"]
    if lo is None and hi is None:
        when = "date unknown"
    elif lo == hi:
        when = lo.isoformat()  # type: ignore[union-attr]
    elif hi is None:
        when = f"not before {lo.isoformat()}"  # type: ignore[union-attr]
    elif lo is None:
        when = f"not after {hi.isoformat()}"
    else:
        when = f"{lo.isoformat()} to {hi.isoformat()}"
    if basis == "inferred":
        when += ", inferred"
    who = (v.get("speaker") or v.get("source") or {}).get("text") or (v.get("outlet") or f"article {v['article']}")
    return f"{num} ({when}, {who}, {v.get('status') or 'asserted'})"


def _later(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether ``b`` is clearly later than ``a`` (non-overlapping known intervals)."""
    a_hi, b_lo = a["_when"][1], b["_when"][0]
    return a_hi is not None and b_lo is not None and b_lo > a_hi


def _relation(a: Value, b: Value, sa: tuple[float, float, float], sb: tuple[float, float, float]) -> tuple[str, str]:
    da, db = _describe(a), _describe(b)
    for x, y, dx, dy in ((a, b, da, db), (b, a, db, da)):
        if _later(x, y):
            return "update", f"{dy} is later than {dx}: an update over time"
    compatible = not (sa[0] > sb[2] or sb[0] > sa[2])
    if compatible and _who(a) == _who(b):
        return "same", f"{da} and {db} are compatible within their qualifiers"
    if not compatible and _who(a) == _who(b):
        if _same_time(a, b):
            return "contradiction", f"{da} and {db} come from the same source at the same time and cannot both hold"
        return "update", f"{da} and {db} come from the same source; the dates do not say which figure is newer"
    if not compatible and _same_time(a, b) and _both_asserted(a, b):
        return "contradiction", f"{da} and {db} are both stated as fact for the same time and cannot both hold"
    return "different_source", f"{da} and {db} come from different sources at about the same or an unknown time"


def _both_asserted(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Both outlets state the figure themselves."""
    return not any(v.get("status") != "asserted" or v.get("speaker") or v.get("source") for v in (a, b))


def _same_time(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Both refer to known times that overlap."""
    (lo1, hi1, _), (lo2, hi2, _) = a["_when"], b["_when"]
    return None not in (lo1, hi1, lo2, hi2) and lo1 <= hi2 and lo2 <= hi1


def _classify(values: list[Value], cfg: Mapping[str, Any]) -> tuple[str, str]:
    tol, same_tol = float(cfg["approx_tolerance"]), float(cfg["same_tolerance"])
    spans = [_span(v, tol) for v in values]
    idx = [i for i, s in enumerate(spans) if s is not None]
    if len(idx) < 2:
        return "same", "only one usable figure"
    pairs: Iterable[tuple[int, int]]
    if len(idx) * (len(idx) - 1) // 2 > _ALL_PAIRS:  # a very common measure: neighbours in time order only
        pairs = zip(idx, idx[1:])
    else:  # never built as a list: a group of thousands of copies has millions of pairs
        pairs = ((i, j) for x, i in enumerate(idx) for j in idx[x + 1 :])
    best: tuple[str, str] | None = None
    best_key = (-1, -1)
    for i, j in pairs:
        si, sj = spans[i], spans[j]
        if _agree(si, sj, same_tol) or values[i]["article"] == values[j]["article"]:  # type: ignore[arg-type]
            continue  # one article giving two figures of a measure counts two things
        rel = _relation(values[i], values[j], si, sj)  # type: ignore[arg-type]
        named = sum(1 for v in (values[i], values[j]) if v.get("speaker") or v.get("source"))
        if (_RANK[rel[0]], named) > best_key:  # the gravest relation, told with named sources where possible
            best, best_key = rel, (_RANK[rel[0]], named)
    if best is None:
        texts = sorted({_describe(values[i]) for i in idx})
        return "same", f"all figures agree within their qualifiers: {'; '.join(texts[:4])}"
    return best


def article_profile(a: Article | LeanArticle) -> frozenset[str]:
    """The article's entities, a capital as its state (a lean record carries it)."""
    if isinstance(a, LeanArticle):
        return a.profile
    return frozenset(_state_of(e["id"]) for e in a.entities)


def compare_measures(articles: Sequence[Article | LeanArticle], settings: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Groups of 2 or more figures for one measure about one thing, classified (see module doc).

    ``articles``: Articles or their lean records (:func:`._lean.lean_article`; same result).
    ``settings`` is the ``[picture.events]`` table (or a whole config).  A
    measure's values are split into figures about one thing (:func:`_topics`),
    so unrelated counts of "people" in unrelated stories are not compared.
    Ordered by measure; values inside a group by the time they refer to.
    """
    return compare_values(_values(articles), {a.id: article_profile(a) for a in articles}, settings)


def compare_values(values: Mapping[str, list[Value]], profiles: Mapping[str, frozenset[str]],
                   settings: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """:func:`compare_measures` from the figures already read: ``values`` maps each measure to its
    values (:func:`article_values`, in article order), ``profiles`` each of their articles to its
    entities (:func:`article_profile`).  So a caller can read the articles one at a time and keep only this."""
    cfg = events_settings(settings)
    groups = [(m, g) for m, vs in values.items() for g in _topics(vs, cfg, profiles) if len(g) >= 2]
    out = []
    for measure, group in groups:
        group.sort(key=lambda v: (v["_when"][0] or date.max, v["article"], v["start"]))
        kind, reason = _classify(group, cfg)
        objects = Counter(v["_object"] for v in group if v["_object"])
        out.append({
            "measure": measure,
            "object": objects.most_common(1)[0][0] if objects else measure.split(":", 1)[1],
            "values": [{k: val for k, val in v.items() if not k.startswith("_")} for v in group],
            "classification": kind,
            "reason": reason,
        })
    out.sort(key=lambda g: (g["measure"], g["values"][0]["article"], g["values"][0]["start"]))
    return out
