"""The corpus-level picture: stories, events, timeline, variants — and the report.

Computed after the articles are stored, from the store:

* :func:`build_picture` — picture.json (``schema/picture.schema.json``) from a store whose
  stories are up to date (``lagebild.api.build`` runs ``update_stories`` first);
* :func:`picture_sections` — the same sections one at a time, each dropped once given
  (``lagebild build`` writes them into the store's picture cache so, never holding the whole picture);
* :func:`write_outputs` — report.html, report.md, picture.json and the exports into a folder.

See docs/picture.md for what each output contains.
"""

from __future__ import annotations

from ._build import PICTURE_SCHEMA_VERSION, SECTIONS, LazySection, assemble_picture, build_picture, picture_sections
from ._export import OutputError, write_outputs

__all__ = [
    "PICTURE_SCHEMA_VERSION", "SECTIONS", "LazySection", "build_picture", "picture_sections", "assemble_picture",
    "write_outputs", "OutputError",
]
