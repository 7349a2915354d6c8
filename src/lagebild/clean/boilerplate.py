"""The ``boilerplate`` corpus stage: lines an outlet repeats in many articles.

A kept line, normalised (case-folded, every digit ``0``, whitespace collapsed),
that occurs in at least ``min_articles`` articles of the same non-empty outlet
and is at most ``max_line_chars`` long is removed from those articles with the
reason ``outlet-boilerplate`` (newsletter boxes, consent notices, standard
teasers that per-article rules cannot know).  Articles with the same ``id``
(exact duplicates) count once, so a story read twice is not its own
boilerplate.

A partitioned corpus stage (:class:`~lagebild.pipeline.Parts`):
:func:`summarize` keeps of each article its outlet key, its id and the
``(line, hash)`` pairs of its candidate lines; :func:`decide` counts the hashes
per outlet and names the lines to drop; :func:`apply` removes them.  Linear in
the number of lines.  Articles left alone are returned as the same objects;
changed ones are copies with ``text``, ``kept_lines``, ``removed`` and
``line_map`` rebuilt.
"""

from __future__ import annotations

import bisect
import hashlib
from array import array
from collections import defaultdict
from functools import lru_cache
from typing import Any, Mapping, NamedTuple, Sequence

from ..errors import ConfigError
from ..model import Article, Corpus, Removed
from ..pipeline import corpus_stage, run_parts
from .furniture import rebuild_text

__all__ = ["boilerplate", "normalise_line", "REASON", "LineKeys", "summarize", "decide", "apply"]

#: The reason removed boilerplate lines carry.
REASON = "outlet-boilerplate"

_DIGITS = str.maketrans("0123456789", "0000000000")


def normalise_line(line: str) -> str:
    """A line as boilerplate compares it: case-folded, digits → ``0``, whitespace collapsed."""
    return " ".join(line.casefold().translate(_DIGITS).split())


def _key(line: str) -> bytes:
    return hashlib.blake2b(normalise_line(line).encode("utf-8"), digest_size=12).digest()


@lru_cache(maxsize=1)
def _packaged_defaults() -> dict[str, Any]:
    from ..config import defaults

    return dict(defaults().get("stages", {}).get("boilerplate", {}))


def _settings(settings: Mapping[str, Any] | None) -> tuple[int, int]:
    merged = {**_packaged_defaults(), **dict(settings or {})}
    out = []
    for key, lo in (("min_articles", 2), ("max_line_chars", 1)):
        v = merged.get(key)
        if isinstance(v, bool) or not isinstance(v, int) or v < lo:
            raise ConfigError(
                f"stages.boilerplate.{key} must be an integer of at least {lo}, got {v!r} — "
                f"fix it in your config file or with --set stages.boilerplate.{key}=VALUE"
            )
        out.append(v)
    return out[0], out[1]


def _candidates(article: Article, max_chars: int) -> dict[int, bytes]:
    """Kept raw line → key, for kept lines short enough to be boilerplate."""
    text = article.text
    out: dict[int, bytes] = {}
    for start, end, line in article.line_map:
        if 0 < end - start <= max_chars:
            out[line] = _key(text[start:end])
    return out


def _runs(drop: list[int], kept: list[int]) -> list[list[int]]:
    """Group sorted removed line numbers into runs that no kept line interrupts."""
    runs: list[list[int]] = []
    for n in drop:
        if runs and bisect.bisect_left(kept, runs[-1][-1]) == bisect.bisect_left(kept, n):
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


class LineKeys(NamedTuple):
    """What :func:`decide` needs of one article: no text, only line numbers and hashes."""

    #: the article's outlet, case-folded and stripped (articles without one take no part)
    outlet: str
    #: the article's id ("" when it has none: it then counts by its position)
    id: str
    #: raw line numbers of the candidate lines (``array("I")``), in ``line_map`` order
    lines: array
    #: the 12-byte hash of each candidate line, concatenated in the same order
    keys: bytes


_KEY_BYTES = 12


def summarize(article: Article, settings: Mapping[str, Any]) -> LineKeys | None:
    """The outlet key, id and candidate-line hashes of ``article`` (None: it takes no part)."""
    _, max_chars = _settings(settings)
    outlet = (article.outlet or "").strip().casefold()
    if not outlet:
        return None
    cand = _candidates(article, max_chars)
    if not cand:
        return None
    return LineKeys(outlet, article.id or "", array("I", cand), b"".join(cand.values()))


def _pairs(s: LineKeys) -> list[tuple[int, bytes]]:
    k = _KEY_BYTES
    return [(n, s.keys[j * k : (j + 1) * k]) for j, n in enumerate(s.lines)]


def decide(summaries: Sequence[LineKeys | None], settings: Mapping[str, Any]) -> dict[int, list[int]]:
    """Position → sorted raw line numbers to drop, for articles holding outlet boilerplate."""
    min_articles, _ = _settings(settings)
    # outlet → key → ids of the articles holding it
    seen: dict[str, dict[bytes, set[str]]] = defaultdict(lambda: defaultdict(set))
    for i, s in enumerate(summaries):
        if s is None:
            continue
        holders = seen[s.outlet]
        ident = s.id or f"#{i}"
        k = _KEY_BYTES
        for j in range(len(s.lines)):
            holders[s.keys[j * k : (j + 1) * k]].add(ident)
    out: dict[int, list[int]] = {}
    for i, s in enumerate(summaries):
        if s is None:
            continue
        holders = seen[s.outlet]
        drop = sorted({n for n, key in _pairs(s) if len(holders[key]) >= min_articles})
        if drop:
            out[i] = drop
    return out


def apply(article: Article, drop: list[int], settings: Mapping[str, Any]) -> Article:
    """``article`` without the raw lines ``drop`` (sorted), each run recorded as removed boilerplate."""
    dropped = set(drop)
    keep = {n: True for n in article.kept_lines if n not in dropped}
    text, kept_lines, line_map = rebuild_text(article.raw_text, keep)
    removed = list(article.removed) + [Removed(lines=run, reason=REASON) for run in _runs(drop, kept_lines)]
    removed.sort(key=lambda r: r.lines[0] if r.lines else 0)
    return article.replace(text=text, kept_lines=kept_lines, removed=removed, line_map=line_map)


_PARTS = corpus_stage(
    "boilerplate",
    requires=("raw_text", "text", "outlet", "kept_lines", "removed", "line_map", "id"),
    sets=("text", "kept_lines", "removed", "line_map"),
    summarize=summarize,
    decide=decide,
    apply=apply,
    doc="Remove lines that recur in many articles of one outlet.",
).parts


def boilerplate(corpus: Corpus, settings: Mapping[str, Any]) -> Corpus:
    """Remove lines that recur in many articles of one outlet."""
    assert _PARTS is not None
    return run_parts(_PARTS, corpus, settings)
