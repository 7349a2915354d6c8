"""Rule-based tokenizer and sentence splitter for news text (German, English).

One precompiled regular expression finds the tokens (URLs, e-mail addresses,
numbers with separators, hyphenated compounds, dotted abbreviations, single
punctuation marks); a single pass then decides for each word followed by a dot
whether the dot belongs to it (abbreviation, initial, ordinal number).  Sentence
boundaries are found on the tokens: after ``. ! ? …`` and any closing quotes or
brackets attached to them, when the next token does not start with a lower-case
letter.  A line break always ends a sentence (each line of the clean text is a
paragraph or a heading), and each line is tokenised on its own: no token, and no
decision about a dot, looks across a line break.  Offsets always point into the
text passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._lexicon import Lexicon, lexicon

__all__ = ["Token", "tokenize", "token_spans", "split_sentences"]


@dataclass(frozen=True, slots=True)
class Token:
    """A token: ``text == source[start:end]``."""

    start: int
    end: int
    text: str


_HYPHEN = "\\-\u2010\u2011"
# a number with thousands/decimal separators, or a word (letters/digits, inner apostrophe)
_CORE = r"\d+(?:[.,'’]\d+)+|\w+(?:['’]\w+)*"
_CLOSERS_PUNCT = r""".,;:!?)\]}"'“”’‘»«"""
#: a run of letters followed by white space, the end, or one of ``, ; ! ? ) ]`` and the double quotes:
#: every branch below reads it as exactly this word; tried first, so most words take one pass instead of
#: failing through the url, e-mail, abbreviation and domain branches
_PLAIN = r"[^\W\d_]+(?=[\s,;!?)\]\"“”„»«]|\Z)"
_TOKEN_RE = re.compile(
    rf"""
    (?P<plain>{_PLAIN})
  | (?P<url>(?:https?://|ftp://|www\.)\S*[^\s{re.escape(_CLOSERS_PUNCT)}])
  | (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
  | (?P<abbr>(?:[^\W\d_]{{1,2}}\.){{2,}})(?![^\W\d_])
  | (?P<domain>(?:[a-z0-9][a-z0-9-]*\.)+[a-z]{{2,6}})(?![\w@])
  | (?P<word>(?:{_CORE})(?:[{_HYPHEN}](?:{_CORE}))*(?:[{_HYPHEN}](?=[\s,/]))?)
  | (?P<multi>``|''|--+|[:;]-?[()])
  | (?P<ellipsis>\.{{2,}}|…)
  | (?P<punct>[^\w\s])
    """,
    re.VERBOSE,
)
_ABBR, _WORD = _TOKEN_RE.groupindex["abbr"], _TOKEN_RE.groupindex["word"]
_ROMAN_RE = re.compile(r"[IVXLC]{1,5}\Z")

#: tokens that end a sentence
_TERMINAL = frozenset({".", "!", "?", "…", "‼", "⁇", "⁈", "⁉"})
#: closing quotes/brackets that stay with the sentence they close
_CLOSING = frozenset({'"', "'", "''", "“", "”", "’", "‘", "»", "«", ")", "]", "}"})


def _ordinal(text: str, word: str, prev: str | None, after: int, end: int, lex: Lexicon) -> bool:
    """Is the dot after number ``word`` (dot at ``after - 1``) an ordinal dot?"""
    if not lex.ordinals:
        return False
    i = after
    while i < end and text[i] in " \t\u00a0":
        i += 1
    if i == after or i >= end or text[i] == "\n":
        return False  # "20.Das" or end of line: a sentence end, not an ordinal
    c = text[i]
    if c.islower() or c.isdigit():
        return True
    if prev is not None and prev.casefold() in lex.ordinal_before:
        return True
    m = _TOKEN_RE.match(text, i, end)
    if m is None:
        return False
    nxt = m.group()
    return nxt.casefold() in lex.ordinal_after or (nxt + ".").casefold() in lex.ordinal_after


def _next_is_digit(text: str, after: int, end: int) -> bool:
    i = after
    while i < end and text[i] in " \t\u00a0":
        i += 1
    return i < end and text[i].isdigit()


def _scan(text: str, start: int, end: int, lex: Lexicon) -> list[tuple[int, int, bool]]:
    """``(start, end, final)`` for each token; ``final``: an abbreviation that may end a sentence."""
    out: list[tuple[int, int, bool]] = []
    append = out.append
    prev_s = prev_e = -1  # the token before (sliced only when an ordinal needs it)
    abbrev = lex.abbrev
    last = start
    for m in _TOKEN_RE.finditer(text, start, end):
        s, e = m.span()
        if s < last:
            continue  # the dot already attached to the word before
        kind = m.lastindex
        final = False
        if kind == _WORD and e < end and text[e] == "." and not text.startswith("..", e):
            word = m.group()
            attach = False
            if word in abbrev:
                if word in lex.abbrev_num:
                    attach = _next_is_digit(text, e + 1, end)
                else:
                    attach, final = True, abbrev[word]
            elif len(word) == 1 and word.isalpha():
                attach = True  # initial, or one letter of "z. B.", "u. a."
            elif word.isdigit() or (word[0].isdigit() and word.replace(".", "").isdigit()):
                prev = text[prev_s:prev_e] if prev_s >= 0 else None
                attach = len(word) <= 5 and _ordinal(text, word, prev, e + 1, end, lex)
            elif _ROMAN_RE.match(word):
                nxt = e + 1
                attach = nxt < end and text[nxt] == " " and nxt + 1 < end and text[nxt + 1].islower()
            if attach:
                e += 1
        elif kind == _ABBR:
            final = abbrev.get(m.group()[:-1], False)
        append((s, e, final))
        prev_s, prev_e = s, e
        last = e
    return out


def _lines(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each non-empty line of ``text[start:stop]``."""
    out: list[tuple[int, int]] = []
    pos = start
    while pos < stop:
        nl = text.find("\n", pos, stop)
        line_end = stop if nl < 0 else nl
        if line_end > pos:
            out.append((pos, line_end))
        if nl < 0:
            break
        pos = nl + 1
    return out


#: ``(text, lexicon, tokens)`` of the last whole text :func:`split_sentences` split: the
#: ``nlp`` stage splits an article and the ``entities`` stage tokenises the same text right
#: after, so :func:`token_spans` of that text object takes these tokens instead of scanning it
#: again.  One entry, replaced whole (a reader sees an old or a new one, never half of one).
_LAST: list[tuple[str, Lexicon, list[tuple[int, int, bool]]]] = []


def token_spans(text: str, language: str | None, start: int = 0, end: int | None = None) -> list[tuple[int, int, bool]]:
    """The tokens of :func:`tokenize` as ``(start, end, final)`` tuples, without building
    :class:`Token` objects (``final``: an abbreviation that may end a sentence)."""
    lex = lexicon(language)
    stop = len(text) if end is None else end
    if start == 0 and stop == len(text) and _LAST:
        got = _LAST[0]
        if got[0] is text and got[1] is lex:
            return list(got[2])
    out: list[tuple[int, int, bool]] = []
    for a, b in _lines(text, start, stop):
        out += _scan(text, a, b, lex)
    return out


def tokenize(text: str, language: str | None, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of ``text[start:end]``, with offsets into ``text``.

    Each line is scanned on its own: no token, and no decision about a dot, looks across a line break.
    """
    return [Token(s, e, text[s:e]) for s, e, _ in token_spans(text, language, start, end)]


def _split_line(text: str, toks: list[tuple[int, int, bool]], out: list[tuple[int, int]]) -> None:
    n = len(toks)
    if not n:
        return
    sent_start = toks[0][0]
    i = 0
    while i < n:
        s, e, final = toks[i]
        tok = text[s:e]
        if tok in _TERMINAL or tok.startswith("..") or final:
            j = i + 1
            last = e
            # absorb further marks and closing quotes written right after it: ?! .“ .»
            while j < n and toks[j][0] == last:
                nxt = text[toks[j][0] : toks[j][1]]
                if not (nxt in _TERMINAL or nxt in _CLOSING or nxt.startswith("..")):
                    break
                last = toks[j][1]
                j += 1
            # a break needs white space and a next token not in lower case; after an
            # abbreviation that may end a sentence ("usw.") an upper-case letter
            if j < n and toks[j][0] > last:
                first = text[toks[j][0]]
                if not first.islower() and (not final or first.isupper()):
                    out.append((sent_start, last))
                    sent_start = toks[j][0]
            i = j
            continue
        i += 1
    out.append((sent_start, toks[-1][1]))


def split_sentences(text: str, language: str | None) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``; every line break ends one.

    Spans exclude surrounding white space; blank lines yield no sentence.
    """
    lex = lexicon(language)
    out: list[tuple[int, int]] = []
    tokens: list[tuple[int, int, bool]] = []
    for a, b in _lines(text, 0, len(text)):
        toks = _scan(text, a, b, lex)
        _split_line(text, toks, out)
        tokens += toks
    _LAST[:] = [(text, lex, tokens)]
    return out
