"""The packaged CRF named-entity model: load once per process, tag tokens, map to character spans.

Tagging goes through :class:`lagebild.nlp.ner._fast.FastTagger` over the model
file's own weights (per-form summed weight vectors, and a Viterbi that steps an
article's sentences together): crfsuite's tags at a fraction of the cost.
``NerModel(path, fast=False)`` tags with python-crfsuite instead (the reference;
also the fallback for a model file the fast reader does not understand), passing
only the features the model holds weights for (:func:`model_attributes`):
crfsuite drops every other attribute anyway, so the tags are the same.
"""

from __future__ import annotations

import os
import struct
import threading
from pathlib import Path
from typing import Any, Sequence

from ...errors import LagebildError
from .features import sentence_features

__all__ = ["NerModel", "DEFAULT_MODEL", "tags_to_spans", "model_attributes"]

DEFAULT_MODEL = Path(__file__).with_name("data") / "de.crfsuite"
_LOADED: dict[str, "NerModel"] = {}
_LOCK = threading.Lock()


def tags_to_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(first, end, type)`` token spans of BIO tags (end exclusive), in order."""
    out: list[tuple[int, int, str]] = []
    start, label = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        if tag.startswith("I-") and label == tag[2:]:
            continue
        if start is not None:
            out.append((start, i, label))
            start, label = None, None
        if tag.startswith(("B-", "I-")):
            start, label = i, tag[2:]
    return out


def model_attributes(path: Path, tagger: Any) -> frozenset[str]:
    """The attributes a CRF model file holds weights for (crfsuite ignores any other when tagging).

    Read from the model through ``tagger.info()`` (about a second), so for the
    packaged model kept in the cache folder of :mod:`lagebild.kb` keyed by the
    file's SHA-256; the cache is skipped when it is turned off or cannot be
    written (other model files, such as cross-validation folds, are read each time).
    """
    import hashlib

    from ...kb._cache import cache_dir

    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:24]
    folder = cache_dir() if Path(path).resolve() == DEFAULT_MODEL.resolve() else None
    cached = folder / f"crf-attributes-{digest}.txt" if folder is not None else None
    if cached is not None and cached.is_file():
        try:
            lines = cached.read_text(encoding="utf-8").split("\n")
            if lines and lines[0] == f"# {digest}":
                return frozenset(lines[1:-1])
        except (OSError, UnicodeDecodeError):
            pass
    attrs = frozenset(attr for attr, _ in tagger.info().state_features)
    if cached is not None and all("\n" not in a for a in attrs):
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text("\n".join([f"# {digest}", *sorted(attrs), ""]), encoding="utf-8")
            os.replace(tmp, cached)
        except OSError:
            pass
    return attrs


class NerModel:
    """A CRF tagger over a python-crfsuite model file (BIO tags: PER, ORG, LOC, OTH).

    ``fast``: tag with :class:`~lagebild.nlp.ner._fast.FastTagger` (default; the
    same tags as crfsuite's ``Tagger.tag``) rather than python-crfsuite.
    """

    def __init__(self, path: Path, fast: bool = True) -> None:
        try:
            import pycrfsuite
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise LagebildError(
                "the NER model needs python-crfsuite — install lagebild's dependencies "
                "(pip install -e .) or set stages.entities.ner = false"
            ) from exc
        if not Path(path).is_file():
            raise LagebildError(
                f"NER model file {path} not found — run `make model` to train it, "
                "or set stages.entities.ner = false"
            )
        self.path = Path(path)
        self._tagger: Any = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))
        self._lock = threading.Lock()
        self._fast: Any = None
        if fast:
            from ._fast import FastTagger, read_weights

            try:
                self._fast = FastTagger(read_weights(self.path))
            except (ValueError, OSError, struct.error):
                self._fast = None  # not a model file the fast reader knows: crfsuite tags it
        #: the model's attributes (features it holds weights for); see :func:`model_attributes`
        self.known = self._fast.known if self._fast is not None else model_attributes(self.path, self._tagger)

    @property
    def fast(self) -> bool:
        """Whether tagging goes through the fast tagger (else python-crfsuite)."""
        return self._fast is not None

    @classmethod
    def load(cls, path: str | Path | None = None) -> "NerModel":
        """The model at ``path`` (default: the packaged German model), loaded once per process."""
        p = str(Path(path) if path is not None else DEFAULT_MODEL)
        with _LOCK:
            model = _LOADED.get(p)
            if model is None:
                model = _LOADED[p] = cls(Path(p))
        return model

    def labels(self) -> list[str]:
        """The tags the model knows."""
        return list(self._tagger.labels())

    def predict(self, tokens: list[str]) -> list[str]:
        """One BIO tag per token."""
        if not tokens:
            return []
        if self._fast is not None:
            with self._lock:
                return self._fast.tag(list(tokens))
        feats = sentence_features(list(tokens), known=self.known)
        with self._lock:
            return list(self._tagger.tag(feats))

    def predict_many(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """:meth:`predict` of several sentences (an article's) at once: the same tags, and with the
        fast tagger several times cheaper per sentence than one call each."""
        if self._fast is not None:
            with self._lock:
                return self._fast.tag_many([list(s) for s in sentences])
        return [self.predict(list(s)) for s in sentences]

    def predict_near(self, tokens: list[str], focus: Sequence[int], reach: int = 3) -> list[str]:
        """BIO tags for the tokens within ``reach`` of a ``focus`` index; ``"O"`` elsewhere (not tagged).

        Each window is tagged with its features taken from the whole sentence
        (neighbours, position), so tags inside it match :meth:`predict` except
        where a label sequence crosses the window's edge; a window whose edge
        token is part of a name is widened until the name ends inside it.
        """
        n = len(tokens)
        tags = ["O"] * n
        spans: list[list[int]] = []
        for i in sorted(set(focus)):
            lo, hi = max(i - reach, 0), min(i + reach + 1, n)
            if spans and lo <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], hi)
            else:
                spans.append([lo, hi])
        toks = list(tokens)
        fast = self._fast
        if fast is not None and spans:
            with self._lock:
                unary = fast.unary(toks)  # a window's scores are the whole sentence's, cut

            def tag(lo: int, hi: int) -> list[str]:
                return fast.decode(unary[lo:hi])
        else:
            def tag(lo: int, hi: int) -> list[str]:
                with self._lock:
                    return list(self._tagger.tag(sentence_features(toks, lo, hi, self.known)))
        for lo, hi in spans:
            while True:
                got = tag(lo, hi)
                grow_left = lo > 0 and got[0] != "O"
                grow_right = hi < n and got[-1] != "O"
                if not (grow_left or grow_right):
                    break
                step = max(reach, 1)
                lo, hi = (max(lo - step, 0) if grow_left else lo), (min(hi + step, n) if grow_right else hi)
            tags[lo:hi] = got
        return tags

    def spans(self, text: str, tokens: Sequence[Any]) -> list[tuple[int, int, str]]:
        """Character spans ``(start, end, type)`` of the entities in one sentence.

        ``tokens`` are objects with ``start``/``end`` offsets into ``text`` (the
        linguistic layer's tokens) or ``(start, end)`` pairs.
        """
        offs = [(t.start, t.end) if hasattr(t, "start") else (int(t[0]), int(t[1])) for t in tokens]
        tags = self.predict([text[s:e] for s, e in offs])
        return [(offs[a][0], offs[b - 1][1], lab) for a, b, lab in tags_to_spans(tags)]
