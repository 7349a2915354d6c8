"""Bad inputs: each gives one InputError subclass with a one-line message naming the input."""

from __future__ import annotations

import io
import os
import pickle
import zipfile
from pathlib import Path

import pytest

from lagebild.errors import (
    BinaryInputError,
    DecodeError,
    EmptyInputError,
    InputAccessError,
    InputError,
    InputTooLargeError,
    LagebildError,
    UnknownFormatError,
)
from lagebild.ingest import SourceSpec, read_path, read_source
from lagebild.ingest import _reader
from lagebild.model import Article

READABLE_HINT = "lagebild reads plain text, HTML, JSON, JSON Lines and WARC (.warc, .warc.gz)"


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("article.txt", "Eine Meldung.")
    return buf.getvalue()


BAD_INPUTS: list[tuple[str, bytes, type[InputError], str]] = [
    ("empty.txt", b"", EmptyInputError, "empty (0 bytes)"),
    ("blank.txt", b"  \r\n\t \n", EmptyInputError, "holds only whitespace"),
    ("blank16.txt", "   \n ".encode("utf-16"), EmptyInputError, "holds only whitespace"),
    ("ctrlonly.txt", b" \x01\n\x02 ", EmptyInputError, "holds only control characters and whitespace"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", UnknownFormatError, "a PNG image, not an article"),
    ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", UnknownFormatError, "a JPEG image, not an article"),
    ("doc.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", UnknownFormatError,
     "a PDF document, not an article"),
    ("archive.zip", _zip_bytes(), UnknownFormatError, "a ZIP archive (or an office document), not an article"),
    ("nul.txt", b"Text\x00mit\x00Nullbytes\x00\x01\x02", BinaryInputError, "binary data (NUL bytes), not text"),
    ("ctrl.txt", bytes(range(1, 9)) * 20 + b"abc", BinaryInputError, "binary data (160 control characters), not text"),
    ("high.txt", bytes(range(0x80, 0x100)) * 20, DecodeError, "the bytes are not valid UTF-8 and fit no known text encoding"),
    ("badbom.txt", b"\xff\xfe" + b"\x00\xd8" + b"a\x00", DecodeError, "starts with a utf-16 byte-order mark but is not valid utf-16"),
    ("feed.xml", b"<?xml version='1.0'?><rss><channel></channel></rss>", UnknownFormatError, "XML (a feed or sitemap?)"),
]


@pytest.mark.parametrize(("name", "data", "cls", "problem"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_file(ingest, tmp_path: Path, name: str, data: bytes, cls: type[InputError], problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    error = ingest.error(path, cls)
    message = str(error)
    assert message.startswith(f"{path}: {problem}")
    assert "\n" not in message and " — " in message  # one line: problem — what to do
    assert error.source == str(path)
    # the same bytes from stdin name '-'
    from_stdin = ingest.error(SourceSpec(name="-", data=data), cls)
    assert str(from_stdin).startswith(f"-: {problem}")


def test_unknown_format_hint_lists_what_is_read(ingest, tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    error = ingest.error(path, UnknownFormatError)
    assert "pdftotext" in error.hint and READABLE_HINT in error.hint


@pytest.mark.shared
def test_real_pdf_is_refused(ingest, shared: Path) -> None:
    path = shared / "data" / "plover" / "PLOVER_MANUAL.pdf"
    assert str(ingest.error(path, UnknownFormatError)).startswith(f"{path}: a PDF document, not an article")


class _CountingFile(io.FileIO):
    read_total = 0

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        data = super().read(size)
        _CountingFile.read_total += len(data)
        return data

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def, override]
        n = super().readinto(b)
        _CountingFile.read_total += n or 0
        return n


def test_large_file_fails_fast_without_being_read(ingest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50_000_000)  # sparse: 50 MB on paper
    _CountingFile.read_total = 0
    monkeypatch.setattr(_reader, "open", lambda p, mode="rb": _CountingFile(p, "r"), raising=False)
    error = ingest.error(path, InputTooLargeError)
    assert _CountingFile.read_total <= 4096  # refused from its size, without reading it
    assert str(error) == f"{path}: 50.0 MB, over the limit of 20.0 MB — split it, or raise the limit (--set ingest.max_bytes=BYTES)"


def test_limit_applies_to_stdin_bytes(ingest) -> None:
    error = ingest.error(SourceSpec(name="-", data=b"a" * 1001), InputTooLargeError, max_bytes=1000)
    assert str(error) == "-: 1001 bytes, over the limit of 1000 bytes — split it, or raise the limit (--set ingest.max_bytes=BYTES)"


def test_missing_file_spec(ingest, tmp_path: Path) -> None:
    path = str(tmp_path / "nope.txt")
    error = ingest.error(SourceSpec(name=path, path=path), InputAccessError)
    assert str(error).startswith(f"{path}: no such file or folder")


def test_folder_given_as_file_spec(ingest, tmp_path: Path) -> None:
    error = ingest.error(SourceSpec(name=str(tmp_path), path=str(tmp_path)), InputAccessError)
    assert str(error).startswith(f"{tmp_path}: is a folder, not a file")


def test_file_without_read_permission(ingest, tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Geheime Meldung.", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        error = ingest.error(path, InputAccessError)
        assert str(error) == f"{path}: permission denied — make the file readable (chmod +r) or run lagebild as a user who may read it"
    finally:
        path.chmod(0o644)


def test_permission_error_is_reported_with_a_hint(ingest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the same path as above, for runs as root (where chmod 000 does not stop reading)
    def denied(path: str, mode: str = "rb") -> None:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(_reader, "open", denied, raising=False)
    path = tmp_path / "secret.txt"
    path.write_text("Geheime Meldung.", encoding="utf-8")
    error = ingest.error(path, InputAccessError)
    assert str(error) == f"{path}: permission denied — make the file readable (chmod +r) or run lagebild as a user who may read it"


def test_unknown_hint(ingest) -> None:
    error = ingest.error(SourceSpec(name="-", data=b"abc", hint="pdf"), UnknownFormatError)
    assert str(error) == "-: unknown format 'pdf' asked for — choose one of: text, html, json, jsonl, warc"


def test_internal_error_becomes_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: dict) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaputt\nzweite Zeile")

    monkeypatch.setattr(_reader, "extract_html", boom)
    path = tmp_path / "a.html"
    path.write_text("<html><body><p>Text</p></body></html>", encoding="utf-8")
    spec = SourceSpec(name=str(path), path=str(path))
    results = list(read_source(spec, {**settings, "raise_unexpected": False}))
    assert len(results) == 1 and type(results[0]) is InputError
    assert str(results[0]).startswith(f"{path}: could not be read: internal error (RuntimeError: kaputt zweite Zeile)")
    with pytest.raises(RuntimeError):
        list(read_source(spec, {**settings, "raise_unexpected": True}))


def test_internal_error_in_one_record_keeps_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: dict) -> None:
    from lagebild.ingest import _json

    real = _json.record_article

    def flaky(rec: dict, *args: object) -> Article:
        if rec.get("boom"):
            raise KeyError("boom")
        return real(rec, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(_json, "record_article", flaky)
    path = tmp_path / "r.jsonl"
    path.write_text('{"text": "Erste."}\n{"text": "Zweite.", "boom": 1}\n{"text": "Dritte."}\n', encoding="utf-8")
    results = list(read_source(SourceSpec(name=str(path), path=str(path)), {**settings, "raise_unexpected": False}))
    assert [type(r).__name__ for r in results] == ["Article", "InputError", "Article"]
    assert str(results[1]).startswith(f"{path}#2: could not be read: internal error (KeyError: 'boom')")


def test_read_path_raises_the_first_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Gut.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(EmptyInputError) as info:
        read_path(tmp_path)
    assert info.value.source == str(tmp_path / "b.txt")
    assert isinstance(info.value, LagebildError)


def test_errors_specs_and_articles_pickle(ingest, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Eine Meldung über das Wetter in Hamburg am Wochenende.", encoding="utf-8")
    spec = SourceSpec(name=str(path), path=str(path))
    assert pickle.loads(pickle.dumps(spec)) == spec
    article = ingest.article(spec)
    assert pickle.loads(pickle.dumps(article)) == article
    error = ingest.error(SourceSpec(name="-", data=b""), EmptyInputError)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is EmptyInputError and str(copy) == str(error)
