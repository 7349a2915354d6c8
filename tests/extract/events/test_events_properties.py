"""Property test: any text, with any (well-formed) layers, gives well-formed events and never raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lagebild.extract.events import events_of_text

# words that hit the lexicons and the cue lists, mixed with arbitrary text
_WORDS = st.sampled_from(
    [
        "Russland", "Nordkorea", "besuchte", "liefert", "Besuch", "Waffenlieferungen", "wies", "zurück", "nicht",
        "wird", "hatte", "damals", "nach", "mit", "an", "der", ",", ".", "\n", " ", "dass", "Russia", "attacked",
        "visited", "by", "to", "not", "will", "had", "„", "“", "-", "Kim", "Jong-un", "keine", "Krieg", "zu",
        "sagte", "ß", "İ", "Ⅻ", "ﬁ",
    ]
)
_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_WORDS, st.text(max_size=5)), max_size=60).map(" ".join),
)


@st.composite
def _case(draw):
    text = draw(_TEXT)
    n = len(text)
    spans = st.tuples(st.integers(0, n), st.integers(0, n)).map(sorted).filter(lambda p: p[0] < p[1])
    ents = []
    for k, (a, b) in enumerate(draw(st.lists(spans, max_size=6)) if n else []):
        ents.append(
            {
                "id": f"gpe:x{k % 3}",
                "name": "x",
                "type": draw(st.sampled_from(["GPE", "PER", "LOC", "ORG"])),
                "kb": True,
                "mentions": [{"start": a, "end": b, "text": text[a:b],
                              "form": draw(st.sampled_from(["name", "adjective", "short", "compound"]))}],
            }
        )
    times = [
        {"start": a, "end": b, "text": text[a:b], "type": "DATE",
         "value": draw(st.sampled_from(["2024-06", "2019", "195X", "XXXX-03", "FUTURE_REF", None, "2024-W03"])),
         "mod": None, "tense": draw(st.sampled_from(["past", "future", None]))}
        for a, b in (draw(st.lists(spans, max_size=3)) if n else [])
    ]
    claims = [
        {"start": a, "end": b, "text": text[a:b], "status": draw(st.sampled_from(["asserted", "hedged", "denied"]))}
        for a, b in (draw(st.lists(spans, max_size=3)) if n else [])
    ]
    sentences = None
    if n and draw(st.booleans()):
        cut = draw(st.integers(0, n))
        sentences = [s for s in ([0, cut], [cut, n]) if s[0] < s[1]]
    published = draw(st.sampled_from([{}, {"value": "2024-06-20"}, {"earliest": "2023-01-01"}, {"value": "garbage"}]))
    lang = draw(st.sampled_from(["de", "en", "fr", None, "de-AT"]))
    return text, lang, sentences, ents, times, claims, published


@settings(max_examples=250, deadline=None)
@given(case=_case())
def test_events_are_well_formed_for_any_input(case) -> None:
    text, lang, sentences, ents, times, claims, published = case
    out = events_of_text(text, lang, sentences=sentences, entities=ents, times=times, claims=claims,
                         published=published)
    assert [e["start"] for e in out] == sorted(e["start"] for e in out)
    for e in out:
        assert 0 <= e["start"] < e["end"] <= len(text)
        assert text[e["start"] : e["end"]] == e["text"]
        t = e["trigger"]
        assert text[t["start"] : t["end"]] == t["text"]
        for r in e["actors"] + e["targets"] + ([e["place"]] if e["place"] else []):
            assert 0 <= r["start"] < r["end"] <= len(text) and text[r["start"] : r["end"]] == r["text"]
        for ev in e["evidence"]:
            assert 0 <= ev["start"] < ev["end"] <= len(text)
        assert e["claim"] is None or 0 <= e["claim"] < len(claims)
        assert e["date"]["time"] is None or 0 <= e["date"]["time"] < len(times)
        assert isinstance(e["negated"], bool) and isinstance(e["background"], bool)
