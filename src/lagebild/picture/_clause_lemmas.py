"""The content lemmas of the event clauses the events part may compare by wording, computed up front.

Two event mentions that share no participant are one event only within one story (or one article)
and when their clauses share enough content lemmas (``_events._actorless_score``).  Those lemmas
need the German lemma dictionary (~100 MB).  Loaded while the picture holds the corpus's event
records, it is the largest single part of the picture's peak; so :func:`clause_lemmas` reads only
the events from the store first (two light passes), computes the lemma sets of exactly the mentions
that can meet such a comparison — those in a category and story (or article) where some mention
names no participant — and lets the dictionary go before the picture reads anything else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Mapping

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store

__all__ = ["clause_lemmas", "clause_lemma_set", "CONTENT_MIN"]

#: Shortest word counted as a content lemma.
CONTENT_MIN = 4


def clause_lemma_set(text: str, language: str | None, trigger: Any = None) -> frozenset[str]:
    """Content lemmas of a clause (alphabetic words of ``CONTENT_MIN``+ letters, case-folded), the
    trigger's lemma included."""
    from ..nlp import lemma, tokenize

    words = {lemma(t.text, language).casefold() for t in tokenize(text, language)
             if len(t.text) >= CONTENT_MIN and t.text.isalpha()}
    return frozenset(words | ({str(trigger).casefold()} if trigger else set()))


def _keyed(store: Store, story_of_article: Mapping[str, str]) -> Iterator[tuple[tuple[str, str], bool, str, int,
                                                                                str | None, dict[str, Any]]]:
    """``(block key, names no participant, article id, index, language, event)`` of every stored event;
    the block key is ``(category group, story or article)`` as ``_events._blocks`` forms it."""
    from ..store._lean import iter_event_rows
    from ._events import _group, _refs

    for aid, language, events in iter_event_rows(store):
        where = story_of_article.get(aid) or f"article:{aid}"
        for idx, e in enumerate(events):
            if not isinstance(e, dict):
                continue
            loose = not (_refs(e.get("actors")) or _refs(e.get("targets")))
            yield (_group(e), where), loose, aid, idx, language, e


def clause_lemmas(store: Store, story_of_article: Mapping[str, str]) -> dict[tuple[str, int], frozenset[str]]:
    """``(article id, event index)`` → the clause's content lemmas, for every event that can be compared
    by wording (see the module doc); then the lemma dictionaries are let go (``nlp.release_lemmas``)."""
    from ..nlp._morph import release_lemmas

    loose = {key for key, no_one, *_ in _keyed(store, story_of_article) if no_one}
    if not loose:
        return {}
    try:
        return {(aid, idx): clause_lemma_set(str(e.get("text") or ""), language, (e.get("trigger") or {}).get("lemma"))
                for key, _, aid, idx, language, e in _keyed(store, story_of_article) if key in loose}
    finally:
        release_lemmas()
