"""Ingest: turn inputs (files, folders, globs, stdin) into raw articles.

Contract used by the rest of lagebild (implemented in the private modules):

* :func:`expand_inputs` — ``inputs`` (paths, folders, globs, ``-``) → an iterator of
  :class:`SourceSpec` or :class:`~lagebild.errors.InputError` (lazily; a folder is
  walked recursively).
* :func:`read_source` — one :class:`SourceSpec` → an iterator of
  :class:`~lagebild.model.Article` (fields of ``pipeline.INGEST_SETS`` set) or
  :class:`~lagebild.errors.InputError` (one per bad input or bad record; the
  rest of a container still yields its good records).
"""

from __future__ import annotations

import os
from typing import Any, Mapping

from ..errors import InputError
from ..model import Article
from ._reader import read_source
from ._sniff import FORMATS
from ._sources import expand_inputs
from ._spec import SourceSpec

__all__ = ["SourceSpec", "FORMATS", "expand_inputs", "read_source", "read_path"]


def read_path(path: str | os.PathLike[str], settings: Mapping[str, Any] | None = None) -> list[Article]:
    """Every article under ``path`` (a file, folder or glob); raises the first :class:`InputError`."""
    articles: list[Article] = []
    for item in expand_inputs([os.fspath(path)], settings):
        if isinstance(item, InputError):
            raise item
        for result in read_source(item, settings):
            if isinstance(result, InputError):
                raise result
            articles.append(result)
    return articles
