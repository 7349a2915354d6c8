"""The temporal tagger on French (lexicon/fr.toml): sentences written for these tests.

Calendar facts used: 2024-06-13 is a Thursday in ISO week 24 (so "lundi" in the past is
2024-06-10, in the future 2024-06-17; the week before is 2024-W23, the week after 2024-W25).
"""

from __future__ import annotations

import pytest

from lagebild.extract.time import find_times
from lagebild.extract.time.stage import time_stage
from lagebild.model import Article, Published

ANCHOR = "2024-06-13"


def times(text: str, anchor: str | None = ANCHOR) -> list[dict]:
    out = find_times(text, "fr", anchor=anchor)
    for t in out:
        assert text[t["start"]: t["end"]] == t["text"]
    return out


def one(text: str, anchor: str | None = ANCHOR) -> dict:
    out = times(text, anchor)
    assert len(out) == 1, [t["text"] for t in out]
    return out[0]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # absolute dates, numeric dates, months with a part word, decades
        ("Le ministre a rencontré son homologue le 27 juillet 2023 à Paris.",
         ("27 juillet 2023", "DATE", "2023-07-27", None, "past")),
        ("Le 1er mai 2024, la grève a eu lieu.", ("1er mai 2024", "DATE", "2024-05-01", None, "past")),
        ("La réunion du 27/07/2023 a été annulée.", ("27/07/2023", "DATE", "2023-07-27", None, "past")),
        ("Début 2022, la guerre a commencé.", ("Début 2022", "DATE", "2022", "START", "past")),
        ("Fin mai, les troupes se sont retirées.", ("Fin mai", "DATE", "2024-05", "END", "past")),
        ("Dans les années 1950, la ville a grandi.", ("les années 1950", "DATE", "195X", None, "past")),
        ("En 2021, il a été élu.", ("2021", "DATE", "2021", None, "past")),
        ("Depuis 2014, il est ministre.", ("2014", "DATE", "2014", "EQUAL_OR_MORE", "present")),
        ("Il était ministre jusqu'en mai 2024.", ("mai 2024", "DATE", "2024-05", "EQUAL_OR_LESS", "past")),
        # a month without a year: the last March before the anchor in a past clause
        ("En mars, les prix ont augmenté.", ("mars", "DATE", "2024-03", None, "past")),
        # durations
        ("Il a travaillé pendant trois mois à Berlin.", ("trois mois", "DURATION", "P3M", None, "past")),
        ("La guerre a duré six ans.", ("six ans", "DURATION", "P6Y", None, "past")),
    ],
)
def test_dates_and_durations(sentence: str, expected: tuple) -> None:
    t = one(sentence)
    assert (t["text"], t["type"], t["value"], t["mod"], t["tense"]) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Hier, il a annoncé sa démission.", ("Hier", "2024-06-12")),
        ("Demain, il rencontrera le roi.", ("Demain", "2024-06-14")),
        ("La semaine dernière, le gouvernement a présenté le budget.", ("La semaine dernière", "2024-W23")),
        ("Le président va rencontrer le chancelier la semaine prochaine.", ("la semaine prochaine", "2024-W25")),
        ("Il a quitté le parti l'année dernière.", ("l'année dernière", "2023")),
        ("Il quittera le parti l'an prochain.", ("l'an prochain", "2025")),
        ("Il y a deux jours, la police a arrêté un suspect.", ("Il y a deux jours", "2024-06-11")),
        ("Le projet sera terminé dans trois mois.", ("dans trois mois", "2024-09")),
    ],
)
def test_relative_expressions(sentence: str, expected: tuple) -> None:
    t = one(sentence)
    assert (t["text"], t["value"]) == expected
    assert t["anchor"] == "publication"


@pytest.mark.parametrize(
    "sentence, tense, day",
    [
        # passé composé and imparfait → the last Monday; futur simple and futur proche → the next one
        ("Le président a rencontré le chancelier lundi.", "past", "2024-06-10"),
        ("Le président rencontrait le chancelier lundi.", "past", "2024-06-10"),
        ("Lundi, le président a rencontré le chancelier.", "past", "2024-06-10"),
        ("Le président rencontrera le chancelier lundi.", "future", "2024-06-17"),
        ("Le président va rencontrer le chancelier lundi.", "future", "2024-06-17"),
    ],
)
def test_weekday_direction_follows_the_tense(sentence: str, tense: str, day: str) -> None:
    t = one(sentence)
    assert (t["text"].lower(), t["tense"], t["value"]) == ("lundi", tense, day)


@pytest.mark.parametrize(
    "sentence",
    [
        "Il a 45 ans.",  # an age
        "Le président, âgé de 70 ans, a démissionné.",
        "Le match s'est terminé sur le score de 2-1.",
        "Le budget a été voté par le parlement.",  # "a été" is a participle, not summer
    ],
)
def test_not_times(sentence: str) -> None:
    assert times(sentence) == []


def test_summer_only_as_a_season_word() -> None:
    t = one("En été, les touristes arrivent.")
    assert (t["text"], t["value"]) == ("été", "2024-SU")


def test_event_anchored_fr() -> None:
    text = "Le sommet du 3 mai 2024 a échoué. Deux jours après le sommet, le ministre est parti."
    out = times(text, anchor=None)
    ev = out[-1]
    assert (ev["text"], ev["anchor"], ev["relation"], ev["offset"], ev["value"]) == (
        "Deux jours après le sommet", "event", "after", "P2D", "2024-05-05")
    assert ev["event"]["text"] == "le sommet"
    text2 = "L'élection du 5 mai 2024 a été serrée. Trois jours avant l'élection, il a démissionné."
    e2 = times(text2, anchor=None)[-1]
    assert (e2["text"], e2["relation"], e2["event"]["text"], e2["value"]) == (
        "Trois jours avant l'élection", "before", "l'élection", "2024-05-02")
    vague = one("Peu après la réunion, il est parti.")
    assert (vague["relation"], vague["offset"], vague["mod"], vague["value"]) == ("after", None, "AFTER", None)


def test_time_stage_runs_on_french_by_default() -> None:
    text = "Le ministre a démissionné le 3 mars 2021. Hier, son successeur a prêté serment."
    art = Article(id="fr1", text=text, raw_text=text, language="fr", published=Published())
    out = time_stage(art, {})
    assert [t["text"] for t in out.times] == ["3 mars 2021", "Hier"]
    # the resignation told in the passé composé bounds the writing day from below; news is written
    # within a week of the latest past event day it dates (news-recency prior, 7 days by default)
    assert (out.published.earliest, out.published.latest) == ("2021-03-03", "2021-03-10")
    # "Hier" is resolved against the inferred best guess (the day after the event)
    assert out.published.value == "2021-03-04"
    assert (out.times[1]["value"], out.times[1].get("anchor_inferred")) == ("2021-03-03", True)


@pytest.mark.parametrize(
    "sentence, earliest, latest, reason",
    [
        ("Depuis mars 2020, il est ministre.", "2020-03-01", None, "since-date"),
        ("Le sommet aura lieu le 18 septembre 2025.", None, "2025-09-18", "future-date"),
        ("Il était ministre jusqu'en mai 2024.", "2024-05-01", None, "until-past"),
        # a plus-que-parfait is background: a lower bound, but no recency prior from it
        ("Il avait démissionné le 3 mars 2021.", "2021-03-03", None, "past-date"),
    ],
)
def test_publication_date_cues_fr(sentence: str, earliest: str | None, latest: str | None, reason: str) -> None:
    from lagebild.extract.time.pubdate import infer_published

    pub = infer_published(sentence, find_times(sentence, "fr"), "fr")
    assert (pub.earliest, pub.latest) == (earliest, latest)
    assert [e["reason"] for e in pub.evidence] == [reason]
