"""entity_merge renames local entity ids inside claims too."""

from __future__ import annotations

from lagebild.link.entities import entity_merge
from lagebild.model import Article, Corpus


def _ent(eid: str, name: str, typ: str, start: int) -> dict:
    return {"id": eid, "name": name, "type": typ, "kb": False,
            "mentions": [{"start": start, "end": start + len(name), "text": name, "form": "name"}]}


def test_claim_speaker_id_follows_the_merge() -> None:
    a1 = Article(id="a1", text="Darya Dolzikowa sagte das.", entities=[_ent("local:darya-dolzikowa", "Darya Dolzikowa", "PER", 0)])
    text2 = "Die Lage sei ernst, sagte Dolzikowa."
    spk = {"id": "local:dolzikowa", "text": "Dolzikowa", "start": 26, "end": 35}
    claim = {"start": 0, "end": 18, "text": text2[:18], "speaker": spk, "source": None,
             "cue": {"start": 20, "end": 25, "text": "sagte"}, "status": "reported", "form": "indirect",
             "quantities": [], "entities": ["local:dolzikowa"]}
    a2 = Article(id="a2", text=text2, entities=[_ent("local:dolzikowa", "Dolzikowa", "MISC", 26)], claims=[claim])
    out = entity_merge(Corpus([a1, a2]), {})
    assert out.articles[0] is a1  # unchanged article: the same object
    new = out.articles[1]
    assert new.entities[0]["id"] == "local:darya-dolzikowa"
    assert new.claims[0]["speaker"]["id"] == "local:darya-dolzikowa"
    assert new.claims[0]["entities"] == ["local:darya-dolzikowa"]
    assert a2.claims[0]["speaker"]["id"] == "local:dolzikowa"  # input not mutated
