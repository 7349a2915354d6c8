"""Tokens, quotations and speaker noun phrases of the claims stage (no frames: see ``_frames``)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from collections.abc import Container

from ._lexicon import ClaimLexicon

__all__ = ["Tok", "tokens", "quote_spans", "np_forward", "np_backward", "MIN_QUOTE_WORDS"]

#: a word: word characters, with "-'’.," inside it joining them ("Ost-West", "3,5", "d'Estaing"); the
#: possessive ``*+`` finds the same (longest) words without keeping backtracking state: a faster scan
_WORDS = re.compile(r"\w+(?:[-'’.,]\w+)*+")
_OPEN_CLOSE = {"„": "“”\"", "«": "»", "»": "«", '"': '"“”', "“": "”“", "‚": "‘’", "‹": "›", "”": "”"}
_DELIMS = frozenset({",", ":", ";", "–", "—", "(", ")"})
_END_PUNCT = frozenset({".", "!", "?", "…", ";"})
_ADJ_ENDINGS = ("e", "en", "er", "es", "em", "ische", "ischen")
_QUOTE_CHARS = frozenset("„“”\"«»‚‘’‹›")
#: quotation characters and line breaks (one character class: the regex engine scans for its
#: members fast, which it cannot do for an alternation with a lookahead)
_QUOTE_SCAN = re.compile("[\n" + re.escape("".join(sorted(set(_OPEN_CLOSE) | set("“”»«‘’›")))) + "]")
#: a quote with at least this many words is direct speech (fewer: a title or a scare quote)
MIN_QUOTE_WORDS = 4


@dataclass(slots=True)
class Tok:  # not frozen: built for every token of every candidate sentence, and frozen init is slow
    start: int
    end: int
    text: str
    low: str


def tokens(text: str, start: int, end: int, words: list[str] | None = None) -> list[Tok]:
    """The tokens of ``text[start:end]`` in order: its words (``_WORDS``), and each other character
    but white space as a token of its own.

    ``words``: ``_WORDS.findall(text, start, end)`` when the caller has it (the claims gate does).
    Every word character lies in a word, so each word is the first occurrence of its text after the
    one before it, and the gaps between words hold only white space and one-character tokens:
    ``str.find`` and a look at the gaps give the tokens without a second regex scan.
    """
    if words is None:
        words = _WORDS.findall(text, start, end)
    out: list[Tok] = []
    find = text.find
    at = start
    for w in words:
        k = find(w, at)
        if k > at and not text[at:k].isspace():
            _gap_tokens(text, at, k, out)
        at = k + len(w)
        out.append(Tok(k, at, w, w.lower()))
    if at < end and not text[at:end].isspace():
        _gap_tokens(text, at, end, out)
    return out


def _gap_tokens(text: str, start: int, end: int, out: list[Tok]) -> None:
    """Append the one-character tokens of a gap between words (its characters but white space)."""
    for j in range(start, end):
        c = text[j]
        if not c.isspace():
            out.append(Tok(j, j + 1, c, c.lower()))


def quote_spans(text: str, min_words: int = MIN_QUOTE_WORDS) -> list[tuple[int, int]]:
    """Character spans ``[open, close+1)`` of quotations with at least ``min_words`` words.

    A quotation never crosses a paragraph (a blank line); unclosed ones are dropped.
    """
    out: list[tuple[int, int]] = []
    opener: str | None = None
    at = 0
    for m in _QUOTE_SCAN.finditer(text):
        ch, i = m.group(), m.start()
        if ch == "\n":  # a blank line closes nothing: the open quotation is dropped
            if text.startswith("\n", i + 1):
                opener = None
            continue
        if opener is None:
            if ch in _OPEN_CLOSE and ch != "”":
                opener, at = ch, i
        elif ch in _OPEN_CLOSE[opener]:
            if len(text[at + 1 : i].split()) >= min_words:
                out.append((at, i + 1))
            opener = None
    return out


def _cap(t: Tok) -> bool:
    return t.text[:1].isupper() or t.text[:1].isdigit()


def np_forward(toks: list[Tok], i: int, limit: int, lex: ClaimLexicon, first: int) -> int:
    """End index (exclusive) of a speaker phrase starting at ``i``; ``i`` when there is none."""
    w = lex.words
    dets, preps, advs, prons = w["determiners"], w["np_preps"], w["adverbs"], w["pronouns"]
    if i < limit and toks[i].low in prons and toks[i].low not in dets:
        nxt = toks[i + 1] if i + 1 < limit else None
        if nxt is None or not _cap(nxt) or nxt.low in advs:
            return i + 1
    j, noun, last_good = i, False, i
    while j < limit and j - i < 14:
        t = toks[j]
        if t.low in dets:
            j += 1
            continue
        if t.text in _OPEN_CLOSE and j + 1 < limit:  # a quoted name: «Bloomberg», „Der Spiegel“
            k = j + 1
            while k < min(limit, j + 7) and toks[k].text not in _QUOTE_CHARS:
                k += 1
            if k < limit and toks[k].text in _QUOTE_CHARS and k > j + 1:
                j = k + 1
                noun, last_good = True, j
                continue
            break
        if t.text[:1].isalpha() and _cap(t):
            if j == first and t.low in advs:
                break
            if j == first and (t.low in lex.verb_forms or t.low in lex.fused_forms):
                break
            noun, j = True, j + 1
            last_good = j
            continue
        if noun and t.low in preps and j + 1 < limit and (toks[j + 1].low in dets or _cap(toks[j + 1])):
            j += 1
            continue
        if noun and t.low in ("und", "sowie", "and") and j + 1 < limit and (
            toks[j + 1].low in dets or _cap(toks[j + 1])
        ):
            j += 1
            continue
        if lex.language != "de" and t.text.isalpha() and t.text.islower() and t.low not in advs and (
            t.low not in lex.verb_forms and t.low not in lex.speculation and t.low not in lex.hedges
        ):
            noun, j = True, j + 1  # English nouns are lower case
            last_good = j
            continue
        if t.low in ("nicht", "not") and j + 1 < limit and toks[j + 1].text.islower():
            j += 1
            continue
        if t.text.isalpha() and t.text.islower() and t.low not in advs and t.low not in lex.verb_forms and (
            lex.language != "de" or t.low.endswith(_ADJ_ENDINGS)
        ):
            # an adjective: only before a noun (or after a Saxon genitive "Frankreichs staatlicher …")
            k = j + 1
            while k < limit and toks[k].text.isalpha() and toks[k].text.islower() and toks[k].low not in advs and (
                lex.language != "de" or toks[k].low.endswith(_ADJ_ENDINGS)
            ):
                k += 1
            if k < limit and _cap(toks[k]) and toks[k].text[:1].isalpha() and (
                not noun or toks[j - 1].low.endswith("s") or toks[j - 1].low in dets
            ):
                j = k
                continue
        break
    return last_good if noun else i


def np_backward(toks: list[Tok], k: int, lo: int, lex: ClaimLexicon, same: Container[tuple[int, int]]) -> int:
    """Start index of a speaker phrase ending at token ``k`` (inclusive); ``k + 1`` if none."""
    dets, advs = lex.words["determiners"], lex.words["adverbs"]
    if k < lo or not (_cap(toks[k]) or toks[k].text in _QUOTE_CHARS or toks[k].low in dets):
        return k + 1
    j = k
    if toks[k].text in _QUOTE_CHARS:  # „Der Spiegel“ zufolge
        j -= 1
        while j > lo and toks[j].text not in _QUOTE_CHARS:
            j -= 1
    while j > lo:
        p = toks[j - 1]
        if p.low in dets:
            return j - 1
        if p.text.isalpha() and p.text.islower() and p.low not in advs and p.low not in lex.verb_forms:
            j -= 1
            continue
        if _cap(p) and ((p.start, toks[j].end) in same or j - 1 == lo):
            j -= 1
            continue
        break
    return j


def _according_noun(low: str, lex: ClaimLexicon) -> bool:
    """A cue noun of "nach …" ("Angaben"), also as the head of a compound ("Polizeiangaben").

    Memoised per (form, lexicon): it is asked for every long word of a sentence that holds "nach"."""
    return _according_noun_memo(low, lex)


@functools.lru_cache(maxsize=65536)
def _according_noun_memo(low: str, lex: ClaimLexicon) -> bool:
    return _according_noun_direct(low, lex)


def _according_noun_direct(low: str, lex: ClaimLexicon) -> bool:
    nouns = lex.frames.get("according_nouns", frozenset())
    if low in nouns:
        return True
    # most words end in no cue noun: one C test before the test per noun
    return low.endswith(lex.according_suffixes) and any(low.endswith(n) and len(low) > len(n) + 2 for n in nouns)


def _np_clauses(toks: list[Tok], a: int, b: int, lex: ClaimLexicon) -> int:
    """End of the speaker phrase when tokens ``[a, b)`` are noun phrases separated by commas
    ("X, der Y des Landes": ``b``), or one noun phrase followed by relative clauses ("X, der sich
    … entschlossen hatte": the end of X); 0 when they are not."""
    first = np_forward(toks, a, b, lex, 0)
    if first == a or (first < b and toks[first].text != ","):
        return 0
    k, relative = first + 1, False
    relatives = lex.words.get("relatives", frozenset())
    while k < b:
        # "der sich …" opens a relative clause; "der Minister …" an apposition
        if toks[k].low in relatives and (k + 1 >= b or relative or not _cap(toks[k + 1])):
            relative = True  # a relative clause: runs to the next comma
            while k < b and toks[k].text != ",":
                k += 1
            k += 1
            continue
        e = np_forward(toks, k, b, lex, 0)
        if e == k or relative or (e < b and toks[e].text != ","):
            return 0
        k = e + 1
    if k < b or b <= a:
        return 0
    return first if relative else b
