"""merge_events: cross-article events, on the seeds through the real pipeline and on hand-made articles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lagebild.model import Article, Published
from lagebild.picture._events import merge_events

SHOIGU, KIM, PUTIN = "per:sergei_shoigu", "per:kim_jong_un", "per:vladimir_putin"


# -- the seeds through the real pipeline and the store -------------------------------------------

@pytest.fixture(scope="module")
def seed_articles(seeds: list[Path], tmp_path_factory: pytest.TempPathFactory) -> list[Article]:
    from lagebild.api import build
    from lagebild.config import load_config
    from lagebild.store import open_store

    db = tmp_path_factory.mktemp("events") / "seeds.db"
    build([str(p) for p in seeds], db, config=load_config(None, ['executor.kind="inline"']))
    with open_store(db) as store:
        return sorted(store.iter_articles(), key=lambda a: a.title or "")


@pytest.fixture(scope="module")
def seed_events(seed_articles: list[Article]) -> list[dict[str, Any]]:
    return merge_events(seed_articles)


def _by_title(arts: list[Article], words: str) -> Article:
    (a,) = [a for a in arts if a.title and words in a.title]
    return a


def test_july_2023_defence_minister_visit_is_one_event(seed_articles: list[Article], seed_events: list[dict]) -> None:
    # "Am Donnerstag nahm der russische Verteidigungsminister Sergej Schoigu an eine großen Rüstungsschau
    # in der nordkoreanischen Hauptstadt Pjöngjang teil" (Welt) and "Kim Jong Un trifft Schoigu" (dpa/AFP/Reuters)
    welt = _by_title(seed_articles, "fixieren Kooperation")
    zdf = _by_title(seed_articles, "Kim Jong Un trifft Schoigu")
    ntv = _by_title(seed_articles, "bedingungslos unterstützen")
    visits = [e for e in seed_events if {welt.id, zdf.id} <= {m["article"] for m in e["mentions"]}]
    assert len(visits) == 1
    (v,) = visits
    assert v["event"] == "CONSULT"
    assert SHOIGU in v["actors"] + v["targets"] and KIM in v["actors"] + v["targets"]
    assert v["place"] == "city:kp:pyongyang"
    assert v["independent_sources"] == 2
    assert v["agencies"] == ["AFP", "Reuters", "dpa"]
    assert not v["background"]
    # the 2024 visit (ntv: "Schoigus zweiter Besuch in Pjöngjang") is another event
    assert ntv.id not in {m["article"] for m in v["mentions"]}
    texts = {m["text"] for m in v["mentions"]}
    assert "Kim Jong Un trifft Schoigu" in texts
    assert any(t.startswith("nahm der russische Verteidigungsminister Sergej Schoigu") for t in texts)
    # every mention points at the article's own event of that text
    arts = {a.id: a for a in seed_articles}
    for m in v["mentions"]:
        ev = arts[m["article"]].events[m["index"]]
        assert (ev["start"], ev["end"], ev["text"]) == (m["start"], m["end"], m["text"])
    assert v["statuses"]["asserted"] >= 2 and v["status"] == "asserted"
    assert sum(v["statuses"].values()) == len(v["mentions"])
    # accounts: one per article (no outlet in these plain-text seeds); only the dpa/AFP/Reuters text tells
    # that Schoigu brought Kim "einen Brief von Präsident Wladimir Putin"
    acc = {a["article"]: a for a in v["accounts"]}
    assert set(acc) == {welt.id, zdf.id}
    assert acc[zdf.id]["adds"]["entities"] == [PUTIN] and acc[welt.id]["omits"]["entities"] == [PUTIN]
    assert v["first_reported"] is None  # neither article has a publication date


def test_second_shoigu_visit_is_separate_and_dated(seed_articles: list[Article], seed_events: list[dict]) -> None:
    ntv = _by_title(seed_articles, "bedingungslos unterstützen")
    ntv_visits = [e for e in seed_events if e["event"] == "CONSULT" and any(m["article"] == ntv.id for m in e["mentions"])]
    # "Schoigu, der bis Mai 2024 Verteidigungsminister war, … nach Pjöngjang gereist": May 2024 ends his office,
    # it is not the date of the visit
    dated = [e for e in ntv_visits if any(m["text"].startswith("Schoigu, der bis Mai 2024") for m in e["mentions"])]
    assert len(dated) == 1 and dated[0]["date"]["value"] != "2024-05"
    # it stays with its own article (not with the July 2023 visit told elsewhere)
    assert {m["article"] for m in dated[0]["mentions"]} == {ntv.id}
    # "Schoigu besuchte Pjöngjang zuletzt im März": one event dated by its month (year unknown)
    march = [e for e in ntv_visits if e["date"]["value"] == "XXXX-03"]
    assert len(march) == 1 and march[0]["date"]["year_known"] is False


def test_earlier_visit_is_its_own_background_event(seed_articles: list[Article], seed_events: list[dict]) -> None:
    # ntv: the lead tells the visit now ("Kim habe bei einem Treffen mit … Sergej Schoigu, in Pjöngjang …",
    # "Es war Schoigus zweiter Besuch in Pjöngjang"); "Schoigu besuchte Pjöngjang zuletzt im März, als er das
    # Abkommen … begrüßte" is the EARLIER visit: two events, the March one background, neither in the other
    ntv = _by_title(seed_articles, "bedingungslos unterstützen")
    visits = [e for e in seed_events if e["event"] == "CONSULT" and any(m["article"] == ntv.id for m in e["mentions"])]
    (march,) = [e for e in visits if any(m["text"] == "Schoigu besuchte Pjöngjang" for m in e["mentions"])]
    (now,) = [e for e in visits if any(m["text"] == "Schoigus zweiter Besuch in Pjöngjang" for m in e["mentions"])]
    assert march["id"] != now["id"]
    assert [m["text"] for m in march["mentions"]] == ["Schoigu besuchte Pjöngjang"]
    assert march["background"] is True and march["date"]["value"] == "XXXX-03"
    assert march["date"]["precision"] == "month" and SHOIGU in march["actors"]
    assert now["background"] is False and now["date"]["value"] is None
    assert any(m["text"].startswith("Kim habe bei einem Treffen") for m in now["mentions"])
    assert {m["article"] for m in now["mentions"]} == {ntv.id}


def test_planned_visit_not_merged_with_happened_ones(seed_events: list[dict]) -> None:
    planned = [e for e in seed_events if "planned" in e["statuses"]]
    assert planned
    for e in planned:
        assert set(e["statuses"]) == {"planned"}
    putin_trip = [e for e in planned if e["event"] == "CONSULT" and PUTIN in e["actors"]]
    assert len(putin_trip) == 1
    assert len({m["article"] for m in putin_trip[0]["mentions"]}) == 2  # announced in two articles
    assert putin_trip[0]["mode"] == "visit"


def test_background_flagged_and_ids_stable(seed_articles: list[Article], seed_events: list[dict]) -> None:
    invasion = [e for e in seed_events if e["event"] == "ASSAULT" and e["date"]["value"] == "2022"]
    assert len(invasion) == 1 and invasion[0]["background"] is True
    assert invasion[0]["actors"] == ["gpe:ru"]
    again = merge_events(list(reversed(seed_articles)))
    assert sorted(e["id"] for e in again) == sorted(e["id"] for e in seed_events)
    assert len({e["id"] for e in seed_events}) == len(seed_events)
    n_mentions = sum(len(a.events) for a in seed_articles)
    assert sum(len(e["mentions"]) for e in seed_events) == n_mentions  # every mention in exactly one event


# -- hand-made articles --------------------------------------------------------------------------

def _ref(i: str) -> dict[str, Any]:
    return {"id": i, "text": i, "start": 0, "end": 1}


def _art(aid: str, events: list[dict[str, Any]], *, outlet: str | None = None, published: str | None = None,
         earliest: str | None = None, latest: str | None = None, **kw: Any) -> Article:
    text = " ".join(f"Sentence {i} about the event." for i in range(len(events)))
    evs, sentences, pos = [], [], 0
    for e in events:
        n = len("Sentence 0 about the event.")
        sentences.append([pos, pos + n])
        evs.append({
            "start": pos, "end": pos + n, "text": text[pos:pos + n], "event": e.get("event", "CONSULT"), "mode": None,
            "context": [], "trigger": None, "actors": [_ref(i) for i in e.get("actors", [])],
            "targets": [_ref(i) for i in e.get("targets", [])],
            "date": {"value": e.get("date"), "mod": None, "precision": None, "anchor": "none", "time": None},
            "place": _ref(e["place"]) if e.get("place") else None, "status": e.get("status", "asserted"),
            "negated": False, "background": e.get("background", False), "claim": None, "evidence": [],
        })
        pos += n + 1
    ents = [{"id": i, "name": i, "type": "PER" if i.startswith("per:") else "GPE", "kb": i,
             "mentions": [{"start": e["start"], "end": e["start"] + 3, "text": "x", "form": "name"}]}
            for e in evs for i in {r["id"] for r in e["actors"] + e["targets"]}]
    return Article(id=aid, outlet=outlet, text=text, sentences=sentences, events=evs, entities=ents,
                   published=Published(value=published, earliest=earliest, latest=latest), **kw)


def _only(events: list[dict]) -> dict:
    assert len(events) == 1, [e["mentions"] for e in events]
    return events[0]


def test_dated_mentions_merge_within_tolerance_only() -> None:
    a = _art("a", [{"actors": ["gpe:ru", SHOIGU], "targets": ["gpe:kp"], "date": "2023-07-26"}], outlet="A")
    b = _art("b", [{"actors": [SHOIGU], "targets": [KIM], "date": "2023-07-27"}], outlet="B")
    c = _art("c", [{"actors": [SHOIGU], "targets": [KIM], "date": "2024-09-13"}], outlet="C")
    evs = merge_events([a, b, c])
    assert len(evs) == 2
    merged = [e for e in evs if len(e["mentions"]) == 2][0]
    assert {m["article"] for m in merged["mentions"]} == {"a", "b"}
    # the two days do not intersect: the first mention's (equally precise) day is kept
    assert merged["date"] == {"value": "2023-07-26", "precision": "day", "earliest": "2023-07-26", "latest": "2023-07-26",
                              "year_known": True}
    assert merged["sources"] == ["A", "B"] and merged["independent_sources"] == 2
    assert evs[0]["date"]["earliest"] < evs[1]["date"]["earliest"]  # ordered by date


def test_capital_metonym_is_its_state_and_agree_support_merge() -> None:
    a = _art("a", [{"event": "AGREE", "actors": ["gpe:ru", "gpe:kp"], "date": "2024-06-19"}], outlet="A")
    b = _art("b", [{"event": "SUPPORT", "actors": ["city:ru:moscow", "city:kp:pyongyang"], "date": "2024-06-19"}], outlet="B")
    ev = _only(merge_events([a, b]))
    assert sorted(ev["actors"]) == ["gpe:kp", "gpe:ru"]
    assert ev["event"] in ("AGREE", "SUPPORT")


def test_planned_and_happened_stay_apart() -> None:
    a = _art("a", [{"actors": [PUTIN], "targets": ["gpe:kp"], "status": "planned"}], outlet="A", published="2024-06-12")
    b = _art("b", [{"actors": [PUTIN], "targets": ["gpe:kp"], "date": "2024-06-19"}], outlet="B", published="2024-06-19")
    evs = merge_events([a, b])
    assert len(evs) == 2
    assert {e["status"] for e in evs} == {"planned", "asserted"}


def test_undated_mention_joins_only_with_known_window_and_strong_overlap() -> None:
    dated = _art("d", [{"actors": [SHOIGU, "gpe:ru"], "targets": [KIM], "date": "2023-07-26"}], outlet="D")
    unknown = _art("u", [{"actors": [SHOIGU, "gpe:ru"], "targets": [KIM]}], outlet="U")  # no publication date at all
    window = _art("w", [{"actors": [SHOIGU, "gpe:ru"], "targets": [KIM]}], outlet="W", published="2023-07-28")
    weak = _art("x", [{"actors": ["gpe:ru"], "targets": ["gpe:kp"]}], outlet="X", published="2023-07-28")
    evs = merge_events([dated, unknown, window, weak])
    groups = sorted(sorted(m["article"] for m in e["mentions"]) for e in evs)
    assert groups == [["d", "w"], ["u"], ["x"]]


def test_agency_copy_and_duplicates_count_once() -> None:
    e = {"actors": [SHOIGU], "targets": [KIM], "date": "2023-07-26"}
    a = _art("a", [e], outlet="A", agencies=["dpa"])
    b = _art("b", [e], outlet="B", agencies=["dpa"])  # same agency, same wording
    para = {"start": 0, "end": len(a.text), "hash": "h", "articles": ["d"], "outlets": ["D"]}
    c = _art("c", [e], outlet="C", shared_paragraphs=[para])
    d = _art("d", [e], outlet="D", shared_paragraphs=[{**para, "articles": ["c"], "outlets": ["C"]}])
    f = _art("f", [e], outlet="F", duplicate_group="g1")
    g = _art("g", [e], outlet="G", duplicate_group="g1", duplicate_of="f")
    own = _art("h", [e], outlet="H")
    ev = _only(merge_events([a, b, c, d, f, g, own]))
    assert len(ev["mentions"]) == 7
    assert ev["independent_sources"] == 4  # {a,b} dpa copy, {c,d} shared paragraph, {f,g} duplicates, h
    assert ev["agencies"] == ["dpa"]
    assert {m["article"]: m["agency_copy"] for m in ev["mentions"]} == {
        "a": False, "b": False, "c": True, "d": True, "f": False, "g": False, "h": False}
    assert ev["sources"] == ["A", "B", "C", "D", "F", "G", "H"]


def test_status_firmest_first_reported_and_accounts() -> None:
    a = _art("a", [{"actors": [SHOIGU], "targets": [KIM], "date": "2023-07-26", "status": "hedged"}],
             outlet="A", published="2023-07-27")
    b = _art("b", [{"actors": [SHOIGU], "targets": [KIM, PUTIN], "date": "2023-07-26", "status": "reported"}],
             outlet="B", published="2023-07-26")
    ev = _only(merge_events([a, b]))
    assert ev["status"] == "reported" and ev["statuses"] == {"hedged": 1, "reported": 1}
    assert ev["first_reported"] == {"article": "b", "outlet": "B", "published": "2023-07-26"}
    acc = {x["outlet"]: x for x in ev["accounts"]}
    assert acc["B"]["adds"]["entities"] == [PUTIN] and acc["A"]["omits"]["entities"] == [PUTIN]
    assert acc["A"]["adds"]["entities"] == [] and acc["B"]["omits"]["entities"] == []


def test_background_only_if_all_mentions_are() -> None:
    a = _art("a", [{"event": "ASSAULT", "actors": ["gpe:ru"], "targets": ["gpe:ua"], "date": "2022-02-24",
                    "background": True}], outlet="A")
    b = _art("b", [{"event": "ASSAULT", "actors": ["gpe:ru"], "targets": ["gpe:ua"], "date": "2022-02-24"}], outlet="B")
    assert _only(merge_events([a, b]))["background"] is False
    assert _only(merge_events([a]))["background"] is True


def test_earlier_occurrence_in_one_article_stays_apart_and_blocks_undated_joins() -> None:
    # one article: the visit now (undated) and the same visitor's earlier visit ("zuletzt im März", background)
    now = {"actors": [SHOIGU, "gpe:ru"], "targets": [KIM, "gpe:kp"]}
    earlier = {"actors": [SHOIGU], "targets": ["gpe:kp"], "date": "XXXX-03", "background": True}
    a = _art("a", [now, earlier], outlet="A", earliest="2024-05-01")
    # another article, no publication date: its undated visit may be either of the two
    b = _art("b", [{"actors": [SHOIGU, "gpe:ru"], "targets": [KIM, "gpe:kp"]}], outlet="B")
    groups = sorted(sorted((m["article"], m["index"]) for m in e["mentions"]) for e in merge_events([a, b]))
    assert groups == [[("a", 0)], [("a", 1)], [("b", 0)]]
    # control: without the earlier occurrence the two undated visits are one event
    a2 = _art("a", [now], outlet="A", earliest="2024-05-01")
    assert sorted(m["article"] for m in _only(merge_events([a2, b]))["mentions"]) == ["a", "b"]


def test_earlier_occurrence_does_not_block_planned_mentions() -> None:
    # an earlier summit told as background does not keep an announced trip from its other announcement
    a = _art("a", [{"actors": [PUTIN], "targets": ["gpe:kp"], "status": "planned"},
                   {"actors": [PUTIN], "targets": ["gpe:kp"], "date": "2023-09", "background": True}], outlet="A")
    b = _art("b", [{"actors": [PUTIN, "gpe:ru"], "targets": ["gpe:kp"], "status": "planned"}], outlet="B")
    evs = merge_events([a, b])
    (trip,) = [e for e in evs if e["status"] == "planned"]
    assert sorted(m["article"] for m in trip["mentions"]) == ["a", "b"] and len(evs) == 2


def test_month_dated_mention_before_publication_is_not_the_current_event() -> None:
    # published 2 April: "X besuchte Y im März" (2024-03, clause) is not the visit dated by publication,
    # though the month ends within the day tolerance of it
    a = _art("a", [{"actors": [SHOIGU], "targets": [KIM], "date": "2024-04-02"},
                   {"actors": [SHOIGU], "targets": [KIM], "date": "2024-03"}], outlet="A", published="2024-04-02")
    a.events[0]["date"]["anchor"] = "publication"
    a.events[1]["date"]["anchor"] = "clause"
    assert len(merge_events([a])) == 2
    # a day a day before publication ("am Montag") may be the same visit
    a.events[1]["date"].update(value="2024-04-01")
    assert len(merge_events([a])) == 1


def test_packed_candidate_pairs_are_the_plain_pair_list(seed_articles: list[Article]) -> None:
    """`_candidates` keeps pairs as packed numbers (16 bytes a pair): the same pairs, scores and order as
    the plain way — tuples, a set of the pairs already met, one sort — over the same blocks, on the seeds'
    mentions, with a window of 1, 2 and the default (pairs met in several blocks are scored once)."""
    from lagebild.picture._events import _blocks, _candidates, _mention, _pair_score, events_settings

    ms = []
    for pos, a in enumerate(sorted(seed_articles, key=lambda a: a.id)):
        types = {ent["id"]: ent.get("type") for ent in a.entities}
        ms += [_mention(pos, idx, a, e, types, None) for idx, e in enumerate(a.events)]
    assert len(ms) > 20
    for width in (1, 2, None):
        cfg = dict(events_settings(None))
        if width:
            cfg["block_window"] = width
        seen, plain = set(), []
        for members in _blocks(ms):
            for x, i in enumerate(members):
                for j in members[x + 1 : x + 1 + int(cfg["block_window"])]:
                    pair = (min(i, j), max(i, j))
                    if pair not in seen and (s := _pair_score(ms[i], ms[j], cfg)) is not None:
                        plain.append((s - (0.0 if ms[i].key[0] == ms[j].key[0] else 1000.0), *pair))
                    seen.add(pair)
        plain.sort(key=lambda t: (-t[0], t[1], t[2]))
        got = list(_candidates(ms, cfg))
        assert got == plain and len(got) > 0, width


def test_clusters_made_on_demand_are_the_eager_ones(seed_articles: list[Article]) -> None:
    """`_cluster` makes a cluster record only for mentions that meet a candidate (the others stay alone
    without one) and keeps the union-find in a list: the same clusters, in the same order, as one record
    per mention made up front, on the seeds' mentions with windows of 1, 2 and the default."""
    from lagebild.picture._events import _can_join, _candidates, _cluster, _find, _join, _mention, _single, events_settings

    ms = []
    for pos, a in enumerate(sorted(seed_articles, key=lambda a: a.id)):
        types = {ent["id"]: ent.get("type") for ent in a.entities}
        ms += [_mention(pos, idx, a, e, types, None) for idx, e in enumerate(a.events)]
    for width in (1, 2, None):
        cfg = dict(events_settings(None))
        if width:
            cfg["block_window"] = width
        parent = {i: i for i in range(len(ms))}
        eager = {i: _single(ms, i) for i in range(len(ms))}
        for _, i, j in _candidates(ms, cfg):
            ri, rj = _find(parent, i), _find(parent, j)
            if ri != rj and _can_join(eager[ri], eager[rj], cfg):
                root, other = min(ri, rj), max(ri, rj)
                parent[other] = root
                eager[root] = _join(eager[root], eager.pop(other))
        expected = [sorted(c.members) for c in eager.values()]
        got = _cluster(ms, cfg)
        assert got == expected, width
        assert any(len(c) > 1 for c in got) and any(len(c) == 1 for c in got)


def test_the_clustered_hook_runs_once_before_the_events_are_built(seed_articles: list[Article],
                                                                  seed_events: list[dict[str, Any]]) -> None:
    # build_picture lets go of the lemma dictionaries there; the events are the same, and lemmas
    # asked for afterwards come back the same
    from lagebild.nlp import lemma
    from lagebild.nlp._morph import release_lemmas

    calls: list[int] = []
    assert merge_events(seed_articles, clustered=lambda: calls.append(1)) == seed_events
    assert calls == [1]
    words = sorted({w for a in seed_articles[:2] for w in a.text.split() if w.isalpha()})
    before = [lemma(w, "de") for w in words]
    assert merge_events(seed_articles, clustered=release_lemmas) == seed_events
    assert [lemma(w, "de") for w in words] == before


def test_mentions_share_equal_participant_sets_and_dates(seed_articles: list[Article]) -> None:
    """With one `share` dict for the corpus, equal participant sets, publication windows and date spans of
    different mentions are one object each (the seeds name the same few states again and again); the
    mentions compare equal field by field to those made without sharing."""
    from lagebild.picture._events import _mention

    share: dict = {}
    alone, shared = [], []
    for pos, a in enumerate(sorted(seed_articles, key=lambda a: a.id)):
        types = {ent["id"]: ent.get("type") for ent in a.entities}
        alone += [_mention(pos, idx, a, e, types, None) for idx, e in enumerate(a.events)]
        shared += [_mention(pos, idx, a, e, types, None, share) for idx, e in enumerate(a.events)]
    fields = ("key", "group", "planned", "parts", "actors", "specific", "place", "interval", "partial", "window", "bounded")
    assert [[getattr(m, f) for f in fields] for m in shared] == [[getattr(m, f) for f in fields] for m in alone]
    for f in ("parts", "actors", "window", "interval"):
        values = [getattr(m, f) for m in shared if getattr(m, f)]
        assert len({id(v) for v in values}) == len(set(values)), f
        assert f == "interval" or len(set(values)) < len(values), f  # (the seeds' dated events differ)
