"""Claims of one article: frames per sentence, status, speaker chains, entities and quantities."""

from __future__ import annotations

import bisect
from collections.abc import Container
from typing import Any

from ...kb import load_kb
from ._frames import Frame, _complement_frame, find_frames
from ._lexicon import ClaimLexicon
from ._phrases import _QUOTE_CHARS, _WORDS, MIN_QUOTE_WORDS, Tok, _according_noun, quote_spans, tokens

__all__ = ["claims_of_text", "STATUS_ORDER"]

#: Status precedence, strongest first: a claim with several markers takes the first.
STATUS_ORDER = ("denied", "hedged", "speculated", "quoted", "reported", "asserted")
_TERMINAL = frozenset(".!;:…\"“”»«’‘›)")
#: how many sentences back free indirect speech may find its speaker
CHAIN_WINDOW = 3
_NAME_FORMS = ("name", "short", "title", "metonym")


def _kb_kind(eid: str | None) -> str | None:
    if not eid or eid.startswith("local:"):
        return None
    e = load_kb().get(eid)
    return getattr(e, "kind", None) if e is not None else None


class _Ctx:
    def __init__(self, text: str, entities: list[dict[str, Any]], quantities: list[dict[str, Any]]) -> None:
        self.text = text
        ms = [
            (int(m["start"]), int(m["end"]), e["id"], m.get("form") or "name", e.get("type"))
            for e in entities
            for m in e.get("mentions") or []
        ]
        ms.sort()
        self.mentions = ms
        self.mstarts = [m[0] for m in ms]
        self.quantities = sorted(
            (int(q["start"]), int(q["end"]), i) for i, q in enumerate(quantities) if "start" in q and "end" in q
        )
        self.qstarts = [q[0] for q in self.quantities]
        #: the longest mention: no mention starting further back than this can reach ``start``
        self.maxlen = max((m[1] - m[0] for m in ms), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, str, str, str | None]]:
        i = bisect.bisect_left(self.mstarts, start - self.maxlen)
        out = []
        while i < len(self.mentions) and self.mentions[i][0] < end:
            m = self.mentions[i]
            if m[1] > start:
                out.append(m)
            i += 1
        return out


class _MentionPairs(Container[tuple[int, int]]):
    """:func:`_same_mention_pairs` of a sentence, found when first asked: only the "nach …" and
    "… zufolge" frames ask (:func:`._phrases.np_backward`), so most sentences never do."""

    __slots__ = ("_ctx", "_toks", "_pairs")

    def __init__(self, ctx: _Ctx, toks: list[Tok]) -> None:
        self._ctx, self._toks = ctx, toks
        self._pairs: set[tuple[int, int]] | None = None

    def __contains__(self, pair: object) -> bool:
        if self._pairs is None:
            self._pairs = _same_mention_pairs(self._ctx, self._toks)
        return pair in self._pairs


def _same_mention_pairs(ctx: _Ctx, toks: list[Tok]) -> set[tuple[int, int]]:
    """(start of token, end of next token) pairs that lie inside one entity mention."""
    out: set[tuple[int, int]] = set()
    if not toks:
        return out
    spans = [(m[0], m[1]) for m in ctx.overlapping(toks[0].start, toks[-1].end) if m[1] - m[0] > 0]
    if not spans:
        return out
    for a, b in zip(toks, toks[1:]):
        for s, e in spans:
            if s <= a.start and b.end <= e:
                out.add((a.start, b.end))
                break
    return out


def _party(ctx: _Ctx, toks: list[Tok], rng: tuple[int, int] | None, lex: ClaimLexicon) -> dict[str, Any] | None:
    if rng is None or rng[1] <= rng[0]:
        return None
    start, end = toks[rng[0]].start, toks[rng[1] - 1].end
    ms = ctx.overlapping(start, end)
    # widen to whole mentions ("Voice" -> "Voice of Korea")
    for s, e, *_ in ms:
        start, end = min(start, s), max(end, e)
    origin = {"aus", "from"}
    best = None
    for m in ms:
        before = ctx.text[start : m[0]].lower().split()
        if any(w in origin for w in before):
            continue  # "Beobachter aus den USA": the USA are not the speaker
        rank = (0 if m[3] in _NAME_FORMS else 1, 0 if m[4] in ("PER", "ORG") else 1)
        if best is None or rank < best[0]:
            best = (rank, m)
    return {"id": best[1][2] if best else None, "text": ctx.text[start:end], "start": start, "end": end}


def _is_media(ctx: _Ctx, party: dict[str, Any] | None, lex: ClaimLexicon) -> bool:
    if party is None:
        return False
    if _kb_kind(party.get("id")) in ("agency", "outlet"):
        return True
    # a media word, or a compound ending in one ("Nachrichtenagentur")
    return any(w.endswith(lex.media_suffixes) for w in party["text"].lower().replace("«", " ").split())


def _markers(toks: list[Tok], inq: list[bool], lex: ClaimLexicon, low_text: str,
             konj_at: list[bool] | None = None) -> tuple[bool, bool, bool]:
    """(hedged, speculated, konjunktiv) markers of a token range outside quotations.

    ``konj_at``: when given (as long as ``toks``), set True at each Konjunktiv token.
    """
    hedged = lex.has_hedge(low_text)
    spec = konj = False
    markers, suffixes = lex.marker_words, lex.konj_suffixes
    for i, t in enumerate(toks):
        if inq[i]:
            continue
        lw = t.low
        if lw not in markers and not (suffixes and lw.endswith(suffixes)):
            continue  # no marker word, and not shaped like a Konjunktiv form: most tokens
        here = False
        if lw in lex.hedges:
            hedged = True
        elif lw in lex.report_modals and any(
            x.low.endswith("n") and x.text.islower() for x in toks[i + 1 :] if x.text.isalpha()
        ):
            hedged = True
        elif lw in lex.speculation and t.text.islower():
            spec = True
        elif lw in lex.konjunktiv and t.text.islower():
            here = True
        elif lex.konj_suffixes and i > 0 and t.text.islower() and lw.endswith(lex.konj_suffixes) and len(lw) > 4:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if toks[i - 1].low not in lex.words["determiners"] and not (
                nxt is not None and nxt.text[:1].isupper()
            ) and lex.is_konj_suffix_form(lw):
                here = True
        if here:
            konj = True
            if konj_at is not None:
                konj_at[i] = True
    return hedged, spec, konj


def _lower_words(body: str, words: list[str], low: str) -> list[str]:
    """``_WORDS.findall(low)`` for ``low = body.lower()`` and ``words = _WORDS.findall(body)``.

    Lower-casing that keeps the length maps character to character, and no character changes
    between word and non-word (or a separator) by it (tests/extract/claims/test_claims_memo.py
    checks every code point), so the words of ``low`` are the lower-cased words of ``body`` — except
    for a capital sigma, whose lower case depends on its neighbours: then the words are found again.
    """
    if len(low) == len(body) and "\u03a3" not in body:
        return [w.lower() for w in words]
    return _WORDS.findall(low)


def _gate(lex: ClaimLexicon, words: list[str], low: str, low_words: list[str] | None = None) -> bool:
    """Whether a sentence (its word tokens, its lower-cased text) may hold a frame or a status marker.

    ``low_words``: ``_WORDS.findall(low)`` when the caller has it."""
    if low_words is None:
        low_words = _WORDS.findall(low)
    if not lex.gate_words.isdisjoint(low_words):
        return True
    nach = lex.frames.get("according_nach", frozenset())
    if not nach.isdisjoint(low_words) and any(_according_noun(w, lex) for w in low_words if len(w) > 6):
        return True  # "Nach Polizeiangaben": a compound cue noun
    if (lex.gate_re is not None and lex.gate_re.search(low)) or lex.has_hedge(low):
        return True
    suffixes = lex.konj_suffixes
    if not suffixes:
        return False
    return any(lex.is_konj_suffix_form(w) for w in words if w.endswith(suffixes) and len(w) > 4 and w.islower())


def _status(base: str, cls: str | None, hedged: bool, spec: bool) -> str:
    cands = [base]
    if cls == "denial":
        cands.append("denied")
    if cls == "speculation" or spec:
        cands.append("speculated")
    if hedged:
        cands.append("hedged")
    return min(cands, key=STATUS_ORDER.index)


def claims_of_text(
    text: str,
    sentences: list[list[int]],
    entities: list[dict[str, Any]],
    quantities: list[dict[str, Any]],
    lex: ClaimLexicon,
) -> list[dict[str, Any]]:
    """The claims of ``text`` (see the package docstring for the item layout)."""
    ctx = _Ctx(text, entities, quantities)
    all_quotes = quote_spans(text, 1)
    quotes = [q for q in all_quotes if len(text[q[0] + 1 : q[1] - 1].split()) >= MIN_QUOTE_WORDS]
    all_starts = [q[0] for q in all_quotes]
    qstarts = [q[0] for q in quotes]
    out: list[dict[str, Any]] = []
    history: list[tuple[int, int, dict[str, Any]]] = []  # (sentence index, paragraph, claim) of attributed claims
    para = 0
    prev_end = 0
    #: the last claim of the outlet's own (claim, sentence index, hedged, speculated)
    plain: tuple[dict[str, Any], int, bool, bool] | None = None
    for si, (s0, s1) in enumerate(sentences):
        if "\n" in text[prev_end:s0]:
            para += 1
        prev_end = s1
        body = text[s0:s1].rstrip()
        if not body or body[-1] == "?":
            continue
        s1 = s0 + len(body)
        qi = bisect.bisect_right(qstarts, s1) - 1
        inside = [q for q in quotes[max(0, qi - 3) : qi + 1] if q[0] < s1 and q[1] > s0]
        continued = bool(inside) and any(q[0] < s0 for q in inside)
        ws = _WORDS.findall(body)
        if (len(ws) < 3 or ("_" in body and sum(1 for w in ws if w[:1].isalnum()) < 3)) or (body[-1] not in _TERMINAL and not continued):
            continue  # a headline, a label or a fragment
        low = body.lower()
        if not inside and not _gate(lex, ws, low, _lower_words(body, ws, low)):
            # no cue, no quotation, no status marker: the outlet's own statement
            out.append(_make(ctx, s0, s1, None, None, None, "asserted", None))
            plain = (out[-1], si, False, False)
            continue
        toks = tokens(text, s0, s1, ws)
        inq = [any(q[0] <= t.start < q[1] for q in inside) for t in toks] if inside else [False] * len(toks)
        # quotation marks themselves are not "inside" for the clause split
        frames = find_frames(toks, inq, lex, _MentionPairs(ctx, toks))
        konj_at = [False] * len(toks)
        hedged, spec, konj = _markers(toks, inq, lex, low, konj_at)
        if not frames and konj:
            f = _complement_frame(toks, inq, lex, len(toks) - (toks[-1].text in ".!;"), konj_at)
            if f is not None:
                frames = [f]
        recent = []
        for i, p, c in reversed(history):  # history is in sentence order: only its tail is recent
            if si - i > CHAIN_WINDOW:
                break
            if para - p <= 1:
                recent.append(c)
        recent.reverse()
        if frames:
            outer = frames[0]
            claim = _claim(ctx, toks, outer, lex, inside, hedged, spec)
            if claim["speaker"] is not None and claim["speaker"]["id"] is None and claim["speaker"]["text"].lower() in lex.words["pronouns"] and recent:
                claim["speaker"]["id"] = recent[-1]["speaker"]["id"] if recent[-1]["speaker"] else None
            spk = claim["speaker"]
            if spk is not None and spk["id"] is None and recent:
                head = spk["text"].split()[-1].lower()
                for prev in reversed(recent):  # "Der Verteidigungsminister" after "dem … Verteidigungsminister"
                    if prev["speaker"] and prev["speaker"]["id"] and prev["speaker"]["text"].split()[-1].lower() == head:
                        spk["id"] = prev["speaker"]["id"]
                        break
            if claim["speaker"] is None and recent and outer.cls in ("impersonal", "relay_adverb", "colon_quote"):
                claim["speaker"] = dict(recent[-1]["speaker"]) if recent[-1]["speaker"] else None
                claim["source"] = recent[-1]["source"]
            if claim["source"] is None and recent and any(t.low in lex.words.get("relay_adverbs", ()) for t in toks):
                prev = recent[-1]
                relay = prev["source"] or (prev["speaker"] if _is_media(ctx, prev["speaker"], lex) else None)
                if relay is not None and (claim["speaker"] or {}).get("id") != relay.get("id"):
                    claim["source"] = dict(relay)
            prev_claim = out[-1] if out else None
            if (
                outer.form == "reported" and outer.cue is not None and outer.cue[0] == 1 and claim["speaker"]
                and toks[0].low in lex.words.get("anaphors", ()) and prev_claim is not None
                and plain is not None and plain[0] is prev_claim and plain[1] == si - 1
                and "\n" not in text[prev_claim["end"]:s0]
            ):
                # "Das bestätigte X.": the message is the previous sentence (and the pronoun standing for it)
                out.pop()
                claim = _make(ctx, prev_claim["start"], toks[0].end, claim["cue"], claim["speaker"], claim["source"],
                              _status("reported", outer.cls, plain[2] or hedged, plain[3] or spec), "indirect")
            out.append(claim)
            history.append((si, para, claim))
            if claim["speaker"] is not None:
                out.extend(_quoted_in(ctx, claim, all_quotes, all_starts))
            # a relay: the agency reports what someone else said
            if _is_media(ctx, claim["speaker"], lex):
                for inner in frames[1:]:
                    m0, m1 = claim["start"], claim["end"]
                    if inner.speaker is None or not (m0 <= inner.message[0] < m1):
                        continue
                    inner.message = (inner.message[0], min(inner.message[1], m1))
                    if inner.message == (m0, m1):
                        continue
                    ic = _claim(ctx, toks, inner, lex, inside, hedged, spec)
                    if ic["speaker"] is None or _is_media(ctx, ic["speaker"], lex):
                        continue
                    ic["source"] = dict(claim["speaker"])
                    out.append(ic)
                    history.append((si, para, ic))
                    break
            continue
        whole_quote = any(q[0] <= toks[0].start and q[1] >= toks[-1].end - 1 for q in inside) or (
            continued and all(inq[i] or toks[i].text in _QUOTE_CHARS or toks[i].text in ".!" for i in range(len(toks)))
        )
        if whole_quote or konj or ((hedged or spec) and recent and history[-1][0] == si - 1 and history[-1][1] == para):
            src = recent[-1] if recent else None
            base = "quoted" if whole_quote else ("reported" if konj or src else "asserted")
            form = "direct" if whole_quote else "free_indirect"
            claim = _make(ctx, s0, s1, None, src["speaker"] if src else None, src["source"] if src else None,
                          _status(base, None, hedged, spec), form if (src or konj or whole_quote) else None)
            out.append(claim)
            if src is not None or konj:
                history.append((si, para, claim))
            continue
        out.append(_make(ctx, s0, s1, None, None, None, _status("asserted", None, hedged, spec), None))
        plain = (out[-1], si, hedged, spec)
    out.sort(key=lambda c: (c["start"], -c["end"]))
    return out


def _quoted_in(ctx: _Ctx, claim: dict[str, Any], quotes: list[tuple[int, int]], starts: list[int]) -> list[dict[str, Any]]:
    """Quotations inside the message of an attributed claim (the speaker's own words, „…“ in a report)."""
    out = []
    m0, m1 = claim["start"], claim["end"]
    k = bisect.bisect_left(starts, m0)
    while k < len(quotes) and quotes[k][0] < m1:
        q0, q1 = quotes[k]
        k += 1
        if q1 > m1 + 1 or (q0 <= m0 + 1 and q1 >= m1 - 2):
            continue  # not inside, or the message itself
        out.append(_make(ctx, q0, q1, claim["cue"], claim["speaker"], claim["source"], "quoted", "direct"))
    return out


def _claim(ctx: _Ctx, toks: list[Tok], f: Frame, lex: ClaimLexicon, inside: list[tuple[int, int]],
           hedged: bool, spec: bool) -> dict[str, Any]:
    m0, m1 = f.message
    form = f.form
    core = ctx.text[m0:m1].strip()
    # direct speech: the message is one quotation (give or take final punctuation)
    for q0, q1 in inside:
        if q0 <= m0 + 1 and (q1 >= m1 - 2 or q1 >= toks[-1].end - 2) and core[:1] in _QUOTE_CHARS:
            form = "direct"
            m1 = max(m1, min(q1, toks[-1].end))
            break
    base = "quoted" if form == "direct" else "reported"
    speaker = _party(ctx, toks, f.speaker, lex)
    cue = None
    if f.cue is not None:
        c0, c1 = toks[f.cue[0]].start, toks[f.cue[1] - 1].end
        cue = {"start": c0, "end": c1, "text": ctx.text[c0:c1]}
    if speaker is not None and speaker["text"].lower() in ("es", "it", "man"):
        speaker = None  # "Es wird vermutet, dass …": no one in particular
    source = _party(ctx, toks, f.source, lex)
    return _make(ctx, m0, m1, cue, speaker, source, _status(base, f.cls, hedged, spec), form)


def _make(ctx: _Ctx, start: int, end: int, cue: dict[str, Any] | None, speaker: dict[str, Any] | None,
          source: dict[str, Any] | None, status: str, form: str | None) -> dict[str, Any]:
    text = ctx.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    ids = {m[2] for m in ctx.overlapping(start, end) if m[0] >= start and m[1] <= end}
    for p in (speaker, source):
        if p and p.get("id"):
            ids.add(p["id"])
    k = bisect.bisect_left(ctx.qstarts, start)
    qs = []
    while k < len(ctx.quantities) and ctx.quantities[k][0] < end:
        if ctx.quantities[k][1] <= end:
            qs.append(ctx.quantities[k][2])
        k += 1
    return {
        "start": start,
        "end": end,
        "text": text[start:end],
        "speaker": dict(speaker) if speaker else None,
        "source": dict(source) if source else None,
        "cue": cue,
        "status": status,
        "form": form if status != "asserted" else None,
        "quantities": sorted(qs),
        "entities": sorted(ids),
    }
