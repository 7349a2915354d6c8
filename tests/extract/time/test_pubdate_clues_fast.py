"""The fast paths of the publication-date clue reader give exactly the direct results.

``lagebild.extract.time._pubdate_text`` memoizes event words per sentence,
caches word stems, splits sentences without a regex per period, and skips the
cue-pattern scans where a one-pass detector or gate proves they cannot match.
``FAST = False`` switches all of that off; every test here compares both.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lagebild.api import extract
from lagebild.config import load_config
from lagebild.extract.time import _pubdate_text as pt
from lagebild.extract.time._pubdate_clues import Clues, read_clues
from lagebild.extract.time._pubdate_lexicon import pub_lexicon
from lagebild.extract.time.tagger import find_times
from lagebild.model import Article


def _both(fn, monkeypatch):  # type: ignore[no-untyped-def]
    """``fn()`` on the fast path, then on the direct path."""
    fast = fn()
    monkeypatch.setattr(pt, "FAST", False)
    direct = fn()
    monkeypatch.setattr(pt, "FAST", True)
    return fast, direct


@pytest.fixture(scope="module")
def seed_articles(seeds: list[Path]) -> list[Article]:
    cfg = load_config(None, ["executor.kind=inline", f"pipeline.stages={json.dumps(['clean', 'identify'])}"])
    res = extract([str(p) for p in seeds], config=cfg)
    assert res.errors == [] and len(res.articles) == len(seeds) == 5
    return res.articles


@pytest.mark.shared
def test_clues_on_seeds_equal_direct(seed_articles: list[Article], monkeypatch: pytest.MonkeyPatch) -> None:
    settings = {"weekday_window_days": 7}
    kinds: set[str] = set()
    for a in seed_articles:
        lex = pub_lexicon(a.language)
        times = find_times(a.text, a.language, anchor=None, genre="news")
        for resolved in (False, True):
            fast, direct = _both(lambda: read_clues(a.text, times, lex, settings, resolved_events=resolved),
                                 monkeypatch)
            assert fast == direct, a.id
        kinds |= {p.kind for p in fast.pending}
        assert fast.sentences == pt._spans_direct(a.text)
    # the seeds exercise the relative-year detector and the anniversary gate ("Im vergangenen Jahr", "70. Jahrestag")
    assert {"relative-year", "anniversary"} <= kinds


@pytest.mark.shared
def test_sentence_words_memo_equals_direct(seed_articles: list[Article]) -> None:
    for a in seed_articles:
        lex = pub_lexicon(a.language)
        spans = pt.sentence_spans(a.text)
        memo = pt.SentenceWords(a.text, spans, lex)
        first = memo[len(spans) // 2]  # one asked for before all of them
        got = memo.all()
        assert got[len(spans) // 2] is first
        assert got == [pt._words_direct(a.text[s:e], lex) for s, e in spans]
        assert got == [pt.event_words(a.text[s:e], lex) for s, e in spans]


def test_sentence_spans_periods() -> None:
    text = "Am 27. Juli kam v. a. Herr X. an. Dann 2015. Schluss!\n\nNeu? Ja.»  Ende"
    # read by hand: "27." "v." "a." "X." end nothing (number or single letter); "an." "2015." "Schluss!" do;
    # each line break ends a sentence, the blank ones between are left out
    want = [(0, 33), (33, 44), (44, 53), (55, 59), (59, 64), (64, len(text))]
    assert pt._spans_direct(text) == want
    assert pt.sentence_spans(text) == want
    assert [text[s:e].strip() for s, e in want if text[s:e].strip()] == [
        "Am 27. Juli kam v. a. Herr X. an.", "Dann 2015.", "Schluss!", "Neu?", "Ja.»", "Ende"]


@pytest.mark.parametrize("text", [
    "", "\n\n", "a.", "1.", "12.", "123.", "ab. cd", "x\n1. y", "„Zitat.“ Weiter", "Ende...\nNeu", "1.2. März",
    "Er sagte: 'Ja.' Dann", "St. Gallen. Z. B. Nr. 5. Fertig", "ÄÖ. ü. 3½. ²³. Ⅻ. _. x_. Ende",
])
def test_sentence_spans_equal_direct(text: str) -> None:
    assert pt.sentence_spans(text) == pt._spans_direct(text)


def test_word_and_digit_tests_match_re() -> None:
    word, digit = re.compile(r"\w"), re.compile(r"\d")
    for cp in list(range(0, 0x3000)) + [0xFF10, 0x1D7CE, 0x10FFFF]:
        c = chr(cp)
        assert pt._is_word(c) == bool(word.match(c)), hex(cp)
        assert c.isdecimal() == bool(digit.match(c)), hex(cp)


@pytest.mark.parametrize("text", [
    "Im VERGANGENEN Jahr stieg die Zahl.",              # a phrase in capitals
    "Die Steuer stieg im  vergangenen\nJahr deutlich.",  # "heuer" inside a word; line break inside the phrase
    "İm vergangenen Jahr",                              # a dotted capital I matches "i" in re, not in casefold
    "im vergangenen Jahr und im Vorjahr, heuer",
    "Vor 40 Jahren fiel die Mauer; zum 25. Jahrestag kamen viele.",
    "Die 32-Jährige feierte den 70. Geburtstag ihres Vaters.",
    "Der 32-Jährige kam.",                              # a keyword, but no anniversary noun
    "Das Jubiläum war 2004.", "In diesem Jahr", "diesem Jahrhundert",
])
def test_pending_equal_direct(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lex = pub_lexicon("de")
    fast, direct = _both(lambda: read_clues(text, [], lex, {"weekday_window_days": 7}), monkeypatch)
    assert fast == direct


def test_pending_found_through_gates() -> None:
    lex = pub_lexicon("de")
    c = read_clues("Im VERGANGENEN Jahr stieg die Steuer. İm vergangenen Jahr auch.", [], lex, {})
    # both phrases, read by hand; the second starts with U+0130, which only the full scan finds
    assert [(p.kind, p.year_offset, p.text) for p in c.pending] == [
        ("relative-year", 1, "Im VERGANGENEN Jahr"), ("relative-year", 1, "İm vergangenen Jahr")]
    c = read_clues("Der 32-Jährige kam zum 25. Jahrestag der Gründung.", [], lex, {})
    assert [(p.kind, p.year_offset, p.text) for p in c.pending] == [("anniversary", 25, "25. Jahrestag")]


def test_gates_read_the_cue_patterns() -> None:
    lex = pub_lexicon("de")
    need = pt._needed(lex.anniversary[0])
    assert need is not None and {"Jahrestag", "Geburtstag", "Jubiläum", "Todestag"} <= need
    assert pt._needed(lex.ago[0]) == {"Jahren"}  # the longest literal run of "vor … Jahren"
    assert pt._needed(re.compile(r"\w+\s+\d+")) is None
    det = pt._detector(lex)
    assert det is not None and det[1] is not None
    # a lexicon whose relative-year patterns were not built from its cue files gets no detector
    odd = type(lex)(**{f: getattr(lex, f) for f in lex.__slots__ if f != "relative_year"},
                    relative_year=((re.compile(r"(?<!\w)im\s+alten\s+Jahr(?!\w)", re.I), -1),))
    assert pt._detector(odd) is None
    assert [(m.group(), off) for m, off in pt.relative_year_matches("Im alten Jahr", odd)] == [("Im alten Jahr", -1)]


def test_clues_equal_for_other_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = {"en": "Last year the 50th anniversary was held. Twenty years ago it began. This year too.",
             "fr": "L’année dernière, le 50e anniversaire. Il y a vingt ans. Cette année aussi.",
             None: "Im vergangenen Jahr, last year, l'an dernier."}
    for lang, text in texts.items():
        lex = pub_lexicon(lang)
        fast, direct = _both(lambda: read_clues(text, [], lex, {}), monkeypatch)
        assert fast == direct and isinstance(fast, Clues)
        assert any(p.kind == "relative-year" for p in fast.pending), lang


def test_stem_cache() -> None:
    lex = pub_lexicon("de")
    assert pt.event_words("Die Bundes-Regierung tagte am Montag", lex) == {"bundesr", "tagte"}
    stems = pt._cache(lex).stems
    # forms as written; "" marks a word that is no event word (stop word, weekday, shorter than 4)
    assert stems["Bundes-Regierung"] == "bundesr" and stems["Montag"] == "" and stems["am"] == ""
