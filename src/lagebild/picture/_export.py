"""Write the picture to a folder: report, picture.json and exports for other tools.

* ``picture.json`` — the whole picture (``schema/picture.schema.json``)
* ``report.html`` / ``report.md`` — the readable report
* ``events.jsonl`` — one PLOVER-style event per line
* ``graph.graphml`` — the entity–event bipartite graph (Gephi, yEd, networkx)
* ``timeline.json`` — the timeline in TimelineJS's JSON format
* ``events.csv``, ``variants.csv``, ``claims.csv``, ``entities.csv`` — tables (UTF-8, with a header)
"""

from __future__ import annotations

import csv
import json
import os
from itertools import chain
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping
from xml.sax.saxutils import escape, quoteattr

from ..errors import OutputError
from ._report import labels, render_html, render_markdown

__all__ = ["OutputError", "write_outputs", "ensure_out_dir", "plover_events", "timelinejs", "graphml"]


def _unwritable(out: Path, why: str) -> OutputError:
    return OutputError(f"cannot write the picture to {str(out)!r}: {why} — choose a folder you can write to with --out DIR")


def ensure_out_dir(out_dir: str | os.PathLike[str]) -> Path:
    """Create ``out_dir`` if needed and check it can be written (before a long build, not after)."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(out, exc.strerror or str(exc)) from exc
    if not os.access(out, os.W_OK | os.X_OK):
        raise _unwritable(out, "permission denied")
    return out


def _names(picture: Mapping[str, Any]) -> dict[str, str]:
    return {e["id"]: e.get("name") or e["id"] for e in picture.get("entities", [])}


def _date(d: Any) -> str | None:
    return (d.get("value") or d.get("earliest")) if isinstance(d, Mapping) else d


def plover_events(picture: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Events as PLOVER-style records (field names of the PLOVER manual; codes are entity ids)."""
    return list(_plover_records(picture))


def _plover_records(picture: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """:func:`plover_events` one record at a time."""
    names = _names(picture)
    for e in picture.get("events", []):
        date = e.get("date") or {}
        mentions = e.get("mentions") or []
        yield {
            "id": e["id"],
            "date": _date(date),
            "date_precision": date.get("precision") if isinstance(date, Mapping) else None,
            "event": e.get("event"),
            "mode": e.get("mode"),
            "context": list(e.get("context") or []),
            "actor": "; ".join(names.get(a, a) for a in e.get("actors") or []) or None,
            "recipient": "; ".join(names.get(t, t) for t in e.get("targets") or []) or None,
            "source": list(e.get("actors") or []),
            "target": list(e.get("targets") or []),
            "eventText": mentions[0].get("text") if mentions else None,
            "location": ({"id": e["place"], "name": names.get(e["place"], e["place"])} if e.get("place") else None),
            "status": e.get("status"),
            "negated": bool(e.get("negated")),
            "background": bool(e.get("background")),
            "sources": list(e.get("sources") or []),
            "independent_sources": e.get("independent_sources"),
            "articles": sorted({m.get("article") for m in mentions if m.get("article")}),
        }


def timelinejs(picture: Mapping[str, Any], title: str = "Lagebild") -> dict[str, Any]:
    """The timeline in TimelineJS JSON: one slide per dated timeline entry, grouped by storyline."""
    words = labels()
    names = _names(picture)
    events = {e["id"]: e for e in picture.get("events", [])}
    lines = {s["id"]: s.get("label") or s["id"] for s in picture.get("storylines", [])}
    slides = []
    for tl in picture.get("timeline", []):
        group = lines.get(tl.get("storyline"), tl.get("storyline") or "other")
        for t in tl.get("entries") or []:
            value = _date(t.get("date"))
            if not value or not str(value)[:4].isdigit():
                continue  # TimelineJS needs at least a year
            parts = str(value)[:10].split("-")
            start: dict[str, int] = {"year": int(parts[0])}
            for key, part in zip(("month", "day"), parts[1:]):
                if part.isdigit():
                    start[key] = int(part)
            ev = events.get(t.get("event"), {})
            actors = ", ".join(names.get(a, a) for a in ev.get("actors") or []) or "?"
            targets = ", ".join(names.get(a, a) for a in ev.get("targets") or [])
            kind = words["event"].get(ev.get("event") or "", (ev.get("event") or "event").lower())
            headline = f"{actors}: {kind}" + (f" → {targets}" if targets else "")
            mentions = ev.get("mentions") or []
            status = t.get("status") or ev.get("status") or ""
            status = words["status"].get(status, status)
            text = (mentions[0].get("text") if mentions else "") or ""
            srcs = ", ".join(ev.get("sources") or [])
            body = escape(text) + (f"<br>({escape(status)}; {escape(srcs)})" if status or srcs else "")
            slides.append({"start_date": start, "text": {"headline": escape(headline), "text": body},
                           "group": group, "unique_id": t.get("event")})
    return {"title": {"text": {"headline": escape(title), "text": ""}}, "events": slides}


def graphml(picture: Mapping[str, Any]) -> str:
    """The entity–event bipartite graph as GraphML (nodes: entities and events; edges: actor, target, place)."""
    return "\n".join(_graphml_lines(picture)) + "\n"


def _graphml_lines(picture: Mapping[str, Any]) -> Iterator[str]:
    """:func:`graphml` line by line (the last line ends the document)."""
    names = _names(picture)
    types = {e["id"]: e.get("type") or "" for e in picture.get("entities", [])}
    events = picture.get("events", [])
    used: set[str] = set()
    edges: list[tuple[str, str, str]] = []
    for e in events:
        for role, ids in (("actor", e.get("actors") or []), ("target", e.get("targets") or []),
                          ("place", [e["place"]] if e.get("place") else [])):
            for eid in ids:
                used.add(eid)
                edges.append((f"n:{eid}", f"e:{e['id']}", role))
    yield from ('<?xml version="1.0" encoding="UTF-8"?>',
                '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
                '<key id="kind" for="node" attr.name="kind" attr.type="string"/>',
                '<key id="label" for="node" attr.name="label" attr.type="string"/>',
                '<key id="type" for="node" attr.name="type" attr.type="string"/>',
                '<key id="date" for="node" attr.name="date" attr.type="string"/>',
                '<key id="sources" for="node" attr.name="sources" attr.type="int"/>',
                '<key id="role" for="edge" attr.name="role" attr.type="string"/>',
                '<graph id="lagebild" edgedefault="directed">')

    def node(nid: str, data: Iterable[tuple[str, Any]]) -> Iterator[str]:
        yield f"<node id={quoteattr(nid)}>"
        for key, value in data:
            if value is not None:
                yield f'  <data key="{key}">{escape(str(value))}</data>'
        yield "</node>"

    for eid in sorted(used):
        yield from node(f"n:{eid}", (("kind", "entity"), ("label", names.get(eid, eid)), ("type", types.get(eid))))
    for e in events:
        yield from node(f"e:{e['id']}", (("kind", "event"), ("label", e.get("event")), ("type", e.get("event")),
                                         ("date", _date(e.get("date"))), ("sources", len(e.get("sources") or []))))
    for i, (src, dst, role) in enumerate(edges):
        # actors point at the event, the event points at its targets and place
        a, b = (src, dst) if role == "actor" else (dst, src)
        yield f'<edge id="x{i}" source={quoteattr(a)} target={quoteattr(b)}><data key="role">{role}</data></edge>'
    yield "</graph>"
    yield "</graphml>"


def _write_pieces(path: Path, pieces: Iterable[str]) -> None:
    """Write the strings ``pieces`` to ``path`` in order, :data:`_BLOCK` of them joined per write:
    what is written is never one string in memory (at 100k articles picture.json is ~250 MB)."""
    with open(path, "w", encoding="utf-8") as fh:
        block: list[str] = []
        for piece in pieces:
            block.append(piece)
            if len(block) >= _BLOCK:
                fh.write("".join(block))
                block.clear()
        fh.write("".join(block))


def _write_lines(path: Path, lines: Iterable[str]) -> None:
    """Write ``lines`` to ``path``, each ended by a newline."""
    _write_pieces(path, (piece for line in lines for piece in (line, "\n")))


def _write_json(path: Path, value: Any, **options: Any) -> None:
    """``json.dumps(value, ensure_ascii=False, **options) + "\\n"`` into ``path``: the same bytes, written
    as the encoder makes them (the indenting encoder would otherwise first collect millions of pieces)."""
    _write_pieces(path, chain(json.JSONEncoder(ensure_ascii=False, **options).iterencode(value), ("\n",)))


#: Pieces joined per write.
_BLOCK = 8192


def _csv(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow(["" if v is None else v for v in row])


def _tables(picture: Mapping[str, Any], out: Path) -> list[Path]:
    names = _names(picture)
    paths = [out / "events.csv", out / "variants.csv", out / "claims.csv", out / "entities.csv"]
    _csv(paths[0], ["id", "date", "precision", "event", "mode", "status", "background", "negated", "actors",
                    "targets", "place", "sources", "independent_sources", "mentions"],
         ([e["id"], _date(e.get("date")), (e.get("date") or {}).get("precision"), e.get("event"), e.get("mode"),
           e.get("status"), bool(e.get("background")), bool(e.get("negated")), ";".join(e.get("actors") or []),
           ";".join(e.get("targets") or []), e.get("place"), ";".join(e.get("sources") or []),
           e.get("independent_sources"), len(e.get("mentions") or [])] for e in picture.get("events", [])))
    _csv(paths[1], ["measure", "object", "classification", "reason", "article", "outlet", "published", "speaker",
                    "source", "status", "value", "low", "high", "mod", "unit", "text"],
         ([v.get("measure"), v.get("object"), v.get("classification"), v.get("reason"), x.get("article"),
           x.get("outlet"), _date(x.get("published")), (x.get("speaker") or {}).get("id") or (x.get("speaker") or {}).get("text"),
           (x.get("source") or {}).get("id") or (x.get("source") or {}).get("text"), x.get("status"), x.get("value"),
           x.get("low"), x.get("high"), x.get("mod"), x.get("unit"), x.get("text")]
          for v in picture.get("variants", []) for x in v.get("values") or []))
    _csv(paths[2], ["entity", "name", "says", "about", "speaker", "speaker_name", "speaker_claims"],
         ([eid, names.get(eid, eid), c.get("says", 0), c.get("about", 0), s["id"], names.get(s["id"], s["id"]), s["claims"]]
          for eid, c in picture.get("claims_by_entity", {}).items()
          for s in (c.get("speakers") or [{"id": None, "claims": None}]) if s["id"] or not c.get("speakers")))
    _csv(paths[3], ["id", "name", "type", "articles", "mentions", "says", "about"],
         ([e["id"], e.get("name"), e.get("type"), e.get("articles"), e.get("mentions"),
           picture.get("claims_by_entity", {}).get(e["id"], {}).get("says", 0),
           picture.get("claims_by_entity", {}).get(e["id"], {}).get("about", 0)] for e in picture.get("entities", [])))
    return paths


def write_outputs(picture: dict[str, Any], out_dir: str | os.PathLike[str],
                  settings: Mapping[str, Any] | None = None) -> list[Path]:
    """Write report.html, report.md, picture.json and the exports into ``out_dir``; return the paths written
    (in that order: report.html first).

    ``settings`` is the ``[picture.report]`` table (title, list lengths); defaults when None.
    """
    if settings is None:
        from ._build import report_settings

        settings = report_settings(None)
    out = ensure_out_dir(out_dir)
    try:
        written = []
        for name, text in (("report.html", render_html(picture, settings)),
                           ("report.md", render_markdown(picture, settings))):
            (out / name).write_text(text, encoding="utf-8")
            written.append(out / name)
        p = out / "picture.json"
        _write_json(p, picture, indent=1, sort_keys=True)
        written.append(p)
        p = out / "events.jsonl"
        _write_lines(p, (json.dumps(rec, ensure_ascii=False, sort_keys=True) for rec in _plover_records(picture)))
        written.append(p)
        _write_lines(out / "graph.graphml", _graphml_lines(picture))
        written.append(out / "graph.graphml")
        p = out / "timeline.json"
        _write_json(p, timelinejs(picture, str(settings.get("title") or "Lagebild")), indent=1)
        written.append(p)
        written += _tables(picture, out)
    except OSError as exc:
        raise _unwritable(out, exc.strerror or str(exc)) from exc
    return written
