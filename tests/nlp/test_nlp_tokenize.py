"""Tokenizer: each robustness case with exact tokens, and offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagebild.nlp import Token, tokenize


def words(text: str, language: str | None = "de") -> list[str]:
    return [t.text for t in tokenize(text, language)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # abbreviations keep their dot
        ("Kim (2. v. r.) lacht.", ["Kim", "(", "2.", "v.", "r.", ")", "lacht", "."]),
        ("Nr. 5 bzw. z. B. u. a. Dr. Sommer", ["Nr.", "5", "bzw.", "z.", "B.", "u.", "a.", "Dr.", "Sommer"]),
        ("St. Pauli, ca. 4 Mio. und 2 Mrd. etc.", ["St.", "Pauli", ",", "ca.", "4", "Mio.", "und", "2", "Mrd.", "etc."]),
        ("Am 3. Jan. und 4. Feb. kam er.", ["Am", "3.", "Jan.", "und", "4.", "Feb.", "kam", "er", "."]),
        ("z.B. und u.a. ohne Leerzeichen", ["z.B.", "und", "u.a.", "ohne", "Leerzeichen"]),
        # ordinals and dates
        ("am 27. Juli", ["am", "27.", "Juli"]),
        ("am 3. Oktober 1990", ["am", "3.", "Oktober", "1990"]),
        ("im 20. Jahrhundert", ["im", "20.", "Jahrhundert"]),
        ("stieg auf 20. Danach", ["stieg", "auf", "20", ".", "Danach"]),
        # initials
        ("J. R. R. Tolkien", ["J.", "R.", "R.", "Tolkien"]),
        ("Kim J. sagte", ["Kim", "J.", "sagte"]),
        # hyphenated compounds and truncations
        ("Kreml-Vertreter US-Regierung Nordkorea-Politik KN-23", ["Kreml-Vertreter", "US-Regierung", "Nordkorea-Politik", "KN-23"]),
        ("Panzer- und Fluggerätproduktion", ["Panzer-", "und", "Fluggerätproduktion"]),
        ("Wien – Die", ["Wien", "–", "Die"]),
        # numbers with separators
        ("4,8 und 10'000 und 10.000 und 1,000,000", ["4,8", "und", "10'000", "und", "10.000", "und", "1,000,000"]),
        ("am 3.10.1990 um 12:30", ["am", "3.10.1990", "um", "12", ":", "30"]),
        # URLs and e-mail addresses
        ("unter www.allinrechner.at ein", ["unter", "www.allinrechner.at", "ein"]),
        ("(https://example.org/a?b=1).", ["(", "https://example.org/a?b=1", ")", "."]),
        ("Mail an info@example.de.", ["Mail", "an", "info@example.de", "."]),
        ("auf spiegel.de lesen", ["auf", "spiegel.de", "lesen"]),
        # quotes and ellipses
        ("„Nein“, «ja» und ‚so‘ \"gut\"", ["„", "Nein", "“", ",", "«", "ja", "»", "und", "‚", "so", "‘", '"', "gut", '"']),
        ("Und dann... nichts … mehr", ["Und", "dann", "...", "nichts", "…", "mehr"]),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_english_abbreviations() -> None:
    assert words("The U.S. envoy, e.g. Mr. Lee, vs. them.", "en") == [
        "The", "U.S.", "envoy", ",", "e.g.", "Mr.", "Lee", ",", "vs.", "them", ".",
    ]
    # "No." is an abbreviation only before a number
    assert words("No. 5 said no.", "en") == ["No.", "5", "said", "no", "."]
    assert words("He said No. Then", "en") == ["He", "said", "No", ".", "Then"]


def test_unknown_language_uses_all_lists() -> None:
    assert words("Mr. Lee bzw. am 3. Juli", None) == ["Mr.", "Lee", "bzw.", "am", "3.", "Juli"]


def test_english_has_no_dotted_ordinals() -> None:
    assert words("in 1990. Then", "en") == ["in", "1990", ".", "Then"]
    assert words("on 3. October", "en") == ["on", "3", ".", "October"]


def test_offsets_and_range() -> None:
    text = "Vorher. Der russische Kreml-Vertreter kam am 3. Juli.\nZweite Zeile."
    toks = tokenize(text, "de", 8, 53)
    assert toks[0] == Token(8, 11, "Der")
    assert toks[-1] == Token(52, 53, ".")
    assert all(text[t.start : t.end] == t.text for t in toks)
    assert [t.text for t in toks] == ["Der", "russische", "Kreml-Vertreter", "kam", "am", "3.", "Juli", "."]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ1.,-' \n„“«»:/@äß…?!(")), max_size=80))
def test_offsets_property(text: str) -> None:
    toks = tokenize(text, "de")
    prev = 0
    for t in toks:
        assert text[t.start : t.end] == t.text
        assert t.start >= prev and t.end > t.start
        assert not any(c.isspace() for c in t.text)
        prev = t.end
    # every non-space character is inside some token
    covered = sum(t.end - t.start for t in toks)
    assert covered == sum(1 for c in text if not c.isspace())


def test_no_token_looks_across_a_line_break() -> None:
    # a hyphen that ends a line is not a suspended compound's ("Nord- und Süd…"): the line ends there
    text = "Gespräche über Nord-\nund Südkorea. Nord- und Südkorea"
    assert words(text) == ["Gespräche", "über", "Nord", "-", "und", "Südkorea", ".", "Nord-", "und", "Südkorea"]
    # the number opening a line is read with that line only, not with the word that ended the last one
    # ("Nr. 3." across lines: no ordinal; on one line it is one)
    assert words("Nr.\n3. Dann", "de") == words("Nr.", "de") + words("3. Dann", "de") == ["Nr.", "3", ".", "Dann"]
    assert words("Nr. 3. Dann", "de") == ["Nr.", "3.", "Dann"]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ1.,-' \n„“:ä?(")), max_size=60))
def test_tokens_after_splitting_are_the_tokens_of_the_text(text: str) -> None:
    # split_sentences keeps its text's tokens for token_spans (one scan for the nlp and entities
    # stages); they must be what a fresh scan of an equal text gives, and not leak to another text
    from lagebild.nlp import split_sentences, token_spans

    copy = "".join(list(text))  # equal, another object: no reuse
    split_sentences(text, "de")
    assert token_spans(text, "de") == token_spans(copy, "de")
    assert token_spans(text, "en") == token_spans(copy, "en")
    other = text + " Ende"
    got = token_spans(other, "de")
    assert other[got[-1][0] : got[-1][1]] == "Ende"
    assert sum(e - s for s, e, _ in got) == sum(1 for c in other if not c.isspace())
    assert [(t.start, t.end) for t in tokenize(text, "de")] == [(s, e) for s, e, _ in token_spans(copy, "de")]


def _without_plain_branch() -> "re.Pattern[str]":
    """The token pattern as it was before its first branch, the plain-word shortcut, was added."""
    import re

    from lagebild.nlp import _tokenize

    head = f"(?P<plain>{_tokenize._PLAIN})\n  | "
    assert head in _tokenize._TOKEN_RE.pattern
    return re.compile(_tokenize._TOKEN_RE.pattern.replace(head, "", 1), re.VERBOSE)


def _spans(pattern: "re.Pattern[str]", text: str) -> list[tuple[int, int, str]]:
    kinds = {"plain": "word"}  # the shortcut finds words
    return [(m.start(), m.end(), kinds.get(m.lastgroup or "", m.lastgroup or "")) for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("aZäß1_.,;:!?-‐'’\"„“”»«()[]@/ \t\n") + ["www.", "http://", "z.B.", "Nr"]), max_size=30).map("".join))
def test_plain_word_shortcut_finds_what_the_other_branches_find(text: str) -> None:
    from lagebild.nlp import _tokenize

    reference = _without_plain_branch()
    assert _spans(_tokenize._TOKEN_RE, text) == _spans(reference, text)
    for a in range(0, len(text), 7):  # and over a slice, as each line is scanned
        assert [m.span() for m in _tokenize._TOKEN_RE.finditer(text, a, len(text) - 1)] == [
            m.span() for m in reference.finditer(text, a, len(text) - 1)
        ]


def test_plain_word_shortcut_on_the_examples() -> None:
    from support import EXAMPLES

    from lagebild.nlp import _tokenize

    reference = _without_plain_branch()
    texts = [p.read_bytes().decode("utf-8", "replace") for p in sorted(EXAMPLES.iterdir()) if p.is_file()]
    assert texts
    for text in texts:
        assert _spans(_tokenize._TOKEN_RE, text) == _spans(reference, text)
