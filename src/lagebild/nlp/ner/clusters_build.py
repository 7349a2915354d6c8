"""Build the word-cluster file of the NER features (offline, deterministic; see :mod:`._clusters`).

    python -m lagebild.nlp.ner.clusters_build --out src/lagebild/nlp/ner/data/clusters_de.txt [--shared DIR]

Training side only (``make model``): numpy, no random state outside the fixed seed.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from ._clusters import CLUSTERS, CONTEXTS, DIM, KS, MIN_COUNT, SEED, STEPS

__all__ = ["build_clusters", "write_clusters", "corpus_words", "main"]


def _texts(shared: Path) -> Iterator[str]:
    """Unlabeled German texts under ``shared/data`` in a fixed order (sources missing: skipped)."""
    data = shared / "data"
    gnad = data / "10kgnad" / "test.csv"
    if gnad.is_file():
        with gnad.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f, delimiter=";", quotechar="'"):
                if len(row) >= 2:
                    yield row[1]
    wn = data / "wikinews_text"
    if wn.is_dir():
        for p in sorted(wn.glob("*.txt"), key=lambda p: p.name):
            yield p.read_text(encoding="utf-8")
    gsd = data / "ud_german_gsd"
    if gsd.is_dir():
        for p in sorted(gsd.glob("*.conllu")):
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.startswith("# text = "):
                    yield line[9:]


def corpus_words(shared: Path) -> list[list[str]]:
    """Casefolded word tokens per sentence of the unlabeled texts."""
    from .. import split_sentences, tokenize

    out = []
    for text in _texts(shared):
        toks = tokenize(text, "de")
        spans = split_sentences(text, "de")
        j, cur = 0, []
        for t in toks:
            while j + 1 < len(spans) and t.start >= spans[j][1]:
                j += 1
                if cur:
                    out.append(cur)
                cur = []
            cur.append(t.text.casefold())
        if cur:
            out.append(cur)
    return out


def _kmeans(x, k: int, seed: int, steps: int):
    import numpy as np

    rng = np.random.default_rng(seed)
    n = x.shape[0]
    sq = (x * x).sum(1)
    centers = [x[int(rng.integers(n))]]
    d2 = np.maximum(sq - 2 * x @ centers[0] + centers[0] @ centers[0], 0)
    for _ in range(1, k):  # k-means++ seeding
        c = x[int(rng.choice(n, p=d2 / d2.sum()))] if d2.sum() > 0 else x[int(rng.integers(n))]
        centers.append(c)
        d2 = np.minimum(d2, np.maximum(sq - 2 * x @ c + c @ c, 0))
    cen = np.stack(centers)
    assign = np.zeros(n, dtype=np.int64)
    for _ in range(steps):
        dist = sq[:, None] - 2 * x @ cen.T + (cen * cen).sum(1)[None, :]
        assign = dist.argmin(1)
        sums = np.zeros_like(cen)
        np.add.at(sums, assign, x)
        cnt = np.bincount(assign, minlength=k)[:, None]
        cen = np.where(cnt > 0, sums / np.maximum(cnt, 1), cen)
    # number clusters by their most frequent member (x rows are in frequency order): stable ids
    first = {}
    for i, a in enumerate(assign.tolist()):
        first.setdefault(a, len(first))
    return [first[a] for a in assign.tolist()]


def build_clusters(sentences: Iterable[list[str]], ks: tuple[int, ...] = KS, min_count: int = MIN_COUNT,
                   contexts: int = CONTEXTS, dim: int = DIM, seed: int = SEED) -> tuple[list[str], list[list[int]]]:
    """Words (frequency order, ties by word) and their cluster id at each size of ``ks``."""
    import numpy as np

    sentences = list(sentences)
    freq = Counter(w for s in sentences for w in s)
    vocab = [w for w, c in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])) if c >= min_count]
    index = {w: i for i, w in enumerate(vocab)}
    ctx = {w: i for i, w in enumerate(vocab[:contexts])}
    offsets = (-2, -1, 1, 2)
    rows, cols = [], []
    for s in sentences:
        ids = [index.get(w, -1) for w in s]
        cids = [ctx.get(w, -1) for w in s]
        n = len(s)
        for i, wi in enumerate(ids):
            if wi < 0:
                continue
            for oi, off in enumerate(offsets):
                j = i + off
                if 0 <= j < n and cids[j] >= 0:
                    rows.append(wi)
                    cols.append(oi * contexts + cids[j])
    m = np.zeros((len(vocab), len(offsets) * contexts), dtype=np.float32)
    np.add.at(m, (np.asarray(rows), np.asarray(cols)), 1.0)
    total = float(m.sum(dtype=np.float64))
    pw = m.sum(1, dtype=np.float64) / total
    pc = m.sum(0, dtype=np.float64) / total
    r, c = np.nonzero(m)
    pmi = np.log(m[r, c].astype(np.float64) / total / (pw[r] * pc[c]))
    m[r, c] = np.maximum(pmi, 0).astype(np.float32)  # positive PMI; zero counts stay 0
    m = m.astype(np.float64)
    gram = m.T @ m
    vals, vecs = np.linalg.eigh(gram)
    top = np.argsort(vals)[::-1][:dim]
    vecs = vecs[:, top]
    vecs *= np.sign(vecs[np.abs(vecs).argmax(0), np.arange(vecs.shape[1])])  # fixed sign per axis
    x = m @ vecs
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    return vocab, [_kmeans(x, k, seed + k, STEPS) for k in ks]


def write_clusters(out: Path, vocab: list[str], assigns: list[list[int]], ks: tuple[int, ...], note: str) -> None:
    lines = ["# Word clusters for lagebild's German NER features (lagebild.nlp.ner._clusters; `make model`).",
             f"# {note}", f"# ks {' '.join(str(k) for k in ks)}"]
    rows = sorted((w, [a[i] for a in assigns]) for i, w in enumerate(vocab) if "\t" not in w and w.strip())
    lines += [w + "\t" + "\t".join(str(c) for c in cs) for w, cs in rows]
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m lagebild.nlp.ner.clusters_build", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=CLUSTERS)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[5] / "shared",
                    help="the shared folder holding data/10kgnad, data/wikinews_text, data/ud_german_gsd")
    ap.add_argument("--ks", default=",".join(str(k) for k in KS))
    args = ap.parse_args(argv)
    ks = tuple(int(k) for k in args.ks.split(","))
    if not (args.shared / "data").is_dir():
        sys.exit(f"clusters: {args.shared}/data not found — pass --shared DIR (the folder with data/10kgnad …)")
    from ...picture._embed import blas_threads

    sents = corpus_words(args.shared)
    with blas_threads(1):
        vocab, assigns = build_clusters(sents, ks)
    tokens = sum(len(s) for s in sents)
    note = (f"built from {tokens} tokens of unlabeled German text (10kGNAD test, Wikinews texts, UD German GSD); "
            f"{len(vocab)} words seen >= {MIN_COUNT} times; PPMI context vectors, {DIM} dims, k-means")
    write_clusters(args.out, vocab, assigns, ks, note)
    print(json.dumps({"out": str(args.out), "words": len(vocab), "tokens": tokens, "ks": ks,
                      "bytes": args.out.stat().st_size}))


if __name__ == "__main__":
    main()
