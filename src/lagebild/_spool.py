"""A private on-disk spool of articles between the passes of a streaming build.

One temporary SQLite file (``lagebild-spool-*.sqlite`` in :mod:`tempfile` space)
maps an integer key to a pickled :class:`~lagebild.model.Article`; a second
table maps this run's article ids to their keys, a third queues the changes
corpus stages decided and not applied yet, a fourth holds the pickled corpus-stage summaries waiting for ``decide``
(``(stage, key) → bytes``), so that they wait on disk, not in memory.  Keys order
the corpus (stored articles get negative keys, this run's articles 0, 1, 2 …),
so iterating by key gives corpus order.  Nothing is synced: the spool lives
only as long as one build and is deleted when it is closed — also when the
build fails.  A build killed outright leaves its spool behind (named by its process
id); the next spool created in the same folder deletes it.  Memory holds nothing
but SQLite's small page cache.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import tempfile
import zlib
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import StoreError
from .model import Article

__all__ = ["Spool", "SPOOL_PREFIX"]

#: File-name prefix of spool files (tests look for leftovers by it).
SPOOL_PREFIX = "lagebild-spool-"
#: Keys fetched per query while iterating.
_PAGE = 64


def _pack(article: Article) -> bytes:
    return zlib.compress(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _unpack(blob: bytes) -> Article:
    return pickle.loads(zlib.decompress(blob))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _remove_orphans(folder: Path) -> None:
    """Delete spools left behind by builds that were killed (their process is gone)."""
    try:
        found = list(folder.glob(SPOOL_PREFIX + "*.sqlite"))
    except OSError:
        return
    for path in found:
        pid = path.name[len(SPOOL_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            try:
                path.unlink()
            except OSError:
                pass


class Spool:
    """Articles by integer key in a temporary file; ``close()`` deletes the file."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        _remove_orphans(Path(folder or tempfile.gettempdir()))
        fd, name = tempfile.mkstemp(prefix=f"{SPOOL_PREFIX}{os.getpid()}-", suffix=".sqlite", dir=folder)
        os.close(fd)
        self.path: Path | None = Path(name)
        try:
            self._conn: sqlite3.Connection | None = sqlite3.connect(name, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode = OFF")
            self._conn.execute("PRAGMA synchronous = OFF")
            self._conn.execute("CREATE TABLE spool (key INTEGER PRIMARY KEY, doc BLOB NOT NULL)")
            self._conn.execute(
                "CREATE TABLE summary (stage INTEGER, key INTEGER, blob BLOB NOT NULL, PRIMARY KEY (stage, key))"
                " WITHOUT ROWID"
            )
            self._conn.execute("CREATE TABLE ids (id TEXT PRIMARY KEY, key INTEGER NOT NULL) WITHOUT ROWID")
            self._conn.execute(
                "CREATE TABLE pending (key INTEGER, seq INTEGER, stage INTEGER NOT NULL, name TEXT NOT NULL,"
                " change BLOB NOT NULL, PRIMARY KEY (key, seq)) WITHOUT ROWID"
            )
        except sqlite3.Error as exc:
            self.close()
            raise StoreError(
                f"{name}: cannot create the build's temporary spool ({exc}) — free disk space in {tempfile.gettempdir()} "
                "or point TMPDIR at a writable folder"
            ) from exc

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("the build's spool is closed — this is a bug in lagebild; please report it")
        return self._conn

    def __len__(self) -> int:
        return int(self._db().execute("SELECT count(*) FROM spool").fetchone()[0])

    def __contains__(self, key: object) -> bool:
        return self._db().execute("SELECT 1 FROM spool WHERE key = ?", (key,)).fetchone() is not None

    def put(self, key: int, article: Article) -> None:
        """Store ``article`` under ``key`` (replacing what was there)."""
        self._db().execute("INSERT OR REPLACE INTO spool (key, doc) VALUES (?, ?)", (key, _pack(article)))

    def get(self, key: int) -> Article:
        """The article under ``key`` (KeyError if none)."""
        row = self._db().execute("SELECT doc FROM spool WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return _unpack(row[0])

    def keys(self) -> list[int]:
        """Every key, ascending."""
        return [r[0] for r in self._db().execute("SELECT key FROM spool ORDER BY key")]

    def items(self, keys: Iterable[int] | None = None) -> Iterator[tuple[int, Article]]:
        """``(key, article)`` in ascending key order: all, or those of ``keys`` (each must be present)."""
        wanted = sorted(self.keys() if keys is None else set(keys))
        db = self._db()
        for i in range(0, len(wanted), _PAGE):
            page = wanted[i : i + _PAGE]
            marks = ",".join("?" * len(page))
            rows = db.execute(f"SELECT key, doc FROM spool WHERE key IN ({marks}) ORDER BY key", page).fetchall()
            if len(rows) != len(page):
                missing = sorted(set(page) - {r[0] for r in rows})
                raise KeyError(missing[0])
            for key, blob in rows:
                yield key, _unpack(blob)

    # -- ids ------------------------------------------------------------------
    def key_of(self, article_id: str) -> int | None:
        """The key given to ``article_id`` with :meth:`set_key` (None if none)."""
        row = self._db().execute("SELECT key FROM ids WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else int(row[0])

    def set_key(self, article_id: str, key: int) -> None:
        """Remember that ``article_id`` has ``key`` (one id, one key)."""
        self._db().execute("INSERT INTO ids (id, key) VALUES (?, ?)", (article_id, key))

    # -- pending changes ---------------------------------------------------------
    def add_pending(self, key: int, seq: int, stage: int, name: str, change: Any) -> None:
        """Queue a change for ``key`` (``seq`` orders the changes of one key)."""
        blob = pickle.dumps(change, protocol=pickle.HIGHEST_PROTOCOL)
        self._db().execute(
            "INSERT INTO pending (key, seq, stage, name, change) VALUES (?, ?, ?, ?, ?)", (key, seq, stage, name, blob)
        )

    def pending_of(self, key: int) -> list[tuple[int, str, Any]]:
        """``(stage, name, change)`` queued for ``key``, in the order they were added."""
        rows = self._db().execute("SELECT stage, name, change FROM pending WHERE key = ? ORDER BY seq", (key,))
        return [(stage, name, pickle.loads(blob)) for stage, name, blob in rows]

    def drop_pending(self, key: int) -> None:
        self._db().execute("DELETE FROM pending WHERE key = ?", (key,))

    def pending_keys(self, stages: Iterable[int]) -> list[int]:
        """Keys with a change queued by one of ``stages``, ascending."""
        wanted = sorted(set(stages))
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        sql = f"SELECT DISTINCT key FROM pending WHERE stage IN ({marks}) ORDER BY key"
        return [r[0] for r in self._db().execute(sql, wanted)]

    # -- summaries --------------------------------------------------------------
    def put_summaries(self, key: int, blobs: Iterable[bytes], first: int = 0) -> None:
        """Store ``key``'s pickled summaries for the stages ``first, first + 1, …`` (replacing those)."""
        self._db().executemany(
            "INSERT OR REPLACE INTO summary (stage, key, blob) VALUES (?, ?, ?)",
            ((first + j, key, b) for j, b in enumerate(blobs)),
        )

    def summaries(self, stage: int, lo: int, hi: int) -> Iterator[tuple[int, bytes]]:
        """``(key, blob)`` of stage ``stage`` for keys ``lo <= key < hi``, ascending, read page by page."""
        db = self._db()
        while lo < hi:
            top = min(hi, lo + 16 * _PAGE)
            yield from db.execute(
                "SELECT key, blob FROM summary WHERE stage = ? AND key >= ? AND key < ? ORDER BY key", (stage, lo, top)
            ).fetchall()
            lo = top

    def summary(self, stage: int, key: int) -> bytes | None:
        """One pickled summary (None if there is none)."""
        row = self._db().execute("SELECT blob FROM summary WHERE stage = ? AND key = ?", (stage, key)).fetchone()
        return None if row is None else row[0]

    def clear_summaries(self) -> None:
        """Forget every summary (a corpus segment is done)."""
        self._db().execute("DELETE FROM summary")

    def close(self) -> None:
        """Close and delete the spool file (safe to call twice)."""
        conn, self._conn = getattr(self, "_conn", None), None
        if conn is not None:
            conn.close()
        path, self.path = self.path, None
        if path is not None:
            for p in (path, Path(str(path) + "-journal")):
                try:
                    p.unlink()
                except FileNotFoundError:
                    pass

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
