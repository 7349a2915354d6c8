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
