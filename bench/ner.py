"""Benchmark: named entities on GermEval 2014 (outer level), exact span and type.

    python bench/ner.py [FILE]     # a GermEval-format TSV (default ../shared/data/germeval2014/NER-de-dev.tsv)

Runs lagebild's entity finder (knowledge base + rules; no trained model yet) on
each sentence, rebuilt from its tokens, and scores the mentions against the
gold outer-level spans.  Two views:

* ``four_classes``: PER, ORG, LOC, OTH with GermEval's ``deriv`` and ``part``
  variants folded into their class (``russische`` = LOC);
* ``strict``: the twelve outer labels, ``deriv``/``part`` kept apart.

Our types map to GermEval's: PER→PER, ORG→ORG, GPE/LOC→LOC, MISC→OTH; a
mention of form ``adjective`` is a ``deriv``, ``compound`` a ``part``.
Anchors: GELECTRA-large 89.1 F1 on GermEval 2014 test (GPU transformer);
spaCy de_core_news_lg 84.9 on WikiNER.  Prints a summary, then one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from lagebild.extract.entities import entities_of_text  # noqa: E402
from lagebild.kb import load_kb  # noqa: E402

TYPE_MAP = {"PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "MISC": "OTH"}
FORM_SUFFIX = {"adjective": "deriv", "compound": "part"}


def read_germeval(path: Path) -> list[tuple[list[str], list[str]]]:
    sentences, tokens, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if tokens:
                sentences.append((tokens, tags))
            tokens, tags = [], []
            continue
        cols = line.split("\t")
        tokens.append(cols[1])
        tags.append(cols[2])
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def gold_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    spans, start, label = set(), None, None
    for i, tag in enumerate(tags + ["O"]):
        if tag.startswith("I-") and label == tag[2:]:
            continue
        if start is not None:
            spans.add((start, i, label))
            start, label = None, None
        if tag.startswith(("B-", "I-")):
            start, label = i, tag[2:]
    return spans


def predicted_spans(tokens: list[str], kb) -> set[tuple[int, int, str]]:
    text, starts, ends, pos = "", [], [], 0
    for tok in tokens:
        starts.append(pos)
        text += tok + " "
        pos += len(tok)
        ends.append(pos)
        pos += 1
    out = set()
    for ent in entities_of_text(text.rstrip(), "de", kb=kb):
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
    return {(a, b, lab.replace("deriv", "").replace("part", "")) for a, b, lab in spans}


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data" / "germeval2014" / "NER-de-dev.tsv"
    if not path.is_file():
        sys.exit(f"bench/ner.py: {path} not found — pass a GermEval-format TSV file")
    sentences = read_germeval(path)
    kb = load_kb()
    counts = {"strict": Counter(), "four_classes": Counter()}
    per_class: dict[str, Counter] = {}
    t0 = time.perf_counter()
    for tokens, tags in sentences:
        gold, pred = gold_spans(tags), predicted_spans(tokens, kb)
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
        "system": "knowledge base + rules (no trained model)",
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
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
