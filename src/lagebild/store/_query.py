"""User search text → a safe FTS5 expression, and snippets with ``[ ]`` marks.

The query is user text, never FTS5 syntax: every word is quoted, so operators
(``AND``, ``OR``, ``NOT``, ``NEAR``), quotes, ``-`` or ``*`` in odd places can
not cause a syntax error.  What the user *can* write:

* plain words — all must occur (AND);
* a word ending in ``*`` — prefix search (``Pjöng*``);
* ``"two words"`` — a phrase (an unbalanced quote is ignored).

Each word is looked up as written and German-folded (see :mod:`._fold`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ._fold import fold_german, fold_token

__all__ = ["Term", "parse_query", "fts_expression", "make_snippet", "search_filters"]

#: Token characters: letters and digits (like SQLite's unicode61 tokenizer).
_WORD = re.compile(r"[^\W_]+")
_WORD_STAR = re.compile(r"([^\W_]+)(\*?)")
_PHRASE = re.compile(r'"([^"]*)"')
_SPACE = re.compile(r"\s+")

MAX_TERMS = 32


@dataclass(frozen=True, slots=True)
class Term:
    """One search term: a word (one token) or a phrase (several), maybe a prefix."""

    tokens: tuple[str, ...]
    prefix: bool = False


def parse_query(text: str) -> list[Term]:
    """The terms of a user query (at most :data:`MAX_TERMS`); ``[]`` if it has no words."""
    text = unicodedata.normalize("NFC", text or "")
    terms: list[Term] = []
    for m in _PHRASE.finditer(text):
        tokens = tuple(_WORD.findall(m.group(1)))
        if tokens:
            terms.append(Term(tokens))
    rest = _PHRASE.sub(" ", text)
    for m in _WORD_STAR.finditer(rest):
        terms.append(Term((m.group(1),), prefix=bool(m.group(2))))
    return terms[:MAX_TERMS]


def _quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def fts_expression(terms: list[Term]) -> str:
    """An FTS5 MATCH expression: every term, as written OR German-folded, ANDed."""
    parts: list[str] = []
    for term in terms:
        star = "*" if term.prefix else ""
        plain = " ".join(term.tokens)
        folded = " ".join(fold_german(t) for t in term.tokens)
        part = _quote(plain) + star
        if folded.casefold() != plain.casefold():
            part = f"({part} OR {_quote(folded) + star})"
        parts.append(part)
    return " AND ".join(parts)


class _Matcher:
    """Decides whether a token of the text matches one of the query's words."""

    def __init__(self, terms: list[Term]) -> None:
        self.keys: list[tuple[str, str, bool]] = []
        for term in terms:
            for i, tok in enumerate(term.tokens):
                plain, german = fold_token(tok)
                self.keys.append((plain, german, term.prefix and i == len(term.tokens) - 1))

    def __call__(self, token: str) -> bool:
        plain, german = fold_token(token)
        for kp, kg, prefix in self.keys:
            if prefix:
                if plain.startswith(kp) or german.startswith(kg):
                    return True
            elif plain == kp or german == kg:
                return True
        return False


def _mark(segment: str, match: _Matcher) -> str:
    out: list[str] = []
    pos = 0
    for m in _WORD.finditer(segment):
        if match(m.group()):
            out.append(segment[pos : m.start()])
            out.append(f"[{m.group()}]")
            pos = m.end()
    out.append(segment[pos:])
    return _SPACE.sub(" ", "".join(out)).strip()


def make_snippet(title: str | None, text: str, terms: list[Term], *, width: int = 200) -> str:
    """About ``width`` characters of ``text`` around the first match, matches in ``[ ]``.

    Falls back to the marked title when only the title matches.
    """
    match = _Matcher(terms)
    first = next((m for m in _WORD.finditer(text) if match(m.group())), None)
    if first is None:
        if title and any(match(w) for w in _WORD.findall(title)):
            return _mark(title, match)
        start, end = 0, min(len(text), width)
    else:
        start = max(0, first.start() - width // 3)
        end = min(len(text), max(start + width, first.end()))
    if start > 0:  # snap to word boundaries
        space = text.find(" ", start, first.start() if first else end)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", first.end() if first else start, end)
        end = space if space > 0 else end
    snippet = _mark(text[start:end], match)
    return ("… " if start > 0 else "") + snippet + (" …" if end < len(text) else "")


def search_filters(
    terms: "list[Term]",
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    outlet: str | None = None,
    language: str | None = None,
    entity: str | None = None,
) -> tuple[list[str], list[object]]:
    """The WHERE conditions and parameters of a search over ``articles AS a`` (joined to ``articles_fts``
    when there are ``terms``).  ``date_from``/``date_to`` keep articles that mention a date overlapping the
    range or were published in it; a bad date raises :class:`ValueError` (callers say which input)."""
    from ._span import bound_span

    where: list[str] = []
    params: list[object] = []
    if terms:
        where.append("articles_fts MATCH ?")
        params.append(fts_expression(terms))
    if date_from or date_to:
        lo = bound_span(date_from)[0] if date_from else "0000-01-01"
        hi = bound_span(date_to)[1] if date_to else "9999-12-31"
        where.append(
            "(EXISTS (SELECT 1 FROM times AS t WHERE t.article_id = a.id AND t.first_day <= ? AND t.last_day >= ?)"
            " OR substr(a.published_value, 1, 10) BETWEEN ? AND ?)"
        )
        params += [hi, lo, lo, hi]
    if outlet is not None:
        where.append("a.outlet = ?")
        params.append(outlet)
    if language is not None:
        where.append("a.language = ?")
        params.append(language)
    if entity is not None:
        where.append("EXISTS (SELECT 1 FROM mentions AS m WHERE m.article_id = a.id AND m.entity_id = ?)")
        params.append(entity)
    return where, params
