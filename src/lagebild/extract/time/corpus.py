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

Only articles whose date was inferred (``published.source`` ``inferred`` or
``unknown``) change.  Evidence items name the other article (``article``).
When ``published`` changes, the article's relative times are re-resolved
against the new best guess (``anchor_kind="inferred"``).  Unchanged articles
are returned as the same objects.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Callable, Mapping

from ...errors import ConfigError
from ...model import Article, Corpus, Published
from ...pipeline import stage
from ._pubdate_clues import Bound, Clues, Dated, Pending, match_event, pending_bound, read_clues, resolve_in_article
from ...periods import parse_iso
from ._pubdate_lexicon import pub_lexicon
from .pubdate import infer_with, pubdate_settings

__all__ = ["pubdate_corpus", "CorpusSettings"]

_SECTION = "pubdate_corpus"


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
        from ...config import defaults

        merged = {**defaults().get("stages", {}).get(_SECTION, {}), **dict(settings or {})}
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


def _previous(a: Article) -> Published | None:
    """What ingest knew: the bounds kept as ``metadata`` evidence by the first inference."""
    for e in a.published.evidence:
        if e.get("reason") == "metadata" and "start" not in e:
            return Published(earliest=e.get("earliest"), latest=e.get("latest"), source="unknown")
    if a.published.source == "unknown" and (a.published.earliest or a.published.latest):
        return a.published
    return None


def _resolver() -> Callable[..., list[dict[str, Any]]] | None:
    try:
        from .tagger import resolve_times  # part 1 of the time issue
    except ImportError:
        return None
    return resolve_times


def _event_matches(arts: list[Article], clues: list[Clues], s: CorpusSettings, ps: Mapping[str, Any]) -> dict[int, list[Bound]]:
    """Extra bounds per article index from events dated in other articles."""
    latest_year = date.today().year + 1
    pending: dict[int, list[Pending]] = {}
    for i, (a, c) in enumerate(zip(arts, clues)):
        if _inferred(a):
            _, left = resolve_in_article(c, ps, latest_year)
            left = [p for p in left if p.kind != "years-ago"]
            if left:
                pending[i] = left
    if not pending:
        return {}
    # in how many articles each event word occurs, to leave out what every article is about
    df: Counter[str] = Counter()
    for c in clues:
        words: set[str] = set()
        for d in c.dated:
            words |= d.words
        for p in c.pending:
            words |= p.words
        df.update(words)
    n = len(arts)
    common = frozenset(w for w, k in df.items() if n >= 4 and k > s.common_word_share * n)
    index: dict[str, list[tuple[int, Dated]]] = defaultdict(list)
    for j, c in enumerate(clues):
        for d in c.dated:
            if d.first.year == d.last.year:
                for w in d.words - common:
                    index[w].append((j, d))
    out: dict[int, list[Bound]] = defaultdict(list)
    for i, todo in pending.items():
        for p in todo:
            # candidates: dated sentences of other articles sharing at least one word
            cands: dict[int, tuple[int, Dated]] = {}
            for w in p.words - common:
                for j, d in index.get(w, ()):
                    if j != i:
                        cands[id(d)] = (j, d)
            best = match_event(p, (d for _, d in cands.values()), s.event_min_shared_words, common)
            if best is None:
                continue
            b = pending_bound(p, best, ps, article=arts[cands[id(best)][0]].id)
            if b is not None and (b.lower is None or b.lower.year <= latest_year):
                out[i].append(b)
    return out


def _duplicate_bounds(arts: list[Article], s: CorpusSettings) -> dict[int, list[Bound]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(arts):
        if a.duplicate_group:
            groups[a.duplicate_group].append(i)
    out: dict[int, list[Bound]] = defaultdict(list)
    w = timedelta(days=s.duplicate_window_days)
    for members in groups.values():
        if len(members) < 2:
            continue
        for i in members:
            if not _inferred(arts[i]):
                continue
            for j in members:
                if j == i:
                    continue
                o = arts[j]
                if not _inferred(o) and o.published.value:
                    day = parse_iso(o.published.value)
                    lo, hi = (day - w, day + w) if day else (None, None)
                else:
                    lo, hi = parse_iso(o.published.earliest), parse_iso(o.published.latest)
                if lo is None and hi is None:
                    continue
                text = f"near duplicate {o.id}: {lo.isoformat() if lo else '…'} – {hi.isoformat() if hi else '…'}"
                out[i].append(Bound(lo, hi, "duplicate", None, None, text, via={"article": o.id}))
    return out


@stage("pubdate_corpus", requires=("published", "times", "text"), sets=("published", "times"), level="corpus",
       reads=("pubdate",))
def pubdate_corpus(corpus: Corpus, settings: Mapping[str, Any]) -> Corpus:
    """Refine inferred publication intervals with events dated in other articles and near duplicates."""
    s = CorpusSettings.from_mapping(settings)
    sub = settings.get("pubdate") if settings else None
    ps = pubdate_settings(sub if isinstance(sub, Mapping) else None)  # [stages.pubdate], where handed on
    arts = corpus.articles
    if not any(_inferred(a) for a in arts):
        return corpus
    clues = [read_clues(a.text, a.times, pub_lexicon(a.language), ps, resolved_events=not _inferred(a)) for a in arts]
    extra: dict[int, list[Bound]] = defaultdict(list)
    if s.match_events:
        for i, bs in _event_matches(arts, clues, s, ps).items():
            extra[i].extend(bs)
    if s.duplicates:
        for i, bs in _duplicate_bounds(arts, s).items():
            extra[i].extend(bs)
    if not extra:
        return corpus
    resolve = _resolver()
    out = []
    for i, a in enumerate(arts):
        if i not in extra:
            out.append(a)
            continue
        pub, _ = infer_with(a.text, a.times, a.language, previous=_previous(a), settings=ps, extra=extra[i])
        for e in pub.evidence:
            if isinstance(e.get("via"), dict) and e["via"].get("article"):
                e["article"] = e["via"]["article"]
        if pub.to_dict() == a.published.to_dict():
            out.append(a)
            continue
        times = a.times
        if resolve is not None and pub.value and pub.value != a.published.value:
            times = resolve(a.times, pub.value, anchor_kind="inferred")
        out.append(a.replace(published=pub, times=times))
    return corpus.replace(out)
