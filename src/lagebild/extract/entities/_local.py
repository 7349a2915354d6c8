"""Pass 4 of the entity finder: names the knowledge base does not know (local entities).

Runs of capitalised words that are not common nouns (the word never occurs
lower-cased in the text, is not in the stop list), typed from cue words; single
words only with a cue; then bare surnames of local persons named in full.
:class:`LocalPass` is a mixin of :class:`._find._Finder` (it uses the finder's
words, cues, coverage and helpers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...nlp._morph import dictionary_lemma
from ...nlp.ner.features import first_names
from ._memo import inflected, per_object

__all__ = ["LocalPass", "Mention", "cap", "dictionary_word"]

_QUOTES_OPEN = "\"„“«‹‚'(["
_QUOTES_CLOSE = "\"“”»›‘’')]"
#: Particles that may join an unknown name ("Voice of Korea"); German "von"/"der" are too common.
_LOCAL_PARTICLES = frozenset({"of", "de", "al", "bin", "ibn", "du", "la", "le", "da", "di", "van"})


def cap(w: str) -> bool:
    return w[:1].isupper()


@dataclass(slots=True)
class Mention:
    first: int  # word index
    last: int
    start: int
    end: int
    form: str
    ids: list[str]
    type: str | None = None  # for local entities
    local: str | None = None  # local name
    extra: dict[str, Any] = field(default_factory=dict)


def _name_word(word: str, last: bool) -> bool:
    """A word of a person's full name: letters, perhaps hyphenated ("Heinz-Christian", "Mikl-Leitner"),
    not all capitals; before the last word also an initial ("George D. Warrington")."""
    if word.replace("-", "").isalpha():
        return not word.isupper()
    return not last and len(word) == 2 and word[0].isupper() and word[1] == "."


def _number(word: str) -> bool:
    """A number ("3", "1.500", "2,5"): the word after it is a common noun ("3 Fotos")."""
    return word[:1].isdigit() and all(ch.isdigit() or ch in ".," for ch in word)


def dictionary_word(word: str, language: str) -> bool:
    """Whether the lemmatiser's dictionary knows ``word`` ("Folge", "Höhe": "in Folge" is no place)."""
    return dictionary_lemma(word, language) is not None


#: :meth:`LocalPass._local_form` per cue set and word form: ``id(cues) → (cues, {form: answer})``.
_FORMS: dict[int, tuple[Any, dict[str, bool]]] = {}


def _form_memo(cues: Any) -> dict[str, bool]:
    return per_object(_FORMS, cues, dict, keep=16)


class LocalPass:
    """The local-entity methods of the finder (see the module doc)."""

    # provided by the finder
    text: str
    W: list[Any]
    cues: Any
    german: bool
    lower: set[str]
    covered: dict[int, Mention]
    mentions: list[Mention]

    def _add(self, m: Mention) -> None:  # pragma: no cover - the finder's
        raise NotImplementedError

    def _prev_word(self, i: int) -> int | None:  # pragma: no cover - the finder's
        raise NotImplementedError

    def _name_like(self, i: int) -> bool:  # pragma: no cover - the finder's
        raise NotImplementedError

    def _type(self, eid: str) -> str:  # pragma: no cover - the finder's
        raise NotImplementedError

    def _local_form(self, w: str) -> bool:
        """The part of "may open or continue an unknown name" that depends only on the word form
        (memoised per cue set and form: :func:`_form_memo`): capitalised, no stop word, no person title, no digit,
        and an organisation word or (German) no inflected common word."""
        c = self.cues
        forms = _form_memo(c)
        got = forms.get(w)
        if got is None:
            if len(forms) > 200_000:
                forms.clear()
            got = forms[w] = bool(
                w[:1].isupper() and w not in c.stop and not c.is_person_title(w)
                and (w.isalpha() or not any(ch.isdigit() for ch in w))  # isalpha: no per-character scan
                and (c.is_org_word(w) or not (self.german and inflected(w)))
            )
        return got

    def locals(self) -> None:
        c, W, text = self.cues, self.W, self.text
        covered, lower, form_ok = self.covered, self.lower, self._local_form
        runs: list[list[int]] = []
        cur: list[int] = []
        n = len(W)
        forms = _form_memo(c)
        for i, w in enumerate(W):
            t = w.text
            ok = w.is_word and t[:1].isupper() and i not in covered and t.casefold() not in lower
            if ok:
                got = forms.get(t)
                ok = form_ok(t) if got is None else got
            # whether this word joins the run (only asked of a name word or a particle)
            if cur and (ok or t in _LOCAL_PARTICLES):
                gap = text[W[cur[-1]].end : w.start]
                joined = not gap.strip() and "\n" not in gap
            else:
                joined = False
            if not ok and joined and t in _LOCAL_PARTICLES:
                nx = i + 1
                if nx < n and W[nx].text[:1].isupper() and nx not in covered:
                    cur.append(i)  # "Voice of Korea"
                    continue
            if ok and (not cur or joined):
                cur.append(i)
            else:
                if cur:
                    runs.append(cur)
                cur = [i] if ok else []
        if cur:
            runs.append(cur)
        for run in runs:
            if W[run[0]].sent_start and not self._cue_before(run[0]) and (len(run) == 1 or not self._name_like(run[0])):
                run = run[1:]  # a capitalised sentence opener is a name only as part of a longer name
            while run and W[run[-1]].text in _LOCAL_PARTICLES:
                run = run[:-1]
            typ = None
            if len(run) > 1 and self.german and not any(c.is_org_word(W[k].text) for k in run):
                p = self._prev_word(run[0])
                pw = W[p].text if p is not None else ""
                if pw.casefold() in c.determiners or (pw[:1].islower() and pw.endswith(("e", "en", "er", "es"))):
                    run = run[1:]  # "der Armeeveteran Burnell Cotlon": a common noun, then the name
            if len(run) > 1 and c.is_org_word(W[run[0]].text):
                run, typ = run[1:], "ORG"  # "Nachrichtenagentur Tass": a descriptor, then the name
            elif len(run) > 1 and W[run[0]].text in c.loc_nouns:
                run, typ = run[1:], "LOC"  # "Region Fernost"
            if not run:
                continue
            if all(c.is_org_word(W[k].text) or W[k].text in c.loc_nouns for k in run):
                continue  # a descriptor alone ("die Bank") is no name
            typ = typ or self._local_type(run)
            if typ is None:
                continue
            name = text[W[run[0]].start : W[run[-1]].end]
            self._add(Mention(run[0], run[-1], W[run[0]].start, W[run[-1]].end, "name", [], typ, name))

    def local_surnames(self) -> None:
        """Bare surnames of local persons named in full, or by one name after a title ("Königin Elizabeth").

        A full name may hold hyphens and initials ("Heinz-Christian Strache", "George D. Warrington");
        the German genitive of a surname is that person too ("Prölls"), and so is a one-word local
        compound mention of it ("Hasenhüttl" of "Hasenhüttl-Team", from the model's merge).  A name
        in the genitive ("die Schuld Joseph Konys") is the person named so elsewhere in the article
        ("Joseph Kony"); one name after a title yields to a full name ending in it ("Herrn Sternad" …
        "Karl Sternad")."""
        c, W = self.cues, self.W
        people = [
            m for m in self.mentions
            if m.local and m.type == "PER" and all(
                _name_word(W[k].text, k == m.last) for k in range(m.first, m.last + 1) if W[k].is_word
            )
        ]
        if self.german:
            # "Joseph Konys" → "Joseph Kony" where the article names him so, or has "Kony" alone: a one-word
            # person, or a word the dictionary does not know ("Abd al-Fattah Junis" is not "Juni")
            genitives = [m for m in people if m.last > m.first and m.local.endswith("s")]
            if genitives:
                full = {m.local for m in people if m.last > m.first}
                alone = {m.local for m in people if m.last == m.first and m.form == "name"}
                words = {w.text for w in W if w.is_word}
                for m in genitives:
                    base = m.local[:-1].rsplit(" ", 1)[-1]
                    if m.local[:-1] in full or base in alone or (
                        base in words and not dictionary_word(base, c.language)
                    ):
                        m.local = m.local[:-1]
        surnames: dict[str, Mention] = {}
        for m in people:
            if m.last > m.first:
                surnames.setdefault(m.local.rsplit(" ", 1)[-1], m)
        for m in people:
            # one name alone only after a title, and a given name or no common noun ("Königin Elizabeth",
            # "Trainer Favre"; not "Herr Richter" … "der zuständige Richter")
            one = W[m.first].text
            if self.german and one.endswith("s") and one[:-1] in surnames:
                continue  # "ein Sprecher Koch-Mehrins": the genitive of a surname, resolved below
            if m.last == m.first and self._title_before(m.first) and (
                one in first_names() or not dictionary_word(one, c.language)
            ):
                surnames.setdefault(one, m)
        if not surnames:
            return
        for i, w in enumerate(W):
            t = w.text
            full_m = surnames.get(t)
            genitive = False
            if full_m is None and self.german and len(t) > 3 and t.endswith("s"):
                full_m, genitive = surnames.get(t[:-1]), True  # "Prölls"
            place = self.covered.get(i)
            compound = False
            if full_m is None and place is not None and place.form == "compound" and not place.ids:
                full_m, compound = surnames.get(place.local or ""), True  # "Hasenhüttl-Team"
            if full_m is None:
                continue
            p = self._prev_word(i)
            if p is not None and (_number(W[p].text) or (
                W[p].text.casefold() in c.determiners and not (p > 0 and W[p - 1].text == ",")
            )) and dictionary_word(t, c.language):
                # "den Euro", "3 Fotos": a common noun; not a name the dictionary lacks ("in dem Thiem"),
                # nor after a relative pronoun ("…, der Schumacher zum Weltmeister machte")
                continue
            if place is not None:
                # the bare surname of a person named in full is that person: where the model or the rules
                # made it a one-word local person of its own ("Sonja Hammerschmid … erklärte Hammerschmid"), and after
                # the full name where it names a minor GeoNames city too ("Steven Austin … Austin sagte"),
                # unless a place preposition precedes it
                if place is full_m:
                    continue
                own = place.local and place.first == place.last == i and (
                    place.type in ("PER", None) or (genitive and place.type == "LOC")  # "Draxlers Wechsel"
                )
                if compound and own:
                    place.local, place.type = full_m.local, "PER"
                    continue
                if not own and (full_m.first > i or not self._minor_place(place) or (
                    p is not None and (W[p].text.casefold() in c.loc_prepositions or W[p].text in c.loc_nouns)
                )):
                    continue
                self.drop(place)
            elif compound:
                continue
            full_m.type = "PER"
            self._add(Mention(i, i, w.start, w.end, "short", [], "PER", full_m.local))
        self._given_names(people, surnames)

    def _given_names(self, people: list[Mention], surnames: dict[str, Mention]) -> None:
        """A one-word local person whose word opens the full name of one local person of the article, and
        is nobody's surname there nor opens a KB person's name, is that person: *Julian* after *Julian
        Draxler*, *Thaksin* after *Thaksin Shinawatra*, *Lee* after *Lee Sedol* (family name first); so
        is the model's one-word compound of it (*Thaksin-Anhänger*)."""
        W = self.W
        owners: dict[str, set[str]] = {}
        for m in people:
            if m.last > m.first and m.local:
                owners.setdefault(W[m.first].text, set()).add(m.local)
        if not owners:
            return
        kb_first = {
            W[m.first].text for m in self.mentions
            if m.ids and m.last > m.first and any(self._type(x) == "PER" for x in m.ids)
        }
        for m in self.mentions:
            if m.ids or m.type != "PER" or m.first != m.last or m.form not in ("name", "compound") or (
                "candidates" in m.extra
            ):
                continue
            word = m.local if m.form == "compound" else W[m.first].text  # "Thaksin" of "Thaksin-Anhänger"
            names = owners.get(word or "")
            if names is None or len(names) != 1 or word in surnames or word in kb_first:
                continue
            (full,) = names
            token = W[m.first].text
            if m.form == "compound" and token.count("-") > 1 and not token.startswith(full.replace(" ", "-") + "-"):
                continue  # "Michael-Haneke-Film" names Michael Haneke, not the article's Michael Fassbender
            if full != m.local:
                m.local = full
                if m.form == "name":
                    m.form = "short"

    def local_variants(self) -> None:
        """Local entities that are another entity of the article written differently.

        * German genitives and plurals: a local entity named "X-s" or "X-es" is the entity named "X"
          here ("des Kunsthistorischen Museums", "Rapids", "Apples" next to "Apple", "Thaksins" next to
          "Thaksin", the short form of "Thaksin Shinawatra") — a local one,
          with its type, if the types agree or one of them is MISC; a KB one if "X" links to one
          entity.  "X" needs four letters, or capitals only ("EAs"), so "Isis" is not "Isi".
        * A one-word local person or compound mention ("Kurz", "Brandt" of "Brandt-Kenner") whose
          word is the last name of one KB person named in full here is that person.
        """
        # a local name, and the text of each of its one-word mentions ("Thaksin" of Thaksin Shinawatra),
        # → (the local name, its type)
        local: dict[str, tuple[str, str | None]] = {}
        linked: dict[str, set[str]] = {}
        surnames: dict[str, set[str]] = {}
        for m in self.mentions:
            if m.ids:
                surface = self.text[m.start : m.end]
                linked.setdefault(surface, set()).update(m.ids)
                if m.form == "name" and m.last > m.first and len(m.ids) == 1 and self._type(m.ids[0]) == "PER":
                    surnames.setdefault(self.W[m.last].text, set()).add(m.ids[0])
            elif m.local and "candidates" not in m.extra:
                local.setdefault(m.local, (m.local, m.type))
                if m.first == m.last and m.form in ("name", "short"):
                    local.setdefault(self.text[m.start : m.end], (m.local, m.type))
        for m in self.mentions:
            name = m.local
            if m.ids or not name or "candidates" in m.extra:
                continue
            if len(surnames.get(name, ())) == 1 and m.first == m.last and (
                m.form == "compound" or (m.form == "name" and m.type in ("PER", None))
            ):
                m.ids, m.local, m.type = sorted(surnames[name]), None, None
                if m.form == "name":
                    m.form = "short"  # the model's one-word person: a KB person's bare surname
                continue
            if not self.german or name in linked:
                continue
            for base in (name[:-1] if name.endswith("s") else "", name[:-2] if name.endswith("es") else ""):
                if not (len(base) >= 4 or (len(base) >= 2 and base.isupper())):
                    continue
                plain = local.get(base)
                typ = plain[1] if plain else None
                if plain and plain[0] != name and (typ == m.type or "MISC" in (typ, m.type) or None in (typ, m.type)):
                    m.local, m.type = plain[0], typ  # the plain name's type ("Philaes" was the model's LOC)
                    break
                ids = linked.get(base)
                if ids is not None and len(ids) == 1 and m.type in (None, "MISC", self._type(next(iter(ids)))):
                    m.ids, m.local, m.type = sorted(ids), None, None
                    break

    def _minor_place(self, m: Any) -> bool:
        """A one-word KB name mention that stands only for minor GeoNames cities: no German name, no
        adjective, no government it stands for ("Austin", "Elizabeth")."""
        if m.first != m.last or not m.ids or m.form != "name":
            return False
        for eid in m.ids:
            e = self.kb.entities.get(eid)
            if e is None or not eid.startswith("city:") or e.adjectives or e.metonym_of or "de" in e.names:
                return False
        return True

    def _title_before(self, i: int) -> bool:
        """A person's title right before word ``i`` ("Königin Elizabeth", "Trainer Favre")."""
        p = self._prev_word(i)
        return p is not None and self.cues.is_person_title(self.W[p].text)

    def _cue_before(self, i: int) -> bool:
        p = self._prev_word(i)
        return p is not None and (self.cues.is_person_title(self.W[p].text) or self.cues.is_org_word(self.W[p].text))

    def _local_type(self, run: list[int]) -> str | None:
        c, W = self.cues, self.W
        words = [W[k].text for k in run]
        p = self._prev_word(run[0])
        prev = W[p].text if p is not None else ""
        if prev and c.is_person_title(prev):
            return "PER"
        if any(c.is_org_word(x) for x in words) or (prev and c.is_org_word(prev)):
            return "ORG"
        if self._quoted_medium(run):
            return "ORG"
        if len(run) == 1:
            x = words[0]
            if prev.casefold() in c.loc_prepositions or prev in c.loc_nouns:
                if not x.casefold().endswith(c.noun_endings) and len(x) > 2 and not dictionary_word(x, c.language):
                    return "LOC"
            return None
        if len(run) <= 3 and all(cap(x) and x.isalpha() for x in words) and self._reused_as_surname(run[-1]):
            return "PER"  # a full name whose last word is used again alone: a surname
        return "MISC"

    def _reused_as_surname(self, k: int) -> bool:
        """The word at ``k`` recurs alone, never after a determiner ("den Euro")."""
        W = self.W
        word, seen = W[k].text, 0
        texts: list[str] | None = getattr(self, "_texts", None)
        if texts is None:
            texts = self._texts = [w.text for w in W]
        i = -1
        while True:
            try:
                i = texts.index(word, i + 1)
            except ValueError:
                break
            if i == k:
                continue
            p = self._prev_word(i)
            if p is not None and (W[p].text.casefold() in self.cues.determiners or cap(W[p].text)):
                return False
            seen += 1
        return seen > 0

    def _quoted_medium(self, run: list[int]) -> bool:
        W, t = self.W, self.text
        before = t[max(0, W[run[0]].start - 1) : W[run[0]].start]
        after = t[W[run[-1]].end : W[run[-1]].end + 1]
        if not (before and before in _QUOTES_OPEN and after and after in _QUOTES_CLOSE):
            return False
        lo, hi = max(0, run[0] - 6), min(len(W), run[-1] + 7)
        return any(W[k].text.casefold() in self.cues.report_verbs for k in range(lo, hi))
