"""The web app and HTTP API: ``lagebild serve`` (see docs/web.md).

* :func:`create_app` — the FastAPI app over one store (pages, ``/api``, ``/static``);
* :func:`serve` — run it with uvicorn on 127.0.0.1 (blocking);
* :class:`Site` — the one data layer the pages and the API both call.
"""

from __future__ import annotations

from ._app import create_app, serve
from ._site import Site

__all__ = ["create_app", "serve", "Site"]
