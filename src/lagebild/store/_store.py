"""The SQLite store: one file, WAL, one transaction per article.

``articles.doc`` holds each article's complete JSON (``Article.to_dict()``) and
is the source of truth; the readable columns, the child tables and the
full-text index are rewritten from it inside the same transaction whenever the
article is written.  See ``docs/schema.md``.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

from ..errors import NotFoundError, StoreError
from ..model import Article
from ._migrate import SCHEMA_VERSION_DB, check_version, is_busy, migrate
from . import _picture
from ._facts import ClaimHit, QuantityHit, query_claims, query_quantities
from ._query import make_snippet, parse_query, search_filters
from ._writer import dumps, now, write_article

__all__ = ["Store", "open_store", "SearchHit", "ClaimHit", "QuantityHit", "SCHEMA_VERSION_DB"]

T = TypeVar("T")

#: Shortest id prefix :meth:`Store.get_article` accepts.
MIN_PREFIX = 4
_CHUNK = 256
#: bm25 weights of articles_fts columns: article_id, title, text, title_folded, text_folded.
_BM25 = "bm25(articles_fts, 0.0, 2.0, 1.0, 2.0, 1.0)"
_FIELD = re.compile(r"[a-z_]+")


def doc_without(fields: Sequence[str]) -> str:
    """The SQL for the stored document without the top-level ``fields`` (``doc`` itself when none):
    ``json_remove`` runs in SQLite, so Python never parses what a reader does not use."""
    for f in fields:
        if not _FIELD.fullmatch(f):
            raise ValueError(f"not a field name of an article: {f!r}")
    return f"json_remove(doc, {', '.join(repr('$.' + f) for f in fields)})" if fields else "doc"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article found by :meth:`Store.search`."""

    id: str
    title: str | None
    outlet: str | None
    language: str | None
    published: str | None  #: ``published_value``
    snippet: str  #: text around the first match, every match in ``[ ]``
    rank: float  #: relevance (negated bm25): higher is better

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _glob_escape(s: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in s)


class Store:
    """A lagebild database: articles, their parts, a full-text index, and runs.

    One ``Store`` per thread or process; any number of readers may work while
    one writer writes (WAL).  A second writer waits up to ``busy_timeout``
    seconds for the lock, then gets a :class:`~lagebild.errors.StoreError`.
    """

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False, busy_timeout: float = 30) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.busy_timeout = float(busy_timeout)
        self._conn: sqlite3.Connection | None = None
        self._conn = self._open()
        self.schema_version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # -- opening and closing ------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        path = self.path
        if path.is_dir():
            raise StoreError(f"{path}: is a folder — give a file path for the database, e.g. {path / 'lagebild.db'}")
        try:
            if self.read_only:
                if not path.is_file():
                    raise StoreError(f"{path}: no database there — check the path, or build one with `lagebild build`")
                conn = sqlite3.connect(
                    path.resolve().as_uri() + "?mode=ro", uri=True,
                    timeout=self.busy_timeout, isolation_level=None,
                )
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(path), timeout=self.busy_timeout, isolation_level=None)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the database ({exc.strerror or exc}) — choose a writable --db path") from exc
        except sqlite3.Error as exc:
            raise self._error(exc, "opening") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            if self.read_only:
                check_version(conn, str(path), read_only=True)
                conn.execute("PRAGMA query_only = ON")
            else:
                check_version(conn, str(path), read_only=False)
                conn.execute("PRAGMA journal_mode = WAL").fetchone()
                conn.execute("PRAGMA synchronous = NORMAL")
                migrate(conn, str(path))
        except sqlite3.Error as exc:
            conn.close()
            raise self._error(exc, "opening") from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        """Close the database (safe to call twice)."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if not self.read_only:
                conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass
        finally:
            conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        state = "closed" if self._conn is None else mode
        return f"Store({str(self.path)!r}, {state})"

    # -- helpers ------------------------------------------------------------
    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"{self.path}: the store is closed — open it again with open_store()")
        return self._conn

    def _error(self, exc: sqlite3.Error, doing: str) -> StoreError:
        msg = str(exc)
        if is_busy(exc):
            return StoreError(
                f"{self.path}: database is busy — another lagebild build is writing to it; wait or use another --db"
            )
        if "not a database" in msg or "encrypted" in msg:
            return StoreError(f"{self.path}: is not a SQLite database — pass another --db path or move this file away")
        if "readonly" in msg or "read-only" in msg:
            return StoreError(
                f"{self.path}: cannot write ({msg}) — the file or its folder is read-only; choose a writable --db path"
            )
        if "full" in msg:
            return StoreError(f"{self.path}: {doing} failed: {msg} — free some disk space and run again")
        return StoreError(
            f"{self.path}: {doing} failed: {msg} — check the file with: sqlite3 {self.path} 'PRAGMA integrity_check'"
        )

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only — open the store without read_only to write to it")

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc, "reading") from exc

    def _article(self, article_id: str, doc: str) -> Article:
        try:
            return Article.from_dict(json.loads(doc))
        except (ValueError, TypeError, KeyError) as exc:
            raise StoreError(
                f"{self.path}: article {article_id} is stored damaged ({exc}) — rebuild it with `lagebild build`"
            ) from exc

    # -- writing ------------------------------------------------------------
    def write_article(self, article: Article) -> str:
        """Store ``article`` in one transaction: ``"inserted"``, ``"updated"`` or ``"unchanged"``.

        An article already stored under the same id is merged: the provenance
        lists are united (keyed by ``source``), every other field is replaced.
        """
        if not article.id:
            raise StoreError("article has no id — run the identify stage before storing it")
        return self.transaction(lambda conn: write_article(conn, article), f"writing article {article.id}")

    def transaction(self, work: Callable[[sqlite3.Connection], T], doing: str) -> T:
        """Run ``work(connection)`` in one write transaction: committed whole or rolled back whole.

        ``doing`` names the work in the error message if SQLite fails.
        """
        self._require_writable()
        conn = self._db
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc, doing) from exc
        try:
            result = work(conn)
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the connection is gone; SQLite rolls back on the next open
            if isinstance(exc, sqlite3.Error):
                raise self._error(exc, doing) from exc
            raise
        return result

    def _execute_write(self, sql: str, params: tuple[Any, ...], doing: str) -> sqlite3.Cursor:
        self._require_writable()
        try:
            return self._db.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                raise NotFoundError(f"no run with id {params[0]} — start one with start_run() first") from exc
            raise self._error(exc, doing) from exc
        except sqlite3.Error as exc:
            raise self._error(exc, doing) from exc

    def start_run(self, inputs: list[str], config: dict[str, Any]) -> int:
        """Record the start of a build; returns the run id."""
        cur = self._execute_write(
            "INSERT INTO runs (started_at, inputs, config) VALUES (?, ?, ?)",
            (now(), dumps([str(i) for i in inputs], "run inputs"),
             json.dumps(config, ensure_ascii=False, default=str, sort_keys=True)),
            "starting a run",
        )
        return int(cur.lastrowid or 0)

    def record_error(self, run_id: int, source: str, message: str) -> None:
        """Record that ``source`` could not be read during run ``run_id``."""
        self._execute_write(
            "INSERT INTO input_errors (run_id, source, error, created_at) VALUES (?, ?, ?, ?)",
            (run_id, str(source), str(message), now()),
            "recording an input error",
        )

    def finish_run(self, run_id: int, new: int, updated: int, failed: int) -> None:
        """Record the end of run ``run_id`` and its counts."""
        cur = self._execute_write(
            "UPDATE runs SET finished_at = ?, articles_new = ?, articles_updated = ?, failed = ? WHERE id = ?",
            (now(), int(new), int(updated), int(failed), run_id),
            "finishing a run",
        )
        if cur.rowcount == 0:
            raise NotFoundError(f"no run with id {run_id} — start one with start_run() first")

    # -- reading ------------------------------------------------------------
    def get_article(self, id_or_prefix: str) -> Article:
        """The article with this id, or with this unique id prefix (≥ 4 characters)."""
        key = (id_or_prefix or "").strip()
        rows = self._rows("SELECT id, doc FROM articles WHERE id = ?", (key,))
        if not rows and len(key) >= MIN_PREFIX:
            rows = self._rows("SELECT id, doc FROM articles WHERE id GLOB ? ORDER BY id LIMIT 2", (_glob_escape(key) + "*",))
            if len(rows) > 1:
                n = self._rows("SELECT count(*) FROM articles WHERE id GLOB ?", (_glob_escape(key) + "*",))[0][0]
                raise NotFoundError(
                    f"id prefix {key!r} is ambiguous: {n} articles start with it — give more characters of the id"
                )
        if not rows:
            short = f" (a prefix needs at least {MIN_PREFIX} characters)" if 0 < len(key) < MIN_PREFIX else ""
            raise NotFoundError(
                f"no article with id {key!r}{short} — list ids with `lagebild search` or `lagebild stats`"
            )
        return self._article(rows[0][0], rows[0][1])

    def iter_articles(self, ids: Iterable[str] | None = None, *, drop: Sequence[str] = ()) -> Iterator[Article]:
        """Stream articles ordered by id: all, or exactly those in ``ids``.

        Reads :data:`_CHUNK` at a time, so memory stays small; a missing id
        raises :class:`~lagebild.errors.NotFoundError` when its chunk is reached.
        ``drop`` names top-level fields a reader never uses (``"raw_text"``,
        ``"claims"`` …): they stay in SQLite (``json_remove`` runs there, so
        Python never parses them) and come back empty.
        """
        column = doc_without(drop)
        if ids is None:
            last = ""
            while True:
                rows = self._rows(
                    f"SELECT id, {column} FROM articles WHERE id > ? ORDER BY id LIMIT ?", (last, _CHUNK)  # noqa: S608
                )
                for aid, doc in rows:
                    yield self._article(aid, doc)
                if len(rows) < _CHUNK:
                    return
                last = rows[-1][0]
        wanted = sorted(set(ids))
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._rows(f"SELECT id, {column} FROM articles WHERE id IN ({marks}) ORDER BY id", chunk)  # noqa: S608
            if len(rows) != len(chunk):
                missing = sorted(set(chunk) - {r[0] for r in rows})
                raise NotFoundError(
                    f"no article with id {missing[0]!r}"
                    + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
                    + " — list ids with `lagebild search` or `lagebild stats`"
                )
            for aid, doc in rows:
                yield self._article(aid, doc)

    def article_ids(self) -> list[str]:
        """Every stored article id, sorted."""
        return [r[0] for r in self._rows("SELECT id FROM articles ORDER BY id")]

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        outlet: str | None = None,
        language: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> list[SearchHit]:
        """Full-text search over title and text; best matches first.

        ``query`` is user text (see :mod:`lagebild.store._query`): words are
        ANDed, ``word*`` is a prefix, ``"a phrase"`` a phrase; nothing in it is
        FTS5 syntax, so no input raises.  Umlauts match with and without
        diacritics and in German transliteration (``ö`` = ``o`` = ``oe``).

        ``date_from``/``date_to`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) keep
        articles that mention a date overlapping that range, or whose
        publication date lies in it; with an empty ``query`` they alone select
        (newest first).
        """
        terms = parse_query(query)
        if limit <= 0 or not (terms or date_from or date_to):
            return []
        try:
            where, params = search_filters(terms, date_from=date_from, date_to=date_to, outlet=outlet,
                                           language=language)
        except ValueError as exc:
            raise StoreError(f"search: {exc}") from None
        params += [int(limit), max(0, int(offset))]
        if terms:
            sql = (
                f"SELECT a.id, a.title, a.outlet, a.language, a.published_value, a.text, {_BM25} AS score"
                " FROM articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid"
                f" WHERE {' AND '.join(where)} ORDER BY score, a.id LIMIT ? OFFSET ?"
            )
        else:
            sql = (
                "SELECT a.id, a.title, a.outlet, a.language, a.published_value, a.text, 0 AS score FROM articles AS a"
                f" WHERE {' AND '.join(where)} ORDER BY a.published_value DESC, a.id LIMIT ? OFFSET ?"
            )
        rows = self._rows(sql, params)
        return [
            SearchHit(
                id=aid, title=title, outlet=out, language=lang, published=pub,
                snippet=make_snippet(title, text, terms), rank=-float(score),
            )
            for aid, title, out, lang, pub, text, score in rows
        ]

    def entities(self, type: str | None = None) -> list[dict[str, Any]]:
        """Every entity with its mention and article counts, most-mentioned first.

        ``type`` (``PER``, ``ORG``, ``GPE``, ``LOC``, ``MISC``) keeps only that type.
        Each item: ``{id, name, type, kb, mentions, articles}``.
        """
        where, params = ("WHERE e.type = ?", [type]) if type else ("", [])
        rows = self._rows(
            "SELECT e.id, e.name, e.type, e.kb, count(m.entity_id), count(DISTINCT m.article_id)"
            f" FROM entities AS e JOIN mentions AS m ON m.entity_id = e.id {where}"
            " GROUP BY e.id ORDER BY count(m.entity_id) DESC, e.id",
            params,
        )
        return [
            {"id": i, "name": n, "type": t, "kb": bool(k), "mentions": int(nm), "articles": int(na)}
            for i, n, t, k, nm, na in rows
        ]

    def claims(
        self,
        entity: str | None = None,
        *,
        role: str = "any",
        speaker: str | None = None,
        source: str | None = None,
        status: str | None = None,
        article: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[ClaimHit]:
        """Claims, filtered; each hit carries its article's id, outlet, title and date and the whole claim.

        ``entity`` (an entity id) keeps the claims it takes part in, as ``role``:
        ``speaker`` (it says it, hit role ``says``), ``source`` (it relays it,
        ``relays``), ``mentioned`` (the claim is about it, ``about``) or ``any``
        (all three; a claim it both says and names counts as ``says``).  Hits
        come in that order, then oldest article first (undated last).  An entity
        id that no article knows raises :class:`~lagebild.errors.NotFoundError`.
        ``speaker``/``source`` (entity ids), ``status`` (``asserted`` …
        ``speculated``) and ``article`` (an article id) narrow further.
        """
        return query_claims(self._rows, str(self.path), entity=entity, role=role, speaker=speaker, source=source,
                            status=status, article=article, limit=limit, offset=offset)

    def quantities(
        self,
        measure: str | None = None,
        *,
        unit: str | None = None,
        article: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[QuantityHit]:
        """Quantities, filtered by ``measure`` key, ``unit`` or ``article`` id.

        Ordered by measure, then oldest article first (undated last).  Each hit
        carries the whole quantity item and, when a claim contains it, that
        claim's index, status, speaker and source.
        """
        return query_quantities(self._rows, measure=measure, unit=unit, article=article, limit=limit, offset=offset)

    # -- the picture cache (schema 6, see store/_picture.py) -----------------
    def fingerprint(self) -> str:
        """A short hash that changes whenever articles or stories change (one cheap query)."""
        return _picture.fingerprint(self._rows)

    def save_picture(self, picture: dict[str, Any] | Iterable[tuple[str, Any]], fingerprint: str) -> None:
        """Cache ``picture`` (picture.json) as computed at ``fingerprint``.

        ``picture`` is the whole object or its ``(section, value)`` pairs one at a time
        (``picture.picture_sections``): each is written to a spool file and dropped before the next
        is asked for, so the whole picture is never held; the write transaction then copies the spool.
        """
        sections = picture.items() if isinstance(picture, dict) else picture
        with _picture.spool_parts(sections) as spool:
            self.transaction(lambda conn: _picture.save_picture(conn, spool, fingerprint), "saving the picture")

    def load_picture(self) -> tuple[str, dict[str, Any]] | None:
        """``(fingerprint, picture)`` as last saved, or None; compare with :meth:`fingerprint` for staleness.

        The parts are read in one read transaction: a save by another process meanwhile is seen
        whole or not at all.
        """
        conn = self._db
        own = not conn.in_transaction
        try:
            if own:
                conn.execute("BEGIN")
            return _picture.load_picture(self._rows, str(self.path))
        except sqlite3.Error as exc:
            raise self._error(exc, "reading") from exc
        finally:
            if own and conn.in_transaction:
                conn.execute("COMMIT")

    def stats(self) -> dict[str, Any]:
        """Counts for ``lagebild stats``: articles, sources, outlets, languages, runs …"""

        def one(sql: str) -> int:
            return int(self._rows(sql)[0][0])

        def counts(sql: str) -> dict[str, int]:
            return {("(unknown)" if k is None else str(k)): int(n) for k, n in self._rows(sql)}

        size = 0
        for suffix in ("", "-wal"):
            try:
                size += os.path.getsize(f"{self.path}{suffix}")
            except OSError:
                pass
        return {
            "path": str(self.path),
            "schema_version": int(self._rows("PRAGMA user_version")[0][0]),
            "articles": one("SELECT count(*) FROM articles"),
            "sources": one("SELECT count(*) FROM sources"),
            "outlets": counts("SELECT outlet, count(*) AS n FROM articles GROUP BY outlet ORDER BY n DESC, outlet"),
            "languages": counts(
                "SELECT language, count(*) AS n FROM articles GROUP BY language ORDER BY n DESC, language"
            ),
            "agencies": counts("SELECT agency, count(*) AS n FROM agencies GROUP BY agency ORDER BY n DESC, agency"),
            "duplicate_groups": one(
                "SELECT count(*) FROM (SELECT duplicate_group FROM articles WHERE duplicate_group IS NOT NULL"
                " GROUP BY duplicate_group HAVING count(*) > 1)"
            ),
            "duplicates": one("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"),
            "removed_lines": counts(
                "SELECT reason, count(*) AS n FROM removed_lines GROUP BY reason ORDER BY n DESC, reason"
            ),
            "annotations": counts("SELECT layer, count(*) AS n FROM annotations GROUP BY layer ORDER BY layer"),
            "quantities": one("SELECT count(*) FROM quantities"),
            "claims": one("SELECT count(*) FROM claims"),
            "claims_by_status": counts(
                "SELECT status, count(*) AS n FROM claims GROUP BY status ORDER BY n DESC, status"
            ),
            "runs": one("SELECT count(*) FROM runs"),
            "errors": one("SELECT count(*) FROM input_errors"),
            "db_bytes": size,
        }


def open_store(path: str | os.PathLike[str], **kw: Any) -> Store:
    """Open (creating and migrating if needed) the store at ``path``; see :class:`Store`."""
    return Store(path, **kw)
