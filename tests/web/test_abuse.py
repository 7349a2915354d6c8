"""Abuse of the web app (issue 9 §5): path traversal, hostile query strings, malformed requests.

Every request here is refused with a 4xx (or answered harmlessly), never a 500, never a file from outside the
package's static folder, and never reflected unescaped.  Runs in-process on the examples database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
from support import REPO

TRAVERSALS = [
    "/static/../pyproject.toml",
    "/static/..%2f..%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "/static/%2e%2e%2f%2e%2e%2fREADME.md",
    "/static//etc/passwd",
    "/static/..\\..\\pyproject.toml",
    "/articles/..%2f..%2fpyproject.toml",
    "/api/articles/..%2f..%2fpyproject.toml",
    "/api/articles/%2fetc%2fpasswd",
    "/entities/..%2f..%2fetc%2fpasswd",
    "/api/stories/....//....//etc/passwd",
]


@pytest.fixture(scope="module")
def client(examples_db: Path, make_client: Callable[..., Any]) -> Any:
    return make_client(examples_db, read_only=True)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_reaches_no_file(client: Any, path: str) -> None:
    secret = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    r = client.get(path)
    assert 400 <= r.status_code < 500, (path, r.status_code)
    assert "[project]" not in r.text and secret[:200] not in r.text
    assert "root:" not in r.text


@pytest.mark.parametrize(
    "url",
    [
        "/search?q=%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E",
        "/search?q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E&outlet=%3Cb%3E",
        "/search?entity=%3Cscript%3E&language=%22%3E%3Csvg%2Fonload%3Dalert(1)%3E",
        "/compare?storyline=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ],
)
def test_hostile_query_strings_are_never_reflected_raw(client: Any, url: str) -> None:
    r = client.get(url)
    assert r.status_code in (200, 400, 404), (url, r.status_code)
    body = r.text
    for raw in ("<script>window", "<img src=x", "<svg/onload", "<b>", "<script>alert"):
        assert raw not in body, (url, raw)


def test_huge_query_string_is_answered_not_crashed(client: Any) -> None:
    q = "Russland " * 6_000  # 54 kB of query (httpx refuses to send longer URLs)
    for url in ("/api/search", "/search"):
        r = client.get(url, params={"q": q})
        assert r.status_code in (200, 400, 413, 414), (url, r.status_code)
        if url.startswith("/api"):
            assert "error" in r.json() or "items" in r.json()


def test_unknown_routes_and_methods(client: Any) -> None:
    assert client.get("/nothing-here").status_code == 404
    r = client.get("/api/nothing-here")
    assert r.status_code == 404
    assert client.request("DELETE", "/api/articles").status_code == 405
    assert client.request("PUT", "/api/storylines").status_code == 405


def test_malformed_bodies_are_clear_4xx(examples_db: Path, writable_copy: Callable[[Path], Path],
                                        make_client: Callable[..., Any]) -> None:
    c = make_client(writable_copy(examples_db))
    before = c.get("/api/overview").json()["articles"]
    cases = [
        (b"--xyz\r\nContent-Disposition: form-data; name=\"files\"\r\n", "multipart/form-data; boundary=xyz"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}", "application/json"),
        (b"", "application/json"),
    ]
    for body, ctype in cases:
        r = c.post("/api/articles", content=body, headers={"content-type": ctype})
        assert 400 <= r.status_code < 500, (body[:40], r.status_code)
        assert r.json()["error"], body[:40]
    assert c.get("/api/overview").json()["articles"] == before  # nothing half-written
