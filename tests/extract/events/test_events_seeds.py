"""The events stage on the five seed articles, through the real pipeline (claims included).

Expectations come from reading the seeds' clean text; ids are the KB ids the
entities stage gives (see tests/extract/entities/test_entities_seeds.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lagebild.extract.events import load_ontology, plover_code
from lagebild.model import Article

from support import seed_articles

pytestmark = pytest.mark.shared

STAGES = (
    '["clean","identify","boilerplate","dedup","nlp","time","entities","quantities","claims","events",'
    '"entity_merge"]'
)

RU, KP, UA = "gpe:ru", "gpe:kp", "gpe:ua"
SHOIGU, KIM, PUTIN = "per:sergei_shoigu", "per:kim_jong_un", "per:vladimir_putin"
CHOE, LAVROV = "per:choe_son_hui", "per:sergei_lavrov"
PYONGYANG, MOSCOW = "city:kp:pyongyang", "city:ru:moscow"


@pytest.fixture(scope="module")
def articles(seeds: list[Path]) -> dict[str, Article]:
    return seed_articles(seeds, STAGES)


def event_at(a: Article, trigger: str, event: str, after: str = "") -> dict[str, Any]:
    """The event of category ``event`` whose trigger word is ``trigger`` (after the text ``after``)."""
    floor = a.text.index(after) if after else 0
    found = [
        e
        for e in a.events
        if e["trigger"]["text"] == trigger and e["event"] == event and e["trigger"]["start"] >= floor
    ]
    assert found, f"no {event} event with trigger {trigger!r} after {after!r}: " + str(
        [(e["event"], e["trigger"]["text"]) for e in a.events]
    )
    return found[0]


def ids(refs: list[dict[str, Any]]) -> set[str]:
    return {r["id"] for r in refs}


def test_events_are_well_formed(articles: dict[str, Article]) -> None:
    onto = load_ontology()
    n = 0
    for a in articles.values():
        starts = [e["start"] for e in a.events]
        assert starts == sorted(starts)
        ent_ids = {e["id"] for e in a.entities}
        for e in a.events:
            n += 1
            assert a.text[e["start"] : e["end"]] == e["text"]
            t = e["trigger"]
            assert a.text[t["start"] : t["end"]] == t["text"]
            assert e["start"] <= t["start"] < t["end"] <= e["end"]
            assert e["event"] in onto.categories
            assert e["mode"] is None or e["mode"] in onto.modes(e["event"])
            assert set(e["context"]) <= set(onto.contexts)
            for r in e["actors"] + e["targets"] + ([e["place"]] if e["place"] else []):
                assert r["id"] in ent_ids and a.text[r["start"] : r["end"]] == r["text"]
            assert e["status"] in {"asserted", "reported", "quoted", "hedged", "denied", "speculated", "planned"}
            assert e["claim"] is None or 0 <= e["claim"] < len(a.claims)
            if e["claim"] is not None:
                c = a.claims[e["claim"]]
                assert c["start"] <= t["start"] < c["end"]
            d = e["date"]
            assert d["anchor"] in {"clause", "sentence", "paragraph", "publication", "none"}
            assert d["precision"] in {"day", "week", "month", "quarter", "year", "decade", "unknown"}
            if d["time"] is not None:
                assert a.times[d["time"]]["value"] == d["value"]
            for ev in e["evidence"]:
                assert 0 <= ev["start"] < ev["end"] <= len(a.text)
    assert n >= 60


def test_no_events_from_page_furniture(articles: dict[str, Article]) -> None:
    for a in articles.values():
        kept = set(a.kept_lines)
        for e in a.events:
            assert a.raw_line_at(e["trigger"]["start"]) in kept


def test_defence_minister_in_pyongyang_for_the_anniversary(articles: dict[str, Article]) -> None:
    # 000: "nahm der russische Verteidigungsminister Sergej Schoigu an eine großen Rüstungsschau in der
    # nordkoreanischen Hauptstadt Pjöngjang teil … Dort traf der russische Politiker auch auf … Kim Jong-un"
    a = articles["000"]
    visit = event_at(a, "nahm", "CONSULT")
    assert visit["mode"] == "visit" and visit["trigger"]["lemma"] == "teilnehmen"
    assert ids(visit["actors"]) == {RU, SHOIGU}
    assert visit["place"]["id"] == PYONGYANG
    meet = event_at(a, "traf", "CONSULT")
    assert ids(meet["actors"]) == {RU} and {KIM, KP} == ids(meet["targets"])
    # 001: "Offizieller Anlass von Schoigus Besuch ist der 70. Jahrestag"
    b = articles["001"]
    besuch = event_at(b, "Besuch", "CONSULT", after="Offizieller Anlass")
    assert besuch["mode"] == "visit" and ids(besuch["actors"]) == {SHOIGU}
    assert not besuch["background"]
    talks = event_at(b, "verständigt", "CONSULT")
    assert ids(talks["actors"]) == {KIM, SHOIGU} and talks["place"]["id"] == PYONGYANG
    assert talks["status"] == "reported"  # "…, hieß es"
    # 002: "Schoigu besuchte Pjöngjang zuletzt im März" — the month the text gives
    c = articles["002"]
    march = event_at(c, "besuchte", "CONSULT")
    assert ids(march["actors"]) == {SHOIGU} and ids(march["targets"]) == {PYONGYANG}
    assert march["date"]["value"] == "XXXX-03" and march["date"]["precision"] == "month"
    assert march["date"]["anchor"] == "clause"
    assert c.times[march["date"]["time"]]["text"] == "März"
    trip = event_at(c, "gereist", "CONSULT")
    assert ids(trip["actors"]) == {SHOIGU} and trip["place"]["id"] == PYONGYANG
    assert trip["status"] == "reported"  # "Laut der … Nachrichtenagentur Tass"


def test_foreign_minister_in_moscow_and_announced_putin_visit(articles: dict[str, Article]) -> None:
    a = articles["004"]
    stay = event_at(a, "Aufenthalt", "CONSULT")
    assert CHOE in ids(stay["actors"]) and stay["place"]["id"] == MOSCOW
    met = event_at(a, "traf", "CONSULT")
    assert ids(met["actors"]) == {CHOE} and ids(met["targets"]) == {LAVROV, PUTIN}
    # "Der russische Präsident Wladimir Putin will nach Nordkorea reisen." — announced, not yet happened
    plan = event_at(a, "reisen", "CONSULT", after="Der russische Präsident")
    assert plan["status"] == "planned" and plan["mode"] == "visit"
    assert PUTIN in ids(plan["actors"]) and ids(plan["targets"]) == {KP}
    assert plover_code(plan) == "AGREE"
    # 003: "Russlands Präsident Wladimir Putin reist kommende Woche nach Pjöngjang."
    b = articles["003"]
    nxt = event_at(b, "reist", "CONSULT")
    assert nxt["status"] == "planned" and ids(nxt["actors"]) == {RU, PUTIN} and ids(nxt["targets"]) == {PYONGYANG}


def test_deliveries_of_shells_and_troops(articles: dict[str, Article]) -> None:
    # 003: "Russland hat von Nordkorea bereits etwa 4,8 Millionen Geschosse erhalten." (receiving verb)
    a = articles["003"]
    got = event_at(a, "erhalten", "AID")
    assert ids(got["actors"]) == {KP} and ids(got["targets"]) == {RU} and got["status"] == "asserted"
    # "So soll Nordkorea laut dem südkoreanischen Verteidigungsminister … nach Russland entsendet haben."
    sent = event_at(a, "entsendet", "AID")
    assert ids(sent["actors"]) == {KP} and ids(sent["targets"]) == {RU}
    assert sent["status"] == "hedged"
    # 002: "Pjöngjang bestätigte jüngst die Entsendung von Soldaten und die Lieferung von Waffen nach Russland"
    b = articles["002"]
    troops = event_at(b, "Entsendung", "AID")
    assert ids(troops["actors"]) == {KP} and ids(troops["targets"]) == {RU}
    assert len(troops["evidence"]) == 2  # Entsendung + Lieferung: one AID event
    assert "military" in troops["context"]
    # 000: "… gehen zudem davon aus, dass die Diktator auch Waffen an Russland geliefert habe" — not asserted
    c = articles["000"]
    alleged = event_at(c, "geliefert", "AID")
    assert ids(alleged["targets"]) == {RU} and alleged["status"] in {"hedged", "speculated"}
    # 004: "nordkoreanische Waffenlieferungen an die russische Armee"
    d = articles["004"]
    arms = event_at(d, "Waffenlieferungen", "AID")
    assert ids(arms["actors"]) == {KP} and ids(arms["targets"]) == {RU}


def test_pledges_of_support_and_denials(articles: dict[str, Article]) -> None:
    # 002: "Kim Jong Un hat Russland … Staatsmedien zufolge 'bedingungslose Unterstützung' zugesichert."
    a = articles["002"]
    pledge = event_at(a, "zugesichert", "SUPPORT")
    assert pledge["trigger"]["lemma"] == "zusichern"
    assert {KP, KIM} == ids(pledge["actors"]) and ids(pledge["targets"]) == {RU}
    assert pledge["status"] == "reported"
    # 000: "Diese Vorwürfe weist Pjöngjang jedoch zurück." — separable verb, a REJECT by Pyongyang
    b = articles["000"]
    denial = event_at(b, "weist", "REJECT")
    assert denial["trigger"]["lemma"] == "zurückweisen"
    # the capital after a verb whose subject is a state: North Korea's government rejects
    assert ids(denial["actors"]) == {KP} and denial["status"] == "asserted"
    assert {"start": b.text.index("zurück", denial["trigger"]["start"]), "end": b.text.index(
        "zurück", denial["trigger"]["start"]) + 6} in denial["evidence"]
    # the accusation it rejects ("Diese Vorwürfe") has no actor in the sentence: no ACCUSE event
    assert not [e for e in b.events if e["event"] == "ACCUSE"]
    # 004: "Die Behörden in Pjöngjang dementieren derartige Berichte."
    c = articles["004"]
    dementi = event_at(c, "dementieren", "REJECT")
    assert dementi["place"]["id"] == PYONGYANG and dementi["status"] == "asserted"


def test_background_events_are_flagged(articles: dict[str, Article]) -> None:
    # Korean War: "anlässlich des 70. Jahrestages des Endes den Koreakrieges"
    assert event_at(articles["000"], "Koreakrieges", "ASSAULT")["background"]
    assert event_at(articles["001"], "Koreakrieg", "ASSAULT")["background"]
    # "In dem Krieg zwischen 1950 und 1953 sollen … getötet worden sein"
    killed = event_at(articles["001"], "getötet", "ASSAULT")
    assert killed["background"] and killed["date"]["value"] == "1950" and killed["date"]["precision"] == "year"
    # 2022 invasion: "seit dem russischen Einmarsch in der Ukraine Anfang 2022"
    inv = event_at(articles["004"], "Einmarsch", "ASSAULT")
    assert inv["background"] and ids(inv["actors"]) == {RU} and inv["place"]["id"] == UA
    assert inv["date"]["value"] == "2022" and inv["date"]["anchor"] == "clause"
    # the Vostochny summit: "das 'historische Gipfeltreffen' Putins und des … Kim Jong-un im September 2023"
    summit = event_at(articles["004"], "Gipfeltreffen", "CONSULT")
    assert summit["background"] and {PUTIN, KIM} <= ids(summit["actors"])
    assert summit["date"]["value"] == "2023-09" and summit["date"]["precision"] == "month"
    # past perfect: "Im vergangenen Jahr hatten Russland und Nordkorea ein Abkommen … geschlossen"
    treaty = event_at(articles["002"], "Abkommen", "SUPPORT")
    assert treaty["background"] and ids(treaty["actors"]) == {RU, KP}
    # "Nordkorea hatte von Beginn an den russischen Angriffskrieg in der Ukraine unterstützt"
    early = event_at(articles["000"], "unterstützt", "SUPPORT")
    assert early["background"] and ids(early["actors"]) == {KP}
    # the current events are not background
    assert not event_at(articles["003"], "reist", "CONSULT")["background"]
    assert not event_at(articles["002"], "zugesichert", "SUPPORT")["background"]


def test_earlier_visit_is_background_with_its_own_month(articles: dict[str, Article]) -> None:
    # 002: "Schoigu besuchte Pjöngjang zuletzt im März, als er das Abkommen … begrüßte" is the earlier visit
    # (the lead: "Kim habe bei einem Treffen mit … Sergej Schoigu, in Pjöngjang …", "Schoigus zweiter Besuch")
    a = articles["002"]
    earlier = event_at(a, "besuchte", "CONSULT", after="Schoigu besuchte")
    assert earlier["background"] and ids(earlier["actors"]) == {SHOIGU}
    assert earlier["date"]["value"] == "XXXX-03" and earlier["date"]["precision"] == "month"
    assert earlier["date"]["anchor"] == "clause"
    assert not event_at(a, "Treffen", "CONSULT")["background"]
    assert not event_at(a, "Besuch", "CONSULT", after="zweiter")["background"]
