"""The streaming build: memory bounded by the batch size, not by the corpus.

Used by :func:`lagebild.build` when every corpus stage of the pipeline is
partitioned (:class:`~lagebild.pipeline.Parts`).  The corpus is never held in
memory; what is, per article, is a few flag bytes (:class:`_Flags`: spooled, dirty,
has summaries) and the small changes decided for it and not applied yet.  This
run's article ids (to merge same-id inputs) are in the spool, not in memory.

Summaries wait for ``decide`` on disk: pickled in the worker (one ``bytes`` per
article and stage, ``b""`` for a ``None`` summary), written to the spool's summary
table; memory keeps one flag byte per article (:class:`_Summaries`).  ``decide``
gets a lazy sequence (:class:`_View`) that reads them back in corpus order page by
page, so a stage that iterates its summaries never holds them all as objects.

Keys give the corpus order of the in-memory build: the ``S`` stored articles
not read again in this run get ``-S … -1`` (in store order, by id), this run's
articles ``0, 1, 2 …`` in input order; position in the corpus = key + S.

Passes:

1. the inputs, in the executor: read, first per-article segment, summaries for
   the next corpus segment; this run's articles go to the :class:`~lagebild._spool.Spool`
   (same-id articles merged, and merged with their stored version, as in memory);
2. per corpus segment: summaries that are missing (stored articles, merged
   ones) are computed streaming; each stage decides on its summaries, read
   back from the spool as it iterates them;
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
from typing import Any, Callable, Iterable, Iterator, Sequence

from ._spool import Spool
from .errors import StageContractError
from .executors import Executor
from .model import Article
from .pipeline import Pipeline, Stage

__all__ = ["stream_articles", "StreamResult"]

#: A change decided for an article and not applied yet: (index of the stage in its segment, stage name, change).
Pending = tuple[int, str, Any]
#: One article's summaries for the stages of a corpus segment, pickled (``b""``: a None summary).
Row = tuple[bytes, ...]


def _pack(summaries: Iterable[Any]) -> Row:
    """Summaries as pickled bytes, ``b""`` for None (an empty ``bytes`` costs no memory)."""
    return tuple(b"" if x is None else pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL) for x in summaries)


def _unpack(blob: bytes) -> Any:
    return pickle.loads(blob) if blob else None


class _Summaries:
    """Which keys have a row of summaries for the current corpus segment; the rows wait in the spool.

    One flag byte per key (two ``bytearray`` s: keys ``0, 1, …`` and ``-1, -2, …``); the
    pickled summaries are in the spool's summary table, read back stage by stage, in
    key order, by :meth:`view`.  Creating one forgets the previous segment's rows.
    """

    __slots__ = ("_spool", "_run", "_stored")

    def __init__(self, spool: Spool) -> None:
        self._spool = spool
        self._run = bytearray()
        self._stored = bytearray()
        spool.clear_summaries()

    def _at(self, key: int) -> tuple[bytearray, int]:
        flags, i = (self._run, key) if key >= 0 else (self._stored, -key - 1)
        if i >= len(flags):
            flags.extend(bytes(i + 1 - len(flags)))
        return flags, i

    def has(self, key: int) -> bool:
        flags, i = (self._run, key) if key >= 0 else (self._stored, -key - 1)
        return i < len(flags) and bool(flags[i])

    def set(self, key: int, row: Row | None, first: int = 0) -> None:
        """``key``'s pickled summaries for the stages ``first, first + 1 …`` (None: compute later)."""
        flags, i = self._at(key)
        if row is None:
            flags[i] = 0
            return
        self._spool.put_summaries(key, row, first)
        flags[i] = 1

    def view(self, stage: int, keys: range) -> _View:
        """Stage ``stage``'s summaries of ``keys`` (a range of keys: the corpus), unpickled as read."""
        return _View(self._spool, stage, keys.start, keys.stop)


class _View(Sequence[Any]):
    """A corpus segment's summaries for one stage, in corpus order, read lazily from the spool.

    What ``decide`` gets in a streaming build: iterating reads the spool page by
    page (re-iterable; each pass reads it again), indexing reads one row; a key
    without a row reads as None.  Nothing is kept in memory.
    """

    __slots__ = ("_spool", "_stage", "_lo", "_hi")

    def __init__(self, spool: Spool, stage: int, lo: int, hi: int) -> None:
        self._spool, self._stage, self._lo, self._hi = spool, stage, lo, hi

    def __len__(self) -> int:
        return self._hi - self._lo

    def __iter__(self) -> Iterator[Any]:
        expected = self._lo
        for key, blob in self._spool.summaries(self._stage, self._lo, self._hi):
            while expected < key:
                yield None
                expected += 1
            yield _unpack(blob)
            expected += 1
        for _ in range(expected, self._hi):
            yield None

    def __getitem__(self, i: Any) -> Any:
        n = len(self)
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(n))]
        if not -n <= i < n:
            raise IndexError(i)
        blob = self._spool.summary(self._stage, self._lo + (i % n))
        return None if blob is None else _unpack(blob)


class _Flags:
    """A set of keys as one byte per key (two ``bytearray`` s: keys ``0, 1, …`` and ``-1, -2, …``)."""

    __slots__ = ("_run", "_stored")

    def __init__(self, keys: Iterable[int] = ()) -> None:
        self._run = bytearray()
        self._stored = bytearray()
        for k in keys:
            self.add(k)

    def add(self, key: int) -> None:
        flags, i = (self._run, key) if key >= 0 else (self._stored, -key - 1)
        if i >= len(flags):
            flags.extend(bytes(i + 1 - len(flags)))
        flags[i] = 1

    def discard(self, key: int) -> None:
        flags, i = (self._run, key) if key >= 0 else (self._stored, -key - 1)
        if i < len(flags):
            flags[i] = 0

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, int):
            return False
        flags, i = (self._run, key) if key >= 0 else (self._stored, -key - 1)
        return i < len(flags) and bool(flags[i])

    def __iter__(self) -> Iterator[int]:
        """The keys, ascending."""
        for i in range(len(self._stored) - 1, -1, -1):
            if self._stored[i]:
                yield -i - 1
        for i, f in enumerate(self._run):
            if f:
                yield i


class _Pending:
    """Changes decided and not applied yet, per key: queued in the spool, a flag byte per key in memory."""

    __slots__ = ("_spool", "_keys", "_seq")

    def __init__(self, spool: Spool) -> None:
        self._spool = spool
        self._keys = _Flags()
        self._seq = 0

    def add(self, key: int, stage: int, name: str, change: Any) -> None:
        self._spool.add_pending(key, self._seq, stage, name, change)
        self._seq += 1
        self._keys.add(key)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[int]:
        """The keys with changes, ascending."""
        return iter(self._keys)

    def get(self, key: int) -> list[Pending]:
        return self._spool.pending_of(key) if key in self._keys else []

    def pop(self, key: int) -> list[Pending]:
        if key not in self._keys:
            return []
        out = self._spool.pending_of(key)
        self._spool.drop_pending(key)
        self._keys.discard(key)
        return out

    def keys_for(self, stages: Iterable[int]) -> list[int]:
        """Keys with a change from one of ``stages`` (indices in the segment), ascending."""
        return self._spool.pending_keys(stages)


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
        self.spooled = _Flags()
        self.n_run = 0  #: this run's articles (keys 0 … n_run - 1; their ids → keys are in the spool)
        self.stored_only: list[str] = []  #: ids of stored articles not read again, in store order
        self.dirty = _Flags()
        self.pending = _Pending(spool)
        self.summ = _Summaries(spool)

    # -- keys ---------------------------------------------------------------
    @property
    def offset(self) -> int:
        return len(self.stored_only)

    def all_keys(self) -> range:
        return range(-self.offset, self.n_run)

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
                pend = [(name, change) for _, name, change in self.pending.get(key)]
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
        self.pending.pop(done.key)

    # -- passes -------------------------------------------------------------
    def corpus_segment(self, stages: list[Stage]) -> None:
        missing = [k for k in self.all_keys() if not self.summ.has(k)]
        for done in self.stream(missing, [], tuple(stages)):
            self.summ.set(done.key, done.summaries or ())
        del missing
        for j, s in enumerate(stages):
            assert s.parts is not None
            stale = self.pending.keys_for(i for i, t in enumerate(stages) if t.sets & s.requires)
            for done in self.stream(stale, [], tuple(stages[j:])):
                self.settle(done)
                self.summ.set(done.key, done.summaries or (), first=j)
            summaries = self.summ.view(j, self.all_keys())
            changes = s.parts.decide(summaries, self.pipeline.settings[s.name])
            n = len(summaries)
            # in the order decide gives them (a lazy mapping computes them as they are read): the
            # pending table orders one article's changes by stage, so no sorted copy is needed
            for pos, change in changes.items():
                if not (isinstance(pos, int) and 0 <= pos < n):
                    raise StageContractError(
                        f"stage {s.name!r} decided a change for position {pos!r}, but the corpus has {n} articles"
                    )
                self.pending.add(pos - self.offset, j, s.name, change)
            del summaries, changes
        self.summ = _Summaries(self.spool)

    def article_segment(self, stages: list[Stage], summarize: tuple[Stage, ...]) -> None:
        todo = sorted(set(self.dirty).union(self.pending))
        self.summ = _Summaries(self.spool)
        for done in self.stream(todo, stages, summarize):
            self.settle(done)
            self.summ.set(done.key, done.summaries)

    def write(self, on_write: Callable[[Article, str, bool], None]) -> None:
        """Write the finished articles in corpus order (stored ones only when a stage changed them)."""
        keys = [k for k in self.all_keys() if k >= 0 or k in self.spooled or k in self.pending]
        for key, art in self.articles(keys):
            for _, name, change in self.pending.pop(key):
                new = self.pipeline.apply_change(name, art, change)
                if new is not art:
                    self.dirty.add(key)
                art = new
            if key < 0 and key not in self.dirty:
                continue  # a stored article no stage changed
            on_write(art, self.store.write_article(art), key >= 0)


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
    on_write: Callable[[Article, str, bool], None],
    spool_dir: str | None = None,
) -> None:
    """Run ``pipeline`` over this run's articles and the stored ones, writing to ``store`` as articles finish.

    ``read(summarize)`` yields this run's articles after the first per-article
    segment with their summaries for ``summarize`` (None: compute later);
    ``merge`` joins two articles with the same id; ``on_write(article, status, read)``
    is called after each ``store.write_article`` (``read``: the article is one of this run's).  The spool is deleted at the
    end, also when something fails.
    """
    segs = pipeline.segments()
    start = 1 if segs and segs[0][0] == "article" else 0
    rest = segs[start:]
    first = tuple(rest[0][1]) if rest and rest[0][0] == "corpus" else ()
    with Spool(spool_dir) as spool:
        run = _Run(store, pipeline, executor, batch_size, spool)
        for art, summ in read(first):
            key = spool.key_of(art.id)
            if key is None:
                key = run.n_run
                run.n_run += 1
                spool.set_key(art.id, key)
                run.summ.set(key, _pack(summ) if summ is not None else None)
                spool.put(key, art)
            else:
                spool.put(key, merge(spool.get(key), art))
                run.summ.set(key, None)
        reread: list[tuple[str, int]] = []
        for i in store.article_ids():
            key = spool.key_of(i)
            if key is None:
                run.stored_only.append(i)
            else:
                reread.append((i, key))
        key_of = dict(reread)
        for old in store.iter_articles(key_of):  # stored version first, this run's provenance added
            key = key_of[old.id]
            spool.put(key, merge(old, spool.get(key)))
            run.summ.set(key, None)
        reread_keys = set(key_of.values())
        del reread, key_of
        run.dirty = _Flags(k for k in range(run.n_run) if k not in reread_keys)
        run.spooled = _Flags(range(run.n_run))
        del reread_keys
        for i, (level, stages) in enumerate(rest):
            if level == "corpus":
                run.corpus_segment(stages)
            else:
                nxt = tuple(rest[i + 1][1]) if i + 1 < len(rest) else ()
                run.article_segment(stages, nxt)
        run.write(on_write)
