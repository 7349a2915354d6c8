"""Inputs (files, folders, globs, ``-``) → a lazy stream of :class:`SourceSpec`.

A file named explicitly is always tried; a folder is walked recursively in
sorted order, reading only the configured extensions and skipping hidden
entries; a glob pattern (``**`` = any depth; hidden names only where the
pattern spells them) is expanded in sorted order, its files with a configured
extension read and its folders walked.  Each file is yielded once
(by real path), so links that loop back are harmless.
"""

from __future__ import annotations

import errno
import glob
import os
import re
import stat
import sys
from typing import Any, Iterable, Iterator, Mapping

from ..errors import InputAccessError, InputError, InputTooLargeError, NoArticlesError
from ._common import err
from ._settings import IngestSettings, resolve
from ._spec import SourceSpec

__all__ = ["expand_inputs"]

_GLOB_MAGIC = re.compile(r"[*?[]")


def expand_inputs(inputs: Iterable[str], settings: Mapping[str, Any] | None = None) -> Iterator[SourceSpec | InputError]:
    """A :class:`SourceSpec` for each file the inputs name, or an :class:`InputError` for each bad input."""
    s = resolve(settings)
    seen = _Seen()
    for raw in inputs:
        item = os.fspath(raw)
        if item == "-":
            yield _stdin(s)
        else:
            yield from _expand_one(item, s, seen)


class _Seen:
    """Real paths of the files yielded and of the folders walked so far."""

    __slots__ = ("files", "dirs")

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.dirs: set[str] = set()

    def new_file(self, path: str) -> bool:
        real = os.path.realpath(path)
        if real in self.files:
            return False
        self.files.add(real)
        return True


def _stdin(s: IngestSettings) -> SourceSpec | InputError:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return err(InputAccessError, "-", "there is no standard input to read", "pipe the input in, or name a file")
    try:
        data = stream.read(s.max_bytes + 1)
    except OSError as exc:
        return err(InputAccessError, "-", f"cannot read standard input ({exc.strerror or exc})", "pipe the input in, or name a file")
    if len(data) > s.max_bytes:
        return err(
            InputTooLargeError,
            "-",
            f"standard input is over the limit of {s.max_bytes} bytes",
            "pass a file instead, or raise the limit (--set ingest.max_bytes=BYTES)",
        )
    return SourceSpec(name="-", data=data)


def _link_problem(path: str) -> InputAccessError:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return err(InputAccessError, path, "symbolic link loop", "point the link at a real file or folder")
        if exc.errno == errno.EACCES:
            return err(InputAccessError, path, "permission denied", "make it readable or run lagebild as a user who may read it")
    return err(InputAccessError, path, "broken symbolic link (its target does not exist)", "fix or remove the link")


def _special_file(path: str) -> InputAccessError:
    """A name that looks like an article but is a named pipe, socket or device: not read from a folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return err(InputAccessError, path, "disappeared while the folder was listed", "run again if it was being moved")
    kind = (
        "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
        else "a socket" if stat.S_ISSOCK(mode)
        else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return err(InputAccessError, path, f"{kind}, not a regular file; not read from a folder", "name it explicitly to read it")


def _expand_one(item: str, s: IngestSettings, seen: _Seen) -> Iterator[SourceSpec | InputError]:
    if os.path.lexists(item):
        if os.path.isdir(item):
            yield from _walk_root(item, s, seen)
        elif os.path.exists(item):
            if seen.new_file(item):
                yield SourceSpec(name=item, path=item)
        else:
            yield _link_problem(item)
        return
    if not _GLOB_MAGIC.search(item):
        yield err(InputAccessError, item, "no such file or folder", "check the path and the current folder")
        return
    found = [0]
    for path in sorted(glob.iglob(item, recursive=True)):
        if os.path.isdir(path):
            yield from _walk(path, s, seen, found)
        elif not _wanted(os.path.basename(path), s):
            continue
        elif os.path.exists(path):
            found[0] += 1
            if seen.new_file(path):
                yield SourceSpec(name=path, path=path)
        else:
            yield _link_problem(path)
    if found[0] == 0:
        yield err(
            NoArticlesError,
            item,
            "the pattern matches no article file",
            "check the pattern (quote it so the shell leaves it to lagebild; ** matches folders at any depth)",
        )


def _wanted(name: str, s: IngestSettings) -> bool:
    low = name.lower()
    return any(low.endswith(ext) for ext in s.extensions)


def _walk_root(root: str, s: IngestSettings, seen: _Seen) -> Iterator[SourceSpec | InputError]:
    if os.path.realpath(root) in seen.dirs:
        return  # already walked as part of an earlier input
    found = [0]
    yield from _walk(root, s, seen, found)
    if found[0] == 0:
        yield err(
            NoArticlesError,
            root,
            "no article files in the folder",
            f"lagebild reads files ending in {', '.join(s.extensions)} from folders; "
            "name a file explicitly to read it whatever its name",
        )


def _walk(folder: str, s: IngestSettings, seen: _Seen, found: list[int]) -> Iterator[SourceSpec | InputError]:
    """Files under ``folder`` in sorted order; each folder (by real path) is walked once."""
    real_folder = os.path.realpath(folder)
    if real_folder in seen.dirs:
        return  # a link loop, or a folder reached twice
    seen.dirs.add(real_folder)
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except PermissionError:
        yield err(InputAccessError, folder, "cannot open folder: permission denied", "make it readable (chmod +rx) or leave it out")
        return
    except OSError as exc:
        yield err(InputAccessError, folder, f"cannot open folder ({exc.strerror or exc})", "check the path and its permissions")
        return
    for entry in entries:
        if s.skip_hidden and entry.name.startswith("."):
            continue
        path = os.path.join(folder, entry.name)
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            yield from _walk(path, s, seen, found)
        elif is_file:
            if _wanted(entry.name, s):
                found[0] += 1
                if seen.new_file(path):
                    yield SourceSpec(name=path, path=path)
        elif entry.is_symlink() and _wanted(entry.name, s):
            yield _link_problem(path)
        elif _wanted(entry.name, s):
            yield _special_file(path)
