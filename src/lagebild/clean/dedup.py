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

The stage returns the same article object where nothing changed.  It is a
partitioned corpus stage (:class:`~lagebild.pipeline.Parts`): :func:`summarize`
keeps of each article its id, outlet, date, text hash, MinHash signature,
paragraph hashes with offsets and a digest of its current dedup fields;
:func:`decide` groups and finds shared paragraphs on those alone; :func:`apply`
sets the three fields.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

from ..errors import ConfigError, PipelineError
from ..model import Article, Corpus
from ..pipeline import corpus_stage, run_parts
from . import _shingle
from .identify import normalise_text, text_hash

__all__ = ["dedup", "minhash_signature", "signature_similarity", "DedupSettings", "TextSummary", "summarize", "decide", "apply"]

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


class TextSummary(NamedTuple):
    """What :func:`decide` needs of one article (no text)."""

    id: str
    #: the outlet as shared paragraphs list it (``"?"`` when unknown)
    outlet: str
    #: ``published.value`` or ``"9999"``: the representative is the earliest
    published: str
    #: text hash of the normalised text; None for a text with nothing but whitespace
    hash: str | None
    #: the MinHash signature (``num_perm`` uint32 values as bytes); None for a text without words
    signature: bytes | None
    #: ``(hash, start, end)`` of each long paragraph candidate, in text order
    paragraphs: tuple[tuple[str, int, int], ...]
    #: digest of the article's current ``duplicate_group``, ``duplicate_of``, ``shared_paragraphs``
    #: (None when all three are empty)
    state: bytes | None


#: What stands in for an article that takes no part (no text, no fields to change).
_NO_PART = TextSummary("", "?", "9999", None, None, (), None)

#: Word hashes shared by the articles one process summarises (bounded: a worker's memory stays
#: small however many articles stream through it; the hashes do not depend on the memo).
_MEMO = _shingle.WordHashes(limit=200_000)


def _state(group: str | None, dup_of: str | None, shared: list[dict[str, Any]]) -> bytes | None:
    if group is None and dup_of is None and not shared:
        return None
    data = json.dumps([group, dup_of, shared], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).digest()


def summarize(article: Article, settings: Mapping[str, Any]) -> TextSummary:
    """Hashes, signature and paragraph hashes of ``article``'s text; its id, outlet and date."""
    s = DedupSettings.from_mapping(settings)
    a = article
    # Paragraph spans cover every non-whitespace character and normalisation
    # collapses whitespace, so the normalised paragraphs joined by one space
    # are the normalised text: each character is normalised once.
    spans = _shingle.paragraph_spans(a.text)
    normalised = " ".join(p for p in (normalise_text(a.text[x:y]) for x, y in spans) if p)
    h: str | None = None
    sig: bytes | None = None
    paragraphs: list[tuple[str, int, int]] = []
    if normalised:
        h = text_hash(normalised, normalised=True)
        shingles = _shingles(normalised, s, _MEMO)
        if len(shingles):  # a text without words has nothing to compare
            sig = _shingle.signature(shingles, s.num_perm).astype("<u4").tobytes()
        for x, y in _shingle.paragraph_candidates(a.text):
            para = normalise_text(a.text[x:y]) if y - x >= s.min_paragraph_chars else ""
            if para:
                paragraphs.append((text_hash(para, normalised=True), x, y))
    return TextSummary(
        a.id or "", a.outlet or "?", a.published.value or "9999", h, sig, tuple(paragraphs),
        _state(a.duplicate_group, a.duplicate_of, a.shared_paragraphs),
    )


def _groups(summaries: Sequence[TextSummary], s: DedupSettings) -> list[list[int]]:
    """Positions of the articles in each duplicate group (groups of two or more)."""
    n = len(summaries)
    uf = _UnionFind(n)
    first: dict[str, int] = {}
    # MinHash of the first article with each distinct text that has words
    minhashes: dict[int, MinHash] = {}
    for i, t in enumerate(summaries):
        if t.hash is not None:
            j = first.setdefault(t.hash, i)
            if j != i:
                uf.union(j, i)
            elif t.signature is not None:
                minhashes[i] = _shingle.to_minhash(np.frombuffer(t.signature, dtype="<u4").astype(np.uint32))

    # Near duplicates: one LSH entry per distinct text; candidates verified.
    if len(minhashes) > 1:
        lsh = MinHashLSH(
            threshold=s.threshold,
            num_perm=s.num_perm,
            params=_lsh_params(s.threshold, s.num_perm, s.lsh_false_negative_weight),
        )
        for i, mh in minhashes.items():
            lsh.insert(i, mh, check_duplication=False)
        need = s.threshold * s.num_perm - 1e-9
        for i, mh in minhashes.items():
            for j in lsh.query(mh):
                if j <= i or uf.find(i) == uf.find(j):
                    continue
                if np.count_nonzero(mh.hashvalues == minhashes[j].hashvalues) >= need:
                    uf.union(i, j)

    members: dict[int, list[int]] = defaultdict(list)
    for i, t in enumerate(summaries):
        if t.hash is not None:
            members[uf.find(i)].append(i)
    return [m for m in members.values() if len(m) > 1]


def _shared_paragraphs(summaries: Sequence[TextSummary], unit: list[str]) -> dict[int, list[dict[str, Any]]]:
    """Position → shared paragraphs, for the articles that hold any."""
    occurrences: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for i, t in enumerate(summaries):
        for h, x, y in t.paragraphs:
            occurrences[h].append((i, x, y))
    shared: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for h, occ in occurrences.items():
        if len(occ) < 2 or len({unit[i] for i, _, _ in occ}) < 2:
            continue
        ids = {summaries[i].id for i, _, _ in occ}
        outlets = sorted({summaries[i].outlet for i, _, _ in occ})
        for i, start, end in occ:
            shared[i].append(
                {
                    "start": start,
                    "end": end,
                    "hash": h,
                    "articles": sorted(ids - {summaries[i].id}),
                    "outlets": list(outlets),
                }
            )
    out: dict[int, list[dict[str, Any]]] = {}
    for n, lst in shared.items():
        # a shared block of lines is reported once, not again line by line
        lst.sort(key=lambda p: (p["start"], -p["end"]))
        kept: list[dict[str, Any]] = []
        for p in lst:
            if not kept or p["end"] > kept[-1]["end"]:
                kept.append(p)
        out[n] = kept
    return out


#: What :func:`apply` sets: ``(duplicate_group, duplicate_of, shared_paragraphs)``.
Change = tuple[str | None, str | None, list[dict[str, Any]]]


def decide(summaries: Sequence[TextSummary | None], settings: Mapping[str, Any]) -> dict[int, Change]:
    """Position → new dedup fields, for the articles whose fields change."""
    s = DedupSettings.from_mapping(settings)
    missing = sum(1 for t in summaries if t is not None and not t.id)
    if missing:
        raise PipelineError(
            f"dedup got {missing} article(s) without an id — run the identify stage before dedup"
        )
    summaries = [_NO_PART if t is None else t for t in summaries]  # None: an article that takes no part
    group_of: dict[int, str] = {}
    dup_of: dict[int, str] = {}
    for members in _groups(summaries, s):
        gid = "g" + min(summaries[i].id for i in members)
        rep = min((summaries[i].published, summaries[i].id) for i in members)[1]
        for i in members:
            group_of[i] = gid
            if summaries[i].id != rep:
                dup_of[i] = rep
    unit = [group_of.get(i) or "a" + t.id for i, t in enumerate(summaries)]
    shared = _shared_paragraphs(summaries, unit)

    out: dict[int, Change] = {}
    for i, t in enumerate(summaries):
        g, d, sp = group_of.get(i), dup_of.get(i), shared.get(i, [])
        if _state(g, d, sp) != t.state:
            out[i] = (g, d, sp)
    return out


def apply(article: Article, change: Change, settings: Mapping[str, Any]) -> Article:
    """``article`` with the dedup fields ``change`` decided."""
    g, d, sp = change
    return article.replace(duplicate_group=g, duplicate_of=d, shared_paragraphs=sp)


_PARTS = corpus_stage(
    "dedup",
    requires=("id", "text", "outlet"),
    sets=("duplicate_group", "duplicate_of", "shared_paragraphs"),
    summarize=summarize,
    decide=decide,
    apply=apply,
    doc="Group exact and near duplicates; mark paragraphs shared across groups.",
).parts


def dedup(corpus: Corpus, settings: Mapping[str, Any]) -> Corpus:
    """Group exact and near duplicates; mark paragraphs shared across groups."""
    assert _PARTS is not None
    return run_parts(_PARTS, corpus, settings)
