"""Loading the quantity lexicons (``lexicon/<lang>.toml``, ``lexicon/measures.toml``).

Lexicons are data only; :func:`load_lexicon` reads and caches one language's
tables as a :class:`QuantityLexicon` with every surface form already folded
into look-up dicts (lower case unless a form must match exactly).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any, Iterable

__all__ = [
    "QuantityLexicon",
    "load_lexicon",
    "available_languages",
    "load_measures",
    "alternation",
    "exact_form",
]


def exact_form(form: str) -> bool:
    """Whether ``form`` must match with its case (symbols, short forms, forms with capitals)."""
    letters = [c for c in form if c.isalpha()]
    return len(letters) < 3 or any(c.isupper() for c in form[1:]) or not form[:1].isalpha()


def alternation(forms: Iterable[str]) -> str:
    """A regex alternation of ``forms``, longest first; forms that may vary in case are
    wrapped in ``(?i:…)``; inner spaces match any run of white space."""
    parts = []
    for f in sorted(set(forms), key=lambda s: (-len(s), s)):
        pat = r"\s+".join(re.escape(w) for w in f.split())
        parts.append(pat if exact_form(f) else f"(?i:{pat})")
    return "|".join(parts) if parts else "(?!)"


def _key(form: str) -> str:
    """How a matched surface form is looked up again."""
    form = " ".join(form.split())
    return form if exact_form(form) else form.lower()


@dataclass(frozen=True, slots=True)
class QuantityLexicon:
    """One language's quantity tables (see ``lexicon/de.toml`` for their meaning)."""

    language: str
    grammar: dict[str, Any]
    number_words: dict[str, float]
    multipliers: dict[str, float]
    fractions: dict[str, float]
    connectors: frozenset[str]
    one_words: frozenset[str]
    scales: dict[str, float]
    currency_scales: dict[str, float]
    fraction_words: dict[str, int]  #: lower-case word -> denominator
    vague: dict[str, tuple[float, float]]
    vague_quantifiers: tuple[str, ...]
    vague_scales: tuple[str, ...]
    range_connectors: tuple[str, ...]
    between: tuple[str, ...]
    between_and: tuple[str, ...]
    qualifiers: dict[str, str]  #: surface (lookup key) -> mod
    currency_prefix: dict[str, str]  #: surface -> ISO code
    units: dict[str, str]  #: surface (lookup key) -> unit key
    coordination: tuple[str, ...]  #: words joining numbers that share the last one's unit
    negative: frozenset[str]  #: words before a number that make it negative
    reference_before: frozenset[str]
    stop_after: frozenset[str]
    object_skip: frozenset[str]
    object_skip_after_vague: frozenset[str]
    adjective_endings: tuple[str, ...]
    adjectives: frozenset[str]
    object_stop: frozenset[str]
    max_adjectives: int
    plurals: frozenset[str]  #: words that are plural whatever their ending (English)
    plural_endings: tuple[str, ...]
    singular_endings: tuple[str, ...]

    def unit_of(self, surface: str) -> str | None:
        s = " ".join(surface.split())
        return self.units.get(s) or self.units.get(s.lower())

    def qualifier_of(self, surface: str) -> str | None:
        s = " ".join(surface.split())
        return self.qualifiers.get(s) or self.qualifiers.get(s.lower())

    def scale_of(self, surface: str) -> float | None:
        s = " ".join(surface.split()).lower()
        return self.scales.get(s)


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name) or {}
    return value if isinstance(value, dict) else {}


def _words(data: dict[str, Any], name: str, key: str = "words") -> list[str]:
    return [str(w) for w in _table(data, name).get(key) or []]


def _by_form(table: dict[str, Any]) -> dict[str, str]:
    """``{key: [forms]}`` inverted to ``{lookup form: key}`` (first key wins)."""
    out: dict[str, str] = {}
    for key, forms in table.items():
        for f in forms:
            out.setdefault(_key(str(f)), str(key))
    return out


def available_languages() -> list[str]:
    """Languages with a quantity lexicon, e.g. ``["de", "en"]``."""
    return list(_languages())


@functools.lru_cache(maxsize=1)
def _languages() -> tuple[str, ...]:
    folder = resources.files(__package__).joinpath("lexicon")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml") and p.name != "measures.toml"))


def _read(name: str) -> dict[str, Any]:
    path = resources.files(__package__).joinpath("lexicon").joinpath(name)
    return tomllib.loads(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=16)
def load_lexicon(language: str) -> QuantityLexicon:
    """The quantity lexicon of ``language`` (``ValueError`` when there is none)."""
    if language not in available_languages():
        raise ValueError(f"no quantity lexicon for language {language!r}; available: {available_languages()}")
    d = _read(f"{language}.toml")
    obj = _table(d, "object")
    return QuantityLexicon(
        language=language,
        grammar=_table(d, "grammar"),
        number_words={k.lower(): float(v) for k, v in _table(d, "number_words").items()},
        multipliers={k.lower(): float(v) for k, v in _table(d, "number_multipliers").items()},
        fractions={k.lower(): float(v) for k, v in _table(d, "number_fractions").items()},
        connectors=frozenset(w.lower() for w in _words(d, "number_connector")),
        one_words=frozenset(w.lower() for w in _words(d, "one")),
        scales={k.lower(): float(v) for k, v in _table(d, "scales").items()},
        currency_scales={k: float(v) for k, v in _table(d, "currency_scales").items()},
        fraction_words={k.lower(): int(v) for k, v in _table(d, "fraction_words").items()},
        vague={k.lower(): (float(v[0]), float(v[1])) for k, v in _table(d, "vague").items()},
        vague_quantifiers=tuple(_words(d, "vague_quantifiers")),
        vague_scales=tuple(_words(d, "vague_quantifiers", "scales")),
        range_connectors=tuple(_words(d, "range", "connectors")),
        between=tuple(_words(d, "range", "between")),
        between_and=tuple(_words(d, "range", "between_and")),
        qualifiers={_key(f): mod for mod, forms in _table(d, "qualifiers").items() for f in forms},
        currency_prefix={" ".join(str(f).split()): k for k, fs in _table(d, "currency_prefix").items() for f in fs},
        units=_by_form(_table(d, "units")),
        coordination=tuple(_words(d, "coordination")),
        negative=frozenset(w.lower() for w in _words(d, "sign", "negative")),
        reference_before=frozenset(w.lower() for w in _words(d, "reference_before")),
        stop_after=frozenset(w.lower() for w in _words(d, "stop_after")),
        object_skip=frozenset(w.lower() for w in obj.get("skip") or []),
        object_skip_after_vague=frozenset(w.lower() for w in obj.get("skip_after_vague") or []),
        adjective_endings=tuple(obj.get("adjective_endings") or ()),
        adjectives=frozenset(w.lower() for w in obj.get("adjectives") or []),
        object_stop=frozenset(w.lower() for w in obj.get("stop") or []),
        max_adjectives=int(obj.get("max_adjectives", 3)),
        plurals=frozenset(w.lower() for w in obj.get("plurals") or []),
        plural_endings=tuple(obj.get("plural_endings") or ()),
        singular_endings=tuple(obj.get("singular_endings") or ()),
    )


@functools.lru_cache(maxsize=1)
def load_measures() -> dict[str, str]:
    """``{lower-case lemma: concept}`` from ``lexicon/measures.toml``."""
    d = _read("measures.toml")
    out: dict[str, str] = {}
    for concept, lemmas in _table(d, "concepts").items():
        for lem in lemmas:
            out.setdefault(str(lem).lower(), str(concept))
    return out
