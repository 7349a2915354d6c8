"""Headlines and summaries of stories: extractive, from the members' titles and lead sentences.

:func:`plan_story` gives a story its headline (the title of the member nearest
the centroid) and language, and returns the pool of lead sentences its summary
is chosen from; :func:`finish_story` picks the most central of them (near
repeats dropped) from their embeddings.  The two halves let
``update_stories`` embed the pools of many stories at once, in an executor's
workers; :func:`describe_story` does both for one story here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from ._embed import embed_texts, sentence_spans

if TYPE_CHECKING:
    from ..model import Article

#: Decimals of a similarity compared for ranking (below: float noise).
_TIE = 5

__all__ = ["one_line", "lead_sentences", "central", "plan_story", "finish_story",
           "describe_story"]


def one_line(text: str, limit: int = 200) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters (then `` …``)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + " …"


_ENDS = ".!?…:;\"'“”»«)"


def _without_furniture(text: str, language: str | None) -> str:
    """A sentence on one line, without lines that look like furniture (a second guard after ``clean``).

    A line the per-line furniture rules flag is dropped, and so is a line with no
    sentence end (a heading, or a caption glued to the sentence by the splitter).
    """
    from ..clean.furniture import furniture_reason

    parts = [" ".join(p.split()) for p in text.split("\n")]
    parts = [p for p in parts if p]
    keep = [p for p in parts
            if p[-1] in _ENDS and furniture_reason(p, language) is None]
    return " ".join(keep)


def lead_sentences(article: Article, n: int) -> list[str]:
    """The first ``n`` sentences of the text that are not the title, one line each (25+ characters, with letters)."""
    title = " ".join((article.title or "").split()).casefold()
    out = []
    for s, e in sentence_spans(article):
        sent = _without_furniture(article.text[s:e], article.language)
        if len(sent) < 25 or sent.casefold() == title or not any(c.isalpha() for c in sent):
            continue
        out.append(sent)
        if len(out) >= n:
            break
    return out


def central(vecs: np.ndarray, n: int, *, redundant: float = 0.8) -> list[int]:
    """Indices (ascending) of up to ``n`` rows of ``vecs`` (unit vectors) most similar on average to all others.

    Centrality = mean cosine to the other rows; a row more similar than
    ``redundant`` to one already chosen is skipped (it says the same thing).
    """
    if len(vecs) <= n:
        return list(range(len(vecs)))
    sim = vecs @ vecs.T
    score = np.round((sim.sum(axis=1) - np.diag(sim)) / max(1, len(vecs) - 1), _TIE)
    picked: list[int] = []
    for i in np.argsort(-score, kind="stable"):
        if len(picked) >= n:
            break
        if all(sim[i, j] <= redundant for j in picked):
            picked.append(int(i))
    return sorted(picked)


def plan_story(story: dict[str, Any], articles: Mapping[str, Article], vectors: Mapping[str, np.ndarray],
               dups: Mapping[str, str], cfg: Mapping[str, Any], direction: np.ndarray | None = None) -> list[str] | None:
    """Set headline and language (and the summary when there is nothing to rank); return the pool of
    sentences to rank for the summary (to embed, then :func:`finish_story`), or None when it is set.
    ``direction``: the story's centroid as a unit vector (else from its ``centroid``)."""
    own = sorted(a for a in story["members"] if a not in dups and a in articles) or sorted(
        a for a in story["members"] if a in articles)
    if not own:
        return None
    c = direction
    if c is None:
        norm = float(np.linalg.norm(story["centroid"]))
        c = story["centroid"] / norm if norm > 0 else story["centroid"]
    # near ties (both members of a two-article story are equally near) go by id, not by float noise,
    # which differs with the BLAS thread count: within 1e-5 of the best counts as a tie
    exact = {a: float(vectors[a] @ c) if a in vectors else -1.0 for a in own}
    top = max(exact.values())
    head = max(a for a in own if exact[a] >= top - 10.0**-_TIE)
    near_c = {a: round(v, _TIE) for a, v in exact.items()}
    art = articles[head]
    k = max(1, int(cfg["summary_pool"]))
    leads = {head: lead_sentences(art, k)}  # the head's first sentence is its headline when it has no title
    story["headline"] = one_line(art.title or (leads[head][0] if leads[head] else art.text[:200]))
    story["language"] = art.language
    n = int(cfg["summary_sentences"])
    pool: list[str] = []  # sentences in the headline's language
    near = sorted(own, key=lambda a: (-near_c[a], a))
    for aid in near:  # members closest to the centroid first, until the pool is full
        if articles[aid].language == art.language and len(pool) < int(cfg["summary_max_pool"]):
            if aid not in leads:
                leads[aid] = lead_sentences(articles[aid], k)
            pool += list(dict.fromkeys(leads[aid]))
    pool = pool[: int(cfg["summary_max_pool"])]
    pool = [t for t in pool if t != story["headline"]] or pool
    if len(own) == 1 or len(pool) <= n:
        story["summary"] = " ".join(pool[:n]) or None
        return None
    return pool


def finish_story(story: dict[str, Any], pool: Sequence[str], vecs: np.ndarray, cfg: Mapping[str, Any]) -> None:
    """Set the summary: the most central sentences of the ``pool`` of :func:`plan_story`, in pool order
    (nearest member first); ``vecs`` are the pool's embeddings."""
    picked = central(vecs, int(cfg["summary_sentences"]))
    story["summary"] = " ".join(pool[i] for i in sorted(picked))


def describe_story(story: dict[str, Any], articles: Mapping[str, Article], vectors: Mapping[str, np.ndarray],
                   dups: Mapping[str, str], cfg: Mapping[str, Any]) -> None:
    """Set headline, language and summary of one story (:func:`plan_story`, then :func:`finish_story`)."""
    pool = plan_story(story, articles, vectors, dups, cfg)
    if pool is not None:
        finish_story(story, pool, embed_texts(pool, threads=int(cfg["threads"])), cfg)
