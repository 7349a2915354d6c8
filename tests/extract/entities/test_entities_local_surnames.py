"""A local person's bare name later in the article, and the model's person spans (``_local.local_surnames``,
``_ner.ner_spans``).

Sentences written for the test.  The model is the stand-in :class:`support.FixedTags`, which tags fixed
token sequences, so the tests check the rules, not what the packaged model happens to predict.  The
packaged KB knows "Austin" and "Elizabeth" only as US cities from GeoNames (no German name, no adjective,
no government they stand for: minor cities).
"""

from __future__ import annotations

from typing import Any

from lagebild.extract.entities import entities_of_text
from support import FixedTags


def _mentions(text: str, ner: Any) -> dict[tuple[int, str], tuple[str, str]]:
    """(start, text) of every mention → (entity id, form)."""
    out = {}
    for e in entities_of_text(text, "de", ner=True, ner_model=ner):
        for m in e["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
            out[(m["start"], m["text"])] = (e["id"], m["form"])
    return out


def test_after_the_full_name_a_bare_surname_is_the_person_not_a_minor_city() -> None:
    text = (
        "Austin liegt in Texas. Der Physiker Steven Austin sprach am Montag. "
        "Austin sagte, die Messung sei falsch. In Austin regnet es seither."
    )
    got = _mentions(text, FixedTags({("Steven", "Austin"): "PER"}))
    assert got[(text.index("Steven"), "Steven Austin")] == ("local:steven-austin", "name")
    assert got[(text.index("Austin sagte"), "Austin")] == ("local:steven-austin", "short")
    # before the person is named, and after a place preposition, the word stays the city
    assert got[(0, "Austin")] == ("city:us:austin", "name")
    assert got[(text.index("In Austin") + 3, "Austin")] == ("city:us:austin", "name")


def test_a_city_with_a_german_name_keeps_its_bare_name_against_a_local_namesake() -> None:
    # Berlin has a German name, an adjective and stands for a government: not a minor city
    text = "Der Sänger Peter Berlin starb 1989. Berlin reagierte am Montag zurückhaltend."
    got = _mentions(text, FixedTags({("Peter", "Berlin"): "PER"}))
    assert got[(text.index("Peter"), "Peter Berlin")] == ("local:peter-berlin", "name")
    # the city, here acting for the German government: anything but the local person
    assert got[(text.index("Berlin reagierte"), "Berlin")][0] in ("city:de:berlin", "gpe:de"), got


def test_a_model_person_span_ends_at_its_last_capitalised_word() -> None:
    # the stand-in tags the verb after the name as part of it, as the packaged model once did
    text = "Die Sängerin Lotte Wendelin empfing die Gäste am Abend."
    got = _mentions(text, FixedTags({("Lotte", "Wendelin", "empfing"): "PER"}))
    assert got[(text.index("Lotte"), "Lotte Wendelin")] == ("local:lotte-wendelin", "name")
    assert not any("empfing" in t for _, t in got), got
    # particles inside a name stay: only the end is trimmed
    text = "Der Dichter Ulrich von Hallstein schrieb viel."
    got = _mentions(text, FixedTags({("Ulrich", "von", "Hallstein", "schrieb"): "PER"}))
    assert got[(text.index("Ulrich"), "Ulrich von Hallstein")][1] == "name", got


def test_a_name_after_a_noble_title_is_a_person_and_its_bare_repetition_too() -> None:
    text = "Königin Elizabeth empfing den Präsidenten. Elizabeth lächelte."
    got = _mentions(text, FixedTags({("Elizabeth", "empfing"): "PER"}))
    assert got[(text.index("Elizabeth"), "Elizabeth")] == ("local:elizabeth", "name")
    assert got[(text.index("Elizabeth lächelte"), "Elizabeth")] == ("local:elizabeth", "short")
    assert not any(eid.startswith("city:") for eid, _ in got.values()), got


def test_without_a_title_one_bare_name_does_not_take_the_next() -> None:
    # a one-word local person with no title before it: its later repetition is left to the other rules
    text = "Elizabeth empfing den Präsidenten. Elizabeth lächelte."
    got = _mentions(text, FixedTags({("Elizabeth", "empfing"): "PER"}))
    assert got[(text.index("Elizabeth lächelte"), "Elizabeth")] == ("city:us:elizabeth", "name")


def test_a_model_person_span_keeps_arabic_articles_and_unknown_particles_at_its_end() -> None:
    text = "Der sudanesische Präsident Omar al-Bashir reiste ab. Auch Lucas Cranach d.J. malte."
    got = _mentions(text, FixedTags({("Omar", "al-Bashir"): "PER", ("Lucas", "Cranach", "d.J."): "PER"}))
    assert got[(text.index("Omar"), "Omar al-Bashir")][1] == "name", got
    assert got[(text.index("Lucas"), "Lucas Cranach d.J.")][1] == "name", got


def test_a_common_noun_after_a_title_does_not_follow_as_a_name() -> None:
    # "Herr Richter" is a person; "der zuständige Richter" later is the judge, a common noun
    text = "Herr Richter sprach zuerst. Das Urteil sprach der zuständige Richter am Montag."
    got = _mentions(text, FixedTags({("Richter", "sprach", "zuerst"): "PER"}))
    assert got[(text.index("Richter"), "Richter")][0].startswith("local:"), got
    assert (text.index("Richter am"), "Richter") not in got, got


def test_a_one_word_local_entity_of_the_surname_is_the_person_named_in_full() -> None:
    # the stand-in makes "Wendelin malte" a person span of its own, trimmed to "Wendelin"
    text = "Die Malerin Lotte Wendelin stellt aus. Wendelin malte vor allem Landschaften."
    got = _mentions(text, FixedTags({("Lotte", "Wendelin"): "PER", ("Wendelin", "malte"): "PER"}))
    assert got[(text.index("Lotte"), "Lotte Wendelin")] == ("local:lotte-wendelin", "name")
    assert got[(text.index("Wendelin malte"), "Wendelin")] == ("local:lotte-wendelin", "short")
