"""lagebild — turn a pile of raw news articles into a sourced situation picture.

Public API::

    import lagebild
    result = lagebild.extract(["article.html"])          # in memory
    report = lagebild.build(["inbox/"], "lagebild.db")   # into SQLite
    with lagebild.open_store("lagebild.db") as store:
        hits = store.search("koeln")
"""

from __future__ import annotations

from .api import BuildReport, ExtractResult, build, extract
from .config import load_config
from .errors import LagebildError
from .model import SCHEMA_VERSION, Article, Corpus, Provenance, Published, Removed
from .pipeline import Pipeline, Stage, stage

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "SCHEMA_VERSION",
    "Article",
    "BuildReport",
    "Corpus",
    "ExtractResult",
    "LagebildError",
    "Pipeline",
    "Provenance",
    "Published",
    "Removed",
    "Stage",
    "build",
    "extract",
    "load_config",
    "open_store",
    "stage",
]


def open_store(path, **kwargs):  # type: ignore[no-untyped-def]
    """Open (or create) the SQLite store at ``path``; see :class:`lagebild.store.Store`."""
    from .store import open_store as _open

    return _open(path, **kwargs)
