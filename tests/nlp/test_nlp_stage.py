"""The ``nlp`` stage: contract, output and settings."""

from __future__ import annotations

import pytest

from lagebild.config import load_config
from lagebild.errors import ConfigError
from lagebild.model import Article
from lagebild.nlp.stage import nlp
from lagebild.pipeline import Pipeline, get_stage

TEXT = "Titel\nKim (2. v. r.) kam am 27. Juli. Er „ging.“ Dann Dr. Lee."


def test_sets_sentences_and_copies() -> None:
    art = Article(text=TEXT, language="de")
    out = nlp(art, {"language": "auto"})
    assert out is not art and art.sentences == []
    assert out.sentences == [[0, 5], [6, 37], [38, 48], [49, 62]]
    assert [TEXT[s:e] for s, e in out.sentences][-1] == "Dann Dr. Lee."
    assert out.to_dict()["sentences"] == [[0, 5], [6, 37], [38, 48], [49, 62]]


def test_language_setting() -> None:
    art = Article(text="Er traf Mr. Lee.", language="de")
    assert nlp(art, {"language": "auto"}).sentences == [[0, 11], [12, 16]]
    assert nlp(art, {"language": "en"}).sentences == [[0, 16]]
    with pytest.raises(ConfigError, match="stages.nlp.language"):
        nlp(art, {"language": ""})


def test_registered_and_runs_in_a_checked_pipeline() -> None:
    st = get_stage("nlp")
    assert st.requires == {"text", "language"} and st.sets == {"sentences"}
    cfg = load_config(None, [])
    assert cfg["stages"]["nlp"] == {"language": "auto"}
    pipe = Pipeline([get_stage("clean"), get_stage("identify"), st], cfg["stages"], strict=True)
    out = pipe.run_article(Article(raw_text="Titel\n\nEin Satz. Noch einer am 3. Oktober.\n", language="de"))
    assert [out.text[s:e] for s, e in out.sentences] == ["Titel", "Ein Satz.", "Noch einer am 3. Oktober."]
