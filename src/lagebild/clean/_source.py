"""Source lines, agency credits and bylines: recognising and parsing them.

* ``Quelle: dpa, AFP`` / ``Source: AP`` / ``Mit Material von dpa und AFP`` →
  agencies (canonical spelling) and an optional web domain (the outlet);
* ``(dpa)``, ``dpa/AFP``, ``abc/AFP`` → agencies (initials ignored);
* ``Berlin (dpa) - …`` at the start, ``… (dpa)`` at the end of a kept line →
  agencies without removing anything;
* ``Von Vorname Nachname`` / ``Vorname Nachname`` → an author name.
"""

from __future__ import annotations

import re

from ._cues import Cues
from ._lines import is_domain, is_initials, name_tokens

__all__ = ["SourceInfo", "parse_source_line", "agency_only", "inline_agencies", "byline_name"]

_TRIM = " \t\u00a0()[]{}.,;:\"'„“”«»"
_PAREN_GROUP = re.compile(r"\(([^()]{2,60})\)")
_DATELINE = re.compile(r"^[A-ZÀ-Ý][\w.'’ /-]{1,40}?\s*\(([^()]{2,40})\)\s*[-–—:]\s+\S")
_TRAILING = re.compile(r"\(([^()]{2,40})\)\s*\.?$")
_DIGIT = re.compile(r"\d")
_NAME_SPLIT = re.compile(r"\s*(?:,|\s(?:und|and|et|&)\s)\s*")

SourceInfo = tuple[list[str], str | None]


def _classify_tokens(parts: list[str], cues: Cues) -> tuple[list[str], list[str], int]:
    """Agencies, domains and the number of unrecognised parts (initials are ignored)."""
    agencies: list[str] = []
    domains: list[str] = []
    other = 0
    for p in parts:
        t = p.strip(_TRIM)
        if not t:
            continue
        key = " ".join(t.casefold().split())
        if key in cues.agencies:
            agencies.append(cues.agencies[key])
        elif is_domain(t):
            domains.append(t.lower().removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/"))
        elif is_initials(t):
            continue
        else:
            other += 1
    return agencies, domains, other


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for i in items:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


def parse_source_line(s: str, cues: Cues, max_chars: int = 160) -> SourceInfo | None:
    """``(agencies, domain)`` if ``s`` is a source line, else ``None``."""
    if len(s) > max_chars:
        return None
    m = cues.source_prefix.match(s)
    if m:
        rest = s[m.end():]
        if not rest.strip() or rest.rstrip().endswith((".", "!", "?")) and len(rest.split()) > 6:
            return None
        agencies, domains, other = _classify_tokens(cues.joiners.split(rest), cues)
        if other > 4:
            return None
        return _dedupe(agencies), (domains[0] if domains else None)
    m = cues.source_agency_prefix.match(s)
    if m:
        agencies, domains, other = _classify_tokens(cues.joiners.split(s[m.end():]), cues)
        if agencies and not other:
            return _dedupe(agencies), (domains[0] if domains else None)
    return None


def agency_only(s: str, cues: Cues) -> list[str] | None:
    """Agencies if ``s`` is nothing but agency names and initials (``(dpa)``, ``abc/AFP``)."""
    if len(s) > 60 or not any(c.isalpha() for c in s):
        return None
    agencies, domains, other = _classify_tokens(cues.joiners.split(s.strip(_TRIM)), cues)
    if agencies and not other and not domains:
        return _dedupe(agencies)
    return None


def inline_agencies(first: str | None, last: str | None, cues: Cues) -> list[str]:
    """Agencies from a dateline ``Ort (dpa) -`` in ``first`` and a trailing ``(dpa)`` in ``last``."""
    found: list[str] = []
    for text, rx in ((first, _DATELINE), (last, _TRAILING)):
        if not text:
            continue
        m = rx.search(text)
        if m:
            agencies, domains, other = _classify_tokens(cues.joiners.split(m.group(1)), cues)
            if agencies and not other:
                found.extend(agencies)
    return _dedupe(found)


def byline_name(s: str, cues: Cues, *, prefixed_only: bool = False) -> str | None:
    """The author name if ``s`` is a byline (``Von A B``, or a 2–4 word name alone)."""
    if len(s) > 80 or _DIGIT.search(s):
        return None
    m = cues.byline_prefix.match(s)
    if m:
        rest = s[m.end():].strip(_TRIM)
        names = [p for p in _NAME_SPLIT.split(rest) if p]
        if names and all(2 <= len(p.split()) <= 4 and name_tokens(p.split(), cues.particles) for p in names):
            return rest
        return None
    if prefixed_only:
        return None
    words = s.split()
    if not 2 <= len(words) <= 4 or s[-1:] in ".!?:;,\"'»«“”":
        return None
    if any(w[:1].isupper() and (w.casefold() in cues.stopwords or w.casefold() in cues.agencies) for w in words):
        return None
    if name_tokens(words, cues.particles):
        return s
    return None
