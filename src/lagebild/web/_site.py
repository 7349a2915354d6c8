"""The web app's one data layer: :class:`Site` — pages and the API both call only this.

Everything returned is plain JSON-able dicts and lists.  The picture (stories,
events, timeline, variants) comes from the store's picture cache and is kept
in memory with lookup tables (:class:`_Index`); it is re-read when the store's
fingerprint moves on (another build, an upload).  Per-article and per-entity
data come from indexed SQL on a per-thread read-only connection; search from
the FTS5 index.  Lists are paginated as a *page*: ``{items, total, limit, offset}``.
"""

from __future__ import annotations

import threading
import time
import copy
from collections import Counter, OrderedDict, defaultdict
from pathlib import Path
from typing import Any, Callable, Mapping

from ..errors import InputError, NotFoundError, ReadOnlyError, TooLargeError

__all__ = ["Site", "MEMO", "UNKNOWN_OUTLET"]

#: Entity pages, searches and comparisons remembered per picture (dropped when the store changes).
MEMO = 512
#: The comparison's column for articles whose outlet is not known (always the last column).
UNKNOWN_OUTLET = "(unknown outlet)"
#: Seconds a changed store may go without a saved picture before the app computes one itself.
STALE_GRACE = 300.0


def _date(published: Any) -> str | None:
    if isinstance(published, Mapping):
        published = published.get("value") or published.get("earliest")
    return str(published) if published else None


class _Index:
    """Lookup tables over one picture (built once per fingerprint)."""

    def __init__(self, picture: dict[str, Any]) -> None:
        self.picture = picture
        self.articles = {a["id"]: a for a in picture.get("articles") or []}
        self.entities = {e["id"]: e for e in picture.get("entities") or []}
        self.stories = {s["id"]: s for s in picture.get("stories") or []}
        self.storylines = {s["id"]: s for s in picture.get("storylines") or []}
        self.events = {e["id"]: e for e in picture.get("events") or []}
        self.event_order = {e["id"]: i for i, e in enumerate(picture.get("events") or [])}
        self.story_of_article: dict[str, str] = {}
        for s in self.stories.values():
            for aid in s.get("articles") or []:
                self.story_of_article[aid] = s["id"]
        for a in self.articles.values():
            if a["id"] not in self.story_of_article and a.get("duplicate_of") in self.story_of_article:
                self.story_of_article[a["id"]] = self.story_of_article[a["duplicate_of"]]
        self.line_of_story = {s["id"]: s.get("storyline") for s in self.stories.values() if s.get("storyline")}
        for line in self.storylines.values():
            for sid in line.get("stories") or []:
                self.line_of_story.setdefault(sid, line["id"])
        self.articles_of_story: dict[str, list[str]] = defaultdict(list)
        for aid, sid in self.story_of_article.items():
            self.articles_of_story[sid].append(aid)
        self.events_of_story: dict[str, list[str]] = defaultdict(list)
        self.events_of_entity: dict[str, list[str]] = defaultdict(list)
        for ev in picture.get("events") or []:
            for sid in dict.fromkeys(self.story_of_article.get(m["article"]) for m in ev.get("mentions") or []):
                if sid:
                    self.events_of_story[sid].append(ev["id"])
            for eid in dict.fromkeys(list(ev.get("actors") or []) + list(ev.get("targets") or [])):
                self.events_of_entity[eid].append(ev["id"])
        self.variants = list(picture.get("variants") or [])
        self.variants_of_article: dict[str, list[int]] = defaultdict(list)
        for i, v in enumerate(self.variants):
            for aid in dict.fromkeys(x.get("article") for x in v.get("values") or []):
                if isinstance(aid, str):
                    self.variants_of_article[aid].append(i)
        self.timeline_of_line = {t.get("storyline"): t.get("entries") or [] for t in picture.get("timeline") or []}
        self.overview: dict[str, Any] | None = None
        self._memo: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._memo_lock = threading.Lock()
        self.line_items = sorted(
            (self._line_item(line) for line in self.storylines.values()),
            key=lambda it: (-it["articles"], -it["stories"], it["id"]),
        )
        self.line_item = {it["id"]: it for it in self.line_items}

    def memo(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered for this picture (i.e. until the store changes); at most MEMO entries."""
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return copy.deepcopy(self._memo[key])
        value = compute()
        with self._memo_lock:
            self._memo[key] = value
            while len(self._memo) > MEMO:
                self._memo.popitem(last=False)
        return copy.deepcopy(value)

    def peek(self, key: tuple[Any, ...]) -> Any:
        """The remembered value for ``key`` as it is (no copy: only for immutable values), or None."""
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        return None

    def entity_ref(self, eid: str) -> dict[str, Any]:
        e = self.entities.get(eid) or {}
        return {"id": eid, "name": e.get("name") or eid, "type": e.get("type")}

    def article_rows(self, ids: list[str]) -> list[dict[str, Any]]:
        rows = [self.articles[i] for i in ids if i in self.articles]
        return sorted(rows, key=lambda r: (_date(r.get("published")) or "9999", r["id"]))

    def _outlets(self, article_ids: list[str]) -> list[str]:
        return sorted({o for o in (self.articles.get(a, {}).get("outlet") for a in article_ids) if o})

    def _span(self, stories: list[dict[str, Any]]) -> tuple[str | None, str | None]:
        firsts = [str(s["first"]) for s in stories if s.get("first")]
        lasts = [str(s["last"]) for s in stories if s.get("last")]
        return (min(firsts) if firsts else None, max(lasts) if lasts else None)

    def _fallback_span(self, article_ids: list[str], event_ids: list[str]) -> tuple[str | None, str | None]:
        """A span when the stories give none: the articles' publication days, else the calendar days of the
        events told in them — current ones only: background history ("since the 1950s") is not the span of
        the story, so with no dated current event the span stays unknown (None)."""
        # the publication value, not its bounds: "not before 1953" is no date
        days = [str(d)[:10] for d in ((self.articles.get(a, {}).get("published") or {}).get("value")
                                      for a in article_ids) if d and str(d)[:4].isdigit()]
        for eid in event_ids if not days else ():
            ev = self.events.get(eid) or {}
            date = ev.get("date")
            if not ev.get("background") and isinstance(date, Mapping):
                days += [str(d)[:10] for d in (date.get("earliest"), date.get("latest"))
                         if d and str(d)[:4].isdigit()]
        return (min(days), max(days)) if days else (None, None)

    def _line_item(self, line: Mapping[str, Any]) -> dict[str, Any]:
        stories = [self.stories[s] for s in line.get("stories") or [] if s in self.stories]
        arts = [a for s in stories for a in self.articles_of_story.get(s["id"], [])]
        first, last = self._span(stories)
        if first is None and last is None:
            first, last = self._fallback_span(arts, [e["event"] for e in self.timeline_of_line.get(line["id"], [])])
        return {
            "id": line["id"], "label": line.get("label"), "stories": len(stories), "articles": len(arts),
            "events": len(self.timeline_of_line.get(line["id"], [])), "outlets": self._outlets(arts),
            "first": first, "last": last,
            "entities": [self.entity_ref(e) for e in (line.get("entities") or [])[:5]],
        }

    def story_item(self, story: Mapping[str, Any]) -> dict[str, Any]:
        arts = self.articles_of_story.get(story["id"], [])
        first, last = story.get("first"), story.get("last")
        if not first and not last:
            first, last = self._fallback_span(arts, self.events_of_story.get(story["id"], []))
        return {
            "id": story["id"], "storyline": self.line_of_story.get(story["id"]), "headline": story.get("headline"),
            "summary": story.get("summary"), "language": story.get("language"), "first": first,
            "last": last, "outlets": self._outlets(arts), "articles": len(arts),
            "events": len(self.events_of_story.get(story["id"], [])),
        }

    def events_in(self, ids: list[str]) -> list[dict[str, Any]]:
        return [self.events[i] for i in sorted(set(ids), key=lambda i: self.event_order.get(i, 0)) if i in self.events]


class Site:
    """Read (and with ``add``, write) access to one lagebild store for the web app.

    ``config`` is a whole configuration (``load_config()``); the ``[web]`` table
    sets page sizes and the upload limit.  With ``read_only`` the store is never
    written: :meth:`add` raises :class:`~lagebild.errors.ReadOnlyError` and a
    missing or stale picture is computed in memory only.
    """

    def __init__(self, db: str | Path, *, read_only: bool = False, config: Mapping[str, Any] | None = None) -> None:
        from ..config import load_config
        from ..store import open_store

        self.db = Path(db)
        self.read_only = bool(read_only)
        self.config: Mapping[str, Any] = config if config is not None else load_config()
        web = dict(self.config.get("web") or {})
        self.page_size = int(web.get("page_size", 50))
        self.max_page_size = int(web.get("max_page_size", 500))
        self.max_upload_bytes = int(web.get("max_upload_bytes", 5_000_000))
        if not self.db.is_file():
            raise NotFoundError(
                f"no database at {str(self.db)!r} — build one first with `lagebild build INPUT... --db {self.db}`"
            )
        if not self.read_only:  # bring the schema up to date once (read-only connections cannot)
            open_store(self.db, busy_timeout=self._busy).close()
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._picture_lock = threading.Lock()
        self._state: tuple[str, _Index] | None = None  # (fingerprint, index), swapped whole
        self._stale_since: tuple[str, float] | None = None
        #: how often the picture was computed / loaded from the store's cache (for tests and the bench)
        self.computed = 0
        self.loaded = 0
        self._kb: Any = None
        self._kb_lock = threading.Lock()

    # -- plumbing ------------------------------------------------------------
    @property
    def _busy(self) -> float:
        return float((self.config.get("store") or {}).get("busy_timeout", 30))

    def _store(self) -> Any:
        """This thread's read-only store (opened on first use)."""
        store = getattr(self._local, "store", None)
        if store is None:
            from ..store import open_store

            store = open_store(self.db, read_only=True, busy_timeout=self._busy)
            self._local.store = store
        return store

    def _rows(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        return self._store()._rows(sql, params)

    def page_args(self, limit: int | None, offset: int | None, default: int | None = None) -> tuple[int, int]:
        """Checked ``(limit, offset)``: limit 1..web.max_page_size, offset ≥ 0; else InputError (HTTP 400)."""
        lim = (default or self.page_size) if limit is None else limit
        off = 0 if offset is None else offset
        if isinstance(lim, bool) or not isinstance(lim, int) or not 1 <= lim <= self.max_page_size:
            raise InputError("limit", f"must be a whole number from 1 to {self.max_page_size}, not {lim!r}",
                             "ask for fewer items and page with offset")
        if isinstance(off, bool) or not isinstance(off, int) or off < 0:
            raise InputError("offset", f"must be a whole number of at least 0, not {off!r}",
                             "start at 0 and add the limit for each next page")
        return lim, off

    def _page(self, items: list[Any], limit: int | None, offset: int | None, default: int | None = None) -> dict:
        lim, off = self.page_args(limit, offset, default)
        return {"items": items[off : off + lim], "total": len(items), "limit": lim, "offset": off}

    # -- the picture -----------------------------------------------------------
    def _current(self) -> _Index:
        """The picture's index for the store as it is now (see docs/web.md, "The picture cache").

        Fresh in memory → as is; the saved picture is fresh → load it; stale, but a picture is in memory and
        the store changed less than STALE_GRACE seconds ago (a build or upload is under way; it saves the new
        picture when done) → keep serving the one in memory, so readers never wait for a writer; otherwise compute.
        """
        store = self._store()
        fp = store.fingerprint()
        state = self._state
        if state is not None and state[0] == fp:
            return state[1]
        with self._picture_lock:
            state = self._state
            if state is not None and state[0] == fp:
                return state[1]
            saved = store._rows("SELECT fingerprint FROM picture_cache WHERE id = 1")
            if saved and saved[0][0] == fp:
                cached = store.load_picture()
                if cached is not None and cached[0] == fp:
                    self.loaded += 1
                    return self._keep(fp, cached[1])
            now = time.monotonic()
            if self._stale_since is None or self._stale_since[0] != fp:
                self._stale_since = (fp, now)
            if state is not None and (self._write_lock.locked() or now - self._stale_since[1] < STALE_GRACE):
                return state[1]
            picture, fp = self._compute()
            return self._keep(fp, picture)

    def _keep(self, fp: str, picture: dict[str, Any]) -> _Index:
        index = _Index(picture)
        self._state = (fp, index)
        self._stale_since = None
        return index

    def _compute(self) -> tuple[dict[str, Any], str]:
        """Compute the picture (none saved, or stale for long); saved to the store unless read-only or busy."""
        from ..errors import StoreError
        from ..picture import build_picture
        from ..store import open_store

        self.computed += 1
        if not self.read_only and self._write_lock.acquire(blocking=False):
            try:
                from ..api import _save_picture, _update_stories

                with open_store(self.db, busy_timeout=min(self._busy, 2.0)) as store:
                    _update_stories(store, self.config)
                    picture = _save_picture(store, self.config)
                    return picture, store.fingerprint()
            except StoreError:
                pass  # another process is writing: compute from what is stored, in memory only
            finally:
                self._write_lock.release()
        store = self._store()
        fp = store.fingerprint()
        return build_picture(store, self.config), fp

    def picture(self) -> dict[str, Any]:
        """The picture.json object (schema/picture.schema.json), from the cache; recomputed only when stale."""
        return self._current().picture

    def fingerprint(self) -> str:
        """The store fingerprint of the picture in memory."""
        self._current()
        return self._state[0] if self._state else ""

    def cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered with the current picture (the pages keep rendered HTML here); LRU of MEMO."""
        return self._current().memo(("cached", *key), compute)

    def peek(self, key: tuple[Any, ...]) -> Any:
        """What :meth:`cached` remembered for ``key`` (immutable values: bytes, str), or None — without ever
        loading or computing anything (one fingerprint query), so the event loop may call it."""
        state = self._state
        if state is None or self._store().fingerprint() != state[0]:
            return None
        return state[1].peek(("cached", *key))

    # -- overview, storylines, stories, events --------------------------------
    def overview(self) -> dict[str, Any]:
        ix = self._current()
        if ix.overview is None:
            ix.overview = self._overview(ix)
        return dict(ix.overview)

    @staticmethod
    def _overview(ix: _Index) -> dict[str, Any]:
        rows = list(ix.articles.values())
        dates = sorted(d[:10] for d in (_date(r.get("published")) for r in rows) if d)
        return {
            "articles": len(rows),
            "outlets": len({r.get("outlet") for r in rows if r.get("outlet")}),
            "languages": dict(sorted(Counter(r.get("language") or "(unknown)" for r in rows).items())),
            "storylines": len(ix.storylines), "stories": len(ix.stories), "events": len(ix.events),
            "first": dates[0] if dates else None, "last": dates[-1] if dates else None,
        }

    def storylines(self, *, limit: int | None = None, offset: int | None = None) -> dict[str, Any]:
        """Storylines, most articles first."""
        return self._page(self._current().line_items, limit, offset)

    def storyline(self, id: str) -> dict[str, Any]:
        ix = self._current()
        item = ix.line_item.get(id)
        if item is None:
            raise NotFoundError(f"no storyline with id {id!r} — list storylines at /api/storylines")
        line = ix.storylines[id]
        stories = [ix.story_item(ix.stories[s]) for s in line.get("stories") or [] if s in ix.stories]
        stories.sort(key=lambda s: (s["first"] or "9999", s["id"]))
        entries = ix.timeline_of_line.get(id, [])
        return {**item, "stories": stories, "timeline": entries, "events": ix.events_in([e["event"] for e in entries])}

    def story(self, id: str) -> dict[str, Any]:
        ix = self._current()
        story = ix.stories.get(id)
        if story is None:
            raise NotFoundError(f"no story with id {id!r} — "
                                "find stories on /api/storylines/{id} or /api/articles/{id}")
        arts = ix.articles_of_story.get(id, [])
        found = {i for a in arts for i in ix.variants_of_article.get(a, ())}
        variants = [ix.variants[i] for i in sorted(found)]
        item = ix.story_item(story)
        return {
            **{k: item[k] for k in ("id", "storyline", "headline", "summary", "language", "first", "last", "outlets")},
            "articles": ix.article_rows(arts),
            "events": ix.events_in(ix.events_of_story.get(id, [])),
            "variants": variants,
            "entities": [ix.entity_ref(e) for e in story.get("entities") or []],
        }

    def events(self, *, storyline: str | None = None, story: str | None = None, entity: str | None = None,
               limit: int | None = None, offset: int | None = None) -> dict[str, Any]:
        """Events (as in picture.json), in date order; filters combine."""
        ix = self._current()
        ids: set[str] | None = None
        if storyline is not None:
            if storyline not in ix.storylines:
                raise NotFoundError(f"no storyline with id {storyline!r} — list storylines at /api/storylines")
            ids = {e["event"] for e in ix.timeline_of_line.get(storyline, [])}
        if story is not None:
            if story not in ix.stories:
                raise NotFoundError(f"no story with id {story!r} — "
                                    "list a storyline's stories at /api/storylines/{id}")
            found = set(ix.events_of_story.get(story, []))
            ids = found if ids is None else ids & found
        if entity is not None:
            found = set(ix.events_of_entity.get(entity, []))
            ids = found if ids is None else ids & found
        items = list(ix.events.values()) if ids is None else ix.events_in(list(ids))
        return self._page(items, limit, offset)

    def compare(self, *, storyline: str | None = None, limit: int = 100) -> dict[str, Any]:
        """Events × outlets: which outlet reported which event, how firmly, in which articles."""
        ix = self._current()
        lim, _ = self.page_args(limit, 0)
        return ix.memo(("compare", storyline, lim), lambda: self._compare(ix, storyline, lim))

    def _compare(self, ix: _Index, storyline: str | None, lim: int) -> dict[str, Any]:
        if storyline is not None:
            if storyline not in ix.storylines:
                raise NotFoundError(f"no storyline with id {storyline!r} — list storylines at /api/storylines")
            events = ix.events_in([e["event"] for e in ix.timeline_of_line.get(storyline, [])])
            arts = [a for s in ix.storylines[storyline].get("stories") or [] for a in ix.articles_of_story.get(s, [])]
            outlets = {ix.articles.get(a, {}).get("outlet") or UNKNOWN_OUTLET for a in arts}
        else:
            events = list(ix.events.values())
            outlets = set()
        events = events[:lim]
        for ev in events:
            outlets |= {m.get("outlet") or UNKNOWN_OUTLET for m in ev.get("mentions") or []}
        names = sorted(outlets - {UNKNOWN_OUTLET}) + ([UNKNOWN_OUTLET] if UNKNOWN_OUTLET in outlets else [])
        rows = []
        for ev in events:
            cells: dict[str, dict[str, Any]] = {o: {"reported": False, "status": None, "articles": []} for o in names}
            for m in ev.get("mentions") or []:
                cell = cells[m.get("outlet") or UNKNOWN_OUTLET]
                cell["reported"] = True
                cell["status"] = cell["status"] or m.get("status")
                if m["article"] not in cell["articles"]:
                    cell["articles"].append(m["article"])
            label = self._event_label(ix, ev)
            rows.append({"event": {"id": ev["id"], "event": ev.get("event"), "date": ev.get("date"), "label": label},
                         "cells": cells})
        return {"storyline": storyline, "outlets": names, "rows": rows}

    @staticmethod
    def _event_label(ix: _Index, ev: Mapping[str, Any]) -> str:
        actors = ", ".join(ix.entity_ref(a)["name"] for a in (ev.get("actors") or [])[:2])
        targets = ", ".join(ix.entity_ref(a)["name"] for a in (ev.get("targets") or [])[:2])
        return " → ".join(p for p in (actors, str(ev.get("event") or "").lower(), targets) if p)

    # -- entities, articles, search (helpers in _site_detail / _site_search) ---
    def _kb_entity(self, eid: str) -> Any:
        if self._kb is None:
            with self._kb_lock:
                if self._kb is None:
                    from ..kb import load_kb

                    files = ((self.config.get("stages") or {}).get("entities") or {}).get("kb_files") or []
                    self._kb = load_kb(files)
        return self._kb.get(eid)

    def warm(self) -> None:
        """Load the picture and the knowledge base now (``serve`` does this in the background at start)."""
        self._current()
        self._kb_entity("")

    def entity(self, id: str) -> dict[str, Any]:
        from ._site_detail import entity_page

        ix = self._current()
        return ix.memo(("entity", id), lambda: entity_page(self, ix, id))

    def article(self, id: str) -> dict[str, Any]:
        from ._site_detail import article_page

        return article_page(self, self._current(), id)

    def search(self, q: str = "", *, outlet: str | None = None, language: str | None = None,
               entity: str | None = None, date_from: str | None = None, date_to: str | None = None,
               limit: int | None = None, offset: int | None = None) -> dict[str, Any]:
        from ._site_search import search_page

        lim, off = self.page_args(limit, offset, default=20)
        ix = self._current()
        args = dict(outlet=outlet or None, language=language or None, entity=entity or None,
                    date_from=date_from or None, date_to=date_to or None, limit=lim, offset=off)
        return ix.memo(("search", q or "", *sorted(args.items())), lambda: search_page(self, ix, q or "", **args))

    # -- writing ----------------------------------------------------------------
    def check_writable(self) -> None:
        """Raise ReadOnlyError (HTTP 403) when this site is read-only."""
        if self.read_only:
            raise ReadOnlyError(f"{self.db}: this app is read-only — restart `lagebild serve` without --read-only "
                                "to add articles")

    def add(self, files: list[tuple[str, bytes]]) -> dict[str, Any]:
        """Run the whole pipeline on ``(name, bytes)`` texts, store them, update stories and the picture cache.

        ``{"added", "updated", "unchanged": [article ids], "errors": ["<name>: <problem>"]}``.
        """
        from ..api import add_texts

        self.check_writable()
        size = sum(len(data) for _, data in files)
        if size > self.max_upload_bytes:
            raise TooLargeError("(upload)", f"{size} bytes is more than the limit of {self.max_upload_bytes}",
                                "send fewer or smaller files, or raise web.max_upload_bytes")
        if not files:
            raise InputError("(upload)", "no files or text given", "upload a file or paste a text")
        with self._write_lock:
            report = add_texts(self.db, files, config=self.config)
        out: dict[str, Any] = {"added": [], "updated": [], "unchanged": [], "errors": list(report.errors)}
        key = {"inserted": "added", "updated": "updated", "unchanged": "unchanged"}
        for aid, status in sorted(report.articles.items()):
            out[key.get(status, "updated")].append(aid)
        return out
