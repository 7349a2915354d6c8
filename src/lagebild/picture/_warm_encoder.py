"""Imported where the stories' workers start: loads the sentence encoder once.

``lagebild build`` and ``lagebild picture`` start the workers that embed the
stories with this module as their preload (``api._stories_executor``).  A
process pool's forkserver that starts with it loads the encoder before it
forks the workers, so they share its weights copy-on-write instead of each
loading its own copy (~110 MB and a few seconds each); a forkserver already
running (``lagebild build``: the article phase started it with the pipeline)
ignores it, and the workers load the encoder themselves.  Dask workers import
it when the executor starts.  An optimisation only: any error here is ignored.
"""

from __future__ import annotations

from ..executors._base import preload

__all__ = ["warm"]


def warm() -> bool:
    """Load the encoder, its weights and its tokenizer (one short text embedded); True if it ran."""
    return preload(_embed_one)


def _embed_one() -> None:
    from ._embed import embed_texts

    embed_texts(["Ein kurzer Satz."])


warm()
