"""Stand-off NER annotations of German Wikinews articles → training sentences.

The annotations (``annotations/wikinews/*.tsv``) hold only offsets, one entity a
line: ``id<TAB>start<TAB>end<TAB>LABEL`` — ``start``/``end`` are offsets into
``<id>.txt`` of the shared Wikinews texts (read as UTF-8 by Python), LABEL a
GermEval 2014 outer label (``PER``, ``LOCderiv``, ``ORGpart`` …).  The texts
stay outside the repository (their licence allows no copy here).

Only articles with at least one line count as annotated; each annotated
article is exhaustive (every token not inside a span is ``O``).  Each article is
split with :func:`lagebild.nlp.split_sentences` and tokenised with
:func:`lagebild.nlp.tokenize`; a span that does not start and end on token
boundaries, crosses a sentence boundary or overlaps another span drops the
sentence(s) it touches — counted in the returned counts, never silently.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

__all__ = ["read_wikinews", "read_standoff", "gnad_texts", "wikinews_texts_dir", "WIKINEWS_ANNOTATIONS", "WIKINEWS_ENV"]

Sentence = tuple[list[str], list[str]]

#: The stand-off annotation files (TSV) shipped with the package.
WIKINEWS_ANNOTATIONS = Path(__file__).with_name("annotations") / "wikinews"
#: Environment variable naming the folder of the Wikinews ``<id>.txt`` texts.
WIKINEWS_ENV = "LAGEBILD_WIKINEWS_TEXT"
_LABELS = frozenset(f"{c}{v}" for c in ("PER", "ORG", "LOC", "OTH") for v in ("", "deriv", "part"))


def wikinews_texts_dir() -> Path:
    """Where the Wikinews texts are: ``$LAGEBILD_WIKINEWS_TEXT``, else ``../shared/data/wikinews_text``
    next to the repository (which may not exist: callers check)."""
    env = os.environ.get(WIKINEWS_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[5] / "shared" / "data" / "wikinews_text"


def _read_spans(tsv_folder: Path) -> dict[str, list[tuple[int, int, str, str]]]:
    """``id → [(start, end, label, where)]`` over every ``*.tsv`` in ``tsv_folder`` (sorted file order)."""
    spans: dict[str, list[tuple[int, int, str, str]]] = {}
    for path in sorted(Path(tsv_folder).glob("*.tsv")):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\r").split("\t")
            where = f"{path}:{no}"
            if len(cols) != 4 or not cols[1].isdigit() or not cols[2].isdigit() or cols[3] not in _LABELS:
                raise ValueError(f"{where}: want 'id<TAB>start<TAB>end<TAB>LABEL' with LABEL one of "
                                 f"{sorted(_LABELS)}, got {line!r} — fix the line (see annotations/wikinews/README.md)")
            s, e = int(cols[1]), int(cols[2])
            if e <= s:
                raise ValueError(f"{where}: end {e} is not after start {s} — fix the offsets")
            spans.setdefault(cols[0].strip(), []).append((s, e, cols[3], where))
    return spans


def read_wikinews(
    tsv_folder: Path = WIKINEWS_ANNOTATIONS,
    texts_dir: Path | None = None,
    fold_derived: bool = True,
    counts: dict | None = None,
) -> list[Sentence]:
    """Training sentences (tokens, BIO tags) of the annotated Wikinews articles.

    ``texts_dir``: the folder of ``<id>.txt`` files (default :func:`wikinews_texts_dir`).
    ``counts``, when given, is filled with ``articles``, ``sentences``,
    ``entities`` (kept), ``dropped_sentences``, ``dropped_spans`` (by reason:
    ``boundary``, ``crosses_sentence``, ``overlap``, ``outside_text``) and
    ``missing_texts`` (annotated ids without a text file; their spans are not used).
    Raises :class:`ValueError` naming file and line for a malformed TSV line, and
    :class:`FileNotFoundError` when ``texts_dir`` does not exist.
    """
    texts = Path(texts_dir) if texts_dir is not None else wikinews_texts_dir()
    if not texts.is_dir():
        raise FileNotFoundError(f"Wikinews texts folder {texts} not found — pass the folder of the <id>.txt files "
                                f"(../shared/data/wikinews_text) or set {WIKINEWS_ENV}")

    def text_of(aid: str) -> str | None:
        path = texts / f"{aid}.txt"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    return read_standoff(tsv_folder, text_of, fold_derived, counts)


def gnad_texts(csv_path: Path) -> dict[str, str]:
    """``g<row>`` → article text of a 10kGNAD CSV file (row 0-based; the id scheme of the 10kGNAD annotations)."""
    import csv

    with Path(csv_path).open(encoding="utf-8", newline="") as f:
        return {f"g{i}": row[1] for i, row in enumerate(csv.reader(f, delimiter=";", quotechar="'")) if len(row) >= 2}


def read_standoff(
    tsv_folder: Path, text_of: Callable[[str], str | None], fold_derived: bool = True, counts: dict | None = None,
) -> list[Sentence]:
    """:func:`read_wikinews` over any texts: ``text_of(id)`` gives an article's text (``None``: missing)."""
    from .. import split_sentences, tokenize
    from .train import fold_label

    c = {"articles": 0, "sentences": 0, "entities": 0, "dropped_sentences": 0,
         "dropped_spans": {"boundary": 0, "crosses_sentence": 0, "overlap": 0, "outside_text": 0},
         "missing_texts": 0}
    out: list[Sentence] = []
    for aid, spans in sorted(_read_spans(tsv_folder).items(), key=lambda kv: (len(kv[0]), kv[0])):
        text = text_of(aid)
        if text is None:
            c["missing_texts"] += 1
            continue
        c["articles"] += 1
        sents = split_sentences(text, "de")
        toks = [(t.start, t.end) for t in tokenize(text, "de")]
        # sentence index of each token (by its start), token index by start and by end
        sent_of: list[int] = []
        j = 0
        for s, _ in toks:
            while j + 1 < len(sents) and s >= sents[j][1]:
                j += 1
            sent_of.append(j)
        by_start = {s: i for i, (s, _) in enumerate(toks)}
        by_end = {e: i for i, (_, e) in enumerate(toks)}
        tags = ["O"] * len(toks)
        bad: set[int] = set()
        for s, e, label, _ in sorted(spans):
            if e > len(text):
                c["dropped_spans"]["outside_text"] += 1
                continue
            first, last = by_start.get(s), by_end.get(e)
            if first is None or last is None or last < first:
                c["dropped_spans"]["boundary"] += 1
                bad.update(_sentences_touching(sents, s, e))
                continue
            if sent_of[first] != sent_of[last]:
                c["dropped_spans"]["crosses_sentence"] += 1
                bad.update(range(sent_of[first], sent_of[last] + 1))
                continue
            if any(t != "O" for t in tags[first : last + 1]):
                c["dropped_spans"]["overlap"] += 1
                bad.add(sent_of[first])
                continue
            lab = fold_label(label) if fold_derived else label
            for i in range(first, last + 1):
                tags[i] = ("B-" if i == first else "I-") + lab
        groups: dict[int, list[int]] = {}
        for i, k in enumerate(sent_of):
            groups.setdefault(k, []).append(i)
        for k, idx in sorted(groups.items()):
            if k in bad:
                c["dropped_sentences"] += 1
                continue
            out.append(([text[toks[i][0] : toks[i][1]] for i in idx], [tags[i] for i in idx]))
            c["sentences"] += 1
            c["entities"] += sum(tags[i].startswith("B-") for i in idx)
    if counts is not None:
        counts.update(c)
    return out


def _sentences_touching(sents: list[tuple[int, int]], s: int, e: int) -> list[int]:
    """Indexes of the sentences that overlap ``[s, e)`` (the one holding ``s`` when none does)."""
    hit = [k for k, (a, b) in enumerate(sents) if a < e and s < b]
    if hit:
        return hit
    return [k for k, (a, _) in enumerate(sents) if a <= s][-1:]
