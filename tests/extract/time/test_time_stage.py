"""The ``time`` pipeline stage, and the tagger on the seeds' clean text."""

from __future__ import annotations

import copy

import pytest

from lagebild.config import defaults, load_config
from lagebild.errors import ConfigError
from lagebild.extract.time import find_times, stage as time_stage_module
from lagebild.extract.time.stage import time_stage
from lagebild.model import Article, Published
from lagebild.pipeline import Pipeline, get_stage

TEXT = "Am Donnerstag traf Schoigu Kim. Am Tag darauf reiste er ab. Seit 2014 ist er Minister."


def article(published: Published | None = None, language: str = "de", text: str = TEXT) -> Article:
    return Article(id="a1", text=text, raw_text=text, language=language, published=published or Published())


def test_stage_is_registered_with_its_contract_and_in_the_default_pipeline():
    st = get_stage("time")
    assert st.fn is time_stage
    assert st.requires == {"text", "language", "published"}
    assert st.sets == {"times", "published"}
    names = defaults()["pipeline"]["stages"]
    # after the stages that settle the clean text its offsets point into
    assert names.index("time") > max(names.index("identify"), names.index("boilerplate"))
    assert defaults()["stages"]["time"] == {"genre": "news", "languages": ["de", "en", "fr"]}


def test_metadata_date_anchors_the_times_and_stays():
    pub = Published(value="2023-07-26", earliest="2023-07-26", latest="2023-07-26", source="metadata")
    a = article(pub)
    before = copy.deepcopy(a)
    out = Pipeline([get_stage("clean"), get_stage("time")], {"time": {}}, strict=True).run_article(a)
    assert a == before  # the input is not mutated
    assert out.text == TEXT and out.published is a.published
    assert [(t["text"], t["value"], t["anchor"]) for t in out.times] == [
        ("Donnerstag", "2023-07-20", "publication"),
        ("Am Tag darauf", "2023-07-21", "previous"),
        ("2014", "2014", "absolute"),
    ]
    assert not any(t.get("anchor_inferred") for t in out.times)
    assert out.times[2]["mod"] == "EQUAL_OR_MORE"


def test_without_metadata_the_inferred_date_resolves_the_times(monkeypatch):
    seen = {}

    def fake_infer(text, times, language, previous=None, settings=None):
        seen.update(text=text, values=[t["value"] for t in times], language=language, previous=previous,
                    settings=settings)
        return Published(value="2023-07-26", earliest="2023-07-21", latest="2023-07-28", source="inferred")

    monkeypatch.setattr(time_stage_module, "infer_published", fake_infer)
    a = article()
    out = time_stage(a, {})
    # the inference saw the unresolved times (no anchor yet) and what ingest knew
    assert seen["values"] == [None, None, "2014"] and seen["language"] == "de"
    assert seen["previous"] is a.published
    assert seen["settings"] == {}  # no [stages.pubdate] table handed on: the packaged defaults apply
    time_stage(a, {"pubdate": {"guess_lag_days": 2}})
    assert seen["settings"] == {"guess_lag_days": 2}
    time_stage(a, {"genre": "narrative", "pubdate": {"guess_lag_days": 2}})  # no recency prior for history
    assert seen["settings"] == {"guess_lag_days": 2, "news_recency_days": 0, "news_recency_month_days": 0}
    assert out.published.source == "inferred" and out.published.value == "2023-07-26"
    assert [(t["value"], t.get("anchor_inferred", False)) for t in out.times] == [
        ("2023-07-20", True), ("2023-07-21", True), ("2014", False)]


def test_without_any_date_relative_times_stay_unresolved(monkeypatch):
    monkeypatch.setattr(time_stage_module, "infer_published", lambda *a, **k: Published())  # nothing inferred
    out = time_stage(article(), {})
    assert out.published == Published()
    assert [t["value"] for t in out.times] == [None, None, "2014"]
    assert out.times[0]["relative"] == {"weekday": 4, "direction": -1, "strict": False, "ref": "publication"}


def test_languages_and_genre_settings():
    assert time_stage(article(language="it"), {}).times == []  # no Italian lexicon
    assert time_stage(article(language="fr"), {"languages": ["de", "en"]}).times == []
    en = time_stage(article(Published(value="2024-06-13", source="metadata"), "en", "He met Kim last Thursday."), {})
    assert [(t["text"], t["value"]) for t in en.times] == [("last Thursday", "2024-06-06")]
    narr = time_stage(article(Published(value="2011-02-16", source="metadata"), text="Heute ist es ein Museum."),
                      {"genre": "narrative"})
    assert narr.times[0]["value"] == "PRESENT_REF"
    with pytest.raises(ConfigError, match="stages.time.genre"):
        time_stage(article(), {"genre": "poetry"})
    with pytest.raises(ConfigError, match="stages.time.languages"):
        time_stage(article(), {"languages": "de"})


# -- [stages.pubdate] settings reach the inference ------------------------------------------------

RECENT = "Die Regierung trat am 3. März 2021 zurück. Der Rücktritt kam für viele Beobachter überraschend."


def test_pubdate_settings_change_the_stage_result():
    a = article(text=RECENT)
    assert time_stage(a, {}).published.latest == "2021-03-10"  # packaged default: 7 days after the event
    assert time_stage(a, {"pubdate": {"news_recency_days": 3}}).published.latest == "2021-03-06"
    assert time_stage(a, {"pubdate": {"news_recency_days": 0}}).published.latest is None
    with pytest.raises(ConfigError, match="pubdate"):
        time_stage(a, {"pubdate": 3})


def _extract_one(tmp_path, cfg):
    from lagebild.api import extract
    from lagebild.executors import InlineExecutor

    f = tmp_path / "rücktritt.txt"
    f.write_text(RECENT + "\n", encoding="utf-8")
    result = extract([str(f)], config=cfg, executor=InlineExecutor())
    assert not result.errors and len(result.articles) == 1
    assert result.articles[0].language == "de"
    return result.articles[0].published


def test_set_stages_pubdate_through_api_extract(tmp_path):
    # the runner hands the time stage [stages.pubdate] as settings["pubdate"] (Stage.reads)
    cfg = load_config(None, ["executor.kind=inline", "stages.pubdate.news_recency_days=3"])
    assert _extract_one(tmp_path, cfg).latest == "2021-03-06"
    cfg = load_config(None, ["executor.kind=inline"])
    assert _extract_one(tmp_path, cfg).latest == "2021-03-10"  # the packaged default, 7 days


# -- the seeds ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_texts(seeds) -> dict[str, str]:
    from lagebild.api import extract
    from lagebild.executors import InlineExecutor

    cfg = load_config(None, ["executor.kind=inline"])
    result = extract([str(p) for p in seeds], config=cfg, executor=InlineExecutor())
    assert not result.errors
    by_name = {a.source[0].source.rsplit("/", 1)[-1][:3]: a for a in result.articles}
    for a in by_name.values():  # the stage ran and every time carries a value key
        assert all("value" in t for t in a.times)
    return {k: a.text for k, a in by_name.items()}


def find(text: str, anchor: str, needle: str) -> dict:
    hits = [t for t in find_times(text, "de", anchor=anchor) if needle in text[t["start"] - 12: t["end"] + 2]]
    assert hits, f"{needle!r} not found"
    t = hits[0]
    assert text[t["start"]: t["end"]] == t["text"]
    return t


@pytest.mark.shared
def test_seed_000_thursday_of_the_70th_anniversary(seed_texts):
    # "anlässlich des 70. Jahrestages des Endes des Koreakrieges" and seed 001's "Der 27. Juli, der das Ende
    # des Korea-Kriegs markiert" / "zwischen 1950 und 1953": the parade was on 27 July 2023, a Thursday.
    # Written that day or the day after, "Am Donnerstag nahm … teil" (past) is that day.
    text = seed_texts["000"]
    for anchor in ("2023-07-27", "2023-07-28"):
        t = find(text, anchor, "Am Donnerstag")
        assert (t["text"], t["type"], t["tense"], t["value"]) == ("Donnerstag", "DATE", "past", "2023-07-27")
    assert all("70" not in t["text"] for t in find_times(text, "de", anchor="2023-07-27"))


@pytest.mark.shared
def test_seed_001_wednesday_meeting_thursday_report(seed_texts):
    # The Voice of Korea reported "am Donnerstag" (27 July 2023, the anniversary) that Kim and Schoigu met
    # "am Mittwoch" (past: 26 July); "seit den 1950er Jahren"; the war "zwischen 1950 und 1953".
    text = seed_texts["001"]
    a = "2023-07-27"
    assert (find(text, a, "am Donnerstag")["value"]) == "2023-07-27"
    wed = find(text, a, "am Mittwoch")
    assert (wed["text"], wed["tense"], wed["value"]) == ("Mittwoch", "past", "2023-07-26")
    dec = find(text, a, "seit den 1950er")
    assert (dec["text"], dec["type"], dec["value"], dec["mod"]) == ("den 1950er Jahren", "DATE", "195X", "EQUAL_OR_MORE")
    jul = find(text, a, "27. Juli")
    assert (jul["text"], jul["type"], jul["value"]) == ("27. Juli", "DATE", "2023-07-27")
    war = find(text, a, "zwischen 1950")
    assert (war["value"], war["range_end"]) == ("1950", "1953")
    assert all(t["text"] not in ("38.", "70.") for t in find_times(text, "de", anchor=a))


@pytest.mark.shared
def test_seed_002_last_year_march_and_until_may_2024(seed_texts):
    # "der bis Mai 2024 Verteidigungsminister war": written after May 2024; "Im vergangenen Jahr … Abkommen
    # über eine umfassende strategische Partnerschaft" (signed in 2024) puts it in 2025; "zuletzt im März",
    # "zweiter Besuch … in weniger als drei Monaten": a visit in early June 2025 — anchor 2025-06-04.
    text = seed_texts["002"]
    a = "2025-06-04"
    t = find(text, a, "bis Mai 2024")
    assert (t["text"], t["type"], t["value"], t["mod"]) == ("Mai 2024", "DATE", "2024-05", "EQUAL_OR_LESS")
    t = find(text, a, "weniger als drei")
    assert (t["text"], t["type"], t["value"], t["mod"]) == ("weniger als drei Monaten", "DURATION", "P3M", "LESS_THAN")
    t = find(text, a, "vergangenen Jahr ")
    assert (t["text"], t["type"], t["value"]) == ("vergangenen Jahr", "DATE", "2024")
    t = find(text, a, "im März")
    assert (t["text"], t["type"], t["tense"], t["value"]) == ("März", "DATE", "past", "2025-03")
    t = find(text, a, "jüngst")
    assert (t["type"], t["value"]) == ("DATE", "PAST_REF")


@pytest.mark.shared
def test_seed_003_next_week(seed_texts):
    # "Putin reist kommende Woche nach Pjöngjang": the visit was on 19 June 2024 (ISO week 25); written the
    # week before (anchor 2024-06-13, week 24), every "kommende Woche" is week 25.
    text = seed_texts["003"]
    hits = [t for t in find_times(text, "de", anchor="2024-06-13") if t["text"] == "kommende Woche"]
    assert len(hits) == 3
    assert {(t["type"], t["value"]) for t in hits} == {("DATE", "2024-W25")}
    assert all("4,8" not in t["text"] for t in find_times(text, "de", anchor="2024-06-13"))


@pytest.mark.shared
def test_seed_004_september_2023_and_early_2022(seed_texts):
    # Absolute dates: the Wostotschny summit "im September 2023", the invasion "Anfang 2022".
    text = seed_texts["004"]
    a = "2024-01-19"
    t = find(text, a, "im September 2023")
    assert (t["text"], t["type"], t["value"], t["anchor"]) == ("September 2023", "DATE", "2023-09", "absolute")
    t = find(text, a, "Anfang 2022")
    assert (t["text"], t["type"], t["value"], t["mod"]) == ("Anfang 2022", "DATE", "2022", "START")
    assert all("300" not in t["text"] for t in find_times(text, "de", anchor=a))
