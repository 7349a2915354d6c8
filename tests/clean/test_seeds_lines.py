"""The five seed articles, judged line by line (the lead's reading of them).

Expected KEPT raw line numbers per seed, and for every removed line the reasons
accepted for it.  The seeds are read from ../shared at run time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.clean.furniture import REASONS, classify_lines, clean
from lagebild.model import Article

pytestmark = pytest.mark.shared

CAPTION_OR_GALLERY = {"gallery", "caption"}
CREDIT_OR_GALLERY = {"photo-credit", "gallery"}
TEASER_ITEM = {"dated-teaser", "gallery", "markup"}

#: seed prefix → (kept lines, {removed line: accepted reasons}, title line)
EXPECTED: dict[str, tuple[list[int], dict[int, set[str]], int]] = {
    "000": (
        [3, 5, 12, 14, 16, 24, 26, 28],
        {
            1: {"section-label"},
            7: {"byline"},
            8: {"caption"},
            9: {"caption"},
            10: {"photo-credit"},
            18: {"gallery"},
            19: {"gallery"},
            20: CAPTION_OR_GALLERY,
            21: CAPTION_OR_GALLERY,
            22: CREDIT_OR_GALLERY,
            30: {"gallery"},
            31: {"gallery"},
            32: TEASER_ITEM,
            33: TEASER_ITEM,
            34: CREDIT_OR_GALLERY,
        },
        3,
    ),
    "001": (
        [1, 7, 9, 10, 11, 13, 15, 16, 18, 20, 21, 22, 23],
        {3: {"title-repeat"}, 5: {"separator"}, 24: {"caption"}, 25: {"video-teaser"}, 26: {"source-line"}},
        1,
    ),
    "002": (
        [3, 13, 15, 17, 19, 21, 23],
        {
            1: {"section-label"},
            5: {"audio"},
            6: {"audio"},
            7: {"caption"},
            9: {"caption"},
            11: {"photo-credit"},
            25: {"source-line"},
            27: {"newsletter"},
            28: {"newsletter"},
            29: {"newsletter"},
        },
        3,
    ),
    "003": (list(range(1, 15)), {}, 1),
    "004": (
        [1, 7, 9, 11, 13, 15, 17],
        {3: {"title-repeat"}, 5: {"caption"}, 19: {"teaser-list"}, 21: {"teaser-list"}, 50: {"teaser-list"}},
        1,
    ),
}
# 004: every non-blank line from 23 to 49 is a teaser item.
TEASER_RANGE_004 = range(23, 50)


def _seed(seeds: list[Path], prefix: str) -> str:
    match = [p for p in seeds if p.name.startswith(prefix + "_")]
    assert len(match) == 1, f"expected one seed named {prefix}_*.txt in ../shared/seeds, found {match}"
    return match[0].read_text(encoding="utf-8")


def _expected(prefix: str, raw: str) -> tuple[list[int], dict[int, set[str]], int]:
    kept, removed, title = EXPECTED[prefix]
    removed = dict(removed)
    if prefix == "004":
        lines = raw.split("\n")
        for n in TEASER_RANGE_004:
            if lines[n - 1].strip():
                removed[n] = {"teaser-list"}
    return kept, removed, title


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
@pytest.mark.parametrize("language", ["de", None])
@pytest.mark.parametrize("title_from", ["none", "first-line"])
def test_seed_lines(seeds: list[Path], prefix: str, language: str | None, title_from: str) -> None:
    raw = _seed(seeds, prefix)
    lines = raw.split("\n")
    title = lines[0].strip() if title_from == "first-line" else None  # plain-text ingest's guess
    kept, removed, title_line = _expected(prefix, raw)
    nonblank = [i for i, line in enumerate(lines, 1) if line.strip()]
    assert sorted(kept + list(removed)) == nonblank, "the expectation must cover every non-blank line once"

    decisions = classify_lines(raw, language, {}, title=title)
    assert [d.line for d in decisions] == nonblank
    for d in decisions:
        if d.line in kept:
            assert d.keep, f"{prefix} line {d.line} should be kept, was removed as {d.reason}: {d.text[:60]!r}"
            assert d.reason is None and d.role in ("title", "lead", "heading", "body")
        else:
            assert not d.keep, f"{prefix} line {d.line} should be removed ({removed[d.line]}): {d.text[:60]!r}"
            assert d.reason in removed[d.line], f"{prefix} line {d.line}: reason {d.reason}, want {removed[d.line]}"
            assert d.reason in REASONS and d.role == "furniture"
    assert [d.line for d in decisions if d.role == "title"] == [title_line]


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_stage_output(seeds: list[Path], prefix: str) -> None:
    raw = _seed(seeds, prefix)
    lines = raw.split("\n")
    kept, removed, title_line = _expected(prefix, raw)
    article = Article(raw_text=raw, title=lines[0].strip(), language="de")
    out = clean(article, {})

    assert out.kept_lines == kept
    assert out.title == lines[title_line - 1].strip()
    assert sorted(n for r in out.removed for n in r.lines) == sorted(removed)
    for r in out.removed:
        assert all(r.reason in removed[n] for n in r.lines)
    # every line_map slice is the stripped raw line; every raw line is kept, removed or blank once
    for start, end, n in out.line_map:
        assert out.text[start:end] == lines[n - 1].strip()
    blank = {i for i, line in enumerate(lines, 1) if not line.strip()}
    removed_lines = [n for r in out.removed for n in r.lines]
    everything = sorted(out.kept_lines + removed_lines + sorted(blank))
    assert everything == list(range(1, len(lines) + 1))
    assert article.metadata == {} and article.text == ""  # the input is untouched


def test_seed_sources_parsed(seeds: list[Path]) -> None:
    out1 = clean(Article(raw_text=_seed(seeds, "001"), language="de"), {})
    assert out1.agencies == ["dpa", "AFP", "Reuters"]
    assert out1.outlet is None

    raw2 = _seed(seeds, "002")
    out2 = clean(Article(raw_text=raw2, language="de"), {})
    assert out2.agencies == ["AFP"]
    assert out2.outlet == "ntv.de"
    # a known outlet is kept; incoming agencies are merged, not duplicated
    out2b = clean(Article(raw_text=raw2, language="de", outlet="example.org", agencies=["AFP", "dpa"]), {})
    assert out2b.outlet == "example.org"
    assert out2b.agencies == ["AFP", "dpa"]


def test_seed_byline_becomes_author(seeds: list[Path]) -> None:
    raw = _seed(seeds, "000")
    out = clean(Article(raw_text=raw, language="de"), {})
    assert out.metadata["author"] == raw.split("\n")[6].strip()
    preset = clean(Article(raw_text=raw, language="de", metadata={"author": "Someone Else"}), {})
    assert preset.metadata["author"] == "Someone Else"


def test_seed_paragraph_breaks(seeds: list[Path]) -> None:
    raw = _seed(seeds, "001")
    lines = raw.split("\n")
    out = clean(Article(raw_text=raw, language="de"), {})
    # lines 9–11 are adjacent in the raw text: one newline; 7 and 9 have a blank line between
    assert f"{lines[8].strip()}\n{lines[9].strip()}\n{lines[10].strip()}" in out.text
    assert f"{lines[6].strip()}\n\n{lines[8].strip()}" in out.text
    assert out.text.startswith(lines[0].strip() + "\n\n" + lines[6].strip())
