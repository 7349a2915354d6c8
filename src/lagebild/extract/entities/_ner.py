"""The statistical NER model's part in the entities stage (``stages.entities.ner``).

The CRF (:mod:`lagebild.nlp.ner`) tags each sentence's words; its spans are
then merged into the rule-based finder's mentions:

* knowledge-base mentions win — a CRF span overlapping any mention found so far
  is ignored, except that
* a local entity the rules could only type ``MISC`` takes the CRF type when
  the CRF found exactly the same span;
* a CRF person span that opens with a given name wins over non-person KB
  mentions inside it ("Michael Jackson" over the place "Jackson");
* other CRF spans become local entities typed by the CRF (PER, ORG, LOC; OTH → MISC).

Spans that do not start with a capital letter (GermEval's ``deriv`` adjectives,
"russische"; counts) are dropped: adjectives are the KB's job.  A person span loses
the common lower-case words at its end ("Elizabeth empfing" → "Elizabeth"; "al-Bashir"
and "d.J." stay).  A one-word span
that is a name inside a common noun ("CVP-Ständerat") becomes a compound mention
of its head.  The model tags every sentence holding a capitalised word after its
first (:data:`WINDOWS` off); with :data:`WINDOWS` on it tags only the words
within :data:`REACH` tokens of a candidate word (:func:`candidate`; features
still come from the whole sentence).  Whole sentences: 5-fold KB + rules + CRF
F1 on GermEval dev 68.2 against 66.9 for the windows — see bench/ner.py,
bench/stages.py and bench/RESULTS.md.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Sequence

from ...nlp.ner.features import first_names, known_word
from ._words import Word

__all__ = ["ner_spans", "merge_ner", "NER_TYPES", "NER_LANGUAGES"]

#: CRF label → lagebild entity type.
NER_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "OTH": "MISC"}
#: Languages the packaged model was trained for.
NER_LANGUAGES = frozenset({"de"})
#: The model tags only the words within this many tokens of a candidate word (see :func:`candidate`);
#: features still come from the whole sentence, and a name reaching past a window's edge widens it
#: (:meth:`lagebild.nlp.ner.NerModel.predict_near`).
REACH = 2
#: Tag only windows around candidate words (:func:`candidate`, :data:`REACH`) instead of every
#: sentence that holds a capitalised word after its first. Whole sentences: 5-fold KB + rules + CRF
#: F1 on GermEval dev 68.2 instead of 66.9 (the model sees every name, the rules' candidate filter
#: missed known surnames after an article: "den Blair"); see bench/RESULTS.md for the cost.
WINDOWS = False
#: Also send known capitalised words outside a common noun's place to the model (:func:`candidate`):
#: 5-fold KB + rules + CRF F1 58.3 instead of 55.7 (measured with REACH 3) on GermEval dev, at about
#: 1.5× the cost of the entities stage on 10kGNAD (bench/stages.py).
WIDE = True
#: Also a sentence's first word, when no KB mention covers it and the dictionary cannot explain it.
SENT_START = True
#: A model person span opening with a given name wins over single-word non-person KB mentions
#: inside it, at its first word too ("George Bush" over the places "George" and "Bush").
GIVEN_FIRST = True
#: A typed rule-based guess overlapping a model span gives way to it, as untyped ones always do
#: ("Richtung Modrava" → "Modrava", "CEO Rick" inside "CEO Rick Dudley").
GUESS_YIELDS = True
#: A model ORG/PER span equal to one word linked only to minor GeoNames cities (no German name,
#: no adjective, no government it stands for) makes it a local entity of that type ("Toyota" the
#: company, not the Japanese city); such a word inside a longer ORG/PER span gives way to it
#: ("Rick Dudley"). These three rules: 5-fold GermEval dev F1 of the stage 68.7 → 69.2 (bench/RESULTS.md).
MINOR_CITY = True
#: A CRF organisation or other-name span of two or more words wins over KB place mentions lying
#: strictly inside it ("Universität Hamburg", not the city "Hamburg").
AROUND_KB = True
#: A CRF other-name (MISC) span of two or more words that opens with a KB company's one-word name names a
#: product ("Apple Watch", "Google Drive", "Airbus A380"; GermEval's OTH), not the company.
PRODUCT_OF_MAKER = True


def ner_spans(
    text: str, words: Sequence[Word], model: Any = None, wanted: Callable[[int], bool] | None = None
) -> list[tuple[int, int, int, int, str]]:
    """CRF entity spans over ``words``, sentence by sentence: ``(first, last, start, end, type)``.

    ``first``/``last`` are word indexes (inclusive), ``start``/``end`` character
    offsets into ``text``, ``type`` a lagebild type.  ``wanted(k)``: whether word
    ``k`` is worth the model; only the words within :data:`REACH` tokens of such
    a word are tagged, sentences without one are skipped (speed).
    """
    if model is None:
        from ...nlp.ner import NerModel

        model = NerModel.load()
    from ...nlp.ner import tags_to_spans

    sents: list[list[int]] = []
    for k, w in enumerate(words):
        if w.sent_start or not sents:
            sents.append([])
        sents[-1].append(k)
    toks = [[words[k].text for k in sent] for sent in sents]
    tagged: list[list[str]]
    if wanted is None:
        # a sentence with no capitalised word after its first cannot hold a name the model finds;
        # the others go to the model in one call per article (cheaper per sentence)
        todo = [i for i, t in enumerate(toks) if any(x[:1].isupper() for x in t[1:])]
        got = (model.predict_many([toks[i] for i in todo]) if hasattr(model, "predict_many")
               else [model.predict(toks[i]) for i in todo])
        tagged = [[] for _ in sents]
        for i, tags in zip(todo, got):
            tagged[i] = tags
    else:
        tagged = []
        for sent, t in zip(sents, toks):
            focus = [i for i, k in enumerate(sent) if wanted(k)]
            tagged.append((model.predict_near(t, focus, REACH) if hasattr(model, "predict_near")
                           else model.predict(t)) if focus else [])
    out: list[tuple[int, int, int, int, str]] = []
    for sent, tags in zip(sents, tagged):
        for a, b, lab in tags_to_spans(tags) if tags else ():
            if lab == "PER":
                while b - 1 > a and _common_word(words[sent[b - 1]].text):
                    b -= 1  # "Elizabeth empfing": a person's name does not end in a common lower-case word
            first, last = sent[a], sent[b - 1]
            s, e = words[first].start, words[last].end
            surface = text[s:e]
            if not surface[:1].isupper():
                continue  # adjectives ("russische") and counts ("10'000 Fahrräder")
            if not any(c.isalpha() for c in surface) or "\n" in surface:
                continue
            out.append((first, last, s, e, NER_TYPES.get(lab, "MISC")))
    return out


def _common_word(word: str) -> bool:
    """A lower-case word the German dictionary knows ("empfing", "und"), which cannot end a person's
    name; "al-Bashir", "d.J." and unknown particles can."""
    return word[:1].islower() and word.isalpha() and known_word(word)


#: Memo of :func:`_name_compound` per cue language and word form.
_COMPOUNDS: dict[tuple[str, str], bool] = {}
#: Inflection endings after a compound's noun ("Koreakrieges", "Russlandreisen").
_TAIL_ENDINGS = ("", "s", "es", "e", "en", "n")


@lru_cache(maxsize=16)
def _tail_suffixes(tails: tuple[str, ...]) -> tuple[str, ...]:
    """Every compound tail with every inflection ending (one ``str.endswith`` tests them all)."""
    return tuple(t + e for t in tails for e in _TAIL_ENDINGS)


def _cap(word: str) -> bool:
    """A name-like compound head: a capital or a digit first, at least two characters ("CVP", "3M")."""
    return len(word) >= 2 and (word[:1].isupper() or word[:1].isdigit())


def _name_compound(word: str, cues: Any) -> bool:
    """One word made of a name and a common noun — hyphenated, the noun known to the dictionary
    ("Telegate-Vorstandschef"), or closed with a noun of the cue file's ``[compound] tails``
    ("Koreakrieg", "Deutschlandreise"): GermEval's ``part`` labels, which the model learns folded into
    their class. It is a mention of the war, trip or office, not of the name (the KB's compound pass
    links the known heads), so the model's span is not taken as a name (:func:`merge_ner` keeps a
    hyphenated one's head as a compound mention)."""
    key = (getattr(cues, "language", ""), word)
    got = _COMPOUNDS.get(key)
    if got is None:
        if len(_COMPOUNDS) > 100_000:
            _COMPOUNDS.clear()
        if "-" in word:
            tail = word.rsplit("-", 1)[1]
            got = len(tail) >= 4 and tail[:1].isupper() and tail[1:].islower() and known_word(tail)
        else:
            low = word.casefold()
            ends = _tail_suffixes(getattr(cues, "compound_tails", ()))
            got = low.endswith(ends) and any(low.endswith(x) and len(low) - len(x) >= 3 for x in ends)
        _COMPOUNDS[key] = bool(got)
    return got


def merge_ner(f: Any, spans: list[tuple[int, int, int, int, str]], mention: Any) -> None:
    """Merge the CRF's spans into finder ``f``'s mentions (``mention``: its mention class).

    A CRF span over no mention becomes a local entity; one equal to a local
    mention retypes it when the rules said MISC; a typed one (PER, ORG, LOC)
    around single known non-person words with an unknown word beside them
    ("Jorvik Mälstrand" around "Jorvik") or over the rules' guesses
    (:data:`GUESS_YIELDS`) replaces them, as does a person span opening with a
    given name (:data:`GIVEN_FIRST`), an ORG/PER span over minor GeoNames
    cities (:data:`MINOR_CITY`), an ORG/MISC span around places
    (:data:`AROUND_KB`) and a MISC span opening with a company's name
    (:data:`PRODUCT_OF_MAKER`); otherwise the mentions found so far win.  Rule-based
    MISC guesses the model does not back at all are dropped.
    """
    backed: set[int] = set()
    titles = f.member_titles
    for first, last, start, end, typ in spans:
        if first == last and first in titles:
            continue  # a member's title before a name ("Bundesrat Ignazio Cassis"), see _Finder.kb_pass
        inner = list({id(m): m for k in range(first, last + 1) if (m := f.covered.get(k)) is not None}.values())
        if first == last and _name_compound(f.text[start:end], f.cues):
            # "Koreakrieg", "CVP-Ständerat": a name inside a common noun. A hyphenated one the KB
            # does not know becomes a compound mention of its head, as the KB's compound pass does
            head = f.text[start:end].split("-", 1)[0]
            if "-" in f.text[start:end] and not inner and _cap(head):
                new = mention(first, first, start, start + len(head), "compound", [], typ, head)
                f.add(new)
                backed.add(id(new))
            continue
        if len(inner) == 1 and _guess(inner[0]) is not None and (inner[0].start, inner[0].end) == (start, end):
            backed.add(id(inner[0]))
            if inner[0].type == "MISC":
                inner[0].type = typ
            continue
        if MINOR_CITY and _minor_city(f, typ, inner, start, end):
            pass
        elif _person_with_given_name(f, typ, first, inner, start, end):
            pass  # "Michael Jackson" over a place "Jackson": the given name makes it a person
        elif AROUND_KB and _name_around(f, typ, first, last, inner, start, end):
            pass  # "Universität Hamburg": the name of an organisation around a place
        elif PRODUCT_OF_MAKER and _product_of_maker(f, typ, first, last, inner):
            pass  # "Apple Watch": a product named after its maker
        elif (typ == "MISC" and inner) or not all(_yields(m, start, end, f, typ) for m in inner) or (
            any(m.ids and not (MINOR_CITY and typ in ("ORG", "PER") and f._minor_place(m)) for m in inner)
            and not _unknown_word(f, first, last)
        ):
            backed.update(id(m) for m in inner)
            continue
        for m in inner:
            f.drop(m)
        new = mention(first, last, start, end, "name", [], typ, f.text[start:end])
        f.add(new)
        backed.add(id(new))
    for m in [m for m in f.mentions if _guess(m) == "MISC" and id(m) not in backed]:
        f.drop(m)  # the rules' untyped guess, which the model does not back


def _person_with_given_name(f: Any, typ: str, first: int, inner: list, start: int, end: int) -> bool:
    """A CRF person span that opens with a given name (``nlp/ner/data/first_names.txt``) and
    covers only non-person mentions lying strictly inside it, none of them at its first word;
    with :data:`GIVEN_FIRST`, one-word non-person KB mentions anywhere in it ("Malte Krüger")."""
    if typ != "PER" or not inner or f.W[first].text not in first_names():
        return False
    if GIVEN_FIRST and f.W[first].end < end:  # more than the given name: one-word matches anywhere inside
        return all(
            m.first == m.last and start <= m.start and m.end <= end and m.ids
            and not any(f._type(x) == "PER" for x in m.ids) for m in inner
        )
    return all(
        start < m.start and m.end <= end and not any(f._type(x) == "PER" for x in m.ids) for m in inner
    )


def _minor_city(f: Any, typ: str, inner: list, start: int, end: int) -> bool:
    """An ORG/PER span equal to one KB mention that names only minor GeoNames cities."""
    if typ not in ("ORG", "PER") or len(inner) != 1:
        return False
    m = inner[0]
    return (m.start, m.end) == (start, end) and f._minor_place(m)


def _product_of_maker(f: Any, typ: str, first: int, last: int, inner: list) -> bool:
    """A MISC span of two or more words whose only mention is a KB company's name at its first word."""
    if typ != "MISC" or last == first or len(inner) != 1:
        return False
    m = inner[0]
    if m.first != first or m.last != first or not m.ids:
        return False
    return all(getattr(f.kb.entities.get(x), "kind", None) == "company" for x in m.ids)


def _name_around(f: Any, typ: str, first: int, last: int, inner: list, start: int, end: int) -> bool:
    """A CRF ORG/MISC span of two or more words around KB place mentions that lie strictly inside it
    ("Universität Hamburg", "Financial Times Deutschland", "Kuwait National Airways" over the rules'
    guess "National Airways"), or a LOC span opening with a place adjective ("Frankfurter
    Hauptbahnhof", "Thüringer Wald"); a KB person or organisation inside keeps its link (the model's
    boundary is the likelier error: "die Hamas Granatwerfer")."""
    if last == first or not inner:
        return False
    if typ == "LOC":
        return all(m.form == "adjective" and m.ids and m.start == start and m.end < end for m in inner)
    if typ not in ("ORG", "MISC"):
        return False
    places = [m for m in inner if m.ids]
    return bool(places) and all(
        (start < m.start or m.end < end) and start <= m.start and m.end <= end
        and ((_guess(m) is not None or "club" in m.extra) if not m.ids else all(f._type(x) in ("GPE", "LOC") for x in m.ids))
        for m in inner
    )


def _guess(m: Any) -> str | None:
    """The type of a rule-based local mention (no KB candidates, no club's name), else None."""
    if m.local and not m.ids and "candidates" not in m.extra and "club" not in m.extra:
        return m.type or "MISC"
    return None


def _yields(m: Any, start: int, end: int, f: Any, typ: str = "") -> bool:
    """Whether mention ``m`` gives way to a CRF span of type ``typ``: a rule-based MISC guess, or one
    known word (not a person) inside a longer name ("Jorvik" in "Jorvik Mälstrand"); a club's name
    (:mod:`._clubs`) only to a longer organisation around it ("FC Bayern München" over "Bayern
    München"), never to a part of it ("FC Nürnberg" of "1. FC Nürnberg")."""
    if "club" in m.extra:
        return typ == "ORG" and start <= m.start and m.end <= end and (m.start, m.end) != (start, end)
    guess = _guess(m)
    if guess is not None and (guess == "MISC" or GUESS_YIELDS):
        return True
    return (start <= m.start and m.end <= end and (m.start, m.end) != (start, end)
            and m.form in ("name", "short") and m.first == m.last
            and not any(f._type(x) == "PER" for x in m.ids))


def _unknown_word(f: Any, first: int, last: int) -> bool:
    """Whether words ``first..last`` hold a capitalised word no mention covers and the dictionary does not know."""
    from ._local import dictionary_word

    for k in range(first, last + 1):
        w = f.W[k].text
        if k not in f.covered and w[:1].isupper() and w.isalpha() and not dictionary_word(w, "de"):
            return True
    return False


def candidate(f: Any, k: int) -> bool:
    """Whether word ``k`` may start the model's work: a capitalised word after a sentence's
    first that no KB mention covers and that is a rule-based guess, a given name, a word the
    dictionary cannot explain (:func:`_unexplained`; a hyphenated word through its parts), or
    (with :data:`WIDE`) any other word not in a common noun's place (:func:`_after_article`)."""
    w = f.W[k]
    if not w.is_word or not w.text[:1].isupper():
        return False
    if w.sent_start:  # a sentence's first word: only one the dictionary cannot explain ("Mälstrand sagte …")
        return SENT_START and f.covered.get(k) is None and _unexplained(w.text, f.cues)
    m = f.covered.get(k)
    if m is not None:
        return _guess(m) is not None
    if w.text in first_names():  # "Michael" before a surname the KB reads as a place
        return True
    if "-" in w.text:  # a compound is a candidate through its parts ("Jorvik-Gruppe", not "Corona-Krise")
        return any(_unexplained(part, f.cues) for part in w.text.split("-") if part)
    if _unexplained(w.text, f.cues):
        return True
    return WIDE and w.text.isalpha() and not _after_article(f, k)


def _after_article(f: Any, k: int) -> bool:
    """Whether word ``k`` follows a determiner or an inflected adjective ("der neue Vertrag"): the
    place of a common noun.  A known capitalised word elsewhere ("sagte Merkel", "bei Siemens")
    may be a name the dictionary also lists, so it goes to the model."""
    if k == 0:
        return False
    p = f.W[k - 1].text
    return p.casefold() in f.cues.determiners or (p[:1].islower() and p.endswith(_INFLECTED))


#: Endings of inflected German adjectives and articles ("neuen", "großer", "einem").
_INFLECTED = ("e", "en", "er", "es", "em")


#: Memo of :func:`_unexplained` per cue language and word form.
_UNEXPLAINED: dict[tuple[str, str], bool] = {}


def _unexplained(word: str, cues: Any) -> bool:
    """A word the dictionary cannot explain: unknown and not built like a common noun
    ("…ung", "…schaft": ``noun_endings`` of the cue file), an acronym, or with digits or signs."""
    key = (getattr(cues, "language", ""), word)
    got = _UNEXPLAINED.get(key)
    if got is None:
        if len(_UNEXPLAINED) > 200_000:
            _UNEXPLAINED.clear()
        got = _UNEXPLAINED[key] = _unexplained_now(word, cues)
    return got


def _unexplained_now(word: str, cues: Any) -> bool:
    if not word.isalpha():
        return True
    if word.isupper() and len(word) > 1:
        return True
    if len(word) < 2 or known_word(word):
        return False
    low = word.casefold()
    return not any(low.endswith(e) for e in getattr(cues, "noun_endings", ()) if len(e) >= 3)
