"""Entities in the store (tables `entities`, `mentions`), `Store.entities` and `lagebild entities`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from lagebild.cli import cli
from lagebild.model import Article, Provenance
from lagebild.store import open_store

STAGES = '["clean","identify","boilerplate","dedup","nlp","entities","entity_merge"]'


def _ent(eid: str, name: str, typ: str, kb: bool, *spans: tuple[int, int, str, str]) -> dict[str, Any]:
    return {"id": eid, "name": name, "type": typ, "kb": kb,
            "mentions": [{"start": s, "end": e, "text": t, "form": f} for s, e, t, f in spans]}


TEXT = "Russland und Malva Okonkwo. Okonkwo lobte die russische Armee."


def _article(aid: str, entities: list[dict[str, Any]]) -> Article:
    return Article(id=aid, source=[Provenance(f"{aid}.txt", "text")], text=TEXT, raw_text=TEXT, language="de",
                   entities=entities)


def test_tables_are_filled_and_rewritten_with_the_article(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    ru = _ent("gpe:ru", "Russia", "GPE", True, (0, 8, "Russland", "name"), (46, 55, "russische", "adjective"))
    okonkwo = _ent("local:malva-okonkwo", "Malva Okonkwo", "PER", False,
                   (13, 26, "Malva Okonkwo", "name"), (28, 35, "Okonkwo", "short"))
    with open_store(db) as store:
        assert store.write_article(_article("a1", [ru, okonkwo])) == "inserted"
        assert store.write_article(_article("b2", [ru])) == "inserted"
        assert store.entities() == [
            {"id": "gpe:ru", "name": "Russia", "type": "GPE", "kb": True, "mentions": 4, "articles": 2},
            {"id": "local:malva-okonkwo", "name": "Malva Okonkwo", "type": "PER", "kb": False, "mentions": 2, "articles": 1},
        ]
        assert [e["id"] for e in store.entities(type="PER")] == ["local:malva-okonkwo"]
        assert store.entities(type="ORG") == []
        # rewriting an article replaces its mention rows
        assert store.write_article(_article("a1", [okonkwo])) == "updated"
        assert [(e["id"], e["mentions"]) for e in store.entities()] == [("gpe:ru", 2), ("local:malva-okonkwo", 2)]
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT article_id, entity_id, start, end, text, form FROM mentions ORDER BY article_id, start").fetchall()
        assert rows == [
            ("a1", "local:malva-okonkwo", 13, 26, "Malva Okonkwo", "name"),
            ("a1", "local:malva-okonkwo", 28, 35, "Okonkwo", "short"),
            ("b2", "gpe:ru", 0, 8, "Russland", "name"),
            ("b2", "gpe:ru", 46, 55, "russische", "adjective"),
        ]
        assert c.execute("SELECT id, name, type, kb FROM entities ORDER BY id").fetchall() == [
            ("gpe:ru", "Russia", "GPE", 1), ("local:malva-okonkwo", "Malva Okonkwo", "PER", 0)]
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("DELETE FROM articles WHERE id = 'b2'")
        assert c.execute("SELECT count(*) FROM mentions WHERE article_id = 'b2'").fetchone() == (0,)


def test_items_without_the_entities_contract_stay_in_annotations_only(tmp_path: Path) -> None:
    with open_store(tmp_path / "e.db") as store:
        store.write_article(_article("c3", [{"start": 0, "end": 8, "text": "Russland", "type": "LOC"}]))
        assert store.entities() == []
        assert store.stats()["annotations"] == {"entities": 1}


def test_cli_build_then_entities(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(
        "Treffen in Moskau\n\nDie Ukraine und Russland verhandeln. Die ukrainische Delegation reiste "
        "nach Moskau, berichtete die Agentur Nordwind Press. Moskau bestätigte das Treffen.\n",
        encoding="utf-8",
    )
    db = tmp_path / "x.db"
    runner = CliRunner()
    r = runner.invoke(cli, ["build", str(src), "--db", str(db), "--executor", "inline", "-q",
                            "--set", f"pipeline.stages={STAGES}"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["entities", "--db", str(db), "--json"], catch_exceptions=False)
    assert r.exit_code == 0
    rows = [json.loads(line) for line in r.output.splitlines()]
    by_name = {e["name"]: e for e in rows}
    assert by_name["Ukraine"]["mentions"] == 2 and by_name["Ukraine"]["kb"] is True
    assert by_name["Russia"]["mentions"] == 2  # "Russland" and the acting "Moskau"
    assert by_name["Moscow"]["mentions"] == 2  # the title and "nach Moskau"
    assert by_name["Nordwind Press"]["type"] == "ORG" and by_name["Nordwind Press"]["kb"] is False
    r = runner.invoke(cli, ["entities", "--db", str(db), "--type", "ORG"], catch_exceptions=False)
    assert r.exit_code == 0
    assert "Nordwind Press [local:nordwind-press]  (not in KB)" in r.output
    assert "Ukraine" not in r.output


def test_a_version_1_database_is_upgraded(tmp_path: Path) -> None:
    from lagebild.store._migrate import SCHEMA_VERSION_DB, migrations, split_statements

    db = tmp_path / "old.db"
    (number, _name, sql), *_ = migrations()
    assert number == 1
    with sqlite3.connect(db) as c:
        for statement in split_statements(sql):
            c.execute(statement)
        c.execute("PRAGMA user_version = 1")
    with open_store(db) as store:
        assert store.schema_version == SCHEMA_VERSION_DB  # all later migrations applied
        assert store.write_article(_article("d4", [_ent("gpe:ru", "Russia", "GPE", True, (0, 8, "Russland", "name"))])) == "inserted"
        assert store.entities()[0]["mentions"] == 1
