"""Score the tokenizer and sentence splitter against a CoNLL-U treebank.

Used by ``bench/nlp.py`` and the tests.  The sentences of the file are joined
with single spaces into one running text (UD German GSD has no document or
paragraph marks), so sentence splitting is scored without the help of line
breaks.  Tokens are the surface tokens: a multi-word token line (``4-5 im``)
counts once, its syntactic words not at all.  Scores are span F1: a predicted
token or sentence counts only when both its start and end are right.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ._tokenize import split_sentences, tokenize

__all__ = ["Gold", "read_conllu", "f1", "score"]


@dataclass(frozen=True, slots=True)
class Gold:
    text: str
    sentences: list[tuple[int, int]]
    tokens: list[tuple[int, int]]


def read_conllu(path: str | Path) -> Gold:
    """The gold text, sentence spans and token spans of a CoNLL-U file."""
    parts: list[str] = []
    sentences: list[tuple[int, int]] = []
    tokens: list[tuple[int, int]] = []
    pos = 0
    sent_text: str | None = None
    forms: list[str] = []
    skip_to = 0

    def flush() -> None:
        nonlocal pos, sent_text, forms
        if sent_text is None:
            return
        if parts:
            parts.append(" ")
            pos += 1
        base = pos
        parts.append(sent_text)
        pos += len(sent_text)
        sentences.append((base, pos))
        i = 0
        for form in forms:
            j = sent_text.find(form, i)
            if j < 0:
                raise ValueError(f"{path}: token {form!r} not found in sentence text {sent_text!r}")
            tokens.append((base + j, base + j + len(form)))
            i = j + len(form)
        sent_text, forms = None, []

    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                flush()
                skip_to = 0
            elif line.startswith("# text = "):
                sent_text = line[len("# text = ") :]
            elif line.startswith("#"):
                continue
            else:
                cols = line.split("\t")
                tid = cols[0]
                if "." in tid:
                    continue  # empty node
                if "-" in tid:
                    a, b = tid.split("-")
                    skip_to = int(b)
                    forms.append(cols[1])
                elif int(tid) > skip_to:
                    forms.append(cols[1])
    flush()
    return Gold("".join(parts), sentences, tokens)


def f1(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> dict[str, float]:
    """Precision, recall and F1 of predicted spans against gold spans."""
    g, p = set(gold), set(pred)
    tp = len(g & p)
    prec = tp / len(p) if p else 0.0
    rec = tp / len(g) if g else 0.0
    return {"precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if tp else 0.0}


def score(path: str | Path, language: str = "de") -> dict[str, dict[str, float]]:
    """Sentence and token span scores of this module's splitter on ``path``."""
    gold = read_conllu(path)
    sents = split_sentences(gold.text, language)
    toks = [(t.start, t.end) for t in tokenize(gold.text, language)]
    return {"sentences": f1(gold.sentences, sents), "tokens": f1(gold.tokens, toks)}
