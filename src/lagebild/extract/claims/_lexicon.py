"""The per-language cue lexicon of the claims stage (``lexicon/<lang>.toml``), loaded once."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ...errors import ConfigError

__all__ = ["ClaimLexicon", "claim_lexicon", "LANGUAGES"]

#: Languages with a lexicon file.
LANGUAGES = ("de", "en")

_INSEPARABLE = ("be", "er", "ver", "ent", "zer", "ge", "emp", "miss", "über", "unter", "hinter", "wider")
#: matches (empty) where ``\b`` holds
_BOUNDARY = re.compile(r"\b")


@dataclass(frozen=True, slots=True, eq=False)
class ClaimLexicon:
    """Cue words of one language, as sets of lower-case forms."""

    language: str
    #: finite/participle form -> [(infinitive, particle or "", class)] for verb cues
    verb_forms: dict[str, list[tuple[str, str, str]]]
    #: fused separable forms ("mitteilte") -> (infinitive, class)
    fused_forms: dict[str, tuple[str, str]]
    frames: dict[str, frozenset[str]]
    words: dict[str, frozenset[str]]
    media: frozenset[str]
    hedges: frozenset[str]
    report_modals: frozenset[str]
    speculation: frozenset[str]
    konjunktiv: frozenset[str]
    konj_suffixes: tuple[str, ...]
    not_konjunktiv: frozenset[str]
    #: lower-case words at which a frame may start (the tokens ``find_frames`` looks at)
    triggers: frozenset[str]
    #: lower-case words of which a sentence needs one (or a ``gate_re`` match, or a word that the
    #: Konjunktiv suffix rule accepts) before frames and status markers are looked for
    gate_words: frozenset[str]
    #: the multi-word gate "…, so X" over the lower-cased sentence (the hedge patterns gate too)
    gate_re: re.Pattern[str] | None
    #: the multi-word hedges ``(?:pattern|…)\b`` without the leading ``\b`` they are matched with
    #: (see :meth:`has_hedge`): a pattern that opens with literals is searched for with a fast scan for
    #: their first characters, and the boundary is checked at each match
    hedge_scan: re.Pattern[str] | None
    #: for each hedge pattern, text that every match of it begins with ("" where that is not plain):
    #: a sentence without any of them holds no hedge (a substring test, before any regex search)
    hedge_heads: tuple[str, ...]
    #: the ``media`` words as a tuple, for one ``str.endswith`` per word
    media_suffixes: tuple[str, ...]
    #: the ``according_nouns`` of ``frames`` as a tuple, likewise
    according_suffixes: tuple[str, ...]
    #: every word a status marker is made of (hedges, report modals, speculation, Konjunktiv forms)
    marker_words: frozenset[str]

    def is_konj_suffix_form(self, word: str) -> bool:
        """Whether the lower-case ``word`` is a Konjunktiv I form by the suffix rule (cached per form)."""
        return _konj_suffix_form(self, word)

    def has_hedge(self, low: str) -> bool:
        """Whether ``\b`` + ``hedge_scan`` matches in the lower-cased text ``low`` (a multi-word hedge).

        A text holding none of the ``hedge_heads`` has no match; else ``hedge_scan`` is searched again
        after each match that lacks the leading word boundary, so every start position the pattern with
        its ``\b`` tries is tried: the same answer, several times faster.
        """
        if self.hedge_scan is None or not any(head in low for head in self.hedge_heads):
            return False
        m = self.hedge_scan.search(low)
        while m is not None and _BOUNDARY.match(low, m.start()) is None:
            m = self.hedge_scan.search(low, m.start() + 1)
        return m is not None


@functools.lru_cache(maxsize=65536)
def _konj_suffix_form(lex: ClaimLexicon, word: str) -> bool:
    if not lex.konj_suffixes or len(word) <= 4 or not word.endswith(lex.konj_suffixes) or word in lex.not_konjunktiv:
        return False
    from ...nlp import lemma

    return lemma(word, lex.language) == word + "n"


def _literal_head(pattern: str) -> str:
    """Text that every match of the regular expression ``pattern`` begins with: its leading letters,
    digits and spaces, less a last one a quantifier makes optional; "" for a pattern with an escape
    or an alternative outside parentheses (which may begin otherwise)."""
    depth = 0
    for c in pattern:
        depth += (c == "(") - (c == ")")
        if c == "\\" or (c == "|" and depth == 0):
            return ""
    n = 0
    while n < len(pattern) and (pattern[n].isalnum() or pattern[n] == " "):
        n += 1
    if n < len(pattern) and pattern[n] in "?*{":
        n -= 1
    return pattern[: max(n, 0)]


def _weak_forms(verb: str, lang: str) -> list[str]:
    """Regular finite forms and the participle of a weak verb."""
    if lang == "en":
        stem = verb[:-1] if verb.endswith("e") else verb
        if verb.endswith("y") and verb[-2:-1] not in "aeiou":
            return [verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"]
        return [verb, verb + "s", stem + "ed", stem + "ing"]
    if verb.endswith(("eln", "ern")):
        stem = verb[:-1]
    elif verb.endswith("en"):
        stem = verb[:-2]
    else:
        stem = verb[:-1]
    e = "e" if stem.endswith(("t", "d")) or re.search(r"[^aeiouäöülr]n$|[^aeiouäöülr]m$", stem) else ""
    forms = [verb, stem + e + "t", stem + e + "te", stem + e + "ten", stem + "e", stem + e + "test"]
    if verb.endswith("ieren") or verb.startswith(_INSEPARABLE):
        forms.append(stem + e + "t")
    else:
        forms.append("ge" + stem + e + "t")
    return forms


def _load(lang: str) -> dict[str, Any]:
    try:
        raw = resources.files(__package__).joinpath("lexicon").joinpath(f"{lang}.toml").read_bytes()
    except FileNotFoundError as exc:  # pragma: no cover - packaging error
        raise ConfigError(
            f"no claims lexicon for language {lang!r} — add src/lagebild/extract/claims/lexicon/{lang}.toml "
            f"or remove {lang!r} from stages.claims.languages"
        ) from exc
    return tomllib.loads(raw.decode("utf-8"))


@functools.lru_cache(maxsize=8)
def claim_lexicon(language: str) -> ClaimLexicon:
    """The lexicon of ``language`` (``de``, ``en``), compiled once."""
    d = _load(language)
    irregular: dict[str, list[str]] = {k: list(v) for k, v in d.get("irregular", {}).items()}
    verb_forms: dict[str, list[tuple[str, str, str]]] = {}
    fused: dict[str, tuple[str, str]] = {}
    # later classes win: speech < speculation < denial
    for cls in ("speech", "relay", "speculation", "denial"):
        for entry in d["verbs"].get(cls, []):
            particle, _, verb = entry.rpartition("|")
            forms = [verb, *irregular[verb]] if verb in irregular else _weak_forms(verb, language)
            for f in forms:
                entries = verb_forms.setdefault(f, [])
                entries[:] = [x for x in entries if x[:2] != (particle + verb, particle)]
                entries.append((particle + verb, particle, cls))
                if particle:
                    fused[particle + f] = (particle + verb, cls)
            if particle:  # participle "mitgeteilt", infinitive "mitteilen"
                fused[particle + verb] = (particle + verb, cls)
                stem_forms = _weak_forms(verb, language) if verb not in irregular else irregular[verb]
                part = [f for f in stem_forms if f.startswith("ge")]
                for f in part:
                    fused[particle + f] = (particle + verb, cls)
    st = d.get("status", {})
    pats = st.get("hedge_patterns", [])
    kj = d.get("konjunktiv", {})
    fr = d.get("frames", {})
    triggers = frozenset(verb_forms) | frozenset(fused) | frozenset(
        w for k in ("according_preps", "according_postps", "according_nach", "according_to", "impersonal", "so_words")
        for w in fr.get(k, [])
    )
    media = frozenset(d.get("media", {}).get("words", []))
    hedges = frozenset(st.get("hedges", []))
    report_modals = frozenset(st.get("report_modals", []))
    speculation = frozenset(st.get("speculation", []))
    konjunktiv = frozenset(kj.get("forms", []))
    markers = hedges | report_modals | speculation | konjunktiv
    # gate words: every trigger except the ones that need a partner word (those partners are in the gate)
    gate_words = (
        (triggers - frozenset(fr.get("according_nach", [])) - frozenset(fr.get("so_words", [])))
        | frozenset(fr.get("according_nouns", [])) | markers | frozenset(d.get("words", {}).get("relay_adverbs", []))
    )
    # "…, so X": only right after a clause delimiter
    so_words = "|".join(re.escape(w) for w in fr.get("so_words", []))
    so_gate = r"[,:;–—()]\s*(?:" + so_words + r")\b" if fr.get("so_words") else None
    return ClaimLexicon(
        language=language,
        verb_forms=verb_forms,
        fused_forms=fused,
        frames={k: frozenset(v) for k, v in d.get("frames", {}).items()},
        words={k: frozenset(v) for k, v in d.get("words", {}).items()},
        media=media,
        hedges=hedges,
        report_modals=report_modals,
        speculation=speculation,
        konjunktiv=konjunktiv,
        konj_suffixes=tuple(kj.get("suffixes", [])),
        not_konjunktiv=frozenset(kj.get("not_forms", [])),
        triggers=triggers,
        gate_words=gate_words,
        gate_re=re.compile(so_gate) if so_gate else None,
        hedge_scan=re.compile(r"(?:" + "|".join(pats) + r")\b") if pats else None,
        hedge_heads=tuple(_literal_head(p) for p in pats),
        media_suffixes=tuple(sorted(media)),
        according_suffixes=tuple(sorted(fr.get("according_nouns", []))),
        marker_words=markers,
    )
