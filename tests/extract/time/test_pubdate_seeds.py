"""Publication dates of the five seed articles, inferred from their own clean text.

The seeds come without a date.  For each, the reasoning a reader can do from
the text is written down, and the inferred interval must contain the true date
(given by the lead).  Dates in removed page furniture (gallery items, teasers)
must play no part.  Then, with the date given as metadata, weekday mentions
and "im vergangenen Jahr" must resolve to the right calendar values.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lagebild.extract.time.corpus  # noqa: F401  (registers pubdate_corpus)
import lagebild.extract.time.stage  # noqa: F401  (registers time)
from lagebild.api import extract
from lagebild.config import load_config
from lagebild.model import Article

pytestmark = pytest.mark.shared

STAGES = ["clean", "identify", "boilerplate", "dedup", "time", "pubdate_corpus"]


def _config():  # type: ignore[no-untyped-def]
    return load_config(None, ["executor.kind=inline", f"pipeline.stages={json.dumps(STAGES)}"])


@pytest.fixture(scope="module")
def seed_articles(seeds: list[Path]) -> dict[str, Article]:
    res = extract([str(p) for p in seeds], config=_config())
    assert res.errors == []
    return {Path(a.source[0].source).name[:3]: a for a in res.articles}


def _contains(a: Article, *days: str) -> bool:
    lo, hi = a.published.earliest, a.published.latest
    return any((lo is None or lo <= d) and (hi is None or d <= hi) for d in days)


def test_seed_000(seed_articles: dict[str, Article]) -> None:
    # 000: "Am Donnerstag nahm … Schoigu an einer großen Rüstungsschau … teil", held for the
    # "70. Jahrestag des Endes des Koreakrieges" — but the article never says when the war ended,
    # and its only written date, "22.12.2024" in a gallery teaser, is furniture.  The clean text
    # names no absolute date, so the interval must stay open: no bound, no guess.
    # True date: 2023-07-27 or 2023-07-28.
    a = seed_articles["000"]
    assert _contains(a, "2023-07-27", "2023-07-28")
    assert (a.published.earliest, a.published.latest, a.published.value) == (None, None, None)
    assert a.published.evidence == []


def test_seed_001(seed_articles: dict[str, Article]) -> None:
    # 001: Voice of Korea reported "am Donnerstag" that Kim and Shoigu met "am Mittwoch"; the visit's
    # occasion is the 70th anniversary of the end of the Korean war, which "zwischen 1950 und 1953"
    # killed millions (told in the past) — so the article is written after 1953 began.  "seit den
    # 1950er Jahren" agrees (weaker).  "01.06.2023" sits in a removed video teaser and must not count.
    # True date: 2023-07-27.
    a = seed_articles["001"]
    assert _contains(a, "2023-07-27")
    assert (a.published.earliest, a.published.latest) == ("1953-01-01", None)
    assert [e["text"] for e in a.published.evidence] == ["zwischen 1950 und 1953"]


def test_seed_002(seed_articles: dict[str, Article]) -> None:
    # 002: Shoigu, "der bis Mai 2024 Verteidigungsminister war" — his term as defence minister is
    # told as over, so the article is from May 2024 or later.  "Im vergangenen Jahr" the partnership
    # treaty was signed, and Shoigu was there "zuletzt im März" — but no year for either is written
    # here, so they cannot narrow it further.  True date: 2025-06-04.
    a = seed_articles["002"]
    assert _contains(a, "2025-06-04")
    assert (a.published.earliest, a.published.latest) == ("2024-05-01", None)
    assert [(e["text"], e["reason"]) for e in a.published.evidence] == [("Mai 2024", "until-past")]


def test_seed_003(seed_articles: dict[str, Article]) -> None:
    # 003: Putin travels "kommende Woche" to Pyongyang; North Korea has sent "4,8 Millionen" shells
    # "seit Monaten".  Every time word is relative, no year or date is written: the text alone
    # cannot place it, and the interval must say so (open, no guess).  True date: 2024-06-13.
    a = seed_articles["003"]
    assert _contains(a, "2024-06-13")
    assert (a.published.earliest, a.published.latest, a.published.value) == (None, None, None)


def test_seed_004(seed_articles: dict[str, Article]) -> None:
    # 004: the Koreans refer to the summit with Putin "im September 2023" at Vostochny — "Schon damals
    # hatte Kim die Einladung ausgesprochen" tells it as past; relations grew since the invasion
    # "Anfang 2022" (past).  So: September 2023 or later.  The teaser list ("15. November 2023",
    # "23. Oktober 2017") is furniture.  True date: 2024-01-19 or close.
    a = seed_articles["004"]
    assert _contains(a, "2024-01-19")
    assert (a.published.earliest, a.published.latest) == ("2023-09-01", None)
    assert [(e["text"], e["reason"]) for e in a.published.evidence] == [("September 2023", "past-anaphor")]


def test_no_evidence_from_removed_lines(seed_articles: dict[str, Article]) -> None:
    # every evidence span lies in the clean text, on kept raw lines; teaser/gallery dates never appear
    for key, a in seed_articles.items():
        for e in a.published.evidence:
            assert 0 <= e["start"] < e["end"] <= len(a.text), key
            assert a.text[e["start"]:e["end"]] == e["text"], key
            assert set(a.raw_lines_of(e["start"], e["end"])) <= set(a.kept_lines), key
            assert not any(d in e["text"] for d in ("22.12.2024", "01.06.2023", "15. November 2023")), key


def _with_date(tmp_path: Path, seed: Path, date: str) -> Article:
    p = tmp_path / f"{seed.stem}.json"
    p.write_text(json.dumps({"text": seed.read_text(encoding="utf-8"), "date": date}, ensure_ascii=False),
                 encoding="utf-8")
    res = extract([str(p)], config=_config())
    assert res.errors == []
    (a,) = res.articles
    assert a.published.source == "metadata"
    return a


def test_weekdays_resolve_once_the_date_is_known(tmp_path: Path, seeds: list[Path]) -> None:
    # 001 published 2023-07-27 (a Thursday): the meeting "am Mittwoch" (past) was 2023-07-26,
    # and Voice of Korea reported "am Donnerstag" — the publication day itself
    a = _with_date(tmp_path, seeds[1], "2023-07-27")
    vals = {t["text"]: t["value"] for t in a.times}
    assert vals["Mittwoch"] == "2023-07-26"
    assert vals["Donnerstag"] == "2023-07-27"
    # 000 published 2023-07-27: "Am Donnerstag nahm … teil" (past) is that same Thursday
    b = _with_date(tmp_path, seeds[0], "2023-07-27")
    assert [t["value"] for t in b.times if t["text"] == "Donnerstag"] == ["2023-07-27"]


def test_last_year_resolves_once_the_date_is_known(tmp_path: Path, seeds: list[Path]) -> None:
    # 002 published 2025-06-04: "Im vergangenen Jahr" the treaty was signed → 2024;
    # Shoigu was in Pyongyang "zuletzt im März" → March 2025
    a = _with_date(tmp_path, seeds[2], "2025-06-04")
    vals = {t["text"]: t["value"] for t in a.times}
    assert vals["vergangenen Jahr"] == "2024"
    assert vals["März"] == "2025-03"
    assert all(t["anchor"] in ("absolute", "publication", "previous") and not t.get("anchor_inferred")
               for t in a.times)
