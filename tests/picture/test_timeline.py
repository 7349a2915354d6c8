"""build_timeline: the seeds' events in the order they happened, and hand-made orderings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lagebild.model import Article
from lagebild.picture._events import merge_events
from lagebild.picture._timeline import build_timeline


@pytest.fixture(scope="module")
def seed_articles(seeds: list[Path]) -> list[Article]:
    from lagebild.api import extract
    from lagebild.config import load_config

    return extract([str(p) for p in seeds], config=load_config(None, ['executor.kind="inline"'])).articles


def test_seed_timeline_orders_by_when_it_happened(seed_articles: list[Article]) -> None:
    events = merge_events(seed_articles)
    by_id = {e["id"]: e for e in events}
    stories = {a.id: "story-1" for a in seed_articles}
    (line,) = build_timeline(events, stories, {"story-1": "line-1"})
    assert line["storyline"] == "line-1"
    entries = line["entries"]
    assert len(entries) == len(events)
    dated = [(e["date"], by_id[e["event"]]["event"], e["background"]) for e in entries if e["precision"] != "unknown"]
    # "zwischen 1950 und 1953 sollen ... Koreaner getötet worden sein" (Korean War, background),
    # "seit dem russischen Einmarsch in der Ukraine Anfang 2022" (background),
    # "Gipfeltreffen ... im September 2023 auf dem Weltraumbahnhof Wostotschny" (background),
    # but not Schoigu's visit told with "der bis Mai 2024 Verteidigungsminister war" (a deadline of his office,
    # in another clause: no date of the visit)
    assert dated[0] == ("1950", "ASSAULT", True)
    assert ("2022", "ASSAULT", True) in dated
    assert ("2023-09", "CONSULT", True) in dated
    assert all(d[0] != "2024-05" for d in dated)
    order = [d[0] for d in dated]
    assert order.index("1950") < order.index("2022") < order.index("2023-09")
    # undated (and year-less) events come after all dated ones
    seen_undated = False
    for e in entries:
        undated = by_id[e["event"]]["date"]["earliest"] is None
        assert not (seen_undated and not undated)
        seen_undated = seen_undated or undated
    # the July 2023 visit (undated in the text: "am Mittwoch") is in, with both articles as sources
    visit = [e for e in entries if by_id[e["event"]]["event"] == "CONSULT" and len(
        {m["article"] for m in by_id[e["event"]]["mentions"]}) == 2 and by_id[e["event"]]["status"] == "asserted"]
    assert len(visit) == 1 and visit[0]["independent_sources"] == 2 and visit[0]["background"] is False


def _ev(eid: str, value: str | None, earliest: str | None, latest: str | None, precision: str,
        articles: list[str], background: bool = False) -> dict[str, Any]:
    return {
        "id": eid, "event": "CONSULT", "status": "asserted", "background": background,
        "date": {"value": value, "precision": precision, "earliest": earliest, "latest": latest},
        "mentions": [{"article": a} for a in articles], "sources": ["X"], "independent_sources": 1,
        "first_reported": None,
    }


def test_order_precision_undated_and_storylines() -> None:
    events = [
        _ev("undated", None, None, None, "unknown", ["a1"]),
        _ev("year", "2023", "2023-01-01", "2023-12-31", "year", ["a1"]),
        _ev("day", "2023-01-01", "2023-01-01", "2023-01-01", "day", ["a1", "b1"]),
        _ev("old", "1950", "1950-01-01", "1950-12-31", "year", ["a1"], background=True),
        _ev("later", "2023-07-26", "2023-07-26", "2023-07-26", "day", ["b1"]),
        _ev("orphan", "2020", "2020-01-01", "2020-12-31", "year", ["zz"]),
    ]
    lines = build_timeline(events, {"a1": "s-a", "b1": "s-b"}, {"s-a": "L-a", "s-b": "L-b"})
    assert [t["storyline"] for t in lines] == ["L-a", "L-b", None]
    assert [e["event"] for e in lines[0]["entries"]] == ["old", "day", "year", "undated"]
    assert [e["event"] for e in lines[1]["entries"]] == ["day", "later"]
    assert [e["event"] for e in lines[2]["entries"]] == ["orphan"]
    old = lines[0]["entries"][0]
    assert old == {"event": "old", "date": "1950", "precision": "year", "year_known": True, "status": "asserted",
                   "sources": ["X"], "independent_sources": 1, "background": True}


def test_empty() -> None:
    assert build_timeline([], {}, {}) == []
