"""The ``pubdate_corpus`` stage on small invented corpora, run through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import lagebild.extract.time.corpus  # noqa: F401  (registers pubdate_corpus)
import lagebild.extract.time.stage  # noqa: F401  (registers time)
from lagebild.api import extract
from lagebild.config import load_config
from lagebild.errors import ConfigError
from lagebild.extract.time.corpus import CorpusSettings, pubdate_corpus
from lagebild.model import Article, Corpus, Published

STAGES = ["clean", "identify", "boilerplate", "dedup", "time", "pubdate_corpus"]


def run(tmp_path: Path, docs: dict[str, dict[str, Any]], *extra: str) -> dict[str, Article]:
    paths = []
    for name, rec in docs.items():
        p = tmp_path / f"{name}.json"
        p.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
        paths.append(str(p))
    cfg = load_config(None, ["executor.kind=inline", f"pipeline.stages={json.dumps(STAGES)}", *extra])
    res = extract(paths, config=cfg)
    assert res.errors == []
    by_name = {}
    for a in res.articles:
        by_name[Path(a.source[0].source).stem] = a
    return by_name


AGREEMENT_LAST_YEAR = (
    "Der Außenminister von Alphaland ist zu Gesprächen nach Betastan gereist. Im vergangenen Jahr hatten "
    "Alphaland und Betastan ein Abkommen über eine umfassende strategische Partnerschaft geschlossen, das auch "
    "eine Beistandsklausel enthält. Die Opposition kritisierte die Reise scharf."
)
AGREEMENT_DATED = (
    "Alphaland und Betastan haben am 19. Juni 2024 in der Hauptstadt ein Abkommen über eine umfassende "
    "strategische Partnerschaft unterzeichnet. Es enthält eine Beistandsklausel. Beobachter zeigten sich besorgt."
)
UNRELATED = "Die Bahn erhöht die Preise für Fahrkarten im Nahverkehr. Fahrgastverbände protestierten dagegen."


def test_event_dated_in_another_article_fixes_the_year(tmp_path: Path) -> None:
    arts = run(tmp_path, {"a": {"text": AGREEMENT_LAST_YEAR, "language": "de"},
                          "b": {"text": AGREEMENT_DATED, "language": "de", "date": "2024-06-20"},
                          "c": {"text": UNRELATED, "language": "de"}})
    a, b, c = arts["a"], arts["b"], arts["c"]
    # a alone says nothing absolute; b dates the agreement (19 June 2024), so "im vergangenen Jahr" = 2024
    assert (a.published.earliest, a.published.latest) == ("2025-01-01", "2025-12-31")
    ev = [e for e in a.published.evidence if e["reason"] == "relative-year"]
    assert len(ev) == 1 and ev[0]["article"] == b.id and ev[0]["text"] == "Im vergangenen Jahr"
    assert a.text[ev[0]["start"]:ev[0]["end"]] == "Im vergangenen Jahr"
    assert b.published.source == "metadata" and b.published.value == "2024-06-20"
    assert (c.published.earliest, c.published.latest) == (None, None)
    # the relative time in a is resolved against the new guess (mid 2025 is no single day: no guess)
    assert a.published.value is None


def test_no_match_leaves_the_article_alone(tmp_path: Path) -> None:
    arts = run(tmp_path, {"a": {"text": AGREEMENT_LAST_YEAR, "language": "de"},
                          "c": {"text": UNRELATED, "language": "de", "date": "2024-06-20"}})
    assert (arts["a"].published.earliest, arts["a"].published.latest) == (None, None)


def test_event_matching_can_be_switched_off(tmp_path: Path) -> None:
    arts = run(tmp_path, {"a": {"text": AGREEMENT_LAST_YEAR, "language": "de"},
                          "b": {"text": AGREEMENT_DATED, "language": "de", "date": "2024-06-20"}},
               "stages.pubdate_corpus.match_events=false")
    assert arts["a"].published.earliest is None


STORY = (
    "Der Verteidigungsminister von Alphaland hat am Mittwoch in der Hauptstadt von Betastan den Staatschef "
    "getroffen. Beide Seiten sprachen über Fragen der Sicherheit und der Verteidigung, berichtete die staatliche "
    "Nachrichtenagentur. Anlass des Besuchs ist ein Jahrestag, der mit einer großen Parade begangen wird. "
    "Der Minister überbrachte auch einen Brief seines Präsidenten, hieß es weiter."
)


def test_near_duplicate_of_a_dated_copy_gets_its_date(tmp_path: Path) -> None:
    copy = STORY.replace("hieß es weiter.", "hieß es.")
    arts = run(tmp_path, {"dated": {"text": STORY, "language": "de", "date": "2023-07-27"},
                          "copy": {"text": copy, "language": "de"}})
    d, c = arts["dated"], arts["copy"]
    assert c.duplicate_group is not None and c.duplicate_group == d.duplicate_group
    # the copy alone has no absolute date; its dated near duplicate puts it within 2 days, and
    # "am Mittwoch" (past) moves the guess to the day after the Wednesday in that window (26 July)
    assert (c.published.earliest, c.published.latest, c.published.value) == ("2023-07-25", "2023-07-29", "2023-07-27")
    ev = {e["reason"]: e for e in c.published.evidence}
    assert set(ev) == {"duplicate", "weekday-guess"} and ev["duplicate"]["article"] == d.id
    assert "start" not in ev["duplicate"]  # the evidence is another article, not a span of this one
    assert c.text[ev["weekday-guess"]["start"]:ev["weekday-guess"]["end"]] == "Mittwoch"
    # "am Mittwoch" (past) is now resolved against the inferred guess, and says so
    wed = [t for t in c.times if t["text"] == "Mittwoch"]
    assert wed and wed[0]["value"] == "2023-07-26" and wed[0].get("anchor_inferred") is True


def test_unchanged_articles_are_the_same_objects() -> None:
    a = Article(id="a1", text="Die Regierung trat zurück.", language="de",
                published=Published(source="inferred"), times=[])
    b = Article(id="b1", text="Der Präsident reiste ab.", language="de",
                published=Published(value="2024-01-02", source="metadata"), times=[])
    corpus = Corpus([a, b])
    out = pubdate_corpus(corpus, {})
    assert out.articles[0] is a and out.articles[1] is b


def test_settings_are_checked() -> None:
    with pytest.raises(ConfigError, match="common_word_share"):
        CorpusSettings.from_mapping({"common_word_share": 0})
    with pytest.raises(ConfigError, match="event_min_shared_words"):
        CorpusSettings.from_mapping({"event_min_shared_words": 0})
    assert CorpusSettings.from_mapping(None).duplicate_window_days == 2
