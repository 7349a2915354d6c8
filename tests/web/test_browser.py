"""The web app in a real browser: Playwright driving Debian's headless Chromium against a live server.

The database holds the five seeds (../shared) and our hostile articles (tests/web/hostile).  Playwright never
downloads a browser: it launches ``$LAGEBILD_CHROMIUM`` or ``chromium`` from PATH (``make test`` installs
Debian's package where missing) and the tests skip, saying why, when there is none.  Every step leaves a
screenshot in ``test-artifacts/web/``; any JavaScript error or console error fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from support import REPO

from lagebild.web import Site

HOSTILE = Path(__file__).with_name("hostile")
ARTIFACTS = REPO / "test-artifacts" / "web"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def chromium_path() -> str | None:
    return os.environ.get("LAGEBILD_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (pip install -e '.[test]')")
    exe = chromium_path()
    if exe is None:
        if os.environ.get("CI") == "true":  # CI must run them: `make test` installs chromium there
            pytest.fail("CI=true but no chromium found — `make test` should have installed Debian's chromium")
        pytest.skip("no chromium found — install Debian's `chromium` package (make test does) "
                    "or set LAGEBILD_CHROMIUM=/path/to/chromium")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and the hostile articles, built with the whole pipeline (uploads are added here too)."""
    from lagebild.api import build
    from lagebild.config import load_config

    path = tmp_path_factory.mktemp("browser") / "seeds-hostile.db"
    inputs = [str(shared / "seeds")] + sorted(str(p) for p in HOSTILE.glob("xss_*"))
    report = build(inputs, path, config=load_config(None, ['executor.kind="inline"']))
    assert not report.errors, report.errors
    return path


@pytest.fixture(scope="module")
def base_url(db: Path, live_server_factory: Callable[..., str]) -> str:
    return live_server_factory(db)


@pytest.fixture(scope="module")
def site(db: Path) -> Site:
    """A second, read-only view of the same store: what the pages should show."""
    return Site(db, read_only=True)


class Tab:
    """A browser page that records JS errors, console errors and dialogs, and saves numbered screenshots."""

    def __init__(self, page: Any, base: str, name: str) -> None:
        self.page, self.base, self.name, self.shots = page, base, name, 0
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", lambda msg: self.errors.append(f"console.{msg.type}: {msg.text}")
                if msg.type == "error" else None)
        page.on("dialog", self._dialog)
        page.set_default_timeout(20_000)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        return response

    def shot(self, step: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        out = ARTIFACTS / f"{self.name}-{self.shots:02d}-{step}.png"
        self.page.screenshot(path=str(out), full_page=True)
        return out


@pytest.fixture
def tab(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    t = Tab(context.new_page(), base_url, request.node.name.removeprefix("test_"))
    yield t
    context.close()
    assert t.errors == [], t.errors
    assert t.dialogs == [], t.dialogs


def dated_events(events: list[dict[str, Any]]) -> list[str]:
    return [e["id"] for e in events if _ISO_DAY.match(str((e.get("date") or {}).get("earliest") or ""))]


def test_home_storyline_and_timeline(tab: Tab, site: Site) -> None:
    tab.goto("/")
    lines = site.storylines(limit=500)["items"]
    assert tab.page.locator("table.storylines tbody tr").count() == len(lines)
    tab.shot("home")
    # the storyline with the most events
    line = max(lines, key=lambda x: x["events"])
    full = site.storyline(line["id"])
    expected = dated_events(full["events"])
    assert len(expected) >= 1
    tab.page.get_by_role("link", name=line["label"]).first.click()
    tab.page.wait_for_url(re.compile(r"/storylines/"))
    tab.page.wait_for_selector("#timeline .vis-item")
    items = tab.page.locator("#timeline .vis-item")
    assert items.count() >= len(expected)
    shown = set(tab.page.locator("#timeline .vis-item [data-event-id]").evaluate_all(
        "els => els.map(e => e.getAttribute('data-event-id'))"))
    assert shown == set(expected)
    # the table fallback lists every event of the storyline
    assert tab.page.locator("table.events tbody tr[data-event-id]").count() == len(full["events"])
    tab.shot("storyline-timeline")
    # clicking an item marks its row in the table
    tab.page.locator("#timeline .vis-item").first.click()
    tab.page.wait_for_selector("table.events tr.flash")
    tab.shot("timeline-selected")


def test_search_and_article_highlights(tab: Tab, site: Site) -> None:
    tab.goto("/")
    box = tab.page.locator("header form.quick input[name=q]")
    box.fill("Schoigu")
    box.press("Enter")
    tab.page.wait_for_url(re.compile(r"/search\?q=Schoigu"))
    hits = site.search("Schoigu")
    assert hits["total"] >= 3
    assert tab.page.locator("li.hit").count() == min(hits["total"], 20)
    titles = tab.page.locator("a.hit-title").all_inner_texts()
    assert sorted(titles) == sorted(h["title"] for h in hits["items"])
    assert "Schoigu" in tab.page.locator("li.hit mark").all_inner_texts()
    tab.shot("search-schoigu")
    # htmx: typing in the search form swaps the results list in place
    other = site.search("Pjöngjang")
    tab.page.locator("#search-q").fill("Pjöngjang")
    tab.page.wait_for_function(
        "n => document.querySelectorAll('#results li.hit').length === n && "
        "document.querySelector('#results').textContent.includes('Pjöngjang')", arg=min(other["total"], 20))
    tab.shot("search-htmx")
    # open the first Schoigu hit: entities and times are highlighted, times carry their calendar value
    tab.goto("/search?q=Schoigu")
    tab.page.locator("a.hit-title").first.click()
    tab.page.wait_for_url(re.compile(r"/articles/"))
    assert tab.page.locator("article.text .ann.ent").count() >= 1
    assert tab.page.locator("article.text .ann.ent", has_text="Schoigu").count() >= 1
    time_titles = tab.page.locator("article.text .ann.time").evaluate_all("els => els.map(e => e.title)")
    assert any(re.match(r"\d{4}(-\d{2}){0,2}", t) for t in time_titles), time_titles
    assert tab.page.locator("details.removed").count() == 1
    tab.shot("article-highlights")


def test_upload_then_find(tab: Tab, site: Site, tmp_path: Path) -> None:
    text = ("Zwergpinguine in Kapstadt\n\nKapstadt – Am 4. Februar 2025 zählten Forschende der Universität "
            "Kapstadt 1200 Zwergpinguine an der Küste. Die Stadtverwaltung kündigte an, das Gebiet zu schützen.\n")
    upload = tmp_path / "zwergpinguine.txt"
    upload.write_text(text, encoding="utf-8")
    before = site.search("Zwergpinguine")["total"]
    assert before == 0
    tab.goto("/add")
    tab.page.locator("input[type=file][name=files]").set_input_files(str(upload))
    tab.shot("add-form")
    with tab.page.expect_navigation(timeout=180_000):
        tab.page.get_by_role("button", name="Add and analyse").click()
    assert re.search(r"/articles/[0-9a-f]+$", tab.page.url), tab.page.url
    assert tab.page.locator("h1.article-title").inner_text() == "Zwergpinguine in Kapstadt"
    tab.shot("added-article")
    tab.goto("/search?q=Zwergpinguine")
    assert tab.page.locator("li.hit").count() == 1
    assert tab.page.locator("a.hit-title").inner_text() == "Zwergpinguine in Kapstadt"
    tab.shot("added-found")


def test_hostile_articles_stay_inert(tab: Tab, site: Site) -> None:
    hostile = [a for a in site.picture()["articles"] if "__xss" in (a.get("title") or "")]
    assert len(hostile) == 2
    for a in hostile:
        tab.goto(f"/articles/{a['id']}")
        tab.page.hover("h1.article-title")
        tab.page.hover(".meta .outlet")
        text = tab.page.locator("article.text").inner_text()
        assert "<script>window.__xss" in text
        assert "<img src=" in text or "<a href=" in text
        assert tab.page.locator("h1.article-title").inner_text() == a["title"]
        markup = "article.text script, article.text img, article.text iframe, article.text svg"
        assert tab.page.locator(markup).count() == 0
        assert tab.page.evaluate("typeof window.__xss") == "undefined"
        tab.shot("xss-article")
    for path in ["/search?q=Zeitung", "/search?q=Testmeldung", "/"]:
        tab.goto(path)
        assert tab.page.evaluate("typeof window.__xss") == "undefined"
    tab.shot("xss-search")
    story = site.article(hostile[0]["id"])["story"]
    if story:
        tab.goto(f"/stories/{story}")
        assert tab.page.evaluate("typeof window.__xss") == "undefined"
        tab.shot("xss-story")


def test_entity_graph(tab: Tab, site: Site) -> None:
    ent = site.entity("per:sergei_shoigu")
    assert ent["neighbours"]
    tab.goto("/entities/per:sergei_shoigu")
    tab.page.wait_for_selector("#graph[data-ready=true] canvas")
    assert tab.page.locator("#graph canvas").count() >= 1
    assert tab.page.locator("table.neighbours tbody tr").count() == len(ent["neighbours"])
    assert "Schoigu" in tab.page.locator(".names").inner_text()
    tab.shot("entity-graph")


def test_compare_matrix(tab: Tab, site: Site) -> None:
    matrix = site.compare()
    assert matrix["outlets"]
    tab.goto("/compare")
    assert tab.page.locator("table.matrix thead th.outlet-col").all_inner_texts() == matrix["outlets"]
    assert tab.page.locator("table.matrix tbody tr").count() == len(matrix["rows"])
    tab.shot("compare")


def test_api_docs_use_the_local_swagger_ui(tab: Tab) -> None:
    requested: list[str] = []
    tab.page.on("request", lambda req: requested.append(req.url))
    tab.goto("/api/docs")
    tab.page.wait_for_selector(".swagger-ui .info .title")
    assert "lagebild" in tab.page.locator(".swagger-ui .info .title").inner_text()
    assert all(url.startswith(tab.base) or url.startswith("data:") for url in requested), requested
    tab.shot("api-docs")
