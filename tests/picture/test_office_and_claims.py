"""Ambiguous office mentions across articles (entity_merge) and nested claims counted once (claims_by_entity)."""

from __future__ import annotations

from lagebild.link.entities import merge_local_entities
from lagebild.picture._build import _claims_by_entity, _outer_claims


def _office(start: int) -> dict:
    return {"id": "local:defence-minister-of-south-korea", "name": "defence minister of South Korea", "type": "PER",
            "kb": False, "candidates": ["per:kim_yong_hyun"],
            "mentions": [{"start": start, "end": start + 21, "text": "Verteidigungsminister", "form": "title"}]}


def _person(name: str, start: int) -> dict:
    return {"id": "local:" + name.lower().replace(" ", "-"), "name": name, "type": "PER", "kb": False,
            "mentions": [{"start": start, "end": start + len(name), "text": name, "form": "name"}]}


def test_office_mentions_stay_apart_across_days_and_merge_within_one() -> None:
    docs = [[_office(10)], [_office(40)], [_office(5)], [_person("Anna Korea", 0)]]
    out = merge_local_entities(docs, ["2019-03-01", "2024-06-19", "2024-06-19", "2024-06-19"])
    ids = [[e["id"] for e in d] for d in out]
    assert ids[0] == ["local:defence-minister-of-south-korea@2019-03-01"]
    assert ids[1] == ids[2] == ["local:defence-minister-of-south-korea@2024-06-19"]
    assert ids[3] == ["local:anna-korea"]  # plain local names are untouched
    # an undated article keys the office by itself (the stage passes "article-<id>")
    lone = merge_local_entities([[_office(1)], [_office(1)]], ["article-a", "article-b"])
    assert lone[0][0]["id"] != lone[1][0]["id"]
    # a bare word is not linked to an office's name ("Korea" is no surname of it)
    bare = merge_local_entities([[_office(1)], [_person("Korea", 3)]], ["2024-01-01", "2024-01-01"])
    assert bare[1][0]["id"] == "local:korea"


def _claim(start: int, end: int, speaker: str | None, ents: list[str]) -> dict:
    return {"start": start, "end": end, "speaker": {"id": speaker} if speaker else None, "entities": ents}


def test_nested_claim_of_the_same_speaker_counts_once() -> None:
    outer = _claim(518, 701, "org:kcna", ["gpe:kp", "gpe:ru", "org:kcna"])
    inner = _claim(557, 701, "org:kcna", ["gpe:kp", "gpe:ru", "org:kcna"])  # its quote, inside it
    other = _claim(600, 650, "per:kim_jong_un", ["gpe:ru"])  # another speaker quoted inside: a claim of its own
    assert _outer_claims([outer, inner, other]) == [outer, other]

    class A:  # the two fields _claims_by_entity reads
        duplicate_of = None
        claims = [outer, inner, other]

    got = _claims_by_entity([A()], top=5)  # type: ignore[list-item]
    assert got["org:kcna"]["says"] == 1
    assert got["gpe:ru"] == {"says": 0, "about": 2, "speakers": [{"id": "org:kcna", "claims": 1},
                                                                {"id": "per:kim_jong_un", "claims": 1}]}
    assert got["gpe:kp"]["about"] == 1
