"""Per-process memos of the entity finder: word forms follow Zipf's law, so what depends only on a
form (and on the loaded knowledge base, which does not change) is computed once per form."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from ...kb._model import opening_key
from ...nlp._morph import lemma

__all__ = [
    "inflected", "kb_memo", "adjective_ids", "adjective_memo", "lower_names", "may_open_name", "open_memo", "per_object",
]


@lru_cache(maxsize=50_000)
def inflected(w: str) -> bool:
    """A German capitalised word that the lemmatiser knows as an inflected common word (cached per form)."""
    lem = lemma(w, "de")
    return lem != w and not (w.endswith("s") and lem == w[:-1]) and lem.casefold() != w.casefold()


#: Memoised :meth:`_Finder.lookup` results per knowledge base: ``id(kb) → (kb, {(surface, german): matches})``.
#: A loaded KB does not change, and surfaces follow Zipf's law.
_KB_MEMOS: dict[int, tuple[Any, dict[tuple[str, bool], tuple[Any, ...]]]] = {}
_MEMO_MAX = 100_000


def per_object(memos: dict[int, tuple[Any, Any]], obj: Any, make: Callable[[], Any], keep: int = 8) -> Any:
    """The value kept in ``memos`` for ``obj`` (a loaded KB, a cue set: objects that do not change), made
    with ``make()`` on first use.  Keyed by ``id(obj)`` and checked by identity, so a new object that reuses
    a freed id gets its own value; more than ``keep`` objects clear the table."""
    got = memos.get(id(obj))
    if got is None or got[0] is not obj:
        if len(memos) > keep:
            memos.clear()
        got = memos[id(obj)] = (obj, make())
    return got[1]


def kb_memo(kb: Any) -> dict[tuple[str, bool], tuple[Any, ...]]:
    memo = per_object(_KB_MEMOS, kb, dict)
    if len(memo) > _MEMO_MAX:
        memo.clear()
    return memo


#: :func:`adjective_ids` per knowledge base: ``id(kb) → (kb, {token: sorted entity ids})``.
_ADJ_MEMOS: dict[int, tuple[Any, dict[str, tuple[str, ...]]]] = {}


def adjective_memo(kb: Any) -> dict[str, tuple[str, ...]]:
    """The memo of :func:`adjective_ids` for ``kb`` (a caller may read it directly: ``memo.get(token)``)."""
    return per_object(_ADJ_MEMOS, kb, dict)


def adjective_ids(kb: Any, token: str) -> tuple[str, ...]:
    """The sorted ids of the entities ``kb.adjective(token)`` reads (``()``: none), memoised per form
    and loaded KB — most words of a text are asked, and most forms recur."""
    memo = adjective_memo(kb)
    ids = memo.get(token)
    if ids is None:
        if len(memo) > _MEMO_MAX:
            memo.clear()
        ids = memo[token] = tuple(sorted({m.entity_id for m in kb.adjective(token)}))
    return ids


#: :func:`lower_names` per knowledge base: ``id(kb) → (kb, names)``.
_LOWER: dict[int, tuple[Any, frozenset[str]]] = {}


def lower_names(kb: Any) -> frozenset[str]:
    """One-word names of curated KB entities written in lower case ("dpa", "epd", "ntv", "orf.at"):
    the finder looks these up although they do not start with a capital.  GeoNames' unchecked
    alternate names (``kb.generic``) are left out."""
    def make() -> frozenset[str]:
        generic = getattr(kb, "generic", frozenset())
        return frozenset(
            s for e in kb.entities.values() if e.id not in generic
            for s in (*e.all_names(), *e.short) if s[:1].islower() and not any(c.isspace() for c in s)
        )

    return per_object(_LOWER, kb, make)


#: :func:`may_open_name` per knowledge base: ``id(kb) → (kb, {word: answer})``.
_OPENS: dict[int, tuple[Any, dict[str, bool]]] = {}


def open_memo(kb: Any) -> dict[str, bool]:
    """The memo of :func:`may_open_name` for ``kb`` (a caller may read it directly: ``memo.get(word)``)."""
    return per_object(_OPENS, kb, dict)


def may_open_name(kb: Any, word: str) -> bool:
    """Whether a surface made of ``word``, one space and more words can be a KB name, as the finder looks
    it up (:meth:`~lagebild.extract.entities._find._Finder.lookup`: the surface itself, without a final
    "'s" or genitive "s", or with an inflected first adjective in its listed form — "Deutschen" →
    "Deutsche", "Deutscher", "Deutsches"): the key of each opens with the word's (or the listed form's)
    :func:`~lagebild.kb._model.opening_key` and a space, which must then open some multi-word key
    (:meth:`~lagebild.kb.KnowledgeBase.key_openings`).  True whenever that cannot be told (a KB without
    the method, an apostrophe mark).  Memoised per form and loaded KB."""
    memo = open_memo(kb)
    got = memo.get(word)
    if got is None:
        openings = kb.key_openings() if hasattr(kb, "key_openings") else None
        forms = [word]
        if len(word) >= 5 and word.endswith("en"):
            forms += [word[:-1], word[:-2] + "er", word[:-2] + "es"]
        got = True
        if openings is not None:
            keys = [opening_key(f) for f in forms]
            got = any(k is None or not k or k in openings for k in keys)
        if len(memo) > _MEMO_MAX:
            memo.clear()
        memo[word] = got
    return got
