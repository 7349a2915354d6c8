"""Pass 2 of the entity finder: resolution and metonymy.

One candidate → it; several → the one mentioned with one reading elsewhere in
the article; places → the knowledge base's first reading; an organisation's
name held in several countries → the article's country (:mod:`._country`);
else left ambiguous (a local entity with ``candidates``).  A capital or seat
then becomes its government (form ``metonym``) where the words around it say
it acts (:meth:`ResolvePass._acting`).  :class:`ResolvePass` is a mixin of
:class:`._find._Finder` (it uses the finder's words, cues, coverage and helpers).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ._country import by_country, country_evidence
from ._local import Mention as _Mention
from ._local import cap as _cap

__all__ = ["ResolvePass"]


class ResolvePass:
    W: list[Any]
    text: str
    kb: Any
    cues: Any
    mentions: list[_Mention]
    covered: dict[int, _Mention]

    def _prev_word(self, i: int) -> int | None:  # pragma: no cover - the finder's
        raise NotImplementedError

    def _next_word(self, i: int) -> int | None:  # pragma: no cover - the finder's
        raise NotImplementedError

    def _name_like(self, i: int) -> bool:  # pragma: no cover - the finder's
        raise NotImplementedError

    def _type(self, eid: str) -> str:  # pragma: no cover - the finder's
        raise NotImplementedError

    def resolve(self) -> None:
        anchors = {m.ids[0] for m in self.mentions if len(m.ids) == 1}
        clues: tuple[list[int], list[Counter[str]], Counter[str]] | None = None  # counted when first needed
        for m in self.mentions:
            if not m.ids:
                continue  # a local one the KB pass made ("1. FC Köln": :func:`._clubs.club_mention`)
            if len(m.ids) > 1:
                targets = {getattr(self.kb.entities.get(x), "metonym_of", None) for x in m.ids}
                m.ids = [x for x in m.ids if x not in targets] or m.ids  # the city, not the state it stands for
                known = [x for x in m.ids if x in anchors]
                places = all(self._type(x) in ("GPE", "LOC") for x in m.ids)
                pick = None
                if not known and all(self._type(x) == "ORG" for x in m.ids):
                    # one organisation's name in several countries ("Bundesregierung", "die Grünen"):
                    # the reading of the country the article's other mentions point to (:mod:`._country`)
                    if clues is None:
                        clues = self._country_clues()
                    pick = by_country(self.kb, m.ids, _near(*clues, m.first))
                if len(known) == 1:
                    m.ids = known
                elif not known and (places or all(self._type(x) in ("GPE", "LOC") for x in m.ids[1:])):
                    # places: the KB's first reading (curated before generic, bigger places first);
                    # a curated name ("Hamas") wins over a generic place that shares it
                    m.ids = m.ids[:1]
                elif pick is not None:
                    m.ids = [pick]
                else:
                    m.extra["candidates"] = list(m.ids)
                    m.local = self.text[m.start : m.end]
                    types = {self._type(x) for x in m.ids}
                    m.type = types.pop() if len(types) == 1 else "MISC"
                    m.ids = []
                    continue
            ent = self.kb.entities.get(m.ids[0])
            target = getattr(ent, "metonym_of", None)
            if target and m.form in ("name", "short") and self._acting(m):
                m.ids, m.form = [target], "metonym"

    def _sentence_of(self) -> list[int]:
        """The sentence number of each word (a sentence opens at a word marked ``sent_start``)."""
        out, k = [], -1
        for w in self.W:
            if w.sent_start or k < 0:
                k += 1
            out.append(k)
        return out

    def _country_clues(self) -> tuple[list[int], list[Counter[str]], Counter[str]]:
        """Each word's sentence number, per sentence the countries its mentions with one reading
        point to (:mod:`._country`), and those of the whole article."""
        sent = self._sentence_of()
        per: list[Counter[str]] = [Counter() for _ in range(sent[-1] + 1 if sent else 0)]
        for x in self.mentions:
            if len(x.ids) == 1:
                per[sent[x.first]] += country_evidence(self.kb, x.ids)
        return sent, per, sum(per, Counter())

    def _acting(self, m: _Mention) -> bool:
        """A light heuristic: a place name is its government when it acts.

        After a place preposition or noun ("in Moskau", "Hauptstadt Moskau",
        "im Zentrum Teherans"), or joined to a place after one ("in Madrid
        und Lissabon") → the place.  Genitive ("Moskaus Offensive") → acting.  Where
        the words before make it a state (:meth:`_state_context`: "warnte Ankara",
        "Druck auf Teheran") → acting.  Otherwise acting when it opens its clause
        (sentence start, after punctuation or a function word) and the next word is
        a lower-case word that is not a function word (most likely its verb:
        "Teheran bestätigte …"); the first of two joined places acts when the
        second does ("Paris und Berlin bestreiten …").
        """
        c = self.cues
        surface = self.text[m.start : m.end]
        p = self._prev_word(m.first)
        if p is not None and self._place_word(p):
            return False
        first = self._joined_to(m.first)
        if first is not None:
            before = self._prev_word(first.first)
            if before is not None and self._place_word(before):
                return False  # "in Madrid und Lissabon": both places
        if not self.kb.lookup(surface) and surface[-1:] == "s":
            return True
        if p is not None:
            pw = self.W[p].text
            if _cap(pw) and not self.W[p].sent_start and p not in self.covered and self._name_like(p):
                return False  # part of a longer unknown name ("Atlético Madrid")
            if self._state_context(m.first):
                return True
            if c.verb_second and pw[:1].islower() and pw.casefold() not in c.function_words:
                return False  # object after a verb: "besuchte Teheran"
        nx = self._next_word(m.last)
        if nx is None:
            return False
        nw = self.W[nx].text
        if nw.casefold() in c.coordinators:
            other = self.covered.get(nx + 1)
            if other is not None and other is not m and other.first == nx + 1 and other.form in ("name", "short", "metonym"):
                # "Paris und Berlin bestreiten …": the pair acts when its second place does
                ent = self.kb.entities.get(other.ids[0]) if other.ids else None
                if other.form == "metonym" or (ent is not None and ent.metonym_of and self._acting_after(other)):
                    return True
            return False
        return self._acting_after(m)

    def _joined_to(self, i: int) -> _Mention | None:
        """The name joined to word ``i`` by a coordinator right before it ("Madrid und Lissabon": at
        "Lissabon", the mention of "Madrid"), or ``None``."""
        p = self._prev_word(i)
        if p is None or self.W[p].text.casefold() not in self.cues.coordinators:
            return None
        q = self._prev_word(p)
        first = self.covered.get(q) if q is not None else None
        if first is None or first.last != q or first.form not in ("name", "short", "metonym"):
            return None
        return first

    def _place_word(self, p: int) -> bool:
        """Whether word ``p`` is a place preposition or place noun (``[loc]`` and ``[state] place_nouns``
        of the cue files)."""
        c, pw = self.cues, self.W[p].text
        low = pw.casefold()
        return low in c.loc_prepositions or pw in c.loc_nouns or low in c.loc_nouns or low in c.place_nouns

    def _state_context(self, i: int, depth: int = 0) -> bool:
        """Whether the words before word ``i`` make a place there its state: the object of a verb
        that takes a state ("der Kanzler warnte Ankara", "werfen Teheran vor"), right after a finite
        auxiliary unless the clause ends in a verb that takes a place ("hat Teheran … geliefert", not
        "hat Teheran besucht"), or after a link word with a relation noun up to three words before it
        ("mehr Druck auf Teheran", "Beziehungen zu Peking", "Vertrag zwischen Madrid …"); the second of
        two joined places shares the first's context ("Druck auf Teheran und Damaskus").  Lists:
        ``[state]`` of the cue files."""
        c, W = self.cues, self.W
        p = self._prev_word(i)
        if p is None:
            return False
        pw = W[p].text.casefold()
        if pw in c.coordinators:
            first = self._joined_to(i)
            return not depth and first is not None and self._state_context(first.first, 1)
        if pw in c.state_verbs:
            return True
        if pw in c.auxiliaries:
            return self._clause_verb(i) not in c.place_verbs
        if pw in c.relation_links:
            k = p
            for _ in range(3):
                prev = self._prev_word(k)
                if prev is None:
                    break
                if W[prev].text.casefold() in c.relation_nouns:
                    return True
                k = prev
        return False

    def _clause_verb(self, i: int) -> str:
        """The last word (case-folded) of the clause word ``i`` stands in: the words after it up to a
        punctuation mark, the end of the line or the next sentence — in a German clause with an auxiliary,
        its participle or infinitive ("hat Teheran … geliefert")."""
        W, last = self.W, i
        k = self._next_word(i)
        while k is not None and not W[k].sent_start:
            last = k
            k = self._next_word(k)
        return W[last].text.casefold()

    def _acting_after(self, m: _Mention) -> bool:
        """Whether the word after mention ``m`` looks like its verb (the second half of :meth:`_acting`)."""
        c = self.cues
        nx = self._next_word(m.last)
        if nx is None:
            return False
        nw = self.W[nx].text
        if not nw[:1].islower() or nw.casefold() in c.function_words:
            return False
        if c.verb_words or c.verb_endings:
            return nw.casefold() in c.verb_words or nw.casefold().endswith(c.verb_endings)
        return True


def _near(sent: list[int], per: list[Counter[str]], article: Counter[str], i: int) -> list[Counter[str]]:
    """Country clues for word ``i``: its sentence, then with the sentences next to it, then the article."""
    k = sent[i]
    return [per[k], sum(per[max(0, k - 1) : k + 2], Counter()), article]
