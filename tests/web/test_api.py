"""The JSON API in-process (httpx over ASGITransport), on the seeds and on examples/."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from web_support import free_port, serve_process, web_config
from support import REPO

from lagebild.kb import load_kb
from lagebild.store import open_store
from lagebild.web import Site

PICTURE_SCHEMA = json.loads((REPO / "schema" / "picture.schema.json").read_text(encoding="utf-8"))
PAGE_KEYS = {"items", "total", "limit", "offset"}


def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": PICTURE_SCHEMA["$defs"]})


@pytest.fixture(params=["examples", "seeds"], scope="module")
def db(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(f"{request.param}_db")


@pytest.fixture(scope="module")
def client(db: Path, make_client: Any) -> Any:
    return make_client(db, read_only=True)


def _get(client: Any, url: str, status: int = 200, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def _stored(db: Path) -> list[Any]:
    with open_store(db, read_only=True) as store:
        return list(store.iter_articles())


# -- reading ------------------------------------------------------------------
def test_overview_counts_match_the_store(client: Any, db: Path) -> None:
    arts = _stored(db)
    ov = _get(client, "/api/overview")
    assert set(ov) == {"articles", "outlets", "languages", "storylines", "stories", "events", "first", "last"}
    assert ov["articles"] == len(arts)
    assert ov["outlets"] == len({a.outlet for a in arts if a.outlet})
    assert sum(ov["languages"].values()) == len(arts)
    with sqlite3.connect(db) as c:
        assert ov["stories"] == c.execute("SELECT count(*) FROM stories").fetchone()[0]
        assert ov["storylines"] == c.execute("SELECT count(*) FROM storylines").fetchone()[0]


def test_storylines_stories_and_events_round_trip(client: Any, db: Path) -> None:
    picture = Site(db, read_only=True, config=web_config()).picture()
    jsonschema.Draft202012Validator(PICTURE_SCHEMA).validate(picture)
    page = _get(client, "/api/storylines", limit=500)
    assert set(page) == PAGE_KEYS and page["limit"] == 500 and page["offset"] == 0
    assert page["total"] == len(picture["storylines"]) == len(page["items"]) > 0
    assert {it["id"] for it in page["items"]} == {s["id"] for s in picture["storylines"]}
    article_validator, event_validator = _validator("article"), _validator("event")
    seen_stories: set[str] = set()
    for item in page["items"]:
        line = _get(client, f"/api/storylines/{item['id']}")
        assert line["id"] == item["id"] and line["label"] == item["label"]
        want_events = [e["event"] for t in picture["timeline"] if t["storyline"] == item["id"] for e in t["entries"]]
        assert [e["id"] for e in line["events"]] == sorted(set(want_events), key=[e["id"] for e in picture["events"]].index)
        assert len(line["timeline"]) == item["events"] == len(want_events)
        for story_item in line["stories"]:
            story = _get(client, f"/api/stories/{story_item['id']}")
            seen_stories.add(story["id"])
            assert story["storyline"] == item["id"]
            pic_story = next(s for s in picture["stories"] if s["id"] == story["id"])
            assert set(pic_story["articles"]) <= {a["id"] for a in story["articles"]}
            for row in story["articles"]:
                article_validator.validate(row)
            for ev in story["events"]:
                event_validator.validate(ev)
                assert {m["article"] for m in ev["mentions"]} & {a["id"] for a in story["articles"]}
        assert sum(len(_get(client, f"/api/stories/{s['id']}")["articles"]) for s in line["stories"]) == item["articles"]
    assert seen_stories == {s["id"] for s in picture["stories"] if s["storyline"]}
    # every event of the picture, paged, in the picture's (date) order
    events, offset = [], 0
    while True:
        page = _get(client, "/api/events", limit=7, offset=offset)
        events += page["items"]
        offset += 7
        if offset >= page["total"]:
            break
    assert [e["id"] for e in events] == [e["id"] for e in picture["events"]]
    for ev in events[:3]:
        for actor in ev["actors"][:1]:
            by_actor = _get(client, "/api/events", entity=actor, limit=500)["items"]
            assert ev["id"] in [e["id"] for e in by_actor]
            assert all(actor in e["actors"] + e["targets"] for e in by_actor)


def test_compare_matrix(client: Any, db: Path) -> None:
    line = _get(client, "/api/storylines", limit=1)["items"][0]
    full = _get(client, f"/api/storylines/{line['id']}")
    m = _get(client, "/api/compare", storyline=line["id"])
    unknown = "(unknown outlet)"  # articles without an outlet: one column, the last
    known = [o for o in m["outlets"] if o != unknown]
    assert known == sorted(known) and set(line["outlets"]) <= set(known)
    assert m["outlets"] == known + [unknown] * (unknown in m["outlets"])
    assert [r["event"]["id"] for r in m["rows"]] == [e["id"] for e in full["events"]][:100]
    for row, ev in zip(m["rows"], full["events"]):
        reported = {mm["outlet"] or unknown for mm in ev["mentions"]}
        assert {o for o, c in row["cells"].items() if c["reported"]} == reported
        for outlet, cell in row["cells"].items():
            assert cell["articles"] == list(dict.fromkeys(
                mm["article"] for mm in ev["mentions"] if (mm["outlet"] or unknown) == outlet))


def test_entity_page_of_a_kb_actor_lists_aliases_and_roles(client: Any, db: Path) -> None:
    kb = load_kb()
    with sqlite3.connect(db) as c:
        rows = c.execute(
            "SELECT e.id, count(*) AS n FROM entities e JOIN mentions m ON m.entity_id = e.id"
            " WHERE e.kb = 1 AND e.type = 'PER' GROUP BY e.id ORDER BY n DESC, e.id"
        ).fetchall()
        eid = next(i for i, _ in rows if kb.get(i) is not None and kb.get(i).roles)
        forms = {t for (t,) in c.execute("SELECT DISTINCT text FROM mentions WHERE entity_id = ?", (eid,))}
        n_mentions, n_articles = c.execute(
            "SELECT count(*), count(DISTINCT article_id) FROM mentions WHERE entity_id = ?", (eid,)).fetchone()
    entry = kb.get(eid)
    page = _get(client, f"/api/entities/{eid}")
    assert page["id"] == eid and page["kb"] is True and page["type"] == "PER"
    assert set(entry.all_names()) <= set(page["names"])  # every KB name (de/en/fr/ru …)
    assert forms <= set(page["names"])  # every surface form seen
    assert len(page["names"]) == len(set(page["names"]))
    assert [(r["role"], r["of_id"], r["start"], r["end"]) for r in page["roles"]] == [
        (r.title, r.of, r.start, r.end) for r in entry.roles]
    assert page["mentions"] == n_mentions and page["articles"] == n_articles
    assert sum(p["mentions"] for p in page["timeline"]) == n_mentions
    assert all(re.fullmatch(r"\d{4}-\d{2}|undated", p["period"]) for p in page["timeline"])
    assert 0 < len(page["neighbours"]) <= 30 and all(n["id"] != eid for n in page["neighbours"])
    assert [n["weight"] for n in page["neighbours"]] == sorted((n["weight"] for n in page["neighbours"]), reverse=True)
    assert 0 < len(page["recent_articles"]) <= min(20, n_articles)


def test_article_annotations_point_into_the_text(client: Any, db: Path) -> None:
    arts = _stored(db)
    for a in arts:
        page = _get(client, f"/api/articles/{a.id}")
        text = page["text"]
        assert text == a.text and page["title"] == a.title
        ann = page["annotations"]
        assert len(ann["entities"]) == sum(len(e["mentions"]) for e in a.entities)
        assert len(ann["times"]) == len(a.times) and len(ann["quantities"]) == len(a.quantities)
        assert len(ann["claims"]) == len(a.claims)
        for layer in ("entities", "times", "quantities"):
            for item in ann[layer]:
                assert text[item["start"]:item["end"]] == item["text"], (layer, item)
        for item in ann["claims"] + page["events"]:
            assert 0 <= item["start"] < item["end"] <= len(text)
        assert [r["line"] for r in page["removed"]] == sorted(n for b in a.removed for n in b.lines)
        raw = a.raw_text.split("\n")
        assert all(r["text"] == raw[r["line"] - 1].strip() for r in page["removed"])
    assert any(_get(client, f"/api/articles/{a.id}")["annotations"]["entities"] for a in arts)


def _count_containing(db: Path, word: str) -> int:
    pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
    return sum(1 for a in _stored(db) if pattern.search(a.text) or pattern.search(a.title or ""))


def test_search_finds_the_articles_containing_the_word(client: Any, db: Path, request: pytest.FixtureRequest) -> None:
    word = "Schoigu" if db.name == "seeds.db" else "Putin"
    want = _count_containing(db, word)
    assert want > 0
    res = _get(client, "/api/search", q=word)
    assert res["total"] == want == len(res["items"])
    assert res["query"]["q"] == word
    for hit in res["items"]:
        assert re.search(rf"\x02{word}\w*\x03", hit["snippet"], re.IGNORECASE), hit["snippet"]
        assert "<mark>" not in hit["snippet"]
    assert sum(f["count"] for f in res["facets"]["outlet"]) == sum(1 for h in res["items"] if h["outlet"])
    assert sum(f["count"] for f in res["facets"]["language"]) == want
    # pages of 2 put together give the same hits in the same order
    paged = [h["id"] for off in range(0, want, 2) for h in _get(client, "/api/search", q=word, limit=2, offset=off)["items"]]
    assert paged == [h["id"] for h in res["items"]]
    # filters narrow
    lang = res["facets"]["language"][0]["value"]
    only = _get(client, "/api/search", q=word, language=lang)
    assert only["total"] == res["facets"]["language"][0]["count"] and all(h["language"] == lang for h in only["items"])
    ent = res["facets"]["entity"][0]
    by_entity = _get(client, "/api/search", q=word, entity=ent["value"])
    assert by_entity["total"] == ent["count"]
    # empty query: every article, newest first
    everything = _get(client, "/api/search", limit=500)
    assert everything["total"] == len(_stored(db))
    dates = [h["published"] for h in everything["items"] if h["published"]]
    assert dates == sorted(dates, reverse=True)
    assert _get(client, "/api/search", q="zzqxnotaword")["total"] == 0


# -- errors --------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/api/storylines/line:nope", "/api/stories/story:nope", "/api/entities/per:nobody_xyz",
                                 "/api/articles/ffffffffffffffff", "/api/events?storyline=line:nope",
                                 "/api/events?story=story:nope", "/api/compare?storyline=line:nope", "/api/nothing"])
def test_unknown_ids_answer_404_with_a_json_error(client: Any, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and "\n" not in body["error"] and len(body["error"]) > 20


@pytest.mark.parametrize("params,status,word", [
    ({"limit": 0}, 400, "limit"), ({"limit": 501}, 400, "limit"), ({"offset": -1}, 400, "offset"),
    ({"limit": "ten"}, 422, "limit"), ({"offset": "1.5"}, 422, "offset"),
])
@pytest.mark.parametrize("url", ["/api/storylines", "/api/events", "/api/search"])
def test_bad_paging_is_a_clear_4xx(client: Any, url: str, params: dict, status: int, word: str) -> None:
    r = client.get(url, params=params)
    assert r.status_code == status, r.text
    assert word in r.json()["error"]


def test_bad_date_filter_is_400(client: Any) -> None:
    r = client.get("/api/search", params={"q": "x", "from": "gestern"})
    assert r.status_code == 400 and "from/to" in r.json()["error"]


def test_openapi_lists_every_endpoint_and_docs_are_local(client: Any) -> None:
    spec = _get(client, "/api/openapi.json")
    paths = spec["paths"]
    for path in ["/api/overview", "/api/storylines", "/api/storylines/{id}", "/api/stories/{id}", "/api/events",
                 "/api/entities/{id}", "/api/articles/{id}", "/api/search", "/api/compare", "/api/articles"]:
        assert path in paths, path
    params = {p["name"] for p in paths["/api/search"]["get"]["parameters"]}
    assert params == {"q", "outlet", "language", "entity", "from", "to", "limit", "offset"}
    assert {p["name"] for p in paths["/api/events"]["get"]["parameters"]} == {
        "storyline", "story", "entity", "limit", "offset"}
    assert "post" in paths["/api/articles"] and "multipart/form-data" in paths["/api/articles"]["post"]["requestBody"]["content"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in docs.headers["content-security-policy"]
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text and "cdn" not in docs.text.lower()
    assert not re.search(r"<script>(?!</script>)", docs.text)  # every script has a src
    init = client.get("/api/docs/init.js")
    assert init.status_code == 200 and "/api/openapi.json" in init.text
    overview = client.get("/api/overview")
    assert overview.headers["x-content-type-options"] == "nosniff"
    assert overview.headers["referrer-policy"] == "no-referrer"


# -- writing ---------------------------------------------------------------------
NEW_TEXT = (
    "Berlin – Die Bundesregierung hat am Dienstag in Berlin ein Gesetz zur Quellwasserabgabe beschlossen. "
    "Bundeskanzler Olaf Scholz sagte, die Abgabe solle 200 Millionen Euro im Jahr einbringen. "
    "Frankreichs Präsident Emmanuel Macron kündigte in Paris an, ein ähnliches Gesetz zu prüfen."
)
HOSTILE_TEXT = (
    "Bonn – Am Montag tagte in Bonn ein Ausschuss zur Wasserwirtschaft. <script>alert(1)</script> "
    'Ein Bild <img src=x onerror="alert(2)"> und ein <a href="javascript:alert(3)">Link</a> standen im Text. '
    "Der Ausschuss vertagte sich auf die kommende Woche."
)


def test_post_articles_adds_searchable_annotated_articles_and_refreshes_the_cache(
    examples_db: Path, writable_copy: Any, make_client: Any
) -> None:
    db = writable_copy(examples_db)
    before = len(_stored(db))
    client = make_client(db)
    other = Site(db, config=web_config())  # a second Site on the same DB: loads the cached picture
    assert other.picture()["generated_from"]["articles"] == before
    assert (other.computed, other.loaded) == (0, 1)
    assert client.get("/api/search", params={"q": "Quellwasserabgabe"}).json()["total"] == 0  # remembered …

    r = client.post("/api/articles", json=[
        {"text": NEW_TEXT, "title": "Quellwasserabgabe beschlossen", "outlet": "Testblatt"},
        {"text": HOSTILE_TEXT, "title": "<b>Ausschuss</b>", "outlet": "Testblatt", "url": "javascript:alert(4)"},
    ])
    assert r.status_code == 201, r.text
    body = r.json()
    assert len(body["added"]) == 2 and body["errors"] == [] and body["updated"] == body["unchanged"] == []
    # in search, with annotations
    hits = client.get("/api/search", params={"q": "Quellwasserabgabe"}).json()
    new_id = next(h["id"] for h in hits["items"] if h["title"] == "Quellwasserabgabe beschlossen")
    assert hits["total"] == 1 and new_id in body["added"]  # … and forgotten when the store changed
    art = client.get(f"/api/articles/{new_id}").json()
    assert art["outlet"] == "Testblatt" and "Quellwasserabgabe" in art["text"]
    names = {e["id"] for e in art["annotations"]["entities"]}
    assert {"per:olaf_scholz", "per:emmanuel_macron"} <= names
    assert any(q["text"] == "200 Millionen Euro" for q in art["annotations"]["quantities"])
    assert all(art["text"][e["start"]:e["end"]] == e["text"] for e in art["annotations"]["entities"])
    # hostile markup comes back as plain text in JSON (the pages escape it)
    hostile_id = next(i for i in body["added"] if i != new_id)
    raw = client.get(f"/api/articles/{hostile_id}")
    hostile = raw.json()
    assert raw.headers["content-type"].startswith("application/json")
    assert "<script>alert(1)</script>" in hostile["text"] and 'onerror="alert(2)"' in hostile["text"]
    assert 'href="javascript:alert(3)"' in hostile["text"] and hostile["title"] == "<b>Ausschuss</b>"
    assert hostile["source"][0]["url"] == "javascript:alert(4)"  # kept as data; pages link only http(s)
    assert "content-security-policy" not in raw.headers  # JSON, not HTML
    # the picture cache moved on: the other Site re-reads it without computing
    assert other.picture()["generated_from"]["articles"] == before + 2
    assert (other.computed, other.loaded) == (0, 2)
    with open_store(db, read_only=True) as store:
        assert store.load_picture()[0] == store.fingerprint() == other.fingerprint()
    assert client.get("/api/overview").json()["articles"] == before + 2

    # multipart: a file (name kept only for messages) and an empty form
    files = [("files", ("../../etc/passwd.txt", NEW_TEXT.replace("Berlin", "Hamburg").encode("utf-8"), "text/plain"))]
    r = client.post("/api/articles", files=files)
    assert r.status_code == 201, r.text
    assert len(r.json()["added"]) == 1
    assert not Path("/etc/passwd.txt").exists()
    r = client.post("/api/articles", data={"title": "nur ein Titel"}, files={"x": ("a.txt", b"", "text/plain")})
    assert r.status_code == 400 and "files" in r.json()["error"]


def test_cache_missing_is_computed_once_and_saved(examples_db: Path, writable_copy: Any) -> None:
    db = writable_copy(examples_db)
    with sqlite3.connect(db) as c:
        c.execute("DELETE FROM picture_cache")
    ro = Site(db, read_only=True, config=web_config())
    ro.picture()
    assert (ro.computed, ro.loaded) == (1, 0)
    with open_store(db, read_only=True) as store:
        assert store.load_picture() is None  # read-only: computed in memory, not saved
    site = Site(db, config=web_config())
    pic = site.picture()
    assert (site.computed, site.loaded) == (1, 0)
    site.picture()
    assert site.computed == 1  # kept in memory
    with open_store(db, read_only=True) as store:
        fp, cached = store.load_picture()
        assert fp == store.fingerprint() and cached == pic


def test_a_store_changed_without_a_saved_picture_keeps_serving_then_recomputes(
    examples_db: Path, writable_copy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lagebild.model import Article, Provenance
    from lagebild.web import _site

    db = writable_copy(examples_db)
    site = Site(db, config=web_config())
    before = site.overview()["articles"]
    assert (site.computed, site.loaded) == (0, 1)
    with open_store(db) as store:  # a writer that saves no picture (a build under way, an older lagebild)
        store.write_article(Article(id="c" * 16, source=[Provenance("c.txt", "text")], title="Kurz",
                                    text="Ein kurzer Text.", raw_text="Ein kurzer Text."))
    assert site.overview()["articles"] == before  # readers are not held up: the picture in memory is served
    assert (site.computed, site.loaded) == (0, 1)
    monkeypatch.setattr(_site, "STALE_GRACE", 0.0)
    assert site.overview()["articles"] == before + 1  # stale for too long: computed and saved
    assert (site.computed, site.loaded) == (1, 1)
    with open_store(db, read_only=True) as store:
        assert store.load_picture()[0] == store.fingerprint()


def test_bad_posts(examples_db: Path, writable_copy: Any, make_client: Any) -> None:
    db = writable_copy(examples_db)
    cfg = web_config()
    cfg["web"] = {**cfg["web"], "max_upload_bytes": 1000}
    small = make_client(db, config=cfg)
    big = "Wort " * 400
    r = small.post("/api/articles", json={"text": big})
    assert r.status_code == 413 and "1000" in r.json()["error"]
    r = small.post("/api/articles", files=[("files", ("a.txt", big.encode(), "text/plain"))])
    assert r.status_code == 413
    r = small.post("/api/articles", content=b"x" * 100_000, headers={"content-type": "application/json"})
    assert r.status_code == 413
    for payload in ({"title": "ohne Text"}, {"text": "   "}, [], "nur ein String"):
        r = small.post("/api/articles", json=payload)
        assert r.status_code == 400 and "text" in r.json()["error"], payload
    r = small.post("/api/articles", content=b"{broken", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "JSON" in r.json()["error"]
    r = small.post("/api/articles", content=b"text", headers={"content-type": "text/plain"})
    assert r.status_code == 400 and "content type" in r.json()["error"]
    ro = make_client(db, read_only=True)
    r = ro.post("/api/articles", json={"text": NEW_TEXT})
    assert r.status_code == 403 and "read-only" in r.json()["error"]
    assert ro.get("/api/overview").json()["articles"] == len(_stored(db))  # nothing written


# -- the command ------------------------------------------------------------------
def test_serve_missing_db_is_one_error_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lagebild.cli import cli

    result = CliRunner().invoke(cli, ["serve", str(tmp_path / "missing.db"), "--port", str(free_port())])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: no database at") and "lagebild build" in lines[0]
    assert not (tmp_path / "missing.db").exists()


def test_serve_subprocess_answers(examples_db: Path) -> None:
    with serve_process(examples_db, "--read-only") as (base, r, _proc):
        assert r.status_code == 200 and r.json()["articles"] == len(_stored(examples_db))
        assert httpx.post(f"{base}/api/articles", json={"text": NEW_TEXT}).status_code == 403
