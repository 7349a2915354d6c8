"""WARC / WARC.gz (and ARC): every successful HTML ``response`` record is an article.

The file is streamed record by record; each HTML payload is held to
``max_bytes``.  Records of other types or content types are skipped.

Hostile archives are bounded: a line of headers (or of garbage between
records) longer than :data:`MAX_LINE` ends the file with a clear message
instead of being gathered in memory, and in a compressed archive a record that
declares more than ``max_warc_record_bytes`` uncompressed bytes ends the file
(skipping it would mean inflating all of it — a gzip bomb).
"""

from __future__ import annotations

import zlib
from typing import Any, BinaryIO, Iterator

from ..errors import EmptyInputError, InputError, InputTooLargeError, MalformedInputError, NoArticlesError
from ..model import Article, Provenance, Published
from ._build import guarded, html_article
from ._common import err, host_outlet
from ._decode import decode
from ._html import extract_html
from ._settings import IngestSettings

__all__ = ["read_warc", "MAX_LINE"]

#: Longest line (bytes) read while parsing WARC/HTTP headers or the blank lines between records.
MAX_LINE = 1 << 20


class _LineTooLong(ValueError):
    def __init__(self) -> None:
        super().__init__(f"a header line longer than {MAX_LINE} bytes — not WARC data")


def _bounded_readline(readline: Any) -> Any:
    def bounded(length: int | None = None) -> bytes:
        want = MAX_LINE + 1 if length is None or length < 0 or length > MAX_LINE + 1 else length
        line = readline(want)
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            raise _LineTooLong()
        return line

    return bounded


def _iterator(stream: BinaryIO) -> Any:
    from warcio.archiveiterator import ArchiveIterator

    class _Iterator(ArchiveIterator):  # type: ignore[misc]
        """warcio's iterator with bounded line reads and no warnings written to stderr."""

        def __init__(self, fileobj: BinaryIO) -> None:
            super().__init__(fileobj, arc2warc=True)
            self.reader.readline = _bounded_readline(self.reader.readline)

        def _consume_blanklines(self) -> tuple[bytes | None, int]:
            empty, first = 0, True
            while True:
                line = self.reader.readline()
                if not line:
                    return None, empty
                if not line.rstrip() or first:
                    empty += len(line)
                    first = False
                    continue
                return line, empty

    return _Iterator(stream)

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _record_article(
    payload: bytes,
    source: str,
    content_type: str,
    target: str | None,
    warc_date: str | None,
    record_id: str | None,
    settings: IngestSettings,
) -> Article:
    if not payload.strip():
        raise err(EmptyInputError, source, "the HTML response is empty", "nothing to read in this record")
    text, encoding = decode(payload, source, _charset(content_type))
    doc = extract_html(text, source, settings, target)
    extra: dict[str, Any] = {}
    if warc_date:
        extra["warc_date"] = warc_date
        if doc.published.value is None:
            doc.published = Published(
                latest=warc_date,
                source="inferred",
                evidence=[{"text": warc_date, "reason": "WARC-Date: crawled then, so published no later"}],
            )
    if target and doc.metadata.get("url") and doc.metadata["url"] != target:
        extra["canonical_url"] = doc.metadata["url"]
    if target:
        extra["url"] = target
    provenance = Provenance(source=source, format="warc", url=target or doc.url, encoding=encoding, record=record_id)
    if doc.outlet is None and target:
        doc.outlet = host_outlet(target)
    return html_article(doc, provenance, settings, extra)


def read_warc(stream: BinaryIO, name: str, settings: IngestSettings) -> Iterator[Article | InputError]:
    """Articles of the WARC in ``stream`` (``name#N`` names the N-th record, counting all records)."""
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    found = 0
    try:
        records = _iterator(stream)
        for rec in records:
            n += 1
            length = rec.length or 0
            if records.reader.decompressor is not None and length > settings.max_warc_record_bytes:
                yield err(
                    InputTooLargeError,
                    f"{name}#{n}",
                    f"the compressed record declares {length} bytes uncompressed, over the limit of "
                    f"{settings.max_warc_record_bytes} (a gzip bomb?); the records before it were read, "
                    "the rest of the file was not",
                    "if the archive is trusted, raise the limit (--set ingest.max_warc_record_bytes=BYTES)",
                )
                return
            if rec.rec_type != "response" or rec.http_headers is None:
                continue
            content_type = rec.http_headers.get_header("Content-Type") or ""
            if content_type.split(";")[0].strip().lower() not in _HTML_TYPES:
                continue
            status = rec.http_headers.get_statuscode() or ""
            if status and not status.startswith("2"):
                continue
            found += 1
            source = f"{name}#{n}"
            payload = rec.content_stream().read(settings.max_bytes + 1)
            if len(payload) > settings.max_bytes:
                yield err(
                    InputTooLargeError,
                    source,
                    f"the HTML response is larger than {settings.max_bytes} bytes",
                    "raise ingest.max_bytes to read it",
                )
                continue
            missing = getattr(rec.raw_stream, "limit", 0) or 0
            if missing > 0:
                yield err(
                    MalformedInputError,
                    source,
                    f"the record is cut short ({missing} bytes missing)",
                    "the WARC file is incomplete — download or copy it again",
                )
                continue
            headers = rec.rec_headers
            yield guarded(
                source,
                settings,
                _record_article,
                payload,
                source,
                content_type,
                headers.get_header("WARC-Target-URI"),
                headers.get_header("WARC-Date"),
                headers.get_header("WARC-Record-ID"),
                settings,
            )
    except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as exc:
        yield err(
            MalformedInputError,
            name,
            f"broken WARC data after record {n} ({exc if isinstance(exc, _LineTooLong) else f'{type(exc).__name__}: {exc}'})",
            "check that the file is complete; the records before it were read",
        )
        return
    if found == 0:
        yield err(
            NoArticlesError,
            name,
            f"no HTML response records among the {n} WARC records",
            "lagebild reads 'response' records with an HTML content type",
        )
