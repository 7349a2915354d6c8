"""Floor for publication-date inference on German Wikinews (dates withheld).

Measured (699 articles, tagger + inference, default settings): the interval
contains the true date for 96.0 % (671); 643 intervals are open on at least one
side (362 on both: those texts name no usable date), so the median width over
all articles is infinite; the 56 closed intervals have a median width of 15
days; the best guess (4.7 % of articles have one) is off by a median of 2 days.
The floor below is those figures minus a small margin.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.extract.time.pubdate import benchmark

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def test_wikinews_floor(shared: Path) -> None:
    r = benchmark(shared / "data" / "wikinews_text", misses=5)
    assert r["articles"] == 699  # 700 minus the 0001-01-01 placeholder
    assert r["contains_true_date"] >= 0.94, r.get("misses")
    assert r["closed_intervals"] >= 50
    assert r["median_width_closed_days"] <= 20
    assert r["median_abs_error_days"] <= 4
    assert r["with_value"] >= 0.04
    assert r["open_intervals"] + r["closed_intervals"] == r["articles"]
    assert r["evidence_reasons"]["past-date"] >= 200
    assert {"weekday-date", "future-date", "since-date"} <= set(r["evidence_reasons"])


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
