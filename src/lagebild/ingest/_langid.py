"""py3langid's ``classify`` with its byte walk done for every position at once: the same answers.

py3langid counts its byte n-gram features by walking an Aho–Corasick automaton one byte
after another.  Each step waits for the load before it, and the automaton's table (9.8 M
entries, 39 MB) does not stay in the CPU's caches between two articles, so in the pipeline
most steps wait on memory.  The state after a byte stands for the longest suffix of the text
read so far that is one of the automaton's strings, and none is longer than ``depth`` bytes.
So the state at position ``i`` is also the one reached from the start state by reading only
the ``depth`` bytes ending at ``i``; that walk is done for all positions in ``depth`` array
steps whose loads do not wait for each other.  The counts, taken in text order, are the same
``Counter`` py3langid builds, so the scores are the same to the bit
(``tests/ingest/test_ingest_langid.py`` checks both claims on the installed model).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib.metadata import version
from typing import Any

import numpy as np
from py3langid.langid import RAW_FLOOR  # a constant; the model loads in _model()

__all__ = ["classify", "DEPTH"]

#: Per py3langid release whose model was checked: the longest string an automaton state stands
#: for (its depth from the start state).  Another release falls back to py3langid's own walk.
DEPTH = {"0.4.0": 6}


@lru_cache(maxsize=1)
def _model() -> tuple[Any, tuple[np.ndarray, np.ndarray, np.ndarray, int] | None]:
    """py3langid's identifier (loaded once) and, where the fast walk applies, its tables as arrays."""
    from py3langid import langid

    ident = langid._get_identifier()
    depth = DEPTH.get(version("py3langid"))
    if depth is None or ident._norm_probs or ident.min_confidence is not None:
        return ident, None
    moves = np.frombuffer(ident.tk_nextmove, dtype=np.dtype(ident.tk_nextmove.typecode))
    rows = np.asarray(ident._rowbase, dtype=np.intp)
    output = np.asarray(ident.tk_output, dtype=np.intp)
    return ident, (moves, rows, output, depth)


def _visits(data: bytes, moves: np.ndarray, rows: np.ndarray, output: np.ndarray, depth: int) -> Counter[int]:
    """Feature counts of ``data`` in order of first occurrence (py3langid's ``visit_counts``)."""
    byte = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
    n = len(byte)
    state = np.zeros(n, dtype=np.intp)
    # step k reads, for each position i, the byte i - depth + 1 + k (positions too near the
    # start begin later: their walk starts at the text's first byte, as py3langid's does)
    for k in range(depth):
        lo = depth - 1 - k
        if lo < n:
            state[lo:] = moves[rows[state[lo:]] + byte[: n - lo]]
    feats = output[state]
    return Counter(feats[feats >= 0].tolist())


def classify(text: str) -> tuple[str, float]:
    """``py3langid.classify(text)``: the language code and its score."""
    ident, fast = _model()
    if fast is None:
        return ident.classify(text)  # type: ignore[no-any-return]
    visits = _visits(ident._encode(text), *fast)
    if not visits:
        return ident.classify(text)  # type: ignore[no-any-return]
    scores = ident._sparse_score(visits, ident.nb_ptc)
    # a language listed twice (a script variant) keeps its better column, as py3langid decides
    for i, j in ident._alias_pairs:
        scores[i] = max(scores[i], scores[j])
        scores[j] = RAW_FLOOR
    best = int(scores.argmax())
    return ident.nb_classes[best], float(scores[best])
