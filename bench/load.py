"""Load on the web app (issue 9 §5): target 200 requests/s with p99 < 200 ms and zero errors, 10k articles.

    python bench/load.py [--db PATH] [--seconds 30] [--concurrency 16] [--max-requests 100000] [--url URL]

Starts ``lagebild serve DB --read-only`` on a free 127.0.0.1 port (as
``bench/web.py`` does, same route discovery: the pages home, storyline, story,
entity, article, search, compare and their ``/api/...`` twins), then runs
``--concurrency`` asyncio workers sharing one ``httpx.AsyncClient`` (keep-alive,
as many connections as workers), each requesting the routes round-robin (each
worker starting at a different route) as fast as answers come, for
``--seconds`` seconds or ``--max-requests`` requests, whichever is first.  Only
127.0.0.1 is allowed (``--url`` must point there).  A warm-up round touches every
route first (not counted).

Errors: any answer other than 200 and any transport error or timeout
(``--timeout``, default 10 s).  Reports requests/s, p50/p99/max latency and
errors, overall and per route, against the target; prints a summary, then ONE
JSON object on the last line.

Note: the load generator is Python and runs on the same machine as the server;
on a small machine it takes CPU from the server (its own CPU time is reported).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sqlite3
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web import DEFAULT_DB, DEFAULT_QUERY, Server, discover, pct  # noqa: E402  (bench/web.py)

TARGET_RPS = 200.0
TARGET_P99_MS = 200.0


async def _load(url: str, routes: dict[str, str], seconds: float, concurrency: int, max_requests: int,
                timeout: float) -> tuple[dict[str, list[float]], dict[str, int], list[str], float]:
    names = list(routes)
    lat: dict[str, list[float]] = {n: [] for n in names}
    errors: dict[str, int] = {n: 0 for n in names}
    first_errors: list[str] = []
    count = [0]
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as c:
        for path in routes.values():  # warm-up, not counted
            await c.get(path)
        t0 = time.perf_counter()
        deadline = t0 + seconds

        async def worker(k: int) -> None:
            i = k
            while time.perf_counter() < deadline and count[0] < max_requests:
                count[0] += 1
                name = names[i % len(names)]
                i += 1
                t = time.perf_counter()
                try:
                    r = await c.get(routes[name])
                    ok, why = r.status_code == 200, f"{r.status_code}"
                except httpx.HTTPError as exc:
                    ok, why = False, f"{type(exc).__name__}: {exc}"
                lat[name].append((time.perf_counter() - t) * 1000)
                if not ok:
                    errors[name] += 1
                    if len(first_errors) < 10:
                        first_errors.append(f"{name} {routes[name]}: {why}")

        await asyncio.gather(*(worker(k) for k in range(concurrency)))
        elapsed = time.perf_counter() - t0
    return lat, errors, first_errors, elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"store (default {DEFAULT_DB})")
    ap.add_argument("--seconds", type=float, default=30.0, help="duration (default 30, at most 600)")
    ap.add_argument("--concurrency", type=int, default=16, help="concurrent requests (default 16, at most 256)")
    ap.add_argument("--max-requests", type=int, default=100_000, help="stop after this many (default 100000)")
    ap.add_argument("--timeout", type=float, default=10.0, help="per-request timeout, s (default 10)")
    ap.add_argument("--query", default=DEFAULT_QUERY, help=f"search word (default {DEFAULT_QUERY!r})")
    ap.add_argument("--url", help="load this running server on 127.0.0.1 instead of starting one")
    args = ap.parse_args(argv)
    if not (0 < args.seconds <= 600 and 0 < args.concurrency <= 256 and 0 < args.max_requests <= 1_000_000):
        print("bench/load.py: bounds: 0 < --seconds ≤ 600, 0 < --concurrency ≤ 256, --max-requests ≤ 1,000,000",
              file=sys.stderr)
        return 2
    if args.url and urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        print("bench/load.py: --url must point at 127.0.0.1 (this script loads local servers only)", file=sys.stderr)
        return 2
    articles = None
    if not args.url:
        if not args.db.is_file():
            print(f"bench/load.py: no store at {args.db} — make one with "
                  f"`python bench/make_db.py --n 10000 --db {args.db}`", file=sys.stderr)
            return 2
        con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
        articles = int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        con.close()

    def run(url: str) -> int:
        with httpx.Client(base_url=url, timeout=60.0) as c:
            routes, picked = discover(c, args.query)
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        lat, errors, first_errors, elapsed = asyncio.run(
            _load(url, routes, args.seconds, args.concurrency, args.max_requests, args.timeout))
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        every = [x for v in lat.values() for x in v]
        n, errs = len(every), sum(errors.values())
        rps = n / elapsed if elapsed else 0.0
        p50, p99 = pct(every, 50), pct(every, 99)
        met = rps >= TARGET_RPS and p99 < TARGET_P99_MS and errs == 0
        per = {name: {"path": routes[name], "n": len(v), "errors": errors[name], "p50_ms": round(pct(v, 50), 1),
                      "p99_ms": round(pct(v, 99), 1), "max_ms": round(max(v), 1) if v else None}
               for name, v in lat.items()}
        print(f"{articles if articles is not None else '?'} articles; {args.concurrency} concurrent, "
              f"{elapsed:.1f} s, {n} requests over {len(routes)} routes")
        print(f"{'route':<16} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} errors")
        for name, r in per.items():
            print(f"{name:<16} {r['n']:>6} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['max_ms'] or 0:>8.1f} "
                  f"{r['errors']}")
        print(f"overall: {rps:.1f} requests/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, {errs} errors; "
              f"load generator CPU {client_cpu:.1f} s ({client_cpu / elapsed * 100 if elapsed else 0:.0f} % of "
              f"one core) — target ≥ {TARGET_RPS:.0f}/s, p99 < {TARGET_P99_MS:.0f} ms, 0 errors: "
              f"{'met' if met else 'NOT met'}")
        for e in first_errors:
            print("error: " + e)
        print(json.dumps({"bench": "load", "db": str(args.db) if not args.url else None, "articles": articles,
                          "concurrency": args.concurrency, "seconds": round(elapsed, 2), "requests": n,
                          "errors": errs, "rps": round(rps, 1), "p50_ms": round(p50, 1), "p99_ms": round(p99, 1),
                          "max_ms": round(max(every), 1) if every else None, "client_cpu_s": round(client_cpu, 1),
                          "target": {"rps": TARGET_RPS, "p99_ms": TARGET_P99_MS, "errors": 0}, "target_met": met,
                          "picked": picked, "routes": per, "first_errors": first_errors}))
        return 0 if met else 1

    if args.url:
        return run(args.url)
    with Server(args.db) as srv:
        return run(srv.url)


if __name__ == "__main__":
    sys.exit(main())
