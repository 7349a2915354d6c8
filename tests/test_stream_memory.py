"""The streaming build's main process holds no corpus-sized state as objects.

* ``decide`` reads the summaries from the spool as it iterates: while a partitioned
  stage decides, only a few of its summary objects are alive (in memory, all are);
* dedup with many near duplicates spread over batches and over two runs gives
  the same store streaming and in memory.
"""

from __future__ import annotations

import random
import weakref
from pathlib import Path
from typing import Any

from lagebild import api
from lagebild.config import load_config
from lagebild.model import Article
from lagebild.pipeline import corpus_stage
from lagebild.store import open_store


class Probe:
    """A summary that counts its live instances (unpickling goes through ``__new__``)."""

    __slots__ = ("length", "__weakref__")
    live: "weakref.WeakSet[Probe]" = weakref.WeakSet()

    def __new__(cls, *args: Any) -> Probe:
        obj = super().__new__(cls)
        cls.live.add(obj)
        return obj

    def __init__(self, length: int) -> None:
        self.length = length


SEEN: dict[str, Any] = {}


def _probe_summarize(article: Article, settings: Any) -> Probe:
    return Probe(len(article.text))


def _probe_decide(summaries: Any, settings: Any) -> dict[int, Any]:
    """Every article gets the corpus's longest text length; records how many summaries were alive."""
    most = 0
    longest = 0
    for s in summaries:
        most = max(most, len(Probe.live))
        longest = max(longest, s.length)
    SEEN.setdefault("live", []).append(most)
    SEEN.setdefault("type", []).append(type(summaries).__name__)
    return {i: longest for i in range(len(summaries))}


def _probe_apply(article: Article, change: Any, settings: Any) -> Article:
    return article.replace(metadata={**article.metadata, "toy_longest": change})


corpus_stage("toy_probe", requires=("text",), sets=("metadata",),
             summarize=_probe_summarize, decide=_probe_decide, apply=_probe_apply)


def config(stream: bool, stages: str, batch: int = 4) -> Any:
    return load_config(None, ['executor.kind="inline"', f"executor.batch_size={batch}",
                              f"build.stream={'true' if stream else 'false'}", "build.picture=false",
                              f"pipeline.stages={stages}"])


def stored(db: Path) -> dict[str, dict[str, Any]]:
    with open_store(db) as store:
        return {a.id: a.to_dict() for a in store.iter_articles()}


WORDS = [f"wort{i}" for i in range(300)] + ["Haus", "Stadt", "Regierung", "Polizei", "Bahn", "Wasser"]


def write_texts(folder: Path, n_base: int, seed: int) -> list[str]:
    """Text files: stories, chains of lightly edited copies, exact copies, a shared paragraph."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    shared = " ".join(rng.choice(WORDS) for _ in range(30))
    texts: list[str] = []
    for _ in range(n_base):
        words = [rng.choice(WORDS) for _ in range(rng.choice([80, 160]))]
        for _ in range(rng.randrange(1, 5)):
            texts.append("\n\n".join(" ".join(words[k : k + 40]) for k in range(0, len(words), 40))
                         + ("\n\n" + shared if rng.random() < 0.3 else ""))
            if rng.random() < 0.2:
                texts.append(texts[-1])
            for _ in range(rng.randrange(1, 3)):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
    rng.shuffle(texts)
    paths = []
    for k, t in enumerate(texts):
        p = folder / f"t{k:04d}.txt"
        p.write_text(f"Meldung {k}\n\n{t}\n", encoding="utf-8")
        paths.append(str(p))
    return paths


def test_decide_reads_summaries_lazily_not_all_alive(tmp_path: Path) -> None:
    paths = write_texts(tmp_path / "in", 20, seed=3)
    stages = '["clean", "identify", "toy_probe"]'
    SEEN.clear()
    api.build(paths, tmp_path / "s.db", config=config(True, stages))
    streaming = dict(SEEN)
    SEEN.clear()
    api.build(paths, tmp_path / "m.db", config=config(False, stages))
    in_memory = dict(SEEN)
    n = len(stored(tmp_path / "s.db"))
    assert n >= 40
    assert stored(tmp_path / "s.db") == stored(tmp_path / "m.db")
    assert {a["metadata"]["toy_longest"] for a in stored(tmp_path / "s.db").values()} == {
        max(len(a["text"]) for a in stored(tmp_path / "s.db").values())
    }
    assert in_memory["live"] == [n]  # the in-memory build holds them all: the probe can see it
    assert streaming["type"] == ["_View"] and len(streaming["live"]) == 1
    assert streaming["live"][0] <= 2  # streaming: the one being read (and the previous one)


def test_dedup_near_duplicates_across_batches_and_runs_stream_as_in_memory(tmp_path: Path) -> None:
    paths = write_texts(tmp_path / "in", 30, seed=11)
    stages = '["clean", "identify", "dedup"]'
    runs = [paths[: len(paths) // 2], paths]
    reports = {}
    for stream in (True, False):
        db = tmp_path / f"{stream}.db"
        reports[stream] = [api.build(r, db, config=config(stream, stages, batch=3)) for r in runs]
    got, want = stored(tmp_path / "True.db"), stored(tmp_path / "False.db")
    assert got == want
    for a, b in zip(reports[True], reports[False]):
        assert (a.inputs, a.new, a.updated, a.unchanged, a.articles) == (b.inputs, b.new, b.updated, b.unchanged, b.articles)
    groups = {a["duplicate_group"] for a in got.values() if a["duplicate_group"]}
    assert len(groups) >= 10 and sum(1 for a in got.values() if a["duplicate_of"]) >= 20
    assert any(a["shared_paragraphs"] for a in got.values())
    assert reports[True][1].updated >= 1  # stored articles joined groups in the second run
