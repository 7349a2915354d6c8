"""Properties over generated inputs, and throughput on real text files."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from lagebild.config import defaults
from lagebild.errors import InputError
from lagebild.ingest import SourceSpec, expand_inputs, read_source
from lagebild.model import Article

SETTINGS = {**defaults()["ingest"], "raise_unexpected": True}

PREFIXES = [b"", b"<html><body><p>", b"<p>", b"{", b"[", b'{"text": "', b"WARC/1.0\r\n", b"\x1f\x8b", b"\xef\xbb\xbf", b"\xff\xfe"]


def _check_article(article: Article) -> None:
    assert article.source and article.source[0].source.startswith("-")
    assert "\r" not in article.raw_text
    assert article.raw_text.strip()
    assert unicodedata.is_normalized("NFC", article.raw_text)
    raw = article.raw_text
    # "\n" is the only line break left: splitting on it agrees with str.splitlines()
    assert raw.split("\n") == raw.splitlines() + ([""] if raw.endswith("\n") or not raw else [])
    json.dumps(article.to_dict(), allow_nan=False)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=600))
def test_any_bytes_give_articles_or_input_errors(prefix: bytes, body: bytes) -> None:
    for result in read_source(SourceSpec(name="-", data=prefix + body), SETTINGS):
        if isinstance(result, InputError):
            message = str(result)
            assert message.startswith("-") and "\n" not in message and "\r" not in message
        else:
            assert isinstance(result, Article)
            _check_article(result)


@hsettings(max_examples=200, deadline=None)
@given(text=st.text(min_size=1, max_size=400), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_any_text_in_any_unicode_encoding(text: str, encoding: str) -> None:
    results = list(read_source(SourceSpec(name="-", data=text.encode(encoding), hint="text"), SETTINGS))
    assert len(results) == 1
    result = results[0]
    if isinstance(result, InputError):
        # only blank or control-character soup may be refused
        controls = sum(unicodedata.category(c) == "Cc" and c not in "\t\n\r\x0b\x0c" for c in text)
        blank = not "".join(c for c in text if unicodedata.category(c) != "Cc" and c != "\ufeff").strip()
        nul = "\x00" in text and encoding == "utf-8"
        assert blank or nul or controls > 2, str(result)
        return
    _check_article(result)
    plain = "".join(c for c in text if unicodedata.category(c) != "Cc" and c not in "\u2028\u2029\ufeff")
    if plain == text and "\ufeff" not in text:
        assert result.raw_text == unicodedata.normalize("NFC", text)


@hsettings(max_examples=100, deadline=None)
@given(words=st.lists(st.sampled_from(["Grüße", "Straße", "über", "Köln", "Äpfel", "élan", "garçon", "œuvre", "Euro €", "„Zitat“", "–"]), min_size=1, max_size=40))
def test_western_legacy_text_round_trips(words: list[str]) -> None:
    text = " ".join(words)
    [article] = read_source(SourceSpec(name="-", data=text.encode("cp1252")), SETTINGS)
    assert isinstance(article, Article)
    assert article.raw_text == text
    assert article.source[0].encoding == "cp1252"


@pytest.mark.shared
def test_all_wikinews_texts_are_read(shared: Path) -> None:
    # speed is measured by bench/ingest.py, not here (a timed test fails on a busy machine)
    specs = [s for s in expand_inputs([str(shared / "data" / "wikinews_text" / "*.txt")], SETTINGS)]
    assert len(specs) == 700 and all(isinstance(s, SourceSpec) for s in specs)
    articles = [a for spec in specs for a in read_source(spec, SETTINGS)]
    assert len(articles) == 700 and all(isinstance(a, Article) and a.raw_text.strip() for a in articles)


SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "article.schema.json"


def test_ingest_output_matches_the_article_schema(tmp_path: Path) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"{SCHEMA} not found — the JSON contract is not in this checkout")
    import io

    import jsonschema
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    body = "Die Stadt hat am Montag neue Radwege eröffnet. Sie verbinden die Innenstadt mit den Vororten im Norden."
    html = f"<html lang='de'><head><title>Radwege</title><meta property='article:published_time' content='2024-04-02T10:00:00Z'></head><body><article><p>{body}</p></article></body></html>"
    (tmp_path / "a.txt").write_text("Radwege\n\n" + body, encoding="utf-8")
    (tmp_path / "b.html").write_text(html, encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps([{"title": "Radwege", "text": body, "date": "2024-04-02", "x": [1.5, None]}]), encoding="utf-8")
    (tmp_path / "d.jsonl").write_text(json.dumps({"html": html, "published": 1712052000}) + "\n", encoding="utf-8")
    with (tmp_path / "e.warc.gz").open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://www.stadt.example/radwege", "response",
                                                      payload=io.BytesIO(html.replace("article:published_time", "x").encode()),
                                                      http_headers=http))
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    formats = []
    for spec in expand_inputs([str(tmp_path)], SETTINGS):
        for article in read_source(spec, SETTINGS):
            assert isinstance(article, Article), str(article)
            problems = [e.message for e in validator.iter_errors(article.to_dict())]
            assert problems == [], (spec.name, problems)
            formats.append(article.source[0].format)
    assert formats == ["text", "html", "json", "jsonl", "warc"]
