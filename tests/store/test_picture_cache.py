"""The picture cache in parts (schema 7): saved and loaded a part at a time, damage reported, version 6 upgraded."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from lagebild.errors import StoreError
from lagebild.store import _picture, open_store
from lagebild.store._migrate import SCHEMA_VERSION_DB, migrations, split_statements


def _picture_doc() -> dict:
    """A picture-shaped object with long, empty and scalar sections (in picture.json's section order)."""
    return {
        "schema_version": "1.0",
        "generated_from": {"articles": 7, "db": "x.db"},
        "articles": [{"id": f"a{i}", "title": f"Bericht Nr. {i} über Pjöngjang"} for i in range(7)],
        "entities": [],
        "events": [{"id": f"ev{i}", "mentions": [{"text": "„Zitat“"}]} for i in range(5)],
        "timeline": {},
        "variants": [{"measure": "count:shell"}],
        "claims_by_entity": {f"per:{i}": {"says": i, "about": 0, "speakers": []} for i in range(5, 0, -1)},
    }


@pytest.fixture()
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(_picture, "PART_ITEMS", 2)  # several parts per section even for this small picture
    monkeypatch.setattr(_picture, "_READ", 3)  # and several reads
    with open_store(tmp_path / "p.db") as s:
        yield s


def test_saved_in_parts_and_loaded_back_equal_in_order(store) -> None:
    doc = _picture_doc()
    store.save_picture(doc, "fp1")
    rows = store._rows("SELECT seq, section FROM picture_parts ORDER BY seq")
    # 7 articles → 4 parts of at most 2, 5 events → 3, 5 claims_by_entity members → 3; empty and scalar → 1
    counts = {sec: sum(1 for _, s in rows if s == sec) for sec in doc}
    assert counts == {"schema_version": 1, "generated_from": 1, "articles": 4, "entities": 1, "events": 3,
                      "variants": 1, "claims_by_entity": 3, "timeline": 1}
    assert [seq for seq, _ in rows] == list(range(len(rows)))
    assert store._rows("SELECT parts FROM picture_cache")[0][0] == len(rows)
    fp, loaded = store.load_picture()
    assert fp == "fp1"
    assert json.dumps(loaded, ensure_ascii=False) == json.dumps(doc, ensure_ascii=False)  # same keys, same order
    # a second save replaces the first whole
    doc["articles"] = doc["articles"][:1]
    store.save_picture(doc, "fp2")
    assert store.load_picture() == ("fp2", doc)
    assert store._rows("SELECT count(*) FROM picture_parts")[0][0] == store._rows("SELECT parts FROM picture_cache")[0][0]


def test_sections_saved_as_computed_load_in_picture_order(store) -> None:
    # `lagebild build` saves the sections in the order they are finished (picture_sections), one at a
    # time from a generator; the loaded picture has picture.json's order all the same
    from lagebild.picture import SECTIONS

    doc = _picture_doc()
    given = list(reversed(doc))
    store.save_picture(((k, doc[k]) for k in given), "fp")
    assert [s for (s,) in store._rows("SELECT DISTINCT section FROM picture_parts ORDER BY seq")] == given
    fp, loaded = store.load_picture()
    assert list(loaded) == [k for k in SECTIONS if k in doc]
    assert json.dumps(loaded, ensure_ascii=False) == json.dumps(doc, ensure_ascii=False)


def test_a_lazy_section_is_saved_a_part_at_a_time(store) -> None:
    # picture_sections gives `articles` and `timeline` as LazySection: items made as they are read
    from lagebild.picture import LazySection

    made: list[int] = []

    def make(i: int) -> dict:
        made.append(i)
        return {"id": f"a{i}", "n": i}

    doc = _picture_doc()
    doc["articles"] = LazySection(list(range(7)), make)
    parts = []
    for section, part in _picture._parts(doc.items()):
        if section == "articles":
            parts.append((len(made), part))
    # each part is made when it is cut, never the whole section ahead of it
    assert parts == [(2, [make(0), make(1)]), (4, [make(2), make(3)]), (6, [make(4), make(5)]), (7, [make(6)])]
    store.save_picture(doc, "fp")
    fp, loaded = store.load_picture()
    assert loaded["articles"] == [{"id": f"a{i}", "n": i} for i in range(7)]
    empty = dict(doc, articles=LazySection([], make))
    store.save_picture(empty, "fp2")
    assert store.load_picture()[1]["articles"] == []


def test_a_section_that_is_no_json_saves_nothing(store) -> None:
    store.save_picture(_picture_doc(), "old")

    def sections():
        yield "articles", [{"id": "a"}]
        yield "events", [{"id": "ev", "score": float("nan")}]

    with pytest.raises(StoreError, match="the picture events: cannot be stored as JSON"):
        store.save_picture(sections(), "new")
    assert store.load_picture() == ("old", _picture_doc())  # the old cache stays whole


def test_no_cache_is_none(store) -> None:
    assert store.load_picture() is None


@pytest.mark.parametrize("damage, why", [
    ("DELETE FROM picture_parts WHERE seq = 3", "part 3 of 15 is missing"),
    ("DELETE FROM picture_parts WHERE seq = 14", "part 14 of 15 is missing"),
    ("UPDATE picture_parts SET json = '{}' WHERE seq = 4", "a second part of a list section is a dict"),
])
def test_a_damaged_cache_says_how_to_rebuild_it(store, damage: str, why: str) -> None:
    store.save_picture(_picture_doc(), "fp")
    store.transaction(lambda conn: conn.execute(damage), "damaging the cache")
    with pytest.raises(StoreError) as err:
        store.load_picture()
    msg = str(err.value)
    assert why in msg and "the cached picture is damaged" in msg and "run `lagebild picture`" in msg
    assert "\n" not in msg


def test_a_version_6_cache_is_dropped_on_upgrade(tmp_path: Path) -> None:
    db = tmp_path / "v6.db"
    with sqlite3.connect(db) as c:
        for number, _name, sql in migrations():
            if number <= 6:
                for statement in split_statements(sql):
                    c.execute(statement)
        c.execute("INSERT INTO picture_cache (id, fingerprint, built_at, json) VALUES (1, 'old', 'then', '{}')")
        c.execute("PRAGMA user_version = 6")
    with open_store(db) as store:
        assert store.schema_version == SCHEMA_VERSION_DB == 7
        assert store.load_picture() is None  # recomputed when needed, never read in the old form
        store.save_picture(_picture_doc(), "new")
        assert store.load_picture()[0] == "new"


def test_a_save_while_loading_is_seen_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The web app loads the cache part by part while a build may save a new one: one read transaction."""
    monkeypatch.setattr(_picture, "PART_ITEMS", 2)
    monkeypatch.setattr(_picture, "_READ", 1)  # one part per query: a save can fall between two of them
    db = tmp_path / "p.db"
    old, new = _picture_doc(), _picture_doc()
    new["articles"] = new["articles"][:1]  # fewer parts than the old one
    with open_store(db) as writer:
        writer.save_picture(old, "old")
    reader = open_store(db, read_only=True)
    real = reader._rows
    saved: list[str] = []

    def rows(sql: str, params=()):
        out = real(sql, params)
        if "FROM picture_parts" in sql and not saved:  # after the first part: another process saves
            with open_store(db) as writer:
                writer.save_picture(new, "new")
            saved.append("new")
        return out

    monkeypatch.setattr(reader, "_rows", rows)
    assert reader.load_picture() == ("old", old)  # the snapshot it started in, whole
    assert saved == ["new"]
    assert reader.load_picture() == ("new", new)  # and the next load sees the new one, whole
    reader.close()
