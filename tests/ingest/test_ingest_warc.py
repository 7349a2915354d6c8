"""WARC / WARC.gz written with warcio in the test."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from lagebild.errors import InputTooLargeError, MalformedInputError, NoArticlesError
from lagebild.ingest import SourceSpec
from lagebild.model import Article

BODY_1 = (
    "Die Feuerwehr war am Montagabend mit mehr als 80 Einsatzkräften vor Ort, nachdem ein Lagerhaus am Hafen in Brand geraten war. "
    "Verletzt wurde nach ersten Angaben niemand."
)
BODY_2 = (
    "Le conseil municipal a adopté lundi soir le budget pour l'année prochaine, après un long débat sur les investissements "
    "dans les transports publics et les écoles."
)


def _page(title: str, body: str, lang: str, extra_head: str = "") -> bytes:
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>{extra_head}"
        "<script>var SCRIPT_MARKER = 'nicht im Text';</script></head>"
        f"<body><nav><a href='/'>Start</a></nav><article><h1>{title}</h1><p>{body}</p>"
        f"<p>{body[:60]} – so der Bericht.</p></article></body></html>"
    ).encode("utf-8")


def _response(writer: WARCWriter, uri: str, payload: bytes, content_type: str, date: str, status: str = "200 OK") -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        uri, "response", payload=io.BytesIO(payload), http_headers=http, warc_headers_dict={"WARC-Date": date}
    )
    writer.write_record(record)


def _write_warc(path: Path, gz: bool, records: list[tuple[str, bytes, str, str, str]]) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        for uri, payload, ctype, date, status in records:
            _response(writer, uri, payload, ctype, date, status)


RECORDS = [
    ("https://www.lokal.example/feuer-am-hafen.html", _page("Feuer am Hafen", BODY_1, "de"), "text/html; charset=utf-8",
     "2024-05-06T21:14:03Z", "200 OK"),
    ("https://www.lokal.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png", "2024-05-06T21:14:04Z", "200 OK"),
    ("https://ville.example/budget", _page("Budget adopté", BODY_2, "fr",
     "<meta property='article:published_time' content='2024-05-06T08:00:00+02:00'>"), "text/html", "2024-05-07T09:00:00Z",
     "200 OK"),
]


@pytest.mark.parametrize("gz", [True, False])
def test_warc_html_responses_become_articles(ingest, tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _write_warc(path, gz, RECORDS)
    results = ingest.all(path)
    assert [type(r) for r in results] == [Article, Article]
    first, second = results
    assert first.source[0].source == f"{path}#1"
    assert second.source[0].source == f"{path}#3"
    assert first.source[0].format == "warc"
    assert first.source[0].url == "https://www.lokal.example/feuer-am-hafen.html"
    assert first.source[0].record and first.source[0].record.startswith("<urn:uuid:")
    assert first.source[0].encoding == "utf-8"
    assert first.title == "Feuer am Hafen"
    assert first.raw_text.split("\n")[0] == "Feuer am Hafen"
    assert BODY_1 in first.raw_text and "SCRIPT_MARKER" not in first.raw_text
    assert first.language == "de" and second.language == "fr"
    assert first.outlet == "lokal.example"
    # no date on the page: the crawl time is an upper bound
    assert first.metadata["warc_date"] == "2024-05-06T21:14:03Z"
    assert first.published.value is None
    assert first.published.latest == "2024-05-06T21:14:03Z"
    assert first.published.source == "inferred"
    # a date on the page wins; the crawl time is still kept
    assert second.published.value == "2024-05-06"
    assert second.published.source == "metadata"
    assert second.metadata["warc_date"] == "2024-05-07T09:00:00Z"


def test_warc_from_stdin_bytes(ingest, tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path, True, RECORDS)
    results = ingest.all(SourceSpec(name="-", data=path.read_bytes()))
    assert [r.source[0].source for r in results] == ["-#1", "-#3"]


def test_warc_skips_error_pages_and_reports_no_html(ingest, tmp_path: Path) -> None:
    path = tmp_path / "none.warc.gz"
    _write_warc(path, True, [
        ("https://x.example/missing", _page("Nicht gefunden", BODY_1, "de"), "text/html", "2024-05-06T21:14:03Z", "404 Not Found"),
        RECORDS[1],
    ])
    error = ingest.error(path, NoArticlesError)
    assert str(error).startswith(f"{path}: no HTML response records among the 2 WARC records")


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_keeps_the_records_before(ingest, tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    _write_warc(path, gz, RECORDS)
    data = path.read_bytes()
    path.write_bytes(data[:-100])  # the last record loses its end
    results = ingest.all(path)
    assert [type(r) for r in results] == [Article, MalformedInputError]
    assert str(results[1]).startswith(f"{path}#3: the record is cut short (")


def test_garbage_after_warc_header(ingest, tmp_path: Path) -> None:
    path = tmp_path / "bad.warc"
    path.write_bytes(b"WARC/1.0\r\nthis is not a header\r\n\r\n" + b"x" * 200)
    results = ingest.all(path)
    assert len(results) == 1
    assert isinstance(results[0], NoArticlesError)  # warcio reads it as one record without HTTP headers
    assert str(results[0]).startswith(f"{path}: no HTML response records among the 1 WARC records")


def test_oversized_html_record(ingest, tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    _write_warc(path, True, RECORDS)
    results = ingest.all(path, max_bytes=500)
    assert [type(r) for r in results] == [InputTooLargeError, InputTooLargeError]
    assert results[0].source == f"{path}#1"


def test_gzip_that_is_not_warc_is_refused(ingest, tmp_path: Path) -> None:
    path = tmp_path / "text.txt.gz"
    path.write_bytes(gzip.compress("Nur ein Text".encode()))
    from lagebild.errors import UnknownFormatError

    error = ingest.error(path, UnknownFormatError)
    assert "gzip" in str(error) and "gunzip" in str(error)
