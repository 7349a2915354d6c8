"""The linguistic layer: sentences, tokens, lemmas and part-of-speech tags.

* :func:`split_sentences`, :func:`tokenize` (:func:`token_spans`: the same as offsets) — fast rule-based splitting of
  German and English news text (abbreviation lists in ``nlp/data``);
* :func:`lemma` — dictionary lemmatisation (simplemma), cached;
* :func:`pos_tag` — HanTa part-of-speech tags and lemmas for a sentence; slow,
  meant for short candidate spans, never whole articles by default.

The ``nlp`` pipeline stage (:mod:`lagebild.nlp.stage`) sets ``Article.sentences``.
"""

from __future__ import annotations

from ._morph import lemma, pos_tag
from ._tokenize import Token, split_sentences, token_spans, tokenize

__all__ = ["Token", "split_sentences", "tokenize", "token_spans", "lemma", "pos_tag"]
