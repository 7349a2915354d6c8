"""Publication-date inference measured on German Wikinews (``../shared/data/wikinews_text``).

Each ``<id>.txt`` is an article body (one paragraph); ``index.jsonl`` holds the
true date, which the pipeline never sees.  The ``0001-01-01`` placeholder date
is skipped.  Per article: tag the text (no anchor), infer the interval, compare.

Figures: share of articles whose interval contains the true date, median
interval width in days (an open side counts as infinite width), how many are
open, median absolute error of the best guess, share with a guess, and the
evidence reasons used; why intervals stay open (``open_why``: the text names no
absolute date / names dates none of which bounds / only past clues, no upper
bound / only future clues, no lower bound); optionally the same figures after
the ``pubdate_corpus`` stage over all articles as one corpus.

With ``roles``: the same figures after the stages the ``pubdate_roles`` stage
needs — ``nlp``, ``time``, ``entities`` (packaged settings), ``pubdate_roles``
— each article through the registered stage functions with the settings the
runner would hand them, plus how
many articles got a ``role-term`` bound and the role stage's CPU seconds
(``roles``: {…}; with ``corpus`` also after the ``pubdate_corpus`` stage, ``roles.corpus``);
the top-level figures stay those of the time inference alone.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Mapping

from ...errors import InputAccessError
from ...periods import parse_iso
from ...model import Published
from .pubdate import infer_published

__all__ = ["run_benchmark", "load_wikinews"]

PLACEHOLDER = "0001-01-01"
#: A value naming a calendar year (possibly with month/day): an absolute date.
_ABSOLUTE = re.compile(r"^\d{4}(?:-\d{2})?(?:-\d{2})?$")


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


def _open_kind(pub: Published, times: list[dict[str, Any]]) -> str | None:
    """Why an interval is open: ``no-date`` (the text names no absolute date), ``dates-unused``
    (it names some, none bounds), ``no-upper`` (only past clues), ``no-lower`` (only future ones)."""
    if pub.earliest and pub.latest:
        return None
    if pub.earliest:
        return "no-upper"
    if pub.latest:
        return "no-lower"
    dated = any(t.get("value") and _ABSOLUTE.match(str(t["value"])) for t in times)
    return "dates-unused" if dated else "no-date"


def _inside(truth: str, pub: Published) -> bool:
    day = parse_iso(truth)
    lo, hi = parse_iso(pub.earliest), parse_iso(pub.latest)
    return (lo is None or lo <= day) and (hi is None or day <= hi)


def _figures(rows: list[tuple[str, str, str]], pubs: list[Published],
             tagged: list[list[dict[str, Any]]]) -> dict[str, Any]:
    contains = with_value = open_ = both_open = 0
    widths: list[float] = []
    finite: list[float] = []
    errors: list[float] = []
    kinds: Counter[str] = Counter()
    for (_, truth, _), pub, times in zip(rows, pubs, tagged):
        true_day = parse_iso(truth)
        lo, hi = parse_iso(pub.earliest), parse_iso(pub.latest)
        contains += (lo is None or lo <= true_day) and (hi is None or true_day <= hi)
        kind = _open_kind(pub, times)
        if kind is not None:
            kinds[kind] += 1
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
    n = len(rows)
    med = _median(widths)
    return {
        "contains_true_date": contains / n if n else 0.0,
        "median_width_days": med if med is None or math.isfinite(med) else "inf",
        "open_intervals": open_,
        "open_both_sides": both_open,
        "open_why": {k: kinds[k] for k in ("no-date", "dates-unused", "no-upper", "no-lower")},
        "closed_intervals": len(finite),
        "closed_at_most_30_days": sum(1 for w in finite if w <= 30),
        "median_width_closed_days": _median(finite),
        "median_abs_error_days": _median(errors),
        "with_value": with_value / n if n else 0.0,
    }


def _corpus_pass(rows: list[tuple[str, str, str]], pubs: list[Published], tagged: list[list[dict[str, Any]]],
                 settings: Mapping[str, Any] | None) -> list[Published]:
    """The intervals after the ``pubdate_corpus`` stage over all articles as one corpus."""
    from ...model import Article, Corpus
    from .corpus import pubdate_corpus

    arts = [Article(id=aid, text=text, raw_text=text, language="de", times=times, published=pub)
            for (aid, _, text), pub, times in zip(rows, pubs, tagged)]
    table = {"pubdate": dict(settings)} if settings else {}
    return [a.published for a in pubdate_corpus(Corpus(arts), table).articles]


def _roles_pass(rows: list[tuple[str, str, str]], settings: Mapping[str, Any] | None,
                role_settings: Mapping[str, Any] | None) -> tuple[list[Published], dict[str, Any]]:
    """The intervals after ``nlp``, ``time``, ``entities`` and ``pubdate_roles`` (packaged settings,
    ``settings`` over ``[stages.pubdate]``, ``role_settings`` over ``[stages.pubdate_roles]``)."""
    from ...config import defaults
    from ...model import Article
    from ...pipeline import get_stage

    tables = {k: dict(v) for k, v in defaults().get("stages", {}).items() if isinstance(v, Mapping)}
    tables["pubdate"] = {**tables.get("pubdate", {}), **dict(settings or {})}
    tables["pubdate_roles"] = {**tables.get("pubdate_roles", {}), **dict(role_settings or {})}
    # the stage functions with their settings as the runner hands them on (the texts are clean already,
    # so there is no ``clean`` stage for the runner's static check to find)
    steps = []
    for name in ("nlp", "time", "entities", "pubdate_roles"):
        st = get_stage(name)
        steps.append((st.fn, {**{t: tables.get(t, {}) for t in sorted(st.reads)}, **tables.get(name, {})}))

    def run(a: Article, part: list[tuple[Callable[..., Article], dict[str, Any]]]) -> Article:
        for fn, table in part:
            a = fn(a, table)
        return a

    before, roles = steps[:3], steps[3:]
    arts = [Article(id=aid, text=text, raw_text=text, language="de") for aid, _, text in rows]
    run(arts[0], steps)  # load the KB, lexicons and models outside the timing
    c0 = time.process_time()
    arts = [run(a, before) for a in arts]
    c1 = time.process_time()
    done = [run(a, roles) for a in arts]
    c2 = time.process_time()
    with_role = [any(e["reason"] == "role-term" for e in a.published.evidence) for a in done]
    changed = sum(1 for a, b in zip(arts, done) if a is not b)
    info = {"role_term_articles": sum(with_role), "changed_articles": changed,
            "cpu_seconds_before_roles": round(c1 - c0, 2), "cpu_seconds_roles": round(c2 - c1, 3),
            "roles_articles_per_cpu_s": round(len(done) / max(c2 - c1, 1e-9), 1)}
    return [a.published for a in done], info


def run_benchmark(folder: Path, *, settings: Mapping[str, Any] | None = None, limit: int | None = None,
                  misses: int = 0, find_times: Callable[..., list[dict[str, Any]]] | None = None,
                  corpus: bool = False, roles: bool = False,
                  role_settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The figures (see the module docstring); ``misses``: list that many articles whose interval misses;
    ``corpus``: also the figures after the corpus stage (``corpus``: {…}); ``roles``: also the figures
    after the ``pubdate_roles`` stage (``roles``: {…}, with ``role_settings`` over its packaged ones)."""
    tag = find_times or _tagger()
    rows = load_wikinews(folder, limit)
    t0 = time.perf_counter()
    tagged = [tag(text, "de") for _, _, text in rows]
    pubs = [infer_published(text, times, "de", settings=settings) for (_, _, text), times in zip(rows, tagged)]
    secs = time.perf_counter() - t0
    reasons: Counter[str] = Counter(e["reason"] for pub in pubs for e in pub.evidence)
    missed: list[dict[str, Any]] = []
    for (aid, truth, _), pub in zip(rows, pubs):
        true_day = parse_iso(truth)
        lo, hi = parse_iso(pub.earliest), parse_iso(pub.latest)
        if not ((lo is None or lo <= true_day) and (hi is None or true_day <= hi)) and len(missed) < misses:
            missed.append({"id": aid, "true": truth, "earliest": pub.earliest, "latest": pub.latest,
                           "evidence": [(e["reason"], e["text"]) for e in pub.evidence]})
    out: dict[str, Any] = {"articles": len(rows), **_figures(rows, pubs, tagged),
                           "evidence_reasons": dict(reasons.most_common()), "seconds": round(secs, 2),
                           "targets": {"contains_true_date": ">= 0.80", "median_width_days": "<= 30"}}
    if corpus:
        out["corpus"] = _figures(rows, _corpus_pass(rows, pubs, tagged, settings), tagged)
    if roles:
        rpubs, info = _roles_pass(rows, settings, role_settings)
        role_rows = [i for i, p in enumerate(rpubs) if any(e["reason"] == "role-term" for e in p.evidence)]
        out["roles"] = {**_figures(rows, rpubs, tagged), **info,
                        "role_term_contains_true_date": _figures([rows[i] for i in role_rows],
                                                                 [rpubs[i] for i in role_rows],
                                                                 [tagged[i] for i in role_rows])["contains_true_date"],
                        "evidence_reasons": dict(Counter(e["reason"] for p in rpubs for e in p.evidence).most_common())}
        if corpus:  # then the corpus stage over all of them, as in the default pipeline
            cpubs = _corpus_pass(rows, rpubs, tagged, settings)
            out["roles"]["corpus"] = {**_figures(rows, cpubs, tagged), "role_term_articles": sum(
                1 for p in cpubs if any(e["reason"] == "role-term" for e in p.evidence))}
        if misses:
            out["roles"]["misses"] = [
                {"id": rows[i][0], "true": rows[i][1], "earliest": rpubs[i].earliest, "latest": rpubs[i].latest,
                 "evidence": [(e["reason"], e["text"]) for e in rpubs[i].evidence]}
                for i in role_rows if not _inside(rows[i][1], rpubs[i])][:misses]
    if misses:
        out["misses"] = missed
    return out
