"""The SpkAtt-2023 Task 2 score, written from its description (bench/attribution.py).

A *group* is one speech report: token sets for the span types Message, Source,
Cue, Addr, Frame (document-absolute token indices) and the labels Form, STWR.
Per document, system groups are aligned 1:1 with gold groups by the Hungarian
algorithm on the token F1 of their Messages (+0.01 for the same Form, +0.001
for the same STWR, bonuses only where the Messages overlap); every group left
over is scored against an empty group.  For each pair and span type, token
precision and recall are collected (a value with a zero denominator is left
out) and macro-averaged; F1 is the harmonic mean of the averages.  Form and
STWR are micro-averaged.  ``scipy`` (the ``test`` extra) is imported lazily.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

__all__ = ["Group", "score", "ROLES", "SPAN_TYPES"]

SPAN_TYPES = ("Message", "Source", "Cue", "Addr", "Frame")
ROLES = ("Addr", "Cue", "Frame", "Source")


@dataclass(slots=True)
class Group:
    spans: dict[str, frozenset[int]] = field(default_factory=dict)
    form: str | None = None
    stwr: str | None = None

    def get(self, t: str) -> frozenset[int]:
        return self.spans.get(t, frozenset())


def _f1(a: frozenset[int], b: frozenset[int]) -> float:
    tp = len(a & b)
    if not tp:
        return 0.0
    p, r = tp / len(b), tp / len(a)
    return 2 * p * r / (p + r)


def _align(gold: list[Group], system: list[Group]) -> list[tuple[Group | None, Group | None]]:
    if not gold or not system:
        return [(g, None) for g in gold] + [(None, s) for s in system]
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    m = np.zeros((len(gold), len(system)))
    for i, g in enumerate(gold):
        for j, s in enumerate(system):
            f = _f1(g.get("Message"), s.get("Message"))
            if f > 0:
                f += 0.01 * (g.form == s.form) + 0.001 * (g.stwr == s.stwr)
            m[i, j] = f
    rows, cols = linear_sum_assignment(m, maximize=True)
    pairs: list[tuple[Group | None, Group | None]] = [(gold[i], system[j]) for i, j in zip(rows, cols)]
    pairs += [(g, None) for i, g in enumerate(gold) if i not in set(rows)]
    pairs += [(None, s) for j, s in enumerate(system) if j not in set(cols)]
    return pairs


def _prf(ps: list[float], rs: list[float]) -> dict[str, float]:
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f}


def score(
    docs: Iterable[tuple[list[Group], list[Group]]], span_types: tuple[str, ...] = SPAN_TYPES
) -> dict[str, dict[str, float]]:
    """P/R/F1 per metric: ``Messages``, ``Roles``, ``Joint`` (macro), ``Form``, ``STWR`` (micro).

    ``docs``: (gold groups, system groups) per document.  ``span_types``: the
    span types scored (the simplified track uses ``("Message", "Source")``;
    ``Roles`` then means Source only).
    """
    per: dict[str, tuple[list[float], list[float]]] = {t: ([], []) for t in span_types}
    labels = {"Form": [0, 0, 0], "STWR": [0, 0, 0]}
    empty = Group()
    for gold, system in docs:
        for g, s in _align(gold, system):
            g, s = g or empty, s or empty
            for t in span_types:
                a, b = g.get(t), s.get(t)
                tp = len(a & b)
                if b:
                    per[t][0].append(tp / len(b))
                if a:
                    per[t][1].append(tp / len(a))
            for name, gl, sl in (("Form", g.form, s.form), ("STWR", g.stwr, s.stwr)):
                c = labels[name]
                if gl is not None and gl == sl:
                    c[0] += 1
                else:
                    c[1] += sl is not None
                    c[2] += gl is not None

    def macro(types: Iterable[str]) -> dict[str, float]:
        ps: list[float] = []
        rs: list[float] = []
        for t in types:
            if t in per:
                ps += per[t][0]
                rs += per[t][1]
        return _prf(ps, rs)

    out = {
        "Messages": macro(["Message"]),
        "Roles": macro([t for t in span_types if t != "Message"]),
        "Joint": macro(span_types),
    }
    for name, (tp, fp, fn) in labels.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[name] = {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return out
