"""Hostile and broken inputs: each gives one clear line naming it, the batch goes on, memory stays bounded.

The bad files of the foundation issue (empty, binary, unknown format, undecodable,
50 MB, malformed HTML/JSON, empty folder, no permission) are covered in
tests/ingest/test_ingest_errors.py and tests/ingest/test_ingest_sources.py; this
file adds what attacks the reader itself: gzip bombs inside WARC, 100,000-level
HTML, a JSON Lines file with one bad line, link loops, a named pipe, files that
change or vanish while read, and a 200 MB single line.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import tracemalloc
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from reliability_support import HOSTILE, run_cli

from lagebild import api
from lagebild.config import load_config
from lagebild.errors import EmptyInputError, InputAccessError, InputError
from lagebild.ingest import SourceSpec, _reader, expand_inputs, read_source
from lagebild.model import Article

GOOD_1 = ("Gute Meldung", "Die Stadt hat am Montag einen neuen Haushalt beschlossen, der mehr Geld für Schulen vorsieht.")
GOOD_2 = ("Zweite Meldung", "Der Verkehrsverbund kündigt für den Winter zusätzliche Busse auf den Dörfern an.")
BOMB_MIB = 1024  # 1 GiB once inflated; about 1 MB on disk


def _read(path: Path, **settings: Any) -> list[Article | InputError]:
    s = {"raise_unexpected": True, **settings}
    out: list[Article | InputError] = []
    for item in expand_inputs([str(path)], s):
        out.extend(read_source(item, s) if isinstance(item, SourceSpec) else [item])
    return out


def _kinds(results: list[Article | InputError]) -> list[str]:
    return [type(r).__name__ for r in results]


def _bomb_warc(gen: ModuleType, path: Path, mode: str, mib: int = BOMB_MIB) -> Path:
    """Good record, hostile record, good record — the hostile one as ``mode`` says."""
    good1, good2 = gen.html_payload(*GOOD_1), gen.html_payload(*GOOD_2)
    with path.open("wb") as f:
        before, after = gen.warc_record("http://example.org/eins", len(good1))
        gen.gzip_member(f, before + good1 + after)
        if mode == "record":  # a record declaring a GiB of content, all in one gzip member
            before, after = gen.warc_record("http://example.org/bombe", mib * gen.MiB)
            gen.gzip_member(f, before, mib, after)
        elif mode == "trailing":  # a sane record whose gzip member runs on with a GiB of NUL bytes
            before, after = gen.warc_record("http://example.org/nachlauf", len(good1))
            gen.gzip_member(f, before + good1.replace(b"Gute", b"Dritte") + after, mib)
        elif mode == "encoding":  # the HTTP body itself is gzip (Content-Encoding) and inflates to a GiB
            body = io.BytesIO()
            gen.gzip_member(body, b"<html><body><p>", mib, b"</p></body></html>")
            before, after = gen.warc_record("http://example.org/kodiert", len(body.getvalue()),
                                            "Content-Type: text/html\r\nContent-Encoding: gzip")
            gen.gzip_member(f, before + body.getvalue() + after)
        before, after = gen.warc_record("http://example.org/zwei", len(good2))
        gen.gzip_member(f, before + good2 + after)
    assert path.stat().st_size < 3_000_000
    return path


def _traced(fn: Any, gen: ModuleType, tmp_path: Path) -> tuple[Any, float]:
    """``fn()`` and the peak of Python allocations during it (MiB), after a warm-up read (imports, caches)."""
    warm = gen.write_warc(tmp_path / "warm.warc.gz", [("http://example.org/w", gen.html_payload(*GOOD_2))])
    assert _kinds(_read(warm)) == ["Article"]
    tracemalloc.start()
    try:
        result = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak / (1 << 20)


# -- gzip bombs inside WARC -------------------------------------------------------


def test_warc_record_declaring_a_gibibyte_is_not_inflated(gen: ModuleType, tmp_path: Path) -> None:
    path = _bomb_warc(gen, tmp_path / "bomb.warc.gz", "record")
    results, peak = _traced(lambda: _read(path), gen, tmp_path)
    assert _kinds(results) == ["Article", "InputTooLargeError"]
    assert results[0].title == GOOD_1[0]  # type: ignore[union-attr]
    http_head = len(gen.warc_record("x", 0)[0].split(b"\r\n\r\n", 1)[1])  # the HTTP status and headers
    assert str(results[1]) == (
        f"{path}#2: the compressed record declares {BOMB_MIB * gen.MiB + http_head} bytes uncompressed, over the limit of "
        "500000000 (a gzip bomb?); the records before it were read, the rest of the file was not — if the archive "
        "is trusted, raise the limit (--set ingest.max_warc_record_bytes=BYTES)"
    )
    assert peak < 64, f"{peak:.0f} MiB allocated while reading a bomb"


def test_decompression_cap_is_a_setting(gen: ModuleType, tmp_path: Path) -> None:
    path = _bomb_warc(gen, tmp_path / "bomb.warc.gz", "record", mib=40)
    capped = _read(path, max_warc_record_bytes=30 * gen.MiB)
    assert _kinds(capped) == ["Article", "InputTooLargeError"]
    assert "over the limit of 31457280 (a gzip bomb?)" in str(capped[1])
    # a trusted archive under a raised cap: the big record is inflated (bounded reads), refused by
    # max_bytes, and the record after it is read
    raised, peak = _traced(lambda: _read(path, max_warc_record_bytes=50 * gen.MiB, max_bytes=2_000_000), gen, tmp_path)
    assert _kinds(raised) == ["Article", "InputTooLargeError", "Article"]
    assert str(raised[1]) == (
        f"{path}#2: the HTML response is larger than 2000000 bytes — raise ingest.max_bytes to read it"
    )
    assert raised[2].title == GOOD_2[0]  # type: ignore[union-attr]
    assert peak < 64, f"{peak:.0f} MiB allocated"


def test_gzip_member_running_on_after_a_record(gen: ModuleType, tmp_path: Path) -> None:
    # before the fix warcio gathered the GiB of NUL bytes as one "line" (about 15 GB of memory)
    path = _bomb_warc(gen, tmp_path / "trailing.warc.gz", "trailing")
    results, peak = _traced(lambda: _read(path), gen, tmp_path)
    assert _kinds(results) == ["Article", "Article", "MalformedInputError"]
    assert [r.title for r in results[:2]] == [GOOD_1[0], "Dritte Meldung"]  # type: ignore[union-attr]
    assert str(results[2]) == (
        f"{path}: broken WARC data after record 2 (a header line longer than 1048576 bytes — not WARC data)"
        " — check that the file is complete; the records before it were read"
    )
    assert peak < 64, f"{peak:.0f} MiB allocated"


def test_gzip_content_encoding_bomb(gen: ModuleType, tmp_path: Path) -> None:
    path = _bomb_warc(gen, tmp_path / "encoded.warc.gz", "encoding")
    results, peak = _traced(lambda: _read(path, max_bytes=2_000_000), gen, tmp_path)
    assert _kinds(results) == ["Article", "InputTooLargeError", "Article"]
    assert str(results[1]) == f"{path}#2: the HTML response is larger than 2000000 bytes — raise ingest.max_bytes to read it"
    assert peak < 64, f"{peak:.0f} MiB allocated"


# -- markup and records -----------------------------------------------------------


def test_html_nested_100k_levels(gen: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text(gen.deep_html(100_000, GOOD_1[1]), encoding="utf-8")
    results = _read(path)
    assert _kinds(results) == ["MalformedInputError"]
    assert str(results[0]) == (
        f"{path}: no article text found in the HTML: its elements are nested 100003 levels deep, and the HTML "
        "parser stops at 255 — flatten the page or pass its text as a .txt file"
    )


def test_html_nested_within_the_parser_limit_is_read(gen: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text(gen.deep_html(200, GOOD_1[1]), encoding="utf-8")
    (article,) = _read(path)
    assert isinstance(article, Article) and GOOD_1[1] in article.raw_text


def test_jsonl_with_one_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    shutil.copy(HOSTILE / "mixed.jsonl", path)
    results = _read(path)
    assert _kinds(results) == ["Article", "Article", "MalformedInputError", "Article"]
    assert [r.title for r in results if isinstance(r, Article)] == [
        "Stadtrat beschließt Haushalt", "Brücke gesperrt", "Stadtfest verschoben"]
    assert str(results[2]) == (
        f"{path}:3: not valid JSON (Unterminated string starting at column 73) — fix or remove that line; "
        "the other lines are read"
    )


# -- the file system --------------------------------------------------------------


def _tree_with_loops(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(GOOD_1[1], encoding="utf-8")
    (root / "sub" / "b.txt").write_text(GOOD_2[1], encoding="utf-8")
    os.symlink("..", root / "sub" / "back")  # a folder link back up: walked once
    os.symlink(".", root / "self")
    os.symlink("y.txt", root / "x.txt")  # two file links pointing at each other
    os.symlink("x.txt", root / "y.txt")
    return root


def test_symlink_loops_in_a_folder(tmp_path: Path) -> None:
    root = _tree_with_loops(tmp_path / "in")
    results = _read(root)
    assert _kinds(results) == ["Article", "Article", "InputAccessError", "InputAccessError"]
    assert [str(r) for r in results[2:]] == [
        f"{root}/x.txt: symbolic link loop — point the link at a real file or folder",
        f"{root}/y.txt: symbolic link loop — point the link at a real file or folder",
    ]


def test_named_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "a.txt").write_text(GOOD_1[1], encoding="utf-8")
    # named explicitly: opened without waiting for a writer (this used to hang forever)
    (error,) = _read(fifo)
    assert isinstance(error, EmptyInputError)
    assert str(error) == (f"{fifo}: a named pipe (FIFO) that nothing writes to — write the article into the pipe "
                          "while lagebild reads it, or pass a regular file")
    # inside a folder: reported, not opened, the rest read
    results = _read(tmp_path)
    assert _kinds(results) == ["Article", "InputAccessError"]
    assert str(results[1]) == f"{fifo}: a named pipe (FIFO), not a regular file; not read from a folder — name it explicitly to read it"


def test_named_pipe_with_a_writer_is_read(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as f:  # blocks until the reader has opened the pipe
            f.write(GOOD_1[1].encode())

    writer = threading.Thread(target=write)
    # the reader opens first without blocking; give the writer a head start so the pipe has one
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # lets the writer's open() return
    writer.start()
    writer.join(5)
    try:
        (article,) = _read(fifo)
    finally:
        os.close(fd)
    assert isinstance(article, Article) and article.raw_text == GOOD_1[1]


class _Changing(io.FileIO):
    """A file that something else grows or truncates right after its first block is read."""

    action = "grow"

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        data = super().read(size)
        if _Changing.action == "done":
            return data
        with open(self.name, "r+b") as other:
            if _Changing.action == "grow":
                other.seek(0, 2)
                other.write(b" Nachtrag.")
            else:
                other.truncate(10)
        _Changing.action = "done"
        return data


@pytest.mark.parametrize("action", ["grow", "truncate"])
def test_file_changing_while_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, action: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text((GOOD_1[1] + "\n") * 200, encoding="utf-8")  # larger than the first block read
    size = path.stat().st_size
    _Changing.action = action
    monkeypatch.setattr(_reader, "open", lambda p, mode="rb": _Changing(p, "r"), raising=False)
    (error,) = _read(path)
    assert isinstance(error, InputAccessError)
    after = size + 10 if action == "grow" else 10
    assert str(error) == (f"{path}: changed while being read ({size} → {after} bytes) — something is still "
                          "writing it; run again once the file is complete")


def test_file_deleted_between_listing_and_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, (title, sentence) in enumerate([GOOD_1, GOOD_2, ("Drei", GOOD_1[1].replace("Montag", "Freitag"))]):
        (folder / f"{i}.txt").write_text(f"{title}\n\n{sentence}\n", encoding="utf-8")
    real = api.expand_inputs

    def listing_then_delete(inputs: Any, settings: Any) -> Any:
        for item in real(inputs, settings):
            if isinstance(item, SourceSpec) and item.name.endswith("1.txt"):
                os.remove(item.name)  # gone after it was listed, before it is read
            yield item

    monkeypatch.setattr(api, "expand_inputs", listing_then_delete)
    cfg = load_config(overrides=["executor.kind=inline", 'pipeline.stages=["clean","identify","dedup","nlp"]'])
    result = api.extract([str(folder)], config=cfg)  # the same reading loop as build, without a store
    assert result.errors == [f"{folder}/1.txt: no such file or folder — check the path and the current folder"]
    assert result.exit_code == 1
    assert sorted(p.source for a in result.articles for p in a.source) == [f"{folder}/0.txt", f"{folder}/2.txt"]


# -- the whole CLI at once ----------------------------------------------------------


@pytest.mark.slow
def test_cli_hostile_folder(gen: ModuleType, tmp_path: Path) -> None:
    """Every hostile kind in one folder: one ``Error:`` line each, the good ones stored, exit 1, memory bounded."""
    d = tmp_path / "in"
    _tree_with_loops(d)
    shutil.copy(HOSTILE / "mixed.jsonl", d / "mixed.jsonl")
    _bomb_warc(gen, d / "bomb.warc.gz", "record")
    _bomb_warc(gen, d / "trailing.warc.gz", "trailing")
    (d / "deep.html").write_text(gen.deep_html(100_000, GOOD_1[1]), encoding="utf-8")
    os.mkfifo(d / "pipe.txt")
    with (d / "huge.txt").open("wb") as f:  # 200 MB, one line, really written (not sparse)
        block = b"Ein Satz ohne Ende und ohne Zeilenumbruch " * 25_000
        while f.tell() < 200_000_000:
            f.write(block)
    db = tmp_path / "out.db"
    run = run_cli("build", str(d), "--db", str(db), "-q", "--set", "executor.kind=inline")
    errors = sorted(line for line in run.err.splitlines() if line.startswith("Error: "))
    assert run.rc == 1, run.err
    assert len(run.err.strip().splitlines()) == len(errors) == 8, run.err
    expected_starts = sorted([
        f"Error: {d}/bomb.warc.gz#2: the compressed record declares",
        f"Error: {d}/deep.html: no article text found in the HTML: its elements are nested 100003 levels deep",
        f"Error: {d}/huge.txt: {os.path.getsize(d / 'huge.txt') / 1e6:.1f} MB, over the limit of 20.0 MB",
        f"Error: {d}/mixed.jsonl:3: not valid JSON",
        f"Error: {d}/pipe.txt: a named pipe (FIFO), not a regular file",
        f"Error: {d}/trailing.warc.gz: broken WARC data after record 2",
        f"Error: {d}/x.txt: symbolic link loop",
        f"Error: {d}/y.txt: symbolic link loop",
    ])
    assert len(errors) == len(expected_starts)
    for line, start in zip(errors, expected_starts):
        assert line.startswith(start), (line, start)
    with sqlite3.connect(db) as conn:
        sources = sorted(r[0] for r in conn.execute("SELECT source FROM sources"))
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sources == sorted([
        f"{d}/a.txt", f"{d}/sub/b.txt", f"{d}/mixed.jsonl#1", f"{d}/mixed.jsonl#2", f"{d}/mixed.jsonl#4",
        f"{d}/bomb.warc.gz#1", f"{d}/trailing.warc.gz#1", f"{d}/trailing.warc.gz#2",
    ]), "every good input stored once"
    print(f"peak RSS {run.max_rss_mb:.0f} MB")
    assert run.max_rss_mb < 900, f"peak memory {run.max_rss_mb:.0f} MB with 1 GiB bombs and a 200 MB file"


@pytest.mark.slow
def test_cli_200mb_single_line_on_stdin(tmp_path: Path) -> None:
    """Standard input is read up to ingest.max_bytes only, never whole."""
    big = tmp_path / "line.txt"
    with big.open("wb") as f:
        block = b"Ein Satz ohne Ende " * 50_000
        while f.tell() < 200_000_000:
            f.write(block)
    run = run_cli("extract", "-", "--set", "executor.kind=inline", stdin_path=big)
    assert run.rc == 1
    assert run.err.strip() == (
        "Error: -: standard input is over the limit of 20000000 bytes — pass a file instead, or raise the limit "
        "(--set ingest.max_bytes=BYTES)"
    )
    assert run.out == ""
    small = tmp_path / "small.txt"
    small.write_bytes(b"Ein Satz ohne Ende " * 1_000_000)  # 19 MB: just under the limit, refused later as a
    baseline = run_cli("extract", "-", "--set", "executor.kind=inline", "--set", "ingest.max_bytes=1000",
                       stdin_path=small)  # ... 1000-byte limit: the same path, reading 1001 bytes
    assert baseline.rc == 1
    grown = run.max_rss_mb - baseline.max_rss_mb
    assert grown < 120, f"peak memory grew {grown:.0f} MB for a 200 MB input (reads at most max_bytes = 20 MB)"
