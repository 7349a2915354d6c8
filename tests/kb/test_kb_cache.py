"""The compiled KB cache: identical to a fresh build, rebuilt when an input changes, safe when unusable."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest

from lagebild.kb import _base, _cache, load_kb
from support import in_a_fresh_process


@pytest.fixture()
def cache_in(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("LAGEBILD_CACHE_DIR", str(d))
    monkeypatch.delenv("LAGEBILD_KB_CACHE", raising=False)
    _base._load.cache_clear()
    yield d
    _base._load.cache_clear()


@pytest.fixture(scope="module")
def built():
    return _base._build(())


def test_cache_dir_follows_xdg_and_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.delenv("LAGEBILD_CACHE_DIR", raising=False)
    monkeypatch.delenv("LAGEBILD_KB_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache.cache_dir() == tmp_path / "xdg" / "lagebild"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert _cache.cache_dir() == Path.home() / ".cache" / "lagebild"
    monkeypatch.setenv("LAGEBILD_KB_CACHE", "0")
    assert _cache.cache_dir() is None


def test_cached_kb_is_identical_to_a_fresh_build(built, cache_in):
    key = _cache.cache_key(())
    path = _cache.write_cache(key, built._state())
    assert path is not None and path.parent == cache_in and path.stat().st_size > 100_000
    state = _cache.read_cache(key)
    assert state is not None
    cached = _base.KnowledgeBase._from_state(state)
    assert cached.entities == built.entities
    assert cached._index == built._index
    assert cached._adjectives == built._adjectives
    assert cached._holders == built._holders
    assert cached.max_tokens == built.max_tokens
    assert cached.alias_counts == built.alias_counts and cached.generic == built.generic
    # and it answers like the built one
    for s in ("Moskau", "Pjöngjang", "Schoigu", "Kreml", "Dabei"):
        assert cached.lookup(s) == built.lookup(s)
    assert cached.adjective("russischen") == built.adjective("russischen")
    assert cached.role_holders("defence_minister", "gpe:ru", "2023-07-27") == ["per:sergei_shoigu"]
    # load_kb now reads that file instead of building
    calls = []
    real = _base._build
    try:
        _base._build = lambda paths: calls.append(paths) or real(paths)  # type: ignore[assignment]
        kb = load_kb()
    finally:
        _base._build = real  # type: ignore[assignment]
    assert calls == [] and kb.entities == built.entities


def test_a_stale_or_foreign_cache_file_is_not_trusted(built, cache_in):
    key = _cache.cache_key(())
    path = _cache.write_cache(key, built._state())
    assert path is not None
    # a file at the right place whose recorded key differs (written for other inputs)
    with path.open("rb") as f:
        state = pickle.load(f)
    state["key"] = "0" * 64
    path.write_bytes(pickle.dumps(state))
    assert _cache.read_cache(key) is None
    path.write_bytes(b"not a pickle")
    assert _cache.read_cache(key) is None


def test_changed_user_file_changes_the_key_and_rebuilds(cache_in, tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text('[[entity]]\nid = "per:jane_roe"\ntype = "PER"\nname = "Jane Roe"\n', encoding="utf-8")
    k1 = _cache.cache_key((str(f),))
    assert k1 != _cache.cache_key(())
    kb1 = load_kb([f])
    assert [m.entity_id for m in kb1.lookup("Jane Roe")] == ["per:jane_roe"]
    assert len(list(cache_in.glob("kb-*.pickle"))) == 1
    f.write_text('[[entity]]\nid = "per:jane_roe"\ntype = "PER"\nname = "Jane Roe"\nshort = ["Roe"]\n', encoding="utf-8")
    assert _cache.cache_key((str(f),)) != k1
    _base._load.cache_clear()
    kb2 = load_kb([f])
    assert [m.entity_id for m in kb2.lookup("Roe")] == ["per:jane_roe"]
    assert len(list(cache_in.glob("kb-*.pickle"))) == 2


def test_unwritable_cache_dir_falls_back_to_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("LAGEBILD_CACHE_DIR", str(blocker / "sub"))  # a folder below a file: cannot be made
    assert _cache.write_cache("ab" * 32, {"x": 1}) is None
    assert _cache.read_cache("ab" * 32) is None


def test_old_cache_files_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("LAGEBILD_CACHE_DIR", str(tmp_path))
    for i in range(_cache._KEEP + 3):
        assert _cache.write_cache(f"{i:02x}" + "0" * 62, {"i": i}) is not None
    assert len(list(tmp_path.glob("kb-*.pickle"))) == _cache._KEEP


def _load_elsewhere(tmp_path: Path, cache_dir: Path) -> tuple[list[list[str]], list[str]]:
    """``load_kb()`` twice in a fresh interpreter with ``cache_dir`` (the second time after forgetting the
    first): the words it printed per load (its pid, entity count, Pjöngjang's first reading, Russia's
    defence minister in July 2023) and the pids of the processes that built the KB."""
    built = tmp_path / "built-by"
    out = in_a_fresh_process(f"""
        import os
        from lagebild.kb import _base, load_kb

        real = _base._build
        def build(paths):
            with open({str(built)!r}, "a", encoding="utf-8") as f:
                f.write(f"{{os.getpid()}}\\n")
            return real(paths)
        _base._build = build
        for _ in range(2):
            kb = load_kb()
            print(os.getpid(), len(kb.entities), kb.lookup("Pjöngjang")[0].entity_id,
                  *kb.role_holders("defence_minister", "gpe:ru", "2023-07-27"))
            _base._load.cache_clear()
    """, env={"LAGEBILD_CACHE_DIR": str(cache_dir), "LAGEBILD_KB_CACHE": "1"})
    return [line.split() for line in out.splitlines()], built.read_text(encoding="utf-8").split()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="run_apart forks only on Linux")
def test_a_missing_cache_file_is_built_in_a_child_process(tmp_path):
    # the build's scratch (word lists, geonames data) goes back to the system with the child; this
    # process reads the file it wrote, and the second time reads it without building
    loads, builders = _load_elsewhere(tmp_path, tmp_path / "cache")
    pid = loads[0][0]
    assert len(builders) == 1 and builders[0] != pid  # built once, not in the process that asked
    assert int(loads[0][1]) > 5000 and loads[0][2:] == ["city:kp:pyongyang", "per:sergei_shoigu"]
    assert loads[1] == loads[0]
    assert len(list((tmp_path / "cache").glob("kb-*.pickle"))) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="run_apart forks only on Linux")
def test_a_cache_folder_that_cannot_be_written_still_builds_once_per_load(tmp_path):
    # the child cannot write the file: it hands the compiled KB back instead of this process building it again
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    loads, builders = _load_elsewhere(tmp_path, blocker / "sub")
    pid = loads[0][0]
    assert len(builders) == 2 and pid not in builders  # no file to read: built again, each time in a child
    assert int(loads[0][1]) > 5000 and loads[0][2:] == ["city:kp:pyongyang", "per:sergei_shoigu"]
    assert loads[1] == loads[0]
