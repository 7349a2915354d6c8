"""The ``dedup`` corpus stage: exact and near duplicates, and shared paragraphs.

* **Exact duplicates** have the same :func:`~lagebild.clean.identify.text_hash`
  (same normalised text, whatever the outlet or id).
* **Near duplicates** have an estimated Jaccard similarity of their word
  shingle sets at or above ``threshold``.  Candidates are the pairs that share
  a MinHash LSH band (one entry per distinct text; bands × rows as datasketch's
  ``MinHashLSH`` picks them, tuned for recall), found on compact uint64 band keys;
  each candidate pair is verified on its MinHash signatures.  Pairs join groups by
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
from array import array
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np
from datasketch import MinHashLSH

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
    """Union-find over positions; only the positions that joined another are stored (a dict)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while root in parent:
            root = parent[root]
        while i != root:
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

    def groups(self) -> dict[int, list[int]]:
        """Root → members (ascending) of each group of two or more."""
        out: dict[int, list[int]] = defaultdict(list)
        for i in sorted(set(self.parent) | set(self.parent.values())):
            out[self.find(i)].append(i)
        return out


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


#: 64-bit mask for Python's ``hash`` of a string (a key that only narrows candidates down).
_MASK = (1 << 64) - 1
#: Odd multipliers that fold a band of up to 1024 uint32 values into one uint64 (wrapping).
_MULT = (np.random.default_rng(20240617).integers(1, 1 << 63, size=1024, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
#: Signatures turned into band keys at once.
_CHUNK = 4096


def _key(h: str) -> int:
    return hash(h) & _MASK


def _band_keys(sigs: list[bytes], s: DedupSettings, b: int, r: int) -> np.ndarray:
    """One uint64 key per LSH band (``b`` bands of ``r`` values, as datasketch cuts them) of each signature."""
    m = np.frombuffer(b"".join(sigs), dtype="<u4").reshape(len(sigs), s.num_perm)
    bands = m[:, : b * r].reshape(len(sigs), b, r).astype(np.uint64)
    keys = (bands * _MULT[:r]).sum(axis=2, dtype=np.uint64)
    return keys ^ (keys >> np.uint64(31))


def _runs(keys: np.ndarray) -> list[np.ndarray]:
    """Indices into ``keys`` of each run of two or more equal values."""
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    cut = np.flatnonzero(sk[1:] != sk[:-1]) + 1
    starts = np.concatenate(([0], cut))
    ends = np.concatenate((cut, [len(sk)]))
    return [order[x:y] for x, y in zip(starts, ends) if y - x > 1]


class _Pass1:
    """What one read of the summaries keeps: 8-byte keys, no strings, no signatures."""

    def __init__(self, summaries: Sequence[TextSummary | None], s: DedupSettings, b: int, r: int) -> None:
        self.hashed = array("q")  #: positions with a text hash
        self.hkeys = array("Q")  #: their hash keys
        self.signed = array("q")  #: positions with a signature
        bands: list[np.ndarray] = []
        self.ppos = array("q")  #: position of each long paragraph
        self.pkeys = array("Q")  #: its hash key
        missing = 0
        sigs: list[bytes] = []
        for i, t in enumerate(summaries):
            if t is None:
                continue
            if not t.id:
                missing += 1
            if t.hash is not None:
                self.hashed.append(i)
                self.hkeys.append(_key(t.hash))
                if t.signature is not None:
                    if len(t.signature) != 4 * s.num_perm:
                        raise PipelineError(
                            f"dedup got a signature of {len(t.signature) // 4} values for article {t.id!r}, expected "
                            f"{s.num_perm} — the summaries were computed with another stages.dedup.num_perm; build again"
                        )
                    self.signed.append(i)
                    sigs.append(t.signature)
                    if len(sigs) == _CHUNK:
                        bands.append(_band_keys(sigs, s, b, r))
                        sigs = []
            for h, _, _ in t.paragraphs:
                self.ppos.append(i)
                self.pkeys.append(_key(h))
        if sigs:
            bands.append(_band_keys(sigs, s, b, r))
        if missing:
            raise PipelineError(
                f"dedup got {missing} article(s) without an id — run the identify stage before dedup"
            )
        self.bands = np.concatenate(bands) if bands else np.zeros((0, b), dtype=np.uint64)


def _groups(summaries: Sequence[TextSummary | None], s: DedupSettings) -> tuple[_UnionFind, _Pass1]:
    """Duplicate groups: same text hash, or near duplicates that MinHash LSH finds and their signatures confirm.

    The same groups as one datasketch ``MinHashLSH`` index over the first article of
    each distinct text, verified pair by pair, but held as arrays: band keys
    (uint64) find candidate pairs, and only candidates' hashes and signatures are
    read again (a second pass over ``summaries``).  A key collision only adds
    candidates: each is checked on its exact band values and its signature.
    """
    b, r = _lsh_params(s.threshold, s.num_perm, s.lsh_false_negative_weight)
    p1 = _Pass1(summaries, s, b, r)
    hashed = np.frombuffer(p1.hashed, dtype=np.int64) if len(p1.hashed) else np.zeros(0, dtype=np.int64)
    hkeys = np.frombuffer(p1.hkeys, dtype=np.uint64) if len(p1.hkeys) else np.zeros(0, dtype=np.uint64)
    signed = np.frombuffer(p1.signed, dtype=np.int64) if len(p1.signed) else np.zeros(0, dtype=np.int64)
    # exact duplicates: only positions whose hash key collides are read again
    suspects = {int(i) for run in _runs(hkeys) for i in hashed[run]}
    # near-duplicate candidates among signed positions (a later same-text article is dropped below)
    lsh_runs = [(k, signed[run]) for k in range(b) for run in _runs(p1.bands[:, k])] if len(signed) > 1 else []
    del p1.bands
    wanted = {int(i) for _, m in lsh_runs for i in m}
    uf = _UnionFind()
    first: dict[str, int] = {}
    sig_of: dict[int, np.ndarray] = {}
    if suspects or wanted:
        for i, t in enumerate(summaries):
            if t is None:
                continue
            if i in suspects:
                assert t.hash is not None
                j = first.setdefault(t.hash, i)
                if j != i:
                    uf.union(j, i)
                    continue  # not the first of its text: no LSH entry
            if i in wanted:
                assert t.signature is not None
                sig_of[i] = np.frombuffer(t.signature, dtype="<u4")
    del first, suspects
    need = s.threshold * s.num_perm - 1e-9
    for k, members in lsh_runs:
        lo, hi = k * r, (k + 1) * r
        ms = [int(i) for i in members if int(i) in sig_of]
        for x, i in enumerate(ms):
            si = sig_of[i]
            for j in ms[x + 1:]:
                if uf.find(i) == uf.find(j):
                    continue
                sj = sig_of[j]
                if np.array_equal(si[lo:hi], sj[lo:hi]) and np.count_nonzero(si == sj) >= need:
                    uf.union(i, j)
    return uf, p1  # p1's paragraph keys serve the shared paragraphs


def _shared_paragraphs(
    summaries: Sequence[TextSummary | None], uf: _UnionFind, p1: _Pass1, members: dict[int, list[int]]
) -> tuple[dict[int, list[dict[str, Any]]], dict[int, tuple[str, str, str]]]:
    """Position → shared paragraphs (for the articles that hold any), and the grouped and sharing articles'
    ``(id, outlet, published)``.  Paragraphs are narrowed down on their hash keys first: only a key found in
    two or more units (a group, or an article in none) is read again with its hash."""
    pkeys, ppos = p1.pkeys, p1.ppos
    grouped = {i for m in members.values() for i in m}
    candidates: set[int] = set()
    if len(pkeys) > 1:
        keys = np.frombuffer(pkeys, dtype=np.uint64)
        pos = np.frombuffer(ppos, dtype=np.int64)
        for run in _runs(keys):
            if len({uf.find(int(i)) for i in pos[run]}) > 1:
                candidates.add(int(keys[run[0]]))
    need = grouped | ({int(i) for i, k in zip(ppos, pkeys) if k in candidates} if candidates else set())
    meta: dict[int, tuple[str, str, str]] = {}
    occurrences: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    if need:
        for i, t in enumerate(summaries):
            if t is None or i not in need:
                continue
            meta[i] = (t.id, t.outlet, t.published)
            for h, x, y in t.paragraphs:
                if _key(h) in candidates:
                    occurrences[h].append((i, x, y))
    gid = {root: "g" + min(meta[i][0] for i in m) for root, m in members.items()}
    unit = {i: gid[uf.find(i)] if i in grouped else "a" + meta[i][0] for i in meta}
    shared: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for h, occ in occurrences.items():
        if len(occ) < 2 or len({unit[i] for i, _, _ in occ}) < 2:
            continue
        ids = {meta[i][0] for i, _, _ in occ}
        outlets = sorted({meta[i][1] for i, _, _ in occ})
        for i, start, end in occ:
            shared[i].append(
                {
                    "start": start,
                    "end": end,
                    "hash": h,
                    "articles": sorted(ids - {meta[i][0]}),
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
    return out, meta


#: What :func:`apply` sets: ``(duplicate_group, duplicate_of, shared_paragraphs)``.
Change = tuple[str | None, str | None, list[dict[str, Any]]]


def decide(summaries: Sequence[TextSummary | None], settings: Mapping[str, Any]) -> dict[int, Change]:
    """Position → new dedup fields, for the articles whose fields change.

    Reads ``summaries`` (None: an article that takes no part) in order a few times
    and keeps compact arrays, not the summaries: memory grows by some tens of bytes
    per article, plus what the duplicates and shared paragraphs found need.
    """
    s = DedupSettings.from_mapping(settings)
    uf, p1 = _groups(summaries, s)
    members = uf.groups()
    shared, meta = _shared_paragraphs(summaries, uf, p1, members)
    del p1
    group_of: dict[int, str] = {}
    dup_of: dict[int, str] = {}
    for m in members.values():
        gid = "g" + min(meta[i][0] for i in m)
        rep = min((meta[i][2], meta[i][0]) for i in m)[1]
        for i in m:
            group_of[i] = gid
            if meta[i][0] != rep:
                dup_of[i] = rep
    del meta, members

    out: dict[int, Change] = {}
    for i, t in enumerate(summaries):
        g, d, sp = group_of.get(i), dup_of.get(i), shared.get(i, [])
        if _state(g, d, sp) != (None if t is None else t.state):
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
