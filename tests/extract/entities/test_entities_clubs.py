"""Sports clubs named after their town are organisations, not the town (extract/entities/_clubs.py)."""

from __future__ import annotations

import pytest

from lagebild.extract.entities import cues_for, entities_of_text
from lagebild.kb import load_kb


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _mentions(kb, text: str, ner: bool, language: str = "de") -> dict[str, tuple[str, str]]:
    return {m["text"]: (e["id"], e["type"]) for e in entities_of_text(text, language, kb=kb, ner=ner) for m in e["mentions"]}


@pytest.mark.parametrize("ner", [False, True])
def test_clubs_are_local_organisations_and_their_towns_stay_places(kb, ner):
    text = ("Der 1. FC Köln verlor am Samstag in Köln gegen Werder Bremen. Sturm Graz schlug den TSV 1860 München, "
            "und Preußen Münster trennte sich von Borussia Dortmund unentschieden.")
    got = _mentions(kb, text, ner)
    for club in ("1. FC Köln", "Werder Bremen", "Sturm Graz", "TSV 1860 München", "Preußen Münster", "Borussia Dortmund"):
        eid, typ = got[club]
        assert eid.startswith("local:") and typ == "ORG", (club, got[club])
    assert got["Köln"] == ("city:de:koln", "GPE")  # "in Köln": the city itself
    assert not {"Bremen", "Graz", "München", "Münster", "Dortmund"} & set(got)


def test_an_english_club(kb):
    got = _mentions(kb, "Real Madrid beat FC Barcelona in Madrid on Sunday.", False, "en")
    assert got["Real Madrid"][1] == "ORG" and got["FC Barcelona"][1] == "ORG"
    assert got["Madrid"] == ("city:es:madrid", "GPE")


def test_no_club_without_the_club_word_right_before(kb):
    got = _mentions(kb, "Die Union in Berlin und der Sturm über Hamburg beschäftigten die Polizei.", False)
    assert got.get("Berlin") == ("city:de:berlin", "GPE") and got.get("Hamburg") == ("city:de:hamburg", "GPE")


def test_club_words_are_in_the_german_and_english_cues():
    assert {"FC", "VfB", "Rapid", "Werder"} <= cues_for("de").club_words
    assert {"FC", "Real"} <= cues_for("en").club_words
    assert cues_for("fr").club_words == frozenset()  # none listed yet: the rule is off


@pytest.mark.parametrize("ner", [False, True])
def test_a_state_then_its_city_after_the_club_word(kb, ner):
    got = _mentions(kb, "Der FC Bayern München spielte gegen den SV Austria Salzburg und gegen den 1. FC Köln.", ner)
    assert got["FC Bayern München"][1] == "ORG" and got["SV Austria Salzburg"][1] == "ORG"
    assert got["1. FC Köln"][1] == "ORG"
    assert not {"Bayern", "München", "Salzburg", "Köln"} & set(got)
