"""One source → articles: open, check size, sniff, decode, dispatch to a format reader."""

from __future__ import annotations

import errno
import io
import os
import stat
from typing import IO, Any, Iterator, Mapping

from ..errors import (
    EmptyInputError,
    InputAccessError,
    InputError,
    InputTooLargeError,
    UnknownFormatError,
)
from ..model import Article, Provenance
from ._build import html_article, text_article, unexpected
from ._common import err
from ._decode import decode, normalise
from ._html import extract_html
from ._json import parse_json, read_jsonl, read_records
from ._settings import IngestSettings, resolve
from ._sniff import FORMATS, HEAD_BYTES, extension_format, sniff_bytes, sniff_text
from ._spec import SourceSpec
from ._warc import read_warc

__all__ = ["read_source"]


def read_source(spec: SourceSpec, settings: Mapping[str, Any] | None = None) -> Iterator[Article | InputError]:
    """Articles (or one :class:`InputError` per bad input or record) read from ``spec``."""
    s = resolve(settings)
    try:
        yield from _read(spec, s)
    except InputError as exc:
        yield exc
    except Exception as exc:  # noqa: BLE001 - one input must not stop the batch
        if s.raise_unexpected:
            raise
        yield unexpected(spec.name, exc)


def _size(n: int) -> str:
    if n < 10_000:
        return f"{n} bytes"
    if n < 1_000_000:
        return f"{n / 1000:.1f} kB"
    return f"{n / 1_000_000:.1f} MB"


def _too_large(name: str, size: int | None, limit: int, key: str) -> InputTooLargeError:
    """``size`` None: only known to be over ``limit`` (a stream read up to the limit)."""
    what = "larger than the limit" if size is None else f"{_size(size)}, over the limit"
    return err(
        InputTooLargeError,
        name,
        f"{what} of {_size(limit)}",
        f"split it, or raise the limit (--set ingest.{key}=BYTES)",
    )


def _is_warc(head: bytes, hint: str | None, name: str) -> bool:
    if hint is not None:
        return hint == "warc"
    if head.startswith(b"\x1f\x8b") or head.startswith((b"WARC/", b"filedesc://")):
        try:
            return sniff_bytes(head, name) == "warc"
        except InputError:
            return False
    return False


def _open_fifo(path: str) -> IO[bytes]:
    """A named pipe, opened without waiting for a writer: with none, reading it gives end-of-file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _open(path: str, name: str) -> IO[bytes]:
    try:
        if stat.S_ISFIFO(os.stat(path).st_mode):
            return _open_fifo(path)
    except OSError:
        pass  # open() below says what is wrong
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise err(InputAccessError, name, "no such file or folder", "check the path and the current folder") from None
    except PermissionError:
        raise err(
            InputAccessError,
            name,
            "permission denied",
            "make the file readable (chmod +r) or run lagebild as a user who may read it",
        ) from None
    except IsADirectoryError:
        raise err(InputAccessError, name, "is a folder, not a file", "pass the folder as an input; it is read recursively") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise err(InputAccessError, name, "symbolic link loop", "point the link at a real file") from None
        raise err(InputAccessError, name, f"cannot open ({exc.strerror or exc})", "check the path and its permissions") from None


def _read(spec: SourceSpec, s: IngestSettings) -> Iterator[Article | InputError]:
    name = spec.name
    hint = spec.hint
    if hint is not None and hint not in FORMATS:
        raise err(UnknownFormatError, name, f"unknown format {hint!r} asked for", f"choose one of: {', '.join(FORMATS)}")
    if spec.data is not None:
        data = spec.data
        if _is_warc(data[:HEAD_BYTES], hint, name):
            if len(data) > s.max_warc_bytes:
                raise _too_large(name, len(data), s.max_warc_bytes, "max_warc_bytes")
            yield from read_warc(io.BytesIO(data), name, s)
            return
        if len(data) > s.max_bytes:
            raise _too_large(name, len(data), s.max_bytes, "max_bytes")
        yield from _read_bytes(data, name, hint, s)
        return
    if spec.path is None:
        raise err(InputAccessError, name, "nothing to read (neither a path nor data)", "give a file path or the bytes")
    with _open(spec.path, name) as f:
        try:
            st = os.fstat(f.fileno())
            regular = stat.S_ISREG(st.st_mode)
            head = f.read(HEAD_BYTES)
            if _is_warc(head, hint, name):
                if regular and st.st_size > s.max_warc_bytes:
                    raise _too_large(name, st.st_size, s.max_warc_bytes, "max_warc_bytes")
                if f.seekable():
                    f.seek(0)
                    stream: IO[bytes] = f
                else:
                    stream = io.BytesIO(head + f.read(s.max_warc_bytes + 1 - len(head)))
                yield from read_warc(stream, name, s)  # type: ignore[arg-type]
                return
            if regular and st.st_size > s.max_bytes:
                raise _too_large(name, st.st_size, s.max_bytes, "max_bytes")
            data = head + f.read(s.max_bytes + 1 - len(head))
            if regular:
                _check_unchanged(f, st, len(data), name)
            elif not data and stat.S_ISFIFO(st.st_mode):
                raise err(
                    EmptyInputError,
                    name,
                    "a named pipe (FIFO) that nothing writes to",
                    "write the article into the pipe while lagebild reads it, or pass a regular file",
                )
        except OSError as exc:
            raise err(InputAccessError, name, f"cannot read ({exc.strerror or exc})", "check the file and the disk") from None
    if len(data) > s.max_bytes:  # not a regular file: read up to the limit only
        raise _too_large(name, None, s.max_bytes, "max_bytes")
    yield from _read_bytes(data, name, hint, s)


def _check_unchanged(f: IO[bytes], before: os.stat_result, n_read: int, name: str) -> None:
    """Refuse a file that grew, shrank or was rewritten while it was being read (half-written input)."""
    after = os.fstat(f.fileno())
    if (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns) and n_read == before.st_size:
        return
    if before.st_size == after.st_size == 0:
        return  # a pseudo-file (/proc, /sys) that reports no size
    sizes = f"{before.st_size} → {after.st_size} bytes" if after.st_size != before.st_size else "rewritten"
    raise err(
        InputAccessError,
        name,
        f"changed while being read ({sizes})",
        "something is still writing it; run again once the file is complete",
    )


def _read_bytes(data: bytes, name: str, hint: str | None, s: IngestSettings) -> Iterator[Article | InputError]:
    if not data:
        raise err(EmptyInputError, name, "empty (0 bytes)", "nothing to read; check that the file was saved completely")
    sniff_bytes(data[:HEAD_BYTES], name)  # raises for binary formats lagebild does not read
    text, encoding = decode(data, name)
    if not text.strip():
        raise err(EmptyInputError, name, "holds only whitespace", "nothing to read; check that the file was saved completely")
    fmt = hint or sniff_text(text, name)
    if fmt in ("json", "jsonl"):
        kind, value = parse_json(text, name, hint or extension_format(name))
        if kind == "json":
            yield from read_records(value, name, encoding, s)
            return
        if kind == "jsonl":
            yield from read_jsonl(text, name, encoding, s)
            return
        fmt = "text"
    if fmt == "html":
        doc = extract_html(text, name, s)
        yield html_article(doc, Provenance(source=name, format="html", url=doc.url, encoding=encoding), s)
        return
    text = normalise(text)
    if not text.strip():
        raise err(EmptyInputError, name, "holds only control characters and whitespace", "nothing to read; check that this is the file you meant")
    yield text_article(text, name, encoding, s)
