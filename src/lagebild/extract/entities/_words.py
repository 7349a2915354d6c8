"""Words of a text (part B's tokens, hyphenated compounds merged) and local-entity ids."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Sequence

__all__ = ["Word", "words_of", "slug", "local_id"]

#: Finds a character for which ``str.isalnum`` holds (``\\w`` is exactly that plus "_").
_ALNUM = re.compile(r"[^\W_]").search
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
    last: list[int] | None = None
    for t in tokens:
        if last is not None and t.start == last[1] and (
            t.text == "-" or (text[last[1] - 1] == "-" and t.text[:1].isalnum())
        ):
            last[1] = t.end
        else:
            last = [t.start, t.end]
            spans.append(last)
    starts = {s[0] for s in sentences}
    out: list[Word] = []
    append = out.append
    find = text.find
    fresh = True
    prev_end = -1
    for s, e in spans:
        w = text[s:e]
        is_word = _ALNUM(w) is not None
        if prev_end < 0 or s in starts or find("\n", prev_end, s) >= 0:
            fresh = True
        if is_word:
            append(Word(s, e, w, True, fresh))
            fresh = False
        else:
            append(Word(s, e, w, False, False))
            if w in ".!?:":
                fresh = True
        prev_end = e
    return out
