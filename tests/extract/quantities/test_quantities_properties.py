"""Properties of the quantities stage on arbitrary text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lagebild.extract.quantities import MODS, quantities
from lagebild.model import Article

#: text biased towards what the grammar reads: digits, separators, number and unit words
_PIECES = st.sampled_from([
    "4,8", "10.000", "10'000", "1,000,000", " ", "\u202f", "\u00a0", "-", "–", ".", ",", ":", "/", "%", "€", "$",
    "£3m", "bn", "etwa ", "mehr als ", "über ", "bis zu ", "zwischen ", " und ", " bis ", "Millionen", "Mio.",
    "Hunderte", "eine ", "ein ", "dreieinhalb", "zwanzig", "hundert", "tausend", "Soldaten", "Prozent", "Euro",
    "Jahre", "Uhr", "Artikel ", "70. ", "KN-23", "2:1", "\n", "twenty-five", "a dozen", "hundreds of ", "troops",
    "more than ", "between ", " and ", "percent", "Zwölf", "x", "Ä", "7", "0", "1950",
])
_TEXT = st.one_of(st.text(max_size=200), st.lists(_PIECES, max_size=40).map("".join))


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, language=st.sampled_from(["de", "en", "fr", None]))
def test_never_raises_and_offsets_point_into_the_text(text: str, language: str | None) -> None:
    a = Article(id="p", text=text, raw_text=text, language=language)
    out = quantities(a, {})
    assert out.text is a.text
    prev = -1
    for q in out.quantities:
        assert 0 <= q["start"] < q["end"] <= len(text)
        assert q["text"] == text[q["start"]:q["end"]]
        assert q["start"] >= prev
        prev = q["start"]
        assert q["mod"] is None or q["mod"] in MODS
        if q["object"] is not None:
            assert q["end"] <= q["object_start"] < q["object_end"] <= len(text)
            assert text[q["object_start"]:q["object_end"]] == q["object"]
        if q["value"] is None:
            assert q["low"] is not None and q["high"] is not None and q["low"] < q["high"]
        else:
            assert q["low"] is None and q["high"] is None
        assert q["measure"].split(":")[0] == (q["unit"] or "count")
