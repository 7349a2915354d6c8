"""The ``boilerplate`` corpus stage: lines an outlet repeats in many articles.

A kept line, normalised (case-folded, every digit ``0``, whitespace collapsed),
that occurs in at least ``min_articles`` articles of the same non-empty outlet
and is at most ``max_line_chars`` long is removed from those articles with the
reason ``outlet-boilerplate`` (newsletter boxes, consent notices, standard
teasers that per-article rules cannot know).  Articles with the same ``id``
(exact duplicates) count once, so a story read twice is not its own
boilerplate.

One pass builds a dict of line hashes per outlet, a second removes: linear in
the number of lines.  Articles left alone are returned as the same objects;
changed ones are copies with ``text``, ``kept_lines``, ``removed`` and
``line_map`` rebuilt.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from typing import Any, Mapping

from ..errors import ConfigError
from ..model import Article, Corpus, Removed
from ..pipeline import stage
from .furniture import rebuild_text

__all__ = ["boilerplate", "normalise_line", "REASON"]

#: The reason removed boilerplate lines carry.
REASON = "outlet-boilerplate"

_DIGITS = str.maketrans("0123456789", "0000000000")


def normalise_line(line: str) -> str:
    """A line as boilerplate compares it: case-folded, digits → ``0``, whitespace collapsed."""
    return " ".join(line.casefold().translate(_DIGITS).split())


def _key(line: str) -> bytes:
    return hashlib.blake2b(normalise_line(line).encode("utf-8"), digest_size=12).digest()


def _settings(settings: Mapping[str, Any] | None) -> tuple[int, int]:
    from ..config import defaults

    merged = {**defaults().get("stages", {}).get("boilerplate", {}), **dict(settings or {})}
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


@stage(
    "boilerplate",
    requires=("raw_text", "text", "outlet", "kept_lines", "removed", "line_map", "id"),
    sets=("text", "kept_lines", "removed", "line_map"),
    level="corpus",
)
def boilerplate(corpus: Corpus, settings: Mapping[str, Any]) -> Corpus:
    """Remove lines that recur in many articles of one outlet."""
    min_articles, max_chars = _settings(settings)
    per_article: list[dict[int, bytes] | None] = []
    # outlet → key → ids of the articles holding it
    seen: dict[str, dict[bytes, set[str]]] = defaultdict(lambda: defaultdict(set))
    for i, a in enumerate(corpus.articles):
        outlet = (a.outlet or "").strip().casefold()
        if not outlet:
            per_article.append(None)
            continue
        cand = _candidates(a, max_chars)
        per_article.append(cand)
        holders = seen[outlet]
        ident = a.id or f"#{i}"
        for key in set(cand.values()):
            holders[key].add(ident)

    out: list[Article] = []
    changed = False
    for a, cand in zip(corpus.articles, per_article):
        if not cand:
            out.append(a)
            continue
        holders = seen[(a.outlet or "").strip().casefold()]
        drop = sorted(n for n, key in cand.items() if len(holders[key]) >= min_articles)
        if not drop:
            out.append(a)
            continue
        dropped = set(drop)
        keep = {n: True for n in a.kept_lines if n not in dropped}
        text, kept_lines, line_map = rebuild_text(a.raw_text, keep)
        removed = list(a.removed) + [Removed(lines=run, reason=REASON) for run in _runs(drop, kept_lines)]
        removed.sort(key=lambda r: r.lines[0] if r.lines else 0)
        out.append(a.replace(text=text, kept_lines=kept_lines, removed=removed, line_map=line_map))
        changed = True
    return corpus.replace(out) if changed else corpus
