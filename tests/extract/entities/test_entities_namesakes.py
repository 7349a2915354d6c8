"""Somebody else with a known person's surname (``extract/entities/_namesakes.py``; real KB, real stage).

The packaged KB knows Angela Merkel, Vladimir Putin, Donald Trump and Sergei Lavrov with their surnames as
short forms. Harald Merkel, Peter Putin and Eric Trump are nobody the KB knows.
"""

from __future__ import annotations

from typing import Any

import pytest

from lagebild.extract.entities import entities
from lagebild.model import Article, Provenance


def _run(text: str, ner: bool) -> list[dict[str, Any]]:
    a = Article(id="t", source=[Provenance("t.txt", "text")], text=text, raw_text=text, language="de")
    a.published.value = "2024-05-01"
    out = entities(a, {"ner": ner}).entities
    for e in out:
        for m in e["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
    return out


def _by_mention(ents: list[dict[str, Any]]) -> dict[tuple[int, str], tuple[str, str]]:
    """(start, text) of every mention → (entity id, form)."""
    return {(m["start"], m["text"]): (e["id"], m["form"]) for e in ents for m in e["mentions"]}


@pytest.mark.parametrize("ner", [False, True])
def test_another_given_name_makes_a_local_person_and_takes_the_bare_surname(ner: bool) -> None:
    text = "Der Komiker Harald Merkel trat am Abend in Ulm auf. Merkel lachte über die eigenen Witze."
    got = _by_mention(_run(text, ner))
    assert got[(text.index("Harald"), "Harald Merkel")] == ("local:harald-merkel", "name")
    assert got[(text.index("Merkel lachte"), "Merkel")] == ("local:harald-merkel", "short")
    assert not any(eid == "per:angela_merkel" for eid, _ in got.values()), got


@pytest.mark.parametrize("ner", [False, True])
def test_the_known_person_named_in_full_keeps_the_bare_surname(ner: bool) -> None:
    text = "Angela Merkel sprach mit Harald Merkel. Merkel sagte danach nichts."
    got = _by_mention(_run(text, ner))
    assert got[(0, "Angela Merkel")] == ("per:angela_merkel", "name")
    assert got[(text.index("Harald"), "Harald Merkel")] == ("local:harald-merkel", "name")
    assert got[(text.index("Merkel sagte"), "Merkel")] == ("per:angela_merkel", "short")


def test_a_title_before_the_bare_surname_speaks_of_the_office_holder() -> None:
    text = "Der Auftritt von Harald Merkels Band war laut. Kanzlerin Merkel kam nicht."
    got = _by_mention(_run(text, False))
    # the genitive "s" is not part of the namesake's name
    assert got[(text.index("Harald"), "Harald Merkels")] == ("local:harald-merkel", "name")
    assert got[(text.index("Merkel kam"), "Merkel")] == ("per:angela_merkel", "short")


@pytest.mark.parametrize(
    "text, name, eid",
    [
        # a transliteration of the person's own given name is still the person
        ("Sergei Lawrow traf den Gast. Lawrow sagte nichts.", "Sergei Lawrow", "per:sergei_lavrov"),
        ("Vladimir Putin sprach lange.", "Vladimir Putin", "per:vladimir_putin"),
        ("Wladimir Putin sprach lange.", "Wladimir Putin", "per:vladimir_putin"),
    ],
)
def test_the_persons_own_given_name_keeps_the_link(text: str, name: str, eid: str) -> None:
    got = _by_mention(_run(text, False))
    assert got[(0, name)][0] == eid, got


def test_a_namesake_beside_the_known_person() -> None:
    text = "Eric Trumps Firma wächst. Donald Trump lobte Eric Trump am Montag."
    got = _by_mention(_run(text, False))
    assert got[(0, "Eric Trumps")] == ("local:eric-trump", "name")
    assert got[(text.index("Eric Trump am"), "Eric Trump")] == ("local:eric-trump", "name")
    assert got[(text.index("Donald"), "Donald Trump")] == ("per:donald_trump", "name")


def test_a_word_of_a_person_named_in_full_is_no_given_name() -> None:
    # "Moon" is a given name elsewhere; here it is Moon Jae-in's, named in full before
    text = "Moon Jae-in empfing Olaf Scholz am Flughafen. Danach zeigte Moon Scholz eine Fabrik."
    got = _by_mention(_run(text, True))
    assert got[(text.index("Moon Scholz"), "Moon")] == ("per:moon_jae_in", "short")
    assert got[(text.index("Scholz eine"), "Scholz")] == ("per:olaf_scholz", "short")


def test_the_persons_own_given_name_in_another_spelling_joins_the_mention() -> None:
    # the KB lists "Ahmet Davutoğlu" and the surname "Davutoglu"; "Ahmed" is the same given name
    text = "Der türkische Premier Ahmed Davutoglu sagte seine Reise ab."
    got = _by_mention(_run(text, True))
    assert got[(text.index("Ahmed"), "Ahmed Davutoglu")] == ("per:ahmet_davutoglu", "name")
    assert (text.index("Ahmed"), "Ahmed") not in got


def test_an_arabic_article_continues_a_name() -> None:
    text = "Der syrische Machthaber Baschar al-Assad sprach. Später kam Muammar al-Gaddafi zur Sprache."
    got = _by_mention(_run(text, True))
    assert got[(text.index("Baschar"), "Baschar al-Assad")] == ("per:bashar_al_assad", "name")
    assert got[(text.index("Muammar"), "Muammar al-Gaddafi")] == ("per:muammar_gaddafi", "name")


def test_a_bare_title_after_an_indefinite_article_is_nobody_in_particular() -> None:
    text = "Papst Benedikt XVI. trat zurück. Der Papst sagte, wenn ein Papst zu schwach sei, dürfe er gehen."
    got = _by_mention(_run(text, False))
    assert got[(text.index("Der Papst") + 4, "Papst")] == ("per:pope_benedict_xvi", "short")
    assert (text.index("ein Papst") + 4, "Papst") not in got
