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
