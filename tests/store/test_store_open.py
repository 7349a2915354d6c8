"""Opening the store: pragmas, schema, migrations, version checks, bad files, read-only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lagebild.errors import SchemaVersionError, StoreError
from lagebild.model import Article, Provenance
from lagebild.store import SCHEMA_VERSION_DB, Store, open_store
from lagebild.store._migrate import migrations, split_statements

TABLE_COLUMNS = {
    "articles": ["id", "seq", "title", "outlet", "language", "published_value", "published_earliest",
                 "published_latest", "published_source", "text", "raw_text", "duplicate_group",
                 "duplicate_of", "schema_version", "created_at", "updated_at", "doc"],
    "sources": ["article_id", "source", "format", "url", "encoding", "record"],
    "agencies": ["article_id", "agency"],
    "removed_lines": ["article_id", "line", "reason"],
    "shared_paragraphs": ["article_id", "start", "end", "hash", "n_articles", "n_outlets"],
    "annotations": ["id", "article_id", "layer", "position", "start", "end", "text", "data"],
    "runs": ["id", "started_at", "finished_at", "inputs", "articles_new", "articles_updated", "failed",
             "config"],
    "input_errors": ["id", "run_id", "source", "error", "created_at"],
    "articles_fts": ["article_id", "title", "text", "title_folded", "text_folded"],
}


def art(aid: str = "abcd0001") -> Article:
    return Article(id=aid, source=[Provenance("x.txt", "text")], text="Ein Text.", raw_text="Ein Text.")


def test_a_new_store_is_created_with_the_pragmas(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "er" / "lb.db"
    with open_store(db, busy_timeout=7) as store:
        assert db.is_file()
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert conn.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
        assert conn.execute("PRAGMA busy_timeout").fetchone() == (7000,)
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION_DB,)
        assert store.schema_version == SCHEMA_VERSION_DB
    with sqlite3.connect(db) as c:
        for table, columns in TABLE_COLUMNS.items():
            assert [r[1] for r in c.execute(f"PRAGMA table_info({table})")] == columns, table
        fts = c.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]
        assert 'tokenize = "unicode61 remove_diacritics 2"' in fts


def test_deleting_an_article_by_hand_cleans_up_after_it(tmp_path: Path) -> None:
    with open_store(tmp_path / "lb.db") as store:
        store.write_article(art())
        store.write_article(art("abcd0002"))
        store._conn.execute("DELETE FROM articles WHERE id = 'abcd0001'")  # by hand, as in the shell
        for table in ("sources", "articles_fts"):
            assert store._conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (1,)
        assert [h.id for h in store.search("Text")] == ["abcd0002"]
        store._conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        assert store.write_article(art("abcd0003")) == "inserted"
        assert [h.id for h in store.search("Text")] == ["abcd0002", "abcd0003"]


def test_reopening_keeps_the_data_and_does_not_migrate_again(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    with open_store(db) as store:
        store.write_article(art())
    for _ in range(2):
        with Store(db) as store:
            assert store.article_ids() == ["abcd0001"]


def test_migrations_are_numbered_without_gaps() -> None:
    found = migrations()
    assert [n for n, _, _ in found] == list(range(1, SCHEMA_VERSION_DB + 1))
    assert found[0][1] == "001_initial.sql"


def test_split_statements_respects_strings_comments_and_triggers() -> None:
    script = """
    -- a comment; with a semicolon
    CREATE TABLE t (a TEXT DEFAULT 'x;y');
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN
        UPDATE t SET a = 'z;' WHERE rowid = new.rowid;
    END;
    INSERT INTO t VALUES ('1'); INSERT INTO t VALUES ('2');
    -- trailing comment
    """
    parts = split_statements(script)
    assert len(parts) == 4
    assert parts[1].startswith("CREATE TRIGGER") and parts[1].endswith("END;")
    conn = sqlite3.connect(":memory:")
    for p in parts:
        conn.execute(p)
    assert conn.execute("SELECT a FROM t ORDER BY a").fetchall() == [("z;",), ("z;",)]
    with pytest.raises(StoreError, match="unterminated"):
        split_statements("CREATE TABLE t (a);\nCREATE TABLE u (b)")


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    with open_store(db) as store:
        store.write_article(art())
    newer = SCHEMA_VERSION_DB + 1
    with sqlite3.connect(db) as c:
        c.execute(f"PRAGMA user_version = {newer}")
    for kw in ({}, {"read_only": True}):
        with pytest.raises(SchemaVersionError) as exc:
            open_store(db, **kw)
        assert str(exc.value) == (
            f"{db}: written by a newer lagebild (schema {newer}, this one knows {SCHEMA_VERSION_DB})"
            " — upgrade lagebild")
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA user_version").fetchone() == (newer,)  # left alone
        assert c.execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    content = b"Dies ist keine Datenbank, sondern eine Notiz.\n" * 200
    db.write_bytes(content)
    for kw in ({}, {"read_only": True}):
        with pytest.raises(StoreError) as exc:
            open_store(db, **kw)
        assert str(exc.value) == (
            f"{db}: is not a SQLite database — pass another --db path or move this file away")
    assert db.read_bytes() == content


def test_another_applications_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as c:
        c.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(StoreError, match="is a SQLite database but not a lagebild store"):
        open_store(db)
    with sqlite3.connect(db) as c:
        assert [r[0] for r in c.execute("SELECT name FROM sqlite_master")] == ["contacts"]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder — give a file path"):
        open_store(tmp_path)


def test_read_only_reads_but_refuses_every_write(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    with open_store(db) as store:
        store.write_article(art())
        run = store.start_run([], {})
    with open_store(db, read_only=True) as ro:
        assert ro.get_article("abcd").id == "abcd0001"
        assert ro.stats()["articles"] == 1
        assert [h.id for h in ro.search("Text")] == ["abcd0001"]
        message = f"{db}: opened read-only — open the store without read_only to write to it"
        for call in (lambda: ro.write_article(art("abcd0002")), lambda: ro.start_run([], {}),
                     lambda: ro.record_error(run, "x", "y"), lambda: ro.finish_run(run, 0, 0, 0)):
            with pytest.raises(StoreError) as exc:
                call()
            assert str(exc.value) == message
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            ro._conn.execute("DELETE FROM articles")  # even SQL behind its back: mode=ro
    with open_store(db) as store:
        assert store.article_ids() == ["abcd0001"]


def test_read_only_needs_an_existing_store(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    with pytest.raises(StoreError, match="no database there"):
        open_store(missing, read_only=True)
    assert not missing.exists()
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    empty.touch()
    with pytest.raises(StoreError, match="holds no lagebild store yet"):
        open_store(empty, read_only=True)


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    store = open_store(tmp_path / "lb.db")
    store.close()
    store.close()  # twice is fine
    with pytest.raises(StoreError, match="the store is closed"):
        store.article_ids()
    assert "closed" in repr(store)
