"""Writing one article: the ``articles`` row, its child rows and its index entry.

Everything here runs inside the caller's transaction (see
:meth:`lagebild.store.Store.write_article`); nothing commits.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from typing import Any

from ..errors import StoreError
from ..model import ANNOTATION_LAYERS, Article
from ._claims import TABLES as _CLAIM_TABLES
from ._claims import write_claims, write_quantities
from ._fold import fold_german
from ._span import value_span

__all__ = [
    "now",
    "dumps",
    "write_article",
    "write_sources",
    "write_agencies",
    "write_removed_lines",
    "write_shared_paragraphs",
    "write_annotations",
    "write_entities",
    "write_fts",
    "CHILD_TABLES",
]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def dumps(value: Any, what: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise StoreError(
            f"{what}: cannot be stored as JSON ({exc}) — a stage put a non-JSON value into it; "
            "fix that stage"
        ) from exc


def _merge_sources(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Union of provenance lists keyed by ``source``; the newer details win, order is kept."""
    out: list[dict[str, Any]] = []
    where: dict[str, int] = {}
    for p in [*old, *new]:
        key = p.get("source")
        if key in where:
            out[where[key]] = p
        else:
            where[key] = len(out)
            out.append(p)
    return out


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (list, tuple, set, dict)):
        return len(value)
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# -- child rows: one function per table, called inside the article's transaction ----


def write_sources(conn: sqlite3.Connection, article_id: str, doc: dict[str, Any]) -> None:
    conn.executemany(
        "INSERT INTO sources (article_id, source, format, url, encoding, record) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (article_id, p.get("source"), p.get("format"), p.get("url"), p.get("encoding"), p.get("record"))
            for p in doc["source"]
        ],
    )


def write_agencies(conn: sqlite3.Connection, article_id: str, doc: dict[str, Any]) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO agencies (article_id, agency) VALUES (?, ?)",
        [(article_id, a) for a in doc["agencies"]],
    )


def write_removed_lines(conn: sqlite3.Connection, article_id: str, doc: dict[str, Any]) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO removed_lines (article_id, line, reason) VALUES (?, ?, ?)",
        [(article_id, line, r["reason"]) for r in doc["removed"] for line in r["lines"]],
    )


def write_shared_paragraphs(conn: sqlite3.Connection, article_id: str, doc: dict[str, Any]) -> None:
    rows = []
    for p in doc["shared_paragraphs"]:
        n_articles = _count(p.get("articles", p.get("n_articles")))
        n_outlets = _count(p.get("outlets", p.get("n_outlets")))
        rows.append((article_id, _int(p.get("start")), _int(p.get("end")), p.get("hash"), n_articles, n_outlets))
    conn.executemany(
        "INSERT INTO shared_paragraphs (article_id, start, end, hash, n_articles, n_outlets)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def write_annotations(conn: sqlite3.Connection, article_id: str, doc: dict[str, Any]) -> None:
    text = doc["text"]
    rows = []
    for layer in ANNOTATION_LAYERS:
        for i, item in enumerate(doc[layer]):
            start, end = _int(item.get("start")), _int(item.get("end"))
            surface = item.get("text")
            if not isinstance(surface, str):
                surface = text[start:end] if start is not None and end is not None else None
            rows.append((article_id, layer, i, start, end, surface, dumps(item, f"article {article_id} {layer}")))
    conn.executemany(
        "INSERT INTO annotations (article_id, layer, position, start, end, text, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def write_entities(conn: sqlite3.Connection, article_id: str, doc: dict[str, Any]) -> None:
    """Rows of ``entities`` (upserted) and ``mentions`` from ``doc["entities"]``.

    Items without an ``id`` or ``mentions`` list (not from the ``entities``
    stage) stay in ``annotations`` only.
    """
    text = doc["text"]
    ents, rows = [], []
    for e in doc["entities"]:
        eid, mentions = e.get("id"), e.get("mentions")
        if not isinstance(eid, str) or not isinstance(mentions, list):
            continue
        ents.append((eid, e.get("name"), e.get("type"), 1 if e.get("kb") else 0))
        for m in mentions:
            start, end = _int(m.get("start")), _int(m.get("end"))
            if start is None or end is None:
                continue
            surface = m.get("text") if isinstance(m.get("text"), str) else text[start:end]
            rows.append((article_id, eid, start, end, surface, m.get("form") or "name"))
    conn.executemany(
        "INSERT INTO entities (id, name, type, kb) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type, kb = excluded.kb",
        ents,
    )
    conn.executemany(
        "INSERT OR IGNORE INTO mentions (article_id, entity_id, start, end, text, form) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def write_times(conn: sqlite3.Connection, article_id: str, doc: dict[str, Any]) -> None:
    """Rows of ``times`` from ``doc["times"]``, each with the calendar span its value covers."""
    rows = []
    for t in doc["times"]:
        start, end = _int(t.get("start")), _int(t.get("end"))
        if start is None or end is None:
            continue
        value = t.get("value") if isinstance(t.get("value"), str) else None
        span = value_span(value) if t.get("type") in (None, "DATE", "TIME") else None
        rows.append((article_id, start, end, str(t.get("text") or doc["text"][start:end]), t.get("type"), value,
                     t.get("mod"), t.get("anchor"), *(span or (None, None))))
    conn.executemany(
        "INSERT OR IGNORE INTO times (article_id, start, end, text, type, value, mod, anchor, first_day, last_day)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def write_fts(conn: sqlite3.Connection, seq: int, article_id: str, doc: dict[str, Any]) -> None:
    title = doc["title"] or ""
    conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (seq,))
    conn.execute(
        "INSERT INTO articles_fts (rowid, article_id, title, text, title_folded, text_folded)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (seq, article_id, title, doc["text"], fold_german(title), fold_german(doc["text"])),
    )


CHILD_TABLES = ("sources", "agencies", "removed_lines", "shared_paragraphs", "annotations", "mentions", "times",
                *_CLAIM_TABLES)


def write_article(conn: sqlite3.Connection, article: Article) -> str:
    """Insert or merge one article; the caller holds the transaction."""
    aid = article.id
    doc = article.to_dict()
    row = conn.execute("SELECT doc, seq FROM articles WHERE id = ?", (aid,)).fetchone()
    old = json.loads(row[0]) if row else {}
    doc["source"] = _merge_sources(old.get("source") or [], doc["source"])
    doc_json = dumps(doc, f"article {aid}")
    doc = json.loads(doc_json)  # exactly what is stored, for the comparison and child rows
    if row and doc == old:
        return "unchanged"
    pub = doc["published"]
    values = (
        doc["title"], doc["outlet"], doc["language"], pub.get("value"), pub.get("earliest"),
        pub.get("latest"), pub.get("source") or "unknown", doc["text"], doc["raw_text"],
        doc["duplicate_group"], doc["duplicate_of"], doc["schema_version"], doc_json,
    )
    stamp = now()
    if row:
        seq = row[1]
        conn.execute(
            "UPDATE articles SET title = ?, outlet = ?, language = ?, published_value = ?,"
            " published_earliest = ?, published_latest = ?, published_source = ?, text = ?,"
            " raw_text = ?, duplicate_group = ?, duplicate_of = ?, schema_version = ?, doc = ?,"
            " updated_at = ? WHERE id = ?",
            (*values, stamp, aid),
        )
        for table in CHILD_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))
    else:
        seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM articles").fetchone()[0]
        conn.execute(
            "INSERT INTO articles (title, outlet, language, published_value, published_earliest,"
            " published_latest, published_source, text, raw_text, duplicate_group, duplicate_of,"
            " schema_version, doc, id, seq, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, aid, seq, stamp, stamp),
        )
    write_sources(conn, aid, doc)
    write_agencies(conn, aid, doc)
    write_removed_lines(conn, aid, doc)
    write_shared_paragraphs(conn, aid, doc)
    write_annotations(conn, aid, doc)
    write_entities(conn, aid, doc)
    write_times(conn, aid, doc)
    write_claims(conn, aid, doc, write_quantities(conn, aid, doc))
    write_fts(conn, seq, aid, doc)
    return "updated" if row else "inserted"
