"""Lean reads for the corpus-level picture: stored articles without what the picture never uses.

:func:`iter_picture_articles` streams every stored article in id order (the order of
``Store.iter_articles``) a chunk at a time, with the raw text, the line bookkeeping,
the provenance and the metadata left in SQLite (``json_remove`` runs there, so
Python never parses them).  The clean text comes along only where the picture can
quote it: articles that have events and name an agency (the events part compares
agency copy by its sentence text).  Each article is meant to be reduced to what the
picture keeps of it and dropped (``lagebild.picture._lean``), so memory holds one
chunk of articles at a time, not the corpus.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterator

from ..errors import StoreError
from ..model import Article
from ._store import doc_without

if TYPE_CHECKING:  # pragma: no cover
    from ._store import Store

__all__ = ["iter_picture_articles", "iter_event_rows", "duplicate_map", "story_rows", "PICTURE_CHUNK"]

#: Articles read from SQLite per query.
PICTURE_CHUNK = 256

# the document without the fields the picture never reads; the clean text separately, only where needed
_SQL = (
    f"SELECT id, {doc_without(('raw_text', 'text', 'kept_lines', 'line_map', 'removed', 'source', 'metadata'))},"
    " CASE WHEN json_array_length(doc, '$.events') > 0 AND json_array_length(doc, '$.agencies') > 0"
    " THEN json_extract(doc, '$.text') END"
    " FROM articles WHERE id > ? ORDER BY id LIMIT ?"
)


def _loads(store: Store, aid: str, doc: str, kind: type = dict) -> Any:
    """``doc`` parsed; a :class:`StoreError` naming the article if it is not JSON of the ``kind`` expected."""
    try:
        got = json.loads(doc)
    except ValueError as exc:
        got, why = None, str(exc)
    else:
        why = f"a JSON {type(got).__name__}, not a {kind.__name__}"
    if not isinstance(got, kind):
        raise StoreError(f"{store.path}: article {aid} is stored damaged ({why}) — rebuild it with `lagebild build`")
    return got


def iter_picture_articles(store: Store, chunk: int = PICTURE_CHUNK) -> Iterator[Article]:
    """Every stored article, ordered by id, as the picture needs it: ``raw_text``, ``kept_lines``,
    ``line_map``, ``removed``, ``source`` and ``metadata`` empty; ``text`` only for articles with
    events and agencies (else empty)."""
    last = ""
    while True:
        rows = store._rows(_SQL, (last, max(1, int(chunk))))
        for aid, doc, text in rows:
            d = _loads(store, aid, doc)
            if text:
                d["text"] = text
            yield Article.from_dict(d)
        if len(rows) < chunk:
            return
        last = rows[-1][0]


_EVENTS_SQL = (
    "SELECT id, json_extract(doc, '$.language'), json_extract(doc, '$.events') FROM articles"
    " WHERE id > ? AND json_array_length(doc, '$.events') > 0 ORDER BY id LIMIT ?"
)


def iter_event_rows(store: Store, chunk: int = PICTURE_CHUNK) -> Iterator[tuple[str, str | None, list[dict[str, Any]]]]:
    """``(id, language, events)`` of every stored article with events, ordered by id (the rest of the
    document stays in SQLite)."""
    last = ""
    while True:
        rows = store._rows(_EVENTS_SQL, (last, max(1, int(chunk))))
        for aid, language, events in rows:
            yield aid, language, _loads(store, aid, events, list)
        if len(rows) < chunk:
            return
        last = rows[-1][0]


def duplicate_map(store: Store) -> dict[str, str]:
    """Article id → the representative it duplicates, as the articles' documents say (id order)."""
    return {aid: dup for aid, dup in store._rows(
        "SELECT id, json_extract(doc, '$.duplicate_of') AS dup FROM articles WHERE dup IS NOT NULL AND dup != ''"
        " ORDER BY id")}


def story_rows(store: Store) -> list[tuple[str, str | None, str | None]]:
    """``(id, published value, duplicate_of)`` of every stored article, ordered by id (tuples: the story
    update holds one per article)."""
    return [(aid, pub, dup) for aid, pub, dup in
            store._rows("SELECT id, published_value, duplicate_of FROM articles ORDER BY id")]
