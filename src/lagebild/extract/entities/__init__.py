"""The ``entities`` stage: mentions of people, organisations and places, linked to the KB.

Each article gets ``entities``: ``[{id, name, type, kb, mentions[{start, end,
text, form}]}]`` sorted by first mention; offsets point into ``Article.text``.
``form`` is ``name`` (a full name or alias), ``short`` (a bare surname or short
form), ``title`` (a bare title such as "Russlands Verteidigungsminister"
resolved through the KB's role holders), ``adjective`` ("russische" → Russia),
``compound`` ("US-Regierung": the span is the KB part "US") or ``metonym`` (a
capital acting for its government: "Moskau bestätigte …").

KB entities keep their KB id (``kb: true``); names the KB does not know become
local entities ``local:<slug>`` (``kb: false``) typed from cue words in
``data/cues_{lang}.toml`` (German, English, French; other languages use the German file); with ``stages.entities.ner`` (default on) the CRF
model of :mod:`lagebild.nlp.ner` adds names the rules miss and types the ones
they could only call MISC (German text; see :mod:`._ner`).  A surface with several KB candidates that the
article does not settle stays a local entity with a ``candidates`` list — so
does a bare surname shared by two people the article names in full.
Everything runs on the clean text, so no mention can come from removed furniture.
"""

from __future__ import annotations

from typing import Any, Mapping

from ...model import Article
from ...pipeline import stage
from ._cues import Cues, cues_for
from ._find import find_entities, local_id, slug, words_of
from ._ner import NER_LANGUAGES

__all__ = ["entities", "entities_of_text", "local_id", "slug", "cues_for", "Cues"]


def entities_of_text(
    text: str,
    language: str | None,
    published: str | None = None,
    sentences: list[list[int]] | None = None,
    *,
    kb: Any = None,
    ner: bool = False,
    ner_model: Any = None,
    earliest: str | None = None,
    latest: str | None = None,
) -> list[dict[str, Any]]:
    """The entities of ``text`` (the stage's work, usable without an Article).

    ``ner``: also run the statistical model (:mod:`lagebild.nlp.ner`) on German
    text and merge its spans (the stage's ``stages.entities.ner`` setting);
    ``ner_model``: a :class:`~lagebild.nlp.ner.NerModel` to use instead of the
    packaged one (cross-validation); ``earliest``/``latest``: the publication
    interval used when ``published`` is ``None`` (bare titles resolve to the
    one role holder over it, else stay ambiguous with ``candidates``).
    """
    from ...nlp import split_sentences, token_spans

    if kb is None:
        from ...kb import load_kb

        kb = load_kb()
    if sentences is None:
        sentences = [list(s) for s in split_sentences(text, language)]
    words = words_of(text, token_spans(text, language), sentences)
    model = None
    if ner and (language or "").split("-")[0] in NER_LANGUAGES:
        if ner_model is None:
            from ...nlp.ner import NerModel

            ner_model = NerModel.load()
        model = ner_model
    return find_entities(
        text, language, published, words, kb, cues_for(language), model, earliest=earliest, latest=latest
    )


@stage("entities", requires=("text", "language", "published", "sentences"), sets=("entities",))
def entities(article: Article, settings: Mapping[str, Any]) -> Article:
    """Find entity mentions and link them to the knowledge base (plus ``--kb`` files)."""
    from ...kb import load_kb

    kb = load_kb(tuple(str(p) for p in settings.get("kb_files", ())))
    found = entities_of_text(
        article.text, article.language, article.published.value, article.sentences or None, kb=kb,
        ner=bool(settings.get("ner", False)),
        earliest=article.published.earliest, latest=article.published.latest,
    )
    return article.replace(entities=found)
