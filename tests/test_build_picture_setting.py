"""``[build] picture = false``: a build writes the articles only; the next build (or ``write_picture``)
brings the stories and the picture up to date, giving what a build with the picture would have given."""

from __future__ import annotations

import json
from pathlib import Path

from lagebild import api
from lagebild.config import load_config
from lagebild.executors import InlineExecutor
from lagebild.store import open_store

from support import EXAMPLES


def _inputs() -> list[str]:
    return sorted(str(p) for p in Path(EXAMPLES).iterdir() if p.suffix in (".txt", ".html", ".json"))


def _story_rows(db: Path) -> list[tuple]:
    with open_store(db) as store:
        return store._rows("SELECT id, storyline_id, headline, summary, size FROM stories ORDER BY id")


def test_articles_only_then_catch_up(tmp_path: Path) -> None:
    inputs = _inputs()
    assert len(inputs) >= 5
    off = load_config(overrides={"build": {"picture": False}})
    lazy = tmp_path / "lazy.db"
    report = api.build(inputs, lazy, config=off, executor=InlineExecutor())
    assert report.new == len({a for a in report.articles})
    assert report.stories is None  # stories were not brought up to date
    with open_store(lazy) as store:
        assert store.load_picture() is None
        assert store.article_ids()
    assert _story_rows(lazy) == []

    eager = tmp_path / "eager.db"
    api.build(inputs, eager, config=load_config(), executor=InlineExecutor())
    files = api.write_picture(lazy, tmp_path / "out", config=load_config())
    assert files[0].name == "report.html"
    assert _story_rows(lazy) == _story_rows(eager) != []
    with open_store(lazy) as a, open_store(eager) as b:
        pa, pb = a.load_picture(), b.load_picture()
        assert pa is not None and pb is not None
        strip = lambda p: json.dumps({k: v for k, v in p[1].items() if k != "generated_from"}, sort_keys=True)  # noqa: E731
        assert strip(pa) == strip(pb)


def test_out_always_computes_the_picture(tmp_path: Path) -> None:
    off = load_config(overrides={"build": {"picture": False}})
    report = api.build(_inputs()[:3], tmp_path / "s.db", config=off, executor=InlineExecutor(), out=tmp_path / "o")
    assert report.stories is not None
    assert (tmp_path / "o" / "picture.json").is_file()


def test_a_one_shot_build_lets_go_of_the_sentence_encoder(tmp_path: Path) -> None:
    """The stories need the encoder (~110 MB); the picture after them does not: build and write_picture
    release it, so the picture phase of a large build does not carry it."""
    from lagebild.picture._embed import embed_texts, encoder

    inputs = _inputs()
    embed_texts(["Ein Satz."])  # loaded before, as by an earlier build in this process
    assert encoder.cache_info().currsize == 1
    db = tmp_path / "a.db"
    report = api.build(inputs, db, config=load_config(), executor=InlineExecutor())
    assert report.stories is not None and _story_rows(db)  # the stories were computed (with the encoder)
    assert encoder.cache_info().currsize == 0
    embed_texts(["Ein Satz."])
    api.write_picture(db, tmp_path / "out", config=load_config())
    assert encoder.cache_info().currsize == 0
    assert embed_texts(["Ein Satz."]).shape[0] == 1  # loaded again when asked for
