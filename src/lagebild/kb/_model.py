"""Records of the knowledge base and the one surface normalisation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["Role", "KBEntity", "Match", "normalise_surface", "opening_key", "surface_keys", "ENTITY_TYPES", "MATCH_FORMS"]

#: Entity types the KB knows (the same labels the entities stage emits).
ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC", "MISC")

#: How a surface relates to the entity it names.
MATCH_FORMS = ("name", "short", "adjective", "metonym", "title")


@dataclass(frozen=True, slots=True)
class Role:
    """A role an entity held: ``title`` (role key) of entity ``of`` from ``start`` to ``end``.

    Dates are ISO with year, month or day precision; ``None`` means open
    (unknown start, or still in office).
    """

    title: str
    of: str
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True, slots=True)
class KBEntity:
    """One entity: canonical English ``name``, names per language, adjectives, roles."""

    id: str
    type: str
    name: str
    names: dict[str, tuple[str, ...]]
    adjectives: tuple[str, ...] = ()
    metonym_of: str | None = None
    roles: tuple[Role, ...] = ()
    qid: str | None = None
    #: Short forms (a surname, an acronym used alone) — matched with form ``"short"``.
    short: tuple[str, ...] = ()
    #: For organisations: agency, outlet, armed_forces, intelligence, io, party, company, government …
    kind: str | None = None
    #: ISO 3166 code for states and cities, where known.
    country: str | None = None

    def all_names(self) -> tuple[str, ...]:
        """Every full name (canonical first), de-duplicated in order."""
        seen: dict[str, None] = {self.name: None}
        for forms in self.names.values():
            for f in forms:
                seen.setdefault(f, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate reading of a surface: which entity, and in which ``form``."""

    entity_id: str
    form: str


_DASHES = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212_]+")
_APOS = re.compile(r"[\u2019\u2018\u02bc`´]")
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def _strip_marks(s: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFKD", s))


def normalise_surface(s: str) -> str:
    """The lookup key of a surface form.

    Case-folded (``ß`` → ``ss``), diacritics removed (``Köln`` →
    ``koln``), typographic apostrophes made ``'``, and every run of
    spaces, hyphens, dashes and underscores made one space (``Rheinland-Pfalz`` ==
    ``Rheinland Pfalz``).  The German spelling with ``ae``/``oe``/``ue`` is indexed
    as a second key (see :func:`surface_keys`), so ``Koeln`` finds it too.
    """
    if s.isascii():
        out = s.casefold()
        if out.isalnum():
            return out
    else:
        out = _APOS.sub("'", _strip_marks(s).casefold())
    return _DASHES.sub(" ", out).strip()


def opening_key(word: str) -> str | None:
    """What ``word`` becomes at the start of the key of a longer surface ``word + " " + …``:
    :func:`normalise_surface` works character by character apart from joining runs of spaces and
    dashes, so that key opens with this and a space.  ``None`` for a word holding an apostrophe
    mark, which the key of an all-ASCII surface keeps as written."""
    if _APOS.search(word):
        return None
    return _DASHES.sub(" ", _strip_marks(word).casefold()).strip()


def surface_keys(s: str) -> tuple[str, ...]:
    """All index keys of a name: the plain key and, for umlauts, the ``ae`` spelling."""
    key = normalise_surface(s)
    if s.isascii():
        return (key,)
    alt = normalise_surface(s.translate(_GERMAN))
    return (key,) if alt == key else (key, alt)


@dataclass(slots=True)
class _Draft:
    """An entity while files are merged (mutable; frozen into :class:`KBEntity`)."""

    id: str
    type: str
    name: str
    names: dict[str, list[str]] = field(default_factory=dict)
    adjectives: list[str] = field(default_factory=list)
    metonym_of: str | None = None
    roles: list[Role] = field(default_factory=list)
    qid: str | None = None
    short: list[str] = field(default_factory=list)
    kind: str | None = None
    country: str | None = None
    rank: int = 0  #: lower sorts first among candidates of one surface
    origin: str = ""  #: file (or source) that introduced it, for messages

    def freeze(self) -> KBEntity:
        return KBEntity(
            id=self.id,
            type=self.type,
            name=self.name,
            names={lang: tuple(v) for lang, v in self.names.items()},
            adjectives=tuple(self.adjectives),
            metonym_of=self.metonym_of,
            roles=tuple(self.roles),
            qid=self.qid,
            short=tuple(self.short),
            kind=self.kind,
            country=self.country,
        )
