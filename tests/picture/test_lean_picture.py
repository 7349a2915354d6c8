"""The lean picture build (streamed store, lean records) against the full-article reference, on seeds + examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _reference_picture import reference_picture
from support import REPO

from lagebild import api
from lagebild.config import load_config
from lagebild.picture import build_picture
from lagebild.picture._events import merge_events
from lagebild.picture._lean import LeanArticle, Snippets, lean_article, measured
from lagebild.picture._events import _state_of
from lagebild.picture._variants import article_profile, article_values, compare_measures, compare_values
from lagebild.store import open_store
from lagebild.store._lean import iter_picture_articles

pytestmark = [pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="module")
def store_path(seeds: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("leanpic") / "a.db"
    cfg = load_config(None, ["executor.kind=inline"])
    api.build([*map(str, seeds), str(REPO / "examples")], db, config=cfg)
    return db


def test_sections_make_the_articles_and_the_timeline_as_read(store_path: Path) -> None:
    from lagebild.picture import LazySection, picture_sections

    cfg = load_config()
    with open_store(store_path) as store:
        whole = build_picture(store, cfg)
        sections = dict(picture_sections(store, cfg))
    assert set(sections) == set(whole)
    for name in ("articles", "timeline"):
        lazy = sections[name]
        assert isinstance(lazy, LazySection) and len(lazy) == len(whole[name]) > 0
        assert lazy[0] == whole[name][0] and lazy[-1] == whole[name][-1] and lazy[1:3] == whole[name][1:3]
        assert lazy[0] is not lazy[0]  # a new dict each time it is read: none kept
        assert list(lazy) == whole[name]
    rest = {k: v for k, v in sections.items() if not isinstance(v, LazySection)}
    assert json.dumps(rest, sort_keys=True) == json.dumps({k: whole[k] for k in rest}, sort_keys=True)


@pytest.fixture(scope="module")
def full(store_path: Path) -> list:
    with open_store(store_path) as store:
        return list(store.iter_articles())


def test_lean_build_equals_full_article_reference(store_path: Path) -> None:
    cfg = load_config()
    with open_store(store_path) as store:
        lean = build_picture(store, cfg)
        ref = reference_picture(store, cfg)
    # the comparison means something: the corpus has events (some from agency articles), variants, claims
    assert lean["generated_from"]["articles"] >= 16
    assert len(lean["events"]) >= 50 and lean["variants"] and lean["claims_by_entity"]
    assert any(m["outlet"] for e in lean["events"] for m in e["mentions"])
    assert json.dumps(lean, sort_keys=True) == json.dumps(ref, sort_keys=True)


def test_build_streams_the_sections_into_the_cache_as_build_picture_gives_them(store_path: Path) -> None:
    # the store was built without --out: its cached picture was written section by section
    # (picture_sections) and never held whole; it equals build_picture, section order included
    from lagebild.picture import SECTIONS, picture_sections

    cfg = load_config()
    with open_store(store_path) as store:
        fp, cached = store.load_picture()
        assert fp == store.fingerprint()
        whole = build_picture(store, cfg)
        given = [name for name, _ in picture_sections(store, cfg)]
    assert json.dumps(cached, ensure_ascii=False) == json.dumps(whole, ensure_ascii=False)
    assert list(whole) == list(SECTIONS)
    assert sorted(given) == sorted(SECTIONS) and given != list(SECTIONS)  # each once, in the order finished
    assert given.index("variants") < given.index("events")  # the variants are written away before the merge


def test_lean_reads_leave_out_raw_text_and_keep_text_only_for_agency_events(store_path: Path, full: list) -> None:
    with open_store(store_path) as store:
        lean = list(iter_picture_articles(store, chunk=3))  # several chunks
    assert [a.id for a in lean] == [a.id for a in full]
    agency_events = 0
    for a, f in zip(lean, full):
        assert a.raw_text == "" and a.line_map == [] and a.kept_lines == [] and a.source == []
        assert (a.events, a.entities, a.claims, a.quantities, a.sentences) == (f.events, f.entities, f.claims,
                                                                               f.quantities, f.sentences)
        if f.events and f.agencies:
            agency_events += 1
            assert a.text == f.text
        else:
            assert a.text == ""
    assert agency_events >= 1  # the seeds hold agency copy (dpa, AFP …)


def test_lean_records_give_the_same_events_and_variants(full: list) -> None:
    records = [r for r in map(lean_article, full) if r is not None]
    assert all(isinstance(r, LeanArticle) for r in records)
    assert len(records) < len(full) or all(a.events for a in full)
    assert merge_events(records) == merge_events(full)
    figures = [r for r in records if not r.duplicate_of and any(measured(q) for q in r.quantities)]
    assert compare_measures(figures) == compare_measures(full)
    # a lean record keeps only the sentences it can quote: fewer sentences than the articles
    assert sum(len(r.sentences) for r in records) < sum(len(a.sentences) for a in full)


def test_events_only_records_and_value_rows_give_the_same_picture_parts(full: list) -> None:
    """What build_picture keeps while the articles stream past: records for the events part only
    (``figures=False``) and each article's value rows — the same events and variants as the full articles."""
    records = [r for a in full if (r := lean_article(a, figures=False)) is not None]
    assert [r.id for r in records] == [a.id for a in full if a.events]
    events = merge_events(full)
    assert merge_events(records) == events
    # the accounts (what each outlet's sentence adds) are compared too: read from the records' sentence parts
    assert any(acc["adds"]["entities"] or acc["adds"]["quantities"] for e in events for acc in e["accounts"])
    values: dict[str, list] = {}
    profiles = {}
    for a in full:
        for measure, v in article_values(a):
            values.setdefault(measure, []).append(v)
            profiles[a.id] = article_profile(a)
    assert sum(map(len, values.values())) >= 10  # the seeds and examples count shells, soldiers …
    assert compare_values(values, profiles) == compare_measures(full) != []


def test_events_only_records_keep_the_participants_and_each_event_sentence_s_parts(full: list) -> None:
    from lagebild.picture._event_record import in_sentence
    from lagebild.picture._events import _sentence

    kept = dropped = 0
    share: dict = {}
    participants: dict[tuple, dict] = {}
    for a in full:
        rec = lean_article(a, figures=False, share=share)
        if rec is None:
            continue
        named = {_state_of(r["id"]) for e in a.events for k in ("actors", "targets") for r in e.get(k) or []
                 if r.get("id")}
        for ent in rec.entities:  # the participants' types, without mentions; equal ones one object
            assert ent["id"] in named and not ent["mentions"]
            assert participants.setdefault((ent["id"], ent["type"]), ent) is ent
        assert not rec.quantities and not rec.claims and not rec.times
        for e in a.events:  # each event sentence's entities and figures, as the full article gives them
            r = _sentence(a, e["start"], e["end"])
            assert _sentence(rec, e["start"], e["end"]) == r
            assert rec.sentence_parts[r] == in_sentence(a, *r)
        kept += len(rec.entities)
        dropped += len(a.entities) - len(rec.entities)
        assert rec.published.evidence == [] and rec.published.earliest == a.published.earliest
    assert kept and dropped  # the others are left out (on 10kGNAD most of them)
    assert any(parts[0] for a in full if (rec := lean_article(a, figures=False)) for parts in rec.sentence_parts.values())


def test_snippets_give_only_kept_spans() -> None:
    s = Snippets({(3, 8): "hallo"})
    assert s[slice(3, 8)] == "hallo" and len(s) == 1
    with pytest.raises(KeyError, match="not kept"):
        s[slice(0, 8)]


def test_clause_lemmas_are_computed_first_and_cover_every_comparison(store_path: Path, monkeypatch) -> None:
    # the picture computes the lemmas of the clauses it may compare by wording before it reads the
    # articles, then lets the lemma dictionary go: the events' merge computes none itself
    import lagebild.nlp._morph as morph
    import lagebild.picture._build as build_mod
    import lagebild.picture._clause_lemmas as cl
    from lagebild.picture import picture_sections
    from lagebild.store._lean import duplicate_map

    computed: list[str] = []
    phase = ["before"]
    make = cl.clause_lemma_set

    def counted(text, language, trigger=None):
        computed.append(phase[0])
        return make(text, language, trigger)

    monkeypatch.setattr(cl, "clause_lemma_set", counted)
    stream = build_mod._stream

    def streamed(store):
        phase[0] = "after"
        assert not morph._LOOKUP  # the dictionary was let go before the articles are read
        return stream(store)

    monkeypatch.setattr(build_mod, "_stream", streamed)
    with open_store(store_path) as store:
        dict(picture_sections(store, load_config()))
        assert duplicate_map(store) == {a.id: a.duplicate_of for a in store.iter_articles() if a.duplicate_of}
    assert computed and set(computed) == {"before"}  # the corpus has clauses to compare; none computed later
