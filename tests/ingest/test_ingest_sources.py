"""Expanding inputs: files, folders, globs, stdin, links."""

from __future__ import annotations

import inspect
import io
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from lagebild.errors import InputAccessError, InputError, InputTooLargeError, NoArticlesError
from lagebild.ingest import SourceSpec, expand_inputs, read_path


def _tree(root: Path) -> None:
    files = {
        "b.txt": "Zweite Meldung über den Haushalt.",
        "a.html": "<html><body><p>Erste Meldung aus dem Rathaus mit genug Text für einen Absatz.</p></body></html>",
        "UPPER.TXT": "Meldung in Großbuchstaben-Datei.",
        "notes.md": "# not read from folders",
        "img.PNG": "not really an image",
        ".hidden.txt": "versteckt",
        ".git/x.txt": "versteckter Ordner",
        "sub/c.json": '{"text": "Dritte Meldung als JSON."}',
        "sub/deeper/d.jsonl": '{"text": "Vierte Meldung."}\n',
        "sub/deeper/e.text": "Fünfte Meldung.",
        "empty/.keep": "",
    }
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def _names(items: list[SourceSpec | InputError], root: Path) -> list[str]:
    out = []
    for item in items:
        assert isinstance(item, SourceSpec), str(item)
        assert item.path == item.name and item.data is None
        out.append(os.path.relpath(item.name, root))
    return out


def test_folder_is_walked_recursively_sorted_filtered(tmp_path: Path) -> None:
    _tree(tmp_path)
    items = list(expand_inputs([str(tmp_path)], {}))
    assert _names(items, tmp_path) == [
        "UPPER.TXT",
        "a.html",
        "b.txt",
        "sub/c.json",
        "sub/deeper/d.jsonl",
        "sub/deeper/e.text",
    ]


def test_hidden_entries_when_not_skipped(tmp_path: Path) -> None:
    _tree(tmp_path)
    names = _names(list(expand_inputs([str(tmp_path)], {"skip_hidden": False})), tmp_path)
    assert names[:3] == [".git/x.txt", ".hidden.txt", "UPPER.TXT"]


def test_extensions_setting(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert _names(list(expand_inputs([str(tmp_path)], {"extensions": [".md", ".json"]})), tmp_path) == [
        "notes.md",
        "sub/c.json",
    ]


def test_folder_reads_into_articles(tmp_path: Path) -> None:
    _tree(tmp_path)
    articles = read_path(tmp_path)
    assert [a.raw_text for a in articles] == [
        "Meldung in Großbuchstaben-Datei.",
        "Erste Meldung aus dem Rathaus mit genug Text für einen Absatz.",
        "Zweite Meldung über den Haushalt.",
        "Dritte Meldung als JSON.",
        "Vierte Meldung.",
        "Fünfte Meldung.",
    ]


def test_expansion_is_lazy(tmp_path: Path) -> None:
    gen = expand_inputs([str(tmp_path / "missing"), str(tmp_path)], {})
    assert inspect.isgenerator(gen)
    first = next(gen)
    assert isinstance(first, InputAccessError)
    assert str(first) == f"{tmp_path / 'missing'}: no such file or folder — check the path and the current folder"


def test_named_file_is_tried_whatever_its_extension(tmp_path: Path) -> None:
    _tree(tmp_path)
    items = list(expand_inputs([str(tmp_path / "notes.md")], {}))
    assert items == [SourceSpec(name=str(tmp_path / "notes.md"), path=str(tmp_path / "notes.md"))]


def test_several_inputs_and_duplicates(tmp_path: Path) -> None:
    _tree(tmp_path)
    b = str(tmp_path / "b.txt")
    items = list(expand_inputs([b, str(tmp_path / "sub"), b, str(tmp_path)], {}))
    assert _names(items, tmp_path) == [
        "b.txt",
        "sub/c.json",
        "sub/deeper/d.jsonl",
        "sub/deeper/e.text",
        "UPPER.TXT",
        "a.html",
    ]


def test_glob_with_double_star(tmp_path: Path) -> None:
    _tree(tmp_path)
    items = list(expand_inputs([str(tmp_path / "**" / "*.json*")], {}))
    assert _names(items, tmp_path) == ["sub/c.json", "sub/deeper/d.jsonl"]
    items = list(expand_inputs([str(tmp_path / "s*")], {}))  # a folder matched by a glob is walked
    assert _names(items, tmp_path) == ["sub/c.json", "sub/deeper/d.jsonl", "sub/deeper/e.text"]


def test_glob_reads_only_configured_extensions(tmp_path: Path) -> None:
    _tree(tmp_path)
    items = list(expand_inputs([str(tmp_path / "*")], {}))
    assert _names(items, tmp_path) == [
        "UPPER.TXT",
        "a.html",
        "b.txt",
        "sub/c.json",
        "sub/deeper/d.jsonl",
        "sub/deeper/e.text",
    ]
    only_md = str(tmp_path / "*.md")
    items = list(expand_inputs([only_md], {}))
    assert len(items) == 1 and isinstance(items[0], NoArticlesError)
    assert str(items[0]).startswith(f"{only_md}: the pattern matches no article file")


def test_glob_matching_nothing(tmp_path: Path) -> None:
    pattern = str(tmp_path / "**" / "*.warc")
    items = list(expand_inputs([pattern], {}))
    assert len(items) == 1 and isinstance(items[0], NoArticlesError)
    assert str(items[0]).startswith(f"{pattern}: the pattern matches no article file")


def test_folder_without_articles(tmp_path: Path) -> None:
    _tree(tmp_path)
    for folder in (tmp_path / "empty", tmp_path / ".git"):
        items = list(expand_inputs([str(folder)], {"extensions": [".html"]}))
        assert len(items) == 1 and isinstance(items[0], NoArticlesError)
        assert str(items[0]).startswith(f"{folder}: no article files in the folder — lagebild reads files ending in .html")


def test_symlink_loop_in_folder_does_not_hang(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "sub" / "deeper" / "back").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "sub" / "self").symlink_to(tmp_path / "sub", target_is_directory=True)
    items = list(expand_inputs([str(tmp_path)], {}))
    assert _names(items, tmp_path) == [
        "UPPER.TXT",
        "a.html",
        "b.txt",
        "sub/c.json",
        "sub/deeper/d.jsonl",
        "sub/deeper/e.text",
    ]


def test_file_link_loop_and_broken_link(tmp_path: Path) -> None:
    (tmp_path / "x.txt").symlink_to(tmp_path / "y.txt")
    (tmp_path / "y.txt").symlink_to(tmp_path / "x.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "ok.txt").write_text("Eine Meldung.", encoding="utf-8")
    items = list(expand_inputs([str(tmp_path)], {}))
    assert [type(i).__name__ for i in items] == ["InputAccessError", "SourceSpec", "InputAccessError", "InputAccessError"]
    assert str(items[0]).startswith(f"{tmp_path / 'gone.txt'}: broken symbolic link")
    assert str(items[2]).startswith(f"{tmp_path / 'x.txt'}: symbolic link loop")
    named = list(expand_inputs([str(tmp_path / "y.txt")], {}))
    assert len(named) == 1 and str(named[0]).startswith(f"{tmp_path / 'y.txt'}: symbolic link loop")


def test_unreadable_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("x", encoding="utf-8")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read any folder (root)")
        items = list(expand_inputs([str(locked)], {}))
        assert isinstance(items[0], InputAccessError)
        assert str(items[0]).startswith(f"{locked}: cannot open folder: permission denied")
    finally:
        locked.chmod(0o755)


def test_folder_permission_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the same path as above, for runs as root (where chmod 000 does not stop reading)
    from lagebild.ingest import _sources

    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path: str):  # type: ignore[no-untyped-def]
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(_sources.os, "scandir", scandir)
    (tmp_path / "a.txt").write_text("Meldung.", encoding="utf-8")
    items = list(expand_inputs([str(tmp_path)], {}))
    assert isinstance(items[0], SourceSpec) and items[0].name == str(tmp_path / "a.txt")
    assert isinstance(items[1], InputAccessError)
    assert str(items[1]) == f"{locked}: cannot open folder: permission denied — make it readable (chmod +rx) or leave it out"


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)
        self.reads = 0
        read = self.buffer.read

        def counting_read(n: int = -1) -> bytes:
            self.reads += 1
            return read(n)

        self.buffer.read = counting_read  # type: ignore[method-assign]


def test_stdin_is_read_lazily(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = _Stdin("Meldung von der Standardeingabe.".encode())
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=fake.buffer))
    (tmp_path / "a.txt").write_text("Datei", encoding="utf-8")
    gen = expand_inputs([str(tmp_path / "a.txt"), "-"], {})
    assert next(gen) == SourceSpec(name=str(tmp_path / "a.txt"), path=str(tmp_path / "a.txt"))
    assert fake.reads == 0
    spec = next(gen)
    assert spec == SourceSpec(name="-", data="Meldung von der Standardeingabe.".encode())
    assert fake.reads == 1


def test_stdin_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(b"x" * 101)))
    items = list(expand_inputs(["-"], {"max_bytes": 100}))
    assert len(items) == 1 and isinstance(items[0], InputTooLargeError)
    assert str(items[0]).startswith("-: standard input is over the limit of 100 bytes")


def test_no_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    items = list(expand_inputs(["-"], {}))
    assert len(items) == 1 and isinstance(items[0], InputAccessError)
    assert str(items[0]) == "-: there is no standard input to read — pipe the input in, or name a file"


def test_pathlike_inputs(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Eine Meldung.", encoding="utf-8")
    assert list(expand_inputs([tmp_path / "a.txt"], {})) == [  # type: ignore[list-item]
        SourceSpec(name=str(tmp_path / "a.txt"), path=str(tmp_path / "a.txt"))
    ]
