"""Property-based fuzzing of the corpus stages (boilerplate, dedup, entity_merge, pubdate_corpus)
on small random corpora, through the whole strict default pipeline."""

from __future__ import annotations

import pytest
from fuzzprops import CORPUS_STAGES, PROFILE, corpora, full_pipeline, languages, run_corpus
from hypothesis import given, settings

#: generated HTML/JSON inputs make long reprs; hypothesis warns about them
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")


def test_default_pipeline_has_the_fuzzed_corpus_stages() -> None:
    corpus_stages = [s.name for s in full_pipeline().stages if s.level == "corpus"]
    assert corpus_stages == list(CORPUS_STAGES)


# a corpus costs several articles: half the examples of the per-article properties
@settings(settings.get_profile(PROFILE), max_examples=max(10, settings.get_profile(PROFILE).max_examples // 2))
@given(articles=corpora(), language=languages)
def test_corpus_stages_keep_their_contract(articles: list, language: str | None) -> None:
    run_corpus(articles, language)
