"""Minimal inputs of the bugs the fuzzer found, kept as plain tests."""

from __future__ import annotations

from decimal import Decimal

from fuzzprops import ARTICLE_STAGES, check_article, read_doc, run_stages
from hypothesis import example, given, settings, strategies as st

from lagebild.errors import MalformedInputError
from lagebild.extract.quantities import find_quantities
from lagebild.extract.quantities._find import _overlaps, _span_index
from lagebild.extract.quantities._numbers import MAX_DIGITS, parse_digits
from lagebild.ingest import SourceSpec, read_source


def _all_stages(data: bytes) -> list:
    arts = read_doc("json", data, "json")
    return [run_stages(a, ARTICLE_STAGES[-1], "de") for a in arts]


def test_lone_surrogate_escape_in_json_text_and_fields() -> None:
    # was: UnicodeEncodeError in identify (text) and in writing the article as UTF-8 (metadata)
    [a] = _all_stages(b'{"text": "Berlin \\ud800 sagte am Montag", "date": "\\udfff", "x": ["\\udc00"]}')
    assert a is not None
    assert a.text == "Berlin \ufffd sagte am Montag"
    assert a.metadata == {"date": "\ufffd", "x": ["\ufffd"]}
    check_article(a)


def test_surrogate_pairs_in_json_stay_characters() -> None:
    [a] = _all_stages(b'{"text": "Gipfel \\ud83d\\ude00 in Rom"}')
    assert a is not None and a.text == "Gipfel \U0001f600 in Rom"


def test_json_nested_too_deeply_is_a_clear_error() -> None:
    # was: RecursionError, reported as "internal error … this is a bug"
    [err] = read_source(SourceSpec(name="deep.json", data=b"[" * 100_000 + b"]" * 100_000, hint="json"),
                        {"raise_unexpected": True})
    assert isinstance(err, MalformedInputError)
    assert str(err) == ("deep.json: not valid JSON (nested too deeply at line 1, column 1) — "
                        "fix the JSON there (or pass the text as a .txt file)")
    good = b'{"text": "Hallo Welt"}\n' + b"[" * 100_000 + b'\n{"text": "Zweite Zeile"}\n'
    results = list(read_source(SourceSpec(name="x.jsonl", data=good, hint="jsonl"), {"raise_unexpected": True}))
    assert [type(r).__name__ for r in results] == ["Article", "MalformedInputError", "Article"]
    assert str(results[1]).startswith("x.jsonl:2: not valid JSON (nested too deeply")


def test_a_digit_run_longer_than_an_amount_is_no_quantity() -> None:
    # was: a 1-million-digit int in quantities[].value (quadratic to build, and not writable as JSON)
    assert parse_digits("9" * MAX_DIGITS, True) == Decimal("9" * MAX_DIGITS)
    assert parse_digits("9" * (MAX_DIGITS + 1), True) is None
    assert parse_digits("1.000.000.000.000.000.000", True) is None  # 19 digits
    assert find_quantities("Es waren 12345678901234567890123 Menschen.", "de") == []
    [q] = find_quantities("Es waren 1.000 Menschen.", "de")
    assert (q["text"], q["value"]) == ("1.000", 1000)


@settings(max_examples=200, deadline=None)
@given(spans=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=12),
       s=st.integers(0, 80), length=st.integers(0, 20))
@example(spans=[(0, 50), (10, 12)], s=20, length=1)  # a short span after a long one that covers the probe
def test_quantities_overlap_index_equals_the_linear_scan(spans: list, s: int, length: int) -> None:
    # the index replaced a scan of every time expression per number (quadratic on one long line)
    spans = sorted((a, a + n) for a, n in spans)
    e = s + length
    assert _overlaps(_span_index(spans), s, e) == any(a < e and s < b for a, b in spans)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=" \n\ta1(.\u00a0\u2003", max_size=20), i=st.integers(0, 20))
def test_char_before_equals_rstrip(text: str, i: int) -> None:
    from lagebild.extract.quantities._find import _char_before

    i = min(i, len(text))
    assert _char_before(text, i) == text[:i].rstrip()[-1:]
