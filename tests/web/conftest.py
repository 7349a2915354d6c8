"""Fixtures of the web tests: built databases, an in-process client, a live uvicorn server.

* ``seeds_db`` — the five seeds (../shared/seeds) built once per session (skips when ../shared is absent);
* ``examples_db`` — our own examples/ built once per session (always there);
* ``writable_copy(db)`` — a fresh copy to add articles to (the session databases stay as built);
* ``make_client(db, read_only=False)`` — an httpx client over ``ASGITransport(create_app(...))`` (in-process);
* ``live_server`` — uvicorn on 127.0.0.1:<free port> in a thread over a writable copy of the seeds database;
  yields the base URL (``http://127.0.0.1:PORT``); ``live_server_factory(db, read_only=False)`` starts more.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from support import EXAMPLES
from web_support import free_port, web_config

def _build(inputs: list[str], db: Path) -> Path:
    from lagebild.api import build

    report = build(inputs, db, config=web_config())
    assert not report.errors, report.errors
    return db


@pytest.fixture(scope="session")
def web_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web")


@pytest.fixture(scope="session")
def seeds_db(shared: Path, web_tmp: Path) -> Path:
    """The seeds, built with the whole pipeline (stories and the picture cache included)."""
    return _build([str(shared / "seeds")], web_tmp / "seeds.db")


@pytest.fixture(scope="session")
def examples_db(web_tmp: Path) -> Path:
    """examples/ (11 articles, German and English, one exact copy), built once."""
    return _build([str(EXAMPLES)], web_tmp / "examples.db")


def copy_db(src: Path, dst: Path) -> Path:
    """A consistent copy of a store (SQLite backup: the WAL is included)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


@pytest.fixture
def writable_copy(tmp_path: Path) -> Callable[[Path], Path]:
    counter = iter(range(1000))
    return lambda src: copy_db(src, tmp_path / f"copy{next(counter)}-{src.name}")


class ApiClient:
    """A synchronous face on ``httpx.AsyncClient(transport=httpx.ASGITransport(app))`` (in-process, no socket)."""

    def __init__(self, app: Any) -> None:
        import anyio.from_thread
        import httpx

        self.app = app
        self._cm = anyio.from_thread.start_blocking_portal()
        self._portal = self._cm.__enter__()
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")

    def request(self, method: str, url: str, **kw: Any) -> Any:
        import functools

        return self._portal.call(functools.partial(self._client.request, method, url, **kw))

    def get(self, url: str, **kw: Any) -> Any:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> Any:
        return self.request("POST", url, **kw)

    def close(self) -> None:
        self._portal.call(self._client.aclose)
        self._cm.__exit__(None, None, None)


@pytest.fixture(scope="session")
def make_client() -> Iterator[Callable[..., ApiClient]]:
    from lagebild.web import create_app

    clients: list[ApiClient] = []

    def make(db: Path, *, read_only: bool = False, config: dict[str, Any] | None = None) -> ApiClient:
        client = ApiClient(create_app(db, read_only=read_only, config=config or web_config()))
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close()


@pytest.fixture(scope="session")
def live_server_factory() -> Iterator[Callable[..., str]]:
    import uvicorn

    from lagebild.web import create_app

    running: list[tuple[Any, threading.Thread]] = []

    def start(db: Path, *, read_only: bool = False) -> str:
        port = free_port()
        app = create_app(db, read_only=read_only, config=web_config())
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError(f"uvicorn did not start on 127.0.0.1:{port}")
            time.sleep(0.05)
        running.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(seeds_db: Path, web_tmp: Path, live_server_factory: Callable[..., str]) -> str:
    """Base URL of a running app over a writable copy of the seeds database (uploads go there)."""
    return live_server_factory(copy_db(seeds_db, web_tmp / "live-seeds.db"))
