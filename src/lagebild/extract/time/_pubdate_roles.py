"""Publication-date bounds from who held which office, read off "title + name" in the text.

A text naming a person together with a current office ("Bundeskanzlerin Angela
Merkel", "Russlands Präsident Wladimir Putin", "dem Sekretär des Nationalen
Sicherheitsrats der USA, Jake Sullivan", "Annalena Baerbock, die deutsche
Außenministerin, …", "President Barack Obama") was written while the
person held that office: the KB term bounds the writing day.

* Only a KB-linked person's ``name``/``short`` mention counts, with a title
  right before it (after an optional comma of an apposition), or an appositive
  title right after ", " that ends at punctuation.  The title must map to a
  role the KB records for that person (``[titles]``/``[title_phrases]`` of
  ``lexicon/pubdate_roles_<lang>.toml`` plus the entity cue file's ``[roles]``
  and ``[role_phrases]``).
* A modifier before the title ("ehemalige", "designierte", "former") or a
  compound prefix ("Ex-Präsident", "Vize-…") means the office is not held at
  writing time: no bound.
* Lower bound: the earliest start of the person's terms in that role, minus
  ``start_margin_days``; unknown start → none.  Upper bound: the latest end
  plus ``end_margin_days`` (the title lingers in news for a while after a
  change); a term still open → none.  A sentence that tells another time
  (a ``[past_context]`` word such as "damals", or an absolute date not told as
  future) keeps only the lower bound: "2009 sagte US-Präsident Barack Obama …" was written after
  Obama took office, not necessarily while he held it.

Nothing here depends on particular names: the KB supplies people and terms, the
cue files the words.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Mapping

from ...errors import ConfigError
from ...periods import period
from ._pubdate_clues import Bound

__all__ = ["RoleCues", "RoleBound", "role_cues", "find_role_bounds", "REASON"]

#: The evidence reason of a bound from a term of office.
REASON = "role-term"

_TOKEN = re.compile(r"[^\W\d_](?:[\w'’.\-]*\w)?|\d+(?:[.,]\d+)*|[^\w\s]")
_STOP_PUNCT = frozenset(",;:()[]–—\"„“”«»")
_END_PUNCT = frozenset(",;:).–—!?")
#: An absolute date value (a year, maybe with month/day): the sentence is dated.
_ABSOLUTE = re.compile(r"^\d{4}(?:-\d{2}){0,2}")
_WALK = 3  #: how many words before a title may hold a modifier


@dataclass(frozen=True, slots=True)
class RoleCues:
    """One language's title words and the words that undo them."""

    titles: dict[str, str]  #: exact word → KB role key
    #: last word (case-folded) → [(all words case-folded, role key)], longest first
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]
    endings: tuple[str, ...]  #: inflection endings a title word may carry
    modifiers: tuple[str, ...]  #: case-folded word starts that undo a title
    exact: frozenset[str]  #: case-folded whole words that undo a title ("einer Kanzlerin …")
    prefixes: frozenset[str]  #: compound heads that undo a title ("ex")
    past_words: frozenset[str]  #: single words of another time ("damals")
    past_phrases: tuple[str, ...]  #: several-word phrases of another time ("at the time")
    function: frozenset[str]  #: words allowed between a title and its state or a comma
    #: endings of the lower-case words (adjectives) allowed between ", " and an appositive title
    adjective_endings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleBound:
    """A bound from a person's term in a role, with the span that says so."""

    entity: str
    role: str
    lower: date | None
    upper: date | None
    start: int
    end: int
    text: str
    dated: bool  #: the sentence tells another time: the upper bound was dropped

    def bound(self) -> Bound:
        return Bound(self.lower, self.upper, REASON, self.start, self.end, self.text)


def _read(lang: str) -> dict[str, Any] | None:
    path = resources.files(__package__).joinpath("lexicon", f"pubdate_roles_{lang}.toml")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"cue file lexicon/pubdate_roles_{lang}.toml is not valid TOML ({exc}) — "
                          "fix it in src/lagebild/extract/time/") from None


def _words(d: Mapping[str, Any], section: str, key: str = "words") -> list[str]:
    sec = d.get(section, {})
    vals = sec.get(key, []) if isinstance(sec, Mapping) else []
    if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
        raise ConfigError(f"pubdate_roles cue file: [{section}] {key} must be a list of strings")
    return vals


@lru_cache(maxsize=8)
def role_cues(language: str | None) -> RoleCues | None:
    """The cues of ``language`` (``None`` when it has no ``pubdate_roles_<lang>.toml``)."""
    lang = (language or "").split("-")[0].lower()
    d = _read(lang) if lang.isalpha() else None
    if d is None:
        return None
    from ..entities import cues_for

    ent = cues_for(lang)
    titles = dict(ent.roles) if ent.language == lang else {}
    titles.update({k: v for k, v in dict(d.get("titles", {})).items() if isinstance(v, str)})
    raw_phrases: dict[str, str] = {}
    if ent.language == lang:
        for first, rests in (ent.role_phrases or {}).items():
            for rest, role in rests:
                raw_phrases[" ".join((first, *rest))] = role
    raw_phrases.update({k.casefold(): v for k, v in dict(d.get("title_phrases", {})).items()})
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, role in raw_phrases.items():
        ws = tuple(phrase.casefold().split())
        if len(ws) < 2 or not isinstance(role, str):
            raise ConfigError(f"pubdate_roles cue file: title phrase {phrase!r} needs two or more words and a role key")
        phrases.setdefault(ws[-1], []).append((ws, role))
    for lst in phrases.values():
        lst.sort(key=lambda x: -len(x[0]))
    past = [w.casefold() for w in _words(d, "past_context")]
    return RoleCues(
        titles=titles,
        phrases=phrases,
        endings=tuple(sorted(_words(d, "inflection", "endings"), key=len, reverse=True)),
        modifiers=tuple(w.casefold() for w in _words(d, "modifiers")),
        exact=frozenset(w.casefold() for w in _words(d, "modifiers", "exact")),
        prefixes=frozenset(w.casefold() for w in _words(d, "modifiers", "prefixes")),
        past_words=frozenset(w for w in past if " " not in w),
        past_phrases=tuple(w for w in past if " " in w),
        function=frozenset(w.casefold() for w in _words(d, "function")),
        adjective_endings=tuple(_words(d, "function", "adjective_endings")),
    )


# -- tokens --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tok:
    start: int
    end: int
    text: str


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    return [_Tok(m.start() + start, m.end() + start, m.group()) for m in _TOKEN.finditer(text[start:end])]


def _title_word(c: RoleCues, word: str) -> tuple[str | None, bool]:
    """``(role, undone)`` for one word: its role key (inflected forms too), and whether a
    compound head undoes it ("Ex-Präsident")."""
    cands = [word] + [word[: -len(e)] for e in c.endings if word.endswith(e) and len(word) - len(e) >= 3]
    for w in cands:
        if w in c.titles:
            return c.titles[w], False
        if "-" in w:
            head, tail = w.rsplit("-", 1)
            if tail in c.titles:
                return c.titles[tail], any(p.casefold() in c.prefixes for p in head.split("-"))
    return None, False


def _title_ending_at(c: RoleCues, toks: list[_Tok], k: int) -> tuple[str, int, bool] | None:
    """A title whose last word is ``toks[k]``: ``(role, index of its first word, undone)``."""
    last = toks[k].text
    for words, role in c.phrases.get(last.casefold(), ()):
        i = k - len(words) + 1
        if i >= 0 and all(toks[i + j].text.casefold() == w for j, w in enumerate(words)):
            return role, i, False
    role, undone = _title_word(c, last)
    return (role, k, undone) if role else None


def _title_starting_at(c: RoleCues, toks: list[_Tok], i: int) -> tuple[str, int, bool] | None:
    """A title whose first word is ``toks[i]``: ``(role, index of its last word, undone)``."""
    best: tuple[str, int, bool] | None = None
    role, undone = _title_word(c, toks[i].text)
    if role:
        best = (role, i, undone)
    for cands in c.phrases.values():
        for words, prole in cands:
            k = i + len(words) - 1
            if k < len(toks) and (best is None or k > best[1]) and \
                    all(toks[i + j].text.casefold() == w for j, w in enumerate(words)):
                best = (prole, k, False)
    return best


def _modified(c: RoleCues, toks: list[_Tok], first: int, others: list[tuple[int, int]]) -> bool:
    """Whether one of the few words before ``toks[first]`` (inside its noun phrase) undoes the title.

    The walk stops at punctuation that ends a phrase and after a capitalised word that is no
    state or organisation mention (a noun of another phrase: "in einem Brief an UN-Generalsekretär …").
    """
    seen = 0
    k = first - 1
    while k >= 0 and seen < _WALK:
        t = toks[k]
        w = t.text
        if w in _STOP_PUNCT:
            return False
        if w[:1].isalpha():
            low = re.split(r"['’]", w.casefold())[-1] or w.casefold()  # "l'ancien" → "ancien"
            if low in c.exact or low.startswith(c.modifiers) or any(p in c.prefixes for p in low.split("-")[:-1]):
                return True
            if w[:1].isupper() and not _inside(others, t) and c.titles.get(w) is None:
                return False
            seen += 1
        k -= 1
    return False


# -- finding -------------------------------------------------------------------------------------


def _non_person_spans(entities: Iterable[Mapping[str, Any]]) -> list[tuple[int, int]]:
    return [(m["start"], m["end"]) for e in entities if e.get("type") != "PER" for m in e.get("mentions", ())]


def _inside(spans: list[tuple[int, int]], t: _Tok) -> bool:
    return any(s <= t.start and t.end <= e for s, e in spans)


def _skippable(c: RoleCues, t: _Tok, others: list[tuple[int, int]]) -> bool:
    """A word between a title and a comma or its state: a function word or a non-person mention."""
    return t.text.casefold() in c.function or (t.text[:1].isalpha() and _inside(others, t))


def _title_before(c: RoleCues, toks: list[_Tok], others: list[tuple[int, int]]) -> tuple[str, int, int] | None:
    """``(role, first token, last token)`` of a title right before the name (``toks`` end at the name)."""
    if not toks:
        return None
    k = len(toks) - 1
    if toks[k].text == ",":  # apposition: "dem Sekretär des Sicherheitsrats der USA, Jake Sullivan"
        k -= 1
        for _ in range(3):
            if k < 0:
                return None
            hit = _title_ending_at(c, toks, k)
            if hit is not None:
                break
            if not _skippable(c, toks[k], others):
                return None
            k -= 1
    if k < 0:
        return None
    hit = _title_ending_at(c, toks, k)
    if hit is None and k > 0 and toks[k].text[:1].isalpha() and _inside(others, toks[k]):
        k -= 1  # a state between title and name: "le président français Nicolas Sarkozy"
        hit = _title_ending_at(c, toks, k)
    if hit is None:
        return None
    role, first, undone = hit
    if undone or _modified(c, toks, first, others):
        return None
    return role, first, k


def _title_after(c: RoleCues, toks: list[_Tok], others: list[tuple[int, int]]) -> tuple[str, int, int] | None:
    """``(role, first token, last token)`` of an appositive title after the name
    ("Annalena Baerbock, die deutsche Außenministerin, …"); ``toks`` start right after it."""
    if len(toks) < 2 or toks[0].text != ",":
        return None
    i = 1
    for _ in range(4):
        if i >= len(toks):
            return None
        hit = _title_starting_at(c, toks, i)
        if hit is not None:
            break
        w = toks[i].text
        if not (w[:1].isalpha() and (w[:1].islower() or _inside(others, toks[i]))):
            return None
        if w[:1].islower() and w.casefold() not in c.function and not _inside(others, toks[i]) and \
                not (c.adjective_endings and w.endswith(c.adjective_endings)):
            return None  # "Merkel, die mit dem Präsidenten, …": a preposition, not an adjective
        i += 1
    else:
        return None
    role, last, undone = hit
    if undone or _modified(c, toks, i, others):
        return None
    k = last + 1
    for _ in range(2):  # the state after it: "des Iran", "Russlands"
        if k < len(toks) and _skippable(c, toks[k], others):
            k += 1
    if k < len(toks) and toks[k].text not in _END_PUNCT:
        return None  # "Baerbock, die Außenministerin war": a clause, not an apposition
    return role, i, last


def _dated(c: RoleCues, text: str, toks: list[_Tok], s: int, e: int, times: list[Mapping[str, Any]]) -> bool:
    """Whether sentence ``[s, e)`` tells another time than the writing day."""
    if any(t.text.casefold() in c.past_words for t in toks):
        return True
    if c.past_phrases:
        low = text[s:e].casefold()
        if any(re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", low) for p in c.past_phrases):
            return True
    for t in times:
        if s <= t.get("start", -1) < e and t.get("anchor", "absolute") == "absolute" and \
                t.get("tense") != "future" and _ABSOLUTE.match(str(t.get("value") or "")):
            return True
    return False


def _term(kb: Any, eid: str, role: str, start_margin: int, end_margin: int) -> tuple[date | None, date | None] | None:
    """The lower and upper bound a person's terms in ``role`` give (``None`` when the KB records none)."""
    ent = kb.entities.get(eid)
    if ent is None:
        return None
    terms = [r for r in ent.roles if r.title == role]
    if not terms:
        return None
    starts = [period(r.start) for r in terms]
    lower = None if any(p is None for p in starts) else min(p[0] for p in starts if p) - timedelta(days=start_margin)
    upper: date | None = None
    if all(r.end for r in terms):
        ends = [period(r.end) for r in terms]
        if all(ends):
            upper = max(p[1] for p in ends if p) + timedelta(days=end_margin)
    return lower, upper


def _sentence_spans(text: str, sentences: list[list[int]] | None) -> list[tuple[int, int]]:
    if sentences:
        return [(int(s), int(e)) for s, e in sentences]
    return [(0, len(text))]


def find_role_bounds(
    text: str,
    entities: list[Mapping[str, Any]],
    language: str | None,
    kb: Any,
    *,
    sentences: list[list[int]] | None = None,
    times: list[Mapping[str, Any]] | None = None,
    start_margin_days: int = 0,
    end_margin_days: int = 30,
) -> list[RoleBound]:
    """Bounds from KB terms of office of the people ``text`` names with a current title.

    ``entities`` is the ``entities`` layer; ``times`` the ``times`` layer (an
    absolute date in the sentence keeps only the lower bound); one bound per
    distinct (person, role, lower, upper), at its first span, in text order.
    """
    c = role_cues(language)
    if c is None or not entities:
        return []
    people = [e for e in entities if e.get("type") == "PER" and e.get("kb") and str(e.get("id", "")).startswith("per:")]
    if not people:
        return []
    others = _non_person_spans(entities)
    spans = _sentence_spans(text, sentences)
    out: list[RoleBound] = []
    seen: set[tuple[str, str, date | None, date | None]] = set()
    for ent in people:
        for m in ent.get("mentions", ()):
            if m.get("form") not in ("name", "short"):
                continue
            ms, me = int(m["start"]), int(m["end"])
            s, e = next(((a, b) for a, b in spans if a <= ms < b), (0, len(text)))
            before = _tokens(text, s, ms)
            after = _tokens(text, me, e)
            hit = _title_before(c, before, others)
            if hit is not None:
                role, first, _ = hit
                span = (before[first].start, me)
            else:
                hit = _title_after(c, after, others)
                if hit is None:
                    continue
                role, _, last = hit
                span = (ms, after[last].end)
            term = _term(kb, ent["id"], role, start_margin_days, end_margin_days)
            if term is None:
                continue
            lower, upper = term
            dated = upper is not None and _dated(c, text, before + after, s, e, times or [])
            if dated:
                upper = None
            if lower is None and upper is None:
                continue
            key = (ent["id"], role, lower, upper)
            if key in seen:
                continue
            seen.add(key)
            out.append(RoleBound(ent["id"], role, lower, upper, span[0], span[1], text[span[0]:span[1]], dated))
    out.sort(key=lambda b: b.start)
    return out
