"""Attribution frames inside one sentence: cue, speaker phrase and message span.

Everything works on a light tokenisation (a regular expression) and the cue
lexicon; structure is read from punctuation (commas, colons, quotation marks)
and German word order (verb-second vs. verb-first after a comma).
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Container

from ._lexicon import ClaimLexicon
from ._phrases import (
    _DELIMS,
    _END_PUNCT,
    _OPEN_CLOSE,
    _QUOTE_CHARS,
    MIN_QUOTE_WORDS,
    Tok,
    _according_noun,
    _cap,
    _np_clauses,
    np_backward,
    np_forward,
    quote_spans,
    tokens,
)

__all__ = ["Tok", "Frame", "tokens", "quote_spans", "find_frames", "np_forward", "MIN_QUOTE_WORDS"]


@dataclass(slots=True)
class Frame:
    """One attribution found in a sentence (token indices into its token list)."""

    cue: tuple[int, int] | None  #: token range of the cue
    speaker: tuple[int, int] | None  #: token range of the speaker phrase
    message: tuple[int, int]  #: character span of the message
    form: str  #: direct | indirect | reported
    cls: str  #: speech | relay | speculation | denial | according | impersonal
    source: tuple[int, int] | None = None  #: token range of a relay ("X zitiert Y")


def _trigger_clauses(toks: list[Tok], inq: list[bool], triggers: frozenset[str]) -> dict[int, tuple[int, int]]:
    """Each token outside quotations that may start a frame, in order, with the clause (token
    range between delimiters outside quotations) it lies in: one pass over the tokens."""
    out: dict[int, tuple[int, int]] = {}
    pending: list[int] = []
    c0 = 0
    for i, t in enumerate(toks):
        if inq[i]:
            continue
        if t.text in _DELIMS:
            for k in pending:
                out[k] = (c0, i)
            pending.clear()
            c0 = i + 1
        elif t.low in triggers:
            pending.append(i)
    for k in pending:
        out[k] = (c0, len(toks))
    return out


def _body_end(toks: list[Tok], n: int) -> int:
    """Index after the last token that is not final punctuation."""
    while n > 0 and toks[n - 1].text in _END_PUNCT:
        n -= 1
    return n


def _verb_cue(toks: list[Tok], i: int, c1: int, lex: ClaimLexicon, first: int) -> str | None:
    """The cue class when token ``i`` is a speech verb (checking separable particles)."""
    t = toks[i]
    if not t.text.islower() and i != first:
        return None
    fused = lex.fused_forms.get(t.low)
    if fused:
        return fused[1]
    entries = lex.verb_forms.get(t.low)
    if not entries:
        return None
    end = _body_end(toks, c1)
    last = toks[end - 1].low if end > i + 1 else ""
    particles = lex.words.get("particles", frozenset())
    plain = None
    for inf, particle, cls in entries:
        if particle:
            if end > i + 1 and last == particle:
                return cls
        else:
            plain = cls
    if plain is not None and last in particles and end - 1 > i:
        return None  # "sagte das Treffen ab": another (separable) verb
    return plain


def find_frames(
    toks: list[Tok], inq: list[bool], lex: ClaimLexicon, same: Container[tuple[int, int]]
) -> list[Frame]:
    """Attribution frames of one sentence, outermost first (``same``: the (start of a token, end of
    the next) pairs that lie in one entity mention)."""
    n = len(toks)
    if n < 3:
        return []
    end = _body_end(toks, n)
    s_start, s_body_end = toks[0].start, toks[end - 1].end if end else toks[-1].end
    s_end = toks[-1].end
    fr = lex.frames
    out: list[Frame] = []

    def message(f0: int, f1: int, reported_span: bool = False) -> tuple[tuple[int, int], str]:
        """Message span for a frame occupying tokens [f0, f1)."""
        if reported_span:
            return (s_start, s_end), "reported"
        lead = f0 == 0 or all(toks[k].low in lex.words["adverbs"] or toks[k].text in _DELIMS for k in range(0, f0))
        k = f1
        while k < n and toks[k].text in _DELIMS:
            k += 1
        if lead and k < end:
            return (toks[k].start, s_body_end if toks[end - 1].end <= s_body_end else s_end), "indirect"
        j = f0
        while j > 0 and (toks[j - 1].text in _DELIMS or toks[j - 1].low in fr.get("so_words", ())):
            j -= 1
        if k >= end and j > 0:
            stop = toks[j - 1].end
            return (s_start, stop), "indirect"
        return (s_start, s_body_end), "indirect"

    for i, (c0, c1) in _trigger_clauses(toks, inq, lex.triggers).items():
        t = toks[i]
        low = t.low
        # laut X / gemäß X
        if low in fr.get("according_preps", ()) and i + 1 < c1 and toks[i + 1].text[:1].isalnum() | (
            toks[i + 1].text in _OPEN_CLOSE
        ):
            e = np_forward(toks, i + 1, c1, lex, 0)
            if e > i + 1:
                span, form = message(i, e)
                out.append(Frame((i, i + 1), (i + 1, e), span, form, "according"))
                continue
        # according to X
        if low in fr.get("according_to", ()) and i + 2 < c1 and toks[i + 1].low == "to":
            e = np_forward(toks, i + 2, c1, lex, 0)
            if e > i + 2:
                span, form = message(i, e)
                out.append(Frame((i, i + 2), (i + 2, e), span, form, "according"))
                continue
        # nach Angaben (der Polizei) / nach dessen Angaben
        if low in fr.get("according_nach", ()) and i + 1 < c1:
            k = i + 1
            while k < c1 and k < i + 4 and not _according_noun(toks[k].low, lex):
                if not (toks[k].low in lex.words["determiners"] or toks[k].text.islower()):
                    break
                k += 1
            if k < c1 and k < i + 4 and _according_noun(toks[k].low, lex):
                e = np_forward(toks, i + 1, c1, lex, 0)
                e = max(e, k + 1)
                span, form = message(i, e)
                out.append(Frame((i, i + 1), (i + 1, e), span, form, "according"))
                continue
            # "Dem Vernehmen nach", "Polizeiangaben nach": postposition after a cue noun
            if i > c0 and _according_noun(toks[i - 1].low, lex) and (i + 1 >= c1 or not _cap(toks[i + 1])):
                b = np_backward(toks, i - 1, c0, lex, same)
                if b < i:
                    span, form = message(b, i + 1)
                    out.append(Frame((i, i + 1), (b, i), span, form, "according"))
                    continue
        # X zufolge
        if low in fr.get("according_postps", ()) and i > c0:
            b = np_backward(toks, i - 1, c0, lex, same)
            if b < i:
                span, form = message(b, i + 1)
                out.append(Frame((i, i + 1), (b, i), span, form, "according"))
                continue
        # heißt es / hieß es
        if low in fr.get("impersonal", ()) and (
            (i + 1 < c1 and toks[i + 1].low in fr["impersonal_subject"])
            or any(toks[k].low in fr["impersonal_subject"] for k in range(c0, i))
        ):
            spk = None
            k = i + 2 if i + 1 < c1 and toks[i + 1].low in fr["impersonal_subject"] else i + 1
            while k < c1 and toks[k].low in lex.words["adverbs"]:
                k += 1
            if k < c1 and toks[k].text.islower() and k + 1 < c1:  # "vonseiten des Ministeriums", "aus Moskau"
                e = np_forward(toks, k + 1, c1, lex, 0)
                if e > k + 1:
                    spk = (k + 1, e)
            for k in range(c0, c1):
                if spk is None and k != i and toks[k].low in ("aus", "vonseiten", "seitens"):
                    e = np_forward(toks, k + 1, c1, lex, 0)
                    if e > k + 1:
                        spk = (k + 1, e)
            if spk is None and c0 < i and toks[c0].text.lower() in ("in", "aus", "von"):
                e = np_forward(toks, c0 + 1, i, lex, 0)
                if e > c0 + 1:
                    spk = (c0 + 1, e)
            f0 = min(c0, i - 1) if i > c0 and toks[i - 1].low in fr["impersonal_subject"] else c0
            span, form = message(f0 if f0 == 0 else c0, c1)
            if c0 == 0 and c1 < end:
                span, form = message(0, c1)
            out.append(Frame((i, i + 1), spk, span, form, "impersonal"))
            continue
        # …, so X.
        if low in fr.get("so_words", ()) and i == c0 and c0 > 0:
            e = np_forward(toks, i + 1, c1, lex, 0)
            if e > i + 1 and e >= _body_end(toks, c1):
                app = _apposition_end(toks, e, c1, end, lex)
                if app is not None:  # "…, so X, die Leiterin der Y."
                    span, form = message(i, app)
                    out.append(Frame((i, i + 1), (i + 1, app), span, form, "speech"))
                    continue
                span, form = message(i, c1)
                if c1 < end:  # „…“, so X, „…“: the message is the whole sentence
                    span = (s_start, s_end)
                out.append(Frame((i, i + 1), (i + 1, e), span, form, "speech"))
                continue
        cls = _verb_cue(toks, i, c1, lex, 0)
        if cls is None:
            continue
        f = _verb_frame(toks, i, c0, c1, cls, lex, message, end, s_start, s_end)
        if f is not None:
            out.append(f)
    if not out:
        f = _colon_quote(toks, inq, lex, end)
        if f is not None:
            out.append(f)
    if not out:
        # "Demnach …" opening the sentence: what follows is the content of the source named before
        k = 0
        while k < end and toks[k].text in _QUOTE_CHARS:
            k += 1
        relay = lex.words.get("relay_adverbs", frozenset())
        if k + 1 < end and not inq[k] and toks[k].low in relay and toks[k + 1].text[:1].isalpha():
            span, form = message(k, k + 1)
            out.append(Frame((k, k + 1), None, span, form, "relay_adverb"))
    # outermost first: a frame at the end of the sentence relays what comes before it
    out.sort(key=lambda f: (
        0 if f.cue is not None and toks[f.cue[0]].start >= f.message[1] else 1,
        # a clause or "laut/nach Angaben" frame before a bare speech act ("… hat nach Angaben
        # der Polizei … angekündigt": the police are the source, not the subject)
        1 if f.form == "reported" else 0,
        -(f.message[1] - f.message[0]),
        f.message[0],
    ))
    return out


def _complement_frame(toks: list[Tok], inq: list[bool], lex: ClaimLexicon, end: int,
                      konj_at: list[bool]) -> Frame | None:
    """"Die Experten kamen zu dem Ergebnis, dass … habe": a subject and a verb outside the lexicon,
    then after a comma a "dass" clause or a clause in Konjunktiv I — the content of what the subject says."""
    w = lex.words
    first = toks[0]
    if not _cap(first) or first.low in w["adverbs"] or first.low in w["object_openers"] or inq[0]:
        return None
    e = np_forward(toks, 0, end, lex, 0)
    if e == 0 or e >= end or not toks[e].text.islower() or not toks[e].text.isalpha():
        return None
    if e == 1 and first.low in w["pronouns"] and first.low in lex.frames.get("impersonal_subject", ()):
        return None  # "Es gehe niemanden etwas an, wenn …": no one speaks
    for c in range(e, end - 2):
        if konj_at[c]:
            return None  # the frame clause is itself reported speech
        if toks[c].text in _DELIMS and not inq[c]:
            if toks[c].text != ",":
                return None
            nxt = c + 1
            comp = w.get("complementizers", ())
            if toks[nxt].low in w["subordinators"] and toks[nxt].low not in comp:
                return None  # "…, wenn …": a condition, not a content clause
            if toks[nxt].low in comp or any(konj_at[k] for k in range(nxt, min(end, nxt + 12))):
                stop = toks[-1].end if toks[-1].text in _QUOTE_CHARS else toks[end - 1].end
                return Frame((e, e + 1), (0, e), (toks[nxt].start, stop), "indirect", "speech")
            return None
    return None


def _apposition_end(toks: list[Tok], e: int, c1: int, end: int, lex: ClaimLexicon) -> int | None:
    """End of "X, die Leiterin der Y" when the speaker phrase ``[.., e)`` fills its clause and a noun
    phrase after a comma runs to the end of the sentence; None otherwise."""
    if e < _body_end(toks, c1) or c1 >= end or toks[c1].text != ",":
        return None
    e2 = np_forward(toks, c1 + 1, end, lex, 0)
    if e2 <= c1 + 1:
        return None
    if e2 < end and toks[e2].low not in lex.words.get("apposition_links", ()):
        return None
    if any(toks[k].text in _DELIMS or toks[k].low in lex.verb_forms or toks[k].low in lex.konjunktiv
           for k in range(e2, end)):
        return None
    return end


def _colon_quote(toks: list[Tok], inq: list[bool], lex: ClaimLexicon, end: int) -> Frame | None:
    """"X sieht das anders: „…“" — a quotation after a colon that runs to the end of the sentence.

    The speaker is the noun phrase opening the sentence (or the one after a quote label:
    "Zitat von X:"); None when the sentence opens otherwise (the caller may inherit one).
    """
    n = len(toks)
    for ci in range(1, end - 1):
        if toks[ci].text != ":" or inq[ci] or toks[ci + 1].text not in _OPEN_CLOSE:
            continue
        if not all(inq[k] or toks[k].text in _QUOTE_CHARS or toks[k].text in _END_PUNCT for k in range(ci + 1, n)):
            return None
        w = lex.words
        first = toks[0]
        spk: tuple[int, int] | None = None
        if first.low in lex.frames.get("quote_labels", ()) and ci > 2:
            e = np_forward(toks, 2, ci, lex, 0)
            spk = (2, e) if e > 2 else None
        elif _cap(first) and first.low not in w["adverbs"] and first.low not in w["object_openers"]:
            e = np_forward(toks, 0, ci, lex, 0)
            spk = (0, e) if e > 0 else None
        return Frame(None, spk, (toks[ci + 1].start, toks[-1].end), "direct", "colon_quote")
    return None


def _verb_frame(toks, i, c0, c1, cls, lex, message, end, s_start, s_end) -> Frame | None:  # type: ignore[no-untyped-def]
    w = lex.words
    first = toks[c0]
    if c0 < len(toks) and first.low in w["subordinators"] and first.low in lex.frames.get("as_words", ()):
        # wie X berichtete, …  /  …, wie X mitteilte.
        e = np_forward(toks, c0 + 1, i, lex, 0)
        spk = (c0 + 1, e) if e > c0 + 1 else None
        span, form = message(c0, c1)
        return Frame((i, i + 1), spk, span, form, cls)
    if i == c0:
        if c0 == 0:
            return None
        # …, sagte X.  (verb first after a comma or a quotation)
        e = np_forward(toks, i + 1, c1, lex, 0)
        if e == i + 1:
            # "X, der Minister des Landes, sagte, dass …": the speaker with its apposition opens the sentence
            # ("Deiss, der …, sagte zur Begründung, …": the speaker is the name before the relative clause)
            if (c1 == i + 1 or toks[i + 1].text.islower()) and c1 + 1 < end and toks[c1].text == "," and (
                c0 > 1 and toks[c0 - 1].text == ","
            ):
                spk_end = _np_clauses(toks, 0, c0 - 1, lex)
                if spk_end:
                    stop = toks[-1].end if toks[-1].text in _QUOTE_CHARS else toks[end - 1].end
                    return Frame((i, i + 1), (0, spk_end), (toks[c1 + 1].start, stop), "indirect", cls)
            return None
        app = _apposition_end(toks, e, c1, end, lex)
        if app is not None:  # "…, sagte X, die Leiterin der Y."
            span, form = message(c0, app)
            return Frame((i, i + 1), (i + 1, app), span, form, cls)
        span, form = message(c0, c1)
        if c1 < end:
            span = (s_start, s_end)
        return Frame((i, i + 1), (i + 1, e), span, form, cls)
    # verb second (or final): who is the subject?
    pre0 = c0
    while pre0 < i and not toks[pre0].text[:1].isalnum():
        pre0 += 1
    opener = toks[pre0]
    spk: tuple[int, int] | None = None
    if opener.low in w["object_openers"] or opener.low in w["adverbs"] or (
        opener.text.islower() and opener.low not in w["pronouns"] and opener.low not in w["determiners"]
    ) or (pre0 == 0 and opener.low in w.get("prefield_preps", ())):
        e = np_forward(toks, i + 1, c1, lex, 0)
        if e > i + 1:
            spk = (i + 1, e)
    else:
        e = np_forward(toks, pre0, i, lex, 0)
        if e > pre0:
            spk = (pre0, e)
    src: tuple[int, int] | None = None
    if cls == "relay" and spk is not None and spk[0] < i:
        # "X zitiert Y(, Z):" — Y (with an apposition) speaks, X relays
        e = np_forward(toks, i + 1, c1, lex, 0)
        if e > i + 1:
            src, spk = spk, (i + 1, e)
            k2 = c1
            if k2 < end and toks[k2].text == ",":
                e2 = np_forward(toks, k2 + 1, len(toks), lex, 0)
                if e2 > k2 + 1 and e2 < len(toks) and toks[e2].text == ":":
                    spk = (k2 + 1, e2)
                    c1 = e2
    if spk is None and i + 1 < end and toks[i + 1].text in _DELIMS and toks[i].low.startswith("ge"):
        # a participle at the end of its clause: the subject opens the sentence ("Kim habe … geäußert, dass …")
        e = np_forward(toks, 0, i, lex, 0)
        if e > 0:
            spk = (0, e)
            if c1 < end and toks[c1].text == "," and c1 + 1 < end:
                return Frame((i, i + 1), spk, (toks[c1 + 1].start, toks[end - 1].end), "indirect", cls, src)
    if spk is None:
        return None
    # the message: the clause after this one, or the whole sentence (reported)
    k = c1
    if lex.language == "en":
        for j in range(i + 1, min(c1, i + 5)):
            if toks[j].low == "that":
                return Frame((i, i + 1), spk, (toks[j].start, toks[end - 1].end), "indirect", cls, src)
        if c1 >= end and c0 > 0 and c1 - i <= 3:  # "…, officials said."
            span, form = message(c0, c1)
            return Frame((i, i + 1), spk, span, form, cls)
    if k < end and toks[k].text in (",", ":"):
        nxt = k + 1
        verb_last = k - 1 == i or (k - 2 == i and toks[k - 1].low in w.get("particles", ()))
        if toks[k].text == "," and nxt < end and toks[nxt].low in w["relatives"] and not verb_last:
            # "…, sagte der Minister, der …": a relative clause; but "X sagte, die Lage sei …" is the message
            return Frame((i, i + 1), spk, (s_start, s_end), "reported", cls, src)
        if nxt < end and spk[1] == c1 and spk[0] > i and toks[k].text == ",":
            # "meldete der Sender, Radio X, dass …": an apposition to the speaker
            c2 = nxt
            while c2 < end and toks[c2].text not in _DELIMS:
                c2 += 1
            if c2 + 1 < end and toks[c2].text == "," and np_forward(toks, nxt, c2, lex, 0) == c2 and _cap(toks[nxt]):
                spk, k, nxt = (spk[0], c2), c2, c2 + 1
        if nxt < end and c0 > 1 and toks[c0 - 1].text == "," and spk[0] == c0 and (
            np_forward(toks, 0, c0 - 1, lex, 0) == c0 - 1
        ):
            # "Ein Sprecher der Polizei, Commander X, sagte, …": the speaker opens the sentence
            spk = (0, spk[1])
            c0 = 0
        if nxt < end:
            if c0 > 0 and toks[c0 - 1].text == ",":
                # frame in the middle of the sentence: the message is the whole sentence
                return Frame((i, i + 1), spk, (s_start, toks[end - 1].end), "indirect", cls, src)
            stop = toks[end - 1].end
            if toks[-1].text in _QUOTE_CHARS:
                stop = toks[-1].end
            return Frame((i, i + 1), spk, (toks[nxt].start, stop), "indirect", cls, src)
    return Frame((i, i + 1), spk, (s_start, s_end), "reported", cls, src)
