"""Property-based fuzzing of ingest ("stage 0") and every per-article stage of the default pipeline.

Each property reads a generated input through ingest, runs the strict default
pipeline up to the stage under test and checks every invariant of
:func:`fuzzprops.check_article` after each stage.
"""

from __future__ import annotations

import pytest
from fuzzprops import ARTICLE_STAGES, INGEST_FORMATS, PROFILE, documents, languages, read_doc, run_stages
from hypothesis import example, given, settings, strategies as st

#: generated HTML/JSON inputs make long reprs; hypothesis warns about them
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")


@pytest.mark.parametrize("fmt", INGEST_FORMATS)
@settings(settings.get_profile(PROFILE))
@given(data=st.data())
def test_ingest_reads_or_refuses_clearly(fmt: str, data: st.DataObject) -> None:
    read_doc(*data.draw(documents(fmt)))


@pytest.mark.parametrize("stage", ARTICLE_STAGES)
@settings(settings.get_profile(PROFILE))
@given(doc=documents(), language=languages)
@example(doc=("json", b'{"text": "Berlin \\ud800 sagte", "date": "\\udfff"}', "json"), language="keep")
@example(doc=("text", ("Es waren " + "1" * 5000 + " Menschen.").encode(), "text"), language="de")
def test_stage_keeps_its_contract(stage: str, doc: tuple[str, bytes, str | None], language: str | None) -> None:
    for article in read_doc(*doc):
        run_stages(article, stage, language)
