"""Per-language cue words for mention finding (``data/cues_{lang}.toml``)."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from ...errors import ConfigError

__all__ = ["Cues", "cues_for"]

_FALLBACK = "de"


@dataclass(frozen=True, slots=True)
class Cues:
    """The cue lists of one language (see the data files for what each means)."""

    language: str
    person_titles: frozenset[str]
    person_title_endings: tuple[str, ...]
    roles: dict[str, str]
    org_words: frozenset[str]
    org_endings: tuple[str, ...]
    report_verbs: frozenset[str]
    loc_prepositions: frozenset[str]
    loc_nouns: frozenset[str]
    function_words: frozenset[str]
    stop: frozenset[str]
    noun_endings: tuple[str, ...]
    determiners: frozenset[str] = frozenset()
    #: indefinite articles ("einen Blick": a common noun follows) and preposition + article
    #: contractions ("im Kanton"), case-folded
    indefinites: frozenset[str] = frozenset()
    article_contractions: frozenset[str] = frozenset()
    #: one-word media names that are common nouns ("Blick") and the nouns that mark a medium near them
    common_names: frozenset[str] = frozenset()
    medium_nouns: frozenset[str] = frozenset()
    verb_second: bool = True
    verb_words: frozenset[str] = frozenset()
    verb_endings: tuple[str, ...] = ()
    coordinators: frozenset[str] = frozenset()
    #: first word (case-folded) → [(the phrase's further words, case-folded), role key]
    role_phrases: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    #: words between a title and the state it belongs to ("le porte-parole du Kremlin")
    of_words: frozenset[str] = frozenset()
    #: nouns that make a name into a common noun when compounded after it ("Korea|krieg"), case-folded
    compound_tails: tuple[str, ...] = ()
    #: a capital right after one of these verbs stands for its government ("warnte Seoul"), case-folded
    state_verbs: frozenset[str] = frozenset()
    #: ... and right after one of these links when one of the relation nouns stands up to three words
    #: before the link ("Druck auf Moskau", "Beziehungen zu Peking"), case-folded
    relation_links: frozenset[str] = frozenset()
    relation_nouns: frozenset[str] = frozenset()
    #: more nouns after which a capital stays a place (this heuristic only; ``loc_nouns`` feed the NER model)
    place_nouns: frozenset[str] = frozenset()
    #: nouns that make a person's name before them the name of a place ("Kim Il Sung Square"), case-folded
    place_heads: frozenset[str] = frozenset()
    #: nouns that make a place's name before them the name of a thing ("Rome Statute", "Paris Agreement"),
    #: and nouns of vessels whose name follows them ("the container ship Dali"), case-folded
    thing_heads: frozenset[str] = frozenset()
    vessel_nouns: tuple[str, ...] = ()
    #: finite auxiliaries and modals: a capital right after one opens the middle field, as the subject or the
    #: object of the verb that ends the clause — its state unless that verb is one of ``place_verbs``
    auxiliaries: frozenset[str] = frozenset()
    place_verbs: frozenset[str] = frozenset()
    #: words that open a sports club's name before its town ("FC", "Rapid", "Werder"), case-sensitive
    club_words: frozenset[str] = frozenset()
    #: KB places whose name is also a common noun ("Essen"), case-sensitive, and the possessives and number
    #: words (case-folded) that, like an article, put a common noun after them
    noun_places: frozenset[str] = frozenset()
    possessives: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()

    #: per-form answers of :meth:`is_person_title` / :meth:`is_org_word` (word forms follow Zipf's law)
    _memo: dict[tuple[str, str], bool] = field(default_factory=dict, compare=False, repr=False)

    def is_person_title(self, word: str) -> bool:
        key = ("t", word)
        got = self._memo.get(key)
        if got is None:
            got = self._remember(key, self._person_title(word))
        return got

    def _remember(self, key: tuple[str, str], value: bool) -> bool:
        if len(self._memo) > 400_000:
            self._memo.clear()
        self._memo[key] = value
        return value

    def _person_title(self, word: str) -> bool:
        if word in self.person_titles or (word.endswith("s") and word[:-1] in self.person_titles):
            return True
        low = word.casefold().removesuffix("s")
        return bool(self.person_title_endings) and low.endswith(self.person_title_endings)

    def role_of(self, word: str) -> str | None:
        """The KB role key of a title word ("Kreml-Sprecher" → the role of "Sprecher")."""
        if word in self.roles:
            return self.roles[word]
        tail = word.rsplit("-", 1)[-1]
        if tail in self.roles:
            return self.roles[tail]
        return None

    def is_org_word(self, word: str) -> bool:
        key = ("o", word)
        got = self._memo.get(key)
        if got is None:
            got = self._remember(key, self._org_word(word))
        return got

    def _org_word(self, word: str) -> bool:
        if word in self.org_words:
            return True
        low = word.casefold()
        return bool(self.org_endings) and low.endswith(self.org_endings)


def _load(lang: str) -> dict[str, object]:
    path = resources.files(__package__).joinpath("data", f"cues_{lang}.toml")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"entity cue file cues_{lang}.toml is not valid TOML ({exc}) — fix the file in "
            "src/lagebild/extract/entities/data/"
        ) from exc


@functools.lru_cache(maxsize=16)
def cues_for(language: str | None) -> Cues:
    """The cues of ``language``; German for unknown languages (documented fallback)."""
    lang = (language or _FALLBACK).split("-")[0].lower()
    try:
        d = _load(lang)
    except FileNotFoundError:
        lang = _FALLBACK
        d = _load(lang)

    def words(section: str, key: str = "words") -> list[str]:
        sec = d.get(section, {})
        return list(sec.get(key, [])) if isinstance(sec, dict) else []

    return Cues(
        language=lang,
        person_titles=frozenset(d.get("person_titles", [])),  # type: ignore[arg-type]
        person_title_endings=tuple(x.casefold() for x in d.get("person_title_endings", [])),  # type: ignore[union-attr]
        roles=dict(d.get("roles", {})),  # type: ignore[arg-type]
        org_words=frozenset(words("org")),
        org_endings=tuple(x.casefold() for x in words("org", "endings")),
        report_verbs=frozenset(words("org", "report_verbs")),
        loc_prepositions=frozenset(words("loc", "prepositions")),
        loc_nouns=frozenset(words("loc", "nouns")),
        function_words=frozenset(words("function")),
        stop=frozenset(words("stop")),
        noun_endings=tuple(x.casefold() for x in words("stop", "noun_endings")),
        determiners=frozenset(words("function", "determiners")),
        indefinites=frozenset(words("function", "indefinites")),
        article_contractions=frozenset(words("function", "article_contractions")),
        common_names=frozenset(words("org", "common_names")),
        medium_nouns=frozenset(x.casefold() for x in words("org", "medium_nouns")),
        verb_second=bool(d.get("verb_second", True)),
        verb_words=frozenset(d.get("verb_words", [])),  # type: ignore[arg-type]
        verb_endings=tuple(d.get("verb_endings", [])),  # type: ignore[arg-type]
        coordinators=frozenset(words("function", "coordinators")),
        role_phrases=_phrases(d.get("role_phrases", {})),
        of_words=frozenset(words("function", "of_words")),
        compound_tails=tuple(x.casefold() for x in words("compound", "tails")),
        state_verbs=frozenset(x.casefold() for x in words("state", "object_verbs")),
        relation_links=frozenset(x.casefold() for x in words("state", "links")),
        relation_nouns=frozenset(x.casefold() for x in words("state", "relation_nouns")),
        place_nouns=frozenset(x.casefold() for x in words("state", "place_nouns")),
        place_heads=frozenset(x.casefold() for x in words("loc", "place_heads")),
        thing_heads=frozenset(x.casefold() for x in words("loc", "thing_heads")),
        vessel_nouns=tuple(x.casefold() for x in words("loc", "vessel_nouns")),
        auxiliaries=frozenset(x.casefold() for x in words("state", "auxiliaries")),
        place_verbs=frozenset(x.casefold() for x in words("state", "place_verbs")),
        club_words=frozenset(words("org", "club_words")),
        noun_places=frozenset(words("loc", "noun_places")),
        possessives=frozenset(x.casefold() for x in words("function", "possessives")),
        numbers=frozenset(x.casefold() for x in words("function", "numbers")),
    )


def _phrases(table: object) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """``{"ministre de la Défense": "defence_minister"}`` → ``{"ministre": [(("de", "la", "défense"), …)]}``."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    if not isinstance(table, dict):
        raise ConfigError("entity cues: [role_phrases] must be a table of \"title phrase\" = \"role key\"")
    for phrase, role in table.items():
        words = phrase.casefold().split()
        if len(words) < 2 or not isinstance(role, str):
            raise ConfigError(f"entity cues: role phrase {phrase!r} needs two or more words and a role key string")
        out.setdefault(words[0], []).append((tuple(words[1:]), role))
    for lst in out.values():
        lst.sort(key=lambda x: -len(x[0]))  # longest phrase first
    return out
