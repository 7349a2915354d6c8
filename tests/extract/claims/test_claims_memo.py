"""Shortcuts of the claims stage answer as the direct path: the memoised cue-noun test, the lower-cased
words of a sentence (seeds and hand-made words)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from lagebild.extract.claims._claims import _lower_words
from lagebild.extract.claims._lexicon import claim_lexicon
from lagebild.extract.claims._phrases import _WORDS, _according_noun, _according_noun_direct


def test_according_noun_memo_hand_made() -> None:
    lex = claim_lexicon("de")
    cases = {"angaben": True, "polizeiangaben": True, "xyangaben": False, "xyzangaben": True, "tangaben": False,
             "haus": False, "": False}
    for w, want in cases.items():
        assert _according_noun_direct(w, lex) is want, w
        assert _according_noun(w, lex) is want, w
        assert _according_noun(w, lex) is want, w  # second time: from the memo


@pytest.mark.shared
def test_according_noun_memo_on_seeds(seeds: list[Path]) -> None:
    lex = claim_lexicon("de")
    words = {w.lower() for p in seeds for w in re.findall(r"\w+", p.read_text(encoding="utf-8"))}
    assert len(words) > 800
    found = set()
    for w in sorted(words):
        want = _according_noun_direct(w, lex)
        assert _according_noun(w, lex) == want, w
        if want:
            found.add(w)
    # cue nouns the seeds use ("Quellen", "Aussagen", "Berichten"); "Soldaten" ends in "daten" (a compound head)
    assert {"quellen", "aussagen", "berichten", "soldaten"} <= found
    assert "soldat" not in found and "quelle" not in found


def test_lower_case_keeps_word_characters_at_every_code_point() -> None:
    """What ``_lower_words`` rests on: a one-character lower case never turns a word character into a
    non-word one (or back), nor anything into or out of a word separator."""
    word = re.compile(r"\w")
    seps = set("-'’.,")
    bad = []
    for i in range(sys.maxunicode + 1):
        if 0xD800 <= i <= 0xDFFF:
            continue
        c = chr(i)
        lo = c.lower()
        if lo == c or len(lo) != 1:
            continue
        if bool(word.match(c)) != bool(word.match(lo)) or (c in seps) != (lo in seps):
            bad.append(hex(i))
    assert bad == []


@pytest.mark.parametrize("body", [
    "Nach Polizeiangaben kam es zu Ausschreitungen.",
    "İstanbul meldet: Die Lage sei ruhig.",  # İ lower-cases to two characters
    "ΟΔΟΣ:Α und ΟΔΟΣ, sagte er.",  # Σ: its lower case depends on what follows
    "Ärger über Öl-Preise, 3,5 Mio. Euro.",
])
def test_lower_words_is_findall_of_the_lower_text(body: str) -> None:
    low = body.lower()
    assert _lower_words(body, _WORDS.findall(body), low) == _WORDS.findall(low)


@pytest.mark.shared
def test_lower_words_on_seed_sentences(seeds: list[Path]) -> None:
    n = 0
    for p in seeds:
        for line in p.read_text(encoding="utf-8").splitlines():
            low = line.lower()
            assert _lower_words(line, _WORDS.findall(line), low) == _WORDS.findall(low)
            n += 1
    assert n > 50
