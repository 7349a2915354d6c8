"""Render the picture as a report: ``report.html`` (self-contained) and ``report.md``.

:func:`report_view` turns picture.json into plain lists the templates show
section by section (storylines → stories → timeline → where accounts differ →
who says what → sources); the Jinja2 templates in ``templates/`` only lay
them out.  HTML is rendered with autoescaping on: every string from the
articles is data, never markup.
"""

from __future__ import annotations

import functools
import tomllib
from collections import Counter
from importlib import resources
from typing import Any, Mapping

__all__ = ["report_view", "render_html", "render_markdown", "labels"]

_TEMPLATES = "templates"


@functools.cache
def labels() -> dict[str, dict[str, str]]:
    """Words for event categories, statuses and classifications (``templates/labels.toml``)."""
    text = resources.files(__package__).joinpath(_TEMPLATES, "labels.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@functools.cache
def _env(autoescape: bool) -> Any:
    import jinja2

    loader = jinja2.FileSystemLoader(str(resources.files(__package__).joinpath(_TEMPLATES)))
    env = jinja2.Environment(loader=loader, autoescape=autoescape, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    env.filters["md"] = _md_escape
    return env


def _md_escape(value: Any) -> str:
    """Make a string safe inside a Markdown table cell or line (no HTML, no column breaks)."""
    s = "" if value is None else str(value)
    s = " ".join(s.split())
    for ch, rep in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;"), ("*", "\\*"), ("_", "\\_"),
                    ("`", "\\`"), ("[", "\\["), ("]", "\\]")):
        s = s.replace(ch, rep)
    return s


def _date_text(value: Any, precision: Any = None) -> str:
    if isinstance(value, Mapping):
        precision = precision or value.get("precision")
        value = value.get("value") or value.get("earliest")
    if not value:
        return "date unknown"
    if str(value).startswith("XXXX-"):  # a day or month whose year the text does not give
        return f"{str(value)[5:]} (year unknown)"
    return f"{value} ({precision})" if precision and precision not in ("day", "unknown") else str(value)


def _when(value: Any, day_only: bool = False) -> str | None:
    """An ISO date or datetime for reading: ``2024-06-20 09:15`` (or only the day)."""
    if not value:
        return None
    text = str(value)
    return text[:10] if day_only else text[:16].replace("T", " ")


def _published_text(p: Mapping[str, Any]) -> str:
    """A publication date, or its interval where only bounds are known, or "date unknown"."""
    if p.get("value"):
        return _when(p["value"]) or ""
    lo, hi = _when(p.get("earliest"), True), _when(p.get("latest"), True)
    if lo and hi:
        return f"{lo} – {hi}"
    if lo:
        return f"not before {lo}"
    if hi:
        return f"not after {hi}"
    return "date unknown"


def _sources_key(a: Mapping[str, Any]) -> str:
    p = a.get("published") or {}
    return str(p.get("value") or p.get("earliest") or "9999")


def _count(x: Any) -> int:
    if isinstance(x, (list, tuple, set, dict)):
        return len(x)
    try:
        return int(x or 0)
    except (TypeError, ValueError):
        return 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _number(v: Mapping[str, Any]) -> str:
    def fmt(x: Any) -> str:
        if isinstance(x, float) and x.is_integer():
            x = int(x)
        return f"{x:,}" if isinstance(x, (int, float)) else str(x)

    if v.get("value") is not None:
        num = fmt(v["value"])
    elif v.get("low") is not None or v.get("high") is not None:
        num = f"{fmt(v.get('low'))}–{fmt(v.get('high'))}"
    else:
        num = "?"
    mod = {"APPROX": "about ", "MORE_THAN": "more than ", "LESS_THAN": "less than ", "AT_LEAST": "at least ",
           "AT_MOST": "at most ", "UP_TO": "up to ", "NEARLY": "nearly "}.get(v.get("mod") or "", "")
    unit = f" {v['unit']}" if v.get("unit") else ""
    return f"{mod}{num}{unit}"


def report_view(picture: Mapping[str, Any], settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The picture arranged for the report, section by section (plain data, no markup)."""
    rs = dict(settings or {})
    words = labels()
    names = {e["id"]: e.get("name") or e["id"] for e in picture.get("entities", [])}
    arts = {a["id"]: a for a in picture.get("articles", [])}
    events = {e["id"]: e for e in picture.get("events", [])}
    stories = {s["id"]: s for s in picture.get("stories", [])}

    def name(eid: Any) -> str:
        return names.get(eid, str(eid)) if eid else "?"

    def story_view(s: Mapping[str, Any]) -> dict[str, Any]:
        members = [arts[a] for a in s.get("articles") or [] if a in arts]
        outlets = sorted({a["outlet"] for a in members if a.get("outlet")})
        langs = sorted({a["language"] for a in members if a.get("language")} | ({s["language"]} if s.get("language") else set()))
        return {"id": s["id"], "headline": s.get("headline") or "(no headline)", "summary": s.get("summary") or "",
                "outlets": outlets, "languages": langs, "articles": len(s.get("articles") or []),
                "label": s.get("label") if s.get("label") and s.get("label") != s.get("headline") else None,
                "first": _when(s.get("first"), True), "last": _when(s.get("last"), True),
                "entities": [name(e) for e in (s.get("entities") or [])[:8]]}

    def by_date(s: Mapping[str, Any]) -> tuple[str, str]:
        return (str(s.get("first") or "9999"), s["id"])

    lines = []
    placed: set[str] = set()
    for line in picture.get("storylines", []):
        members = sorted((stories[i] for i in line.get("stories") or [] if i in stories), key=by_date)
        placed.update(s["id"] for s in members)
        lines.append({"id": line["id"], "label": line.get("label") or line["id"],
                      "entities": [name(e) for e in (line.get("entities") or [])[:8]],
                      "stories": [story_view(s) for s in members]})
    # the largest storylines first; the report shows at most max_storylines of them
    lines.sort(key=lambda x: (-sum(s["articles"] for s in x["stories"]), x["id"]))
    max_lines = int(rs.get("max_storylines", 0) or 0)
    hidden_lines = max(0, len(lines) - max_lines) if max_lines else 0
    lines = lines[:max_lines] if max_lines else lines
    loose = [story_view(s) for s in sorted(stories.values(), key=by_date) if s["id"] not in placed]
    if loose:
        lines.append({"id": None, "label": "Stories outside any storyline", "entities": [], "stories": loose})

    labels_of_line = {line["id"]: line["label"] for line in lines if line["id"]}
    order = {line["id"]: i for i, line in enumerate(lines) if line["id"]}
    limit = int(rs.get("timeline_limit", 0) or 0)
    timelines = []
    shown_timelines = [tl for tl in picture.get("timeline", []) if tl.get("storyline") in order or not tl.get("storyline")]
    for tl in sorted(shown_timelines, key=lambda tl: order.get(tl.get("storyline"), len(order))):
        entries = []
        for t in tl.get("entries") or []:
            ev = events.get(t.get("event"), {})
            status = t.get("status") or ev.get("status") or "reported"
            n_src = _count(t.get("sources", ev.get("sources")))
            # an article whose outlet is unknown is a source of its own
            unknown = len({m.get("article") for m in ev.get("mentions") or [] if not m.get("outlet")})
            n_ind = _count(t.get("independent_sources", ev.get("independent_sources")))
            src_text = _plural(n_src + unknown, "outlet") + (f" ({unknown} unknown)" if unknown else "")
            entries.append({
                "event": t.get("event"),
                "date": _date_text(t.get("date"), t.get("precision")),
                "dated": bool(t.get("date")),
                "precision": t.get("precision") or "unknown",
                "type": words["event"].get(ev.get("event") or "", (ev.get("event") or "event").lower()),
                "code": ev.get("event") or "",
                "mode": ev.get("mode"),
                "actors": [name(a) for a in ev.get("actors") or []],
                "targets": [name(a) for a in ev.get("targets") or []],
                "place": name(ev["place"]) if ev.get("place") else None,
                "status": words["status"].get(status, status),
                "negated": bool(ev.get("negated")),
                "sources": f"{src_text}, {n_ind} independent",
                "outlets": list(ev.get("sources") or []),
                "background": bool(t.get("background", ev.get("background"))),
                "text": ((ev.get("mentions") or [{}])[0]).get("text") or "",
            })
        if limit:
            entries = entries[:limit]
        sl = tl.get("storyline")
        timelines.append({"storyline": sl, "label": labels_of_line.get(sl, sl or "Events outside any storyline"),
                          "entries": entries})

    variants = []
    for v in picture.get("variants", []):
        values = []
        for x in v.get("values") or []:
            who = (x.get("speaker") or {}).get("text") or (x.get("source") or {}).get("text")
            values.append({"outlet": x.get("outlet") or "outlet unknown",
                           "published": _date_text(x.get("published")), "number": _number(x),
                           "text": x.get("text") or "", "who": who, "status": x.get("status") or ""})
        cls = v.get("classification") or ""
        variants.append({"measure": v.get("measure"), "object": v.get("object"),
                         "classification": words["classification"].get(cls, cls), "code": cls,
                         "reason": v.get("reason") or "", "values": values})

    cbe = picture.get("claims_by_entity", {})
    top = int(rs.get("top_entities", 15))
    ranked = sorted(cbe.items(), key=lambda kv: (-(kv[1].get("says", 0) + kv[1].get("about", 0)), kv[0]))[:top]
    speakers = [{"entity": name(eid), "says": c.get("says", 0), "about": c.get("about", 0),
                 "speakers": [f"{name(s['id'])} ({s['claims']})" for s in c.get("speakers") or []]}
                for eid, c in ranked]

    sources = []
    max_sources = int(rs.get("max_sources", 0) or 0)
    all_articles = sorted(picture.get("articles", []), key=lambda a: (_sources_key(a), a["id"]))
    hidden_sources = max(0, len(all_articles) - max_sources) if max_sources else 0
    for a in all_articles[:max_sources] if max_sources else all_articles:
        p = a.get("published") or {}
        sources.append({"id": a["id"], "title": a.get("title") or "(untitled)", "outlet": a.get("outlet") or "outlet unknown",
                        "date": _published_text(p),
                        "inferred": p.get("source") == "inferred", "language": a.get("language") or "?",
                        "agencies": a.get("agencies") or [], "duplicate_of": a.get("duplicate_of")})

    languages = Counter(a.get("language") or "?" for a in picture.get("articles", []))
    return {
        "title": rs.get("title") or "Lagebild",
        "articles": len(picture.get("articles", [])),
        "languages": ", ".join(f"{k} {n}" for k, n in sorted(languages.items())),
        "counts": " · ".join([_plural(len(picture.get("storylines", [])), "storyline"),
                              _plural(len(stories), "story").replace("storys", "stories"),
                              _plural(len(events), "event"), _plural(len(variants), "compared measure")]),
        "storylines": lines, "timelines": timelines, "variants": variants,
        "speakers": speakers, "sources": sources,
        "hidden": {"storylines": hidden_lines, "sources": hidden_sources},
    }


def render_html(picture: Mapping[str, Any], settings: Mapping[str, Any] | None = None) -> str:
    """``report.html``: one self-contained page (inline CSS, no external resources), escaped."""
    return _env(True).get_template("report.html.j2").render(**report_view(picture, settings))


def render_markdown(picture: Mapping[str, Any], settings: Mapping[str, Any] | None = None) -> str:
    """``report.md``: the same sections as Markdown."""
    return _env(False).get_template("report.md.j2").render(**report_view(picture, settings))
