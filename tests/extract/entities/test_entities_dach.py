"""Parliaments, governments, courts and services of Germany, Austria and Switzerland.

Sentences written for the test. Names such as "Bundesrat" and "Nationalrat" belong to two or three
countries (the article's country decides, see docs/kb.md), and are also the titles of their members.
"""

from __future__ import annotations

import pytest

from lagebild.extract.entities import entities_of_text
from lagebild.kb import load_kb
from support import FixedTags, entity_ids


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # the article's country, from its other mentions with one reading
        ("Der Bundesrat in Bern hat die Sanktionen der EU übernommen.", "Bundesrat", "org:bundesrat_ch"),
        ("Der Bundesrat stimmte dem Gesetz zu, das der Bundestag in Berlin beschlossen hatte.", "Bundesrat", "org:bundesrat"),
        ("Die ÖVP-Mandatare im Bundesrat stimmten in Wien dagegen.", "Bundesrat", "org:bundesrat_at"),
        ("Der Nationalrat in Wien beschloss das Budget mit den Stimmen von ÖVP und SPÖ.", "Nationalrat", "org:nationalrat_at"),
        ("Im Nationalrat verfehlte die SVP die Mehrheit, in Bern jubelte die SP.", "Nationalrat", "org:nationalrat_ch"),
        ("Die Vereinigte Bundesversammlung wählte in Bern die neue Bundesrätin.", "Vereinigte Bundesversammlung", "org:bundesversammlung_ch"),
        ("Die Bundesversammlung wählte Frank-Walter Steinmeier in Berlin erneut.", "Bundesversammlung", "org:bundesversammlung_de"),
        # one country only
        ("Der Ständerat muss der Vorlage noch zustimmen.", "Ständerat", "org:staenderat"),
        ("Das Auswärtige Amt bestellte den Botschafter ein.", "Auswärtige Amt", "org:auswaertiges_amt"),
        ("Ein Sprecher des Auswärtigen Amtes bestätigte das.", "Auswärtigen Amtes", "org:auswaertiges_amt"),
        ("Das Bundesverfassungsgericht prüft das Gesetz.", "Bundesverfassungsgericht", "org:bundesverfassungsgericht"),
        ("Der Verfassungsgerichtshof hob die Regelung auf.", "Verfassungsgerichtshof", "org:vfgh"),
        ("Der Europarat kritisierte die Haftbedingungen.", "Europarat", "org:council_of_europe"),
        ("Die Schweizer Armee übt im Tessin.", "Schweizer Armee", "org:swiss_armed_forces"),
        ("Das EDA bestätigte den Besuch.", "EDA", "org:eda"),
    ],
)
def test_chambers_governments_and_offices(text: str, word: str, expected: str) -> None:
    got = entity_ids(text)
    assert got.get(word) == {expected}, got


def test_a_chamber_before_a_members_name_is_the_title() -> None:
    got = entity_ids("Bundesrat Ignazio Cassis sagte, die Schweiz bleibe neutral.")
    assert got.get("Ignazio Cassis") == {"per:ignazio_cassis"} and "Bundesrat" not in got, got
    got = entity_ids("Nationalrat Matthias Köchl kritisierte die Regierung im Nationalrat in Wien.")
    assert got.get("Nationalrat") == {"org:nationalrat_at"}, got  # the second one: the chamber
    spans = [(m["start"], e["id"]) for e in entities_of_text(
        "Nationalrat Matthias Köchl kritisierte die Regierung im Nationalrat in Wien.", "de") for m in e["mentions"]]
    assert (0, "org:nationalrat_at") not in spans, spans
    # a surname the KB knows, without a given name
    assert "Bundesrat" not in entity_ids("Bundesrat Cassis reiste nach Wien.")
    # the chamber itself before a capitalised word that is no name
    got = entity_ids("Der Bundesrat Österreichs tagt in Wien.")
    assert got.get("Bundesrat") == {"org:bundesrat_at"}, got


def test_the_models_span_over_a_members_title_is_dropped() -> None:
    text = "Bundesrat Ignazio Cassis sagte, die Schweiz bleibe neutral."
    got = entity_ids(text, FixedTags({("Bundesrat",): "ORG", ("Ignazio", "Cassis"): "PER"}))
    assert "Bundesrat" not in got and got.get("Ignazio Cassis") == {"per:ignazio_cassis"}, got
    # without a name after it, the model's span over the chamber stays (here the KB's reading wins anyway)
    got = entity_ids("Der Ständerat lehnte ab.", FixedTags({("Ständerat",): "ORG"}))
    assert got.get("Ständerat") == {"org:staenderat"}, got


def test_a_chamber_before_a_person_only_the_model_knows_is_the_title() -> None:
    # neither a listed given name nor a KB person: the person mention found after the KB pass decides
    # (the local names pass, which takes the title as its cue, or the model's span)
    text = "Der türkischstämmige Bundesrat Efgani Dönmez sprach in Wien."
    for got in (entity_ids(text), entity_ids(text, FixedTags({("Efgani", "Dönmez"): "PER"}))):
        assert "Bundesrat" not in got and got.get("Efgani Dönmez") == {"local:efgani-doenmez"}, got
    types = {e["id"]: e["type"] for e in entities_of_text(text, "de")}
    assert types.get("local:efgani-doenmez") == "PER", types
    # a chamber before an organisation stays
    got = entity_ids("Im Bundesrat Österreichs stimmte die ÖVP in Wien dagegen.", FixedTags({("Österreichs",): "LOC"}))
    assert got.get("Bundesrat") == {"org:bundesrat_at"}, got


def test_swiss_federal_councillors_resolve_by_office_and_date() -> None:
    kb = load_kb()
    assert kb.role_holders("head_of_state", "gpe:ch", "2026-03-01") == ["per:guy_parmelin"]
    assert kb.role_holders("head_of_state", "gpe:ch", "2023-06-01") == ["per:alain_berset"]
    assert kb.role_holders("speaker", "org:nationalrat_at", "2025-01-15") == ["per:walter_rosenkranz"]
    assert kb.role_holders("speaker", "org:nationalrat_at", "2020-01-15") == ["per:wolfgang_sobotka"]
    # "Rösti" alone is a dish: the KB gives the surname no reading of its own
    assert not [m for m in kb.lookup("Rösti") if m.entity_id == "per:albert_roesti"]
