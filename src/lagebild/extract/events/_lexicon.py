"""The PLOVER ontology and the per-language trigger lexicons (TOML data files).

``plover.toml`` holds the 16 PLOVER 0.8 categories (quad category, recipient
flag, modes) and the general contexts; ``lexicon/<lang>.toml`` holds a
language's ``[triggers]`` (lemma → category, mode, flags), its ``[cues]``
(negation, future, background, status words), ``[preps]`` (which prepositions
mark a target, a place, an agent) and ``[contexts]`` (stems that add a general
context).  User files in the lexicon format are merged over the packaged one
(``stages.events.lexicon_files``): a trigger key replaces the packaged entry, a
cue list extends it.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import ConfigError

__all__ = ["Ontology", "Trigger", "Lexicon", "load_ontology", "load_lexicon", "LEXICON_DIR"]

_HERE = Path(__file__).resolve().parent
LEXICON_DIR = _HERE / "lexicon"


@dataclass(frozen=True, slots=True)
class Ontology:
    """PLOVER categories and general contexts."""

    version: str
    future_as: str
    categories: dict[str, dict[str, Any]]
    contexts: tuple[str, ...]

    def modes(self, event: str) -> tuple[str, ...]:
        return tuple(self.categories[event].get("modes", ()))


@dataclass(frozen=True, slots=True)
class Trigger:
    """One lexicon entry: the category a lemma evokes."""

    key: str
    event: str
    mode: str | None = None
    strong: bool = False
    head: bool = False
    with_: frozenset[str] = frozenset()
    passive: bool = False
    verbal: bool = False
    context: tuple[str, ...] = ()


@dataclass(slots=True)
class Lexicon:
    """A language's triggers and cue words (all keys case-folded)."""

    language: str
    triggers: dict[str, Trigger] = field(default_factory=dict)
    cues: dict[str, frozenset[str]] = field(default_factory=dict)
    #: multi-word cues (tuples of case-folded words) per cue list
    phrases: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    preps: dict[str, frozenset[str]] = field(default_factory=dict)
    contexts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    head_re: re.Pattern[str] | None = None
    context_re: re.Pattern[str] | None = None
    context_of: dict[str, str] = field(default_factory=dict)
    #: verb lemma → the particles it forms a trigger with ("weisen" → {"zurück"})
    sep_bases: dict[str, frozenset[str]] = field(default_factory=dict)
    #: word form → True (may trigger), the particles it needs, or False (filled as words are seen)
    memo: dict[str, bool | frozenset[str]] = field(default_factory=dict)
    #: word form → its trigger by :func:`._match._lookup` (None: none), filled as words are seen
    lookups: dict[str, Trigger | None] = field(default_factory=dict)

    def cue(self, name: str) -> frozenset[str]:
        return self.cues.get(name, frozenset())


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(
            f"events lexicon file {path} not found — fix the path in stages.events.lexicon_files"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"events lexicon file {path} is not valid TOML ({exc}) — fix the file") from None


@functools.lru_cache(maxsize=4)
def load_ontology() -> Ontology:
    """The packaged PLOVER ontology (``plover.toml``)."""
    d = _read(_HERE / "plover.toml")
    return Ontology(
        version=str(d["version"]),
        future_as=str(d.get("future_as", "AGREE")),
        categories={k: dict(v) for k, v in d["categories"].items()},
        contexts=tuple(d["contexts"]["names"]),
    )


def _trigger(key: str, spec: Any, onto: Ontology, where: str) -> Trigger:
    if not isinstance(spec, dict) or "event" not in spec:
        raise ConfigError(f"{where}: trigger {key!r} needs a table with an 'event' — e.g. {{ event = \"CONSULT\" }}")
    event = str(spec["event"]).upper()
    if event not in onto.categories:
        raise ConfigError(
            f"{where}: trigger {key!r} has event {event!r}, not a PLOVER category — use one of "
            + ", ".join(onto.categories)
        )
    mode = spec.get("mode")
    if mode is not None and mode not in onto.modes(event):
        raise ConfigError(
            f"{where}: trigger {key!r} has mode {mode!r}, which {event} does not have — use one of "
            f"{', '.join(onto.modes(event)) or '(none: leave mode out)'}"
        )
    ctx = tuple(spec.get("context", ()))
    bad = [c for c in ctx if c not in onto.contexts]
    if bad:
        raise ConfigError(f"{where}: trigger {key!r} has unknown context {bad} — see plover.toml [contexts]")
    return Trigger(
        key=key.casefold(),
        event=event,
        mode=mode,
        strong=bool(spec.get("strong", False)),
        head=bool(spec.get("head", False)),
        with_=frozenset(str(w).casefold() for w in spec.get("with", ())),
        passive=bool(spec.get("passive", False)),
        verbal=bool(spec.get("verbal", False)),
        context=ctx,
    )


def _merge(lex: Lexicon, d: dict[str, Any], onto: Ontology, where: str) -> None:
    for key, spec in (d.get("triggers") or {}).items():
        t = _trigger(key, spec, onto, where)
        lex.triggers[t.key] = t
    for name, words in (d.get("cues") or {}).items():
        single = {w.casefold() for w in words if " " not in w}
        multi = tuple(tuple(w.casefold().split()) for w in words if " " in w)
        lex.cues[name] = lex.cues.get(name, frozenset()) | single
        lex.phrases[name] = lex.phrases.get(name, ()) + multi
    for name, words in (d.get("preps") or {}).items():
        lex.preps[name] = lex.preps.get(name, frozenset()) | {w.casefold() for w in words}
    for name, stems in (d.get("contexts") or {}).items():
        if name not in onto.contexts:
            raise ConfigError(f"{where}: unknown context {name!r} — use one of {', '.join(onto.contexts)}")
        lex.contexts[name] = lex.contexts.get(name, ()) + tuple(s.casefold() for s in stems)


def _longest_first(words: list[str]) -> str:
    """A regex that matches, at a position, the longest of ``words`` that starts there — what
    ``"|".join(sorted(words, key=len, reverse=True))`` matches — written as a trie ("wahl(?:kampf)?"):
    the engine then compares a character with one branch per distinct next letter, not with every
    word (the stems of ``[contexts]`` are searched in every sentence with an event)."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}  # a word ends here

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not alts:
            return ""
        group = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" not in node:
            return group
        # a word ends here, longer ones go on: try them first (greedy), else stop here
        return (group if len(alts) > 1 or len(alts[0]) == 1 else "(?:" + group + ")") + "?"

    return emit(trie)


def _compile(lex: Lexicon) -> None:
    parts = sorted(lex.cue("particles"), key=len, reverse=True)
    bases: dict[str, set[str]] = {}
    for key in lex.triggers:
        # the longest particle a verb key starts with ("zurück|weisen", not "zu|rückweisen")
        p = next((p for p in parts if key.startswith(p)), None)
        base = key[len(p) :] if p else ""
        if p and len(base) >= 5 and base.endswith(("en", "ern", "eln")):
            bases.setdefault(base, set()).add(p)
    lex.sep_bases = {b: frozenset(ps) for b, ps in bases.items()}
    heads = [k for k, t in lex.triggers.items() if t.head]
    lex.head_re = re.compile(r"(?:%s)$" % _longest_first(heads)) if heads else None
    stems: dict[str, str] = {}
    for ctx, ss in lex.contexts.items():
        for s in ss:
            stems.setdefault(s, ctx)
    lex.context_of = stems
    if stems:
        lex.context_re = re.compile(_longest_first(list(stems)))


@functools.lru_cache(maxsize=16)
def load_lexicon(language: str, extra_files: tuple[str, ...] = ()) -> Lexicon | None:
    """The lexicon for ``language`` (packaged file + ``extra_files``), None if there is none."""
    onto = load_ontology()
    lang = (language or "").split("-")[0].lower()
    path = LEXICON_DIR / f"{lang}.toml"
    if not path.is_file():
        return None
    lex = Lexicon(language=lang)
    _merge(lex, _read(path), onto, str(path))
    for extra in extra_files:
        d = _read(Path(extra))
        langs = d.get("languages")
        if langs is not None and lang not in langs:
            continue
        _merge(lex, d, onto, extra)
    _compile(lex)
    return lex
