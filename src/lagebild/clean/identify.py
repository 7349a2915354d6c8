"""The ``identify`` stage: a stable content id for every article.

``id`` is the first 16 hex digits of SHA-256 over
``normalise_outlet(outlet) + "\\n" + normalise_text(text)``.  The normalisation
makes the id independent of how the text reached us: the same article read from
a ``.txt`` file and extracted from HTML or JSON gets the same id when the clean
texts differ only in Unicode form, letter case, whitespace, or quote and dash
style.  :func:`text_hash` is the same hash without the outlet, for exact
duplicates across outlets.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any, Mapping

from ..model import Article
from ..pipeline import stage

__all__ = ["identify", "normalise_text", "normalise_outlet", "text_hash", "article_id", "ID_HEX_DIGITS"]

#: Length of ids and hashes (hex digits of SHA-256 kept).
ID_HEX_DIGITS = 16

_QUOTES = "\"„“”‟«»‹›″〝〞＂"
_APOSTROPHES = "‚‘’‛′`´"
_DASHES = "‐‑‒–—―−﹘﹣－"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero-width characters

_UNIFY: dict[str, str] = {
    **{c: '"' for c in _QUOTES},
    **{c: "'" for c in _APOSTROPHES},
    **{c: "-" for c in _DASHES},
    **{c: "" for c in _INVISIBLE},
}
# One character class and a lookup is several times faster than str.translate
# on non-ASCII text.  The ASCII characters mapped to themselves are left out.
_UNIFY_RE = re.compile("[" + re.escape("".join(c for c, r in _UNIFY.items() if c != r)) + "]")


def _unify(m: re.Match[str]) -> str:
    return _UNIFY[m.group()]


def normalise_text(text: str) -> str:
    """``text`` in the form ids and duplicate hashes are computed over.

    NFKC, case-folded, typographic quotes, apostrophes and dashes unified to
    ``"``, ``'`` and ``-``, soft hyphens and zero-width characters dropped,
    every run of whitespace one space, no leading or trailing space.
    """
    t = unicodedata.normalize("NFKC", text).casefold()
    t = _UNIFY_RE.sub(_unify, t)
    return " ".join(t.split())


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


def normalise_outlet(outlet: str | None) -> str:
    """The outlet in host-like form: case-folded, no scheme, no ``www.``, no trailing ``/``.

    ``None`` (outlet unknown) is ``""``.
    """
    if outlet is None:
        return ""
    o = unicodedata.normalize("NFKC", outlet).strip().casefold()
    o = _SCHEME.sub("", o)
    if o.startswith("www."):
        o = o[4:]
    return o.rstrip("/").strip()


def _digest(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()[:ID_HEX_DIGITS]


def text_hash(text: str, *, normalised: bool = False) -> str:
    """Hash of the normalised text alone (equal for exact duplicates across outlets).

    Pass ``normalised=True`` when ``text`` already is :func:`normalise_text` output.
    """
    return _digest(text if normalised else normalise_text(text))


def article_id(text: str, outlet: str | None) -> str:
    """The id :func:`identify` gives an article with this ``text`` and ``outlet``."""
    return _digest(normalise_outlet(outlet) + "\n" + normalise_text(text))


@stage("identify", requires=("text", "outlet"), sets=("id",))
def identify(article: Article, settings: Mapping[str, Any]) -> Article:
    """Set ``id`` to the content hash of the article's outlet and clean text."""
    new_id = article_id(article.text, article.outlet)
    if new_id == article.id:
        return article
    return article.replace(id=new_id)
