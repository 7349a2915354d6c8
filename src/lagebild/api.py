"""The library's front door: :func:`extract` and :func:`build`.

Both read inputs lazily, run the per-article stages in an executor (one task per
batch of inputs), merge articles that turn out to be the same (same id → one
article with several provenances), then run the corpus-level stages.  ``build``
writes each article in its own transaction.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, overload

from .config import load_config
from .errors import InputError, LagebildError
from .executors import Executor, make_executor
from .ingest import SourceSpec, expand_inputs, read_source
from .model import Article, Corpus
from .pipeline import Pipeline, Stage

__all__ = ["extract", "build", "write_picture", "add_texts", "ExtractResult", "BuildReport", "Progress"]

#: ``progress(done_inputs, name)`` is called after each input has been processed.
Progress = Callable[[int, str], None]


@dataclass(slots=True)
class ExtractResult:
    """Articles after all stages, and one message per input that failed."""

    articles: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


@dataclass(slots=True)
class BuildReport:
    """What a build did."""

    db: str
    run_id: int
    inputs: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    #: what ``update_stories`` did (``{assigned, new_stories, merges, splits}``); None if it did not run
    stories: dict[str, Any] | None = None
    #: the files written with ``out`` (report.html first), empty without ``out``
    outputs: list[Path] = field(default_factory=list)
    #: what happened to each article read from the inputs: id → inserted | updated | unchanged
    articles: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return len(self.errors)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


@dataclass(slots=True)
class _BatchResult:
    names: list[str]
    articles: list[Article]
    errors: list[str]
    #: per article: its summaries for the ``summarize`` stages (streaming build), or None to compute later
    summaries: list[Any] = field(default_factory=list)


def _process_batch(
    pipeline: Pipeline,
    ingest_settings: Mapping[str, Any],
    batch: list[SourceSpec],
    summarize: tuple[Stage, ...] = (),
) -> _BatchResult:
    """Worker task: read each input and run the first per-article segment.

    With ``summarize`` (partitioned corpus stages), also each article's summaries for them.
    """
    out = _BatchResult([], [], [])
    for spec in batch:
        out.names.append(spec.name)
        for item in read_source(spec, ingest_settings):
            if isinstance(item, InputError):
                out.errors.append(str(item))
                continue
            try:
                art = pipeline.run_article(item)
                summ = pipeline.summarize(art, summarize) if summarize else None
            except LagebildError as exc:
                out.errors.append(f"{spec.name}: {exc}")
                continue
            out.articles.append(art)
            out.summaries.append(summ)
    return out


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, max(1, size))):
        yield chunk


def _merge(into: Article, other: Article) -> Article:
    """One article read from several inputs: union of provenances, metadata filled in."""
    seen = {(p.source, p.record) for p in into.source}
    extra = [p for p in other.source if (p.source, p.record) not in seen]
    changes: dict[str, Any] = {}
    if extra:
        changes["source"] = into.source + extra
    for name in ("title", "language", "outlet"):
        if getattr(into, name) is None and getattr(other, name) is not None:
            changes[name] = getattr(other, name)
    if into.published.source == "unknown" and other.published.source != "unknown":
        changes["published"] = other.published
    agencies = into.agencies + [a for a in other.agencies if a not in into.agencies]
    if agencies != into.agencies:
        changes["agencies"] = agencies
    return into.replace(**changes) if changes else into


def _read_inputs(
    inputs: Iterable[str],
    pipeline: Pipeline,
    config: Mapping[str, Any],
    executor: Executor,
    progress: Progress | None,
    errors: list[str],
    counter: list[int],
    summarize: tuple[Stage, ...] = (),
) -> Iterator[tuple[Article, Any]]:
    """Read and process all inputs in ``executor``: ``(article, summaries)`` in input order.

    Input errors go to ``errors``; ``counter[0]`` ends as the number of inputs.
    """

    def good_specs() -> Iterator[SourceSpec]:
        for item in expand_inputs(inputs, config["ingest"]):
            if isinstance(item, InputError):
                errors.append(str(item))
            else:
                counter[0] += 1
                yield item

    task = functools.partial(_process_batch, pipeline, config["ingest"], summarize=tuple(summarize))
    batches = _batched(good_specs(), int(config["executor"].get("batch_size", 8)))
    done = 0
    for result in executor.map(task, batches):
        errors.extend(result.errors)
        summaries = result.summaries or [None] * len(result.articles)
        yield from zip(result.articles, summaries)
        for name in result.names:
            done += 1
            if progress:
                progress(done, name)


def _run_inputs(
    inputs: Iterable[str],
    pipeline: Pipeline,
    config: Mapping[str, Any],
    executor: Executor,
    progress: Progress | None,
    errors: list[str],
) -> tuple[dict[str, Article], int]:
    """Read and process all inputs; returns articles by id (merged) and the input count."""
    counter = [0]
    articles: dict[str, Article] = {}
    for art, _ in _read_inputs(inputs, pipeline, config, executor, progress, errors, counter):
        articles[art.id] = _merge(articles[art.id], art) if art.id in articles else art
    return articles, counter[0]


def _setup(
    config: Mapping[str, Any] | None, executor: Executor | None
) -> tuple[Mapping[str, Any], Pipeline, Executor, bool]:
    cfg = config if config is not None else load_config()
    pipeline = Pipeline.from_config(cfg)
    own = executor is None
    return cfg, pipeline, executor or make_executor(cfg["executor"]), own


def extract(
    inputs: Iterable[str],
    *,
    config: Mapping[str, Any] | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> ExtractResult:
    """Run the whole pipeline over ``inputs`` in memory (no database)."""
    cfg, pipeline, ex, own = _setup(config, executor)
    result = ExtractResult()
    try:
        articles, _ = _run_inputs(inputs, pipeline, cfg, ex, progress, result.errors)
        corpus = pipeline.run_corpus(Corpus(list(articles.values())), executor=ex)
    finally:
        if own:
            ex.close()
    result.articles = corpus.articles
    return result


def build(
    inputs: Iterable[str],
    db: str | Path,
    *,
    config: Mapping[str, Any] | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    out: str | Path | None = None,
) -> BuildReport:
    """Read ``inputs``, run the pipeline and write the articles to the store ``db``.

    Re-running on the same inputs is idempotent; articles already in the store
    take part in the corpus stages (duplicates, boilerplate) with the new ones.
    Then the stories are brought up to date (new articles assigned) and the
    picture is computed and saved in the store's picture cache — unless
    ``[build] picture = false`` and no ``out`` is given (articles only, for a
    large corpus added in several runs; the next build, :func:`write_picture`
    or ``lagebild serve`` catch up).  With ``out`` the picture is also written
    there (report.html, report.md, picture.json, exports — see docs/picture.md).
    """
    from .store import open_store  # store imports sqlite only when needed

    if out is not None:  # fail before the long part, not after it
        from .picture._export import ensure_out_dir

        ensure_out_dir(out)
    cfg, pipeline, ex, own = _setup(config, executor)
    inputs = list(inputs)
    with open_store(db, busy_timeout=cfg["store"]["busy_timeout"]) as store:
        run_id = store.start_run(inputs, dict(cfg))
        report = BuildReport(db=str(db), run_id=run_id)
        try:
            if _streams(cfg, pipeline):
                _build_streaming(store, pipeline, cfg, ex, inputs, progress, report)
            else:
                _build_in_memory(store, pipeline, cfg, ex, inputs, progress, report)
        finally:
            if own:
                ex.close()
        for message in report.errors:
            store.record_error(run_id, message.split(": ", 1)[0], message)
        store.finish_run(run_id, report.new, report.updated, report.failed)
    if out is None and not bool((cfg.get("build") or {}).get("picture", True)):
        return report
    from ._memory import give_back_memory

    give_back_memory()  # what the article phase freed, before the stories and the picture
    report.stories = _stories_step(db, cfg, None if own else ex)
    with open_store(db, busy_timeout=cfg["store"]["busy_timeout"]) as store:
        # the web app reads it from the cache; without --out it is never held whole
        picture = _save_picture(store, cfg, keep=out is not None)
        if out is not None and picture is not None:
            report.outputs = _write_picture(store, cfg, out, picture)
    return report


def _streams(cfg: Mapping[str, Any], pipeline: Pipeline) -> bool:
    """Stream the build unless ``[build] stream = false`` or a corpus stage has no parts."""
    return bool((cfg.get("build") or {}).get("stream", True)) and pipeline.partitioned


def _count(report: BuildReport, new_ids: Any, art: Article, status: str) -> None:
    if art.id in new_ids:
        report.articles[art.id] = status
    if status == "inserted":
        report.new += 1
    elif status == "updated":
        report.updated += 1
    else:
        report.unchanged += 1


def _build_streaming(
    store: Any, pipeline: Pipeline, cfg: Mapping[str, Any], ex: Executor, inputs: list[str],
    progress: Progress | None, report: BuildReport,
) -> None:
    """Articles streamed through a spool: memory bounded by the batch size (see :mod:`lagebild._stream`)."""
    from ._stream import stream_articles

    counter = [0]

    def read(summarize: tuple[Stage, ...]) -> Iterator[tuple[Article, Any]]:
        yield from _read_inputs(inputs, pipeline, cfg, ex, progress, report.errors, counter, summarize)

    def written(art: Article, status: str, from_run: bool) -> None:
        _count(report, (art.id,) if from_run else (), art, status)

    stream_articles(store, pipeline, ex, int(cfg["executor"].get("batch_size", 8)), read, _merge, written)
    report.inputs = counter[0]


def _build_in_memory(
    store: Any, pipeline: Pipeline, cfg: Mapping[str, Any], ex: Executor, inputs: list[str],
    progress: Progress | None, report: BuildReport,
) -> None:
    """The whole corpus in memory (a corpus stage without parts, or ``[build] stream = false``)."""
    new, report.inputs = _run_inputs(inputs, pipeline, cfg, ex, progress, report.errors)
    stored = {a.id: a for a in store.iter_articles()}
    fresh = {i for i in new if i not in stored}
    merged = [_merge(stored[i], a) if i in stored else a for i, a in new.items()]
    before = {id(a) for a in stored.values() if a.id not in new}
    corpus = Corpus([a for a in stored.values() if a.id not in new] + merged)
    corpus = pipeline.run_corpus(corpus, fresh=fresh, executor=ex)
    for art in corpus.articles:
        if id(art) in before:
            continue  # a stored article no stage touched
        _count(report, new, art, store.write_article(art))


def _update_stories(
    store: Any, cfg: Mapping[str, Any], *, release: bool = False, executor: Executor | None = None
) -> dict[str, Any]:
    """Bring the stories up to date, embedding through ``executor`` if given (when at least
    ``picture.stories.parallel_min`` articles are to be placed); ``release``: then let go of the sentence
    encoder (a one-shot build or ``write_picture``: the picture that follows does not use it, and it holds
    ~110 MB) and hand the freed heap back to the system, so the picture starts from a smaller process."""
    from ._memory import give_back_memory
    from .picture._embed import release_encoder
    from .picture._stories import update_stories

    try:
        return update_stories(store, cfg, executor=executor)
    finally:
        if release:
            release_encoder()
            give_back_memory()


def _stories_step(db: str | Path, cfg: Mapping[str, Any], given: Executor | None) -> dict[str, Any]:
    """Bring the stories of the store ``db`` up to date (no connection to it may be open here): through the
    caller's executor if ``given``, in this process; otherwise, with ``[build] stories_apart``, in a child
    process forked from this one (:func:`lagebild._memory.run_apart`), so that the memory the step held is
    the system's again before the picture is computed, not pages this process keeps, partly used."""
    from ._memory import run_apart
    from .picture._embed import release_encoder

    if given is None and bool((cfg.get("build") or {}).get("stories_apart", True)):
        stories = run_apart(_stories_of, str(db), cfg, False, what="the stories step")
        release_encoder()  # if this process had it from before: the picture does not use it
        return stories
    return _stories_of(str(db), cfg, True, given)


def _stories_of(db: str, cfg: Mapping[str, Any], release: bool, given: Executor | None = None) -> dict[str, Any]:
    from .store import open_store

    with open_store(db, busy_timeout=cfg["store"]["busy_timeout"]) as store:
        with _stories_executor(cfg, given) as stories_ex:
            return _update_stories(store, cfg, release=release, executor=stories_ex)


def _stories_executor(cfg: Mapping[str, Any], given: Executor | None) -> contextlib.AbstractContextManager[Executor]:
    """The executor the stories embed through: the caller's, as it is, or the configured one, started only
    if they need it — fresh workers, not those of the article phase, which hold the pipeline's caches; they
    load the encoder first (in a process pool's forkserver, if this starts it: then they share it)."""
    from .executors import DeferredExecutor

    if given is not None:
        return contextlib.nullcontext(given)
    return DeferredExecutor(cfg["executor"], preload=("lagebild.picture._warm_encoder",))


@overload
def _save_picture(store: Any, cfg: Mapping[str, Any]) -> dict[str, Any]: ...
@overload
def _save_picture(store: Any, cfg: Mapping[str, Any], *, keep: bool) -> dict[str, Any] | None: ...


def _save_picture(store: Any, cfg: Mapping[str, Any], *, keep: bool = True) -> dict[str, Any] | None:
    """Compute the picture and keep it in the store's picture cache (stories must be up to date).

    Returns it; ``keep=False`` writes it section by section as computed and returns None.
    """
    from .picture import build_picture, picture_sections

    if not keep:
        store.save_picture(picture_sections(store, cfg), store.fingerprint())
        return None
    picture = build_picture(store, cfg)
    store.save_picture(picture, store.fingerprint())
    return picture


def _write_picture(store: Any, cfg: Mapping[str, Any], out: str | Path, picture: dict[str, Any]) -> list[Path]:
    from .picture import write_outputs

    return write_outputs(picture, out, (cfg.get("picture") or {}).get("report"))


def write_picture(db: str | Path, out: str | Path, *, config: Mapping[str, Any] | None = None) -> list[Path]:
    """Write the picture of an existing store ``db`` into ``out`` without re-running the pipeline.

    Stories are first brought up to date (a no-op when ``build`` did it).
    Returns the files written, report.html first.
    """
    from .errors import NotFoundError
    from .store import open_store

    cfg = config if config is not None else load_config()
    if not Path(db).is_file():
        raise NotFoundError(f"no database at {str(db)!r} — build one first with `lagebild build INPUT... --db {db}`")
    _stories_step(db, cfg, None)
    with open_store(db, busy_timeout=cfg["store"]["busy_timeout"]) as store:
        return _write_picture(store, cfg, out, _save_picture(store, cfg))



#: Extensions an added text keeps (anything else is written as ``.txt`` and sniffed by ingest).
_ADD_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".json", ".jsonl", ".ndjson", ".warc", ".gz")


def _safe_suffix(name: str) -> str:
    """The extension of a user-given file name, if it is one ingest knows (``.warc.gz`` kept whole)."""
    lower = Path(str(name).replace("\\", "/")).name.lower()
    if lower.endswith(".warc.gz"):
        return ".warc.gz"
    suffix = Path(lower).suffix
    return suffix if suffix in _ADD_SUFFIXES and suffix != ".gz" else ".txt"


def _display_name(name: str, i: int) -> str:
    """What an uploaded text's provenance shows: its file name (no folders, no control characters, ≤ 200)."""
    base = Path(str(name).replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()[:200]
    return base or f"upload-{i}"


class _UploadNames(Executor):
    """Runs on ``inner``; the articles read from an upload's temporary files get the texts' own names as
    provenance source (not the server's temporary path)."""

    def __init__(self, inner: Executor, names: Mapping[str, str]) -> None:
        self.inner = inner
        self.names = dict(names)
        self.name = inner.name

    @property
    def workers(self) -> int:
        return self.inner.workers

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        for result in self.inner.map(fn, items):
            if isinstance(result, _BatchResult):
                renamed = [self._rename(a) for a in result.articles]
                if result.summaries:  # summaries of a renamed article are computed again later
                    result.summaries = [
                        s if new is old else None for s, old, new in zip(result.summaries, result.articles, renamed)
                    ]
                result.articles = renamed
            yield result

    def _rename(self, art: Article) -> Article:
        def renamed(source: str) -> str:
            path, sep, rest = source.partition("#")  # 'path#N' for records inside a container
            return self.names[path] + sep + rest if path in self.names else source

        sources = [dataclasses.replace(p, source=renamed(p.source)) for p in art.source]
        return art.replace(source=sources) if sources != list(art.source) else art

    def close(self) -> None:
        pass  # the caller closes ``inner``


def add_texts(
    db: str | Path,
    files: list[tuple[str, bytes]],
    *,
    config: Mapping[str, Any] | None = None,
    executor: Executor | None = None,
) -> BuildReport:
    """Add texts given as ``(name, bytes)`` to the store ``db`` through the whole pipeline (``build``).

    The bytes are written to a private temporary folder under generated names
    (``upload-001.html`` …) that keep only the extension of ``name`` — nothing of
    the name reaches the file system — so ingest's sniffing, decoding and size
    limits apply exactly as to files on disk.  Runs inline unless ``executor`` is
    given (a few texts do not pay for a process pool).  Error messages and the
    articles' provenance (``source``) name the text by its given name (its last
    path part), not by the temporary file.
    """
    import tempfile

    from .executors import InlineExecutor

    if not files:
        raise InputError("(upload)", "no texts given", "send at least one file or text")
    with tempfile.TemporaryDirectory(prefix="lagebild-add-") as tmp:
        paths: dict[str, str] = {}
        for i, (name, data) in enumerate(files, 1):
            path = Path(tmp) / f"upload-{i:03d}{_safe_suffix(name)}"
            path.write_bytes(bytes(data))
            paths[str(path)] = _display_name(name, i)
        ex = executor or InlineExecutor()
        try:
            report = build(list(paths), db, config=config, executor=_UploadNames(ex, paths))
        finally:
            if executor is None:
                ex.close()
    for i, message in enumerate(report.errors):
        for path, name in paths.items():
            message = message.replace(path, name)
        report.errors[i] = message
    return report
