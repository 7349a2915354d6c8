"""Text helpers of the publication-date clue reader, made fast.

The clue reader (:mod:`._pubdate_clues`) splits every article into sentences,
takes the event words of many of them and scans the text for relative-year
phrases.  This module does the same work with less of it:

* :func:`sentence_spans` tests the few characters before a period directly
  instead of running a regular expression on a slice;
* :func:`event_words` caches each word form's stem per lexicon, so a word is
  case-folded and checked against the stop lists once, not once per sentence;
* :class:`SentenceWords` remembers the event words of each sentence of one text;
* :func:`relative_year_matches` scans the text once with a prefix tree of all
  relative-year phrases and tries each per-offset pattern only where it matches;
* :func:`may_match` rules out a family of cue patterns (anniversaries) in one
  scan for words every match of them must hold ("Jahrestag", "Jubiläum");
* both first look at the case-folded text (:class:`Folded`, fast substring and
  case-sensitive scans), where that is exact: texts whose cased letters are all
  below U+0100;
* :func:`text_memo`, :func:`period`, :func:`precision` remember pure results
  per time-expression text or value.

Every helper gives exactly what the direct computation gives; ``FAST = False``
switches the direct computation back on (the tests compare both).
"""

from __future__ import annotations

import re
from re import _constants as _sre_c, _parser as _sre_parse  # to read which literals a cue pattern needs
from typing import Any, Iterator

from ...errors import ConfigError
from ...periods import period as _period, precision as _precision
from ._pubdate_lexicon import PubLexicon, _phrases, _read
from ._wordstart import find_all

__all__ = ["FAST", "WORD", "STEM", "sentence_spans", "event_words", "SentenceWords", "Folded", "relative_year_matches",
           "cue_matches", "may_match", "text_memo", "period", "precision"]

#: ``False``: every helper takes the direct (slow) path — for tests comparing both.
FAST = True

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
#: event words are cut to this many letters
STEM = 7
# sentence ends: . ! ? before space/end, or a line break; see sentence_spans for the exceptions
_SENT_END = re.compile(r"[.!?]+[\"“”»«'’]?(?=\s|$)|\n")
# a period after a one- or two-digit number ("27. Juli", "70. Jahrestag") or a single letter ("v. r.")
_NO_END = re.compile(r"(?:^|\W)(?:\d{1,2}|\w)$")
# the same matches as _SENT_END, written to start with a character set, which ``re`` scans for fast
_SENT_END_FAST = re.compile(r"[.!?\n](?:(?<=\n)|[.!?]*[\"“”»«'’]?(?=\s|$))")


# -- sentences ---------------------------------------------------------------------------------


def _spans_direct(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        if m.group() != "\n" and m.group()[0] == "." and _NO_END.search(text[max(pos, m.start() - 3) : m.start()]):
            continue
        if text[pos : m.end()].strip():
            out.append((pos, m.end()))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, len(text)))
    return out


def _is_word(c: str) -> bool:
    # what ``\w`` matches in a str pattern (checked against ``re`` for every code point)
    return c.isalnum() or c == "_"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence (lines split too); blank ones left out.

    A period right after a one- or two-digit number or a single letter (within
    the sentence) ends nothing: "27. Juli", "v. r.".
    """
    if not FAST:
        return _spans_direct(text)
    out: list[tuple[int, int]] = []
    append = out.append
    pos = 0
    for m in _SENT_END_FAST.finditer(text):
        a, b = m.span()
        if text[a] == ".":
            # _NO_END on text[max(pos, a - 3):a]: the last character is a word character with no word
            # character (or the window's start) before it, or the last two are digits with none before them
            n = a - pos if a - pos < 3 else 3
            if n:
                c1 = text[a - 1]
                if c1.isalnum() or c1 == "_":
                    if n == 1 or not _is_word(text[a - 2]):
                        continue
                    if c1.isdecimal() and text[a - 2].isdecimal() and (n == 2 or not _is_word(text[a - 3])):
                        continue
        if not text[pos:b].isspace():
            append((pos, b))
        pos = b
    if text[pos:].strip():
        append((pos, len(text)))
    return out


# -- event words -------------------------------------------------------------------------------


def _words_direct(text: str, lex: PubLexicon) -> frozenset[str]:
    out = set()
    for m in WORD.finditer(text):
        w = m.group().casefold()
        if len(w) < 4 or w in lex.stopwords or w in lex.months or w in lex.weekdays:
            continue
        out.add(w.replace("-", "")[:STEM])
    return frozenset(out)


class _LexCache:
    """Per lexicon: each word form's stem, "" for a word that is no event word."""

    __slots__ = ("lex", "skip", "stems", "rel_year", "memos")
    _LIMIT = 200_000

    def __init__(self, lex: PubLexicon) -> None:
        self.lex = lex  # kept alive: the cache is keyed by its id
        self.skip = frozenset(lex.stopwords) | frozenset(lex.months) | frozenset(lex.weekdays)
        self.stems: dict[str, str] = {}
        self.rel_year: Any = _UNSET
        self.memos: dict[str, dict[str, Any]] = {}

    def stem(self, form: str) -> str:
        w = form.casefold()
        if len(w) < 4 or w in self.skip:
            return ""
        return w.replace("-", "")[:STEM]


_UNSET = object()
_NO_WORD = frozenset({""})
_CACHES: dict[int, _LexCache] = {}


def _cache(lex: PubLexicon) -> _LexCache:
    c = _CACHES.get(id(lex))
    if c is None or c.lex is not lex:
        if len(_CACHES) > 64:
            _CACHES.clear()
        c = _CACHES[id(lex)] = _LexCache(lex)
    return c


def event_words(text: str, lex: PubLexicon) -> frozenset[str]:
    """What a sentence is about: stems of its content words (function and time words left out)."""
    if not FAST:
        return _words_direct(text, lex)
    return _stems_of(WORD.findall(text), _cache(lex))


def _stems_of(forms: list[str], c: _LexCache) -> frozenset[str]:
    stems = c.stems
    got = frozenset(map(stems.get, forms))
    if None in got:
        if len(stems) > c._LIMIT:
            stems.clear()
        for f in forms:
            if f not in stems:
                stems[f] = c.stem(f)
        got = frozenset(map(stems.get, forms))
    return got - _NO_WORD if "" in got else got


def text_memo(lex: PubLexicon, name: str) -> dict[str, Any]:
    """A dict for remembering what the pure function ``name`` gave for a text (with ``lex``)."""
    if not FAST:
        return {}
    memos = _cache(lex).memos
    m = memos.get(name)
    if m is None or len(m) > 50_000:
        m = memos[name] = {}
    return m


_PERIODS: dict[tuple[str, str | None], Any] = {}
_PRECISIONS: dict[str, str | None] = {}


def period(value: Any, mod: Any = None) -> Any:
    """:func:`lagebild.periods.period`, remembered per value."""
    if not FAST or not isinstance(value, str) or not (mod is None or isinstance(mod, str)):
        return _period(value, mod)
    key = (value, mod)
    got = _PERIODS.get(key, _UNSET)
    if got is _UNSET:
        if len(_PERIODS) > 50_000:
            _PERIODS.clear()
        got = _PERIODS[key] = _period(value, mod)
    return got


def precision(value: Any) -> str | None:
    """:func:`lagebild.periods.precision`, remembered per value."""
    if not FAST or not isinstance(value, str):
        return _precision(value)
    got = _PRECISIONS.get(value, _UNSET)
    if got is _UNSET:
        if len(_PRECISIONS) > 50_000:
            _PRECISIONS.clear()
        got = _PRECISIONS[value] = _precision(value)
    return got  # type: ignore[return-value]


class SentenceWords:
    """The event words of the sentences of one text, each computed once when first asked for."""

    __slots__ = ("text", "spans", "lex", "_memo")

    def __init__(self, text: str, spans: list[tuple[int, int]], lex: PubLexicon) -> None:
        self.text, self.spans, self.lex = text, spans, lex
        self._memo: dict[int, frozenset[str]] = {}

    def __getitem__(self, i: int) -> frozenset[str]:
        """Event words of sentence ``i`` (of the whole text when there are no sentences)."""
        if not FAST:
            s, e = self.spans[i] if self.spans else (0, len(self.text))
            return event_words(self.text[s:e], self.lex)
        got = self._memo.get(i)
        if got is None:
            s, e = self.spans[i] if self.spans else (0, len(self.text))
            # (the word pattern has no look-arounds: searching inside [s, e) equals searching the slice)
            got = self._memo[i] = _stems_of(WORD.findall(self.text, s, e), _cache(self.lex))
        return got

    def all(self) -> list[frozenset[str]]:
        """Event words of every sentence, in order."""
        if not FAST:
            return [self[i] for i in range(len(self.spans))]
        c, memo, text, findall = _cache(self.lex), self._memo, self.text, WORD.findall
        out = []
        for i, (s, e) in enumerate(self.spans):
            got = memo.get(i)
            if got is None:
                got = memo[i] = _stems_of(findall(text, s, e), c)
            out.append(got)
        return out


# -- quick tests on the case-folded text -------------------------------------------------------


def _safe(s: str) -> bool:
    """Literal ``s`` matches (ignoring case) only where its case folding is in the folded text,
    as long as the text is :attr:`Folded.plain` (its letters all below U+0100: no Kelvin sign,
    long s or dotless i, whose case rules differ between ``re`` and ``str.casefold``)."""
    return all(c < "\u0100" or (c.lower() == c and c.upper() == c) for c in s)


_ABOVE_LATIN1 = re.compile(r"[^\x00-\xff]")


class Folded:
    """A text and its case folding, for checking which literal words it can hold."""

    __slots__ = ("text", "folded", "_plain")

    def __init__(self, text: str, folded: str) -> None:
        self.text, self.folded = text, folded
        self._plain: bool | None = None

    @property
    def plain(self) -> bool:
        """Every cased character of the text is below U+0100."""
        if self._plain is None:
            self._plain = all(c.lower() == c and c.upper() == c for c in set(_ABOVE_LATIN1.findall(self.text)))
        return self._plain

    def may_hold(self, groups: list[tuple[str, ...]] | None) -> bool:
        """False only when the text holds (ignoring case) all the words of none of ``groups``."""
        if groups is None or not FAST:
            return True
        f = self.folded
        held = {w for w in {w for g in groups for w in g} if w in f}
        return any(held.issuperset(g) for g in groups) or not self.plain


def _fold_groups(groups: list[tuple[str, ...]]) -> list[tuple[str, ...]] | None:
    """``groups`` case-folded for :meth:`Folded.may_hold`; a one-word group whose word holds another
    one-word group's word is left out (where it is held, so is the other: the answer is the same)."""
    if not groups or not all(_safe(w) for g in groups for w in g):
        return None
    folded = list(dict.fromkeys(tuple(w.casefold() for w in g) for g in groups))
    singles = {g[0] for g in folded if len(g) == 1}
    return [g for g in folded if len(g) != 1 or not any(o != g[0] and o in g[0] for o in singles)]


# -- relative-year phrases ---------------------------------------------------------------------


def _tree(phrases: list[list[str]]) -> str:
    """A regular expression matching exactly the given token sequences, as a prefix tree."""
    heads: dict[str, list[list[str]]] = {}
    done = False
    for p in phrases:
        if p:
            heads.setdefault(p[0], []).append(p[1:])
        else:
            done = True
    if not heads:
        return ""
    body = "(?:" + "|".join(k + _tree(rest) for k, rest in sorted(heads.items())) + ")"
    return body + "?" if done else body


#: the detector, the gate for the case-folded text, and the detector after the non-word character before a phrase
_Detector = tuple[re.Pattern[str], re.Pattern[str] | None, re.Pattern[str]]


def _rel_year_detector(lex: PubLexicon) -> _Detector | None:
    """One pattern matching wherever any of ``lex.relative_year`` matches, or None when unsure;
    with a pattern the case-folded text must match for any of them to match the text (None: no such),
    and the detector written to match the non-word character before the phrase first (see :func:`_next_at`).

    The lexicon builds each relative-year pattern from a list of phrases; the
    detector is built from the same phrases, and only when rebuilding the
    lexicon's patterns from them gives exactly ``lex.relative_year``.
    """
    expected: list[tuple[str, int, int]] = []
    phrases: list[list[str]] = []
    folded: list[list[str]] = []
    for lang in lex.languages:
        for off, words in (_read(lang).get("relative_year") or {}).items():
            expected.append((r"(?<!\w)" + _phrases(words) + r"(?!\w)", re.IGNORECASE | re.UNICODE, int(off)))
            for w in words:
                if w.strip():
                    phrases.append(_chars(" ".join(w.split())))
                    folded.append(_chars(" ".join(w.casefold().split())) if _safe(w) else [])
    if [(p.pattern, p.flags, o) for p, o in lex.relative_year] != expected or not phrases:
        return None
    # the gate for the case-folded text: the same phrases folded, without the word-boundary tests
    gate = re.compile(_tree(folded)) if all(folded) else None
    tree = _tree(phrases)
    return (re.compile(r"(?<!\w)" + tree + r"(?!\w)", re.IGNORECASE), gate,
            re.compile(r"\W" + tree + r"(?!\w)", re.IGNORECASE))


def _next_at(det: _Detector, text: str, pos: int) -> int | None:
    """Where ``det[0].search(text, pos)`` matches first (None: nowhere).

    The detector opens with a look-behind (no word character before), which
    ``re`` tries at every position; ``det[2]`` consumes that non-word character
    instead, and ``re`` scans fast for a character class (each call is a fresh
    search: the character it consumes may belong to a phrase found before).
    """
    if pos == 0 and det[0].match(text) is not None:
        return 0
    m = det[2].search(text, pos - 1 if pos else 0)
    return m.start() + 1 if m is not None else None


def _chars(phrase: str) -> list[str]:
    """A phrase as regular-expression tokens: each character, a space as any whitespace."""
    return [r"\s+" if ch == " " else re.escape(ch) for ch in phrase]


def _detector(lex: PubLexicon) -> _Detector | None:
    c = _cache(lex)
    if c.rel_year is _UNSET:
        try:
            c.rel_year = _rel_year_detector(lex)
        except (ConfigError, OSError, ValueError, TypeError, AttributeError):  # not built from cue files
            c.rel_year = None
    return c.rel_year


def relative_year_matches(text: str, lex: PubLexicon, folded: Folded | None = None) -> list[tuple[re.Match[str], int]]:
    """What ``pat.finditer(text)`` finds for each ``(pat, offset)`` of ``lex.relative_year``, in that order.

    With a detector the text is scanned once: each pattern is tried only where
    the detector matches, and a pattern can match nowhere else.  As in
    ``finditer``, a pattern's next match starts at or after the end of its last one.
    Before that, ``folded`` tells whether the text can hold a phrase at all.
    """
    found_det = _detector(lex) if FAST else None
    if found_det is None:
        return [(m, off) for pat, off in lex.relative_year for m in pat.finditer(text)]
    gate = found_det[1]
    if folded is not None and gate is not None and gate.search(folded.folded) is None and folded.plain:
        return []
    found: list[list[re.Match[str]]] = [[] for _ in lex.relative_year]
    free = [0] * len(found)  # where each pattern's next match may start
    at = _next_at(found_det, text, 0)
    while at is not None:
        for k, (pat, _) in enumerate(lex.relative_year):
            if at >= free[k]:
                m = pat.match(text, at)
                if m is not None:
                    found[k].append(m)
                    free[k] = m.end() if m.end() > at else at + 1
        at = _next_at(found_det, text, at + 1)
    return [(m, off) for (_, off), ms in zip(lex.relative_year, found) for m in ms]


# -- words a pattern needs ---------------------------------------------------------------------


def _needed(pat: re.Pattern[str]) -> set[str] | None:
    """Strings one of which every match of ``pat`` holds (matched with ``pat``'s flags), or None.

    Read from the top level of the parsed pattern: a run of literal characters,
    or an alternation of literal strings; the choice with the longest shortest string.
    """
    try:
        tree = _sre_parse.parse(pat.pattern, pat.flags)
    except (re.error, TypeError, ValueError):
        return None
    best: set[str] | None = None

    def consider(strings: set[str]) -> None:
        nonlocal best
        if min(map(len, strings)) > (min(map(len, best)) if best else 0):
            best = strings

    run: list[str] = []
    for op, av in list(tree) + [(None, None)]:
        if op is _sre_c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            consider({"".join(run)})
            run = []
        if op is _sre_c.BRANCH:
            alts: set[str] = set()
            for alt in av[1]:
                items = list(alt)
                if not all(o is _sre_c.LITERAL for o, _ in items):
                    break
                alts.add("".join(chr(a) for _, a in items))
            else:
                if alts:
                    consider(alts)
    return best


_Gate = tuple[re.Pattern[str], list[tuple[str, ...]] | None]
_GATES: dict[tuple[re.Pattern[str], ...], _Gate | None] = {}


def _gate(pats: tuple[re.Pattern[str], ...]) -> _Gate | None:
    if pats not in _GATES:
        strings: list[list[str]] = []
        words: list[tuple[str, ...]] = []
        flags = {p.flags for p in pats}
        for p in pats:
            need = _needed(p)
            if need is None or len(flags) != 1:
                strings = []
                break
            strings.extend([re.escape(ch) for ch in w] for w in need)
            words.extend((w,) for w in need)
        if len(_GATES) > 64:
            _GATES.clear()
        ignore_case = bool(flags and next(iter(flags)) & re.IGNORECASE)
        _GATES[pats] = (re.compile(_tree(strings), flags.pop()), _fold_groups(words) if ignore_case else None) \
            if strings else None
    return _GATES[pats]


def cue_matches(pat: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pat.finditer(text)``, faster for a cue pattern opening at a word start (:func:`._wordstart.find_all`)."""
    return find_all(pat, text) if FAST else pat.finditer(text)


def may_match(text: str, pats: tuple[re.Pattern[str], ...], folded: Folded | None = None) -> bool:
    """False only when none of ``pats`` can match anywhere in ``text``.

    ``folded`` (of ``text``) first, when the patterns ignore case: is a needed word in it at all?
    """
    if not FAST or not pats:
        return True
    gate = _gate(pats)
    if gate is None:
        return True
    if folded is not None and not folded.may_hold(gate[1]):
        return False
    return gate[0].search(text) is not None
