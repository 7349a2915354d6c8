"""Building articles, and keeping one bad record from stopping a batch."""

from __future__ import annotations

from typing import Any, Callable

from ..errors import InputError
from ..model import Article, Provenance, Published
from ._common import count_letters, detect_language, err, title_candidate
from ._html import HtmlDoc
from ._settings import IngestSettings

__all__ = ["compose", "text_article", "html_article", "guarded", "unexpected", "language_for"]

#: HTML pages with at least this many letters have their declared language checked.
_CHECK_LETTERS = 200


def compose(title: str | None, text: str) -> str:
    """``title + "\\n\\n" + text`` so that raw line 1 is the title, unless ``text`` starts with it."""
    if not title or text.lstrip().startswith(title):
        return text
    return f"{title}\n\n{text}"


def language_for(text: str, given: str | None, settings: IngestSettings) -> str | None:
    """``given`` (from the input's metadata), else detected when enabled."""
    if given:
        return given
    return detect_language(text) if settings.detect_language else None


def text_article(text: str, name: str, encoding: str, settings: IngestSettings) -> Article:
    """An article from plain text: the text as read, its first line as a title candidate."""
    return Article(
        source=[Provenance(source=name, format="text", encoding=encoding)],
        outlet=None,
        agencies=[],
        title=title_candidate(text, settings.max_title_chars),
        language=language_for(text, None, settings),
        published=Published(),
        raw_text=text,
        metadata={},
    )


def html_article(doc: HtmlDoc, provenance: Provenance, settings: IngestSettings, extra: dict[str, Any] | None = None) -> Article:
    """An article from an extracted HTML page (``extra`` is merged into its metadata)."""
    title = doc.title or title_candidate(doc.text, settings.max_title_chars)
    raw = compose(title, doc.text)
    metadata = dict(doc.metadata)
    metadata.update(extra or {})
    language = doc.language
    if language and settings.detect_language and count_letters(raw, _CHECK_LETTERS) >= _CHECK_LETTERS:
        # page templates often declare a wrong lang attribute; long text speaks for itself
        detected = detect_language(raw)
        if detected and detected != language:
            metadata["declared_language"] = language
            language = detected
    return Article(
        source=[provenance],
        outlet=doc.outlet,
        agencies=[],
        title=title,
        language=language_for(raw, language, settings),
        published=doc.published,
        raw_text=raw,
        metadata=metadata,
    )


def unexpected(source: str, exc: BaseException) -> InputError:
    """An internal failure on one input, reported as that input's error so the batch goes on."""
    return err(
        InputError,
        source,
        f"could not be read: internal error ({type(exc).__name__}: {exc})",
        "this is a bug in lagebild — please report it together with the input; the other inputs are read",
    )


def guarded(source: str, settings: IngestSettings, fn: Callable[..., Article], *args: Any) -> Article | InputError:
    """``fn(*args)``, with an :class:`InputError` (bad input or internal failure) returned, not raised."""
    try:
        return fn(*args)
    except InputError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - one input must not stop the batch
        if settings.raise_unexpected:
            raise
        return unexpected(source, exc)
