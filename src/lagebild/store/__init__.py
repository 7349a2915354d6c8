"""The SQLite store of lagebild: articles, their parts, full-text search, runs.

>>> with open_store("lagebild.db") as store:          # doctest: +SKIP
...     store.write_article(article)                   # "inserted" | "updated" | "unchanged"
...     hits = store.search("Köln")

The schema is documented in ``docs/schema.md``.
"""

from __future__ import annotations

from ._migrate import SCHEMA_VERSION_DB
from ._store import ClaimHit, QuantityHit, SearchHit, Store, open_store

__all__ = ["Store", "open_store", "SearchHit", "ClaimHit", "QuantityHit", "SCHEMA_VERSION_DB"]
