"""The knowledge-base pass skips the lookups of longer surfaces after a word that opens no multi-word KB
name (:func:`lagebild.extract.entities._memo.may_open_name`); it must find exactly what the full search finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from support import EXAMPLES

from lagebild.extract.entities import _find, _memo, entities_of_text
from lagebild.kb import load_kb
from lagebild.kb._model import normalise_surface, opening_key


def _texts() -> list[str]:
    return [p.read_bytes().decode("utf-8", "replace") for p in sorted(EXAMPLES.glob("*.txt"))]


_LETTERS = list("aAzZäÄöÖüÜßéÉçİıŁłñ") + ["\u0301", "\u0308", "-", "\u2013", "_", "'", "’", "`", "´", "ﬁ", "1", "."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LETTERS), min_size=1, max_size=8).map("".join),
       st.lists(st.sampled_from(_LETTERS + [" "]), min_size=0, max_size=8).map("".join))
def test_a_longer_surface_key_opens_with_the_opening_key(word: str, rest: str) -> None:
    key = opening_key(word)
    if not key:
        return  # None (an apostrophe mark) or nothing left: the finder does not skip
    surface = f"{word} A{rest}"  # the next word of a name opens with a capital, a digit or a particle
    assert normalise_surface(surface).startswith(key + " "), (word, rest)


def test_every_multi_word_name_opens_with_a_word_that_may_open_one() -> None:
    kb = load_kb()
    seen = 0
    for e in kb.entities.values():
        for name in (*e.all_names(), *e.short):
            first, sep, _ = name.partition(" ")
            if sep and first:
                seen += 1
                assert _memo.may_open_name(kb, first), name
    assert seen > 1000
    # an inflected first adjective reaches the listed form ("der Deutschen Presse-Agentur")
    assert _memo.may_open_name(kb, "Deutschen")
    assert not _memo.may_open_name(kb, "Haushaltsdebatte")


def test_kb_pass_finds_what_the_full_search_finds(monkeypatch) -> None:
    kb = load_kb()
    texts = _texts()
    assert texts
    fast = [entities_of_text(t, lang, kb=kb) for lang in ("de", "en") for t in texts]
    skipped = sum(
        1 for t in texts for w in t.split() if w[:1].isupper() and not _memo.may_open_name(kb, w.strip(".,;:!?\"„“()"))
    )
    assert skipped > 100  # the shortcut is taken
    monkeypatch.setattr(_find, "open_memo", lambda kb: {})
    monkeypatch.setattr(_find, "may_open_name", lambda kb, word: True)
    full = [entities_of_text(t, lang, kb=kb) for lang in ("de", "en") for t in texts]
    assert fast == full
    assert sum(len(x) for x in full) > 50
