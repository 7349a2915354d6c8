"""compare_measures: figure variants on the seeds and on hand-made articles, one test per classification."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from lagebild.model import Article, Published
from lagebild.picture._variants import compare_measures


@pytest.fixture(scope="module")
def seed_articles(seeds: list[Path]) -> list[Article]:
    from lagebild.api import extract
    from lagebild.config import load_config

    return extract([str(p) for p in seeds], config=load_config(None, ['executor.kind="inline"'])).articles


def test_seed_shell_figures_are_not_a_contradiction(seed_articles: list[Article]) -> None:
    groups = {g["measure"]: g for g in compare_measures(seed_articles)}
    shells = groups["count:shell"]
    # "mehr als eine Million Granaten" (Berichten zufolge) vs "etwa 4,8 Millionen Geschosse" and
    # "um die 4,8 Millionen Artilleriegeschosse" (laut dem südkoreanischen Verteidigungsminister)
    assert sorted((v["text"], v["mod"], v["value"]) for v in shells["values"]) == [
        ("etwa 4,8 Millionen", "APPROX", 4800000), ("mehr als eine Million", "MORE_THAN", 1000000),
        ("um die 4,8 Millionen", "APPROX", 4800000)]
    assert shells["classification"] in ("update", "different_source")
    # the article with 4.8 million has no date of its own; it names Peskov as Kremlin spokesman, a
    # post he has held since May 2012 (the KB's term of office), so it was written after that
    assert shells["classification"] == "different_source"
    reason = shells["reason"]
    assert "more than 1 million" in reason and "about 4.8 million" in reason
    assert "Berichten" in reason and "not before 2012-05-01" in reason and "2023-09-01" in reason
    assert ("about 4.8 million (not before 2012-05-01, inferred, dem südkoreanischen Verteidigungsminister, hedged)"
            in reason), reason
    by_text = {v["text"]: v for v in shells["values"]}
    assert by_text["mehr als eine Million"]["status"] == "hedged"
    assert by_text["mehr als eine Million"]["speaker"]["text"] == "Berichten"
    assert by_text["um die 4,8 Millionen"]["speaker"]["text"] == "dem südkoreanischen Verteidigungsminister"
    assert by_text["etwa 4,8 Millionen"]["speaker"] is None
    # measures without a counted object ("t:", "km:") are not compared
    assert all(g["measure"].split(":", 1)[1] for g in groups.values())


# -- hand-made articles --------------------------------------------------------------------------

def _art(aid: str, figures: list[dict[str, Any]], *, published: str | None = None, earliest: str | None = None,
         latest: str | None = None, outlet: str | None = None, times: list[dict[str, Any]] | None = None,
         entity: str = "gpe:kp") -> Article:
    text, quantities, claims, mentions = "", [], [], []
    for i, f in enumerate(figures):
        sent = f"Claim {i}: {f['text']} shells."
        start = len(text)
        text += sent + " "
        mentions.append({"start": start, "end": start + 5, "text": "Claim", "form": "name"})  # names `entity`
        qs = start + sent.index(f["text"])
        quantities.append({
            "start": qs, "end": qs + len(f["text"]), "text": f["text"], "value": f.get("value"), "low": f.get("low"),
            "high": f.get("high"), "mod": f.get("mod"), "unit": None, "object": "shells", "object_lemma": "shell",
            "object_start": None, "object_end": None, "measure": f.get("measure", "count:shell"),
        })
        speaker = {"id": f.get("speaker_id"), "text": f["speaker"], "start": 0, "end": 1} if f.get("speaker") else None
        claims.append({"start": start, "end": start + len(sent), "text": sent, "speaker": speaker, "source": None,
                       "cue": None, "status": f.get("status", "asserted"), "form": None, "quantities": [i],
                       "entities": []})
    sentences = [[c["start"], c["end"]] for c in claims]
    entities = [{"id": entity, "name": entity, "type": "GPE", "kb": entity, "mentions": mentions}]
    return Article(id=aid, outlet=outlet, text=text, quantities=quantities, claims=claims, times=times or [],
                   sentences=sentences, entities=entities,
                   published=Published(value=published, earliest=earliest, latest=latest))


def _one(arts: list[Article]) -> dict[str, Any]:
    (g,) = compare_measures(arts)
    return g


def test_same_within_qualifiers() -> None:
    a = _art("a", [{"text": "etwa 4,8 Millionen", "value": 4_800_000, "mod": "APPROX"}], published="2024-06-12", outlet="A")
    b = _art("b", [{"text": "um die 5 Millionen", "value": 5_000_000, "mod": "APPROX"}], published="2024-06-13", outlet="B")
    g = _one([a, b])
    assert g["classification"] == "same"
    assert g["measure"] == "count:shell" and g["object"] == "shell"
    assert [v["article"] for v in g["values"]] == ["a", "b"]


def test_update_when_the_later_report_differs() -> None:
    a = _art("a", [{"text": "mehr als eine Million", "value": 1_000_000, "mod": "MORE_THAN", "speaker": "Berichten"}],
             published="2024-01-17", outlet="A")
    b = _art("b", [{"text": "4,8 Millionen", "value": 4_800_000, "speaker": "Ministry X", "status": "hedged"}],
             published="2024-06-12", outlet="B")
    g = _one([b, a])
    assert g["classification"] == "update"
    assert g["reason"] == ("4.8 million (2024-06-12, Ministry X, hedged) is later than more than 1 million "
                           "(2024-01-17, Berichten, asserted): an update over time")
    assert [v["article"] for v in g["values"]] == ["a", "b"]  # in time order


def test_time_in_the_claim_beats_publication() -> None:
    # both published the same day, but the first figure is said of January
    a = _art("a", [{"text": "eine Million", "value": 1_000_000}], published="2024-06-12", outlet="A",
             times=[{"start": 0, "end": 5, "text": "Claim", "value": "2024-01", "type": "DATE", "mod": None}])
    b = _art("b", [{"text": "vier Millionen", "value": 4_000_000}], published="2024-06-12", outlet="B")
    g = _one([a, b])
    assert g["classification"] == "update"
    assert "2024-01-01 to 2024-01-31" in g["reason"]


def test_different_source_at_the_same_time() -> None:
    a = _art("a", [{"text": "eine Million", "value": 1_000_000, "speaker": "Kyiv", "speaker_id": "gpe:ua"}],
             published="2024-06-12", outlet="A")
    b = _art("b", [{"text": "drei Millionen", "value": 3_000_000, "speaker": "Seoul", "speaker_id": "gpe:kr"}],
             published="2024-06-12", outlet="B")
    g = _one([a, b])
    assert g["classification"] == "different_source"
    assert "Kyiv" in g["reason"] and "Seoul" in g["reason"] and "different sources" in g["reason"]


def test_contradiction_same_source_same_time() -> None:
    a = _art("a", [{"text": "100", "value": 100, "speaker": "Ministry", "speaker_id": "org:m"}],
             published="2024-06-12", outlet="A")
    b = _art("b", [{"text": "500", "value": 500, "speaker": "Ministry", "speaker_id": "org:m"}],
             published="2024-06-12", outlet="B")
    g = _one([a, b])
    assert g["classification"] == "contradiction"
    assert g["reason"].startswith("100 (2024-06-12, Ministry, asserted) and 500 (2024-06-12, Ministry, asserted)")


def test_contradiction_both_asserted_same_day_but_not_when_undated() -> None:
    a = _art("a", [{"text": "100", "value": 100}], published="2024-06-12", outlet="A")
    b = _art("b", [{"text": "500", "value": 500}], published="2024-06-12", outlet="B")
    assert _one([a, b])["classification"] == "contradiction"
    assert _one([a, b.replace(published=Published())])["classification"] == "different_source"
    # a range that holds the other value is no contradiction
    c = _art("c", [{"text": "100 bis 600", "low": 100, "high": 600}], published="2024-06-12", outlet="C")
    assert _one([b, c])["classification"] == "same"


def test_two_figures_in_one_article_are_two_things() -> None:
    # "33 Prozent Marktanteil ... 36 Prozent" in one text: two companies, not a contradiction
    a = _art("a", [{"text": "100", "value": 100, "speaker": "Ministry", "speaker_id": "org:m"},
                   {"text": "500", "value": 500, "speaker": "Ministry", "speaker_id": "org:m"}],
             published="2024-06-12", outlet="A")
    assert compare_measures([a]) == []
    # ... while a figure repeated in one article is one group of the same figure
    b = _art("b", [{"text": "etwa 100", "value": 100, "mod": "APPROX"}, {"text": "um die 100", "value": 100, "mod": "APPROX"}],
             published="2024-06-12", outlet="B")
    g = _one([b])
    assert g["classification"] == "same" and [v["text"] for v in g["values"]] == ["etwa 100", "um die 100"]


def test_articles_about_other_things_are_not_compared() -> None:
    # the sentences share an entity, but the articles otherwise name nothing in common
    a = _art("a", [{"text": "100", "value": 100}], published="2024-06-12")
    b = _art("b", [{"text": "500", "value": 500}], published="2024-06-12")
    other = [{"id": f"per:x{i}", "name": "x", "type": "PER", "kb": None, "mentions": []} for i in range(8)]
    assert _one([a, b])["classification"] == "contradiction"
    assert compare_measures([a, b.replace(entities=b.entities + other)]) == []  # Jaccard 1/9 < 0.15


def test_unknown_and_inferred_dates_are_said() -> None:
    a = _art("a", [{"text": "1000", "value": 1000, "speaker": "S1"}], earliest="2024-05-01", outlet="A")
    b = _art("b", [{"text": "5000", "value": 5000, "speaker": "S2"}], outlet="B")
    g = _one([a, b])
    assert g["classification"] == "different_source"
    assert "1,000 (not before 2024-05-01, inferred, S1, asserted)" in g["reason"]
    assert "5,000 (date unknown, S2, asserted)" in g["reason"]


def test_measures_without_object_and_duplicates_are_skipped() -> None:
    a = _art("a", [{"text": "10", "value": 10, "measure": "count:"}, {"text": "20", "value": 20, "measure": "count:"}],
             published="2024-06-12")
    b = _art("b", [{"text": "7", "value": 7}], published="2024-06-12")
    c = _art("c", [{"text": "9", "value": 9}], published="2024-06-12").replace(duplicate_of="b", duplicate_group="b")
    assert compare_measures([a, b, c]) == []


def test_figures_about_unrelated_things_are_not_compared() -> None:
    # same measure, but the sentences name nothing in common: two stories, not two variants
    a = _art("a", [{"text": "200", "value": 200}], published="2024-06-12", entity="gpe:at")
    b = _art("b", [{"text": "900", "value": 900}], published="2024-06-12", entity="gpe:pe")
    assert compare_measures([a, b]) == []
    c = _art("c", [{"text": "950", "value": 950}], published="2024-06-13", entity="city:pe:lima")  # Lima: Peru
    (g,) = compare_measures([a, b, c])
    assert [v["article"] for v in g["values"]] == ["b", "c"]


@pytest.mark.parametrize("n, compared", [(200, "all"), (201, "neighbours")])
def test_a_very_common_measure_compares_neighbours_only(n: int, compared: str) -> None:
    # figures (about …) growing 2 % a day: each agrees with the next (same_tolerance 10 %), the first and the last do not;
    # up to _ALL_PAIRS pairs (200 figures: 19,900) every pair is compared, above it (201: 20,100) only neighbours
    from lagebild.picture._variants import _ALL_PAIRS

    assert (n * (n - 1) // 2 > _ALL_PAIRS) == (compared == "neighbours")
    arts = [_art(f"a{i:03d}", [{"text": f"etwa {round(1000 * 1.02**i)}", "value": round(1000 * 1.02**i), "mod": "APPROX"}],
                 published=(date(2024, 1, 1) + timedelta(days=i)).isoformat(),
                 outlet=f"O{i}") for i in range(n)]
    g = _one(arts)
    assert len(g["values"]) == n
    assert g["classification"] == ("update" if compared == "all" else "same")
