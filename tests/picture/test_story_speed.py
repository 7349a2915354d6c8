"""The stories step at scale: BLAS threads of the encoder, thread-independent results, linear bookkeeping."""

from __future__ import annotations

import numpy as np
import pytest

from lagebild.model import Article, Provenance, Published
from lagebild.picture._describe import describe_story
from lagebild.picture._embed import DIM, _openblas, blas_threads, embed_texts
from lagebild.picture._stories import _State, story_settings

TEXTS = [
    "Die Regierung hat am Montag ein neues Gesetz zur Energieversorgung beschlossen.",
    "Der Fußballverein gewann das Spitzenspiel nach einem Tor in der letzten Minute.",
    "Heftige Regenfälle haben in mehreren Tälern Überschwemmungen ausgelöst.",
    "",
]


@pytest.mark.skipif(not _openblas(), reason="no OpenBLAS library found in this process (numpy built without it?)")
def test_blas_threads_limits_and_restores() -> None:
    get = _openblas()[0][0]
    before = int(get())
    with blas_threads(1):
        assert int(get()) == 1
    assert int(get()) == before


def test_embeddings_rank_the_same_with_one_or_two_threads() -> None:
    one = embed_texts(TEXTS, threads=1)
    two = embed_texts(TEXTS, threads=2)
    assert one.shape == (4, DIM) and not one[3].any()  # an empty text gives a zero row
    assert np.allclose(one, two, atol=1e-5)
    assert np.allclose(np.linalg.norm(one[:3], axis=1), 1.0, atol=1e-5)
    sims = one[:3] @ one[:3].T
    assert np.argsort(-sims[0]).tolist()[0] == 0  # each text is nearest itself


def _article(i: int, title: str, text: str) -> Article:
    return Article(id=f"{i:016x}", source=[Provenance(source=f"hand/{i}.txt", format="text")], title=title,
                   language="de", published=Published(value="2024-05-01", source="metadata"), raw_text=text,
                   text=text, sentences=[[0, len(text)]])


def test_two_article_story_headline_does_not_depend_on_float_noise() -> None:
    """Both members of a two-article story are equally near its centroid: the larger id wins, whichever
    of the two the float noise (BLAS thread count, summation order) favours."""
    rng = np.random.default_rng(7)
    v1, v2 = rng.normal(size=DIM), rng.normal(size=DIM)
    arts = {a.id: a for a in (_article(1, "Erster Titel", "Ein erster Satz, lang genug für die Zusammenfassung."),
                              _article(2, "Zweiter Titel", "Ein zweiter Satz, lang genug für die Zusammenfassung."))}
    for eps in (1e-6, -1e-6):  # tilt the tie one way, then the other (float32 noise is about 1e-7)
        a1 = (v1 / np.linalg.norm(v1)).astype(np.float32)
        a2 = (v2 / np.linalg.norm(v2)).astype(np.float32)
        vectors = {"0000000000000001": a1 * (1 + eps), "0000000000000002": a2}
        story = {"id": "story:0000000000000001", "members": {aid: None for aid in arts},
                 "centroid": (a1 + a2).astype(np.float32)}
        describe_story(story, arts, vectors, {}, story_settings(None))
        assert story["headline"] == "Zweiter Titel"
        # the summary pool: nearest members first, on a tie by id
        assert story["summary"] == ("Ein erster Satz, lang genug für die Zusammenfassung. "
                                    "Ein zweiter Satz, lang genug für die Zusammenfassung.")


class _NoStore:
    """Just enough of a store for an empty story state."""

    path = ":memory:"

    def _rows(self, sql: str, params: object = ()) -> list:
        return []


def test_many_new_stories_keep_order_and_touch_once() -> None:
    state = _State(_NoStore(), story_settings(None))  # type: ignore[arg-type]
    rng = np.random.default_rng(3)
    sids = []
    for i in range(300):
        v = rng.normal(size=DIM).astype(np.float32)
        art = {"id": f"{i:016x}", "language": "de", "published": None, "entities": set(), "events": set()}
        sids.append(state.add(art, v / np.linalg.norm(v)))
    assert sids == [f"story:{i:016x}" for i in range(300)]  # random directions: every article opens a story
    state.touch(sids[0])
    assert state.grown == sids and state.result["new_stories"] == 300
