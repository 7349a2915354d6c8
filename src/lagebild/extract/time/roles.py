"""The ``pubdate_roles`` stage: narrow an inferred publication interval by terms of office.

Runs after ``entities``.  A KB-linked person named with a current title
("Bundeskanzlerin Angela Merkel", "US-Präsident Barack Obama") bounds the
writing day by the KB term of that office (see :mod:`._pubdate_roles` for which
wordings count): ``earliest`` ≥ term start − ``start_margin_days``, ``latest`` ≤
term end + ``end_margin_days`` (an open term gives only the lower bound).

The bounds are weighed with the text's own clues exactly as the ``time`` stage
weighs them — the inference is run again with them as extra bounds (reason
``role-term``, weaker than every date the text writes, so a contradicting role
bound is the one dropped and the interval never becomes empty).  Evidence items
from a role carry ``entity`` (KB id) and ``role`` (KB role key) besides the
usual ``{start, end, text, reason, bounds, earliest?, latest?}``; ``bounds`` is
``["year"]`` for a role bound that decides no side itself but settled the year
of a day the text names without one ("am Donnerstag, dem 20. Oktober" read in
the one year the term leaves).

Left alone: articles whose date came from metadata, languages without
``lexicon/pubdate_roles_<lang>.toml``, articles without such a title, and those
whose interval the bounds do not change (the same object is returned).

When the best guess (``value``) changes, the relative time expressions are
resolved again against it (cheap: :func:`.tagger.resolve_times`), so ``times``
stay consistent with ``published``.  The entities stage resolved bare titles
against the earlier, wider interval; that is not redone (a narrower interval
could settle more bare titles; resolving them again is left to a later change).

Settings (``[stages.pubdate_roles]``): ``start_margin_days``, ``end_margin_days``;
it reads ``[stages.pubdate]`` (the inference's settings), ``[stages.time]``
(``genre``) and ``[stages.entities]`` (``kb_files``).
"""

from __future__ import annotations

from typing import Any, Mapping

from ...errors import ConfigError
from ...model import Article, Published
from ...pipeline import stage
from ...periods import iso, parse_iso
from ._pubdate_clues import Bound
from ._pubdate_roles import REASON, RoleBound, find_role_bounds
from .pubdate import infer_with, ingest_published, pubdate_settings

__all__ = ["pubdate_roles", "role_bounds", "evidence_bounds", "DEFAULTS"]

#: Packaged defaults of ``[stages.pubdate_roles]`` (also in config/defaults.toml).
DEFAULTS: dict[str, int] = {"start_margin_days": 0, "end_margin_days": 30}


def _margins(settings: Mapping[str, Any]) -> tuple[int, int]:
    out = []
    for key in ("start_margin_days", "end_margin_days"):
        v = settings.get(key, DEFAULTS[key])
        if not isinstance(v, int) or isinstance(v, bool) or v < 0 or v > 3650:
            raise ConfigError(f"stages.pubdate_roles.{key} must be a whole number of days from 0 to 3650, not {v!r}")
        out.append(v)
    return out[0], out[1]


def role_bounds(article: Article, settings: Mapping[str, Any] | None = None, *, kb: Any = None) -> list[RoleBound]:
    """The role bounds of ``article`` (its ``entities``, ``sentences`` and ``times`` layers)."""
    s = settings or {}
    start_margin, end_margin = _margins(s)
    if kb is None:
        from ...kb import load_kb

        ent = s.get("entities")
        files = ent.get("kb_files", ()) if isinstance(ent, Mapping) else ()
        kb = load_kb(tuple(str(p) for p in files))
    return find_role_bounds(
        article.text, article.entities, article.language, kb, sentences=article.sentences or None,
        times=article.times, start_margin_days=start_margin, end_margin_days=end_margin,
    )


def evidence_bounds(published: Published) -> list[Bound]:
    """The ``role-term`` bounds kept in ``published``'s evidence, as bounds again.

    For a stage that infers the date anew from the text (``pubdate_corpus``): passed as extra bounds,
    they keep what this stage found.  Only bounds that decided a side are in the evidence, and only
    those can narrow the interval again.
    """
    out = []
    for e in published.evidence:
        if e.get("reason") != REASON:
            continue
        lo, hi = parse_iso(e.get("earliest")), parse_iso(e.get("latest"))
        if lo is not None or hi is not None:
            out.append(Bound(lo, hi, REASON, e.get("start"), e.get("end"), str(e.get("text", ""))))
    return out


def _year_evidence(b: RoleBound) -> dict[str, Any]:
    ev: dict[str, Any] = {"start": b.start, "end": b.end, "text": b.text, "reason": REASON, "bounds": ["year"]}
    if b.lower is not None:
        ev["earliest"] = iso(b.lower)
    if b.upper is not None:
        ev["latest"] = iso(b.upper)
    return ev


def _inference_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    sub = settings.get("pubdate")
    pub = pubdate_settings(sub if isinstance(sub, Mapping) else None)
    time_table = settings.get("time")
    genre = time_table.get("genre", "news") if isinstance(time_table, Mapping) else "news"
    if genre != "news":  # as the time stage does: the recency prior is about news
        pub.update(news_recency_days=0, news_recency_month_days=0)
    return pub


@stage(
    "pubdate_roles",
    requires=("text", "language", "published", "times", "entities", "sentences"),
    sets=("published", "times"),
    reads=("pubdate", "time", "entities"),
)
def pubdate_roles(article: Article, settings: Mapping[str, Any]) -> Article:
    """Narrow an inferred publication interval by the terms of office of people named with a title."""
    pub = article.published
    if pub.source == "metadata" and pub.value:
        return article
    found = role_bounds(article, settings)
    if not found:
        return article
    new, _ = infer_with(article.text, article.times, article.language, previous=ingest_published(article),
                        settings=_inference_settings(settings), extra=[b.bound() for b in found])
    if new.to_dict() == pub.to_dict():
        return article
    if not any(e.get("reason") == REASON for e in new.evidence):
        # no role bound decides a side; it may still have settled the year of a day named without one
        # ("am Donnerstag, dem 20. Oktober"): then it is evidence of kind "year"
        base, _ = infer_with(article.text, article.times, article.language, previous=ingest_published(article),
                             settings=_inference_settings(settings))
        if base.to_dict() == new.to_dict():
            return article
        lo, hi = parse_iso(new.earliest), parse_iso(new.latest)
        for b in found:
            if lo is not None and hi is not None and (b.lower is None or b.lower <= lo) and \
                    (b.upper is None or hi <= b.upper):
                new.evidence.append(_year_evidence(b))
        new.evidence.sort(key=lambda e: (e.get("start", -1), e["reason"]))
    by_span = {(b.start, b.end): b for b in found}
    for e in new.evidence:
        if e.get("reason") == REASON and (e.get("start"), e.get("end")) in by_span:
            b = by_span[(e["start"], e["end"])]
            e.update(entity=b.entity, role=b.role)
    times = article.times
    if new.value and new.value != pub.value:
        from .tagger import resolve_times

        times = resolve_times(article.times, new.value, anchor_kind="inferred")
    return article.replace(published=new, times=times)
