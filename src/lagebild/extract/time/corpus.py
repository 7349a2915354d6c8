"""The ``pubdate_corpus`` stage: inferred publication intervals refined across the corpus.

Two simple, explainable steps, both near-linear in the corpus size:

1. **Events dated elsewhere.**  A statement dated relative to the writing year
   ("Im vergangenen Jahr hatten X und Y ein Abkommen … geschlossen", "zum 70.
   Jahrestag …") whose event the article itself does not date is matched with
   a dated sentence of *another* article sharing at least
   ``event_min_shared_words`` content words (words found in more than
   ``common_word_share`` of the articles, like the countries every article
   names, do not count).  The event's year then fixes the writing year.
   Dated sentences come from absolute dates anywhere and, in articles whose
   date came from metadata, from relative dates resolved against it.
2. **Near duplicates** (same ``duplicate_group``) are taken to be written at
   the same time: each article's interval is intersected with the others'
   (a metadata-dated copy counts as its date ± ``duplicate_window_days``).

A partitioned corpus stage (:class:`~lagebild.pipeline.Parts`): :func:`summarize`
keeps of each article its date fields, duplicate group, event words, dated
single-year events and unresolved statements (no text), packed small — words
as 64-bit hashes, events as tuples, ``None`` for an article with nothing to
contribute (:class:`DateClues`); :func:`decide` finds the extra bounds;
:func:`apply` infers the date again with them.

Only articles whose date was inferred (``published.source`` ``inferred`` or
``unknown``) change.  Evidence items name the other article (``article``).
When ``published`` changes, the article's relative times are re-resolved
against the new best guess (``anchor_kind="inferred"``).  Unchanged articles
are returned as the same objects.
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from hashlib import blake2b
from typing import Any, Callable, Mapping, NamedTuple, Sequence

from ...errors import ConfigError
from ...model import Article, Corpus
from ...pipeline import corpus_stage, run_parts
from ._pubdate_clues import Bound, Dated, Pending, pending_bound, read_clues, resolve_in_article
from ...periods import parse_iso
from ._pubdate_lexicon import pub_lexicon
from .pubdate import infer_with, ingest_published, pubdate_settings
from .roles import evidence_bounds

__all__ = ["pubdate_corpus", "CorpusSettings", "DateClues", "word_key", "summarize", "decide", "apply"]

_SECTION = "pubdate_corpus"


@lru_cache(maxsize=1)
def _packaged_defaults() -> dict[str, Any]:
    from ...config import defaults

    return dict(defaults().get("stages", {}).get(_SECTION, {}))


@dataclass(frozen=True, slots=True)
class CorpusSettings:
    """The validated ``[stages.pubdate_corpus]`` settings."""

    match_events: bool
    event_min_shared_words: int
    common_word_share: float
    duplicates: bool
    duplicate_window_days: int

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any] | None) -> CorpusSettings:
        merged = {**_packaged_defaults(), **dict(settings or {})}
        try:
            out = cls(
                match_events=bool(merged["match_events"]),
                event_min_shared_words=int(merged["event_min_shared_words"]),
                common_word_share=float(merged["common_word_share"]),
                duplicates=bool(merged["duplicates"]),
                duplicate_window_days=int(merged["duplicate_window_days"]),
            )
        except KeyError as e:
            raise ConfigError(f"stages.{_SECTION}.{e.args[0]} is missing — declare it in defaults.toml") from None
        if out.event_min_shared_words < 1:
            raise ConfigError(f"stages.{_SECTION}.event_min_shared_words must be at least 1, got {out.event_min_shared_words}")
        if not 0.0 < out.common_word_share <= 1.0:
            raise ConfigError(f"stages.{_SECTION}.common_word_share must be in (0, 1], got {out.common_word_share}")
        if out.duplicate_window_days < 0:
            raise ConfigError(f"stages.{_SECTION}.duplicate_window_days must be 0 or more, got {out.duplicate_window_days}")
        return out


def _inferred(a: Article) -> bool:
    return a.published.source in ("inferred", "unknown") and not (a.published.source == "unknown" and a.published.value)


def _resolver() -> Callable[..., list[dict[str, Any]]] | None:
    try:
        from .tagger import resolve_times  # part 1 of the time issue
    except ImportError:
        return None
    return resolve_times


def _pubdate(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    sub = settings.get("pubdate") if settings else None
    return pubdate_settings(sub if isinstance(sub, Mapping) else None)  # [stages.pubdate], where handed on


#: A dated single-year event of another article, packed: (first day ordinal, last day ordinal,
#: precision, start, end, text, event words as packed 64-bit hashes).
PackedDated = tuple[int, int, str, int, int, str, bytes]
#: A statement waiting for an event date, packed: (kind, year offset, start, end, text, packed word hashes).
PackedPending = tuple[str, int, int, int, str, bytes]


class DateClues(NamedTuple):
    """What :func:`decide` needs of one article (no text), packed small for a streaming build.

    Event words are kept as sorted 64-bit BLAKE2b hashes in ``bytes`` (8 bytes a
    word, see :func:`word_key`); with 64 bits, a collision among the ~10⁵–10⁶
    distinct words of a large corpus has a probability of about 10⁻⁸, so results
    do not change in practice.
    """

    id: str
    #: the date was inferred (only such articles change)
    inferred: bool
    duplicate_group: str | None
    value: str | None
    earliest: str | None
    latest: str | None
    #: event words of all its dated sentences and statements (to find words every article has)
    words: bytes
    #: dated events within one year, for other articles' statements to match
    dated: tuple[PackedDated, ...]
    #: statements dated relative to the writing year that the article itself does not date
    pending: tuple[PackedPending, ...]


@lru_cache(maxsize=1 << 16)
def word_key(word: str) -> int:
    """The signed 64-bit BLAKE2b hash standing in for an event word in :class:`DateClues`."""
    return int.from_bytes(blake2b(word.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def _pack(words: frozenset[str] | set[str]) -> bytes:
    return array("q", sorted({word_key(w) for w in words})).tobytes()


def _unpack(packed: bytes) -> frozenset[int]:
    keys = array("q")
    keys.frombytes(packed)
    return frozenset(keys)


def _clues(article: Article, settings: Mapping[str, Any]) -> tuple[set[str], list[Dated], list[Pending]]:
    """The event words, dated single-year events and pending statements of ``article`` (unpacked)."""
    a = article
    inferred = _inferred(a)
    ps = _pubdate(settings)
    c = read_clues(a.text, a.times, pub_lexicon(a.language), ps, resolved_events=not inferred)
    bag: set[str] = set()
    for d in c.dated:
        bag |= d.words
    for p in c.pending:
        bag |= p.words
    dated = [d for d in c.dated if d.first.year == d.last.year]
    pending: list[Pending] = []
    if inferred:
        _, left = resolve_in_article(c, ps, date.today().year + 1)
        pending = [p for p in left if p.kind != "years-ago"]
    return bag, dated, pending


def summarize(article: Article, settings: Mapping[str, Any]) -> DateClues | None:
    """The date fields, duplicate group and event clues of ``article``; None when it takes no part."""
    s = CorpusSettings.from_mapping(settings)
    a = article
    inferred = _inferred(a)
    words = b""
    dated: tuple[PackedDated, ...] = ()
    pending: tuple[PackedPending, ...] = ()
    if s.match_events:
        bag, ds, left = _clues(a, settings)
        words = _pack(bag)
        dated = tuple((d.first.toordinal(), d.last.toordinal(), sys.intern(d.precision), d.start, d.end, d.text,
                       _pack(d.words)) for d in ds)
        pending = tuple((sys.intern(p.kind), p.year_offset, p.start, p.end, p.text, _pack(p.words)) for p in left)
    if not (words or dated or pending or a.duplicate_group):
        return None  # no words to count, no event to lend or match, no near duplicate
    pub = a.published
    return DateClues(a.id or "", inferred, a.duplicate_group, pub.value, pub.earliest, pub.latest, words, dated, pending)


def _dated(t: PackedDated) -> Dated:
    first, last, precision, start, end, text, words = t
    return Dated(value="", first=date.fromordinal(first), last=date.fromordinal(last), precision=precision,
                 start=start, end=end, text=text, words=_unpack(words), sentence=-1)


def _pending(t: PackedPending) -> Pending:
    kind, offset, start, end, text, words = t
    return Pending(kind=kind, year_offset=offset, start=start, end=end, text=text, sentence=-1, words=_unpack(words))


class _Stmt(NamedTuple):
    """A pending statement of one article, as :func:`decide` keeps it while it scans the corpus."""

    pos: int  #: the article's position
    idx: int  #: the statement's index in the article's ``pending``
    words: frozenset[int]  #: its event words less the common ones (after the count)


def _common(summaries: Sequence[DateClues | None], want: set[int], s: CorpusSettings) -> frozenset[int]:
    """Of the words ``want``, those found in more than ``common_word_share`` of the articles.

    Only the pending statements' words are counted: a word no statement has cannot
    change a match, so the corpus's whole vocabulary is never held.
    """
    n = len(summaries)
    if n < 4 or not want:
        return frozenset()
    df: Counter[int] = Counter()
    for t in summaries:
        if t is not None and t.words:
            df.update(_unpack(t.words) & want)
    return frozenset(w for w, k in df.items() if k > s.common_word_share * n)


def _event_matches(summaries: Sequence[DateClues | None], todo: list[tuple[int, int, bytes]], s: CorpusSettings,
                   ps: Mapping[str, Any]) -> dict[int, list[Bound]]:
    """Extra bounds per article position from events dated in other articles.

    ``todo``: ``(position, index, packed words)`` of every pending statement, in
    corpus order.  Of several events sharing equally many words with a statement,
    the first in corpus order (then article order) is taken: one scan of the
    summaries in that order keeps, per statement, the best event so far (only a
    strictly better one replaces it) — what :func:`match_event` does over the
    statement's candidates, without an index of every dated event.
    """
    latest_year = date.today().year + 1
    if not todo:
        return {}
    words = [_unpack(w) for _, _, w in todo]
    common = _common(summaries, set().union(*words), s)
    stmts = [_Stmt(i, k, w - common) for (i, k, _), w in zip(todo, words)]
    del words
    by_word: dict[int, list[int]] = defaultdict(list)  # word -> statements (indices into stmts)
    for q, p in enumerate(stmts):
        for w in p.words:
            by_word[w].append(q)
    if not by_word:
        return {}
    best: dict[int, tuple[int, int, int]] = {}  # statement -> (shared words, position, event index)
    for j, t in enumerate(summaries):
        if t is None or not t.dated:
            continue
        for k, d in enumerate(t.dated):
            shared: Counter[int] = Counter()
            for w in _unpack(d[6]):
                for q in by_word.get(w, ()):
                    if stmts[q].pos != j:
                        shared[q] += 1
            for q, m in shared.items():
                if m >= s.event_min_shared_words and m > best.get(q, (0, -1, -1))[0]:
                    best[q] = (m, j, k)
    out: dict[int, list[Bound]] = defaultdict(list)
    for q, p in enumerate(stmts):  # corpus order, then statement order
        if q not in best:
            continue
        _, j, k = best[q]
        here, there = summaries[p.pos], summaries[j]
        assert here is not None and there is not None
        b = pending_bound(_pending(here.pending[p.idx]), _dated(there.dated[k]), ps, article=there.id)
        if b is not None and (b.lower is None or b.lower.year <= latest_year):
            out[p.pos].append(b)
    return out


class _Member(NamedTuple):
    """A near duplicate's date, as :func:`_duplicate_bounds` needs it."""

    pos: int
    id: str
    inferred: bool
    value: str | None
    earliest: str | None
    latest: str | None


def _duplicate_bounds(members: Mapping[str, list[_Member]], s: CorpusSettings) -> dict[int, list[Bound]]:
    """Bounds from the near duplicates of each inferred article (``members``: groups with an inferred member)."""
    out: dict[int, list[Bound]] = defaultdict(list)
    w = timedelta(days=s.duplicate_window_days)
    for group in members.values():
        if len(group) < 2:
            continue
        for me in group:
            if not me.inferred:
                continue
            for o in group:
                if o.pos == me.pos:
                    continue
                if not o.inferred and o.value:
                    day = parse_iso(o.value)
                    lo, hi = (day - w, day + w) if day else (None, None)
                else:
                    lo, hi = parse_iso(o.earliest), parse_iso(o.latest)
                if lo is None and hi is None:
                    continue
                text = f"near duplicate {o.id}: {lo.isoformat() if lo else '…'} – {hi.isoformat() if hi else '…'}"
                out[me.pos].append(Bound(lo, hi, "duplicate", None, None, text, via={"article": o.id}))
    return out


def decide(summaries: Sequence[DateClues | None], settings: Mapping[str, Any]) -> dict[int, list[Bound]]:
    """Position → extra bounds from other articles, for inferred articles that have any.

    Reads the summaries in a few passes and keeps only what concerns the inferred
    articles (their pending statements, their near-duplicate groups) and the counts
    of the statements' words — never every summary at once, so that a streaming
    build's lazy sequence stays lazy.
    """
    s = CorpusSettings.from_mapping(settings)
    ps = _pubdate(settings)
    any_inferred = False
    todo: list[tuple[int, int, bytes]] = []  # pending statements: (position, index, packed words)
    groups: set[str] = set()  # near-duplicate groups with an inferred member
    for i, t in enumerate(summaries):
        if t is None:
            continue
        any_inferred = any_inferred or t.inferred
        if s.match_events:
            todo.extend((i, k, p[5]) for k, p in enumerate(t.pending))
        if s.duplicates and t.inferred and t.duplicate_group:
            groups.add(sys.intern(t.duplicate_group))
    if not any_inferred:
        return {}
    extra: dict[int, list[Bound]] = defaultdict(list)
    if s.match_events:
        for i, bs in _event_matches(summaries, todo, s, ps).items():
            extra[i].extend(bs)
    del todo
    if groups:
        members: dict[str, list[_Member]] = defaultdict(list)
        for i, t in enumerate(summaries):
            if t is not None and t.duplicate_group in groups:
                members[t.duplicate_group].append(_Member(i, t.id, t.inferred, t.value, t.earliest, t.latest))
        for i, bs in _duplicate_bounds(members, s).items():
            extra[i].extend(bs)
    return dict(extra)


def apply(article: Article, extra: list[Bound], settings: Mapping[str, Any]) -> Article:
    """``article`` with its date inferred again with the ``extra`` bounds, its relative times re-resolved.

    The same object when the inferred date comes out as before.
    """
    a = article
    # the role-term bounds ``pubdate_roles`` found stay: they are not in the text's own clues
    extra = [*extra, *evidence_bounds(a.published)]
    pub, _ = infer_with(a.text, a.times, a.language, previous=ingest_published(a), settings=_pubdate(settings), extra=extra)
    for e in pub.evidence:
        if isinstance(e.get("via"), dict) and e["via"].get("article"):
            e["article"] = e["via"]["article"]
    if pub.to_dict() == a.published.to_dict():
        return a
    times = a.times
    resolve = _resolver()
    if resolve is not None and pub.value and pub.value != a.published.value:
        times = resolve(a.times, pub.value, anchor_kind="inferred")
    return a.replace(published=pub, times=times)


_PARTS = corpus_stage(
    "pubdate_corpus",
    requires=("published", "times", "text"),
    sets=("published", "times"),
    summarize=summarize,
    decide=decide,
    apply=apply,
    reads=("pubdate",),
    doc="Refine inferred publication intervals with events dated in other articles and near duplicates.",
).parts


def pubdate_corpus(corpus: Corpus, settings: Mapping[str, Any]) -> Corpus:
    """Refine inferred publication intervals with events dated in other articles and near duplicates."""
    assert _PARTS is not None
    return run_parts(_PARTS, corpus, settings)
