"""The ``clean`` stage: decide line by line what is article and what is page furniture.

Scraped article text arrives with page furniture that no extractor removes
from plain text.  :func:`classify_lines` judges every non-blank raw line of
``raw_text`` (1-based) from its shape (length, sentence punctuation, case,
indentation), its position (top or bottom of the page, inside a gallery or
teaser block), repetition within the article and per-language cue phrases
(``cues/<lang>.toml``).  Removed lines keep one of these reasons:

``section-label``
    a very short line (a section name) at the top, above the title.
``title-repeat``
    a line near the top repeating the title (word Jaccard ≥ ``title_jaccard``).
``byline``
    a name-only line (2–4 capitalised words, or ``Von …``/``By …``) near the top.
``caption``
    an image caption: a line repeated in the article (both copies, when the first
    is short or followed by a credit), a line with position markers such as
    ``(l.)``/``(2. v. r.)``, or a line starting with ``Foto:``/``Bild:``/``Photo:`` … and
    a description.
``photo-credit``
    a credit: ``AGENCY / Photographer``, ``(Foto: X)``, ``Bild: X``, ``© X``, or a
    name or agency right after a caption.
``gallery``
    gallery counters (``1/65``), gallery links and the caption items after them.
``audio``
    audio-player notices (``00:00``, "article read by a generated voice").
``video-teaser``
    a video teaser with a duration (``01.06.2023 | 43:26 min``), a media label alone on a line
    (``Video``) and the clip's title between it and the duration line.
``timestamp``
    a relative update stamp alone on a line (``Aktualisiert vor 2 Stunden``, ``Updated 3 hours ago``).
``newsletter``
    newsletter, subscription and consent boxes.
``teaser-list``
    a related-news heading and the teaser items after it, up to clear prose.
``dated-teaser``
    an item starting with a date stamp or HTML markup, unrelated to the article.
``markup``
    a line of raw HTML tags.
``separator``
    a line of punctuation only (``|``, ``—``, ``***``).
``navigation``
    breadcrumbs (``Startseite > Politik``), menu and share-button lines.
``source-line``
    ``Quelle: dpa, AFP`` / ``Source: AP`` / ``(dpa)`` / ``Mit Material von …``.
``empty-heading``
    a heading with nothing after it at the very end.

:func:`rebuild_text` turns the decisions into ``text``, ``kept_lines`` and
``line_map``.  The :func:`clean` stage also parses source lines (agencies in
canonical spelling, a web domain as the outlet) and bylines (``metadata["author"]``).
"""

from __future__ import annotations

from typing import Any, Mapping

from ..model import Article, Removed
from ..pipeline import stage
from ._classify import Classified, classify
from ._lines import LineDecision, split_lines
from ._settings import CleanSettings
from ._source import agency_only, inline_agencies, parse_source_line

__all__ = [
    "REASONS", "ROLES", "LineDecision", "classify_lines", "furniture_reason", "rebuild_text", "group_removed", "clean",
]

#: Every reason a removed line can carry (see the module docstring).
REASONS = (
    "section-label",
    "title-repeat",
    "byline",
    "caption",
    "photo-credit",
    "gallery",
    "audio",
    "video-teaser",
    "newsletter",
    "teaser-list",
    "dated-teaser",
    "markup",
    "separator",
    "navigation",
    "source-line",
    "empty-heading",
    "timestamp",
)

#: Roles of lines: kept lines are ``title``/``lead``/``heading``/``body``.
ROLES = ("title", "lead", "heading", "body", "furniture")


def _decisions(res: Classified) -> list[LineDecision]:
    return [
        LineDecision(L.n, L.reason is None, L.reason, L.role if L.reason is None else "furniture", L.s)
        for L in res.lines
        if not L.blank
    ]


def classify_lines(
    raw_text: str,
    language: str | None,
    settings: Mapping[str, Any] | CleanSettings | None = None,
    *,
    title: str | None = None,
) -> list[LineDecision]:
    """A decision for every non-blank raw line of ``raw_text``, in order.

    ``language`` picks the cue files (``None``: all); ``settings`` is the
    ``[stages.clean]`` table (missing keys take the packaged defaults);
    ``title`` is the title known from the input, if any.  Blank lines get no
    decision: they are neither kept nor removed.
    """
    return _decisions(classify(raw_text, language, CleanSettings.from_mapping(settings), title))


def furniture_reason(line: str, language: str | None = None) -> str | None:
    """The reason one line, seen alone, is page furniture (``"timestamp"``, ``"caption"`` …), or None.

    Only the per-line rules with the default settings: a second guard for text
    that reached later stages (a story summary should not quote "Updated 2 hours ago").
    """
    from ._classify import line_furniture

    return line_furniture(line, language, _DEFAULT_SETTINGS)


_DEFAULT_SETTINGS = CleanSettings.from_mapping(None)


def rebuild_text(raw_text: str, keep: Mapping[int, bool]) -> tuple[str, list[int], list[list[int]]]:
    """``(text, kept_lines, line_map)`` from the raw lines marked ``True`` in ``keep``.

    Kept lines are stripped of surrounding whitespace and joined by ``"\\n"``,
    or by ``"\\n\\n"`` where blank or removed raw lines lie between them.
    ``line_map`` holds ``[clean_start, clean_end, raw_line]`` per kept line.
    Blank lines are never kept.
    """
    lines = split_lines(raw_text)
    parts: list[str] = []
    kept: list[int] = []
    line_map: list[list[int]] = []
    pos = 0
    prev: int | None = None
    for n in sorted(k for k, v in keep.items() if v):
        if not 1 <= n <= len(lines):
            raise ValueError(f"line {n} is not a line of the raw text (it has {len(lines)}) — pass 1-based raw line numbers")
        s = lines[n - 1].strip()
        if not s:
            continue
        if prev is not None:
            sep = "\n" if n == prev + 1 else "\n\n"
            parts.append(sep)
            pos += len(sep)
        parts.append(s)
        line_map.append([pos, pos + len(s), n])
        pos += len(s)
        kept.append(n)
        prev = n
    return "".join(parts), kept, line_map


def group_removed(decisions: list[LineDecision]) -> list[Removed]:
    """Removed lines as runs of one reason (a kept line or another reason ends a run)."""
    out: list[Removed] = []
    current: Removed | None = None
    for d in decisions:
        if d.keep:
            current = None
            continue
        if current is not None and current.reason == d.reason:
            current.lines.append(d.line)
        else:
            current = Removed(lines=[d.line], reason=d.reason or "")
            out.append(current)
    return out


def _merge(*lists: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for items in lists:
        for a in items:
            if a not in seen:
                seen.add(a)
                out.append(a)
    return out


@stage(
    "clean",
    requires=("raw_text", "title", "language", "agencies", "outlet"),
    sets=("text", "kept_lines", "removed", "line_map", "title", "agencies", "outlet", "metadata"),
)
def clean(article: Article, settings: Mapping[str, Any]) -> Article:
    """Remove page furniture line by line; parse source lines and bylines."""
    st = CleanSettings.from_mapping(settings)
    res = classify(article.raw_text, article.language, st, article.title)
    decisions = _decisions(res)
    text, kept_lines, line_map = rebuild_text(article.raw_text, {d.line: d.keep for d in decisions})

    agencies: list[str] = []
    outlet = article.outlet
    for L in res.lines:
        if L.reason == "source-line":
            info = parse_source_line(L.s, res.cues)
            if info is not None:
                agencies.extend(info[0])
                if not outlet and info[1]:
                    outlet = info[1]
            else:
                agencies.extend(agency_only(L.s, res.cues) or [])
    if st.inline_agencies and line_map:
        first = next((L.s for L in res.lines if L.s and L.reason is None and L.role in ("lead", "body")), None)
        agencies.extend(inline_agencies(first, text[line_map[-1][0]:line_map[-1][1]], res.cues))

    title = article.title
    if res.title_line is not None and not res.title_from_input:
        title = res.title_line.s

    metadata = dict(article.metadata)
    if res.authors and not metadata.get("author"):
        metadata["author"] = ", ".join(_merge(res.authors))

    return article.replace(
        text=text,
        kept_lines=kept_lines,
        removed=group_removed(decisions),
        line_map=line_map,
        title=title,
        agencies=_merge(list(article.agencies), agencies),
        outlet=outlet,
        metadata=metadata,
    )
