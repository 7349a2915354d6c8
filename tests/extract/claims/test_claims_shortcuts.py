"""The claims stage's cheaper paths answer as the direct ones: tokens located from the gate's words,
the hedge test with its literal pre-check, the quotation scan over one character class, the one-pass
trigger clauses, and the mention pairs found on first use (hand-made cases, generated text, seeds)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagebild.extract.claims._claims import _MentionPairs, _same_mention_pairs
from lagebild.extract.claims._frames import _DELIMS, _trigger_clauses
from lagebild.extract.claims._lexicon import _literal_head, claim_lexicon
from lagebild.extract.claims._phrases import _OPEN_CLOSE, _WORDS, Tok, quote_spans, tokens

#: words, joiners, quotes, delimiters, digits, "_", a superscript, and white space of several kinds
_ALPHABET = "aäBÖßz09²_ -'’.,;:()–„“”\"«»‹›\n\t\u00a0\u2009\u3000?!/"
_TEXT = st.text(alphabet=_ALPHABET, max_size=60)


#: the tokens as the stage found them with one regex, and the words as written before the possessive ``*+``
_PLAIN_TOKEN = re.compile(r"\w+(?:[-'’.,]\w+)*|[^\w\s]")
_PLAIN_WORDS = re.compile(r"\w+(?:[-'’.,]\w+)*")


def _tokens_by_regex(text: str, start: int, end: int) -> list[Tok]:
    return [Tok(m.start(), m.end(), m.group(), m.group().lower()) for m in _PLAIN_TOKEN.finditer(text, start, end)]


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_possessive_words_are_the_plain_ones(text: str) -> None:
    assert [m.span() for m in _WORDS.finditer(text)] == [m.span() for m in _PLAIN_WORDS.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.integers(0, 60), st.integers(0, 60))
def test_tokens_from_words_are_the_regex_tokens(text: str, a: int, b: int) -> None:
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    want = _tokens_by_regex(text, start, end)
    assert tokens(text, start, end) == want
    assert tokens(text, start, end, _WORDS.findall(text, start, end)) == want


@pytest.mark.shared
def test_tokens_on_seed_lines(seeds: list[Path]) -> None:
    n = 0
    for p in seeds:
        text = p.read_text(encoding="utf-8")
        pos = 0
        for line in text.splitlines(keepends=True):
            end = pos + len(line.rstrip())
            assert tokens(text, pos, end, _WORDS.findall(text, pos, end)) == _tokens_by_regex(text, pos, end)
            pos += len(line)
            n += 1
    assert n > 50


def test_literal_head_hand_made() -> None:
    cases = {
        "nicht (?:unabhängig )?(?:überprüfbar|prüfbar)": "nicht ",
        "berichten zufolge": "berichten zufolge",
        "ab+c": "ab",
        "abc?d": "ab",
        "ab{2}": "a",
        "ab*": "a",
        "a|b": "",
        "(a|b)c": "",
        "x\\d": "",
        "[n]icht": "",
        "": "",
    }
    for pattern, want in cases.items():
        assert _literal_head(pattern) == want, pattern
        if want:  # every match begins so
            for m in re.finditer(pattern, "ab abc abd abbc nicht prüfbar nicht unabhängig überprüfbar x1 a b"):
                assert m.group().startswith(want), pattern


_HEDGE_TEXT = st.lists(st.sampled_from([
    "nicht", "nicht ", "unabhängig ", "überprüfbar", "prüfbar", "verifiziert", "berichten", " zufolge",
    "could not ", "not ", "be verified", "confirmed", "independently ", "x", "ü", " ", ",", "-", "_", "\n",
]), max_size=12).map("".join)


@settings(max_examples=600, deadline=None)
@given(_HEDGE_TEXT)
def test_has_hedge_answers_as_the_hedge_pattern(low: str) -> None:
    for lang in ("de", "en"):
        lex = claim_lexicon(lang)
        # the plain search: the patterns with their leading word boundary, tried at every position
        want = bool(lex.hedge_scan and re.compile(r"\b" + lex.hedge_scan.pattern).search(low))
        assert lex.has_hedge(low) is want, (lang, low)


def test_has_hedge_hand_made() -> None:
    lex = claim_lexicon("de")
    assert lex.has_hedge("die zahl ist nicht unabhängig überprüfbar.")
    assert lex.has_hedge("nicht verifiziert")
    assert not lex.has_hedge("xnicht verifiziert")  # no word boundary before
    assert lex.has_hedge("xnicht verifiziert, nicht verifiziert")  # a later match that has one
    assert not lex.has_hedge("nicht verifizierte")  # no word boundary after
    assert not lex.has_hedge("die lage ist ruhig.")


_QUOTE_SCAN_BY_LOOKAHEAD = re.compile(
    "\n(?=\n)|[" + re.escape("".join(sorted(set(_OPEN_CLOSE) | set("“”»«‘’›")))) + "]")


def _quote_spans_by_lookahead(text: str, min_words: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    opener: str | None = None
    at = 0
    for m in _QUOTE_SCAN_BY_LOOKAHEAD.finditer(text):
        ch, i = m.group(), m.start()
        if ch == "\n":
            opener = None
            continue
        if opener is None:
            if ch in _OPEN_CLOSE and ch != "”":
                opener, at = ch, i
        elif ch in _OPEN_CLOSE[opener]:
            if len(text[at + 1 : i].split()) >= min_words:
                out.append((at, i + 1))
            opener = None
    return out


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab „“”\"«»‚‘’‹›\n", max_size=50), st.integers(1, 4))
def test_quote_spans_as_with_the_lookahead_scan(text: str, min_words: int) -> None:
    assert quote_spans(text, min_words) == _quote_spans_by_lookahead(text, min_words)


def _trigger_clauses_two_passes(toks: list[Tok], inq: list[bool], triggers: frozenset[str]) -> dict[int, tuple[int, int]]:
    clauses, c0 = [], 0
    for i, t in enumerate(toks):
        if not inq[i] and t.text in _DELIMS:
            if i > c0:
                clauses.append((c0, i))
            c0 = i + 1
    if c0 < len(toks):
        clauses.append((c0, len(toks)))
    out = {}
    for c0, c1 in clauses:
        for i in range(c0, c1):
            if not inq[i] and toks[i].low in triggers:
                out[i] = (c0, c1)
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["sagte", "laut", "er", ",", ":", "(", ")", "–", "„", "x"]), st.booleans()),
                max_size=20))
def test_trigger_clauses_in_one_pass(items: list[tuple[str, bool]]) -> None:
    toks = [Tok(i, i + 1, w, w.lower()) for i, (w, _) in enumerate(items)]
    inq = [q for _, q in items]
    triggers = frozenset({"sagte", "laut", ","})  # a delimiter among the triggers: it never starts a frame
    got = _trigger_clauses(toks, inq, triggers)
    want = _trigger_clauses_two_passes(toks, inq, triggers)
    assert got == want and list(got) == list(want)


def test_mention_pairs_found_on_first_use() -> None:
    from lagebild.extract.claims._claims import _Ctx

    text = "Nach Angaben von Radio Free Asia sagte er etwas."
    ents = [{"id": "org:rfa", "type": "ORG", "mentions": [{"start": 17, "end": 32, "form": "name"}]}]
    ctx = _Ctx(text, ents, [])
    toks = tokens(text, 0, len(text))
    pairs = _MentionPairs(ctx, toks)
    want = _same_mention_pairs(ctx, toks)
    assert want == {(17, 27), (23, 32)}
    for a in toks:
        for b in toks:
            assert ((a.start, b.end) in pairs) == ((a.start, b.end) in want)
