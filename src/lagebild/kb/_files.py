"""Reading KB data files (TOML or JSON) into drafts, with messages that say how to fix them.

One file holds a list of entities under ``entity`` (TOML ``[[entity]]``
tables, or a JSON object ``{"entity": [...]}``).  Keys of one entry::

    id = "per:sergei_shoigu"      # required; prefix by kind is a convention
    type = "PER"                  # PER ORG GPE LOC MISC; required for a new id
    name = "Sergei Shoigu"        # canonical (English) name; required for a new id
    names = { de = ["Sergej Schoigu"], en = ["Sergei Shoigu"], ru = ["Сергей Шойгу"] }
    short = ["Schoigu", "Shoigu"] # forms used alone (surname, acronym)
    adjectives = ["russisch", "russian", "russe"]   # lower-case stems
    metonym_of = "gpe:ru"         # a place that stands for this entity when it acts
    kind = "agency"               # organisations: agency outlet armed_forces …
    qid = "Q…"                    # Wikidata, only where certain
    roles = [{ title = "defence_minister", of = "gpe:ru", start = "2012-11-06", end = "2024-05-12" }]

An entry whose id already exists (from Babel, geonames or an earlier file)
adds its names, short forms, adjectives and roles to it; ``name``, ``kind``,
``qid`` and ``metonym_of`` replace the earlier value.  Within one file an id
may appear once.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ._model import ENTITY_TYPES, Role, _Draft

__all__ = ["read_file", "parse_entries", "merge"]

_KEYS = {"id", "type", "name", "names", "short", "adjectives", "metonym_of", "kind", "qid", "roles", "country"}
_ROLE_KEYS = {"title", "of", "start", "end"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_QID = re.compile(r"^Q\d+$")


def read_file(path: Path, label: str | None = None) -> list[dict[str, Any]]:
    """The raw entries of one file; ``ConfigError`` if it cannot be read or parsed."""
    where = label or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read knowledge-base file ({exc.strerror or exc}) — check the path given to --kb") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{where}: not UTF-8 text — save the knowledge-base file as UTF-8") from exc
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
        raise ConfigError(f"{where}: not valid {kind} ({exc}) — fix the syntax; see docs/kb.md for the format") from exc
    if not isinstance(data, dict) or not isinstance(data.get("entity", []), list):
        raise ConfigError(f"{where}: expected a list of entities under 'entity' ([[entity]] tables in TOML) — see docs/kb.md")
    extra = set(data) - {"entity"}
    if extra:
        raise ConfigError(f"{where}: unknown top-level key(s) {sorted(extra)} — a KB file holds only [[entity]] tables")
    return data.get("entity", [])


def _str_list(value: Any, where: str, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of non-empty strings, e.g. {key} = [\"…\"]")
    return [v.strip() for v in value]


def _roles(value: Any, where: str) -> list[Role]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: 'roles' must be a list of tables like {{ title = \"defence_minister\", of = \"gpe:ru\", start = \"2012\" }}")
    out = []
    for i, r in enumerate(value):
        rw = f"{where}, role {i + 1}"
        if not isinstance(r, dict) or not isinstance(r.get("title"), str) or not isinstance(r.get("of"), str):
            raise ConfigError(f"{rw}: a role needs 'title' and 'of' (an entity id), e.g. {{ title = \"head_of_state\", of = \"gpe:fr\" }}")
        bad = set(r) - _ROLE_KEYS
        if bad:
            raise ConfigError(f"{rw}: unknown key(s) {sorted(bad)} — a role has {sorted(_ROLE_KEYS)}")
        for k in ("start", "end"):
            v = r.get(k)
            if v is not None and not (isinstance(v, str) and _DATE.match(v)):
                raise ConfigError(f"{rw}: '{k}' = {v!r} is not an ISO date — write \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\" as a string")
        if r.get("start") and r.get("end") and r["end"] < r["start"][: len(r["end"])]:
            raise ConfigError(f"{rw}: ends ({r['end']}) before it starts ({r['start']}) — swap or fix the dates")
        out.append(Role(title=r["title"], of=r["of"], start=r.get("start"), end=r.get("end")))
    return out


def parse_entries(entries: list[Any], where: str) -> list[tuple[str, dict[str, Any]]]:
    """Validate raw entries; return ``(where-of-entry, cleaned fields)`` pairs."""
    out = []
    seen: set[str] = set()
    for i, e in enumerate(entries):
        ew = f"{where}: entity {i + 1}"
        if not isinstance(e, dict):
            raise ConfigError(f"{ew}: must be a table ([[entity]]) with at least an 'id'")
        eid = e.get("id")
        if not isinstance(eid, str) or not eid.strip():
            raise ConfigError(f"{ew}: missing 'id' — give every entity an id such as id = \"per:jane_doe\"")
        ew = f"{where}: entity {eid!r}"
        if eid in seen:
            raise ConfigError(f"{ew}: id appears twice in this file — merge the two entries")
        seen.add(eid)
        bad = set(e) - _KEYS
        if bad:
            raise ConfigError(f"{ew}: unknown key(s) {sorted(bad)} — allowed: {sorted(_KEYS)}")
        f: dict[str, Any] = {"id": eid}
        if "type" in e:
            if e["type"] not in ENTITY_TYPES:
                raise ConfigError(f"{ew}: type {e['type']!r} is not one of {', '.join(ENTITY_TYPES)}")
            f["type"] = e["type"]
        for k in ("name", "metonym_of", "kind", "country"):
            if k in e:
                if not isinstance(e[k], str) or not e[k].strip():
                    raise ConfigError(f"{ew}: '{k}' must be a non-empty string")
                f[k] = e[k].strip()
        if "qid" in e:
            if not isinstance(e["qid"], str) or not _QID.match(e["qid"]):
                raise ConfigError(f"{ew}: qid {e['qid']!r} is not a Wikidata id like \"Q42\" — leave it out when unsure")
            f["qid"] = e["qid"]
        if "names" in e:
            if not isinstance(e["names"], dict):
                raise ConfigError(f"{ew}: 'names' must be a table of language → list, e.g. names = {{ de = [\"…\"], en = [\"…\"] }}")
            f["names"] = {lang: _str_list(v, ew, f"names.{lang}") for lang, v in e["names"].items()}
        for k in ("short", "adjectives"):
            if k in e:
                f[k] = _str_list(e[k], ew, k)
        if "adjectives" in f:
            f["adjectives"] = [a.lower() for a in f["adjectives"]]
        if "roles" in e:
            f["roles"] = _roles(e["roles"], ew)
        out.append((ew, f))
    return out


def merge(drafts: dict[str, _Draft], parsed: list[tuple[str, dict[str, Any]]], rank: int, origin: str) -> None:
    """Add parsed entries to ``drafts``: new ids are created, known ids extended."""
    for ew, f in parsed:
        d = drafts.get(f["id"])
        if d is None:
            if "type" not in f or "name" not in f:
                raise ConfigError(
                    f"{ew}: unknown id, and a new entity needs 'type' and 'name' — add them, "
                    "or correct the id if you meant to extend an existing entity"
                )
            d = drafts[f["id"]] = _Draft(id=f["id"], type=f["type"], name=f["name"], rank=rank, origin=origin)
        elif "type" in f and f["type"] != d.type:
            raise ConfigError(f"{ew}: type {f['type']} contradicts {d.type} given in {d.origin} — drop 'type' or use another id")
        for k in ("name", "metonym_of", "kind", "qid", "country"):
            if k in f:
                setattr(d, k, f[k])
        for lang, forms in f.get("names", {}).items():
            have = d.names.setdefault(lang, [])
            have.extend(x for x in forms if x not in have)
        for k in ("short", "adjectives"):
            have = getattr(d, k)
            have.extend(x for x in f.get(k, ()) if x not in have)
        d.roles.extend(f.get("roles", ()))
        d.rank = min(d.rank, rank)
