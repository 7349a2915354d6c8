"""Events of one text: triggers → one event per category and clause, with attributes.

Attributes (all cue words come from the language's lexicon file):

* ``negated`` — a verb trigger's clause holds a negation word (not followed by
  an exempt word, "nicht nur", nor by an attributive adjective, "nicht
  verifizierbaren Berichten"); a noun trigger needs the negation within the two
  words before it ("kein Treffen").
* planned — a future auxiliary with an infinitive and no participle after it
  ("wird … besuchen"; "wird verdächtigt" is a passive), a planned/announcement
  cue in the clause ("will", "plant", "kündigte … an", "kommende Woche"), or a
  time expression of the clause with future tense or value ``FUTURE_REF``;
  "soll … geliefert haben" is reported speech, not a plan.
* ``status`` — the ``status`` of the claim whose span holds the trigger;
  ``planned`` replaces ``asserted`` for planned events.  With no claim there,
  the sentence's own cues decide: ``hedged`` (mutmaßlich, verdächtigt …),
  ``speculated`` (Konjunktiv II: wäre, könnte …), ``reported`` (laut,
  zufolge …; "soll … geliefert haben"), else ``asserted`` (or ``planned``).
* ``background`` — the event's date (clause or sentence anchor) starts more
  than ``background_days`` before the publication date (``published.value``, else ``earliest``); or the
  clause is in the past perfect (``hatte``/``had`` + participle); or a
  background cue (einst, damals, Jahrestag, seit dem …) stands within six words
  before the trigger in its clause; or the clause tells an earlier occurrence of
  a recurring event: an ``earlier`` cue anywhere in it (zuletzt, zum letzten Mal,
  previously), or an ``earlier_dated`` cue (bereits im …, last …) when the clause
  carries its own date — the mention keeps that date.
* ``date`` — the nearest dated time expression (``DATE``/``TIME`` whose value
  has a digit) of the clause, else the sentence, else the paragraph (the line),
  else the publication date, else none; ``precision`` from the value's shape.
* ``context`` — the trigger's own contexts plus those whose stems occur in the
  sentence.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import re
from typing import Any

from ._lexicon import Lexicon, Ontology
from ._match import Hit, find_triggers, may_trigger
from ._roles import Group, assign_roles, groups_in
from ._words import Clause, Word, clauses_of, has_phrase, is_participle, words_of

__all__ = ["find_events", "precision_of"]

#: words as the prefilter sees them (hyphenated compounds kept whole, as the tokenizer does;
#: possessive ``*+``: the same longest words, a faster scan)
_WORD_RE = re.compile(r"\w+(?:[-‐‑]\w+)*+")

_PRECISION = (
    (re.compile(r"^[\dX]{4}-\d{2}-\d{2}"), "day"),
    (re.compile(r"^[\dX]{4}-W\d{2}"), "week"),
    (re.compile(r"^[\dX]{4}-\d{2}$"), "month"),
    (re.compile(r"^[\dX]{4}-Q\d$"), "quarter"),
    (re.compile(r"^\d{4}$"), "year"),
    (re.compile(r"^\d{3}X$"), "decade"),
)


def precision_of(value: str | None) -> str:
    """``day``, ``week``, ``month``, ``quarter``, ``year``, ``decade`` or ``unknown`` from a TIMEX value."""
    for rx, name in _PRECISION:
        if value and rx.match(value):
            return name
    return "unknown"


def _start_date(value: str) -> _dt.date | None:
    m = re.match(r"^(\d{3})(\d|X)(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    year = int(m.group(1) + (m.group(2) if m.group(2) != "X" else "0"))
    month = int(m.group(3)) if m.group(3) else 1
    day = int(m.group(4)) if m.group(4) else 1
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _dated(t: dict[str, Any]) -> bool:
    v = t.get("value")
    return t.get("type") in ("DATE", "TIME") and isinstance(v, str) and any(c.isdigit() for c in v) and "REF" not in v


def _negated(words: list[Word], lo: int, hi: int, hit: Hit, lex: Lexicon) -> bool:
    neg, exempt = lex.cue("negation"), lex.cue("negation_exempt_next")
    rng = range(max(lo, hit.i - 2), hit.i) if hit.noun else range(lo, hi)
    for k in rng:
        w = words[k]
        if w.low not in neg and not (lex.language == "en" and w.low.endswith("n't")):
            continue
        nxt = words[k + 1] if k + 1 < hi else None
        if nxt is not None and nxt.low in exempt:
            continue
        if (
            not hit.noun
            and nxt is not None
            and k + 2 < hi
            and nxt.alpha
            and not nxt.text[:1].isupper()
            and words[k + 2].text[:1].isupper()
            and lex.language == "de"
            and k + 1 != hit.i
        ):
            continue  # "nicht verifizierbaren Berichten": the adjective is negated
        return True
    return False


def _planned(words: list[Word], lo: int, hi: int, hit: Hit, lex: Lexicon, future_starts: list[int]) -> bool:
    """``future_starts``: the sorted starts of the article's future times (tense or ``FUTURE_REF``)."""
    a, b = words[lo].start, words[hi - 1].end
    k = bisect.bisect_left(future_starts, a)
    if k < len(future_starts) and future_starts[k] < b:
        return True
    if hit.noun:
        lo_cue, hi_cue = lo, hit.i  # a noun is planned by a cue before it ("will einen Besuch …")
    else:
        lo_cue, hi_cue = lo, hi
    lows = [w.low for w in words[lo_cue:hi_cue]]
    planned = lex.cue("planned")
    perf = lex.cue("perfect_infinitive")
    # "soll … geliefert haben": a participle and a perfect infinitive closing the clause
    tail = [w.low for w in words[lo:hi] if w.alpha][-2:]
    reported_modal = any(lw in perf for lw in tail) and any(is_participle(w, lex.language) for w in words[lo:hi])
    for k, lw in enumerate(lows):
        if lw in lex.cue("future_aux"):
            rest = words[lo_cue + k + 1 : hi]
            if any(w.alpha and not w.text[:1].isupper() and w.low.endswith("n") for w in rest) and not any(
                is_participle(w, lex.language) for w in rest
            ):
                return True
        if lw in planned and not reported_modal:
            return True
    return has_phrase(words, lo_cue, hi_cue, lex.phrases.get("planned", ())) is not None


def _background_cue(words: list[Word], lo: int, hit: Hit, lex: Lexicon) -> bool:
    first = max(lo, hit.i - 6)
    if any(words[k].low in lex.cue("background") for k in range(first, hit.i)):
        return True
    if has_phrase(words, first, hit.i, lex.phrases.get("background", ())) is not None:
        return True
    return False


def _earlier_cue(words: list[Word], lo: int, hi: int, lex: Lexicon, own_date: bool) -> bool:
    """The clause tells an earlier occurrence of a recurring event ("besuchte X zuletzt im März"):
    an ``earlier`` cue anywhere in it, or an ``earlier_dated`` one when the clause has its own date."""
    prev_x, next_x = lex.cue("earlier_exempt_prev"), lex.cue("earlier_exempt_next")
    names = ("earlier", "earlier_dated") if own_date else ("earlier",)
    for name in names:
        cues = lex.cue(name)
        for k in range(lo, hi):
            if words[k].low not in cues:
                continue
            if k > lo and words[k - 1].low in prev_x or k + 1 < hi and words[k + 1].low in next_x:
                continue
            return True
        if has_phrase(words, lo, hi, lex.phrases.get(name, ())) is not None:
            return True
    return False


def _past_perfect(words: list[Word], lo: int, hi: int, lex: Lexicon) -> bool:
    aux = lex.cue("past_perfect")
    return any(w.low in aux for w in words[lo:hi]) and any(is_participle(w, lex.language) for w in words[lo:hi])


def _fallback_status(words: list[Word], lex: Lexicon, skip: set[int]) -> str:
    lows = {w.low for k, w in enumerate(words) if k not in skip}
    if lows & lex.cue("speculated"):
        return "speculated"
    if lows & lex.cue("hedged") or has_phrase(words, 0, len(words), lex.phrases.get("hedged", ())) is not None:
        return "hedged"
    if lows & lex.cue("reported") or has_phrase(words, 0, len(words), lex.phrases.get("reported", ())) is not None:
        return "reported"
    if lows & lex.cue("hearsay_modal") and lows & lex.cue("perfect_infinitive") and any(
        is_participle(w, lex.language) for w in words
    ):
        return "reported"  # "soll … geliefert haben"
    return "asserted"


class _Ctx:
    """Per-article data the event builder reads.

    Made only for an article with a sentence that may hold a trigger; each index is built on first
    use (a sentence with a trigger candidate needs the mentions, an event the times and claims).
    """

    def __init__(self, text: str, entities: list[dict[str, Any]], times: list[dict[str, Any]],
                 claims: list[dict[str, Any]], published: dict[str, Any], background_days: int) -> None:
        self.text = text
        self.entities = entities
        self.times = times
        self.claims = claims
        self.published = published
        self.background_days = background_days
        #: sentence span → the general contexts whose stems occur in it
        self._contexts: dict[tuple[int, int], set[str]] = {}

    @functools.cached_property
    def _mention_index(self) -> tuple[list[tuple[int, int, dict[str, Any], dict[str, Any]]], list[int]]:
        """The mentions inside the text as ``(start, end, entity, mention)`` in (start, end) order
        (a stable sort: entity order on a tie), and their starts."""
        ms = [
            (m["start"], m["end"], e, m)
            for e in self.entities
            for m in e.get("mentions", ())
            if 0 <= m["start"] < m["end"] <= len(self.text)
        ]
        ms.sort(key=lambda x: (x[0], x[1]))
        return ms, [x[0] for x in ms]

    @functools.cached_property
    def dated(self) -> list[tuple[int, dict[str, Any]]]:
        return [(i, t) for i, t in enumerate(self.times) if _dated(t)]

    @functools.cached_property
    def reference(self) -> _dt.date | None:
        ref = self.published.get("value") or self.published.get("earliest")
        return _start_date(ref) if isinstance(ref, str) else None

    # indexes by start, so that a lookup per event does not walk the whole article (a long
    # single-line text has thousands of times, claims and events)
    @functools.cached_property
    def _dated_index(self) -> tuple[list[tuple[int, int]], list[int], bool]:
        """``(sorted (start, index in dated), their starts, whether every dated time ends after it starts)``."""
        dstarts = sorted((t["start"], k) for k, (_, t) in enumerate(self.dated))
        return dstarts, [x[0] for x in dstarts], all(t["start"] <= t["end"] for _, t in self.dated)

    @functools.cached_property
    def _claim_index(self) -> tuple[list[tuple[int, int, int]], list[int], int]:
        """``(sorted (start, index, end) of the claims with int offsets, their starts, the longest span)``."""
        cl = sorted(
            (c.get("start"), i, c.get("end"))
            for i, c in enumerate(self.claims)
            if isinstance(c.get("start"), int) and isinstance(c.get("end"), int)
        )
        return cl, [x[0] for x in cl], max((e - s for s, _, e in cl), default=0)

    @functools.cached_property
    def future_starts(self) -> list[int]:
        return sorted(
            t["start"] for t in self.times if t.get("tense") == "future" or t.get("value") == "FUTURE_REF"
        )

    def contexts(self, sentence: tuple[int, int], lex: Lexicon) -> set[str]:
        """The general contexts whose stems occur in ``sentence`` (once per sentence, not per event)."""
        got = self._contexts.get(sentence)
        if got is None:
            got = set()
            if lex.context_re is not None:
                for m in lex.context_re.finditer(self.text[sentence[0] : sentence[1]].lower()):
                    got.add(lex.context_of[m.group(0)])
            self._contexts[sentence] = got
        return got

    def mentions_between(self, a: int, b: int) -> list[dict[str, Any]]:
        """The mentions starting in ``[a, b)``, each with its entity's ``id`` and ``type`` (made for
        the sentences that hold a trigger candidate only)."""
        ms, starts = self._mention_index
        i = bisect.bisect_left(starts, a)
        out = []
        while i < len(ms) and ms[i][0] < b:
            e, m = ms[i][2], ms[i][3]
            out.append({"id": e["id"], "type": e.get("type", ""), **m})
            i += 1
        return out

    def _until(self, t: dict[str, Any], until: frozenset[str]) -> bool:
        """``t`` is a deadline or an end ("bis Mai 2024", "until June"): not when an event happened."""
        words = t.get("text", "").split()
        if words and words[0].casefold() in until:
            return True
        before = self.text[max(0, t["start"] - 30) : t["start"]].split()
        return bool(before) and before[-1].casefold().strip("(„\"") in until

    def _apart(self, t: dict[str, Any], a: int, b: int) -> bool:
        """A clause boundary (``,;:–``) lies between ``t`` and the event's span ``[a, b)``."""
        lo, hi = (t["end"], a) if t["end"] <= a else (b, t["start"]) if t["start"] >= b else (a, a)
        return any(c in ",;:–—()" for c in self.text[lo:hi])

    def date(self, pos: int, spans: list[tuple[str, int, int]], until: frozenset[str] = frozenset(),
             event: tuple[int, int] | None = None) -> dict[str, Any]:
        """The event's date from a time expression of its own clause (or of its sentence when nothing
        separates them), else the publication date.

        A deadline ("bis …") is no event date: it is kept as ``until``.  Among candidates, a value
        counted from another event ("zwei Tage nach dem Gipfel") beats one resolved against an inferred
        publication date, and a value with a year beats one without ("27. Juli").
        """
        ev = event or (pos, pos + 1)
        until_value = None
        for anchor, a, b in spans:
            cands = []
            for i, t in self._dated_within(a, b):
                if not (a <= t["start"] and t["end"] <= b):
                    continue
                if anchor != "clause" and self._apart(t, *ev):
                    continue
                if until and self._until(t, until):
                    until_value = until_value or t["value"]
                    continue
                rank = 1 if t.get("anchor_inferred") and t.get("anchor") != "event" else 0
                cands.append(((rank, str(t["value"]).startswith("X"), abs(t["start"] - pos)), i, t))
            if cands:
                _, i, t = min(cands, key=lambda c: (c[0], c[1]))
                v = t["value"]
                out = {"value": v, "mod": t.get("mod"), "precision": precision_of(v), "anchor": anchor, "time": i}
                return out | ({"until": until_value} if until_value else {})
        pv = self.published.get("value")
        extra = {"until": until_value} if until_value else {}
        if pv:
            return {"value": pv, "mod": None, "precision": precision_of(pv), "anchor": "publication", "time": None} | extra
        return {"value": None, "mod": None, "precision": "unknown", "anchor": "none", "time": None} | extra

    def _dated_within(self, a: int, b: int) -> list[tuple[int, dict[str, Any]]]:
        """The dated times that may lie in ``[a, b]``, in their list order (a superset: callers check)."""
        dstarts, dkeys, indexed = self._dated_index
        if not indexed:
            return self.dated
        lo = bisect.bisect_left(dkeys, a)
        hi = bisect.bisect_right(dkeys, b)
        return [self.dated[k] for k in sorted(x[1] for x in dstarts[lo:hi])]

    def claim_at(self, pos: int) -> int | None:
        """Index of the shortest claim whose span holds ``pos`` (the first such on a tie)."""
        best: tuple[int, int] | None = None
        claims, cstarts, cmax = self._claim_index
        k = bisect.bisect_left(cstarts, pos - cmax)
        hi = bisect.bisect_right(cstarts, pos)
        for s, i, e in claims[k:hi]:
            if s <= pos < e and (best is None or (e - s, i) < best):
                best = (e - s, i)
        return None if best is None else best[1]

    def old(self, date: dict[str, Any]) -> bool:
        if self.reference is None or date["anchor"] not in ("clause", "sentence") or not date["value"]:
            return False
        d = _start_date(date["value"])
        return d is not None and (self.reference - d).days > self.background_days


def find_events(
    text: str,
    language: str,
    sentences: list[list[int]],
    entities: list[dict[str, Any]],
    times: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    published: dict[str, Any],
    lex: Lexicon,
    onto: Ontology,
    background_days: int = 365,
) -> list[dict[str, Any]]:
    """The events of ``text`` (see the module doc and the package doc for the fields)."""
    out: list[dict[str, Any]] = []
    ctx: _Ctx | None = None
    for s_start, s_end in sentences:
        # only sentences with a possible trigger are tokenised and lemmatised
        if not may_trigger(_WORD_RE.findall(text, s_start, s_end), lex):
            continue
        if ctx is None:
            ctx = _Ctx(text, entities, times, claims, published, background_days)
        words = words_of(text, s_start, s_end, lex.language)
        if not words:
            continue
        sent_mentions = ctx.mentions_between(s_start, s_end)
        masked: set[int] = set()
        for m in sent_mentions:
            for k, w in enumerate(words):
                if w.start < m["end"] and w.end > m["start"]:
                    masked.add(k)
        clauses = clauses_of(words, lex)
        bares: list[list[Group]] = []
        for n, cl in enumerate(clauses):
            lo, hi = cl.lo, cl.hi
            hits = find_triggers(words, lo, hi, lex, masked)
            groups = groups_in(words, sent_mentions, lo, hi, lex) if sent_mentions else []
            bares.append([g for g in groups if g.prep is None and not g.genitive])
            if not hits:
                continue
            fallback: Group | None = None
            if cl.resumes is not None and bares[cl.resumes]:
                fallback = bares[cl.resumes][0]
            elif cl.embedded and words[lo].low in lex.cue("relative") and n > 0 and bares[n - 1]:
                fallback = bares[n - 1][-1]
            out.extend(_clause_events(ctx, words, cl, hits, groups, fallback, lex, onto, (s_start, s_end)))
    out.sort(key=lambda e: (e["start"], e["trigger"]["start"], e["event"]))
    return out


def _clause_events(
    ctx: _Ctx,
    words: list[Word],
    cl: Clause,
    hits: list[Hit],
    groups: list[Group],
    fallback: Group | None,
    lex: Lexicon,
    onto: Ontology,
    sentence: tuple[int, int],
) -> list[dict[str, Any]]:
    text = ctx.text
    lo, hi = cl.lo, cl.hi
    by_event: dict[str, list[Hit]] = {}
    for h in hits:
        by_event.setdefault(h.trigger.event, []).append(h)
    clause_a, clause_b = words[lo].start, words[hi - 1].end
    out = []
    for event, group in by_event.items():
        hit = next((h for h in group if not h.noun), group[0])
        roles = assign_roles(
            words, lo, hi, hits, hit, groups, fallback, lex, meeting=event == "CONSULT", resumed=cl.resumes is not None
        )
        if not roles.actors and not roles.targets and not any(h.trigger.strong for h in group):
            continue
        w = words[hit.i]
        t_end = w.end
        evidence = []
        for h in group:
            evidence.append({"start": words[h.i].start, "end": words[h.i].end})
            if h.particle is not None:
                evidence.append({"start": words[h.particle].start, "end": words[h.particle].end})
        evidence.sort(key=lambda e: (e["start"], e["end"]))
        spans = [(w.start, t_end)] + [(m.start, m.end) for m in roles.actors + roles.targets]
        if roles.place is not None:
            spans.append((roles.place.start, roles.place.end))
        if hit.particle is not None:
            spans.append((words[hit.particle].start, words[hit.particle].end))
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        date = ctx.date(w.start, [("clause", clause_a, clause_b), ("sentence", *sentence)], lex.cue("until"),
                        (start, end))
        claim = ctx.claim_at(w.start)
        if claim is not None:
            status = str(ctx.claims[claim].get("status") or "asserted")
            if status == "denied" and event == "REJECT":
                status = "asserted"  # the denial itself happened; what it denies is the claim's content
        else:
            used = {h.i for h in hits} | {h.particle for h in hits if h.particle is not None}
            status = _fallback_status(words, lex, used)
        if status == "asserted" and _planned(words, lo, hi, hit, lex, ctx.future_starts):
            status = "planned"
        background = (ctx.old(date) or _past_perfect(words, lo, hi, lex) or _background_cue(words, lo, hit, lex)
                      or _earlier_cue(words, lo, hi, lex, date["anchor"] == "clause"))
        contexts = set(hit.trigger.context)
        for h in group:
            contexts.update(h.trigger.context)
        contexts |= ctx.contexts(sentence, lex)
        mode = next((h.trigger.mode for h in [hit, *group] if h.trigger.mode), None)
        trig_text = w.text
        lemma = (words[hit.particle].low + w.key) if hit.particle is not None else w.key
        out.append(
            {
                "start": start,
                "end": end,
                "text": text[start:end],
                "event": event,
                "mode": mode,
                "context": sorted(c for c in contexts if c in onto.contexts),
                "trigger": {"start": w.start, "end": t_end, "text": trig_text, "lemma": lemma},
                "actors": [m.ref() for m in roles.actors],
                "targets": [m.ref() for m in roles.targets],
                "date": date,
                "place": roles.place.ref() if roles.place is not None else None,
                "status": status,
                "negated": _negated(words, lo, hi, hit, lex),
                "background": bool(background),
                "claim": claim,
                "evidence": evidence,
            }
        )
    return out
