"""A later article that bridges two stories merges them (picture._stories.update_stories), logged in story_log."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from lagebild.model import Article, Provenance, Published
from lagebild.picture._embed import DIM, MODEL, lead_text
from lagebild.picture._stories import load_stories, update_stories
from lagebild.store import open_store
from lagebild.store._stories import read_log, write_vectors

CFG = {"story_threshold": 0.7, "storyline_threshold": 0.99, "entity_weight": 0.0, "time_penalty": 0.0}


def _article(i: int, day: str) -> Article:
    text = f"Bericht Nummer {i} über eine Sache.\nEin zweiter Satz zu Bericht {i}."
    return Article(
        id=f"{i:016x}", source=[Provenance(source=f"hand/{i}.txt", format="text")], title=f"Bericht {i}",
        language="de", published=Published(value=day, source="metadata"), raw_text=text, text=text,
        sentences=[[0, text.index("\n")], [text.index("\n") + 1, len(text)]],
    )


def _put(store, article: Article, vector: np.ndarray) -> None:
    store.write_article(article)
    key = hashlib.sha1(lead_text(article).encode("utf-8")).hexdigest()
    write_vectors(store, [(article.id, MODEL, key, (vector / np.linalg.norm(vector)).astype(np.float32))])


def _sid(i: int) -> str:
    return f"story:{i:016x}"


def test_bridging_article_merges_two_stories(tmp_path: Path) -> None:
    e = np.eye(DIM, dtype=np.float32)
    with open_store(tmp_path / "b.db") as store:
        _put(store, _article(1, "2024-03-01"), e[0])
        _put(store, _article(2, "2024-03-02"), e[1])
        _put(store, _article(5, "2024-03-02"), e[1] + 0.1 * e[2])
        r = update_stories(store, CFG)
        assert r["new_stories"] == 2 and "story_merges" not in r  # cosine 0 between the two stories
        # close to both (cosine 0.71 with story 1, about 0.7 with story 2's centroid): one story now
        _put(store, _article(3, "2024-03-03"), e[0] + e[1])
        r = update_stories(store, CFG)
        assert r["new_stories"] == 0
        # the bridge joins story 1 (its best score), then both hold two reports: the one with the
        # earlier first date survives
        assert r["story_merges"] == [{"story": _sid(1), "merged": _sid(2), "bridge": f"{3:016x}",
                                      "articles": [f"{2:016x}", f"{5:016x}"]}]
        lines, stories = load_stories(store)
        assert [(s["id"], s["articles"]) for s in stories] == [
            (_sid(1), [f"{i:016x}" for i in (1, 2, 3, 5)])]
        assert [(ln["id"], ln["stories"]) for ln in lines] == [(f"line:{_sid(1)}", [_sid(1)])]
        merges = [x for x in read_log(store) if x["action"] == "merge"]
        assert [(x["story_id"], x["other_id"], x["article_id"], x["detail"]["level"]) for x in merges] == [
            (_sid(1), _sid(2), f"{3:016x}", "story")]
        # nothing new: nothing changes; a later report near the first joins the survivor, not the empty row
        assert update_stories(store, CFG)["assigned"] == 0
        _put(store, _article(4, "2024-03-04"), e[0] + 0.8 * e[1])
        r = update_stories(store, CFG)
        assert r["new_stories"] == 0 and "story_merges" not in r
        assert [(s["id"], len(s["articles"])) for s in load_stories(store)[1]] == [(_sid(1), 5)]


def test_two_stories_without_a_bridge_stay_apart(tmp_path: Path) -> None:
    e = np.eye(DIM, dtype=np.float32)
    with open_store(tmp_path / "a.db") as store:
        _put(store, _article(1, "2024-03-01"), e[0])
        _put(store, _article(2, "2024-03-02"), e[1])
        _put(store, _article(3, "2024-03-03"), e[0] + 0.2 * e[1])  # close to story 1 only (cosine 0.2 with 2)
        r = update_stories(store, CFG)
        assert r["new_stories"] == 2 and "story_merges" not in r
        assert {s["id"]: len(s["articles"]) for s in load_stories(store)[1]} == {_sid(1): 2, _sid(2): 1}
