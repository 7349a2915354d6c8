"""The JSON API under ``/api``: a thin mirror of :class:`~lagebild.web._site.Site`.

Every endpoint returns what the Site method returns; errors come back as
``{"error": "<one line>"}`` with 400 (bad request), 403 (read-only), 404
(unknown id), 413 (upload too large) or 422 (a parameter of the wrong type).
"""

from __future__ import annotations

import json
from typing import Any, Callable

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from ..errors import InputError, TooLargeError
from ._site import Site

__all__ = ["router", "read_upload"]

router = APIRouter(tags=["lagebild"])

_LIMIT = Query(None, description="Items per page (1 … web.max_page_size; default web.page_size).")
_OFFSET = Query(None, description="Items to skip (≥ 0).")
_PAGE = "A page: `{items, total, limit, offset}`."


def _site(request: Request) -> Site:
    return request.app.state.site


async def _json(request: Request, key: tuple[Any, ...], compute: Callable[[], Any]) -> Response:
    """``compute()`` as JSON, encoded once per picture (the Site's LRU; dropped when the store changes).

    Every GET answer depends only on its parameters and the store, so repeated requests skip both the Site work
    and the encoding; a remembered answer is sent from the event loop, anything else is computed in the thread
    pool.  Errors raised by ``compute`` are not remembered.
    """
    site = _site(request)
    full = ("api", *key)
    body = site.peek(full)
    if body is None:
        body = await run_in_threadpool(site.cached, full, lambda: json.dumps(
            compute(), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8"))
    return Response(body, media_type="application/json")


@router.get("/overview", summary="Counts of the whole store", response_model=None)
async def overview(request: Request) -> Response:
    """`{articles, outlets, languages, storylines, stories, events, first, last}`."""
    return await _json(request, ("overview",), lambda: _site(request).overview())


@router.get("/storylines", summary="Storylines, most articles first", description=_PAGE, response_model=None)
async def storylines(request: Request, limit: int | None = _LIMIT, offset: int | None = _OFFSET) -> Response:
    return await _json(request, ("storylines", limit, offset),
                       lambda: _site(request).storylines(limit=limit, offset=offset))


@router.get("/storylines/{id}", summary="One storyline: its stories, timeline and events", response_model=None)
async def storyline(request: Request, id: str) -> Response:
    return await _json(request, ("storyline", id), lambda: _site(request).storyline(id))


@router.get("/stories/{id}", summary="One story: summary, articles, events, variants, entities", response_model=None)
async def story(request: Request, id: str) -> Response:
    return await _json(request, ("story", id), lambda: _site(request).story(id))


@router.get("/events", summary="Events in date order, filtered", description=_PAGE, response_model=None)
async def events(
    request: Request,
    storyline: str | None = Query(None, description="Only events of this storyline id."),
    story: str | None = Query(None, description="Only events told in this story's articles."),
    entity: str | None = Query(None, description="Only events with this entity id as actor or target."),
    limit: int | None = _LIMIT,
    offset: int | None = _OFFSET,
) -> Response:
    site = _site(request)
    return await _json(request, ("events", storyline, story, entity, limit, offset),
                       lambda: site.events(storyline=storyline, story=story, entity=entity, limit=limit, offset=offset))


@router.get("/entities/{id}", summary="One entity: names, roles, mentions over time, neighbours", response_model=None)
async def entity(request: Request, id: str) -> Response:
    return await _json(request, ("entity", id), lambda: _site(request).entity(id))


@router.get("/articles/{id}", summary="One article: clean text with its annotations", response_model=None)
async def article(request: Request, id: str) -> Response:
    """Annotation offsets point into `text` (`text[start:end]`); the text is plain text, never HTML."""
    return await _json(request, ("article", id), lambda: _site(request).article(id))


@router.get("/search", summary="Full-text search with filters and facets", response_model=None)
async def search(
    request: Request,
    q: str = Query("", description='Words (ANDed), `word*` prefixes, `"a phrase"`; empty: newest first.'),
    outlet: str | None = Query(None, description="Only this outlet."),
    language: str | None = Query(None, description="Only this language (ISO 639-1)."),
    entity: str | None = Query(None, description="Only articles mentioning this entity id."),
    date_from: str | None = Query(None, alias="from", description="Dated from (YYYY, YYYY-MM or YYYY-MM-DD)."),
    date_to: str | None = Query(None, alias="to", description="… up to this date (inclusive)."),
    limit: int | None = _LIMIT,
    offset: int | None = _OFFSET,
) -> Response:
    """A page of hits (`snippet` marks hit words as \\u0002word\\u0003) plus `facets` and the `query` echoed."""
    site = _site(request)
    return await _json(request, ("search", q, outlet, language, entity, date_from, date_to, limit, offset),
                       lambda: site.search(q, outlet=outlet, language=language, entity=entity,
                                           date_from=date_from, date_to=date_to, limit=limit, offset=offset))


@router.get("/compare", summary="Source comparison: events × outlets", response_model=None)
async def compare(
    request: Request,
    storyline: str | None = Query(None, description="Only events of this storyline id."),
    limit: int = Query(100, description="Events (rows) at most."),
) -> Response:
    return await _json(request, ("compare", storyline, limit),
                       lambda: _site(request).compare(storyline=storyline, limit=limit))


_TEXT_FIELDS = ("text", "title", "outlet", "url", "date", "language")


def _pasted(items: Any) -> list[tuple[str, bytes]]:
    """JSON ``{"text", "title"?, "outlet"?, "url"?}`` (or a list of them) → ``.json`` files for the pipeline."""
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list) or not items:
        raise InputError("body", "expected a JSON object with a 'text' field, or a list of them",
                         'send e.g. {"text": "…", "title": "…", "outlet": "…"}')
    files = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            raise InputError(f"body[{i - 1}]", "has no non-empty 'text' string", "put the article text in 'text'")
        record = {k: item[k] for k in _TEXT_FIELDS if isinstance(item.get(k), str) and item[k].strip()}
        name = "pasted.json" if len(items) == 1 else f"pasted-{i}.json"  # the provenance shows this name
        files.append((name, json.dumps(record, ensure_ascii=False).encode("utf-8")))
    return files


async def read_upload(request: Request, site: Site) -> list[tuple[str, bytes]]:
    """The texts of an add request: JSON (pasted texts), multipart (``files``, or a ``text`` field) or a
    URL-encoded form (``text`` + ``title``/``outlet``/``url``).

    The body is read at most to the upload limit (plus room for multipart framing): more → TooLargeError.
    """
    limit = site.max_upload_bytes
    room = limit + 64 * 1024
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > room:
        raise TooLargeError("(upload)", f"{declared} bytes is more than the limit of {limit}",
                            "send fewer or smaller files, or raise web.max_upload_bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > room:
            raise TooLargeError("(upload)", f"more than the limit of {limit} bytes",
                                "send fewer or smaller files, or raise web.max_upload_bytes")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            return _pasted(json.loads(bytes(body)))
        except ValueError as exc:
            raise InputError("body", f"is not valid JSON ({exc})", "send a JSON object with a 'text' field") from None
        except RecursionError:
            raise InputError("body", "is JSON nested too deeply", "send a flat JSON object with a 'text' field") from None
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):  # the latter: a pasted text only
        request._body = bytes(body)  # starlette parses the form from the body read above
        form = await request.form(max_files=100, max_fields=100, max_part_size=room)
        files: list[tuple[str, bytes]] = []
        for value in form.getlist("files"):
            if hasattr(value, "read"):
                data = await value.read()
                if data:
                    files.append((value.filename or "upload.txt", data))
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            meta = {k: form.get(k) for k in ("title", "outlet", "url")}
            files += _pasted({"text": text, **{k: v for k, v in meta.items() if isinstance(v, str)}})
        if not files:
            raise InputError("files", "no file and no text in the form",
                             "choose a file (field 'files') or paste a text")
        return files
    raise InputError("body", f"content type {kind or '(none)'!r} is not accepted",
                     "send application/json, multipart/form-data or (a pasted text) "
                     "application/x-www-form-urlencoded")


@router.post(
    "/articles", summary="Add articles (runs the whole pipeline)", status_code=201, response_model=None,
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"oneOf": [
            {"$ref": "#/components/schemas/PastedText"},
            {"type": "array", "items": {"$ref": "#/components/schemas/PastedText"}}]}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
            "text": {"type": "string"}, "title": {"type": "string"}, "outlet": {"type": "string"}}}},
    }}},
)
async def add_articles(request: Request) -> Any:
    """Files (any format `lagebild build` reads) or pasted texts; answers `{added, updated, unchanged, errors}`.

    400 when nothing could be read, 403 when the app is read-only, 413 over `web.max_upload_bytes`.
    """
    site = _site(request)
    site.check_writable()  # before reading the body
    files = await read_upload(request, site)
    result = await run_in_threadpool(site.add, files)
    if not (result["added"] or result["updated"] or result["unchanged"]):
        return JSONResponse({"error": "; ".join(result["errors"]) or "no article could be read", **result},
                            status_code=400)
    return result


PASTED_TEXT_SCHEMA = {
    "type": "object", "required": ["text"],
    "properties": {"text": {"type": "string"}, "title": {"type": "string"}, "outlet": {"type": "string"},
                   "url": {"type": "string"}, "date": {"type": "string"}, "language": {"type": "string"}},
}
