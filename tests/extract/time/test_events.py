"""Event-anchored time expressions ("drei Tage vor der Wahl", "two days after the summit").

Calendar facts used: 2024-06-13 is the anchor (a Thursday); 5 May 2024 minus three days is
2 May 2024; 8 May 1945 plus two weeks is 22 May 1945; 3 May 2024 plus two days is 5 May 2024.
"""

from __future__ import annotations

import pytest

from lagebild.extract.time import find_times, resolve_times
from lagebild.extract.time.pubdate import infer_published

ANCHOR = "2024-06-13"


def events(text: str, lang: str = "de", anchor: str | None = ANCHOR) -> list[dict]:
    out = find_times(text, lang, anchor=anchor)
    for t in out:
        assert text[t["start"]: t["end"]] == t["text"]
    return [t for t in out if t["anchor"] == "event"]


def test_undated_event_has_no_value_but_relation_offset_and_span() -> None:
    text = "Zwei Wochen nach der Kapitulation kehrte er heim."
    (e,) = events(text)
    assert (e["text"], e["type"], e["value"], e["relation"], e["offset"], e["mod"], e["tense"]) == (
        "Zwei Wochen nach der Kapitulation", "DATE", None, "after", "P2W", None, "past")
    assert e["event"] == {"start": 17, "end": 33, "text": "der Kapitulation"}
    assert text[e["event"]["start"]: e["event"]["end"]] == "der Kapitulation"
    # the duration "Zwei Wochen" is not reported separately
    assert [t["text"] for t in find_times(text, "de", anchor=ANCHOR)] == ["Zwei Wochen nach der Kapitulation"]


def test_event_dated_in_the_same_article_gives_the_value() -> None:
    (e,) = events("Die Kapitulation am 8. Mai 1945 beendete den Krieg. Zwei Wochen nach der Kapitulation kehrte er heim.")
    assert (e["value"], e["relative"]["index"]) == ("1945-05-22", 0)


def test_yearless_event_date_takes_the_year_of_the_publication_date() -> None:
    text = "Die Wahl am 5. Mai war knapp. Drei Tage vor der Wahl trat er zurück."
    (e,) = events(text)
    assert (e["text"], e["value"], e["relation"], e["offset"]) == ("Drei Tage vor der Wahl", "2024-05-02", "before", "P3D")
    # without a publication date neither is known; resolving later fills both
    bare = find_times(text, "de")
    assert [t["value"] for t in bare] == ["XXXX-05-05", None]
    later = resolve_times(bare, ANCHOR, anchor_kind="inferred")
    assert [(t["value"], t.get("anchor_inferred")) for t in later] == [("2024-05-05", True), ("2024-05-02", True)]
    # the event told the other way round: "Am 5. Mai fand die Wahl statt"
    (e2,) = events("Am 5. Mai fand die Wahl statt. Drei Tage vor der Wahl trat er zurück.")
    assert e2["value"] == "2024-05-02"


def test_a_date_in_another_sentence_does_not_date_the_event() -> None:
    (e,) = events("Die Wahl war knapp. Am 5. Mai regnete es. Drei Tage vor der Wahl trat er zurück.")
    assert e["value"] is None and "index" not in e["relative"]


def test_genitive_and_quantifier() -> None:
    (e,) = events("Mehr als zwei Wochen nach dem Ende des Krieges kehrte er heim.")
    assert (e["text"], e["mod"], e["offset"], e["event"]["text"]) == (
        "Mehr als zwei Wochen nach dem Ende des Krieges", "MORE_THAN", "P2W", "dem Ende des Krieges")


def test_short_unspecified_offset() -> None:
    (e,) = events("Kurz nach dem Gipfel reiste der Minister ab.")
    assert (e["text"], e["relation"], e["offset"], e["mod"], e["value"]) == (
        "Kurz nach dem Gipfel", "after", None, "AFTER", None)
    (d,) = events("Der Gipfel am 3. Mai 2024 scheiterte. Kurz nach dem Gipfel reiste der Minister ab.")
    assert (d["value"], d["mod"]) == ("2024-05-03", "AFTER")


@pytest.mark.parametrize("text", [
    "Nach der Wahl trat er zurück.",  # no offset: too common a phrase to be a time
    "Drei Tage vor dem 5. Mai 2024 trat er zurück.",  # a date, not an event
    "Drei Tage vor dem Wochenende trat er zurück.",  # a time word, not an event
])
def test_no_event_item(text: str) -> None:
    assert events(text) == []


def test_english() -> None:
    (e,) = events("He left two days after the summit in Geneva.", "en")
    assert (e["text"], e["relation"], e["offset"], e["event"]["text"], e["value"]) == (
        "two days after the summit", "after", "P2D", "the summit", None)
    (d,) = events("The summit on 3 May 2024 failed. He left two days after the summit.", "en")
    assert d["value"] == "2024-05-05"
    (s,) = events("He resigned shortly before the election.", "en")
    assert (s["text"], s["relation"], s["mod"]) == ("shortly before the election", "before", "BEFORE")


def test_a_dated_event_bounds_the_publication_date() -> None:
    text = "Die Wahl am 5. Mai 2024 war knapp. Drei Tage nach der Wahl trat der Minister zurück."
    pub = infer_published(text, find_times(text, "de"), "de", settings={"news_recency_days": 0})
    assert pub.earliest == "2024-05-08"
    assert [e["text"] for e in pub.evidence] == ["Drei Tage nach der Wahl"]
