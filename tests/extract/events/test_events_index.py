"""The events stage's per-article indexes (claims, dated times, future times by start) give what a
scan over the whole list gives: on the seeds and on hand-made overlapping and malformed spans."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lagebild.extract.events._find import _Ctx, _dated, _planned
from lagebild.extract.events._lexicon import load_lexicon
from lagebild.extract.events._match import Hit
from lagebild.extract.events._words import _form_direct, words_of
from lagebild.model import Article

from support import seed_articles

STAGES = '["clean","identify","boilerplate","dedup","nlp","time","entities","quantities","claims"]'


def _scan_claim_at(claims: list[dict[str, Any]], pos: int) -> int | None:
    best: tuple[int, int] | None = None
    for i, c in enumerate(claims):
        s, e = c.get("start"), c.get("end")
        if isinstance(s, int) and isinstance(e, int) and s <= pos < e:
            if best is None or e - s < best[0]:
                best = (e - s, i)
    return None if best is None else best[1]


def _ctx(text: str, times: list[dict[str, Any]], claims: list[dict[str, Any]]) -> _Ctx:
    return _Ctx(text, [], times, claims, {"value": "2024-06-19"}, 365)


def _check(ctx: _Ctx, text: str, times: list[dict[str, Any]], claims: list[dict[str, Any]]) -> int:
    checked = 0
    for pos in range(-1, len(text) + 2):
        assert ctx.claim_at(pos) == _scan_claim_at(claims, pos), pos
        checked += 1
    dated = [(i, t) for i, t in enumerate(times) if _dated(t)]
    bounds = sorted({0, len(text)} | {t["start"] for t in times} | {t["end"] for t in times}
                    | {c[k] for c in claims for k in ("start", "end") if isinstance(c.get(k), int)})
    for a in bounds:
        for b in bounds:
            want = [(i, t) for i, t in dated if a <= t["start"] and t["end"] <= b]
            got = [(i, t) for i, t in ctx._dated_within(a, b) if a <= t["start"] and t["end"] <= b]
            assert got == want, (a, b)
            checked += 1
    return checked


def test_claim_and_time_index_on_hand_made_spans() -> None:
    text = "x" * 60
    claims = [
        {"start": 0, "end": 50},
        {"start": 10, "end": 20},  # nested, shorter
        {"start": 10, "end": 20},  # a tie: the first one wins
        {"start": 15, "end": 30},  # overlapping
        {"start": 40, "end": 40},  # empty
        {"start": "5", "end": 9},  # not an int: never matches
        {"end": 9},
    ]
    times = [
        {"start": 30, "end": 35, "type": "DATE", "value": "2024-06-18"},
        {"start": 5, "end": 9, "type": "DATE", "value": "2024-06-17"},  # out of order
        {"start": 5, "end": 12, "type": "TIME", "value": "2024-06-17T10:00"},
        {"start": 20, "end": 22, "type": "DATE", "value": "PAST_REF"},  # not dated
    ]
    ctx = _ctx(text, times, claims)
    assert ctx.claim_at(12) == 1 and ctx.claim_at(25) == 3 and ctx.claim_at(45) == 0 and ctx.claim_at(55) is None
    assert [i for i, _ in ctx._dated_within(5, 35)] == [0, 1, 2]  # list order, not start order
    assert _check(ctx, text, times, claims) > 60
    # a time whose end lies before its start: the index is not used, the whole list is scanned
    bad = times + [{"start": 50, "end": 8, "type": "DATE", "value": "2024-01-01"}]
    ctx = _ctx(text, bad, claims)
    assert [i for i, _ in ctx._dated_within(0, 10) if 0 <= _["start"] and _["end"] <= 10] == [1, 4]
    _check(ctx, text, bad, claims)


@pytest.mark.shared
def test_claim_and_time_index_on_the_seeds(seeds: list[Path]) -> None:
    arts: dict[str, Article] = seed_articles(seeds, STAGES)
    lex = load_lexicon("de")
    total = 0
    for a in arts.values():
        assert a.claims and a.times
        ctx = _ctx(a.text, a.times, a.claims)
        total += _check(ctx, a.text, a.times, a.claims)
        # the planned check by future time: the index answers as the scan over all times
        for s0, s1 in a.sentences:
            words = words_of(a.text, s0, s1, "de")
            if not words:
                continue
            lo_c, hi_c = words[0].start, words[-1].end
            scan = any(lo_c <= t["start"] < hi_c and (t.get("tense") == "future" or t.get("value") == "FUTURE_REF")
                       for t in a.times)
            # a noun hit at word 0 leaves no cue words before it: only the future-time check can say yes
            got = _planned(words, 0, len(words), Hit(0, None, True), lex, ctx.future_starts)  # type: ignore[arg-type]
            assert got == scan, a.text[s0:s1]
            total += 1
    assert total > 10_000


@pytest.mark.shared
def test_word_form_memo_on_the_seeds(seeds: list[Path]) -> None:
    """Words read twice (the second time from the memo) carry what the direct lemma lookup gives."""
    n = 0
    seen: set[tuple[str, str, str, str, bool]] = set()
    for p in seeds:
        text = p.read_text(encoding="utf-8")
        first = words_of(text, 0, len(text), "de")
        again = words_of(text, 0, len(text), "de")
        assert first == again
        for w in again:
            assert (w.low, w.lemma, w.key, w.alpha) == _form_direct(w.text, "de")
            assert text[w.start:w.end] == w.text
            seen.add((w.text, w.low, w.lemma, w.key, w.alpha))
            n += 1
    assert n > 2000
    assert ("Soldaten", "soldaten", "Soldat", "soldat", True) in seen
    assert ("sagte", "sagte", "sagen", "sagen", True) in seen
