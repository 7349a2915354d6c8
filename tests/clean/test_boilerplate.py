"""The ``boilerplate`` corpus stage: lines one outlet repeats across articles."""

from __future__ import annotations

import pytest

from lagebild.clean.boilerplate import REASON, boilerplate, normalise_line
from lagebild.clean.furniture import clean
from lagebild.errors import ConfigError
from lagebild.model import Article, Corpus, Removed
from lagebild.pipeline import get_stage

BOX = "Unser Morgen-Briefing: Die wichtigsten Nachrichten des Tages, jeden Morgen um 6 Uhr."


def word(i: int) -> str:
    """A distinct made-up word per number (digits would be normalised away)."""
    letters = "bcdfghklmnprstvz"
    out = ""
    while True:
        out = letters[i % 16] + "a" + out
        i //= 16
        if not i:
            return out.capitalize()


def make(i: int, outlet: str | None, box: str = BOX, extra: str = "") -> Article:
    """A cleaned article whose fourth raw line is the outlet's box."""
    w = word(i)
    raw = (
        f"Meldung über {w} und die Folgen\n\n"
        f"Dies ist der erste Absatz der Meldung über {w}, er beschreibt ausführlich, was in {w} geschehen ist.\n"
        f"{box}\n\n"
        f"Ein zweiter Absatz mit weiteren Einzelheiten zu {w}, damit der Text nicht zu kurz ist.{extra}\n"
    )
    a = clean(Article(id=f"id{i}", raw_text=raw, language="de", outlet=outlet), {})
    assert a.kept_lines == [1, 3, 4, 6] + ([7] if extra else [])
    return a


def test_normalise_line() -> None:
    assert normalise_line("  Heute   um 7 Uhr\tLIVE ") == "heute um 0 uhr live"
    assert normalise_line("Ausgabe 2024") == normalise_line("ausgabe 1999")


def test_removes_outlet_boilerplate_and_keeps_identity() -> None:
    same = [make(i, "example.de", box=BOX.replace("6", str(i))) for i in range(3)]  # digits differ
    other = make(7, "other.example")  # same box, other outlet: not counted with example.de
    unknown = make(8, None)
    corpus = Corpus(same + [other, unknown])
    out = boilerplate(corpus, {"min_articles": 3, "max_line_chars": 300})

    assert out.articles[3] is other and out.articles[4] is unknown
    for before, after in zip(same, out.articles[:3]):
        assert after is not before
        assert after.kept_lines == [1, 3, 6]
        assert Removed(lines=[4], reason=REASON) in after.removed
        assert BOX[:20] not in after.text
        for s, e, n in after.line_map:
            assert after.text[s:e] == after.raw_text.split("\n")[n - 1].strip()
        assert "ist.\n\nEin zweiter Absatz" in after.text  # removed line between: paragraph break
        # the input article is untouched
        assert before.kept_lines == [1, 3, 4, 6] and BOX[:20] in before.text


def test_threshold_and_length_limit() -> None:
    arts = [make(i, "example.de") for i in range(3)]
    unchanged = boilerplate(Corpus(arts), {"min_articles": 4, "max_line_chars": 300})
    assert all(a is b for a, b in zip(unchanged.articles, arts))
    too_long = boilerplate(Corpus(arts), {"min_articles": 3, "max_line_chars": len(BOX) - 1})
    assert all(a is b for a, b in zip(too_long.articles, arts))


def test_exact_duplicates_count_once() -> None:
    a = make(1, "example.de")
    b = make(2, "example.de")
    copies = [a, a.replace(), b]  # the same id twice: one article read twice
    out = boilerplate(Corpus(copies), {"min_articles": 3, "max_line_chars": 300})
    assert all(x is y for x, y in zip(out.articles, copies))


def test_removed_runs_are_grouped_and_sorted() -> None:
    arts = [make(i, "example.de", extra="\nAlle Artikel gibt es im Digitalabo für wenige Euro im Monat.") for i in range(3)]
    out = boilerplate(Corpus(arts), {"min_articles": 3, "max_line_chars": 300})
    for a in out.articles:
        assert a.kept_lines == [1, 3, 6]
        assert a.removed == [Removed(lines=[4], reason=REASON), Removed(lines=[7], reason=REASON)]


def test_registered_as_corpus_stage_and_bad_settings() -> None:
    s = get_stage("boilerplate")
    assert s.level == "corpus" and s.sets == frozenset({"text", "kept_lines", "removed", "line_map"})
    with pytest.raises(ConfigError, match="min_articles"):
        boilerplate(Corpus([]), {"min_articles": 0})
    assert boilerplate(Corpus([]), {}).articles == []


def test_linear_in_articles() -> None:
    # 2000 articles of one outlet share the box; every one loses it (one pass, a dict per outlet)
    many = [make(i, "example.de") for i in range(2000)]
    out = boilerplate(Corpus(many), {"min_articles": 3, "max_line_chars": 300})
    assert len(out) == 2000
    assert all(a.kept_lines == [1, 3, 6] for a in out.articles)
