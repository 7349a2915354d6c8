"""Latency of the web app's main pages and API endpoints (issue 7): target p95 ≤ 100 ms.

    python bench/web.py [--db PATH] [--n 10000] [--requests 200] [--query WORD] [--url URL]

Starts ``lagebild serve DB --read-only`` on a free 127.0.0.1 port (a subprocess;
waits until ``/api/storylines`` answers), discovers ids from the API itself (the
storyline with the most articles, its biggest story, that story's first article,
the most frequent entity of a search with a common word), warms every route up,
then requests each route ``--requests`` times, sequentially, round-robin over
the routes, with one persistent httpx client: the pages (home, storyline,
story, entity, article, search, compare) and their ``/api/...`` twins.  With
``--url`` an already running server is measured instead (nothing is started).

The store (default /tmp/lagebild-web-10k.db) is made by ``bench/make_db.py``
(``--n`` articles, default 10,000); if it is missing, this script says how to make
it.  A non-200 answer counts as an error and its latency is still recorded.

Reports per route p50 / p95 / max (ms, nearest rank) and the overall p95
against the target.  Those repeat the same ids, so after the warm-up they
measure the app's per-picture caches; a second, **cold** pass then requests
each page and API route once for each of up to ``--cold`` distinct ids never
asked before (storylines, their stories and articles, their top entities,
distinct search words), which is what a first visit costs.  Prints human
tables, then ONE JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

TARGET_P95_MS = 100.0
DEFAULT_DB = Path("/tmp/lagebild-web-10k.db")
#: a word found in many German news articles (override with --query)
DEFAULT_QUERY = "Regierung"


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (``p`` in 0..100) of ``values``; 0 for none."""
    if not values:
        return 0.0
    s = sorted(values)
    return s[max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``lagebild serve DB --read-only`` on 127.0.0.1 in a subprocess (a context manager)."""

    def __init__(self, db: Path, *, ready_timeout: float = 600.0, extra: list[str] | None = None) -> None:
        self.db, self.ready_timeout, self.extra = db, ready_timeout, extra or []
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="lagebild-serve-", suffix=".log", delete=False)
        self.proc: subprocess.Popen[bytes] | None = None
        self.startup_s = 0.0

    def __enter__(self) -> "Server":
        cmd = [sys.executable, "-m", "lagebild.cli", "serve", str(self.db), "--host", "127.0.0.1",
               "--port", str(self.port), "--read-only", *self.extra]
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        with httpx.Client(timeout=5.0) as c:
            while True:
                if self.proc.poll() is not None:
                    raise SystemExit(f"`{' '.join(cmd)}` exited with {self.proc.returncode}:\n{self.tail()}")
                try:
                    if c.get(f"{self.url}/api/storylines", params={"limit": 1}).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.perf_counter() - t0 > self.ready_timeout:
                    self.__exit__()
                    raise SystemExit(f"the server did not answer within {self.ready_timeout:.0f} s:\n{self.tail()}")
                time.sleep(0.25)
        self.startup_s = time.perf_counter() - t0
        return self

    def tail(self, n: int = 3000) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")[-n:]

    def __exit__(self, *exc: Any) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        try:
            os.unlink(self.log.name)
        except OSError:
            pass


def _get(c: httpx.Client, path: str) -> Any:
    r = c.get(path)
    if r.status_code != 200:
        raise SystemExit(f"discovery: GET {path} answered {r.status_code}: {r.text[:300]}")
    return r.json()


def discover(c: httpx.Client, query: str) -> tuple[dict[str, str], dict[str, Any]]:
    """Routes (name → path) with ids found through the API; plus what was picked."""
    lines = _get(c, "/api/storylines?limit=500")["items"]
    if not lines:
        raise SystemExit("the store has no storylines — build it with bench/make_db.py")
    line = max(lines, key=lambda it: (it.get("articles") or 0, it.get("events") or 0, it.get("stories") or 0))
    detail = _get(c, f"/api/storylines/{quote(line['id'], safe='')}")
    stories = detail.get("stories") or []
    story = max(stories, key=lambda s: s.get("articles") or 0) if stories else None
    story_d = _get(c, f"/api/stories/{quote(story['id'], safe='')}") if story else {}
    article = (story_d.get("articles") or [{}])[0].get("id")
    if not article:
        article = _get(c, "/api/search?limit=1")["items"][0]["id"]
    found = _get(c, f"/api/search?q={quote(query)}&limit=20")
    ents = (found.get("facets") or {}).get("entity") or []
    entity = ents[0]["value"] if ents else None
    if entity is None:
        ents = _get(c, "/api/search?limit=1").get("facets", {}).get("entity") or detail.get("entities") or []
        entity = (ents[0].get("value") or ents[0].get("id")) if ents else None
    q, ln = quote(query), quote(line["id"], safe="")
    routes = {
        "home": "/",
        "storyline": f"/storylines/{ln}",
        "story": f"/stories/{quote(story['id'], safe='')}" if story else None,
        "entity": f"/entities/{quote(entity, safe='')}" if entity else None,
        "article": f"/articles/{quote(article, safe='')}",
        "search": f"/search?q={q}",
        "compare": f"/compare?storyline={ln}",
        "api_storylines": "/api/storylines",
        "api_storyline": f"/api/storylines/{ln}",
        "api_story": f"/api/stories/{quote(story['id'], safe='')}" if story else None,
        "api_events": f"/api/events?storyline={ln}",
        "api_entity": f"/api/entities/{quote(entity, safe='')}" if entity else None,
        "api_article": f"/api/articles/{quote(article, safe='')}",
        "api_search": f"/api/search?q={q}",
        "api_compare": f"/api/compare?storyline={ln}",
    }
    picked = {"storyline": line["id"], "storyline_articles": line.get("articles"),
              "storyline_stories": line.get("stories"), "story": story and story["id"],
              "story_articles": story and story.get("articles"), "article": article, "entity": entity,
              "entity_name": ents[0].get("name") if ents else None, "query": query,
              "query_hits": found.get("total")}
    return {k: v for k, v in routes.items() if v}, picked


def _try(c: httpx.Client, path: str) -> httpx.Response | None:
    """GET ``path`` (body read); None on a transport error (counted as an error by the caller)."""
    try:
        return c.get(path)
    except httpx.TransportError:
        return None


def measure(c: httpx.Client, routes: dict[str, str], requests: int, warmup: int) -> tuple[dict, list[str]]:
    """Sequential round-robin requests; latencies (ms) and status per route."""
    problems: list[str] = []
    live: dict[str, str] = {}
    for name, path in routes.items():
        r = _try(c, path)
        if r is None:
            problems.append(f"{name}: {path} → no answer at warm-up (connection error), left out")
            continue
        if r.status_code == 404 and name.startswith(("api_compare", "api_events", "compare")):
            problems.append(f"{name}: {path} → 404 (route missing?), left out")
            continue
        live[name] = path
        for _ in range(warmup - 1):
            _try(c, path)
    lat: dict[str, list[float]] = {k: [] for k in live}
    errors: dict[str, int] = {k: 0 for k in live}
    size: dict[str, int] = {}
    for _ in range(requests):
        for name, path in live.items():
            t = time.perf_counter()
            r = _try(c, path)
            lat[name].append((time.perf_counter() - t) * 1000)
            if r is not None:
                size[name] = len(r.content)
            if r is None or r.status_code != 200:
                errors[name] += 1
                if errors[name] == 1:
                    why = "connection error" if r is None else f"{r.status_code} {r.text[:200]!r}"
                    problems.append(f"{name}: {path} → {why}")
    out = {name: {"path": live[name], "n": len(v), "errors": errors[name], "bytes": size.get(name),
                  "p50_ms": round(pct(v, 50), 1), "p95_ms": round(pct(v, 95), 1), "max_ms": round(max(v), 1)}
           for name, v in lat.items()}
    out["_all"] = [x for v in lat.values() for x in v]  # type: ignore[assignment]
    return out, problems


def cold_routes(c: httpx.Client, n: int, seen: set[str]) -> dict[str, list[str]]:
    """Up to ``n`` never-requested paths per kind, with ids found through ``/api/storylines/{id}`` (which
    warms only that route — it is therefore not in the cold pass)."""
    out: dict[str, list[str]] = {k: [] for k in ("storyline", "story", "api_story", "article", "api_article",
                                                  "entity", "api_entity", "compare", "search", "api_search")}
    lines = _get(c, f"/api/storylines?limit={min(500, max(n, 1) * 2)}")["items"]
    words: list[str] = []
    for line in lines:
        if all(len(v) >= n for v in out.values()):
            break
        lid = quote(line["id"], safe="")
        detail = _get(c, f"/api/storylines/{lid}")
        if len(out["storyline"]) < n and f"/storylines/{lid}" not in seen:
            out["storyline"].append(f"/storylines/{lid}")
            out["compare"].append(f"/compare?storyline={lid}")
        for st in (detail.get("stories") or [])[:1]:
            sid = quote(st["id"], safe="")
            if len(out["story"]) < n and f"/stories/{sid}" not in seen:
                out["story"].append(f"/stories/{sid}")
                out["api_story"].append(f"/api/stories/{sid}")
            words += [w for w in str(st.get("headline") or "").split() if w.isalpha() and len(w) > 6][:1]
        for e in (detail.get("entities") or [])[:1]:
            eid = quote(str(e.get("id")), safe="")
            if len(out["entity"]) < n and f"/entities/{eid}" not in seen and f"/entities/{eid}" not in out["entity"]:
                out["entity"].append(f"/entities/{eid}")
                out["api_entity"].append(f"/api/entities/{eid}")
    for hit in _get(c, f"/api/search?limit={min(500, max(n, 1))}&offset=20")["items"][:n]:
        aid = quote(hit["id"], safe="")
        if f"/articles/{aid}" not in seen:
            out["article"].append(f"/articles/{aid}")
            out["api_article"].append(f"/api/articles/{aid}")
    for w in dict.fromkeys(words):
        if len(out["search"]) < n:
            out["search"].append(f"/search?q={quote(w)}")
            out["api_search"].append(f"/api/search?q={quote(w)}")
    return {k: v for k, v in out.items() if v}


def measure_cold(c: httpx.Client, kinds: dict[str, list[str]]) -> dict[str, Any]:
    """Each path once (the first request for that id): latency per kind."""
    lat: dict[str, list[float]] = {}
    errors = 0
    for kind, paths in kinds.items():
        for path in paths:
            t = time.perf_counter()
            r = _try(c, path)
            lat.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
            errors += r is None or r.status_code != 200
    every = [x for v in lat.values() for x in v]
    return {"routes": {k: {"n": len(v), "p50_ms": round(pct(v, 50), 1), "p95_ms": round(pct(v, 95), 1),
                           "max_ms": round(max(v), 1)} for k, v in lat.items()},
            "requests": len(every), "errors": errors, "p50_ms": round(pct(every, 50), 1),
            "p95_ms": round(pct(every, 95), 1), "target_met": pct(every, 95) <= TARGET_P95_MS}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"store (default {DEFAULT_DB})")
    ap.add_argument("--n", type=int, default=10000, help="articles expected in the store (default 10000)")
    ap.add_argument("--requests", type=int, default=200, help="requests per route (default 200)")
    ap.add_argument("--warmup", type=int, default=3, help="warm-up requests per route (default 3)")
    ap.add_argument("--query", default=DEFAULT_QUERY, help=f"search word (default {DEFAULT_QUERY!r})")
    ap.add_argument("--url", help="measure this running server (http://127.0.0.1:PORT) instead of starting one")
    ap.add_argument("--cold", type=int, default=50, help="distinct never-seen ids per route in the cold pass (default 50)")
    args = ap.parse_args(argv)

    articles = None
    if not args.url:
        if not args.db.is_file():
            print(f"bench/web.py: no store at {args.db} — make one with "
                  f"`python bench/make_db.py --n {args.n} --db {args.db}`", file=sys.stderr)
            return 2
        con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
        articles = int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        con.close()
        if articles != args.n:
            print(f"bench/web.py: note: {args.db} holds {articles} articles, not {args.n}", file=sys.stderr)

    def run(url: str, startup: float | None) -> int:
        with httpx.Client(base_url=url, timeout=60.0) as c:
            routes, picked = discover(c, args.query)
            res, problems = measure(c, routes, args.requests, args.warmup)
            cold = measure_cold(c, cold_routes(c, args.cold, set(routes.values()))) if args.cold > 0 else None
        every = res.pop("_all")
        p95 = pct(every, 95)
        print(f"{articles if articles is not None else '?'} articles, {args.requests} requests per route "
              f"(sequential, one client), server startup {startup if startup is not None else float('nan'):.1f} s")
        print(f"storyline {picked['storyline']} ({picked['storyline_articles']} articles), story {picked['story']} "
              f"({picked['story_articles']} articles), entity {picked['entity']} ({picked['entity_name']}), "
              f"search {picked['query']!r} ({picked['query_hits']} hits)")
        print(f"{'route':<16} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'bytes':>9} errors")
        for name, r in res.items():
            print(f"{name:<16} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['max_ms']:>8.1f} {r['bytes'] or 0:>9} "
                  f"{r['errors']}")
        ok = p95 <= TARGET_P95_MS
        errs = sum(r["errors"] for r in res.values())
        print(f"overall: p50 {pct(every, 50):.1f} ms, p95 {p95:.1f} ms (target ≤ {TARGET_P95_MS:.0f} ms: "
              f"{'met' if ok else 'NOT met'}), {len(every)} requests, {errs} errors")
        slow = sorted(res, key=lambda k: -res[k]["p95_ms"])[:3]
        print("slowest p95: " + ", ".join(f"{k} {res[k]['p95_ms']:.1f} ms" for k in slow))
        if cold:
            print(f"cold (first request for each of up to {args.cold} distinct ids per route):")
            for name, r in cold["routes"].items():
                print(f"  {name:<14} n={r['n']:<4} p50 {r['p50_ms']:>6.1f} ms  p95 {r['p95_ms']:>6.1f} ms  "
                      f"max {r['max_ms']:>6.1f} ms")
            print(f"cold overall: p50 {cold['p50_ms']:.1f} ms, p95 {cold['p95_ms']:.1f} ms (target ≤ "
                  f"{TARGET_P95_MS:.0f} ms: {'met' if cold['target_met'] else 'NOT met'}), {cold['requests']} "
                  f"requests, {cold['errors']} errors")
        for p in problems:
            print("problem: " + p)
        print(json.dumps({"bench": "web", "db": str(args.db) if not args.url else None, "articles": articles,
                          "requests_per_route": args.requests, "startup_s": startup and round(startup, 2),
                          "picked": picked, "routes": res, "requests": len(every), "errors": errs,
                          "p50_ms": round(pct(every, 50), 1), "p95_ms": round(p95, 1),
                          "max_ms": round(max(every), 1) if every else None,
                          "target_p95_ms": TARGET_P95_MS, "target_met": ok, "cold": cold,
                          "problems": problems}))
        return 0 if ok and not errs and (cold is None or (cold["target_met"] and not cold["errors"])) else 1

    if args.url:
        return run(args.url, None)
    with Server(args.db) as srv:
        return run(srv.url, srv.startup_s)


if __name__ == "__main__":
    sys.exit(main())
