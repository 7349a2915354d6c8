"""The article JSON contract: schema/article.schema.json against Article.to_dict()."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from lagebild.model import (
    ANNOTATION_LAYERS,
    SCHEMA_VERSION,
    Article,
    Provenance,
    Published,
    Removed,
)

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "article.schema.json"

RAW = (
    "Politik\n"
    "Putin reist nach Pjöngjang\n"
    "Foto: dpa / Max Mustermann\n"
    "Der Kremlchef traf am Mittwoch in Nordkorea ein.\n"
    "1/12\n"
    "Quelle: dpa"
)
TITLE = "Putin reist nach Pjöngjang"
BODY = "Der Kremlchef traf am Mittwoch in Nordkorea ein."


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _article() -> Article:
    """A fully populated article: every field and every layer non-empty."""
    text = f"{TITLE}\n{BODY}"
    body_start = len(TITLE) + 1
    weekday = text.index("Mittwoch")
    place = text.index("Nordkorea")
    return Article(
        id="0123456789abcdef",
        source=[
            Provenance(source="examples/inbox/a.txt", format="text", encoding="utf-8"),
            Provenance(
                source="examples/feeds.jsonl#2",
                format="jsonl",
                url="https://aare-bote.example/a",
                encoding="utf-8",
                record="2",
            ),
        ],
        outlet="Aare-Bote",
        agencies=["dpa"],
        title=TITLE,
        language="de",
        published=Published(
            value="2024-06-19",
            earliest="2024-06-17",
            latest="2024-06-23",
            source="inferred",
            evidence=[
                {"start": weekday, "end": weekday + 8, "text": "Mittwoch", "reason": "weekday"},
                {"text": "2024-06-23T00:00:00+00:00", "reason": "ingest-time-upper-bound"},
            ],
        ),
        raw_text=RAW,
        text=text,
        kept_lines=[2, 4],
        removed=[
            Removed(lines=[1], reason="section-label"),
            Removed(lines=[3], reason="photo-credit"),
            Removed(lines=[5], reason="gallery-counter"),
            Removed(lines=[6], reason="source-line"),
        ],
        line_map=[[0, len(TITLE), 2], [body_start, len(text), 4]],
        duplicate_group="0123456789abcdef",
        duplicate_of=None,
        shared_paragraphs=[
            {
                "start": body_start,
                "end": len(text),
                "hash": "9f86d081884c7d65",
                "articles": ["fedcba9876543210"],
                "outlets": ["Donaublick", None],
            }
        ],
        metadata={"og:site_name": "Aare-Bote", "keywords": ["Nordkorea", "Russland"]},
        entities=[{"id": "gpe:kp", "name": "North Korea", "type": "GPE", "kb": True,
                   "mentions": [{"start": place, "end": place + 9, "text": "Nordkorea", "form": "name"}]}],
        times=[{"start": weekday, "end": weekday + 8, "text": "Mittwoch", "value": "2024-06-19"}],
        quantities=[{"start": 0, "end": 5, "text": "Putin", "note": "placeholder"}],
        claims=[{"start": body_start, "end": len(text), "text": BODY, "speaker": None}],
        events=[{"start": body_start, "end": len(text), "text": BODY, "type": "visit"}],
    )


def _errors(validator: Draft202012Validator, doc: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


# -- the schema itself ------------------------------------------------------


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_version_matches_model(schema: dict[str, Any]) -> None:
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert schema["$id"].endswith(":" + SCHEMA_VERSION)


def test_schema_fields_are_exactly_to_dict_keys(schema: dict[str, Any]) -> None:
    keys = set(Article().to_dict())
    assert set(schema["properties"]) == keys
    assert set(schema["required"]) == keys
    assert schema["additionalProperties"] is False
    for layer in ANNOTATION_LAYERS:
        if layer == "entities":  # entities group their mentions (issue 3)
            assert schema["properties"][layer] == {"type": "array", "items": {"$ref": "#/$defs/entity"}}
        else:
            assert schema["properties"][layer] == {"$ref": "#/$defs/annotationLayer"}


def test_nested_closed_objects_match_model(schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    assert set(defs["provenance"]["required"]) == set(Provenance(source="x", format="text").to_dict())
    assert set(defs["published"]["required"]) == set(Published().to_dict())
    assert set(defs["removed"]["required"]) == set(Removed(lines=[1], reason="x").to_dict())


# -- valid documents --------------------------------------------------------


def test_full_article_validates(validator: Draft202012Validator) -> None:
    doc = _article().to_dict()
    assert _errors(validator, doc) == []
    # the hand-built offsets really point at what they claim
    a = _article()
    for layer in ANNOTATION_LAYERS:
        for item in getattr(a, layer):
            for ann in item["mentions"] if layer == "entities" else [item]:
                assert a.text[ann["start"] : ann["end"]] == ann["text"]
    assert a.raw_line_at(a.text.index("Mittwoch")) == 4


def test_empty_article_validates(validator: Draft202012Validator) -> None:
    """What ingest produces before any stage has run is valid too."""
    doc = Article(source=[Provenance(source="-", format="text")], raw_text="x").to_dict()
    assert doc["id"] == ""
    assert doc["published"]["source"] == "unknown"
    assert _errors(validator, doc) == []


def test_document_is_json_serialisable_and_survives_json(validator: Draft202012Validator) -> None:
    doc = _article().to_dict()
    again = json.loads(json.dumps(doc, ensure_ascii=False))
    assert again == doc
    assert _errors(validator, again) == []


# -- round trip -------------------------------------------------------------


def test_round_trip_full() -> None:
    a = _article()
    d = a.to_dict()
    assert Article.from_dict(d).to_dict() == d
    assert Article.from_dict(d) == a


def test_round_trip_through_json_text() -> None:
    d = _article().to_dict()
    assert Article.from_dict(json.loads(json.dumps(d))).to_dict() == d


def test_round_trip_empty() -> None:
    d = Article().to_dict()
    assert Article.from_dict(d).to_dict() == d


# -- invalid documents ------------------------------------------------------


def _broken(change: str) -> dict[str, Any]:
    doc = copy.deepcopy(_article().to_dict())
    if change == "missing id":
        del doc["id"]
    elif change == "start as string":
        doc["entities"][0]["mentions"][0]["start"] = "12"
    elif change == "unknown top-level key":
        doc["sentiment"] = 0.3
    elif change == "negative end":
        doc["times"][0]["end"] = -1
    elif change == "annotation without text":
        del doc["claims"][0]["text"]
    elif change == "line 0 in kept_lines":
        doc["kept_lines"] = [0, 2]
    elif change == "line_map pair":
        doc["line_map"][0] = [0, 5]
    elif change == "line_map quadruple":
        doc["line_map"][0] = [0, 5, 2, 9]
    elif change == "bad date source":
        doc["published"]["source"] = "guessed"
    elif change == "bad date value":
        doc["published"]["value"] = "19.06.2024"
    elif change == "unknown format":
        doc["source"][0]["format"] = "pdf"
    elif change == "extra provenance key":
        doc["source"][0]["sha"] = "abc"
    elif change == "removed without reason":
        del doc["removed"][0]["reason"]
    elif change == "wrong version":
        doc["schema_version"] = "2.0"
    elif change == "id not hex":
        doc["id"] = "Not-A-Hash"
    elif change == "layer not a list":
        doc["events"] = {}
    else:  # pragma: no cover - a typo in the parametrisation
        raise AssertionError(change)
    return doc


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ("missing id", ""),
        ("start as string", "entities/0/mentions/0/start"),
        ("unknown top-level key", ""),
        ("negative end", "times/0/end"),
        ("annotation without text", "claims/0"),
        ("line 0 in kept_lines", "kept_lines/0"),
        ("line_map pair", "line_map/0"),
        ("line_map quadruple", "line_map/0"),
        ("bad date source", "published/source"),
        ("bad date value", "published/value"),
        ("unknown format", "source/0/format"),
        ("extra provenance key", "source/0"),
        ("removed without reason", "removed/0"),
        ("wrong version", "schema_version"),
        ("id not hex", "id"),
        ("layer not a list", "events"),
    ],
)
def test_invalid_documents_are_rejected(validator: Draft202012Validator, change: str, where: str) -> None:
    errors = _errors(validator, _broken(change))
    assert len(errors) == 1, errors
    assert errors[0].split(": ", 1)[0] == where
