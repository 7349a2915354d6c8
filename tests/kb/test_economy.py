"""The economy and state-administration pack (kb/data/economy.toml): companies, ministries, federal offices,
unions and business associations of Germany, Austria and Switzerland, and global majors.

Sentences written for the test. A wrong link is worse than a missing one: a company whose name is also a
common word, a surname or another thing's name is found only by its longer names, and a name held by the
bodies of several countries is read by the article's country.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from importlib import resources

import pytest

from lagebild.kb import load_kb, normalise_surface
from lagebild.kb._base import PACKAGED_FILES
from support import entity_ids

ORG_KINDS = {
    "io", "government", "parliament", "court", "police", "prosecutor", "central_bank", "armed_forces",
    "intelligence", "party", "militant", "association", "ngo", "sports", "company", "agency", "outlet",
}

#: bare words left out on purpose (docs/kb.md, "Economy and state administration")
LEFT_OUT = [
    "Allianz", "Bayer", "Linde", "Henkel", "Post", "Verbund", "Puma", "Porsche", "Daimler", "Mercedes", "Telekom",
    "Ford", "Leonardo", "Red Bull", "Erste", "Raiffeisen", "Hofer", "Spar", "Drei", "A1", "Magna", "Hypo", "Bosch",
    "Springer", "Diehl", "Dassault", "Swarovski", "Schaeffler", "Roche", "Safran", "Signa", "Zurich", "Swiss",
    "Austrian", "Total", "Orange", "Emirates", "Visa", "Otto", "Metro", "Schindler", "Rafael", "Lilly", "Toyota",
    "Finanzministerium", "Innenministerium", "Justizministerium", "Wirtschaftsministerium", "Gesundheitsministerium",
    "Außenministerium", "Finanzdepartement", "Justizdepartement", "Wirtschaftsdepartement", "Rechnungshof",
    "BMI", "BMJ", "BMG", "BA", "IV", "MSC", "MTU", "RBI",
]


def _pack() -> list[dict]:
    path = resources.files("lagebild.kb").joinpath("data", "economy.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))["entity"]


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_the_pack_is_loaded_right_after_the_organisations() -> None:
    assert PACKAGED_FILES.index("economy.toml") == PACKAGED_FILES.index("organisations.toml") + 1


def test_every_new_entity_is_an_organisation_with_a_kind(kb) -> None:
    new = [e for e in _pack() if "type" in e]
    assert len(new) > 300
    for e in new:
        assert e["type"] == "ORG", e["id"]
        assert e.get("kind") in ORG_KINDS, e["id"]
        assert kb.entities[e["id"]].kind == e["kind"]
    # entries without a type only add names to an organisation of organisations.toml
    for e in _pack():
        if "type" not in e:
            assert kb.entities[e["id"]].type == "ORG" and "kind" not in e, e["id"]


def test_state_bodies_carry_their_country_and_companies_mostly_do_not() -> None:
    for e in _pack():
        if e.get("kind") in ("government", "court", "police", "association"):
            assert e.get("country") in ("DE", "AT", "CH"), e["id"]
    with_country = sorted(e["id"] for e in _pack() if e.get("kind") == "company" and e.get("country"))
    # only where one name is read by country ("Merck", "Porsche Holding")
    assert with_country == ["org:merck_kgaa", "org:merck_us", "org:porsche_holding", "org:porsche_se"]


def test_an_ambiguous_bare_word_is_no_name_of_the_pack(kb) -> None:
    ids = {e["id"] for e in _pack()}
    for word in LEFT_OUT:
        got = {m.entity_id for m in kb.lookup(word)} & ids
        assert not got, (word, got)


def test_a_name_is_shared_only_where_it_is_read_by_country(kb) -> None:
    """No surface of the pack leads to two entities unless they are organisations of different countries
    (the entities stage then takes the article's country) or a short form read from the article ("Verdi")."""
    ids = {e["id"] for e in _pack()}
    shared: dict[str, set[str]] = defaultdict(set)
    for e in _pack():
        for lst in e.get("names", {}).values():
            for n in lst:
                shared[normalise_surface(n)] |= {m.entity_id for m in kb.lookup(n) if m.form in ("name", "short")}
        for n in e.get("short", []):
            shared[normalise_surface(n)] |= {m.entity_id for m in kb.lookup(n) if m.form in ("name", "short")}
    by_country = {}
    for surface, got in shared.items():
        if len(got) < 2:
            continue
        countries = [kb.entities[x].country for x in got]
        if surface == "verdi":
            assert got == {"org:verdi", "per:giuseppe_verdi"}
            continue
        if surface == "uba":  # also the Brazilian town Ubá: ambiguous, as before the pack
            got = {x for x in got if x.startswith("org:")}
            countries = [kb.entities[x].country for x in got]
        assert got & ids and all(kb.entities[x].type == "ORG" for x in got), (surface, got)
        assert None not in countries and len(set(countries)) == len(countries), (surface, got)
        by_country[surface] = got
    assert {"merck", "bmf", "bag", "umweltbundesamt", "bundesverwaltungsgericht", "finanzmarktaufsicht"} <= set(by_country)


@pytest.mark.parametrize(
    "text,word",
    [
        ("Die Allianz der Willigen will die Ukraine weiter unterstützen.", "Allianz"),
        ("Die Nato ist eine Allianz von 32 Staaten.", "Allianz"),
        ("Er zog am Henkel, doch die Tür blieb zu.", "Henkel"),
        ("Die Linde vor dem Rathaus ist hundert Jahre alt.", "Linde"),
        ("Der Puma ist ein Schützenpanzer der Bundeswehr.", "Puma"),
        ("Die Post stellt Briefe auch am Samstag zu.", "Post"),
        ("Im Verbund mit anderen Banken wurde der Kredit vergeben.", "Verbund"),
        ("Als Erste meldete sich die Feuerwehr.", "Erste"),
        ("Bayer Leverkusen gewann am Samstag gegen Schalke.", "Bayer"),
        ("Hieronymus Bosch malte den Garten der Lüste.", "Bosch"),
        ("Der Schauspieler August Diehl spielt die Hauptrolle. Diehl überzeugt als Kommissar.", "Diehl"),
        ("Die Etappe führt nach La Roche-sur-Yon.", "Roche"),
        ("Der Reis wird mit Safran gewürzt.", "Safran"),
        ("Red Bull Salzburg gewann gegen Sturm Graz.", "Red Bull"),
        ("Das Finanzministerium in Athen widersprach dem Bericht.", "Finanzministerium"),
    ],
)
def test_a_common_word_is_not_the_company(text: str, word: str) -> None:
    got = entity_ids(text)
    assert not any(i.startswith("org:") for k, v in got.items() if word in k for i in v), got


@pytest.mark.parametrize(
    "text,word,eid",
    [
        ("Der Versicherungskonzern Allianz meldete höhere Gewinne.", "Versicherungskonzern Allianz", "org:allianz"),
        ("Die Allianz SE meldete höhere Gewinne.", "Allianz SE", "org:allianz"),
        ("Der Bayer-Konzern kündigte einen Stellenabbau an.", "Bayer-Konzern", "org:bayer"),
        ("Die Deutsche Post erhöht das Porto.", "Deutsche Post", "org:deutsche_post"),
        ("Die Verbund AG meldete einen Rekordgewinn.", "Verbund AG", "org:verbund"),
        ("Die Erste Group legte Zahlen vor.", "Erste Group", "org:erste_group"),
        ("Die Aktie von Continental fiel um drei Prozent.", "Continental", "org:continental"),
        ("Coop und Migros senken die Preise, Aldi und Lidl ziehen nach.", "Migros", "org:migros"),
        ("Gazprom, Rosneft und Lukoil liefern weniger Öl.", "Rosneft", "org:rosneft"),
        ("Mit BioNTech und Pfizer wurden Verträge geschlossen.", "BioNTech", "org:biontech"),
        ("Der Rüstungskonzern Rheinmetall und Hensoldt legten zu.", "Hensoldt", "org:hensoldt"),
        ("Die Deutsche Telekom erhöht die Preise.", "Deutsche Telekom", "org:deutsche_telekom"),
        ("Das Bundesfinanzministerium widersprach dem Bericht.", "Bundesfinanzministerium", "org:bmf"),
        ("Laut Statistik Austria stiegen die Preise.", "Statistik Austria", "org:statistik_austria"),
        ("Das Robert Koch-Institut meldete neue Fälle.", "Robert Koch-Institut", "org:rki"),
        ("Die IG Metall ruft zum Warnstreik auf.", "IG Metall", "org:ig_metall"),
        ("Die Gewerkschaft Verdi ruft zum Streik auf. Verdi fordert mehr Lohn.", "Verdi", "org:verdi"),
        ("Giuseppe Verdi komponierte Aida. Verdis Oper wurde gefeiert.", "Verdis", "per:giuseppe_verdi"),
        # a name held by the bodies of several countries takes the article's country
        ("Das Umweltbundesamt in Wien meldet höhere Feinstaubwerte in Graz.", "Umweltbundesamt", "org:uba_at"),
        ("Das Umweltbundesamt in Dessau meldet höhere Feinstaubwerte in Sachsen.", "Umweltbundesamt", "org:uba"),
        ("Das BAG meldete in Bern 300 neue Fälle.", "BAG", "org:bag_ch"),
        ("Das BAG in Erfurt entschied über Leiharbeit in Deutschland.", "BAG", "org:bundesarbeitsgericht"),
        ("Das BMF in Wien widersprach, sagte die ÖVP.", "BMF", "org:bmf_at"),
        ("Merck hat in Darmstadt einen Forschungsbau eröffnet.", "Merck", "org:merck_kgaa"),
        ("Der US-Pharmakonzern Merck meldete in New York Zahlen.", "Merck", "org:merck_us"),
    ],
)
def test_the_company_or_body_in_its_own_context(text: str, word: str, eid: str) -> None:
    got = entity_ids(text)
    assert got.get(word) == {eid}, got
