"""``entity_merge`` and ``pubdate_corpus`` decide the same from a list and from the spool's lazy view.

Many invented articles share entity keys and dated events across positions far
apart (so across any batch split).  Each ``decide`` is compared with an oracle
written here the plain way (sets of every key, every statement against every
dated event), and run once on a list (the in-memory build) and once on the lazy
sequence a streaming build hands it (``_View`` over the spool); its changes are
read the way each build reads them.  A last test checks that the main process does
not hold the summaries while ``entity_merge`` decides.
"""

from __future__ import annotations

import pickle
import random
import tracemalloc
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

import pytest

from lagebild._spool import Spool
from lagebild._stream import _pack as pack_row
from lagebild._stream import _Summaries
from lagebild.extract.time import corpus as pc
from lagebild.extract.time._pubdate_clues import pending_bound
from lagebild.link import entities as em
from lagebild.periods import parse_iso
from lagebild.pipeline import get_stage

TYPES = ["PER", "ORG", "LOC", "MISC", None]


def _view(summaries: list[Any]) -> tuple[Spool, Any]:
    """The summaries as a streaming build's ``decide`` sees them (pickled into a spool, read back lazily)."""
    spool = Spool()
    summ = _Summaries(spool)
    for k, s in enumerate(summaries):
        summ.set(k, pack_row([s]))
    return spool, summ.view(0, range(len(summaries)))


# -- entity_merge ---------------------------------------------------------------------------------------


def _names(n: int, seed: int) -> list[em.LocalNames | None]:
    """Persons named in full and by surname, one surname two persons share, names also used for organisations."""
    rng = random.Random(seed)
    full = {"berg": ["anna-berg"], "wald": ["carla-wald"], "feld": ["dieter-feld"], "stein": ["eva-stein", "jan-stein"],
            "bach": ["ina-bach"]}
    out: list[em.LocalNames | None] = []
    for _ in range(n):
        if rng.random() < 0.15:
            out.append(None)
            continue
        ents = []
        for _ in range(rng.randrange(1, 6)):
            r = rng.random()
            last = rng.choice(sorted(full))
            if r < 0.35:
                k, typ = rng.choice(full[last]), rng.choice(["PER", "PER", "MISC"])
            elif r < 0.7:
                k, typ = last, rng.choice(["PER", "MISC", None])
            elif r < 0.8:
                k, typ = rng.choice(["bach", "bank-rat"]), rng.choice(["ORG", "MISC"])
            else:
                k, typ = rng.choice(["minister", "rat"]), rng.choice(["PER", "ORG", "MISC"])
            cands = k == "minister" and rng.random() < 0.7
            old = None if rng.random() < 0.8 else f"local:{k}:{(typ or 'misc').lower()}"
            ents.append((old, k, typ, cands))
        day = rng.choice([None, "2024-05-01", "2024-05-02"])
        out.append(em.LocalNames(day, tuple(ents)))
    return out


def _merge_oracle(summaries: list[em.LocalNames | None]) -> dict[int, em.Assignment]:
    """The rules of :mod:`lagebild.link.entities` with a set per key (the code before compact tables)."""
    types: dict[str, set[str]] = defaultdict(set)
    full: dict[str, set[str]] = defaultdict(set)
    for s in summaries:
        for _, k, typ, cands in s.entities if s else ():
            types[k].add(typ or "MISC")
            if "-" in k and typ in ("PER", "MISC") and not cands:
                full[k.split("-")[-1]].add(k)
    out: dict[int, em.Assignment] = {}
    for i, s in enumerate(summaries):
        if s is None:
            continue
        got, changed, seen = [], False, set()
        for old, k, old_type, cands in s.entities:
            old = old or f"local:{k}"
            typ = old_type or "MISC"
            if "-" not in k and len(full.get(k, ())) == 1 and typ in ("PER", "MISC"):
                k, typ = next(iter(full[k])), "PER"
            concrete = types.get(k, set()) - {"MISC"}
            if typ == "MISC" and len(concrete) == 1:
                typ = next(iter(concrete))
            eid = f"local:{k}" if len(concrete) <= 1 else f"local:{k}:{typ.lower()}"
            if cands and s.day:
                eid = f"{eid}@{s.day}"
            changed = changed or eid != old or typ != old_type or eid in seen
            seen.add(eid)
            got.append((k, eid, typ))
        if changed:
            out[i] = tuple(got)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_entity_merge_decides_as_the_oracle_from_a_list_and_from_the_spool(seed: int) -> None:
    summaries = _names(400, seed)
    want = _merge_oracle(summaries)
    assert 50 < len(want) < 340  # some change, some do not
    assert any("@2024-05-0" in eid for a in want.values() for _, eid, _ in a)  # offices kept to their day
    assert any(eid.endswith(":org") for a in want.values() for _, eid, _ in a)  # a name with two types split
    linked = {(old[1], k) for i, a in want.items()
              for old, (k, _, _) in zip(summaries[i].entities, a)  # type: ignore[union-attr]
              if k != old[1]}
    assert {("berg", "anna-berg"), ("wald", "carla-wald")} <= linked  # a surname linked to the one full name
    assert not any(old == "stein" for old, _ in linked)  # two persons share it: not linked
    settings: dict[str, Any] = {}
    in_memory = em.decide(summaries, settings)
    # the in-memory build: `i in changes`, then `changes[i]`
    assert {i: in_memory[i] for i in range(len(summaries)) if i in in_memory} == want
    assert dict(pickle.loads(pickle.dumps(in_memory))) == want and type(pickle.loads(pickle.dumps(in_memory))) is dict
    assert len(in_memory) == len(want) and bool(in_memory) and in_memory == want
    spool, view = _view(summaries)
    with spool:
        streamed = em.decide(view, settings)
        items = list(streamed.items())  # the streaming build: one pass, in position order
        assert [i for i, _ in items] == sorted(want) and dict(items) == want
    assert not em.decide([None, None], settings) and dict(em.decide([], settings)) == {}


class Counting(em.LocalNames):
    """A summary that counts its live instances (unpickling goes through ``__new__``)."""

    count = 0

    def __new__(cls, *args: Any) -> Any:
        Counting.count += 1
        return super().__new__(cls, *args)

    def __del__(self) -> None:
        Counting.count -= 1

    def __reduce__(self) -> Any:
        return (Counting, tuple(self))


def test_entity_merge_holds_no_summary_objects_while_its_changes_are_read() -> None:
    """While ``decide`` builds its tables and the changes are read, only the summary being read is alive."""
    live: list[int] = []
    summaries = [None if s is None else Counting(*s) for s in _names(300, 5)]
    spool, view = _view(summaries)
    del summaries
    with spool:
        before = Counting.count
        tracemalloc.start()
        try:
            changes = em.decide(view, {})
            held = tracemalloc.get_traced_memory()[0]
            live.append(Counting.count - before)
            for _ in changes.items():
                live.append(Counting.count - before)
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            every = dict(changes.items())
            as_dict = tracemalloc.get_traced_memory()[0] - base
        finally:
            tracemalloc.stop()
    assert max(live) <= 2
    assert len(every) > 100 and held < as_dict / 4  # the tables, not the corpus's changes


# -- pubdate_corpus --------------------------------------------------------------------------------------


def _clues(n: int, seed: int) -> list[pc.DateClues | None]:
    rng = random.Random(seed)
    vocab = [f"wort{i}" for i in range(40)] + ["krieg", "abkommen"]  # the last two: in most articles
    out: list[pc.DateClues | None] = []
    for i in range(n):
        if rng.random() < 0.1:
            out.append(None)
            continue
        inferred = rng.random() < 0.5
        dated = []
        for _ in range(rng.randrange(0, 3)):
            year = rng.randrange(2015, 2024)
            day = date(year, rng.randrange(1, 13), rng.randrange(1, 28))
            first, last = (day, day) if rng.random() < 0.5 else (date(year, 1, 1), date(year, 12, 31))
            words = set(rng.sample(vocab, 4)) | {"krieg"}
            dated.append((first.toordinal(), last.toordinal(), "day" if first == last else "year", 10, 40,
                          f"Ereignis {i}", pc._pack(words)))
        pending = []
        if inferred:
            for _ in range(rng.randrange(0, 3)):
                words = set(rng.sample(vocab, 4)) | {"abkommen"}
                kind = rng.choice(["relative-year", "anniversary"])
                pending.append((kind, rng.randrange(1, 4), 50, 90, f"Aussage {i}", pc._pack(words)))
        bag: set[str] = {"krieg", "abkommen"} if rng.random() < 0.9 else set()
        for packed in [d[6] for d in dated] + [p[5] for p in pending]:
            bag |= {w for w in vocab if pc.word_key(w) in pc._unpack(packed)}
        group = f"g{rng.randrange(12)}" if rng.random() < 0.3 else None
        value = None if inferred else (date(2024, 1, 1) + timedelta(days=rng.randrange(300))).isoformat()
        lo = None if not inferred or rng.random() < 0.3 else "2023-01-01"
        hi = None if not inferred or rng.random() < 0.3 else "2024-12-31"
        out.append(pc.DateClues(f"a{i}", inferred, group, value, lo, hi, pc._pack(bag), tuple(dated), tuple(pending)))
    return out


def _pubdate_oracle(summaries: list[pc.DateClues | None], settings: dict[str, Any]) -> dict[int, list[Any]]:
    """Every statement against every dated event of every other article; near duplicates pair by pair."""
    s = pc.CorpusSettings.from_mapping(settings)
    ps = pc._pubdate(settings)
    ts = [t or pc.DateClues("", False, None, None, None, None, b"", (), ()) for t in summaries]
    if not any(t.inferred for t in ts):
        return {}
    n = len(ts)
    df = Counter(w for t in ts for w in pc._unpack(t.words))
    common = frozenset(w for w, k in df.items() if n >= 4 and k > s.common_word_share * n)
    out: dict[int, list[Any]] = defaultdict(list)
    for i, t in enumerate(ts):
        for packed in t.pending:
            p = pc._pending(packed)
            best, best_n, best_j = None, 0, -1
            for j, o in enumerate(ts):
                for d in o.dated if j != i else ():
                    m = len((p.words - common) & pc._unpack(d[6]))
                    if m >= s.event_min_shared_words and m > best_n:
                        best, best_n, best_j = d, m, j
            b = pending_bound(p, pc._dated(best), ps, article=ts[best_j].id) if best else None
            if b is not None and (b.lower is None or b.lower.year <= date.today().year + 1):
                out[i].append(b)
    w = timedelta(days=s.duplicate_window_days)
    for i, t in enumerate(ts):
        if not (t.inferred and t.duplicate_group):
            continue
        for j, o in enumerate(ts):
            if j == i or o.duplicate_group != t.duplicate_group:
                continue
            if not o.inferred and o.value:
                lo, hi = parse_iso(o.value) - w, parse_iso(o.value) + w
            else:
                lo, hi = parse_iso(o.earliest), parse_iso(o.latest)
            if lo is None and hi is None:
                continue
            text = f"near duplicate {o.id}: {lo.isoformat() if lo else '…'} – {hi.isoformat() if hi else '…'}"
            out[i].append(pc.Bound(lo, hi, "duplicate", None, None, text, via={"article": o.id}))
    return dict(out)


def _settings() -> dict[str, Any]:
    from stream_parts import stage_settings

    # two shared words make a match (the default four would need longer invented sentences)
    return {**stage_settings("pubdate_corpus"), "event_min_shared_words": 2, "common_word_share": 0.5}


@pytest.mark.parametrize("seed", [1, 2])
def test_pubdate_corpus_decides_as_the_oracle_from_a_list_and_from_the_spool(seed: int) -> None:
    settings = _settings()
    summaries = _clues(300, seed)
    want = _pubdate_oracle(summaries, settings)
    reasons = Counter(b.reason for bs in want.values() for b in bs)
    assert reasons["duplicate"] >= 20 and reasons["relative-year"] + reasons["anniversary"] >= 20
    # "abkommen" is in every statement and "krieg" in every event, but both are common: no match on them alone
    assert all(b.via and b.via.get("article") for bs in want.values() for b in bs)
    common = {"krieg", "abkommen"}
    keys = {pc.word_key(w) for w in common}
    assert sum(1 for t in summaries if t and keys <= pc._unpack(t.words)) > 150  # in most articles
    assert pc.decide(summaries, settings) == want
    spool, view = _view(summaries)
    with spool:
        assert pc.decide(view, settings) == want
    # nothing inferred: nothing to do
    assert pc.decide([t._replace(inferred=False) if t else None for t in summaries], settings) == {}


def test_real_stages_decide_through_their_registered_parts() -> None:
    """The registered parts are these functions (what a streaming build calls)."""
    assert get_stage("entity_merge").parts.decide is em.decide  # type: ignore[union-attr]
    assert get_stage("pubdate_corpus").parts.decide is pc.decide  # type: ignore[union-attr]


class CountingClues(pc.DateClues):
    """A pubdate summary that counts its live instances."""

    count = 0

    def __new__(cls, *args: Any) -> Any:
        CountingClues.count += 1
        return super().__new__(cls, *args)

    def __del__(self) -> None:
        CountingClues.count -= 1

    def __reduce__(self) -> Any:
        return (CountingClues, tuple(self))


def test_pubdate_corpus_holds_no_summary_objects_while_it_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the summaries being read (and those of the few articles a bound is made for) are alive at once."""
    settings = _settings()
    summaries = [None if t is None else CountingClues(*t) for t in _clues(300, 1)]
    want = _pubdate_oracle(summaries, settings)
    spool, view = _view(summaries)
    del summaries
    live: list[int] = []
    real = pc.pending_bound

    def spy(*args: Any, **kw: Any) -> Any:
        live.append(CountingClues.count)
        return real(*args, **kw)

    monkeypatch.setattr(pc, "pending_bound", spy)
    with spool:
        before = CountingClues.count
        got = pc.decide(view, settings)
    assert got == want and len(live) > 20
    assert max(live) - before <= 4  # the two a bound is made of, the last ones read by two loops (in memory: all 270)
