"""Sentence splitting: each robustness case with exact boundaries."""

from __future__ import annotations

import pytest

from lagebild.nlp import split_sentences


def sents(text: str, language: str | None = "de") -> list[str]:
    spans = split_sentences(text, language)
    return [text[s:e] for s, e in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kim (2. v. r.) trifft Schoigu. Dann gehen sie.", ["Kim (2. v. r.) trifft Schoigu.", "Dann gehen sie."]),
        ("Das kostet ca. 4 Mio. Euro bzw. mehr. Nr. 5 folgt.", ["Das kostet ca. 4 Mio. Euro bzw. mehr.", "Nr. 5 folgt."]),
        ("Er kam z. B. mit Dr. Sommer u. a. Freunden. Gut.", ["Er kam z. B. mit Dr. Sommer u. a. Freunden.", "Gut."]),
        ("Sie treffen sich am 27. Juli in Pjöngjang. Das ist neu.", ["Sie treffen sich am 27. Juli in Pjöngjang.", "Das ist neu."]),
        ("Am 3. Oktober 1990 kam die Einheit. Im 20. Jahrhundert auch.", ["Am 3. Oktober 1990 kam die Einheit.", "Im 20. Jahrhundert auch."]),
        ("Die Zahl stieg auf 20. Danach sank sie.", ["Die Zahl stieg auf 20.", "Danach sank sie."]),
        ("J. R. R. Tolkien schrieb. Kim J. las.", ["J. R. R. Tolkien schrieb.", "Kim J. las."]),
        ("Er sagte, es sei „gut gewesen.“ Dann ging er.", ["Er sagte, es sei „gut gewesen.“", "Dann ging er."]),
        ("«Wir kommen.» Danach «nichts».", ["«Wir kommen.»", "Danach «nichts»."]),
        ('"Nein!" Dann "ja?" sagte er.', ['"Nein!"', 'Dann "ja?" sagte er.']),
        ("‚Wer?‘, fragte er. Sie schwieg.", ["‚Wer?‘, fragte er.", "Sie schwieg."]),
        ("„Warum?“ fragte er.", ["„Warum?“ fragte er."]),
        ("Und dann … Nichts mehr. Wirklich?! Ja.", ["Und dann …", "Nichts mehr.", "Wirklich?!", "Ja."]),
        ("Siehe www.example.org. Dort mehr.", ["Siehe www.example.org.", "Dort mehr."]),
        ("Er zählte Äpfel, Birnen usw. Dann aß er.", ["Er zählte Äpfel, Birnen usw.", "Dann aß er."]),
        ("Titel ohne Punkt\nErster Absatz. Zweiter Satz\n\n  Dritter Absatz  ", ["Titel ohne Punkt", "Erster Absatz.", "Zweiter Satz", "Dritter Absatz"]),
        ("Kreml-Vertreter trafen die US-Regierung. KN-23 flog 700 km.", ["Kreml-Vertreter trafen die US-Regierung.", "KN-23 flog 700 km."]),
    ],
)
def test_german(text: str, expected: list[str]) -> None:
    assert sents(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith went to St. Louis. He left.", ["Mr. Smith went to St. Louis.", "He left."]),
        ("The U.S. envoy, e.g. a diplomat, came on Jan. 5. Then he left.", ["The U.S. envoy, e.g. a diplomat, came on Jan. 5.", "Then he left."]),
        ("He said: \"It is over.\" Then silence.", ['He said: "It is over."', "Then silence."]),
        ("Sales rose in 1990. In 1991 they fell.", ["Sales rose in 1990.", "In 1991 they fell."]),
    ],
)
def test_english(text: str, expected: list[str]) -> None:
    assert sents(text, "en") == expected


def test_spans_are_stripped_and_ordered() -> None:
    text = "  Eins.   Zwei.\n\nDrei"
    spans = split_sentences(text, None)
    assert spans == [(2, 7), (10, 15), (17, 21)]


def test_line_break_always_ends_a_sentence() -> None:
    # even after an abbreviation or an ordinal
    assert sents("Es kam ca.\nmehr als am 3.\nOktober") == ["Es kam ca.", "mehr als am 3.", "Oktober"]


def test_empty() -> None:
    assert split_sentences("", "de") == []
    assert split_sentences("\n \n", "de") == []
