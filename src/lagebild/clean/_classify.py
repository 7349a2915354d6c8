"""Line-by-line furniture classification: per-line rules, then context passes.

Passes, in order (each only looks at lines no earlier pass removed, unless
said otherwise):

1. per-line rules (:func:`._rules.line_rule`);
2. the title, and above it section labels; near it title repeats and bylines;
3. gallery blocks (counter/link + the caption items after it);
4. teaser blocks (related-news heading + items, up to clear prose again);
5. repeated lines (captions), credits after captions, lone timestamps, media boxes
   (a "Video" label, the clip's title, its duration line);
6. dated / HTML-marked items unrelated to the kept text;
7. newsletter boxes (short lines right after a newsletter line);
8. headings with nothing after them at the very end;
9. roles of the kept lines (title, lead, heading, body).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ._cues import Cues, ends_with_more, languages_for, load_cues
from ._lines import Line, ends_with_period, is_bullet, jaccard, split_lines, tokens
from ._rules import line_rule
from ._settings import CleanSettings
from ._source import byline_name

__all__ = ["Classified", "classify", "line_furniture"]

#: Reasons a block (gallery, teaser list) does not overwrite.
_STRONG = frozenset(
    {"newsletter", "navigation", "timestamp", "audio", "video-teaser", "separator", "teaser-list", "section-label", "title-repeat", "byline"}
)
#: Reasons of lines that belong to a gallery block when they follow its counter.
_CREDITS = frozenset({"photo-credit", "caption", "markup"})
_TAG = re.compile(r"<[^<>]*>")


def _keeps_own(M: Line) -> bool:
    """``M`` keeps its own reason inside a block (a bare agency credit does not)."""
    return M.reason in _STRONG or (M.reason == "source-line" and M.marker != "agency-only")


@dataclass(slots=True)
class Classified:
    """Lines with their decisions, plus what the stage needs besides."""

    lines: list[Line]
    cues: Cues
    title_line: Line | None = None
    title_from_input: bool = False
    authors: list[str] = field(default_factory=list)


def classify(raw_text: str, language: str | None, st: CleanSettings, title: str | None = None) -> Classified:
    """Decide every non-blank line of ``raw_text`` (see the module docstring for the passes)."""
    cues = load_cues(languages_for(language, st.cue_language, st.extra_cue_languages))
    lines = [Line.make(i, raw) for i, raw in enumerate(split_lines(raw_text), 1)]
    nb = [L for L in lines if not L.blank]
    res = Classified(lines=lines, cues=cues)
    if not nb:
        return res
    for L in nb:
        line_rule(L, cues, st)
    counts = Counter(L.norm for L in nb if L.length >= st.repeat_min_chars)
    _top(nb, res, st, title)
    _galleries(nb, counts, st)
    _teasers(nb, st, cues)
    _repeats(nb, res.title_line, st)
    _after_captions(nb, cues)
    _timestamps(nb)
    _media_boxes(nb, st)
    _dated(nb, cues, st)
    _newsletter_boxes(nb, st)
    _empty_headings(nb, res.title_line, st)
    _roles(nb, res.title_line, st)
    return res


def line_furniture(text: str, language: str | None, st: CleanSettings) -> str | None:
    """The per-line rule's reason for ``text`` alone (no context passes), or None."""
    L = Line.make(1, " ".join(text.split()))
    if L.blank:
        return None
    line_rule(L, load_cues(languages_for(language, st.cue_language, st.extra_cue_languages)), st)
    return L.reason


# -- 2. top of the page ----------------------------------------------------
def _headline_like(L: Line, st: CleanSettings) -> bool:
    s = L.s
    if not 2 <= len(L.words) <= 30 or L.length > st.title_max_chars or is_bullet(s):
        return False
    if s.endswith((".", ",", ";")) and not s.endswith(("...", "…")):
        return False
    return sum(1 for w in L.words if any(c.isalpha() for c in w)) * 2 > len(L.words)


def _label_shape(L: Line, cues: Cues) -> bool:
    """At most three words, no sentence: a section name such as "Politik" or "Krieg in Nahost"."""
    if len(L.words) > 3 or L.length > 30 or L.ends_sentence():
        return False
    return all(not w[:1].islower() or w.casefold() in cues.stopwords for w in L.words)


def _kicker(top: list[Line], i: int, st: CleanSettings, cues: Cues) -> bool:
    """``top[i]`` is a very short label right above a longer headline (a section label)."""
    L = top[i]
    if not _label_shape(L, cues):
        return False
    for M in top[i + 1:]:
        if M.removed:
            continue
        return _headline_like(M, st) and len(M.words) > len(L.words) and not M.is_prose(st.prose_min_chars)
    return False


def _same_title(L: Line, title_toks: set[str], st: CleanSettings) -> bool:
    return jaccard(set(L.tok()), title_toks) >= st.title_jaccard


def _top(nb: list[Line], res: Classified, st: CleanSettings, title: str | None) -> None:
    top = nb[: st.top_lines]
    # the title is looked for above the first paragraph of running text
    first_prose = next((i for i, L in enumerate(top) if not L.removed and L.is_prose(st.prose_min_chars)), len(top))
    idx: int | None = None
    if title and title.strip():
        ttoks = set(tokens(title))
        tnorm = " ".join(title.casefold().split())
        for i, L in enumerate(top[: first_prose + 1]):
            if not L.removed and (L.norm == tnorm or _same_title(L, ttoks, st)):
                if not _kicker(top, i, st, res.cues):
                    idx, res.title_from_input = i, True
                break
    if idx is None:
        for i, L in enumerate(top[:first_prose]):
            if L.removed or not _headline_like(L, st) or _kicker(top, i, st, res.cues):
                continue
            idx = i
            break
    if idx is not None:
        T = top[idx]
        res.title_line = T
        T.role = "title"
        for L in top[:idx]:
            if L.removed:
                continue
            name = byline_name(L.s, res.cues, prefixed_only=True)
            if name:
                L.reason = "byline"
                res.authors.append(name)
            elif _label_shape(L, res.cues):
                L.reason = "section-label"
        repeats = [set(T.tok())] + ([set(tokens(title))] if title else [])
        last_repeat = None
        for i, L in enumerate(top[idx + 1:], idx + 1):
            if not L.removed and not ends_with_period(L.s) and any(_same_title(L, r, st) for r in repeats):
                L.reason = "title-repeat"
                last_repeat = i
        # a page whose title was given separately (HTML, JSON) repeats it below a section label
        for L in top[idx + 1 : last_repeat or idx + 1]:
            if not L.removed and _label_shape(L, res.cues):
                L.reason = "section-label"
    _bylines(nb, top, res, st)


def _bylines(nb: list[Line], top: list[Line], res: Classified, st: CleanSettings) -> None:
    """Name-only lines before the second paragraph; ``Von …``/``By …`` lines also at the very end."""
    prose_seen = 0
    for L in top:
        if L.removed or L is res.title_line:
            continue
        if L.is_prose(st.prose_min_chars):
            prose_seen += 1
            if prose_seen >= 2:
                break
            continue
        name = byline_name(L.s, res.cues)
        if not name:
            continue
        if not res.cues.byline_prefix.match(L.s):
            if L is nb[-1]:
                continue  # a bare name as the last line is no byline (a heading or a signature)
            # a bare name: an author's name does not recur in the article (a topic's does)
            others = [M.norm for M in nb if M is not L]
            if any(w in o for w in tokens(name) if w not in res.cues.particles for o in others):
                continue
        L.reason = "byline"
        res.authors.append(name)
    for L in nb[-3:]:
        if not L.removed and L is not res.title_line:
            name = byline_name(L.s, res.cues, prefixed_only=True)
            if name:
                L.reason = "byline"
                res.authors.append(name)


# -- 3./4. blocks ----------------------------------------------------------
def _galleries(nb: list[Line], counts: Counter[str], st: CleanSettings) -> None:
    i = 0
    while i < len(nb):
        L = nb[i]
        if L.marker != "gallery-start":
            i += 1
            continue
        base = L.indent
        item_indent: int | None = None
        j = i + 1
        while j < len(nb):
            M = nb[j]
            gap = M.n > nb[j - 1].n + 1
            if M.marker == "gallery-start":
                base = M.indent
                j += 1
                continue
            repeated = M.length >= st.repeat_min_chars and counts[M.norm] > 1
            furn = M.reason in _CREDITS or M.marker in ("dated", "agency-only")
            if gap:  # after a blank line only furniture-like lines or deeper-indented captions go on
                deeper = item_indent is not None and M.indent > item_indent
                ok = repeated or furn or (deeper and not M.is_prose(st.prose_min_chars) and not _heads_prose(nb, j, st))
            else:
                short = not M.is_prose(st.prose_min_chars) and not _heads_prose(nb, j, st)
                ok = repeated or furn or M.indent > base or short
            if not ok or _keeps_own(M) or M.role == "title":
                break
            if item_indent is None:
                item_indent = M.indent
            M.reason = "gallery"
            j += 1
        i = j


def _heads_prose(nb: list[Line], j: int, st: CleanSettings) -> bool:
    """``nb[j]`` is a short heading directly followed by prose."""
    return (
        j + 1 < len(nb)
        and nb[j].is_short_heading(st.heading_max_chars)
        and nb[j + 1].is_prose(st.prose_min_chars)
    )


def _clear_prose(M: Line, st: CleanSettings, cues: Cues) -> bool:
    s = M.s
    return (
        M.is_prose(st.prose_min_chars)
        and M.ends_sentence()
        and not s.endswith(("...", "…"))
        and not ends_with_more(M.norm, cues)
        and M.marker != "dated"
    )


def _teasers(nb: list[Line], st: CleanSettings, cues: Cues) -> None:
    i = 0
    while i < len(nb):
        if nb[i].marker != "teaser-start":
            i += 1
            continue
        j = i + 1
        last: Line | None = None
        last_after_gap = False
        while j < len(nb):
            M = nb[j]
            gap = M.n > nb[j - 1].n + 1
            if M.marker == "teaser-start" or (_keeps_own(M) and M.reason != "teaser-list"):
                j += 1
                last = None
                continue
            if M.role == "title" or _clear_prose(M, st, cues):
                if last is not None and last_after_gap and last.is_short_heading(st.heading_max_chars) and M.n - last.n <= 2:
                    last.reason = None  # a sub-heading of the article that follows, not a teaser
                break
            M.reason = "teaser-list"
            last, last_after_gap = M, gap
            j += 1
        i = j


# -- 5. repetition, credits after captions, timestamps ---------------------
def _repeats(nb: list[Line], title: Line | None, st: CleanSettings) -> None:
    groups: dict[str, list[Line]] = {}
    for L in nb:
        if L.length >= st.repeat_min_chars and L is not title:
            groups.setdefault(L.norm, []).append(L)
    position: dict[int, int] | None = None
    for group in groups.values():
        if len(group) < 2:
            continue
        remaining = [L for L in group if not L.removed]
        if len(remaining) < 2:
            continue
        first = remaining[0]
        if position is None:
            position = {L.n: k for k, L in enumerate(nb)}
        k = position[first.n]
        prev = nb[k - 1] if k > 0 else None
        nxt = nb[k + 1] if k + 1 < len(nb) else None
        credit_after = nxt is not None and (nxt.reason == "photo-credit" or nxt.marker == "agency-only" or nxt in remaining)
        # a paragraph between two paragraphs is article text even when short; its copies are not
        embedded = all(M is not None and not M.removed and _sentence_like(M, st) for M in (prev, nxt))
        short = first.length <= st.caption_max_chars and not embedded
        victims = remaining if (short or credit_after) else remaining[1:]
        for L in victims:
            L.reason = "caption"


def _sentence_like(M: Line, st: CleanSettings) -> bool:
    return M.is_prose(st.prose_min_chars) or (M.ends_sentence() and len(M.words) >= 5 and any(w[:1].islower() for w in M.words))


def _after_captions(nb: list[Line], cues: Cues) -> None:
    for k in range(1, len(nb)):
        M, prev = nb[k], nb[k - 1]
        if prev.reason not in ("caption", "gallery") or M.n - prev.n > 2:
            continue
        if M.marker == "agency-only":
            M.reason = "photo-credit" if prev.reason == "caption" else "gallery"
        elif not M.removed and M.role != "title" and byline_name(M.s, cues):
            M.reason = "photo-credit"


def _timestamps(nb: list[Line]) -> None:
    for k, L in enumerate(nb):
        if L.marker == "timestamp" and not L.removed:
            near = nb[max(0, k - 2): k] + nb[k + 1: k + 3]
            if any(M.reason == "audio" for M in near):
                L.reason = "audio"


def _media_boxes(nb: list[Line], st: CleanSettings) -> None:
    """A media label ("Video") opens a player box: the short lines up to its duration line are the clip's title."""
    for k, L in enumerate(nb):
        if L.marker != "media-label":
            continue
        box = []
        for M in nb[k + 1 : k + 4]:
            if M.reason == "video-teaser":
                for T in box:
                    T.reason = "video-teaser"
                break
            if M.removed or M.role == "title" or M.length > 2 * st.short_line_chars or M.is_prose(st.prose_min_chars):
                break
            box.append(M)


# -- 6. dated teasers ------------------------------------------------------
def _content(text: str, cues: Cues) -> set[str]:
    return {t for t in tokens(_TAG.sub(" ", text)) if len(t) >= 4 and not t.isdigit() and t not in cues.stopwords}


def _dated(nb: list[Line], cues: Cues, st: CleanSettings) -> None:
    cands = [L for L in nb if L.marker == "dated" and not L.removed]
    if not cands:
        return
    vocab: set[str] = set()
    for L in nb:
        if not L.removed and L.marker != "dated":
            vocab |= _content(L.s, cues)
    for L in cands:
        words = _content(L.s, cues)
        if not words:
            continue
        if len(words & vocab) / len(words) <= st.teaser_overlap_max:
            L.reason = "dated-teaser"


# -- 7./8. newsletter boxes, empty headings --------------------------------
def _newsletter_boxes(nb: list[Line], st: CleanSettings) -> None:
    for k in range(1, len(nb)):
        M, prev = nb[k], nb[k - 1]
        if (
            prev.reason == "newsletter"
            and M.n == prev.n + 1
            and not M.removed
            and M.role != "title"
            and M.length <= 2 * st.short_line_chars
            and not M.is_prose(st.prose_min_chars)
        ):
            M.reason = "newsletter"


def _empty_headings(nb: list[Line], title: Line | None, st: CleanSettings) -> None:
    kept = [L for L in nb if not L.removed]
    for _ in range(3):
        if len(kept) < 2:
            return
        L = kept[-1]
        if L is title or not L.is_short_heading(st.heading_max_chars) or L.s.endswith("?") or len(L.words) > 8:
            return
        if not any(M.is_prose(st.prose_min_chars) for M in kept[:-1]):
            return
        L.reason = "empty-heading"
        kept.pop()


# -- 9. roles --------------------------------------------------------------
def _roles(nb: list[Line], title: Line | None, st: CleanSettings) -> None:
    kept = [L for L in nb if not L.removed]
    lead_done = False
    for k, L in enumerate(kept):
        if L is title:
            L.role = "title"
            continue
        nxt = kept[k + 1] if k + 1 < len(kept) else None
        if L.is_short_heading(st.heading_max_chars) and nxt is not None and (
            nxt.is_prose(st.prose_min_chars) or is_bullet(nxt.s)
        ):
            L.role = "heading"
            continue
        if not lead_done and L.is_prose(st.prose_min_chars):
            L.role = "lead"
            lead_done = True
            continue
        L.role = "body"
    for L in nb:
        if L.removed:
            L.role = "furniture"
