"""Unit tests of the events extractor on sentences written for the purpose (German and English).

Entities come from the real entities stage and KB, so the actor/target ids are
the KB's; time expressions are given by hand where a test is about dates.
"""

from __future__ import annotations

from typing import Any

import pytest

from lagebild.errors import ConfigError
from lagebild.extract.entities import entities_of_text
from lagebild.extract.events import events, events_of_text, load_lexicon, load_ontology, plover_code, precision_of
from lagebild.model import Article, Published

PUB = {"value": "2024-06-20"}


def evs(text: str, lang: str, **kw: Any) -> list[dict[str, Any]]:
    ents = entities_of_text(text, lang)
    kw.setdefault("published", PUB)
    return events_of_text(text, lang, entities=ents, **kw)


def one(text: str, lang: str, event: str, **kw: Any) -> dict[str, Any]:
    found = [e for e in evs(text, lang, **kw) if e["event"] == event]
    assert len(found) == 1, (text, [(e["event"], e["trigger"]["text"]) for e in evs(text, lang, **kw)])
    return found[0]


def ids(refs: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in refs]


# (sentence, language, category, mode, actors, targets) — one per PLOVER category at least
CASES = [
    ("Russland und China vereinbarten eine engere Zusammenarbeit.", "de", "AGREE", None, ["gpe:ru", "gpe:cn"], []),
    ("Olaf Scholz telefonierte mit Emmanuel Macron.", "de", "CONSULT", "phone",
     ["per:olaf_scholz"], ["per:emmanuel_macron"]),
    ("Joe Biden met Xi Jinping in Beijing.", "en", "CONSULT", None, ["per:joe_biden"], ["per:xi_jinping"]),
    ("Deutschland unterstützt die Ukraine.", "de", "SUPPORT", None, ["gpe:de"], ["gpe:ua"]),
    ("Israel eased restrictions on Gaza.", "en", "CONCEDE", None, ["gpe:il"], ["city:ps:gaza"]),
    ("Japan cooperates with South Korea.", "en", "COOPERATE", None, ["gpe:jp"], ["gpe:kr"]),
    ("Deutschland liefert der Ukraine Panzer.", "de", "AID", None, ["gpe:de"], ["gpe:ua"]),
    ("Russland zog seine Truppen aus Syrien zurück.", "de", "RETREAT", "withdraw", ["gpe:ru"], []),
    ("China forderte Japan zu Gesprächen auf.", "de", "REQUEST", None, ["gpe:cn"], ["gpe:jp"]),
    ("Joe Biden criticized China.", "en", "ACCUSE", "disapprove", ["per:joe_biden"], ["gpe:cn"]),
    ("Nordkorea wies die Vorwürfe zurück.", "de", "REJECT", None, ["gpe:kp"], []),
    ("Nordkorea drohte Südkorea mit Vergeltung.", "de", "THREATEN", None, ["gpe:kp"], ["gpe:kr"]),
    ("Thousands protested in Paris.", "en", "PROTEST", "demo", [], []),
    ("Die USA verhängten Sanktionen gegen Iran.", "de", "SANCTION", "discontinue", ["gpe:us"], ["gpe:ir"]),
    ("Russia mobilized troops near Ukraine.", "en", "MOBILIZE", "troops", ["gpe:ru"], ["gpe:ua"]),
    ("Die Polizei nahm in Berlin zwanzig Demonstranten fest.", "de", "COERCE", "arrest", [], []),
    ("Russia attacked Ukraine.", "en", "ASSAULT", None, ["gpe:ru"], ["gpe:ua"]),
]


@pytest.mark.parametrize("text,lang,event,mode,actors,targets", CASES, ids=[c[2] + "-" + c[1] for c in CASES])
def test_each_category(text: str, lang: str, event: str, mode: str | None, actors: list[str], targets: list[str]) -> None:
    e = one(text, lang, event)
    assert e["mode"] == mode
    assert ids(e["actors"]) == actors
    assert ids(e["targets"]) == targets
    assert e["status"] == "asserted" and not e["negated"] and not e["background"]
    assert text[e["start"] : e["end"]] == e["text"]


def test_every_category_is_covered() -> None:
    assert {c[2] for c in CASES} == set(load_ontology().categories)
    assert len(load_ontology().categories) == 16


def test_separable_verbs() -> None:
    t = "Nordkorea wies die Vorwürfe zurück."
    e = one(t, "de", "REJECT")
    assert e["trigger"] == {"start": 10, "end": 14, "text": "wies", "lemma": "zurückweisen"}
    assert {"start": t.index("zurück"), "end": t.index("zurück") + 6} in e["evidence"]
    assert e["end"] == t.index("zurück") + 6  # the span runs to the particle
    z = one("Peking sagte Moskau Hilfe zu.", "de", "AGREE")
    assert z["trigger"]["lemma"] == "zusagen" and ids(z["actors"]) == ["gpe:cn"]
    assert z["status"] == "asserted"  # "sagte" is part of the trigger, not a speech verb here
    f = one("Die Polizei nahm in Berlin zwanzig Demonstranten fest.", "de", "COERCE")
    assert f["trigger"]["lemma"] == "festnehmen" and f["place"]["id"] == "city:de:berlin"


def test_negation() -> None:
    e = one("Nordkorea hat keine Truppen nach Russland entsandt.", "de", "AID")
    assert e["negated"] and ids(e["actors"]) == ["gpe:kp"] and ids(e["targets"]) == ["gpe:ru"]
    assert one("Germany did not send troops to Ukraine.", "en", "AID")["negated"]
    assert not one("Nordkorea liefert nicht nur Munition an Russland.", "de", "AID")["negated"]
    # the negation belongs to the adjective, not to the delivery
    assert not one("Laut nicht bestätigten Berichten liefert Nordkorea Russland Munition.", "de", "AID")["negated"]


def test_future_and_announced_events_are_planned() -> None:
    e = one("Wladimir Putin wird nächste Woche nach Pjöngjang reisen.", "de", "CONSULT")
    assert e["status"] == "planned" and e["mode"] == "visit"
    assert ids(e["actors"]) == ["per:vladimir_putin"] and ids(e["targets"]) == ["city:kp:pyongyang"]
    assert e["place"]["id"] == "city:kp:pyongyang"
    assert plover_code(e) == "AGREE" and e["event"] == "CONSULT"
    k = one("Russland kündigte einen Besuch in Nordkorea an.", "de", "CONSULT")
    assert k["status"] == "planned" and k["place"]["id"] == "gpe:kp"
    en = one("Vladimir Putin will travel to Pyongyang next week.", "en", "CONSULT")
    assert en["status"] == "planned" and ids(en["targets"]) == ["city:kp:pyongyang"]
    # a past visit is not planned, and a passive "wird verdächtigt" is no future
    assert one("Wladimir Putin besuchte Nordkorea.", "de", "CONSULT")["status"] == "asserted"
    s = one("Nordkorea wird verdächtigt, Russland mit Waffen zu unterstützen.", "de", "SUPPORT")
    assert s["status"] == "hedged" and ids(s["actors"]) == ["gpe:kp"] and ids(s["targets"]) == ["gpe:ru"]
    assert plover_code(one("Russia attacked Ukraine.", "en", "ASSAULT")) == "ASSAULT"


def test_actor_target_order_in_main_and_subordinate_clauses() -> None:
    # V2 with inversion: the subject follows the verb
    e = one("Am Montag besuchte der russische Präsident Wladimir Putin Nordkorea.", "de", "CONSULT")
    assert ids(e["actors"]) == ["gpe:ru", "per:vladimir_putin"] and ids(e["targets"]) == ["gpe:kp"]
    # verb-final subordinate clause
    s = one("Berlin erklärte, dass Nordkorea Russland Munition liefert.", "de", "AID")
    assert ids(s["actors"]) == ["gpe:kp"] and ids(s["targets"]) == ["gpe:ru"]
    assert s["status"] == "reported"
    # relative clause and the main clause it interrupts
    r = evs("Wladimir Putin, der am Montag Nordkorea besuchte, lobte Kim Jong-un.", "de")
    visit = next(e for e in r if e["event"] == "CONSULT")
    praise = next(e for e in r if e["event"] == "SUPPORT")
    assert ids(visit["actors"]) == ["per:vladimir_putin"] and ids(visit["targets"]) == ["gpe:kp"]
    assert ids(praise["actors"]) == ["per:vladimir_putin"] and ids(praise["targets"]) == ["per:kim_jong_un"]
    # English passive with a by-agent, and a receiving verb
    p = one("Ukraine was attacked by Russia.", "en", "ASSAULT")
    assert ids(p["actors"]) == ["gpe:ru"] and ids(p["targets"]) == ["gpe:ua"]
    g = one("Iran received drones from Russia.", "en", "AID")
    assert ids(g["actors"]) == ["gpe:ru"] and ids(g["targets"]) == ["gpe:ir"]
    # a noun trigger owned by an adjective, and the object of another trigger verb
    n = one("Deutschland verurteilte den russischen Angriff auf die Ukraine.", "de", "ASSAULT")
    assert ids(n["actors"]) == ["gpe:ru"] and ids(n["targets"]) == ["gpe:ua"]
    o = one("Deutschland verurteilte den Angriff auf Israel.", "de", "ASSAULT")
    assert ids(o["actors"]) == [] and ids(o["targets"]) == ["gpe:il"]


def test_weak_trigger_without_participants_is_dropped() -> None:
    assert evs("Die Forderung war deutlich.", "de") == []
    # a strong one stays
    assert [e["event"] for e in evs("Der Krieg dauert an.", "de")] == ["ASSAULT"]


def test_dates_anchor_and_precision() -> None:
    t = "Wladimir Putin besuchte im Juni 2024 Nordkorea."
    times = [{"start": t.index("Juni"), "end": t.index("Juni") + 9, "text": "Juni 2024", "type": "DATE",
              "value": "2024-06", "mod": None}]
    e = one(t, "de", "CONSULT", times=times)
    assert e["date"] == {"value": "2024-06", "mod": None, "precision": "month", "anchor": "clause", "time": 0}
    # no time expression: the publication date; no publication date: none
    assert one("Wladimir Putin besuchte Nordkorea.", "de", "CONSULT")["date"]["anchor"] == "publication"
    nd = one("Wladimir Putin besuchte Nordkorea.", "de", "CONSULT", published={})["date"]
    assert nd == {"value": None, "mod": None, "precision": "unknown", "anchor": "none", "time": None}
    # another sentence's date is not the event's date (it used to be taken at paragraph level)
    t2 = "Im Mai 2019 war es ruhig. Wladimir Putin besuchte Nordkorea."
    times2 = [{"start": 3, "end": 11, "text": "Mai 2019", "type": "DATE", "value": "2019-05", "mod": None}]
    p = one(t2, "de", "CONSULT", times=times2, sentences=[[0, 25], [26, len(t2)]])
    assert p["date"]["anchor"] == "publication" and p["date"]["value"] != "2019-05"
    assert not p["background"]
    assert [precision_of(v) for v in ("2024-06-20", "2024-W25", "2024-06", "2024-Q2", "2024", "195X", "PXY", None)] == [
        "day", "week", "month", "quarter", "year", "decade", "unknown", "unknown"
    ]


def test_background() -> None:
    t = "Wladimir Putin besuchte 2019 Nordkorea."
    times = [{"start": 24, "end": 28, "text": "2019", "type": "DATE", "value": "2019", "mod": None}]
    assert one(t, "de", "CONSULT", times=times)["background"]  # five years before publication
    assert not one(t, "de", "CONSULT", times=times, published={"value": "2019-06-01"})["background"]
    assert one("Damals besuchte Wladimir Putin Nordkorea.", "de", "CONSULT")["background"]
    assert one("Russland hatte die Ukraine angegriffen.", "de", "ASSAULT")["background"]
    assert one("Russia had attacked Ukraine.", "en", "ASSAULT")["background"]
    assert not one("Russland hat die Ukraine angegriffen.", "de", "ASSAULT")["background"]


def _times(text: str, word: str, value: str) -> list[dict[str, Any]]:
    i = text.index(word)
    return [{"start": i, "end": i + len(word), "text": word, "type": "DATE", "value": value, "mod": None}]


def test_earlier_occurrence_is_background_and_keeps_its_date() -> None:
    # "zuletzt" after the trigger, anywhere in the clause: an earlier visit, dated by its own month
    t = "Wladimir Putin besuchte Nordkorea zuletzt im März."
    e = one(t, "de", "CONSULT", times=_times(t, "März", "2024-03"))
    assert e["background"] and e["date"]["value"] == "2024-03" and e["date"]["anchor"] == "clause"
    assert one("Wladimir Putin besuchte Nordkorea zum letzten Mal.", "de", "CONSULT")["background"]
    # "bereits im …" only with the clause's own date ("bereits im Einsatz" is now)
    t = "Wladimir Putin besuchte Nordkorea bereits im Juni."
    assert one(t, "de", "CONSULT", times=_times(t, "Juni", "2023-06"))["background"]
    assert not one("Nordkorea liefert Russland bereits im großen Stil Munition.", "de", "AID")["background"]
    # "bis zuletzt" (until the end) is no earlier occurrence
    assert not one("Russland griff die Ukraine bis zuletzt an.", "de", "ASSAULT")["background"]
    assert not one("Deutschland unterstützt nicht zuletzt die Ukraine.", "de", "SUPPORT")["background"]
    # English: "previously" anywhere; "last" with the clause's own date, not "last week" nor "the last …"
    assert one("Vladimir Putin previously visited North Korea.", "en", "CONSULT")["background"]
    t = "Vladimir Putin last visited North Korea in March."
    assert one(t, "en", "CONSULT", times=_times(t, "March", "2024-03"))["background"]
    t = "Vladimir Putin visited North Korea last week."
    assert not one(t, "en", "CONSULT", times=_times(t, "last week", "2024-W24"))["background"]
    assert not one("Vladimir Putin visited North Korea.", "en", "CONSULT")["background"]


def test_claim_status_carried_over() -> None:
    t = "Nordkorea soll Russland Munition geliefert haben."
    claims = [{"start": 0, "end": len(t), "status": "hedged"}]
    e = one(t, "de", "AID", claims=claims)
    assert e["claim"] == 0 and e["status"] == "hedged"
    # planned replaces asserted, not other statuses
    t2 = "Wladimir Putin wird Nordkorea besuchen."
    assert one(t2, "de", "CONSULT", claims=[{"start": 0, "end": len(t2), "status": "asserted"}])["status"] == "planned"
    assert one(t2, "de", "CONSULT", claims=[{"start": 0, "end": len(t2), "status": "quoted"}])["status"] == "quoted"
    # the innermost claim wins
    inner = [{"start": 0, "end": len(t2), "status": "asserted"}, {"start": 15, "end": len(t2), "status": "denied"}]
    d = one(t2, "de", "CONSULT", claims=inner)
    assert d["claim"] == 1 and d["status"] == "denied"


def test_contexts() -> None:
    e = one("Nordkorea liefert Russland Artilleriegranaten.", "de", "AID")
    assert e["context"] == ["military"]
    s = one("The United States imposed sanctions on Iran over its nuclear programme.", "en", "SANCTION")
    assert {"economic", "cbrn"} <= set(s["context"])


def test_stage_on_an_article() -> None:
    text = "Wladimir Putin besuchte Nordkorea."
    a = Article(id="x", language="de", text=text, sentences=[[0, len(text)]],
                published=Published(value="2024-06-20"), entities=entities_of_text(text, "de"))
    out = events(a, {"languages": ["de", "en"], "lexicon_files": [], "background_days": 365})
    assert out is not a and a.events == []
    assert [(e["event"], ids(e["actors"]), ids(e["targets"])) for e in out.events] == [
        ("CONSULT", ["per:vladimir_putin"], ["gpe:kp"])
    ]
    fr = events(a.replace(language="fr"), {"languages": ["de", "en"]})
    assert fr.events == []
    assert events(a, {"languages": ["en"]}).events == []


def test_user_lexicon_files(tmp_path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[triggers]\ngratulieren = { event = "SUPPORT", strong = true }\n', encoding="utf-8")
    t = "Wladimir Putin gratulierte Kim Jong-un."
    assert evs(t, "de") == []
    got = evs(t, "de", lexicon_files=(str(extra),))
    assert [(e["event"], e["trigger"]["lemma"]) for e in got] == [("SUPPORT", "gratulieren")]
    assert "gratulieren" not in load_lexicon("de").triggers  # the packaged lexicon is unchanged
    bad = tmp_path / "bad.toml"
    bad.write_text('[triggers]\ngratulieren = { event = "HUG" }\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="not a PLOVER category"):
        evs(t, "de", lexicon_files=(str(bad),))
    badmode = tmp_path / "badmode.toml"
    badmode.write_text('[triggers]\ngratulieren = { event = "CONSULT", mode = "hug" }\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="mode 'hug'"):
        evs(t, "de", lexicon_files=(str(badmode),))
    with pytest.raises(ConfigError, match="not found"):
        evs(t, "de", lexicon_files=(str(tmp_path / "missing.toml"),))


def test_packaged_lexicons_are_valid() -> None:
    onto = load_ontology()
    for lang in ("de", "en"):
        lex = load_lexicon(lang)
        assert lex is not None and len(lex.triggers) > 80
        assert {t.event for t in lex.triggers.values()} == set(onto.categories)
    assert load_lexicon("fr") is None


def test_hearsay_modal_is_reported_not_planned() -> None:
    e = one("Nordkorea soll Russland Munition geliefert haben.", "de", "AID")
    assert e["status"] == "reported" and ids(e["actors"]) == ["gpe:kp"] and ids(e["targets"]) == ["gpe:ru"]
    assert one("Nordkorea soll Russland Munition liefern.", "de", "AID")["status"] == "planned"


def _time(t: str, text: str, value: str, **extra: object) -> dict:
    return {"start": t.index(text), "end": t.index(text) + len(text), "text": text, "type": "DATE",
            "value": value, "mod": None, **extra}


def test_deadline_is_not_the_event_date() -> None:
    """"bis Mai 2024" in a relative clause about an office is no visit date: kept as ``until``."""
    t = "Der Minister, der bis Mai 2024 im Amt war, besuchte Nordkorea."
    e = one(t, "de", "CONSULT", times=[_time(t, "Mai 2024", "2024-05")], published={})
    assert e["date"] == {"value": None, "mod": None, "precision": "unknown", "anchor": "none", "time": None}
    t = "Der Minister besuchte bis Mai 2024 jeden Monat Nordkorea."
    e = one(t, "de", "CONSULT", times=[_time(t, "Mai 2024", "2024-05")], published={})
    assert e["date"]["value"] is None and e["date"]["until"] == "2024-05" and e["date"]["anchor"] == "none"
    t = "Putin met Kim in Pyongyang until June 2024."
    e = one(t, "en", "CONSULT", times=[_time(t, "June 2024", "2024-06")], published={})
    assert e["date"]["value"] is None and e["date"]["until"] == "2024-06"
    # the same expression without "bis" dates the visit
    t = "Der Minister besuchte im Mai 2024 Nordkorea."
    e = one(t, "de", "CONSULT", times=[_time(t, "Mai 2024", "2024-05")], published={})
    assert e["date"]["value"] == "2024-05" and "until" not in e["date"]


def test_sentence_date_across_a_clause_boundary_is_not_taken() -> None:
    t = "Wladimir Putin besuchte Nordkorea, wo am 27. Juli der Jahrestag gefeiert wurde."
    e = one(t, "de", "CONSULT", times=[_time(t, "27. Juli", "XXXX-07-27")], published={},
            sentences=[[0, len(t)]])
    assert e["date"]["value"] is None and e["date"]["anchor"] == "none"


def test_event_anchored_value_beats_one_from_an_inferred_publication_date() -> None:
    t = "Putin besuchte am Mittwoch, zwei Tage nach dem Gipfel, Nordkorea."
    times = [_time(t, "am Mittwoch", "2024-06-19", anchor_inferred=True),
             _time(t, "zwei Tage nach dem Gipfel", "2024-06-12", anchor="event")]
    e = one(t, "de", "CONSULT", times=times, published={}, sentences=[[0, len(t)]])
    assert e["date"]["value"] == "2024-06-12"
