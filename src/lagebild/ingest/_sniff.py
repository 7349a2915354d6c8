"""Format detection: content first (magic bytes, leading markup), name second."""

from __future__ import annotations

import re
import zlib

from ..errors import MalformedInputError, UnknownFormatError
from ._common import READABLE, err

__all__ = ["FORMATS", "HEAD_BYTES", "sniff_bytes", "sniff_text", "extension_format"]

#: Formats ingest reads (``SourceSpec.hint`` takes one of these).
FORMATS = ("text", "html", "json", "jsonl", "warc")

#: How many leading bytes :func:`sniff_bytes` wants to see.
HEAD_BYTES = 4096

_CONVERT = f"lagebild reads {READABLE} — convert it to one of these first"

#: (leading bytes, what it is, what to do) for binary formats lagebild does not read.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF document", "extract its text first (e.g. with pdftotext); " + _CONVERT),
    (b"PK\x03\x04", "a ZIP archive (or an office document)", "unpack it and pass the files inside; " + _CONVERT),
    (b"PK\x05\x06", "an empty ZIP archive", _CONVERT),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", _CONVERT),
    (b"\xff\xd8\xff", "a JPEG image", _CONVERT),
    (b"GIF87a", "a GIF image", _CONVERT),
    (b"GIF89a", "a GIF image", _CONVERT),
    (b"II*\x00", "a TIFF image", _CONVERT),
    (b"MM\x00*", "a TIFF image", _CONVERT),
    (b"RIFF", "a RIFF media file (WebP, WAV, AVI)", _CONVERT),
    (b"OggS", "an Ogg media file", _CONVERT),
    (b"\x1a\x45\xdf\xa3", "a Matroska/WebM video", _CONVERT),
    (b"\xfd7zXZ\x00", "xz-compressed data", "decompress it first (unxz); " + _CONVERT),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data", "decompress it first (unzstd); " + _CONVERT),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it and pass the files inside; " + _CONVERT),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office document", _CONVERT),
    (b"\x7fELF", "a program (ELF binary)", _CONVERT),
    (b"SQLite format 3\x00", "an SQLite database", _CONVERT),
    (b"{\\rtf", "an RTF document", "save it as plain text or HTML; " + _CONVERT),
)


def _warc_start(head: bytes) -> bool:
    return head.startswith((b"WARC/", b"filedesc://"))


def sniff_bytes(head: bytes, name: str) -> str | None:
    """``"warc"`` for (gzipped) WARC/ARC, None for text-like bytes; raises for other binary formats."""
    if _warc_start(head):
        return "warc"
    if head.startswith(b"\x1f\x8b"):
        try:
            inner = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            raise err(MalformedInputError, name, "broken gzip data", "check that the download is complete") from None
        if _warc_start(inner.lstrip()):
            return "warc"
        raise err(UnknownFormatError, name, "gzip-compressed data that is not a WARC file", "decompress it first (gunzip); " + _CONVERT)
    if head.startswith(b"BZh") and head[4:10] == b"1AY&SY":
        raise err(UnknownFormatError, name, "bzip2-compressed data", "decompress it first (bunzip2); " + _CONVERT)
    if head[4:8] == b"ftyp":
        raise err(UnknownFormatError, name, "an MP4/QuickTime media file", _CONVERT)
    if head.startswith(b"ID3") and len(head) > 3 and head[3] in (2, 3, 4):
        raise err(UnknownFormatError, name, "an MP3 audio file", _CONVERT)
    for magic, what, hint in _SIGNATURES:
        if head.startswith(magic):
            raise err(UnknownFormatError, name, f"{what}, not an article", hint)
    return None


_EXT_FORMATS = (
    (".html", "html"),
    (".htm", "html"),
    (".xhtml", "html"),
    (".shtml", "html"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".json", "json"),
    (".warc.gz", "warc"),
    (".warc", "warc"),
    (".arc.gz", "warc"),
    (".txt", "text"),
    (".text", "text"),
)


def extension_format(name: str | None) -> str | None:
    """The format a file name suggests, if any."""
    if not name:
        return None
    low = name.lower()
    for ext, fmt in _EXT_FORMATS:
        if low.endswith(ext):
            return fmt
    return None


_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|article|main|section|div|p|h[1-6]|header|nav|span|table|ul|br)[\s/>]"
)
_XML_ONLY = re.compile(r"<(?:\?xml|rss|feed|rdf:rdf|urlset|sitemapindex)[\s>]")


def sniff_text(text: str, name: str) -> str:
    """The format of decoded ``text``: ``json`` (object/array or JSON Lines), ``html`` or ``text``.

    ``json`` means "starts like JSON"; the JSON reader decides between JSON,
    JSON Lines and (for a name that does not say JSON) plain text.
    """
    m = re.search(r"\S", text[:65536])
    if m is None:
        return "text"
    start = m.start()
    first = text[start]
    suggested = extension_format(name)
    if first in "{[":
        return "json"
    if first == "<":
        head = text[start : start + 2048].lower()
        if _XML_ONLY.match(head):
            if suggested == "html" or re.search(r"<(?:html|!doctype\s+html)[\s>]", head):
                return "html"
            raise err(
                UnknownFormatError,
                name,
                "XML (a feed or sitemap?), not an article",
                "pass the article pages (HTML) it links to; " + _CONVERT,
            )
        if _HTML_TAG.search(head):
            return "html"
    if suggested in ("html", "json", "jsonl"):
        return "json" if suggested == "jsonl" else suggested
    return "text"
