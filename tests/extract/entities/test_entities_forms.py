"""KB names the finder reads beyond their listed spelling: lower-case names ("dpa") and German names that
open with an inflected adjective ("der Deutschen Presse-Agentur").  Sentences written for the test."""

from __future__ import annotations

from lagebild.extract.entities import entities_of_text
from lagebild.extract.entities._memo import lower_names
from lagebild.kb import load_kb


def _mentions(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in entities_of_text(text, "de", ner=False):
        for m in e["mentions"]:
            out.setdefault(m["text"], set()).add(e["id"])
    return out


def test_lower_case_agency_names_are_found() -> None:
    got = _mentions("Das meldete die Nachrichtenagentur dpa am Montag. Auch der Evangelische Pressedienst epd "
                    "berichtete darüber.")
    assert got.get("dpa") == {"org:dpa"}, got
    assert got.get("epd") == {"org:epd"}, got


def test_lower_case_names_are_curated_one_word_names() -> None:
    names = lower_names(load_kb())
    assert {"dpa", "epd", "ntv"} <= names
    assert all(n[:1].islower() and " " not in n for n in names)
    assert "de" not in names and "la" not in names  # particles are not names


def test_inflected_adjective_opening_a_name() -> None:
    got = _mentions("Nach Angaben der Deutschen Presse-Agentur äußerte sich ein Sprecher des Internationalen "
                    "Währungsfonds zurückhaltend.")
    assert got.get("Deutschen Presse-Agentur") == {"org:dpa"}, got
    assert got.get("Internationalen Währungsfonds") == {"org:imf"}, got


def test_a_plain_adjective_before_an_unknown_noun_stays_an_adjective() -> None:
    got = _mentions("Ein Sprecher der Deutschen Kraftwerksgesellschaft widersprach.")
    assert "Deutschen Kraftwerksgesellschaft" not in got
    assert got.get("Deutschen") == {"gpe:de"}, got
