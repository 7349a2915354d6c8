"""The knowledge base: aliases, adjectives, metonyms, roles, user files, load time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lagebild.errors import ConfigError
from lagebild.kb import KBEntity, Match, load_kb, normalise_surface
from lagebild.kb import _base


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def ids(matches: list[Match], form: str | None = None) -> list[str]:
    return [m.entity_id for m in matches if form is None or m.form == form]


@pytest.mark.parametrize("surface", ["Schoigu", "Shoigu", "Sergej Schoigu", "Sergei Shoigu", "Шойгу", "Choïgou"])
def test_shoigu_aliases_resolve_to_one_id(kb, surface):
    assert ids(kb.lookup(surface)) == ["per:sergei_shoigu"]


@pytest.mark.parametrize("surface", ["Kim Jong-un", "Kim Jong Un", "Kim Dschong Un", "kim jong-un"])
def test_kim_spellings(kb, surface):
    assert ids(kb.lookup(surface)) == ["per:kim_jong_un"]


@pytest.mark.parametrize("surface", ["Pjöngjang", "Pyongyang", "Pjongjang", "Pjoengjang"])
def test_pyongyang_is_capital_and_metonym(kb, surface):
    got = kb.lookup(surface)
    assert Match("city:kp:pyongyang", "name") in got
    assert Match("gpe:kp", "metonym") in got
    assert kb.entities["city:kp:pyongyang"].metonym_of == "gpe:kp"


def test_kremlin_is_russia_metonym(kb):
    assert Match("gpe:ru", "metonym") in kb.lookup("Kreml")
    assert Match("gpe:ru", "metonym") in kb.lookup("Kremlin")


def test_brussels_stands_for_the_eu(kb):
    assert ids(kb.lookup("Brüssel"), "metonym") == ["org:eu"]


@pytest.mark.parametrize(
    "token,eid",
    [("russischen", "gpe:ru"), ("Russian", "gpe:ru"), ("russe", "gpe:ru"), ("nordkoreanische", "gpe:kp"),
     ("ukrainienne", "gpe:ua"), ("US-amerikanischen", "gpe:us"), ("российского", "gpe:ru")],
)
def test_adjectives(kb, token, eid):
    assert ids(kb.adjective(token)) == [eid]
    assert all(m.form == "adjective" for m in kb.adjective(token))


def test_unknown_surface_and_adjective(kb):
    assert kb.lookup("Xyzzyland") == []
    assert kb.adjective("schnell") == []


def test_acronyms_only_in_capitals(kb):
    assert ids(kb.lookup("US")) == ["gpe:us"]
    assert kb.lookup("us") == []
    assert ids(kb.lookup("Nato")) == ["org:nato"]


def test_cldr_country_names(kb):
    assert ids(kb.lookup("Nordkorea")) == ["gpe:kp"]
    assert ids(kb.lookup("Corée du Nord")) == ["gpe:kp"]
    assert "gpe:ru" in ids(kb.lookup("Russland"))


def test_role_holders(kb):
    assert kb.role_holders("defence_minister", "gpe:ru", "2023-07-27") == ["per:sergei_shoigu"]
    assert kb.role_holders("defence_minister", "gpe:ru", "2024-06-01") == ["per:andrei_belousov"]
    assert kb.role_holders("defence_minister", "gpe:ru", None) == [  # all, earliest term first
        "per:igor_sergeyev", "per:sergei_ivanov", "per:anatoly_serdyukov", "per:sergei_shoigu", "per:andrei_belousov"]
    assert kb.role_holders("head_of_government", "gpe:de", "2023") == ["per:olaf_scholz"]
    assert kb.role_holders("secretary_general", "org:nato", "2025-01-01") == ["per:mark_rutte"]


def test_normalise_surface():
    assert normalise_surface("Kim Jong-un") == normalise_surface("kim  jong un") == "kim jong un"
    assert normalise_surface("Pjöngjang") == "pjongjang"
    assert normalise_surface("Straße") == "strasse"


def test_integrity(kb):
    people = [e for e in kb.entities.values() if e.type == "PER"]
    assert len(people) >= 150
    for e in kb.entities.values():
        assert isinstance(e, KBEntity)
        assert e.name and e.all_names()
        assert all(forms for forms in e.names.values()), e.id
        if e.metonym_of:
            assert e.metonym_of in kb.entities, e.id
        for r in e.roles:
            assert r.of in kb.entities, (e.id, r)
    assert kb.max_tokens >= 4
    orgs = [e for e in kb.entities.values() if e.type == "ORG"]
    assert all(e.kind for e in orgs)


def test_packaged_files_have_no_duplicate_ids():
    from importlib import resources

    from lagebild.kb._files import read_file

    seen: dict[str, str] = {}
    for name in _base.PACKAGED_FILES:
        path = Path(str(resources.files("lagebild.kb").joinpath("data", name)))
        for e in read_file(path):
            if "type" in e:  # a new entity, not an extension of a CLDR/geonames one
                assert e["id"] not in seen, f"{e['id']} in {name} and {seen.get(e['id'])}"
                seen[e["id"]] = name


def test_compiled_cache_is_written_then_read(tmp_path, monkeypatch):
    monkeypatch.setenv("LAGEBILD_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("LAGEBILD_KB_CACHE", raising=False)
    _base._load.cache_clear()
    first = load_kb()  # builds and writes the compiled cache (its load time is a benchmark figure: bench/RESULTS.md)
    assert len(list(tmp_path.glob("kb-*.pickle"))) == 1
    _base._load.cache_clear()
    again = load_kb()  # what a new process does: read the compiled cache
    assert again is not first and again.entities.keys() == first.entities.keys()
    assert load_kb() is again  # memoised within the process
    _base._load.cache_clear()


def test_user_file_adds_entity_and_alias(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(
        '[[entity]]\nid = "per:jane_roe"\ntype = "PER"\nname = "Jane Roe"\nshort = ["Roe"]\n'
        'roles = [{ title = "spokesperson", of = "org:nato", start = "2030" }]\n\n'
        '[[entity]]\nid = "per:sergei_shoigu"\nnames = { de = ["S. Schoigu"] }\n',
        encoding="utf-8",
    )
    kb = load_kb([f])
    assert ids(kb.lookup("Roe")) == ["per:jane_roe"]
    assert ids(kb.lookup("S. Schoigu")) == ["per:sergei_shoigu"]
    assert kb.role_holders("spokesperson", "org:nato", "2031-02") == ["per:jane_roe"]
    assert load_kb() is not kb and load_kb().lookup("Roe") == []


def test_user_file_json(tmp_path):
    f = tmp_path / "mine.json"
    f.write_text('{"entity": [{"id": "org:acme", "type": "ORG", "name": "Acme Corp", "kind": "company"}]}', encoding="utf-8")
    assert ids(load_kb([f]).lookup("acme corp")) == ["org:acme"]


@pytest.mark.parametrize(
    "text,needle",
    [
        ('[[entity]]\nid = "per:x"\nname = "X"\n', "needs 'type' and 'name'"),
        ('[[entity]]\nid = "per:x"\ntype = "PERSON"\nname = "X"\n', "is not one of"),
        ('[[entity]]\ntype = "PER"\nname = "X"\n', "missing 'id'"),
        ('[[entity]]\nid = "per:x"\ntype = "PER"\nname = "X"\nroles = [{ title = "leader", of = "gpe:nowhere" }]\n', "no such entity"),
        ('[[entity]]\nid = "per:x"\ntype = "PER"\nname = "X"\nroles = [{ title = "leader", of = "gpe:ru", start = "May 2020" }]\n', "not an ISO date"),
        ('[[entity]\nid = "per:x"\n', "not valid TOML"),
        ('[[entity]]\nid = "gpe:ru"\ntype = "PER"\n', "contradicts GPE"),
    ],
)
def test_malformed_user_file(tmp_path, text, needle):
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_kb([f])
    msg = str(exc.value)
    assert str(f) in msg and needle in msg


def test_missing_user_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read knowledge-base file"):
        load_kb([tmp_path / "nope.toml"])
