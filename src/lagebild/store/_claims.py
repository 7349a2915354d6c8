"""Rows of ``quantities``, ``claims``, ``claim_entities`` and ``claim_quantities``.

Written from an article's ``doc.quantities`` and ``doc.claims`` inside the
caller's transaction (see :func:`lagebild.store._writer.write_article`), and by
:func:`backfill` when a version-3 database is upgraded to version 4.

The readable tables take what follows the contract (``schema/article.schema.json``,
1.2) and tolerate anything else: an item without integer ``start``/``end``
stays in ``annotations`` only; a field of the wrong type is stored as NULL; a
claim's quantity index that points at no stored quantity is dropped.
"""

from __future__ import annotations

import json
import math
import sqlite3
from typing import Any

__all__ = ["write_quantities", "write_claims", "backfill", "TABLES"]

#: The tables this module fills, in the order they are written.
TABLES = ("quantities", "claims", "claim_entities", "claim_quantities")


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _actor(value: Any) -> tuple[str | None, str | None]:
    """``(id, text)`` of a claim's speaker or source (a plain string is taken as its text)."""
    if isinstance(value, dict):
        return _str(value.get("id")), _str(value.get("text"))
    return None, _str(value)


def _surface(item: dict[str, Any], text: str, start: int, end: int) -> str:
    surface = item.get("text")
    return surface if isinstance(surface, str) else text[start:end]


def write_quantities(conn: sqlite3.Connection, article_id: str, doc: dict[str, Any]) -> set[int]:
    """Rows of ``quantities`` from ``doc["quantities"]``; returns the indices written."""
    rows = []
    for n, q in enumerate(doc.get("quantities") or []):
        if not isinstance(q, dict):
            continue
        start, end = _int(q.get("start")), _int(q.get("end"))
        if start is None or end is None:
            continue
        rows.append((
            article_id, n, start, end, _surface(q, doc["text"], start, end),
            _num(q.get("value")), _num(q.get("low")), _num(q.get("high")), _str(q.get("mod")),
            _str(q.get("unit")), _str(q.get("object")), _str(q.get("object_lemma")), _str(q.get("measure")),
        ))
    conn.executemany(
        "INSERT INTO quantities (article_id, n, start, end, text, value, low, high, mod, unit, object,"
        " object_lemma, measure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return {r[1] for r in rows}


def write_claims(conn: sqlite3.Connection, article_id: str, doc: dict[str, Any], quantities: set[int]) -> None:
    """Rows of ``claims`` and its link tables from ``doc["claims"]``.

    ``quantities`` are the indices :func:`write_quantities` stored; links to
    any other index are dropped.
    """
    claims, entities, links = [], [], []
    for n, c in enumerate(doc.get("claims") or []):
        if not isinstance(c, dict):
            continue
        start, end = _int(c.get("start")), _int(c.get("end"))
        if start is None or end is None:
            continue
        cue = c.get("cue")
        claims.append((
            article_id, n, start, end, _surface(c, doc["text"], start, end), _str(c.get("status")),
            _str(c.get("form")), *_actor(c.get("speaker")), *_actor(c.get("source")),
            _str(cue.get("text")) if isinstance(cue, dict) else _str(cue),
        ))
        ids = c.get("entities") if isinstance(c.get("entities"), list) else []
        entities += [(article_id, n, e) for e in dict.fromkeys(e for e in ids if isinstance(e, str) and e)]
        idx = c.get("quantities") if isinstance(c.get("quantities"), list) else []
        links += [(article_id, n, q) for q in dict.fromkeys(_int(q) for q in idx) if q in quantities]
    conn.executemany(
        "INSERT INTO claims (article_id, n, start, end, text, status, form, speaker_id, speaker_text,"
        " source_id, source_text, cue_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        claims,
    )
    conn.executemany("INSERT INTO claim_entities (article_id, claim, entity_id) VALUES (?, ?, ?)", entities)
    conn.executemany("INSERT INTO claim_quantities (article_id, claim, quantity) VALUES (?, ?, ?)", links)


def backfill(conn: sqlite3.Connection) -> int:
    """Fill the tables for articles stored before they existed; returns how many articles.

    Runs inside the migration's transaction.  Only articles whose
    ``annotations`` hold quantities or claims are read; their ``doc`` (the
    source of truth) is written through the same functions as a new article.
    """
    ids = [r[0] for r in conn.execute(
        "SELECT DISTINCT article_id FROM annotations WHERE layer IN ('quantities', 'claims') ORDER BY article_id")]
    for aid in ids:
        (raw,) = conn.execute("SELECT doc FROM articles WHERE id = ?", (aid,)).fetchone()
        doc = json.loads(raw)
        if not isinstance(doc.get("text"), str):
            continue
        write_claims(conn, aid, doc, write_quantities(conn, aid, doc))
    return len(ids)
