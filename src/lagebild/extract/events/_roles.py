"""Actors, targets and place of a trigger, from entity mentions in its clause.

Heuristics over word order and prepositions (no parser):

* Each mention gets the preposition that governs it: walking back at most six
  words over determiners, capitalised words, numbers and adjective-shaped
  words, the first preposition met (the lexicon's ``[preps]``: ``target``,
  ``place``, ``agent``, ``participants``, ``other``).  A mention behind a
  genitive article after a noun ("auf Anweisung des Präsidenten X") is a
  genitive attribute and takes no role.
* Mentions form groups: a title between them ("Russlands Präsident Wladimir
  Putin", "der russische Verteidigungsminister Karl Berger"), an adjective
  before a name, a coordinator ("Frankreich und Italien") or an apposition after
  a comma.  A group shares the first member's preposition and its role — a
  state adjective or genitive counts as the state acting alongside the person.
* A group governed by a preposition belongs to the nearest trigger on its left
  in the clause (else the nearest on its right).  ``target`` prepositions ("nach",
  "mit", "an", "gegen", "to", "with") → targets; ``place`` ones ("in", "nach",
  "bei", "at") → place, for a place name (GPE, LOC, city; not an adjective);
  ``participants`` ("zwischen", "between") → actors; ``agent`` ("von", "durch",
  "by") → actors of a passive or receiving verb, or of a noun trigger right
  before it; ``other`` ones are ignored.
* Verb triggers: of the groups without a preposition, the first is the actor
  (German V2 and verb-final clauses and English SVO all put the subject first
  among the bare noun phrases), the others are targets; for a passive
  (participle trigger + passive auxiliary) or a receiving verb (``passive =
  true``: "erhalten", "receive") the first is the target.  In a clause opened
  by a subject relative pronoun ("…, der …", "…, who …") the bare groups are
  objects and the antecedent is the actor; so in a clause that resumes after
  an embedded one, with the first bare group of the resumed clause as actor
  ("Putin, der …, lobte Kim").  With no bare group,
  an embedded clause opened by a relative pronoun takes the last bare group
  before it ("Berger, der … besuchte"), and a clause resuming after an
  embedded one takes the first bare group of the clause it resumes.
* Noun triggers: the actor is a group right before the noun ending in an
  adjective or a genitive "-s" ("Bergers Besuch", "russischen Angriffskrieg")
  or right after it as a genitive ("Treffen Kims", "der Besuch des
  Präsidenten X"); else the first bare group before the noun, unless the noun
  sits in a prepositional phrase ("im Krieg gegen …") and is not a meeting.

Limits: no pronoun resolution ("er" gives no actor), no ellipsis across
clauses, object-first German sentences ("Den Minister empfing Kim") come out
reversed, and a capital that the entities stage did not resolve to its state
stays a city.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._lexicon import Lexicon
from ._match import Hit
from ._words import Word, is_participle

__all__ = ["Mention", "Group", "Roles", "groups_in", "assign_roles", "governed"]

_PLACE_TYPES = frozenset({"GPE", "LOC"})
_PREP_CLASSES = ("target", "participants", "agent", "place", "other")


@dataclass(slots=True)
class Mention:
    """An entity mention located in the word list of a sentence."""

    id: str
    type: str
    form: str
    start: int
    end: int
    text: str
    first: int  #: index of its first word
    last: int  #: index of its last word

    def ref(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "start": self.start, "end": self.end}

    @property
    def is_place(self) -> bool:
        return (self.type in _PLACE_TYPES or self.id.startswith(("city:", "loc:"))) and self.form != "adjective"


@dataclass(slots=True)
class Group:
    """Mentions that fill one role together."""

    members: list[Mention]
    prep: str | None = None  #: governing preposition's class
    prep_word: str | None = None
    genitive: bool = False

    @property
    def first(self) -> int:
        return self.members[0].first

    @property
    def last(self) -> int:
        return self.members[-1].last


@dataclass(slots=True)
class Roles:
    actors: list[Mention] = field(default_factory=list)
    targets: list[Mention] = field(default_factory=list)
    place: Mention | None = None


def _adjectival(w: Word, lex: Lexicon) -> bool:
    if not w.alpha or w.text[:1].isupper() or w.low in lex.cue("verbs"):
        return False
    if w.key in lex.triggers:
        return False
    if lex.language == "de":
        # inflected: the lemma differs ("russischen" → "russisch"); a verb form
        # has an -en/-ern/-eln lemma ("hatten" → "haben"), an infinitive is its own lemma
        return (
            w.low.endswith(("e", "en", "er", "es", "em"))
            and w.key != w.low
            and not w.key.endswith(("en", "ern", "eln"))
        )
    return not w.low.endswith(("ed", "ing"))


def _np_word(w: Word, lex: Lexicon) -> bool:
    return w.low in lex.cue("determiners") or w.text[:1].isupper() or w.text[:1].isdigit() or _adjectival(w, lex)


def governed(words: list[Word], first: int, lo: int, lex: Lexicon) -> tuple[str | None, str | None, bool]:
    """``(class, preposition, genitive)`` of the preposition governing the phrase starting at ``first``."""
    genitive_arts = lex.cue("genitive")
    genitive = False
    k = first - 1
    steps = 0
    while k >= lo and steps < 6:
        w = words[k]
        for cls in _PREP_CLASSES:
            if w.low in lex.preps.get(cls, ()):
                return cls, w.low, genitive
        if not _np_word(w, lex):
            return None, None, genitive
        if w.low in genitive_arts and k - 1 >= lo and words[k - 1].text[:1].isupper() and words[k - 1].alpha:
            genitive = True
        k -= 1
        steps += 1
    return None, None, genitive


def groups_in(words: list[Word], mentions: list[dict[str, Any]], lo: int, hi: int, lex: Lexicon) -> list[Group]:
    """The mention groups inside clause ``words[lo:hi]`` with their governing prepositions."""
    if lo >= hi:
        return []
    a, b = words[lo].start, words[hi - 1].end
    ms: list[Mention] = []
    for m in mentions:
        if m["start"] < a or m["end"] > b:
            continue
        first = last = None
        for k in range(lo, hi):
            w = words[k]
            if w.end > m["start"] and w.start < m["end"]:
                first = k if first is None else first
                last = k
        if first is None or last is None or (ms and first <= ms[-1].last):
            continue
        ms.append(Mention(m["id"], m["type"], m["form"], m["start"], m["end"], m["text"], first, last))
    coord = lex.cue("coordinators")
    groups: list[Group] = []
    for m in ms:
        if groups:
            prev = groups[-1].members[-1]
            gap = words[prev.last + 1 : m.first]
            joins = False
            if len(gap) <= 4:
                lows = [w.low for w in gap]
                if (
                    gap
                    and m.type == "PER"
                    and all(_np_word(w, lex) for w in gap)
                    and any(w.text[:1].isupper() for w in gap)
                ):
                    joins = True  # a title between: "Russlands Präsident Wladimir Putin"
                elif not gap and prev.form in ("adjective", "compound"):
                    joins = True  # "russische Regierung"-style and "Kreml-Sprecher Peskow"
                elif gap and (lows[0] in coord or lows[0] == ",") and all(
                    _np_word(w, lex) for w in gap[1:]
                ):
                    joins = True  # "Frankreich und Italien", "Sekretär X, Karl Berger"
            if joins and groups[-1].genitive and words[prev.last + 1].text == ",":
                # an apposition to the noun a genitive hangs on: it takes that noun's preposition
                prior = groups[-1]
                groups.append(Group([m], prior.prep, prior.prep_word, False))
                continue
            if joins:
                groups[-1].members.append(m)
                continue
        cls, word, gen = governed(words, m.first, lo, lex)
        groups.append(Group([m], cls, word, gen))
    return groups


def _passive(words: list[Word], lo: int, hi: int, hit: Hit, lex: Lexicon) -> bool:
    """The trigger is a receiving verb, or itself a participle with a passive auxiliary."""
    if hit.trigger.passive:
        return True
    if hit.noun or not is_participle(words[hit.i], lex.language):
        return False
    aux = lex.cue("passive_aux")
    return any(words[k].low in aux for k in range(lo, hi))


def _owner(hits: list[Hit], g: Group) -> Hit:
    left = [h for h in hits if h.i < g.first]
    if left:
        return left[-1]
    return min(hits, key=lambda h: h.i)


def _noun_owner(words: list[Word], hit: Hit, groups: list[Group], lex: Lexicon) -> Group | None:
    """The group that owns a noun trigger (possessive, adjective or genitive)."""
    for g in groups:
        if g.genitive:
            continue
        m = g.members[-1]
        if m.last < hit.i and hit.i - m.last <= 3:
            between = words[m.last + 1 : hit.i]
            owner_form = m.form == "adjective" or m.text.endswith(("s", "’", "'s"))
            if owner_form and all(_np_word(w, lex) or w.text in "\"„“”«»'" for w in between):
                return g
    genitive = lex.cue("genitive")
    for g in groups:
        m = g.members[0]
        if m.first <= hit.i or m.first - hit.i > 4:
            continue
        between = words[hit.i + 1 : m.first]
        quotes_only = all(w.text in "\"„“”«»'" for w in between)
        if (quotes_only and lex.language == "de" and m.text.endswith("s")) or (
            between and between[0].low in genitive and all(_np_word(w, lex) for w in between)
        ):
            return g
    return None


def assign_roles(
    words: list[Word],
    lo: int,
    hi: int,
    hits: list[Hit],
    hit: Hit,
    groups: list[Group],
    fallback: Group | None,
    lex: Lexicon,
    meeting: bool = False,
    resumed: bool = False,
) -> Roles:
    """Actors, targets and place for ``hit`` among the clause's ``hits``.

    ``fallback``: the group a verb trigger takes as actor when its clause has
    no bare group (relative and resumed clauses); ``meeting``: the trigger's
    category takes participants (CONSULT), so a noun in a prepositional phrase
    still gets the clause's subject; ``resumed``: the clause resumes one
    interrupted by an embedded clause, so its subject is ``fallback`` and its
    own bare groups are objects ("Putin, der …, lobte Kim").
    """
    roles = Roles()
    passive = _passive(words, lo, hi, hit, lex)
    mine = {id(h) for h in hits if h.trigger.event == hit.trigger.event}
    owned: dict[int, Group] = {}
    for h in hits:
        if h.noun:
            g = _noun_owner(words, h, groups, lex)
            if g is not None:
                owned[h.i] = g
    owned_ids = {id(g) for g in owned.values()}
    bare: list[Group] = []
    for g in groups:
        if g.genitive:
            continue
        if g.prep is None:
            if id(g) not in owned_ids:
                bare.append(g)
            continue
        if g.prep == "other" or id(g) in owned_ids:
            continue
        owner = _owner(hits, g)
        if id(owner) not in mine:
            continue
        if g.prep == "target":
            roles.targets.extend(g.members)
            if g.prep_word in lex.preps.get("place", ()) and roles.place is None:
                roles.place = next((m for m in reversed(g.members) if m.is_place), None)
        elif g.prep == "place":
            if roles.place is None:
                roles.place = next((m for m in reversed(g.members) if m.is_place), None)
        elif g.prep == "participants":
            roles.actors.extend(g.members)
        elif g.prep == "agent":
            if passive or (hit.noun and 0 < g.first - hit.i <= 3):
                roles.actors.extend(g.members)
    if hit.noun and not hit.trigger.verbal:
        own = owned.get(hit.i)
        if own is not None:
            roles.actors[:0] = own.members
        elif not roles.actors:
            in_pp = governed(words, hit.i, lo, lex)[0] is not None
            # the object of another trigger verb ("verurteilte den Angriff") is not the subject's act
            under_verb = any(not h.noun and h.i < hit.i and h.trigger.event != hit.trigger.event for h in hits)
            before = [g for g in bare if g.last < hit.i]
            if before and (meeting or not in_pp) and not under_verb:
                roles.actors.extend(before[0].members)
    else:
        subject_relative = words[lo].low in lex.cue("subject_relative") and lo > 0 and words[lo - 1].text == ","
        if subject_relative or (resumed and fallback is not None):
            # "…, der/who <verb> X": the relative pronoun is the subject, X an object
            if fallback is not None and not passive:
                roles.actors[:0] = fallback.members
            roles.targets[:0] = [m for g in bare for m in g.members]
            bare = []
        elif not bare and fallback is not None:
            bare = [fallback]
        if bare:
            if passive:
                roles.targets[:0] = bare[0].members
            else:
                roles.actors[:0] = bare[0].members
                roles.targets[:0] = [m for g in bare[1:] for m in g.members]
    roles.actors = _dedup(sorted(roles.actors, key=lambda m: m.start))
    roles.targets.sort(key=lambda m: m.start)
    actor_ids = {a.id for a in roles.actors}
    roles.targets = [m for m in _dedup(roles.targets) if m.id not in actor_ids]
    return roles


def _dedup(ms: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    out: list[Mention] = []
    for m in ms:
        if m.id not in seen:
            seen.add(m.id)
            out.append(m)
    return out
