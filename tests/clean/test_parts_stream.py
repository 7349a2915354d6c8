"""boilerplate and dedup as partitioned stages: a streamed run (pickled summaries, decide, apply) equals the in-memory run."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import pytest
from stream_parts import assert_stream_equals_memory, gnad_articles, prepared, seeds_and_examples, stage_settings

from lagebild.clean import boilerplate as bp
from lagebild.clean import dedup as dd
from lagebild.clean.boilerplate import REASON
from lagebild.model import Article, Corpus
from lagebild.pipeline import get_stage

BOXES = (
    "Unser Morgen-Briefing: Die wichtigsten Nachrichten des Tages, jeden Morgen um 6 Uhr.",
    "Mehr zum Thema lesen Sie in unserem Dossier.",
)


PLACES = ("Ahrweiler", "Bingen", "Celle", "Detmold", "Emden", "Fulda", "Goslar", "Hameln")


def _invented(n: int) -> list[Article]:
    """Articles of two outlets whose third paragraph is the outlet's box (raw, not yet cleaned)."""
    out = []
    for i in range(n):
        outlet = ("bote.example", "kurier.example")[i % 2]
        w = PLACES[i]
        raw = (
            f"Meldung über {w} und die Folgen\n\n"
            f"Dies ist der erste Absatz der Meldung über {w}, er beschreibt ausführlich, was in {w} geschehen ist.\n\n"
            f"{BOXES[i % 2]}\n\n"
            f"Ein zweiter Absatz mit weiteren Einzelheiten zu {w}, damit der Text nicht zu kurz ist.\n"
        )
        out.append(Article(raw_text=raw, language="de", outlet=outlet))
    return out


@pytest.fixture(scope="module")
def small(shared: Path) -> Corpus:
    """Seeds, examples and invented outlet articles, cleaned and identified."""
    return prepared(seeds_and_examples(shared) + _invented(6), "boilerplate")


def _gnad_corpus() -> Corpus:
    """10kGNAD with the category as outlet (its "<label>: Artikel <n>" title line is then boilerplate)
    and every tenth article copied to another outlet with three words changed (near duplicates)."""
    arts = list(gnad_articles())
    if not arts:
        pytest.skip("../shared/data/10kgnad/test.csv not found — set LAGEBILD_SHARED to run this test")
    rng = random.Random(8)
    out = [a.replace(outlet=a.raw_text.split(":", 1)[0].lower() + ".example") for a in arts]
    for a in arts[::10]:  # copied from their raw text: 103 copies
        words = a.raw_text.split(" ")
        for _ in range(3):
            words[rng.randrange(len(words))] = "Xylophon"
        out.append(Article(raw_text=" ".join(words), language="de", outlet="kopie.example"))
    return prepared(out, "boilerplate")


def test_parts_are_registered_and_picklable() -> None:
    for name, mod in (("boilerplate", bp), ("dedup", dd)):
        parts = get_stage(name).parts
        assert parts is not None
        assert (parts.summarize, parts.decide, parts.apply) == (mod.summarize, mod.decide, mod.apply)
        assert pickle.loads(pickle.dumps(parts)) == parts  # module-level functions: a worker can import them


def test_boilerplate_streamed_equals_memory_on_seeds_and_examples(small: Corpus) -> None:
    settings = stage_settings("boilerplate")
    changes = assert_stream_equals_memory("boilerplate", small, settings)
    # the six invented articles each lose their outlet's box; no seed or example changes
    assert len(changes) == 6 and set(changes) == set(range(len(small) - 6, len(small)))
    for i in changes:
        assert changes[i] == [5]  # raw line 5 is the box
    again = get_stage("boilerplate").fn(small, settings)
    assert all(REASON in {r.reason for r in again.articles[i].removed} for i in changes)
    # a second run over the output (stored articles) changes nothing
    assert assert_stream_equals_memory("boilerplate", again, settings) == {}


def test_dedup_streamed_equals_memory_on_seeds_and_examples(small: Corpus, shared: Path) -> None:
    # plus a copy of the first seed from another outlet: an exact duplicate with another id
    seed = sorted((shared / "seeds").glob("*.txt"))[0]
    copy = Article(raw_text=seed.read_text(encoding="utf-8"), language="de", outlet="kopie.example")
    corpus = get_stage("boilerplate").fn(small, stage_settings("boilerplate"))
    corpus = corpus.replace([*corpus.articles, *prepared([copy], "boilerplate").articles])
    settings = stage_settings("dedup")
    changes = assert_stream_equals_memory("dedup", corpus, settings)
    out = get_stage("dedup").fn(corpus, settings).articles
    assert out[-1].duplicate_group is not None and out[-1].duplicate_group == out[0].duplicate_group
    # the Donaublick article and an Aare-Bote feed item share agency paragraphs
    shared_outlets = {out[i].outlet for i in changes if out[i].shared_paragraphs}
    assert {"Donaublick", "Aare-Bote"} <= shared_outlets
    assert set(changes) == {i for i, a in enumerate(out) if a.duplicate_group or a.shared_paragraphs}
    # stored articles (already through dedup): nothing to redo
    assert assert_stream_equals_memory("dedup", Corpus(out), settings) == {}


def test_summaries_are_small(small: Corpus) -> None:
    for name, mod in (("boilerplate", bp), ("dedup", dd)):
        settings = stage_settings(name)
        for a in small.articles:
            size = len(pickle.dumps(mod.summarize(a, settings), protocol=pickle.HIGHEST_PROTOCOL))
            assert size < 1500 + len(a.text) // 4, (name, size)


@pytest.mark.shared
def test_streamed_equals_memory_on_10kgnad() -> None:
    corpus = _gnad_corpus()
    changes = assert_stream_equals_memory("boilerplate", corpus, stage_settings("boilerplate"))
    assert len(changes) > 1000  # the "<label>: Artikel <n>" line of every category with several articles
    corpus = get_stage("boilerplate").fn(corpus, stage_settings("boilerplate"))
    changes = assert_stream_equals_memory("dedup", corpus, stage_settings("dedup"))
    out = get_stage("dedup").fn(corpus, stage_settings("dedup")).articles
    copies = [i for i, a in enumerate(out) if a.outlet == "kopie.example"]
    assert len(copies) == 103
    # a copy of a long text (3 of 300+ words changed: Jaccard of 5-word shingles about 0.9) joins its original
    originals = {a.id: a for a in out[: len(out) - len(copies)]}
    long_copies = [i for i in copies if len(out[i].text.split()) >= 300]
    assert len(long_copies) >= 40
    for i in long_copies:
        group = out[i].duplicate_group
        assert group is not None and any(o.duplicate_group == group for o in originals.values())
    sizes = [len(pickle.dumps(dd.summarize(a, {}), protocol=pickle.HIGHEST_PROTOCOL)) for a in corpus.articles]
    assert sum(sizes) / len(sizes) < 2048


@pytest.mark.parametrize("name", ["boilerplate", "dedup", "entity_merge", "pubdate_corpus"])
def test_decide_takes_none_for_an_article_that_takes_no_part(name: str) -> None:
    parts = get_stage(name).parts
    assert parts is not None
    settings = stage_settings(name)
    assert parts.decide([], settings) == {}
    assert parts.decide([None, None], settings) == {}


def test_a_none_summary_shifts_nothing_else(small: Corpus) -> None:
    """dedup decides the same for the other articles when one position holds None."""
    corpus = get_stage("boilerplate").fn(small, stage_settings("boilerplate"))
    settings = stage_settings("dedup")
    summaries = [dd.summarize(a, settings) for a in corpus.articles]
    full = dd.decide(summaries, settings)
    assert full
    with_none = dd.decide([None, *summaries], settings)
    assert with_none == {i + 1: change for i, change in full.items()}
