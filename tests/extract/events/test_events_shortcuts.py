"""The events stage's cheaper paths answer as the direct ones: word offsets located with ``str.find``,
the stem and head patterns written as tries, and mentions merged per sentence on demand."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lagebild.extract.events._find import _WORD_RE, _Ctx
from lagebild.extract.events._lexicon import _longest_first, load_lexicon
from lagebild.extract.events._words import _TOKEN, words_of


_TEXT = st.text(alphabet="aÄbß09_ -‐‑'’.,„“\n\t\u00a0\u3000?", max_size=50)
#: the patterns as written before the possessive ``*+``
_PLAIN_TOKEN = re.compile(r"\w+(?:[-‐‑'’]\w+)*|[^\w\s]")
_PLAIN_WORD = re.compile(r"\w+(?:[-‐‑]\w+)*")


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.integers(0, 50), st.integers(0, 50))
def test_word_offsets_are_the_regex_offsets(text: str, a: int, b: int) -> None:
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    got = [(w.start, w.end, w.text) for w in words_of(text, start, end, "de")]
    assert got == [(m.start(), m.end(), m.group()) for m in _PLAIN_TOKEN.finditer(text, start, end)]


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_possessive_patterns_find_the_plain_ones(text: str) -> None:
    assert [m.span() for m in _TOKEN.finditer(text)] == [m.span() for m in _PLAIN_TOKEN.finditer(text)]
    assert _WORD_RE.findall(text) == _PLAIN_WORD.findall(text)


def _by_length(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abc.", min_size=1, max_size=4), min_size=1, max_size=8),
       st.text(alphabet="abc. ", max_size=30))
def test_longest_first_trie_matches_as_the_sorted_alternation(words: list[str], text: str) -> None:
    plain, trie = re.compile(_by_length(words)), re.compile(_longest_first(words))
    assert [m.span() for m in plain.finditer(text)] == [m.span() for m in trie.finditer(text)]
    plain_end, trie_end = re.compile(f"(?:{_by_length(words)})$"), re.compile(f"(?:{_longest_first(words)})$")
    for k in range(len(text) + 1):
        m1, m2 = plain_end.search(text[k:]), trie_end.search(text[k:])
        assert (m1 and m1.span()) == (m2 and m2.span())


def test_lexicon_patterns_are_tries_of_their_words() -> None:
    lex = load_lexicon("de")
    assert lex.context_re is not None and lex.head_re is not None
    text = "die streitkräfte und der wahlkampf, waffenlieferungen an die armee, ein gipfeltreffen"
    want = re.compile(_by_length(list(lex.context_of)))
    assert [m.group() for m in lex.context_re.finditer(text)] == [m.group() for m in want.finditer(text)]
    assert lex.head_re.search("waffenlieferung").group() == "lieferung"


def test_mentions_merged_per_sentence() -> None:
    text = "Kim traf Putin in Moskau. Danach reiste Kim ab."
    ents = [
        {"id": "per:kim", "type": "PER", "mentions": [{"start": 0, "end": 3, "text": "Kim", "form": "name"},
                                                      {"start": 40, "end": 43, "text": "Kim", "form": "name"}]},
        {"id": "per:putin", "type": "PER", "mentions": [{"start": 9, "end": 14, "text": "Putin", "form": "name"}]},
        {"id": "city:moskau", "mentions": [{"start": 18, "end": 24, "text": "Moskau", "form": "name"},
                                           {"start": 50, "end": 60, "text": "out", "form": "name"}]},
    ]
    ctx = _Ctx(text, ents, [], [], {}, 365)
    eager = sorted(({"id": e["id"], "type": e.get("type", ""), **m} for e in ents for m in e["mentions"]
                    if 0 <= m["start"] < m["end"] <= len(text)), key=lambda m: (m["start"], m["end"]))
    assert ctx.mentions_between(0, 25) == [m for m in eager if m["start"] < 25]
    assert ctx.mentions_between(26, len(text)) == [m for m in eager if 26 <= m["start"]]
    assert ctx.mentions_between(0, len(text)) == eager
