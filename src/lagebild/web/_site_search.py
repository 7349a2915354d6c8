"""Site helper: full-text search with filters and facets (FTS5, bounded queries).

The query language is the store's (``lagebild.store._query``: words ANDed,
``word*`` prefix, ``"a phrase"``; umlaut folding).  ``total`` is exact (one
``count(*)`` with the same filters); the facets are counted over the best
:data:`FACET_HITS` matches (newest first without words), so a broad query
costs the same as a narrow one.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..store._query import _WORD, _Matcher, parse_query, search_filters

if TYPE_CHECKING:  # pragma: no cover
    from ._site import Site, _Index

__all__ = ["search_page", "FACET_HITS", "snippet"]

FACET_HITS = 300
FACET_ENTITIES = 20
#: Words of text around the hits in a snippet.
SNIPPET_TOKENS = 32
_BM25 = "bm25(articles_fts, 0.0, 2.0, 1.0, 2.0, 1.0)"
_MARKS = re.compile("[\x02\x03]")
_SPACE = re.compile(r"\s+")


def snippet(title: str | None, text: str, terms: list[Any], *, width: int = 220) -> str:
    """Plain text around the first hit; every hit word wrapped in ``\\x02 … \\x03`` (the page escapes, then marks)."""
    text = _MARKS.sub("", text or "")
    match = _Matcher(terms)

    def mark(segment: str) -> str:
        out, pos = [], 0
        for m in _WORD.finditer(segment):
            if terms and match(m.group()):
                out += [segment[pos : m.start()], "\x02", m.group(), "\x03"]
                pos = m.end()
        out.append(segment[pos:])
        return _SPACE.sub(" ", "".join(out)).strip()

    first = next((m for m in _WORD.finditer(text) if match(m.group())), None) if terms else None
    if first is None:
        if title and terms and any(match(w) for w in _WORD.findall(title)):
            return mark(_MARKS.sub("", title))
        start, end = 0, min(len(text), width)
    else:
        start = max(0, first.start() - width // 3)
        end = min(len(text), max(start + width, first.end()))
        if start > 0:
            space = text.find(" ", start, first.start())
            start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", first.end() if first else start, end)
        end = space if space > 0 else end
    return ("… " if start > 0 else "") + mark(text[start:end]) + (" …" if end < len(text) else "")


def search_page(site: Site, ix: _Index, q: str, *, outlet: str | None, language: str | None, entity: str | None,
                date_from: str | None, date_to: str | None, limit: int, offset: int) -> dict[str, Any]:
    terms = parse_query(q)
    try:
        where, params = search_filters(terms, date_from=date_from, date_to=date_to, outlet=outlet,
                                       language=language, entity=entity)
    except ValueError as exc:
        raise InputError("from/to", str(exc), "give dates as YYYY, YYYY-MM or YYYY-MM-DD") from None
    cond = " AND ".join(where) or "1"
    if terms:
        source = "articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid"
        order = f"{_BM25}, a.seq"
    else:
        source = "articles AS a"
        order = "a.published_value DESC, a.seq"  # NULL (undated) sorts last
    total = int(site._rows(f"SELECT count(*) FROM {source} WHERE {cond}", params)[0][0])
    # the best matches once, as (seq, id, outlet, language): the facets count the first FACET_HITS, the page is a slice
    want = max(FACET_HITS, offset + limit)
    if not total:
        hits: list[tuple[Any, ...]] = []
    elif terms and len(where) == 1:  # words only: rank inside the index, then join just the best
        hits = site._rows(
            f"SELECT a.seq, a.id, a.outlet, a.language FROM (SELECT rowid AS seq, {_BM25} AS score FROM articles_fts"
            " WHERE articles_fts MATCH ? ORDER BY score, rowid LIMIT ?) AS h JOIN articles AS a ON a.seq = h.seq"
            " ORDER BY h.score, h.seq", [params[0], want])
    else:
        hits = site._rows(f"SELECT a.seq, a.id, a.outlet, a.language FROM {source} WHERE {cond} ORDER BY {order}"
                          " LIMIT ?", [*params, want])
    page = [h[0] for h in hits[offset : offset + limit]]
    seqs = json.dumps(page)
    meta = {r[0]: r[1:] for r in site._rows(
        "SELECT seq, id, title, outlet, language, published_value FROM articles"
        " WHERE seq IN (SELECT value FROM json_each(?))", [seqs])} if page else {}
    snips: dict[int, str] = {}
    if terms and page:  # SQLite marks the hits in the text column (fast, in C); title or folded-only hits in Python
        snips = {seq: _SPACE.sub(" ", sn).strip() for seq, sn in site._rows(
            f"SELECT rowid, snippet(articles_fts, 2, char(2), char(3), '…', {SNIPPET_TOKENS}) FROM articles_fts"
            " WHERE articles_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))", [params[0], seqs])
            if sn and "\x02" in sn}
    need = [seq for seq in page if seq not in snips]
    if need:
        cut = 1_000_000_000 if terms else 400  # no words: the opening is the snippet
        for seq, text in site._rows("SELECT seq, substr(text, 1, ?) FROM articles WHERE seq IN "
                                    "(SELECT value FROM json_each(?))", [cut, json.dumps(need)]):
            snips[seq] = snippet(meta[seq][1], text, terms)
    items = [
        {"id": aid, "title": title, "outlet": out, "language": lang, "published": pub, "snippet": snips.get(seq, ""),
         "story": ix.story_of_article.get(aid)}
        for seq in page if seq in meta
        for aid, title, out, lang, pub in [meta[seq]]
    ]
    hits = hits[:FACET_HITS]
    hits = [h[1:] for h in hits]

    def facet(col: int) -> list[dict[str, Any]]:
        counts = Counter(h[col] for h in hits if h[col] is not None)
        return [{"value": v, "count": n} for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    ents = site._rows(
        "SELECT m.entity_id, e.name, count(DISTINCT m.article_id) AS n FROM mentions AS m"
        " JOIN entities AS e ON e.id = m.entity_id WHERE m.article_id IN (SELECT value FROM json_each(?))"
        " GROUP BY m.entity_id ORDER BY n DESC, m.entity_id LIMIT ?", [json.dumps([h[0] for h in hits]), FACET_ENTITIES]
    ) if hits else []
    return {
        "items": items, "total": total, "limit": limit, "offset": offset,
        "facets": {"outlet": facet(1), "language": facet(2),
                   "entity": [{"value": i, "name": n or i, "count": int(c)} for i, n, c in ents]},
        "facet_hits": len(hits),
        "query": {"q": q, "outlet": outlet, "language": language, "entity": entity, "from": date_from, "to": date_to},
    }
