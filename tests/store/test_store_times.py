"""Time expressions are stored as calendar spans and searchable by date range."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lagebild.errors import StoreError
from lagebild.model import Article, Published
from lagebild.store import open_store
from lagebild.store._span import bound_span, value_span


@pytest.mark.parametrize(
    "value, span",
    [
        ("2024-06-19", ("2024-06-19", "2024-06-19")),
        ("2024-06-19T14:30", ("2024-06-19", "2024-06-19")),
        ("2024-02", ("2024-02-01", "2024-02-29")),
        ("2023", ("2023-01-01", "2023-12-31")),
        ("2023-W31", ("2023-07-31", "2023-08-06")),
        ("2024-Q2", ("2024-04-01", "2024-06-30")),
        ("2023-WI", ("2023-12-01", "2024-02-29")),
        ("195X", ("1950-01-01", "1959-12-31")),
        ("19", ("1900-01-01", "1999-12-31")),
        ("P3M", None),
        ("PAST_REF", None),
        ("XXXX-07-27", None),
        ("2023-02-30", None),
        ("2024-13", None),
        (None, None),
    ],
)
def test_value_span(value, span):
    assert value_span(value) == span


def test_bound_span_refuses_non_dates():
    assert bound_span("2024-01") == ("2024-01-01", "2024-01-31")
    with pytest.raises(ValueError, match="'next week' is not a date — write YYYY, YYYY-MM or YYYY-MM-DD"):
        bound_span("next week")


def _article(aid: str, text: str, times: list[dict], published: str | None = None) -> Article:
    return Article(id=aid, title=aid, text=text, raw_text=text, times=times,
                   published=Published(value=published, source="metadata" if published else "unknown"))


def test_search_by_date_range(tmp_path: Path):
    t1 = "Der Vertrag wurde im Juni 2024 unterzeichnet."
    t2 = "Die Parade fand am 27. Juli 2023 statt; seit den 1950er Jahren gilt der Waffenstillstand."
    t3 = "Ein Text ohne Datum, aber im Frühjahr veröffentlicht."
    a1 = _article("a" * 16, t1, [{"start": 22, "end": 31, "text": "Juni 2024", "type": "DATE", "value": "2024-06"}])
    a2 = _article("b" * 16, t2, [
        {"start": 17, "end": 30, "text": "27. Juli 2023", "type": "DATE", "value": "2023-07-27"},
        {"start": 41, "end": 58, "text": "den 1950er Jahren", "type": "DATE", "value": "195X"},
    ])
    a3 = _article("c" * 16, t3, [], published="2024-03-10")
    db = tmp_path / "t.db"
    with open_store(db) as store:
        for a in (a1, a2, a3):
            store.write_article(a)
        ids = lambda **kw: {h.id for h in store.search("", **kw)}  # noqa: E731
        assert ids(date_from="2024-01", date_to="2024-06") == {a1.id, a3.id}  # a3 by its publication date
        assert ids(date_from="2023-07-27", date_to="2023-07-27") == {a2.id}
        assert ids(date_from="1955", date_to="1955") == {a2.id}  # inside the decade
        assert ids(date_to="2000") == {a2.id}
        assert {h.id for h in store.search("Vertrag", date_from="2023")} == {a1.id}
        assert store.search("Vertrag", date_to="2022") == []
        with pytest.raises(StoreError, match="search: '2024-13' is not a date"):
            store.search("", date_from="2024-13")
    con = sqlite3.connect(db)
    assert con.execute("select value, first_day, last_day from times where article_id = ? order by start",
                       (a2.id,)).fetchall() == [("2023-07-27", "2023-07-27", "2023-07-27"),
                                                ("195X", "1950-01-01", "1959-12-31")]
