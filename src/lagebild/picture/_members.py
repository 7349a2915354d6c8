"""The member articles of a very large story, read from the store one at a time when asked for.

The stories step describes the changed stories a block at a time (headline, language, summary pool),
with their members' articles.  A block of ordinary stories is read at once; but a story of thousands
of members (copies of one report) would hold thousands of articles at once, for the one headline and
the few sentences it needs from them.  :class:`Members` reads an article when it is asked for and keeps
only the last few it read.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Article
    from ..store import Store

__all__ = ["Members"]


class Members(Mapping[str, "Article"]):
    """``{article id: Article}`` over ``ids``, each read from ``store`` (without ``drop``) when it is asked
    for; the ``keep`` last read are kept.  Iterates in id order, as ``store.iter_articles`` reads."""

    def __init__(self, store: Store, ids: Iterable[str], drop: Sequence[str], keep: int = 256) -> None:
        self._store = store
        self._ids = frozenset(ids)
        self._drop = tuple(drop)
        self._keep = max(1, int(keep))
        self._kept: OrderedDict[str, Article] = OrderedDict()

    def __getitem__(self, aid: str) -> Article:
        if aid not in self._ids:
            raise KeyError(aid)
        art = self._kept.get(aid)
        if art is not None:
            self._kept.move_to_end(aid)
            return art
        (art,) = self._store.iter_articles([aid], drop=self._drop)
        self._kept[aid] = art
        if len(self._kept) > self._keep:
            self._kept.popitem(last=False)
        return art

    def __contains__(self, aid: object) -> bool:
        return aid in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._ids))

    def __len__(self) -> int:
        return len(self._ids)
