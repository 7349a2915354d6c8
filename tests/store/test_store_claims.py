"""Quantities and claims in the store: tables of migration 004, Store.claims/quantities, the v3 upgrade."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from lagebild.errors import NotFoundError, StoreError
from lagebild.model import Article, Provenance, Published
from lagebild.store import SCHEMA_VERSION_DB, open_store

TEXT_A = ("Laut dem Ministerium wurden rund 4,8 Millionen Geschosse geliefert. Die Agentur Nordwind meldete, "
          "Minister Brandt habe mehr als 200 Soldaten entsandt. Diese Vorwürfe weist Valdoria zurück.")
TEXT_B = "Brandt soll 150 Soldaten entsandt haben. Valdoria könnte bis zu 300 weitere schicken."


def span(text: str, part: str, after: int = 0) -> dict[str, Any]:
    start = text.index(part, after)
    return {"start": start, "end": start + len(part), "text": part}


def qty(text: str, part: str, value: float | None, mod: str | None, obj: str | None, lemma: str | None,
        measure: str | None, unit: str | None = None, low: float | None = None,
        high: float | None = None) -> dict[str, Any]:
    o = span(text, obj) if obj else {"start": None, "end": None}
    return {**span(text, part), "value": value, "low": low, "high": high, "mod": mod, "unit": unit,
            "object": obj, "object_lemma": lemma, "object_start": o["start"], "object_end": o["end"],
            "measure": measure}


def actor(text: str, part: str, eid: str | None) -> dict[str, Any]:
    return {"id": eid, **span(text, part)}


def claim(text: str, sentence: str, status: str, *, speaker: dict | None = None, source: dict | None = None,
          cue: str | None = None, form: str | None = None, quantities: list[int] = (),
          entities: list[str] = ()) -> dict[str, Any]:
    return {**span(text, sentence), "speaker": speaker, "source": source,
            "cue": span(text, cue) if cue else None, "status": status, "form": form,
            "quantities": list(quantities), "entities": sorted(entities)}


def ent(text: str, eid: str, name: str, typ: str, *parts: str) -> dict[str, Any]:
    return {"id": eid, "name": name, "type": typ, "kb": False,
            "mentions": [{**span(text, p), "form": "name"} for p in parts]}


def article_a(**changes: Any) -> Article:
    t = TEXT_A
    s1, s2, s3 = (t[: t.index(" Die Agentur")], t[t.index("Die Agentur") : t.index(" Diese")],
                  t[t.index("Diese") :])
    art = Article(
        id="a" * 16, source=[Provenance("a.txt", "text")], outlet="Aare-Bote", title="Lieferungen",
        language="de", published=Published(value="2024-06-19", source="metadata"), text=t, raw_text=t,
        entities=[ent(t, "local:ministerium", "Ministerium", "ORG", "Ministerium"),
                  ent(t, "local:nordwind", "Nordwind", "ORG", "Nordwind"),
                  ent(t, "local:brandt", "Brandt", "PER", "Brandt"),
                  ent(t, "local:valdoria", "Valdoria", "GPE", "Valdoria")],
        quantities=[qty(t, "rund 4,8 Millionen", 4_800_000, "APPROX", "Geschosse", "Geschoss", "count:geschoss"),
                    qty(t, "mehr als 200", 200, "MORE_THAN", "Soldaten", "Soldat", "count:soldat")],
        claims=[
            claim(t, s1, "reported", speaker=actor(t, "dem Ministerium", "local:ministerium"), cue="Laut",
                  quantities=[0], entities=["local:ministerium"]),
            claim(t, s2, "reported", speaker=actor(t, "Minister Brandt", "local:brandt"),
                  source=actor(t, "Die Agentur Nordwind", "local:nordwind"), cue="meldete", form="indirect",
                  quantities=[1], entities=["local:brandt", "local:nordwind"]),
            claim(t, s3, "denied", speaker=actor(t, "Valdoria", "local:valdoria"), cue="weist",
                  entities=["local:valdoria"]),
        ],
    )
    return art.replace(**changes)


def article_b() -> Article:
    t = TEXT_B
    s1, s2 = t[: t.index(" Valdoria")], t[t.index("Valdoria") :]
    return Article(
        id="b" * 16, source=[Provenance("b.txt", "text")], outlet="Donaublick", title="Truppen", language="de",
        text=t, raw_text=t,
        entities=[ent(t, "local:brandt", "Brandt", "PER", "Brandt"),
                  ent(t, "local:valdoria", "Valdoria", "GPE", "Valdoria")],
        quantities=[qty(t, "150", 150, None, "Soldaten", "Soldat", "count:soldat"),
                    qty(t, "bis zu 300", 300, "UP_TO", None, None, None)],
        claims=[claim(t, s1, "hedged", quantities=[0], entities=["local:brandt"]),
                claim(t, s2, "speculated", quantities=[1], entities=["local:valdoria"])],
    )


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "c.db"
    with open_store(path) as store:
        assert store.write_article(article_a()) == "inserted"
        assert store.write_article(article_b()) == "inserted"
    return path


def test_hand_built_offsets_point_at_their_text() -> None:
    for art in (article_a(), article_b()):
        for item in [*art.quantities, *art.claims]:
            assert art.text[item["start"] : item["end"]] == item["text"]
        for c in art.claims:
            for key in ("speaker", "source", "cue"):
                if c[key]:
                    assert art.text[c[key]["start"] : c[key]["end"]] == c[key]["text"]
    assert article_a().claims[1]["text"] == ("Die Agentur Nordwind meldete, Minister Brandt habe mehr als 200 "
                                             "Soldaten entsandt.")


def test_tables_are_filled_from_the_article(db: Path) -> None:
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT article_id, n, text, value, low, high, mod, unit, object, object_lemma, measure"
                         " FROM quantities ORDER BY article_id, n").fetchall() == [
            ("a" * 16, 0, "rund 4,8 Millionen", 4_800_000.0, None, None, "APPROX", None, "Geschosse", "Geschoss",
             "count:geschoss"),
            ("a" * 16, 1, "mehr als 200", 200.0, None, None, "MORE_THAN", None, "Soldaten", "Soldat",
             "count:soldat"),
            ("b" * 16, 0, "150", 150.0, None, None, None, None, "Soldaten", "Soldat", "count:soldat"),
            ("b" * 16, 1, "bis zu 300", 300.0, None, None, "UP_TO", None, None, None, None),
        ]
        assert c.execute("SELECT n, status, form, speaker_id, speaker_text, source_id, source_text, cue_text"
                         " FROM claims WHERE article_id = ? ORDER BY n", ("a" * 16,)).fetchall() == [
            (0, "reported", None, "local:ministerium", "dem Ministerium", None, None, "Laut"),
            (1, "reported", "indirect", "local:brandt", "Minister Brandt", "local:nordwind", "Die Agentur Nordwind",
             "meldete"),
            (2, "denied", None, "local:valdoria", "Valdoria", None, None, "weist"),
        ]
        assert c.execute("SELECT text FROM claims WHERE article_id = ? AND n = 2", ("a" * 16,)).fetchone() == (
            "Diese Vorwürfe weist Valdoria zurück.",)
        assert c.execute("SELECT article_id, claim, entity_id FROM claim_entities ORDER BY 1, 2, 3").fetchall() == [
            ("a" * 16, 0, "local:ministerium"), ("a" * 16, 1, "local:brandt"), ("a" * 16, 1, "local:nordwind"),
            ("a" * 16, 2, "local:valdoria"), ("b" * 16, 0, "local:brandt"), ("b" * 16, 1, "local:valdoria"),
        ]
        assert c.execute("SELECT article_id, claim, quantity FROM claim_quantities ORDER BY 1, 2").fetchall() == [
            ("a" * 16, 0, 0), ("a" * 16, 1, 1), ("b" * 16, 0, 0), ("b" * 16, 1, 1)]
        # the annotations table keeps the whole items
        (data,) = c.execute("SELECT data FROM annotations WHERE layer = 'claims' AND article_id = ? AND position = 1",
                            ("a" * 16,)).fetchone()
        assert json.loads(data) == article_a().claims[1]


def test_rewrite_replaces_rows_reingest_is_idempotent_delete_cascades(db: Path) -> None:
    def counts(c: sqlite3.Connection) -> list[int]:
        return [c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("quantities", "claims", "claim_entities", "claim_quantities")]

    with sqlite3.connect(db) as c:
        assert counts(c) == [4, 5, 6, 4]
    with open_store(db) as store:
        assert store.write_article(article_a()) == "unchanged"
        assert store.write_article(article_b()) == "unchanged"
        fewer = article_a()
        assert store.write_article(fewer.replace(claims=fewer.claims[:1], quantities=fewer.quantities[:1])) == "updated"
    with sqlite3.connect(db) as c:
        assert counts(c) == [3, 3, 3, 3]
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("DELETE FROM articles WHERE id = ?", ("b" * 16,))
        assert counts(c) == [1, 1, 1, 1]


def test_items_off_the_contract_stay_in_annotations_only(tmp_path: Path) -> None:
    t = TEXT_B
    odd = article_b().replace(
        quantities=[{"start": 12, "end": 15, "value": "150"},  # value as a string, no text: taken from the offsets
                    {"value": 300}],  # no offsets
        claims=[{"speaker": "Brandt", "span": [0, 10]},  # no offsets
                {"start": 0, "end": 40, "text": t[:40], "speaker": "Brandt", "status": 3,
                 "quantities": [0, 1, 7, "x", True], "entities": ["local:brandt", None, "local:brandt"]}],
    )
    with open_store(tmp_path / "o.db") as store:
        store.write_article(odd)
        assert store.stats()["annotations"] == {"claims": 2, "entities": 2, "quantities": 2}
    with sqlite3.connect(tmp_path / "o.db") as c:
        assert c.execute("SELECT n, text, value FROM quantities").fetchall() == [(0, "150", None)]
        assert c.execute("SELECT n, status, speaker_id, speaker_text FROM claims").fetchall() == [
            (1, None, None, "Brandt")]
        # index 1 is not a stored quantity, 7 does not exist, "x" and True are not indices
        assert c.execute("SELECT claim, quantity FROM claim_quantities").fetchall() == [(1, 0)]
        assert c.execute("SELECT claim, entity_id FROM claim_entities").fetchall() == [(1, "local:brandt")]


def test_claims_of_an_entity_by_role(db: Path) -> None:
    with open_store(db, read_only=True) as store:
        hits = store.claims("local:brandt")
        assert [(h.article_id[0], h.n, h.role, h.outlet, h.published) for h in hits] == [
            ("a", 1, "says", "Aare-Bote", "2024-06-19"), ("b", 0, "about", "Donaublick", None)]
        assert hits[0].claim == article_a().claims[1]
        assert hits[0].to_dict() == {"article_id": "a" * 16, "outlet": "Aare-Bote", "title": "Lieferungen",
                                     "published": "2024-06-19", "n": 1, "role": "says",
                                     "claim": article_a().claims[1]}
        assert [(h.n, h.role) for h in store.claims("local:nordwind")] == [(1, "relays")]
        assert [(h.n, h.role) for h in store.claims("local:nordwind", role="speaker")] == []
        assert [(h.article_id[0], h.role) for h in store.claims("local:brandt", role="mentioned")] == [
            ("a", "about"), ("b", "about")]
        assert [(h.article_id[0], h.n) for h in store.claims("local:valdoria", role="speaker")] == [("a", 2)]
        assert [(h.article_id[0], h.n) for h in store.claims("local:valdoria", status="speculated")] == [("b", 1)]
        assert [h.n for h in store.claims(status="reported")] == [0, 1]
        assert [(h.article_id[0], h.n) for h in store.claims(article="b" * 16)] == [("b", 0), ("b", 1)]
        assert [h.n for h in store.claims(speaker="local:brandt")] == [1]
        assert [h.n for h in store.claims(source="local:nordwind")] == [1]
        # all claims: oldest article first, undated last
        assert [(h.article_id[0], h.n, h.role) for h in store.claims(limit=4)] == [
            ("a", 0, None), ("a", 1, None), ("a", 2, None), ("b", 0, None)]
        assert [(h.article_id[0], h.n) for h in store.claims(limit=2, offset=3)] == [("b", 0), ("b", 1)]


def test_unknown_entity_and_bad_arguments(db: Path) -> None:
    with open_store(db, read_only=True) as store:
        with pytest.raises(NotFoundError) as exc:
            store.claims("local:niemand")
        assert str(exc.value) == (f"no entity 'local:niemand' in {db} — list them with "
                                  f"`lagebild entities --db {db}`")
        with pytest.raises(StoreError, match="unknown role 'author' — use one of speaker, source, mentioned, any"):
            store.claims("local:brandt", role="author")
        with pytest.raises(StoreError, match="give numbers ≥ 0"):
            store.quantities(limit=-1)


def test_quantities_with_the_speaker_of_their_claim(db: Path) -> None:
    with open_store(db, read_only=True) as store:
        hits = store.quantities("count:soldat")
        assert [(h.article_id[0], h.n, h.quantity["text"], h.claim, h.status) for h in hits] == [
            ("a", 1, "mehr als 200", 1, "reported"), ("b", 0, "150", 0, "hedged")]
        assert hits[0].speaker == {"id": "local:brandt", **span(TEXT_A, "Minister Brandt")}
        assert hits[0].source == {"id": "local:nordwind", **span(TEXT_A, "Die Agentur Nordwind")}
        assert hits[1].speaker is None and hits[1].source is None
        assert hits[0].quantity == article_a().quantities[1]
        # every quantity: by measure (none last), then date
        assert [(h.quantity["measure"], h.article_id[0]) for h in store.quantities()] == [
            ("count:geschoss", "a"), ("count:soldat", "a"), ("count:soldat", "b"), (None, "b")]
        assert [h.n for h in store.quantities(article="a" * 16)] == [0, 1]
        assert store.quantities(unit="EUR") == []
        assert json.loads(json.dumps(hits[0].to_dict()))["speaker"]["text"] == "Minister Brandt"


def test_stats_count_quantities_and_claims(db: Path) -> None:
    with open_store(db, read_only=True) as store:
        figures = store.stats()
    assert figures["schema_version"] == SCHEMA_VERSION_DB
    assert figures["quantities"] == 4 and figures["claims"] == 5
    assert figures["claims_by_status"] == {"reported": 2, "denied": 1, "hedged": 1, "speculated": 1}


def test_a_version_3_database_is_upgraded_and_backfilled(db: Path) -> None:
    """A database written at version 3: the same tables as now, minus those of 004 and 005."""
    plain = Article(id="c" * 16, source=[Provenance("c.txt", "text")], text="Ein Text.", raw_text="Ein Text.")
    with open_store(db) as store:
        store.write_article(plain)
    with sqlite3.connect(db) as c:
        for table in ("story_log", "story_articles", "stories", "storylines", "article_vectors",  # 005
                      "claim_quantities", "claim_entities", "claims", "quantities"):  # 004
            c.execute(f"DROP TABLE {table}")
        c.execute("PRAGMA user_version = 3")
    with pytest.raises(StoreError, match=f"uses schema 3, older than this lagebild's {SCHEMA_VERSION_DB}"):
        open_store(db, read_only=True)
    with open_store(db) as store:
        assert store.schema_version == SCHEMA_VERSION_DB
        assert [(h.article_id[0], h.n, h.role) for h in store.claims("local:brandt")] == [
            ("a", 1, "says"), ("b", 0, "about")]
        assert store.stats()["claims"] == 5 and store.stats()["quantities"] == 4
        assert store.article_ids() == ["a" * 16, "b" * 16, "c" * 16]
        assert store.write_article(article_a()) == "unchanged"
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM claim_entities").fetchone() == (6,)
        assert c.execute("SELECT count(*) FROM claim_quantities").fetchone() == (4,)
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
