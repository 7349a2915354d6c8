"""Finding quantities in a text: anchors → grammar match → filters → object → measure."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from decimal import Decimal
from typing import Any, Iterable

from ._grammar import Grammar, grammar_for
from ._lexicon import QuantityLexicon, available_languages, load_measures
from ._numbers import as_number, parse_digits, parse_words

__all__ = ["find_quantities", "measure_key", "DURATION_UNITS", "MODS"]

#: Unit keys that measure a duration (reported only with an explicit number).
DURATION_UNITS = frozenset({"year", "decade", "century", "month", "week", "day", "hour", "minute", "second"})
#: The qualifier classes a quantity's ``mod`` can take (besides ``None``).
MODS = ("APPROX", "MORE_THAN", "LESS_THAN", "AT_LEAST", "AT_MOST", "UP_TO", "NEARLY")

#: Spans that hold digits but no amount: phone numbers, ISBNs, numeric dates,
#: clock times (searched only in a window around a candidate).
_MASKS = re.compile(
    r"(?:\+|(?<![\w.,])0)\d{1,4}(?:[ /()\-]{1,3}\d{2,}){1,4}(?![\w.,]?\d)"  # +49 30 1234567, 030/123456
    r"|\bISBN(?:-1[03])?:?\s*[\dX][\d\- ]{8,}[\dX]"
    r"|\bISSN:?\s*\d{4}-\d{3}[\dX]"
    r"|(?<![\w.])\d{1,2}\.\d{1,2}\.(?:\d{2,4})?(?![\d])"  # 27.07.2023, 27.7.
    r"|(?<![\w.])\d{1,2}/\d{1,2}/\d{2,4}"
    r"|(?<![\w.])\d{1,2}[:.]\d{2}(?=\s*(?:Uhr|h\b|a\.m\.|p\.m\.|am\b|pm\b))"
)
_MASK_WINDOW = 40
#: Inside a URL or an e-mail address (the white-space-delimited token holds one of these).
_LINKISH = ("://", "@", "www.")


#: Only a window holding one of these (or a dotted date) can hold a masked span.
_MASK_TRIGGERS = ("+", "/", ":", " 0", "(0", "ISBN", "ISSN")
_DOTTED = re.compile(r"\d\.\d{1,2}\.")


def _char_before(text: str, i: int) -> str:
    """The last non-white-space character before ``i`` ("" if none): ``text[:i].rstrip()[-1:]``
    without copying the text before ``i``."""
    while i and text[i - 1].isspace():
        i -= 1
    return text[i - 1] if i else ""


def _masked(text: str, s: int, e: int) -> bool:
    """Whether ``[s, e)`` lies in a phone number, ISBN, numeric date, clock time, URL or e-mail address."""
    lo, hi = max(0, s - _MASK_WINDOW), min(len(text), e + _MASK_WINDOW)
    window = text[lo:hi]
    if any(t in window for t in _MASK_TRIGGERS) or _DOTTED.search(window):
        for m in _MASKS.finditer(text, lo, hi):
            if m.start() < e and s < m.end():
                return True
    # the white-space-delimited token around [s, e); "\n" is looked for only up to the
    # nearest space, so that one long line costs no scan of the whole text per number
    sp = text.rfind(" ", 0, s)
    a = max(sp, text.rfind("\n", sp + 1, s)) + 1
    sp = text.find(" ", e)
    nl = text.find("\n", e, sp if sp >= 0 else len(text))
    b = min(k for k in (sp, nl, len(text)) if k >= 0)
    token = text[a:b]
    return any(x in token for x in _LINKISH)


#: Characters that glue a digit to what precedes it (a word, a sign, another number).
_GLUED = frozenset("+-–.,:/'’§#@_")
_MINUS = frozenset("-−")
_TOKEN = re.compile(r"\S+")
#: Opening quotes and brackets stripped from a qualifier's first word ("(etwa 300").
_OPENERS = "(„“\"«‚'[‹"
_NEXT_WORD = re.compile(r"[^\S\n]*([^\s,;:!?)\]»“\"]+)")
#: A word after the quantity: letters, inner hyphens; nothing glued after it.
_WORD = re.compile(r"[^\S\n]+([^\W\d_]+(?:-[^\W\d_]+)*)(?![\w\-])")
_LETTERS = re.compile(r"[^\W\d_]+")
_NEXT_TOKEN = re.compile(r"\s+(\S+)")
#: A number with a dot after one of these opens a list item: a rank, not an amount.
_LIST_OPENERS = frozenset(".:;,()–—-\n")
_SENTENCE_PUNCT = frozenset(".!?:;\"„“”«»‹›()[]–—-\n")


def measure_key(lemma: str | None, lex: QuantityLexicon) -> str:
    """The concept key of an object lemma (``lexicon/measures.toml``), else its lower case.

    In languages that write compounds as one word (``compound_number_words``),
    the longest final part that is listed decides ("artilleriegeschoss" → shell).
    """
    if not lemma:
        return ""
    key = lemma.lower()
    concepts = load_measures()
    if key in concepts:
        return concepts[key]
    if lex.grammar.get("compound_number_words"):
        for i in range(1, len(key) - 3):
            if key[i:] in concepts:
                return concepts[key[i:]]
    return key


def _tokens_before(text: str, pos: int) -> list[tuple[str, int]]:
    """The (up to five) white-space-separated tokens right before ``pos``, with their
    offsets, when white space separates ``pos`` from the last of them."""
    lo = max(0, pos - 40)
    if pos == 0 or not text[pos - 1].isspace():
        return []
    toks = [(m.group(), m.start()) for m in _TOKEN.finditer(text, lo, pos)]
    if toks and toks[0][1] == lo and lo > 0 and not text[lo - 1].isspace():
        toks = toks[1:]  # cut by the window
    return toks[-5:]


@functools.lru_cache(maxsize=16)
def _qualifier_ends(language: str) -> frozenset[str]:
    """Lower-case last words of the qualifiers (a cheap test before the full look-up)."""
    lex = grammar_for(language).lex
    return frozenset(q.split()[-1].lower() for q in lex.qualifiers) | frozenset(
        q.split()[-1].lower().lstrip(_OPENERS) for q in lex.qualifiers)


def _qualifier(toks: list[tuple[str, int]], lex: QuantityLexicon) -> tuple[str | None, int, int]:
    """``(mod, start, tokens used)`` of the longest qualifier ending the tokens."""
    if not toks or toks[-1][0].lower().lstrip(_OPENERS) not in _qualifier_ends(lex.language):
        return None, -1, 0
    for k in range(min(4, len(toks)), 0, -1):
        first, off = toks[-k]
        bare = first.lstrip(_OPENERS)
        if not bare:
            continue
        mod = lex.qualifier_of(" ".join([bare] + [t for t, _ in toks[len(toks) - k + 1:]]))
        if mod is not None:
            return mod, off + len(first) - len(bare), k
    return None, -1, 0


def _span_index(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Spans sorted by start as ``(starts, running maximum of ends)``, for :func:`_overlaps`."""
    return [a for a, _ in spans], list(itertools.accumulate((b for _, b in spans), max))


def _overlaps(index: tuple[list[int], list[int]], s: int, e: int) -> bool:
    """Whether ``[s, e)`` overlaps a span of ``index`` (log time: long texts have many times)."""
    starts, ends = index
    i = bisect.bisect_left(starts, e)  # spans [0, i) start before e
    return i > 0 and ends[i - 1] > s


def _value(text: str, lex: QuantityLexicon) -> Decimal | None:
    if text[:1].isdigit():
        return parse_digits(text, bool(lex.grammar.get("decimal_comma")))
    low = text.lower()
    if low in lex.one_words:
        return Decimal(1)
    return parse_words(text, lex)


def _scale(m: re.Match[str], i: int, lex: QuantityLexicon) -> Decimal | None:
    sc = m.group(f"sc{i}")
    if sc:
        denominator = lex.fraction_words.get(sc.lower())
        if denominator:
            return Decimal(1) / Decimal(denominator)
        return Decimal(str(lex.scale_of(sc) or 1))
    cs = m.group(f"cs{i}")
    if cs:
        return Decimal(str(lex.currency_scales[cs]))
    return None


def _is_sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 20):pos].rstrip(" \t\u00a0")
    return not before or before[-1] in _SENTENCE_PUNCT


def _find_object(text: str, pos: int, lex: QuantityLexicon, after_vague: bool) -> tuple[str, int, int] | None:
    """The head noun after ``pos``: German — the first capitalised word after
    optional adjectives; English — the first plural word of a run of up to four
    content words (any first content word after "of")."""
    nouns_capitalised = bool(lex.grammar.get("capitalised_nouns"))
    adjectives = 0
    skipped = False
    run: list[tuple[str, int, int]] = []
    for _ in range(lex.max_adjectives + 3):
        m = _WORD.match(text, pos)
        if m is None:
            break
        w, s, e = m.group(1), m.start(1), m.end(1)
        lw = w.lower()
        pos = e
        if not skipped and not adjectives and not run and (
            lw in lex.object_skip or (after_vague and lw in lex.object_skip_after_vague)
        ):
            skipped = True
            continue
        if nouns_capitalised:
            if w[0].isupper():
                return (w, s, e) if len(w) > 1 else None
            if lw in lex.object_stop:
                return None
            if lw in lex.adjectives or lw.endswith(lex.adjective_endings):
                adjectives += 1
                if adjectives > lex.max_adjectives:
                    return None
                continue
            return None
        if lw in lex.object_stop or lw.endswith("ly"):
            break
        if run and (lw.endswith("ed") or lw.endswith("ing")):
            break
        if skipped or _plural(lw, lex):
            return (w, s, e)
        run.append((w, s, e))
        if len(run) > lex.max_adjectives:
            break
    return None


def _plural(word: str, lex: QuantityLexicon) -> bool:
    """Whether a lower-case English word looks plural (lexicon ``[object]`` lists)."""
    if word in lex.plurals:
        return True
    return word.endswith(lex.plural_endings) and not word.endswith(lex.singular_endings) if lex.plural_endings else False


def _anchors(text: str, g: Grammar) -> list[int]:
    """Sorted offsets where a quantity may start (see :mod:`._grammar`)."""
    out = [m.start() for m in g.anchor.finditer(text)]  # one per run of digits and signs
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer: fall back to per-character folding
        low = "".join(c.lower()[:1] or c for c in text)
    find = low.find
    word_ok = g.anchor_word.fullmatch
    ones, followers = g.lex.one_words, g.one_followers
    for stem in g.stems:
        k = find(stem)
        while k >= 0:
            if k == 0 or not low[k - 1].isalpha():
                w = _LETTERS.match(low, k)
                word = w.group() if w else stem
                if word_ok(word):
                    if word not in ones:
                        out.append(k)
                    else:  # "ein"/"a" only before a scale word or unit ("eine Million", "ein Prozent")
                        nxt = _NEXT_TOKEN.match(low, k + len(word))
                        if nxt and (nxt.group(1) in followers or nxt.group(1).rstrip(".,;:!?)") in followers):
                            out.append(k)
            k = find(stem, k + 1)
    out.sort()
    return out


def find_quantities(
    text: str,
    language: str | None,
    times: Iterable[dict[str, Any]] = (),
    sentences: list[list[int]] | None = None,
    *,
    durations: bool = True,
) -> list[dict[str, Any]]:
    """The quantities of ``text`` (stand-off items sorted by start; see the package docstring).

    ``times``: the article's time expressions — a quantity never overlaps a
    DATE/TIME/SET expression, and overlaps a DURATION only when it measures that
    duration (unit ``year``, ``month`` …; ``durations=False`` drops those too).
    ``sentences``: ``[start, end]`` spans (found when needed if omitted).
    """
    lang = (language or "").lower().split("-")[0]
    if not text or lang not in available_languages():
        return []
    g = grammar_for(lang)
    lex = g.lex
    from ...nlp import lemma as lemmatise

    blocked = sorted((int(t["start"]), int(t["end"])) for t in times if t.get("type") != "DURATION")
    dur_spans = sorted((int(t["start"]), int(t["end"])) for t in times if t.get("type") == "DURATION")
    blocked_index, dur_index = _span_index(blocked), _span_index(dur_spans)
    sentence_ends: set[int] | None = None
    between_words = {w.lower() for w in lex.between}
    out: list[dict[str, Any]] = []
    done = 0
    bi = 0
    for p in _anchors(text, g):
        if p < done:
            continue
        sign_at = -1  # a minus sign glued to the number, after white space ("-5 °C")
        if p and text[p - 1] in _MINUS and text[p].isdigit() and (p == 1 or text[p - 2].isspace() or text[p - 2] == "("):
            sign_at = p - 1
        elif p and (text[p - 1] in _GLUED or text[p - 1].isalnum()):
            continue
        while bi < len(blocked) and blocked[bi][1] <= p:
            bi += 1
        if bi < len(blocked) and blocked[bi][0] <= p:
            continue  # inside a date or clock time
        m = g.main.match(text, p)
        if m is None:
            continue
        start = p if sign_at < 0 else sign_at
        toks = _tokens_before(text, start)
        if toks and toks[-1][0].lstrip(_OPENERS).lower() in between_words:
            mb = g.between.match(text, p)
            if mb is not None and mb.group("n2"):
                word, off = toks.pop()
                m, start = mb, off + len(word) - len(word.lstrip(_OPENERS))
        end = m.end()
        mod, qstart, used = _qualifier(toks, lex)
        if mod is not None:
            start = qstart
            del toks[len(toks) - used:]
        value = low = high = None
        scale = None
        vague = bool(m.group("vague") or m.group("vq"))
        unit = lex.currency_prefix.get(" ".join(m.group("cur").split())) if m.group("cur") else None
        unit_text = m.group("unit")
        if unit_text and not unit:
            unit = lex.unit_of(unit_text)
        if not unit and any((m.group(f"sc{i}") or "").lower() in lex.fraction_words for i in (1, 2)):
            unit = "fraction"
        if m.group("vague"):
            lo, hi = lex.vague[" ".join(m.group("vague").split()).lower()]
            low, high = Decimal(str(int(lo))), Decimal(str(int(hi)))
            mod = mod or "APPROX"
        elif m.group("vq"):
            sv = lex.scales.get(m.group("vs").lower()) or lex.multipliers.get(m.group("vs").lower()) or 1
            low, high = Decimal(str(int(2 * sv))), Decimal(str(int(10 * sv - 1)))
            mod = mod or "APPROX"
        else:
            n1, n2 = m.group("n1"), m.group("n2")
            v1 = _value(n1, lex)
            v2 = _value(n2, lex) if n2 else None
            if v1 is None or (n2 and v2 is None):
                continue
            f1, f2 = _scale(m, 1, lex), _scale(m, 2, lex)
            scale = f1 or f2
            if n2:
                f1 = f1 or f2
                low, high = v1 * (f1 or 1), v2 * (f2 or 1)
                if low >= high:
                    continue
            else:
                value = v1 * (f1 or 1)
                if sign_at >= 0:
                    value = -value
                elif toks and toks[-1][0].lower() in lex.negative:
                    value, start = -value, toks.pop()[1]
            if sign_at >= 0 and n2:
                continue  # "-5-10": not a range we can read
            # a bare "ein"/"one" is an article, not an amount
            if not n2 and scale is None and (unit is None or unit in DURATION_UNITS) and (
                n1.lower() in lex.one_words
            ):
                continue
            # a capitalised number word inside a sentence is a noun ("die Elf")
            if lex.grammar.get("capitalised_nouns") and n1[:1].isupper() and not _is_sentence_start(
                text, m.start("n1")
            ):
                continue
            digits = n1[:1].isdigit()
            if (
                digits and not n2 and scale is None and unit is None and lex.grammar.get("ordinal_dot")
                and text[end:end + 1] == "."
            ):
                if sentence_ends is None:
                    from ...nlp import split_sentences

                    spans = sentences if sentences is not None else split_sentences(text, lang)
                    sentence_ends = {int(s[1]) for s in spans}
                if end + 1 not in sentence_ends and end + 1 < len(text.rstrip()):
                    continue  # "70. Jahrestag": an ordinal
                before = _char_before(text, start)
                if not before or before in _LIST_OPENERS:
                    continue  # "(87. Müller)", "Weiter: 27. Meier": a rank in a list
        if unit is None:
            nw = _NEXT_WORD.match(text, end)
            if nw and (nw.group(1).lower() in lex.stop_after or nw.group(1).lower().rstrip(".") in lex.stop_after):
                continue
        if toks and toks[-1][0].lower().rstrip(":") in lex.reference_before:
            continue
        if _overlaps(blocked_index, start, end) or _masked(text, start, end):
            continue
        if _overlaps(dur_index, start, end) and not (durations and unit in DURATION_UNITS):
            continue
        if unit in DURATION_UNITS and not durations:
            continue
        obj = _find_object(text, end, lex, vague or scale is not None)
        if obj is not None and unit is None and lex.unit_of(obj[0]):
            unit, end, obj = lex.unit_of(obj[0]), obj[2], None  # "Millionen von Dollar"
        # a bare year ("2023", "1990 bis 1995"), not a count of something
        n1 = m.group("n1") or ""
        digits_only = bool(n1[:1].isdigit()) and not m.group("cur")
        if (
            n1.isdigit() and len(n1) == 4 and 1000 <= int(n1) <= 2100 and scale is None and unit is None
            and mod is None and (obj is None or m.group("n2"))
        ):
            continue
        dotted = bool(lex.grammar.get("decimal_comma")) and "." in n1 and "," not in n1 and value is not None and (
            len(n1.rsplit(".", 1)[1]) != 3)
        if digits_only and unit is None and scale is None and text[end:end + 1] == ")" and (
            not _char_before(text, start) or _char_before(text, start) in _LIST_OPENERS
        ):
            continue  # "3) …": a list item number
        if dotted and unit is None and scale is None and _clock_like(n1):
            continue  # "20.15", "0.25" in a German text: a clock time (or a version: "15.10")
        if digits_only and unit is None and mod is None and scale is None and (obj is None or dotted) and (
            _named_before(text, toks, lex, dotted or (value is not None and value <= 20))
        ):
            continue  # "Windows 7", "PlayStation 4", "Android 6.0": part of a name
        lem = None
        if obj is not None:
            lem = lemmatise(obj[0], lang)
            if lex.grammar.get("capitalised_nouns") and obj[0][:1].isupper() and not lem[:1].isupper():
                lem = obj[0]  # a nominalised adjective ("Verletzte") keeps its noun form
        out.append({
            "start": start,
            "end": end,
            "text": text[start:end],
            "value": as_number(value),
            "low": as_number(low),
            "high": as_number(high),
            "mod": mod,
            "unit": unit,
            "object": obj[0] if obj else None,
            "object_lemma": lem,
            "object_start": obj[1] if obj else None,
            "object_end": obj[2] if obj else None,
            "measure": f"{unit or 'count'}:{measure_key(lem, lex)}",
            "_scale": scale,
        })
        done = end
    _share_units(text, out, g)
    for q in out:
        del q["_scale"]
    return out


def _clock_like(n: str) -> bool:
    """``H.MM`` with an hour 0–23 and minutes 00–59."""
    head, _, tail = n.partition(".")
    return len(tail) == 2 and head.isdigit() and tail.isdigit() and int(head) <= 23 and int(tail) <= 59


def _named_before(text: str, toks: list[tuple[str, int]], lex: QuantityLexicon, small: bool) -> bool:
    """Whether the token right before the number is a name inside a sentence ("Windows 7",
    "iWork 11"). Where all nouns are capitalised (German), only a word with an inner capital
    or a small number / version number after a capitalised word counts ("Puls 4", "Android 6.0")."""
    if not toks:
        return False
    word, off = toks[-1]
    if not word.replace("-", "").isalpha() or word == word.lower():
        return False
    if lex.grammar.get("capitalised_nouns") and not small and not any(c.isupper() for c in word[1:]):
        return False
    before = _char_before(text, off)
    return bool(before) and before not in _SENTENCE_PUNCT and not before.isdigit()


def _share_units(text: str, out: list[dict[str, Any]], g: Grammar) -> None:
    """A bare number coordinated with the next one takes its unit, scale and object
    ("400 oder 500 Kilometer", "69 bzw. 159 Euro", "zwei oder drei Millionen Menschen")."""
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if a["value"] is None or a["unit"] or a["object"] or a["_scale"] is not None:
            continue
        if not (b["unit"] or b["object"] or b["_scale"] is not None):
            continue
        if not g.coordination.fullmatch(text, a["end"], b["start"]):
            continue
        if b["_scale"] is not None and b["value"] is not None and b["low"] is None:
            a["value"] = as_number(Decimal(str(a["value"])) * b["_scale"])
            a["_scale"] = b["_scale"]
        for k in ("unit", "object", "object_lemma", "object_start", "object_end"):
            a[k] = b[k]
        a["measure"] = f"{a['unit'] or 'count'}:{b['measure'].split(':', 1)[1]}"
