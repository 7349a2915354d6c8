"""Every quantity in the five seed articles' clean text, read by hand, through the real pipeline.

The lists below were written by reading each seed's clean text (``lagebild
extract FILE``) sentence by sentence.  Deliberately *not* quantities there:
"70. Jahrestag", "38. Breitengrads", "Schoigus zweiter Besuch", "das erste
bekannte Treffen" (ordinals); "27. Juli", "Mai 2024", "September 2023",
"Anfang 2022", "zwischen 1950 und 1953", "den 1950er Jahren" (dates); "die
Modelle KN-23 und KN-24" (names); "zweitägigen" (an adjective, tagged as a
duration by the time layer); "seit Monaten" (no number); "beide(r)",
"ein"/"eine"/"einen"/"einer" as articles ("einer von drei" counts the three).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lagebild.model import Article

from support import seed_articles

pytestmark = pytest.mark.shared

STAGES = '["clean","identify","boilerplate","dedup","nlp","time","quantities"]'

#: seed prefix -> (text, value or (low, high), mod, unit, object_lemma, measure)
GOLD: dict[str, list[tuple[str, Any, str | None, str | None, str | None, str]]] = {
    "000": [],
    "001": [
        # "der Korea entlang des 38. Breitengrads in zwei Staaten teilt"
        ("zwei", 2, None, None, "Staat", "count:staat"),
        # "sollen zwischen zwei und vier Millionen Koreaner getötet worden sein"
        ("zwischen zwei und vier Millionen", (2_000_000, 4_000_000), None, None, "Koreaner", "count:koreaner"),
    ],
    "002": [
        # "Es war Schoigus zweiter Besuch in Pjöngjang in weniger als drei Monaten." (a duration)
        ("weniger als drei Monaten", 3, "LESS_THAN", "month", None, "month:"),
    ],
    "003": [
        # "Russland hat von Nordkorea bereits etwa 4,8 Millionen Geschosse erhalten."
        ("etwa 4,8 Millionen", 4_800_000, "APPROX", None, "Geschoss", "count:shell"),
        # "bereits über 10'000 Schiffscontainer nach Russland entsendet haben"
        ("über 10'000", 10_000, "MORE_THAN", None, "Schiffscontainer", "count:container"),
        # "Darin befanden sich mutmasslich um die 4,8 Millionen Artilleriegeschosse."
        ("um die 4,8 Millionen", 4_800_000, "APPROX", None, "Artilleriegeschoss", "count:shell"),
        # "Nordkorea als einer von drei mächtigen Verbündeten"
        ("drei", 3, None, None, "Verbündeter", "count:verbündeter"),
    ],
    "004": [
        # "Es wäre Putins erster Besuch in mehr als zwei Jahrzehnten Präsidentschaft."
        ("mehr als zwei Jahrzehnten", 2, "MORE_THAN", "decade", "Präsidentschaft", "decade:präsidentschaft"),
        # "hat Pjöngjang dem Nachbarn bereits mehr als eine Million Granaten zur Verfügung gestellt"
        ("mehr als eine Million", 1_000_000, "MORE_THAN", None, "Granate", "count:shell"),
        # "Die dreieinhalb Tonnen schwere und fast sieben Meter lange KN-23 hat eine Reichweite von knapp 700 Kilometern."
        ("dreieinhalb Tonnen", 3.5, None, "t", None, "t:"),
        ("fast sieben Meter", 7, "NEARLY", "m", None, "m:"),
        ("knapp 700 Kilometern", 700, "NEARLY", "km", None, "km:"),
        # "betreibt das Land mehr als 300 Munitionsfabriken, darunter weitere 100 zivile Einrichtungen"
        ("mehr als 300", 300, "MORE_THAN", None, "Munitionsfabrik", "count:factory"),
        ("100", 100, None, None, "Einrichtung", "count:einrichtung"),
    ],
}


@pytest.fixture(scope="module")
def articles(seeds: list[Path]) -> dict[str, Article]:
    return seed_articles(seeds, STAGES)


def _row(q: dict[str, Any]) -> tuple[Any, ...]:
    value = q["value"] if q["value"] is not None else (q["low"], q["high"])
    return (q["text"], value, q["mod"], q["unit"], q["object_lemma"], q["measure"])


@pytest.mark.parametrize("seed", sorted(GOLD))
def test_every_quantity_of_the_seed_and_nothing_else(articles: dict[str, Article], seed: str) -> None:
    a = articles[seed]
    assert [_row(q) for q in a.quantities] == GOLD[seed]
    for q in a.quantities:
        assert a.text[q["start"]:q["end"]] == q["text"]
        if q["object"] is not None:
            assert a.text[q["object_start"]:q["object_end"]] == q["object"]
        # a range has no point value, a point value no bounds
        assert (q["value"] is None) == (q["low"] is not None) == (q["high"] is not None)


def test_the_shell_figures_compare_as_one_measure(articles: dict[str, Article]) -> None:
    shells = [(k, q["value"], q["mod"]) for k, a in sorted(articles.items()) for q in a.quantities
              if q["measure"] == "count:shell"]
    assert shells == [("003", 4_800_000, "APPROX"), ("003", 4_800_000, "APPROX"), ("004", 1_000_000, "MORE_THAN")]


def test_objects_are_the_surface_forms(articles: dict[str, Article]) -> None:
    assert [q["object"] for q in articles["003"].quantities] == [
        "Geschosse", "Schiffscontainer", "Artilleriegeschosse", "Verbündeten"]
    assert [q["object"] for q in articles["004"].quantities] == [
        "Präsidentschaft", "Granaten", None, None, None, "Munitionsfabriken", "Einrichtungen"]
