"""Floor for publication-date inference on German Wikinews (dates withheld).

Measured (699 articles, tagger + inference, default settings, news-recency prior 7 days):
the interval contains the true date for 91.0 % (636); 588 intervals are open on at least
one side — 313 texts name no absolute date at all, 49 name dates none of which bounds,
201 give only lower bounds, 25 only upper ones — so the median width over all articles is
infinite; the 111 closed intervals (90 of them at most 30 days) have a median width of 8
days; the best guess (13.2 % of articles have one) is off by a median of 7.5 days.
Without the prior (``news_recency_days = 0``): 96.0 %, 57 closed, median 15 days, guess
error 2 days.  The floors below are those figures minus a small margin.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.extract.time.pubdate import benchmark

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def test_wikinews_floor(shared: Path) -> None:
    r = benchmark(shared / "data" / "wikinews_text", misses=5)
    assert r["articles"] == 699  # 700 minus the 0001-01-01 placeholder
    assert r["contains_true_date"] >= 0.90, r.get("misses")
    assert r["closed_intervals"] >= 105
    assert r["closed_at_most_30_days"] >= 85
    assert r["median_width_closed_days"] <= 10
    assert r["median_abs_error_days"] <= 9
    assert r["with_value"] >= 0.12
    assert r["open_intervals"] + r["closed_intervals"] == r["articles"]
    why = r["open_why"]
    assert why["no-date"] + why["dates-unused"] == r["open_both_sides"]
    assert sum(why.values()) == r["open_intervals"]
    assert why["no-date"] >= 300  # the texts that name no date: no bound without guessing
    assert r["evidence_reasons"]["past-date"] >= 250
    assert r["evidence_reasons"]["news-recency"] >= 50
    assert {"weekday-date", "future-date", "since-date"} <= set(r["evidence_reasons"])


def test_wikinews_text_only_floor(shared: Path) -> None:
    # the rules that read the text alone (no recency prior) keep their containment
    r = benchmark(shared / "data" / "wikinews_text", settings={"news_recency_days": 0})
    assert r["contains_true_date"] >= 0.95
    assert r["closed_intervals"] >= 50


def test_corpus_stage_does_not_hurt_on_a_mixed_corpus(shared: Path) -> None:
    # Wikinews spans 16 years: cross-article event matching must not date articles by unrelated events
    r = benchmark(shared / "data" / "wikinews_text", corpus=True)
    assert r["corpus"]["contains_true_date"] >= r["contains_true_date"] - 0.005
    assert r["corpus"]["closed_intervals"] >= r["closed_intervals"]


def test_placeholder_date_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "index.jsonl").write_text(
        '{"id": "1", "date": "0001-01-01", "file": "1.txt"}\n{"id": "2", "date": "2004-12-06", "file": "2.txt"}\n',
        encoding="utf-8")
    (tmp_path / "1.txt").write_text("Die Regierung trat am 3. März 2021 zurück.\n", encoding="utf-8")
    (tmp_path / "2.txt").write_text("Die IAEA hatte am Freitag, dem 3. Dezember 2004, dementiert.\n", encoding="utf-8")
    r = benchmark(tmp_path)
    assert r["articles"] == 1
    assert r["contains_true_date"] == 1.0 and r["closed_intervals"] == 1
    assert r["median_width_closed_days"] == 8  # 3–10 December, both days counted
    assert r["median_abs_error_days"] == 2  # guess 4 December, true 6 December
