"""The ``time`` pipeline stage: time expressions and the publication date.

1. :func:`~.tagger.find_times` over the clean text, anchored on the
   publication date when it comes from metadata (else left unresolved);
2. when the date is not from metadata, the publication interval is inferred
   from the text (:func:`lagebild.extract.time.pubdate.infer_published`);
3. relative expressions are resolved against the inferred best guess and
   marked ``anchor_inferred``.

Settings (``[stages.time]``): ``genre`` (``news`` or ``narrative``) and
``languages`` (articles in other languages get no times).  The inference's own
settings (``[stages.pubdate]``) arrive as the sub-table ``pubdate`` of the
stage's settings (the stage declares ``reads=("pubdate",)``, so the runner hands
it on) and are passed to ``infer_published`` (packaged defaults fill the gaps).
"""

from __future__ import annotations

from collections.abc import Mapping  # (isinstance is faster with these than with typing's)
from typing import Any

from ...errors import ConfigError
from ...model import Article
from ...pipeline import stage
from .pubdate import infer_published
from .tagger import find_times, resolve_times

__all__ = ["time_stage"]

_DEFAULT_LANGUAGES = ("de", "en", "fr")


def _pubdate_table(settings: Mapping[str, Any]) -> Mapping[str, Any] | None:
    sub = settings.get("pubdate")
    if sub is None:
        return None
    if not isinstance(sub, Mapping):
        raise ConfigError(f"the time stage's \"pubdate\" setting must be a table like [stages.pubdate] "
                          f"(e.g. {{\"news_recency_days\": 7}}), not {sub!r}")
    return sub


def _settings(settings: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    genre = settings.get("genre", "news")
    if genre not in ("news", "narrative"):
        raise ConfigError(f"stages.time.genre must be \"news\" or \"narrative\", not {genre!r}")
    langs = settings.get("languages", list(_DEFAULT_LANGUAGES))
    if not isinstance(langs, (list, tuple)) or not all(isinstance(x, str) for x in langs):
        raise ConfigError(f"stages.time.languages must be a list of language codes, e.g. [\"de\", \"en\"], not {langs!r}")
    return genre, tuple(x.lower() for x in langs)


@stage("time", requires=("text", "language", "published"), sets=("times", "published"), reads=("pubdate",))
def time_stage(article: Article, settings: Mapping[str, Any]) -> Article:
    """Find time expressions; infer the publication date when metadata lacks it."""
    genre, languages = _settings(settings)
    lang = (article.language or "").lower().split("-")[0] or None
    published = article.published
    if lang is not None and lang not in languages:
        return article.replace(times=[])
    from_metadata = published.source == "metadata" and bool(published.value)
    times = find_times(article.text, lang, anchor=published.value if from_metadata else None, genre=genre)
    if not from_metadata:
        pub_settings = dict(_pubdate_table(settings) or {})
        if genre != "news":  # the recency prior is about news; history writing tells old events
            pub_settings.update(news_recency_days=0, news_recency_month_days=0)
        published = infer_published(article.text, times, lang, previous=article.published, settings=pub_settings)
        if published.value:
            times = resolve_times(times, published.value, anchor_kind="inferred")
    return article.replace(times=times, published=published)
