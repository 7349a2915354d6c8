"""JSON and JSON Lines: one article per record object.

Record fields (the first present wins): url; title; date; text (or html, which
is run through the HTML reader); outlet (a string, or an object with a
``name``); language; agencies.  Every other field is kept in ``metadata``.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

from ..errors import EmptyInputError, InputError, MalformedInputError, NoArticlesError
from ..model import Article, Provenance, Published
from ._build import compose, guarded, language_for
from ._common import count_letters, err, json_safe, norm_language, parse_date, title_candidate
from ._decode import normalise
from ._html import extract_html
from ._settings import IngestSettings

__all__ = ["parse_json", "read_records", "read_jsonl"]

URL_KEYS = ("url", "link", "canonical_url")
TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("date", "published", "published_at", "publishedAt", "datePublished", "pubDate")
TEXT_KEYS = ("text", "content", "body", "articleBody")
HTML_KEYS = ("html", "raw_html")
OUTLET_KEYS = ("source", "outlet", "site", "publisher", "site_name", "sitename")
LANGUAGE_KEYS = ("language", "lang", "inLanguage")
AGENCY_KEYS = ("agencies",)
#: Keys of an object that wraps a list of records.
CONTAINER_KEYS = ("articles", "items", "documents", "records", "results", "data")

_LINES = re.compile(r"\r\n|\r|\n")
#: a lone surrogate (from a ``\\ud800`` escape): not text, and not encodable as UTF-8
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _loads(text: str) -> Any:
    """``json.loads``, with lone surrogates from ``\\uD8xx`` escapes replaced by U+FFFD.

    JSON nested too deeply to parse raises :class:`json.JSONDecodeError` like other broken JSON.
    """
    try:
        value = json.loads(text)
    except RecursionError:  # nested deeper than Python's stack: report it as broken JSON
        raise json.JSONDecodeError("nested too deeply", text, 0) from None
    return _scrub(value) if _ESCAPE.search(text) else value


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    return value


_FIELDS_HINT = "give each record a 'text' (or 'content', 'body', 'html') field"


def _looks_jsonl(text: str) -> bool:
    lines = [line for line in text.split("\n", 50)[:50] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        return isinstance(_loads(lines[0]), dict)
    except json.JSONDecodeError:
        return False


def _bracketed(text: str) -> bool:
    s = text.strip()
    return (s.startswith("{") and s.endswith("}")) or (s.startswith("[") and s.endswith("]"))


def parse_json(text: str, name: str, suggested: str | None) -> tuple[str, Any]:
    """``("json", value)``, ``("jsonl", None)`` or ``("text", None)`` (not JSON after all).

    Raises :class:`MalformedInputError` for broken JSON when the name, the hint
    or the brackets around the whole text say it is JSON.
    """
    if suggested == "jsonl":
        return "jsonl", None
    try:
        return "json", _loads(text)
    except json.JSONDecodeError as exc:
        if _looks_jsonl(text):
            return "jsonl", None
        if suggested == "json" or _bracketed(text):
            raise err(
                MalformedInputError,
                name,
                f"not valid JSON ({exc.msg.removesuffix(' at')} at line {exc.lineno}, column {exc.colno})",
                "fix the JSON there (or pass the text as a .txt file)",
            ) from None
        return "text", None


def _first_str(rec: dict[str, Any], keys: tuple[str, ...], used: set[str]) -> tuple[str, str] | None:
    """The first of ``keys`` holding a non-blank string (marked as used), else None."""
    for key in keys:
        value = rec.get(key)
        if isinstance(value, str) and value.strip():
            used.add(key)
            return key, value
    return None


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "\n".join(value)  # a list of paragraphs
    return None


def _outlet(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        name = value.get("name") or value.get("title")
        if isinstance(name, str) and name.strip():
            return name.strip()
    return None


def record_article(
    rec: dict[str, Any],
    source: str,
    record: str | None,
    fmt: str,
    encoding: str,
    settings: IngestSettings,
) -> Article:
    """One record object → an Article (:class:`EmptyInputError` when it has no text)."""
    used: set[str] = set()
    found_url = _first_str(rec, URL_KEYS, used)
    url = found_url[1].strip() if found_url else None
    found_title = _first_str(rec, TITLE_KEYS, used)
    title = " ".join(normalise(found_title[1]).split()) if found_title else None

    text: str | None = None
    for key in TEXT_KEYS:
        candidate = _as_text(rec.get(key))
        if candidate is not None and candidate.strip():
            text = normalise(candidate)
            used.add(key)
            break
    html_doc = None
    if text is None:
        for key in HTML_KEYS:
            candidate = rec.get(key)
            if isinstance(candidate, str) and candidate.strip():
                used.add(key)
                html_doc = extract_html(candidate, source, settings, url)
                text = html_doc.text
                break
    if text is None or count_letters(text, 1) == 0:
        raise err(EmptyInputError, source, "the record has no text", _FIELDS_HINT)

    outlet = None
    for key in OUTLET_KEYS:
        outlet = _outlet(rec.get(key))
        if outlet:
            used.add(key)
            break

    published = Published()
    for key in DATE_KEYS:
        if rec.get(key) in (None, ""):
            continue
        parsed = parse_date(rec[key])
        if parsed:
            used.add(key)
            published = Published(
                value=parsed,
                earliest=parsed,
                latest=parsed,
                source="metadata",
                evidence=[{"text": str(rec[key]), "reason": f"record field '{key}'"}],
            )
            break

    language = None
    for key in LANGUAGE_KEYS:
        language = norm_language(rec.get(key))
        if language:  # anything that is not a language tag stays in metadata
            used.add(key)
            break
    agencies: list[str] = []
    for key in AGENCY_KEYS:
        value = rec.get(key)
        if isinstance(value, list) and value and all(isinstance(a, str) for a in value):
            agencies = [a.strip() for a in value if a.strip()]
            used.add(key)
            break

    metadata: dict[str, Any] = {}
    if html_doc is not None:
        metadata.update(html_doc.metadata)
        title = title or html_doc.title
        url = url or html_doc.url
        outlet = outlet or html_doc.outlet
        language = language or html_doc.language
        if published.value is None:
            published = html_doc.published
    metadata.update({str(k): json_safe(v) for k, v in rec.items() if k not in used})

    title = title or title_candidate(text, settings.max_title_chars)
    raw = compose(title, text)
    return Article(
        source=[Provenance(source=source, format=fmt, url=url, encoding=encoding, record=record)],
        outlet=outlet,
        agencies=agencies,
        title=title,
        language=language_for(raw, language, settings),
        published=published,
        raw_text=raw,
        metadata=metadata,
    )


def _is_record(obj: dict[str, Any]) -> bool:
    return any(_as_text(obj.get(k)) for k in TEXT_KEYS) or any(isinstance(obj.get(k), str) for k in HTML_KEYS)


def read_records(value: Any, name: str, encoding: str, settings: IngestSettings) -> Iterator[Article | InputError]:
    """Articles of a parsed JSON document: an object, an array of objects, or ``{"articles": [...]}``."""
    if isinstance(value, dict):
        if _is_record(value):
            yield guarded(name, settings, record_article, value, name, None, "json", encoding, settings)
            return
        for key in CONTAINER_KEYS:
            if isinstance(value.get(key), list):
                value = value[key]
                break
        else:
            yield guarded(name, settings, record_article, value, name, None, "json", encoding, settings)
            return
    if not isinstance(value, list):
        raise err(
            MalformedInputError,
            name,
            f"the JSON holds a single {type(value).__name__}, not an article",
            "give an object with a 'text' field, a list of them, or {\"articles\": [...]}",
        )
    if not value:
        raise err(NoArticlesError, name, "the JSON list of articles is empty", "nothing to read; check the export")
    for i, item in enumerate(value, 1):
        source = f"{name}#{i}"
        if not isinstance(item, dict):
            yield err(MalformedInputError, source, f"the record is a {type(item).__name__}, not a JSON object", _FIELDS_HINT)
            continue
        yield guarded(source, settings, record_article, item, source, str(i), "json", encoding, settings)


def read_jsonl(text: str, name: str, encoding: str, settings: IngestSettings) -> Iterator[Article | InputError]:
    """Articles of JSON Lines: one object a line; a bad line is reported as ``name:LINE``."""
    n = 0
    for lineno, line in enumerate(_LINES.split(text), 1):
        if not line.strip():
            continue
        n += 1
        try:
            obj = _loads(line)
        except json.JSONDecodeError as exc:
            yield err(
                MalformedInputError,
                f"{name}:{lineno}",
                f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})",
                "fix or remove that line; the other lines are read",
            )
            continue
        if not isinstance(obj, dict):
            yield err(MalformedInputError, f"{name}:{lineno}", f"the line holds a {type(obj).__name__}, not a JSON object", _FIELDS_HINT)
            continue
        source = f"{name}#{n}"
        yield guarded(source, settings, record_article, obj, source, str(n), "jsonl", encoding, settings)
