"""Distributional word clusters for the NER features: the lookup (the build is :mod:`.clusters_build`).

Build (``python -m lagebild.nlp.ner.clusters_build``, part of ``make model``):
unlabeled German text (10kGNAD test articles, the Wikinews texts, UD German GSD
sentences — never GermEval, whose sentences are the NER test folds)
is tokenised with :func:`lagebild.nlp.tokenize` and casefolded; each word seen
at least ``MIN_COUNT`` times gets a context vector (counts of the ``CONTEXTS``
most frequent words at offsets −2, −1, +1, +2), weighted by positive PMI,
reduced to ``DIM`` dimensions (eigenvectors of the Gram matrix — no random
state), L2-normalised, and clustered by k-means (k-means++ seeding from a
fixed seed, a fixed number of Lloyd steps) at each size of ``KS``.  One BLAS
thread while building, so the same inputs give the same bytes on a machine.

File: ``# `` comment lines, then ``word<TAB>c_k1<TAB>c_k2…`` sorted by word.
Lookup (:func:`cluster_features`) is one dict access per word form, the map
loaded once per process on first use.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CLUSTERS", "KS", "cluster_features", "load_clusters", "set_clusters"]

#: The packaged cluster file (absent: no cluster features).
CLUSTERS = Path(__file__).with_name("data") / "clusters_de.txt"
KS = (64, 256, 1024)
MIN_COUNT = 3
CONTEXTS = 600
DIM = 96
SEED = 20141
STEPS = 30

_STATE: dict[str, object] = {"path": CLUSTERS, "map": None}


def set_clusters(path: Path | None) -> None:
    """Use the cluster file at ``path`` (``None``: no cluster features) — for experiments;
    callers must clear the feature caches (``features.clear_caches``)."""
    _STATE["path"], _STATE["map"] = path, None


def load_clusters() -> dict[str, tuple[str, ...]]:
    """``casefolded word → feature strings`` of the current cluster file (loaded once; empty if absent)."""
    got = _STATE["map"]
    if got is None:
        got = {}
        path = _STATE["path"]
        if path is not None and Path(path).is_file():
            lines = Path(path).read_text(encoding="utf-8").splitlines()
            names: list[str] = []
            shared: dict[str, tuple[str, ...]] = {}
            for line in lines:
                if line.startswith("# ks "):
                    names = [f"c{k}" for k in line[5:].split()]
                    continue
                if not line or line.startswith("#"):
                    continue
                word, _, ids = line.partition("\t")
                feats = shared.get(ids)
                if feats is None:  # one tuple per cluster combination, shared by its words
                    feats = shared[ids] = tuple(f"{n}={i}" for n, i in zip(names, ids.split("\t")))
                got[word] = feats
        _STATE["map"] = got
    return got  # type: ignore[return-value]


def cluster_features(low: str) -> tuple[str, ...]:
    """Cluster features (``c64=5``, ``c256=17`` …) of a casefolded word; ``()`` when unknown."""
    return load_clusters().get(low, ())
