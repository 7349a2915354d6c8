"""The temporal tagger on English: the same conventions as German (see test_tagger_de.py).

Calendar facts used: 2024-06-13 is a Thursday in ISO week 24; 2024-06-06 the Thursday before.
"""

from __future__ import annotations

import pytest

from lagebild.extract.time import find_times, resolve_times


def times(text: str, anchor: str | None = "2024-06-13") -> list[dict]:
    out = find_times(text, "en", anchor=anchor)
    for t in out:
        assert text[t["start"]: t["end"]] == t["text"]
    return out


def one(text: str, anchor: str | None = "2024-06-13") -> dict:
    out = times(text, anchor)
    assert len(out) == 1, [t["text"] for t in out]
    return out[0]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The treaty takes effect on June 19, 2024.", ("June 19, 2024", "DATE", "2024-06-19", None)),
        ("The treaty of 19 June 2024 was praised.", ("19 June 2024", "DATE", "2024-06-19", None)),
        ("He was born on the 4th of July 1950.", ("4th of July 1950", "DATE", "1950-07-04", None)),
        ("Trade boomed in the 1990s.", ("the 1990s", "DATE", "199X", None)),
        ("The economy shrank in early 2022.", ("early 2022", "DATE", "2022", "START")),
        ("Talks resumed in mid-May 2023.", ("mid-May 2023", "DATE", "2023-05", "MID")),
        ("The country has been ruled by the family since the 1950s.", ("the 1950s", "DATE", "195X", "EQUAL_OR_MORE")),
        ("He served until May 2024.", ("May 2024", "DATE", "2024-05", "EQUAL_OR_LESS")),
        ("Sales rose in the first quarter of 2024.", ("first quarter of 2024", "DATE", "2024-Q1", None)),
        ("The empire fell in the 5th century.", ("5th century", "DATE", "04", None)),
        ("The city was founded in 753 BC.", ("753 BC", "DATE", "BC0753", None)),
        ("The form was dated 06/19/2024.", ("06/19/2024", "DATE", "2024-06-19", None)),
    ],
)
def test_absolute(sentence, expected):
    t = one(sentence)
    assert (t["text"], t["type"], t["value"], t["mod"]) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Putin met Kim last Thursday.", ("last Thursday", "2024-06-06")),
        ("He will travel to Beijing next week.", ("next week", "2024-W25")),
        ("Two days ago the ministry responded.", ("Two days ago", "2024-06-11")),
        ("Yesterday the leaders signed a pact.", ("Yesterday", "2024-06-12")),
        ("Talks will resume tomorrow morning.", ("tomorrow morning", "2024-06-14TMO")),
        ("The company grew last year.", ("last year", "2023")),
        ("In March the talks collapsed.", ("March", "2024-03")),
        ("In March the talks will resume.", ("March", "2025-03")),
        ("The end of the year will be difficult.", ("The end of the year", "2024")),
        ("He met the minister on Thursday.", ("Thursday", "2024-06-13")),
        ("He will meet the minister on Thursday.", ("Thursday", "2024-06-13")),
        ("He met the minister on Friday.", ("Friday", "2024-06-07")),
        ("He will meet the minister on Friday.", ("Friday", "2024-06-14")),
        ("The report appeared last weekend.", ("last weekend", "2024-W23-WE")),
        ("The treaty was signed on June 19.", ("June 19", "2023-06-19")),
        ("The treaty will be signed on June 19.", ("June 19", "2024-06-19")),
    ],
)
def test_relative(sentence, expected):
    t = one(sentence)
    assert (t["text"], t["value"]) == expected
    assert t["anchor"] == "publication"


def test_clock_time_takes_the_day_named_in_its_sentence():
    ts = times("The meeting starts at 3 p.m. on Friday.")
    assert [(t["text"], t["type"], t["value"]) for t in ts] == [
        ("3 p.m.", "TIME", "2024-06-14T15:00"), ("Friday", "DATE", "2024-06-14")]
    assert one("The polls close at 10pm.")["value"] == "2024-06-13T22:00"


def test_anaphora_and_ranges():
    ts = times("The siege began on May 3, 1940. Two days later the city fell. The following year was quiet.")
    assert [(t["text"], t["value"], t["anchor"]) for t in ts] == [
        ("May 3, 1940", "1940-05-03", "absolute"),
        ("Two days later", "1940-05-05", "previous"),
        ("The following year", "1941", "previous"),
    ]
    t = one("Between 1950 and 1953 millions died.")
    assert (t["text"], t["value"], t["range_end"]) == ("Between 1950 and 1953", "1950", "1953")
    t = one("The exhibition runs from May to July 2024.")
    assert (t["text"], t["value"], t["range_end"]) == ("from May to July 2024", "2024-05", "2024-07")


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The war lasted three years.", ("three years", "DURATION", "P3Y", None)),
        ("It was his second visit in less than three months.", ("less than three months", "DURATION", "P3M", "LESS_THAN")),
        ("He called it a three-day visit.", ("three-day", "DURATION", "P3D", None)),
        ("The shop opens every Monday.", ("every Monday", "SET", "XXXX-WXX-1", None)),
        ("The paper appears daily.", ("daily", "SET", "P1D", None)),
        ("Prices have risen recently.", ("recently", "DATE", "PAST_REF", None)),
    ],
)
def test_durations_sets_refs(sentence, expected):
    t = one(sentence)
    assert (t["text"], t["type"], t["value"], t["mod"]) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The army lost 2022 soldiers in the offensive.",
        "A 45-year-old man was arrested.",
        "Theresa May resigned as prime minister.",
        "You may march on the square.",
        "The score was 2:1 at half time.",
        "The update to version 2.3 fixes bugs.",
        "More than 300 factories produce shells.",
    ],
)
def test_not_times(sentence):
    assert times(sentence) == []


def test_unanchored_then_resolved():
    ts = times("Putin met Kim last Thursday and will return next week.", anchor=None)
    assert [t["value"] for t in ts] == [None, None]
    assert [t["value"] for t in resolve_times(ts, "2024-06-13")] == ["2024-06-06", "2024-W25"]
