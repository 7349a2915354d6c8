"""Writing and reading articles: round trip, merge, idempotence, rollback, runs, stats."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import lagebild.store as store_pkg
from lagebild.errors import NotFoundError, StoreError
from lagebild.model import SCHEMA_VERSION, Article, Provenance, Published, Removed
from lagebild.store import _writer, open_store

CHILD_TABLES = ("sources", "agencies", "removed_lines", "shared_paragraphs", "annotations")

RAW = (
    "Startseite > Politik\n"
    "Neue Brücke über die Isar eröffnet\n"
    "Foto: Archiv\n"
    "Der Oberbürgermeister von München hat am Montag die neue Brücke eröffnet.\n"
    "Sie kostete 12,5 Millionen Euro, sagte er (dpa).\n"
    "Mehr zum Thema\n"
)
TEXT = (
    "Neue Brücke über die Isar eröffnet\n"
    "Der Oberbürgermeister von München hat am Montag die neue Brücke eröffnet.\n"
    "Sie kostete 12,5 Millionen Euro, sagte er (dpa)."
)


def full_article(article_id: str = "3f9a0c1d2e4b5a6c") -> Article:
    """An article with every field set, as the finished pipeline would leave it."""
    i_muc = TEXT.index("München")
    i_mon = TEXT.index("am Montag")
    i_eur = TEXT.index("12,5 Millionen Euro")
    lines = TEXT.split("\n")
    line_map, pos = [], 0
    for raw_line, line in zip((2, 4, 5), lines):
        line_map.append([pos, pos + len(line), raw_line])
        pos += len(line) + 1
    return Article(
        id=article_id,
        source=[
            Provenance("inbox/brücke.html", "html", "https://example.org/a/1", "utf-8", None),
            Provenance("dump.warc.gz#3", "warc", "https://example.org/a/1", "windows-1252", "<urn:uuid:1>"),
        ],
        outlet="Beispielzeitung",
        agencies=["dpa", "AFP"],
        title="Neue Brücke über die Isar eröffnet",
        language="de",
        published=Published(
            value="2024-03-04",
            earliest="2024-03-04T00:00:00+01:00",
            latest="2024-03-04T23:59:59+01:00",
            source="inferred",
            evidence=[{"start": i_mon, "end": i_mon + 9, "text": "am Montag", "reason": "weekday"}],
        ),
        raw_text=RAW,
        text=TEXT,
        kept_lines=[2, 4, 5],
        removed=[Removed([1], "breadcrumb"), Removed([3], "photo-credit"), Removed([6], "teaser-list")],
        line_map=line_map,
        duplicate_group="3f9a0c1d2e4b5a6c",
        duplicate_of=None,
        shared_paragraphs=[
            {"start": 35, "end": 108, "hash": "ab12", "articles": ["x1", "x2", "x3"], "outlets": ["A", "B"]}
        ],
        metadata={"byline": "Anna Beispiel", "tags": ["Verkehr", "München"], "nested": {"n": 1, "f": 0.5}},
        entities=[{"start": i_muc, "end": i_muc + 7, "text": "München", "type": "LOC", "score": 0.93}],
        times=[{"start": i_mon, "end": i_mon + 9, "value": "2024-03-04"}],
        quantities=[{"start": i_eur, "end": i_eur + 19, "value": 12_500_000, "unit": "EUR"}],
        claims=[{"speaker": "Oberbürgermeister", "span": [0, 10]}],  # no offsets: start/end NULL
        events=[],
    )


def small_article(article_id: str, source: str = "a.txt", **kw) -> Article:
    text = kw.pop("text", f"Meldung {article_id} über den Haushalt.")
    return Article(id=article_id, source=[Provenance(source, "text")], text=text, raw_text=text, **kw)


def counts(db: Path, article_id: str) -> dict[str, int]:
    with sqlite3.connect(db) as c:
        out = {t: c.execute(f"SELECT count(*) FROM {t} WHERE article_id = ?", (article_id,)).fetchone()[0]
               for t in CHILD_TABLES}
        out["articles"] = c.execute("SELECT count(*) FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
        out["articles_fts"] = c.execute(
            "SELECT count(*) FROM articles_fts WHERE article_id = ?", (article_id,)
        ).fetchone()[0]
    return out


def integrity(db: Path) -> str:
    """SQLite's integrity check, after checking the full-text index matches its content."""
    with sqlite3.connect(db) as c:
        c.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")  # raises if not
        return c.execute("PRAGMA integrity_check").fetchone()[0]


def test_round_trip_of_a_full_article(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    art = full_article()
    with open_store(db) as store:
        assert store.write_article(art) == "inserted"
    with open_store(db, read_only=True) as store:
        back = store.get_article(art.id)
    assert back.to_dict() == art.to_dict()
    assert back == art

    with sqlite3.connect(db) as c:
        row = c.execute(
            "SELECT title, outlet, language, published_value, published_earliest, published_latest,"
            " published_source, text, raw_text, duplicate_group, duplicate_of, schema_version FROM articles"
        ).fetchone()
        assert row == (art.title, "Beispielzeitung", "de", "2024-03-04", "2024-03-04T00:00:00+01:00",
                       "2024-03-04T23:59:59+01:00", "inferred", TEXT, RAW, art.id, None, SCHEMA_VERSION)
        assert c.execute("SELECT source, format, url, encoding, record FROM sources ORDER BY source").fetchall() == [
            ("dump.warc.gz#3", "warc", "https://example.org/a/1", "windows-1252", "<urn:uuid:1>"),
            ("inbox/brücke.html", "html", "https://example.org/a/1", "utf-8", None),
        ]
        assert c.execute("SELECT agency FROM agencies ORDER BY agency").fetchall() == [("AFP",), ("dpa",)]
        assert c.execute("SELECT line, reason FROM removed_lines ORDER BY line").fetchall() == [
            (1, "breadcrumb"), (3, "photo-credit"), (6, "teaser-list")
        ]
        assert c.execute("SELECT start, end, hash, n_articles, n_outlets FROM shared_paragraphs").fetchall() == [
            (35, 108, "ab12", 3, 2)
        ]
        ann = c.execute("SELECT layer, position, start, end, text FROM annotations ORDER BY layer").fetchall()
        i_muc, i_mon, i_eur = TEXT.index("München"), TEXT.index("am Montag"), TEXT.index("12,5 Millionen Euro")
        assert ann == [
            ("claims", 0, None, None, None),
            ("entities", 0, i_muc, i_muc + 7, "München"),
            ("quantities", 0, i_eur, i_eur + 19, "12,5 Millionen Euro"),  # text taken from the offsets
            ("times", 0, i_mon, i_mon + 9, "am Montag"),
        ]
        data = c.execute("SELECT json_extract(data, '$.score') FROM annotations WHERE layer = 'entities'").fetchone()
        assert data == (0.93,)
        doc = c.execute("SELECT json_extract(doc, '$.metadata.nested.f') FROM articles").fetchone()
        assert doc == (0.5,)
    assert integrity(db) == "ok"


def test_rewriting_the_same_article_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    art = full_article()
    with open_store(db) as store:
        assert store.write_article(art) == "inserted"
        before = counts(db, art.id)
        with sqlite3.connect(db) as c:
            stamp = c.execute("SELECT created_at, updated_at FROM articles").fetchone()
        for _ in range(3):
            assert store.write_article(art) == "unchanged"
            assert store.write_article(Article.from_dict(art.to_dict())) == "unchanged"
    assert counts(db, art.id) == before
    assert before == {"sources": 2, "agencies": 2, "removed_lines": 3, "shared_paragraphs": 1,
                      "annotations": 4, "articles": 1, "articles_fts": 1}
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT created_at, updated_at FROM articles").fetchone() == stamp


def test_update_replaces_fields_and_child_rows(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    art = full_article()
    newer = art.replace(title="Isarbrücke freigegeben", agencies=["Reuters"], entities=[],
                        text=TEXT.replace("Oberbürgermeister", "Stadtrat"),
                        removed=[Removed([1, 3], "breadcrumb")], duplicate_of="0000aaaa")
    with open_store(db) as store:
        store.write_article(art)
        with sqlite3.connect(db) as c:
            created = c.execute("SELECT created_at FROM articles").fetchone()[0]
        assert store.write_article(newer) == "updated"
        got = store.get_article(art.id)
        assert got.to_dict() == newer.to_dict()
        assert [h.id for h in store.search("Isarbrücke")] == [art.id]
        assert [h.id for h in store.search("Stadtrat")] == [art.id]
        assert store.search("Oberbürgermeister") == []  # the index forgot the old text
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT created_at FROM articles").fetchone()[0] == created
        assert c.execute("SELECT updated_at >= created_at, title, duplicate_of FROM articles").fetchone() == (
            1, "Isarbrücke freigegeben", "0000aaaa")
        assert c.execute("SELECT agency FROM agencies").fetchall() == [("Reuters",)]
        assert c.execute("SELECT line, reason FROM removed_lines ORDER BY line").fetchall() == [
            (1, "breadcrumb"), (3, "breadcrumb")]
        assert c.execute("SELECT count(*) FROM annotations WHERE layer = 'entities'").fetchone() == (0,)
        assert c.execute("SELECT count(*) FROM articles_fts").fetchone() == (1,)
        assert c.execute("SELECT title FROM articles_fts").fetchone() == ("Isarbrücke freigegeben",)


def test_same_article_from_two_files_has_two_provenances(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    one = small_article("feed0001", "inbox/a.html")
    two = small_article("feed0001", "mirror/a.txt")
    with open_store(db) as store:
        assert store.write_article(one) == "inserted"
        assert store.write_article(two) == "updated"
        assert [p.source for p in store.get_article("feed0001").source] == ["inbox/a.html", "mirror/a.txt"]
        assert store.write_article(one) == "unchanged"  # already known: nothing new
        assert store.write_article(two) == "unchanged"
        # the same source read again with other details: details replaced, still two
        again = one.replace(source=[Provenance("inbox/a.html", "html", encoding="iso-8859-1")])
        assert store.write_article(again) == "updated"
        src = store.get_article("feed0001").source
        assert [(p.source, p.format, p.encoding) for p in src] == [
            ("inbox/a.html", "html", "iso-8859-1"), ("mirror/a.txt", "text", None)]
        assert store.stats()["sources"] == 2
        assert store.stats()["articles"] == 1


def _boom(*args, **kwargs):
    raise RuntimeError("boom while writing annotations")


def test_a_failing_write_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "lb.db"
    art = full_article()
    with open_store(db) as store:
        monkeypatch.setattr(_writer, "write_annotations", _boom)
        with pytest.raises(RuntimeError, match="boom"):
            store.write_article(art)
        assert counts(db, art.id) == dict.fromkeys([*CHILD_TABLES, "articles", "articles_fts"], 0)
        assert integrity(db) == "ok"
        with pytest.raises(NotFoundError):
            store.get_article(art.id)
        monkeypatch.undo()
        assert store.write_article(art) == "inserted"  # the store is still usable
        # a failing *update* keeps the previous version whole
        monkeypatch.setattr(_writer, "write_annotations", _boom)
        with pytest.raises(RuntimeError):
            store.write_article(art.replace(title="Anders", agencies=[]))
        assert store.get_article(art.id).to_dict() == art.to_dict()
        assert counts(db, art.id)["agencies"] == 2
        assert integrity(db) == "ok"


def test_a_crash_midway_never_leaves_half_an_article(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    src = Path(store_pkg.__file__).resolve().parents[2]
    script = textwrap.dedent(
        f"""
        import os
        from lagebild.model import Article, Provenance
        from lagebild.store import _writer, open_store
        s = open_store({str(db)!r})
        s.write_article(Article(id="aaaa0001", source=[Provenance("a", "text")], text="eins", agencies=["dpa"]))
        def die(*a, **k):
            os._exit(3)
        _writer.write_annotations = die
        s.write_article(Article(id="bbbb0002", source=[Provenance("b", "text")], text="zwei", agencies=["dpa"]))
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert integrity(db) == "ok"
    with open_store(db) as store:
        assert store.article_ids() == ["aaaa0001"]
    assert counts(db, "bbbb0002") == dict.fromkeys([*CHILD_TABLES, "articles", "articles_fts"], 0)
    assert counts(db, "aaaa0001")["agencies"] == 1


def test_write_refuses_articles_without_id_or_with_non_json_values(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    with open_store(db) as store:
        with pytest.raises(StoreError, match="no id — run the identify stage"):
            store.write_article(Article(text="x"))
        bad = small_article("cafe0001", metadata={"when": object()})
        with pytest.raises(StoreError, match="cannot be stored as JSON"):
            store.write_article(bad)
        nan = small_article("cafe0002", quantities=[{"start": 0, "end": 1, "value": float("nan")}])
        with pytest.raises(StoreError, match="cannot be stored as JSON"):
            store.write_article(nan)
        assert store.article_ids() == []


def test_lookup_by_unique_prefix_and_the_error_messages(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    with open_store(db) as store:
        for aid in ("a1b2c3d4e5f60718", "a1b2ffee00112233", "c0ffee0000000001"):
            store.write_article(small_article(aid))
        assert store.get_article("a1b2c3d4e5f60718").id == "a1b2c3d4e5f60718"
        assert store.get_article("a1b2c").id == "a1b2c3d4e5f60718"
        assert store.get_article("c0ff").id == "c0ffee0000000001"
        assert store.get_article("  c0ffee  ").id == "c0ffee0000000001"
        with pytest.raises(NotFoundError) as exc:
            store.get_article("a1b2")
        assert str(exc.value) == (
            "id prefix 'a1b2' is ambiguous: 2 articles start with it — give more characters of the id")
        with pytest.raises(NotFoundError) as exc:
            store.get_article("deadbeef")
        assert str(exc.value) == (
            "no article with id 'deadbeef' — list ids with `lagebild search` or `lagebild stats`")
        with pytest.raises(NotFoundError, match="at least 4 characters"):
            store.get_article("c0f")
        for pattern in ("a1b*", "a1b?", "a1b[2]", "", "%"):
            with pytest.raises(NotFoundError):
                store.get_article(pattern)


def test_iter_articles_streams_in_id_order(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    ids = [f"{(i * 7919) % 1000:04d}{i:08x}" for i in range(600)]  # more than one read chunk
    with open_store(db) as store:
        for aid in ids:
            store.write_article(small_article(aid))
        assert store.article_ids() == sorted(ids)
        streamed = store.iter_articles()
        assert next(streamed).id == min(ids)
        assert [a.id for a in store.iter_articles()] == sorted(ids)
        pick = [ids[5], ids[400], ids[3]]
        got = list(store.iter_articles(pick))
        assert [a.id for a in got] == sorted(pick)
        assert got[0].text == f"Meldung {got[0].id} über den Haushalt."
        with pytest.raises(NotFoundError, match="'zzzz0000'"):
            list(store.iter_articles([ids[0], "zzzz0000"]))
        assert list(store.iter_articles([])) == []


def test_iter_articles_leaves_dropped_fields_in_sqlite(tmp_path: Path) -> None:
    """``drop``: the named fields come back empty (as in an article without them), the rest as stored,
    over both read paths (all articles; given ids) and more than one read chunk."""
    full = full_article()
    ids = [f"{i:016x}" for i in range(300)]
    with open_store(tmp_path / "lb.db") as store:
        store.write_article(full)
        for aid in ids:
            store.write_article(small_article(aid))
        drop = ("raw_text", "claims", "quantities", "times", "source")
        (lean,) = store.iter_articles([full.id], drop=drop)
        whole = store.get_article(full.id)
        assert whole.raw_text and whole.claims and whole.quantities and whole.times and whole.source
        assert (lean.raw_text, lean.claims, lean.quantities, lean.times, lean.source) == ("", [], [], [], [])
        kept = {k: v for k, v in whole.to_dict().items() if k not in drop}
        assert {k: v for k, v in lean.to_dict().items() if k not in drop} == kept
        streamed = list(store.iter_articles(drop=drop))
        assert [a.id for a in streamed] == sorted([full.id, *ids]) and not any(a.raw_text for a in streamed)
        assert [a.text for a in streamed] == [a.text for a in store.iter_articles()]
        with pytest.raises(ValueError, match="not a field name"):
            list(store.iter_articles(drop=("raw_text', '$.x",)))


def test_runs_and_input_errors(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    with open_store(db) as store:
        run = store.start_run(["inbox/", "extra.html"], {"executor": {"kind": "inline"}, "path": tmp_path})
        assert run == 1
        store.record_error(run, "inbox/bad.bin", "inbox/bad.bin: binary data — give a text file")
        store.record_error(run, "-", "-: empty input — pipe some text in")
        store.finish_run(run, 5, 2, 2)
        assert store.start_run([], {}) == 2
        with pytest.raises(NotFoundError, match="no run with id 99"):
            store.finish_run(99, 0, 0, 0)
        with pytest.raises(NotFoundError, match="no run with id 99"):
            store.record_error(99, "x", "y")
    with sqlite3.connect(db) as c:
        row = c.execute("SELECT inputs, articles_new, articles_updated, failed, finished_at IS NOT NULL,"
                        " json_extract(config, '$.executor.kind'), json_extract(config, '$.path')"
                        " FROM runs WHERE id = 1").fetchone()
        assert row == ('["inbox/","extra.html"]', 5, 2, 2, 1, "inline", str(tmp_path))
        assert c.execute("SELECT finished_at FROM runs WHERE id = 2").fetchone() == (None,)
        assert c.execute("SELECT run_id, source FROM input_errors ORDER BY id").fetchall() == [
            (1, "inbox/bad.bin"), (1, "-")]


def test_stats_numbers(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    arts = [
        small_article("0001aaaa", "a.txt", outlet="Welt", language="de", agencies=["dpa"],
                      duplicate_group="0001aaaa", removed=[Removed([1, 2], "breadcrumb")]),
        small_article("0002bbbb", "b.txt", outlet="Welt", language="de", agencies=["dpa", "AFP"],
                      duplicate_group="0001aaaa", duplicate_of="0001aaaa",
                      removed=[Removed([1], "breadcrumb"), Removed([7], "photo-credit")]),
        small_article("0003cccc", "c.txt", outlet="Le Monde", language="fr", duplicate_group="0003cccc"),
        small_article("0004dddd", "d.txt"),
    ]
    with open_store(db) as store:
        for a in arts:
            store.write_article(a)
        store.write_article(small_article("0004dddd", "e.txt"))  # a second provenance
        run = store.start_run(["x"], {})
        store.record_error(run, "x/bad", "x/bad: broken")
        store.finish_run(run, 4, 1, 1)
        figures = store.stats()
    assert figures["db_bytes"] > 0
    del figures["db_bytes"]
    assert figures == {
        "path": str(db),
        "schema_version": store_pkg.SCHEMA_VERSION_DB,
        "articles": 4,
        "sources": 5,
        "outlets": {"Welt": 2, "(unknown)": 1, "Le Monde": 1},
        "languages": {"de": 2, "(unknown)": 1, "fr": 1},
        "agencies": {"dpa": 2, "AFP": 1},
        "duplicate_groups": 1,
        "duplicates": 1,
        "removed_lines": {"breadcrumb": 3, "photo-credit": 1},
        "annotations": {},
        "quantities": 0,
        "claims": 0,
        "claims_by_status": {},
        "runs": 1,
        "errors": 1,
    }
    json.dumps(figures)  # the CLI prints it as JSON


@pytest.mark.parametrize("doc, why", [('"a text"', "a JSON str, not a dict"), ("[1, 2]", "a JSON list, not a dict")])
def test_the_picture_s_lean_read_names_an_article_stored_damaged(tmp_path: Path, doc: str, why: str) -> None:
    # the store's CHECK keeps text that is no JSON out; JSON that is no article document gets one clear line
    from lagebild.store._lean import iter_picture_articles

    with open_store(tmp_path / "d.db") as store:
        store.write_article(full_article())
    with sqlite3.connect(tmp_path / "d.db") as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE articles SET doc = ? WHERE id = ?", (doc, "3f9a0c1d2e4b5a6c"))
    with open_store(tmp_path / "d.db") as store:
        with pytest.raises(StoreError, match=f"article 3f9a0c1d2e4b5a6c is stored damaged \\({why}"):
            list(iter_picture_articles(store))
