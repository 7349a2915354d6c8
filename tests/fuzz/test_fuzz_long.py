"""1 MB single lines (a few, dedicated: not in every generated example) through ingest and every stage.

``letters`` and ``digits`` run by default; the realistic ones (German text, numbers with
separators, marks and digits mixed) take minutes on a busy machine (``digits-grouped``:
20 min, ``german`` and ``mixed``: 2–3 min) and run with ``LAGEBILD_FUZZ_LONG=1``.
"""

from __future__ import annotations

import os
import unicodedata

import pytest
from fuzzprops import ARTICLE_STAGES, check_article, long_lines, read_doc, run_stages

LINES = long_lines()
DEFAULT = {"letters", "digits"}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(LINES))
def test_one_megabyte_line(kind: str) -> None:
    if kind not in DEFAULT and not os.environ.get("LAGEBILD_FUZZ_LONG"):
        pytest.skip("a 1 MB line of real text takes minutes — set LAGEBILD_FUZZ_LONG=1 to run it")
    text = LINES[kind]
    assert len(text) == 1_000_000 and "\n" not in text
    [article] = read_doc("text", text.encode("utf-8"), "text")
    out = run_stages(article, ARTICLE_STAGES[-1], "de")
    assert out is not None
    check_article(out, "all stages")
    assert out.text == unicodedata.normalize("NFC", text).strip()  # ingest composes e + U+0301 to é
