"""Benchmark: sentence splitting + tokenisation throughput and UD quality.

    python bench/nlp.py [--gnad PATH/test.csv] [--ud PATH/de_gsd-ud-test.conllu] [--repeat N]

Defaults read ../shared/data/10kgnad/test.csv and
../shared/data/ud_german_gsd/de_gsd-ud-test.conllu.  Throughput is measured on
one core over the 10kGNAD article texts (best of ``--repeat`` passes) for
lagebild's ``split_sentences`` + ``tokenize``, and, when spaCy is importable,
for spaCy's blank German tokenizer (``spacy.blank("de").tokenizer``, no model)
in the same run as the floor; the target is to stay within 2x of that floor.
Quality: sentence and token span F1 on the UD file (sentences joined by
spaces, see ``lagebild.nlp._ud``).  Prints a human summary, then one JSON
object on the last line.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from lagebild.nlp import split_sentences, tokenize  # noqa: E402
from lagebild.nlp._ud import score  # noqa: E402

SHARED = REPO.parent / "shared"


def read_gnad(path: Path) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as f:
        return [row[1] for row in csv.reader(f, delimiter=";", quotechar="'") if len(row) >= 2]


def rate(fn: Callable[[str], object], texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best


def ours(text: str) -> object:
    sents = split_sentences(text, "de")
    return sents, tokenize(text, "de")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gnad", type=Path, default=SHARED / "data/10kgnad/test.csv")
    ap.add_argument("--ud", type=Path, default=SHARED / "data/ud_german_gsd/de_gsd-ud-test.conllu")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    result: dict[str, object] = {}

    if args.gnad.is_file():
        texts = read_gnad(args.gnad)
        ours(texts[0])  # load the word lists
        result["articles"] = len(texts)
        result["tokens"] = sum(len(tokenize(t, "de")) for t in texts)
        result["sentences"] = sum(len(split_sentences(t, "de")) for t in texts)
        result["lagebild_articles_per_s"] = round(rate(ours, texts, args.repeat), 1)
        result["lagebild_tokenize_only_per_s"] = round(rate(lambda t: tokenize(t, "de"), texts, args.repeat), 1)
        try:
            import spacy
        except ImportError:
            result["spacy_blank_de_per_s"] = None
            print("spaCy is not importable: no floor measured in this run")
        else:
            tok = spacy.blank("de").tokenizer
            result["spacy_blank_de_per_s"] = round(rate(tok, texts, args.repeat), 1)
            result["ratio_vs_spacy"] = round(
                result["lagebild_articles_per_s"] / result["spacy_blank_de_per_s"], 2  # type: ignore[operator]
            )
        print(f"10kGNAD: {len(texts)} articles, {result['tokens']} tokens, {result['sentences']} sentences")
        print(f"  lagebild sentences+tokens: {result['lagebild_articles_per_s']} articles/s (one core)")
        print(f"  spaCy blank German tokenizer: {result['spacy_blank_de_per_s']} articles/s")
    else:
        print(f"no 10kGNAD file at {args.gnad}: throughput not measured")

    if args.ud.is_file():
        s = score(args.ud, "de")
        result["ud_file"] = args.ud.name
        result["ud_sentence_f1"] = round(s["sentences"]["f1"], 4)
        result["ud_sentence_precision"] = round(s["sentences"]["precision"], 4)
        result["ud_sentence_recall"] = round(s["sentences"]["recall"], 4)
        result["ud_token_f1"] = round(s["tokens"]["f1"], 4)
        result["ud_token_precision"] = round(s["tokens"]["precision"], 4)
        result["ud_token_recall"] = round(s["tokens"]["recall"], 4)
        print(f"UD {args.ud.name}: sentence F1 {result['ud_sentence_f1']}, token F1 {result['ud_token_f1']}")
    else:
        print(f"no UD file at {args.ud}: quality not measured")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
