"""Text folding for search: diacritics removal and German transliteration.

The full-text index keeps each article twice: as written (SQLite's
``unicode61`` tokenizer removes diacritics itself) and *folded* with
:func:`fold_german` (``ä→ae``, ``ö→oe``, ``ü→ue``, ``ß→ss``, then diacritics
removed).  A query term is looked up in both forms, so ``Köln``, ``koln``
and ``koeln`` all find an article that writes "Köln", and ``Muenchen`` finds
"München".
"""

from __future__ import annotations

import unicodedata

__all__ = ["strip_diacritics", "fold_german", "fold_token"]

_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def strip_diacritics(text: str) -> str:
    """``text`` without combining marks (``é→e``, ``ö→o``); length may change."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def fold_german(text: str) -> str:
    """German transliteration (``ä→ae`` … ``ß→ss``), then diacritics removed."""
    return strip_diacritics(unicodedata.normalize("NFC", text).translate(_GERMAN))


def fold_token(token: str) -> tuple[str, str]:
    """The two lower-case search keys of one word: plain-folded and German-folded."""
    return strip_diacritics(token).casefold(), fold_german(token).casefold()
