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
    """Tokens as words: hyphen-joined tokens merged, sentence starts marked.

    ``tokens``: the linguistic layer's tokens (objects with ``start``/``end``) or
    ``(start, end, ...)`` tuples (:func:`lagebild.nlp.token_spans`).
    """
    if tokens and hasattr(tokens[0], "start"):
        tokens = [(t.start, t.end) for t in tokens]
    starts = {s[0] for s in sentences}
    out: list[Word] = []
    append = out.append
    find = text.find
    alnum = _ALNUM
    fresh = True
    prev_end = -1
    s = e = -1  # the span being built: tokens joined by a hyphen are one word

    for t in tokens:
        ts, te = t[0], t[1]
        if ts == e and ((te - ts == 1 and text[ts] == "-") or (text[ts - 1] == "-" and text[ts].isalnum())):
            e = te
            continue
        if e >= 0:
            # emit the finished span s..e (inlined below once more for the last one)
            w = text[s:e]
            if prev_end < 0 or s in starts or find("\n", prev_end, s) >= 0:
                fresh = True
            if w.isalnum() or alnum(w) is not None:  # isalnum: the common case, without the regex
                append(Word(s, e, w, True, fresh))
                fresh = False
            else:
                append(Word(s, e, w, False, False))
                if w in ".!?:":
                    fresh = True
            prev_end = e
        s, e = ts, te
    if e >= 0:
        w = text[s:e]
        if prev_end < 0 or s in starts or find("\n", prev_end, s) >= 0:
            fresh = True
        if w.isalnum() or alnum(w) is not None:
            append(Word(s, e, w, True, fresh))
        else:
            append(Word(s, e, w, False, False))
    return out
