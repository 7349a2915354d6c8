"""docs/schema.md documents every table and column, and its SQL examples run."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from lagebild.model import Article, Provenance, Removed
from lagebild.store import open_store
from lagebild.store._migrate import split_statements

DOC = Path(__file__).resolve().parents[2] / "docs" / "schema.md"


def sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^### `(\w+)`.*$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lb.db"
    text = "Pjöngjang und Schoigu: ein Treffen in München."
    with open_store(path) as store:
        store.write_article(Article(
            id="3f9a0c1d", source=[Provenance("a.html", "html")], title="Treffen", outlet="Blatt", text=text,
            raw_text="Menü\n" + text, removed=[Removed([1], "navigation")],
            entities=[{"start": 0, "end": 9, "text": "Pjöngjang", "type": "LOC"}]))
        run = store.start_run(["a.html"], {})
        store.record_error(run, "b.bin", "b.bin: binary")
        store.finish_run(run, 1, 0, 1)
    return path


def test_every_table_and_column_is_documented(db: Path) -> None:
    documented = sections()
    with sqlite3.connect(db) as c:
        tables = [r[0] for r in c.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'articles_fts_%'")]
        assert sorted(documented) == sorted(tables)
        for table in tables:
            for column in (r[1] for r in c.execute(f"PRAGMA table_info({table})")):
                assert f"`{column}`" in documented[table], f"{table}.{column} is not documented"


def test_the_sql_examples_run(db: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, flags=re.S)
    assert blocks
    script = "\n".join(line for block in blocks for line in block.splitlines() if not line.startswith("."))
    statements = split_statements(script)
    assert len(statements) >= 10
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    results = [conn.execute(s).fetchall() for s in statements]
    conn.close()
    assert all(results[:3]), "the first examples (counts, newest, search) should find the article"
