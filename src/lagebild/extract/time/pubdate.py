"""Publication dates inferred from an article's own text, as an interval with evidence.

Used when metadata gave no date.  :func:`infer_published` reads the clues in
the clean text and the tagger's time expressions (see
:mod:`._pubdate_clues` for the kinds of clue and :mod:`._pubdate_combine` for
how they are weighed):

* an absolute date told in the past ("traf am 3. Mai 2024", "der bis Mai 2024
  Minister war", "ist seit 2020 im Amt") bounds the writing day from below — at
  the start of its day, month or year;
* an announced future date ("wird im Juli 2025 …") bounds it from above — at
  the end of its period;
* a target date outside a past clause ("gilt zum 1. Januar 2026", "ist für den
  18. September angesetzt") bounds it from above; a year naming a thing
  ("Bundestagswahl 2009") or the period a figure is for ("für 2004") bounds
  nothing;
* a weekday named with a date ("am Freitag, dem 3. Dezember 2004") says the
  event is at most ``weekday_window_days`` old (or away);
* "im vergangenen Jahr …", "zum 40. Jahrestag …", "vor 40 Jahren …" fix the
  year once the event they name is dated in the same article (same sentence,
  or a sentence sharing ``event_min_shared_words`` event words) — the corpus
  stage (:mod:`.corpus`) looks for the event in other articles;
* days without a year ("am Donnerstag, 27. Juli", "zuletzt im März") are read
  in the one year the interval leaves, if exactly one fits;
* ``previous`` (e.g. a WARC record date from ingest) is kept as a bound;
* a reading that would put the writing year after next year (the processing
  date's) is dropped (an anniversary counted from the wrong date).

A past event day does not by itself bound the writing day from above; the
news-recency prior (``news_recency_days``, 7 by default; ``news_recency_month_days``
for month-precise events, off by default) takes a news article to be written
within that many days of the latest past event it dates — unless that event is
told as background (pluperfect, a birth, a document's date: ``[recency]`` in the
cue files).  The stage turns it off for genre ``narrative``.

Evidence items: ``{start, end, text, reason, bounds, earliest?, latest?,
via?}`` — ``reason`` a code (``past-date``, ``future-date``, ``until-past``,
``until-present``, ``since-date``, ``target-date``, ``weekday-date``,
``relative-year``, ``anniversary``, ``years-ago``, ``past-anaphor``,
``yearless-date``, ``last-month``, ``weekday-guess``, ``news-recency``,
``metadata``; the corpus stage adds ``duplicate``),
``bounds`` which side(s) it decides (``earliest``, ``latest``, or ``value`` for
the clue behind the guess), ``via`` the dated event a relative statement was
read with (``article`` when it is in another article).

Where the text gives no clue the result is open (``earliest``/``latest``
None) and has no ``value`` — never a confident guess.  Offsets in evidence
point into the clean text the times were found in, so page furniture removed
before (gallery items, teasers) never counts.

:func:`benchmark` measures the inference on German Wikinews texts with the
true dates withheld.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from ...model import Article, Published
from ._pubdate_clues import Bound, Clues, read_clues, resolve_in_article
from ._pubdate_combine import combine
from ...periods import parse_iso
from ._pubdate_lexicon import pub_lexicon

__all__ = ["infer_published", "pubdate_settings", "benchmark"]

#: The packaged defaults' table these settings live in.
SECTION = "pubdate"


@lru_cache(maxsize=1)
def _packaged() -> dict[str, Any]:
    from ...config import defaults

    return dict(defaults().get("stages", {}).get(SECTION, {}))


def pubdate_settings(settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``[stages.pubdate]`` settings: the packaged defaults, updated from ``settings``.

    ``settings`` may be that table itself or a table holding it under ``pubdate``
    (as a stage that calls :func:`infer_published` may pass its own table).
    """
    out = dict(_packaged())
    if settings:
        nested = settings.get(SECTION)
        src = nested if isinstance(nested, Mapping) else settings
        out.update({k: v for k, v in src.items() if k in out})
    return out


def ingest_published(a: Article) -> Published | None:
    """What ingest knew of ``a``'s date: the bounds the first inference kept as ``metadata``
    evidence, for a later stage that infers the date anew (``previous`` of :func:`infer_with`)."""
    for e in a.published.evidence:
        if e.get("reason") == "metadata" and "start" not in e:
            return Published(earliest=e.get("earliest"), latest=e.get("latest"), source="unknown")
    if a.published.source == "unknown" and (a.published.earliest or a.published.latest):
        return a.published
    return None


def _previous_bounds(previous: Published | None) -> list[Bound]:
    if previous is None:
        return []
    lo, hi = parse_iso(previous.earliest), parse_iso(previous.latest)
    if lo is None and hi is None:
        return []
    what = previous.source if previous.source != "unknown" else "ingest"
    return [Bound(lo, hi, "metadata", None, None, f"{what} bound {previous.earliest or '…'} – {previous.latest or '…'}")]


def infer_with(
    text: str,
    times: list[dict[str, Any]],
    language: str | None,
    *,
    previous: Published | None = None,
    settings: Mapping[str, Any] | None = None,
    extra: list[Bound] | None = None,
) -> tuple[Published, Clues]:
    """:func:`infer_published` plus the clues it read, with ``extra`` bounds (from other articles).

    For :mod:`.corpus`; not part of the public API.  The clues are what the date
    needs (``read_clues(..., only_for_date=True)``: no pending statements where
    the article dates no event, event words only where pending statements need them).
    """
    s = pubdate_settings(settings)
    lex = pub_lexicon(language)
    clues = read_clues(text, times, lex, s, only_for_date=True)
    latest_year = date.today().year + 1
    resolved, _ = resolve_in_article(clues, s, latest_year)
    bounds = [*_previous_bounds(previous), *clues.bounds, *resolved, *(extra or [])]
    # no reading may put the writing day after the processing year
    bounds = [b for b in bounds if b.lower is None or b.lower.year <= latest_year]
    value, earliest, latest, evidence = combine(clues, bounds, s)
    if earliest is None and latest is None:
        return Published(source="inferred", evidence=[]), clues
    return Published(value=value, earliest=earliest, latest=latest, source="inferred", evidence=evidence), clues


def infer_published(
    text: str,
    times: list[dict[str, Any]],
    language: str | None,
    *,
    previous: Published | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Published:
    """The publication interval ``text`` implies, with evidence (``source="inferred"``).

    ``times`` are the tagger's expressions in ``text`` (found without a
    publication anchor); ``previous`` is what ingest knew (its ``earliest`` /
    ``latest`` are kept as bounds; a metadata ``value`` is returned unchanged);
    ``settings`` is the ``[stages.pubdate]`` table (packaged defaults fill gaps).
    """
    if previous is not None and previous.source == "metadata" and previous.value:
        return previous
    return infer_with(text, times, language, previous=previous, settings=settings)[0]


def benchmark(wikinews_dir: str | Path, *, settings: Mapping[str, Any] | None = None, limit: int | None = None,
              misses: int = 0, corpus: bool = False) -> dict[str, Any]:
    """Publication-date inference on Wikinews texts with the dates withheld (see :mod:`._pubdate_bench`).

    Returns ``articles``, ``contains_true_date`` (share), ``median_width_days``
    (``"inf"`` when most intervals are open), ``open_intervals``,
    ``open_both_sides``, ``closed_intervals``, ``median_width_closed_days``,
    ``median_abs_error_days`` (of the best guess, where there is one),
    ``with_value`` (share), ``open_why`` (counts: ``no-date``, ``dates-unused``,
    ``no-upper``, ``no-lower``), ``closed_at_most_30_days``,
    ``evidence_reasons`` (counts), ``seconds``; with ``misses`` > 0 that many
    articles whose interval misses the true date; with ``corpus`` the same
    figures after the ``pubdate_corpus`` stage (``corpus``).
    """
    from ._pubdate_bench import run_benchmark

    return run_benchmark(Path(wikinews_dir), settings=settings, limit=limit, misses=misses, corpus=corpus)
