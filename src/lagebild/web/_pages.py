"""Server-rendered HTML pages of ``lagebild serve`` (Jinja2, autoescaping on, htmx for partial updates).

Every handler asks ``request.app.state.site`` (the :class:`~lagebild.web._site.Site` data layer) for plain
dicts and lays them out with the templates in ``templates/``.  Nothing from an article is ever trusted as
markup: text is escaped by the template engine, article highlights are built here from stand-off offsets,
search snippets are escaped before their ``\\x02``/``\\x03`` hit marks become ``<mark>``, and links taken from
articles are only rendered for http/https.  Data for the scripts (timeline items, graph nodes) travels in
``<script type="application/json">`` blocks; the Content-Security-Policy forbids inline scripts.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from pathlib import Path
from collections import ChainMap
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from ..errors import InputError, InputTooLargeError, ReadOnlyError
from ..picture._report import labels

__all__ = ["router", "render_error", "render", "highlight", "timeline_items", "snippet_html"]

router = APIRouter(include_in_schema=False)

#: claim statuses in the order the legend shows them
CLAIM_STATUSES = ("asserted", "reported", "quoted", "hedged", "speculated", "denied")
#: at most this many rows in the events tables of storyline and story pages (the rest: /api/events)
EVENT_ROWS = 300
_STATIC = Path(str(resources.files(__package__).joinpath("static")))
#: the vendored libraries the templates ask ``vendor(...)`` about (part of a cached page's key)
_VENDOR_LIBS = ("cytoscape", "htmx", "vis-timeline")
_ISO_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


# ---------------------------------------------------------------- template environment and filters

def pathq(value: Any) -> str:
    """An id as one URL path segment (``/`` and everything unsafe percent-encoded)."""
    return quote(str(value), safe=":@-._~")


def safe_url(value: Any) -> str | None:
    """``value`` when it is an http(s) URL, else None (``javascript:``, ``data:`` … are never linked)."""
    if not isinstance(value, str):
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value.strip() if scheme in ("http", "https") else None


def snippet_html(text: Any) -> Markup:
    """A search snippet: escaped text, the ``\\x02hit\\x03`` marks turned into ``<mark>`` (always balanced)."""
    out: list[str] = []
    open_ = False
    for part in re.split(r"([\x02\x03])", "" if text is None else str(text)):
        if part == "\x02":
            if not open_:
                out.append("<mark>")
                open_ = True
        elif part == "\x03":
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(str(escape(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", part))))
    if open_:
        out.append("</mark>")
    return Markup("".join(out))


def date_text(value: Any) -> str:
    """A picture date dict (``value``/``earliest``/``latest``/``precision``) or ISO string, for reading."""
    if isinstance(value, Mapping):
        v, lo, hi, prec = value.get("value"), value.get("earliest"), value.get("latest"), value.get("precision")
        if isinstance(v, str) and v.startswith("XXXX"):
            return f"{v[5:] or '?'} (year unknown)"
        if v:
            text = str(v)[:16].replace("T", " ")
            return f"{text} ({prec})" if prec and prec not in ("day", "unknown", "minute", "time") else text
        if lo and hi:
            return f"{str(lo)[:10]} – {str(hi)[:10]}"
        if lo:
            return f"not before {str(lo)[:10]}"
        if hi:
            return f"not after {str(hi)[:10]}"
        return "date unknown"
    return str(value)[:16].replace("T", " ") if value else "—"


def event_label(code: Any) -> str:
    return labels().get("event", {}).get(str(code), str(code).lower() if code else "event")


@functools.cache
def _env() -> jinja2.Environment:
    loader = jinja2.PackageLoader("lagebild.web", "templates")
    env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(pathq=pathq, safe_url=safe_url, snippet=snippet_html, date=date_text, event=event_label)
    env.globals.update(labels=labels(), claim_statuses=CLAIM_STATUSES, vendor=vendor_present,
                       event_rows=lambda: EVENT_ROWS)
    return env


def vendor_present(lib: str) -> bool:
    """Whether ``make assets`` has copied ``lib`` into ``static/vendor/`` (else pages show a hint)."""
    return (_STATIC / "vendor" / lib).is_dir()


def render(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    """Render ``templates/<template>`` with ``ctx``; ``request`` and the query string are available in it."""
    html = _env().get_template(template).render(request=request, **ctx)
    return HTMLResponse(html, status_code=status)


def render_error(request: Request, status: int, message: str) -> Response:
    """The error page (404, 403, 400 …) with a one-line message; used by the app's exception handlers."""
    return render(request, "error.html", status=status, status_code=status, message=str(message))


def _site(request: Request) -> Any:
    return request.app.state.site


def _htmx(request: Request) -> bool:
    return request.headers.get("hx-request", "").lower() == "true"


# ---------------------------------------------------------------- view helpers

def highlight(text: str, annotations: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The article text cut into runs for the template: ``[{"claim": ann|None, "pieces": [{"text", "ann"}]}]``.

    Claims (sentence-long) form the outer layer, entities/times/quantities the inner one; overlapping
    annotations of one layer keep the earlier (then longer) one, and an inner one crossing a claim boundary
    is split there, so the spans always nest.
    """
    n = len(text)

    def layer(kinds: Iterable[tuple[str, list[Mapping[str, Any]]]]) -> list[tuple[int, int, dict[str, Any]]]:
        spans = []
        for kind, anns in kinds:
            for a in anns or []:
                s, e = a.get("start"), a.get("end")
                if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= n:
                    spans.append((s, e, {"kind": kind, **a}))
        spans.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        kept, end = [], -1
        for s, e, a in spans:
            if s >= end:
                kept.append((s, e, a))
                end = e
        return kept

    inner = layer([("ent", annotations.get("entities")), ("time", annotations.get("times")),
                   ("qty", annotations.get("quantities"))])
    outer = layer([("claim", annotations.get("claims"))])
    cuts = sorted({0, n, *(x for s, e, _ in inner + outer for x in (s, e))})

    def covering(spans: list[tuple[int, int, dict[str, Any]]], a: int) -> dict[str, Any] | None:
        for s, e, ann in spans:
            if s <= a < e:
                return ann
        return None

    runs: list[dict[str, Any]] = []
    for a, b in zip(cuts, cuts[1:]):
        claim, ann = covering(outer, a), covering(inner, a)
        if not runs or runs[-1]["claim"] is not claim:
            runs.append({"claim": claim, "pieces": []})
        pieces = runs[-1]["pieces"]
        if pieces and pieces[-1]["ann"] is ann:
            pieces[-1]["text"] += text[a:b]
        else:
            pieces.append({"text": text[a:b], "ann": ann})
    return runs


def _iso_start(date: Mapping[str, Any] | None) -> tuple[str, str | None] | None:
    """(start, end) ISO days for a timeline item, or None when the event has no calendar date."""
    if not isinstance(date, Mapping):
        return None
    lo = date.get("earliest") or date.get("value")
    if not isinstance(lo, str) or not _ISO_DAY.match(lo) or not lo[:4].isdigit():
        return None
    hi = date.get("latest")
    if date.get("precision") in ("day", "minute", "time", "hour") or not isinstance(hi, str) or hi[:10] <= lo[:10]:
        return lo[:10], None
    return lo[:10], hi[:10]


def timeline_items(events: Iterable[Mapping[str, Any]], names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """vis-timeline items (plain data, no markup) for the events that have a calendar date."""
    names = names or {}
    items = []
    for ev in events:
        when = _iso_start(ev.get("date"))
        if when is None:
            continue
        actors = [names.get(a, a) for a in (ev.get("actors") or [])[:3] if isinstance(a, str)]
        label = event_label(ev.get("event")) + (": " + ", ".join(actors) if actors else "")
        items.append({
            "id": ev.get("id"), "label": label, "start": when[0], "end": when[1],
            "status": ev.get("status") or "asserted", "background": bool(ev.get("background")),
            "date": date_text(ev.get("date")),
        })
    return items


def _names(*sources: Any) -> dict[str, str]:
    """id → name from lists of ``{"id", "name"}`` entity dicts."""
    out: dict[str, str] = {}
    for src in sources:
        for e in src or []:
            if isinstance(e, Mapping) and e.get("id") and e.get("name"):
                out[str(e["id"])] = str(e["name"])
    return out


_NAMES_CACHE: list[Any] = [None, {}]


def _all_names(site: Any) -> dict[str, str]:
    """id → name of every entity in the picture (rebuilt only when the picture object changes)."""
    pic = site.picture()
    if _NAMES_CACHE[0] is not pic:
        _NAMES_CACHE[:] = [pic, _names(pic.get("entities"))]
    return _NAMES_CACHE[1]


def _json_block(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block (``<``, ``>``, ``&`` escaped as \\u escapes)."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _int(value: Any, default: int, low: int = 0, high: int = 10_000_000) -> int:
    try:
        return max(low, min(high, int(value)))
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------- pages

@router.get("/favicon.ico")
def favicon() -> Response:
    """No icon (browsers ask for one on every page that names none, e.g. /api/docs)."""
    return Response(status_code=204)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, offset: int = 0) -> Response:
    site = _site(request)

    def build() -> HTMLResponse:
        page = site.storylines(limit=50, offset=max(0, offset))
        return render(request, "home.html", overview=site.overview(), page=page)

    return await _cached_page(request, ("home",), build, params=("offset",))


async def _cached_page(request: Request, key: tuple[Any, ...], build: Callable[[], HTMLResponse],
                       params: tuple[str, ...] = ()) -> Response:
    """A page that depends only on ``key`` (path, ``params``) and the picture: rendered once per picture (the
    Site's LRU, dropped when the store changes), then served as bytes straight from the event loop; rendering
    runs in the thread pool.

    Requests with any other query parameter (the search box echoes ``q``) are rendered afresh.
    """
    query = request.query_params
    if any(k not in params for k in query.keys()) or any(len(query.getlist(k)) > 1 for k in params):
        return await run_in_threadpool(build)
    libs = tuple(vendor_present(lib) for lib in _VENDOR_LIBS)  # `make assets` while running changes the pages
    full = ("page", *key, *(query.get(k, "") for k in params), libs)
    site = _site(request)
    body = site.peek(full)
    if body is None:
        body = await run_in_threadpool(site.cached, full, lambda: bytes(build().body))
    return HTMLResponse(body)


@router.get("/storylines/{id:path}", response_class=HTMLResponse)
async def storyline(request: Request, id: str) -> Response:
    site = _site(request)

    def build() -> HTMLResponse:
        line = site.storyline(id)  # NotFoundError → 404, nothing cached
        names = ChainMap(_names(line.get("entities")), _all_names(site))
        items = timeline_items(line.get("events") or [], names)
        return render(request, "storyline.html", line=line, names=names, timeline_json=_json_block(items),
                      dated=len(items))

    return await _cached_page(request, ("storyline", id), build)


@router.get("/stories/{id:path}", response_class=HTMLResponse)
async def story(request: Request, id: str) -> Response:
    site = _site(request)

    def build() -> HTMLResponse:
        st = site.story(id)
        names = ChainMap(_names(st.get("entities")), _all_names(site))
        items = timeline_items(st.get("events") or [], names)
        titles = {a.get("id"): a.get("title") for a in st.get("articles") or []}
        return render(request, "story.html", story=st, names=names, titles=titles, timeline_json=_json_block(items),
                      dated=len(items))

    return await _cached_page(request, ("story", id), build)


@router.get("/entities/{id:path}", response_class=HTMLResponse)
async def entity(request: Request, id: str) -> Response:
    return await _cached_page(request, ("entity", id), lambda: _entity_page(request, _site(request).entity(id)))


def _entity_page(request: Request, ent: Mapping[str, Any]) -> HTMLResponse:
    nodes = [{"id": ent.get("id"), "label": ent.get("name"), "type": ent.get("type"), "centre": True}]
    edges = []
    for nb in ent.get("neighbours") or []:
        nodes.append({"id": nb.get("id"), "label": nb.get("name"), "type": nb.get("type"), "centre": False})
        edges.append({"source": ent.get("id"), "target": nb.get("id"), "weight": nb.get("weight") or 1,
                      "kinds": nb.get("kinds") or []})
    peak = max([t.get("mentions") or 0 for t in ent.get("timeline") or []] or [1]) or 1
    return render(request, "entity.html", ent=ent, peak=peak, graph_json=_json_block({"nodes": nodes, "edges": edges}))


@router.get("/articles/{id:path}", response_class=HTMLResponse)
async def article(request: Request, id: str) -> Response:
    def build() -> HTMLResponse:
        art = _site(request).article(id)
        runs = highlight(art.get("text") or "", art.get("annotations") or {})
        return render(request, "article.html", art=art, runs=runs)

    return await _cached_page(request, ("article", id), build)


_SEARCH_KEYS = ("q", "outlet", "language", "entity", "from", "to")


@router.get("/search", response_class=HTMLResponse)
async def search(request: Request, q: str = "", outlet: str | None = None, language: str | None = None,
           entity: str | None = None, offset: int = 0) -> Response:
    params = {k: request.query_params.get(k, "") for k in _SEARCH_KEYS}
    template = "_results.html" if _htmx(request) and request.headers.get("hx-target") == "results" else "search.html"

    def link(**change: Any) -> str:
        merged = {**params, **change}
        return "/search?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})

    def build() -> HTMLResponse:
        page = _site(request).search(
            q, outlet=outlet or None, language=language or None, entity=entity or None,
            date_from=params["from"] or None, date_to=params["to"] or None, limit=20, offset=max(0, offset))
        return render(request, template, page=page, params=params, link=link)

    return await _cached_page(request, ("search", template), build, params=(*_SEARCH_KEYS, "offset"))


@router.get("/compare", response_class=HTMLResponse)
async def compare(request: Request, storyline: str | None = None) -> Response:
    site = _site(request)

    def build() -> HTMLResponse:
        matrix = site.compare(storyline=storyline or None)
        lines = site.storylines(limit=500)["items"]
        return render(request, "compare.html", matrix=matrix, lines=lines, selected=storyline or "")

    return await _cached_page(request, ("compare",), build, params=("storyline",))


@router.get("/add", response_class=HTMLResponse)
def add_form(request: Request) -> Response:
    return render(request, "add.html", result=None, form={})


@router.post("/add", response_class=HTMLResponse)
async def add(request: Request) -> Response:
    """Uploaded files or a pasted text (``files``, or ``text`` + ``title``/``outlet``) → pipeline → article."""
    from ._api import read_upload  # the API's reader: size cap, multipart and pasted text handled once

    site = _site(request)
    if site.read_only:
        raise ReadOnlyError("this server is read-only — start `lagebild serve` without --read-only to add articles")
    try:
        files = await read_upload(request, site)
    except InputError as exc:
        status = 413 if isinstance(exc, InputTooLargeError) else 400
        return render(request, "add.html", status=status, result={"errors": [str(exc)]}, form={})
    result = await run_in_threadpool(site.add, files)
    ids = list(result.get("added") or []) + list(result.get("updated") or []) + list(result.get("unchanged") or [])
    if len(ids) == 1 and not result.get("errors"):
        return RedirectResponse(f"/articles/{pathq(ids[0])}", status_code=303)
    status = 400 if result.get("errors") and not ids else 200
    return render(request, "add.html", status=status, result=result, form={})
