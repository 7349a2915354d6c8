"""Light clause-tense heuristics (no tagger, no lemmatiser).

A clause is the stretch between sentence ends and clause punctuation
(``, ; : –`` and quotes) around an expression.  Cues, from the lexicon's
``[tense]`` table, checked in this order:

1. past: a past auxiliary (``hatte``, ``war``, ``wurde`` / ``was``, ``had``), a
   perfect infinitive (``geliefert haben``), a perfect auxiliary (``hat``,
   ``ist`` / ``has``) with a participle, a listed strong past form (``nahm``,
   ``traf`` / ``met``, ``said``) or a weak past by shape (German lower-case
   ``-te``/``-ten`` not after a determiner; English ``-ed``);
2. future: a future auxiliary with an infinitive and no participle
   (``wird … reisen``; ``wird verdächtigt`` is a present passive) or a modal of
   intention (``soll``, ``will``, ``plant`` / ``will``, ``going to``);
3. present otherwise, when the clause has at least three words; None for
   fragments (headings, datelines).

When the expression's own clause has no cue, the whole sentence is used.
"""

from __future__ import annotations

import bisect
import re
from typing import Literal

from ._lexicon import Lexicon

__all__ = ["TenseDetector"]

Tense = Literal["past", "present", "future"]

_WORD = re.compile(r"[^\W\d_]+(?:'[a-z]+)?", re.UNICODE)
# sentence ends: . ! ? followed by space/newline (not after a number, "27. Juli", or a single
# letter, "z. B." — checked in code), a blank line, or a line break before a capital or bullet
# (written to start with a character set, which ``re`` scans for fast; the same matches as
# r"[.!?]+(?=\s|$)|\n\s*\n|\n(?=[A-ZÄÖÜ\-•*])", whose alternatives begin with different characters)
_SENT_END = re.compile(r"[.!?\n](?:(?<=[.!?])[.!?]*(?=\s|$)|(?<=\n)(?:\s*\n|(?=[A-ZÄÖÜ\-•*])))")
# clause punctuation, or a dash between spaces: the same matches as r"[,;:–—()\"„“”«»]|\s-\s", written to
# start with a character set (no punctuation mark listed is whitespace)
_CLAUSE_END = re.compile(r"[,;:–—()\"„“”«»\s](?:(?<=[,;:–—()\"„“”«»])|-\s)")


class TenseDetector:
    """Clause tense for one language's lexicon."""

    def __init__(self, lex: Lexicon) -> None:
        self.past_aux = lex.tense("past_aux")
        self.perfect_aux = lex.tense("perfect_aux")
        self.perfect_inf = lex.tense("perfect_infinitive")
        self.future_aux = lex.tense("future_aux")
        self.future_modals = lex.tense("future_modals")
        self.future_phrases = tuple(lex.table("tense").get("future_phrases") or ())
        self.past_forms = lex.tense("past_forms")
        self.not_past = lex.tense("not_past")
        self.determiners = lex.tense("determiners")
        self.pp_prefix = str(lex.table("tense").get("participle_prefix") or "")
        self.insep = tuple(lex.table("tense").get("inseparable_prefixes") or ())
        self.separable = tuple(lex.table("tense").get("separable_particles") or ())
        self.weak_past = str(lex.table("tense").get("weak_past") or "te")
        self.nouns_capitalised = bool(lex.grammar("capitalised_nouns", False))
        self.english_ed = self.weak_past == "ed"
        self.past_words = self.past_aux | self.past_forms
        self.weak_suffixes: tuple[str, ...] = ("ed",) if self.english_ed else ("te", "ten", "test", "tet")
        # languages described by endings (fr): participles ("rencontré"), past forms ("rencontrait"),
        # future forms ("rencontrera") and infinitives after a future auxiliary ("va rencontrer")
        tense = lex.table("tense")
        self.pp_endings = tuple(tense.get("participle_endings") or ())
        self.past_endings = tuple(tense.get("past_endings") or ())
        self.future_endings = tuple(tense.get("future_endings") or ())
        self.inf_endings = tuple(tense.get("infinitive_endings") or ("en", "ern", "eln"))
        if self.past_endings:
            self.weak_suffixes = self.past_endings
        self._participles: dict[str, bool] = {}

    # -- clause boundaries ------------------------------------------------------------------
    @staticmethod
    def sentence_ends(text: str) -> tuple[list[int], list[int]]:
        """(starts, ends) of the sentence boundaries in ``text`` (for :meth:`at`)."""
        starts: list[int] = []
        ends: list[int] = []
        for m in _SENT_END.finditer(text):
            i = m.start()
            if text[i] == "." and i:
                prev = text[i - 1]
                if prev.isdigit() or (prev.isalpha() and (i < 2 or not text[i - 2].isalnum())):
                    continue
            starts.append(i)
            ends.append(m.end())
        return starts, ends

    @staticmethod
    def sentence_bounds(text: str, pos: int, bounds: tuple[list[int], list[int]] | None = None) -> tuple[int, int]:
        starts, ends = bounds if bounds is not None else TenseDetector.sentence_ends(text)
        i = bisect.bisect_right(ends, pos)
        start = ends[i - 1] if i else 0
        j = bisect.bisect_left(starts, pos)
        end = starts[j] if j < len(starts) else len(text)
        return max(start, pos - 600), min(end, pos + 600)

    @staticmethod
    def clause_bounds(text: str, start: int, end: int, s0: int, s1: int) -> tuple[int, int]:
        c0 = s0
        for m in _CLAUSE_END.finditer(text, s0, start):
            c0 = m.end()
        m = _CLAUSE_END.search(text, end, s1)
        return c0, (m.start() if m else s1)

    # -- cues ---------------------------------------------------------------------------------
    def _is_participle(self, w: str) -> bool:
        """Whether ``w`` (as written) has the shape of a past participle; remembered per form
        (a clause with a perfect auxiliary asks it of every word after the auxiliary)."""
        got = self._participles.get(w)
        if got is None:
            if len(self._participles) > 100_000:
                self._participles.clear()
            got = self._participles[w] = self._participle_shape(w)
        return got

    def _participle_shape(self, w: str) -> bool:
        if self.pp_endings:
            return len(w) >= 2 and w.islower() and w.endswith(self.pp_endings) and w not in self.not_past
        if len(w) < 5 or not w.islower() or w in self.not_past:
            return False
        if self.english_ed:
            return w.endswith("ed")
        if not (w.endswith("t") or w.endswith("en")):
            return False
        p = self.pp_prefix
        if p and w.startswith(p) and len(w) >= 6:
            return True
        if p:
            for particle in self.separable:
                if w.startswith(particle) and w.startswith(p, len(particle)) and len(w) >= len(particle) + 5:
                    return True
        return w.endswith("t") and bool(self.insep) and w.startswith(self.insep)

    def _weak_past(self, words: list[str], i: int) -> bool:
        w = words[i]
        if not w.islower() or len(w) < 5 or w in self.not_past:
            return False
        if self.english_ed:  # "-ed", but not after "the"/"be"/"was" ("the limited", "will be signed")
            return w.endswith("ed") and (words[i - 1].lower() if i else "") not in self.determiners
        if self.past_endings:  # "rencontrait", not after a determiner
            return w.endswith(self.past_endings) and (words[i - 1].lower() if i else "") not in self.determiners
        if not (w.endswith("te") or w.endswith("ten") or w.endswith("test") or w.endswith("tet")):
            return False
        if w.endswith(("ste", "sten")) and not w.endswith(("sste", "ssten", "ßte", "ßten")):
            return False  # superlatives and ordinals
        prev = words[i - 1].lower() if i else ""
        if prev in self.determiners:
            # "die geplante Reise" is an adjective; "Das meldete …" (a pronoun, then the verb) is not
            return i == 1 and w.endswith(("ete", "eten")) and not w.startswith(self.pp_prefix or "\0")
        return True

    def tense_of(self, words: list[str]) -> Tense | None:
        lower = list(map(str.lower, words))
        past_words = self.past_words
        weak = self.weak_suffixes
        for i, w in enumerate(lower):
            if w in past_words:
                return "past"
            if w in self.perfect_inf and i and self._is_participle(words[i - 1]):
                return "past"
            if w in self.perfect_aux and any(map(self._is_participle, words[i + 1 :])):
                return "past"
            if w.endswith(weak) and self._weak_past(words, i):
                return "past"
        if self.future_phrases:
            joined = " " + " ".join(lower) + " "
            if any(p in joined for p in self.future_phrases):
                return "future"
        for i, w in enumerate(lower):
            if w in self.future_modals:
                return "future"
            if (self.future_endings and len(w) >= 4 and w.endswith(self.future_endings) and w not in self.not_past
                    and words[i].islower()):
                return "future"
            if w in self.future_aux:
                rest = words[i + 1 :]
                if self.english_ed:
                    return "future"
                if any(map(self._is_participle, rest)):
                    # "wird verdächtigt" is a present passive, "wird gefeiert werden" a future one
                    return "future" if any(x.lower() in self.future_aux for x in rest) else "present"
                if any(x.islower() and len(x) > 3 and x.endswith(self.inf_endings) for x in rest):
                    return "future"
        return "present" if len(words) >= 3 else None

    def at(self, text: str, start: int, end: int, ends: tuple[list[int], list[int]] | None = None,
           cache: dict[tuple[int, int, int, int], Tense | None] | None = None) -> Tense | None:
        """The tense of the clause around ``text[start:end]`` (``ends``: :meth:`sentence_ends`)."""
        s0, s1 = self.sentence_bounds(text, start, ends)
        c0, c1 = self.clause_bounds(text, start, end, s0, s1)
        key = (s0, s1, c0, c1)
        if cache is not None and key in cache:
            return cache[key]
        words = _WORD.findall(text, c0, c1)
        t = self.tense_of(words)
        if t not in ("past", "future"):
            skey = (s0, s1, -1, -1)
            if cache is not None and skey in cache:
                t2 = cache[skey]
            else:
                # the sentence's words: those around the clause and the clause's own (no word
                # holds clause punctuation, so none runs across a clause boundary)
                t2 = self.tense_of(_WORD.findall(text, s0, c0) + words + _WORD.findall(text, c1, s1)) \
                    if (c0, c1) != (s0, s1) else t
                if cache is not None:
                    cache[skey] = t2
            if t2 is not None and (t is None or t2 != "present"):
                t = t2
        if cache is not None:
            cache[key] = t
        return t
