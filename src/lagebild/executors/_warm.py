"""Read-only data loaded once in the process pool's forkserver, before it forks the workers.

The forkserver imports this module (``ProcessExecutor``'s default ``preload``): it runs the default
pipeline over two short texts, which loads the knowledge base, the NER model, the lemma dictionaries
and the lexicons, then freezes the garbage collector's view of them (``gc.freeze``).  Workers forked
afterwards share those pages copy-on-write instead of each loading its own copy.  Warming is an
optimisation only: any error here is ignored and the workers load what they need themselves.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ._base import preload

__all__ = ["warm"]

_TEXTS = {
    "de.txt": "Haushalt beraten\n\nDer Bundestag in Berlin beriet am Montag über den Haushalt des kommenden Jahres, "
    "sagte die Ministerin. Die Regierung will 2,5 Milliarden Euro mehr ausgeben.\n",
    "en.txt": "Budget debated\n\nParliament in London debated next year's budget on Monday, the minister said. "
    "The government wants to spend 2.5 billion pounds more.\n",
}


def warm() -> bool:
    """Run the default pipeline over two short texts (loads every shared resource); True if it ran."""
    return preload(_run)


def _run() -> None:
    from ..api import extract
    from ._inline import InlineExecutor

    with tempfile.TemporaryDirectory(prefix="lagebild-warm-") as tmp:
        for name, text in _TEXTS.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        extract([tmp], executor=InlineExecutor())


warm()
