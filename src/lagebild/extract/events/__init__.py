"""The ``events`` stage: PLOVER-typed events per article.

Each article gets ``events``, sorted by ``start``; every item is

``{start, end, text, event, mode, context, trigger{start, end, text, lemma},
actors[{id, text, start, end}], targets[{id, text, start, end}],
date{value, mod, precision, anchor, time}, place{id, text, start, end}|None,
status, negated, background, claim, evidence[{start, end}]}``

with offsets into ``Article.text`` (``text == Article.text[start:end]``; the
span runs from the first to the last of trigger, actors, targets and place).

* ``event`` is one of the 16 PLOVER 0.8 categories (``plover.toml``), ``mode``
  one of the category's modes or None, ``context`` a sorted list of PLOVER
  general contexts.  The field names follow PLOVER where it has them.
* Triggers come from ``lexicon/<lang>.toml`` (German, English): lemmas of verbs
  and nouns, German separable verbs and compound heads included; users extend
  or override the lexicon with ``stages.events.lexicon_files``.  One event per
  category and clause; the other triggers of that category in the clause are
  ``evidence``.  An event with neither actor nor target is kept only when one
  of its triggers is ``strong``.
* Future and announced events keep their underlying category (a planned visit
  is ``CONSULT``) with ``status: "planned"``; PLOVER itself codes future
  cooperation as AGREE — :func:`plover_code` gives that strict code.
* Signing or concluding a treaty ("Abkommen", "unterzeichnen") is ``SUPPORT``
  (PLOVER 0.8: "ratify, sign, or finalize an agreement"); agreeing to do
  something together ("vereinbaren", "überein­kommen") is ``AGREE``.
* A denial ("weist … zurück", "dementieren") is a ``REJECT`` event of the one
  who denies, ``asserted`` even where the claims stage marks its sentence
  ``denied`` (the denial happened); any other event takes ``status: "denied"``
  when the claim holding it is graded so.
* ``status`` is the status of the enclosing claim (``asserted``, ``reported``,
  ``quoted``, ``hedged``, ``denied``, ``speculated``) with ``planned``
  replacing ``asserted`` for future events; ``claim`` its index in
  ``Article.claims``.  Where no claim holds the trigger, cue words of the
  sentence decide (see :mod:`._find`).
* ``date`` comes from the time expressions of the clause, sentence or paragraph
  (``time`` = index into ``Article.times``), else the publication date
  (``anchor: "publication"``), else none; ``background`` marks settings told in
  passing (dated over ``background_days`` before publication, past perfect,
  history cue words, earlier-occurrence cue words such as "zuletzt im März").

Actors/targets/place are word-order and preposition heuristics over entity
mentions (:mod:`._roles` documents them and their limits).  Only simplemma
lemmas are used: HanTa part-of-speech tags were not needed by the rules and
would cost most of the stage's time.
"""

from __future__ import annotations

from typing import Any, Mapping

from ...model import Article
from ...pipeline import stage
from ._find import find_events, precision_of
from ._lexicon import Lexicon, Ontology, Trigger, load_lexicon, load_ontology

__all__ = [
    "events",
    "events_of_text",
    "plover_code",
    "precision_of",
    "load_lexicon",
    "load_ontology",
    "Lexicon",
    "Ontology",
    "Trigger",
    "DEFAULT_LANGUAGES",
]

DEFAULT_LANGUAGES = ("de", "en")


def events_of_text(
    text: str,
    language: str | None,
    *,
    sentences: list[list[int]] | None = None,
    entities: list[dict[str, Any]] | None = None,
    times: list[dict[str, Any]] | None = None,
    claims: list[dict[str, Any]] | None = None,
    published: Mapping[str, Any] | None = None,
    lexicon_files: tuple[str, ...] = (),
    background_days: int = 365,
) -> list[dict[str, Any]]:
    """The events of ``text`` (the stage's work without an Article).

    Languages without a lexicon file give no events.  ``sentences`` default to
    :func:`lagebild.nlp.split_sentences`; the other layers default to empty.
    """
    lang = (language or "").split("-")[0].lower()
    lex = load_lexicon(lang, tuple(str(p) for p in lexicon_files)) if lang else None
    if lex is None or not text:
        return []
    if sentences is None:
        from ...nlp import split_sentences

        sentences = [list(s) for s in split_sentences(text, lang)]
    return find_events(
        text,
        lang,
        sentences,
        entities or [],
        times or [],
        claims or [],
        dict(published or {}),
        lex,
        load_ontology(),
        background_days,
    )


def plover_code(event: Mapping[str, Any]) -> str:
    """The strict PLOVER category of an event: future cooperative events are AGREE.

    PLOVER codes CONSULT, SUPPORT, COOPERATE and AID reported in the future
    tense as AGREE; lagebild keeps the underlying category with
    ``status: "planned"``.
    """
    onto = load_ontology()
    cat = str(event.get("event"))
    if event.get("status") == "planned" and cat in ("CONSULT", "SUPPORT", "COOPERATE", "AID"):
        return onto.future_as
    return cat


@stage(
    "events",
    requires=("text", "language", "sentences", "entities", "times", "claims", "published"),
    sets=("events",),
)
def events(article: Article, settings: Mapping[str, Any]) -> Article:
    """PLOVER-typed events with actors, targets, date, place and claim status."""
    languages = settings.get("languages", DEFAULT_LANGUAGES)
    lang = (article.language or "").split("-")[0].lower()
    if lang not in languages:
        return article.replace(events=[])
    found = events_of_text(
        article.text,
        lang,
        sentences=article.sentences or None,
        entities=article.entities,
        times=article.times,
        claims=article.claims,
        published=article.published.to_dict(),
        lexicon_files=tuple(str(p) for p in settings.get("lexicon_files", ())),
        background_days=int(settings.get("background_days", 365)),
    )
    return article.replace(events=found)
