"""Plain-text renderings of articles, hits and figures for the terminal."""

from __future__ import annotations

import dataclasses
from typing import Any, Mapping

from .model import Article

__all__ = ["render_article", "render_removed", "render_hit", "render_stats"]


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
