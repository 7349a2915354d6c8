"""Faster scans for a pattern that matches at the start of a word.

A cue pattern like ``\\bvor\\s+…\\s+Jahren\\b`` opens with a word boundary before a
letter: ``re`` tries it at every character of the text (ignoring case it finds no
first character to scan for).  The same pattern opening with the non-word
character before the letter instead (``\\Wvor\\s+…``) lets ``re`` scan fast for a
character class; where it matches, the boundary holds one character on, and
the pattern itself is matched there.  :func:`find_all` gives exactly what
``finditer`` gives.
"""

from __future__ import annotations

import re
from re import _constants as _sre_c, _parser as _sre_parse  # to read how a cue pattern opens
from typing import Iterator

__all__ = ["find_all"]

_AFTER: dict[re.Pattern[str], re.Pattern[str] | None] = {}


def _after(pat: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pat`` with its opening ``\\b`` replaced by ``\\W``, when a letter follows the ``\\b``.

    Only an ASCII letter: whatever matches it (ignoring case too: "K", "ſ",
    "İ") is a letter, so the boundary before it means a non-word character (or
    the text's start) before it.  None for any other pattern.
    """
    if pat not in _AFTER:
        after = None
        if pat.pattern.startswith("\\b"):
            try:
                items = list(_sre_parse.parse(pat.pattern, pat.flags))
            except (re.error, TypeError, ValueError):
                items = []
            if (len(items) >= 2 and items[0] == (_sre_c.AT, _sre_c.AT_BOUNDARY) and items[1][0] is _sre_c.LITERAL
                    and chr(items[1][1]).isascii() and chr(items[1][1]).isalpha()):
                after = re.compile("\\W" + pat.pattern[2:], pat.flags)
        if len(_AFTER) > 256:
            _AFTER.clear()
        _AFTER[pat] = after
    return _AFTER[pat]


def find_all(pat: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pat.finditer(text)``, found faster where ``pat`` opens with ``\\b`` and a letter.

    Each match is ``pat``'s own, made where the search with the rewritten
    pattern says it starts (its first character is a letter, so it is never
    empty and the next one is looked for from its end, as ``finditer`` does).
    """
    after = _after(pat)
    if after is None:
        yield from pat.finditer(text)
        return
    m = pat.match(text)  # at the text's start no character stands before the word
    pos = 0
    while True:
        while m is None:
            a = after.search(text, pos - 1 if pos else 0)
            if a is None:
                return
            pos = a.start() + 1
            m = pat.match(text, pos)
            if m is None:  # (never: where the rewritten pattern matches, the pattern does)
                pos += 1
        yield m
        pos, m = m.end(), None
