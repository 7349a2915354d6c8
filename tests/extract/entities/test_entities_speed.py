"""The single-pass :func:`words_of` and the word-form memo of the local-entity pass give exactly
what the plain computations give (on the seed articles and on hand-made edge cases)."""

from __future__ import annotations

import pytest

from lagebild.extract.entities import _local, cues_for
from lagebild.extract.entities._find import _Finder
from lagebild.extract.entities._words import Word, words_of
from lagebild.kb import load_kb
from lagebild.nlp import split_sentences, token_spans


def _plain_words_of(text: str, tokens: list[tuple[int, int]], sentences: list[list[int]]) -> list[Word]:
    """The two-pass reading of :func:`words_of`'s contract: merge hyphen-joined tokens, then mark words."""
    spans: list[list[int]] = []
    for s, e in tokens:
        if spans and s == spans[-1][1] and ((e - s == 1 and text[s] == "-") or (text[s - 1] == "-" and text[s].isalnum())):
            spans[-1][1] = e
        else:
            spans.append([s, e])
    starts = {s[0] for s in sentences}
    out: list[Word] = []
    fresh, prev_end = True, -1
    for s, e in spans:
        w = text[s:e]
        if prev_end < 0 or s in starts or "\n" in text[prev_end:s]:
            fresh = True
        if any(ch.isalnum() for ch in w):
            out.append(Word(s, e, w, True, fresh))
            fresh = False
        else:
            out.append(Word(s, e, w, False, False))
            if w in ".!?:":
                fresh = True
        prev_end = e
    return out


def _tok(text: str) -> list[tuple[int, int]]:
    return [(s, e) for s, e, _ in token_spans(text, "de")]


def test_words_of_edge_cases() -> None:
    text = "Kreml-Vertreter sagten: Kim Jong-un kam.\nNord- und Südkorea -"
    words = words_of(text, _tok(text), [[0, len(text)]])
    assert [w.text for w in words] == [
        "Kreml-Vertreter", "sagten", ":", "Kim", "Jong-un", "kam", ".", "Nord-", "und", "Südkorea", "-",
    ]
    # sentence starts: the text's first word, after ":", after the line break
    assert [w.text for w in words if w.sent_start] == ["Kreml-Vertreter", "Kim", "Nord-"]
    assert words == _plain_words_of(text, _tok(text), [[0, len(text)]])
    assert words_of("", [], []) == []
    one = words_of("Berlin", [(0, 6)], [[0, 6]])
    assert one == [Word(0, 6, "Berlin", True, True)]


@pytest.mark.shared
def test_words_of_is_the_plain_reading_on_the_seeds(seeds) -> None:
    for p in seeds:
        text = p.read_text(encoding="utf-8")
        sentences = [list(s) for s in split_sentences(text, "de")]
        got = words_of(text, _tok(text), sentences)
        assert got == _plain_words_of(text, _tok(text), sentences)
        assert sum(w.sent_start for w in got) >= len(sentences) // 2 > 5


@pytest.mark.shared
def test_local_form_memo_changes_nothing(seeds) -> None:
    kb, cues = load_kb(), cues_for("de")
    text = seeds[0].read_text(encoding="utf-8")
    sentences = [list(s) for s in split_sentences(text, "de")]
    words = words_of(text, _tok(text), sentences)

    def local_mentions() -> list[tuple[int, int, str | None, str | None]]:
        f = _Finder(text, "de", None, words, kb, cues)
        f.kb_pass(); f.resolve(); f.short_forms(); f.titles(); f.locals()
        return [(m.start, m.end, m.type, m.local) for m in f.mentions if not m.ids]

    warm = local_mentions()
    _local._FORMS.clear()
    assert local_mentions() == warm  # filled from nothing
    assert local_mentions() == warm  # read from the memo
    assert warm  # the seed has names the KB does not know
    memo = _local._form_memo(cues)
    assert memo and all(isinstance(v, bool) for v in memo.values())
