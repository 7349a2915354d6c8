"""Event-anchored time expressions: "drei Tage vor der Wahl", "kurz nach dem Gipfel", "two days after the summit".

An offset (a duration the tagger found, or a cue word for an unspecified short
one: "kurz", "shortly") followed by a before/after word and a noun phrase that
names an event becomes ONE DATE item::

    {start, end, text, type: "DATE", value, mod, anchor: "event", tense,
     relation: "before" | "after", offset: "P3D" | None,
     event: {start, end, text}, relative: {ref: "event", unit, offset[, index]}}

``value`` stays None unless the event is dated in the same article: a date
expression near a mention of the event's head noun in one sentence ("Die Wahl
am 5. Mai …", "… fand die Wahl am 5. Mai statt") — ``relative.index`` is then
that expression's position in the list, and the resolver computes the value
from the event's (so a yearless event date takes its year from the
publication date first).  Without a numeric offset ``mod`` is ``AFTER`` or
``BEFORE`` and the value is the event's own day.

The cue words are data: ``[events]`` in ``lexicon/<lang>.toml`` (``after``,
``before``, ``determiners``, ``approximate``, ``genitive``, ``stop``); the
noun-phrase shape (capitalised head for languages with ``capitalised_nouns``)
is code.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Mapping, Sequence

from ._lexicon import Lexicon, alt, load_lexicon

__all__ = ["link_events", "counted_from_text"]

_DURATION = re.compile(r"^P(?:T)?(\d+(?:\.\d+)?)([DWMYH])$")
_UNIT_OF = {"D": "D", "W": "W", "M": "M", "Y": "Y", "H": "H"}
# a sentence end: . ! ? after a letter (not "5. Mai"), before a space and a capital, or a line break
_SENT_END = re.compile(r"(?<=[^\W\d])[.!?]\s+(?=[A-ZÄÖÜÀ-Ý\"„“])|[!?]\s|\n")
#: a quantifier of the offset that carries over ("mehr als zwei Wochen nach …", "rund vier Wochen vor …")
_OFFSET_MODS = ("APPROX", "LESS_THAN", "MORE_THAN", "EQUAL_OR_LESS", "EQUAL_OR_MORE")
_APOS = re.compile(r"^(\w+['’])(?=\w)")
_NEAR = 60  #: characters between an event noun and its date in "Die Wahl am 5. Mai"


_Machinery = tuple[re.Pattern[str], re.Pattern[str], frozenset[str], bool, tuple[str, ...]]


def _machinery(lex: Lexicon) -> _Machinery | None:
    return _compiled(lex.language)


@functools.lru_cache(maxsize=16)
def _compiled(language: str) -> _Machinery | None:
    lex = load_lexicon(language)
    t = lex.table("events")
    after, before, dets = t.get("after") or [], t.get("before") or [], t.get("determiners") or []
    if not (after or before) or not dets:
        return None
    caps = bool(lex.grammar("capitalised_nouns", False))
    word = r"[^\W\d_][\w'’-]*"
    if caps:
        # determiner, up to two lower-case words (adjectives), a capitalised noun, an optional genitive
        head = r"[A-ZÄÖÜÀ-Ý][\w-]*"
        gen = alt(t.get("genitive") or [], boundary=True)
        np = (rf"(?P<np>{alt(dets, boundary=True)}\s+(?:[a-zäöüß][\w-]*\s+){{0,2}}{head}"
              rf"(?:\s+{gen}\s+(?:[a-zäöüß][\w-]*\s+){{0,2}}{head})?)")
    else:
        # "the summit", "l'élection" (an elided determiner is glued to its noun)
        np = rf"(?P<np>{alt(dets, boundary=True)}(?:(?<=['’])|\s+){word}(?:\s+{word}){{0,2}})"
    rel = re.compile(rf"(?P<rel>{alt([*after, *before], boundary=True)})\s+{np}", re.IGNORECASE if not caps else 0)
    approx = re.compile(rf"(?<!\w){alt(t.get('approximate') or [], boundary=True)}\s+(?={alt([*after, *before])}\s)",
                        re.IGNORECASE)  # tried only where one of the cue words stands
    stop = frozenset(w.casefold() for w in t.get("stop") or [])
    first = tuple(sorted({w.split()[0].lower() for w in t.get("approximate") or [] if w.strip()}))
    return rel, approx, stop, caps, first


def _trim_np(np: str, stop: frozenset[str], caps: bool) -> str:
    """English-style phrases: cut at the first stop word ("the summit in Geneva" → "the summit")."""
    if caps:
        return np
    words = _APOS.sub(r"\1 ", np).split()
    glued = words[0][-1:] in "'’"
    keep = [words[0]]
    for w in words[1:]:
        bare = w.strip(",.;:!?\"“”()").casefold()
        if bare in stop or not bare:
            break
        keep.append(w.rstrip(",.;:!?\"“”()"))
        if w != keep[-1]:
            break
    out = " ".join(keep)
    return out.replace(keep[0] + " ", keep[0], 1) if glued and len(keep) > 1 else out


def _time_word(word: str, lex: Lexicon) -> bool:
    w = word.casefold()
    return any(w in lex.table(t) for t in ("months", "weekdays", "units", "compounds", "deictic", "seasons",
                                           "holidays", "parts_of_day")) or w[:1].isdigit()


def _same_word(a: str, b: str) -> bool:
    """One word, inflected ("Gipfel"/"Gipfels", "Wahl"/"Wahlen"; not "Wahl"/"Wahlkampf")."""
    a, b = a.casefold(), b.casefold()
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3


@functools.lru_cache(maxsize=1024)
def _mention_re(prefix: str) -> re.Pattern[str]:
    """A word starting with ``prefix`` (the event noun less up to three letters of ending)."""
    return re.compile(r"(?<!\w)" + re.escape(prefix) + r"\w{0,6}(?!\w)", re.IGNORECASE)


def _event_date(text: str, items: list[dict[str, Any]], skip: tuple[int, int], heads: list[str]) -> int | None:
    """The index of a date expression next to a mention of the event (head noun) in one sentence."""
    mentions: list[tuple[int, int]] = []
    for h in heads:
        if len(h) < 4:
            continue
        pat = _mention_re(h[: max(4, len(h) - 3)])
        mentions += [(m.start(), m.end()) for m in pat.finditer(text)
                     if not skip[0] <= m.start() < skip[1] and _same_word(m.group(), h)]
    if not mentions:
        return None
    best: tuple[int, int] | None = None
    for k, it in enumerate(items):
        if it.get("type") != "DATE" or it.get("anchor") == "event" or it.get("range_end") is not None:
            continue
        if it.get("mod") in ("BEFORE", "AFTER", "EQUAL_OR_LESS", "EQUAL_OR_MORE"):
            continue
        st, en = int(it["start"]), int(it["end"])
        if skip[0] <= st < skip[1]:
            continue
        for a, e in mentions:
            dist = st - e if a < st else a - en
            if not 0 <= dist <= _NEAR:
                continue
            between = text[e:st] if a < st else text[en:a]
            if _SENT_END.search(between):
                continue  # another sentence
            if best is None or dist < best[0]:
                best = (dist, k)
    return best[1] if best else None


def _offset_of(item: dict[str, Any]) -> tuple[str, float] | None:
    """``(unit, amount)`` of a duration or an English "two days after" item."""
    rel = item.get("relative") or {}
    if item.get("type") == "DURATION":
        m = _DURATION.match(str(item.get("value") or ""))
        if m and (m.group(2) != "H" or str(item["value"]).startswith("PT")):
            if m.group(2) == "M" and str(item["value"]).startswith("PT"):
                return None  # minutes
            return _UNIT_OF[m.group(2)], float(m.group(1))
        return None
    if rel.get("unit") in _UNIT_OF and rel.get("ref") == "previous" and "offset" in rel:
        return str(rel["unit"]), abs(float(rel["offset"]))
    return None


def link_events(text: str, items: list[dict[str, Any]], lex: Lexicon, *,
                low: str | None = None) -> list[dict[str, Any]]:
    """``items`` with event-anchored expressions joined into one item each (see the module docstring).

    ``low``: ``text.lower()``, where the caller has it already.
    """
    mach = _machinery(lex)
    if mach is None or not text:
        return items
    rel_re, approx_re, stop, caps, approx_words = mach
    after = {w.casefold() for w in lex.table("events").get("after") or []}
    # where a before/after phrase may start (the text is not scanned as a whole, for speed):
    # right after an offset item, at the last word of an English "two days after" item,
    # or right after a cue word for a short offset ("kurz nach …")
    cands: list[tuple[int, int, dict[str, Any] | None]] = []  # (phrase position, expression start, offset item)
    for it in items:
        if _offset_of(it) is None:
            continue
        st, en = int(it["start"]), int(it["end"])
        gap = text[en: en + 8]
        cands.append((en + len(gap) - len(gap.lstrip()), st, it))
        last = it["text"].rsplit(None, 1)
        if len(last) == 2:
            cands.append((en - len(last[1]), st, it))
    if low is None:
        low = text.lower()
    if len(low) == len(text):
        for w in approx_words:
            i = low.find(w)
            while i >= 0:
                if not (i and low[i - 1].isalnum()):
                    a = approx_re.match(text, i)
                    if a is not None:
                        cands.append((a.end(), i, None))
                i = low.find(w, i + 1)
    else:  # lower-casing changed the length: scan with the regex
        cands += [(a.end(), a.start(), None) for a in approx_re.finditer(text)]
    made: list[tuple[dict[str, Any] | None, dict[str, Any]]] = []  # (the offset item, the new item)
    done: set[int] = set()
    for pos, start, off_item in sorted(cands, key=lambda c: (c[0], c[2] is None)):
        m = rel_re.match(text, pos)
        if m is None or pos in done:
            continue
        np_text = _trim_np(m.group("np"), stop, caps)
        words = _APOS.sub(r"\1 ", np_text).split()  # "l'élection" → "l'", "élection"
        heads = [w for w in words[1:] if (w[:1].isupper() if caps else w.casefold() not in stop)]
        if not heads or any(_time_word(h, lex) for h in heads):
            continue  # "zwei Tage vor dem 5. Mai", "vor dem Wochenende": no event
        relation = "after" if m.group("rel").casefold() in after else "before"
        unit, amount = _offset_of(off_item) if off_item is not None else ("D", 0.0)
        np_start = m.start("np")
        end = np_start + len(np_text)
        item: dict[str, Any] = {
            "start": start, "end": end, "text": text[start:end],
            "type": "DATE", "value": None,
            "mod": (off_item.get("mod") if off_item is not None and off_item.get("mod") in _OFFSET_MODS
                    else None) if amount else relation.upper(),
            "anchor": "event", "tense": off_item.get("tense") if off_item is not None else None,
            "relation": relation, "offset": _iso_offset(unit, amount) if amount else None,
            "event": {"start": np_start, "end": end, "text": np_text},
            "relative": {"ref": "event", "unit": "D" if unit == "W" else unit,
                         "offset": _num(amount * (7 if unit == "W" else 1) * (1 if relation == "after" else -1))},
        }
        made.append((off_item, item))
        done.add(pos)
    if not made:
        return items
    drop = {id(o) for o, _ in made if o is not None}
    new = [it for it in items if id(it) not in drop]
    spans = [(it["start"], it["end"]) for _, it in made]
    new = [it for it in new if not any(s <= int(it["start"]) and int(it["end"]) <= e for s, e in spans)]
    new.extend(it for _, it in made)
    new.sort(key=lambda it: (int(it["start"]), -int(it["end"])))
    for it in new:
        if it.get("anchor") != "event":
            continue
        heads = [w for w in _APOS.sub(r"\1 ", it["event"]["text"]).split()[1:] if w[:1].isupper() or not caps]
        heads = [h.strip(",.;:") for h in heads if h.casefold() not in stop]
        k = _event_date(text, new, (int(it["start"]), int(it["end"])), heads[-1:])
        if k is not None:
            it["relative"]["index"] = k
    # indices into the list changed: clock times naming an expression keep pointing at it
    return _reindex(items, new)


def _num(x: float) -> int | float:
    return int(x) if x == int(x) else x


def _iso_offset(unit: str, amount: float) -> str:
    n = _num(amount)
    return f"PT{n}H" if unit == "H" else f"P{n}{unit}"


def _reindex(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    where = {id(it): i for i, it in enumerate(new)}
    for it in new:
        rel = it.get("relative")
        if rel and rel.get("ref") == "expression" and "index" in rel:
            k = int(rel["index"])
            target = old[k] if 0 <= k < len(old) else None
            if target is not None and id(target) in where:
                rel["index"] = where[id(target)]
            else:
                rel.pop("index", None)
                rel["ref"] = "publication"
    return new


def counted_from_text(t: Mapping[str, Any], times: Sequence[Mapping[str, Any]]) -> bool:
    """An event-anchored value counted from an absolute date of the text (no publication date in it)."""
    k = (t.get("relative") or {}).get("index")
    return isinstance(k, int) and 0 <= k < len(times) and times[k].get("anchor") == "absolute"
