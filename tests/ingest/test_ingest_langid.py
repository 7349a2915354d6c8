"""The vectorised byte walk of ``lagebild.ingest._langid``: the same features, languages and scores
as py3langid's own walk, on the bundled examples, on ../shared's texts and on generated text."""

from __future__ import annotations

from collections import Counter
from importlib.metadata import version

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py3langid import langid
from support import EXAMPLES

from lagebild.ingest import _langid


def _deepest() -> tuple[int, list[bytes]]:
    """The longest string an automaton state stands for (its breadth-first depth from the start
    state), and the strings of the states that deep."""
    ident = langid._get_identifier()
    moves = np.frombuffer(ident.tk_nextmove, dtype=np.dtype(ident.tk_nextmove.typecode))
    rows = np.asarray(ident._rowbase, dtype=np.intp)
    string: dict[int, bytes] = {0: b""}
    frontier = [0]
    while True:
        reached: list[int] = []
        for state in frontier:
            row = moves[rows[state] : rows[state] + 256]
            for byte in np.flatnonzero(row != 0).tolist():  # the start state is no one's child
                nxt = int(row[byte])
                if nxt not in string:
                    string[nxt] = string[state] + bytes([byte])
                    reached.append(nxt)
        if not reached:
            return len(string[frontier[0]]), [string[s] for s in frontier]
        frontier = reached


def _same(text: str) -> None:
    ident, fast = _langid._model()
    assert fast is not None
    data = ident._encode(text)
    slow = langid.visit_counts(ident.tk_nextmove, ident._rowbase, ident.tk_output, data) or Counter()
    got = _langid._visits(data, *fast)
    assert list(got.items()) == list(slow.items())  # the same counts, in the same order
    assert _langid.classify(text) == langid.classify(text)


def test_depth_is_the_installed_models():
    depth, strings = _deepest()
    assert _langid.DEPTH[version("py3langid")] == depth
    # the deepest states are rare in text: walk each one's string, with bytes before and after it
    ident, fast = _langid._model()
    assert fast is not None
    for s in strings:
        data = b"ab " + s + b" cd" + s
        slow = langid.visit_counts(ident.tk_nextmove, ident._rowbase, ident.tk_output, data) or Counter()
        assert list(_langid._visits(data, *fast).items()) == list(slow.items())


def _example_texts() -> list[str]:
    out = []
    for p in sorted(EXAMPLES.rglob("*")):
        if p.is_file() and p.suffix in (".txt", ".html", ".json", ".jsonl", ".md"):
            out.append(p.read_text(encoding="utf-8", errors="replace"))
    return out


def test_same_on_the_examples():
    texts = _example_texts()
    assert len(texts) >= 8
    for text in texts:
        for i in range(0, min(len(text), 8000), 800):
            _same(text[i : i + 800])


def test_same_on_shared_texts(shared):
    texts = []
    for p in sorted((shared / "data" / "wikinews_text").rglob("*"))[:300]:
        if p.is_file():
            texts.append(p.read_text(encoding="utf-8", errors="replace")[:1200])
    for p in sorted((shared / "data" / "trafilatura_de").rglob("*"))[:100]:
        if p.is_file():
            texts.append(p.read_text(encoding="utf-8", errors="replace")[:1200])
    assert len(texts) >= 300
    for text in texts:
        _same(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_same_on_generated_text(text):
    _same(text)


@pytest.mark.parametrize("text", ["", "a", "ЖЖЖ", "\x00\x01\x02", "ÜBER ALLE BERGE", "東京 北京 서울", "😀" * 5])
def test_same_on_edge_cases(text):
    _same(text)
