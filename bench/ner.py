"""Benchmark: named entities on GermEval 2014 (outer level), exact span and type.

    python bench/ner.py [FILE] [--cv 5] [--fold-models DIR] [--spaced] [--no-wikinews] [--no-gnad] [--no-clusters] [--no-pieces]
    # FILE: a GermEval-format TSV (default ../shared/data/germeval2014/NER-de-dev.tsv)

Runs lagebild's entity finder (knowledge base + rules, without the trained
model) on each sentence, rebuilt from its tokens as printed — no space before
".", ",", ")" and the like, none after "(" ("St. Pauli", "v. Chr."; GermEval
splits "St." into "St" "."); ``--spaced`` puts a space between all tokens, as
the figures before the nineteenth session were measured, which makes every
abbreviation's period a sentence end for lagebild's splitter — and scores the
mentions against the gold outer-level spans.  Two views:

* ``four_classes``: PER, ORG, LOC, OTH with GermEval's ``deriv`` and ``part``
  variants folded into their class (``russische`` = LOC);
* ``strict``: the twelve outer labels, ``deriv``/``part`` kept apart.

Our types map to GermEval's: PER→PER, ORG→ORG, GPE/LOC→LOC, MISC→OTH; a
mention of form ``adjective`` is a ``deriv``, ``compound`` a ``part``.
Anchors: GELECTRA-large 89.1 F1 on GermEval 2014 test (GPU transformer);
spaCy de_core_news_lg 84.9 on WikiNER.

``--cv K`` (default 5; 0 turns it off): K-fold cross-validation of the CRF
model (:mod:`lagebild.nlp.ner`) on FILE — folds contiguous in sentence order,
train on K-1 folds plus the team's annotated sentences (``nlp/ner/annotations``;
``--no-annotations`` leaves them out) and the stand-off Wikinews annotations
(``annotations/wikinews/*.tsv`` over ../shared/data/wikinews_text; ``--no-wikinews``
leaves them out) and of 10kGNAD articles (``annotations/gnad/*.tsv``; ``--no-gnad``)
— extra sentences never enter a test fold — with the word-cluster
features when ``data/clusters_de.txt`` exists (``--no-clusters``) and the subword-piece cluster features
when ``data/pieces_use.txt`` does (``--no-pieces``), test on
the held-out fold — scored four-class for the CRF
alone and for KB + rules + CRF (the entities stage with ``ner = true``), per
fold and mean.  The packaged model is trained on all of GermEval dev, so
scoring it on dev would measure memorisation: only these CV figures are valid
for it.  ``--fold-models DIR`` keeps the fold models in DIR and scores the ones
already there instead of training them again: a change of the rules or the KB
alone is then scored in minutes (fold models trained before a change of the
features, the training data or the clusters must be deleted first).  Prints a
summary, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from lagebild.extract.entities import entities_of_text  # noqa: E402
from lagebild.kb import load_kb  # noqa: E402
from lagebild.nlp.ner.train import (  # noqa: E402
    add_training_data_arguments, fold_label, read_germeval, spans_of_tags, training_extra,
)

TYPE_MAP = {"PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "MISC": "OTH"}
FORM_SUFFIX = {"adjective": "deriv", "compound": "part"}


#: Tokens written without a space before them when a sentence is rebuilt (GermEval splits "St." and
#: "Chr." into "St" "." and puts a space before every comma), and the ones without a space after.
_NO_SPACE_BEFORE = frozenset({".", ",", ";", ":", "!", "?", ")", "]"})
_NO_SPACE_AFTER = frozenset({"(", "["})


def rebuild(tokens: list[str], spaced: bool = False) -> tuple[str, list[int], list[int]]:
    """A sentence's text from its GermEval tokens, and each token's start and end offset in it: as printed
    ("St. Pauli", "(AP)"), or with ``spaced`` every token apart, as before the nineteenth session ("St . Pauli")."""
    text, starts, ends = "", [], []
    for k, tok in enumerate(tokens):
        if k and (spaced or (tok not in _NO_SPACE_BEFORE and tokens[k - 1] not in _NO_SPACE_AFTER)):
            text += " "
        starts.append(len(text))
        text += tok
        ends.append(len(text))
    return text, starts, ends


def predicted_spans(tokens: list[str], kb, ner_model=None, spaced: bool = False) -> set[tuple[int, int, str]]:
    text, starts, ends = rebuild(tokens, spaced)
    out = set()
    found = entities_of_text(text, "de", kb=kb, ner=ner_model is not None, ner_model=ner_model)
    for ent in found:
        base = TYPE_MAP.get(ent.get("type"), "OTH")
        for m in ent["mentions"]:
            try:
                first = next(i for i, s in enumerate(starts) if s <= m["start"] < ends[i])
                last = next(i for i, e in enumerate(ends) if starts[i] < m["end"] <= e)
            except StopIteration:
                continue
            out.add((first, last + 1, base + FORM_SUFFIX.get(m.get("form"), "")))
    return out


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(100 * p, 1), "recall": round(100 * r, 1),
            "f1": round(100 * (2 * p * r / (p + r) if p + r else 0.0), 1), "tp": tp, "fp": fp, "fn": fn}


def fold(spans: set[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
    return {(a, b, fold_label(lab)) for a, b, lab in spans}


def cross_validation(sentences, kb, k: int, extra: list | None = None, models: Path | None = None,
                     spaced: bool = False) -> dict:
    """K-fold CV of the CRF alone and of KB + rules + CRF (see the module docstring).

    ``extra``: sentences added to every training part, never to a test fold.  ``models``: a folder
    for the fold models — fold ``i``'s is read from ``fold{i}.crfsuite`` there when present, else
    trained and written there (to score a change of the rules alone without retraining).  ``spaced``:
    how the sentences are rebuilt for the entity finder (:func:`rebuild`).
    """
    from lagebild.nlp.ner import NerModel
    from lagebild.nlp.ner.train import folds, score, tag_sentences, train_model

    data = [(toks, [fold_label(t) for t in tags]) for toks, tags in sentences]
    extra = list(extra or [])
    crf, combined, kb_only = [], [], []
    t0 = time.perf_counter()
    reused = 0
    with tempfile.TemporaryDirectory() as tmp:
        where = models if models is not None else Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        for i, (lo, hi) in enumerate(folds(len(data), k)):
            path = where / f"fold{i}.crfsuite"
            if models is not None and path.is_file():
                reused += 1
            else:
                path = train_model(data[:lo] + data[hi:] + extra, path)
            test = data[lo:hi]
            gold = [spans_of_tags(tags) for _, tags in test]
            pred = tag_sentences(path, [toks for toks, _ in test])
            crf.append(score(gold, [spans_of_tags(p) for p in pred]))
            model = NerModel(path)
            combined.append(score(gold, [fold(predicted_spans(toks, kb, model, spaced)) for toks, _ in test]))
            kb_only.append(score(gold, [fold(predicted_spans(toks, kb, spaced=spaced)) for toks, _ in test]))
            print(f"  fold {i + 1}/{k}: CRF F1 {crf[-1]['f1']}  KB+rules+CRF F1 {combined[-1]['f1']}  "
                  f"(KB+rules alone on this fold {kb_only[-1]['f1']})")

    def mean(rs: list[dict]) -> dict:
        return {m: round(sum(r[m] for r in rs) / len(rs), 1) for m in ("precision", "recall", "f1")}

    return {"k": k, "folds": "contiguous, sentence order; train on k-1 (+ extra training sentences), test on 1",
            "extra_training_sentences": len(extra),
            "crf": {"per_fold": crf, "mean": mean(crf)},
            "kb_rules_crf": {"per_fold": combined, "mean": mean(combined)},
            "kb_rules": {"per_fold": kb_only, "mean": mean(kb_only)},
            "seconds": round(time.perf_counter() - t0, 1),
            "fold_models_reused": reused,
            "note": "the packaged model is trained on all of this file: only these CV figures are valid for it"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", type=Path,
                    default=REPO.parent / "shared" / "data" / "germeval2014" / "NER-de-dev.tsv")
    ap.add_argument("--cv", type=int, default=5, help="folds of CRF cross-validation (0 = off)")
    ap.add_argument("--fold-models", type=Path, default=None, metavar="DIR",
                    help="keep the fold models in DIR and reuse the ones already there (they must come from "
                         "the same training data, features, KB and word and piece clusters: empty DIR after changing any)")
    ap.add_argument("--spaced", action="store_true",
                    help="rebuild each sentence with a space between all its tokens (\"St . Pauli\"), as before the "
                         "nineteenth session, instead of as printed (\"St. Pauli\")")
    add_training_data_arguments(ap)  # the team's sentences, the stand-off annotations, the word and piece clusters
    args = ap.parse_args()
    path = args.file
    if not path.is_file():
        sys.exit(f"bench/ner.py: {path} not found — pass a GermEval-format TSV file")
    sentences = read_germeval(path, fold_derived=False)
    kb = load_kb()
    counts = {"strict": Counter(), "four_classes": Counter()}
    per_class: dict[str, Counter] = {}
    t0 = time.perf_counter()
    for tokens, tags in sentences:
        gold, pred = spans_of_tags(tags), predicted_spans(tokens, kb, spaced=args.spaced)
        for view, (g, p) in {"strict": (gold, pred), "four_classes": (fold(gold), fold(pred))}.items():
            counts[view]["tp"] += len(g & p)
            counts[view]["fp"] += len(p - g)
            counts[view]["fn"] += len(g - p)
        for g_lab in ("PER", "ORG", "LOC", "OTH"):
            g = {s for s in fold(gold) if s[2] == g_lab}
            p = {s for s in fold(pred) if s[2] == g_lab}
            c = per_class.setdefault(g_lab, Counter())
            c["tp"] += len(g & p)
            c["fp"] += len(p - g)
            c["fn"] += len(g - p)
    seconds = time.perf_counter() - t0
    out = {
        "benchmark": "ner",
        "file": str(path),
        "sentences": len(sentences),
        "system": "knowledge base + rules (without the trained model)",
        "rebuild": "spaced" if args.spaced else "detokenized",
        "four_classes": prf(**counts["four_classes"]),
        "strict": prf(**counts["strict"]),
        "per_class": {k: prf(**v) for k, v in per_class.items()},
        "sentences_per_s": round(len(sentences) / seconds, 1),
        "anchors": {"GELECTRA-large, GermEval 2014 test": 89.1, "spaCy de_core_news_lg, WikiNER": 84.9},
        "target_f1": 80,
    }
    f = out["four_classes"]
    print(f"GermEval outer, 4 classes: P {f['precision']} R {f['recall']} F1 {f['f1']} (target 80); "
          f"strict 12 labels F1 {out['strict']['f1']}")
    for k, v in out["per_class"].items():
        print(f"  {k}: P {v['precision']} R {v['recall']} F1 {v['f1']}")
    if args.cv:
        print(f"CRF {args.cv}-fold cross-validation on this file (4 classes, exact span):")
        extra, used = training_extra(args)
        cv = out["cross_validation"] = cross_validation(sentences, kb, args.cv, extra, args.fold_models, args.spaced)
        cv["training_data"] = {"germeval_sentences_per_fold": len(sentences) - len(sentences) // args.cv, **used}
        print(f"  training data per fold: ~{cv['training_data']['germeval_sentences_per_fold']} GermEval + "
              f"{used['team_sentences']} team + {used['wikinews_sentences']} Wikinews + "
              f"{used['gnad_sentences']} 10kGNAD sentences; "
              f"clusters: {cv['training_data']['clusters']}; pieces: {cv['training_data']['pieces']}")
        print(f"  mean: CRF alone F1 {cv['crf']['mean']['f1']}, KB+rules+CRF F1 {cv['kb_rules_crf']['mean']['f1']}, "
              f"KB+rules F1 {cv['kb_rules']['mean']['f1']} (anchors: GELECTRA-large 89.1, spaCy lg 84.9; target 80)")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
