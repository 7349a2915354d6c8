"""The ``lagebild`` command: a thin layer over the library.

Each command parses its options, makes one library call and prints the result.
Exit codes: 0 success; 1 an input failed (the rest were processed) or a
lagebild error stopped the command (printed as one ``Error: …`` line);
2 a usage error (unknown option, missing argument).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from typing import Any, Callable

import click

from . import __version__
from .errors import LagebildError

DB_HELP = "SQLite database file (default: $LAGEBILD_DB or ./lagebild.db)."


def _default_db() -> str:
    return os.environ.get("LAGEBILD_DB", "lagebild.db")


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn our exceptions into one ``Error: …`` line and exit code 1."""

    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except LagebildError as exc:
            _fail(str(exc))
            sys.exit(1)
        except BrokenPipeError:  # e.g. `lagebild extract … | head`
            sys.stderr.close()
            sys.exit(0)

    return wrapper


def _config(config_file: str | None, sets: tuple[str, ...], executor: str | None, workers: int | None,
            kb: tuple[str, ...] = ()) -> dict[str, Any]:
    from .config import load_config

    overrides = list(sets)
    if kb:
        overrides.append(f"stages.entities.kb_files={json.dumps([os.path.abspath(p) for p in kb])}")
    if executor:
        overrides.append(f"executor.kind={json.dumps(executor)}")
    if workers is not None:
        overrides.append(f"executor.workers={workers}")
    ctx = click.get_current_context(silent=True)
    scheduler = ctx.meta.get("lagebild.scheduler") if ctx is not None else None
    if scheduler:  # --scheduler ADDRESS (implies the dask executor unless one was named)
        overrides.append(f"executor.scheduler={json.dumps(scheduler)}")
        if executor and executor != "dask":
            from .errors import ConfigError

            raise ConfigError(f"--scheduler runs on a Dask cluster, not with --executor {executor} "
                              "— drop one of the two (or use --executor dask)")
        if not executor:
            overrides.append('executor.kind="dask"')
    return load_config(config_file, overrides)


def _executor_options(fn: Callable[..., Any], what: str = "per-article stages run") -> Callable[..., Any]:
    fn = click.option("--workers", type=int, default=None, help="Worker processes (0 = one per core).")(fn)
    fn = click.option(
        "--scheduler", metavar="ADDRESS", default=None, expose_value=False,
        callback=lambda ctx, _param, value: ctx.meta.__setitem__("lagebild.scheduler", value),
        help="Address of a running Dask scheduler (e.g. tcp://host:8786); implies --executor dask. See docs/scale.md.",
    )(fn)
    return click.option(
        "--executor", type=click.Choice(["inline", "process", "dask"]), default=None,
        help=f"Where {what} (dask: a Dask cluster, see docs/scale.md)."
    )(fn)


def _pipeline_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option(
        "--kb", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="FILE",
        help="An extra knowledge-base file (TOML, see docs/kb.md); repeatable.",
    )(fn)
    fn = _executor_options(fn)
    fn = click.option(
        "--set", "sets", multiple=True, metavar="KEY=VALUE", help="Override a setting, e.g. stages.dedup.threshold=0.9."
    )(fn)
    fn = click.option(
        "--config", "config_file", type=click.Path(dir_okay=False), default=None, help="User settings file (TOML)."
    )(fn)
    return fn


class _ProgressPrinter:
    """A rich progress counter on stderr, shown only on a terminal and after a handful of inputs."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._progress: Any = None
        self._task: Any = None

    def __call__(self, done: int, name: str) -> None:
        if not self.enabled or done < 5:
            return
        if self._progress is None:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.completed} inputs"),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("", total=None)
        self._progress.update(self._task, completed=done, description=name[-60:])

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lagebild")
def cli() -> None:
    """lagebild — from raw news articles to a sourced situation picture."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", default=_default_db, show_default="lagebild.db", help=DB_HELP)
@_pipeline_options
@click.option("--out", "out", default=None, type=click.Path(file_okay=False), metavar="DIR",
              help="Also write the picture there: report.html, report.md, picture.json, exports.")
@click.option("-q", "--quiet", is_flag=True, help="No progress, only errors and the summary.")
@_guard
def build(inputs: tuple[str, ...], db: str, config_file: str | None, sets: tuple[str, ...],
          executor: str | None, workers: int | None, kb: tuple[str, ...], out: str | None, quiet: bool) -> None:
    """Read INPUTS (files, folders, globs, - for stdin) into the database (and with --out, write the picture)."""
    from .api import build as run_build

    progress = _ProgressPrinter(not quiet)
    try:
        report = run_build(inputs, db, config=_config(config_file, sets, executor, workers, kb), progress=progress,
                           out=out)
    finally:
        progress.close()
    for message in report.errors:
        _fail(message)
    click.echo(
        f"{report.db}: {report.new} new, {report.updated} updated, {report.unchanged} unchanged articles "
        f"from {report.inputs} inputs; {report.failed} problem{'' if report.failed == 1 else 's'}"
    )
    if report.outputs:
        _print_outputs(report.outputs)
    sys.exit(report.exit_code)


def _print_outputs(paths: list[Any]) -> None:
    click.echo(f"report: {paths[0]}")
    click.echo(f"        ({len(paths)} files in {os.path.dirname(str(paths[0])) or '.'}: "
               f"{', '.join(os.path.basename(str(p)) for p in paths)})")


@cli.command()
@click.option("--db", default=_default_db, show_default="lagebild.db", help=DB_HELP)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Folder for report.html, report.md, picture.json and the exports (created if missing).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None, help="User settings file (TOML).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Override a setting, e.g. picture.report.title=Korea.")
@functools.partial(_executor_options, what="the stories' sentence encoder runs (from picture.stories.parallel_min "
                   "articles to place)")
@_guard
def picture(db: str, out: str, config_file: str | None, sets: tuple[str, ...], executor: str | None,
            workers: int | None) -> None:
    """Write the picture of an existing database (no re-run of the pipeline)."""
    from .api import write_picture

    _print_outputs(write_picture(db, out, config=_config(config_file, sets, executor, workers)))


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True,
              help="One JSON object per line, or one JSON array.")
@_pipeline_options
@_guard
def extract(inputs: tuple[str, ...], fmt: str, config_file: str | None, sets: tuple[str, ...],
            executor: str | None, workers: int | None, kb: tuple[str, ...]) -> None:
    """Print the article JSON of INPUTS to stdout (no database)."""
    from .api import extract as run_extract

    result = run_extract(inputs, config=_config(config_file, sets, executor, workers, kb))
    docs = [a.to_dict() for a in result.articles]
    if fmt == "json":
        click.echo(json.dumps(docs, ensure_ascii=False, indent=2))
    else:
        for doc in docs:
            click.echo(json.dumps(doc, ensure_ascii=False))
    for message in result.errors:
        _fail(message)
    sys.exit(result.exit_code)


@cli.command()
@click.argument("article_id")
@click.option("--db", default=_default_db, show_default="lagebild.db", help=DB_HELP)
@click.option("--removed", is_flag=True, help="List the removed raw lines with their reasons.")
@click.option("--json", "as_json", is_flag=True, help="Print the article JSON.")
@_guard
def show(article_id: str, db: str, removed: bool, as_json: bool) -> None:
    """Show one article (ID or a unique prefix of it)."""
    from .store import open_store
    from .views import render_article, render_removed

    with open_store(db, read_only=True) as store:
        article = store.get_article(article_id)
    if as_json:
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
    elif removed:
        click.echo(render_removed(article))
    else:
        click.echo(render_article(article))


@cli.command()
@click.argument("query", required=False, default="")
@click.option("--db", default=_default_db, show_default="lagebild.db", help=DB_HELP)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--outlet", default=None, help="Only articles of this outlet.")
@click.option("--language", default=None, help="Only articles in this language (ISO 639-1).")
@click.option("--from", "date_from", default=None, metavar="DATE",
              help="Only articles mentioning (or published on) a date from DATE on (YYYY, YYYY-MM, YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, metavar="DATE", help="… up to DATE (inclusive).")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON Lines.")
@_guard
def search(query: str, db: str, limit: int, outlet: str | None, language: str | None,
           date_from: str | None, date_to: str | None, as_json: bool) -> None:
    """Full-text search; diacritics and ä/ae spellings are folded."""
    from .store import open_store
    from .views import render_hit

    if not query.strip() and not (date_from or date_to):
        raise click.UsageError("give a QUERY, or --from/--to to search by date")
    with open_store(db, read_only=True) as store:
        hits = store.search(query, limit=limit, outlet=outlet, language=language,
                            date_from=date_from, date_to=date_to)
    for hit in hits:
        click.echo(json.dumps(hit.to_dict(), ensure_ascii=False) if as_json else render_hit(hit))
    if not hits and not as_json:
        click.echo(f"No article matches {query!r}." if query else "No article matches.", err=True)


@cli.command()
@click.option("--db", default=_default_db, show_default="lagebild.db", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_guard
def stats(db: str, as_json: bool) -> None:
    """Counts: articles, sources, outlets, languages, duplicates, removed lines."""
    from .store import open_store
    from .views import render_stats

    with open_store(db, read_only=True) as store:
        figures = store.stats()
    click.echo(json.dumps(figures, ensure_ascii=False, indent=2) if as_json else render_stats(figures))


@cli.command()
@click.option("--db", default=_default_db, show_default="lagebild.db", help=DB_HELP)
@click.option("--type", "etype", type=click.Choice(["PER", "ORG", "GPE", "LOC", "MISC"]), default=None,
              help="Only entities of this type.")
@click.option("--json", "as_json", is_flag=True, help="Print the entities as JSON Lines.")
@_guard
def entities(db: str, etype: str | None, as_json: bool) -> None:
    """List the entities found in the stored articles, most mentioned first."""
    from .store import open_store

    with open_store(db, read_only=True) as store:
        found = store.entities(type=etype)
    for e in found:
        if as_json:
            click.echo(json.dumps(e, ensure_ascii=False))
        else:
            origin = "" if e["kb"] else "  (not in KB)"
            click.echo(f"{e['mentions']:5d} mentions {e['articles']:4d} articles  {e['type'] or '?':4s} "
                       f"{e['name']} [{e['id']}]{origin}")
    if not found and not as_json:
        click.echo("No entities stored — run `lagebild build` with the entities stage.", err=True)


CLAIM_STATUSES = ("asserted", "reported", "quoted", "hedged", "denied", "speculated")


def _width() -> int:
    """Line width for listings: the terminal's, or 200 when the output is not a terminal."""
    import shutil

    return shutil.get_terminal_size((200, 24)).columns if sys.stdout.isatty() else 200


@cli.command()
@click.option("--entity", default=None, metavar="ID", help="Only claims this entity makes, relays or is named in.")
@click.option("--role", type=click.Choice(["speaker", "source", "mentioned", "any"]), default="any",
              show_default=True, help="With --entity: as speaker (says), source (relays), mentioned (about).")
@click.option("--status", type=click.Choice(CLAIM_STATUSES), default=None, help="Only claims of this status.")
@click.option("--db", default=_default_db, show_default="lagebild.db", help=DB_HELP)
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print each claim with its article as JSON Lines.")
@_guard
def claims(entity: str | None, role: str, status: str | None, db: str, limit: int, as_json: bool) -> None:
    """List what an actor says, relays, and what is said about it (or all claims)."""
    from .store import open_store
    from .views import render_claim

    if role != "any" and entity is None:
        raise click.UsageError("--role needs --entity ID")
    with open_store(db, read_only=True) as store:
        found = store.claims(entity, role=role, status=status, limit=limit)
    what = f" for {entity!r}" if entity else ""
    _print_hits(found, as_json, render_claim, f"No claims{what} stored — run `lagebild build` with the claims stage.")


def _print_hits(found: list[Any], as_json: bool, render: Callable[[Any, int], str], empty: str) -> None:
    """Each hit as a line (or JSON Lines); ``empty`` on stderr when there is none."""
    width = _width()
    for hit in found:
        click.echo(json.dumps(hit.to_dict(), ensure_ascii=False) if as_json else render(hit, width))
    if not found and not as_json:
        click.echo(empty, err=True)


@cli.command()
@click.option("--measure", default=None, metavar="KEY", help="Only quantities of this measure, e.g. count:soldat.")
@click.option("--db", default=_default_db, show_default="lagebild.db", help=DB_HELP)
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print each quantity with its article as JSON Lines.")
@_guard
def quantities(measure: str | None, db: str, limit: int, as_json: bool) -> None:
    """List the numbers found across articles, by measure and date, with who states them."""
    from .store import open_store
    from .views import render_quantity

    with open_store(db, read_only=True) as store:
        found = store.quantities(measure, limit=limit)
    what = f" of measure {measure!r}" if measure else ""
    _print_hits(found, as_json, render_quantity,
                f"No quantities{what} stored — run `lagebild build` with the quantities stage.")


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but 127.0.0.1/localhost exposes the app to the network.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--read-only", "read_only", is_flag=True, help="Refuse every write (uploads answer 403).")
@click.option("--workers", "web_workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes (each keeps its own copy of the picture in memory).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None, help="User settings file (TOML).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Override a setting, e.g. web.page_size=20.")
@_guard
def serve(db: str, host: str, port: int, read_only: bool, web_workers: int, config_file: str | None,
          sets: tuple[str, ...]) -> None:
    """Serve the web app and HTTP API over the database DB (see docs/web.md)."""
    from .web import serve as run_server

    run_server(db, host=host, port=port, read_only=read_only, config=_config(config_file, sets, None, None),
               workers=web_workers)


@cli.command()
@_guard
def stages() -> None:
    """List the known pipeline stages with what they need and set."""
    from .pipeline import registry

    for s in registry().values():
        click.echo(f"{s.name} ({s.level}): needs {', '.join(sorted(s.requires))}; sets {', '.join(sorted(s.sets))}")


def main() -> None:
    import logging

    # the HTML extractors log every odd page; lagebild reports bad inputs itself
    for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    cli(prog_name="lagebild")


if __name__ == "__main__":  # pragma: no cover
    main()
