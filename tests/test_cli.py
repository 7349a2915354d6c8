"""The `lagebild` command end to end: real files, a real SQLite file, exact output."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lagebild.cli import cli

from support import EXAMPLES, REPO

#: distinct articles in examples/: 3 txt (one of them in two files), 2 html, 3 jsonl, 1 json, 2 warc
EXAMPLE_ARTICLES = 11
EXAMPLE_FILES = 12  # article files (the exact duplicate counted twice)


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture()
def bad_inputs(tmp_path: Path) -> Path:
    d = tmp_path / "bad"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "broken.json").write_text('{"title": "x", "text": ', encoding="utf-8")
    (d / "doc.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj")
    (d / "good.txt").write_text(
        "Neue Brücke eröffnet\n\nDie Stadt hat am Montag eine neue Brücke über den Fluss eröffnet. "
        "Sie verbindet zwei Stadtteile, die bisher nur über einen Umweg erreichbar waren.\n",
        encoding="utf-8",
    )
    (d / "mixed.jsonl").write_text(
        '{"title": "A", "text": "Erster guter Datensatz mit genug Text für einen Artikel."}\n'
        "{bad\n"
        '{"title": "B", "text": "Zweiter guter Datensatz mit genug Text für einen Artikel."}\n',
        encoding="utf-8",
    )
    return d


def test_bad_inputs_one_line_each_batch_goes_on(tmp_path, bad_inputs):
    db = tmp_path / "t.db"
    names = ["empty.txt", "image.txt", "broken.json", "doc.pdf", "good.txt", "mixed.jsonl", "missing.txt"]
    args = [str(bad_inputs / n) for n in names]
    result = CliRunner().invoke(cli, ["build", *args, "--db", str(db), "--executor", "inline"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines()]
    b = str(bad_inputs)
    assert errors == [
        f"Error: {b}/missing.txt: no such file or folder — check the path and the current folder",
        f"Error: {b}/empty.txt: empty (0 bytes) — nothing to read; check that the file was saved completely",
        f"Error: {b}/image.txt: a PNG image, not an article — lagebild reads plain text, HTML, JSON, JSON Lines "
        "and WARC (.warc, .warc.gz) — convert it to one of these first",
        f"Error: {b}/broken.json: not valid JSON (Expecting value at line 1, column 24) — fix the JSON there "
        "(or pass the text as a .txt file)",
        f"Error: {b}/doc.pdf: a PDF document, not an article — extract its text first (e.g. with pdftotext); "
        "lagebild reads plain text, HTML, JSON, JSON Lines and WARC (.warc, .warc.gz) — convert it to one of these first",
        f"Error: {b}/mixed.jsonl:2: not valid JSON (Expecting property name enclosed in double quotes at column 2) "
        "— fix or remove that line; the other lines are read",
    ]
    assert result.stdout == f"{db}: 3 new, 0 updated, 0 unchanged articles from 6 inputs; 6 problems\n"
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from articles").fetchone() == (3,)
    assert con.execute("select count(*) from input_errors").fetchone() == (6,)
    assert con.execute("pragma integrity_check").fetchone() == ("ok",)
    titles = {t for (t,) in con.execute("select title from articles")}
    assert titles == {"Neue Brücke eröffnet", "A", "B"}


def test_folder_without_articles(tmp_path):
    (tmp_path / "notes.csv").write_text("a;b\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path}: ")
    assert "no article" in result.stderr.splitlines()[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory, request) -> Path:
    from support import shared_dir

    shared = shared_dir()
    db = tmp_path_factory.mktemp("db") / "lagebild.db"
    inputs = [str(EXAMPLES)] + ([str(shared / "seeds")] if shared else [])
    result = run("build", *inputs, "--db", str(db))
    n = EXAMPLE_ARTICLES + (5 if shared else 0)
    files = EXAMPLE_FILES + (5 if shared else 0)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{db}: {n} new, 0 updated, 0 unchanged articles from {files - 3} inputs; 0 problems\n"
    return db


def test_build_examples_and_idempotent_rebuild(built):
    con = sqlite3.connect(built)
    before = {t: con.execute(f"select count(*) from {t}").fetchone()[0]
              for t in ("articles", "sources", "removed_lines", "shared_paragraphs", "agencies")}
    docs = dict(con.execute("select id, doc from articles"))
    con.close()
    inputs = [str(EXAMPLES)]
    from support import shared_dir

    if shared_dir():
        inputs.append(str(shared_dir() / "seeds"))
    result = run("build", *inputs, "--db", str(built))
    assert result.exit_code == 0
    assert f"0 new, 0 updated, {before['articles']} unchanged" in result.stdout
    con = sqlite3.connect(built)
    after = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in before}
    assert after == before
    assert dict(con.execute("select id, doc from articles")) == docs


def test_same_article_from_two_files_is_one_article_with_two_provenances(built):
    con = sqlite3.connect(built)
    rows = con.execute(
        "select article_id, group_concat(source, '|') from sources where source like '%putin-besucht-pjoengjang.txt'"
        " group by article_id"
    ).fetchall()
    assert len(rows) == 1
    assert sorted(Path(s).parent.name for s in rows[0][1].split("|")) == ["archive", "inbox"]


def test_agency_copy_marked_as_shared_paragraphs(built):
    con = sqlite3.connect(built)
    rows = con.execute(
        "select a.outlet, count(*) from shared_paragraphs s join articles a on a.id = s.article_id group by a.outlet"
    ).fetchall()
    outlets = dict(rows)
    # the Donaublick page and the Aare-Bote record carry the same two dpa paragraphs
    assert outlets.get("Donaublick") == 2 and outlets.get("Aare-Bote") == 2


@pytest.mark.parametrize("query", ["Pjöngjang", "pjongjang", "PJOENGJANG", "pjöngjang*"])
def test_search_folds_diacritics(built, query):
    result = run("search", query, "--db", str(built), "--json", "--limit", "100")
    ids = {json.loads(line)["id"] for line in result.stdout.splitlines()}
    reference = {json.loads(line)["id"] for line in run("search", "Pjöngjang", "--db", str(built), "--json",
                                                          "--limit", "100").stdout.splitlines()}
    assert ids == reference and len(ids) >= 4  # four German example articles name the city


def test_search_seeds_without_diacritics(built, shared):
    con = sqlite3.connect(built)
    seed_ids = {i for (i,) in con.execute("select article_id from sources where source like '%/seeds/%'")}
    assert len(seed_ids) == 5
    hits = {json.loads(line)["id"] for line in run("search", "pjongjang", "--db", str(built), "--json",
                                                     "--limit", "100").stdout.splitlines()}
    assert seed_ids <= hits  # every seed names the North Korean capital


def test_show_and_removed(built, shared):
    con = sqlite3.connect(built)
    (aid,) = con.execute("select article_id from sources where source like '%/seeds/002_%'").fetchone()
    out = run("show", aid[:6], "--db", str(built)).stdout
    assert out.splitlines()[2] == f"id:         {aid}"
    assert "agencies:   AFP" in out
    removed = run("show", aid, "--db", str(built), "--removed").stdout.splitlines()
    assert [line.split()[0:2] for line in removed[:3]] == [["1", "section-label"], ["5", "audio"], ["6", "audio"]]
    doc = json.loads(run("show", aid, "--db", str(built), "--json").stdout)
    assert doc["id"] == aid and doc["kept_lines"][0] == 3


def test_show_unknown_id_and_missing_db(built, tmp_path):
    r = CliRunner().invoke(cli, ["show", "zzzzzz", "--db", str(built)])
    assert r.exit_code == 1
    assert r.stderr == "Error: no article with id 'zzzzzz' — list ids with `lagebild search` or `lagebild stats`\n"
    missing = tmp_path / "none.db"
    r = CliRunner().invoke(cli, ["stats", "--db", str(missing)])
    assert r.exit_code == 1
    assert r.stderr == f"Error: {missing}: no database there — check the path, or build one with `lagebild build`\n"


def test_stats_json(built):
    figures = json.loads(run("stats", "--db", str(built), "--json").stdout)
    assert figures["articles"] >= EXAMPLE_ARTICLES
    assert figures["sources"] == figures["articles"] + 1  # the one article read from two files
    assert figures["languages"]["en"] == 3


def test_bad_config_is_one_line(tmp_path):
    r = CliRunner().invoke(cli, ["extract", str(EXAMPLES), "--set", "stages.dedup.treshold=0.5"])
    assert r.exit_code == 1
    assert r.stderr == (
        "Error: --set stages.dedup.treshold=0.5: unknown setting 'stages.dedup.treshold' — "
        "see docs/config.md for the settings lagebild knows\n"
    )


def test_extract_validates_against_schema_and_strips_scripts():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO / "schema" / "article.schema.json").read_text(encoding="utf-8"))
    r = run("extract", str(EXAMPLES), "--executor", "inline")
    assert r.exit_code == 0
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(docs) == EXAMPLE_ARTICLES
    validator = jsonschema.Draft202012Validator(schema)
    for doc in docs:
        validator.validate(doc)
        assert "<script" not in doc["text"] and "function(" not in doc["text"]
        for start, end, line in doc["line_map"]:
            assert doc["text"][start:end] == doc["raw_text"].split("\n")[line - 1].strip()


def test_stdin_through_a_real_process(tmp_path):
    text = "Ein Text von der Standardeingabe\n\nEr ist lang genug, um ein Artikel zu sein, und hat einen Titel.\n"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    p = subprocess.run([sys.executable, "-m", "lagebild.cli", "extract", "-"], input=text.encode(),
                       capture_output=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr.decode()
    (doc,) = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert doc["source"][0]["source"] == "-" and doc["title"] == "Ein Text von der Standardeingabe"


def test_stages_lists_contracts():
    out = run("stages").stdout
    assert "clean (article): needs " in out and "dedup (corpus): needs id, outlet, text" in out


def test_search_by_date_needs_a_query_or_a_range(built):
    r = CliRunner().invoke(cli, ["search", "--db", str(built)])
    assert r.exit_code == 2 and "Error: give a QUERY, or --from/--to to search by date" in r.output
    r = CliRunner().invoke(cli, ["search", "--from", "2024-13", "--db", str(built)])
    assert r.exit_code == 1
    assert r.stderr == "Error: search: '2024-13' is not a date — write YYYY, YYYY-MM or YYYY-MM-DD\n"
    # the examples' treaty articles carry June 2024 publication dates in their metadata
    hits = run("search", "Beistandspakt", "--from", "2024-06", "--to", "2024-06", "--db", str(built), "--json").stdout
    assert len(hits.splitlines()) >= 2
    # they mention earlier years too (2000, 1961), but nothing before 1950
    assert run("search", "Beistandspakt", "--to", "1950", "--db", str(built), "--json").stdout == ""


def test_extract_with_a_user_kb_file(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(
        "Neue Leiterin im Rathaus\n\nDie Stadt Bergfeld hat eine neue Leiterin ihres Bauamts. Ilka Vormbrock "
        "übernimmt das Amt am Montag. Vormbrock war zuvor in der Nachbarstadt tätig.\n",
        encoding="utf-8",
    )
    kb = tmp_path / "my.toml"
    kb.write_text(
        '[[entity]]\nid = "per:ilka_vormbrock"\ntype = "PER"\nname = "Ilka Vormbrock"\n'
        'names = { de = ["Ilka Vormbrock"] }\nshort = ["Vormbrock"]\n',
        encoding="utf-8",
    )
    r = run("extract", str(article), "--executor", "inline", "--kb", str(kb))
    assert r.exit_code == 0, r.output
    (doc,) = [json.loads(line) for line in r.stdout.splitlines()]
    ent = next(e for e in doc["entities"] if e["id"] == "per:ilka_vormbrock")
    assert ent["kb"] is True and [m["text"] for m in ent["mentions"]] == ["Ilka Vormbrock", "Vormbrock"]
    missing = CliRunner().invoke(cli, ["extract", str(article), "--kb", str(tmp_path / "none.toml")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
