"""An acronym defined in parentheses after a name is that name's entity (``_acronyms.py``).

Sentences written for the test; the model is the stand-in :class:`support.FixedTags`, so the test
checks the rule, not what the packaged model predicts.
"""

from __future__ import annotations

from typing import Any

import pytest
from support import FixedTags

from lagebild.extract.entities import entities_of_text
from lagebild.extract.entities._acronyms import spells


def _ids(text: str, tags: dict[tuple[str, ...], str]) -> dict[tuple[int, str], str]:
    out = {}
    for e in entities_of_text(text, "de", ner=True, ner_model=FixedTags(tags)):
        for m in e["mentions"]:
            out[(m["start"], m["text"])] = e["id"]
    return out


def _at(got: dict[tuple[int, str], str], text: str, word: str, nth: int = 0) -> Any:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return got.get((start, word))


@pytest.mark.parametrize(("acronym", "name", "ok"), [
    ("DFL", "Deutschen Fußball Liga", True),
    ("LSVD", "Lesben- und Schwulenverband Deutschland", True),
    ("VwGH", "Verwaltungsgerichtshof", True),
    ("ÖWA", "Österreichische Webanalyse", True),
    ("OECD", "Organisation für wirtschaftliche Zusammenarbeit und Entwicklung", False),  # translated
    ("SPÖ", "Alfredo Rosenmaier", False),
    ("USA", "New Orleans", False),
    ("X", "Xanten", False),  # one letter is no acronym
])
def test_an_acronym_spells_its_name(acronym: str, name: str, ok: bool) -> None:
    assert spells(acronym, name) is ok


def test_a_local_acronym_joins_the_local_name_everywhere_in_the_article() -> None:
    text = ("Der Verband Norddeutscher Imker (VNI) warnt vor dem Winter. "
            "Der VNI rechnet mit Verlusten.")
    got = _ids(text, {("Verband", "Norddeutscher", "Imker"): "ORG", ("VNI",): "ORG"})
    assert _at(got, text, "Verband Norddeutscher Imker") == "local:verband-norddeutscher-imker"
    assert _at(got, text, "VNI") == "local:verband-norddeutscher-imker"
    assert _at(got, text, "VNI", 1) == "local:verband-norddeutscher-imker"


def test_an_acronym_that_does_not_spell_the_name_stays_apart() -> None:
    text = "Der Verband Norddeutscher Imker (BVX) warnt vor dem Winter."
    got = _ids(text, {("Verband", "Norddeutscher", "Imker"): "ORG", ("BVX",): "ORG"})
    assert _at(got, text, "BVX") == "local:bvx"


def test_a_party_after_a_persons_name_is_not_the_person() -> None:
    # "SP" spells "Stefan Peters" in order, but a person's name is never an acronym's definition
    assert spells("SP", "Stefan Peters")
    text = "Der Nationalrat Stefan Peters (SP) stimmte dagegen."
    got = _ids(text, {("Stefan", "Peters"): "PER", ("SP",): "ORG"})
    assert _at(got, text, "Stefan Peters") == "local:stefan-peters"
    assert _at(got, text, "SP") not in (None, "local:stefan-peters"), got


def test_a_kb_name_gives_its_entity_to_the_acronym() -> None:
    text = "Laut Reporter ohne Grenzen (RoG) ist die Lage ernst. RoG fordert Schutz."
    got = _ids(text, {("RoG",): "ORG"})
    assert _at(got, text, "Reporter ohne Grenzen") == "org:reporters_without_borders"
    assert _at(got, text, "RoG") == "org:reporters_without_borders"
    assert _at(got, text, "RoG", 1) == "org:reporters_without_borders"


def test_a_kb_acronym_gives_its_entity_to_an_inflected_form_of_its_name() -> None:
    text = "Die Forderungen von Europäischer Zentralbank (EZB) und Kommission blieben."
    got = _ids(text, {("Europäischer", "Zentralbank"): "ORG"})
    assert _at(got, text, "EZB") == "org:ecb"
    assert _at(got, text, "Europäischer Zentralbank") == "org:ecb"


def test_an_acronym_the_article_defines_anew_is_not_the_kb_entity() -> None:
    # the KB knows "IWF" as the International Monetary Fund; here it is defined as another body
    text = ("Das meldet die Internet Watch Foundation (IWF) in London. Die IWF sammelt Hinweise. "
            "Fred Langford, Chef der IWF, warnte.")
    got = _ids(text, {("Internet", "Watch", "Foundation"): "ORG"})
    for nth in range(3):
        assert _at(got, text, "IWF", nth) == "local:internet-watch-foundation", (nth, got)
