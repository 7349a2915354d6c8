"""The picture cache (schema 7): the computed picture.json kept in the store.

Computing the picture reads every article, so ``api.build`` and
``api.write_picture`` save it together with the store's :func:`fingerprint`;
the web app loads it and recomputes only when the fingerprint moved on.

It is kept in parts (``picture_parts``): each top-level section as JSON arrays
(or objects) of at most :data:`PART_ITEMS` items, so neither saving nor loading
ever holds the whole picture as one text.  Saving takes the sections one at a
time (``picture.picture_sections`` computes them so): each is cut into parts,
written as JSON lines to a spool file and dropped before the next is asked for;
the write transaction then only copies the spool into the table.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
from collections.abc import Sequence
from itertools import islice
from typing import IO, Any, Callable, Iterable, Iterator

from ..errors import StoreError
from ._writer import dumps, now

__all__ = ["fingerprint", "spool_parts", "save_picture", "load_picture", "PART_ITEMS"]

#: Items (list entries or object members) per stored part.
PART_ITEMS = 500
#: Parts read per query when loading.
_READ = 32

Rows = Callable[..., list[tuple[Any, ...]]]

#: One cheap statement (every part is an index lookup or a small count).
_FINGERPRINT_SQL = (
    "SELECT (SELECT count(*) FROM articles), (SELECT max(seq) FROM articles),"
    " (SELECT max(updated_at) FROM articles), (SELECT count(*) FROM stories),"
    " (SELECT count(*) FROM storylines), (SELECT max(seq) FROM story_log)"
)


def fingerprint(rows: Rows) -> str:
    """A short hash of what the picture depends on: articles (count, newest seq and write) and stories.

    Any article write and any ``update_stories`` change moves it on; reading does not.
    """
    from ..picture import PICTURE_SCHEMA_VERSION

    parts = rows(_FINGERPRINT_SQL)[0]
    key = json.dumps([PICTURE_SCHEMA_VERSION, *parts], default=str)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def _cut(section: str, value: Any) -> Iterator[tuple[str, Any]]:
    """``(section, part)``: a list or object cut into runs of :data:`PART_ITEMS` items (an empty one as
    one empty part), any other value as one part.  A read-only sequence that makes its items as they
    are read (``picture.LazySection``) is cut as a list is, a run of items at a time."""
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes, tuple)):  # a list, or a lazy one
        if not len(value):
            yield section, []
        for i in range(0, len(value), PART_ITEMS):
            yield section, value[i : i + PART_ITEMS]
    elif isinstance(value, dict) and value:
        members = iter(value.items())
        while part := dict(islice(members, PART_ITEMS)):
            yield section, part
    else:
        yield section, value


def _parts(sections: Iterable[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    """Every section's parts, in the order the sections come."""
    for section, value in sections:
        yield from _cut(section, value)
        del value  # not held while the next section is computed


def spool_parts(sections: Iterable[tuple[str, Any]]) -> IO[str]:
    """The parts of ``sections`` as lines ``section<TAB>json`` in a temporary file, rewound.

    Compact JSON never holds a raw newline or tab (``json`` escapes them inside strings), so a
    line is a part.  The caller closes the file (it is deleted then).
    """
    spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")
    try:
        for section, part in _parts(sections):
            spool.write(f"{section}\t{dumps(part, f'the picture {section}')}\n")
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool


def save_picture(conn: sqlite3.Connection, spool: IO[str], fp: str) -> None:
    """Replace the cached picture (inside the caller's transaction) with the parts of a :func:`spool_parts` file."""
    conn.execute("DELETE FROM picture_parts")
    n = 0
    for line in spool:
        section, text = line.rstrip("\n").split("\t", 1)
        conn.execute("INSERT INTO picture_parts (seq, section, json) VALUES (?, ?, ?)", (n, section, text))
        n += 1
    conn.execute(
        "INSERT OR REPLACE INTO picture_cache (id, fingerprint, built_at, parts) VALUES (1, ?, ?, ?)",
        (str(fp), now(), n),
    )


def load_picture(rows: Rows, path: str) -> tuple[str, dict[str, Any]] | None:
    """``(fingerprint, picture)`` of the cached picture, or None when none was saved."""
    found = rows("SELECT fingerprint, parts FROM picture_cache WHERE id = 1")
    if not found:
        return None
    fp, n = found[0]
    picture: dict[str, Any] = {}
    seen = 0
    while seen < n:
        batch = rows("SELECT seq, section, json FROM picture_parts WHERE seq >= ? AND seq < ? ORDER BY seq",
                     (seen, min(n, seen + _READ)))
        if not batch:
            raise _damaged(path, f"part {seen} of {n} is missing")
        for seq, section, text in batch:
            if seq != seen:
                raise _damaged(path, f"part {seen} of {n} is missing")
            try:
                _add(picture, section, json.loads(text))
            except ValueError as exc:
                raise _damaged(path, f"part {seq} ({section}): {exc}") from exc
            seen += 1
    from ..picture import SECTIONS  # saved in the order computed; loaded in picture.json's

    order = {k: i for i, k in enumerate(SECTIONS)}
    return str(fp), {k: picture[k] for k in sorted(picture, key=lambda k: order.get(k, len(order)))}


def _add(picture: dict[str, Any], section: str, part: Any) -> None:
    """Put one stored part into ``picture``: the first part of a section is its value; later ones
    extend a list or an object."""
    if section not in picture:
        picture[section] = part
    elif isinstance(picture[section], list) and isinstance(part, list):
        picture[section].extend(part)
    elif isinstance(picture[section], dict) and isinstance(part, dict):
        picture[section].update(part)
    else:
        raise ValueError(f"a second part of a {type(picture[section]).__name__} section is a {type(part).__name__}")


def _damaged(path: str, why: str) -> StoreError:
    return StoreError(f"{path}: the cached picture is damaged ({why}) — run `lagebild picture` to rebuild it")
