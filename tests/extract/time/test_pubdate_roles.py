"""Publication-date bounds from terms of office (the ``pubdate_roles`` stage).

Sentences written for these tests; the expected bounds are the KB terms
(src/lagebild/kb/data/people.toml) with the packaged margins: start − 0 days,
end + 30 days.  Angela Merkel: chancellor 2005-11-22 … 2021-12-08 → latest
2022-01-07.  Barack Obama: president 2009-01-20 … 2017-01-20 → latest
2017-02-19.  Vladimir Putin: president 2000-05-07 … 2008-05-07 and from
2012-05-07 (open) → lower bound only.  Sergei Shoigu: defence minister
2012-11-06 … 2024-05-12 → latest 2024-06-11.
"""

from __future__ import annotations

from typing import Any

import pytest

from lagebild.errors import ConfigError
from lagebild.extract.entities import entities
from lagebild.extract.time._pubdate_roles import find_role_bounds, role_cues
from lagebild.extract.time.pubdate import infer_with
from lagebild.extract.time.roles import evidence_bounds, pubdate_roles, role_bounds
from lagebild.extract.time.stage import time_stage
from lagebild.kb import load_kb
from lagebild.model import Article, Published
from lagebild.nlp.stage import nlp


def _before(text: str, lang: str = "de", published: Published | None = None) -> Article:
    a = Article(id="t", text=text, raw_text=text, language=lang, published=published or Published())
    a = nlp(a, {})
    a = time_stage(a, {})
    return entities(a, {"ner": False})


def _run(text: str, lang: str = "de", **settings: Any) -> tuple[Article, Article]:
    a = _before(text, lang)
    return a, pubdate_roles(a, settings)


def _roles(a: Article) -> list[tuple[str, str, str, str | None, str | None]]:
    return [(e["text"], e["entity"], e["role"], e.get("earliest"), e.get("latest"))
            for e in a.published.evidence if e["reason"] == "role-term"]


def test_title_before_name_bounds_both_sides() -> None:
    a, b = _run("Bundeskanzlerin Angela Merkel hat die Pläne der Kommission begrüßt.")
    assert (a.published.earliest, a.published.latest) == (None, None)  # no date in the text
    assert (b.published.earliest, b.published.latest) == ("2005-11-22", "2022-01-07")
    assert _roles(b) == [("Bundeskanzlerin Angela Merkel", "per:angela_merkel", "head_of_government",
                          "2005-11-22", "2022-01-07")]
    ev = b.published.evidence[0]
    assert b.text[ev["start"]:ev["end"]] == ev["text"]
    assert sorted(ev["bounds"]) == ["earliest", "latest"]
    assert b.published.value is None  # sixteen years wide: no guess
    assert b.published.source == "inferred"


def test_former_and_hypothetical_give_no_bound() -> None:
    for text in ("Die ehemalige Bundeskanzlerin Angela Merkel hat die Pläne der Kommission begrüßt.",
                 "Der frühere US-Präsident Barack Obama hat die Pläne begrüßt.",
                 "Ex-Präsident Barack Obama hat die Pläne begrüßt.",
                 "Die designierte Bundeskanzlerin Angela Merkel hat die Pläne begrüßt.",
                 "Die SPD lehnt eine große Koalition unter einer Kanzlerin Merkel ab."):
        a, b = _run(text)
        assert b is a, text  # nothing changed: the same object
        assert b.published.evidence == [], text


def test_still_in_office_gives_lower_bound_only() -> None:
    _, b = _run("Russlands Präsident Wladimir Putin hat die Pläne kritisiert.")
    assert (b.published.earliest, b.published.latest) == ("2000-05-07", None)
    assert _roles(b) == [("Präsident Wladimir Putin", "per:vladimir_putin", "head_of_state",
                          "2000-05-07", None)]


def test_inflected_title() -> None:
    _, b = _run("Die Rede des US-Präsidenten Barack Obama wurde gelobt.")
    assert (b.published.earliest, b.published.latest) == ("2009-01-20", "2017-02-19")


def test_apposition_after_the_name() -> None:
    _, b = _run("Sergej Schoigu, der russische Verteidigungsminister, hat die Truppen besucht.")
    assert (b.published.earliest, b.published.latest) == ("2012-11-06", "2024-06-11")
    assert [r[0] for r in _roles(b)] == ["Sergej Schoigu, der russische Verteidigungsminister"]


def test_apposition_before_the_name() -> None:
    _, b = _run("Kim traf den Verteidigungsminister Russlands, Sergej Schoigu, in Pjöngjang.")
    assert (b.published.earliest, b.published.latest) == ("2012-11-06", "2024-06-11")


def test_relative_clause_is_no_apposition() -> None:
    # "der Verteidigungsminister war": a clause about the past, not a title held now
    a, b = _run("Sergej Schoigu, der Verteidigungsminister war, besuchte Pjöngjang.")
    assert b is a


def test_english_title() -> None:
    _, b = _run("President Barack Obama said the plan would create jobs.", "en")
    assert (b.published.earliest, b.published.latest) == ("2009-01-20", "2017-02-19")
    assert _roles(b)[0][:3] == ("President Barack Obama", "per:barack_obama", "head_of_state")
    a, b = _run("Former President Barack Obama said the plan would create jobs.", "en")
    assert b is a


def test_another_time_keeps_only_the_lower_bound() -> None:
    # "damals": the title describes that time, not necessarily the writing day
    _, b = _run("Damals hatte US-Präsident Barack Obama die Pläne begrüßt.")
    assert (b.published.earliest, b.published.latest) == ("2009-01-20", None)
    bounds = role_bounds(b, {})
    assert [(x.entity, x.dated) for x in bounds] == [("per:barack_obama", True)]


def test_contradicting_role_bound_is_dropped() -> None:
    # The text dates an event to 3 May 2023 (past): written on or after that day.  A chancellor
    # Merkel bound (latest 2022-01-07) contradicts it and is the one left out — never an empty interval.
    a, b = _run("Am 3. Mai 2023 wurde das Gesetz beschlossen. Bundeskanzlerin Angela Merkel lobte es.")
    assert a.published.earliest == "2023-05-03"
    assert b is a
    assert _roles(b) == []


def test_role_bound_closes_an_interval_and_times_follow_the_new_guess() -> None:
    # "Im Dezember 2021 … unterzeichnet" (past, month): on or after 2021-12-01, no upper bound, no guess.
    # Chancellor Merkel (until 2021-12-08, + 30 days) closes it at 2022-01-07: 38 days, so a guess is made;
    # "Am Montag sagte" is a past weekday, so the guess is the day after the first Monday in the interval
    # (2021-12-06) and "Montag" now resolves to that Monday.
    a, b = _run("Im Dezember 2021 wurde der Vertrag unterzeichnet. "
                "Am Montag sagte Bundeskanzlerin Angela Merkel, sie sei zufrieden.")
    assert (a.published.earliest, a.published.latest, a.published.value) == ("2021-12-01", None, None)
    assert (b.published.earliest, b.published.latest, b.published.value) == ("2021-12-01", "2022-01-07", "2021-12-07")
    monday = next(t for t in b.times if t["text"] == "Montag")
    assert monday["value"] == "2021-12-06"
    assert monday.get("anchor_inferred") is True
    assert [t.get("value") for t in a.times if t["text"] == "Montag"] == [None]  # no guess before: unresolved


def test_metadata_date_is_left_alone() -> None:
    a = _before("Bundeskanzlerin Angela Merkel hat die Pläne begrüßt.",
                published=Published(value="2030-01-01", source="metadata"))
    assert pubdate_roles(a, {}) is a


def test_margins_are_settings() -> None:
    _, b = _run("Bundeskanzlerin Angela Merkel hat die Pläne begrüßt.", start_margin_days=10, end_margin_days=0)
    assert (b.published.earliest, b.published.latest) == ("2005-11-12", "2021-12-08")
    a = _before("Bundeskanzlerin Angela Merkel hat die Pläne begrüßt.")
    with pytest.raises(ConfigError, match="end_margin_days"):
        pubdate_roles(a, {"end_margin_days": -1})


def test_title_without_a_kb_role_for_that_person() -> None:
    # Merkel was never head of state: "Präsidentin" with her name gives nothing
    text = "Präsidentin Angela Merkel hat die Pläne begrüßt."
    a = _before(text)
    assert find_role_bounds(text, a.entities, "de", load_kb(), sentences=a.sentences, times=a.times) == []


def test_languages_without_a_cue_file() -> None:
    assert role_cues("xx") is None
    assert role_cues("de") is not None and role_cues("en") is not None and role_cues("fr") is not None
    assert role_cues("de").titles["Bundeskanzlerin"] == "head_of_government"  # own file
    assert role_cues("de").titles["Verteidigungsminister"] == "defence_minister"  # from the entity cues


def test_registered_in_the_default_pipeline() -> None:
    from lagebild.config import defaults
    from lagebild.pipeline import get_stage

    stages = defaults()["pipeline"]["stages"]
    assert stages.index("entities") < stages.index("pubdate_roles") < stages.index("pubdate_corpus")
    st = get_stage("pubdate_roles")
    assert st.sets == frozenset({"published", "times"})
    assert {"entities", "times", "published"} <= st.requires


def test_evidence_bounds_survive_a_new_inference() -> None:
    # what pubdate_corpus would do: infer again from the text, with the role bounds from the evidence
    _, b = _run("Bundeskanzlerin Angela Merkel hat die Pläne begrüßt.")
    bounds = evidence_bounds(b.published)
    assert [(x.reason, str(x.lower), str(x.upper), x.text) for x in bounds] == [
        ("role-term", "2005-11-22", "2022-01-07", "Bundeskanzlerin Angela Merkel")]
    again, _ = infer_with(b.text, b.times, "de", extra=bounds)
    assert (again.earliest, again.latest) == (b.published.earliest, b.published.latest)
    assert infer_with(b.text, b.times, "de")[0].earliest is None  # without them the text alone says nothing


def test_role_bound_settles_the_year_of_a_yearless_day() -> None:
    # "Im Juli 2011 … vorgelegt": from 2011-07-01, no upper bound, so "Donnerstag, dem 20. Oktober" has no year.
    # Prime minister Cameron (2010-05-11 … 2016-07-13, + 30 days) closes the interval at 2016-08-12; of the years
    # in which 20 October is a Thursday, only 2011 fits (2016's is after 2016-08-12), so the day is
    # 2011-10-20 and the article is written within the week after it; the guess is the day after.
    a, b = _run("Im Juli 2011 hatte die Regierung den Plan vorgelegt. Am Donnerstag, dem 20. Oktober, stellte "
                "Premierminister David Cameron ihn im Parlament vor.")
    assert (a.published.earliest, a.published.latest) == ("2011-07-01", None)
    assert (b.published.earliest, b.published.latest, b.published.value) == ("2011-10-20", "2011-10-27", "2011-10-21")
    role = [e for e in b.published.evidence if e["reason"] == "role-term"]
    assert [(e["text"], e["bounds"], e["entity"], e["latest"]) for e in role] == [
        ("Premierminister David Cameron", ["year"], "per:david_cameron", "2016-08-12")]
    assert "weekday-date" in {e["reason"] for e in b.published.evidence}


def test_modifier_walk_stops_at_another_noun_phrase() -> None:
    # "einem" belongs to "einem Brief", not to the title: Ban Ki-moon, secretary-general 2007-01-01 … 2016-12-31
    _, b = _run("Die Regierung hat sich in einem Brief an UN-Generalsekretär Ban Ki-moon gewandt.")
    assert (b.published.earliest, b.published.latest) == ("2007-01-01", "2017-01-30")


def test_english_apposition_and_deputy() -> None:
    _, b = _run("Vladimir Putin, the Russian president, said the talks would go on.", "en")
    assert (b.published.earliest, b.published.latest) == ("2000-05-07", None)
    assert _roles(b)[0][0] == "Vladimir Putin, the Russian president"
    a, b = _run("Deputy Prime Minister Olaf Scholz said the talks would go on.", "en")
    assert b is a  # a deputy is not the office: Scholz's chancellorship must not bound this


def test_preposition_is_no_apposition() -> None:
    # "mit" is no adjective: the title belongs to someone else in the clause
    a, b = _run("Olaf Scholz, der mit dem Bundeskanzler, sprach lange.")
    assert b is a


def test_french_titles() -> None:
    # Macron: president since 2017-05-14 (open); Sarkozy: president 2007-05-16 … 2012-05-15 (+ 30 days)
    _, b = _run("Le président Emmanuel Macron a salué l'accord.", "fr")
    assert (b.published.earliest, b.published.latest) == ("2017-05-14", None)
    _, b = _run("Le président français Nicolas Sarkozy a salué l'accord.", "fr")
    assert (b.published.earliest, b.published.latest) == ("2007-05-16", "2012-06-14")
    assert _roles(b)[0][0] == "président français Nicolas Sarkozy"
    a, b = _run("L'ancien président Nicolas Sarkozy a salué l'accord.", "fr")
    assert b is a


def test_dated_sentences() -> None:
    kb = load_kb()
    for text, dated in (("2009 sagte US-Präsident Barack Obama, die Pläne seien gut.", True),
                        ("US-Präsident Barack Obama wird im Mai 2010 nach Moskau reisen.", False),
                        ("US-Präsident Barack Obama hat die Pläne gelobt.", False)):
        a = _before(text)
        got = find_role_bounds(text, a.entities, "de", kb, sentences=a.sentences, times=a.times)
        assert [(x.entity, x.dated, str(x.upper)) for x in got] == [
            ("per:barack_obama", dated, "None" if dated else "2017-02-19")], text


def test_corpus_stage_keeps_the_role_bounds() -> None:
    # pubdate_corpus infers again from the text with bounds from other articles; the role bound must
    # stay: a lower bound 2010-01-01 from elsewhere plus Merkel's term (… 2022-01-07) → 2010-01-01 … 2022-01-07
    from datetime import date

    from lagebild.extract.time._pubdate_clues import Bound
    from lagebild.extract.time.corpus import apply

    _, b = _run("Bundeskanzlerin Angela Merkel hat die Pläne begrüßt.")
    other = Bound(date(2010, 1, 1), None, "duplicate", None, None, "a near duplicate dated 2010")
    c = apply(b, [other], {})
    assert (c.published.earliest, c.published.latest) == ("2010-01-01", "2022-01-07")
    assert "role-term" in {e["reason"] for e in c.published.evidence}
