"""Helpers for the partitioned corpus stages' tests: real corpora, and a simulated streaming run.

A streaming runner summarises articles one by one (maybe in a worker, so every
summary crosses a process boundary as a pickle), keeps only the summaries,
decides, then applies each change to an article that has itself been pickled.
:func:`assert_stream_equals_memory` does exactly that and compares the result
with the stage's in-memory run.
"""

from __future__ import annotations

import csv
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from support import EXAMPLES, shared_dir

from lagebild.config import load_config
from lagebild.errors import InputError
from lagebild.ingest import SourceSpec, expand_inputs, read_source
from lagebild.model import Article, Corpus
from lagebild.pipeline import Pipeline, get_stage

__all__ = ["read_inputs", "seeds_and_examples", "gnad_articles", "prepared", "stage_settings", "assert_stream_equals_memory", "before_entity_merge"]


def _roundtrip(x: Any) -> Any:
    return pickle.loads(pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL))


def read_inputs(paths: list[str]) -> list[Article]:
    """The articles ingest reads from ``paths`` (files or folders), unprocessed."""
    cfg = load_config(None, [])
    out: list[Article] = []
    for item in expand_inputs(paths, cfg["ingest"]):
        assert not isinstance(item, InputError), item
        for r in read_source(item, cfg["ingest"]):
            assert not isinstance(r, InputError), r
            out.append(r)
    return out


@lru_cache(maxsize=2)
def gnad_articles(limit: int = 0) -> tuple[Article, ...]:
    """10kGNAD test articles as bench/stages.py reads them ("<label>: Artikel <i>" as title); () without ../shared."""
    shared = shared_dir()
    path = shared / "data" / "10kgnad" / "test.csv" if shared else None
    if path is None or not path.is_file():
        return ()
    cfg = load_config(None, [])
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter=";", quotechar="'") if len(r) >= 2]
    if limit:
        rows = rows[:limit]
    out: list[Article] = []
    for i, (label, text) in enumerate(rows):
        data = f"{label}: Artikel {i}\n\n{text}\n".encode()
        out += list(read_source(SourceSpec(name=f"gnad#{i}", data=data, hint="text"), cfg["ingest"]))
    return tuple(out)


def _pipeline(upto: str, include: bool) -> Pipeline:
    cfg = load_config(None, [])
    names = list(cfg["pipeline"]["stages"])
    end = names.index(upto) + (1 if include else 0)
    return Pipeline([get_stage(n) for n in names[:end]], cfg["stages"])


def prepared(articles: list[Article] | tuple[Article, ...], upto: str) -> Corpus:
    """``articles`` through the default pipeline's stages before the stage ``upto``.

    Articles that get the same id are merged into one, as ``lagebild.api`` does.
    """
    from lagebild.api import _merge

    p = _pipeline(upto, include=False)
    by_id: dict[str | None, Article] = {}
    for a in (p.run_article(a) for a in articles):
        by_id[a.id] = _merge(by_id[a.id], a) if a.id in by_id else a
    return p.run_corpus(Corpus(list(by_id.values())))


def stage_settings(name: str) -> dict[str, Any]:
    """The settings the default pipeline hands the stage ``name``."""
    return _pipeline(name, include=True).settings[name]


def assert_stream_equals_memory(name: str, corpus: Corpus, settings: Mapping[str, Any], *,
                                apply_may_keep: bool = False) -> dict[int, Any]:
    """Run stage ``name`` streamed and in memory over ``corpus``; assert they agree. Returns the changes.

    ``apply_may_keep``: the stage's ``decide`` may name an article whose ``apply``
    then finds nothing to change and returns it as it is (the same object).
    """
    stage = get_stage(name)
    parts = stage.parts
    assert parts is not None, f"stage {name} is not partitioned"
    articles = corpus.articles

    summaries = []
    for a in articles:
        summary = parts.summarize(_roundtrip(a), settings)
        assert not isinstance(summary, (Article, Corpus))
        blob = pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL)
        if len(a.text) >= 200:  # a summary never carries the article's text
            assert a.text.encode("utf-8") not in blob and a.text.encode("utf-8")[:200] not in blob
        summaries.append(pickle.loads(blob))
    changes = _roundtrip(parts.decide(summaries, settings))
    assert all(isinstance(i, int) and 0 <= i < len(articles) for i in changes)
    streamed = []
    for i, a in enumerate(articles):
        if i in changes:
            copy = _roundtrip(a)
            new = parts.apply(copy, _roundtrip(changes[i]), settings)
            streamed.append(a if new is copy else new)
        else:
            streamed.append(a)

    memory = stage.fn(corpus, settings).articles
    assert [a.to_dict() for a in streamed] == [a.to_dict() for a in memory]
    # unchanged articles stay the same objects; changed ones really differ
    changed = {i for i, (a, b) in enumerate(zip(articles, memory)) if a is not b}
    for i in changed:
        assert memory[i].to_dict() != articles[i].to_dict(), f"article {i} replaced by an equal copy"
    if apply_may_keep:
        assert changed <= set(changes)
        for i in set(changes) - changed:
            assert streamed[i] is articles[i]
    else:
        assert changed == set(changes)
    assert {i for i, (a, b) in enumerate(zip(articles, streamed)) if a is not b} == changed
    return changes


def seeds_and_examples(shared: Path) -> list[Article]:
    """The five seeds, then every article under examples/, as ingest reads them."""
    return read_inputs([str(p) for p in sorted((shared / "seeds").glob("*.txt"))] + [str(EXAMPLES)])


@lru_cache(maxsize=2)
def before_entity_merge(which: str) -> Corpus:
    """``"small"``: seeds and examples; ``"gnad"``: the 1,028 10kGNAD test articles — through every
    stage before entity_merge (shared by the entity_merge and pubdate_corpus tests; skips without ../shared)."""
    import pytest

    shared = shared_dir()
    if shared is None:
        pytest.skip("../shared (seeds and open datasets) not found — set LAGEBILD_SHARED to run this test")
    if which == "small":
        return prepared(seeds_and_examples(shared), "entity_merge")
    arts = gnad_articles()
    if not arts:
        pytest.skip("../shared/data/10kgnad/test.csv not found — set LAGEBILD_SHARED to run this test")
    return prepared(arts, "entity_merge")
