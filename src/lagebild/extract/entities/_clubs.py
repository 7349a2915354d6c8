"""Sports clubs named after their town ("1. FC Köln", "Sturm Graz", "Werder Bremen").

The knowledge-base pass finds the town; a club word of the cue file (``[org] club_words``) right
before it makes the whole a local organisation instead, as GermEval annotates it.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["club_mention"]

#: An ordinal written as one token ("1."), as before a club's name ("1. FC Köln").
_ORDINAL = re.compile(r"\d{1,2}\.")


def club_mention(f: Any, i: int, j: int, ids: list[str], mention: Any) -> int | None:
    """A place named by words ``i..j`` of finder ``f`` right after a club word of the cue file ("FC",
    "Rapid", "Werder") is part of a sports club's name: a local organisation (``mention``: the
    finder's mention class) from the club word, with an ordinal before it ("1. FC Köln"), to the
    place, with its city after a state or region ("FC Bayern München") and a year before or a year or
    number after it ("TSV 1860 München", "Mainz 05"); a KB mention of the club word goes
    ("Preußen Münster").  The model's span replaces it only when it is a longer organisation
    (:func:`._ner._yields`).  Returns the index of the word after it, or None."""
    clubs = f.cues.club_words
    if not clubs or not ids or not all(f._type(x) in ("GPE", "LOC") for x in ids):
        return None
    W, text = f.W, f.text
    p = i - 1
    if p >= 1 and W[p].text.isdigit() and len(W[p].text) == 4 and text[W[p].end : W[i].start] == " ":
        p -= 1  # the founding year between: "TSV 1860 München"
    if p < 0 or W[p].text not in clubs or text[W[p].end : W[p + 1].start] != " ":
        return None
    first = p
    if p >= 1 and text[W[p - 1].end : W[p].start] == " " and _ORDINAL.fullmatch(text[W[p - 1].start : W[p - 1].end]):
        first = p - 1  # "1." as one token
    elif p >= 2 and text[W[p - 1].end : W[p].start] == " " and W[p - 1].text == "." and W[p - 2].text.isdigit() \
            and W[p - 2].end == W[p - 1].start and len(W[p - 2].text) <= 2:
        first = p - 2  # "1" "."
    last = j
    nx = f._next_word(j)
    if nx is not None and text[W[j].end : W[nx].start] == " " and not any(x.startswith("city:") for x in ids) \
            and _city(f, W[nx].text):
        last = nx  # a state or region, then its city: "FC Bayern München", "SV Austria Salzburg"
        nx = f._next_word(nx)
    if nx is not None and text[W[last].end : W[nx].start] == " " and W[nx].text.isdigit() and len(W[nx].text) in (2, 4):
        last = nx
    for k in range(first, last + 1):
        m = f.covered.get(k)
        if m is not None:
            if m.first < first or m.last > last:
                return None  # a longer KB name around it: not a club's name here
            f.drop(m)
    start, end = W[first].start, W[last].end
    club = mention(first, last, start, end, "name", [], "ORG", text[start:end])
    club.extra["club"] = True  # no guess: the model's spans do not replace it (:func:`._ner._guess`)
    f._add(club)
    return last + 1


def _city(f: Any, word: str) -> bool:
    """Whether ``word`` is the name of a city in the KB."""
    return word[:1].isupper() and any(m.form == "name" and m.entity_id.startswith("city:") for m in f.lookup(word))
