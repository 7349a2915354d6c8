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


# -- one person, many spellings in one article (``local_surnames``, ``local_variants``) ------------------


def test_a_hyphenated_given_name_and_the_genitive_of_the_surname() -> None:
    text = ("Der Abgeordnete Hans-Peter Krämerling sprach am Montag. Krämerling sagte, er bleibe. "
            "Krämerlings Vorschlag fand Zustimmung.")
    got = _mentions(text, FixedTags({("Hans-Peter", "Krämerling"): "PER"}))
    assert got[(text.index("Hans-Peter"), "Hans-Peter Krämerling")] == ("local:hans-peter-kraemerling", "name")
    assert got[(text.index("Krämerling sagte"), "Krämerling")] == ("local:hans-peter-kraemerling", "short")
    assert got[(text.index("Krämerlings"), "Krämerlings")] == ("local:hans-peter-kraemerling", "short")


def test_an_initial_inside_the_full_name() -> None:
    text = "Der Manager George D. Warrenfield starb. Warrenfield begann seine Laufbahn 1975."
    got = _mentions(text, FixedTags({("George", "D.", "Warrenfield"): "PER"}))
    assert got[(text.index("Warrenfield begann"), "Warrenfield")] == ("local:george-d-warrenfield", "short")


def test_a_full_name_in_the_genitive_is_the_person_named_plainly_or_by_the_surname() -> None:
    text = "Es war Tobias Wendrowskis Entscheidung. Tobias Wendrowski schwieg dazu."
    got = _mentions(text, FixedTags({("Tobias", "Wendrowskis"): "PER", ("Tobias", "Wendrowski"): "PER"}))
    assert got[(text.index("Tobias"), "Tobias Wendrowskis")][0] == "local:tobias-wendrowski"
    # only the genitive in full, the surname alone elsewhere (a word the dictionary lacks): the same person
    text = "Es war Tobias Wendrowskis Entscheidung. Wendrowski schwieg dazu."
    got = _mentions(text, FixedTags({("Tobias", "Wendrowskis"): "PER", ("Wendrowski",): "PER"}))
    assert got[(text.index("Tobias"), "Tobias Wendrowskis")][0] == "local:tobias-wendrowski"
    assert got[(text.index("Wendrowski schwieg"), "Wendrowski")] == ("local:tobias-wendrowski", "short")


def test_an_age_or_a_relative_pronoun_before_the_surname() -> None:
    text = ("Der Stürmer Jonas Brekkenfeld wechselt. Der 24-jährige Brekkenfeld kam 2019. "
            "Es war ein Tor, das Brekkenfeld berühmt machte. Im Herbst 2014 Brekkenfeld.")
    got = _mentions(text, FixedTags({("Jonas", "Brekkenfeld"): "PER"}))
    for anchor in ("Brekkenfeld kam", "Brekkenfeld berühmt", "Brekkenfeld."):
        assert got[(text.index(anchor), "Brekkenfeld")] == ("local:jonas-brekkenfeld", "short"), anchor


def test_after_a_determiner_or_a_number_a_common_noun_stays_a_common_noun() -> None:
    # "Bauer" is also a German word: "der Bauer" and "3 Bauer" are not the person named Bauer
    text = "Der Landwirt Michael Bauer klagt. Der Bauer pflügt das Feld. Es kamen 3 Bauer. Bauer lachte."
    got = _mentions(text, FixedTags({("Michael", "Bauer"): "PER"}))
    assert (text.index("Bauer pflügt"), "Bauer") not in got, got
    assert (text.index("Bauer."), "Bauer") not in got, got
    assert got[(text.index("Bauer lachte"), "Bauer")] == ("local:michael-bauer", "short")


def test_one_name_after_a_title_yields_to_the_full_name_ending_in_it() -> None:
    text = "Das ging Herrn Lindqvist auf den Geist, sagt Jonas Lindqvist."
    got = _mentions(text, FixedTags({("Lindqvist",): "PER", ("Jonas", "Lindqvist"): "PER"}))
    assert got[(text.index("Lindqvist"), "Lindqvist")] == ("local:jonas-lindqvist", "short")
    assert got[(text.index("Jonas"), "Jonas Lindqvist")] == ("local:jonas-lindqvist", "name")


def test_a_hyphenated_surname_is_not_a_compound_of_its_first_part() -> None:
    text = "Die Ministerin Ulrike Rabenau-Koller verhandelt. Das sagte Rabenau-Koller am Montag."
    # the stand-in tags the surname alone as a person part (a compound of "Rabenau"), the full name over it
    got = _mentions(text, FixedTags({("Rabenau-Koller",): "PER", ("Ulrike", "Rabenau-Koller"): "PER"}))
    assert got[(text.index("Rabenau-Koller am"), "Rabenau-Koller")] == ("local:ulrike-rabenau-koller", "short")
    assert (text.index("Rabenau-Koller am"), "Rabenau") not in got, got


def test_a_compound_of_the_surname_is_the_person() -> None:
    # the model tags "Hagedorn-Plan" as a person part (GermEval's PERpart): a compound mention of its head
    text = "Minister Tobias Hagedorn legte einen Plan vor. Der Hagedorn-Plan fand keine Mehrheit."
    got = _mentions(text, FixedTags({("Tobias", "Hagedorn"): "PER", ("Hagedorn-Plan",): "PER"}))
    assert got[(text.index("Hagedorn-Plan"), "Hagedorn")] == ("local:tobias-hagedorn", "compound")


def test_a_compound_of_a_kb_persons_surname_named_in_full_links() -> None:
    text = "Hillary Clinton trat in Iowa auf. Ein Clinton-Sprecher bestätigte den Termin."
    got = _mentions(text, FixedTags({("Hillary", "Clinton"): "PER", ("Clinton-Sprecher",): "PER"}))
    assert got[(0, "Hillary Clinton")] == ("per:hillary_clinton", "name")
    assert got[(text.index("Clinton-Sprecher"), "Clinton")] == ("per:hillary_clinton", "compound")


def test_genitives_and_plurals_of_local_names_are_the_plain_name() -> None:
    text = ("Der Konzern Brakmont meldete Verluste. Brakmonts Chef trat zurück. Die Schau des Museums "
            "Velden ist eröffnet: das Museum Velden zeigt Skulpturen.")
    got = _mentions(text, FixedTags({("Brakmont",): "ORG", ("Brakmonts",): "ORG"}))
    assert got[(text.index("Brakmont"), "Brakmont")][0] == "local:brakmont"
    assert got[(text.index("Brakmonts"), "Brakmonts")][0] == "local:brakmont"


def test_a_plain_name_of_three_letters_takes_no_genitive() -> None:
    # "Isis" is not the genitive of "Isi": a plain name needs four letters (or capitals only)
    text = "Die Agentur Isi meldete das. Auch Isis Kämpfer wurden genannt."
    got = _mentions(text, FixedTags({("Isi",): "ORG", ("Isis",): "ORG"}))
    assert got[(text.index("Isis"), "Isis")][0] == "local:isis", got


def test_the_genitive_of_a_kb_name_the_article_writes_plainly_links() -> None:
    text = "Helfer vom Roten Kreuz waren vor Ort. Ein Zelt des Roten Kreuzes stand am Bahnhof."
    got = _mentions(text, FixedTags({("Roten", "Kreuzes"): "ORG"}))
    assert got[(text.index("Roten Kreuz "), "Roten Kreuz")][0] == "org:red_cross"
    assert got[(text.index("Roten Kreuzes"), "Roten Kreuzes")][0] == "org:red_cross"


def test_a_bare_given_name_is_the_one_person_named_in_full_with_it() -> None:
    text = "Der Rennfahrer Sebastian Vollrath gewann. Das Team lobte Sebastian für seine Ruhe. Thaksins Partei schwieg."
    tags = {("Sebastian",): "PER", ("Sebastian", "Vollrath"): "PER"}
    got = _mentions(text, FixedTags(tags))
    assert got[(text.index("Sebastian für"), "Sebastian")] == ("local:sebastian-vollrath", "short")
    # two people share the given name: it stays a person of its own
    text = "Sebastian Vollrath und Sebastian Kranich fuhren. Das Team lobte Sebastian für seine Ruhe."
    got = _mentions(text, FixedTags({**tags, ("Sebastian", "Kranich"): "PER"}))
    assert got[(text.index("Sebastian für"), "Sebastian")] == ("local:sebastian", "name")


def test_the_genitive_of_a_bare_given_name_follows_it() -> None:
    text = "Der Politiker Thaksin Shinawatra floh. Später kehrte Thaksin zurück. Die Gegner Thaksins protestierten."
    tags = {("Thaksin",): "PER", ("Thaksins",): "PER", ("Thaksin", "Shinawatra"): "PER"}
    got = _mentions(text, FixedTags(tags))
    assert got[(text.index("Thaksin zurück"), "Thaksin")] == ("local:thaksin-shinawatra", "short")
    assert got[(text.index("Thaksins"), "Thaksins")][0] == "local:thaksin-shinawatra"
