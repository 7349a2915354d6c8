"""Clues to an article's writing date, read from its clean text and its times.

:func:`read_clues` turns the tagger's time expressions plus a few cue patterns
(``lexicon/pubdate_<lang>.toml``) into

* :class:`Bound` — a lower and/or upper bound on the publication day, with the
  span that says so and a reason code;
* :class:`Pending` — a statement whose year is relative to the writing year
  ("im vergangenen Jahr …", "zum 70. Jahrestag …", "vor 40 Jahren …") and
  needs the year of the event it names, from this article or another one;
* :class:`Yearless` — a day and month without a year ("am Donnerstag, 27. Juli");
* :class:`Dated` — an event sentence with an absolute date, which pending
  statements here or in other articles can be matched with.

Only values that rest on the text alone are evidence: ``anchor == "absolute"``,
and short ``previous`` chains from such a date ("am Tag darauf").  Values the
tagger resolved against a publication date would be circular.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from collections.abc import Iterable, Mapping  # (isinstance is faster with these than with typing's)
from typing import Any

from ...periods import shift_years
from ._events import counted_from_text
from ._pubdate_lexicon import PubLexicon
from ._pubdate_text import (WORD, Folded, SentenceWords, cue_matches, event_words, may_match, period, precision,
                            relative_year_matches, sentence_spans, text_memo)

__all__ = ["Bound", "Pending", "Yearless", "Dated", "Clues", "read_clues", "sentence_spans", "event_words", "WEIGHTS"]

#: How far each kind of clue is trusted when clues contradict each other (higher wins).
WEIGHTS: dict[str, int] = {
    "metadata": 100,
    "anniversary": 70,
    "relative-year": 70,
    "years-ago": 65,
    "duplicate": 60,
    "until-past": 55,
    "past-date": 50,
    "since-date": 50,
    "past-anaphor": 45,
    "future-date": 45,
    "target-date": 40,
    "until-present": 35,
    "weekday-date": 30,
    "yearless-date": 25,
    "last-month": 25,
    "news-recency": 10,
}

_WORD = WORD
_NO_WORDS: frozenset[str] = frozenset()
#: Absolute dates before this year bound nothing (misread numbers, antiquity).
_MIN_YEAR = 1000


@dataclass(slots=True)
class Bound:
    """``lower <= publication day <= upper`` (either side may be None)."""

    lower: date | None
    upper: date | None
    reason: str
    start: int | None = None
    end: int | None = None
    text: str = ""
    point: date | None = None  #: the most likely day, where the clue names one
    #: the lower bound is a past event's first day, known to the ``"day"`` or ``"month"`` (for the news-recency prior)
    event: str = ""
    via: dict[str, Any] | None = None  #: the event that dated it (``start``, ``end``, ``text``, ``article``)

    @property
    def weight(self) -> int:
        return WEIGHTS.get(self.reason, 20)


@dataclass(slots=True)
class Pending:
    """A statement dated relative to the writing year; ``year_offset``: writing year − event year."""

    kind: str  #: relative-year | anniversary | years-ago
    year_offset: int
    start: int
    end: int
    text: str
    sentence: int  #: index into :attr:`Clues.sentences`
    words: frozenset[str] = frozenset()


@dataclass(slots=True)
class Yearless:
    """A day of a month named without a year; ``weekday`` 0 = Monday."""

    month: int
    day: int
    weekday: int | None
    tense: str | None
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Dated:
    """A sentence holding an absolute date: what it is about (``words``) and when."""

    value: str
    first: date
    last: date
    precision: str
    start: int
    end: int
    text: str
    words: frozenset[str]
    sentence: int


@dataclass(slots=True)
class Clues:
    """Everything :func:`read_clues` found in one article."""

    bounds: list[Bound] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    yearless: list[Yearless] = field(default_factory=list)
    dated: list[Dated] = field(default_factory=list)
    #: dateless weekday mentions ``(weekday, tense, start, end, text)``
    weekdays: list[tuple[int, str | None, int, int, str]] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    #: event words of every sentence (for telling an article's topic from its events)
    sentence_words: list[frozenset[str]] = field(default_factory=list)


# -- text helpers --------------------------------------------------------------------------------


def _sentence_of(spans: list[tuple[int, int]], offset: int) -> int:
    lo, hi = 0, len(spans) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s, e = spans[mid]
        if offset < s:
            hi = mid - 1
        elif offset >= e:
            lo = mid + 1
        else:
            return mid
    return max(0, min(lo, len(spans) - 1))


# -- reading the tagger's times ------------------------------------------------------------------


def _weekday_near(text: str, start: int, end: int, lex: PubLexicon) -> int | None:
    """A weekday name inside the span or right before it ("am Freitag, dem 3. Dezember")."""
    window = text[max(0, start - 24) : end].casefold()
    found = None
    weekdays = lex.weekdays
    for w in _WORD.findall(window):
        if w in weekdays:
            found = weekdays[w]
    return found


def _yearless(t: Mapping[str, Any], lex: PubLexicon) -> tuple[int, int, int | None] | None:
    """``(month, day, weekday)`` of a date without a year, from the tagger's relative spec or the span."""
    rel = t.get("relative")
    text = str(t.get("text") or "")
    if isinstance(rel, Mapping) and rel.get("month") and rel.get("day") and "year_offset" not in rel:
        wd = rel.get("weekday")
        if isinstance(wd, int):
            return int(rel["month"]), int(rel["day"]), int(wd) - 1
        named = [lex.weekdays[m.group()] for m in _WORD.finditer(text.casefold()) if m.group() in lex.weekdays]
        return int(rel["month"]), int(rel["day"]), (named[0] if named else None)
    memo = text_memo(lex, "day_month")
    if text not in memo:
        memo[text] = _day_month(text, lex)
    return memo[text]


def _day_month(text: str, lex: PubLexicon) -> tuple[int, int, int | None] | None:
    for pat in lex.day_month:
        m = pat.search(text)
        if not m:
            continue
        month = int(m["mnum"]) if "mnum" in m.groupdict() and m["mnum"] else lex.months.get((m["m"] or "").casefold().rstrip("."))
        if not month:
            continue
        wd = lex.weekdays.get((m["wd"] or "").casefold()) if m["wd"] else None
        return month, int(m["d"]), wd
    return None


def _dateless_weekday(t: Mapping[str, Any], lex: PubLexicon) -> int | None:
    rel = t.get("relative")
    if isinstance(rel, Mapping) and isinstance(rel.get("weekday"), int) and not rel.get("month"):
        return int(rel["weekday"]) - 1
    text = str(t.get("text") or "").casefold()
    memo = text_memo(lex, "weekday")
    if text not in memo:
        memo[text] = _weekday_word(text, lex)
    return memo[text]


def _weekday_word(text: str, lex: PubLexicon) -> int | None:
    if any(c.isdigit() for c in text):
        return None
    for m in _WORD.finditer(text):
        w = m.group()
        for name, n in lex.weekdays.items():
            if w.startswith(name):
                return n
    return None


_CLAUSE_END = re.compile(r"[,;:()\"„“”«»–—]|\s-\s")
_YEAR_ONLY = re.compile(r"^\d{4}$")
_CAP_WORD_BEFORE = re.compile(r"(?<![\w-])([A-ZÄÖÜ][\w-]*[a-zäöüß])\s+$")
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_LOWER_AFTER = re.compile(r"^\s+[a-z]")


def _clause(text: str, start: int, end: int, sent: tuple[int, int]) -> str:
    """The clause around ``[start, end)`` inside sentence ``sent`` (between clause punctuation)."""
    s0, s1 = sent
    c0 = s0
    for m in _CLAUSE_END.finditer(text, s0, start):
        c0 = m.end()
    m = _CLAUSE_END.search(text, end, s1)
    return text[c0 : m.start() if m else s1]


def _attributive(text: str, start: int, end: int, span: str, lex: PubLexicon) -> bool:
    """A bare year naming a thing ("Bundestagswahl 2009", "the 2009 election")."""
    if not _YEAR_ONLY.match(span.strip()):
        return False
    before = text[max(0, start - 40) : start]
    if lex.attributive_year == "noun-year":
        m = _CAP_WORD_BEFORE.search(before)
        return bool(m) and m.group(1).casefold() not in lex.stopwords and m.group(1).casefold() not in lex.months
    if lex.attributive_year == "the-year-noun":
        return bool(_THE_BEFORE.search(before)) and bool(_LOWER_AFTER.match(text[end : end + 20]))
    return False


def _bounds_of_absolute(text: str, t: Mapping[str, Any], lex: PubLexicon, clues: Clues, settings: Mapping[str, Any]) -> None:
    value, mod, tense = t.get("value"), t.get("mod"), t.get("tense")
    part_mod = mod if mod in ("START", "MID", "END") else None
    p = period(value, part_mod)
    if p is None:
        return
    first, last = p
    if first.year < _MIN_YEAR:
        return  # "pro Jahr 30": no publication is bounded by antiquity
    # a range ("zwischen 1950 und 1953") told in the past is over by its end
    end_p = period(t.get("range_end"), part_mod) if t.get("range_end") else None
    past_first = end_p[0] if end_p else first
    start, end = int(t["start"]), int(t["end"])
    span = str(t.get("text") or text[start:end])
    before = text[max(0, start - 24) : start]
    words = span.split()
    head = before + " " + words[0] if words else before
    # "bis" inside a range ("von Mai bis Juli 2006") joins its ends; it ends nothing
    is_until = end_p is None and (bool(lex.until.search(before)) or bool(lex.until.search(head))
                                  or mod in ("BEFORE", "EQUAL_OR_LESS"))
    is_since = bool(lex.since.search(before)) or bool(lex.since.search(head))
    prec = precision(value)
    day = prec == "day" and end_p is None
    event = prec if end_p is None and prec in ("day", "month") else ""
    is_target = bool(lex.target.search(before)) and not lex.not_target.search(before)
    if is_target and prec not in ("day", "month") and lex.target_day_only.search(before):
        return  # "für 2004", "für die Jahre 2007 bis 2013": the period a figure or plan is for
    window = timedelta(days=int(settings["weekday_window_days"]))
    wd = _weekday_near(text, start, end, lex) if day else None
    if wd is not None and wd == first.weekday():
        # a weekday named with the date: the event is at most a week from the writing day
        lo, hi, point = {"past": (first, first + window, first + timedelta(days=1)),
                         "future": (first - window, first, first - timedelta(days=1))}.get(
            tense or "", (first - window, first + window, None))
        clues.bounds.append(Bound(lo, hi, "weekday-date", start, end, span, point=point))
    i = _sentence_of(clues.sentences, start)
    sent = clues.sentences[i] if clues.sentences else (0, len(text))
    if event and (lex.background_before.search(before) or lex.background.search(text[sent[0] : sent[1]])):
        event = ""  # background ("hatte am …", "am … geboren", "Urteil vom …"): not the news the article reports
    if is_since:
        clues.bounds.append(Bound(first, None, "since-date", start, end, span))
    elif is_target:
        if tense != "past":
            clues.bounds.append(Bound(None, last, "target-date", start, end, span))
    elif _attributive(text, start, end, span, lex):
        return
    elif tense == "past" and is_until:
        if lex.until_past_verbs.search(_clause(text, start, end, sent)):
            clues.bounds.append(Bound(past_first, None, "until-past", start, end, span, event=event))
    elif tense == "past":
        clues.bounds.append(Bound(past_first, None, "past-date", start, end, span, event=event))
    elif tense == "future":
        clues.bounds.append(Bound(None, last, "future-date", start, end, span))
    elif tense == "present" and is_until:
        clues.bounds.append(Bound(None, last, "until-present", start, end, span))
    else:
        # a date in a present or verbless clause, taken as past when the rest of the
        # sentence or the next one refers back to it as past ("… im September 2023 … Schon damals hatte …")
        follow = clues.sentences[i + 1] if i + 1 < len(clues.sentences) else None
        stretch = text[end : follow[1] if follow else sent[1]]
        if lex.past_anaphor.search(stretch):
            clues.bounds.append(Bound(first, None, "past-anaphor", start, end, span, event=event))


# -- cue patterns ---------------------------------------------------------------------------------


def _pending(text: str, lex: PubLexicon, clues: Clues, words: SentenceWords) -> None:
    folded = text.casefold()
    view = Folded(text, folded)
    if any(map(folded.__contains__, lex.relative_year_keywords)):
        for m, off in relative_year_matches(text, lex, view):
            i = _sentence_of(clues.sentences, m.start())
            clues.pending.append(Pending("relative-year", -off, m.start(), m.end(), m.group(), i))
    for kind, pats, keys in (("anniversary", lex.anniversary, lex.anniversary_keywords),
                             ("years-ago", lex.ago, lex.ago_keywords)):
        if not any(map(folded.__contains__, keys)) or not may_match(text, pats, view):
            continue  # none of the words these patterns need: skip the scan
        taken: list[tuple[int, int]] = []
        for pat in pats:
            for m in cue_matches(pat, text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                n = lex.number(m["n"])
                if not n or n > 1000:
                    continue
                taken.append((m.start(), m.end()))
                i = _sentence_of(clues.sentences, m.start())
                clues.pending.append(Pending(kind, n, m.start(), m.end(), m.group(), i))
    for p in clues.pending:
        p.words = words[p.sentence]


def _chained_from_text(t: Mapping[str, Any]) -> bool:
    """A ``previous``-anchored day a few days from an earlier date ("am Tag darauf", "zwei Tage später").

    Longer chains ("nach 20 Jahren" after "im Oktober 2004") and clock times are
    too often not about the date before them to count as evidence.
    """
    v = str(t.get("value") or "")
    rel = t.get("relative") or {}
    if not v or v.startswith("X") or period(v) is None or not isinstance(rel, Mapping):
        return False
    return rel.get("unit") == "D" and abs(int(rel.get("offset") or 0)) <= 7


def _last_month(text: str, t: Mapping[str, Any], lex: PubLexicon) -> bool:
    start = int(t["start"])
    return bool(lex.last_month.search(text[max(0, start - 20) : start] + " " + str(t.get("text") or "").split(" ")[0]))


def read_clues(text: str, times: Iterable[Mapping[str, Any]], lex: PubLexicon, settings: Mapping[str, Any],
               *, resolved_events: bool = False, only_for_date: bool = False) -> Clues:
    """All clues in ``text`` (offsets into it) given the tagger's ``times``.

    ``resolved_events``: also list times resolved against a (known) publication
    date as dated events — for other articles to match, never as bounds here.
    ``only_for_date``: read only what this article's date needs (for
    :func:`.pubdate.infer_with`): the sentences only once a date is told,
    pending statements only when the article dates an event they could be
    matched with (:func:`resolve_in_article` has nothing else to match them
    with), and the dated sentences' event words only when there are pending
    statements.  Bounds, yearless days and weekdays are the same.
    """
    clues = Clues(sentences=[] if only_for_date else sentence_spans(text))
    spans_read = not only_for_date
    times = list(times)
    for t in times:
        if t.get("type") not in ("DATE", "TIME") or t.get("start") is None or t.get("end") is None:
            continue
        start, end = int(t["start"]), int(t["end"])
        # values resting only on the text (absolute, or chained from an absolute date without a
        # publication anchor) are evidence; values resolved against a publication date are not
        absolute = (t.get("anchor") == "absolute"
                    or (t.get("anchor") == "previous" and not t.get("anchor_inferred") and _chained_from_text(t))
                    # "drei Tage nach der Wahl" with the election dated in the text, no publication date used
                    or (t.get("anchor") == "event" and not t.get("anchor_inferred") and counted_from_text(t, times)))
        if t.get("value") and (absolute or resolved_events):
            if not spans_read:
                clues.sentences, spans_read = sentence_spans(text), True
            if absolute:
                _bounds_of_absolute(text, t, lex, clues, settings)
            p = period(t["value"])
            prec = precision(t["value"])
            if p and prec in ("day", "week", "month", "quarter", "half", "season", "year"):
                i = _sentence_of(clues.sentences, start)
                clues.dated.append(Dated(str(t["value"]), p[0], p[1], prec, start, end,
                                         str(t.get("text") or text[start:end]), _NO_WORDS, i))
            continue
        if absolute:
            continue
        ym = _yearless(t, lex)
        if ym is not None:
            month, day, wd = ym
            if 1 <= month <= 12 and 1 <= day <= 31:
                clues.yearless.append(Yearless(month, day, wd, t.get("tense"), start, end, str(t.get("text") or "")))
            continue
        wd = _dateless_weekday(t, lex)
        if wd is not None:
            clues.weekdays.append((wd, t.get("tense"), start, end, str(t.get("text") or "")))
            continue
        rel = t.get("relative")
        month_only = isinstance(rel, Mapping) and rel.get("month") and not rel.get("day")
        if month_only and t.get("tense") == "past" and _last_month(text, t, lex):
            clues.yearless.append(Yearless(int(rel["month"]), 0, None, "past", start, end, str(t.get("text") or "")))
    words = SentenceWords(text, clues.sentences, lex)  # event words, once per sentence
    if clues.dated or not only_for_date:
        _pending(text, lex, clues, words)
    if clues.pending or not only_for_date:
        for d in clues.dated:
            d.words = words[d.sentence]
    if clues.pending:
        clues.sentence_words = words.all()
    return clues


# -- resolving pending statements with a dated event --------------------------------------------


def pending_bound(p: Pending, event: Dated, settings: Mapping[str, Any], *, article: str | None = None) -> Bound | None:
    """The bound a pending statement gives once its event is dated."""
    w = timedelta(days=int(settings["anniversary_window_days"]))
    y = event.first.year + p.year_offset
    if y < 1 or y > 9999:
        return None
    via = {"start": event.start, "end": event.end, "text": event.text}
    if article is not None:
        via["article"] = article
    if p.kind == "anniversary":
        if event.precision == "day":
            point = shift_years(event.first, p.year_offset)
            return Bound(point - w, point + w, "anniversary", p.start, p.end, p.text, point=point, via=via)
        if event.first.year != event.last.year:
            return None
        return Bound(date(y, 1, 1) - w, date(y, 12, 31) + w, "anniversary", p.start, p.end, p.text, via=via)
    if event.first.year != event.last.year:
        return None
    if p.kind == "years-ago":
        return Bound(date(y, 1, 1), date(y, 12, 31) + w, "years-ago", p.start, p.end, p.text, via=via)
    return Bound(date(y, 1, 1), date(y, 12, 31), "relative-year", p.start, p.end, p.text, via=via)


def match_event(p: Pending, dated: Iterable[Dated], min_shared: int, ignore: frozenset[str] = frozenset()) -> Dated | None:
    """The dated event sharing the most event words with ``p`` (at least ``min_shared``)."""
    best, best_n = None, 0
    words = p.words - ignore
    for d in dated:
        n = len(words & d.words)
        if n >= min_shared and n > best_n:
            best, best_n = d, n
    return best


def _topic_words(clues: Clues) -> frozenset[str]:
    """Words in three or more sentences of the article: its topic, not one event."""
    counts: dict[str, int] = {}
    for words in clues.sentence_words:
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    return frozenset(w for w, k in counts.items() if k >= 3)


def resolve_in_article(clues: Clues, settings: Mapping[str, Any], latest_year: int) -> tuple[list[Bound], list[Pending]]:
    """Bounds from pending statements whose event is dated in the same article; the rest stay pending.

    ``latest_year``: no reading may put the writing year after it (the processing year).
    """
    out: list[Bound] = []
    left: list[Pending] = []
    min_shared = int(settings["event_min_shared_words"])
    # what the whole article is about names no particular event: words in several
    # of its sentences do not count when matching within the article
    topic = _topic_words(clues)
    for p in clues.pending:
        event: Dated | None = None
        if p.kind in ("anniversary", "years-ago"):
            # the event is the oldest date in the same sentence (a newer one may be the
            # anniversary day itself), else, for an anniversary, in the next sentence
            for k in (p.sentence, p.sentence + 1) if p.kind == "anniversary" else (p.sentence,):
                near = [d for d in clues.dated if d.sentence == k and d.first.year == d.last.year
                        and d.first.year + p.year_offset <= latest_year]
                if near:
                    event = min(near, key=lambda d: d.first)
                    break
        if event is None and p.kind != "years-ago":
            event = match_event(p, (d for d in clues.dated if d.sentence != p.sentence), min_shared, topic)
        b = pending_bound(p, event, settings) if event is not None else None
        if b is None:
            left.append(p)
        else:
            out.append(b)
    return out, left
