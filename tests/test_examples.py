"""The bundled examples folder: formats, encodings, duplicates, WARC layout.

These tests check the example *files* themselves; end-to-end pipeline tests on
them live elsewhere.
"""

from __future__ import annotations

import collections
import gzip
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import lxml.html
import py3langid
import pytest
from warcio.archiveiterator import ArchiveIterator

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

#: Endings of article files (longest first, so ``.warc.gz`` wins over ``.gz``).
ARTICLE_ENDINGS = (".warc.gz", ".jsonl", ".json", ".html", ".txt")

CP1252_FILE = EXAMPLES / "bundestagswahl-2025.txt"
CRLF_FILE = EXAMPLES / "carolabruecke-dresden.txt"
DUPLICATES = (
    EXAMPLES / "inbox" / "putin-besucht-pjoengjang.txt",
    EXAMPLES / "archive" / "putin-besucht-pjoengjang.txt",
)
WARC_FILE = EXAMPLES / "harborledger-crawl.warc.gz"
JSONL_FILE = EXAMPLES / "feeds.jsonl"
JSON_FILE = EXAMPLES / "mainufer-post-duma-ratifiziert.json"
HTML_FILES = (
    EXAMPLES / "donaublick-vertrag-pjoengjang.html",
    EXAMPLES / "alpenrundschau-nationalratswahl.html",
)

WEEKDAYS_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
#: Numeric dates a plain-text example must NOT contain (they carry no metadata).
NUMERIC_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\b")


def _ending(path: Path) -> str | None:
    return next((e for e in ARTICLE_ENDINGS if path.name.endswith(e)), None)


def _article_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*") if p.is_file() and _ending(p))


def _html_text(html: str) -> str:
    """Visible text of the <article> (or <body>) of a page, scripts dropped."""
    root = lxml.html.fromstring(html)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    found = root.xpath("//article")
    node = found[0] if found else root.body
    return " ".join(node.text_content().split())


def _warc_records() -> list[tuple[str, str | None, str | None, bytes]]:
    """(WARC-Type, target URI, HTTP content type, payload) for every record."""
    out = []
    with open(WARC_FILE, "rb") as fh:
        for rec in ArchiveIterator(fh):
            ctype = rec.http_headers.get_header("Content-Type") if rec.http_headers else None
            uri = rec.rec_headers.get_header("WARC-Target-URI")
            out.append((rec.rec_type, uri, ctype, rec.content_stream().read()))
    return out


def _documents() -> list[tuple[str, str]]:
    """(label, article text) for every article document in the examples."""
    docs: list[tuple[str, str]] = []
    for path in _article_files():
        ending = _ending(path)
        rel = path.relative_to(EXAMPLES).as_posix()
        if ending == ".txt":
            raw = path.read_bytes()
            docs.append((rel, raw.decode("cp1252" if path == CP1252_FILE else "utf-8")))
        elif ending == ".html":
            docs.append((rel, _html_text(path.read_text(encoding="utf-8"))))
        elif ending == ".json":
            docs.append((rel, _html_text(json.loads(path.read_text(encoding="utf-8"))["html"])))
        elif ending == ".jsonl":
            for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                docs.append((f"{rel}#{i}", json.loads(line)["text"]))
        elif ending == ".warc.gz":
            for rtype, uri, ctype, body in _warc_records():
                if rtype == "response" and ctype and ctype.startswith("text/html"):
                    docs.append((f"{rel}#{uri}", _html_text(body.decode("utf-8"))))
    return docs


def _load_make_warc() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_warc", EXAMPLES / "make_warc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- inventory --------------------------------------------------------------


def test_article_files_cover_every_format() -> None:
    files = _article_files()
    assert 8 <= len(files) <= 12
    counts = collections.Counter(_ending(p) for p in files)
    assert counts == {".txt": 4, ".html": 2, ".jsonl": 1, ".json": 1, ".warc.gz": 1}


def test_readme_describes_every_file() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for path in _article_files() + [EXAMPLES / "make_warc.py"]:
        assert path.relative_to(EXAMPLES).as_posix() in readme, path
    assert "Apache-2.0" in readme


def test_documents_languages_and_cluster() -> None:
    docs = _documents()
    assert len(docs) == 12  # 11 distinct articles + one exact duplicate
    assert len({text for _, text in docs}) == 11
    langs = collections.Counter(py3langid.classify(text)[0] for _, text in docs)
    assert langs == {"de": 9, "en": 3}
    cluster = {text for _, text in docs if "Pjöngjang" in text or "Pyongyang" in text}
    assert len(cluster) == 6


def test_article_lengths() -> None:
    for label, text in _documents():
        words = len(text.split())
        assert 150 <= words <= 450, (label, words)


# -- encodings and line endings --------------------------------------------


def test_cp1252_file_is_not_utf8() -> None:
    raw = CP1252_FILE.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    for ch in "äöüß„“–":
        assert ch in text, ch


def test_crlf_file_has_crlf_only() -> None:
    raw = CRLF_FILE.read_bytes()
    assert raw.count(b"\r\n") >= 20
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert raw.count(b"\r") == raw.count(b"\r\n")
    assert "Brücke" in raw.decode("utf-8")


def test_exactly_one_cp1252_and_one_crlf_file() -> None:
    not_utf8, with_cr = [], []
    for path in _article_files():
        raw = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
        if path.name.endswith(".warc.gz"):
            continue  # WARC and HTTP headers use CRLF by definition
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            not_utf8.append(path)
        if b"\r" in raw:
            with_cr.append(path)
    assert not_utf8 == [CP1252_FILE]
    assert with_cr == [CRLF_FILE]


# -- duplicates and agency copy --------------------------------------------


def test_exact_duplicates_are_byte_identical() -> None:
    first, second = DUPLICATES
    assert first.parent != second.parent
    assert first.read_bytes() == second.read_bytes()
    assert len(first.read_bytes()) > 1000


def _paragraphs(text: str) -> set[str]:
    return {p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()}


def test_agency_copy_shares_two_wire_paragraphs() -> None:
    page = lxml.html.fromstring(HTML_FILES[0].read_text(encoding="utf-8"))
    at = {" ".join(p.text_content().split()) for p in page.xpath("//article//p")}
    ch_record = json.loads(JSONL_FILE.read_text(encoding="utf-8").splitlines()[0])
    ch = _paragraphs(ch_record["text"])
    assert page.xpath("//meta[@property='og:site_name']/@content") != [ch_record["source"]]
    shared = {p for p in at & ch if len(p) >= 100}
    assert len(shared) == 2
    assert all("dpa" not in p for p in shared)
    assert "Quelle: dpa" in at
    assert "(dpa)" in ch
    # each outlet has its own lead and ending around the wire text
    assert len([p for p in at - ch if len(p) >= 100]) >= 2
    assert len([p for p in ch - at if len(p) >= 100]) >= 2


# -- structured formats ------------------------------------------------------


def test_jsonl_records_parse_with_required_fields() -> None:
    lines = JSONL_FILE.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    for line in lines:
        rec = json.loads(line)
        assert set(rec) == {"url", "title", "published", "source", "text"}
        assert rec["url"].startswith("https://") and ".example/" in rec["url"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}", rec["published"])


def test_json_object_has_html_not_text() -> None:
    doc = json.loads(JSON_FILE.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    assert set(doc) == {"url", "title", "published", "source", "html"}
    assert doc["html"].lstrip().startswith("<!DOCTYPE html>")
    page = lxml.html.fromstring(doc["html"])
    assert page.xpath("//meta[@property='article:published_time']/@content") == [doc["published"]]


@pytest.mark.parametrize("path", HTML_FILES, ids=lambda p: p.name)
def test_html_pages_carry_metadata_and_furniture(path: Path) -> None:
    page = lxml.html.fromstring(path.read_text(encoding="utf-8"))
    assert page.get("lang", "").startswith("de")
    for prop in ("og:title", "og:site_name", "article:published_time"):
        assert len(page.xpath(f"//head/meta[@property='{prop}']/@content")) == 1, prop
    published = page.xpath("//head/meta[@property='article:published_time']/@content")[0]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}", published)
    for tag in ("nav", "aside", "footer"):
        assert page.xpath(f"//{tag}"), tag
    scripts = [s for s in page.xpath("//script[not(@src)]") if s.get("type") != "application/ld+json"]
    assert scripts and all(len((s.text or "").strip()) > 20 for s in scripts)


def test_one_html_page_has_json_ld_news_article() -> None:
    blocks = []
    for path in HTML_FILES:
        page = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        blocks += [json.loads(s.text) for s in page.xpath("//script[@type='application/ld+json']")]
    assert len(blocks) == 1
    assert blocks[0]["@type"] == "NewsArticle"
    assert blocks[0]["datePublished"] == "2024-06-19T15:42:00+02:00"


def test_plain_text_files_carry_no_numeric_dates_but_weekdays() -> None:
    for path in [p for p in _article_files() if _ending(p) == ".txt"]:
        text = path.read_bytes().decode("cp1252" if path == CP1252_FILE else "utf-8")
        assert not NUMERIC_DATE.search(text), path
        assert any(day in text for day in WEEKDAYS_DE), path


# -- WARC ------------------------------------------------------------------------


def test_warc_has_two_html_responses_plus_request_and_robots() -> None:
    records = _warc_records()
    types = [r[0] for r in records]
    assert types.count("request") == 1
    html = [r for r in records if r[0] == "response" and (r[2] or "").startswith("text/html")]
    other = [r for r in records if r[0] == "response" and not (r[2] or "").startswith("text/html")]
    assert len(html) == 2
    assert [(r[1], r[2]) for r in other] == [("https://harborledger.example/robots.txt", "text/plain")]
    for _, _, _, body in html:
        page = lxml.html.fromstring(body.decode("utf-8"))
        assert page.xpath("//meta[@property='article:published_time']/@content")
        assert page.get("lang") == "en-US"


def test_warc_record_ids_and_dates_are_fixed() -> None:
    with open(WARC_FILE, "rb") as fh:
        heads = [
            (r.rec_headers.get_header("WARC-Record-ID"), r.rec_headers.get_header("WARC-Date"))
            for r in ArchiveIterator(fh)
        ]
    ids = [h[0] for h in heads]
    assert len(set(ids)) == len(ids) == 5
    assert all(re.fullmatch(r"<urn:uuid:[0-9a-f-]{36}>", i) for i in ids)
    assert all(d.startswith("2024-06-19T15:02:") for _, d in heads)


def test_make_warc_reproduces_the_committed_archive(tmp_path: Path) -> None:
    make_warc = _load_make_warc()
    out = make_warc.write_warc(tmp_path / "again.warc.gz")
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(WARC_FILE.read_bytes())
