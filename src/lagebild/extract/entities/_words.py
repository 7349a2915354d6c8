"""Words of a text (part B's tokens, hyphenated compounds merged) and local-entity ids."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Sequence

__all__ = ["Word", "words_of", "slug", "local_id"]

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(name: str) -> str:
    """A stable ASCII key of a name: case-folded, umlauts as ae/oe/ue, diacritics removed."""
    s = name.casefold().translate(_GERMAN)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def local_id(name: str) -> str:
    """The id of an entity the KB does not know: ``local:<slug>``."""
    return f"local:{slug(name)}"


@dataclass(slots=True)
class Word:
    start: int
    end: int
    text: str
    is_word: bool
    sent_start: bool = False


def words_of(text: str, tokens: Sequence[Any], sentences: Sequence[Sequence[int]]) -> list[Word]:
    """Tokens as words: hyphen-joined tokens merged, sentence starts marked."""
    spans: list[list[int]] = []
    for t in tokens:
        if spans and t.start == spans[-1][1] and (
            t.text == "-" or (text[spans[-1][1] - 1] == "-" and t.text[:1].isalnum())
        ):
            spans[-1][1] = t.end
        else:
            spans.append([t.start, t.end])
    starts = {s[0] for s in sentences}
    out: list[Word] = []
    fresh = True
    for s, e in spans:
        w = text[s:e]
        is_word = any(c.isalnum() for c in w)
        if not out or s in starts or "\n" in text[out[-1].end : s]:
            fresh = True
        if is_word:
            out.append(Word(s, e, w, True, fresh))
            fresh = False
        else:
            out.append(Word(s, e, w, False, False))
            if w in ".!?:":
                fresh = True
    return out
