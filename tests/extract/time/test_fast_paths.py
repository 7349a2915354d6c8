"""The time stage's fast paths find exactly what the direct computations find.

Sentence and clause ends, the trigger-word scan, the gated alternations, the
left-context searches over a window's last words, the cue-pattern scans at word
starts, the relative-year detector and the clues read only for the date are
each compared with the plain pattern or reading they replace — on the bundled
examples and on text made up to hit their edges (runs of whitespace, a word at
the text's start, letters whose case rules differ).
"""

from __future__ import annotations

import random
import re
from datetime import date

import pytest
from support import EXAMPLES

from lagebild.extract.time import _pubdate_text as pt
from lagebild.extract.time import _tense
from lagebild.extract.time._calendar import _parse_value, parse_value
from lagebild.extract.time._lexicon import alt
from lagebild.extract.time._patterns import patterns_for
from lagebild.extract.time._pubdate_clues import read_clues, resolve_in_article
from lagebild.extract.time._pubdate_combine import combine
from lagebild.extract.time._pubdate_lexicon import pub_lexicon
from lagebild.extract.time._select import tokens
from lagebild.extract.time._wordstart import find_all
from lagebild.extract.time.pubdate import infer_with, pubdate_settings
from lagebild.extract.time.tagger import find_times

LANGS = ("de", "en", "fr")


def _texts() -> list[str]:
    return [p.read_bytes().decode("utf-8", "replace") for p in sorted(EXAMPLES.glob("*.txt"))]


def _made_up(words: list[str], n: int, seed: int) -> list[str]:
    """Short texts of ``words`` joined by assorted separators (several spaces, line breaks, dashes, none)."""
    rnd = random.Random(seed)
    seps = [" ", "  ", "\n", " \t ", "-", "", ". ", ", ", " (", "\n\n", " - "]
    return ["".join(rnd.choice(words) + rnd.choice(seps) for _ in range(rnd.randint(0, 9))) for _ in range(n)]


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    return (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))


def test_sentence_and_clause_ends_equal_the_plain_patterns() -> None:
    sent = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n|\n(?=[A-ZÄÖÜ\-•*])")
    clause = re.compile(r"[,;:–—()\"„“”«»]|\s-\s")
    made = _made_up(list(".!?\n -,;:–—()\"„“”«»aZÄ•*\t\u2028\x0b"), 20000, 1)
    for text in _texts() + made:
        assert [m.span() for m in _tense._SENT_END.finditer(text)] == [m.span() for m in sent.finditer(text)]
        assert [m.span() for m in _tense._CLAUSE_END.finditer(text)] == [m.span() for m in clause.finditer(text)]
        for pos in range(0, len(text) + 1, 3):  # bounded searches, as the tense detector makes them
            assert _same(_tense._CLAUSE_END.search(text, pos, len(text) - 1), clause.search(text, pos, len(text) - 1))


@pytest.mark.parametrize("lang", LANGS)
def test_tokens_equal_the_finder(lang: str) -> None:
    pats = patterns_for(lang)
    words = [w for w in list(pats.triggers)[::7]] + ["12", "3.", "'20", "x", "_", "Mai2020", "über", "ÜBER"]
    for text in _texts() + _made_up(words, 5000, 2):
        want = [(m.start("t"), m.end(), m["w"], m["d"]) for m in pats.finder.finditer(text)]
        assert [(m.start("t"), m.end(), m["w"], m["d"]) for m in tokens(text, pats)] == want


def test_gated_alternations_match_like_plain_ones() -> None:
    words = ["Mai", "mai", "März", "kurz", "kurz nach", "ca.", "um das", "um", "strasse", "straße", "Kelvin", "ist",
             "weiß", "  ja  nein "]
    gated = alt(words)
    assert gated.startswith("(?:(?=[")  # long enough to open with the test of its first characters
    plain = gated.split("])", 1)[1][:-1]  # the same alternation without the test
    texts = _made_up(words + ["KURZ", "Straße", "KELVIN", "\u212aelvin", "İst", "ıst", "WEISS"], 3000, 3)
    for flags in (0, re.IGNORECASE):
        a, b = re.compile(rf"(?<!\w){gated}\b", flags), re.compile(rf"(?<!\w){plain}\b", flags)
        for text in texts:
            for pos in range(len(text) + 1):
                assert _same(a.match(text, pos), b.match(text, pos)), (text, pos)
    assert not alt(["a", "b"]).startswith("(?:(?=")  # short ones stay as they are
    assert not alt(["a", "b", "c", "d", " "]).startswith("(?:(?=")  # a blank phrase matches anywhere


@pytest.mark.parametrize("lang", LANGS)
def test_left_searches_over_the_last_words_equal_full_searches(lang: str) -> None:
    pats = patterns_for(lang)
    lex = pats.lex
    words = [w for t in ("approx", "quantifiers", "parts", "prepositions", "numbers", "fractions", "vague_numbers",
                         "part_adjectives", "units") for w in lex.table(t)]
    words += [w for k in ("determiners", "same_prepositions", "whole", "during", "part_links", "prep_links",
                          "duration_adjectives", "ago_before", "ahead_before", "after_before", "vague_plural_after")
              for w in lex.grammar(k, []) or []]
    texts = _texts()[:2] + _made_up(words + ["x", "12", "1,5", "ca.", "Mitte-"], 800, 4)
    for name in pats.left_words:
        rx = getattr(pats, name)
        for text in texts:
            for end in range(0, len(text) + 1, 11 if len(text) > 200 else 1):
                for width in (40, 60):
                    start = max(0, end - width)
                    assert _same(pats.search_left(name, text, start, end), rx.search(text, start, end)), (name, text)


def test_left_word_equals_the_plain_pattern() -> None:
    plain = re.compile(r"([^\W\d_]+\.?|[(§€$£])\s*$")
    fast = patterns_for("de").left_word
    for text in _texts()[:2] + _made_up(list("ab. (§€$£\n\t1_é²x-"), 5000, 5):
        for pos in range(len(text) + 1):
            a, b = plain.search(text, max(0, pos - 30), pos), fast.search(text[max(0, pos - 30): pos])
            assert (a and a.group(1)) == (b and b.group(1))


@pytest.mark.parametrize("lang", [*LANGS, None])
def test_cue_scans_at_word_starts_equal_finditer(lang: str | None) -> None:
    lex = pub_lexicon(lang)
    words = ["vor", "Vor", "VOR", "40", "vierzig", "Jahren", "jahren", "genau", "years", "ago", "il", "y", "a", "ans",
             "x", "_", "ſ", "\u212avor", "25.", "Jahrestag", "jährige", "anniversary", "50th"]
    for text in _texts() + _made_up(words, 3000, 6):
        for pat in lex.ago + lex.anniversary:
            assert [(m.span(), m.groupdict()) for m in find_all(pat, text)] == \
                [(m.span(), m.groupdict()) for m in pat.finditer(text)]
        det = pt._detector(lex)
        if det is not None:
            for pos in range(len(text) + 1):
                found = det[0].search(text, pos)
                assert pt._next_at(det, text, pos) == (found.start() if found else None)


def test_clues_read_only_for_the_date_give_the_same_date() -> None:
    s = pubdate_settings({})
    texts = _texts() + ["Im vergangenen Jahr traf er sie. Am 3. Mai 2024 kam es zum Gipfel. "
                        "Vor 40 Jahren fiel die Mauer.",
                        "Zum 25. Jahrestag der Wende 1989 kamen viele.", "Ohne Datum.", ""]
    for text in texts:
        times = find_times(text, "de")
        lex = pub_lexicon("de")
        full = read_clues(text, times, lex, s)
        lean = read_clues(text, times, lex, s, only_for_date=True)
        assert (lean.bounds, lean.yearless, lean.weekdays) == (full.bounds, full.yearless, full.weekdays)
        latest_year = date.today().year + 1  # as infer_with reads it
        resolved, _ = resolve_in_article(full, s, latest_year)
        bounds = [b for b in [*full.bounds, *resolved] if b.lower is None or b.lower.year <= latest_year]
        value, earliest, latest, evidence = combine(full, bounds, s)
        pub, _ = infer_with(text, times, "de", settings=s)
        if earliest is None and latest is None:
            assert pub.earliest is None and pub.latest is None and pub.evidence == []
        else:
            assert (pub.value, pub.earliest, pub.latest, pub.evidence) == (value, earliest, latest, evidence)


def test_parsed_values_are_remembered_unchanged() -> None:
    for v in ("2024-05-03", "2024-05", "2024-W18", "2024-SU", "2024-Q2", "2024-H1", "BC0490", "195X", "19", "P3D",
              "2024-05-03T14:30", "", None, "0000"):
        assert parse_value(v) == (_parse_value(v) if v else None)
        assert parse_value(v) is parse_value(v)


def test_sentence_words_are_the_clause_words_and_those_around_them() -> None:
    tenses = _tense.TenseDetector(patterns_for("de").lex)
    made = _made_up(["Er", "hatte", "gesagt", "don't", "über", ",", ";", " - ", "(", "„", "x'y", "12"], 3000, 7)
    for text in _texts() + made:
        ends = tenses.sentence_ends(text)
        for start in range(0, len(text), 7 if len(text) > 200 else 1):
            s0, s1 = tenses.sentence_bounds(text, start, ends)
            c0, c1 = tenses.clause_bounds(text, start, min(start + 3, len(text)), s0, s1)
            parts = [_tense._WORD.findall(text, a, b) for a, b in ((s0, c0), (c0, c1), (c1, s1))]
            assert parts[0] + parts[1] + parts[2] == _tense._WORD.findall(text, s0, s1)
