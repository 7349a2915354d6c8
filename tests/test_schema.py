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
    "Der Kremlchef traf am Mittwoch in Nordkorea ein. Laut Agentur reisten rund 200 Begleiter mit.\n"
    "1/12\n"
    "Quelle: dpa"
)
TITLE = "Putin reist nach Pjöngjang"
BODY = "Der Kremlchef traf am Mittwoch in Nordkorea ein."
CLAIM = "Laut Agentur reisten rund 200 Begleiter mit."


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _article() -> Article:
    """A fully populated article: every field and every layer non-empty."""
    text = f"{TITLE}\n{BODY} {CLAIM}"
    body_start = len(TITLE) + 1
    body_end = body_start + len(BODY)
    weekday = text.index("Mittwoch")
    place = text.index("Nordkorea")
    claim = text.index(CLAIM)
    number = text.index("rund 200")
    obj = text.index("Begleiter")
    agency = text.index("Agentur")
    trigger = text.index("traf")
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
        quantities=[{"start": number, "end": number + 8, "text": "rund 200", "value": 200, "low": None,
                     "high": None, "mod": "APPROX", "unit": None, "object": "Begleiter", "object_lemma": "Begleiter",
                     "object_start": obj, "object_end": obj + 9, "measure": "count:begleiter"}],
        claims=[
            {"start": body_start, "end": body_end, "text": BODY, "speaker": None, "source": None, "cue": None,
             "status": "asserted", "form": None, "quantities": [], "entities": ["gpe:kp"]},
            {"start": claim, "end": len(text), "text": CLAIM,
             "speaker": {"id": None, "text": "Agentur", "start": agency, "end": agency + 7}, "source": None,
             "cue": {"start": claim, "end": claim + 4, "text": "Laut"}, "status": "reported", "form": "reported",
             "quantities": [0], "entities": []},
        ],
        events=[{"start": body_start, "end": body_end, "text": BODY, "event": "CONSULT", "mode": "visit",
                 "context": [], "trigger": {"start": trigger, "end": trigger + 4, "text": "traf", "lemma": "treffen"},
                 "actors": [], "targets": [{"id": "gpe:kp", "text": "Nordkorea", "start": place, "end": place + 9}],
                 "date": {"value": "2024-06-19", "mod": None, "precision": "day", "anchor": "sentence", "time": 0},
                 "place": {"id": "gpe:kp", "text": "Nordkorea", "start": place, "end": place + 9},
                 "status": "asserted", "negated": False, "background": False, "claim": 0,
                 "evidence": [{"start": body_start, "end": body_end}]}],
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
    own_items = {"entities": "entity", "quantities": "quantity", "claims": "claim", "events": "event"}  # issues 3, 5, 6
    for layer in ANNOTATION_LAYERS:
        prop = schema["properties"][layer]
        if layer in own_items:
            assert (prop["type"], prop["items"]) == ("array", {"$ref": f"#/$defs/{own_items[layer]}"}), layer
        else:
            assert prop == {"$ref": "#/$defs/annotationLayer"}


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
    q = a.quantities[0]
    assert a.text[q["object_start"] : q["object_end"]] == q["object"]
    for c in a.claims:
        for key in ("speaker", "cue"):
            if c[key]:
                assert a.text[c[key]["start"] : c[key]["end"]] == c[key]["text"]
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
    elif change == "unknown event category":
        doc["events"][0]["event"] = "VISIT"
    elif change == "event date anchor unknown":
        doc["events"][0]["date"]["anchor"] = "guess"
    elif change == "event actor without id key":
        del doc["events"][0]["targets"][0]["id"]
    elif change == "unknown claim status":
        doc["claims"][1]["status"] = "rumoured"
    elif change == "claim without speaker key":
        del doc["claims"][0]["speaker"]
    elif change == "speaker without text":
        del doc["claims"][1]["speaker"]["text"]
    elif change == "quantity index negative":
        doc["claims"][1]["quantities"] = [-1]
    elif change == "entity ids repeated":
        doc["claims"][0]["entities"] = ["gpe:kp", "gpe:kp"]
    elif change == "unknown quantity mod":
        doc["quantities"][0]["mod"] = "ABOUT"
    elif change == "value as string":
        doc["quantities"][0]["value"] = "200"
    elif change == "quantity without measure":
        del doc["quantities"][0]["measure"]
    elif change == "empty unit":
        doc["quantities"][0]["unit"] = ""
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
        ("unknown event category", "events/0/event"),
        ("event date anchor unknown", "events/0/date/anchor"),
        ("event actor without id key", "events/0/targets/0"),
        ("unknown claim status", "claims/1/status"),
        ("claim without speaker key", "claims/0"),
        ("speaker without text", "claims/1/speaker"),
        ("quantity index negative", "claims/1/quantities/0"),
        ("entity ids repeated", "claims/0/entities"),
        ("unknown quantity mod", "quantities/0/mod"),
        ("value as string", "quantities/0/value"),
        ("quantity without measure", "quantities/0"),
        ("empty unit", "quantities/0/unit"),
    ],
)
def test_invalid_documents_are_rejected(validator: Draft202012Validator, change: str, where: str) -> None:
    errors = _errors(validator, _broken(change))
    assert len(errors) == 1, errors
    assert errors[0].split(": ", 1)[0] == where


# -- real output of the quantities, claims and events stages -----------------


def test_examples_with_quantities_claims_and_events_validate(validator: Draft202012Validator) -> None:
    from lagebild.api import extract
    from lagebild.config import load_config

    from support import EXAMPLES

    config = load_config(None, ['executor.kind="inline"'])  # the default stages
    assert {"quantities", "claims", "events"} <= set(config["pipeline"]["stages"])
    docs = [a.to_dict() for a in extract([str(EXAMPLES)], config=config).articles]
    assert all(sum(len(d[layer]) for d in docs) > 0 for layer in ("quantities", "claims", "events"))
    for doc in docs:
        assert _errors(validator, doc) == [], doc["id"]
        text = doc["text"]
        for q in doc["quantities"]:
            assert text[q["start"] : q["end"]] == q["text"]
            if q["object"] is not None:
                assert text[q["object_start"] : q["object_end"]] == q["object"]
        ids = {e["id"] for e in doc["entities"]}
        for c in doc["claims"]:
            assert text[c["start"] : c["end"]] == c["text"]
            for part in (c["speaker"], c["source"], c["cue"]):
                if part is not None:
                    assert text[part["start"] : part["end"]] == part["text"]
            assert all(0 <= i < len(doc["quantities"]) for i in c["quantities"])
            assert set(c["entities"]) <= ids and c["entities"] == sorted(c["entities"])
        for ev in doc["events"]:
            assert text[ev["start"] : ev["end"]] == ev["text"]
            assert text[ev["trigger"]["start"] : ev["trigger"]["end"]] == ev["trigger"]["text"]
            refs = [*ev["actors"], *ev["targets"], *([ev["place"]] if ev["place"] else [])]
            for ref in refs:
                assert text[ref["start"] : ref["end"]] == ref["text"]
            assert {r["id"] for r in refs if r["id"]} <= ids  # entity_merge renamed them with the entities
            assert ev["claim"] is None or 0 <= ev["claim"] < len(doc["claims"])
            assert ev["date"]["time"] is None or 0 <= ev["date"]["time"] < len(doc["times"])
