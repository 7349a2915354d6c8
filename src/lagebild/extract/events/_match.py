"""Trigger matching in a clause: lemmas, compound heads, separable verbs.

A word triggers when its case-folded lemma or form is a lexicon key, or —
for entries flagged ``head`` — when its lemma ends in the key with at least
three letters before it (German compounds: "Waffenlieferungen" → ``lieferung``).
A German separable verb is found from its particle: a particle standing as the
clause's last word ("wies … zurück") or right before a verb ("zusammen
arbeiten") is joined to each verb lemma of the clause ("zurück" + "weisen" =
``zurückweisen``); a joined match wins over the bare verb's own entry.
Words inside an entity mention never trigger (names are not events).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...nlp import lemma
from ._lexicon import Lexicon, Trigger
from ._words import Word

__all__ = ["Hit", "find_triggers", "may_trigger"]

_MEMO_MAX = 200_000


def _prefilter(word: str, lex: Lexicon) -> bool | frozenset[str]:
    got = lex.memo.get(word)
    if got is not None:
        return got
    low = word.casefold()
    key = lemma(word, lex.language).casefold()
    ok: bool | frozenset[str] = (
        key in lex.triggers
        or low in lex.triggers
        or (
            lex.head_re is not None
            and word[:1].isupper()
            and (m := lex.head_re.search(key.replace("-", ""))) is not None
            and m.start() >= 3
        )
    )
    if not ok:
        ok = lex.sep_bases.get(key) or lex.sep_bases.get(low) or False
    if len(lex.memo) < _MEMO_MAX:
        lex.memo[word] = ok
    return ok


def may_trigger(words: list[str], lex: Lexicon) -> bool:
    """Whether a sentence's ``words`` can hold a trigger (a cheap, memoised prefilter).

    True when a word's lemma or form is a trigger key or a compound with a
    trigger head, or when a verb of a separable trigger occurs together with
    one of its particles ("wies" with "zurück").
    """
    need: frozenset[str] = frozenset()
    memo = lex.memo
    for w in words:
        v = memo.get(w)
        if v is None:
            v = _prefilter(w, lex)
        if v is True:
            return True
        if v:
            need = need | v
    return bool(need) and any(w.casefold() in need for w in words)


@dataclass(slots=True)
class Hit:
    """A trigger found at word ``i`` (``particle``: index of a separated particle)."""

    i: int
    trigger: Trigger
    noun: bool
    particle: int | None = None


def _lookup(w: Word, lex: Lexicon) -> Trigger | None:
    """The trigger of a word: its lemma or form as a key, or a compound's head (memoised per form:
    key and case-folded form follow from the text)."""
    memo = lex.lookups
    if w.text in memo:
        return memo[w.text]
    t = _lookup_direct(w, lex)
    if len(memo) < _MEMO_MAX:
        memo[w.text] = t
    return t


def _lookup_direct(w: Word, lex: Lexicon) -> Trigger | None:
    t = lex.triggers.get(w.key) or lex.triggers.get(w.low)
    if t is not None:
        return t
    if lex.head_re is not None and w.text[:1].isupper():
        key = w.key.replace("-", "")
        m = lex.head_re.search(key)
        if m is not None and m.start() >= 3:
            return lex.triggers.get(m.group(0))
    return None


def _is_noun(words: list[Word], k: int, lex: Lexicon) -> bool:
    w = words[k]
    if lex.language == "de":
        return w.lemma[:1].isupper()
    return k > 0 and words[k - 1].low in lex.cue("determiners")


def _attributive(words: list[Word], k: int, j: int, lex: Lexicon) -> bool:
    """A German participle used as an adjective ("auch sanktionierte Technologie").

    A finite verb in second position follows its capitalised subject ("Berger
    besuchte Paris") or a pronoun; an attributive participle follows a
    determiner, an adverb or an adjective.
    """
    if lex.language != "de" or k + 1 >= j:
        return False
    w, nxt = words[k], words[k + 1]
    return (
        w.low.endswith(("e", "en", "er", "es", "em"))
        and w.key != w.low
        and nxt.alpha
        and nxt.text[:1].isupper()
        and k > 0
        and words[k - 1].alpha
        and not words[k - 1].text[:1].isupper()
        and words[k - 1].low not in lex.cue("pronouns")
    )


def find_triggers(words: list[Word], i: int, j: int, lex: Lexicon, masked: set[int]) -> list[Hit]:
    """The triggers in clause ``words[i:j]`` (``masked``: word indices inside names)."""
    hits: dict[int, Hit] = {}
    particles = lex.cue("particles")
    #: the clause's forms and lemmas, for entries that need a partner word (made when one does)
    clause_words: set[str] | None = None

    def partners() -> set[str]:
        nonlocal clause_words
        if clause_words is None:
            clause_words = {w.low for w in words[i:j]} | {w.key for w in words[i:j]}
        return clause_words
    if particles:
        last = j - 1
        while last >= i and not words[last].alpha:
            last -= 1
        for p in range(i, j):
            pw = words[p]
            if pw.low not in particles or p in masked:
                continue
            if p == last:
                cands = range(i, p)
            elif p + 1 < j and words[p + 1].alpha and not words[p + 1].text[:1].isupper():
                cands = range(p + 1, p + 2)
            else:
                continue
            for k in cands:
                if k in masked or not words[k].alpha:
                    continue
                t = lex.triggers.get(pw.low + words[k].key)
                if t is not None and (not t.with_ or t.with_ & partners()):
                    hits[k] = Hit(k, t, False, p)
    # the particles of joined hits are no triggers themselves (later hits carry no particle)
    joined = {h.particle for h in hits.values()}
    for k in range(i, j):
        if k in hits or k in masked or not words[k].alpha or k in joined:
            continue
        t = _lookup(words[k], lex)
        if t is None:
            continue
        if t.with_ and not t.with_ & partners():
            continue
        noun = _is_noun(words, k, lex)
        if not noun and _attributive(words, k, j, lex):
            continue
        hits[k] = Hit(k, t, noun)
    return [hits[k] for k in sorted(hits)]
