"""Words, clauses and the structural cues the event finder reads.

A sentence is split into :class:`Word` items carrying the case-folded form and
the simplemma lemma (:func:`lagebild.nlp.lemma`).  A clause is a
run of words between clause punctuation (``; : ( ) – —``; not quotes, which
often mark a phrase inside a clause) or a
comma followed by a clause opener from the lexicon (``dass``, a relative
pronoun, ``that`` …).  A comma before any other word (an apposition, a list)
does not end the clause: that keeps "Karl Berger, der Sekretär …, in
Paris" together, and puts enumerations in one clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...nlp import lemma as _lemma
from ._lexicon import Lexicon

__all__ = ["Word", "Clause", "words_of", "clauses_of", "is_participle", "has_phrase"]

#: characters that end a clause whatever follows
_HARD = frozenset(";:()[]–—")


@dataclass(slots=True)
class Word:
    """One token of a sentence."""

    start: int
    end: int
    text: str
    low: str  #: case-folded text
    lemma: str  #: simplemma lemma as returned (nouns keep their capital)
    key: str  #: case-folded lemma
    alpha: bool  #: has a letter


#: a word (hyphen and apostrophe compounds kept whole: "Korea-Kriegs", "didn't") or one other character
#: (possessive ``*+``: the same longest words, a faster scan)
_TOKEN = re.compile(r"\w+(?:[-‐‑'’]\w+)*+|[^\w\s]")
#: language -> token -> (case-folded form, lemma, case-folded lemma, has a letter): a memo of :func:`_form_direct`
_FORMS: dict[str, dict[str, tuple[str, str, str, bool]]] = {}
_FORMS_MAX = 300_000  #: tokens memoised per language


def _form_direct(s: str, language: str) -> tuple[str, str, str, bool]:
    alpha = s.isalpha() or any(c.isalpha() for c in s)
    lem = _lemma(s, language) if alpha else s
    return (s.casefold(), lem, lem.casefold(), alpha)


def _form(s: str, language: str) -> tuple[str, str, str, bool]:
    forms = _FORMS.get(language)
    if forms is None:
        forms = _FORMS.setdefault(language, {})
    got = forms.get(s)
    if got is None:
        got = _form_direct(s, language)
        if len(forms) < _FORMS_MAX:
            forms[s] = got
    return got


def words_of(text: str, start: int, end: int, language: str) -> list[Word]:
    """The words of ``text[start:end]`` (a light tokenizer: names are matched by overlap, so
    the exact token boundaries of :func:`lagebild.nlp.tokenize` are not needed).

    The tokens cover every character but white space, so each one starts at the first occurrence
    of its text after the one before it: ``findall`` and ``str.find`` give the offsets for less
    than match objects cost.
    """
    out: list[Word] = []
    forms = _FORMS.get(language) or {}
    find = text.find
    at = start
    for s in _TOKEN.findall(text, start, end):
        at = find(s, at)
        got = forms.get(s)
        if got is None:
            got = _form(s, language)
        out.append(Word(at, at + len(s), s, *got))
        at += len(s)
    return out


@dataclass(frozen=True, slots=True)
class Clause:
    """Words ``[lo, hi)`` of a sentence.

    ``embedded``: opened by a comma and a clause opener ("…, dass …", "…, der …");
    ``resumes``: index (in the sentence's clause list) of the clause that this
    one continues after an embedded clause ("Berger, der …, war … gereist").
    """

    lo: int
    hi: int
    embedded: bool = False
    resumes: int | None = None


def clauses_of(words: list[Word], lex: Lexicon) -> list[Clause]:
    """The clauses of one sentence, in order.

    Cuts at clause punctuation; at a comma before a clause opener (the next
    clause is embedded); at a comma after a speech verb ("sagte Kim, …"); and at
    a comma that ends an embedded clause before a lower-case word (the clause
    that follows resumes the one before the embedded clause).
    """
    openers, speech = lex.cue("clause_openers"), lex.cue("speech")
    out: list[Clause] = []
    n = len(words)
    i = 0
    embedded = False
    resumes: int | None = None
    base: int | None = None
    said = False
    for k, w in enumerate(words):
        if w.low in speech:
            said = True
        cut = None
        if w.text in _HARD or (w.text == "-" and 0 < k < n - 1):
            cut = "hard"
        elif w.text == "," and k + 1 < n:
            nxt = words[k + 1]
            if nxt.low in openers:
                cut = "open"
            elif said:
                cut = "speech"
            elif embedded and nxt.alpha and not nxt.text[:1].isupper():
                cut = "close"
        if cut is None:
            continue
        if k > i:
            out.append(Clause(i, k, embedded, resumes))
            if not embedded:
                base = len(out) - 1
        if cut == "open":
            embedded, resumes = True, None
        elif cut == "close":
            embedded, resumes = False, base
        else:
            embedded, resumes, base = False, None, None
        said = False
        i = k + 1
    if i < n:
        out.append(Clause(i, n, embedded, resumes))
    return out


def is_participle(w: Word, language: str) -> bool:
    """A past participle by shape (German ``ge…t``/``…iert``, verb lemma; English ``-ed``/``-en``)."""
    if not w.alpha or w.text[:1].isupper():
        return False
    low = w.low
    if language == "de":
        if low.endswith("iert"):
            return True
        key = w.key
        return (low.endswith("t") or low.endswith("en")) and key != low and key.endswith("n")
    return (low.endswith("ed") or low.endswith("en")) and w.key != low


def has_phrase(words: list[Word], i: int, j: int, phrases: tuple[tuple[str, ...], ...]) -> int | None:
    """Index of the first word in ``words[i:j]`` that starts one of ``phrases``."""
    for k in range(i, j):
        for p in phrases:
            if words[k].low == p[0] and k + len(p) <= j and all(
                words[k + m].low == p[m] for m in range(1, len(p))
            ):
                return k
    return None
