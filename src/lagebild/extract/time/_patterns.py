"""Regex building blocks compiled from a :class:`~._lexicon.Lexicon`.

Every pattern is built once per language (see :func:`patterns_for`) and
matched case-insensitively; rules that care about case (``morgen`` = tomorrow,
``Morgen`` = morning; month names) check it in their handlers.

Speed: a rule is not run over the whole text.  One case-sensitive scan (a
character trie of every word that may start a rule, in lower, Capitalised and
UPPER case, plus digit runs) finds the trigger words, and only the rules that
may start at that word are tried there with an anchored ``match``
(:data:`_RULE_STARTS`; digit runs dispatch on the character after them).
Optional words before a rule's core (determiners, "frühen", quantifiers, part
words, prepositions) are read leftwards by the handlers and by
:func:`lagebild.extract.time._select.extend_left`, each pattern searched for
only in the last words of the window that a match of it can hold
(:meth:`Patterns.search_left`).  Word alternations open with a test of their
first characters (:func:`~._lexicon.alt`); none of this changes a match.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterable

from ._lexicon import Lexicon, alt, load_lexicon

__all__ = ["Patterns", "patterns_for"]

_F = re.IGNORECASE


# Digit patterns (kept out of f-string expressions, which may not hold backslashes).
_DIGITS4 = r'\d{1,4}'
_HOUR24 = r'[01]?\d|2[0-4]'
_MINUTE = r'[0-5]\d'
_DIGITS2 = r'\d{1,2}'
_MINUTE_LOOSE = r'[0-5]?\d'
_HOUR12 = r'1[0-2]|0?[1-9]'
_HOUR23 = r'[01]?\d|2[0-3]'


def _g(name: str, body: str) -> str:
    return f"(?P<{name}>{body})"


def _opt(body: str) -> str:
    """``body`` or nothing: the matches of ``(?:body)?``, as a branch with an empty alternative,
    which ``re`` runs faster than its repeat (the left-context patterns try it at every position)."""
    return f"(?:{body}|)"


@dataclass(frozen=True, slots=True)
class Patterns:
    """Compiled rules (name → regex) and left-context regexes for one language."""

    lex: Lexicon
    rules: tuple[tuple[str, re.Pattern[str]], ...]
    left_part: re.Pattern[str]
    left_approx: re.Pattern[str]
    left_quant: re.Pattern[str]
    left_prep: re.Pattern[str]
    left_during: re.Pattern[str]
    left_range_open: re.Pattern[str]
    range_between: re.Pattern[str]
    range_between_open: re.Pattern[str]
    left_det: re.Pattern[str]
    left_unit: re.Pattern[str]
    right_unit: re.Pattern[str]
    left_wd: re.Pattern[str]
    left_word: re.Pattern[str]
    year_pair: re.Pattern[str]
    year_short: re.Pattern[str]
    right_word: re.Pattern[str]
    age_left: re.Pattern[str]
    age_right: re.Pattern[str]
    numbers: dict[str, float]
    fractions: dict[str, float]
    #: token (as written) → indices of the rules that may start at it
    triggers: dict[str, tuple[int, ...]]
    #: finds the trigger words (group ``w``) and the digit runs at word starts (group ``d``), either in group ``t``
    finder: re.Pattern[str]
    #: the same tokens after a non-word character it matches first: what ``finder`` finds after the
    #: text's first character, faster (see :func:`lagebild.extract.time._select.tokens`)
    finder_after: re.Pattern[str]
    #: rules that may start at a token beginning with a digit, by what follows the digits
    digit_rules: dict[str, tuple[int, ...]]
    #: rules tried at the words containing one of the substrings (lower-cased): (substrings, finder, rule)
    scan_rules: tuple[tuple[tuple[str, ...], re.Pattern[str], int], ...]
    #: left-context pattern (a field name above) → the most whitespace-separated words a match holds
    left_words: dict[str, int]
    #: a noun before a decade's number ("les années 1950"), ending right before it
    left_decade_pre: re.Pattern[str] = re.compile("(?!)")

    def search_left(self, name: str, text: str, start: int, end: int) -> re.Match[str] | None:
        """``self.<name>.search(text, start, end)`` for a left-context pattern ``name`` of :attr:`left_words`.

        Such a match ends at ``end`` (``$``) and holds at most ``left_words[name]``
        words, so it starts inside the window's last that many words: the search
        starts there, not at every character of the window.
        """
        n = self.left_words[name]
        head = text[start:end].rsplit(None, n)
        if len(head) > n:
            start += len(head[0])
        return getattr(self, name).search(text, start, end)  # type: ignore[no-any-return]


def _most_words(*tables: Iterable[str]) -> int:
    """The most whitespace-separated words in one phrase of ``tables``."""
    return max((len(w.split()) for t in tables for w in t), default=0)


def _num_word_regex(lex: Lexicon) -> str:
    words = alt(lex.table("numbers"))
    fracs = alt(lex.table("fractions"))
    return rf"(?:\d{{1,4}}(?:[.,]5)?|{words}(?:\s+{fracs})?\b|{fracs}\b)"


@functools.lru_cache(maxsize=16)
def patterns_for(language: str) -> Patterns:
    lex = load_lexicon(language)
    g = lex.grammar
    T = lex.table
    ends = alt(g("adjective_endings", [""])) if g("adjective_endings") else ""
    ends = f"{ends}?" if ends and ends != "(?!)" else ""

    day_suf = g("day_suffix", "")
    ord_suf = g("ordinal_suffix", "")
    MONTH = alt(T("months")) + r"\b"
    MONABBR = alt(T("month_abbrevs")) + r"\."
    MON = f"(?:{MONTH}|{MONABBR})"
    WD = alt(T("weekdays"))
    WDABBR = alt(T("weekday_abbrevs")) + r"\."
    DAYN = r"(?:3[01]|[12]\d|0?[1-9])"
    YEAR4 = r"\d{4}(?![\d])"
    ERA = alt(T("eras"), boundary=False)
    NUM = _num_word_regex(lex)
    VAGUE = alt(T("vague_numbers")) + r"\b"
    UNIT = alt(T("units")) + r"\b"
    SEASON = alt(T("seasons")) + r"\b"
    POD = alt(T("parts_of_day")) + r"\b"
    DIR = alt(T("directions")) + ends + r"\b"
    DET = alt(g("determiners", []))
    SAMEP = alt(g("same_prepositions", []))
    QUANT = alt(T("quantifiers"))
    APPROX = alt(T("approx"))
    PARTS = alt(T("parts"))
    PARTADJ = alt(T("part_adjectives"))
    LINKS = alt(g("part_links", []))
    PERIODS = alt(g("part_periods", {})) + r"\b"
    OFYEAR = alt(g("of_year", []))
    WHOLE = alt(g("whole", []))
    every = alt(g("every", []))
    later = alt(T("later")) + r"\b"
    ago_a = alt(g("ago_after", []))
    AGO_A = ago_a + r"\b"
    CLOCK_SEP = "|".join(g("clock_separators", [":"]))
    CLOCK_SUF = alt(g("clock_suffix", []))
    TZ = alt(T("timezones"))
    ORD = alt(T("ordinals"))
    YEARW = alt(g("year_words", []))
    DEC_SUF = alt(g("decade_suffix", []))
    DEC_NOUN = alt(g("decade_nouns", []))
    DEC_NUM = "(?:'|\u2019)?\\d{1,3}0"
    CENT = alt(g("century_nouns", []))
    DIR_CORE = alt(T("directions")) + ends
    ofrel_list = [r"\s+".join(DIR_CORE if w == "{dir}" else re.escape(w) for w in p.split()) for p in g("of_year_rel", [])]
    OFREL = "(?:" + "|".join(sorted(ofrel_list, key=len, reverse=True)) + ")" if ofrel_list else "(?!)"
    pod_suffix = alt(T("parts_of_day"))
    ampm = alt(g("am_pm", []))

    year_tail = (
        rf"(?:\s*,?\s+(?:{OFYEAR}\s+)?{_g('year', YEAR4)}|\s+{_g('eyear', _DIGITS4)}\s*{_g('era', ERA)}"
        rf"|\s+{_g('ofrel', OFREL)})?"
    )
    NUM_HYPH = r'\d{1,3}-?|' + alt(T('numbers'))
    rules: list[tuple[str, str]] = []
    add = rules.append

    add(("iso", r"(?<![\d.])(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<H>[0-2]\d):(?P<M>[0-5]\d)"
                r"(?::\d{2}(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?(?![\d])"))
    if g("numeric_order", "dmy") == "dmy":
        seps = g("numeric_separators", ['\\.'])
        if '\\.' in seps:
            add(("numeric", r"(?<![\d.])(?P<d>3[01]|[12]\d|0?[1-9])\.(?P<m>1[0-2]|0?[1-9])\.(?P<y>\d{4}|\d{2})?(?![\d])(?!\.\d)"))
        for sep in (x for x in seps if x != '\\.'):
            # other separators ("27/07/2023") need the year
            add(("numeric", rf"(?<![\d{sep}])(?P<d>3[01]|[12]\d|0?[1-9]){sep}(?P<m>1[0-2]|0?[1-9]){sep}(?P<y>\d{{4}}|\d{{2}})"
                            rf"(?![\d]|{sep}\d)"))
    else:
        add(("numeric", r"(?<![\d/])(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>\d{4}|\d{2})(?![\d/])"))
    wd_lead = ""
    clock_tail = (
        rf"(?:\s*,\s*{_g('H', _HOUR24)}(?:{CLOCK_SEP}){_g('M', _MINUTE)}\s*{CLOCK_SUF}"
        rf"(?:\s+{_g('tz', TZ)})?)?"
    )
    for order in g("date_orders", ["dm"]):
        if order == "dm":
            add(("daymonth", rf"\b{wd_lead}{_g('day', DAYN)}{day_suf}(?!\d)\s*(?:of\s+)?{_g('month', MON)}{year_tail}{clock_tail}"))
        else:
            add(("monthday", rf"\b{wd_lead}{_g('month', MON)}\s+(?:the\s+)?{_g('day', DAYN)}{day_suf}\b(?!\s*(?:{UNIT}|%))"
                             rf"(?:(?:\s*,\s*|\s+){_g('year', YEAR4)})?{clock_tail}"))
    coord = alt(g("day_coordinators", []))
    add(("daylist", rf"\b{_g('day', DAYN)}{day_suf}(?!\d)(?=\s*{coord}\s*(?:(?:dem|den|zum|the)\s+)?{DAYN}{day_suf}\s*(?:of\s+)?"
                    rf"{_g('month', MON)}(?:\s*,?\s+{_g('year', YEAR4)})?)"))
    add(("monthlist", rf"\b{_g('month', MONTH)}(?=\s*(?:/|{coord})\s*{MONTH}\s*,?\s+{_g('year', YEAR4)})"))
    add(("month", rf"\b{_g('month', MON)}{year_tail}"))
    add(("year", rf"(?<![\w.,])(?:{_g('yw', YEARW)}\s+)?{_g('year', _DIGITS4)}(?:\s*{_g('era', ERA)})?"
                 r"(?![\w%€$£]|[.,:]\d|\s*%)"))
    add(("decade", rf"(?:\b{_g('det', DET)}\s+)?(?:\b{_g('pa', PARTADJ + ends)}\s+)?"
                   rf"(?:(?<![\w.,']){_g('num', DEC_NUM)}{_g('suf', DEC_SUF)}"
                   + (rf"?" if g("decade_before") else "")
                   + rf"|\b{_g('dw', alt(T('decade_words')))})"
                   rf"(?:(?:-|\s+){_g('noun', DEC_NOUN)})?\b(?:\s*{_g('era', ERA)})?"))
    add(("century", rf"\b{_g('n', _DIGITS2)}{ord_suf}\s*{_g('noun', CENT)}(?:\s*{_g('era', ERA)})?"))
    add(("part", rf"\b{_g('part', PARTS)}\s+(?:{LINKS}\s+)?(?:{_g('dir', DIR)}\s+)?{_g('period', PERIODS)}"
                 rf"(?:\s+{_g('year', YEAR4)})?"))
    add(("direction", rf"(?:\b{_g('det', f'{DET}|{SAMEP}')}\s+)?(?:\b{_g('whole', WHOLE)}\s+)?\b{_g('dir', DIR)}\s+"
                      rf"(?:{_g('num', NUM)}\s+)?{_g('target', f'{UNIT}|{WD}|{MONTH}|{SEASON}|{POD}|' + alt(['wochenende', 'weekend']))}"))
    add(("unit", _g("unit", UNIT)))
    add(("unitadj", rf"\b{_g('num', NUM_HYPH)}"
                    rf"{_g('u', alt(T('unit_adjectives')))}{ends}\b"))
    add(("unitlong", rf"\b{_g('w', alt(T('unit_long')))}{ends}\b"))
    add(("deictic", rf"\b{_g('w', alt(T('deictic')))}\b(?:\s+{_g('pod', POD)})?"))
    add(("presadj", rf"\b{_g('w', alt(T('present_adjectives')))}{ends}\b(?:\s+{_g('unit', UNIT)})?"))
    add(("ref", rf"\b{_g('w', alt(T('refs')))}(?!\w)"))
    add(("clock", rf"\b{_g('H', _HOUR24)}(?:(?:{CLOCK_SEP}){_g('M', _MINUTE)})?\s*{_g('suf', CLOCK_SUF)}\b"
                  rf"(?:\s+{_g('M2', _MINUTE_LOOSE)}\b(?!\s*(?:{UNIT}|{CLOCK_SUF})))?(?:\s+{_g('tz', TZ)})?"))
    if ampm != "(?!)":
        add(("clock", rf"\b{_g('H', _HOUR12)}(?:[:.]{_g('M', _MINUTE)})?\s*{_g('ampm', ampm)}(?!\w)(?:\s+{_g('tz', TZ)})?"))
    add(("clockbare", rf"\b{_g('pre', alt(g('clock_before', [])))}\s+{_g('H', _HOUR23)}(?:{CLOCK_SEP}){_g('M', _MINUTE)}(?![\d:.])"))
    add(("clockword", rf"\b{_g('w', alt(T('clock_words')))}\b"))
    add(("podday", rf"(?:\b{_g('pa', PARTADJ + ends)}\s+)?\b{_g('pod', POD)}\s+(?:des|vom|of)\s+(?:the\s+)?"
                   rf"{_g('day', DAYN)}{day_suf}(?!\d)\s*(?:of\s+)?{_g('month', MON)}(?:\s*,?\s+{_g('year', YEAR4)})?"))
    if g("night_into"):
        add(("nightinto", rf"\b{_g('pod', POD)}\s+(?:{alt(g('night_into', []))})\s+{_g('wd', WD)}\b"))
        add(("nightfrom", rf"\b{_g('pod', POD)}\s+(?:{alt(g('night_from', []))})\s+{_g('day', DAYN)}{day_suf}"
                          rf"(?=\s*(?:{alt(g('night_into', []) + ['bis', 'to'])})\s+(?:den\s+|the\s+)?{DAYN}{day_suf}\s*{_g('month', MON)}"
                          rf"(?:\s*,?\s+{_g('year', YEAR4)})?)"))
    add(("pod", rf"(?:\b{_g('pa', PARTADJ + ends)}\s+)?\b{_g('pod', POD)}"))
    add(("podadv", rf"\b{_g('w', alt(T('pod_adverbs')))}\b"))
    sep = r"\s+" if g("weekday_pod_separate", False) else ""
    add(("weekday", rf"\b{_g('wd', WD)}(?:{sep}{_g('podc', pod_suffix)})?\b"))
    add(("wdadverb", rf"\b{_g('w', alt(T('weekday_adverbs')))}\b"))
    add(("season", rf"(?:\b{_g('pa', PARTADJ + ends)}\s+)?\b{_g('pre', PARTADJ)}?{_g('season', SEASON)}{year_tail}"))
    add(("quarter", rf"\b{_g('ord', ORD + ends + '|[1-4]' + ord_suf)}\s+{_g('q', alt(T('quarters')))}\b"
                    rf"(?:\s+(?:of\s+)?{_g('year', YEAR4)}|\s+{_g('ofrel', OFREL)})?"))
    add(("quartercode", rf"\b(?P<code>[QH])(?P<n>[1-4])(?:\s*/?\s*|-){_g('year', YEAR4)}"))
    add(("holiday", rf"\b{_g('h', alt(T('holidays')))}\b(?:\s+{_g('year', YEAR4)})?"))
    add(("set", rf"\b{_g('w', alt(T('sets')))}\b"))
    add(("every", rf"\b{_g('ev', every)}\s+(?:{_g('num', NUM)}\s+)?{_g('target', f'{UNIT}|{WD}|{MONTH}|{SEASON}|{POD}')}"))
    add(("compound", rf"\b{_g('w', alt(T('compounds')))}\b(?:\s+{_g('year', YEAR4)})?"))
    add(("compounddur", rf"\b{_g('w', alt(T('compound_durations')))}\b"))

    compiled = tuple((n, re.compile(p, _F)) for n, p in rules)
    triggers, digit_rules, scan_rules = _triggers(lex, [n for n, _ in rules], ends_list(lex))
    if not all(re.match(r"\w", w) for w in triggers):
        raise ValueError(f"lexicon {language!r}: a word that may start a rule starts with a non-word character")
    token = rf"(?P<t>(?P<w>{_trie(triggers)})(?!\w)|(?P<d>\d+))"
    # searched for in a window before a word: every part is optional and opens with (?<!\w), so a
    # match starts after a non-word character or matches nothing (LEFT_DET) or only a separator
    # (LEFT_UNIT) — tested first, which fails at once inside the window's words
    LEFT_DET = (r"(?:(?<!\w)|(?=$))"
                + _opt(rf"(?<!\w){_g('det', f'{DET}|{SAMEP}')}\s+") + _opt(rf"(?<!\w){_g('whole', WHOLE)}\s+")
                + _opt(rf"(?<!\w){_g('pa', PARTADJ + ends)}\s+") + "$")
    unit_pre = g("ago_before", []) + g("ahead_before", []) + g("after_before", []) + g("same_prepositions", []) \
        + g("vague_plural_after", [])
    LEFT_UNIT = (r"(?:(?<!\w)|(?=[\s-]))"
                 + _opt(rf"(?<!\w){_g('pre', alt(unit_pre))}\s+") + _opt(rf"(?<!\w){_g('q', f'{QUANT}|{APPROX}')}\s+")
                 + _opt(rf"(?<!\w){_g('num', NUM)}|(?<!\w){_g('vague', VAGUE)}") + r"(?P<sep>\s+|-|(?<!\S))"
                 + _opt(rf"(?<!\w)(?:{WHOLE}|{alt(g('duration_adjectives', []))})\s+") + "$")
    # the words a match of each left-context pattern holds at most, part by part as the patterns read
    left_words = {
        "left_part": _most_words(T("parts")) + _most_words(g("part_links", [])),
        "left_approx": _most_words(T("approx")),
        "left_quant": _most_words(T("quantifiers")),
        "left_during": _most_words(g("during", [])),
        "left_prep": _most_words(T("prepositions")) + _most_words(g("determiners", []), g("prep_links", [])),
        "left_det": _most_words(g("determiners", []), g("same_prepositions", [])) + _most_words(g("whole", []))
        + _most_words(T("part_adjectives")),
        "left_unit": _most_words(unit_pre) + _most_words(T("quantifiers"), T("approx"))
        + max(_most_words(T("numbers")) + _most_words(T("fractions")), _most_words(T("vague_numbers")), 1)
        + _most_words(g("whole", []), g("duration_adjectives", [])),
    }
    LAUFE = alt(g("during", []))
    prep = alt(T("prepositions"))
    opener = alt(g("range_open", []))
    conn = alt(g("range_connectors", []))
    conn_open = alt(g("range_connectors_after_open", []))
    return Patterns(
        lex=lex,
        rules=compiled,
        left_part=re.compile(rf"(?<!\w){_g('part', PARTS)}(?:\s+|-)(?:{LINKS}\s+)?$", _F),
        left_approx=re.compile(rf"(?<!\w){_g('a', APPROX)}\s+$", _F),
        left_quant=re.compile(rf"(?<!\w){_g('q', QUANT)}\s+$", _F),
        left_prep=re.compile(rf"(?<!\w){_g('p', prep)}\s+(?:(?:{DET}|{alt(g('prep_links', []))})\s+)?$", _F),
        left_during=re.compile(rf"(?<!\w){LAUFE}\s+$", _F),
        left_range_open=re.compile(rf"(?<!\w){opener}\s+(?:(?:dem|den|the)\s+)?$", _F),
        range_between=re.compile(rf"^\s*(?:{conn})\s*(?:(?:dem|den|zum|zur|the)\s+)?$", _F),
        range_between_open=re.compile(rf"^\s*(?:{conn_open}|{conn})\s*(?:(?:dem|den|zum|zur|the)\s+)?$", _F),
        left_det=re.compile(LEFT_DET, _F),
        left_unit=re.compile(LEFT_UNIT, _F),
        right_unit=re.compile(rf"\s+(?:{_g('later', later)}|{_g('ago', AGO_A)})", _F),
        left_wd=re.compile(rf"(?<!\w){_g('wd', f'{WD}|{WDABBR}')}\s*,?\s*(?:(?:den|dem|the)\s+)?$", _F),
        # searched for in the slice before a word: a letter run matching at its second letter matches
        # at its first, so the first match starts after no letter (or at a sign) — tested first
        left_word=re.compile(r"(?:(?<![^\W\d_])|(?=[(§€$£]))([^\W\d_]+\.?|[(§€$£])\s*$"),
        year_pair=re.compile(rf"\s*[/–—-]\s*\d{{1,4}}\s*{_g('era', ERA)}", _F),
        year_short=re.compile(r"\s*[/–—-]\s*(?P<yy>\d{2})(?![\d.,]\d|\w)"),
        right_word=re.compile(r"[ \t]*([^\s]+)"),
        age_left=re.compile(rf"(?<!\w){alt(g('age_before', []))}\s+$", _F),
        age_right=re.compile(rf"[\s-]*{alt(g('age_after', []))}\b", _F),
        numbers={k: float(v) for k, v in T("numbers").items()},
        fractions={k: float(v) for k, v in T("fractions").items()},
        triggers=triggers,
        finder=re.compile(rf"(?<!\w){token}"),
        finder_after=re.compile(rf"\W{token}"),
        digit_rules=digit_rules,
        scan_rules=scan_rules,
        left_words=left_words,
        left_decade_pre=re.compile(rf"(?<!\w){alt(g('decade_before', []))}\s+$", _F),
    )


def _trie(words: object) -> str:
    """A regex matching exactly ``words``, as a character trie (fast to scan)."""
    root: dict[str, dict] = {}
    for w in words:  # type: ignore[union-attr]
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = "(?:" + "|".join(alts) + ")" if len(alts) > 1 else alts[0]
        return f"(?:{body})?" if "" in node else body

    return build(root) or "(?!)"


def ends_list(lex: Lexicon) -> list[str]:
    return list(lex.grammar("adjective_endings", [""]) or [""])


def _first(words: object) -> set[str]:
    """First words of a table's keys or a list's phrases (lower case)."""
    return {w.split()[0].lower() for w in words if w and w.split()}  # type: ignore[union-attr]


def _forms(stems: object, endings: list[str]) -> set[str]:
    return {f"{s.lower()}{e}" for s in stems for e in endings}  # type: ignore[union-attr]


#: Word classes that may start each rule ("DIGIT" = a token starting with a digit).
_RULE_STARTS: dict[str, tuple[str, ...]] = {
    "iso": ("DIGIT",),
    "numeric": ("DIGIT",),
    "daymonth": ("DIGIT",),
    "monthday": ("months", "month_abbrevs"),
    "daylist": ("DIGIT",),
    "monthlist": ("months",),
    "month": ("months", "month_abbrevs"),
    "year": ("DIGIT", "year_words"),
    "decade": ("DIGIT", "decade_words"),
    "century": ("DIGIT",),
    "part": ("parts",),
    "direction": ("direction_forms",),
    "unit": ("units",),
    "unitadj": ("DIGIT",),
    "unitlong": ("unit_long_forms",),
    "deictic": ("deictic",),
    "presadj": ("present_adjective_forms",),
    "ref": ("refs",),
    "clock": ("DIGIT",),
    "clockbare": ("clock_before",),
    "clockword": ("clock_words",),
    "podday": ("part_adjective_forms", "parts_of_day"),
    "nightinto": ("parts_of_day",),
    "nightfrom": ("parts_of_day",),
    "pod": ("part_adjective_forms", "parts_of_day"),
    "podadv": ("pod_adverbs",),
    "weekday": ("weekdays", "weekday_pod_forms"),
    "wdadverb": ("weekday_adverbs",),
    "season": ("part_adjective_forms", "season_forms"),
    "quarter": ("ordinal_forms", "DIGIT"),
    "quartercode": ("quarter_codes",),
    "holiday": ("holidays",),
    "set": ("sets",),
    "every": ("every",),
    "compound": ("compounds",),
    "compounddur": ("compound_durations",),
}


#: Digit-starting rules worth trying, by the character after the token's digits
#: ("alpha": letters glued to the digits, "space": anything else).
_DIGIT_NEXT: dict[str, frozenset[str]] = {
    ".": frozenset({"numeric", "daymonth", "daylist", "century", "quarter", "clock", "year", "decade"}),
    "-": frozenset({"iso", "unitadj", "year"}),
    ":": frozenset({"clock", "year"}),
    "/": frozenset({"numeric", "year"}),
    ",": frozenset({"year", "decade"}),
    "'": frozenset({"decade", "year"}),
    "alpha": frozenset({"decade", "daymonth", "monthday", "clock", "century", "quarter"}),
    "space": frozenset({"year", "clock", "daymonth", "decade", "century"}),
}


def _classes(lex: Lexicon, ends: list[str]) -> dict[str, set[str]]:
    T, g = lex.table, lex.grammar
    cls: dict[str, set[str]] = {}
    for table in ("months", "month_abbrevs", "weekdays", "weekday_abbrevs", "numbers", "fractions", "vague_numbers",
                  "units", "quantifiers", "approx", "parts", "deictic", "refs", "clock_words", "parts_of_day",
                  "pod_adverbs", "weekday_adverbs", "holidays", "sets", "compounds", "compound_durations",
                  "decade_words"):
        cls[table] = _first(T(table))
    for key in ("determiners", "same_prepositions", "whole", "ago_before", "ahead_before", "after_before",
                "vague_plural_after", "clock_before", "every", "year_words"):
        cls[key] = _first(g(key, []))
    adj = _forms(T("part_adjectives"), ends)
    cls["part_adjective_forms"] = adj
    cls["direction_forms"] = _forms(T("directions"), ends)
    cls["present_adjective_forms"] = _forms(T("present_adjectives"), ends)
    cls["unit_long_forms"] = _forms(T("unit_long"), ends)
    cls["ordinal_forms"] = _forms(T("ordinals"), ends) | _first(T("ordinals"))
    cls["season_forms"] = {p + s for p in [""] + list(T("part_adjectives")) for s in T("seasons")}
    cls["weekday_pod_forms"] = {w + p for w in T("weekdays") for p in T("parts_of_day")}
    cls["quarter_codes"] = {f"{c}{n}" for c in "qh" for n in "1234"}
    return cls


def _triggers(
    lex: Lexicon, names: list[str], ends: list[str]
) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...], tuple[tuple[tuple[str, ...], int], ...]]:
    cls = _classes(lex, ends)
    by_word: dict[str, list[int]] = {}
    digit: list[int] = []
    for i, name in enumerate(names):
        for c in _RULE_STARTS[name]:
            if c == "DIGIT":
                digit.append(i)
                continue
            for w in cls[c]:
                for variant in {w, w[:1].upper() + w[1:], w.upper()}:
                    lst = by_word.setdefault(variant, [])
                    if i not in lst:
                        lst.append(i)
    # glued number words + unit adjectives ("dreitägigen") are found by a scan
    stems = tuple(k.lower() for k in lex.table("unit_adjectives"))
    finder = re.compile("|".join(re.escape(x) for x in stems)) if stems else re.compile("(?!)")
    scans = tuple((stems, finder, i) for i, n in enumerate(names) if n == "unitadj" and stems)
    dispatch = {key: tuple(i for i in sorted(set(digit)) if names[i] in allowed) for key, allowed in _DIGIT_NEXT.items()}
    return {w: tuple(sorted(v)) for w, v in by_word.items()}, dispatch, scans
