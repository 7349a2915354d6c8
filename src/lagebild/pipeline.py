"""Named pipeline stages and the runner that checks their contracts.

A stage is a pure, picklable, module-level function

* ``fn(article: Article, settings: dict) -> Article`` (level ``article``), or
* ``fn(corpus: Corpus, settings: dict) -> Corpus`` (level ``corpus``),

registered with :func:`stage`, declaring the :class:`~lagebild.model.Article`
fields it ``requires`` and the fields it ``sets``.  The stage list and each
stage's settings are configuration data (see :mod:`lagebild.config`).

The runner checks, before anything runs, that every stage's requirements are
set by ingest or an earlier stage; while running, that no stage changed a field
it did not declare (by identity always; by value in ``strict`` mode).  A corpus
stage returns the *same* article object for articles it leaves alone; articles
it changes are re-run through the per-article stages that follow it.
"""

from __future__ import annotations

import copy
import functools
import importlib
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Literal, Mapping, Sequence

from .errors import PipelineError, StageContractError
from .model import ARTICLE_FIELDS, Article, Corpus

__all__ = ["Stage", "Parts", "stage", "corpus_stage", "run_parts", "registry", "get_stage", "Pipeline", "INGEST_SETS"]

Level = Literal["article", "corpus"]

#: Fields every article has once ingest has read it.
INGEST_SETS = frozenset(
    {"source", "outlet", "agencies", "title", "language", "published", "raw_text", "metadata"}
)

#: Modules whose import registers the built-in stages.
_STAGE_MODULES = (
    "lagebild.clean.furniture",
    "lagebild.clean.identify",
    "lagebild.clean.boilerplate",
    "lagebild.clean.dedup",
    "lagebild.extract.time.stage",
    "lagebild.nlp.stage",
    "lagebild.extract.entities",
    "lagebild.extract.time.roles",
    "lagebild.extract.quantities",
    "lagebild.extract.claims",
    "lagebild.extract.events",
    "lagebild.link.entities",
    "lagebild.extract.time.corpus",
)


@dataclass(frozen=True, slots=True)
class Parts:
    """A corpus stage in three picklable parts, so it can run without the whole corpus in memory.

    * ``summarize(article, settings) -> summary``: per article (may run in a worker); the
      summary is small and picklable (hashes, ids, a few strings), or ``None`` when the
      article takes no part.
    * ``decide(summaries, settings) -> {position: change}``: ``summaries`` is a sequence of
      every article's summary in corpus order (position = index).  In memory it is a list;
      in a streaming build a lazy sequence read from disk as it is iterated (re-iterable,
      indexable but one read per index): iterate it, and keep compact what must outlive
      one pass, so that the corpus's summaries are never all objects at once.  Returns a
      mapping (a dict, or a compact read-only mapping such as ``entity_merge``'s) with a
      small, picklable change only for the positions whose article must change.
    * ``apply(article, change, settings) -> Article``: per article (may run in a worker),
      returns the changed copy.

    The stage's corpus function is :func:`run_parts` over these parts, so the in-memory
    run and a streaming run (which summarises and applies batch by batch, the summaries
    waiting on disk) give the same articles by construction.
    """

    summarize: Callable[[Any, Mapping[str, Any]], Any]
    decide: Callable[[Sequence[Any], Mapping[str, Any]], Mapping[int, Any]]
    apply: Callable[[Any, Any, Mapping[str, Any]], Any]


def run_parts(parts: Parts, corpus: Corpus, settings: Mapping[str, Any]) -> Corpus:
    """The in-memory run of a partitioned corpus stage: summarise all, decide, apply the changes."""
    articles = corpus.articles
    changes = parts.decide([parts.summarize(a, settings) for a in articles], settings)
    if not changes:
        return corpus
    return corpus.replace(
        parts.apply(a, changes[i], settings) if i in changes else a for i, a in enumerate(articles)
    )


@dataclass(frozen=True, slots=True)
class Stage:
    """A named pipeline step and its contract."""

    name: str
    fn: Callable[..., Any]
    level: Level
    requires: frozenset[str]
    sets: frozenset[str]
    doc: str = ""
    #: other ``[stages.<name>]`` tables the stage reads, handed on as ``settings[<name>]``
    reads: frozenset[str] = frozenset()
    #: a corpus stage that can also run partitioned (summarise → decide → apply); see :class:`Parts`
    parts: Parts | None = None


_REGISTRY: dict[str, Stage] = {}


def stage(
    name: str,
    *,
    requires: Iterable[str],
    sets: Iterable[str],
    level: Level = "article",
    reads: Iterable[str] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a module-level function as the stage ``name``.

    ``reads`` names other settings tables (``[stages.<table>]``) the stage needs
    besides its own; each is handed on as the sub-table ``settings[<table>]``.
    """

    req, out = frozenset(requires), frozenset(sets)
    unknown = (req | out) - set(ARTICLE_FIELDS)
    if unknown:
        raise PipelineError(f"stage {name!r} declares unknown article fields {sorted(unknown)}")

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTRY[name] = Stage(name, fn, level, req, out, (fn.__doc__ or "").strip(), frozenset(reads))
        return fn

    return register


def corpus_stage(
    name: str,
    *,
    requires: Iterable[str],
    sets: Iterable[str],
    summarize: Callable[[Any, Mapping[str, Any]], Any],
    decide: Callable[[Sequence[Any], Mapping[str, Any]], Mapping[int, Any]],
    apply: Callable[[Any, Any, Mapping[str, Any]], Any],
    reads: Iterable[str] = (),
    doc: str = "",
) -> Stage:
    """Register the partitioned corpus stage ``name`` from its three module-level parts.

    Its corpus function is ``functools.partial(run_parts, parts)``; a streaming
    runner uses ``Stage.parts`` directly.  Returns the registered :class:`Stage`.
    """
    req, out = frozenset(requires), frozenset(sets)
    unknown = (req | out) - set(ARTICLE_FIELDS)
    if unknown:
        raise PipelineError(f"stage {name!r} declares unknown article fields {sorted(unknown)}")
    parts = Parts(summarize, decide, apply)
    registered = Stage(
        name, functools.partial(run_parts, parts), "corpus", req, out, doc.strip(), frozenset(reads), parts
    )
    _REGISTRY[name] = registered
    return registered


def registry() -> dict[str, Stage]:
    """All registered stages by name (built-in stages are imported on first use)."""
    for mod in _STAGE_MODULES:
        importlib.import_module(mod)
    return dict(_REGISTRY)


def get_stage(name: str) -> Stage:
    stages = registry()
    if name not in stages:
        raise PipelineError(
            f"unknown stage {name!r} in pipeline.stages — known stages: {', '.join(sorted(stages))}"
        )
    return stages[name]


class Pipeline:
    """An ordered, checked list of stages with their settings."""

    def __init__(
        self,
        stages: list[Stage],
        settings: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        strict: bool = False,
    ) -> None:
        self.stages = list(stages)
        given = settings or {}
        self.settings = {
            s.name: {**{t: dict(given.get(t, {})) for t in sorted(s.reads)}, **dict(given.get(s.name, {}))}
            for s in self.stages
        }
        self.strict = strict
        self.check()

    @classmethod
    def from_config(cls, config: Mapping[str, Any], *, strict: bool = False) -> Pipeline:
        names = list(config.get("pipeline", {}).get("stages", []))
        return cls([get_stage(n) for n in names], config.get("stages", {}), strict=strict)

    # -- static check -------------------------------------------------------
    def check(self) -> None:
        available = set(INGEST_SETS)
        seen: set[str] = set()
        for s in self.stages:
            if s.name in seen:
                raise PipelineError(f"stage {s.name!r} appears twice in pipeline.stages — list it once")
            seen.add(s.name)
            missing = s.requires - available
            if missing:
                raise PipelineError(
                    f"stage {s.name!r} needs {', '.join(sorted(missing))}, which no earlier stage sets — "
                    "put the stage that sets it before it in pipeline.stages"
                )
            available |= s.sets

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def segments(self) -> list[tuple[Level, list[Stage]]]:
        """Consecutive stages of one level, in order."""
        out: list[tuple[Level, list[Stage]]] = []
        for s in self.stages:
            if out and out[-1][0] == s.level:
                out[-1][1].append(s)
            else:
                out.append((s.level, [s]))
        return out

    @property
    def partitioned(self) -> bool:
        """True when every corpus stage has :class:`Parts` (so the build can stream)."""
        return all(s.parts is not None for s in self.stages if s.level == "corpus")

    def apply_change(self, name: str, article: Article, change: Any) -> Article:
        """Apply one change that the partitioned corpus stage ``name`` decided, checking its contract."""
        s = next((x for x in self.stages if x.name == name), None)
        if s is None or s.parts is None:
            raise PipelineError(f"stage {name!r} is not a partitioned corpus stage of this pipeline")
        out = s.parts.apply(article, change, self.settings[s.name])
        if not isinstance(out, Article):
            raise StageContractError(f"stage {s.name!r} returned {type(out).__name__}, not an Article")
        if out is not article:
            self._check_fields(s, article, out, None)
        return out

    def summarize(self, article: Article, stages: Sequence[Stage]) -> tuple[Any, ...]:
        """``article``'s summaries for the partitioned corpus ``stages`` (one each, in order)."""
        return tuple(s.parts.summarize(article, self.settings[s.name]) for s in stages if s.parts is not None)

    # -- running ------------------------------------------------------------
    def run_article(self, article: Article, stages: list[Stage] | None = None) -> Article:
        """Run per-article ``stages`` (default: all leading per-article stages)."""
        if stages is None:
            segs = self.segments()
            stages = segs[0][1] if segs and segs[0][0] == "article" else []
        for s in stages:
            article = self._apply_article(s, article)
        return article

    def _apply_article(self, s: Stage, article: Article) -> Article:
        before = copy.deepcopy(article) if self.strict else None
        out = s.fn(article, self.settings[s.name])
        if not isinstance(out, Article):
            raise StageContractError(f"stage {s.name!r} returned {type(out).__name__}, not an Article")
        self._check_fields(s, article, out, before)
        return out

    def _check_fields(self, s: Stage, old: Article, new: Article, before: Article | None) -> None:
        for f in ARTICLE_FIELDS:
            if f in s.sets:
                continue
            if getattr(new, f) is not getattr(old, f) and getattr(new, f) != getattr(old, f):
                raise StageContractError(
                    f"stage {s.name!r} changed {f!r}, which it does not declare in 'sets'"
                )
            if before is not None and getattr(before, f) != getattr(old, f):
                raise StageContractError(
                    f"stage {s.name!r} mutated its input's {f!r} in place — stages must return a copy"
                )

    def run_corpus(self, corpus: Corpus, fresh: set[str] | None = None, executor: Any = None) -> Corpus:
        """Run every segment after the first per-article one over ``corpus``.

        ``fresh`` names the ids of articles that have only been through the first
        per-article segment (default: all); the others (already stored) have been
        through the whole pipeline before.  Per-article segments after a corpus
        stage run on fresh articles and on those a corpus stage replaced — in
        ``executor`` (an :class:`~lagebild.executors.Executor`) when one is given.
        """
        segs = self.segments()
        start = 0 if segs and segs[0][0] == "corpus" else 1
        dirty = {id(a) for a in corpus.articles if fresh is None or a.id in fresh}
        for level, stages in segs[start:]:
            if level == "corpus":
                for s in stages:
                    old = {id(a) for a in corpus.articles}
                    new = s.fn(corpus, self.settings[s.name])
                    if not isinstance(new, Corpus):
                        raise StageContractError(f"stage {s.name!r} returned {type(new).__name__}, not a Corpus")
                    # checked against the article it replaces: the one old article with its id
                    # (two inputs with the same text share an id; such an article is not checked)
                    by_old: dict[str, Article | None] = {}
                    for a in corpus.articles:
                        by_old[a.id] = None if a.id in by_old else a
                    for a in new.articles:
                        prev = by_old.get(a.id)
                        if prev is not None and prev is not a:
                            self._check_fields(s, prev, a, None)
                    dirty |= {id(a) for a in new.articles if id(a) not in old}
                    corpus = new
            else:
                todo = [a for a in corpus.articles if id(a) in dirty]
                if executor is not None and len(todo) > 1:
                    done = iter(list(executor.map(functools.partial(self.run_article, stages=stages), todo)))
                else:
                    done = iter([self.run_article(a, stages) for a in todo])
                ran = [next(done) if id(a) in dirty else a for a in corpus.articles]
                dirty = {id(new) for old, new in zip(corpus.articles, ran) if id(old) in dirty}
                corpus = corpus.replace(ran)
        return corpus
