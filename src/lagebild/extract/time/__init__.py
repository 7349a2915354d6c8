"""Time expressions: the German/English temporal tagger and the ``time`` stage.

:func:`find_times` finds and normalises DATE, TIME, DURATION and SET
expressions (TIMEX3-style values); :func:`resolve_times` resolves relative ones
against a (publication) date later.  The ``time`` pipeline stage lives in
:mod:`lagebild.extract.time.stage`; publication-date inference in
:mod:`lagebild.extract.time.pubdate`.
"""

from .tagger import MODS, TYPES, find_times, resolve_times

__all__ = ["find_times", "resolve_times", "TYPES", "MODS"]
