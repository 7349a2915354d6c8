from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One input to read: a file path, or bytes from stdin (``name='-'``)."""

    name: str  #: what messages call it: the path as given/found, or ``-``
    path: str | None = None  #: filesystem path; None for stdin
    data: bytes | None = None  #: the bytes, for stdin
    hint: str | None = None  #: a format forced by the user (text|html|json|jsonl|warc), else sniffed
