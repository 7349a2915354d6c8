"""Namesakes: someone else who bears a known person's surname.

A knowledge-base person's surname used alone ("Merkel", "Putin") is a short form of that person.  Right after
a given name that is not the person's own ("Harald Merkel", "Eric Trump") it is somebody else: the words are a
local person, and within the article the bare surname then goes to that local person ("Merkel lachte"), unless
the KB person is also named in full there (then the bare surname stays with the KB person, as before).

Given names come from the NER's list (``nlp/ner/data/first_names.txt``); the person's own given names are the
words before the last of each of their full names in the KB, compared loosely so that a transliteration
("Sergei" for "Sergej", "Wladimir" for "Vladimir") still counts as the person's own; the person's own given
names before the surname join the person's mention ("Ahmed Davutoglu", a spelling the KB does not list).
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from ...nlp.ner.features import first_names
from ._words import slug

__all__ = ["namesakes", "namesake_shorts"]

#: How alike (difflib's ratio, 0–1) a given name must be to one of the person's own to count as theirs.
SAME_GIVEN_NAME = 0.6
#: Given names at most, before the surname ("Anna Lena Merkel").
MAX_GIVEN = 2


def _loose(word: str) -> str:
    """A spelling key that ignores the usual transliteration differences (w/v, j/y/i endings)."""
    return slug(word).replace("w", "v").replace("j", "y")


def _own_given_names(ent: Any) -> set[str]:
    names: set[str] = set()
    for full in ent.all_names():
        parts = full.replace("-", " ").split()
        names.update(_loose(p) for p in parts[:-1])
    return names


def _is_own(word: str, own: set[str]) -> bool:
    key = _loose(word)
    return any(key == g or SequenceMatcher(None, key, g).ratio() >= SAME_GIVEN_NAME for g in own)


def _given_before(finder: Any, i: int) -> list[int]:
    """The given names (at most :data:`MAX_GIVEN`, not yet part of a mention) right before word ``i``, first
    one first."""
    W, given = finder.W, first_names()
    out: list[int] = []
    k = i
    for _ in range(MAX_GIVEN):
        p = finder._prev_word(k)
        if p is None or W[p].text not in given or p in finder.covered:
            break
        out.insert(0, p)
        k = p
    return out


def _own_names(finder: Any, ids: list[str]) -> set[str] | None:
    """The given names of KB people ``ids`` (``None`` unless all of them are people)."""
    own: set[str] = set()
    for x in ids:
        ent = finder.kb.entities.get(x)
        if ent is None or ent.type != "PER":
            return None
        own |= _own_given_names(ent)
    return own


def namesakes(finder: Any, mention: Any) -> dict[str, str]:
    """KB surnames used alone (form ``short``) right after a given name.  Another given name → a local person
    named by those words (``mention``: the finder's mention class); the person's own ("Ahmed Davutoglu",
    "Josef Alois Ratzinger", spellings the KB does not list) → the person's name, given names included.  Run
    after the short forms of people named in full: a word that is already part of a mention is no given name
    (a bare "Moon" that the article's "Moon Jae-in" made his).  Returns surname → the local namesake's full
    name, for :func:`namesake_shorts`."""
    W, text = finder.W, finder.text
    found: dict[str, str] = {}
    for m in list(finder.mentions):
        if m.form != "short" or m.first != m.last or not m.ids:
            continue
        before = _given_before(finder, m.first)
        own = _own_names(finder, m.ids) if before else None
        if not before or own is None:
            continue
        mine = [k for k in before if _is_own(W[k].text, own)]
        if mine and mine[-1] == before[-1]:
            first = before[-1]
            while first - 1 in mine:
                first -= 1
            finder.drop(m)
            finder._add(mention(first, m.last, W[first].start, m.end, "name", list(m.ids)))
            continue
        t, end = W[m.first].text, W[m.first].end
        if finder.german and t.endswith("s") and len(t) > 3 and not finder.kb.lookup(t):
            t, end = t[:-1], end - 1  # the genitive "Harald Merkels": the name without its "s"
        name = text[W[before[0]].start : end]
        finder.drop(m)
        finder._add(mention(before[0], m.first, W[before[0]].start, W[m.first].end, "name", [], "PER", name))
        found.setdefault(t, name)
    return found


def namesake_shorts(finder: Any, namesakes: dict[str, str]) -> None:
    """Bare KB surnames of a person not named in full here → the local namesake who is (``namesakes``:
    surname → the namesake's full name, from :func:`namesakes`).  Left alone after a person title
    ("Kanzlerin Merkel"), which speaks of the office holder."""
    if not namesakes:
        return
    W = finder.W
    full = {m.ids[0] for m in finder.mentions if m.form == "name" and len(m.ids) == 1}
    for m in finder.mentions:
        if m.form != "short" or m.first != m.last or not m.ids or any(x in full for x in m.ids):
            continue
        word = W[m.first].text
        local = namesakes.get(word)
        if local is None and finder.german and word.endswith("s"):
            local = namesakes.get(word[:-1])  # genitive "Merkels"
        if local is None or any(finder._type(x) != "PER" for x in m.ids):
            continue
        if finder._title_before(m.first):
            continue
        m.ids, m.local, m.type = [], local, "PER"
