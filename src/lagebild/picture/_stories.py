"""Stories and storylines over the stored articles, assigned incrementally.

A **story** gathers the articles about one happening, in any language; a
**storyline** joins stories about one ongoing matter.  :func:`update_stories`
assigns every stored article that is in no story yet, oldest first:

* score against each candidate story: cosine of the article's vector with the
  story centroid, plus ``entity_weight`` × Jaccard of its KB entities (PER, ORG,
  GPE) with the story's top entities, minus a time-gap penalty that grows to
  ``time_penalty`` at ``time_scale_days`` between the article and the story's
  span; join the best story at ``story_threshold`` or above, else open a story;
* a duplicate (``duplicate_of``) joins its representative's story;
* a story that grew is re-checked: when its members' mean similarity to the
  centroid falls below ``split_floor``, the members below it leave for a new story;
* a new or grown story links to every story with centroid similarity at least
  ``storyline_threshold`` that shares ``storyline_min_shared`` top entities
  (single link): it joins the oldest linked storyline, and linked storylines
  merge into the oldest one.

Cost: candidates are the stories whose span lies within ``window_days`` of the
article (undated ones always), scored as one matrix-vector product over a numpy
matrix of centroids, so an update is O(A·S·d) for A new articles, S candidate
stories, d = 512 — about 5·10¹¹ multiply-adds at 100,000 articles and 10,000
stories without the window, a few seconds of BLAS; storyline linking scores a
new or grown story against all centroids once.  Headlines and summaries are
recomputed only for stories that changed.

Ids are stable: ``story:`` + the story's first article id, ``line:`` + its
first story id.  Every change is logged in ``story_log`` (new, join, merge, split).
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from ..errors import ConfigError
from ._embed import DIM, article_vectors, describe_story

if TYPE_CHECKING:
    from ..model import Article
    from ..store import Store

__all__ = ["update_stories", "load_stories", "story_settings"]

_DEFAULTS: dict[str, Any] = {
    "story_threshold": 0.85,
    "storyline_threshold": 0.55,
    "storyline_min_shared": 3,
    "storyline_common_share": 0.02,
    "entity_weight": 0.6,
    "entity_types": ["PER", "ORG", "GPE"],
    "top_entities": 10,
    "time_penalty": 0.15,
    "time_scale_days": 30,
    "window_days": 365,
    "split_floor": 0.5,
    "split_min_size": 4,
    "embed_chars": 600,
    "lead_sentences": 3,
    "summary_sentences": 3,
    "summary_pool": 4,
    "summary_max_pool": 12,
    "threads": 2,
}


#: Stories (nearest by cosine) whose entity overlap is computed for one article.
_JACCARD_CANDIDATES = 64
#: Full articles held in memory at a time.
_LOAD = 256


def story_settings(settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The ``[picture.stories]`` settings: from a whole config, the table itself, or defaults."""
    table: Mapping[str, Any] = {}
    if settings:
        if "picture" in settings and isinstance(settings["picture"], Mapping):
            table = settings["picture"].get("stories", {}) or {}
        elif "stages" in settings or "store" in settings:
            table = {}  # a whole config without a [picture.stories] table
        elif "stories" in settings and isinstance(settings["stories"], Mapping):
            table = settings["stories"]
        else:
            table = settings
    unknown = sorted(set(table) - set(_DEFAULTS))
    if unknown:
        raise ConfigError(
            f"picture.stories: unknown setting {unknown[0]!r} — see docs/config.md for the settings lagebild knows"
        )
    return {**_DEFAULTS, **dict(table)}


# -- small helpers -----------------------------------------------------------------


def _day(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(str(value)[:10]).toordinal()
    except ValueError:
        return None


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


def _kb_entities(article: Article, types: Sequence[str]) -> set[str]:
    return {str(e["id"]) for e in article.entities if e.get("kb") and e.get("type") in types and e.get("id")}


def _features(article: Article, types: Sequence[str]) -> dict[str, Any]:
    """What story assignment needs of an article (so the full articles need not stay in memory)."""
    return {"id": article.id, "language": article.language, "published": article.published.value,
            "entities": _kb_entities(article, types),
            "events": {str(ev["event"]) for ev in article.events if ev.get("event") and not ev.get("background")}}


def _top(counts: Mapping[str, int], k: int) -> list[str]:
    return [i for i, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


class _Index:
    """The centroids of all stories as one matrix, with their spans and top entities."""

    def __init__(self, stories: Mapping[str, dict[str, Any]], cfg: Mapping[str, Any]) -> None:
        self.cfg = cfg
        self.ids: list[str] = []
        self.pos: dict[str, int] = {}
        self.mat = np.zeros((max(16, len(stories) * 2), DIM), dtype=np.float32)
        # day ordinals of each story's span; NaN where undated
        self.first = np.full(len(self.mat), np.nan)
        self.last = np.full(len(self.mat), np.nan)
        self.ents: list[set[str]] = []
        self.df: Counter[str] = Counter()  # stories whose top entities hold each entity
        for sid in sorted(stories):
            self.put(stories[sid])

    def put(self, story: Mapping[str, Any]) -> None:
        sid = story["id"]
        if sid not in self.pos:
            if len(self.ids) == len(self.mat):
                self.mat = np.vstack([self.mat, np.zeros_like(self.mat)])
                self.first = np.concatenate([self.first, np.full(len(self.first), np.nan)])
                self.last = np.concatenate([self.last, np.full(len(self.last), np.nan)])
            self.pos[sid] = len(self.ids)
            self.ids.append(sid)
            self.ents.append(set())
        i = self.pos[sid]
        self.mat[i] = _unit(story["centroid"])
        first, last = _day(story.get("first")), _day(story.get("last"))
        self.first[i] = np.nan if first is None else first
        self.last[i] = np.nan if last is None else last
        self.df.subtract(self.ents[i])
        self.ents[i] = set(_top(story["entities"], int(self.cfg["top_entities"])))
        self.df.update(self.ents[i])

    def similarities(self, v: np.ndarray) -> np.ndarray:
        return self.mat[: len(self.ids)] @ v

    def gaps(self, day: int | None) -> np.ndarray:
        """Days between ``day`` and each story's span (0 inside it or when either is undated)."""
        n = len(self.ids)
        if day is None:
            return np.zeros(n, dtype=np.float32)
        gap = np.maximum(0.0, np.maximum(self.first[:n] - day, day - self.last[:n]))
        return np.nan_to_num(gap, nan=0.0).astype(np.float32)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


# -- the update --------------------------------------------------------------------


class _State:
    def __init__(self, store: Store, cfg: Mapping[str, Any]) -> None:
        from ..store._stories import read_story_state

        self.store, self.cfg = store, cfg
        self.stories, self.lines = read_story_state(store)
        self.index = _Index(self.stories, cfg)
        self.log: list[dict[str, Any]] = []
        self.at = _now()
        self.dirty_stories: set[str] = set()
        self.dirty_lines: set[str] = set()
        self.removed_lines: set[str] = set()
        self.grown: list[str] = []  # stories new or grown in this update, in order
        self._created: int | None = None
        self.result: dict[str, Any] = {"assigned": 0, "new_stories": 0, "merges": [], "splits": []}

    def note(self, action: str, story_id: str | None, other_id: str | None = None,
             article_id: str | None = None, **detail: Any) -> None:
        self.log.append({"at": self.at, "action": action, "story_id": story_id, "other_id": other_id,
                         "article_id": article_id, "detail": detail})

    def touch(self, sid: str) -> None:
        self.dirty_stories.add(sid)
        if sid not in self.grown:
            self.grown.append(sid)

    # -- articles into stories --------------------------------------------------
    def add(self, article: Mapping[str, Any], vector: np.ndarray) -> str:
        """Put one article (its :func:`_features`) into the best story or a new one; returns the story id."""
        day, ents = _day(article["published"]), article["entities"]
        cfg = self.cfg
        best, best_score = None, -1.0
        if len(self.index.ids) and float(np.linalg.norm(vector)) > 0:
            sims = self.index.similarities(vector)
            gaps = self.index.gaps(day)
            scores = sims - float(cfg["time_penalty"]) * np.minimum(1.0, gaps / max(1.0, float(cfg["time_scale_days"])))
            scores[gaps > float(cfg["window_days"])] = -np.inf
            w = float(cfg["entity_weight"])
            if w and ents:
                near = np.flatnonzero(sims >= float(cfg["story_threshold"]) - w)
                if len(near) > _JACCARD_CANDIDATES:  # only the nearest can still reach the threshold in practice
                    near = near[np.argpartition(-sims[near], _JACCARD_CANDIDATES)[:_JACCARD_CANDIDATES]]
                for i in near:
                    scores[i] += w * _jaccard(ents, self.index.ents[i])
            i = int(np.argmax(scores))
            best, best_score = self.index.ids[i], float(scores[i])
        if best is not None and best_score >= float(cfg["story_threshold"]):
            story = self.stories[best]
            story["centroid"] = story["centroid"] + vector
            story["size"] += 1
            story["members"][article["id"]] = round(best_score, 4)
            self._grow(story, article)
            self.note("join", best, article_id=article["id"], score=round(best_score, 4))
            sid = best
        else:
            sid = f"story:{article['id']}"
            story = {"id": sid, "storyline": None, "headline": None, "summary": None, "language": article["language"],
                     "first": None, "last": None, "size": 1, "centroid": vector.astype(np.float32).copy(),
                     "entities": {}, "events": {}, "members": {article["id"]: None}}
            self.stories[sid] = story
            self._grow(story, article)
            self.result["new_stories"] += 1
            self.note("new", sid, article_id=article["id"],
                      best=None if best is None else {"story": best, "score": round(best_score, 4)})
        self.result["assigned"] += 1
        return sid

    def _grow(self, story: dict[str, Any], article: Mapping[str, Any]) -> None:
        for e in article["entities"]:
            story["entities"][e] = story["entities"].get(e, 0) + 1
        for t in article["events"]:
            story["events"][t] = story["events"].get(t, 0) + 1
        pub = article["published"]
        if _day(pub) is not None:
            if story["first"] is None or str(pub) < str(story["first"]):
                story["first"] = pub
            if story["last"] is None or str(pub) > str(story["last"]):
                story["last"] = pub
        self.index.put(story)
        self.touch(story["id"])

    def add_duplicate(self, article_id: str, rep_story: str, rep: str) -> None:
        self.stories[rep_story]["members"][article_id] = None
        self.touch(rep_story)
        self.note("join", rep_story, article_id=article_id, duplicate_of=rep)
        self.result["assigned"] += 1

    # -- splits --------------------------------------------------------------------
    def check_split(self, sid: str, vectors: Mapping[str, np.ndarray], dups: Mapping[str, str]) -> str | None:
        cfg = self.cfg
        story = self.stories[sid]
        own = [a for a in story["members"] if a not in dups and a in vectors]
        if len(own) < int(cfg["split_min_size"]):
            return None
        c = _unit(np.sum([vectors[a] for a in own], axis=0))
        sims = {a: float(vectors[a] @ c) for a in own}
        floor = float(cfg["split_floor"])
        if float(np.mean(list(sims.values()))) >= floor:
            return None
        founder = sid.split(":", 1)[1]
        out = sorted(a for a, s in sims.items() if s < floor and a != founder)
        if not out or len(out) == len(own):
            return None
        new_id = f"story:{out[0]}"
        if new_id in self.stories:
            return None
        moved = set(out)
        for d, rep in dups.items():
            if rep in moved and d in story["members"]:
                out.append(d)
        new = {"id": new_id, "storyline": None, "headline": None, "summary": None, "language": story["language"],
               "first": None, "last": None, "size": 0, "centroid": np.zeros(DIM, dtype=np.float32),
               "entities": {}, "events": {}, "members": {}}
        self.stories[new_id] = new
        for part, keep in ((story, [a for a in story["members"] if a not in out]), (new, out)):
            part["members"] = {a: story["members"].get(a) for a in keep}
            counted = [a for a in keep if a not in dups and a in vectors]
            part["size"] = len(counted)
            part["centroid"] = np.sum([vectors[a] for a in counted], axis=0).astype(np.float32)
        self.touch(new_id)
        self.touch(sid)
        self.note("split", new_id, other_id=sid, article_id=out[0], moved=sorted(out),
                  mean_similarity=round(float(np.mean(list(sims.values()))), 4))
        self.result["splits"].append({"story": sid, "new_story": new_id, "articles": sorted(out)})
        return new_id

    # -- storylines ---------------------------------------------------------------------
    def link(self, sid: str, sims: np.ndarray) -> None:
        """Put a new or grown story into a storyline; ``sims``: its centroid's cosine with every story."""
        cfg = self.cfg
        story = self.stories[sid]
        i = self.index.pos[sid]
        common = float(cfg["storyline_common_share"]) * len(self.index.ids)
        # entities in many stories (the home country, the capital) link nothing; 50 stories before that counts
        mine = {e for e in self.index.ents[i] if len(self.index.ids) < 50 or self.index.df[e] <= max(2.0, common)}
        k = int(cfg["storyline_min_shared"])
        linked_lines: set[str] = set()
        for j in np.flatnonzero(sims >= float(cfg["storyline_threshold"])):
            other = self.index.ids[j]
            shared = mine & self.index.ents[j]
            # places alone do not make a storyline: at least one shared person or organisation
            if other == sid or len(shared) < k or not any(e.startswith(("per:", "org:")) for e in shared):
                continue
            line = self.stories[other].get("storyline")
            if line:
                linked_lines.add(line)
        if story.get("storyline"):
            linked_lines.add(story["storyline"])
        if not linked_lines:
            lid = f"line:{sid}"
            self.lines[lid] = {"id": lid, "label": None, "created": self._next_created()}
            story["storyline"] = lid
            self.dirty_lines.add(lid)
            self.dirty_stories.add(sid)
            return
        order = sorted(linked_lines, key=lambda l: (self.lines[l].get("created", 0), l))
        keep = order[0]
        if story.get("storyline") != keep:
            story["storyline"] = keep
            self.dirty_stories.add(sid)
        self.dirty_lines.add(keep)
        for gone in order[1:]:
            moved = sorted(s for s, st in self.stories.items() if st.get("storyline") == gone)
            for s in moved:
                self.stories[s]["storyline"] = keep
                self.dirty_stories.add(s)
            self.lines.pop(gone, None)
            self.removed_lines.add(gone)
            self.dirty_lines.discard(gone)
            self.note("merge", keep, other_id=gone, bridge=sid, stories=moved)
            self.result["merges"].append({"storyline": keep, "merged": gone, "bridge": sid, "stories": moved})

    def _next_created(self) -> int:
        if self._created is None:
            self._created = max((int(l.get("created", 0)) for l in self.lines.values()), default=0)
        self._created += 1
        return self._created


# -- headlines, summaries, labels --------------------------------------------------------


def _recount(story: dict[str, Any], articles: Mapping[str, Article], dups: Mapping[str, str],
             types: Sequence[str]) -> None:
    """Entity and event counts and the date span of a story, from its member articles."""
    story["entities"], story["events"], story["first"], story["last"] = {}, {}, None, None
    for aid in story["members"]:
        a = articles.get(aid)
        if a is None or aid in dups:
            continue
        f = _features(a, types)
        for e in f["entities"]:
            story["entities"][e] = story["entities"].get(e, 0) + 1
        for t in f["events"]:
            story["events"][t] = story["events"].get(t, 0) + 1
        pub = a.published.value
        if _day(pub) is not None:
            story["first"] = pub if story["first"] is None or str(pub) < str(story["first"]) else story["first"]
            story["last"] = pub if story["last"] is None or str(pub) > str(story["last"]) else story["last"]


_TYPE_RANK = {"PER": 0, "ORG": 1, "GPE": 2}


def describe_line(line: dict[str, Any], stories: Sequence[Mapping[str, Any]],
                  names: Mapping[str, tuple[str, str]]) -> None:
    """Label a storyline: its top shared KB entity names (persons, then organisations, then places, on ties)
    and the dominant event type."""
    counts: Counter[str] = Counter()
    spread: Counter[str] = Counter()
    events: Counter[str] = Counter()
    for s in stories:
        counts.update(s["entities"])
        spread.update(set(s["entities"]))
        events.update(s.get("events", {}))
    shared = [e for e in counts if spread[e] > 1] if len(stories) > 1 else list(counts)
    top = sorted(shared or list(counts),
                 key=lambda e: (-spread[e], -counts[e], _TYPE_RANK.get(names.get(e, ("", ""))[1], 3), e))[:3]
    label = ", ".join(names[e][0] if e in names else e for e in top)
    if events:
        kind = sorted(events.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        label = f"{label} — {kind}" if label else kind
    line["label"] = label or (stories[0].get("headline") if stories else None)


def update_stories(store: Store, settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Assign every stored article that is in no story yet; see the module doc.

    Returns ``{"assigned": n, "new_stories": n, "merges": [...], "splits": [...]}``;
    a second call with no new articles changes nothing.
    """
    from ..store._stories import entity_names, read_article_rows, write_story_state

    cfg = story_settings(settings)
    types = tuple(cfg["entity_types"])
    state = _State(store, cfg)
    member_of = {a: s["id"] for s in state.stories.values() for a in s["members"]}
    rows = read_article_rows(store)
    known = {r["id"] for r in rows}
    todo = [r for r in rows if r["id"] not in member_of]
    if not todo:
        return state.result
    dup_of = {r["id"]: r["duplicate_of"] for r in rows if r["duplicate_of"] and r["duplicate_of"] in known
              and r["duplicate_of"] != r["id"]}
    own = [r for r in todo if r["id"] not in dup_of]
    own.sort(key=lambda r: (_day(r["published"]) is None, str(r["published"] or ""), r["id"]))
    embed = {"chars": int(cfg["embed_chars"]), "sentences": int(cfg["lead_sentences"]), "threads": int(cfg["threads"])}
    features: dict[str, dict[str, Any]] = {}
    vectors: dict[str, np.ndarray] = {}
    ids = [r["id"] for r in own]
    for b in range(0, len(ids), _LOAD):  # a chunk of full articles at a time; keep vectors and features
        chunk = list(store.iter_articles(ids[b : b + _LOAD]))
        vectors.update(article_vectors(store, chunk, **embed))
        features.update((a.id, _features(a, types)) for a in chunk)
    for aid in ids:
        member_of[aid] = state.add(features[aid], vectors[aid])
    for r in todo:
        if r["id"] in dup_of:
            rep = dup_of[r["id"]]
            while rep in dup_of and rep not in member_of:
                rep = dup_of[rep]
            if rep in member_of:
                state.add_duplicate(r["id"], member_of[rep], rep)
                member_of[r["id"]] = member_of[rep]
    # splits: re-check grown stories (vectors of older members come from the store)
    grown = [s for s in state.grown if state.stories[s]["size"] >= int(cfg["split_min_size"])]
    if grown:
        need = sorted({a for s in grown for a in state.stories[s]["members"]} - set(vectors))
        if need:
            for b in range(0, len(need), _LOAD):
                vectors.update(article_vectors(store, list(store.iter_articles(need[b : b + _LOAD])), **embed))
        for sid in grown:
            new_id = state.check_split(sid, vectors, dup_of)
            if new_id:
                parts = (state.stories[sid], state.stories[new_id])
                arts = {a.id: a for a in store.iter_articles([m for p in parts for m in p["members"]])}
                for p in parts:
                    _recount(p, arts, dup_of, types)
                state.index.put(state.stories[sid])
                state.index.put(state.stories[new_id])
    n = len(state.index.ids)
    for b in range(0, len(state.grown), 256):  # one matrix product per block of changed stories
        block = state.grown[b : b + 256]
        sims = state.index.mat[[state.index.pos[s] for s in block]] @ state.index.mat[:n].T
        for sid, row in zip(block, sims):
            state.link(sid, row)
    batch: list[dict[str, Any]] = []
    for i, sid in enumerate(state.grown):  # headlines and summaries, loading the members of a few stories at a time
        batch.append(state.stories[sid])
        if sum(len(st["members"]) for st in batch) >= _LOAD or i == len(state.grown) - 1:
            members = {a.id: a for a in store.iter_articles(sorted({a for st in batch for a in st["members"]}))}
            vectors.update(article_vectors(store, [a for aid, a in members.items() if aid not in vectors], **embed))
            for story in batch:
                describe_story(story, members, vectors, dup_of, cfg)
            batch = []
    line_stories: dict[str, list[dict[str, Any]]] = {}
    for st in state.stories.values():
        if st.get("storyline") in state.dirty_lines:
            line_stories.setdefault(st["storyline"], []).append(st)
    names = entity_names(store, sorted({e for sts in line_stories.values() for st in sts for e in st["entities"]}))
    for lid in sorted(state.dirty_lines):
        describe_line(state.lines[lid], line_stories.get(lid, []), names)
    write_story_state(store, state.stories, state.lines, state.dirty_stories, state.dirty_lines,
                      state.removed_lines, state.log)
    return state.result


def load_stories(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(storylines, stories)`` as stored, each list ordered by id.

    storyline: ``{id, label, stories: [ids], entities: [top ids]}``; story:
    ``{id, storyline, headline, summary, language, articles: [ids], first, last, entities: [top ids]}``.
    """
    from ..store._stories import read_story_state

    stories, lines = read_story_state(store)
    out_stories = [
        {"id": s["id"], "storyline": s["storyline"], "headline": s["headline"], "summary": s["summary"],
         "language": s["language"], "articles": sorted(s["members"]), "first": s["first"], "last": s["last"],
         "entities": _top(s["entities"], 10)}
        for s in sorted(stories.values(), key=lambda s: s["id"])
    ]
    by_line: dict[str, list[dict[str, Any]]] = {}
    for s in stories.values():
        by_line.setdefault(s["storyline"], []).append(s)
    out_lines = []
    for lid in sorted(lines):
        members = sorted(by_line.get(lid, []), key=lambda s: s["id"])
        counts: Counter[str] = Counter()
        for s in members:
            counts.update(s["entities"])
        out_lines.append({"id": lid, "label": lines[lid]["label"], "stories": [s["id"] for s in members],
                          "entities": _top(counts, 10)})
    return out_lines, out_stories
