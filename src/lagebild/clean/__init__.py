"""Cleaning stages: page-furniture removal, content ids, outlet boilerplate, duplicates.

* :mod:`lagebild.clean.furniture` — the ``clean`` stage (line-by-line furniture
  removal; :func:`~lagebild.clean.furniture.classify_lines`,
  :func:`~lagebild.clean.furniture.rebuild_text`);
* :mod:`lagebild.clean.identify` — the ``identify`` stage (content ids);
* :mod:`lagebild.clean.boilerplate` — the ``boilerplate`` corpus stage (lines an
  outlet repeats in many articles);
* :mod:`lagebild.clean.dedup` — the ``dedup`` corpus stage (duplicates).

Importing this package imports none of them; import the module you need.
"""

__all__: list[str] = ["furniture", "identify", "boilerplate", "dedup"]
