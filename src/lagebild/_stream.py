"""The streaming build: memory bounded by the batch size, not by the corpus.

Used by :func:`lagebild.build` when every corpus stage of the pipeline is
partitioned (:class:`~lagebild.pipeline.Parts`).  The corpus is never held in
memory; what is, per article, is its key, a dirty flag, its summaries for the
current corpus segment and the small changes decided for it.

Summaries wait for ``decide`` pickled (one ``bytes`` per article and stage,
pickled in the worker; ``b""`` for a ``None`` summary) in a :class:`_Summaries`
table of two lists indexed by key: about a third of the memory the summary objects
take.  A stage's summaries are unpickled only for its ``decide``, each blob freed
as it is read, so at most one stage's summary objects are in memory at a time.

Keys give the corpus order of the in-memory build: the ``S`` stored articles
not read again in this run get ``-S … -1`` (in store order, by id), this run's
articles ``0, 1, 2 …`` in input order; position in the corpus = key + S.

Passes:

1. the inputs, in the executor: read, first per-article segment, summaries for
   the next corpus segment; this run's articles go to the :class:`~lagebild._spool.Spool`
   (same-id articles merged, and merged with their stored version, as in memory);
2. per corpus segment: summaries that are missing (stored articles, merged
   ones) are computed streaming; each stage decides on the list of summaries;
   its changes stay pending and are applied lazily — before a later stage of
   the segment whose summary depends on them, or in the next pass;
3. per later per-article segment: the dirty articles (this run's new ones and
   any a corpus stage changed — stored ones are loaded for it) stream through
   the executor in batches: pending changes applied, stages run, summaries for
   the next corpus segment computed; results go back to the spool;
4. write: the finished articles stream from the spool into the store, one
   transaction each, in the in-memory build's order.
"""

from __future__ import annotations

import functools
import itertools
import pickle
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from ._spool import Spool
from .errors import StageContractError
from .executors import Executor
from .model import Article
from .pipeline import Pipeline, Stage

__all__ = ["stream_articles", "StreamResult"]

#: A change decided for an article and not applied yet: (index of the stage in its segment, stage name, change).
Pending = tuple[int, str, Any]
#: One article's summaries for the stages of a corpus segment, pickled (``b""``: a None summary; None: taken).
Row = tuple[bytes | None, ...]


def _pack(summaries: Iterable[Any]) -> Row:
    """Summaries as pickled bytes, ``b""`` for None (an empty ``bytes`` costs no memory)."""
    return tuple(b"" if x is None else pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL) for x in summaries)


def _unpack(blob: bytes | None) -> Any:
    if blob is None:
        raise AssertionError("a summary was read twice")  # each stage decides once per segment
    return pickle.loads(blob) if blob else None


class _Summaries:
    """Per key, the row of pickled summaries for the current corpus segment (None: compute later).

    Two lists (keys ``0, 1, …`` and ``-1, -2, …``) instead of a dict: 8 bytes a key.
    """

    __slots__ = ("_run", "_stored")

    def __init__(self) -> None:
        self._run: list[Row | None] = []
        self._stored: list[Row | None] = []

    def _at(self, key: int) -> tuple[list[Row | None], int]:
        rows, i = (self._run, key) if key >= 0 else (self._stored, -key - 1)
        if i >= len(rows):
            rows.extend([None] * (i + 1 - len(rows)))
        return rows, i

    def get(self, key: int) -> Row | None:
        rows, i = (self._run, key) if key >= 0 else (self._stored, -key - 1)
        return rows[i] if i < len(rows) else None

    def set(self, key: int, row: Row | None) -> None:
        rows, i = self._at(key)
        rows[i] = row

    def take(self, key: int, j: int) -> Any:
        """The unpickled summary of stage ``j`` for ``key`` (None without a row); its blob is freed."""
        rows, i = self._at(key)
        row = rows[i]
        if row is None:
            return None
        rows[i] = row[:j] + (None,) + row[j + 1:]
        return _unpack(row[j])


@dataclass(slots=True)
class _Item:
    """One article handed to a worker task."""

    key: int
    article: Article
    pending: list[tuple[str, Any]]
    dirty: bool


@dataclass(slots=True)
class _Done:
    key: int
    article: Article | None  #: None: unchanged
    dirty: bool
    summaries: Row | None  #: pickled (:func:`_pack`)


def _work(pipeline: Pipeline, stages: list[Stage], summarize: tuple[Stage, ...], items: list[_Item]) -> list[_Done]:
    """Worker task: apply pending changes, run ``stages`` on dirty articles, summarise for ``summarize``."""
    out: list[_Done] = []
    for item in items:
        art = item.article
        changed = False
        for name, change in item.pending:
            new = pipeline.apply_change(name, art, change)
            changed = changed or new is not art
            art = new
        dirty = item.dirty or changed
        if dirty and stages:
            art = pipeline.run_article(art, stages)
        summ = _pack(pipeline.summarize(art, summarize)) if summarize else None
        out.append(_Done(item.key, None if art is item.article else art, dirty, summ))
    return out


@dataclass(slots=True)
class StreamResult:
    """What the streaming build wrote."""

    inputs: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    #: this run's articles: id → inserted | updated | unchanged
    articles: dict[str, str] = field(default_factory=dict)


class _Run:
    def __init__(self, store: Any, pipeline: Pipeline, executor: Executor, batch_size: int, spool: Spool) -> None:
        self.store = store
        self.pipeline = pipeline
        self.ex = executor
        self.batch = max(1, batch_size)
        self.spool = spool
        self.spooled: set[int] = set()
        self.run_keys: dict[str, int] = {}
        self.stored_only: list[str] = []  #: ids of stored articles not read again, in store order
        self.dirty: set[int] = set()
        self.pending: dict[int, list[Pending]] = {}
        self.summ = _Summaries()

    # -- keys ---------------------------------------------------------------
    @property
    def offset(self) -> int:
        return len(self.stored_only)

    def all_keys(self) -> range:
        return range(-self.offset, len(self.run_keys))

    def stored_id(self, key: int) -> str:
        return self.stored_only[key + self.offset]

    # -- streaming articles -------------------------------------------------
    def articles(self, keys: Iterable[int]) -> Iterator[tuple[int, Article]]:
        """``(key, article)`` in key order, from the spool or (stored, never changed) from the store."""
        keys = sorted(keys)
        from_store = [k for k in keys if k < 0 and k not in self.spooled]
        from_spool = [k for k in keys if k >= 0 or k in self.spooled]
        stored = zip(from_store, self.store.iter_articles(self.stored_id(k) for k in from_store))
        yield from _merge_sorted(stored, self.spool.items(from_spool))

    def stream(self, keys: Iterable[int], stages: list[Stage], summarize: tuple[Stage, ...]) -> Iterator[_Done]:
        """Run :func:`_work` over the articles of ``keys`` in executor tasks of ``batch`` articles."""

        def items() -> Iterator[_Item]:
            for key, art in self.articles(keys):
                pend = [(name, change) for _, name, change in self.pending.get(key, ())]
                yield _Item(key, art, pend, key in self.dirty)

        task = functools.partial(_work, self.pipeline, stages, summarize)
        batches = iter(lambda it=items(): list(itertools.islice(it, self.batch)), [])
        for done in self.ex.map(task, batches):
            yield from done

    def settle(self, done: _Done) -> None:
        """Take a worker's result for one article: spool it if it changed, update the flags."""
        if done.article is not None:
            self.spool.put(done.key, done.article)
            self.spooled.add(done.key)
        if done.dirty:
            self.dirty.add(done.key)
        self.pending.pop(done.key, None)

    # -- passes -------------------------------------------------------------
    def corpus_segment(self, stages: list[Stage]) -> None:
        missing = [k for k in self.all_keys() if self.summ.get(k) is None]
        for done in self.stream(missing, [], tuple(stages)):
            self.summ.set(done.key, done.summaries or ())
        for j, s in enumerate(stages):
            assert s.parts is not None
            stale = [k for k, pend in self.pending.items() if any(stages[i].sets & s.requires for i, _, _ in pend)]
            for done in self.stream(stale, [], tuple(stages[j:])):
                self.settle(done)
                row = self.summ.get(done.key)
                assert row is not None
                self.summ.set(done.key, row[:j] + (done.summaries or ()))
            summaries = [self.summ.take(k, j) for k in self.all_keys()]
            changes = s.parts.decide(summaries, self.pipeline.settings[s.name])
            n = len(summaries)
            for pos, change in sorted(changes.items()):
                if not (isinstance(pos, int) and 0 <= pos < n):
                    raise StageContractError(
                        f"stage {s.name!r} decided a change for position {pos!r}, but the corpus has {n} articles"
                    )
                self.pending.setdefault(pos - self.offset, []).append((j, s.name, change))
            del summaries
        self.summ = _Summaries()

    def article_segment(self, stages: list[Stage], summarize: tuple[Stage, ...]) -> None:
        todo = self.dirty | set(self.pending)
        summ = _Summaries()
        for done in self.stream(todo, stages, summarize):
            self.settle(done)
            summ.set(done.key, done.summaries)
        self.summ = summ

    def write(self, on_write: Callable[[Article, str], None]) -> None:
        """Write the finished articles in corpus order (stored ones only when a stage changed them)."""
        keys = [k for k in self.all_keys() if k >= 0 or k in self.spooled or k in self.pending]
        for key, art in self.articles(keys):
            for _, name, change in self.pending.pop(key, ()):
                new = self.pipeline.apply_change(name, art, change)
                if new is not art:
                    self.dirty.add(key)
                art = new
            if key < 0 and key not in self.dirty:
                continue  # a stored article no stage changed
            on_write(art, self.store.write_article(art))


def _merge_sorted(a: Iterator[tuple[int, Article]], b: Iterator[tuple[int, Article]]) -> Iterator[tuple[int, Article]]:
    """Two key-sorted streams as one (lazy; no article held beyond the two heads)."""
    heads: list[tuple[int, Article] | None] = [next(a, None), next(b, None)]
    its = (a, b)
    while heads[0] is not None or heads[1] is not None:
        i = 0 if heads[1] is None or (heads[0] is not None and heads[0][0] < heads[1][0]) else 1
        item = heads[i]
        assert item is not None
        heads[i] = None  # drop the reference before yielding
        yield item
        del item
        heads[i] = next(its[i], None)


def stream_articles(
    store: Any,
    pipeline: Pipeline,
    executor: Executor,
    batch_size: int,
    read: Callable[[tuple[Stage, ...]], Iterator[tuple[Article, Any]]],
    merge: Callable[[Article, Article], Article],
    on_write: Callable[[Article, str], None],
    spool_dir: str | None = None,
) -> None:
    """Run ``pipeline`` over this run's articles and the stored ones, writing to ``store`` as articles finish.

    ``read(summarize)`` yields this run's articles after the first per-article
    segment with their summaries for ``summarize`` (None: compute later);
    ``merge`` joins two articles with the same id; ``on_write(article, status)``
    is called after each ``store.write_article``.  The spool is deleted at the
    end, also when something fails.
    """
    segs = pipeline.segments()
    start = 1 if segs and segs[0][0] == "article" else 0
    rest = segs[start:]
    first = tuple(rest[0][1]) if rest and rest[0][0] == "corpus" else ()
    with Spool(spool_dir) as spool:
        run = _Run(store, pipeline, executor, batch_size, spool)
        for art, summ in read(first):
            key = run.run_keys.get(art.id)
            if key is None:
                key = run.run_keys[art.id] = len(run.run_keys)
                run.summ.set(key, _pack(summ) if summ is not None else None)
                spool.put(key, art)
            else:
                spool.put(key, merge(spool.get(key), art))
                run.summ.set(key, None)
        stored_ids = store.article_ids()
        run.stored_only = [i for i in stored_ids if i not in run.run_keys]
        reread = [i for i in stored_ids if i in run.run_keys]
        del stored_ids
        for old in store.iter_articles(reread):  # stored version first, this run's provenance added
            key = run.run_keys[old.id]
            spool.put(key, merge(old, spool.get(key)))
            run.summ.set(key, None)
        reread_keys = {run.run_keys[i] for i in reread}
        run.dirty = {k for k in range(len(run.run_keys)) if k not in reread_keys}
        run.spooled = set(range(len(run.run_keys)))
        for i, (level, stages) in enumerate(rest):
            if level == "corpus":
                run.corpus_segment(stages)
            else:
                nxt = tuple(rest[i + 1][1]) if i + 1 < len(rest) else ()
                run.article_segment(stages, nxt)
        run.write(on_write)
