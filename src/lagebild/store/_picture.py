"""The picture cache (schema 6): the computed picture.json kept in the store.

Computing the picture reads every article, so ``api.build`` and
``api.write_picture`` save it together with the store's :func:`fingerprint`;
the web app loads it and recomputes only when the fingerprint moved on.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any, Callable

from ..errors import StoreError
from ._writer import dumps, now

__all__ = ["fingerprint", "save_picture", "load_picture"]

Rows = Callable[..., list[tuple[Any, ...]]]

#: One cheap statement (every part is an index lookup or a small count).
_FINGERPRINT_SQL = (
    "SELECT (SELECT count(*) FROM articles), (SELECT max(seq) FROM articles),"
    " (SELECT max(updated_at) FROM articles), (SELECT count(*) FROM stories),"
    " (SELECT count(*) FROM storylines), (SELECT max(seq) FROM story_log)"
)


def fingerprint(rows: Rows) -> str:
    """A short hash of what the picture depends on: articles (count, newest seq and write) and stories.

    Any article write and any ``update_stories`` change moves it on; reading does not.
    """
    from ..picture import PICTURE_SCHEMA_VERSION

    parts = rows(_FINGERPRINT_SQL)[0]
    key = json.dumps([PICTURE_SCHEMA_VERSION, *parts], default=str)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def save_picture(conn: sqlite3.Connection, picture: dict[str, Any], fp: str) -> None:
    """Replace the cached picture (inside the caller's transaction)."""
    conn.execute(
        "INSERT OR REPLACE INTO picture_cache (id, fingerprint, built_at, json) VALUES (1, ?, ?, ?)",
        (str(fp), now(), dumps(picture, "picture")),
    )


def load_picture(rows: Rows, path: str) -> tuple[str, dict[str, Any]] | None:
    """``(fingerprint, picture)`` of the cached picture, or None when none was saved."""
    found = rows("SELECT fingerprint, json FROM picture_cache WHERE id = 1")
    if not found:
        return None
    fp, text = found[0]
    try:
        picture = json.loads(text)
    except ValueError as exc:  # pragma: no cover - json_valid() guards the column
        raise StoreError(
            f"{path}: the cached picture is damaged ({exc}) — run `lagebild picture` to rebuild it"
        ) from exc
    return str(fp), picture
