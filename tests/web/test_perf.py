"""``serve --workers N``, the per-request caches and the loose ends of the pages (issue 9 §5)."""

from __future__ import annotations

from pathlib import Path

import httpx


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def test_serve_with_two_workers_answers(examples_db: Path) -> None:
    from web_support import serve_process

    with serve_process(examples_db, "--read-only", "--workers", "2", "--set", "web.page_size=7",
                       probe="/api/storylines", wait=90) as (base, r, proc):
        assert r.status_code == 200
        assert r.json()["limit"] == 7  # the --set override reached the worker
        # read-only reached the workers too
        assert httpx.post(f"{base}/api/articles", json={"text": "Ein Text."}, timeout=30).status_code == 403
        for _ in range(10):  # every worker answers pages
            assert httpx.get(f"{base}/", timeout=30).status_code == 200
        # the supervisor runs two worker processes (plus, maybe, multiprocessing's helper)
        assert len(_children(proc.pid)) >= 2
    assert proc.returncode is not None


def test_app_from_env_needs_the_db_variable(monkeypatch) -> None:
    import pytest

    from lagebild.errors import ConfigError
    from lagebild.web._app import ENV_DB, app_from_env

    monkeypatch.delenv(ENV_DB, raising=False)
    with pytest.raises(ConfigError, match="lagebild serve DB --workers"):
        app_from_env()


# -- per-request work ------------------------------------------------------------
def test_story_variants_are_those_touching_its_articles(seeds_db: Path, examples_db: Path) -> None:
    from lagebild.web import Site

    for db in (seeds_db, examples_db):
        site = Site(db, read_only=True)
        pic = site.picture()
        assert pic["variants"], db  # both stores have differing figures, else this test checks nothing
        seen = 0
        for st in pic["stories"]:
            members = set(st["articles"]) | {a["id"] for a in pic["articles"] if a.get("duplicate_of") in st["articles"]}
            expected = [v for v in pic["variants"] if any(x.get("article") in members for x in v["values"])]
            assert site.story(st["id"])["variants"] == expected
            seen += len(expected)
        assert seen >= len(pic["variants"])


def test_pages_are_rendered_once_per_picture(examples_db: Path, make_client, monkeypatch) -> None:
    import lagebild.web._pages as pages

    calls: list[str] = []
    real = pages.render

    def counting(request, template, *a, **kw):
        calls.append(template)
        return real(request, template, *a, **kw)

    monkeypatch.setattr(pages, "render", counting)
    client = make_client(examples_db, read_only=True)
    site = client.app.state.site
    line = site.storylines()["items"][0]["id"]
    story = site.storyline(line)["stories"][0]["id"]
    art = site.picture()["articles"][0]["id"]
    ent = site.picture()["entities"][0]["id"]
    paths = ["/", f"/storylines/{line}", f"/stories/{story}", f"/articles/{art}", f"/entities/{ent}",
             f"/compare?storyline={line}"]
    first = [client.get(p) for p in paths]
    assert [r.status_code for r in first] == [200] * len(paths)
    assert len(calls) == len(paths)
    again = [client.get(p) for p in paths]
    assert len(calls) == len(paths)  # served from the cache
    assert [r.text for r in again] == [r.text for r in first]
    assert all(r.headers["content-security-policy"] and r.headers["content-type"].startswith("text/html")
               for r in again)
    # another query parameter (the search box echoes q) → rendered afresh, and the echo is there
    r = client.get(f"/storylines/{line}?q=Hafen%3Cb%3E")
    assert len(calls) == len(paths) + 1 and 'value="Hafen&lt;b&gt;"' in r.text
    # a different storyline in the comparison is another page
    assert client.get("/compare").status_code == 200 and len(calls) == len(paths) + 2
    # unknown ids are still 404, never cached
    assert client.get("/storylines/line:nope").status_code == 404
    assert client.get("/storylines/line:nope").status_code == 404


# -- loose ends ------------------------------------------------------------------
TEXT = ("Hamburg. Der Senat der Hansestadt hat am Dienstag einen neuen Hafenplan beschlossen. "
        "Bürgermeister Peter Tschentscher sagte, der Plan koste 40 Millionen Euro.")


def test_uploads_keep_their_own_names_as_provenance(examples_db: Path, writable_copy, make_client) -> None:

    client = make_client(writable_copy(examples_db))
    r = client.post("/api/articles", files=[("files", ("../Mein Bericht.txt", TEXT.encode(), "text/plain"))])
    assert r.status_code == 201, r.text
    (aid,) = r.json()["added"]
    src = client.get(f"/api/articles/{aid}").json()["source"]
    assert [p["source"] for p in src] == ["Mein Bericht.txt"]  # the file name, no folder, no server temp path
    page = client.get(f"/articles/{aid}").text
    assert "Mein Bericht.txt" in page and "lagebild-add-" not in page

    # a pasted text, sent as a URL-encoded form (the paste form without files)
    other = TEXT.replace("Hamburg", "Bremen").replace("40", "25").replace("Peter Tschentscher", "Andreas Bovenschulte")
    r = client.post("/add", data={"text": other, "title": "Bremer Hafenplan", "outlet": "Weser-Bote"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    aid = r.headers["location"].rsplit("/", 1)[1]
    got = client.get(f"/api/articles/{aid}").json()
    assert got["title"] == "Bremer Hafenplan" and got["outlet"] == "Weser-Bote"
    assert [p["source"] for p in got["source"]] == ["pasted.json"]
    r = client.post("/api/articles", data={"title": "nur ein Titel"})
    assert r.status_code == 400 and "no file and no text" in r.json()["error"]


def test_storyline_spans_come_from_articles_or_events(seeds_db: Path) -> None:
    from lagebild.web import Site

    site = Site(seeds_db, read_only=True)
    pic = site.picture()
    for item in site.storylines(limit=500)["items"]:
        line = site.storyline(item["id"])
        assert (item["first"] is None) == (item["last"] is None), item
        assert item["first"] is None or item["first"] <= item["last"], item
        stories = [s for s in pic["stories"] if s["id"] in {st["id"] for st in line["stories"]}]
        if any(s.get("first") for s in stories):
            continue
        # no story span: the articles have no publication date, so the span is that of the dated current
        # events told (background history is not the story's span); none dated: unknown
        arts = {a for s in stories for a in s["articles"]}
        assert not [a for a in pic["articles"] if a["id"] in arts and (a.get("published") or {}).get("value")]
        days = sorted(str(d)[:10] for ev in line["events"] if not ev.get("background")
                      for d in (ev["date"].get("earliest"), ev["date"].get("latest")) if d)
        assert (item["first"], item["last"]) == ((days[0], days[-1]) if days else (None, None))


def test_compare_has_a_column_for_articles_without_outlet(seeds_db: Path, make_client) -> None:
    client = make_client(seeds_db, read_only=True)
    site = client.app.state.site
    # on the seeds four of five articles have no outlet (checked in the store by hand: only ntv.de is named)
    assert sorted(a.get("outlet") or "" for a in site.picture()["articles"]).count("") == 4
    m = client.get("/api/compare").json()
    assert m["outlets"] == ["ntv.de", "(unknown outlet)"]
    unknown = [r for r in m["rows"] if r["cells"]["(unknown outlet)"]["reported"]]
    assert unknown
    for row in unknown:
        ev = site.picture()["events"][[e["id"] for e in site.picture()["events"]].index(row["event"]["id"])]
        assert row["cells"]["(unknown outlet)"]["articles"] == list(dict.fromkeys(
            x["article"] for x in ev["mentions"] if not x.get("outlet")))
    assert "(unknown outlet)" in client.get("/compare").text


def test_api_answers_are_encoded_once_per_picture(examples_db: Path, writable_copy, make_client) -> None:
    import json

    client = make_client(writable_copy(examples_db))
    site = client.app.state.site
    line = site.storylines()["items"][0]["id"]
    calls: list[str] = []
    real = site.storyline
    site.storyline = lambda id: calls.append(id) or real(id)  # type: ignore[method-assign]
    first = client.get(f"/api/storylines/{line}")
    again = client.get(f"/api/storylines/{line}")
    assert calls == [line] and again.content == first.content
    assert first.headers["content-type"] == "application/json"
    assert json.loads(first.content) == real(line)  # the Site's answer, exactly
    assert client.get("/api/storylines/line:nope").status_code == 404  # errors are not remembered
    assert client.get("/api/storylines/line:nope").status_code == 404 and calls.count("line:nope") == 2
    assert client.get("/api/storylines", params={"limit": 0}).status_code == 400
    before = client.get("/api/overview").json()["articles"]
    assert client.post("/api/articles", json={"text": TEXT, "outlet": "Elbe-Bote"}).status_code == 201
    assert client.get("/api/overview").json()["articles"] == before + 1  # the store changed: answered afresh
    client.get(f"/api/storylines/{line}")
    assert calls.count(line) == 2


def test_upload_names_executor_wraps_its_inner_one() -> None:
    from lagebild.api import _UploadNames
    from lagebild.executors import InlineExecutor
    from lagebild.model import Article, Provenance

    ex = _UploadNames(InlineExecutor(), {"/tmp/x/upload-001.txt": "Bericht.txt"})
    assert ex.workers == 1 and ex.name == "inline"
    art = Article(source=[Provenance(source="/tmp/x/upload-001.txt#2", format="jsonl"),
                          Provenance(source="elsewhere.txt", format="text")], raw_text="Text.", text="Text.")
    got = ex._rename(art)
    assert [p.source for p in got.source] == ["Bericht.txt#2", "elsewhere.txt"]
    assert [p.source for p in art.source][0] == "/tmp/x/upload-001.txt#2"  # the input is not changed
    assert list(ex.map(lambda x: x * 2, [1, 2])) == [2, 4]  # other results pass through
