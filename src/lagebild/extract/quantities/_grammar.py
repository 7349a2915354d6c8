"""The number grammar of one language, compiled once from its lexicon.

What is compiled per language:

* anchors — where a quantity can start: a digit or currency sign (``anchor``,
  a one-character class that the regex engine scans fast), or a word that
  begins with one of ``stems`` (the first four letters of the number words,
  vague amounts and currency codes), found with ``str.find`` on the lower-cased
  text — far faster than a regex alternation tried at every position;
* ``main`` / ``between`` — matched *at* an anchor: ``[currency] number [scale]
  [range-op number [scale]] [unit]`` or a vague amount ("Hunderte", "mehrere
  tausend") with its unit; ``between`` reads "und"/"and" as the range operator
  (after "zwischen"/"between");
* qualifiers ("mehr als") and "zwischen" are looked up in the words before an
  anchor by :mod:`._find` (table look-ups, no regex scan).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ._lexicon import QuantityLexicon, alternation, exact_form, load_lexicon
from ._numbers import GROUP_SPACES

__all__ = ["Grammar", "grammar_for"]

_SEP = "., " + GROUP_SPACES
#: digits: grouped thousands (with an optional decimal part) or plain digits with
#: an optional decimal part; never followed by more digits, a digit after a mark
#: ("1.2.3", "14:30", "1/2") or a hyphen-word ("20-jährig", "KN-23" is caught before)
_DIGITS = rf"(?:\d{{1,3}}(?:[{_SEP}]\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![.,:/]?\d)(?!-[^\W\d_])"


def _bounded(forms: list[str]) -> str:
    """Alternation of unit-like forms, each ending at a word boundary when it ends in a letter."""
    parts = []
    for f in sorted(set(forms), key=lambda s: (-len(s), s)):
        pat = r"\s+".join(re.escape(w) for w in f.split())
        if not exact_form(f):
            pat = f"(?i:{pat})"
        if f[-1:].isalnum():
            pat += r"(?![^\W_])"
        parts.append(pat)
    return "(?:" + ("|".join(parts) if parts else "(?!)") + ")"


@dataclass(frozen=True, slots=True)
class Grammar:
    lex: QuantityLexicon
    anchor: re.Pattern[str]
    stems: tuple[str, ...]  #: lower-case word beginnings of word anchors
    anchor_word: re.Pattern[str]  #: fullmatch on a lower-case word that can start a quantity
    one_followers: frozenset[str]  #: lower-case words that may follow "ein"/"one"/"a" in a quantity
    coordination: re.Pattern[str]  #: fullmatch: the gap between two numbers that share a unit
    main: re.Pattern[str]
    between: re.Pattern[str]


def _word_number(lex: QuantityLexicon) -> str:
    starts = list(lex.number_words) + list(lex.multipliers) + list(lex.fractions)
    morphs = starts + list(lex.connectors)
    start_alt = "|".join(re.escape(w) for w in sorted(set(starts), key=lambda s: (-len(s), s)))
    morph_alt = "|".join(re.escape(w) for w in sorted(set(morphs), key=lambda s: (-len(s), s)))
    if lex.grammar.get("compound_number_words"):
        return rf"(?i:(?:{start_alt})(?:{morph_alt})*)(?![^\W_])"
    # separate words: "three hundred and fifty", "twenty-five"
    unit = rf"(?:{start_alt})(?![^\W_])"
    conn = "|".join(re.escape(c) for c in sorted(lex.connectors))
    mult_behind = "|".join(f"(?<={re.escape(m)})" for m in sorted(lex.multipliers))
    conn_part = rf"|(?:{mult_behind})\s+(?:{conn})\s+{unit}" if conn and mult_behind else ""
    return rf"(?i:{unit}(?:(?:-|\s+){unit}{conn_part})*)"


def _build(lex: QuantityLexicon) -> Grammar:
    one = f"(?i:{alternation(lex.one_words)})"  # "A million", "Eine Million" at a sentence start
    scales = _bounded(list(lex.scales) + list(lex.fraction_words))
    cur_scales = "|".join(re.escape(s) for s in sorted(lex.currency_scales, key=lambda s: (-len(s), s))) or "(?!)"
    units_all = list(lex.units)
    duration_keys = {"year", "decade", "century", "month", "week", "day", "hour", "minute", "second"}
    one_units = [f for f, k in lex.units.items() if k not in duration_keys]
    units = _bounded(units_all)
    cur_prefix = "|".join(re.escape(c) for c in sorted(lex.currency_prefix, key=lambda s: (-len(s), s))) or "(?!)"
    words = _word_number(lex)
    one_num = rf"(?:{one})(?=\s+(?:{scales}|{_bounded(one_units)}))"
    num = rf"(?:{_DIGITS}|{words}|{one_num})"
    scale = rf"(?:\s*(?P<sc{{i}}>{scales})|(?(cur)(?P<cs{{i}}>{cur_scales})(?![^\W_])|(?!)))?"
    vague = _bounded(list(lex.vague))
    vq = alternation(lex.vague_quantifiers)
    vs = _bounded(lex.vague_scales)
    range_ops = "|".join(r"\s+" + re.escape(c) + r"\s+" for c in lex.range_connectors)
    normal_op = rf"(?:\s*[-–—]\s*{'|' + range_ops if range_ops else ''})"
    between_op = "(?:" + "|".join(r"\s+" + alternation([a]) + r"\s+" for a in lex.between_and) + ")"

    def main(op: str) -> re.Pattern[str]:
        body = (
            rf"(?P<cur>(?:{cur_prefix})\s?)?"
            rf"(?:(?P<vague>{vague})|(?P<vq>{vq})\s+(?P<vs>{vs})"
            rf"|(?P<n1>{num}){scale.format(i=1)}(?:{op}(?P<n2>{num}){scale.format(i=2)})?)"
            rf"(?:\s*(?P<unit>{units}))?(?![^\W_])"
        )
        return re.compile(body)

    anchor_words = (
        list(lex.number_words) + list(lex.multipliers) + list(lex.fractions) + list(lex.one_words)
        + list(lex.vague) + list(lex.vague_quantifiers)
        + [c for c in lex.currency_prefix if c[:1].isalpha()]
    )
    symbols = sorted({c[0] for c in lex.currency_prefix if not c[:1].isalpha()})
    anchor = re.compile(rf"[\d{''.join(re.escape(c) for c in symbols)}]+")
    morph_alt = "|".join(re.escape(w) for w in sorted(
        set(lex.number_words) | set(lex.multipliers) | set(lex.fractions) | set(lex.connectors),
        key=lambda s: (-len(s), s)))
    whole = sorted({w.lower().split()[0] for w in anchor_words}, key=lambda s: (-len(s), s))
    anchor_word = re.compile(rf"(?:{morph_alt})+|{'|'.join(re.escape(w) for w in whole)}")
    followers = {f.lower().split()[0] for f in list(lex.scales) + list(lex.fraction_words) + one_units}
    followers |= {q.lower().split()[1] for q in lex.vague_quantifiers
                  if len(q.split()) > 1 and q.lower().split()[0] in lex.one_words}
    prefixes = sorted({w.lower()[:4] for w in anchor_words})
    stems = tuple(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))
    return Grammar(
        lex=lex,
        anchor=anchor,
        stems=stems,
        anchor_word=anchor_word,
        one_followers=frozenset(followers),
        coordination=re.compile(rf"\s*(?:{alternation(lex.coordination)})\s*" if lex.coordination else "(?!)"),
        main=main(normal_op),
        between=main(between_op),
    )


@functools.lru_cache(maxsize=16)
def grammar_for(language: str) -> Grammar:
    """The compiled grammar of ``language`` (``ValueError`` when it has no lexicon)."""
    return _build(load_lexicon(language))
