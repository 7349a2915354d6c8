"""Lemmas (simplemma) and part-of-speech tags (HanTa), both cached.

simplemma is a dictionary lookup and cheap; word forms follow Zipf's law, so an
LRU cache on ``(word, language)`` answers most calls.  HanTa (Hanover Tagger)
is a trained morphological tagger shipped with its German and English models;
it is slow, is loaded lazily once per process, and its answers are cached per
sentence.  Tags are STTS for German (HanTa's ``ADJ(A)`` is written ``ADJA``)
and Penn Treebank for English.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from typing import Any, Sequence

__all__ = ["lemma", "dictionary_lemma", "release_lemmas", "pos_tag", "SIMPLEMMA_LANGUAGES", "HANTA_MODELS"]

#: Languages passed to simplemma; other languages get the word back unchanged.
SIMPLEMMA_LANGUAGES = frozenset({"de", "en", "fr", "ru", "uk", "it", "es", "nl", "pl", "pt"})
#: HanTa model file per language (the models ship inside the HanTa wheel).
HANTA_MODELS = {"de": "morphmodel_ger.pgz", "en": "morphmodel_en.pgz"}

_LOCK = threading.Lock()
_TAGGERS: dict[str, Any] = {}


def _lang(language: str | None) -> str:
    return (language or "de").lower()[:2]


@functools.lru_cache(maxsize=50_000)  # 59.3 % hits at 50k on 1,028 10kGNAD articles, as at 200k (docs/scale.md)
def _lemma(word: str, lang: str) -> str:
    # a listed alphabetic word: one dictionary probe gives simplemma's answer (:func:`dictionary_lemma`)
    if word.isalpha() and not word.isnumeric():
        listed = dictionary_lemma(word, lang)
        if listed is not None:
            return listed
    import simplemma

    return simplemma.lemmatize(word, lang=lang)


def lemma(word: str, language: str | None) -> str:
    """The dictionary form of ``word`` (``language`` None: German)."""
    lang = _lang(language)
    if lang not in SIMPLEMMA_LANGUAGES or not word:
        return word
    return _lemma(word, lang)


_LOOKUP: list[Any] = []


def dictionary_lemma(word: str, language: str | None) -> str | None:
    """The lemma simplemma's dictionary lists for ``word``, or ``None`` when the dictionary lacks it
    (then :func:`lemma` tries its rules; ``simplemma.is_known`` is exactly "not ``None``").

    One dictionary probe per form and language (cached): for a listed alphabetic word that is
    not numeric it is what :func:`lemma` returns, at a third of the cost of a first :func:`lemma`
    call (tests/nlp/test_nlp_morph.py checks the two agree on real text and on each language's
    dictionary).  The NER features, the misses of :func:`lemma`'s cache and the entity rules ask
    the same forms: on 1,028 10kGNAD articles half the probes were repeats.
    """
    lang = _lang(language)
    if lang not in SIMPLEMMA_LANGUAGES or not word:
        return None
    return _probe(word, lang)


@functools.lru_cache(maxsize=50_000)
def _probe(word: str, lang: str) -> str | None:
    try:
        strategy = _LOOKUP[0]
    except IndexError:  # the first call, or the first after release_lemmas (perhaps in another thread)
        from simplemma.strategies import DictionaryLookupStrategy

        strategy = DictionaryLookupStrategy()
        _LOOKUP[:] = [strategy]
    return strategy.get_lemma(unicodedata.normalize("NFC", word), lang)


def release_lemmas() -> None:
    """Let go of the lemma dictionaries (German: ~100 MB) and the lemma cache; the next :func:`lemma`
    loads them again (about a second), with the same answers.

    For a long step that needs no more lemmas after a point (the picture's event merge, once its
    clusters are made): what it builds next reuses the memory.  simplemma keeps its dictionaries in
    an LRU cache on its default factory; that cache is cleared where simplemma has it.
    """
    _LOOKUP.clear()
    _lemma.cache_clear()
    _probe.cache_clear()
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY
    except ImportError:  # pragma: no cover - another simplemma layout: nothing to clear
        return
    clear = getattr(getattr(DEFAULT_DICTIONARY_FACTORY, "_get_dictionary", None), "cache_clear", None)
    if clear is not None:
        clear()


def _tagger(lang: str) -> Any:
    tagger = _TAGGERS.get(lang)
    if tagger is None:
        with _LOCK:
            tagger = _TAGGERS.get(lang)
            if tagger is None:
                from HanTa import HanoverTagger

                tagger = HanoverTagger.HanoverTagger(HANTA_MODELS[lang])
                _TAGGERS[lang] = tagger
    return tagger


def _stts(tag: str) -> str:
    return tag.replace("(", "").replace(")", "")


@functools.lru_cache(maxsize=20_000)
def _tag(words: tuple[str, ...], lang: str) -> tuple[tuple[str, str], ...]:
    if not words:
        return ()
    tagged = _tagger(lang).tag_sent(list(words), taglevel=1)
    return tuple((lem, _stts(tag)) for _, lem, tag in tagged)


def pos_tag(words: Sequence[str], language: str | None) -> list[tuple[str, str]]:
    """``(lemma, tag)`` for each of ``words`` (one sentence or a span of one).

    German (and ``None``) uses HanTa's German model, English its English model;
    other languages get ``(lemma(word), "")`` — no tagger for them.  Slow: call
    it on candidate spans, not whole articles.
    """
    lang = _lang(language)
    if lang not in HANTA_MODELS:
        return [(lemma(w, lang), "") for w in words]
    return list(_tag(tuple(words), lang))
