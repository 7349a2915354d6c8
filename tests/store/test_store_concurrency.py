"""Readers beside a writer (WAL), a second writer waiting, and write speed."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from lagebild.errors import StoreError
from lagebild.model import Article, Provenance, Removed
from lagebild.store import open_store

BUSY = "database is busy — another lagebild build is writing to it; wait or use another --db"


def art(i: int) -> Article:
    text = f"Meldung Nummer {i}: Der Stadtrat in Köln berät über den Haushalt {2000 + i % 30}."
    return Article(id=f"{i:06d}ab", source=[Provenance(f"in/{i}.txt", "text")], title=f"Meldung {i}",
                   outlet=("Blatt A", "Blatt B")[i % 2], language="de", agencies=["dpa"], text=text,
                   raw_text="Menü\n" + text, kept_lines=[2], removed=[Removed([1], "navigation")],
                   line_map=[[0, len(text), 2]],
                   entities=[{"start": text.index("Köln"), "end": text.index("Köln") + 4, "text": "Köln"}])


def test_readers_see_whole_articles_while_a_writer_writes(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    open_store(db).close()
    total = 300
    errors: list[BaseException] = []
    seen: dict[int, list[int]] = {0: [], 1: []}  # article counts each reader saw, in order
    done = threading.Event()

    def writer() -> None:
        try:
            with open_store(db) as store:
                for i in range(total):
                    store.write_article(art(i))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    def reader(me: int) -> None:
        mine = seen[me]
        try:
            with open_store(db, read_only=True) as store:
                while True:
                    finished = done.is_set()
                    ids = store.article_ids()
                    assert not mine or len(ids) >= mine[-1]
                    mine.append(len(ids))
                    if ids:
                        last = store.get_article(ids[-1])
                        assert last.to_dict() == art(int(last.id[:6])).to_dict()  # never half-written
                        hits = store.search("Köln Haushalt", limit=1000)
                        assert len(hits) >= len(ids)  # the index is as far as the table
                    if finished:
                        return
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer), threading.Thread(target=reader, args=(0,)),
               threading.Thread(target=reader, args=(1,))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    for mine in seen.values():
        assert mine[-1] == total
        assert len(mine) > 2
    with open_store(db, read_only=True) as store:
        assert store.stats()["articles"] == total
        assert len(store.search("koeln", limit=1000)) == total


def test_a_second_writer_waits_then_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    open_store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another build holds the write lock
    try:
        with open_store(db, busy_timeout=0.3) as store:
            t0 = time.monotonic()
            with pytest.raises(StoreError) as exc:
                store.write_article(art(1))
            assert time.monotonic() - t0 >= 0.25
            assert str(exc.value) == f"{db}: {BUSY}"
            with pytest.raises(StoreError, match="database is busy"):
                store.start_run([], {})
            assert store.article_ids() == []  # reading still works
            holder.execute("ROLLBACK")
            assert store.write_article(art(1)) == "inserted"
    finally:
        holder.close()


def test_a_second_writer_proceeds_when_the_lock_is_freed_in_time(tmp_path: Path) -> None:
    db = tmp_path / "lb.db"
    open_store(db).close()
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    releaser.start()
    try:
        with open_store(db, busy_timeout=10) as store:
            t0 = time.monotonic()
            assert store.write_article(art(2)) == "inserted"
            assert 0.2 <= time.monotonic() - t0 < 9
    finally:
        releaser.join()
        holder.close()


def test_a_thousand_small_articles_are_written_quickly(tmp_path: Path) -> None:
    articles = [art(i) for i in range(1000)]
    with open_store(tmp_path / "lb.db") as store:
        t0 = time.perf_counter()
        results = [store.write_article(a) for a in articles]
        elapsed = time.perf_counter() - t0
        assert results == ["inserted"] * 1000
        assert store.stats()["articles"] == 1000
    assert elapsed < 10, f"1000 articles took {elapsed:.1f} s"
