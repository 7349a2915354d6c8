"""Full-text search: diacritics, German transliteration, hostile input, filters, snippets."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagebild.model import Article, Provenance
from lagebild.store import Store, open_store
from lagebild.store._fold import fold_german, fold_token, strip_diacritics
from lagebild.store._query import Term, fts_expression, parse_query

DOCS = {
    "aaaa0001": ("Gespräche in Pjöngjang", "Der Minister reiste nach Pjöngjang. Dort traf er den Machthaber.",
                 "Nordblatt", "de"),
    "bbbb0002": ("Demonstration in München", "In München gingen am Samstag Tausende auf die Straße.",
                 "Südkurier", "de"),
    "cccc0003": ("Haushalt beschlossen", "Der Bundestag hat den Haushalt beschlossen. Die Opposition "
                 "kritisierte die Pläne.", "Nordblatt", "de"),
    "dddd0004": ("Visite à Pyongyang", "Le ministre est arrivé à Pyongyang, a indiqué l'agence.",
                 "Le Quotidien", "fr"),
    "eeee0005": ("Kurzmeldungen", "Pjöngjang meldet einen Raketentest. München erwartet Regen.",
                 "Südkurier", "de"),
}


def article(aid: str, title: str, text: str, outlet: str, language: str) -> Article:
    return Article(id=aid, source=[Provenance(f"{aid}.txt", "text")], title=title, text=text,
                   raw_text=text, outlet=outlet, language=language)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = open_store(tmp_path_factory.mktemp("search") / "lb.db")
    for aid, row in DOCS.items():
        s.write_article(article(aid, *row))
    yield s
    s.close()


def ids(hits) -> list[str]:
    return sorted(h.id for h in hits)


# -- folding -----------------------------------------------------------------


def test_fold_german_transliterates_then_strips_diacritics() -> None:
    assert fold_german("Pjöngjang") == "Pjoengjang"
    assert fold_german("Müller-Lüdenscheidt") == "Mueller-Luedenscheidt"
    assert fold_german("Straße ÄRGER Öl ẞ") == "Strasse AeRGER Oel SS"
    assert fold_german("Café Noël, São Paulo, Łódź") == "Cafe Noel, Sao Paulo, Łodz"
    assert fold_german(unicodedata.normalize("NFD", "München")) == "Muenchen"  # decomposed input
    assert strip_diacritics("Pjöngjang") == "Pjongjang"
    assert fold_token("MÜNCHEN") == ("munchen", "muenchen")


def test_query_parsing_quotes_every_word() -> None:
    assert parse_query('Pjöng* "Kim Jong" -foo AND') == [
        Term(("Kim", "Jong")), Term(("Pjöng",), prefix=True), Term(("foo",)), Term(("AND",))]
    assert fts_expression(parse_query("München Kim*")) == '("München" OR "Muenchen") AND "Kim"*'
    assert parse_query('" * - ( ) NEAR( :') == [Term(("NEAR",))]
    assert parse_query("") == []


# -- finding -----------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["Pjöngjang", "pjöngjang", "PJÖNGJANG", "pjongjang", "Pjongjang", "pjoengjang", "Pjoengjang",
     "Pjö*", "pjoeng*", "pjong*"],
)
def test_pjoengjang_spellings_all_find_it(store: Store, query: str) -> None:
    assert ids(store.search(query)) == ["aaaa0001", "eeee0005"]


@pytest.mark.parametrize("query", ["München", "münchen", "Muenchen", "muenchen", "Munchen", "MUENCHEN"])
def test_muenchen_spellings_all_find_it(store: Store, query: str) -> None:
    assert ids(store.search(query)) == ["bbbb0002", "eeee0005"]


@pytest.mark.parametrize("query", ["Strasse", "straße", "STRASSE"])
def test_sharp_s(store: Store, query: str) -> None:
    assert ids(store.search(query)) == ["bbbb0002"]


def test_other_diacritics_fold_too(store: Store) -> None:
    assert ids(store.search("arrive")) == ["dddd0004"]
    assert ids(store.search("arrivé")) == ["dddd0004"]
    assert ids(store.search("Pyongyang")) == ["dddd0004"]  # a different spelling is a different word


def test_words_are_anded_and_phrases_kept(store: Store) -> None:
    assert ids(store.search("Pjöngjang Minister")) == ["aaaa0001"]
    assert ids(store.search("Pjöngjang Regen")) == ["eeee0005"]
    assert ids(store.search("Pjöngjang Haushalt")) == []
    assert ids(store.search('"Haushalt beschlossen"')) == ["cccc0003"]
    assert ids(store.search('"beschlossen Haushalt"')) == []
    assert ids(store.search('"nach Pjoengjang"')) == ["aaaa0001"]  # a folded phrase


def test_title_words_are_searched(store: Store) -> None:
    assert ids(store.search("Gespräche")) == ["aaaa0001"]
    assert ids(store.search("gesprache")) == ["aaaa0001"]


@pytest.mark.parametrize(
    "query",
    ['"', '""', "AND OR", "AND", "OR", "NOT", "*", "**", "-foo", "-", "NEAR(", "NEAR(a b", "(", ")",
     "^", ":", "title:Haushalt", "{title text}: x", "'", "\\", "", "   ", '"unbalanced phrase',
     "a OR", "Haushalt AND", "+", "a*b*", "*Haushalt", "x\x00y", "🙂", "ªº", "_", "Haus_halt"],
)
def test_hostile_queries_do_not_raise(store: Store, query: str) -> None:
    hits = store.search(query)
    assert isinstance(hits, list)


def test_hostile_queries_still_search_their_words(store: Store) -> None:
    assert ids(store.search("-Haushalt")) == ["cccc0003"]  # '-' is no operator here
    assert ids(store.search("title:Haushalt")) == []  # no column filter: "title" is a word too
    assert ids(store.search("Haushalt: beschlossen!")) == ["cccc0003"]
    assert ids(store.search('"Haushalt')) == ["cccc0003"]
    assert ids(store.search("Haushalt AND")) == []  # "and" is a plain word, absent here
    assert ids(store.search("NEAR(Haushalt")) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_no_user_text_makes_search_raise(store: Store, query: str) -> None:
    store.search(query)


def test_filters_limit_and_offset(store: Store) -> None:
    assert ids(store.search("Pjöngjang", outlet="Nordblatt")) == ["aaaa0001"]
    assert ids(store.search("Pjöngjang", outlet="Südkurier")) == ["eeee0005"]
    assert ids(store.search("Pjöngjang", outlet="Nobody")) == []
    assert ids(store.search("Pyongyang", language="fr")) == ["dddd0004"]
    assert ids(store.search("Pyongyang", language="de")) == []
    both = store.search("Pjöngjang")
    assert len(store.search("Pjöngjang", limit=1)) == 1
    assert [h.id for h in store.search("Pjöngjang", limit=1, offset=1)] == [both[1].id]
    assert store.search("Pjöngjang", offset=2) == []
    assert store.search("Pjöngjang", limit=0) == []


def test_hits_carry_metadata_rank_and_marked_snippet(store: Store) -> None:
    hits = store.search("pjoengjang")
    assert [h.id for h in hits] == ["aaaa0001", "eeee0005"]  # title + text match ranks first
    assert hits[0].rank > hits[1].rank
    first = hits[0]
    assert (first.title, first.outlet, first.language, first.published) == (
        "Gespräche in Pjöngjang", "Nordblatt", "de", None)
    assert first.snippet == "Der Minister reiste nach [Pjöngjang]. Dort traf er den Machthaber."
    assert hits[1].snippet == "[Pjöngjang] meldet einen Raketentest. München erwartet Regen."
    assert store.search("Kurzmeldungen")[0].snippet == "[Kurzmeldungen]"  # title-only match
    assert first.to_dict()["snippet"] == first.snippet


def test_long_text_snippet_is_a_window(tmp_path: Path) -> None:
    filler = " ".join(f"Satz{i} ohne Treffer." for i in range(100))
    text = f"{filler} Hier steht Pjöngjang mitten drin. {filler}"
    with open_store(tmp_path / "lb.db") as s:
        s.write_article(article("ffff0006", "Lang", text, "X", "de"))
        (hit,) = s.search("pjongjang")
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert "Hier steht [Pjöngjang] mitten drin." in hit.snippet
    assert len(hit.snippet) < 260


@pytest.mark.shared
def test_seed_articles_are_found_with_every_spelling(shared: Path, tmp_path: Path) -> None:
    seeds = sorted((shared / "seeds").glob("*.txt"))
    assert seeds
    word = "Pjöngjang"
    expected = []
    with open_store(tmp_path / "lb.db") as s:
        for i, path in enumerate(seeds):
            text = path.read_text(encoding="utf-8")
            aid = f"{i:04d}seed"
            s.write_article(article(aid, text.strip().splitlines()[0], text, "seed", "de"))
            if word.casefold() in text.casefold():
                expected.append(aid)
        assert expected, "the seeds should mention the word"
        for query in (word, strip_diacritics(word).lower(), fold_german(word).lower()):
            hits = s.search(query, limit=100)
            assert sorted(h.id for h in hits) == expected
            assert all("[" in h.snippet for h in hits)
