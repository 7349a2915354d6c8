"""HTML → main text and metadata (trafilatura; htmldate for a missing date).

Nothing here touches the network: documents are parsed from the string given,
and URLs are only read as strings (host, date in the path).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import MalformedInputError
from ..model import Published
from ._common import count_letters, host_outlet, json_safe, norm_language
from ._decode import normalise
from ._settings import IngestSettings

__all__ = ["HtmlDoc", "extract_html"]

_NO_TEXT = "no article text found in the HTML"
_NO_TEXT_HINT = (
    "the page holds no main text (navigation, a consent wall or a script-rendered page?) — "
    "save the page after it has loaded, or pass its text as a .txt file"
)

#: Deepest element nesting the HTML parser (libxml2) builds; deeper content is dropped.
MAX_PARSE_DEPTH = 255
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _nesting_depth(html: str) -> int:
    """The deepest element nesting in ``html``, counted from its tags (only asked when no text was found)."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        if m.group(3) or m.group(2).lower() in _VOID:
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


#: trafilatura document fields kept in ``Article.metadata`` (when not empty).
_META_FIELDS = ("author", "description", "url", "categories", "tags", "sitename", "hostname", "license", "image", "pagetype")

_SPACE = re.compile(r"\s+")
_DOCUMENT = re.compile(r"<(?:html|body|head)[\s>]", re.I)
_HOSTNAME = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+$", re.I)


@dataclass(slots=True)
class HtmlDoc:
    """What an HTML page yields before it becomes an Article."""

    title: str | None
    text: str
    url: str | None
    outlet: str | None
    language: str | None
    published: Published = field(default_factory=Published)
    metadata: dict[str, Any] = field(default_factory=dict)


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = _SPACE.sub(" ", normalise(value)).strip()
    return value or None


def _load(html: str) -> Any:
    from trafilatura.utils import load_html

    if not _DOCUMENT.search(html[:20000]):  # a fragment: give it a document around it
        html = f"<html><body>{html}</body></html>"
    tree = load_html(html)
    if tree is None:
        tree = load_html(f"<html><body>{html}</body></html>")
    return tree


def _html_language(tree: Any) -> str | None:
    root = tree.getroottree().getroot()
    for attr in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
        code = norm_language(root.get(attr))
        if code:
            return code
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("name") or meta.get("property") or "").lower()
        if key in ("content-language", "language", "og:locale", "dc.language"):
            code = norm_language((meta.get("content") or "").split(",")[0])
            if code:
                return code
    return None


_TITLE_SEP = re.compile(r"(\s+(?:[|•·–—:»«/-]|::)\s+)")


def _site_names(sitename: str | None, url: str | None) -> set[str]:
    names: set[str] = set()
    if sitename:
        names.add(sitename.casefold())
        names.update(part.strip().casefold() for part in _TITLE_SEP.split(sitename)[::2])
    host = host_outlet(url)
    if host:
        names.add(host)
        names.add(host.rsplit(".", 1)[0])  # "example.de" → "example"
    return {n for n in names if len(n) >= 3}


def strip_site_name(title: str | None, sitename: str | None, url: str | None) -> str | None:
    """``title`` without a leading or trailing ``| Site name`` segment naming the outlet."""
    if not title:
        return title
    parts = _TITLE_SEP.split(title)
    if len(parts) < 3:
        return title
    names = _site_names(sitename, url)
    if parts[-1].strip().casefold() in names:
        rest = "".join(parts[:-2]).strip()
    elif parts[0].strip().casefold() in names:
        rest = "".join(parts[2:]).strip()
    else:
        return title
    return rest if len(rest) >= 3 else title


def _date_evidence(tree: Any, date: str) -> tuple[str, str | None]:
    """The page's own wording of ``date``: a meta value or ``<time datetime>``, else the date."""
    for meta in tree.iter("meta"):
        content = meta.get("content") or ""
        if date in content and len(content) <= 100:
            key = meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv")
            return content.strip(), key
    for el in tree.iter("time"):
        value = el.get("datetime") or ""
        if date in value and len(value) <= 100:
            return value.strip(), "time@datetime"
    return date, None


def _htmldate(tree: Any, url: str | None) -> str | None:
    import htmldate

    try:
        return htmldate.find_date(tree, extensive_search=False, original_date=True, url=url)
    except Exception:  # noqa: BLE001 - a failing date guess must not lose the article
        return None


def _dedup_list(values: Any) -> list[Any]:
    out: list[Any] = []
    for v in values or []:
        if v not in out and v not in ("", None):
            out.append(v)
    return out


def extract_html(html: str, name: str, settings: IngestSettings, url: str | None = None) -> HtmlDoc:
    """Main text and metadata of ``html``; :class:`MalformedInputError` when there is no text."""
    import trafilatura

    tree = _load(html)
    if tree is None:
        raise MalformedInputError(name, f"{_NO_TEXT} (the markup could not be parsed)", _NO_TEXT_HINT)
    language = _html_language(tree)

    def bare(tree: Any, with_metadata: bool) -> Any:
        return trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=with_metadata,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_precision=settings.html_focus == "precision",
            favor_recall=settings.html_focus == "recall",
            date_extraction_params={"extensive_search": False, "original_date": True},
        )

    try:
        doc = bare(tree, True)
    except Exception:  # noqa: BLE001 - the extractor's metadata pass trips on some odd markup (e.g. an <svg> root)
        try:  # the text without the page's metadata is still worth having
            doc = bare(_load(html), False)
        except Exception as exc:  # noqa: BLE001
            raise MalformedInputError(
                name, f"{_NO_TEXT} (the HTML extractor failed on this markup: {type(exc).__name__})", _NO_TEXT_HINT
            ) from exc
    text = normalise(getattr(doc, "text", None) or "") if doc is not None else ""
    text = "\n".join(line.strip() for line in text.split("\n") if line.strip())
    if count_letters(text, settings.html_min_letters) < settings.html_min_letters:
        depth = _nesting_depth(html)
        if depth > MAX_PARSE_DEPTH:
            raise MalformedInputError(
                name,
                f"{_NO_TEXT}: its elements are nested {depth} levels deep, and the HTML parser stops at "
                f"{MAX_PARSE_DEPTH}",
                "flatten the page or pass its text as a .txt file",
            )
        raise MalformedInputError(name, _NO_TEXT, _NO_TEXT_HINT)
    assert doc is not None
    page_url = _clean(doc.url) or url
    title = strip_site_name(_clean(doc.title), _clean(doc.sitename), page_url)

    metadata: dict[str, Any] = {}
    for key in _META_FIELDS:
        value = getattr(doc, key, None)
        if isinstance(value, list):
            value = _dedup_list(_clean(v) for v in value)
        elif isinstance(value, str):
            value = _clean(value)
        if value not in (None, "", []):
            metadata[key] = json_safe(value)

    date = _clean(doc.date)
    reason = "html metadata (trafilatura)"
    if not date:
        date = _clean(_htmldate(tree, page_url))
        reason = "html metadata (htmldate)"
    published = Published()
    if date:
        ev_text, ev_field = _date_evidence(tree, date)
        evidence: dict[str, Any] = {"text": ev_text, "reason": reason}
        if ev_field:
            evidence["field"] = ev_field
        published = Published(value=date, earliest=date, latest=date, source="metadata", evidence=[evidence])

    outlet = _clean(doc.sitename)
    if outlet and _HOSTNAME.match(outlet):  # a bare host name: written like a URL's host
        outlet = host_outlet("http://" + outlet)
    outlet = outlet or host_outlet(page_url)
    return HtmlDoc(
        title=title,
        text=text,
        url=page_url,
        outlet=outlet,
        language=language or norm_language(getattr(doc, "language", None)),
        published=published,
        metadata=metadata,
    )
