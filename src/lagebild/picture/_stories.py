"""Stories and storylines over the stored articles, assigned incrementally.

A **story** gathers the articles about one happening, in any language; a
**storyline** joins stories about one ongoing matter.  :func:`update_stories`
assigns every stored article that is in no story yet, oldest first:

* score against each candidate story: cosine of the article's vector with the
  story centroid, plus ``entity_weight`` × Jaccard of its KB entities (PER, ORG,
  GPE) with the story's top entities, minus a time-gap penalty that grows to
  ``time_penalty`` at ``time_scale_days`` between the article and the story's
  span; join the best story at ``story_threshold`` or above, else open a story;
* an article that reaches the threshold with more than one story bridges them:
  they merge into the larger (logged ``merge`` with ``level: "story"``; the other
  keeps its row, empty, so its id is never reused);
* a duplicate (``duplicate_of``) joins its representative's story;
* a story that grew is re-checked: when its members' mean similarity to the
  centroid falls below ``split_floor``, the members below it leave for a new story;
* a new or grown story links to every story with centroid similarity at least
  ``storyline_threshold`` that shares ``storyline_min_shared`` top entities
  (single link): it joins the oldest linked storyline, and linked storylines
  merge into the oldest one.

Cost: candidates are the stories whose span lies within ``window_days`` of the
article (undated ones always), scored against a numpy matrix of centroids: one
matrix product per block of 64 articles, then only the rows changed within the
block are rescored per article (the matrix is read once per block, not once per
article), so an update is O(A·S·d) for A new articles, S candidate stories,
d = 512 — about 5·10¹¹ multiply-adds at 100,000 articles and 10,000 stories
without the window, a few seconds of BLAS; storyline linking scores a new or
grown story against all centroids once.  Headlines and summaries are recomputed
only for stories that changed.  The dominant cost is the encoder (about 12 ms
of one core per 600-character lead); its BLAS runs on ``threads`` threads (1 by
default: more threads spin and are several times slower on a shared machine).
With an executor and ``parallel_min`` or more articles to place, the leads
(one task per chunk of ``_LOAD`` articles, read ahead while earlier chunks are
assigned) and the summary pools are embedded by its workers: the same calls of
the encoder on the same texts, so the same vectors and stories as in one
process; assigning stays here, in article order.

Ids are stable: ``story:`` + the story's first article id, ``line:`` + its
first story id.  Every change is logged in ``story_log`` (new, join, merge, split).
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from ..errors import ConfigError
from ._describe import finish_story, plan_story
from ._events import intern_word as _word
from ._embed import DIM, article_vectors, embed_ahead, keep_vectors, stored_vectors
from ._story_index import StoryIndex, VectorTable, day_ordinal, jaccard, top_keys, unit

if TYPE_CHECKING:
    from ..executors import Executor
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
    "threads": 1,
    "parallel_min": 1000,
}


#: Stories (nearest by cosine) whose entity overlap is computed for one article.
_JACCARD_CANDIDATES = 64
#: Full articles held in memory at a time.
_LOAD = 256
#: A block of stories with more members than this (one story of copies) reads its articles when needed.
_HUGE = 4 * _LOAD
#: Fields of a stored article the stories never read (left in SQLite: less to parse, less held).
_DROP = ("raw_text", "kept_lines", "line_map", "removed", "source", "metadata", "claims", "quantities", "times")
#: The centroid of a story merged away (no members): one read-only array for all of them.
_EMPTY = np.zeros(DIM, dtype=np.float32)
_EMPTY.setflags(write=False)

#: Articles whose cosines with all centroids are computed as one matrix product.
_BLOCK = 64


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


def _kb_entities(article: Article, types: Sequence[str]) -> set[str]:
    return {sys.intern(str(e["id"])) for e in article.entities if e.get("kb") and e.get("type") in types and e.get("id")}


def _features(article: Article, types: Sequence[str]) -> dict[str, Any]:
    """What story assignment needs of an article (so the full articles need not stay in memory).  The
    words thousands of articles repeat — entity ids, event types, dates, languages — are interned: the
    stories keep them (as counts' keys, spans) for the whole update."""
    return {"id": article.id, "language": _word(article.language), "published": _word(article.published.value),
            "entities": _kb_entities(article, types),
            "events": {sys.intern(str(ev["event"])) for ev in article.events
                       if ev.get("event") and not ev.get("background")}}


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


# -- the update --------------------------------------------------------------------


class _State:
    def __init__(self, store: Store, cfg: Mapping[str, Any]) -> None:
        from ..store._stories import read_story_state

        self.store, self.cfg = store, cfg
        self.stories, self.lines = read_story_state(store)
        self.index = StoryIndex(self.stories, cfg)
        self.log: list[tuple[Any, ...]] = []
        self.at = _now()
        self.dirty_stories: set[str] = set()
        self.dirty_lines: set[str] = set()
        self.removed_lines: set[str] = set()
        self.emptied_lines: set[str] = set()  # storylines of stories merged away (removed when left empty)
        self.grown: list[str] = []  # stories new or grown in this update, in order
        self._grown: set[str] = set()  # the same, for O(1) membership
        self._created: int | None = None
        self.result: dict[str, Any] = {"assigned": 0, "new_stories": 0, "merges": [], "splits": []}

    def note(self, action: str, story_id: str | None, other_id: str | None = None,
             article_id: str | None = None, **detail: Any) -> None:
        # a row as it is written (a corpus's first update logs one per article: tuples, not dicts)
        self.log.append((self.at, action, story_id, other_id, article_id,
                         json.dumps(detail, ensure_ascii=False, sort_keys=True)))

    def touch(self, sid: str) -> None:
        self.dirty_stories.add(sid)
        if sid not in self._grown:
            self._grown.add(sid)
            self.grown.append(sid)

    # -- articles into stories --------------------------------------------------
    def add(self, article: Mapping[str, Any], vector: np.ndarray, row: int | None = None) -> str:
        """Put one article (its :func:`_features`) into the best story or a new one; returns the story id.

        ``row``: the vector is that row of the block last given to ``self.index.block``."""
        day, ents = day_ordinal(article["published"]), article["entities"]
        cfg = self.cfg
        best, best_score = None, -1.0
        if len(self.index.ids) and float(np.linalg.norm(vector)) > 0:
            sims = self.index.similarities(vector, row)
            gaps = self.index.gaps(day)
            scores = sims - float(cfg["time_penalty"]) * np.minimum(1.0, gaps / max(1.0, float(cfg["time_scale_days"])))
            scores[gaps > float(cfg["window_days"])] = -np.inf
            w = float(cfg["entity_weight"])
            if w and ents:
                near = np.flatnonzero(sims >= float(cfg["story_threshold"]) - w)
                if len(near) > _JACCARD_CANDIDATES:  # only the nearest can still reach the threshold in practice
                    near = near[np.argpartition(-sims[near], _JACCARD_CANDIDATES)[:_JACCARD_CANDIDATES]]
                for i in near:
                    scores[i] += w * jaccard(ents, self.index.ents[i])
            scores[self.index.empty[: len(scores)]] = -np.inf  # stories merged away
            i = int(np.argmax(scores))
            best, best_score = self.index.ids[i], float(scores[i])
        if best is not None and best_score >= float(cfg["story_threshold"]):
            story = self.stories[best]
            story["size"] += 1
            story["members"][article["id"]] = round(best_score, 4)
            self._grow(story, article, self.index.centroid(best) + vector)
            self.note("join", best, article_id=article["id"], score=round(best_score, 4))
            sid = best
            # the article bridges every other story it would have joined as well: those merge into one
            for j in np.flatnonzero(scores >= float(cfg["story_threshold"])):
                other = self.index.ids[int(j)]
                if other != sid and self.stories[other]["size"] > 0:
                    sid = self.merge_stories(sid, other, article["id"], float(scores[j]))
        else:
            sid = f"story:{article['id']}"
            story = {"id": sid, "storyline": None, "headline": None, "summary": None, "language": article["language"],
                     "first": None, "last": None, "size": 1,
                     "entities": {}, "events": {}, "members": {article["id"]: None}}
            self.stories[sid] = story
            self._grow(story, article, vector.astype(np.float32))
            self.result["new_stories"] += 1
            self.note("new", sid, article_id=article["id"],
                      best=None if best is None else {"story": best, "score": round(best_score, 4)})
        self.result["assigned"] += 1
        return sid

    def _grow(self, story: dict[str, Any], article: Mapping[str, Any], centroid: np.ndarray) -> None:
        for e in article["entities"]:
            story["entities"][e] = story["entities"].get(e, 0) + 1
        for t in article["events"]:
            story["events"][t] = story["events"].get(t, 0) + 1
        pub = article["published"]
        if day_ordinal(pub) is not None:
            if story["first"] is None or str(pub) < str(story["first"]):
                story["first"] = pub
            if story["last"] is None or str(pub) > str(story["last"]):
                story["last"] = pub
        self.index.put(story, centroid)
        self.touch(story["id"])

    def merge_stories(self, a: str, b: str, bridge: str, score: float) -> str:
        """Merge stories ``a`` and ``b`` (both hold the bridging article's neighbours); returns the survivor.

        The larger story survives (on ties the one with the earlier first date, then the smaller id);
        the other is left empty (no members), so its id is never reused, and the merge is logged.
        """
        sa, sb = self.stories[a], self.stories[b]
        keep, gone = sorted((sa, sb), key=lambda st: (-st["size"], str(st["first"] or "9999"), st["id"]))
        keep["members"].update(gone["members"])
        centroid = self.index.centroid(keep["id"]) + self.index.centroid(gone["id"])
        keep["size"] += gone["size"]
        for key in ("entities", "events"):
            for k, n in gone[key].items():
                keep[key][k] = keep[key].get(k, 0) + n
        for key, pick in (("first", min), ("last", max)):
            vals = [v for v in (keep[key], gone[key]) if v]
            keep[key] = pick(vals, key=str) if vals else None
        moved = sorted(gone["members"])
        gone.update(members={}, size=0, entities={}, events={},
                    headline=None, summary=None, first=None, last=None)
        if gone.get("storyline"):
            self.emptied_lines.add(gone["storyline"])
            gone["storyline"] = None
        self.index.put(keep, centroid)
        self.index.put(gone, _EMPTY)
        self.touch(keep["id"])
        self.dirty_stories.add(gone["id"])
        if gone["id"] in self._grown:
            self._grown.discard(gone["id"])
            self.grown.remove(gone["id"])
        self.note("merge", keep["id"], other_id=gone["id"], article_id=bridge, level="story",
                  score=round(score, 4), articles=moved)
        self.result.setdefault("story_merges", []).append(
            {"story": keep["id"], "merged": gone["id"], "bridge": bridge, "articles": moved})
        return str(keep["id"])

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
        c = unit(np.sum([vectors[a] for a in own], axis=0))
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
               "first": None, "last": None, "size": 0, "entities": {}, "events": {}, "members": {}}
        self.stories[new_id] = new
        for part, keep in ((story, [a for a in story["members"] if a not in out]), (new, out)):
            part["members"] = {a: story["members"].get(a) for a in keep}
            counted = [a for a in keep if a not in dups and a in vectors]
            part["size"] = len(counted)
            self.index.put(part, np.sum([vectors[a] for a in counted], axis=0).astype(np.float32))
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
            if self.index.empty[j]:
                continue
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


def _recount(story: dict[str, Any], features: Mapping[str, Mapping[str, Any]], dups: Mapping[str, str]) -> None:
    """Entity and event counts and the date span of a story, from its members' :func:`_features` (not the
    articles: a story of thousands of copies would hold them all at once)."""
    story["entities"], story["events"], story["first"], story["last"] = {}, {}, None, None
    for aid in story["members"]:
        f = features.get(aid)
        if f is None or aid in dups:
            continue
        for e in f["entities"]:
            story["entities"][e] = story["entities"].get(e, 0) + 1
        for t in f["events"]:
            story["events"][t] = story["events"].get(t, 0) + 1
        pub = f["published"]
        if day_ordinal(pub) is not None:
            story["first"] = pub if story["first"] is None or str(pub) < str(story["first"]) else story["first"]
            story["last"] = pub if story["last"] is None or str(pub) > str(story["last"]) else story["last"]


_TYPE_RANK = {"PER": 0, "ORG": 1, "GPE": 2}


def describe_line(line: dict[str, Any], stories: Sequence[Mapping[str, Any]],
                  names: Mapping[str, tuple[str, str]]) -> None:
    """Label a storyline from its stories' counts (see :mod:`._labels`; ``build_picture`` relabels it
    from the merged events' participants): the entities named by most articles (a capital as its state;
    on ties persons, then organisations, then places), the commonest event categories, in the stories'
    main language."""
    from ._labels import format_label
    from ._events import _state_of

    who: Counter[str] = Counter()
    what: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    for s in stories:
        mine: Counter[str] = Counter()
        for e, n in s["entities"].items():  # articles naming it; a capital and its state count once
            mine[_state_of(e)] = max(mine[_state_of(e)], int(n))
        who.update(mine)
        what.update(s.get("events", {}))
        if s.get("language"):
            langs[s["language"]] += 1
    lang = min(langs.items(), key=lambda kv: (-kv[1], kv[0]))[0] if langs else None
    rank = sorted(who, key=lambda e: (_TYPE_RANK.get(names.get(e, ("", ""))[1], 3), e))
    label = format_label(who, what, lang, {e: n for e, (n, _) in names.items()}, rank)
    line["label"] = label or (stories[0].get("headline") if stories else None)


def _story_blocks(state: _State, sids: Sequence[str]) -> Iterator[list[str]]:
    """``sids`` in order, a few stories at a time: each block holds at least ``_LOAD`` members (the last, the rest)."""
    block: list[str] = []
    size = 0
    for sid in sids:
        block.append(sid)
        size += len(state.stories[sid]["members"])
        if size >= _LOAD:
            yield block
            block, size = [], 0
    if block:
        yield block


def _plans(
    store: Store, state: _State, vectors: VectorTable, dup_of: Mapping[str, str], cfg: Mapping[str, Any],
    lead: Mapping[str, int], executor: Executor | None, done_with: Callable[[Iterable[str]], None],
) -> Iterator[tuple[list[tuple[dict[str, Any], list[str]]], list[list[str]]]]:
    """Headlines of the changed stories, loading the members of a few stories at a time; per batch, the
    stories whose summary is still to be chosen with their pools of sentences (to embed), and the pools.
    ``lead``: the lead text's ``chars`` and ``sentences``, for members whose vector is still missing;
    ``done_with`` is given the ids of the vectors loaded for a batch once its plans are made."""
    from ._members import Members

    for sids in _story_blocks(state, state.grown):
        batch = [state.stories[sid] for sid in sids]
        ids = sorted({a for st in batch for a in st["members"]})
        huge = len(ids) > _HUGE  # a story of thousands of copies: its articles read when asked for
        members: Mapping[str, Article] = (Members(store, ids, _DROP, keep=_LOAD) if huge else
                                          {a.id: a for a in store.iter_articles(ids, drop=_DROP)})
        loaded = [aid for aid in ids if aid not in vectors]
        step = _LOAD if huge else max(1, len(loaded))  # missing vectors: a chunk at a time for a huge block
        for b in range(0, len(loaded), step):
            vectors.update(article_vectors(store, [members[aid] for aid in loaded[b : b + step]], **lead,
                                           threads=int(cfg["threads"]), executor=executor))
        todo = [(story, pool) for story in batch
                if (pool := plan_story(story, members, vectors, dup_of, cfg,
                                       state.index.direction(story["id"]))) is not None]
        del members
        done_with(loaded)
        yield todo, [pool for _, pool in todo]


def update_stories(
    store: Store, settings: Mapping[str, Any] | None = None, *, executor: Executor | None = None
) -> dict[str, Any]:
    """Assign every stored article that is in no story yet; see the module doc.

    Returns ``{"assigned": n, "new_stories": n, "merges": [...], "splits": [...]}``;
    a second call with no new articles changes nothing.  With an ``executor``
    and at least ``parallel_min`` articles to place, the leads and summary
    sentences are embedded by its workers (the same vectors as here).
    """
    from .._memory import growing_state

    cfg = story_settings(settings)
    with growing_state() as settle:
        return _update(store, cfg, executor, settle)


def _update(store: Store, cfg: Mapping[str, Any], executor: Executor | None, settle: Callable[[], None]) -> dict[str, Any]:
    from ..store._lean import story_rows
    from ..store._stories import entity_names, write_story_state

    types = tuple(cfg["entity_types"])
    state = _State(store, cfg)
    member_of = {a: s["id"] for s in state.stories.values() for a in s["members"]}
    rows = story_rows(store)  # (id, published, duplicate_of)
    known = {r[0] for r in rows}
    todo = [r for r in rows if r[0] not in member_of]
    if not todo:
        return state.result
    dup_of = {r[0]: r[2] for r in rows if r[2] and r[2] in known and r[2] != r[0]}
    del rows, known
    own = [r for r in todo if r[0] not in dup_of]
    own.sort(key=lambda r: (day_ordinal(r[1]) is None, str(r[1] or ""), r[0]))
    lead = {"chars": int(cfg["embed_chars"]), "sentences": int(cfg["lead_sentences"])}
    threads = int(cfg["threads"])
    ex = executor if executor is not None and len(own) >= int(cfg["parallel_min"]) else None
    vectors = VectorTable()  # float32 rows, 2 KB an article
    # the vectors are in the store once embedded: each step holds only those it is working on (a
    # read-only store keeps them all, as it cannot give them back)
    done_with = vectors.discard if not store.read_only else (lambda ids: None)
    ids = [r[0] for r in own]
    del own
    state.index.reserve(len(state.index.ids) + len(ids))  # at most one new story per article placed

    def chunks() -> Iterator[tuple[tuple[list[str], dict[str, Any], list[tuple[str, str]]], list[list[str]]]]:
        # a chunk of full articles at a time: their stored vectors, the leads to embed, and their features
        # (dropped once the chunk is assigned); the leads of a chunk are embedded in one call
        for b in range(0, len(ids), _LOAD):
            part = ids[b : b + _LOAD]
            chunk = list(store.iter_articles(part, drop=_DROP))
            known, missing = stored_vectors(store, chunk, **lead)
            vectors.update(known)
            features = {a.id: _features(a, types) for a in chunk}
            del chunk
            yield (part, features, missing), [[t for _, t in missing]]

    for (part, features, missing), (vecs,) in embed_ahead(chunks(), ex, threads):
        vectors.update(keep_vectors(store, missing, vecs))
        # the blocks of _BLOCK articles are those of the whole ordered list (_LOAD is a multiple)
        for k in range(0, len(part), _BLOCK):  # one matrix product per block of articles, then per-article fixes
            block = part[k : k + _BLOCK]
            state.index.block(np.stack([vectors[aid] for aid in block]).astype(np.float32))
            for j, aid in enumerate(block):
                member_of[aid] = state.add(features[aid], vectors[aid], j)
        done_with(part)
        del features
        settle()  # the stories grown so far: out of the garbage collector's walks
    member_of = {a: s["id"] for s in state.stories.values() for a in s["members"]}  # after story merges
    for r in todo:
        if r[0] in dup_of:
            rep = dup_of[r[0]]
            while rep in dup_of and rep not in member_of:
                rep = dup_of[rep]
            if rep in member_of:
                state.add_duplicate(r[0], member_of[rep], rep)
                member_of[r[0]] = member_of[rep]
    # splits: re-check grown stories (a block of stories at a time, with their members' vectors)
    grown = [s for s in state.grown if state.stories[s]["size"] >= int(cfg["split_min_size"])]
    for block in _story_blocks(state, grown):
        need = sorted({a for s in block for a in state.stories[s]["members"] if a not in dup_of} - set(vectors))
        for b in range(0, len(need), _LOAD):  # (check_split reads the vectors of members that are no duplicate)
            vectors.update(article_vectors(store, list(store.iter_articles(need[b : b + _LOAD], drop=_DROP)), **lead,
                                           threads=threads, executor=ex))
        for sid in block:
            new_id = state.check_split(sid, vectors, dup_of)
            if new_id:
                parts = (state.stories[sid], state.stories[new_id])
                feats = {a.id: _features(a, types) for a in
                         store.iter_articles([m for p in parts for m in p["members"] if m not in dup_of], drop=_DROP)}
                for p in parts:
                    _recount(p, feats, dup_of)
                del feats
                state.index.put(state.stories[sid])
                state.index.put(state.stories[new_id])
        done_with(need)
    n = len(state.index.ids)
    for b in range(0, len(state.grown), 256):  # one matrix product per block of changed stories
        block = state.grown[b : b + 256]
        sims = state.index.mat[[state.index.pos[s] for s in block]] @ state.index.mat[:n].T
        for sid, row in zip(block, sims):
            state.link(sid, row)
    for batch, pools in embed_ahead(_plans(store, state, vectors, dup_of, cfg, lead, ex, done_with), ex, threads):
        for (story, pool), vecs in zip(batch, pools):
            finish_story(story, pool, vecs, cfg)
    for lid in sorted(state.emptied_lines):  # a storyline whose stories all merged into others' goes
        if lid in state.lines and not any(st.get("storyline") == lid for st in state.stories.values()):
            state.lines.pop(lid)
            state.removed_lines.add(lid)
            state.dirty_lines.discard(lid)
    line_stories: dict[str, list[dict[str, Any]]] = {}
    for st in state.stories.values():
        if st.get("storyline") in state.dirty_lines:
            line_stories.setdefault(st["storyline"], []).append(st)
    names = entity_names(store, sorted({e for sts in line_stories.values() for st in sts for e in st["entities"]}))
    for lid in sorted(state.dirty_lines):
        describe_line(state.lines[lid], line_stories.get(lid, []), names)
    write_story_state(store, state.stories, state.lines, state.dirty_stories, state.dirty_lines,
                      state.removed_lines, state.log, state.index.centroid)
    return state.result


def load_stories(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(storylines, stories)`` as stored, each list ordered by id.

    storyline: ``{id, label, stories: [ids], entities: [top ids]}``; story:
    ``{id, storyline, headline, summary, language, articles: [ids], first, last, entities: [top ids]}``.
    """
    from ..store._stories import read_story_state

    stories, lines = read_story_state(store, centroids=False)
    out_stories = [
        {"id": s["id"], "storyline": s["storyline"], "headline": s["headline"], "summary": s["summary"],
         "language": s["language"], "articles": sorted(s["members"]), "first": s["first"], "last": s["last"],
         "entities": top_keys(s["entities"], 10)}
        for s in sorted(stories.values(), key=lambda s: s["id"])
        if s["members"]  # a story merged into another keeps its row, empty, so its id is never reused
    ]
    by_line: dict[str, list[dict[str, Any]]] = {}
    for s in stories.values():
        if s["members"]:
            by_line.setdefault(s["storyline"], []).append(s)
    out_lines = []
    for lid in sorted(lines):
        members = sorted(by_line.get(lid, []), key=lambda s: s["id"])
        counts: Counter[str] = Counter()
        for s in members:
            counts.update(s["entities"])
        out_lines.append({"id": lid, "label": lines[lid]["label"], "stories": [s["id"] for s in members],
                          "entities": top_keys(counts, 10)})
    return out_lines, out_stories
