"""Picture quality on the seeds: readable labels, deadline not taken as a visit date, undated-year values last."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from lagebild.model import Article


@pytest.fixture(scope="module")
def built(seeds: list[Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Article], dict[str, Any]]:
    from lagebild.api import build
    from lagebild.config import load_config
    from lagebild.picture import build_picture
    from lagebild.store import open_store

    cfg = load_config(None, ['executor.kind="inline"'])
    db = tmp_path_factory.mktemp("quality") / "seeds.db"
    build([str(p) for p in seeds], db, config=cfg)
    with open_store(db) as store:
        return list(store.iter_articles()), build_picture(store, cfg)


def test_storyline_label_names_the_two_states_and_the_main_category_in_german(built) -> None:
    _, picture = built
    (line,) = picture["storylines"]  # the five seeds are one storyline
    label = line["label"]
    # "Russland – Nordkorea: Treffen, …": the two states taking part in most events (capitals count as
    # their state), then the category with most merged events — CONSULT (the visits and meetings) — in German
    head, _, what = label.partition(": ")
    assert sorted(head.split(" – ")) == ["Nordkorea", "Russland"]
    assert what.split(", ")[0] == "Treffen"
    assert not re.search(r"\b[A-Z]{4,}\b", label)  # no PLOVER code such as "ASSAULT"
    (story,) = picture["stories"]
    assert story["label"] == label


def test_deadline_in_a_relative_clause_is_not_the_visit_date(built) -> None:
    arts, _ = built
    (ntv,) = [a for a in arts if a.title and "bedingungslos" in a.title]
    # "Schoigu, der bis Mai 2024 Verteidigungsminister war, auf Anweisung … nach Pjöngjang gereist"
    visit = [e for e in ntv.events if e["text"].startswith("Schoigu, der bis Mai 2024")]
    assert len(visit) == 1 and visit[0]["date"]["value"] != "2024-05"
    assert all(e["date"]["anchor"] != "paragraph" for a in arts for e in a.events)


def test_day_without_year_is_flagged_and_sorted_after_resolved_dates(built) -> None:
    _, picture = built
    entries = [e for t in picture["timeline"] for e in t["entries"]]
    known = [e["year_known"] for e in entries]
    assert known == sorted(known, reverse=True)  # every resolved date first
    partial = [e for e in entries if e["date"] and e["date"].startswith("XXXX-")]
    assert partial and all(not e["year_known"] for e in partial)
    events = {e["id"]: e for e in picture["events"]}
    for e in partial:
        d = events[e["event"]]["date"]
        assert d["earliest"] is None and d["year_known"] is False
