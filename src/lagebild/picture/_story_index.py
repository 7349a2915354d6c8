"""The centroids of all stories as one numpy matrix, with their spans and top entities.

Story assignment (:mod:`._stories`) scores each new article against every candidate story: one matrix
product per block of articles (:meth:`StoryIndex.block`), then only rows changed since are rescored.
A story's centroid (the sum of its members' vectors) is held once, as its direction (a row of the
matrix) and its length, not as an array of its own beside the row (at 100,000 articles, ~130 MB less).
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from typing import Any, Iterable, Mapping

import numpy as np

from ._embed import DIM

__all__ = ["StoryIndex", "VectorTable", "day_ordinal", "unit", "top_keys", "jaccard"]


def day_ordinal(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(str(value)[:10]).toordinal()
    except ValueError:
        return None


def unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


def top_keys(counts: Mapping[str, int], k: int) -> list[str]:
    return [i for i, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


class StoryIndex:
    """The centroids of all stories as one matrix, with their spans and top entities.

    It takes the ``centroid`` out of each story given (they are then held here only); a story's centroid
    is :meth:`centroid`, and :meth:`put` with a ``centroid`` sets it."""

    def __init__(self, stories: Mapping[str, dict[str, Any]], cfg: Mapping[str, Any]) -> None:
        self.cfg = cfg
        self.ids: list[str] = []
        self.pos: dict[str, int] = {}
        self.mat = np.zeros((max(16, len(stories) * 2), DIM), dtype=np.float32)  # each centroid's direction
        self.norm = np.zeros(len(self.mat))  # and its length
        # day ordinals of each story's span; NaN where undated
        self.first = np.full(len(self.mat), np.nan)
        self.last = np.full(len(self.mat), np.nan)
        self.ents: list[set[str]] = []
        self.empty = np.zeros(len(self.mat), dtype=bool)  # stories merged away (no members)
        self.df: Counter[str] = Counter()  # stories whose top entities hold each entity
        self.changed: set[int] = set()  # rows put since the last :meth:`block` (their cached cosines are stale)
        self._block: np.ndarray | None = None  # cosines of a block of article vectors with the first rows
        for sid in sorted(stories):
            self.put(stories[sid], stories[sid].pop("centroid", None))

    def reserve(self, rows: int) -> None:
        """Make room for ``rows`` stories in all (the stories an update may create, known before it starts):
        the matrix is then never copied to grow while the update runs (a copy holds both, hundreds of MB at
        100,000 articles), and rows not yet written take no memory (``np.zeros`` maps them lazily)."""
        if rows <= len(self.mat):
            return
        extra = rows - len(self.mat)
        grown = np.zeros((rows, DIM), dtype=np.float32)
        grown[: len(self.mat)] = self.mat
        self.mat = grown
        self.norm = np.concatenate([self.norm, np.zeros(extra)])
        self.first = np.concatenate([self.first, np.full(extra, np.nan)])
        self.last = np.concatenate([self.last, np.full(extra, np.nan)])
        self.empty = np.concatenate([self.empty, np.zeros(extra, dtype=bool)])

    def put(self, story: Mapping[str, Any], centroid: np.ndarray | None = None) -> None:
        """Add or update a story's row: its span, top entities and whether it is empty; its ``centroid``
        (the sum of its member vectors) if given, else the one it has (zero for a new story)."""
        sid = story["id"]
        if sid not in self.pos:
            if len(self.ids) == len(self.mat):
                self.reserve(2 * len(self.mat))
            self.pos[sid] = len(self.ids)
            self.ids.append(sid)
            self.ents.append(set())
        i = self.pos[sid]
        self.changed.add(i)
        self.empty[i] = not story["members"]
        if centroid is not None:
            self.mat[i] = unit(centroid)
            self.norm[i] = float(np.linalg.norm(centroid))
        first, last = day_ordinal(story.get("first")), day_ordinal(story.get("last"))
        self.first[i] = np.nan if first is None else first
        self.last[i] = np.nan if last is None else last
        self.df.subtract(self.ents[i])
        self.ents[i] = set(top_keys(story["entities"], int(self.cfg["top_entities"])))
        self.df.update(self.ents[i])

    def centroid(self, sid: str) -> np.ndarray:
        """The story's centroid: the sum of its member vectors (float32; to the last bits: direction × length)."""
        i = self.pos[sid]
        return self.mat[i] * np.float32(self.norm[i])

    def direction(self, sid: str) -> np.ndarray:
        """The story's centroid as a unit vector (a view of its row: read, not kept)."""
        return self.mat[self.pos[sid]]

    def block(self, vectors: np.ndarray) -> None:
        """Cosines of a block of article vectors ``(B, DIM)`` with every current centroid, as one matrix
        product (the centroid matrix is read once per block, not once per article)."""
        self._block = self.mat[: len(self.ids)] @ vectors.T
        self.changed = set()

    def similarities(self, v: np.ndarray, j: int | None = None) -> np.ndarray:
        """Cosines of ``v`` with every centroid; ``j``: ``v`` is row ``j`` of the last :meth:`block`,
        whose cosines are reused for the rows not changed since."""
        n = len(self.ids)
        if j is None or self._block is None:
            return self.mat[:n] @ v
        cached = self._block.shape[0]
        sims = np.empty(n, dtype=np.float32)
        sims[:cached] = self._block[:, j]
        if n > cached:
            sims[cached:] = self.mat[cached:n] @ v
        stale = [i for i in self.changed if i < cached]
        if stale:
            sims[stale] = self.mat[stale] @ v
        return sims

    def gaps(self, day: int | None) -> np.ndarray:
        """Days between ``day`` and each story's span (0 inside it or when either is undated)."""
        n = len(self.ids)
        if day is None:
            return np.zeros(n, dtype=np.float32)
        gap = np.maximum(0.0, np.maximum(self.first[:n] - day, day - self.last[:n]))
        return np.nan_to_num(gap, nan=0.0).astype(np.float32)


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


class VectorTable:
    """Article vectors by id, stored as rows of float32 blocks (2 KB an article, no per-article array
    objects); reads like a mapping ``{article id: vector}`` (a row view, not to be written to or kept:
    :meth:`discard` lets its row be reused)."""

    _ROWS = 4096  #: rows per block (8 MB at 512 dimensions)

    def __init__(self, dim: int = DIM) -> None:
        self.dim = dim
        self._row: dict[str, int] = {}
        self._blocks: list[np.ndarray] = []
        self._free: list[int] = []  # rows of discarded vectors, reused first
        self._next = 0  # the first row never used

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, aid: object) -> bool:
        return aid in self._row

    def __iter__(self) -> Any:
        return iter(self._row)

    def __getitem__(self, aid: str) -> np.ndarray:
        b, r = divmod(self._row[aid], self._ROWS)
        return self._blocks[b][r]

    def get(self, aid: str, default: Any = None) -> Any:
        return self[aid] if aid in self._row else default

    def update(self, vectors: Mapping[str, np.ndarray]) -> None:
        """Add (or overwrite) vectors, copied into the table as float32."""
        for aid, v in vectors.items():
            i = self._row.get(aid)
            if i is None:
                if self._free:
                    i = self._free.pop()
                else:
                    i, self._next = self._next, self._next + 1
                    if i // self._ROWS == len(self._blocks):
                        self._blocks.append(np.zeros((self._ROWS, self.dim), dtype=np.float32))
                self._row[aid] = i
            b, r = divmod(i, self._ROWS)
            self._blocks[b][r] = v

    def discard(self, ids: Iterable[str]) -> None:
        """Forget the vectors of ``ids`` (those it has); their rows take the next vectors added, so a table
        whose caller discards what it is done with stays as large as what it holds at once."""
        for aid in ids:
            i = self._row.pop(aid, None)
            if i is not None:
                self._free.append(i)
