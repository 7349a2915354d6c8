"""The FastAPI application: :func:`create_app` and :func:`serve`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import (ConfigError, InputError, InputTooLargeError, LagebildError, NotFoundError, ReadOnlyError,
                      StoreError)
from ._site import Site

__all__ = ["create_app", "serve", "app_from_env", "CSP", "STATIC", "ENV_DB", "ENV_READ_ONLY", "ENV_CONFIG"]

#: The Content-Security-Policy of every HTML response: no inline scripts, nothing from elsewhere.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
STATIC = Path(__file__).with_name("static")

_SWAGGER_JS = "/static/vendor/swagger-ui/swagger-ui-bundle.js"
_SWAGGER_CSS = "/static/vendor/swagger-ui/swagger-ui.css"
_DOCS_INIT = """window.addEventListener("load", function () {
  if (typeof SwaggerUIBundle === "undefined") {
    document.getElementById("swagger-ui").textContent =
      "The Swagger UI files are missing: run `make assets`. The OpenAPI document is at /api/openapi.json.";
    return;
  }
  SwaggerUIBundle({url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
});
"""


class _SecurityHeaders:
    """ASGI middleware: nosniff and no-referrer on every response, the CSP on every HTML response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                names = {k.lower() for k, _ in headers}
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if b"referrer-policy" not in names:
                    headers.append((b"referrer-policy", b"no-referrer"))
                if ctype.startswith(b"text/html") and b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _status(exc: LagebildError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ReadOnlyError):
        return 403
    if isinstance(exc, InputTooLargeError):
        return 413
    if isinstance(exc, (InputError, ConfigError)):
        return 400
    if isinstance(exc, StoreError):
        return 500 if "busy" not in str(exc) else 503
    return 500


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def _error_response(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api"):
        return JSONResponse({"error": _one_line(message)}, status_code=status)
    try:
        from . import _pages

        return _pages.render_error(request, status, _one_line(message))
    except ImportError:
        return PlainTextResponse(_one_line(message), status_code=status)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(LagebildError)
    async def lagebild_error(request: Request, exc: LagebildError) -> Response:
        return _error_response(request, _status(exc), str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
        return _error_response(request, 422, "; ".join(parts) + " — check the parameters in /api/docs")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404:
            message = f"nothing at {request.url.path} — see /api/docs for the API, / for the pages"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return _error_response(request, exc.status_code, message)


def _install_docs(app: FastAPI) -> None:
    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        html = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>lagebild API</title>'
            f'<link rel="stylesheet" href="{_SWAGGER_CSS}"></head><body><div id="swagger-ui"></div>'
            f'<script src="{_SWAGGER_JS}"></script><script src="/api/docs/init.js"></script></body></html>'
        )
        return HTMLResponse(html)

    @app.get("/api/docs/init.js", include_in_schema=False)
    def docs_init() -> Response:
        return Response(_DOCS_INIT, media_type="text/javascript")


def create_app(db: str | Path, *, read_only: bool = False, config: Mapping[str, Any] | None = None) -> FastAPI:
    """The web app and API over the store ``db`` (see docs/web.md); raises NotFoundError when ``db`` is missing."""
    from ._api import PASTED_TEXT_SCHEMA, router as api_router

    site = Site(db, read_only=read_only, config=config)
    app = FastAPI(
        title="lagebild", version=__version__,
        description="The situation picture of a lagebild store: storylines, stories, events, entities, articles.",
        openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
    )
    app.state.site = site
    app.include_router(api_router, prefix="/api")
    try:
        from . import _pages
    except ImportError:
        _pages = None  # type: ignore[assignment]
    if _pages is not None:
        app.include_router(_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    _install_docs(app)
    _install_handlers(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {})["PastedText"] = PASTED_TEXT_SCHEMA
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(_SecurityHeaders)
    return app


#: environment variables through which ``serve --workers N`` hands the app's arguments to each worker process
ENV_DB = "LAGEBILD_WEB_DB"
ENV_READ_ONLY = "LAGEBILD_WEB_READ_ONLY"
ENV_CONFIG = "LAGEBILD_WEB_CONFIG"


def app_from_env() -> FastAPI:
    """The app factory of each uvicorn worker process (``serve(..., workers=N)``; docs/web.md, "Workers").

    Reads the store path from ``LAGEBILD_WEB_DB``, ``LAGEBILD_WEB_READ_ONLY`` ("1" → read-only) and the whole
    configuration as JSON from ``LAGEBILD_WEB_CONFIG`` (default: ``load_config()``); each worker has its own Site.
    """
    import json
    import os
    import threading

    db = os.environ.get(ENV_DB)
    if not db:
        raise ConfigError(f"{ENV_DB} is not set — start the app with `lagebild serve DB --workers N`, "
                          f"or set {ENV_DB} to the store's path")
    raw = os.environ.get(ENV_CONFIG)
    config = json.loads(raw) if raw else None
    app = create_app(db, read_only=os.environ.get(ENV_READ_ONLY) == "1", config=config)
    threading.Thread(target=app.state.site.warm, name="lagebild-warm", daemon=True).start()
    return app


def serve(db: str | Path, *, host: str = "127.0.0.1", port: int = 8000, read_only: bool = False,
          config: Mapping[str, Any] | None = None, workers: int = 1) -> None:
    """Run the app with uvicorn until interrupted (blocking); binds 127.0.0.1 unless ``host`` says otherwise.

    ``workers`` > 1 starts that many processes (uvicorn's supervisor), each with its own :class:`Site`; they get
    ``db``, ``read_only`` and ``config`` through environment variables (see :func:`app_from_env`).
    """
    import json
    import os
    import threading

    import uvicorn

    workers = int(workers)
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, not {workers} — use 1 for one process")
    mode = " (read-only)" if read_only else ""
    many = f" with {workers} worker processes" if workers > 1 else ""
    if workers == 1:
        app = create_app(db, read_only=read_only, config=config)
        threading.Thread(target=app.state.site.warm, name="lagebild-warm", daemon=True).start()
    else:
        Site(db, read_only=read_only, config=config)  # fail here (missing store, schema) rather than in each worker
        os.environ[ENV_DB] = str(Path(db).resolve())
        os.environ[ENV_READ_ONLY] = "1" if read_only else "0"
        os.environ[ENV_CONFIG] = json.dumps(dict(config), ensure_ascii=False, default=str) if config else ""
    print(f"lagebild: serving {db}{mode}{many} on http://{host}:{port}/ — API docs at /api/docs; Ctrl-C stops",
          file=sys.stderr, flush=True)
    if workers == 1:
        uvicorn.run(app, host=host, port=int(port), log_level="warning")
    else:
        uvicorn.run("lagebild.web._app:app_from_env", factory=True, workers=workers, host=host, port=int(port),
                    log_level="warning")
