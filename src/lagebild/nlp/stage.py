"""The ``nlp`` stage: sentence boundaries for every article.

Sets ``Article.sentences`` to ``[[start, end], ...]`` (offsets into
``Article.text``).  Tokens, lemmas and tags are not stored: later stages call
:func:`lagebild.nlp.tokenize` and friends on the spans they need.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..errors import ConfigError
from ..model import Article
from ..pipeline import stage
from ._tokenize import split_sentences

__all__ = ["nlp"]


def _language(article: Article, settings: Mapping[str, Any]) -> str | None:
    choice = settings.get("language", "auto")
    if not isinstance(choice, str) or not choice:
        raise ConfigError(
            f"stages.nlp.language is {choice!r} — set it to \"auto\" or a language code such as \"de\""
        )
    return article.language if choice == "auto" else choice


@stage("nlp", requires=("text", "language"), sets=("sentences",))
def nlp(article: Article, settings: Mapping[str, Any]) -> Article:
    """Split the clean text into sentences (a line break always ends one)."""
    spans = split_sentences(article.text, _language(article, settings))
    return article.replace(sentences=[[s, e] for s, e in spans])
