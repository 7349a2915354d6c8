"""Publication-date inference, one rule at a time, on invented German and English text.

German examples run through the real tagger (``find_times``); each rule is also
checked with hand-written ``times`` (the tagger's documented output), so a rule
is tested on its own whatever the tagger's tense reading, and English rules are
tested that way.
"""

from __future__ import annotations

from typing import Any

import pytest

from lagebild.extract.time import find_times
from lagebild.extract.time.pubdate import infer_published, pubdate_settings
from lagebild.model import Published


def tx(text: str, phrase: str, value: str | None, tense: str | None, *, mod: str | None = None,
       anchor: str = "absolute", nth: int = 0, **extra: Any) -> dict[str, Any]:
    """A time dict as the tagger gives it, for ``phrase`` (its ``nth`` occurrence) in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return {"start": start, "end": start + len(phrase), "text": phrase, "type": "DATE", "value": value,
            "mod": mod, "anchor": anchor, "tense": tense, **extra}


#: The rules that read the text alone, without the news-recency prior (on by default).
TEXT_ONLY = {"news_recency_days": 0}


def reasons(pub: Published) -> list[str]:
    return sorted(e["reason"] for e in pub.evidence)


def tagged(text: str, lang: str = "de", **kw: Any) -> Published:
    return infer_published(text, find_times(text, lang), lang, **kw)


# -- past dates bound from below, at the start of their period ---------------------------------


def test_past_day_month_year_give_start_of_period_de() -> None:
    day = tagged("Die Regierung trat am 3. März 2021 zurück.", settings=TEXT_ONLY)
    month = tagged("Die Regierung trat im März 2021 zurück.", settings=TEXT_ONLY)
    year = tagged("Die Regierung trat 2021 zurück.", settings=TEXT_ONLY)
    assert (day.earliest, day.latest, day.value) == ("2021-03-03", None, None)
    assert (month.earliest, month.latest) == ("2021-03-01", None)
    assert (year.earliest, year.latest) == ("2021-01-01", None)
    assert reasons(day) == ["past-date"] and day.source == "inferred"
    ev = day.evidence[0]
    assert "3. März 2021" in "Die Regierung trat am 3. März 2021 zurück."[ev["start"]:ev["end"]]


def test_latest_past_date_wins_en() -> None:
    text = "The treaty was signed in 1990. The minister resigned on 12 May 2022."
    times = [tx(text, "1990", "1990", "past"), tx(text, "12 May 2022", "2022-05-12", "past")]
    pub = infer_published(text, times, "en", settings=TEXT_ONLY)
    assert (pub.earliest, pub.latest) == ("2022-05-12", None)
    assert [e["text"] for e in pub.evidence] == ["12 May 2022"]


def test_range_told_in_past_is_over_by_its_end() -> None:
    text = "In dem Krieg zwischen 1950 und 1953 starben Millionen Menschen."
    times = [tx(text, "zwischen 1950 und 1953", "1950", "past", range_end="1953")]
    assert infer_published(text, times, "de").earliest == "1953-01-01"


# -- future dates bound from above, at the end of their period ---------------------------------


def test_future_month_gives_end_of_month_de() -> None:
    pub = tagged("Der Gipfel wird im Juli 2025 in Berlin stattfinden.")
    assert (pub.earliest, pub.latest) == (None, "2025-07-31")
    assert reasons(pub) == ["future-date"]


def test_past_and_future_close_the_interval_en() -> None:
    text = "The minister resigned in May 2024. The summit will take place in July 2025."
    times = [tx(text, "May 2024", "2024-05", "past"), tx(text, "July 2025", "2025-07", "future")]
    pub = infer_published(text, times, "en")
    assert (pub.earliest, pub.latest) == ("2024-05-01", "2025-07-31")
    assert pub.value is None  # 15 months wide: no guess
    assert reasons(pub) == ["future-date", "past-date"]


# -- role statements: "bis Mai 2024 … war" -------------------------------------------------------


def test_role_until_bounds_from_below_de() -> None:
    text = "Laut Tass war Schulz, der bis Mai 2024 Verteidigungsminister war, nach Paris gereist."
    pub = tagged(text)
    assert pub.earliest == "2024-05-01" and pub.latest is None
    assert reasons(pub) == ["until-past"]


def test_until_without_a_state_verb_is_a_term_not_a_past_end() -> None:
    # "einen Vertrag bis 2027 unterschrieben": 2027 is the end of a contract, not a past date
    text = "Der Trainer hat am Montag einen Vertrag bis 2027 unterschrieben."
    times = [tx(text, "2027", "2027", "past", mod="EQUAL_OR_LESS")]
    pub = infer_published(text, times, "de")
    assert (pub.earliest, pub.latest, pub.evidence) == (None, None, [])


def test_role_until_en() -> None:
    text = "Smith, who was defence minister until May 2024, arrived in Seoul."
    times = [tx(text, "May 2024", "2024-05", "past", mod="EQUAL_OR_LESS")]
    pub = infer_published(text, times, "en")
    assert pub.earliest == "2024-05-01" and reasons(pub) == ["until-past"]


# -- "seit" in a present clause ------------------------------------------------------------------


def test_since_in_present_clause_de() -> None:
    pub = tagged("Sie ist seit März 2020 Ministerin für Verkehr.")
    assert (pub.earliest, pub.latest) == ("2020-03-01", None)
    assert reasons(pub) == ["since-date"]


def test_since_en() -> None:
    text = "He has been minister since March 2020."
    times = [tx(text, "March 2020", "2020-03", "present", mod="EQUAL_OR_MORE")]
    assert infer_published(text, times, "en").earliest == "2020-03-01"


# -- targets: effective dates and dates set for something ----------------------------------------


def test_target_date_outside_past_clause_bounds_from_above() -> None:
    text = "Das neue Gesetz gilt zum 1. Januar 2026 in allen Ländern."
    times = [tx(text, "1. Januar 2026", "2026-01-01", "present")]
    pub = infer_published(text, times, "de")
    assert (pub.earliest, pub.latest) == (None, "2026-01-01")
    assert reasons(pub) == ["target-date"]


def test_target_date_in_past_clause_bounds_nothing() -> None:
    # introduced on 1 January (already past) or approved for 1 January (ahead): either side
    text = "Die Regierung hat die Steuer zum 1. Januar 2026 eingeführt."
    times = [tx(text, "1. Januar 2026", "2026-01-01", "past")]
    assert infer_published(text, times, "de").evidence == []


def test_night_to_a_date_is_no_target() -> None:
    text = "In der Nacht zum 1. Januar 2011 explodierte eine Bombe."
    times = [tx(text, "1. Januar 2011", "2011-01-01", "past")]
    pub = infer_published(text, times, "de", settings=TEXT_ONLY)
    assert (pub.earliest, pub.latest, reasons(pub)) == ("2011-01-01", None, ["past-date"])


def test_year_a_figure_is_for_bounds_nothing() -> None:
    text = "Der Haushalt für 2011 wurde gestern abgelehnt."
    times = [tx(text, "2011", "2011", "past")]
    assert infer_published(text, times, "de").evidence == []


def test_attributive_year_names_a_thing_de_and_en() -> None:
    de = "Die Partei hat einen Kandidaten für die Bundestagswahl 2029 benannt."
    en = "The party named a candidate for the 2029 election."
    assert infer_published(de, [tx(de, "2029", "2029", "past")], "de").evidence == []
    assert infer_published(en, [tx(en, "2029", "2029", "past")], "en").evidence == []


# -- weekday with a date -------------------------------------------------------------------------


def test_weekday_with_date_puts_event_within_a_week_de() -> None:
    pub = tagged("Die Behörde hatte am Freitag, dem 3. Dezember 2004, die Meldung zurückgewiesen.")
    assert (pub.earliest, pub.latest, pub.value) == ("2004-12-03", "2004-12-10", "2004-12-04")
    assert "weekday-date" in reasons(pub)


def test_weekday_with_date_future_en() -> None:
    text = "The court will rule on Monday, 9 January 2006."
    times = [tx(text, "Monday, 9 January 2006", "2006-01-09", "future")]
    pub = infer_published(text, times, "en")
    assert (pub.earliest, pub.latest, pub.value) == ("2006-01-02", "2006-01-09", "2006-01-08")


def test_wrong_weekday_gives_no_week_window() -> None:
    # 3 December 2004 was a Friday, not a Monday: only the plain past date counts
    text = "Die Behörde hatte am Montag, dem 3. Dezember 2004, dementiert."
    times = [tx(text, "Montag, dem 3. Dezember 2004", "2004-12-03", "past")]
    pub = infer_published(text, times, "de")
    assert (pub.earliest, pub.latest, reasons(pub)) == ("2004-12-03", None, ["past-date"])


def test_yearless_weekday_date_read_in_the_one_year_the_interval_leaves() -> None:
    # the interval [2024-05-10, 2024-06-30] leaves one year for "Donnerstag, 16. Mai": 2024 (a Thursday)
    text = ("Der Gipfel begann am 10. Mai 2024. Am Donnerstag, 16. Mai, unterzeichneten beide Seiten "
            "ein Abkommen. Die Gespräche werden im Juni 2024 fortgesetzt.")
    times = [
        tx(text, "10. Mai 2024", "2024-05-10", "past"),
        tx(text, "Donnerstag, 16. Mai", "XXXX-05-16", "past", anchor="publication",
           relative={"month": 5, "day": 16, "direction": -1, "ref": "publication"}),
        tx(text, "Juni 2024", "2024-06", "future"),
    ]
    pub = infer_published(text, times, "de")
    assert (pub.earliest, pub.latest, pub.value) == ("2024-05-16", "2024-05-23", "2024-05-17")
    assert "weekday-date" in reasons(pub)


def test_dateless_weekday_moves_the_guess_inside_a_known_interval() -> None:
    # [2024-05-01, 2024-05-31] from the two dates; "am Freitag" (past) happened on a Friday in it,
    # so the guess is the day after the first Friday (3 May), not the day after 1 May
    text = ("Die Frist lief am 1. Mai 2024 ab. Am Freitag traf sich der Ausschuss. "
            "Die Entscheidung wird am 31. Mai 2024 fallen.")
    times = [
        tx(text, "1. Mai 2024", "2024-05-01", "past"),
        tx(text, "Freitag", None, "past", anchor="publication",
           relative={"weekday": 5, "direction": -1, "strict": False, "ref": "publication"}),
        tx(text, "31. Mai 2024", "2024-05-31", "future"),
    ]
    pub = infer_published(text, times, "de", settings=TEXT_ONLY)
    assert (pub.earliest, pub.latest, pub.value) == ("2024-05-01", "2024-05-31", "2024-05-04")
    assert "weekday-guess" in reasons(pub)
    # without the weekday: earliest + one day
    no_wd = [t for t in times if t["text"] != "Freitag"]
    assert infer_published(text, no_wd, "de", settings=TEXT_ONLY).value == "2024-05-02"
    # with the news-recency prior (default 7 days) the interval ends 8 May; the Friday is still 3 May
    rec = infer_published(text, times, "de")
    assert (rec.earliest, rec.latest, rec.value) == ("2024-05-01", "2024-05-08", "2024-05-04")


def test_dateless_weekday_alone_gives_nothing() -> None:
    pub = tagged("Der Minister traf am Mittwoch seinen Amtskollegen.")
    assert (pub.value, pub.earliest, pub.latest, pub.evidence) == (None, None, None, [])


# -- years relative to the writing year ------------------------------------------------------------


def test_last_year_with_event_dated_in_the_article_fixes_the_year() -> None:
    text = ("Im vergangenen Jahr hatten Alphaland und Betastan ein Abkommen über eine strategische "
            "Partnerschaft geschlossen. Der Außenminister reiste am Mittwoch nach Betastan. Die Opposition "
            "kritisierte die Reise. Das Abkommen über die strategische Partnerschaft war am 19. Juni 2024 "
            "unterzeichnet worden.")
    pub = tagged(text)
    assert (pub.earliest, pub.latest) == ("2025-01-01", "2025-12-31")
    ev = [e for e in pub.evidence if e["reason"] == "relative-year"]
    assert len(ev) == 1 and ev[0]["text"] == "Im vergangenen Jahr" and ev[0]["via"]["text"] == "19. Juni 2024"


def test_last_year_without_the_event_dated_gives_nothing() -> None:
    pub = tagged("Im vergangenen Jahr hatten beide Länder ein Abkommen geschlossen.")
    assert (pub.earliest, pub.latest) == (None, None)


def test_last_year_en() -> None:
    text = ("Last year Alphaland and Betastan signed a strategic partnership agreement. Protests followed. "
            "The strategic partnership agreement between Alphaland and Betastan was signed on 19 June 2024.")
    times = [tx(text, "19 June 2024", "2024-06-19", "past")]
    pub = infer_published(text, times, "en")
    assert (pub.earliest, pub.latest) == ("2025-01-01", "2025-12-31")


def test_anniversary_with_founding_day_de() -> None:
    text = ("Die Stiftung feiert ihren 40. Geburtstag. Nach ihrer Gründung am 4. Dezember 1964 "
            "wurde sie rasch bekannt.")
    pub = tagged(text)
    assert pub.value == "2004-12-04"
    assert (pub.earliest, pub.latest) == ("2004-10-20", "2005-01-18")  # ± anniversary_window_days (45)
    assert reasons(pub) == ["anniversary"]


def test_anniversary_en() -> None:
    text = "The foundation marks its 40th anniversary. It was founded on 4 December 1964."
    times = [tx(text, "4 December 1964", "1964-12-04", "past")]
    assert infer_published(text, times, "en").value == "2004-12-04"


def test_years_ago_with_year_in_same_sentence() -> None:
    text = "Vor 30 Jahren, im Jahr 1994, wurde das Werk eröffnet."
    times = [tx(text, "Jahr 1994", "1994", "past")]
    pub = infer_published(text, times, "de")
    assert pub.earliest == "2024-01-01" and pub.latest == "2025-02-14"  # + 45-day margin into the next year
    assert "years-ago" in reasons(pub)


# -- a present-tense date referred back to as past --------------------------------------------------


def test_past_anaphor_makes_a_present_clause_date_past() -> None:
    text = ("Die Regierung nimmt Bezug auf das Gipfeltreffen im September 2023 in Moskau. "
            "Schon damals hatte der Präsident eine Einladung ausgesprochen.")
    times = [tx(text, "September 2023", "2023-09", "present")]
    pub = infer_published(text, times, "de")
    assert pub.earliest == "2023-09-01" and reasons(pub) == ["past-anaphor"]
    # without the anaphor the present-tense date bounds nothing
    plain = text.split(" Schon")[0]
    assert infer_published(plain, [tx(plain, "September 2023", "2023-09", "present")], "de").evidence == []


# -- previous bounds, conflicts, settings ----------------------------------------------------------


def test_previous_upper_bound_is_kept() -> None:
    text = "Die Regierung trat am 3. März 2021 zurück."
    pub = tagged(text, previous=Published(latest="2021-03-09", source="unknown"))
    assert (pub.earliest, pub.latest, pub.value) == ("2021-03-03", "2021-03-09", "2021-03-04")
    assert "metadata" in reasons(pub)


def test_metadata_date_is_returned_unchanged() -> None:
    meta = Published(value="2021-03-05", earliest="2021-03-05", latest="2021-03-05", source="metadata")
    assert tagged("Die Regierung trat am 3. März 2021 zurück.", previous=meta) is meta


def test_conflict_keeps_the_more_trusted_bound() -> None:
    # a past date after an announced future date cannot both hold: the past date (more trusted) stays
    text = "Die Wahl wird im Mai 2020 stattfinden. Der Präsident trat im Juni 2021 zurück."
    times = [tx(text, "Mai 2020", "2020-05", "future"), tx(text, "Juni 2021", "2021-06", "past")]
    pub = infer_published(text, times, "de")
    assert (pub.earliest, pub.latest, reasons(pub)) == ("2021-06-01", None, ["past-date"])


def test_relative_values_resolved_against_a_publication_date_are_not_evidence() -> None:
    text = "Der Minister traf am Mittwoch seinen Amtskollegen."
    times = [tx(text, "Mittwoch", "2023-07-26", "past", anchor="publication",
                relative={"weekday": 3, "direction": -1, "ref": "publication"})]
    assert infer_published(text, times, "de").evidence == []


def test_news_recency_setting_closes_interval_after_a_past_event_day() -> None:
    text = "Die Regierung trat am 3. März 2021 zurück."
    pub = tagged(text, settings={"news_recency_days": 5})
    assert (pub.earliest, pub.latest, pub.value) == ("2021-03-03", "2021-03-08", "2021-03-04")
    assert reasons(pub) == ["news-recency", "past-date"]
    assert tagged(text).latest == "2021-03-10"  # on by default: 7 days
    assert tagged(text, settings=TEXT_ONLY).latest is None


def test_news_recency_takes_the_latest_past_event_day() -> None:
    # 1 March and 3 March told in the past: the news is the later one → written by 10 March
    text = "Am 1. März 2021 begann die Krise. Die Regierung trat am 3. März 2021 zurück."
    pub = tagged(text)
    assert (pub.earliest, pub.latest) == ("2021-03-03", "2021-03-10")
    rec = [e for e in pub.evidence if e["reason"] == "news-recency"]
    assert len(rec) == 1 and rec[0]["text"] == "3. März 2021" and rec[0]["bounds"] == ["latest"]


def test_news_recency_month_precision_setting() -> None:
    # "im März 2021" is known only to the month: off by default; with 10 days → end of March + 10 days
    text = "Die Regierung trat im März 2021 zurück."
    assert tagged(text).latest is None
    pub = tagged(text, settings={"news_recency_month_days": 10})
    assert (pub.earliest, pub.latest) == ("2021-03-01", "2021-04-10")
    assert reasons(pub) == ["news-recency", "past-date"]


@pytest.mark.parametrize("text", [
    "Die Regierung hatte am 3. März 2021 den Rücktritt erklärt.",  # pluperfect: background
    "Der Sänger wurde am 3. März 1921 in Wien geboren.",  # a birth
    "Wie die Zeitung in ihrer Ausgabe vom 3. März 2021 berichtete, trat der Minister zurück.",  # a document's date
])
def test_news_recency_not_from_background_events(text: str) -> None:
    pub = tagged(text)
    assert pub.earliest is not None and pub.latest is None, pub
    assert "news-recency" not in reasons(pub)


def test_settings_nested_and_unknown_keys() -> None:
    s = pubdate_settings({"pubdate": {"guess_lag_days": 3}, "genre": "news"})
    assert s["guess_lag_days"] == 3 and "genre" not in s
    assert pubdate_settings({"weekday_window_days": 5})["weekday_window_days"] == 5


def test_no_clue_no_guess() -> None:
    pub = tagged("Kim glaubt an einen Sieg. Beobachter sehen das anders.")
    assert (pub.value, pub.earliest, pub.latest, pub.evidence) == (None, None, None, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Smith, who was defence minister until May 2024, arrived in Seoul on Tuesday.",
         ("2024-05-01", None, None, ["until-past"])),
        ("The summit will take place in July 2025.", (None, "2025-07-31", None, ["future-date"])),
        ("On Friday, December 3, 2004, the agency denied the report.",
         ("2004-12-03", "2004-12-10", "2004-12-04", ["past-date", "weekday-date"])),
        ("The foundation celebrates its 40th anniversary. It was founded on 4 December 1964.",
         ("2004-10-20", "2005-01-18", "2004-12-04", ["anniversary"])),
        ("He has been minister since March 2020.", ("2020-03-01", None, None, ["since-date"])),
        ("The new law takes effect on 1 January 2026.", (None, "2026-01-01", None, ["target-date"])),
        ("The party named a candidate for the 2029 election.", (None, None, None, [])),
    ],
)
def test_english_through_the_tagger(text: str, expected: tuple[Any, ...]) -> None:
    pub = tagged(text, "en")
    assert (pub.earliest, pub.latest, pub.value, reasons(pub)) == expected


@pytest.mark.parametrize("lang", [None, "fr"])
def test_language_without_cue_file_uses_all(lang: str | None) -> None:
    text = "The minister resigned in May 2024."
    times = [tx(text, "May 2024", "2024-05", "past")]
    assert infer_published(text, times, lang).earliest == "2024-05-01"
