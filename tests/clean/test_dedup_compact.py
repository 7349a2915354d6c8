"""dedup's ``decide`` on compact arrays gives exactly what one datasketch ``MinHashLSH`` index gave.

``_reference`` below is the earlier implementation of ``decide`` (LSH objects for every
distinct text, every summary held as an object), kept here as the oracle; the corpora
are built to stress the compact one: many near duplicates in chains, exact copies
among them, empty texts, shared paragraphs, and summaries read only by iteration.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any, Iterator, Sequence

import numpy as np
import pytest
from datasketch import MinHashLSH

from lagebild.clean import _shingle, dedup
from lagebild.errors import PipelineError
from lagebild.model import Article, Published


# -- the oracle: the previous decide, datasketch LSH over MinHash objects -------------------------
def _reference(summaries: Sequence[Any], settings: dict[str, Any]) -> dict[int, Any]:
    s = dedup.DedupSettings.from_mapping(settings)
    summ = [dedup._NO_PART if t is None else t for t in summaries]
    n = len(summ)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    first: dict[str, int] = {}
    mhs = {}
    for i, t in enumerate(summ):
        if t.hash is not None:
            j = first.setdefault(t.hash, i)
            if j != i:
                union(j, i)
            elif t.signature is not None:
                mhs[i] = _shingle.to_minhash(np.frombuffer(t.signature, dtype="<u4").astype(np.uint32))
    if len(mhs) > 1:
        lsh = MinHashLSH(threshold=s.threshold, num_perm=s.num_perm,
                         params=dedup._lsh_params(s.threshold, s.num_perm, s.lsh_false_negative_weight))
        for i, mh in mhs.items():
            lsh.insert(i, mh, check_duplication=False)
        for i, mh in mhs.items():
            for j in lsh.query(mh):
                if j > i and np.count_nonzero(mh.hashvalues == mhs[j].hashvalues) >= s.threshold * s.num_perm - 1e-9:
                    union(i, j)
    members: dict[int, list[int]] = defaultdict(list)
    for i, t in enumerate(summ):
        if t.hash is not None:
            members[find(i)].append(i)
    group_of: dict[int, str] = {}
    dup_of: dict[int, str] = {}
    for m in (m for m in members.values() if len(m) > 1):
        gid = "g" + min(summ[i].id for i in m)
        rep = min((summ[i].published, summ[i].id) for i in m)[1]
        for i in m:
            group_of[i] = gid
            if summ[i].id != rep:
                dup_of[i] = rep
    unit = [group_of.get(i) or "a" + t.id for i, t in enumerate(summ)]
    occ: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for i, t in enumerate(summ):
        for h, x, y in t.paragraphs:
            occ[h].append((i, x, y))
    shared: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for h, o in occ.items():
        if len(o) < 2 or len({unit[i] for i, _, _ in o}) < 2:
            continue
        ids = {summ[i].id for i, _, _ in o}
        outlets = sorted({summ[i].outlet for i, _, _ in o})
        for i, x, y in o:
            shared[i].append({"start": x, "end": y, "hash": h, "articles": sorted(ids - {summ[i].id}),
                              "outlets": list(outlets)})
    out = {}
    for i, t in enumerate(summ):
        lst = sorted(shared.get(i, []), key=lambda p: (p["start"], -p["end"]))
        kept: list[dict[str, Any]] = []
        for p in lst:
            if not kept or p["end"] > kept[-1]["end"]:
                kept.append(p)
        g, d = group_of.get(i), dup_of.get(i)
        if dedup._state(g, d, kept) != t.state:
            out[i] = (g, d, kept)
    return out


class _OnlyIterable(Sequence[Any]):
    """Summaries that can be iterated (and counted) but not indexed: what a streaming build may hand."""

    def __init__(self, items: list[Any]) -> None:
        self._items = items
        self.passes = 0

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Any]:
        self.passes += 1
        return iter(self._items)

    def __getitem__(self, i: Any) -> Any:
        raise AssertionError("decide indexed its summaries")


# -- corpora ----------------------------------------------------------------------------------------
WORDS = [f"wort{i}" for i in range(400)] + ["Haus", "Stadt", "Regierung", "Polizei", "Bahn", "Wasser"]


def _text(rng: random.Random, n: int) -> list[str]:
    return [rng.choice(WORDS) for _ in range(n)]


def _paragraphs(words: list[str]) -> str:
    return "\n\n".join(" ".join(words[k : k + 40]) for k in range(0, len(words), 40))


def _corpus(seed: int, n_base: int = 40) -> list[Article]:
    rng = random.Random(seed)
    agency = " ".join(_text(rng, 30))  # a paragraph many unrelated articles carry
    arts: list[Article] = []

    def add(text: str) -> None:
        k = len(arts)
        day = f"2024-03-{1 + rng.randrange(28):02d}" if rng.random() < 0.8 else None
        arts.append(Article(id=f"a{rng.randrange(10**6):06d}-{k}", text=text, outlet=rng.choice(["x.de", "y.de", None]),
                            published=Published(value=day)))

    for _ in range(n_base):
        words = _text(rng, rng.choice([60, 120, 240]))
        add(_paragraphs(words) + ("\n\n" + agency if rng.random() < 0.3 else ""))
        cur = list(words)
        for _ in range(rng.randrange(6)):  # a chain of edits: each near the last, the ends maybe not
            for _ in range(rng.randrange(1, 4)):
                cur[rng.randrange(len(cur))] = rng.choice(WORDS)
            add(_paragraphs(cur))
            if rng.random() < 0.3:
                add(_paragraphs(cur))  # an exact copy
    add("")
    add("   \n\n  ")
    add("!!! ??? ...")
    rng.shuffle(arts)
    return arts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_compact_decide_equals_the_lsh_index_on_many_near_duplicates(seed: int) -> None:
    arts = _corpus(seed)
    settings: dict[str, Any] = {}
    summ: list[Any] = [dedup.summarize(a, settings) for a in arts]
    summ[5] = None  # an article that takes no part
    want = _reference(summ, settings)
    grouped = {v[0] for v in want.values() if v[0]}
    assert len(grouped) >= 15 and sum(1 for v in want.values() if v[1]) >= 40  # near and exact duplicates
    assert any(v[2] for v in want.values())  # shared paragraphs
    view = _OnlyIterable(summ)
    got = dedup.decide(view, settings)
    assert got == want
    assert 2 <= view.passes <= 4
    # a stricter threshold and other bands give the same as the index too
    tight = {"threshold": 0.95, "num_perm": 64}
    summ2 = [dedup.summarize(a, tight) for a in arts]
    assert dedup.decide(_OnlyIterable(summ2), tight) == _reference(summ2, tight)


def test_decide_is_idempotent_and_order_of_groups_is_by_content() -> None:
    arts = _corpus(7, n_base=15)
    first = dedup.decide([dedup.summarize(a, {}) for a in arts], {})
    done = [dedup.apply(a, first[i], {}) if i in first else a for i, a in enumerate(arts)]
    assert dedup.decide([dedup.summarize(a, {}) for a in done], {}) == {}


def test_decide_still_refuses_articles_without_ids() -> None:
    arts = _corpus(4, n_base=3)
    summ = [dedup.summarize(a, {}) for a in arts]
    summ[0] = summ[0]._replace(id="")
    with pytest.raises(PipelineError, match="without an id"):
        dedup.decide(summ, {})
