"""Raw lines and their shape: the features every furniture rule looks at.

Pure string operations and precompiled regular expressions only; one
:class:`Line` per raw line is built once per article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "LineDecision",
    "Line",
    "split_lines",
    "tokens",
    "jaccard",
    "ends_sentence",
    "ends_with_period",
    "is_bullet",
    "is_separator",
    "is_markup_only",
    "starts_with_markup",
    "is_domain",
    "is_initials",
    "name_tokens",
    "DATE_STAMP",
    "DURATION",
    "DATE_ANY",
    "TIMESTAMP_ONLY",
    "COUNTER",
]


@dataclass(frozen=True, slots=True)
class LineDecision:
    """What :func:`~lagebild.clean.furniture.classify_lines` decided for one raw line.

    ``line`` is 1-based; ``reason`` is ``None`` for kept lines; ``role`` is
    ``title``, ``lead``, ``heading``, ``body`` (kept) or ``furniture`` (removed);
    ``text`` is the line without surrounding whitespace.
    """

    line: int
    keep: bool
    reason: str | None
    role: str
    text: str = ""


_WORD = re.compile(r"\w+")
_SENT_END = frozenset(".!?…")
_CLOSERS = frozenset("\"'»«“”‘’)]")
_TRAIL_PAREN = re.compile(r"\s+\([^()]{1,40}\)$")
_BULLET = re.compile(r"^(?:[-–—•·▪●◦*+]\s+|\d{1,2}[.)]\s+\S)")
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?\s*>")
_STARTS_TAG = re.compile(r"^<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?\s*>")
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,12}/?$", re.IGNORECASE)
_INITIALS = re.compile(r"^[a-zäöü]{2,4}$")
_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿß'’]+(?:-[A-ZÀ-ÖØ-Þ]?[a-zà-öø-ÿß'’]+)*\.?$|^[A-ZÀ-ÖØ-Þ]\.$")

#: A date stamp at the start of a line: ``22.12.2024:``, ``2024-12-22 |``, ``22.12. -``
DATE_STAMP = re.compile(r"^\d{1,2}\.\s?\d{1,2}\.(?:\s?\d{2,4})?\s*[:|–—-]\s*\S|^\d{4}-\d{2}-\d{2}\s*[:|–—-]\s*\S")
#: A date anywhere (numeric day.month.year or ISO).
DATE_ANY = re.compile(r"(?<!\d)(?:\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?!\d)|\d{4}-\d{2}-\d{2}(?!\d))")
#: A media duration: ``43:26 min``, ``1:02:03 Min.``, ``(2:15 min)``, or a bare ``(2:05)`` in brackets.
DURATION = re.compile(
    r"(?<!\d)\d{1,3}:\d{2}(?::\d{2})?\s*(?:min(?:ute[ns]?|s)?|Min\.?)(?!\w)|\(\d{1,3}:\d{2}(?::\d{2})?\)",
    re.IGNORECASE,
)
#: A player timestamp alone: ``00:00``, ``0:00 / 3:12``.
TIMESTAMP_ONLY = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?:\s*/\s*\d{1,2}:\d{2}(?::\d{2})?)?$")
#: A gallery counter alone: ``1/65``, ``3 / 12``, ``(2/7)``.
COUNTER = re.compile(r"^\(?\d{1,3}\s*/\s*\d{1,3}\)?$")


def split_lines(raw_text: str) -> list[str]:
    """Raw lines as numbered everywhere in lagebild: split on ``\\n`` only."""
    return raw_text.split("\n")


def tokens(text: str) -> list[str]:
    """Case-folded word tokens (punctuation splits words: ``a:b`` → ``a``, ``b``)."""
    return _WORD.findall(text.casefold())


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def ends_sentence(s: str) -> bool:
    """``s`` ends like a sentence: ``. ! ? …``, optionally followed by closing quotes/brackets
    or a short parenthesis after the sentence (``… gesagt. (dpa)``)."""
    if s.endswith(")"):
        m = _TRAIL_PAREN.search(s)
        if m and m.start() > 0:
            s = s[: m.start()]
    i = len(s) - 1
    while i >= 0 and s[i] in _CLOSERS:
        i -= 1
    return i >= 0 and s[i] in _SENT_END


def ends_with_period(s: str) -> bool:
    """``s`` ends with ``.`` (not ``...``), optionally before closing quotes: a statement."""
    core = s.rstrip("\"'»«“”‘’)]")
    return core.endswith(".") and not core.endswith("..")


def is_bullet(s: str) -> bool:
    return bool(_BULLET.match(s))


def is_separator(s: str) -> bool:
    """Only punctuation or symbols (``|``, ``—``, ``***``)."""
    return bool(s) and not any(c.isalnum() for c in s)


def is_markup_only(s: str) -> bool:
    """The line is HTML tags and nothing but punctuation between them."""
    if "<" not in s or ">" not in s:
        return False
    rest = _TAG.sub("", s)
    return rest != s and not any(c.isalnum() for c in rest)


def starts_with_markup(s: str) -> bool:
    return bool(_STARTS_TAG.match(s))


def is_domain(s: str) -> bool:
    """A bare web domain such as ``example.de`` (optionally ``www.``/scheme)."""
    return "." in s and bool(_DOMAIN.match(s))


def is_initials(s: str) -> bool:
    """Author initials in an agency credit (``abc`` in ``abc/AFP``)."""
    return bool(_INITIALS.match(s))


def name_tokens(words: list[str], particles: frozenset[str]) -> bool:
    """Every word is a capitalised name part or a lower-case particle (at least two names)."""
    names = 0
    for w in words:
        if w.casefold() in particles and not w[:1].isupper():
            continue
        if not _NAME_TOKEN.match(w):
            return False
        names += 1
    return names >= 2


@dataclass(slots=True)
class Line:
    """One raw line and its cheap features (shape checks are cached per line)."""

    n: int  #: 1-based raw line number
    raw: str
    s: str  #: stripped text
    indent: int
    norm: str  #: case-folded, whitespace collapsed
    words: list[str]
    length: int
    reason: str | None = None
    role: str = "body"
    marker: str = ""  #: internal, see :mod:`._rules`
    toks: list[str] | None = None
    _prose: tuple[int, bool] | None = None
    _heading: tuple[int, bool] | None = None

    @classmethod
    def make(cls, n: int, raw: str) -> Line:
        s = raw.strip()
        if not s:
            return cls(n=n, raw=raw, s="", indent=0, norm="", words=[], length=0)
        lead = raw[: len(raw) - len(raw.lstrip())]
        return cls(
            n=n,
            raw=raw,
            s=s,
            indent=len(lead) + 3 * lead.count("\t"),
            norm=" ".join(s.casefold().split()),
            words=s.split(),
            length=len(s),
        )

    @property
    def blank(self) -> bool:
        return not self.s

    @property
    def removed(self) -> bool:
        return self.reason is not None

    def tok(self) -> list[str]:
        if self.toks is None:
            self.toks = tokens(self.s)
        return self.toks

    # -- shape ------------------------------------------------------------
    def ends_sentence(self) -> bool:
        return ends_sentence(self.s)

    def is_prose(self, prose_min: int) -> bool:
        """Looks like running text: long enough, several words, ends like a sentence or is very long."""
        if self._prose is not None and self._prose[0] == prose_min:
            return self._prose[1]
        ok = (
            self.length >= prose_min
            and len(self.words) >= 6
            and any(w[:1].islower() for w in self.words)
            and (self.length >= 2 * prose_min + prose_min // 2 or ends_sentence(self.s))
        )
        self._prose = (prose_min, ok)
        return ok

    def is_short_heading(self, heading_max: int) -> bool:
        """A short line without sentence-final ``.`` (``?`` and ``:`` allowed): a heading shape."""
        if self._heading is not None and self._heading[0] == heading_max:
            return self._heading[1]
        s = self.s
        ok = bool(s) and self.length <= heading_max and len(self.words) <= 16 and not is_bullet(s) and s[0] != "|"
        if ok and (s.endswith((";", ",")) or (ends_sentence(s) and not s.rstrip("\"'»«“”‘’)]").endswith("?"))):
            ok = False  # headings end without punctuation, with "?" or ":"
        if ok:
            alpha = sum(1 for w in self.words if any(c.isalpha() for c in w))
            ok = alpha * 2 > len(self.words)
        self._heading = (heading_max, ok)
        return ok
