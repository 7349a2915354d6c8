"""Which country's reading of a name shared by several countries ("Bundesregierung", "die Grünen").

A name such as "Bundesregierung" or "Grünen" is held by entities of several
countries (the German and the Austrian government; the German, Austrian and
Swiss Greens), each with its ``country`` in the knowledge base.  The article's
other mentions that have one reading tell where it plays: its parties,
governments and places (their ``country``), the states themselves, and people
through the states of their roles.  The reading of the country with the most of
them wins — counted in the mention's sentence first, then with its neighbours,
then in the whole article; with no clue at all, the first listed reading (the
knowledge base lists the German ones first); with a tie at every level, none
(the mention stays ambiguous).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Sequence

__all__ = ["country_of", "country_evidence", "by_country"]


def country_of(kb: Any, eid: str) -> set[str]:
    """The countries an entity belongs to: its own ``country``, else the states of its roles."""
    ent = kb.entities.get(eid)
    if ent is None:
        return set()
    if ent.country:
        return {ent.country.upper()}
    out: set[str] = set()
    for role in ent.roles:
        state = kb.entities.get(role.of)
        if state is not None and state.country:
            out.add(state.country.upper())
    return out


def country_evidence(kb: Any, ids: Iterable[str]) -> Counter[str]:
    """How many of the mentions with one reading (``ids``: one entity id per mention) point to each country."""
    out: Counter[str] = Counter()
    for eid in ids:
        out.update(country_of(kb, eid))
    return out


def by_country(kb: Any, ids: Sequence[str], evidence: Sequence[Counter[str]]) -> str | None:
    """The reading of ``ids`` (entities of one name) for the article's country, or ``None`` when the
    readings are not one per country or the clues tie.

    ``evidence``: counts from the nearest text outwards (the sentence, its neighbours, the whole
    article); the first that points to one of the readings' countries more than to the others
    decides, so "SPD/Grünen … in Deutschland" is German in an article that is otherwise about
    Austria."""
    countries = []
    for eid in ids:
        got = country_of(kb, eid)
        if len(got) != 1:
            return None
        countries.append(next(iter(got)))
    if len(set(countries)) != len(countries):
        return None
    clue = False
    for counts in evidence:
        score = [counts[c] for c in countries]
        best = max(score)
        if best == 0:
            continue
        clue = True
        if score.count(best) == 1:
            return ids[score.index(best)]
    return None if clue else ids[0]  # no clue at all: the first listed reading
