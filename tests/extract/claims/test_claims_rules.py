"""Unit tests of the message, speaker and gate rules added for held-out F1 and speed (sentences written for the purpose)."""

from __future__ import annotations

from typing import Any

from lagebild.extract.claims import claim_lexicon, claims_of_text
from lagebild.extract.claims._claims import _gate
from lagebild.extract.claims._phrases import _WORDS
from lagebild.nlp import split_sentences


def run(text: str, lang: str = "de") -> list[dict[str, Any]]:
    sents = [list(s) for s in split_sentences(text, lang)]
    return claims_of_text(text, sents, [], [], claim_lexicon(lang))


def attributed(text: str) -> list[dict[str, Any]]:
    return [c for c in run(text) if c["form"] is not None]


def test_sagte_comma_article_is_a_message_not_a_relative_clause() -> None:
    (c,) = attributed("Der Minister sagte, die Lage an der Grenze sei ruhig.")
    assert c["text"] == "die Lage an der Grenze sei ruhig"
    assert (c["form"], c["speaker"]["text"], c["cue"]["text"]) == ("indirect", "Der Minister", "sagte")


def test_relative_clause_after_the_speaker_stays_reported() -> None:
    (c,) = attributed("Das bestätigte der Minister, der das Amt seit Mai führt.")
    assert c["form"] == "reported" and c["speaker"]["text"].startswith("der Minister")


def test_nach_compound_cue_noun() -> None:
    (c,) = attributed("Nach Polizeiangaben wurden bei dem Unfall drei Menschen verletzt.")
    assert c["cue"]["text"] == "Nach" and c["speaker"]["text"] == "Polizeiangaben"
    assert c["text"] == "wurden bei dem Unfall drei Menschen verletzt"


def test_nach_postposition() -> None:
    (c,) = attributed("Dem Vernehmen nach wird der Vertrag im Herbst unterschrieben.")
    assert c["cue"]["text"] == "nach" and c["speaker"]["text"] == "Dem Vernehmen"
    assert c["text"] == "wird der Vertrag im Herbst unterschrieben"


def test_nach_temporal_is_no_cue() -> None:
    cs = run("Nach dem Spiel fuhr die Mannschaft zurück ins Hotel.")
    assert [c["status"] for c in cs] == ["asserted"] and cs[0]["cue"] is None


def test_demnach_continues_the_previous_speaker() -> None:
    cs = attributed("Die Behörde legte am Montag einen Bericht vor, sagte ein Sprecher. "
                    "Demnach stieg die Zahl der Anträge um ein Drittel.")
    last = cs[-1]
    assert last["text"] == "stieg die Zahl der Anträge um ein Drittel"
    assert last["cue"]["text"] == "Demnach" and last["speaker"]["text"] == "ein Sprecher"


def test_colon_quote_speaker_is_the_opening_noun_phrase() -> None:
    (c,) = attributed("Die Gewerkschaft sieht das anders: „Wir werden den Streik fortsetzen, bis es ein Angebot gibt.“")
    assert c["form"] == "direct" and c["status"] == "quoted" and c["cue"] is None
    assert c["speaker"]["text"] == "Die Gewerkschaft"
    assert c["text"] == "„Wir werden den Streik fortsetzen, bis es ein Angebot gibt.“"


def test_quote_label() -> None:
    (c,) = attributed("Zitat von Meier: „Das ist ein guter Tag für die ganze Region.“")
    assert c["speaker"]["text"] == "Meier" and c["form"] == "direct"


def test_short_quote_inside_a_message_is_its_own_claim() -> None:
    cs = attributed("Der Verband kritisierte den Plan als „fahrlässig“.")
    assert [(c["form"], c["text"]) for c in cs] == [
        ("reported", "Der Verband kritisierte den Plan als „fahrlässig“."),
        ("direct", "„fahrlässig“"),
    ]
    assert cs[1]["speaker"]["text"] == "Der Verband" and cs[1]["status"] == "quoted"


def test_anaphor_makes_the_previous_sentence_the_message() -> None:
    cs = run("Die Firma schließt ihr Werk in der Stadt. Das bestätigte ein Sprecher am Dienstag.")
    assert len(cs) == 1
    (c,) = cs
    assert c["text"] == "Die Firma schließt ihr Werk in der Stadt. Das"
    assert (c["form"], c["speaker"]["text"], c["cue"]["text"]) == ("indirect", "ein Sprecher", "bestätigte")


def test_trailing_frame_with_apposition() -> None:
    (c,) = attributed("Die Preise würden weiter steigen, sagte Anna Beispiel, die Leiterin des Instituts.")
    assert c["text"] == "Die Preise würden weiter steigen"
    assert c["speaker"]["text"] == "Anna Beispiel, die Leiterin des Instituts"


def test_opening_speaker_with_apposition() -> None:
    (c,) = attributed("Anna Beispiel, die Leiterin des Instituts, sagte, die Preise würden weiter steigen.")
    assert c["text"] == "die Preise würden weiter steigen"
    assert c["speaker"]["text"] == "Anna Beispiel, die Leiterin des Instituts"


def test_complement_clause_of_a_verb_outside_the_lexicon() -> None:
    (c,) = attributed("Die Experten kamen zu dem Ergebnis, dass der Schmuck nie getragen worden sei.")
    assert c["text"] == "dass der Schmuck nie getragen worden sei"
    assert c["speaker"]["text"] == "Die Experten" and c["form"] == "indirect"


def test_impersonal_konjunktiv_with_condition_is_no_complement() -> None:
    cs = run("Es gehe niemanden etwas an, wenn das Land seine Beziehungen pflege.")
    assert all(c["speaker"] is None for c in cs)


def test_gate_lets_through_cue_status_and_konjunktiv_sentences_only() -> None:
    lex = claim_lexicon("de")

    def gate(s: str) -> bool:
        return _gate(lex, _WORDS.findall(s), s.lower())

    assert gate("Der Minister sagte am Montag etwas.")
    assert gate("Die Lage bleibe angespannt.")  # Konjunktiv by the suffix rule
    assert gate("Die Zahl ist nicht unabhängig überprüfbar.")  # multi-word hedge
    assert gate("„Es reicht“, so der Minister.")
    assert not gate("Der Zug fuhr um acht Uhr in den Bahnhof ein.")
    assert not gate("So schnell war der Zug nie.")
    assert not gate("Nach dem Spiel fuhr die Mannschaft ins Hotel.")
    assert gate("Nach Polizeiangaben brannte das Haus.")


def test_gate_is_only_a_shortcut(monkeypatch: Any) -> None:
    from lagebild.extract.claims import _claims

    text = (
        "Der Zug fuhr um acht Uhr ein. Die Lage bleibe angespannt, sagte ein Sprecher. "
        "Nach Polizeiangaben brannte das Haus. Zwei Menschen wurden verletzt. Das bestätigte die Feuerwehr.\n\n"
        "Die Stadt plant einen Neubau. „Wir beginnen im Frühjahr mit den Arbeiten“, so die Bürgermeisterin."
    )
    gated = run(text)
    monkeypatch.setattr(_claims, "_gate", lambda *a: True)
    assert run(text) == gated
    assert [c["form"] for c in gated] == [None, "indirect", "indirect", "indirect", None, "direct"]


def test_speaker_with_relative_clause_before_the_verb() -> None:
    (c,) = attributed("Meier, der das Amt seit Jahren innehat, sagte zur Begründung, er wolle jüngeren Kollegen Platz machen.")
    assert c["speaker"]["text"] == "Meier" and c["cue"]["text"] == "sagte"
    assert c["text"] == "er wolle jüngeren Kollegen Platz machen"
