"""Unit tests of the claims stage on sentences written for the purpose."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagebild.extract.claims import claims as claims_stage
from lagebild.extract.claims import claims_of_text, claim_lexicon
from lagebild.model import Article
from lagebild.nlp import split_sentences


def run(text: str, lang: str = "de", entities: list[dict[str, Any]] | None = None,
        quantities: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    sents = [list(s) for s in split_sentences(text, lang)]
    return claims_of_text(text, sents, entities or [], quantities or [], claim_lexicon(lang))


def one(text: str, lang: str = "de", **kw: Any) -> dict[str, Any]:
    cs = run(text, lang, **kw)
    assert len(cs) == 1, cs
    return cs[0]


def test_sagte_dass_indirect() -> None:
    c = one("Ein Sprecher der Regierung sagte, dass die Grenze geschlossen bleibe.")
    assert (c["status"], c["form"]) == ("reported", "indirect")
    assert c["text"] == "dass die Grenze geschlossen bleibe"
    assert c["speaker"]["text"] == "Ein Sprecher der Regierung"
    assert c["cue"]["text"] == "sagte"


def test_trailing_frame_verb_first() -> None:
    c = one("Die Lage sei stabil, erklärte der Minister.")
    assert c["text"] == "Die Lage sei stabil"
    assert c["speaker"]["text"] == "der Minister" and c["cue"]["text"] == "erklärte"


def test_laut() -> None:
    c = one("Laut dem Innenministerium wurden zwölf Menschen verletzt.")
    assert c["cue"]["text"] == "Laut" and c["speaker"]["text"] == "dem Innenministerium"
    assert c["text"] == "wurden zwölf Menschen verletzt" and c["status"] == "reported"


def test_laut_adjective_is_no_cue() -> None:
    c = one("Im Saal lief laute Musik bis in die Nacht.")
    assert c["status"] == "asserted" and c["speaker"] is None and c["cue"] is None


def test_zufolge() -> None:
    c = one("Der Zeitung zufolge ist der Vertrag unterschrieben.")
    assert c["cue"]["text"] == "zufolge" and c["speaker"]["text"] == "Der Zeitung"
    assert c["text"] == "ist der Vertrag unterschrieben"


def test_berichten_zufolge_hedged() -> None:
    c = one("Berichten zufolge wurden drei Dörfer geräumt.")
    assert c["status"] == "hedged" and c["speaker"]["text"] == "Berichten"


def test_nach_angaben() -> None:
    c = one("Nach Angaben der Polizei habe der Mann gedroht.")
    assert c["cue"]["text"] == "Nach" and c["speaker"]["text"] == "Angaben der Polizei"


def test_wie_mitteilte() -> None:
    c = one("Wie das Amt mitteilte, stieg die Zahl der Anträge.")
    assert c["speaker"]["text"] == "das Amt" and c["cue"]["text"] == "mitteilte"
    assert c["text"] == "stieg die Zahl der Anträge"


def test_separable_teilte_mit_reported() -> None:
    c = one("Die Behörde teilte die neuen Regeln mit.")
    assert c["cue"]["text"] == "teilte" and c["form"] == "reported" and c["status"] == "reported"


def test_absagen_is_not_speech() -> None:
    c = one("Der Minister sagte das Treffen ab.")
    assert c["status"] == "asserted" and c["cue"] is None


def test_direct_quote_colon() -> None:
    c = one("Der Trainer erklärte: „Wir haben heute sehr gut gespielt.“")
    assert (c["status"], c["form"]) == ("quoted", "direct")
    assert c["text"] == "„Wir haben heute sehr gut gespielt.“"
    assert c["speaker"]["text"] == "Der Trainer"


def test_direct_quote_trailing_so() -> None:
    c = one("«Das Ergebnis ist ein großer Erfolg für uns», so die Ministerin.")
    assert c["status"] == "quoted" and c["speaker"]["text"] == "die Ministerin" and c["cue"]["text"] == "so"


def test_denial() -> None:
    c = one("Diese Vorwürfe weist die Regierung jedoch zurück.")
    assert c["status"] == "denied" and c["speaker"]["text"] == "die Regierung"


def test_dementiert() -> None:
    c = one("Die Armee dementiert den Bericht.")
    assert c["status"] == "denied" and c["speaker"]["text"] == "Die Armee"


def test_soll_hedged_unattributed() -> None:
    c = one("Der Konvoi soll am Morgen die Grenze erreicht haben.")
    assert c["status"] == "hedged" and c["speaker"] is None


def test_mutmasslich_swiss_spelling() -> None:
    assert one("Im Lager befanden sich mutmasslich zwei Tonnen Sprengstoff.")["status"] == "hedged"


def test_speculated() -> None:
    assert one("Die Preise könnten im Herbst weiter steigen.")["status"] == "speculated"


def test_speculation_verb() -> None:
    c = one("Experten vermuten, dass die Anlage beschädigt ist.")
    assert c["status"] == "speculated" and c["speaker"]["text"] == "Experten"


def test_konjunktiv_chain_inherits_speaker() -> None:
    cs = run("Der Bürgermeister sagte, die Straße werde gesperrt. Die Arbeiten dauerten zwei Wochen. Er sei zuversichtlich.")
    assert cs[0]["speaker"]["text"] == "Der Bürgermeister"
    assert cs[2]["form"] == "free_indirect" and cs[2]["status"] == "reported"
    assert cs[2]["speaker"]["text"] == "Der Bürgermeister" and cs[2]["cue"] is None


def test_asserted_plain_sentence() -> None:
    c = one("Der Fluss trat am Dienstag über die Ufer.")
    assert c["status"] == "asserted" and c["form"] is None and c["speaker"] is None


def test_question_and_headline_skipped() -> None:
    assert run("Wer zahlt die Rechnung?") == []
    assert run("Neue Brücke eröffnet") == []


def test_speaker_entity_and_quantities() -> None:
    text = "Laut Anna Weber wurden 40 Häuser zerstört."
    ents = [{"id": "local:anna-weber", "name": "Anna Weber", "type": "PER", "kb": False,
             "mentions": [{"start": 5, "end": 15, "text": "Anna Weber", "form": "name"}]}]
    qs = [{"start": 23, "end": 25, "text": "40"}]
    c = one(text, entities=ents, quantities=qs)
    assert c["speaker"]["id"] == "local:anna-weber" and c["entities"] == ["local:anna-weber"]
    assert c["quantities"] == [0]


def test_relay_agency_and_speaker() -> None:
    text = ("Der Präsident habe erklärt, dass die Armee bereit sei, "
            "berichtete die staatliche Nachrichtenagentur.")
    cs = run(text)
    outer = [c for c in cs if c["source"] is None]
    inner = [c for c in cs if c["source"] is not None]
    assert outer[0]["speaker"]["text"] == "die staatliche Nachrichtenagentur"
    assert inner[0]["speaker"]["text"] == "Der Präsident"
    assert inner[0]["source"]["text"] == "die staatliche Nachrichtenagentur"
    assert inner[0]["text"] == "dass die Armee bereit sei"


# -- English -----------------------------------------------------------------

def test_en_said_that() -> None:
    c = one("The minister said that the border would stay closed.", "en")
    assert c["speaker"]["text"] == "The minister" and c["cue"]["text"] == "said"
    assert c["text"] == "that the border would stay closed"


def test_en_according_to() -> None:
    c = one("According to the police, two people were injured.", "en")
    assert c["speaker"]["text"] == "the police" and c["text"] == "two people were injured"


def test_en_trailing_said() -> None:
    c = one("The talks will resume on Monday, officials said.", "en")
    assert c["speaker"]["text"] == "officials" and c["text"] == "The talks will resume on Monday"


def test_en_denies() -> None:
    c = one("The company denies the allegations.", "en")
    assert c["status"] == "denied" and c["speaker"]["text"] == "The company"


def test_en_reportedly_hedged_and_might_speculated() -> None:
    assert one("The convoy reportedly crossed the border.", "en")["status"] == "hedged"
    assert one("Prices might rise again in the autumn.", "en")["status"] == "speculated"


def test_stage_other_language_gets_no_claims() -> None:
    a = Article(text="Le ministre a dit que tout va bien.", language="fr", sentences=[[0, 36]])
    assert claims_stage(a, {"languages": ["de", "en"]}).claims == []


# -- properties --------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc XYZ „“«»\",.:;?!-sagteLautzufolgesoll\n")), max_size=200))
def test_arbitrary_text_never_raises_and_offsets_hold(text: str) -> None:
    a = Article(text=text, language="de", sentences=[list(s) for s in split_sentences(text, "de")])
    out = claims_stage(a, {}).claims
    for c in out:
        assert 0 <= c["start"] <= c["end"] <= len(text)
        assert c["text"] == text[c["start"]:c["end"]]
        for role in ("cue", "speaker", "source"):
            p = c[role]
            if p is not None:
                assert 0 <= p["start"] <= p["end"] <= len(text)
                assert p["text"] == text[p["start"]:p["end"]]
        assert c["status"] in ("asserted", "reported", "quoted", "hedged", "denied", "speculated")
    assert [c["start"] for c in out] == sorted(c["start"] for c in out)
