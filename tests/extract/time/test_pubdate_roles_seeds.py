"""The ``pubdate_roles`` stage on the five seed articles (true dates from test_pubdate_seeds.py).

Reasoning from each text's own title + name wording and the KB terms:

* 000 (true 2023-07-27/28): "der russische Verteidigungsminister Sergej Schoigu" — defence minister
  2012-11-06 … 2024-05-12, so 2012-11-06 … 2024-06-11 with the 30-day margin.  The text names no
  date of its own: this is the only bound.
* 001 (true 2023-07-27): "dem russischen Verteidigungsminister Sergej Schoigu" — the same term; the
  past "zwischen 1950 und 1953" (from 1953) is now weaker than the term's start on the lower side.
* 002 (true 2025-06-04): "dem Sekretär des Nationalen Sicherheitsrats Russlands, Sergej Schoigu" —
  secretary of the security council since 2024-05-12 (still in office): lower bound only, later
  than "bis Mai 2024 Verteidigungsminister" (2024-05-01), which no longer decides the lower side.
  "des russischen Präsidenten Wladimir Putin" (from 2000) bounds nothing new.
* 003 (true 2024-06-13): "Kreml-Sprecher Dmitri Peskow" — Kremlin spokesman since May 2012 (open):
  from 2012-05-01; "Russlands Präsident Wladimir Putin" (from 2000) is weaker.
* 004 (true 2024-01-19): Putin, Kim and Choe are named without a title the KB records with a term
  for them, and the teaser "Amerikas Präsident Donald Trump" is removed furniture: unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lagebild.api import extract
from lagebild.config import load_config
from lagebild.model import Article

pytestmark = pytest.mark.shared

STAGES = ["clean", "identify", "boilerplate", "dedup", "nlp", "time", "entities", "pubdate_roles", "pubdate_corpus"]


@pytest.fixture(scope="module")
def seed_articles(seeds: list[Path]) -> dict[str, Article]:
    cfg = load_config(None, ["executor.kind=inline", f"pipeline.stages={json.dumps(STAGES)}",
                             "stages.entities.ner=false"])
    res = extract([str(p) for p in seeds], config=cfg)
    assert res.errors == []
    return {Path(a.source[0].source).name[:3]: a for a in res.articles}


TRUE = {"000": "2023-07-27", "001": "2023-07-27", "002": "2025-06-04", "003": "2024-06-13", "004": "2024-01-19"}


def _roles(a: Article) -> list[tuple[str, str, str]]:
    return [(e["text"], e["entity"], e["role"]) for e in a.published.evidence if e["reason"] == "role-term"]


def test_each_interval_contains_the_true_date(seed_articles: dict[str, Article]) -> None:
    for key, day in TRUE.items():
        p = seed_articles[key].published
        assert (p.earliest is None or p.earliest <= day) and (p.latest is None or day <= p.latest), key


def test_seed_bounds(seed_articles: dict[str, Article]) -> None:
    got = {k: (a.published.earliest, a.published.latest, _roles(a)) for k, a in seed_articles.items()}
    assert got["000"] == ("2012-11-06", "2024-06-11",
                          [("Verteidigungsminister Sergej Schoigu", "per:sergei_shoigu", "defence_minister")])
    assert got["001"] == ("2012-11-06", "2024-06-11",
                          [("Verteidigungsminister Sergej Schoigu", "per:sergei_shoigu", "defence_minister")])
    assert got["002"] == ("2024-05-12", None, [("Sekretär des Nationalen Sicherheitsrats Russlands, Sergej Schoigu",
                                                "per:sergei_shoigu", "secretary_security_council")])
    assert got["003"] == ("2012-05-01", None, [("Kreml-Sprecher Dmitri Peskow", "per:dmitry_peskov", "spokesperson")])
    assert got["004"] == ("2023-09-01", None, [])


def test_role_evidence_points_into_the_clean_text(seed_articles: dict[str, Article]) -> None:
    for key, a in seed_articles.items():
        for e in a.published.evidence:
            assert a.text[e["start"]:e["end"]] == e["text"], key
            assert set(a.raw_lines_of(e["start"], e["end"])) <= set(a.kept_lines), key
