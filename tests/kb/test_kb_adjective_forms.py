"""`KnowledgeBase.adjective` reads a precomputed stem + ending table: it must give exactly what
trying every ending on the token gives (the readings and their order)."""

from __future__ import annotations

from lagebild.kb import ADJECTIVE_ENDINGS, load_kb
from lagebild.kb._model import normalise_surface


def _by_endings(kb, token: str) -> list:
    """The plain computation: strip each ending in turn and look the stem up."""
    key = normalise_surface(token)
    out: list = []
    for end in ADJECTIVE_ENDINGS:
        if end and not key.endswith(end):
            continue
        stem = key[: len(key) - len(end)] if end else key
        for m in kb._adjectives.get(stem, ()):
            if m not in out:
                out.append(m)
    return out


def test_adjective_table_equals_trying_every_ending() -> None:
    kb = load_kb()
    tokens = {"russischen", "Russian", "ukrainienne", "nordkoreanische", "Nord-Coréens", "Haus", "en", "e", ""}
    for stem in kb._adjectives:
        for end in ADJECTIVE_ENDINGS:
            tokens |= {stem + end, (stem + end).capitalize(), (stem + end)[:-1], stem + end + "x"}
    found = 0
    for t in sorted(tokens):
        want = _by_endings(kb, t)
        assert kb.adjective(t) == want, t
        assert kb.adjective(t) == want, t  # from the per-token cache
        found += bool(want)
    assert found > 1000
    assert [m.entity_id for m in kb.adjective("russischen")] == ["gpe:ru"]
