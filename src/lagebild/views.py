"""Plain-text renderings of articles, hits and figures for the terminal."""

from __future__ import annotations

import dataclasses
from typing import Any, Mapping

from .model import Article

__all__ = [
    "render_article",
    "render_removed",
    "render_hit",
    "render_stats",
    "render_claim",
    "render_quantity",
    "format_amount",
    "shorten",
]

#: Reading of a quantity's ``mod`` in listings.
MOD_WORDS = {
    "APPROX": "about",
    "MORE_THAN": "more than",
    "LESS_THAN": "less than",
    "AT_LEAST": "at least",
    "AT_MOST": "at most",
    "UP_TO": "up to",
    "NEARLY": "nearly",
}
#: Shortest room a listing line leaves for the claim text, however narrow the terminal.
MIN_TEXT = 40


def render_article(article: Article) -> str:
    pub = article.published
    when = pub.value or "unknown"
    if (pub.earliest or pub.latest) and not (pub.earliest == pub.latest == pub.value):
        when += f" (between {pub.earliest or '?'} and {pub.latest or '?'}, {pub.source})"
    lines = [
        article.title or "(no title)",
        "",
        f"id:         {article.id}",
        f"outlet:     {article.outlet or '-'}",
        f"agencies:   {', '.join(article.agencies) or '-'}",
        f"language:   {article.language or '-'}",
        f"published:  {when}",
        f"duplicates: {article.duplicate_group or '-'}" + (f" (copy of {article.duplicate_of})" if article.duplicate_of else ""),
        f"kept lines: {len(article.kept_lines)}; removed lines: {sum(len(r.lines) for r in article.removed)}",
    ]
    for p in article.source:
        lines.append(f"source:     {p.source} [{p.format}{', ' + p.encoding if p.encoding else ''}]")
    if article.shared_paragraphs:
        lines.append(f"shared:     {len(article.shared_paragraphs)} paragraph(s) also in other articles")
    lines += ["", article.text]
    return "\n".join(lines)


def render_removed(article: Article) -> str:
    raw = article.raw_text.split("\n")
    rows = []
    for block in article.removed:
        for n in block.lines:
            text = raw[n - 1].strip() if 0 < n <= len(raw) else ""
            if len(text) > 100:
                text = text[:97] + "..."
            rows.append((n, block.reason, text))
    if not rows:
        return f"{article.id}: no lines removed"
    rows.sort()
    width = max(len(r[1]) for r in rows)
    return "\n".join(f"{n:>5}  {reason:<{width}}  {text}" for n, reason, text in rows)


def render_hit(hit: Any) -> str:
    d = hit.to_dict() if hasattr(hit, "to_dict") else dataclasses.asdict(hit)
    head = f"{d.get('id')}  {d.get('title') or '(no title)'}"
    meta = " · ".join(str(x) for x in (d.get("outlet"), d.get("language"), d.get("published")) if x)
    out = [head]
    if meta:
        out.append(f"    {meta}")
    if d.get("snippet"):
        out.append(f"    {d['snippet']}")
    return "\n".join(out)


def render_stats(figures: Mapping[str, Any]) -> str:
    out = []
    for key, value in figures.items():
        if isinstance(value, Mapping):
            out.append(f"{key}:")
            for k, v in value.items():
                out.append(f"  {k}: {v}")
        else:
            out.append(f"{key}: {value}")
    return "\n".join(out)


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with ``…`` where it was longer."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    return flat[: max(1, width - 1)].rstrip() + "…"


def _date(published: str | None) -> str:
    return published[:10] if published else "date unknown"


def _who(speaker: Any, source: Any) -> str:
    """``speaker via source`` as written; either may be missing."""
    name = speaker.get("text") if isinstance(speaker, Mapping) else None
    relay = source.get("text") if isinstance(source, Mapping) else None
    if name and relay:
        return f"{name} via {relay}"
    return name or (f"via {relay}" if relay else "")


def render_claim(hit: Any, width: int = 200) -> str:
    """One line: role (with an entity), outlet, date, status, speaker and the claim text cut to ``width``.

    ``says   Aare-Bote · 2024-06-19 · reported · Minister Brandt via Nordwind: Die Agentur …``
    """
    c = hit.claim
    who = _who(c.get("speaker"), c.get("source"))
    head = " · ".join([hit.outlet or "outlet unknown", _date(hit.published), str(c.get("status") or "?")])
    if hit.role:
        head = f"{hit.role:<6} {head}"
    head += f" · {who}: " if who else ": "
    return head + shorten(str(c.get("text") or ""), max(MIN_TEXT, width - len(head)))


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def format_amount(q: Mapping[str, Any]) -> str:
    """A quantity for reading: qualifier, value or low–high, unit, counted thing (``about 4,800,000 Geschosse``)."""
    num = (int, float)
    if isinstance(q.get("value"), num):
        amount = _number(q["value"])
    elif isinstance(q.get("low"), num) and isinstance(q.get("high"), num):
        amount = f"{_number(q['low'])}–{_number(q['high'])}"
    else:
        amount = str(q.get("text") or "?")
    parts = [MOD_WORDS.get(q.get("mod"), q.get("mod")), amount, q.get("unit"), q.get("object")]
    return " ".join(str(p) for p in parts if p)


def render_quantity(hit: Any, width: int = 200) -> str:
    """One line: date, outlet, the amount with its measure, and the status and speaker of its claim.

    ``2024-06-19 · Aare-Bote · more than 200 Soldaten [count:soldat] · reported by Minister Brandt``
    """
    q = hit.quantity
    amount = format_amount(q) + (f" [{q['measure']}]" if q.get("measure") else "")
    parts = [_date(hit.published), hit.outlet or "outlet unknown", amount]
    if hit.claim is not None:
        who = _who(hit.speaker, hit.source)
        status = hit.status or "?"
        parts.append(f"{status} by {who}" if who and not who.startswith("via ") else " ".join([status, who]).strip())
    return shorten(" · ".join(parts), max(MIN_TEXT, width))
