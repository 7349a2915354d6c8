"""A bare surname shared by two people stays ambiguous in the entities stage (real KB, real stage)."""

from __future__ import annotations

from typing import Any

import pytest

from lagebild.extract.entities import entities
from lagebild.kb import _base
from lagebild.model import Article, Provenance


def _run(text: str, settings: dict[str, Any], published: str | None = "2024-05-01") -> list[dict[str, Any]]:
    a = Article(id="t", source=[Provenance("t.txt", "text")], text=text, raw_text=text, language="de")
    if published:
        a.published.value = published
    out = entities(a, settings)
    assert out is not a and a.entities == []  # a copy; the input is untouched
    for e in out.entities:
        for m in e["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
    return out.entities


def _at(ents: list[dict[str, Any]], text: str, start: int) -> dict[str, Any]:
    hits = [e for e in ents for m in e["mentions"] if m["start"] == start]
    assert len(hits) == 1, (start, ents)
    assert any(m["text"] == text for m in hits[0]["mentions"])
    return hits[0]


def test_surname_of_two_people_named_in_full_stays_ambiguous() -> None:
    # both Johnsons are in the packaged KB (Boris Johnson, Mike Johnson); neither has "Johnson" as a short form
    text = "Boris Johnson traf Mike Johnson in London. Johnson sagte danach, das Treffen sei gut gewesen."
    ents = _run(text, {"ner": False})
    assert _at(ents, "Boris Johnson", 0)["id"] == "per:boris_johnson"
    assert _at(ents, "Mike Johnson", 19)["id"] == "per:mike_johnson"
    bare = _at(ents, "Johnson", text.index("Johnson sagte"))
    assert bare["kb"] is False and bare["id"] == "local:johnson" and bare["type"] == "PER"
    assert bare["candidates"] == ["per:boris_johnson", "per:mike_johnson"]


@pytest.fixture()
def two_schoigus(tmp_path, monkeypatch):
    """A user KB file (the --kb option) with a second person whose short form is "Schoigu"."""
    monkeypatch.setenv("LAGEBILD_CACHE_DIR", str(tmp_path / "cache"))
    f = tmp_path / "mine.toml"
    f.write_text('[[entity]]\nid = "per:xenia_schoigu"\ntype = "PER"\nname = "Xenia Schoigu"\nshort = ["Schoigu"]\n', encoding="utf-8")
    yield {"ner": False, "kb_files": [str(f)]}
    _base._load.cache_clear()


def test_short_form_of_two_kb_people_is_not_guessed(two_schoigus) -> None:
    text = "Schoigu reiste am Mittwoch nach Pjöngjang."
    ents = _run(text, two_schoigus)
    bare = _at(ents, "Schoigu", 0)
    assert bare["kb"] is False and bare["candidates"] == ["per:sergei_shoigu", "per:xenia_schoigu"]
    # the article settles it when it names one of them in full
    text2 = "Sergej Schoigu reiste nach Pjöngjang. Dort traf Schoigu den Machthaber."
    ents2 = _run(text2, two_schoigus)
    assert _at(ents2, "Schoigu", text2.index("Schoigu den"))["id"] == "per:sergei_shoigu"
    # and without the user file the packaged KB knows only one Schoigu
    ents3 = _run(text, {"ner": False})
    assert _at(ents3, "Schoigu", 0)["id"] == "per:sergei_shoigu"
