"""Generators of hostile inputs too large (or too odd) to commit: gzip bombs in WARC, deep HTML.

Deflate with a full flush resets the compressor, so one compressed megabyte of
zeros can be repeated as often as needed: a 1 GiB expansion costs about 1 MB of
file and a few hundred milliseconds to write.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import BinaryIO

__all__ = ["MiB", "gzip_member", "warc_record", "html_payload", "write_warc", "deep_html"]

MiB = 1 << 20
_ZEROS = bytes(MiB)


def _block() -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    c.compress(b"")
    c.flush(zlib.Z_FULL_FLUSH)
    one = c.compress(_ZEROS) + c.flush(zlib.Z_FULL_FLUSH)
    two = c.compress(_ZEROS) + c.flush(zlib.Z_FULL_FLUSH)
    assert one == two, "a full flush should make the compressed megabyte repeatable"
    return one


_ZERO_BLOCK = _block()
_CRC_ZEROS = zlib.crc32(_ZEROS)


def gzip_member(f: BinaryIO, before: bytes, zero_mib: int = 0, after: bytes = b"") -> None:
    """One gzip member holding ``before`` + ``zero_mib`` MiB of NUL bytes + ``after``."""
    f.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    f.write(c.compress(before) + c.flush(zlib.Z_FULL_FLUSH))
    crc = zlib.crc32(before)
    for _ in range(zero_mib):
        f.write(_ZERO_BLOCK)
        crc = zlib.crc32(_ZEROS, crc)
    f.write(c.compress(after) + c.flush())
    crc = zlib.crc32(after, crc)
    size = len(before) + zero_mib * MiB + len(after)
    f.write(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))


def html_payload(title: str, sentence: str) -> bytes:
    body = " ".join([sentence] * 6)
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{body}</p></article></body></html>").encode()


def warc_record(uri: str, payload_len: int, http_headers: str = "Content-Type: text/html; charset=utf-8") -> tuple[bytes, bytes]:
    """(the bytes before the HTTP body, the bytes after it) of a WARC response record."""
    http = f"HTTP/1.1 200 OK\r\n{http_headers}\r\n\r\n".encode()
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-01T08:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{zlib.crc32(uri.encode()):08x}-0000-0000-0000-000000000000>\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http) + payload_len}\r\n\r\n"
    ).encode()
    return head + http, b"\r\n\r\n"


def write_warc(path: Path, records: list[tuple[str, bytes]]) -> Path:
    """A WARC.gz of good HTML responses ``(uri, payload)``, one gzip member each."""
    with path.open("wb") as f:
        for uri, payload in records:
            before, after = warc_record(uri, len(payload))
            gzip_member(f, before + payload + after)
    return path


def deep_html(levels: int, sentence: str) -> str:
    """HTML whose article paragraph sits ``levels`` ``<div>`` elements deep (none closed early)."""
    return ("<html><head><title>Tief</title></head><body>" + "<div>" * levels
            + f"<p>{' '.join([sentence] * 6)}</p>" + "</div>" * levels + "</body></html>")
