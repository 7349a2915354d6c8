"""Per-line furniture rules: what a line is, judged from the line alone.

Context rules (title, blocks, repetition) are in :mod:`._classify`; the rules
here set ``Line.reason`` and, for lines whose fate depends on context,
``Line.marker``:

* ``gallery-start`` — a gallery counter or link (starts a gallery block);
* ``teaser-start`` — a related-news heading (starts a teaser block);
* ``agency-only`` — a bare agency credit (``dpa/AFP``): a source line, or a
  photo credit right after a caption;
* ``timestamp`` — a lone ``12:30`` (audio only next to audio furniture);
* ``dated`` — starts with a date stamp or HTML tag (a teaser when unrelated).
"""

from __future__ import annotations

import re

from ._cues import Cues, norm_cue
from ._lines import (
    COUNTER,
    DATE_ANY,
    DATE_STAMP,
    DURATION,
    TIMESTAMP_ONLY,
    Line,
    ends_sentence,
    is_domain,
    is_markup_only,
    is_separator,
    starts_with_markup,
)
from ._settings import CleanSettings
from ._source import agency_only, parse_source_line

__all__ = ["line_rule", "credit_signal", "credit_like"]

_CRUMB_SPLIT = re.compile(r"\s+[>›»|]\s+|\s*[>›]\s*")
_CREDIT_SPLIT = re.compile(r"\s*[/|]\s*")
_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s|copyright\b)", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_ZERO_TIME = re.compile(r"^0?0:00(?::00)?$")


def credit_signal(part: str, cues: Cues) -> bool:
    """``part`` of a ``/``-separated credit names an agency, picture desk, domain or an all-caps code."""
    p = part.strip(" .,;:()[]")
    if not p:
        return False
    key = " ".join(p.casefold().split())
    if key in cues.agencies or key in cues.credit_names or is_domain(p):
        return True
    first = key.split()[0]
    if first in cues.credit_names or first in cues.agencies:
        return True
    letters = [c for c in p if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and len(p.split()) <= 2


def credit_like(rest: str, cues: Cues) -> bool:
    """The part after ``Foto:`` is a credit (names, agencies), not a description."""
    rest = rest.strip(" ()[]")
    words = rest.split()
    if not rest or len(rest) > 70 or len(words) > 8 or ends_sentence(rest) and len(words) > 3:
        return False
    if "/" in rest or "|" in rest or any(credit_signal(p, cues) for p in _CREDIT_SPLIT.split(rest)):
        return True
    return all(not w[:1].islower() or w.casefold() in cues.particles for w in words)


def _credit_list(s: str, cues: Cues) -> bool:
    """``STR / AFP / example.com``: short parts separated by ``/`` or ``|``, one naming a credit."""
    if len(s) > 100 or ("/" not in s and "|" not in s):
        return False
    parts = [p for p in _CREDIT_SPLIT.split(s) if p.strip()]
    if len(parts) < 2:
        return False
    for p in parts:
        if len(p) > 40 or len(p.split()) > 4 or ends_sentence(p) or any(c.isdigit() for c in p):
            return False
    return any(credit_signal(p, cues) for p in parts)


def _photo_credit(L: Line, cues: Cues) -> bool:
    s = L.s
    if _COPYRIGHT.match(s) and L.length <= 100:
        return True
    inner = s[1:-1].strip() if s.startswith("(") and s.endswith(")") else s
    m = cues.credit_prefix.match(inner)
    if m and credit_like(inner[m.end():], cues):
        return True
    return _credit_list(s, cues)


def _breadcrumb(L: Line, cues: Cues) -> bool:
    s = L.s
    if L.length > 150 or "<" in s or not any(c in s for c in ">›»|"):
        return False
    parts = [p.strip() for p in _CRUMB_SPLIT.split(s)]
    if len(parts) < 2 or not all(parts):
        return False
    if any(len(p) > 40 or len(p.split()) > 4 or ends_sentence(p) for p in parts):
        return False
    if norm_cue(parts[0]) in cues.crumbs or any(c in s for c in ">›"):
        return True
    if "|" in s and "»" not in s:
        return not any(credit_signal(p, cues) for p in parts)
    return False


def line_rule(L: Line, cues: Cues, st: CleanSettings) -> None:
    """Set ``L.reason`` / ``L.marker`` from the line alone (first matching rule wins)."""
    s = L.s
    if is_separator(s) and not (s.startswith("|") and s.endswith("|") and "-" in s and len(s) > 2):
        L.reason = "separator"
        return
    if is_markup_only(s):
        L.reason = "markup"
        return
    if s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
        return  # a table row (cells between pipes) is content
    short = L.length <= st.cue_line_max_chars
    if not short:  # long lines: only caption shapes and dated items are possible
        _long_line_rule(L, cues, st)
        return
    n = norm_cue(s)
    if n in cues.navigation or _breadcrumb(L, cues) or cues.navigation_patterns.search(n):
        L.reason = "navigation"
        return
    if cues.timestamp_patterns.search(n):
        L.reason = "timestamp"
        return
    if n in cues.video_lines:
        L.reason, L.marker = "video-teaser", "media-label"
        return
    digits = _DIGIT.search(s) is not None
    if (digits and COUNTER.match(s)) or n in cues.gallery_lines or (digits and cues.gallery_patterns.search(n)):
        L.reason, L.marker = "gallery", "gallery-start"
        return
    colon = ":" in s
    if colon and digits and TIMESTAMP_ONLY.match(s):
        if _ZERO_TIME.match(s) or "/" in s:
            L.reason = "audio"
        else:
            L.marker = "timestamp"
        return
    kinds = cues.phrases.kinds(L.norm)
    if n in cues.audio_lines or "audio" in kinds:
        L.reason = "audio"
        return
    if colon and digits and DURATION.search(s):
        if DATE_ANY.search(s) or "video" in kinds or (L.length <= st.short_line_chars and not L.ends_sentence()):
            L.reason = "video-teaser"
            return
    if n in cues.newsletter_lines or "newsletter" in kinds:
        L.reason = "newsletter"
        return
    if L.is_short_heading(st.heading_max_chars) and (
        n in cues.teaser_headings or cues.teaser_heading_start.match(n)
    ):
        L.reason, L.marker = "teaser-list", "teaser-start"
        return
    if parse_source_line(s, cues) is not None:
        L.reason = "source-line"
        return
    if agency_only(s, cues) is not None:
        L.reason, L.marker = "source-line", "agency-only"
        return
    if _photo_credit(L, cues):
        L.reason = "photo-credit"
        return
    _long_line_rule(L, cues, st)


def _long_line_rule(L: Line, cues: Cues, st: CleanSettings) -> None:
    s = L.s
    m = cues.caption_prefix.match(s)
    if m and L.length <= 2 * st.caption_max_chars:
        L.reason = "photo-credit" if credit_like(s[m.end():], cues) else "caption"
        return
    if L.length <= st.caption_max_chars and "(" in s and cues.caption_markers.search(s):
        L.reason = "caption"
        return
    if s[0].isdigit() and DATE_STAMP.match(s) or s[0] == "<" and starts_with_markup(s):
        L.marker = "dated"
