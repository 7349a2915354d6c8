"""The five seed articles: sentence boundaries read and checked by hand.

The seeds are read from ../shared at run time and cleaned with the real
``clean`` stage; the boundaries below were checked against the clean text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.clean.furniture import clean
from lagebild.model import Article
from lagebild.nlp import split_sentences, tokenize

pytestmark = pytest.mark.shared


def _clean(seeds: list[Path], prefix: str) -> str:
    match = [p for p in seeds if p.name.startswith(prefix + "_")]
    assert len(match) == 1, f"expected one seed named {prefix}_*.txt in ../shared/seeds, found {match}"
    return clean(Article(raw_text=match[0].read_text(encoding="utf-8"), language="de"), {}).text


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, "de")]


#: sentences per seed's clean text, counted by reading it (one per title, heading,
#: list item; running text split at its sentence ends)
COUNTS = {"000": 17, "001": 23, "002": 14, "003": 26, "004": 25}


@pytest.mark.parametrize("prefix", sorted(COUNTS))
def test_sentence_count(seeds: list[Path], prefix: str) -> None:
    text = _clean(seeds, prefix)
    spans = split_sentences(text, "de")
    assert len(spans) == COUNTS[prefix]
    for s, e in spans:
        assert text[s:e] == text[s:e].strip() and "\n" not in text[s:e]


def test_ordinals_do_not_split(seeds: list[Path]) -> None:
    s000 = _sentences(_clean(seeds, "000"))
    assert "Diese fand anlässlich des 70. Jahrestages des Endes den Koreakrieges statt." in s000
    s001 = _sentences(_clean(seeds, "001"))
    assert "Der 27. Juli, der das Ende des Korea-Kriegs markiert, wird in Pjöngjang als Tag des Sieges begangen." in s001
    assert "Der Krieg endete mit einem Waffenstillstand, der Korea entlang des 38. Breitengrads in zwei Staaten teilt." in s001
    assert "Offizieller Anlass von Schoigus Besuch ist der 70. Jahrestag des Endes im Koreakrieg." in s001


def test_caption_with_position_abbreviation(seeds: list[Path]) -> None:
    # the raw caption line of seed 002 (the clean stage removes it as a caption)
    raw = [p for p in seeds if p.name.startswith("002_")][0].read_text(encoding="utf-8")
    line = next(ln for ln in raw.splitlines() if "(2. v. r.)" in ln)
    assert split_sentences(line, "de") == [(0, len(line))]
    toks = [t.text for t in tokenize(line, "de")]
    i = toks.index("2.")
    assert toks[i - 1 : i + 4] == ["(", "2.", "v.", "r.", ")"]
    assert toks[toks.index("l.") - 1 : toks.index("l.") + 2] == ["(", "l.", ")"]


def test_quotes_end_sentences(seeds: list[Path]) -> None:
    s003 = _sentences(_clean(seeds, "003"))
    # a quotation in «…» spanning two sentences: the first ends inside it
    i = next(k for k, s in enumerate(s003) if s.startswith("Der Verteidigungsminister warnte"))
    assert s003[i].endswith("bemühen wird.")
    assert s003[i + 1].startswith("Insbesondere um militärische Lieferungen") and s003[i + 1].endswith("erringen.»")
    s002 = _sentences(_clean(seeds, "002"))
    assert 'Beide Seiten kamen demnach überein, die Beziehungen "weiterhin dynamisch auszubauen".' in s002


def test_numbers_and_compounds(seeds: list[Path]) -> None:
    text = _clean(seeds, "003")
    toks = {t.text for t in tokenize(text, "de")}
    assert {"4,8", "10'000", "US-Regierung", "Ukraine-Kriegs", "Panzer-", "Kim", "Jong-un"} <= toks
    text4 = _clean(seeds, "004")
    toks4 = [t.text for t in tokenize(text4, "de")]
    assert toks4.count("KN-23") == 2 and "KN-24" in toks4
