"""Lemmas (simplemma) and POS tags (HanTa), offline."""

from __future__ import annotations

from lagebild.nlp import lemma, pos_tag
from lagebild.nlp import _morph


def test_lemma_german_and_english() -> None:
    assert lemma("russischen", "de") == "russisch"
    assert lemma("Ministern", "de") == "Minister"
    assert lemma("ministers", "en") == "minister"
    assert lemma("russischen", None) == "russisch"  # None: German


def test_lemma_unknown_language_returns_word() -> None:
    assert lemma("Москвы", "xx") == "Москвы"
    assert lemma("", "de") == ""


def test_lemma_is_cached() -> None:
    _morph._lemma.cache_clear()
    lemma("Verteidigungsministers", "de")
    lemma("Verteidigungsministers", "de")
    info = _morph._lemma.cache_info()
    assert (info.hits, info.misses) == (1, 1)


def test_pos_tag_german_stts() -> None:
    out = pos_tag(["Der", "russische", "Verteidigungsminister", "sagte", "am", "3.", "Oktober", "etwas", "."], "de")
    assert [t for _, t in out] == ["ART", "ADJA", "NN", "VVFIN", "APPRART", "ADJA", "NN", "ADV", "$."]
    assert [lem for lem, _ in out][:4] == ["der", "russisch", "Verteidigungsminister", "sagen"]


def test_pos_tag_english_and_other() -> None:
    out = pos_tag(["The", "ministers", "said"], "en")
    assert [lem for lem, _ in out] == ["the", "minister", "say"]
    assert all(tag for _, tag in out)
    assert pos_tag(["Les", "ministres"], "fr") == [("le", ""), ("ministre", "")]
    assert pos_tag([], "de") == []


def test_tagger_loaded_once() -> None:
    pos_tag(["Ein", "Satz"], "de")
    first = _morph._TAGGERS["de"]
    pos_tag(["Noch", "ein", "Satz"], "de")
    assert _morph._TAGGERS["de"] is first


def _words_of(paths: list) -> list[str]:
    from lagebild.nlp import tokenize

    words: set[str] = set()
    for p in paths:
        words.update(t.text for t in tokenize(p.read_text(encoding="utf-8", errors="replace"), "de"))
    return sorted(w for w in words if w.isalpha() and not w.isnumeric())


def _agree(words: list[str]) -> tuple[int, int]:
    """How many words the dictionary lists, checking on each that one probe answers as
    ``simplemma.is_known`` and ``simplemma.lemmatize`` do (:func:`lemma` and the NER features
    rely on it)."""
    import simplemma

    listed = 0
    for w in words:
        found = _morph.dictionary_lemma(w, "de")
        assert (found is not None) == simplemma.is_known(w, lang="de"), w
        if found is not None:
            listed += 1
            assert found == simplemma.lemmatize(w, lang="de") == lemma(w, "de"), w
    return listed, len(words)


def test_dictionary_lemma_is_the_lemma_of_a_listed_word() -> None:
    from support import EXAMPLES

    listed, total = _agree(_words_of(sorted(EXAMPLES.glob("*.txt"))))
    assert total > 300 and 0.5 * total < listed < total  # listed words and unlisted names both seen
    assert _morph.dictionary_lemma("Häuser", "de") == "Haus"
    assert _morph.dictionary_lemma("Mälstrand", "de") is None  # a made-up name
    assert _morph.dictionary_lemma("Haus", "xx") is None and _morph.dictionary_lemma("", "de") is None


def test_dictionary_lemma_agrees_on_the_seeds_and_10kgnad(shared) -> None:
    import csv
    import sys

    words = _words_of(sorted((shared / "seeds").glob("*.txt")))
    gnad = shared / "data" / "10kgnad" / "test.csv"
    if gnad.is_file():
        csv.field_size_limit(sys.maxsize)
        with gnad.open(encoding="utf-8", newline="") as f:
            rows = [r for r in csv.reader(f, delimiter=";", quotechar="'") if len(r) >= 2][:300]
        from lagebild.nlp import tokenize

        words = sorted(set(words) | {t.text for _, text in rows for t in tokenize(text, "de")
                                     if t.text.isalpha() and not t.text.isnumeric()})
    listed, total = _agree(words)
    assert total > 2_000 and listed > total // 2


def test_dictionary_lemma_in_every_language_lemma_serves() -> None:
    import itertools

    import simplemma
    from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

    for lang in sorted(_morph.SIMPLEMMA_LANGUAGES):
        keys = itertools.islice(iter(DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)), 0, 40_000, 20)
        words = [k for k in keys if k.isalpha() and not k.isnumeric()]
        words += [w.capitalize() for w in words[:500]] + [w.upper() for w in words[:200]]
        listed = [w for w in words if _morph.dictionary_lemma(w, lang) is not None]
        assert len(listed) > len(words) // 2, lang
        for w in listed:
            assert _morph.dictionary_lemma(w, lang) == simplemma.lemmatize(w, lang=lang) == lemma(w, lang), (lang, w)


def test_release_lemmas_lets_go_and_the_next_call_answers_the_same() -> None:
    words = ["Häuser", "Verhandlungen", "ging", "Raketen", "Xylofonbauerinnen", "going", "talks"]
    before = [lemma(w, lang) for w in words for lang in ("de", "en")]
    assert _morph._LOOKUP and _morph._lemma.cache_info().currsize > 0
    _morph.release_lemmas()
    assert _morph._LOOKUP == [] and _morph._lemma.cache_info().currsize == 0
    assert [lemma(w, lang) for w in words for lang in ("de", "en")] == before


def test_dictionary_probes_are_cached_and_released() -> None:
    _morph.release_lemmas()
    assert _morph.dictionary_lemma("Verteidigungsministern", "de") == "Verteidigungsminister"
    assert _morph.dictionary_lemma("Verteidigungsministern", "de") == "Verteidigungsminister"
    info = _morph._probe.cache_info()
    assert (info.hits, info.misses, info.currsize) == (1, 1, 1)
    _morph.release_lemmas()  # lets go of the dictionaries and of what was asked of them
    assert _morph._probe.cache_info().currsize == 0
    assert _morph.dictionary_lemma("Verteidigungsministern", "de") == "Verteidigungsminister"
