"""The ``dedup`` corpus stage: exact and near duplicates, and shared paragraphs.

* **Exact duplicates** have the same :func:`~lagebild.clean.identify.text_hash`
  (same normalised text, whatever the outlet or id).
* **Near duplicates** have an estimated Jaccard similarity of their word
  shingle sets at or above ``threshold``.  Candidates come from a datasketch
  ``MinHashLSH`` index (one entry per distinct text), tuned for recall; each
  candidate pair is verified on its MinHash signatures.  Pairs join groups by
  union-find, so the work stays near-linear in the number of articles.
* A group's id is ``"g"`` + the smallest article id in it; its representative is
  the earliest article by ``(published.value or "9999", id)``.  Every other
  member points to it in ``duplicate_of``.  Articles in no group keep
  ``duplicate_group = None``.  Articles whose text has no characters beyond
  whitespace are never grouped.
* **Shared paragraphs** (agency copy): a paragraph of at least
  ``min_paragraph_chars`` whose normalised hash occurs in articles of at least
  two different groups (an article in no group counts as its own) is listed on
  each of those articles as ``{start, end, hash, articles, outlets}``:
  ``text[start:end]`` is the paragraph, ``articles`` the other articles holding
  it, ``outlets`` every outlet holding it (``"?"`` for an unknown outlet).

The stage returns the same article object where nothing changed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

import numpy as np
from datasketch import MinHash, MinHashLSH

from ..errors import ConfigError, PipelineError
from ..model import Article, Corpus
from ..pipeline import stage
from . import _shingle
from .identify import normalise_text, text_hash

__all__ = ["dedup", "minhash_signature", "signature_similarity", "DedupSettings"]

#: The packaged defaults' section this stage reads.
_SECTION = "dedup"


@dataclass(frozen=True, slots=True)
class DedupSettings:
    """The validated ``[stages.dedup]`` settings."""

    threshold: float
    num_perm: int
    shingle_words: int
    min_paragraph_chars: int
    lsh_false_negative_weight: float

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any] | None) -> DedupSettings:
        """Settings given, completed by the packaged defaults, checked."""
        merged = {**_packaged_defaults(), **dict(settings or {})}
        where = "stages.dedup"

        def number(key: str, lo: float, hi: float, *, integer: bool) -> Any:
            v = merged.get(key)
            ok_type = isinstance(v, int) if integer else isinstance(v, (int, float))
            if isinstance(v, bool) or not ok_type or not lo <= v <= hi:
                kind = "an integer" if integer else "a number"
                raise ConfigError(
                    f"{where}.{key} must be {kind} from {lo:g} to {hi:g}, got {v!r} — "
                    f"fix it in your config file or with --set {where}.{key}=VALUE"
                )
            return v

        return cls(
            threshold=float(number("threshold", 0.01, 1.0, integer=False)),
            num_perm=number("num_perm", 16, 1024, integer=True),
            shingle_words=number("shingle_words", 1, 16, integer=True),
            min_paragraph_chars=number("min_paragraph_chars", 1, 1_000_000, integer=True),
            lsh_false_negative_weight=float(number("lsh_false_negative_weight", 0.0, 1.0, integer=False)),
        )


@lru_cache(maxsize=1)
def _packaged_defaults() -> dict[str, Any]:
    from ..config import defaults

    return dict(defaults().get("stages", {}).get(_SECTION, {}))


@lru_cache(maxsize=32)
def _lsh_params(threshold: float, num_perm: int, fn_weight: float) -> tuple[int, int]:
    # Let datasketch pick bands × rows for the threshold once per setting.  It
    # wants weights summing to exactly 1.0: (fp, 1 - fp) does for fp in [0, 1].
    fp_weight = 1.0 - fn_weight
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(fp_weight, 1.0 - fp_weight))
    return lsh.b, lsh.r


def _shingles(normalised: str, s: DedupSettings, memo: _shingle.WordHashes | None = None) -> np.ndarray:
    return _shingle.shingle_hashes(_shingle.words(normalised), s.shingle_words, memo)


def minhash_signature(text: str, settings: Mapping[str, Any] | None = None) -> bytes:
    """The MinHash signature of ``text`` as ``num_perm`` little-endian uint32 values.

    Stable across processes and runs for the same ``num_perm`` and
    ``shingle_words`` (the store may keep it to dedup new articles later);
    compare two with :func:`signature_similarity`.
    """
    s = DedupSettings.from_mapping(settings)
    sig = _shingle.signature(_shingles(normalise_text(text), s), s.num_perm)
    return sig.astype("<u4").tobytes()


def signature_similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two :func:`minhash_signature` values.

    A text without words has an empty signature, similar to nothing (0.0).
    """
    if len(a) != len(b) or len(a) % 4:
        raise ValueError(
            "signatures differ in length — compute both with the same stages.dedup.num_perm"
        )
    x, y = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    if not len(x) or np.all(x == _shingle.EMPTY_HASH) or np.all(y == _shingle.EMPTY_HASH):
        return 0.0
    return float(np.count_nonzero(x == y)) / len(x)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            # Attach the larger root to the smaller: the result does not
            # depend on the order of unions.
            if ri < rj:
                self.parent[rj] = ri
            else:
                self.parent[ri] = rj


@dataclass(slots=True)
class _Scan:
    """What dedup keeps of each article after reading its text once."""

    #: text hash per article; None for a text with nothing but whitespace
    hashes: list[str | None]
    #: MinHash of the first article with each distinct text that has words
    minhashes: dict[int, MinHash]
    #: paragraph hash → ``(article position, start, end)`` of each long paragraph
    paragraphs: dict[str, list[tuple[int, int, int]]]


def _scan(articles: list[Article], s: DedupSettings) -> _Scan:
    hashes: list[str | None] = []
    first: set[str] = set()
    minhashes: dict[int, MinHash] = {}
    paragraphs: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    memo = _shingle.WordHashes()
    for i, a in enumerate(articles):
        # Paragraph spans cover every non-whitespace character and normalisation
        # collapses whitespace, so the normalised paragraphs joined by one space
        # are the normalised text: each character is normalised once.
        spans = _shingle.paragraph_spans(a.text)
        normalised_paragraphs = [normalise_text(a.text[x:y]) for x, y in spans]
        normalised = " ".join(p for p in normalised_paragraphs if p)
        if not normalised:
            hashes.append(None)
            continue
        h = text_hash(normalised, normalised=True)
        hashes.append(h)
        if h not in first:
            first.add(h)
            shingles = _shingles(normalised, s, memo)
            if len(shingles):  # a text without words has nothing to compare
                minhashes[i] = _shingle.to_minhash(_shingle.signature(shingles, s.num_perm))
        for x, y in _shingle.paragraph_candidates(a.text):
            para = normalise_text(a.text[x:y]) if y - x >= s.min_paragraph_chars else ""
            if para:
                paragraphs[text_hash(para, normalised=True)].append((i, x, y))
    return _Scan(hashes, minhashes, paragraphs)


def _groups(scan: _Scan, s: DedupSettings) -> list[list[int]]:
    """Positions of the articles in each duplicate group (groups of two or more)."""
    n = len(scan.hashes)
    uf = _UnionFind(n)
    first: dict[str, int] = {}
    for i, h in enumerate(scan.hashes):
        if h is not None:
            j = first.setdefault(h, i)
            if j != i:
                uf.union(j, i)

    # Near duplicates: one LSH entry per distinct text; candidates verified.
    if len(scan.minhashes) > 1:
        lsh = MinHashLSH(
            threshold=s.threshold,
            num_perm=s.num_perm,
            params=_lsh_params(s.threshold, s.num_perm, s.lsh_false_negative_weight),
        )
        for i, mh in scan.minhashes.items():
            lsh.insert(i, mh, check_duplication=False)
        need = s.threshold * s.num_perm - 1e-9
        for i, mh in scan.minhashes.items():
            for j in lsh.query(mh):
                if j <= i or uf.find(i) == uf.find(j):
                    continue
                if np.count_nonzero(mh.hashvalues == scan.minhashes[j].hashvalues) >= need:
                    uf.union(i, j)

    members: dict[int, list[int]] = defaultdict(list)
    for i, h in enumerate(scan.hashes):
        if h is not None:
            members[uf.find(i)].append(i)
    return [m for m in members.values() if len(m) > 1]


def _representative_key(a: Article) -> tuple[str, str]:
    return (a.published.value or "9999", a.id)


def _shared_paragraphs(
    articles: list[Article], occurrences: dict[str, list[tuple[int, int, int]]], unit: list[str]
) -> list[list[dict[str, Any]]]:
    shared: list[list[dict[str, Any]]] = [[] for _ in articles]
    for h, occ in occurrences.items():
        if len(occ) < 2 or len({unit[i] for i, _, _ in occ}) < 2:
            continue
        ids = {articles[i].id for i, _, _ in occ}
        outlets = sorted({articles[i].outlet or "?" for i, _, _ in occ})
        for i, start, end in occ:
            shared[i].append(
                {
                    "start": start,
                    "end": end,
                    "hash": h,
                    "articles": sorted(ids - {articles[i].id}),
                    "outlets": list(outlets),
                }
            )
    for n, lst in enumerate(shared):
        # a shared block of lines is reported once, not again line by line
        lst.sort(key=lambda p: (p["start"], -p["end"]))
        kept: list[dict[str, Any]] = []
        for p in lst:
            if not kept or p["end"] > kept[-1]["end"]:
                kept.append(p)
        shared[n] = kept
    return shared


@stage(
    "dedup",
    requires=("id", "text", "outlet"),
    sets=("duplicate_group", "duplicate_of", "shared_paragraphs"),
    level="corpus",
)
def dedup(corpus: Corpus, settings: Mapping[str, Any]) -> Corpus:
    """Group exact and near duplicates; mark paragraphs shared across groups."""
    s = DedupSettings.from_mapping(settings)
    articles = corpus.articles
    missing = sum(1 for a in articles if not a.id)
    if missing:
        raise PipelineError(
            f"dedup got {missing} article(s) without an id — run the identify stage before dedup"
        )
    scan = _scan(articles, s)

    group_of: list[str | None] = [None] * len(articles)
    dup_of: list[str | None] = [None] * len(articles)
    for members in _groups(scan, s):
        gid = "g" + min(articles[i].id for i in members)
        rep = min((articles[i] for i in members), key=_representative_key).id
        for i in members:
            group_of[i] = gid
            dup_of[i] = None if articles[i].id == rep else rep

    unit = [g if g is not None else "a" + a.id for g, a in zip(group_of, articles)]
    shared = _shared_paragraphs(articles, scan.paragraphs, unit)

    out: list[Article] = []
    for a, g, d, sp in zip(articles, group_of, dup_of, shared):
        if a.duplicate_group == g and a.duplicate_of == d and a.shared_paragraphs == sp:
            out.append(a)
        else:
            out.append(a.replace(duplicate_group=g, duplicate_of=d, shared_paragraphs=sp))
    return corpus.replace(out)
