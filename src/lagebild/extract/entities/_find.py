"""Finding and resolving entity mentions in one article's clean text.

Order of work (see docs in :mod:`lagebild.extract.entities`):

1. words: part B's tokens, with tokens joined by a hyphen merged ("Jong-un",
   "Kreml-Vertreter"); sentence starts from ``Article.sentences`` and line starts;
2. knowledge-base names over n-grams of capitalised words (longest first, up to
   ``kb.max_tokens``), with a German genitive "s" / English "'s" stripped when the
   surface itself is unknown; hyphenated compounds whose first part is a KB
   surface ("US-Regierung" → form ``compound``); adjectives ("russische"). A
   one-word match is read as a common noun where its context says so: a GeoNames
   city after an article ("in der Mitte", "den Bergen"), any non-person name after
   an indefinite article ("einen Blick"), a medium whose name is a common noun
   (cue list ``[org] common_names``) without quotes, reporting word or medium noun
   near it ("mit Blick auf"); a one-word organisation name that is also a person title, right
   before a person's name, is the member's title ("Bundesrat Ignazio Cassis"), not the chamber;
3. resolution (:mod:`._resolve`): one candidate → it; several → the one mentioned
   unambiguously elsewhere in the article, an organisation's name held in several
   countries → the article's country (:mod:`._country`), else left ambiguous (a
   local entity with ``candidates``); capitals that stand for their government
   ("Moskau bestätigte …", "Putin warnte Seoul") → the government (form ``metonym``);
4. bare titles ("Russlands Verteidigungsminister", "le ministre russe de la
   Défense") → the one role holder at the publication date, or the one holder
   named elsewhere in the article (see :mod:`._titles`);
5. unknown names (local entities): runs of capitalised words that are not
   common nouns (the word never occurs lower-cased in the text, is not in the
   stop list), typed from cue words; single words only with a cue (:mod:`._local`).
"""

from __future__ import annotations

import re
from typing import Any

from ...nlp._morph import dictionary_lemma
from ...nlp.ner.features import first_names
from ._acronyms import acronym_definitions
from ._clubs import club_mention
from ._cues import Cues
from ._local import _QUOTES_CLOSE, _QUOTES_OPEN, LocalPass
from ._local import Mention as _Mention
from ._local import cap as _cap
from ._namesakes import namesake_shorts, namesakes
from ._memo import adjective_ids, adjective_memo, inflected, kb_memo, lower_names, may_open_name, open_memo
from ._resolve import ResolvePass
from ._words import Word, local_id, slug, words_of

__all__ = ["Word", "words_of", "find_entities", "local_id", "slug"]

#: lower-case words a KB name may hold between its capitalised words ("Van der Bellen", "Reporter ohne
#: Grenzen", "Bosnien und Herzegowina", "Nachrichtendienst des Bundes", "Gerichtshof für Menschenrechte")
_PARTICLES = frozenset({
    "of", "de", "von", "van", "al", "bin", "der", "du", "la", "le", "ibn", "da", "di", "des", "für", "ohne", "und",
})

#: lower-case words inside the German names of towns, which a KB name may continue through
#: ("Frankfurt am Main", "Neustadt an der Weinstraße", "Weil am Rhein", "Weißenburg in Bayern")
_PLACE_PARTICLES = frozenset({"am", "an", "im", "in", "ob", "vor", "bei"})

#: a surname joined to an Arabic article or kinship word ("Baschar al-Assad", "Muammar al-Gaddafi", "Abd el-Fattah"),
#: which may continue and end a KB name although it opens in lower case
_article_name = re.compile(r"(?:al|el|as|ad|ar|an|at|az|ash|abu|bin|ibn|ben)-[^\W\d_]").match


class _Finder(ResolvePass, LocalPass):
    def __init__(
        self, text: str, language: str | None, date: str | None, words: list[Word], kb: Any, cues: Cues,
        span: tuple[str, str] | None = None,
    ) -> None:
        self.text, self.lang, self.date, self.W, self.kb, self.cues = text, language, date, words, kb, cues
        #: the publication interval as padded ISO days (``None``: unknown), for role holders
        self.span = span
        self.german = cues.language == "de"
        self.lower = {w.text.casefold() for w in words if w.is_word and w.text[:1].islower()}
        self.covered: dict[int, _Mention] = {}
        self.mentions: list[_Mention] = []
        #: words read as a member's title before a name ("Bundesrat Ignazio Cassis"): no mention of their own
        self.member_titles: set[int] = set()
        self._memo = kb_memo(kb)  # KB readings per surface (see :func:`._memo.kb_memo`)

    # -- KB lookups ---------------------------------------------------------
    def lookup(self, surface: str) -> list[Any]:
        memo = self._memo
        key = (surface, self.german)
        got = memo.get(key)
        if got is None:
            got = memo[key] = tuple(self._lookup(surface))
        return list(got)

    def _lookup(self, surface: str) -> list[Any]:
        found = self.kb.lookup(surface)
        if found:
            return list(found)
        if surface.endswith(("'s", "’s")):
            return list(self.kb.lookup(surface[:-2]))
        if self.german and len(surface) > 3 and surface.endswith("s") and not surface.endswith("ss"):
            found = self.kb.lookup(surface[:-1])
            if found:
                return list(found)
        if self.german:
            return self._uninflected(surface)
        return []

    def _uninflected(self, surface: str) -> list[Any]:
        """A German name that opens with an inflected adjective, read in its listed form: "der Deutschen
        Presse-Agentur" → "Deutsche Presse-Agentur", "des Internationalen Währungsfonds" →
        "Internationaler Währungsfonds" (also with the noun's genitive "-s" dropped)."""
        head, sep, rest = surface.partition(" ")
        if not sep or len(head) < 5 or not head.endswith("en") or not head[:1].isupper():
            return []
        tails = [rest]
        if len(rest) > 3 and rest.endswith("s") and not rest.endswith("ss"):
            tails.append(rest[:-1])
        for stem in (head[:-1], head[:-2] + "er", head[:-2] + "es"):
            for tail in tails:
                found = self.kb.lookup(f"{stem} {tail}")
                if found:
                    return list(found)
        return []

    def _add(self, m: _Mention) -> None:
        self.mentions.append(m)
        for k in range(m.first, m.last + 1):
            self.covered[k] = m

    def _next_word(self, i: int) -> int | None:
        """The word right after word ``i`` on the same line, with no punctuation between."""
        j = i + 1
        if j >= len(self.W) or not self.W[j].is_word or "\n" in self.text[self.W[i].end : self.W[j].start]:
            return None
        return j

    def _prev_word(self, i: int) -> int | None:
        j = i - 1
        if j >= 0 and not self.W[j].is_word:
            return None
        return j if j >= 0 and "\n" not in self.text[self.W[j].end : self.W[i].start] else None

    # -- pass 1: KB names, compounds, adjectives ------------------------------
    def kb_pass(self) -> None:
        W, n, i, text, kb = self.W, len(self.W), 0, self.text, self.kb
        stop = self.cues.stop
        adj_memo = adjective_memo(kb)
        memo, german, lower = self._memo, self.german, self.lower
        maxn = max(1, int(getattr(kb, "max_tokens", 4)))
        lowered = lower_names(kb)
        opens_memo = open_memo(kb)
        while i < n:
            w = W[i]
            if not w.is_word:
                i += 1
                continue
            t = w.text
            low_name = t in lowered  # "dpa": a KB name written in lower case
            if (t[:1].isupper() or t[:1].isdigit() or low_name) and t not in stop:
                # extend through adjacent words (capitalised or particles) on one line
                last = [i]
                j = i
                alone = False
                while len(last) < maxn and j + 1 < n and W[j + 1].is_word:
                    nxt = W[j + 1].text
                    g0, g1 = W[j].end, W[j + 1].start
                    gap = " " if g1 - g0 == 1 and text[g0] == " " else text[g0:g1]
                    if gap.strip() or "\n" in gap or not (
                        nxt[:1].isupper() or nxt.casefold() in _PARTICLES or nxt[:1].isdigit() or _article_name(nxt)
                        or nxt in _PLACE_PARTICLES
                    ):
                        break
                    j += 1
                    last.append(j)
                    if j == i + 1 and gap == " ":
                        opens = opens_memo.get(t)
                        if opens is None:
                            opens = may_open_name(kb, t)
                        if not opens:
                            # no multi-word KB name opens with this word and one space: only a two-word
                            # adjective may still start here (the lookups of longer surfaces would find nothing)
                            alone = True
                            break
                hit = None
                for j in (i,) if alone else reversed(last):
                    if j == i:
                        if t.casefold() in lower and not low_name:  # :meth:`_kb_word_ok` (``t`` is no stop word here)
                            continue
                        surface = t
                    elif not W[j].text[:1].isupper() and not _article_name(W[j].text):
                        continue
                    else:
                        surface = text[w.start : W[j].end]
                    found = memo.get((surface, german))  # :meth:`lookup` without the copy
                    if found is None:
                        found = self.lookup(surface)
                    if found and j == i and (
                        self._common_city_word(i, found) or self._noun_after_article(i, found)
                        or (t in self.cues.common_names and not self._medium_context(i))
                    ):
                        continue
                    if found:
                        hit = (j, found)
                        break
                if hit is None and len(last) >= 2 and W[last[1]].text[:1].isupper():
                    adj2 = adjective_ids(kb, text[w.start : W[last[1]].end])
                    if adj2:  # a two-word adjective: "North Korean", "South Korean"
                        self._add(_Mention(i, last[1], w.start, W[last[1]].end, "adjective", list(adj2)))
                        i = last[1] + 1
                        continue
                if hit:
                    j, found = hit
                    forms = {m.form for m in found}
                    form = "name" if "name" in forms else ("short" if "short" in forms else min(forms))  # min: not hash order
                    ids = list(dict.fromkeys(m.entity_id for m in found if m.form == form))
                    if form == "title":
                        form = "name"
                    if self._other_name(i, j, ids):
                        i = j + 1  # "Kim Il Sung Square", "Rome Statute", "ship Dali": left to the locals pass
                        continue
                    after = club_mention(self, i, j, ids, _Mention) if form == "name" else None
                    if after is not None:
                        i = after  # "1. FC Köln", "Sturm Graz": a club, not the town
                        continue
                    if self._title_before_name(i, j, ids):
                        self.member_titles.add(i)
                        i = j + 1  # "Bundesrat Ignazio Cassis": a member's title, not the chamber
                        continue
                    self._add(_Mention(i, j, w.start, W[j].end, form, ids))
                    i = j + 1
                    continue
            if "-" in t and self._compound(i):
                i += 1
                continue
            if len(t) >= 4 and t.isalpha():
                adj = adj_memo.get(t)
                if adj is None:
                    adj = adjective_ids(kb, t)
                if adj:
                    self._add(_Mention(i, i, w.start, w.end, "adjective", list(adj)))
            i += 1

    def _other_name(self, i: int, j: int, ids: list[str]) -> bool:
        """Whether the KB name of words ``i..j`` is part of another thing's name here: a person's name before a
        place noun names the place (``[loc] place_heads``: "Kim Il Sung Square", "Willy Brandt Platz"); a
        place's name before a document noun names the document (``thing_heads``: "Rome Statute"); a place's
        one-word name after a vessel noun names the vessel (``vessel_nouns``: "the container ship Dali")."""
        if not ids:
            return False
        types = {self._type(x) for x in ids}
        cues = self.cues
        nx = self._next_word(j)
        head = self.W[nx].text.casefold() if nx is not None else ""
        if types == {"PER"}:
            return head in cues.place_heads
        if not types <= {"GPE", "LOC"}:
            return False
        if head in cues.thing_heads:
            return True
        p = self._prev_word(i)
        if i != j or p is None or not cues.vessel_nouns:
            return False
        before = self.W[p].text.casefold()
        return before in cues.vessel_nouns or (self.german and before.endswith(cues.vessel_nouns))

    def _title_before_name(self, i: int, j: int, ids: list[str]) -> bool:
        """Whether a one-word organisation name that is also a person title (``person_titles``: "Bundesrat",
        "Nationalrat", "Ständerat") stands right before a person's name on the same line: the title of a
        member ("Bundesrat Ignazio Cassis", "Nationalrat Matthias Köchl"), not the chamber. A person's name
        here opens with a given name (``nlp/ner/data/first_names.txt``) or is a KB person's name or
        surname, up to three capitalised words long."""
        if i != j or not ids or not self.cues.is_person_title(self.W[i].text):
            return False
        if any(self._type(x) != "ORG" for x in ids):
            return False
        nx = self._next_word(j)
        if nx is None or not _cap(self.W[nx].text):
            return False
        if self.W[nx].text in first_names():
            return True
        k = nx
        for _ in range(3):
            found = self.lookup(self.text[self.W[nx].start : self.W[k].end])
            if any(self._type(m.entity_id) == "PER" for m in found if m.form != "metonym"):
                return True
            k2 = self._next_word(k)
            if k2 is None or not _cap(self.W[k2].text):
                break
            k = k2
        return False

    def _kb_word_ok(self, i: int) -> bool:
        """Whether one capitalised word may be looked up in the KB on its own.

        Not a stop word, and not a word this text also writes in lower case
        ("Dort … dort").  The KB's alias hygiene (``kb/data/alias_rules.toml``)
        keeps common words out of the city names, so no dictionary check is needed here.
        """
        w = self.W[i].text
        return w not in self.cues.stop and w.casefold() not in self.lower

    def _noun_after_article(self, i: int, found: list[Any]) -> bool:
        """One word in a common noun's place, right after an article: "in der Mitte", "den Rest",
        "im Kanton" when GeoNames' unchecked cities are its only readings (city names take no article);
        "einen Blick" after an indefinite article for any reading but a person."""
        j = self._prev_word(i)
        if j is None:
            return False
        p = self.W[j].text.casefold()
        cues = self.cues
        if self.W[i].text in cues.noun_places:
            return self._noun_place_context(j)
        if p in cues.indefinites:
            return not any(self._type(m.entity_id) == "PER" for m in found)
        if p not in cues.determiners and p not in cues.article_contractions:
            return False
        return self._generic_only(found)

    def _noun_place_context(self, j: int) -> bool:
        """Whether word ``j`` (right before a place whose name is a common noun, ``[loc] noun_places``) puts a
        common noun after it: an article, a contraction, a possessive or a number ("das Essen", "in ihrem
        Essen", "nach 13 Siegen"), or one lower-case word after an article ("das syrische Essen")."""
        cues = self.cues

        def article(word: str) -> bool:
            p = word.casefold()
            return p in cues.determiners or p in cues.indefinites or p in cues.article_contractions

        w = self.W[j].text
        if article(w) or w.casefold() in cues.possessives or w.casefold() in cues.numbers or w.isdigit():
            return True
        k = self._prev_word(j)
        return w.isalpha() and w.islower() and k is not None and article(self.W[k].text)

    def _medium_context(self, i: int) -> bool:
        """Word ``i`` in quotes, or a reporting word or a medium noun among the six words around it
        ("laut Blick", "die Zeitung Heute", "„Krone“"): a medium's name that is also a common noun."""
        W, t = self.W, self.text
        before, after = t[max(0, W[i].start - 1) : W[i].start], t[W[i].end : W[i].end + 1]
        if before and after and before in _QUOTES_OPEN and after in _QUOTES_CLOSE:
            return True
        cues = self.cues
        for k in range(max(0, i - 6), min(len(W), i + 7)):
            low = W[k].text.casefold()
            if k != i and (low in cues.report_verbs or low in cues.medium_nouns):
                return True
        return False

    def _common_city_word(self, i: int, found: list[Any]) -> bool:
        """A single word whose only readings are generic geonames cities and which is a common word here:
        in German one the lemmatiser knows as an inflected common word ("Siegen", "Male", "Favoriten"); in
        another language one that opens a sentence and is a lower-case word of the language's dictionary
        ("Nice weather …", "Wedding guests …"; :meth:`_compound` asks the same of "Celle" in "Celle-ci")."""
        if not self._generic_only(found):
            return False
        w = self.W[i].text
        if self.german:
            return w.isalpha() and not w.isupper() and self._inflected(w)
        return self._common_opener(i, w)

    def _generic_only(self, found: list[Any]) -> bool:
        """Whether every reading in ``found`` is a generic geonames city (or a metonym)."""
        generic = getattr(self.kb, "generic", ())
        return bool(generic) and all(m.entity_id in generic or m.form == "metonym" for m in found)

    def _common_opener(self, i: int, word: str) -> bool:
        """Outside German: ``word`` (word ``i`` or its head) opens a sentence and the dictionary of the text's
        language knows it in lower case as a lower-case word."""
        if not (self.W[i].sent_start and word.isalpha() and word[:1].isupper() and not word.isupper()):
            return False
        lem = dictionary_lemma(word.lower(), self.lang)
        return lem is not None and lem[:1].islower()

    def _name_like(self, i: int) -> bool:
        """Whether one capitalised word may be a name on its own (not "Dabei", "Länder")."""
        w = self.W[i].text
        if w in self.cues.stop or w.casefold() in self.lower:
            return False
        return not (self.german and w.isalpha() and not w.isupper() and self._inflected(w))

    def _inflected(self, w: str) -> bool:
        """A German capitalised word that the lemmatiser knows as an inflected common word."""
        return inflected(w)

    def _compound(self, i: int) -> bool:
        w = self.W[i]
        parts = w.text.split("-")
        if len(parts) < 2 or not all(parts):
            return False
        if not any(p.isupper() for p in parts):
            whole = self.kb.adjective(w.text)  # one adjective with a hyphen: "nord-coréen", "Nord-Coréens"
            if whole:
                self._add(_Mention(i, i, w.start, w.end, "adjective", sorted({m.entity_id for m in whole})))
                return True
        adjs = [self.kb.adjective(p) if p[:1].islower() and len(p) >= 4 else [] for p in parts]
        if all(adjs):
            pos = w.start
            for p, a in zip(parts, adjs):
                self._add(_Mention(i, i, pos, pos + len(p), "adjective", sorted({m.entity_id for m in a})))
                pos += len(p) + 1
            return True
        head = parts[0]
        if not _cap(head):
            return False
        found = [m for m in self.lookup(head) if m.form != "metonym" and not (m.form == "short" and self._type(m.entity_id) == "PER")]
        if not found or (not self.german and self._generic_only(found) and self._common_opener(i, head)):
            return False
        self._add(_Mention(i, i, w.start, w.start + len(head), "compound", sorted({m.entity_id for m in found})))
        return True

    def _type(self, eid: str) -> str:
        ent = self.kb.entities.get(eid)
        return ent.type if ent is not None else "MISC"

    # -- pass 2b: bare parts of names introduced in full -----------------------
    def short_forms(self) -> None:
        """A bare first or last word of a KB person named in full here ("Kim", "Kims") → that person."""
        parts: dict[str, set[str]] = {}
        for m in self.mentions:
            if m.form != "name" or len(m.ids) != 1 or m.last == m.first or self._type(m.ids[0]) != "PER":
                continue
            for k in (m.first, m.last):
                w = self.W[k].text
                for piece in (w.split("-")[0], w):
                    if len(piece) >= 3 and _cap(piece):
                        parts.setdefault(piece, set()).add(m.ids[0])
        if not parts:
            return
        for i, w in enumerate(self.W):
            if not w.is_word or i in self.covered or not _cap(w.text):
                continue
            ids = parts.get(w.text)
            genitive = False
            if ids is None and w.text.endswith("s") and self.german:
                ids, genitive = parts.get(w.text[:-1]), True  # genitive "Kims"
            if not ids:
                continue
            p = self._prev_word(i)
            if p is not None and self.W[p].text.casefold() in self.cues.indefinites:
                continue  # "wenn ein Papst …": any holder of the title, not the one named in full
            nx = self._next_word(i)
            if not genitive and nx is not None and nx not in self.covered and _cap(self.W[nx].text) and self._name_like(nx):
                continue  # the start of another name ("Kim Yo Jong")
            if len(ids) == 1:
                self._add(_Mention(i, i, w.start, w.end, "short", sorted(ids)))
            else:  # two people named in full share this part: left ambiguous, not guessed
                stem = w.text[:-1] if genitive else w.text
                self._add(_Mention(i, i, w.start, w.end, "short", [], "PER", stem, {"candidates": sorted(ids)}))

    # -- pass 3: bare titles ---------------------------------------------------
    def titles(self) -> None:
        from ._titles import find_titles

        find_titles(self, _Mention)

    def _is_person_at(self, i: int) -> bool:
        m = self.covered.get(i)
        return m is not None and m.first == i and any(self._type(x) == "PER" for x in m.ids)

    # -- pass 4, names the KB does not know: :class:`._local.LocalPass`; the model's merge adds/drops --
    add = _add

    # -- last pass: a member's title before a person the later passes found ------------------
    def member_titles_before_people(self) -> None:
        """Drop a one-word organisation mention that is also a person title (see :meth:`_title_before_name`)
        right before a person mention on the same line: "der türkischstämmige Bundesrat Efgani Dönmez",
        where the person is a name only the model or the local names pass knows."""
        by_first = {m.first: m for m in self.mentions}
        for m in list(self.mentions):
            if m.first != m.last or not m.ids or m.form not in ("name", "short"):
                continue
            if not self.cues.is_person_title(self.W[m.first].text) or any(self._type(x) != "ORG" for x in m.ids):
                continue
            nx = self._next_word(m.last)
            p = by_first.get(nx) if nx is not None else None
            if p is not None and (p.type == "PER" if not p.ids else all(self._type(x) == "PER" for x in p.ids)):
                self.member_titles.add(m.first)
                self.drop(m)

    def drop(self, m: _Mention) -> None:
        """Remove mention ``m`` (the statistical model's merge, :mod:`._ner`, replaces some)."""
        self.mentions.remove(m)
        for k in range(m.first, m.last + 1):
            if self.covered.get(k) is m:
                del self.covered[k]


def find_entities(
    text: str,
    language: str | None,
    published: str | None,
    words: list[Word],
    kb: Any,
    cues: Cues,
    ner: Any = None,
    *,
    earliest: str | None = None,
    latest: str | None = None,
) -> list[dict[str, Any]]:
    """Entities of one text: ``[{id, name, type, kb, mentions[{start, end, text, form}]}]``.

    ``ner``: the statistical model (a :class:`~lagebild.nlp.ner.NerModel`), run
    after the rule-based passes on sentences that hold a candidate word and
    merged (see :mod:`._ner`).  ``earliest``/``latest``: the publication
    interval when ``published`` (its value) is unknown; bare titles resolve
    to the role holder over it (:mod:`._roles`).
    """
    from ._roles import interval_of

    date = (published or "")[:10] or None
    f = _Finder(text, language, date, words, kb, cues, interval_of(date, earliest, latest))
    f.kb_pass()
    f.resolve()
    f.short_forms()
    shared = namesakes(f, _Mention)  # surname → a local person who shares it with a KB person
    f.titles()
    f.locals()
    if ner is not None:
        from . import _ner

        wanted = None
        if _ner.WINDOWS:
            # the candidates depend on the rule passes only (the model's merge comes after): found once
            wanted = {
                k for k, w in enumerate(words)
                if w.is_word and w.text[:1].isupper() and _ner.candidate(f, k)
            }.__contains__
        _ner.merge_ner(f, _ner.ner_spans(text, words, ner, wanted), _Mention)
    namesake_shorts(f, shared)
    f.local_surnames()
    f.member_titles_before_people()
    f.local_variants()
    acronym_definitions(f)
    groups: dict[str, dict[str, Any]] = {}
    for m in sorted(f.mentions, key=lambda m: (m.start, m.end)):
        if m.ids:
            eid = m.ids[0]
            ent = kb.entities.get(eid)
            entry = groups.setdefault(
                eid,
                {"id": eid, "name": ent.name if ent else eid, "type": ent.type if ent else "MISC", "kb": True, "mentions": []},
            )
        else:
            eid = local_id(m.local or text[m.start : m.end])
            entry = groups.setdefault(eid, {"id": eid, "name": m.local, "type": m.type or "MISC", "kb": False, "mentions": []})
            if m.type and m.type != "MISC":
                entry["type"] = m.type
            if "candidates" in m.extra:
                entry["candidates"] = sorted(set(entry.get("candidates", [])) | set(m.extra["candidates"]))
        entry["mentions"].append({"start": m.start, "end": m.end, "text": text[m.start : m.end], "form": m.form})
    return sorted(groups.values(), key=lambda e: (e["mentions"][0]["start"], e["id"]))
