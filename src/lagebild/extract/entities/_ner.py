"""The statistical NER model's part in the entities stage (``stages.entities.ner``).

The CRF (:mod:`lagebild.nlp.ner`) tags each sentence's words; its spans are
then merged into the rule-based finder's mentions:

* knowledge-base mentions win — a CRF span overlapping any mention found so far
  is ignored, except that
* a local entity the rules could only type ``MISC`` takes the CRF type when
  the CRF found exactly the same span;
* other CRF spans become local entities typed by the CRF (PER, ORG, LOC; OTH → MISC).

Spans that do not start with a capital letter (GermEval's ``deriv`` adjectives,
"russische"; counts) are dropped: adjectives are the KB's job.  The model runs
only on sentences with a candidate word (see :func:`candidate`), for speed.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ...nlp.ner.features import word_features
from ._words import Word

__all__ = ["ner_spans", "merge_ner", "NER_TYPES", "NER_LANGUAGES"]

#: CRF label → lagebild entity type.
NER_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "OTH": "MISC"}
#: Languages the packaged model was trained for.
NER_LANGUAGES = frozenset({"de"})


def ner_spans(
    text: str, words: Sequence[Word], model: Any = None, wanted: Callable[[int], bool] | None = None
) -> list[tuple[int, int, int, int, str]]:
    """CRF entity spans over ``words``, sentence by sentence: ``(first, last, start, end, type)``.

    ``first``/``last`` are word indexes (inclusive), ``start``/``end`` character
    offsets into ``text``, ``type`` a lagebild type.  ``wanted(k)``: whether word
    ``k`` is worth the model; sentences without such a word are skipped (speed).
    """
    if model is None:
        from ...nlp.ner import NerModel

        model = NerModel.load()
    from ...nlp.ner import tags_to_spans

    out: list[tuple[int, int, int, int, str]] = []
    sent: list[int] = []

    def flush() -> None:
        if not sent:
            return
        toks = [words[k].text for k in sent]
        # a sentence with no capitalised word after its first cannot hold a name the model finds
        if any(wanted(k) for k in sent) if wanted is not None else any(t[:1].isupper() for t in toks[1:]):
            tags = model.predict(toks)
            for a, b, lab in tags_to_spans(tags):
                first, last = sent[a], sent[b - 1]
                s, e = words[first].start, words[last].end
                surface = text[s:e]
                if not surface[:1].isupper():
                    continue  # adjectives ("russische") and counts ("10'000 Schiffscontainer")
                if not any(c.isalpha() for c in surface) or "\n" in surface:
                    continue
                out.append((first, last, s, e, NER_TYPES.get(lab, "MISC")))
        sent.clear()

    for k, w in enumerate(words):
        if w.sent_start and sent:
            flush()
        sent.append(k)
    flush()
    return out


def merge_ner(f: Any, spans: list[tuple[int, int, int, int, str]], mention: Any) -> None:
    """Merge the CRF's spans into finder ``f``'s mentions (``mention``: its mention class).

    A CRF span over no mention becomes a local entity; one equal to a local
    mention retypes it when the rules said MISC; a typed one (PER, ORG, LOC)
    around single known non-person words with an unknown word beside them
    ("Jorvik Mälstrand" around "Jorvik") or over the rules' MISC guesses
    replaces them; otherwise the mentions found so far win.  Rule-based MISC
    guesses the model does not back at all are dropped.
    """
    backed: set[int] = set()
    for first, last, start, end, typ in spans:
        inner = list({id(m): m for k in range(first, last + 1) if (m := f.covered.get(k)) is not None}.values())
        if len(inner) == 1 and _guess(inner[0]) is not None and (inner[0].start, inner[0].end) == (start, end):
            backed.add(id(inner[0]))
            if inner[0].type == "MISC":
                inner[0].type = typ
            continue
        if (typ == "MISC" and inner) or not all(_yields(m, start, end, f) for m in inner) or (
            any(m.ids for m in inner) and not _unknown_word(f, first, last)
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


def _guess(m: Any) -> str | None:
    """The type of a rule-based local mention (no KB candidates), else None."""
    if m.local and not m.ids and "candidates" not in m.extra:
        return m.type or "MISC"
    return None


def _yields(m: Any, start: int, end: int, f: Any) -> bool:
    """Whether mention ``m`` gives way to a CRF span: a rule-based MISC guess, or one
    known word (not a person) inside a longer name ("Jorvik" in "Jorvik Mälstrand")."""
    if _guess(m) == "MISC":
        return True
    return (start <= m.start and m.end <= end and (m.start, m.end) != (start, end)
            and m.form in ("name", "short") and m.first == m.last
            and not any(f._type(x) == "PER" for x in m.ids))


def _unknown_word(f: Any, first: int, last: int) -> bool:
    """Whether words ``first..last`` hold a capitalised word no mention covers and the dictionary does not know."""
    from ._find import _dictionary_word

    for k in range(first, last + 1):
        w = f.W[k].text
        if k not in f.covered and w[:1].isupper() and w.isalpha() and not _dictionary_word(w, "de"):
            return True
    return False


def candidate(f: Any, k: int) -> bool:
    """Whether word ``k`` may start the model's work: a capitalised word after a sentence's
    first that no KB mention covers and that is a rule-based guess or unknown to the dictionary."""
    w = f.W[k]
    if not w.is_word or w.sent_start or not w.text[:1].isupper():
        return False
    m = f.covered.get(k)
    if m is not None:
        return _guess(m) is not None
    return "unk" in word_features(w.text) or not w.text.isalpha()
