"""Reading claims and quantities back: :class:`ClaimHit`, :class:`QuantityHit` and their queries.

The filters run on the readable tables of migration 004 (``claims``,
``claim_entities``, ``quantities``, ``claim_quantities``); each hit carries the
whole annotation item from ``annotations.data``, so nothing of the article
JSON is lost.  :class:`~lagebild.store.Store` exposes these as
:meth:`~lagebild.store.Store.claims` and :meth:`~lagebild.store.Store.quantities`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..errors import NotFoundError, StoreError

__all__ = ["ROLES", "ClaimHit", "QuantityHit", "query_claims", "query_quantities"]

#: How an entity takes part in a claim: it ``speaker`` says it, it is the ``source``
#: that relays it, it is ``mentioned`` in it; ``any`` is all three.
ROLES = ("speaker", "source", "mentioned", "any")
#: The label a hit gets for each role (``Store.claims(entity=…)``), in listing order.
ROLE_LABELS = {"speaker": "says", "source": "relays", "mentioned": "about"}

Rows = Callable[[str, Iterable[Any]], list[tuple[Any, ...]]]


@dataclass(frozen=True, slots=True)
class ClaimHit:
    """One claim of one article, as :meth:`Store.claims` returns it."""

    article_id: str
    outlet: str | None
    title: str | None
    published: str | None  #: the article's ``published_value``
    n: int  #: index of the claim in the article's ``claims`` list
    #: ``says`` / ``relays`` / ``about`` when asked for an entity (what it does in this claim), else None
    role: str | None
    claim: dict[str, Any] = field(default_factory=dict)  #: the whole claim item of the article JSON

    def to_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "outlet": self.outlet, "title": self.title,
                "published": self.published, "n": self.n, "role": self.role, "claim": self.claim}


@dataclass(frozen=True, slots=True)
class QuantityHit:
    """One quantity of one article, with the claim it occurs in (if any)."""

    article_id: str
    outlet: str | None
    title: str | None
    published: str | None  #: the article's ``published_value``
    n: int  #: index of the quantity in the article's ``quantities`` list
    quantity: dict[str, Any] = field(default_factory=dict)  #: the whole quantity item
    claim: int | None = None  #: index of the first claim that contains it
    status: str | None = None  #: that claim's status
    speaker: dict[str, Any] | None = None  #: that claim's speaker ``{id, text, …}`` (None: none named)
    source: dict[str, Any] | None = None  #: that claim's source

    def to_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "outlet": self.outlet, "title": self.title,
                "published": self.published, "n": self.n, "quantity": self.quantity, "claim": self.claim,
                "status": self.status, "speaker": self.speaker, "source": self.source}


def _item(data: str | None) -> dict[str, Any]:
    value = json.loads(data) if data else {}
    return value if isinstance(value, dict) else {}


def _actor(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    return {"id": None, "text": value} if isinstance(value, str) else None


def _check_limit(limit: int, offset: int) -> tuple[int, int]:
    if int(limit) < 0 or int(offset) < 0:
        raise StoreError(f"limit {limit} / offset {offset}: give numbers ≥ 0")
    return int(limit), int(offset)


def _entity_known(rows: Rows, entity: str) -> bool:
    return bool(rows(
        "SELECT EXISTS (SELECT 1 FROM entities WHERE id = ?) OR EXISTS (SELECT 1 FROM claims WHERE speaker_id = ?"
        " OR source_id = ?) OR EXISTS (SELECT 1 FROM claim_entities WHERE entity_id = ?)",
        (entity,) * 4,
    )[0][0])


def query_claims(
    rows: Rows,
    path: str,
    *,
    entity: str | None = None,
    role: str = "any",
    speaker: str | None = None,
    source: str | None = None,
    status: str | None = None,
    article: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[ClaimHit]:
    """Claims filtered by entity and role, speaker, source, status, article (see :meth:`Store.claims`)."""
    if role not in ROLES:
        raise StoreError(f"claims: unknown role {role!r} — use one of {', '.join(ROLES)}")
    limit, offset = _check_limit(limit, offset)
    if entity is not None and not _entity_known(rows, entity):
        raise NotFoundError(f"no entity {entity!r} in {path} — list them with `lagebild entities --db {path}`")
    where: list[str] = []
    params: list[Any] = []
    source_sql = "claims AS c"
    if entity is not None:
        # index lookups per role; a claim found under several roles keeps the first (says, relays, about)
        lookups = {
            "speaker": "SELECT article_id, n, 0 AS rank FROM claims WHERE speaker_id = ?",
            "source": "SELECT article_id, n, 1 AS rank FROM claims WHERE source_id = ?",
            "mentioned": "SELECT article_id, claim AS n, 2 AS rank FROM claim_entities WHERE entity_id = ?",
        }
        chosen = list(ROLE_LABELS) if role == "any" else [role]
        source_sql = (
            "(SELECT article_id, n, min(rank) AS rank FROM (" + " UNION ALL ".join(lookups[r] for r in chosen)
            + ") GROUP BY article_id, n) AS hit"
            " JOIN claims AS c ON c.article_id = hit.article_id AND c.n = hit.n"
        )
        params += [entity] * len(chosen)
        label_sql = ("CASE hit.rank " + " ".join(f"WHEN {i} THEN '{label}'"
                                                  for i, label in enumerate(ROLE_LABELS.values())) + " END")
        rank_sql = "hit.rank"
    else:
        label_sql, rank_sql = "NULL", "NULL"
    for column, value in (("c.speaker_id", speaker), ("c.source_id", source), ("c.status", status),
                          ("c.article_id", article)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    sql = (
        f"SELECT a.id, a.outlet, a.title, a.published_value, c.n, {label_sql}, an.data FROM {source_sql}"
        " JOIN articles AS a ON a.id = c.article_id"
        " LEFT JOIN annotations AS an ON an.article_id = c.article_id AND an.layer = 'claims' AND an.position = c.n"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + f" ORDER BY {rank_sql}, a.published_value IS NULL, a.published_value, a.id, c.n LIMIT ? OFFSET ?"
    )
    found = rows(sql, [*params, limit, offset])
    return [ClaimHit(aid, outlet, title, pub, int(n), label, _item(data))
            for aid, outlet, title, pub, n, label, data in found]


def query_quantities(
    rows: Rows,
    *,
    measure: str | None = None,
    unit: str | None = None,
    article: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[QuantityHit]:
    """Quantities filtered by measure, unit, article (see :meth:`Store.quantities`)."""
    limit, offset = _check_limit(limit, offset)
    where: list[str] = []
    params: list[Any] = []
    for column, value in (("q.measure", measure), ("q.unit", unit), ("q.article_id", article)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    sql = (
        "SELECT a.id, a.outlet, a.title, a.published_value, q.n, qa.data, c.n, c.status, ca.data"
        " FROM quantities AS q JOIN articles AS a ON a.id = q.article_id"
        " LEFT JOIN annotations AS qa ON qa.article_id = q.article_id AND qa.layer = 'quantities'"
        " AND qa.position = q.n"
        " LEFT JOIN claims AS c ON c.article_id = q.article_id AND c.n = (SELECT min(cq.claim)"
        " FROM claim_quantities AS cq WHERE cq.article_id = q.article_id AND cq.quantity = q.n)"
        " LEFT JOIN annotations AS ca ON ca.article_id = c.article_id AND ca.layer = 'claims' AND ca.position = c.n"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + " ORDER BY q.measure IS NULL, q.measure, a.published_value IS NULL, a.published_value, a.id, q.n"
        " LIMIT ? OFFSET ?"
    )
    out = []
    for aid, outlet, title, pub, n, data, cn, status, cdata in rows(sql, [*params, limit, offset]):
        claim = _item(cdata) if cn is not None else {}
        out.append(QuantityHit(aid, outlet, title, pub, int(n), _item(data), None if cn is None else int(cn),
                               status, _actor(claim.get("speaker")), _actor(claim.get("source"))))
    return out
