"""Token features for the CRF named-entity model (fast; word-level parts cached per form).

A token's features are strings (``"w=berlin"``, ``"sh=Xx"``) that python-crfsuite
takes as binary features.  Word-level features (shape, affixes, capitalisation,
knowledge-base types) depend only on the word form and are cached per process;
context features (neighbours ±2, position) are added per sentence.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["word_features", "sentence_features", "shape"]

_KB: list[Any] = []


def _kb() -> Any:
    if not _KB:
        from ...kb import load_kb

        _KB.append(load_kb())
    return _KB[0]


@lru_cache(maxsize=200_000)
def shape(word: str) -> str:
    """Word shape with runs collapsed: "Berlin" → "Xx", "G20" → "Xd", "US-Armee" → "X-Xx"."""
    out: list[str] = []
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _kb_types(surface: str) -> list[str]:
    """KB features of one surface: entity type × match form, and adjective readings."""
    kb = _kb()
    out: set[str] = set()
    try:
        found = kb.lookup(surface)
    except Exception:  # noqa: BLE001 - a surface the KB cannot normalise has no reading
        found = []
    for m in found[:4]:
        ent = kb.entities.get(m.entity_id)
        typ = getattr(ent, "type", "MISC")
        out.add(f"kb={typ}")
        out.add(f"kb={typ}:{m.form}")
    if not found and len(surface) > 3 and surface.endswith("s"):
        for m in kb.lookup(surface[:-1])[:2]:
            ent = kb.entities.get(m.entity_id)
            out.add(f"kbs={getattr(ent, 'type', 'MISC')}")
    if len(surface) >= 4 and surface.isalpha() and kb.adjective(surface):
        out.add("kbadj")
    if "-" in surface:
        head = surface.split("-")[0]
        if head and kb.lookup(head):
            out.add("kbhead")
    return sorted(out)


def _dictionary(word: str) -> str:
    """Whether the lemmatiser's German dictionary knows the word, and its lemma when it does."""
    import simplemma  # a dependency of the linguistic layer

    try:
        if not simplemma.is_known(word, lang="de"):
            return "unk"
    except (ValueError, KeyError):
        return "unk"
    return f"lem={simplemma.lemmatize(word, lang='de').casefold()}"


@lru_cache(maxsize=200_000)
def word_features(word: str) -> tuple[str, ...]:
    """Features of one word form, independent of context (cached)."""
    low = word.casefold()
    f = [
        "b",
        f"w={low}",
        f"sh={shape(word)}",
        f"p2={low[:2]}",
        f"p3={low[:3]}",
        f"s2={low[-2:]}",
        f"s3={low[-3:]}",
        f"s4={low[-4:]}",
    ]
    if word[:1].isupper():
        f.append("cap")
    if word.isupper() and len(word) > 1:
        f.append("allcap")
    if any(c.isdigit() for c in word):
        f.append("digit")
    if "-" in word:
        f.append("hyph")
        f.append(f"hs={word.rsplit('-', 1)[-1].casefold()[-4:]}")
    if not any(c.isalnum() for c in word):
        f.append("punct")
    if len(word) <= 2:
        f.append("short")
    if word[:1].isupper() or word[:1].isdigit():
        f.extend(_kb_types(word))
    if word.isalpha() and len(word) > 1:
        f.append(_dictionary(word))
    return tuple(f)


@lru_cache(maxsize=200_000)
def _pair_types(pair: str) -> tuple[str, ...]:
    """KB types of a two-word surface (at most two readings; cached)."""
    kb = _kb()
    return tuple(getattr(kb.entities.get(m.entity_id), "type", "MISC") for m in kb.lookup(pair)[:2])


_PAD = {d: (f"{d}pad",) for d in (-2, -1, 1, 2)}


@lru_cache(maxsize=400_000)
def _context(word: str, d: int) -> tuple[str, ...]:
    """Features a word lends to the token ``d`` positions away (cached)."""
    low = word.casefold()
    if d in (-1, 1):
        return (f"{d}w={low}", f"{d}sh={shape(word)}", f"{d}s3={low[-3:]}")
    return (f"{d}w={low}",)


def sentence_features(tokens: list[str]) -> list[list[str]]:
    """Features of every token of one sentence (word features + neighbours ±2 + position)."""
    n = len(tokens)
    lows = [t.casefold() for t in tokens]
    out: list[list[str]] = []
    for i, tok in enumerate(tokens):
        f = list(word_features(tok))
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        if i == 0 or tokens[i - 1] in {'"', "„", "“", "(", ":", "«", "»"}:
            f.append("start")
        for d in (-2, -1, 1, 2):
            j = i + d
            f.extend(_context(tokens[j], d) if 0 <= j < n else _PAD[d])
        if i > 0:
            f.append(f"bg={lows[i - 1]}|{lows[i]}")
        if i + 1 < n and tokens[i][:1].isupper() and tokens[i + 1][:1].isupper():
            f.extend(f"kb2={t}" for t in _pair_types(f"{tokens[i]} {tokens[i + 1]}"))
        if i > 0 and tokens[i][:1].isupper() and tokens[i - 1][:1].isupper():
            f.extend(f"kb2p={t}" for t in _pair_types(f"{tokens[i - 1]} {tokens[i]}"))
        out.append(f)
    return out
