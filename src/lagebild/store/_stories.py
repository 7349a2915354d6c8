"""Reading and writing the story tables of schema version 5 (see ``docs/schema.md``).

:mod:`lagebild.picture._stories` computes stories; this module only moves
their state in and out of SQLite: article vectors, stories (with centroid and
entity counts), storylines, memberships and the log.  Writes run in one
``BEGIN IMMEDIATE`` transaction, so a store never holds half an update.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from ..errors import StoreError

if TYPE_CHECKING:
    from ._store import Store

__all__ = [
    "read_vectors",
    "write_vectors",
    "read_story_state",
    "read_story_membership",
    "write_story_state",
    "read_article_rows",
    "read_log",
    "entity_names",
    "to_blob",
    "from_blob",
]

_CHUNK = 500


def to_blob(vector: np.ndarray) -> bytes:
    """A vector as float32 little-endian bytes."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    """The float32 vector stored by :func:`to_blob` (a writable copy)."""
    return np.frombuffer(blob, dtype="<f4").astype(np.float32)


def _rows(store: Store, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    return store._rows(sql, params)  # noqa: SLF001 — the store package's own helper


def read_vectors(store: Store, ids: Sequence[str], model: str) -> dict[str, tuple[str, np.ndarray]]:
    """``{article id: (key, vector)}`` for the ids that have a vector of ``model``."""
    out: dict[str, tuple[str, np.ndarray]] = {}
    wanted = list(dict.fromkeys(ids))
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for aid, key, blob in _rows(
            store, f"SELECT article_id, key, vector FROM article_vectors WHERE model = ? AND article_id IN ({marks})",
            [model, *chunk],
        ):
            out[aid] = (key, from_blob(blob))
    return out


def _transaction(store: Store, doing: str, work: Any) -> None:
    store.transaction(work, doing)


def write_vectors(store: Store, rows: Sequence[tuple[str, str, str, np.ndarray]]) -> None:
    """Store ``(article id, model, key, vector)`` rows (replacing older ones)."""
    if not rows:
        return

    def work(conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT OR REPLACE INTO article_vectors (article_id, model, key, vector) VALUES (?, ?, ?, ?)",
            [(aid, model, key, to_blob(vec)) for aid, model, key, vec in rows],
        )

    _transaction(store, "writing article vectors", work)


def read_article_rows(store: Store) -> list[dict[str, Any]]:
    """Light rows of every stored article: ``{id, published, duplicate_of, language, title}``."""
    return [
        {"id": aid, "published": pub, "duplicate_of": dup, "language": lang, "title": title}
        for aid, pub, dup, lang, title in _rows(
            store, "SELECT id, published_value, duplicate_of, language, title FROM articles ORDER BY id"
        )
    ]


def read_story_membership(store: Store) -> list[tuple[str, str, str | None]]:
    """``(article id, story id, storyline id)`` of every article in a story, ordered by article id: what
    the picture needs of the stories to place events, without their texts and counts."""
    return _rows(
        store,
        "SELECT sa.article_id, sa.story_id, s.storyline_id FROM story_articles sa"
        " JOIN stories s ON s.id = sa.story_id ORDER BY sa.article_id",
    )  # type: ignore[return-value]


def read_story_state(store: Store, *, centroids: bool = True) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """``(stories, storylines)`` by id, as stored.

    A story: ``{id, storyline, headline, summary, language, first, last, size,
    centroid (np.ndarray), entities ({id: n}), events ({type: n}), members ({article id: score})}``;
    a storyline: ``{id, label, created}``.  ``centroids=False``: the centroids are not read (``None``;
    the picture never uses them, and at 100,000 articles they are ~130 MB).
    """
    stories: dict[str, dict[str, Any]] = {}
    centroid = "centroid" if centroids else "NULL"
    for sid, line, head, summ, lang, first, last, size, blob, ents, evs in _rows(
        store,
        "SELECT id, storyline_id, headline, summary, language, first, last, size, " + centroid + ", entities, events"
        " FROM stories ORDER BY id",
    ):
        try:
            entities = {str(k): int(v) for k, v in json.loads(ents or "{}").items()}
            events = {str(k): int(v) for k, v in json.loads(evs or "{}").items()}
        except (ValueError, AttributeError) as exc:
            raise StoreError(
                f"{store.path}: story {sid} has damaged entity counts ({exc}) — delete the story tables' rows"
                " (DELETE FROM stories) and run update_stories again"
            ) from exc
        stories[sid] = {
            "id": sid, "storyline": line, "headline": head, "summary": summ, "language": lang,
            "first": first, "last": last, "size": int(size), "centroid": from_blob(blob) if centroids else None,
            "entities": entities, "events": events, "members": {},
        }
    for sid, aid, score in _rows(store, "SELECT story_id, article_id, score FROM story_articles ORDER BY article_id"):
        if sid in stories:
            stories[sid]["members"][aid] = score
    lines = {
        lid: {"id": lid, "label": label, "created": int(created)}
        for lid, label, created in _rows(store, "SELECT id, label, created FROM storylines")
    }
    return stories, lines


def write_story_state(
    store: Store,
    stories: Mapping[str, Mapping[str, Any]],
    storylines: Mapping[str, Mapping[str, Any]],
    dirty_stories: Iterable[str],
    dirty_lines: Iterable[str],
    removed_lines: Iterable[str],
    log: Sequence[Mapping[str, Any] | tuple[Any, ...]],
    centroids: Callable[[str], np.ndarray],
) -> None:
    """Write the changed stories (with their members) and storylines and append ``log``, in one transaction.

    ``centroids``: a story's centroid by id (the story index holds them, not the stories).

    A log entry is a mapping ``{at, action, story_id, other_id, article_id, detail}`` or the row itself:
    ``(at, action, story_id, other_id, article_id, detail as JSON)``."""
    dirty_s = sorted(set(dirty_stories))
    dirty_l = sorted(set(dirty_lines))
    gone = sorted(set(removed_lines))

    def work(conn: sqlite3.Connection) -> None:
        for lid in dirty_l:
            line = storylines[lid]
            conn.execute(
                "INSERT INTO storylines (id, label, created) VALUES (?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET label = excluded.label",
                (lid, line.get("label"), int(line.get("created", 0))),
            )
        for sid in dirty_s:
            s = stories[sid]
            conn.execute(
                "INSERT INTO stories (id, storyline_id, headline, summary, language, first, last, size, centroid,"
                " entities, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                " storyline_id = excluded.storyline_id, headline = excluded.headline, summary = excluded.summary,"
                " language = excluded.language, first = excluded.first, last = excluded.last, size = excluded.size,"
                " centroid = excluded.centroid, entities = excluded.entities, events = excluded.events",
                (sid, s.get("storyline"), s.get("headline"), s.get("summary"), s.get("language"), s.get("first"),
                 s.get("last"), int(s["size"]), to_blob(centroids(sid)),
                 json.dumps(s.get("entities", {}), sort_keys=True), json.dumps(s.get("events", {}), sort_keys=True)),
            )
            conn.execute("DELETE FROM story_articles WHERE story_id = ?", (sid,))
            conn.executemany(
                "INSERT OR REPLACE INTO story_articles (story_id, article_id, score) VALUES (?, ?, ?)",
                [(sid, aid, score) for aid, score in sorted(s["members"].items())],
            )
        for lid in gone:
            conn.execute("DELETE FROM storylines WHERE id = ?", (lid,))
        conn.executemany(
            "INSERT INTO story_log (at, action, story_id, other_id, article_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (_log_row(e) for e in log),
        )

    _transaction(store, "writing stories", work)


def _log_row(e: Mapping[str, Any] | tuple[Any, ...]) -> tuple[Any, ...]:
    if isinstance(e, tuple):
        return e
    return (e["at"], e["action"], e.get("story_id"), e.get("other_id"), e.get("article_id"),
            json.dumps(e.get("detail") or {}, ensure_ascii=False, sort_keys=True))


def entity_names(store: Store, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """``{entity id: (name, type)}`` for the ids known to the ``entities`` table."""
    out: dict[str, tuple[str, str]] = {}
    wanted = list(dict.fromkeys(ids))
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for eid, name, etype in _rows(store, f"SELECT id, name, type FROM entities WHERE id IN ({marks})", chunk):
            out[eid] = (name, etype)
    return out


def read_log(store: Store) -> list[dict[str, Any]]:
    """The story log, oldest first."""
    return [
        {"at": at, "action": act, "story_id": sid, "other_id": oid, "article_id": aid,
         "detail": json.loads(detail or "{}")}
        for at, act, sid, oid, aid, detail in _rows(
            store, "SELECT at, action, story_id, other_id, article_id, detail FROM story_log ORDER BY seq"
        )
    ]

