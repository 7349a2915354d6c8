"""Stories and storylines (lagebild.picture._stories): clustering, incremental updates, merges, the store tables."""

from __future__ import annotations

import csv
import hashlib
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from support import EXAMPLES

from lagebild.api import build
from lagebild.config import load_config
from lagebild.model import Article, Provenance, Published
from lagebild.picture._embed import DIM, MODEL, lead_text
from lagebild.picture._stories import load_stories, story_settings, update_stories
from lagebild.store import open_store
from lagebild.store._stories import read_log, write_vectors
from lagebild.errors import ConfigError

CFG = load_config(None, ['executor.kind="inline"'])


def _seed_ids(store) -> dict[str, str]:
    """seed file name -> article id."""
    out = {}
    for a in store.iter_articles():
        for p in a.source:
            if "/seeds/" in p.source:
                out[Path(p.source).name] = a.id
    return out


def _line_members(store) -> dict[str, set[str]]:
    lines, stories = load_stories(store)
    by_story = {s["id"]: s for s in stories}
    return {ln["id"]: {a for s in ln["stories"] for a in by_story[s]["articles"]} for ln in lines}


# -- seeds among 1,028 distractors -------------------------------------------------------


@pytest.fixture(scope="module")
def big_store(shared: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("gnad")
    with open(shared / "data" / "10kgnad" / "test.csv", encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.reader(f, delimiter=";", quotechar="'")):
            (folder / f"gnad_{i:04d}.txt").write_text(row[1], encoding="utf-8")
    db = tmp_path_factory.mktemp("db") / "big.db"
    t = time.perf_counter()
    result = build([str(shared / "seeds"), str(folder)], db, config=CFG).stories  # build runs update_stories
    print(f"build + update_stories on {result['assigned']} articles: {time.perf_counter() - t:.1f} s")
    store = open_store(db)
    yield store, result
    store.close()


@pytest.mark.shared
@pytest.mark.slow
def test_seeds_form_their_own_storyline(big_store):
    store, result = big_store
    assert result["assigned"] == 1033
    seeds = _seed_ids(store)
    assert sorted(seeds) == [
        "000_d72e58d60cc5c447.txt", "001_026bfc24eff04697.txt", "002_d1500ec1f89033da.txt",
        "003_cd4c5c27adc4d450.txt", "004_dd451717206f8973.txt",
    ]
    members = _line_members(store)
    lines = {lid for lid, arts in members.items() if arts & set(seeds.values())}
    assert len(lines) == 1, "the five seeds are one storyline"
    assert members[lines.pop()] == set(seeds.values()), "and no distractor joins it"


@pytest.mark.shared
@pytest.mark.slow
def test_big_store_is_idempotent_and_complete(big_store):
    store, _ = big_store
    before = len(read_log(store))
    again = update_stories(store, CFG)
    assert again == {"assigned": 0, "new_stories": 0, "merges": [], "splits": []}
    assert len(read_log(store)) == before
    _, stories = load_stories(store)
    assigned = [a for s in stories for a in s["articles"]]
    assert sorted(assigned) == store.article_ids()  # every article in exactly one story


# -- examples: cross-lingual --------------------------------------------------------------


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("ex") / "ex.db"
    assert build([str(EXAMPLES)], db, config=CFG).stories["assigned"] == 11  # 12 files, one exact copy
    store = open_store(db)
    yield store
    store.close()


def test_german_and_english_reports_meet_in_one_story(examples_store):
    store = examples_store
    arts = list(store.iter_articles())
    # the Pyongyang visit: Putin and Kim sign the partnership treaty on 19 June 2024
    de = [a for a in arts if a.language == "de" and "Pjöngjang" in a.text and "Vertrag" in a.text]
    en = [a for a in arts if a.language == "en" and "Pyongyang" in a.text and "treaty" in a.text]
    assert de and en
    lines, stories = load_stories(store)
    story_of = {a: s["id"] for s in stories for a in s["articles"]}
    shared = {story_of[a.id] for a in en} & {story_of[a.id] for a in de}
    assert shared
    # all six reports name both leaders: they head the storyline's label ("A – B: categories"; on ties persons first)
    line = next(s["storyline"] for s in stories if s["id"] in shared)
    label = next(ln["label"] for ln in lines if ln["id"] == line)
    assert sorted(label.split(": ")[0].split(" – ")) == ["Kim Jong Un", "Wladimir Putin"], label


def test_examples_duplicate_follows_its_representative_and_story_fields(examples_store):
    store = examples_store
    lines, stories = load_stories(store)
    story_of = {a: s["id"] for s in stories for a in s["articles"]}
    for a in store.iter_articles():
        if a.duplicate_of:
            assert story_of[a.id] == story_of[a.duplicate_of]
    for s in stories:
        assert s["id"].startswith("story:") and s["id"][6:] in s["articles"]  # named after its first article
        assert s["headline"] and "\n" not in s["headline"]
        assert s["storyline"] in {ln["id"] for ln in lines}
    big = max(stories, key=lambda s: len(s["articles"]))
    assert len(big["articles"]) >= 3
    assert big["summary"] and big["summary"] != big["headline"]
    arts = {a.id: a for a in store.iter_articles(big["articles"])}
    # extractive: every summary sentence comes from a member article's text
    texts = " ".join(" ".join(a.text.split()) for a in arts.values())
    assert all(part in texts for part in big["summary"].split(". ") if len(part) > 30)


# -- incremental ---------------------------------------------------------------------------


@pytest.mark.shared
def test_incremental_ids_stay_and_log_shows_joins(seeds: list[Path], tmp_path: Path):
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for p in seeds[:3]:
        shutil.copy(p, first / p.name)
    for p in seeds[3:]:
        shutil.copy(p, later / p.name)
    db = tmp_path / "inc.db"
    assert build([str(first)], db, config=CFG).stories["assigned"] == 3  # build runs update_stories
    with open_store(db) as store:
        _, stories1 = load_stories(store)
    assert build([str(first), str(later)], db, config=CFG).stories["assigned"] == 2
    with open_store(db) as store:
        _, stories2 = load_stories(store)
        now = {s["id"]: set(s["articles"]) for s in stories2}
        for s in stories1:  # every earlier story keeps its id and its articles
            assert s["id"] in now and set(s["articles"]) <= now[s["id"]]
        new_ids = set(store.article_ids()) - {a for s in stories1 for a in s["articles"]}
        log = read_log(store)
        joins = [e for e in log if e["action"] == "join" and e["article_id"] in new_ids]
        assert joins, "the later seeds join the earlier story"
        assert all(e["story_id"] in {s["id"] for s in stories1} for e in joins)
        n = len(log)
        assert update_stories(store, CFG)["assigned"] == 0
        assert len(read_log(store)) == n and load_stories(store)[1] == stories2


# -- merges, on hand-made articles with fixed vectors ----------------------------------------


def _article(i: int, day: str, ents: list[tuple[str, str, str]]) -> Article:
    text = f"Bericht Nummer {i} über eine Sache.\nEin zweiter Satz zu Bericht {i}."
    return Article(
        id=f"{i:016x}", source=[Provenance(source=f"hand/{i}.txt", format="text")], title=f"Bericht {i}",
        language="de", published=Published(value=day, source="metadata"), raw_text=text, text=text,
        sentences=[[0, text.index("\n")], [text.index("\n") + 1, len(text)]],
        entities=[{"id": e, "name": n, "type": t, "kb": True, "mentions": []} for e, n, t in ents],
    )


def _put(store, article: Article, vector: np.ndarray) -> None:
    store.write_article(article)
    key = hashlib.sha1(lead_text(article).encode("utf-8")).hexdigest()
    write_vectors(store, [(article.id, MODEL, key, (vector / np.linalg.norm(vector)).astype(np.float32))])


def test_bridging_story_merges_two_storylines(tmp_path: Path):
    e1, e2 = np.zeros(DIM, np.float32), np.zeros(DIM, np.float32)
    e1[0], e2[1] = 1.0, 1.0
    x, y = ("per:anna", "Anna A", "PER"), ("org:verein", "Verein V", "ORG")
    p, q = ("gpe:land_p", "Land P", "GPE"), ("gpe:land_q", "Land Q", "GPE")
    cfg = {"story_threshold": 0.8, "storyline_threshold": 0.6, "storyline_min_shared": 3, "entity_weight": 0.0}
    with open_store(tmp_path / "m.db") as store:
        _put(store, _article(1, "2024-01-01", [x, y, p]), e1)
        _put(store, _article(2, "2024-01-02", [x, y, q]), e2)
        r = update_stories(store, cfg)
        assert r["new_stories"] == 2 and r["merges"] == []
        lines, _ = load_stories(store)
        assert [ln["id"] for ln in lines] == [f"line:story:{1:016x}", f"line:story:{2:016x}"]
        # a third report is close to both (cosine 0.71) and shares three entities with each
        _put(store, _article(3, "2024-01-03", [x, y, p, q]), e1 + e2)
        r = update_stories(store, cfg)
        assert r["new_stories"] == 1
        assert r["merges"] == [{"storyline": f"line:story:{1:016x}", "merged": f"line:story:{2:016x}",
                                "bridge": f"story:{3:016x}", "stories": [f"story:{2:016x}"]}]
        lines, stories = load_stories(store)
        assert [ln["id"] for ln in lines] == [f"line:story:{1:016x}"]  # the older storyline survives
        assert lines[0]["stories"] == [f"story:{i:016x}" for i in (1, 2, 3)]
        # the two entities in all three stories (Land P and Land Q are in two each); no events, so no category
        assert lines[0]["label"] == "Anna A – Verein V"
        merges = [e for e in read_log(store) if e["action"] == "merge"]
        assert [(e["story_id"], e["other_id"]) for e in merges] == [(f"line:story:{1:016x}", f"line:story:{2:016x}")]


def test_story_drifting_apart_is_split(tmp_path: Path):
    e = np.eye(DIM, dtype=np.float32)
    cfg = {"story_threshold": 0.3, "split_floor": 0.85, "split_min_size": 4, "entity_weight": 0.0}
    with open_store(tmp_path / "s.db") as store:
        # a chain at 0°, 30°, 60°, 90°: each report is close enough to the story so far (cosine 0.87, 0.71,
        # 0.5 to the running centroid), but the mean cosine to the final centroid (45°) is 0.84 < 0.85
        angles = np.radians([0, 30, 60, 90])
        for i, a in enumerate(angles, 1):
            _put(store, _article(i, f"2024-02-0{i}", []), np.cos(a) * e[0] + np.sin(a) * e[1])
        r = update_stories(store, cfg)
        assert r["new_stories"] == 1
        # below the floor: the first report (0°, the founder, stays) and the last (90°, leaves)
        assert r["splits"] == [{"story": f"story:{1:016x}", "new_story": f"story:{4:016x}",
                                "articles": [f"{4:016x}"]}]
        _, stories = load_stories(store)
        assert {s["id"]: s["articles"] for s in stories} == {
            f"story:{1:016x}": [f"{i:016x}" for i in (1, 2, 3)], f"story:{4:016x}": [f"{4:016x}"]}
        assert [e["action"] for e in read_log(store)] == ["new", "join", "join", "join", "split"]


def test_unknown_setting_is_refused():
    with pytest.raises(ConfigError, match="unknown setting 'story_treshold'"):
        story_settings({"story_treshold": 0.5})
    assert story_settings(CFG)["story_threshold"] == story_settings(None)["story_threshold"]


def _story_tables(db: Path) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(db) as c:
        return [row for q in ("SELECT id, storyline_id, headline, summary, language, first, last, size, centroid,"
                              " entities, events FROM stories ORDER BY id",
                              "SELECT story_id, article_id, score FROM story_articles ORDER BY article_id",
                              "SELECT id, label, created FROM storylines ORDER BY id",
                              "SELECT action, story_id, other_id, article_id, detail FROM story_log ORDER BY seq")
                for row in c.execute(q)]


def test_stories_hold_only_the_vectors_they_work_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # the vectors are stored once embedded: each step (assignment, splits, headlines) holds only its own
    import lagebild.picture._stories as st
    from lagebild.picture._story_index import VectorTable

    articles_only = load_config(None, ['executor.kind="inline"', "build.picture=false"])
    build([str(EXAMPLES)], tmp_path / "a.db", config=articles_only)
    shutil.copy(tmp_path / "a.db", tmp_path / "b.db")
    monkeypatch.setattr(st, "_LOAD", 4)  # a few articles at a time (a multiple of _BLOCK)
    monkeypatch.setattr(st, "_BLOCK", 2)
    held: list[int] = []
    update = VectorTable.update

    def counted(self, vectors):
        update(self, vectors)
        held.append(len(self))

    monkeypatch.setattr(VectorTable, "update", counted)
    cfg = {**CFG["picture"]["stories"], "split_min_size": 2}  # the examples' stories are small
    with open_store(tmp_path / "a.db") as store:
        bounded = update_stories(store, cfg)
    bounded_peak, held[:] = max(held), []
    monkeypatch.setattr(VectorTable, "discard", lambda self, ids: None)  # the old way: every vector kept
    with open_store(tmp_path / "b.db") as store:
        kept = update_stories(store, cfg)
    assert bounded == kept and bounded["assigned"] == 11
    assert _story_tables(tmp_path / "a.db") == _story_tables(tmp_path / "b.db")
    assert max(held) >= 10 > bounded_peak, (max(held), bounded_peak)
