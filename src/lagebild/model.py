"""The one data model: :class:`Article` and :class:`Corpus`.

An article carries its raw text (as read, one entry per raw line) and its
clean text (what survives furniture removal).  Every annotation is stand-off:
``start``/``end`` character offsets into ``Article.text``; ``line_map`` maps any
clean offset back to the 1-based raw line it came from.

``Article.to_dict()`` is the project's JSON contract, described by
``schema/article.schema.json`` (version :data:`SCHEMA_VERSION`).
"""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

__all__ = [
    "SCHEMA_VERSION",
    "ANNOTATION_LAYERS",
    "Provenance",
    "Published",
    "Removed",
    "Article",
    "Corpus",
]

#: Version of the article JSON contract (``schema/article.schema.json``).
SCHEMA_VERSION = "1.2"

#: Annotation lists every article carries (empty until a stage fills them).
ANNOTATION_LAYERS = ("entities", "times", "quantities", "claims", "events")


@dataclass(slots=True)
class Provenance:
    """Where an article was read from."""

    source: str  #: file path, URL, ``-`` (stdin); ``path#N`` for the N-th record of a container
    format: str  #: text | html | json | jsonl | warc
    url: str | None = None  #: the page URL where known (HTML canonical, JSON field, WARC target)
    encoding: str | None = None  #: the encoding the bytes were decoded from
    record: str | None = None  #: record number / WARC-Record-ID inside a container

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Provenance:
        return cls(**{k: d.get(k) for k in ("source", "format", "url", "encoding", "record")})


@dataclass(slots=True)
class Published:
    """A publication date as an interval with its evidence.

    ``value`` is the best guess (ISO date or datetime), ``earliest``/``latest``
    bound it; ``source`` is ``metadata``, ``inferred`` or ``unknown``;
    ``evidence`` lists ``{start?, end?, text, reason}`` items.
    """

    value: str | None = None
    earliest: str | None = None
    latest: str | None = None
    source: str = "unknown"
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "earliest": self.earliest,
            "latest": self.latest,
            "source": self.source,
            "evidence": [dict(e) for e in self.evidence],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Published:
        d = d or {}
        return cls(
            value=d.get("value"),
            earliest=d.get("earliest"),
            latest=d.get("latest"),
            source=d.get("source") or "unknown",
            evidence=list(d.get("evidence") or []),
        )


@dataclass(slots=True)
class Removed:
    """A run of raw lines removed as page furniture, with the reason."""

    lines: list[int]  #: 1-based raw line numbers
    reason: str  #: e.g. ``gallery-counter``, ``photo-credit``, ``teaser-list``

    def to_dict(self) -> dict[str, Any]:
        return {"lines": list(self.lines), "reason": self.reason}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Removed:
        return cls(lines=list(d["lines"]), reason=d["reason"])


@dataclass(slots=True)
class Article:
    """One news article and everything lagebild knows about it."""

    id: str = ""  #: stable content hash, set by the ``identify`` stage
    source: list[Provenance] = field(default_factory=list)
    outlet: str | None = None
    agencies: list[str] = field(default_factory=list)
    title: str | None = None
    language: str | None = None
    published: Published = field(default_factory=Published)
    raw_text: str = ""
    text: str = ""  #: clean text; every annotation offset points into it
    kept_lines: list[int] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    #: ``[clean_start, clean_end, raw_line]`` for each kept raw line, ascending
    line_map: list[list[int]] = field(default_factory=list)
    duplicate_group: str | None = None  #: id shared by exact and near duplicates
    duplicate_of: str | None = None  #: the group's representative, if this is not it
    #: paragraphs also found in other articles: ``{start, end, hash, articles, outlets}``
    shared_paragraphs: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    #: ``[start, end]`` of each sentence of ``text`` (set by the ``nlp`` stage)
    sentences: list[list[int]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    times: list[dict[str, Any]] = field(default_factory=list)
    #: numbers: ``{start, end, text, value, low, high, mod, unit, object, object_lemma,
    #: object_start, object_end, measure}`` (contract 1.2, set by the ``quantities`` stage)
    quantities: list[dict[str, Any]] = field(default_factory=list)
    #: statements: ``{start, end, text, speaker, source, cue, status, form, quantities, entities}``;
    #: ``quantities`` are indices into :attr:`quantities`, ``entities`` entity ids (contract 1.2)
    claims: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    # -- offsets ------------------------------------------------------------
    def raw_line_at(self, offset: int) -> int | None:
        """The 1-based raw line that clean-text ``offset`` came from."""
        if not self.line_map:
            return None
        starts = [m[0] for m in self.line_map]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return None
        start, end, line = self.line_map[i]
        return line if start <= offset <= end else None

    def raw_lines_of(self, start: int, end: int) -> list[int]:
        """All raw lines a clean-text span ``[start, end)`` touches."""
        return sorted({m[2] for m in self.line_map if m[0] < max(end, start + 1) and m[1] >= start})

    # -- copying ------------------------------------------------------------
    def replace(self, **changes: Any) -> Article:
        """A copy with ``changes`` applied (stages never mutate their input)."""
        return dataclasses.replace(self, **changes)

    # -- JSON contract ------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "source": [p.to_dict() for p in self.source],
            "outlet": self.outlet,
            "agencies": list(self.agencies),
            "title": self.title,
            "language": self.language,
            "published": self.published.to_dict(),
            "text": self.text,
            "raw_text": self.raw_text,
            "kept_lines": list(self.kept_lines),
            "removed": [r.to_dict() for r in self.removed],
            "line_map": [list(m) for m in self.line_map],
            "duplicate_group": self.duplicate_group,
            "duplicate_of": self.duplicate_of,
            "shared_paragraphs": [dict(p) for p in self.shared_paragraphs],
            "metadata": dict(self.metadata),
            "sentences": [list(x) for x in self.sentences],
            **{layer: [dict(a) for a in getattr(self, layer)] for layer in ANNOTATION_LAYERS},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        return cls(
            id=d.get("id") or "",
            source=[Provenance.from_dict(p) for p in d.get("source") or []],
            outlet=d.get("outlet"),
            agencies=list(d.get("agencies") or []),
            title=d.get("title"),
            language=d.get("language"),
            published=Published.from_dict(d.get("published")),
            raw_text=d.get("raw_text") or "",
            text=d.get("text") or "",
            kept_lines=list(d.get("kept_lines") or []),
            removed=[Removed.from_dict(r) for r in d.get("removed") or []],
            line_map=[list(m) for m in d.get("line_map") or []],
            duplicate_group=d.get("duplicate_group"),
            duplicate_of=d.get("duplicate_of"),
            shared_paragraphs=list(d.get("shared_paragraphs") or []),
            metadata=dict(d.get("metadata") or {}),
            sentences=[list(x) for x in d.get("sentences") or []],
            **{layer: list(d.get(layer) or []) for layer in ANNOTATION_LAYERS},
        )


#: Field names a stage may declare in ``requires``/``sets``.
ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))


@dataclass(slots=True)
class Corpus:
    """An ordered collection of articles, for corpus-level stages."""

    articles: list[Article] = field(default_factory=list)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    def replace(self, articles: Iterable[Article]) -> Corpus:
        return Corpus(articles=list(articles))
