"""The entity finder's speed paths (per-form memos, token spans, precomputed KB adjective forms)
give exactly what the plain computations give, on the seed articles."""

from __future__ import annotations

import pytest

from lagebild.extract.entities import cues_for, entities_of_text
from lagebild.extract.entities import _local, _memo
from lagebild.extract.entities._find import _Finder
from lagebild.extract.entities._words import words_of
from lagebild.kb import load_kb
from lagebild.nlp import split_sentences, token_spans, tokenize

pytestmark = pytest.mark.shared


def _texts(seeds) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in seeds]


def test_token_spans_are_the_tokens(seeds) -> None:
    for text in _texts(seeds):
        spans = token_spans(text, "de")
        assert [(s, e) for s, e, _ in spans] == [(t.start, t.end) for t in tokenize(text, "de")]
        assert len(spans) > 300


def test_words_of_spans_equal_words_of_tokens(seeds) -> None:
    for text in _texts(seeds):
        sentences = [list(s) for s in split_sentences(text, "de")]
        from_tokens = words_of(text, tokenize(text, "de"), sentences)
        from_spans = words_of(text, token_spans(text, "de"), sentences)
        assert from_spans == from_tokens
        assert any("-" in w.text for w in from_spans)  # merged hyphen compounds are exercised


def test_adjective_ids_memo_is_the_kb_reading(seeds) -> None:
    kb = load_kb()
    words = {w for text in _texts(seeds) for _, _, w in _words(text)}
    words |= {"russischen", "nordkoreanische", "Südkoreanischen", "russisch"}
    hits = 0
    for w in sorted(words):
        want = tuple(sorted({m.entity_id for m in kb.adjective(w)}))
        assert _memo.adjective_ids(kb, w) == want, w
        assert _memo.adjective_ids(kb, w) == want, w  # the memoised answer
        hits += bool(want)
    assert hits >= 4


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(s, e, text[s:e]) for s, e, _ in token_spans(text, "de")]


def test_local_form_memo_is_the_plain_test(seeds) -> None:
    """The per-form part of pass 4's word test, memoised in the cues, equals the expression it replaced."""
    kb = load_kb()
    cues = cues_for("de")
    text = _texts(seeds)[0]
    f = _Finder(text, "de", None, words_of(text, token_spans(text, "de"), []), kb, cues)
    seen = 0
    for text in _texts(seeds):
        for _, _, w in _words(text):
            plain = bool(
                w[:1].isupper() and w not in cues.stop and not cues.is_person_title(w)
                and not any(ch.isdigit() for ch in w)
                and (cues.is_org_word(w) or not _memo.inflected.__wrapped__(w))
            )
            assert f._local_form(w) is plain, w
            assert f._local_form(w) is plain, w  # again, from the memo
            seen += plain
    assert seen > 50


def test_entities_with_memos_cold_warm_and_bypassed_agree(seeds, monkeypatch) -> None:
    """The entities of every seed: with the per-form memos empty, warm, and bypassed."""
    kb = load_kb()

    def run() -> list:
        return [entities_of_text(t, "de", None, kb=kb, ner=True) for t in _texts(seeds)]

    _memo._ADJ_MEMOS.clear()
    _memo._KB_MEMOS.clear()
    cues_for("de")._memo.clear()
    cold = run()
    warm = run()
    assert warm == cold
    # bypassed: every memo answers afresh
    monkeypatch.setattr(_memo, "adjective_memo", lambda kb: {})
    monkeypatch.setattr(_memo, "adjective_ids", lambda kb, t: tuple(sorted({m.entity_id for m in kb.adjective(t)})))
    import lagebild.extract.entities._find as find

    monkeypatch.setattr(find, "adjective_memo", _memo.adjective_memo)
    monkeypatch.setattr(find, "adjective_ids", _memo.adjective_ids)
    monkeypatch.setattr(find, "kb_memo", lambda kb: {})
    monkeypatch.setattr(_local, "inflected", _memo.inflected.__wrapped__)
    monkeypatch.setattr(
        _local.LocalPass, "_local_form",
        lambda self, w: bool(
            w[:1].isupper() and w not in self.cues.stop and not self.cues.is_person_title(w)
            and not any(ch.isdigit() for ch in w)
            and (self.cues.is_org_word(w) or not (self.german and _memo.inflected.__wrapped__(w)))
        ),
    )
    kb._adjective_cache.clear()
    kb._adjective_forms = None
    assert run() == cold
    names = {e["name"] for ents in cold for e in ents}
    assert {"Kim Jong Un", "Vladimir Putin", "Russia", "North Korea"} <= names
