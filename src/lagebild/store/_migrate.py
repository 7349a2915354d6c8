"""Versioned schema migrations kept in ``migrations/NNN_name.sql``.

The database's schema version is SQLite's ``PRAGMA user_version``.  Each
pending migration runs in its own ``BEGIN IMMEDIATE`` transaction together
with the version bump, so a database is always at a whole version.

A migration that adds readable tables filled from ``articles.doc`` also fills
them for the articles already stored, in the same transaction (:data:`BACKFILL`):
004 fills ``quantities``, ``claims`` and their link tables.  005 (stories) starts
empty: :func:`lagebild.picture.update_stories` fills it.
"""

from __future__ import annotations

import re
import sqlite3
from importlib import resources
from typing import Callable

from ..errors import SchemaVersionError, StoreError
from ._claims import backfill as _backfill_claims

__all__ = ["SCHEMA_VERSION_DB", "BACKFILL", "migrations", "split_statements", "migrate", "check_version", "is_busy"]

#: The schema version this code writes (the number of the newest migration).
SCHEMA_VERSION_DB = 7

#: Python steps run after a migration's SQL, in its transaction: fill new tables from stored docs.
BACKFILL: dict[int, Callable[[sqlite3.Connection], object]] = {4: _backfill_claims}

_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """``(version, file name, sql)`` of every packaged migration, in order."""
    folder = resources.files(__package__).joinpath("migrations")
    found: list[tuple[int, str, str]] = []
    for entry in folder.iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(found) + 1)) or (numbers and numbers[-1] != SCHEMA_VERSION_DB):
        raise StoreError(
            f"packaged migrations are numbered {numbers}, expected 1..{SCHEMA_VERSION_DB} — "
            "the lagebild installation is broken; reinstall it"
        )
    return found


def split_statements(sql: str) -> list[str]:
    """Split a script into single statements (``;`` inside strings, comments and triggers is kept)."""
    out: list[str] = []
    start = 0
    for i, ch in enumerate(sql):
        if ch == ";" and sqlite3.complete_statement(sql[start : i + 1]):
            out.append(sql[start : i + 1].strip())
            start = i + 1
    tail = "\n".join(
        line for line in sql[start:].splitlines() if line.strip() and not line.strip().startswith("--")
    )
    if tail.strip():
        raise StoreError(f"migration script ends with an unterminated statement: {tail.strip()[:60]!r}")
    return out


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite saying another connection holds the lock."""
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_version(conn: sqlite3.Connection, path: str, *, read_only: bool) -> int:
    """The database's schema version, after checking this code can use it."""
    version = _version(conn)
    if version > SCHEMA_VERSION_DB:
        raise SchemaVersionError(
            f"{path}: written by a newer lagebild (schema {version}, this one knows "
            f"{SCHEMA_VERSION_DB}) — upgrade lagebild"
        )
    if version == 0:
        n = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if n:
            raise StoreError(
                f"{path}: is a SQLite database but not a lagebild store — "
                "pass another --db path or move this file away"
            )
    if read_only and version < SCHEMA_VERSION_DB:
        if version == 0:
            raise StoreError(f"{path}: holds no lagebild store yet — build one first with `lagebild build`")
        raise StoreError(
            f"{path}: uses schema {version}, older than this lagebild's {SCHEMA_VERSION_DB} — "
            "open it once without read-only to upgrade it"
        )
    return version


def migrate(conn: sqlite3.Connection, path: str) -> int:
    """Apply every pending migration; return the resulting version.

    ``conn`` must be in autocommit mode (``isolation_level=None``).  The version
    is re-read after taking the write lock, so two processes opening a fresh
    database at once do not both apply the same migration.
    """
    version = check_version(conn, path, read_only=False)
    for number, name, sql in migrations():
        if number <= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = check_version(conn, path, read_only=False)
            if number <= version:
                conn.execute("ROLLBACK")
                continue
            for statement in split_statements(sql):
                conn.execute(statement)
            if number in BACKFILL:
                BACKFILL[number](conn)
            conn.execute(f"PRAGMA user_version = {int(number)}")
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error) and not is_busy(exc):
                raise StoreError(
                    f"{path}: migration {name} failed ({exc}) — the database is unchanged; "
                    "report this as a lagebild bug"
                ) from exc
            raise
        version = number
    return version
