"""The compiled, in-memory knowledge base and :func:`load_kb`."""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path
from typing import Iterable

from ..errors import ConfigError
from ._aliases import clean_aliases, generic_places
from ._cache import cache_key, read_cache, write_cache
from ._external import cities, territories
from ._files import merge, parse_entries, read_file
from ._model import KBEntity, Match, _Draft, normalise_surface, surface_keys

__all__ = ["KnowledgeBase", "load_kb", "PACKAGED_FILES", "ADJECTIVE_ENDINGS"]

#: Packaged data files, in load order (later files extend earlier ids).
PACKAGED_FILES = (
    "states.toml", "places.toml", "regions.toml", "organisations.toml", "economy.toml", "people.toml", "history.toml",
)

#: Inflection endings tried after an adjective stem (de, en, fr), longest first.
ADJECTIVE_ENDINGS = (
    "nnes", "nes", "nen", "nne", "en", "em", "er", "es", "ne", "e", "n", "s",  # de, en, fr
    "ого", "ими", "ий", "ая", "ое", "ие", "ой", "ую", "их", "им", "ом", "ей",  # ru
    "",
)

_TOKEN = re.compile(r"\w+|[^\w\s]")
_ACRONYM = "\x00"  # prefix of index keys that match only in capitals


def _is_acronym(s: str) -> bool:
    """Short all-capital forms (``US``, ``EU``, ``AP``) match only when written in capitals."""
    return s.isupper() and len(s) <= 5 and " " not in s


def _pad_lo(d: str) -> str:
    return d + "-01-01"[len(d) - 4 :] if len(d) < 10 else d


def _pad_hi(d: str) -> str:
    return d + "-12-31"[len(d) - 4 :] if len(d) < 10 else d


class KnowledgeBase:
    """Entities plus a surface index; build with :func:`load_kb`.

    ``lookup`` answers every candidate reading of a normalised surface:
    ``name`` and ``short`` forms of the entity itself, and ``metonym`` for the
    entity a place stands for (``Moskau`` → the city *and* Russia).  Metonyms
    resolve to the state entity itself (``gpe:ru``), not to a separate
    government entity.  Candidates come in order: curated entities before
    generic ones, bigger cities before smaller ones.
    """

    def __init__(self, entities: dict[str, KBEntity], ranks: dict[str, int] | None = None) -> None:
        self.entities = entities
        self._adjective_cache: dict[str, tuple[Match, ...]] = {}
        #: stem + ending → readings, built on first use (see :meth:`_inflected_adjectives`)
        self._adjective_forms: dict[str, tuple[Match, ...]] | None = None
        #: the opening words of the multi-word keys, built on first use (see :meth:`key_openings`)
        self._openings: frozenset[str] | None = None
        ranks = ranks or {}
        order = sorted(entities.values(), key=lambda e: ranks.get(e.id, 0))
        index: dict[str, list[Match]] = {}
        adjectives: dict[str, list[Match]] = {}
        max_tokens = 1
        interned: dict[tuple[str, str], Match] = {}  # one object per reading: a smaller cache file

        def match(eid: str, form: str) -> Match:
            m = interned.get((eid, form))
            if m is None:
                m = interned[(eid, form)] = Match(eid, form)
            return m

        def add(key: str, m: Match) -> None:
            lst = index.setdefault(key, [])
            if m not in lst:
                lst.append(m)

        for e in order:
            for form, forms in (("name", e.all_names()), ("short", e.short)):
                for s in forms:
                    keys = surface_keys(s)
                    if not s.isalnum():
                        n = len(_TOKEN.findall(s))
                        if n > max_tokens:
                            max_tokens = n
                    if _is_acronym(s):
                        keys = (_ACRONYM + s,)
                    for k in keys:
                        add(k, match(e.id, form))
                        if e.metonym_of:
                            add(k, match(e.metonym_of, "metonym"))
            for a in e.adjectives:
                for k in surface_keys(a):
                    lst = adjectives.setdefault(k, [])
                    m = match(e.id, "adjective")
                    if m not in lst:
                        lst.append(m)
        self._index = index
        self._adjectives = adjectives
        self.max_tokens = max_tokens
        holders: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        for e in entities.values():
            for r in e.roles:
                lo = _pad_lo(r.start) if r.start else "0000-00-00"
                hi = _pad_hi(r.end) if r.end else "9999-99-99"
                holders.setdefault((r.title, r.of), []).append((lo, hi, e.id))
        for lst in holders.values():
            lst.sort()
        self._holders = holders
        #: How many geonames alternate names the alias hygiene kept and dropped, by reason.
        self.alias_counts: dict[str, int] = {}
        #: Ids of geonames cities no curated file touched: their names are unchecked data.
        self.generic: frozenset[str] = frozenset()

    def _state(self) -> dict[str, object]:
        """What the compiled cache stores (see :mod:`._cache`)."""
        return {
            "entities": self.entities, "index": self._index, "adjectives": self._adjectives,
            "max_tokens": self.max_tokens, "holders": self._holders, "alias_counts": self.alias_counts,
            "generic": self.generic,
        }

    @classmethod
    def _from_state(cls, state: dict[str, object]) -> "KnowledgeBase":
        kb = cls.__new__(cls)
        kb.entities = state["entities"]  # type: ignore[assignment]
        kb._index = state["index"]  # type: ignore[assignment]
        kb._adjectives = state["adjectives"]  # type: ignore[assignment]
        kb.max_tokens = state["max_tokens"]  # type: ignore[assignment]
        kb._holders = state["holders"]  # type: ignore[assignment]
        kb.alias_counts = state.get("alias_counts", {})  # type: ignore[assignment]
        kb.generic = state.get("generic", frozenset())  # type: ignore[assignment]
        kb._adjective_cache = {}
        kb._adjective_forms = None
        kb._openings = None
        return kb

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.entities

    def get(self, entity_id: str) -> KBEntity | None:
        return self.entities.get(entity_id)

    def lookup(self, surface: str) -> list[Match]:
        """Every candidate for an exact (normalised) surface; ``[]`` if unknown.

        Short all-capital forms in the KB (``US``, ``AP``) match only a surface
        in capitals, so English "us" is not the United States; write a mixed-case
        alias (``Nato``) where the press uses one.
        """
        out = list(self._index.get(normalise_surface(surface), ()))
        if _is_acronym(surface):
            for m in self._index.get(_ACRONYM + surface, ()):
                if m not in out:
                    out.append(m)
        return out

    def key_openings(self) -> frozenset[str]:
        """The first one, two, … words of every multi-word lookup key, short of the whole key ("kim",
        "kim jong" of "kim jong un"): a surface whose key opens with none of them followed by a space
        is no multi-word name (see :func:`lagebild.extract.entities._memo.may_open_name`)."""
        got = self._openings
        if got is None:
            out: set[str] = set()
            for key in self._index:
                parts = key.split(" ")
                for k in range(1, len(parts)):
                    out.add(" ".join(parts[:k]))
            got = self._openings = frozenset(out)
        return got

    def adjective(self, token: str) -> list[Match]:
        """Entities whose adjective stem plus an inflection ending is ``token``.

        ``russischen`` → Russia, ``nordkoreanische`` → North Korea, ``Russian``
        → Russia, ``ukrainienne`` → Ukraine.  Form is always ``"adjective"``.
        """
        cached = self._adjective_cache.get(token)
        if cached is not None:
            return list(cached)
        forms = self._adjective_forms
        if forms is None:
            forms = self._adjective_forms = self._inflected_adjectives()
        out = list(forms.get(normalise_surface(token), ()))
        if len(self._adjective_cache) < 500_000:  # word forms follow Zipf's law: a bounded memo pays
            self._adjective_cache[token] = tuple(out)
        return out

    def _inflected_adjectives(self) -> dict[str, tuple[Match, ...]]:
        """Every adjective stem with every ending → its readings, in the order of
        :data:`ADJECTIVE_ENDINGS` then of the stem's entries (what :meth:`adjective` returns)."""
        forms: dict[str, list[Match]] = {}
        for end in ADJECTIVE_ENDINGS:
            for stem, matches in self._adjectives.items():
                got = forms.setdefault(stem + end, [])
                for m in matches:
                    if m not in got:
                        got.append(m)
        return {k: tuple(v) for k, v in forms.items() if v}

    def role_holders(self, title: str, of: str, date: str | None) -> list[str]:
        """Ids of who held role ``title`` of ``of`` at ``date`` (all holders if ``None``).

        Partial dates are taken generously: a term starting in "2012" counts
        from 2012-01-01, one ending in "2024-05" counts until 2024-05-31, so a
        date near a change may name both holders.  Earliest term first.
        """
        rows = self._holders.get((title, of), ())
        if date is None:
            return list(dict.fromkeys(eid for _, _, eid in rows))
        lo, hi = _pad_lo(date), _pad_hi(date)
        return list(dict.fromkeys(eid for s, e, eid in rows if s <= hi and e >= lo))


def _check_references(drafts: dict[str, _Draft]) -> None:
    for d in drafts.values():
        if d.metonym_of and d.metonym_of not in drafts:
            raise ConfigError(f"{d.origin}: entity {d.id!r}: metonym_of {d.metonym_of!r} is not a known id — add that entity or fix the id")
        for r in d.roles:
            if r.of not in drafts:
                raise ConfigError(f"{d.origin}: entity {d.id!r}: role {r.title!r} of {r.of!r} — no such entity; add it or fix the id")
        for lang, forms in d.names.items():
            if not forms:
                raise ConfigError(f"{d.origin}: entity {d.id!r}: names.{lang} is empty — give at least one name or drop the language")


def _build(paths: tuple[str, ...]) -> KnowledgeBase:
    """Build the KB from its sources (seconds; :func:`_load` caches the result)."""
    drafts: dict[str, _Draft] = {}
    for d in territories():
        drafts[d.id] = d
    for d in cities():
        drafts[d.id] = d
    data = resources.files(__package__).joinpath("data")
    for i, name in enumerate(PACKAGED_FILES):
        label = f"lagebild/kb/data/{name}"
        entries = read_file(Path(str(data.joinpath(name))), label)
        merge(drafts, parse_entries(entries, label), rank=i, origin=label)
    for p in paths:
        entries = read_file(Path(p))
        merge(drafts, parse_entries(entries, p), rank=len(PACKAGED_FILES), origin=p)  # after the packaged files
    _check_references(drafts)
    counts = clean_aliases(drafts)
    kb = KnowledgeBase({k: d.freeze() for k, d in drafts.items()}, {k: d.rank for k, d in drafts.items()})
    kb.alias_counts = counts
    kb.generic = generic_places(drafts)
    return kb


def _built_apart(paths: tuple[str, ...], key: str) -> dict[str, object]:
    """Build the KB, write its cache file if the folder can be written, and return the compiled state (from
    a child process it comes back through the pipe, ~3 MB)."""
    state = _build(paths)._state()
    write_cache(key, state)
    return state


@functools.lru_cache(maxsize=8)
def _load(paths: tuple[str, ...], use_cache: bool = True) -> KnowledgeBase:
    from .._memory import run_apart

    if not use_cache:
        return _build(paths)
    key = cache_key(paths)
    # a cache miss is built in a child process where one can be forked (else here): the build's scratch (word
    # lists, geonames and CLDR data; ~100 MB more than the result) goes back to the system with it
    state = read_cache(key) or run_apart(_built_apart, paths, key, what="building the knowledge base")
    return KnowledgeBase._from_state(state)


def load_kb(extra: Iterable[str | Path] = (), *, cache: bool = True) -> KnowledgeBase:
    """The packaged KB plus user files ``extra`` (the ``--kb`` option), loaded once per set of paths.

    ``cache``: read and write the compiled KB cache (see :mod:`._cache`); a
    cache file is used only when every input of the build is unchanged.
    """
    return _load(tuple(str(Path(p).expanduser()) for p in extra), cache)
