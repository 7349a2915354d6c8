"""The HTML pages in-process: every page answers on real databases, shows what the Site returns, escapes
hostile articles, carries the CSP and has no inline script."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, Callable

import pytest

from markupsafe import escape

from lagebild.web._pages import highlight, safe_url, snippet_html, timeline_items

HOSTILE = Path(__file__).with_name("hostile")

def esc(text: str) -> str:
    """``text`` as the templates escape it (``&``, ``<``, ``>``, both quotes)."""
    return str(escape(text))


_SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)


def inline_scripts(page: str) -> list[str]:
    """Opening ``<script>`` tags that neither load a file (``src``) nor hold JSON data."""
    return [m.group(0) for m in _SCRIPT_TAG.finditer(page)
            if not re.search(r'\bsrc="/static/', m.group(1)) and 'type="application/json"' not in m.group(1)]


def page_paths(site: Any, entities: int = 8) -> list[str]:
    pic = site.picture()
    paths = ["/", "/search", "/compare", "/add"]
    paths += [f"/storylines/{x['id']}" for x in pic["storylines"]]
    paths += [f"/compare?storyline={x['id']}" for x in pic["storylines"]]
    paths += [f"/stories/{x['id']}" for x in pic["stories"]]
    paths += [f"/articles/{x['id']}" for x in pic["articles"]]
    paths += [f"/entities/{x['id']}" for x in pic["entities"][:entities]]
    return paths


def check_page(client: Any, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("text/html"), path
    assert "script-src 'self'" in r.headers["content-security-policy"], path
    assert inline_scripts(r.text) == [], path
    assert "<html" in r.text and "</html>" in r.text, path
    return r.text


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our hostile articles only (tests/web/hostile), built with the whole pipeline."""
    from lagebild.api import build
    from lagebild.config import load_config

    db = tmp_path_factory.mktemp("hostile") / "hostile.db"
    report = build(sorted(str(p) for p in HOSTILE.glob("xss_*")), db,
                   config=load_config(None, ['executor.kind="inline"']))
    assert not report.errors, report.errors
    return db


# ---------------------------------------------------------------- every page, real databases

@pytest.mark.parametrize("which", ["seeds_db", "examples_db"])
def test_every_page_answers(which: str, request: pytest.FixtureRequest, make_client: Callable[..., Any]) -> None:
    client = make_client(request.getfixturevalue(which), read_only=True)
    site = client.app.state.site
    paths = page_paths(site)
    assert len(paths) > 10
    for path in paths:
        check_page(client, path)


@pytest.mark.parametrize("which", ["seeds_db", "examples_db"])
def test_pages_show_what_the_site_returns(which: str, request: pytest.FixtureRequest,
                                          make_client: Callable[..., Any]) -> None:
    client = make_client(request.getfixturevalue(which), read_only=True)
    site = client.app.state.site
    home = check_page(client, "/")
    lines = site.storylines(limit=500)["items"]
    assert lines
    for line in lines:
        assert esc(line["label"]) in home
        full = site.storyline(line["id"])
        page = check_page(client, f"/storylines/{line['id']}")
        for st in full["stories"]:
            assert esc(st["headline"]) in page
            story = site.story(st["id"])
            spage = check_page(client, f"/stories/{st['id']}")
            assert esc(story["headline"]) in spage
            for art in story["articles"]:
                assert f'href="/articles/{art["id"]}"' in spage
        # one table row per event of the storyline, each carrying its event id
        assert page.count("data-event-id=") == len(full["events"])
        names = {e["id"]: e["name"] for e in site.picture()["entities"]}
        for ev in full["events"]:
            assert f'data-event-id="{ev["id"]}"' in page
            for actor in ev["actors"]:
                assert f'<a href="/entities/{actor}">{esc(names.get(actor, actor))}</a>' in page
    for row in site.search("", limit=500)["items"]:
        a = site.article(row["id"])
        page = check_page(client, f"/articles/{row['id']}")
        assert esc(a["title"] or "(no title)") in page
        # the clean text comes back whole once the highlight tags are taken out
        body = page.split('<article class="text"', 1)[1].split(">", 1)[1].split("</article>", 1)[0]
        assert html.unescape(re.sub(r"<[^>]+>", "", body)) == a["text"]
        n_times = sum(1 for t in a["annotations"]["times"] if t.get("value"))
        assert page.count('<span class="ann time"') >= min(1, n_times)


def test_seed_article_highlights_and_search(seeds_db: Path, make_client: Callable[..., Any]) -> None:
    client = make_client(seeds_db, read_only=True)
    site = client.app.state.site
    hits = site.search("Schoigu")
    assert hits["total"] >= 3
    page = check_page(client, "/search?q=Schoigu")
    assert page.count('class="hit"') == min(hits["total"], 20)
    assert "<mark>Schoigu</mark>" in page
    for item in hits["items"]:
        assert f'href="/articles/{item["id"]}"' in page
    # facet links keep the query and add the filter
    outlet = hits["facets"]["outlet"][0]["value"]
    assert f'href="/search?q=Schoigu&amp;outlet={outlet}' in page
    # the date range and the facets reach the Site
    ranged = site.search("", date_from="2024-01-01", date_to="2024-12-31")
    rpage = check_page(client, "/search?from=2024-01-01&to=2024-12-31")
    assert rpage.count('class="hit"') == min(ranged["total"], 20)
    assert ranged["total"] < site.search("")["total"]
    de = site.search("Schoigu", language="de")
    assert check_page(client, "/search?q=Schoigu&language=de").count('class="hit"') == min(de["total"], 20)
    # htmx partial: only the results block
    part = client.get("/search?q=Schoigu", headers={"HX-Request": "true", "HX-Target": "results"})
    assert part.status_code == 200 and "<html" not in part.text and "<mark>Schoigu</mark>" in part.text
    # an article about Schoigu: his entity and a calendar time are highlighted, with their values as titles
    art = site.article(hits["items"][0]["id"])
    apage = check_page(client, f"/articles/{art['id']}")
    assert '<span class="ann ent type-per" title="Sergei Shoigu' in apage
    assert '<a href="/entities/per:sergei_shoigu">' in apage
    times = [t for t in art["annotations"]["times"] if t.get("value")]
    for t in times:
        assert f'title="{esc(t["value"])}' in apage
    assert re.search(r'<span class="ann time" title="\d{4}(-\d\d)?', apage) or not times


def test_unknown_ids_give_the_404_page(examples_db: Path, make_client: Callable[..., Any]) -> None:
    client = make_client(examples_db, read_only=True)
    for path in ["/articles/nope", "/stories/story:nope", "/storylines/line:nope", "/entities/per:nobody",
                 "/compare?storyline=line:nope", "/no-such-page"]:
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("text/html"), path
        assert "Not found" in r.text and 'class="error-message"' in r.text, path
        assert inline_scripts(r.text) == []


def test_add_pasted_text(examples_db: Path, writable_copy: Callable[[Path], Path],
                         make_client: Callable[..., Any]) -> None:
    client = make_client(writable_copy(examples_db))
    text = ("Berlin – Der Bundestag hat am 12. Februar 2025 über den Haushalt beraten. "
            "Die Abgeordneten stimmten mit großer Mehrheit für den Entwurf der Regierung.")
    no_file = {"files": ("", b"", "application/octet-stream")}  # what a browser sends for an empty file input
    r = client.post("/add", data={"text": text, "title": "Bundestag berät <Haushalt>", "outlet": "Testblatt"},
                    files=no_file, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    where = r.headers["location"]
    assert where.startswith("/articles/")
    page = check_page(client, where)
    assert "Bundestag berät &lt;Haushalt&gt;" in page and "Testblatt" in page
    # nothing chosen: the form again with a message
    r = client.post("/add", data={"text": "  "}, files=no_file)
    assert r.status_code == 400 and "no file and no text" in r.text and 'name="files"' in r.text


def test_add_refused_when_read_only(examples_db: Path, make_client: Callable[..., Any]) -> None:
    client = make_client(examples_db, read_only=True)
    r = client.post("/add", files=[("files", ("a.txt", "Ein kurzer Text über Berlin.".encode(), "text/plain"))])
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("text/html") and 'class="error-message"' in r.text


# ---------------------------------------------------------------- hostile articles stay inert

def test_hostile_articles_are_escaped(hostile_db: Path, make_client: Callable[..., Any]) -> None:
    client = make_client(hostile_db, read_only=True)
    site = client.app.state.site
    paths = page_paths(site, entities=20) + ["/search?q=Zeitung", "/search?q=script"]
    pages = {p: check_page(client, p) for p in paths}
    everything = "\n".join(pages.values())
    # no payload survives as markup anywhere
    assert "<script>window" not in everything
    assert not re.search(r"<(img|svg|iframe|b)\b", everything, re.I)
    assert not re.search(r"""\son(error|load|mouseover)\s*=\s*["']?window""", everything)
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", everything, re.I)
    titles = {a["id"]: a for a in site.picture()["articles"]}
    assert len(titles) == 2
    for aid, a in titles.items():
        page = pages[f"/articles/{aid}"]
        assert "&lt;script&gt;window.__xss" in page
        assert esc(a["title"]) in page
    record = next(a for a in titles.values() if a["outlet"])
    page = pages[f"/articles/{record['id']}"]
    assert "Böse &#34;Zeitung&#34; &lt;b onmouseover=&#34;window.__xss=10&#34;&gt;fett&lt;/b&gt;" in page
    # the javascript: URL is shown as text, never linked
    assert '<span class="unsafe-url" title="not linked: not an http(s) address">javascript:window.__xss=8' in page


# ---------------------------------------------------------------- the view helpers

def test_highlight_nests_and_keeps_the_text() -> None:
    text = "Am 3. Mai sagte Putin in Moskau, 500 Soldaten seien dort."
    anns = {
        "entities": [{"start": 16, "end": 21, "id": "per:x", "name": "X", "type": "PER"},
                     {"start": 25, "end": 31, "id": "city:y", "name": "Y", "type": "GPE"},
                     {"start": 17, "end": 19, "id": "bad", "name": "overlaps", "type": "PER"},
                     {"start": 50, "end": 99, "id": "out-of-range"}],
        "times": [{"start": 3, "end": 9, "value": "2024-05-03", "type": "DATE"}],
        "quantities": [{"start": 33, "end": 45, "value": 500}],
        "claims": [{"start": 28, "end": 57, "status": "hedged"}, {"start": 30, "end": 40, "status": "overlap"}],
    }
    runs = highlight(text, anns)
    assert "".join(p["text"] for r in runs for p in r["pieces"]) == text
    marked = [(p["text"], p["ann"]["kind"], r["claim"]["status"] if r["claim"] else None)
              for r in runs for p in r["pieces"] if p["ann"]]
    assert marked == [("3. Mai", "time", None), ("Putin", "ent", None), ("Mos", "ent", None),
                      ("kau", "ent", "hedged"), ("500 Soldaten", "qty", "hedged")]
    assert [r["claim"]["status"] for r in runs if r["claim"]] == ["hedged"]


def test_snippet_and_url_and_timeline_helpers() -> None:
    assert str(snippet_html("a \x02<b>\x03 c \x02open")) == "a <mark>&lt;b&gt;</mark> c <mark>open</mark>"
    assert str(snippet_html("\x03x\x02\x02y\x03")) == "x<mark>y</mark>"
    assert safe_url("https://example.org/a") == "https://example.org/a"
    assert safe_url(" HTTP://example.org") == "HTTP://example.org"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "/local", None, 3):
        assert safe_url(bad) is None
    events = [
        {"id": "a", "event": "CONSULT", "actors": ["per:x"], "status": "asserted",
         "date": {"value": "2024-05-02", "precision": "day", "earliest": "2024-05-02", "latest": "2024-05-02"}},
        {"id": "b", "event": "ASSAULT", "actors": [], "status": "hedged", "background": True,
         "date": {"value": "2022", "precision": "year", "earliest": "2022-01-01", "latest": "2022-12-31"}},
        {"id": "c", "event": "AID", "date": {"value": "XXXX-07-27", "precision": "day", "earliest": None}},
        {"id": "d", "event": "AID", "date": {"value": None, "precision": "unknown", "earliest": None}},
    ]
    from lagebild.web._pages import date_text

    assert date_text(events[2]["date"]) == "07-27 (year unknown)"
    assert date_text(events[1]["date"]) == "2022 (year)"
    assert date_text({"value": None, "earliest": "2024-01-01", "latest": None}) == "not before 2024-01-01"
    items = timeline_items(events, {"per:x": "Someone <b>"})
    assert [(i["id"], i["start"], i["end"]) for i in items] == [("a", "2024-05-02", None),
                                                                ("b", "2022-01-01", "2022-12-31")]
    assert items[0]["label"] == "consultation / visit: Someone <b>"
    assert items[1]["background"] is True and items[1]["status"] == "hedged"


def test_pages_work_without_vendor_files(examples_db: Path, make_client: Callable[..., Any],
                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import lagebild.web._pages as pages

    client = make_client(examples_db, read_only=True)
    site = client.app.state.site
    line = site.storylines()["items"][0]
    ent = site.picture()["entities"][0]
    with_libs = check_page(client, f"/storylines/{line['id']}")
    if pages.vendor_present("vis-timeline"):  # after `make assets`
        assert '<script src="/static/vendor/vis-timeline/' in with_libs
        assert "run <code>make assets</code>" not in with_libs
    monkeypatch.setattr(pages, "_STATIC", tmp_path)  # an empty static folder: no vendor/
    page = check_page(client, f"/storylines/{line['id']}")
    assert "/static/vendor/" not in page
    assert "Interactive timeline not available: run <code>make assets</code>." in page
    assert page.count("data-event-id=") == len(site.storyline(line["id"])["events"])
    page = check_page(client, f"/entities/{ent['id']}")
    assert "Interactive graph not available: run <code>make assets</code>." in page
    assert esc(ent["name"]) in page


def test_long_event_tables_are_cut_with_a_pointer_to_the_api(examples_db: Path, make_client: Callable[..., Any],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import lagebild.web._pages as pages

    client = make_client(examples_db, read_only=True)
    site = client.app.state.site
    line = max(site.storylines(limit=500)["items"], key=lambda x: x["events"])
    events = site.storyline(line["id"])["events"]
    assert len(events) > 2
    monkeypatch.setattr(pages, "EVENT_ROWS", 2)
    page = check_page(client, f"/storylines/{line['id']}")
    assert page.count("<tr id=\"event-") == 2
    assert f"The first 2 of {len(events)} events" in page
    assert 'href="/api/events?storyline=' in page
