"""Strategies, invariants and runners shared by tests/fuzz/ and bench/fuzz.py.

Every input goes the way a user's input goes: bytes → ingest (``read_source``,
"stage 0") → the default pipeline's stages in a strict :class:`Pipeline`
(contract checks by value).  After every stage the article must satisfy
:func:`check_article`: offsets inside ``text``, ``text[start:end]`` equal to the
recorded text in every layer that records one, references between layers
resolvable, and ``to_dict()`` valid against ``schema/article.schema.json`` and
writable as UTF-8 JSON.  The only exceptions allowed to escape are our own
:class:`~lagebild.errors.LagebildError` subclasses (not pipeline-contract
errors, which are bugs).
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any, Iterable

from hypothesis import HealthCheck, settings, strategies as st
from jsonschema import Draft202012Validator

from lagebild.config import load_config
from lagebild.errors import InputError, LagebildError, PipelineError
from lagebild.ingest import SourceSpec, read_path, read_source
from lagebild.model import Article, Corpus
from lagebild.pipeline import Pipeline

__all__ = [
    "ARTICLE_STAGES", "CORPUS_STAGES", "INGEST_FORMATS", "PROFILE", "register_profiles",
    "documents", "languages", "corpora", "long_lines", "check_article", "read_doc",
    "run_stages", "run_corpus", "fragments", "article_pipeline", "full_pipeline",
]

REPO = Path(__file__).resolve().parents[2]
ARTICLE_STAGES = ("clean", "identify", "nlp", "time", "entities", "pubdate_roles", "quantities", "claims", "events")
CORPUS_STAGES = ("boilerplate", "dedup", "entity_merge", "pubdate_corpus")
INGEST_FORMATS = ("text", "html", "json", "jsonl")
PROFILE = "lagebild-fuzz"


def register_profiles(max_examples: int = 50) -> None:
    """The small default profile the tests use (applied per test, not globally)."""
    settings.register_profile(
        PROFILE,
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# -- configuration ------------------------------------------------------------
@functools.cache
def config() -> dict[str, Any]:
    return load_config(None, ['executor.kind="inline"'])


@functools.cache
def ingest_settings() -> dict[str, Any]:
    return {**config()["ingest"], "raise_unexpected": True}


@functools.cache
def article_pipeline() -> Pipeline:
    """The default pipeline's per-article stages, in their order, strict."""
    cfg = config()
    names = [n for n in cfg["pipeline"]["stages"] if n in ARTICLE_STAGES]
    assert tuple(names) == ARTICLE_STAGES, names  # the default order changed: update ARTICLE_STAGES
    return Pipeline.from_config({**cfg, "pipeline": {"stages": names}}, strict=True)


@functools.cache
def full_pipeline() -> Pipeline:
    """The whole default pipeline (per-article and corpus stages), strict."""
    return Pipeline.from_config(config(), strict=True)


@functools.cache
def _schema() -> dict[str, Any]:
    return json.loads((REPO / "schema" / "article.schema.json").read_text(encoding="utf-8"))


@functools.cache
def _validator(field: str | None = None) -> Draft202012Validator:
    """The article schema, or the sub-schema of one top-level ``field`` (with the shared ``$defs``)."""
    schema = _schema()
    if field is not None:
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], **schema["properties"][field]}
    return Draft202012Validator(schema)


def _schema_errors(d: dict[str, Any], fields: Iterable[str] | None) -> list[str]:
    if fields is None:
        found = [(list(e.absolute_path), e.message) for e in _validator().iter_errors(d)]
    else:
        found = [([f, *e.absolute_path], e.message) for f in sorted(fields) for e in _validator(f).iter_errors(d[f])]
    return [f"{'/'.join(map(str, path))}: {msg[:200]}" for path, msg in sorted(found, key=lambda x: str(x[0]))]


# -- real German text -----------------------------------------------------------
_SENT = re.compile(r"(?<=[.!?:“\"])\s+")


@functools.cache
def fragments() -> tuple[str, ...]:
    """Sentences of the seeds (../shared/seeds) when present, else of examples/*.txt."""
    env = os.environ.get("LAGEBILD_SHARED")
    seeds = (Path(env) if env else REPO.parent / "shared") / "seeds"
    paths = sorted(seeds.glob("*.txt")) if seeds.is_dir() else []
    paths = paths or sorted((REPO / "examples").glob("*.txt"))
    out: list[str] = []
    for p in paths:
        for art in read_path(p, ingest_settings()):
            for line in art.raw_text.split("\n"):
                out.extend(s for s in _SENT.split(line.strip()) if 3 <= len(s) <= 400)
    # written here, not taken from the seeds: dates, numbers, quotes, agencies
    out += [
        "Am 3. Oktober 2024 sagte Bundeskanzler Olaf Scholz in Berlin, rund 5.000 Menschen seien betroffen.",
        "„Wir werden nicht nachgeben“, erklärte die Ministerin laut dpa am Montagabend.",
        "Russland hat die Ukraine in der Nacht zu Dienstag mit mehr als 40 Drohnen angegriffen.",
        "Nach Angaben der Polizei wurden zwischen 12 und 15 Personen verletzt, etwa 3,5 Millionen Euro Schaden.",
        "Die Regierung in Paris kündigte für nächste Woche Gespräche mit der EU-Kommission an (AFP).",
        "Berlin (dpa) - Der Bundestag hat am Freitag das Gesetz mit 380 zu 210 Stimmen beschlossen.",
        "Vor zwei Jahren, im März 2022, hatte die NATO noch 1,5 Prozent gefordert.",
        "Bis zu 2000 Soldaten sollen bis Ende 2025 nach Litauen verlegt werden, teilte das Ministerium mit.",
        "Die UN warnten am 12.06.2023 vor einer Hungersnot; fast 80 % der Bevölkerung seien betroffen.",
    ]
    return tuple(dict.fromkeys(out))


# -- strategies ---------------------------------------------------------------------
SPECIAL = (
    [chr(c) for c in range(0x00, 0x20)] + [chr(c) for c in range(0x7F, 0xA0)]
    + list("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")  # bidi
    + list("\u200b\u200c\u200d\u2060\ufeff\u00ad\u00a0\u2009\u202f\u3000")  # zero-width, spaces
    + list("\u0301\u0308\u0327\u0336\u20dd\u0489")  # combining marks
    + list("\u2028\u2029\x85\r\n\t")
    + list("„“”«»‚‘’\"'–—-.,;:!?()[]/%€$§&#<>")
    + list("0123456789１２３٣٤۵߁߂²³½¾ⅫⅣ⁰₀")
    + list("ÄÖÜäöüßéèçœÆ")
    + list("שלוםمرحباДоброπ日本語한국")
    + list("\ufffd\U0001f4a9\U0001f1e9\U0001f1ea")
)
_CHARS = st.one_of(st.characters(), st.sampled_from(SPECIAL))
noise = st.one_of(
    st.text(alphabet=_CHARS, max_size=40),
    st.sampled_from(["\U0001f468\u200d\U0001f469\u200d\U0001f467", "e\u0301", "\u202eabc\u202c", "x\u0308\u0308\u0308"]),
)
_WORDS = ["am", "Montag", "3.", "Oktober", "2024", "sagte", "laut", "dpa", "rund", "Prozent", "Euro", "Millionen",
          "mehr als", "bis zu", "zwischen", "und", "Berlin", "Kiew", "Russland", "Ukraine", "NATO", "Scholz",
          "Merz", "griff", "an", "verurteilte", "forderte", "vereinbarten", "„", "“", "(dpa)", "-", "vor",
          "zwei", "Jahren", "gestern", "heute", "nächste", "Woche", "km", "Soldaten", "Tote", "Menschen"]


@st.composite
def _mutated(draw: Any) -> str:
    """A real sentence with noise spliced in at a random place."""
    s = draw(st.sampled_from(fragments()))
    i = draw(st.integers(0, len(s)))
    return s[:i] + draw(noise) + s[i:]


piece = st.one_of(
    st.sampled_from(fragments()),
    st.sampled_from(fragments()),
    _mutated(),
    noise,
    st.lists(st.sampled_from(_WORDS), max_size=12).map(" ".join),
    st.sampled_from(["\n", "\n\n", " ", "\u00a0", "\t"]),
)
mixed_text = st.lists(piece, max_size=8).flatmap(
    lambda ps: st.sampled_from(["", " ", "\n", "\n\n"]).map(lambda sep: sep.join(ps))
)
#: a lone surrogate as a JSON reader would receive it from a ``\\ud800`` escape
surrogates = st.sampled_from(["\ud800", "\udfff", "\udc00x", "\ud83d", "a\ud800b"])
json_text = st.one_of(mixed_text, mixed_text, st.tuples(mixed_text, surrogates, mixed_text).map("".join))

_TAGS = ["p", "div", "span", "b", "i", "a", "h1", "h2", "li", "ul", "td", "tr", "table", "article", "main", "nav",
         "header", "footer", "aside", "script", "style", "noscript", "iframe", "title", "body", "html", "head",
         "figure", "figcaption", "time", "br", "meta", "svg", "template", "pre", "blockquote", "select", "option"]
_ENTITIES = ["&amp;", "&amp", "&lt;", "&#0;", "&#xD800;", "&#99999999;", "&#x110000;", "&nbsp", "&nbsp;",
             "&bogus;", "&", "&#;", "&#x;", "&#128;", "&shy;", "&#8206;", "&quot"]
_ATTRS = ['class="article-body"', 'lang="de"', 'lang="xx-!!"', 'itemprop="articleBody"', 'href="javascript:x()"',
          'datetime="2024-10-03"', 'content="2024-13-45"', 'property="og:title" content="T"', 'onload="x"',
          'hidden', 'id=', '"', "name='date' content='03.10.2024'", 'charset="utf-16"']


@st.composite
def _element(draw: Any, children: Any) -> str:
    tag = draw(st.sampled_from(_TAGS))
    attrs = draw(st.lists(st.sampled_from(_ATTRS), max_size=3))
    inner = "".join(draw(st.lists(children, max_size=4)))
    close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", "</p>", f"</ {tag}"]))
    return f"<{' '.join([tag, *attrs])}>{inner}{close}"


html_leaf = st.one_of(
    mixed_text.map(lambda t: t.replace("<", "&lt;")),
    mixed_text,
    st.sampled_from(_ENTITIES),
    st.sampled_from(["<!--", "-->", "<!-- c -->", "<![CDATA[x]]>", "<!DOCTYPE html>", "<?xml version='1.0'?>",
                     "</", "<", ">", "<br/>", "<p", "<script>alert(1)</script>", "<style>p{}</style>"]),
)
html_doc = st.recursive(html_leaf, lambda ch: _element(ch), max_leaves=10)

_json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), json_text)
json_value = st.recursive(
    _json_scalar,
    lambda ch: st.one_of(st.lists(ch, max_size=4), st.dictionaries(st.text(max_size=8), ch, max_size=4)),
    max_leaves=12,
)


@st.composite
def json_record(draw: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {}
    text_key = draw(st.sampled_from(["text", "content", "body", "articleBody", "html", "nothing"]))
    if text_key == "html":
        rec["html"] = draw(html_doc)
    elif text_key != "nothing":
        rec[text_key] = draw(st.one_of(json_text, st.lists(json_text, max_size=4)))
    optional = {
        "title": st.one_of(json_text, st.integers(), st.none()),
        "date": st.one_of(st.sampled_from(["2024-10-03", "2024-10-03T10:00:00Z", "03.10.2024", "3. Oktober 2024",
                                           "2024-02-30", "9999-99-99", "0000-00-00", "1969-12-31T23:59:60+25:00",
                                           "-1", ""]), json_text, st.integers(), st.floats(allow_nan=False)),
        "language": st.one_of(st.sampled_from(["de", "en", "fr", "DE-at", "de_DE", "xx", "", "zz-ZZZZZZZZZ"]),
                              json_text, st.integers()),
        "outlet": st.one_of(json_text, st.fixed_dictionaries({"name": json_text})),
        "url": json_text,
        "agencies": st.lists(json_text, max_size=3),
        "extra": json_value,
    }
    for key, strat in optional.items():
        if draw(st.booleans()):
            rec[key] = draw(strat)
    return rec


@st.composite
def json_doc(draw: Any) -> bytes:
    shape = draw(st.sampled_from(["record", "list", "container", "value"]))
    if shape == "record":
        value: Any = draw(json_record())
    elif shape == "list":
        value = draw(st.lists(st.one_of(json_record(), json_value), max_size=4))
    elif shape == "container":
        value = {draw(st.sampled_from(["articles", "items", "data"])): draw(st.lists(json_record(), max_size=3))}
    else:
        value = draw(json_value)
    out = json.dumps(value, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(0, 5)) == 0:  # broken JSON
        i = draw(st.integers(0, len(out)))
        out = out[:i] + draw(st.sampled_from(["", "}", "{", ",", '"', "\\", "\\u12", "\n"])) + out[i + 1:]
    return out.encode("utf-8", "surrogatepass") if draw(st.booleans()) else out.encode("utf-8", "replace")


@st.composite
def jsonl_doc(draw: Any) -> bytes:
    lines = draw(st.lists(st.one_of(json_record().map(json.dumps), json_value.map(json.dumps), noise), max_size=5))
    sep = draw(st.sampled_from(["\n", "\r\n", "\n\n"]))
    return sep.join(lines).encode("utf-8", "replace")


@st.composite
def text_doc(draw: Any) -> bytes:
    text = draw(mixed_text)
    enc = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    return text.encode(enc, "replace")


@st.composite
def documents(draw: Any, fmt: str | None = None) -> tuple[str, bytes, str | None]:
    """``(format, bytes, hint)``: an input in one of the ingest formats (hint None: sniffed)."""
    fmt = fmt or draw(st.sampled_from(INGEST_FORMATS))
    data = {"text": text_doc(), "html": html_doc.map(lambda s: s.encode("utf-8", "replace")), "json": json_doc(),
            "jsonl": jsonl_doc()}[fmt]
    return fmt, draw(data), draw(st.sampled_from([fmt, None]))


#: ``"keep"`` leaves the language ingest found; the others set it as a JSON field could
languages = st.sampled_from(["keep", "de", "de", "en", "fr", None])


# -- invariants ---------------------------------------------------------------------
def _spans(value: Any, path: str) -> Iterable[tuple[str, dict[str, Any]]]:
    """Every dict inside ``value`` that carries ``start``/``end`` offsets."""
    if isinstance(value, dict):
        if "start" in value or "end" in value:
            yield path, value
        for k, v in value.items():
            yield from _spans(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _spans(v, f"{path}[{i}]")


def _check_span(text: str, where: str, start: Any, end: Any, recorded: Any = None) -> None:
    assert isinstance(start, int) and isinstance(end, int), f"{where}: offsets {start!r}, {end!r} are not ints"
    assert 0 <= start <= end <= len(text), f"{where}: [{start}, {end}) outside text of length {len(text)}"
    if recorded is not None:
        assert text[start:end] == recorded, f"{where}: text[{start}:{end}]={text[start:end]!r} != {recorded!r}"


def check_article(a: Article, after: str = "", fields: Iterable[str] | None = None,
                  others: "dict[str, str] | None" = None) -> None:
    """All invariants of an article (``after`` names the stage, for messages).

    ``fields``: validate only these top-level fields against the schema (the
    ones a stage sets: the strict runner has checked that it changed no other);
    None validates the whole article.  A span that names another ``article``
    (publication-date evidence borrowed from a sibling, ``via``) points into
    that article's text: checked against ``others`` (id → text), which must
    then hold it.
    """
    tag = f"after {after}: " if after else ""
    d = a.to_dict()
    errors = _schema_errors(d, fields)
    assert not errors, f"{tag}schema: " + "; ".join(errors[:5])
    json.dumps(d, ensure_ascii=False, allow_nan=False).encode("utf-8")  # what the store writes
    text = a.text
    raw_lines = a.raw_text.split("\n")
    for cs, ce, line in a.line_map:
        _check_span(text, f"{tag}line_map", cs, ce)
        assert 1 <= line <= len(raw_lines), f"{tag}line_map: raw line {line} of {len(raw_lines)}"
        assert text[cs:ce] == raw_lines[line - 1].strip(), f"{tag}line_map {[cs, ce, line]} is not the raw line"
    for n in a.kept_lines:
        assert 1 <= n <= len(raw_lines), f"{tag}kept line {n} of {len(raw_lines)}"
    prev = 0
    for s, e in a.sentences:
        _check_span(text, f"{tag}sentences", s, e)
        assert s < e and s >= prev, f"{tag}sentences not ascending/non-empty at {[s, e]}"
        prev = e
    for path, obj in _spans([p for p in a.shared_paragraphs], "shared_paragraphs"):
        _check_span(text, tag + path, obj.get("start"), obj.get("end"))
    for path, obj in _spans(a.published.evidence, "published.evidence"):
        source = obj.get("article") if path.endswith(".via") else None  # the evidence itself is in this text
        if source is not None and "start" in obj:
            assert others is not None and source in others, f"{tag}{path}: names article {source} not in the corpus"
            _check_span(others[source], tag + path, obj.get("start"), obj.get("end"), obj.get("text"))
        else:
            _check_span(text, tag + path, obj.get("start"), obj.get("end"), obj.get("text"))
    for layer in ("entities", "times", "quantities", "claims", "events"):
        for path, obj in _spans(getattr(a, layer), layer):
            _check_span(text, tag + path, obj.get("start"), obj.get("end"), obj.get("text"))
    for i, q in enumerate(a.quantities):
        if q["object_start"] is not None or q["object_end"] is not None:
            _check_span(text, f"{tag}quantities[{i}].object", q["object_start"], q["object_end"], q["object"])
    ids = [e["id"] for e in a.entities]
    assert len(ids) == len(set(ids)), f"{tag}entity ids repeat: {ids}"
    for i, c in enumerate(a.claims):
        assert all(0 <= k < len(a.quantities) for k in c["quantities"]), f"{tag}claims[{i}].quantities"
        assert set(c["entities"]) <= set(ids), f"{tag}claims[{i}].entities not in entities"
        for role in ("speaker", "source"):
            if c[role] and c[role]["id"] is not None:
                assert c[role]["id"] in ids, f"{tag}claims[{i}].{role}.id not in entities"
    for i, ev in enumerate(a.events):
        assert ev["claim"] is None or 0 <= ev["claim"] < len(a.claims), f"{tag}events[{i}].claim"
        t = ev["date"]["time"]
        assert t is None or 0 <= t < len(a.times), f"{tag}events[{i}].date.time"
        for ref in [*ev["actors"], *ev["targets"], *([ev["place"]] if ev["place"] else [])]:
            assert ref["id"] is None or ref["id"] in ids, f"{tag}events[{i}] ref {ref['id']!r} not in entities"


# -- runners -----------------------------------------------------------------------
def read_doc(fmt: str, data: bytes, hint: str | None) -> list[Article]:
    """Stage 0: the articles ingest reads from ``data`` (its InputErrors are fine, if well-formed)."""
    out: list[Article] = []
    for item in read_source(SourceSpec(name="-", data=data, hint=hint), ingest_settings()):
        if isinstance(item, InputError):
            msg = str(item)
            assert msg.startswith("-") and "\n" not in msg, f"bad InputError message {msg!r}"
            assert "internal error" not in msg, msg
            continue
        assert isinstance(item, Article), type(item)
        check_article(item, "ingest")
        out.append(item)
    return out


def _with_language(a: Article, language: str | None) -> Article:
    return a if language == "keep" else a.replace(language=language)


def run_stages(article: Article, upto: str, language: str | None = "keep") -> Article | None:
    """Run the per-article stages up to and including ``upto``, checking after each.

    Returns None when a stage raised one of our documented errors (allowed).
    """
    p = article_pipeline()
    stages = p.stages[: [s.name for s in p.stages].index(upto) + 1]
    a = _with_language(article, language)
    for s in stages:
        try:
            a = p.run_article(a, [s])
        except PipelineError:
            raise  # a broken stage contract is a bug, not a documented refusal
        except LagebildError:
            return None
        check_article(a, s.name, None if s is stages[-1] else s.sets)
    return a


def run_corpus(articles: list[Article], language: str | None = "keep") -> Corpus | None:
    """The whole default pipeline over ``articles`` as one corpus, checking every article."""
    p = full_pipeline()
    by_id: dict[str, Article] = {}
    try:
        for art in articles:
            a = p.run_article(_with_language(art, language))
            by_id.setdefault(a.id, a)
        corpus = p.run_corpus(Corpus(list(by_id.values())))
    except PipelineError:
        raise
    except LagebildError:
        return None
    ids = [a.id for a in corpus]
    assert sorted(ids) == sorted(by_id), "the corpus stages lost or added articles"
    texts = {a.id: a.text for a in corpus}
    for a in corpus:
        check_article(a, "corpus", others=texts)
        assert a.duplicate_of is None or a.duplicate_of in ids, f"duplicate_of {a.duplicate_of} not in corpus"
        for sp in a.shared_paragraphs:
            assert set(sp["articles"]) <= set(ids) - {a.id}, f"shared paragraph names unknown articles {sp}"
    return corpus


@st.composite
def corpora(draw: Any) -> list[Article]:
    """2–6 articles that share paragraphs, outlets and furniture lines (so dedup and boilerplate act)."""
    pool = draw(st.lists(mixed_text, min_size=1, max_size=4))
    outlets = ["Donaublick", "Mainufer Post", None]
    arts: list[Article] = []
    for _ in range(draw(st.integers(2, 6))):
        paras = draw(st.lists(st.one_of(st.sampled_from(pool), mixed_text), min_size=1, max_size=6))
        rec: dict[str, Any] = {"text": "\n\n".join(paras)}
        outlet = draw(st.sampled_from(outlets))
        if outlet:
            rec["outlet"] = outlet
        if draw(st.booleans()):
            rec["date"] = draw(st.sampled_from(["2024-10-03", "2023-01-31T08:00:00+01:00", "31.12.2022"]))
        arts += read_doc("json", json.dumps(rec).encode(), "json")
    return arts


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def long_lines() -> dict[str, str]:
    """A few 1 MB single lines (used by one dedicated test, not by every example)."""
    size = 1_000_000
    german = " ".join(fragments())
    return {
        "german": _repeat(german, size),
        "letters": "a" * size,
        "digits": "1" * size,
        "digits-grouped": _repeat("1.000 ", size),
        "mixed": _repeat("Am 3. Oktober\u200f sagte\u0301 „Berlin“ 5 % \u202e", size),
    }
