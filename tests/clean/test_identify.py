"""The ``identify`` stage: stable content ids that ignore formatting differences."""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path

import pytest

from lagebild.clean.identify import (
    article_id,
    identify,
    normalise_outlet,
    normalise_text,
    text_hash,
)
from lagebild.model import Article, Corpus
from lagebild.pipeline import Pipeline, Stage, _REGISTRY

# The same story as a plain-text file would give it (hard-wrapped, German quotes,
# en dash) and as an HTML/JSON extraction would give it (one line per paragraph,
# straight quotes, no-break spaces, a soft hyphen, a hyphen for the dash).
AS_TXT = (
    "Der Gemeinderat von Bergfeld hat am Montag\n"
    "einen „Sanierungsplan“ für das Wassernetz beschlossen – mit 23 zu 8 Stimmen.\n"
    "\n"
    "Die Kosten von 14 Millionen Euro sollen über zehn Jahre\n"
    "verteilt werden, sagte der Bürgermeister.\n"
)
AS_HTML = (
    "  Der Gemeinderat von Bergfeld hat am Montag einen \"Sanierungs\u00adplan\" für das "
    "Wassernetz beschlossen - mit 23\u00a0zu\u00a08 Stimmen.\n"
    "Die Kosten von 14 Millionen Euro sollen über zehn Jahre verteilt werden, sagte der "
    "Bürgermeister.  "
)


def test_normalise_text_exact_form():
    assert normalise_text(AS_TXT) == (
        'der gemeinderat von bergfeld hat am montag einen "sanierungsplan" für das wassernetz '
        "beschlossen - mit 23 zu 8 stimmen. die kosten von 14 millionen euro sollen über zehn "
        "jahre verteilt werden, sagte der bürgermeister."
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("»Nein«, sagte sie.", '"nein", sagte sie.'),
        ("‚Ja‘ – oder ’nicht’", "'ja' - oder 'nicht'"),
        ("STRASSE Straße", "strasse strasse"),  # case folding
        ("ﬁnal ２０２４", "final 2024"),  # NFKC: ligature, full-width digits
        ("a\tb\u2003c\r\n\n d", "a b c d"),  # every whitespace run is one space
        ("Zero\u200bwidth\ufeff", "zerowidth"),
        ("   ", ""),
    ],
)
def test_normalise_text_cases(raw, expected):
    assert normalise_text(raw) == expected


def test_same_article_from_txt_and_html_gets_same_id():
    assert normalise_text(AS_TXT) == normalise_text(AS_HTML)
    assert article_id(AS_TXT, "bergfelder-bote.de") == article_id(AS_HTML, "https://www.Bergfelder-Bote.de/")
    a = identify(Article(text=AS_TXT, outlet="bergfelder-bote.de"), {})
    b = identify(Article(text=AS_HTML, outlet="www.bergfelder-bote.de"), {})
    assert a.id == b.id
    assert re.fullmatch(r"[0-9a-f]{16}", a.id)


def test_id_formula():
    expected = hashlib.sha256(("example.org\n" + normalise_text(AS_TXT)).encode("utf-8")).hexdigest()[:16]
    assert article_id(AS_TXT, "Example.org") == expected
    no_outlet = hashlib.sha256(("\n" + normalise_text(AS_TXT)).encode("utf-8")).hexdigest()[:16]
    assert article_id(AS_TXT, None) == no_outlet
    assert text_hash(AS_TXT) == hashlib.sha256(normalise_text(AS_TXT).encode("utf-8")).hexdigest()[:16]
    assert text_hash(normalise_text(AS_TXT), normalised=True) == text_hash(AS_TXT)


def test_outlet_changes_id_but_not_text_hash():
    assert article_id(AS_TXT, "a.example") != article_id(AS_TXT, "b.example")
    assert article_id(AS_TXT, None) != article_id(AS_TXT, "a.example")
    assert text_hash(AS_TXT) == text_hash(AS_HTML)
    assert text_hash(AS_TXT) != text_hash(AS_TXT.replace("23 zu 8", "24 zu 7"))


@pytest.mark.parametrize(
    ("outlet", "expected"),
    [
        (None, ""),
        ("www.Spiegel.de", "spiegel.de"),
        ("https://www.spiegel.de/", "spiegel.de"),
        ("HTTP://taz.de//", "taz.de"),
        ("  Der Standard ", "der standard"),
        ("news.example.com/politik/", "news.example.com/politik"),
    ],
)
def test_normalise_outlet(outlet, expected):
    assert normalise_outlet(outlet) == expected


def test_identify_is_pure_and_returns_same_object_when_unchanged():
    a = Article(text=AS_TXT, outlet="x.example", metadata={"k": [1]})
    before = copy.deepcopy(a)
    b = identify(a, {})
    assert a == before  # input untouched
    assert b is not a and b.id == article_id(AS_TXT, "x.example")
    assert b.replace(id=a.id) == a  # nothing but the id changed
    assert identify(b, {}) is b


def _text_from_raw(article: Article, settings: dict) -> Article:
    return article.replace(text=article.raw_text)


def test_identify_honours_its_stage_contract():
    stage = _REGISTRY["identify"]
    assert (stage.level, stage.requires, stage.sets) == ("article", frozenset({"text", "outlet"}), frozenset({"id"}))
    fake_clean = Stage("fake_clean", _text_from_raw, "article", frozenset({"raw_text"}), frozenset({"text"}))
    p = Pipeline([fake_clean, stage], strict=True)
    out = p.run_article(Article(raw_text=AS_HTML, outlet="bergfelder-bote.de"))
    assert out.id == article_id(AS_TXT, "bergfelder-bote.de")


@pytest.mark.shared
def test_seed_articles_ids_survive_reformatting(seeds: list[Path]):
    assert len(seeds) == 5
    ids = set()
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        # Re-render the way another extractor would: paragraphs joined into one
        # line each, typographic quotes straightened, no-break spaces.
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
        other = "\n".join(paragraphs).replace("„", '"').replace("“", '"').replace(" ", "\u00a0", 3)
        assert other != text
        a = identify(Article(text=text, outlet="seed.example"), {})
        b = identify(Article(text=other, outlet="SEED.example/"), {})
        assert a.id == b.id
        ids.add(a.id)
    assert len(ids) == 5  # different articles, different ids
    corpus = Corpus([identify(Article(text=p.read_text(encoding="utf-8")), {}) for p in seeds])
    assert len({text_hash(a.text) for a in corpus}) == 5
