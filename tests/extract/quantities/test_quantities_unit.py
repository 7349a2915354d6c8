"""The quantity grammar on phrases written for these tests (German and English), and the stage."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from lagebild.config import defaults
from lagebild.errors import ConfigError
from lagebild.extract.quantities import find_quantities, quantities
from lagebild.extract.quantities._numbers import parse_digits, parse_words
from lagebild.extract.quantities._lexicon import load_lexicon
from lagebild.model import Article
from lagebild.pipeline import Pipeline, get_stage


def one(text: str, lang: str = "de", times: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    found = find_quantities(text, lang, times or [])
    assert len(found) == 1, [q["text"] for q in found]
    q = found[0]
    assert text[q["start"]:q["end"]] == q["text"]
    if q["object"] is not None:
        assert text[q["object_start"]:q["object_end"]] == q["object"]
    return q


def summary(q: dict[str, Any]) -> tuple[Any, ...]:
    return (q["text"], q["value"], q["low"], q["high"], q["mod"], q["unit"], q["object"])


# -- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "decimal_comma", "expected"),
    [
        ("4,8", True, "4.8"),
        ("4.8", True, "4.8"),
        ("10.000", True, "10000"),
        ("1.000.000", True, "1000000"),
        ("10.000,50", True, "10000.50"),
        ("10'000", True, "10000"),
        ("10’000", True, "10000"),
        ("10\u202f000", True, "10000"),
        ("10\u00a0000", False, "10000"),
        ("1,000,000", False, "1000000"),
        ("1,000", False, "1000"),
        ("1,000.5", False, "1000.5"),
        ("4.8", False, "4.8"),
        ("1.500", False, "1.5"),
        ("4,8", False, "4.8"),
        ("1,500", True, "1.5"),
    ],
)
def test_digits_are_read_with_the_languages_marks(s: str, decimal_comma: bool, expected: str) -> None:
    from decimal import Decimal

    assert parse_digits(s, decimal_comma) == Decimal(expected)


@pytest.mark.parametrize(
    ("phrase", "lang", "expected"),
    [
        ("dreihundertfünfzig", "de", 350),
        ("einundzwanzig", "de", 21),
        ("zweitausendvierhundertdreiundzwanzig", "de", 2423),
        ("zehntausend", "de", 10000),
        ("zweihunderttausend", "de", 200000),
        ("dreieinhalb", "de", 3.5),
        ("eineinhalb", "de", 1.5),
        ("anderthalb", "de", 1.5),
        ("hundertzwanzig", "de", 120),
        ("zwölf", "de", 12),
        ("twenty-five", "en", 25),
        ("three hundred and fifty", "en", 350),
        ("one hundred and five", "en", 105),
        ("twelve thousand five hundred", "en", 12500),
        ("zweidrei", "de", None),
        ("zwanzigdrei", "de", None),
        ("und", "de", None),
        ("two and three", "en", None),
        ("fifty twenty", "en", None),
    ],
)
def test_number_words(phrase: str, lang: str, expected: float | None) -> None:
    value = parse_words(phrase, load_lexicon(lang))
    assert (None if value is None else float(value)) == expected


# -- German phrases ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Es kamen rund 10.000 Soldaten an.", ("rund 10.000", 10000, None, None, "APPROX", None, "Soldaten")),
        ("Es waren 4,8 Millionen Artilleriegeschosse.",
         ("4,8 Millionen", 4800000, None, None, None, None, "Artilleriegeschosse")),
        ("Er bekam 1,2 Mrd. Euro.", ("1,2 Mrd. Euro", 1200000000, None, None, None, "EUR", None)),
        ("Die Zahl lag bei 10 000 Menschen.", ("10 000", 10000, None, None, None, None, "Menschen")),
        ("Die Zahl lag bei 10\u202f000 Menschen.", ("10\u202f000", 10000, None, None, None, None, "Menschen")),
        ("Es fehlen eine Million Granaten.", ("eine Million", 1000000, None, None, None, None, "Granaten")),
        ("Die Kosten stiegen um 20 Prozent.", ("20 Prozent", 20, None, None, None, "%", None)),
        ("Die Kosten stiegen um 20 %.", ("20 %", 20, None, None, None, "%", None)),
        ("Die Partei verlor 2,5 Prozentpunkte.", ("2,5 Prozentpunkte", 2.5, None, None, None, "pp", None)),
        ("Es kostet 10-15 % mehr.", ("10-15 %", None, 10, 15, None, "%", None)),
        ("Es starben zwei bis vier Millionen Menschen.",
         ("zwei bis vier Millionen", None, 2000000, 4000000, None, None, "Menschen")),
        ("Es waren zwischen 10 und 20 Panzer.", ("zwischen 10 und 20", None, 10, 20, None, None, "Panzer")),
        ("Es kamen 10 bis 20 Drohnen.", ("10 bis 20", None, 10, 20, None, None, "Drohnen")),
        ("Es kamen Hunderte Menschen.", ("Hunderte", None, 200, 999, "APPROX", None, "Menschen")),
        ("Es kamen Dutzende von Reportern.", ("Dutzende", None, 24, 99, "APPROX", None, "Reportern")),
        ("Es kamen Hunderttausende.", ("Hunderttausende", None, 200000, 999999, "APPROX", None, None)),
        ("Es kamen mehrere tausend Soldaten.", ("mehrere tausend", None, 2000, 9999, "APPROX", None, "Soldaten")),
        ("Er verlangte mehr als 300 Raketen.", ("mehr als 300", 300, None, None, "MORE_THAN", None, "Raketen")),
        ("Er verlangte über 300 Raketen.", ("über 300", 300, None, None, "MORE_THAN", None, "Raketen")),
        ("Er verlangte weniger als 300 Raketen.", ("weniger als 300", 300, None, None, "LESS_THAN", None, "Raketen")),
        ("Er verlangte unter 300 Raketen.", ("unter 300", 300, None, None, "LESS_THAN", None, "Raketen")),
        ("Er verlangte mindestens 300 Raketen.", ("mindestens 300", 300, None, None, "AT_LEAST", None, "Raketen")),
        ("Er verlangte höchstens 300 Raketen.", ("höchstens 300", 300, None, None, "AT_MOST", None, "Raketen")),
        ("Er verlangte maximal 300 Raketen.", ("maximal 300", 300, None, None, "AT_MOST", None, "Raketen")),
        ("Er verlangte bis zu 300 Raketen.", ("bis zu 300", 300, None, None, "UP_TO", None, "Raketen")),
        ("Er verlangte fast 300 Raketen.", ("fast 300", 300, None, None, "NEARLY", None, "Raketen")),
        ("Er verlangte knapp 300 Raketen.", ("knapp 300", 300, None, None, "NEARLY", None, "Raketen")),
        ("Er verlangte ca. 300 Raketen.", ("ca. 300", 300, None, None, "APPROX", None, "Raketen")),
        ("Er verlangte gut 300 Raketen.", ("gut 300", 300, None, None, "MORE_THAN", None, "Raketen")),
        ("Er verlangte knapp über 300 Raketen.", ("knapp über 300", 300, None, None, "MORE_THAN", None, "Raketen")),
        ("Sie lieferten 1000 Schiffscontainer.", ("1000", 1000, None, None, None, None, "Schiffscontainer")),
        ("Es gab fünf Milliarden Euro Hilfe.", ("fünf Milliarden Euro", 5000000000, None, None, None, "EUR", "Hilfe")),
        ("Er erhielt drei Jahre Haft.", ("drei Jahre", 3, None, None, None, "year", "Haft")),
        ("Es kamen weitere 100 zivile Einrichtungen.", ("100", 100, None, None, None, None, "Einrichtungen")),
        ("Es fehlen 5 Mio. US-Dollar.", ("5 Mio. US-Dollar", 5000000, None, None, None, "USD", None)),
        ("Es kostet 30 Rubel.", ("30 Rubel", 30, None, None, None, "RUB", None)),
        ("Es kostet 30 Franken.", ("30 Franken", 30, None, None, None, "CHF", None)),
        ("Es kostet 30 Yuan.", ("30 Yuan", 30, None, None, None, "CNY", None)),
        ("Es kostet 30 Hrywnja.", ("30 Hrywnja", 30, None, None, None, "UAH", None)),
        ("Es kostet € 30.", ("€ 30", 30, None, None, None, "EUR", None)),
        ("Die Strafe betrug 200 australische Dollar.", ("200 australische Dollar", 200, None, None, None, "AUD", None)),
        ("Es wiegt 3 kg.", ("3 kg", 3, None, None, None, "kg", None)),
        ("Die Fläche misst 300 Quadratkilometer.", ("300 Quadratkilometer", 300, None, None, None, "km2", None)),
        ("Es fuhr 120 km/h schnell.", ("120 km/h", 120, None, None, None, "km/h", None)),
        ("Es hat 400 MW Leistung.", ("400 MW", 400, None, None, None, "MW", "Leistung")),
        ("Es war 35 Grad heiß.", ("35 Grad", 35, None, None, None, "°C", None)),
        ("Es waren dreihundertfünfzig Panzer.", ("dreihundertfünfzig", 350, None, None, None, None, "Panzer")),
        ("Zwölf Soldaten starben.", ("Zwölf", 12, None, None, None, None, "Soldaten")),
        ("Die Billion kostet 2 Billionen Euro.", ("2 Billionen Euro", 2 * 10**12, None, None, None, "EUR", None)),
    ],
)
def test_german_phrases(text: str, expected: tuple[Any, ...]) -> None:
    assert summary(one(text)) == expected


def test_fractions_are_shares() -> None:
    def rows(text: str, lang: str = "de") -> list[tuple[Any, ...]]:
        return [(q["text"], q["value"], q["unit"], q["object"]) for q in find_quantities(text, lang)]

    assert rows("Zwei Drittel der Befragten stimmten zu.") == [("Zwei Drittel", 2 / 3, "fraction", None)]
    assert rows("Ein Viertel der Stimmen ging an ihn.") == [("Ein Viertel", 0.25, "fraction", None)]
    assert rows("Three quarters of voters agreed.", "en") == [("Three quarters", 0.75, "fraction", "voters")]
    assert rows("A third of the troops left.", "en") == [("A third", 1 / 3, "fraction", None)]
    assert rows("A million people marched.", "en") == [("A million", 1000000, None, "people")]
    # no number, no quantity; an ordinal is no number
    assert rows("Die Hälfte kam. Im dritten Viertel fiel das Tor.") == []
    assert rows("In the first quarter sales rose.", "en") == []


def test_negative_numbers() -> None:
    def rows(text: str, lang: str = "de") -> list[tuple[Any, ...]]:
        return [(q["text"], q["value"], q["unit"]) for q in find_quantities(text, lang)]

    assert rows("In der Nacht waren es -5 Grad.") == [("-5 Grad", -5, "°C")]
    assert rows("Die Exporte sanken um minus 16,8 Prozent.") == [("minus 16,8 Prozent", -16.8, "%")]
    assert rows("Der Index lag bei −3,5 Prozent (zuvor -2,1).") == [("−3,5 Prozent", -3.5, "%"), ("-2,1", -2.1, None)]
    assert rows("It was minus 40 degrees Celsius.", "en") == [("minus 40 degrees Celsius", -40, "°C")]
    # a hyphen inside a word or a range is no minus sign
    assert rows("Die KN-23 flog 10-15 Kilometer.") == [("10-15 Kilometer", None, "km")]


def test_a_qualifier_after_a_bracket() -> None:
    found = find_quantities("Es kostet 10.000 Dollar (gut 9.000 Euro).", "de")
    assert [(q["text"], q["value"], q["mod"], q["unit"]) for q in found] == [
        ("10.000 Dollar", 10000, None, "USD"), ("gut 9.000 Euro", 9000, "MORE_THAN", "EUR")]


def test_two_quantities_in_one_sentence_with_measures() -> None:
    found = find_quantities("Es gab 3 Tote und 5 Verletzte.", "de")
    assert [(q["text"], q["object"], q["object_lemma"], q["measure"]) for q in found] == [
        ("3", "Tote", "Tote", "count:death"),
        ("5", "Verletzte", "Verletzte", "count:injured"),
    ]


def test_a_space_groups_only_groups_of_three_digits() -> None:
    found = find_quantities("Im Jahr 2023 kamen 12 300 Menschen, 2 Panzer und 15 Drohnen.", "de")
    assert [(q["text"], q["value"], q["object"]) for q in found] == [
        ("12 300", 12300, "Menschen"), ("2", 2, "Panzer"), ("15", 15, "Drohnen")]


@pytest.mark.parametrize(
    "text",
    [
        "Zum 70. Jahrestag kamen Gäste.",
        "Nach dem 2. Weltkrieg begann es.",
        "Er kam am 27. Juli an.",
        "Die Sitzung beginnt um 14.30 Uhr.",
        "Rufen Sie +49 30 1234567 an.",
        "Die Nummer lautet 030/1234567.",
        "Gemäß Artikel 5 gilt das.",
        "Er landete auf Platz 3.",
        "Siehe Seite 12 im Heft.",
        "Version 1.2.3 ist neu.",
        "Das Spiel endete 2:1.",
        "Das Buch hat die ISBN 978-3-16-148410-0.",
        "Die Modelle KN-23 und KN-24 flogen.",
        "Die Covid-19-Pandemie endete.",
        "Er ist ein Mann.",
        "Eine Frau kam.",
        "Die Elf spielte gut.",
        "Das war am 12.03.2023 so.",
        "Ein 2-jähriger Junge kam.",
        "Die G7 tagten.",
        "Das Land wird seit den 1950er Jahren regiert.",
        "Die Bundesrepublik ist seit 1949 ein Staat.",
    ],
)
def test_german_non_quantities(text: str) -> None:
    assert find_quantities(text, "de") == []


def test_a_year_alone_is_no_count_but_a_count_of_things_is() -> None:
    assert find_quantities("Im Jahr 2022 blieb es ruhig.", "de") == []
    assert find_quantities("Damals 2022 blieb es ruhig.", "de") == []
    q = one("Es kamen 2022 Soldaten.")
    assert (q["value"], q["object"]) == (2022, "Soldaten")


def test_a_number_ending_a_sentence_is_no_ordinal() -> None:
    found = find_quantities("Die Zahl der Toten stieg auf 300. Die Armee schwieg.", "de")
    assert [(q["text"], q["value"], q["object"]) for q in found] == [("300", 300, None)]


def test_coordinated_numbers_share_unit_scale_and_object() -> None:
    def rows(text: str, lang: str = "de") -> list[tuple[Any, ...]]:
        return [(q["text"], q["value"], q["unit"], q["object"], q["measure"]) for q in find_quantities(text, lang)]

    assert rows("Sie kosten 69 bzw. 159 Euro.") == [("69", 69, "EUR", None, "EUR:"), ("159 Euro", 159, "EUR", None, "EUR:")]
    assert rows("Es kamen zwei oder drei Millionen Soldaten.") == [
        ("zwei", 2000000, None, "Soldaten", "count:soldier"), ("drei Millionen", 3000000, None, "Soldaten", "count:soldier")]
    assert rows("Die Löhne steigen um 30, 40 Prozent.") == [("30", 30, "%", None, "%:"), ("40 Prozent", 40, "%", None, "%:")]
    assert rows("It flew 400 or 500 miles.", "en") == [("400", 400, "mi", None, "mi:"), ("500 miles", 500, "mi", None, "mi:")]
    # not across other words
    assert rows("Es kamen 300 und gingen 40 Prozent.") == [("300", 300, None, None, "count:"), ("40 Prozent", 40, "%", None, "%:")]


@pytest.mark.parametrize(
    "text",
    [
        "Das Spiel läuft auf der PlayStation 4 flüssig.",
        "Lugner soll bei Puls 4 auftreten.",
        "Auf dem Telefon läuft Android 6.0 Marshmallow.",
        "Das iWork 11 erreicht gute Werte.",
        "Weiter: 27. Bernd Meier (AUT) im Ziel.",
        "Aufstellung: Meier (87. Huber), Schmidt.",
        "Ergebnis: 3. Huber, 4. Meier.",
        "Tipps: 3) 15. Biennale in Venedig.",
        "Der Film läuft bis 0.25, danach ab 1.55 die Wiederholung.",
        "Der Zyklus (15.10) endet bald.",
    ],
)
def test_names_and_ranks_are_no_quantities(text: str) -> None:
    assert find_quantities(text, "de") == []


def test_a_capitalised_noun_before_a_large_number_does_not_make_a_name() -> None:
    assert [q["value"] for q in find_quantities("Davon entfallen auf Wien 300.", "de")] == [300]
    assert [q["value"] for q in find_quantities("It runs on Windows 7 now.", "en")] == []


def test_times_layer_blocks_dates_and_keeps_durations() -> None:
    text = "Zwischen 1950 und 1953 starben zwischen zwei und vier Millionen Menschen in weniger als drei Monaten."
    times = [
        {"start": 0, "end": 22, "text": "Zwischen 1950 und 1953", "type": "DATE"},
        {"start": 76, "end": 100, "text": "weniger als drei Monaten", "type": "DURATION"},
    ]
    assert text[76:100] == "weniger als drei Monaten"
    found = find_quantities(text, "de", times)
    assert [summary(q) for q in found] == [
        ("zwischen zwei und vier Millionen", None, 2000000, 4000000, None, None, "Menschen"),
        ("weniger als drei Monaten", 3, None, None, "LESS_THAN", "month", None),
    ]
    no_durations = find_quantities(text, "de", times, durations=False)
    assert [q["text"] for q in no_durations] == ["zwischen zwei und vier Millionen"]


def test_a_number_inside_a_duration_without_its_unit_is_dropped() -> None:
    text = "Er blieb zweieinhalb Wochen."
    times = [{"start": 9, "end": 27, "text": "zweieinhalb Wochen", "type": "DURATION"}]
    assert [q["unit"] for q in find_quantities(text, "de", times)] == ["week"]
    times2 = [{"start": 0, "end": 27, "text": text[:27], "type": "DATE"}]
    assert find_quantities(text, "de", times2) == []


# -- English phrases ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("More than 10,000 North Korean troops arrived.",
         ("More than 10,000", 10000, None, None, "MORE_THAN", None, "troops")),
        ("They received about 4.8 million shells.", ("about 4.8 million", 4800000, None, None, "APPROX", None, "shells")),
        ("The fund holds $5bn.", ("$5bn", 5000000000, None, None, None, "USD", None)),
        ("The fund holds £3m.", ("£3m", 3000000, None, None, None, "GBP", None)),
        ("The fund holds 3 billion euros.", ("3 billion euros", 3000000000, None, None, None, "EUR", None)),
        ("Hundreds of people fled.", ("Hundreds", None, 200, 999, "APPROX", None, "people")),
        ("Tens of thousands of troops massed.", ("Tens of thousands", None, 20000, 99999, "APPROX", None, "troops")),
        ("Prices rose between 10 and 20 percent.", ("between 10 and 20 percent", None, 10, 20, None, "%", None)),
        ("Up to 300 missiles were fired.", ("Up to 300", 300, None, None, "UP_TO", None, "missiles")),
        ("At least 12 civilians died.", ("At least 12", 12, None, None, "AT_LEAST", None, "civilians")),
        ("At most 12 civilians died.", ("At most 12", 12, None, None, "AT_MOST", None, "civilians")),
        ("Nearly 500 refugees crossed.", ("Nearly 500", 500, None, None, "NEARLY", None, "refugees")),
        ("Fewer than 50 residents stayed.", ("Fewer than 50", 50, None, None, "LESS_THAN", None, "residents")),
        ("They sent a dozen tanks.", ("a dozen", 12, None, None, None, None, "tanks")),
        ("They sent twenty-five soldiers.", ("twenty-five", 25, None, None, None, None, "soldiers")),
        ("They sent a million shells.", ("a million", 1000000, None, None, None, None, "shells")),
        ("Unemployment fell 1.5 percentage points.", ("1.5 percentage points", 1.5, None, None, None, "pp", None)),
        ("The missile flew 700 km.", ("700 km", 700, None, None, None, "km", None)),
        ("He was jailed for three years.", ("three years", 3, None, None, None, "year", None)),
        ("Some 300 people were killed.", ("Some 300", 300, None, None, "APPROX", None, "people")),
    ],
)
def test_english_phrases(text: str, expected: tuple[Any, ...]) -> None:
    assert summary(one(text, "en")) == expected


@pytest.mark.parametrize(
    "text",
    [
        "It was the 70th anniversary.",
        "One of them left.",
        "No one came.",
        "See page 12 for details.",
        "Under Article 5, members help.",
        "The meeting starts at 10 o'clock.",
        "They won 2:1.",
        "A 20-year-old man died.",
        "Call +44 20 7946 0958 now.",
        "The 5G network is fast.",
    ],
)
def test_english_non_quantities(text: str) -> None:
    assert find_quantities(text, "en") == []


def test_english_objects_are_the_plural_head() -> None:
    def objs(text: str) -> list[tuple[str, str | None, str]]:
        return [(q["text"], q["object"], q["measure"]) for q in find_quantities(text, "en")]

    assert objs("Russia fired 40 missiles and 35 drones overnight.") == [
        ("40", "missiles", "count:missile"), ("35", "drones", "count:drone")]
    assert objs("One in five children lives in poverty.") == [("five", "children", "count:child")]
    assert objs("Some 2.5 million barrels of oil flow.") == [("Some 2.5 million barrels", "oil", "barrel:oil")]
    assert objs("It is 1,200 km long and 3 metres wide.") == [("1,200 km", None, "km:"), ("3 metres", None, "m:")]
    assert objs("A magnitude 7.8 earthquake struck.") == [("7.8", None, "count:")]
    assert objs("The firm employs 300,000 workers.") == [("300,000", "workers", "count:employee")]


def test_english_measures_match_the_german_ones() -> None:
    de = find_quantities("Es kamen 300 Soldaten, 20 Granaten und 4 Raketen.", "de")
    en = find_quantities("They sent 300 troops, 20 shells and 4 missiles.", "en")
    assert [q["measure"] for q in de] == ["count:soldier", "count:shell", "count:missile"]
    assert [q["measure"] for q in en] == [q["measure"] for q in de]
    assert [q["object_lemma"] for q in en] == ["troop", "shell", "missile"]


def test_the_concept_map_lists_each_lemma_once_and_in_lower_case() -> None:
    import tomllib
    from importlib import resources

    path = resources.files("lagebild.extract.quantities").joinpath("lexicon/measures.toml")
    concepts = tomllib.loads(path.read_text(encoding="utf-8"))["concepts"]
    lemmas = [lem for group in concepts.values() for lem in group]
    assert len(lemmas) == len(set(lemmas)) and all(lem == lem.lower() for lem in lemmas)
    assert {"shell", "soldier", "missile", "container", "death", "injured", "refugee", "inhabitant"} <= set(concepts)


def test_unknown_language_gets_nothing() -> None:
    assert find_quantities("Il y a 300 soldats.", "fr") == []
    assert find_quantities("Es gab 300 Soldaten.", None) == []


# -- the stage -------------------------------------------------------------------------------------


def _article(text: str, language: str = "de") -> Article:
    return Article(id="a1", text=text, raw_text=text, language=language)


def test_stage_contract_and_defaults() -> None:
    st = get_stage("quantities")
    assert st.fn is quantities
    assert st.requires == {"text", "language", "sentences", "times"}
    assert st.sets == {"quantities"}
    assert defaults()["stages"]["quantities"] == {"languages": ["de", "en"], "durations": True}


def test_stage_runs_in_a_strict_pipeline_and_keeps_its_input() -> None:
    text = "Am 3. Mai 2023 kamen etwa 4,8 Millionen Geschosse an."
    a = _article(text)
    before = copy.deepcopy(a)
    pipe = Pipeline([get_stage("clean"), get_stage("nlp"), get_stage("time"), get_stage("quantities")],
                    {}, strict=True)
    out = pipe.run_article(a)
    assert a == before
    assert [(q["text"], q["value"], q["mod"], q["measure"]) for q in out.quantities] == [
        ("etwa 4,8 Millionen", 4800000, "APPROX", "count:shell")]


def test_stage_settings() -> None:
    a = _article("They sent 300 troops.", "en")
    assert [q["value"] for q in quantities(a, {}).quantities] == [300]
    assert quantities(a, {"languages": ["de"]}).quantities == []
    assert quantities(_article("Il y a 300 soldats.", "fr"), {}).quantities == []
    with pytest.raises(ConfigError, match="languages"):
        quantities(a, {"languages": "de"})
    with pytest.raises(ConfigError, match="no quantity lexicon"):
        quantities(a, {"languages": ["de", "xx"]})
    with pytest.raises(ConfigError, match="durations"):
        quantities(a, {"durations": "yes"})
