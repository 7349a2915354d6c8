"""Word shingles, MinHash signatures and paragraph spans for :mod:`lagebild.clean.dedup`.

Everything here is deterministic across processes and runs (no use of Python's
salted ``hash()``), so signatures can be stored and compared later.

The signature is datasketch's ``affine32`` MinHash scheme (seed 1) applied to
32-bit shingle hashes: each shingle hash is mixed with the MurmurHash3 32-bit
finaliser and permuted with ``a * h + b mod 2**32``; the signature keeps the
minimum per permutation.  It equals what
``datasketch.MinHash(num_perm, hashfunc=<identity>).update_batch(hashes)`` gives,
but is computed in one vectorised step instead of a Python call per shingle.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

import numpy as np
from datasketch import MinHash

__all__ = [
    "SEED",
    "EMPTY_HASH",
    "words",
    "WordHashes",
    "shingle_hashes",
    "signature",
    "to_minhash",
    "paragraph_spans",
    "paragraph_candidates",
]

#: Seed of the permutation functions (part of the stored-signature format).
SEED = 1
#: The value of every slot of an empty signature (no shingles).
EMPTY_HASH = np.uint32(0xFFFFFFFF)

_WORD = re.compile(r"\w+")
# Odd 32-bit multipliers that weigh the k word hashes of a shingle by position,
# so "a b" and "b a" hash differently.  Fixed: they are part of the signature format.
_POSITION_MULTIPLIERS = np.array(
    [
        0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1,
        0xD3A2646D, 0xFD7046C5, 0xB55A4F09, 0x68E31DA5, 0x1B873593,
        0xCC9E2D51, 0xE6546B65, 0x4CF5AD43, 0x2545F491, 0x9FB21C65,
        0x6A09E667,
    ],
    dtype=np.uint64,
)
_MASK32 = np.uint64(0xFFFFFFFF)
# Rows of the (shingles × permutations) matrix computed at a time (bounds memory
# for very long texts).
_CHUNK = 4096


def words(normalised: str) -> list[str]:
    """The word tokens (``\\w+`` runs) of an already normalised text."""
    return _WORD.findall(normalised)


class WordHashes(dict[str, int]):
    """A memo of 32-bit word hashes (CRC-32 of the UTF-8 bytes).

    Words repeat across a corpus, so a dictionary hit replaces encoding and
    hashing for most tokens.  Cleared when it holds ``limit`` words.
    """

    def __init__(self, limit: int = 1_000_000) -> None:
        super().__init__()
        self.limit = limit

    def __missing__(self, word: str) -> int:
        if len(self) >= self.limit:
            self.clear()
        h = self[word] = zlib.crc32(word.encode("utf-8"))
        return h


def shingle_hashes(tokens: list[str], k: int, memo: WordHashes | None = None) -> np.ndarray:
    """32-bit hashes of the word ``k``-shingles of ``tokens`` (uint32 array).

    A text with fewer than ``k`` words yields one shingle of all its words; a
    text with no words yields an empty array.  ``memo`` caches word hashes
    between calls.
    """
    if k < 1 or k > len(_POSITION_MULTIPLIERS):
        raise ValueError(f"shingle size must be 1..{len(_POSITION_MULTIPLIERS)}, got {k}")
    n = len(tokens)
    if n == 0:
        return np.empty(0, dtype=np.uint32)
    lookup = (memo if memo is not None else WordHashes()).__getitem__
    h = np.fromiter(map(lookup, tokens), dtype=np.uint32, count=n).astype(np.uint64)
    if n < k:
        return np.array([(h * _POSITION_MULTIPLIERS[:n]).sum() & _MASK32], dtype=np.uint32)
    m = n - k + 1
    acc = h[:m] * _POSITION_MULTIPLIERS[0]
    for j in range(1, k):
        acc += h[j : j + m] * _POSITION_MULTIPLIERS[j]
    # uint64 arithmetic wraps modulo 2**64, so the low 32 bits are exact.
    return (acc & _MASK32).astype(np.uint32)


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> np.ndarray:
    # datasketch's affine32 parameters for SEED, as one (2, num_perm) uint32
    # array that every MinHash built by to_minhash shares.
    template = MinHash(num_perm=num_perm, seed=SEED, scheme="affine32")
    perms = np.asarray(template.permutations, dtype=np.uint32)
    perms.setflags(write=False)
    return perms


def _fmix32(h: np.ndarray) -> np.ndarray:
    # MurmurHash3's 32-bit finaliser (datasketch pre-mixes input hashes with it).
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signature(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """The ``num_perm``-slot MinHash signature (uint32) of a set of shingle hashes."""
    a, b = _permutations(num_perm)
    out = np.full(num_perm, EMPTY_HASH, dtype=np.uint32)
    if len(hashes) == 0:
        return out
    mixed = _fmix32(np.asarray(hashes, dtype=np.uint32))
    with np.errstate(over="ignore"):
        for i in range(0, len(mixed), _CHUNK):
            block = mixed[i : i + _CHUNK, None] * a + b
            np.minimum(out, block.min(axis=0), out=out)
    return out


def to_minhash(sig: np.ndarray) -> MinHash:
    """A datasketch ``MinHash`` holding signature ``sig`` (for LSH and Jaccard)."""
    return MinHash(seed=SEED, hashvalues=sig, permutations=_permutations(len(sig)), scheme="affine32")


# A blank line: a newline, optional horizontal whitespace, a newline.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_NEWLINE = re.compile(r"\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph of ``text``, surrounding whitespace trimmed.

    Paragraphs are separated by blank lines where the text has any, else each
    line is a paragraph.  ``text[start:end]`` is the paragraph; whitespace-only
    paragraphs are left out, so only whitespace lies between the spans.
    """
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else _NEWLINE
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in separator.finditer(text):
        _add_trimmed(text, pos, m.start(), spans)
        pos = m.end()
    _add_trimmed(text, pos, len(text), spans)
    return spans


def _add_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


def paragraph_candidates(text: str) -> list[tuple[int, int]]:
    """Spans compared across articles to find shared agency copy.

    Every non-blank line (scraped pages and HTML extractions put one paragraph
    on a line, often with no blank line between) and every blank-line-separated
    block (hard-wrapped text), sorted by position, each once.
    """
    spans: list[tuple[int, int]] = paragraph_spans(text) if _BLANK_LINE.search(text) else []
    pos = 0
    for m in _NEWLINE.finditer(text):
        _add_trimmed(text, pos, m.start(), spans)
        pos = m.end()
    _add_trimmed(text, pos, len(text), spans)
    return sorted(set(spans))
