"""Publication-date inference measured on German Wikinews (``../shared/data/wikinews_text``).

Each ``<id>.txt`` is an article body (one paragraph); ``index.jsonl`` holds the
true date, which the pipeline never sees.  The ``0001-01-01`` placeholder date
is skipped.  Per article: tag the text (no anchor), infer the interval, compare.

Figures: share of articles whose interval contains the true date, median
interval width in days (an open side counts as infinite width), how many are
open, median absolute error of the best guess, share with a guess, and the
evidence reasons used.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Mapping

from ...errors import InputAccessError
from ...periods import parse_iso
from .pubdate import infer_published

__all__ = ["run_benchmark", "load_wikinews"]

PLACEHOLDER = "0001-01-01"


def _tagger() -> Callable[..., list[dict[str, Any]]]:
    from . import tagger  # the temporal tagger (part 1 of the time issue)

    return tagger.find_times


def load_wikinews(folder: Path, limit: int | None = None) -> list[tuple[str, str, str]]:
    """``(id, true date, text)`` per article, placeholder dates left out."""
    index = folder / "index.jsonl"
    if not index.is_file():
        raise InputAccessError(str(index), "no index.jsonl here", "pass the wikinews_text folder of ../shared/data")
    out = []
    for line in index.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("date") == PLACEHOLDER:
            continue
        out.append((str(row["id"]), str(row["date"]), (folder / row["file"]).read_text(encoding="utf-8")))
        if limit and len(out) >= limit:
            break
    return out


def _median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def run_benchmark(folder: Path, *, settings: Mapping[str, Any] | None = None, limit: int | None = None,
                  misses: int = 0, find_times: Callable[..., list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """The figures (see the module docstring); ``misses``: list that many articles whose interval misses."""
    tag = find_times or _tagger()
    rows = load_wikinews(folder, limit)
    contains = with_value = open_ = both_open = 0
    widths: list[float] = []
    finite: list[float] = []
    errors: list[float] = []
    reasons: Counter[str] = Counter()
    missed: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for aid, truth, text in rows:
        true_day = parse_iso(truth)
        times = tag(text, "de")
        pub = infer_published(text, times, "de", settings=settings)
        lo, hi = parse_iso(pub.earliest), parse_iso(pub.latest)
        ok = (lo is None or lo <= true_day) and (hi is None or true_day <= hi)
        contains += ok
        if lo is None or hi is None:
            open_ += 1
            both_open += lo is None and hi is None
            widths.append(math.inf)
        else:
            w = (hi - lo).days + 1
            widths.append(w)
            finite.append(w)
        if pub.value:
            with_value += 1
            errors.append(abs((parse_iso(pub.value) - true_day).days))
        for e in pub.evidence:
            reasons[e["reason"]] += 1
        if not ok and len(missed) < misses:
            missed.append({"id": aid, "true": truth, "earliest": pub.earliest, "latest": pub.latest,
                           "evidence": [(e["reason"], e["text"]) for e in pub.evidence]})
    n = len(rows)
    secs = time.perf_counter() - t0
    med = _median(widths)
    out: dict[str, Any] = {
        "articles": n,
        "contains_true_date": contains / n if n else 0.0,
        "median_width_days": med if med is None or math.isfinite(med) else "inf",
        "open_intervals": open_,
        "open_both_sides": both_open,
        "closed_intervals": len(finite),
        "median_width_closed_days": _median(finite),
        "median_abs_error_days": _median(errors),
        "with_value": with_value / n if n else 0.0,
        "evidence_reasons": dict(reasons.most_common()),
        "seconds": round(secs, 2),
        "targets": {"contains_true_date": ">= 0.80", "median_width_days": "<= 30"},
    }
    if misses:
        out["misses"] = missed
    return out
