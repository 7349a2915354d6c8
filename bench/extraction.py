"""Benchmark: main-text quality on real HTML pages, before and after lagebild's cleaning.

    python bench/extraction.py [DIR]      # DIR has annotations.json + html/ (default ../shared/data/trafilatura_de)

Scoring follows the protocol of trafilatura's evaluation data: per page, each
``with`` segment found in the extracted text (whitespace-normalised substring)
is a true positive, each missing one a false negative; each ``without`` segment
found is a false positive, each absent one a true negative; counts are pooled
over pages.  Two columns: ``ingest`` (trafilatura's extraction as lagebild runs
it) and ``ingest+clean`` (after the line-by-line furniture stage), so the
cleaning's gain in precision and any loss in recall are visible.
Prints a summary, then one JSON object on the last line.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from lagebild.config import load_config  # noqa: E402
from lagebild.errors import InputError  # noqa: E402
from lagebild.ingest import SourceSpec, read_source  # noqa: E402
from lagebild.pipeline import Pipeline  # noqa: E402

_WS = re.compile(r"\s+")


def norm(s: str) -> str:
    return _WS.sub(" ", s).strip()


def score(counts: dict[str, int]) -> dict[str, float]:
    tp, fn, fp, tn = counts["tp"], counts["fn"], counts["fp"], counts["tn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    acc = (tp + tn) / max(1, tp + tn + fp + fn)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "accuracy": round(acc, 3), **counts}


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data" / "trafilatura_de"
    ann_path = data / "annotations.json"
    if not ann_path.is_file():
        sys.exit(f"bench/extraction.py: {ann_path} not found — pass a folder with annotations.json and html/")
    annotations = json.loads(ann_path.read_text(encoding="utf-8"))
    cfg = load_config()
    pipeline = Pipeline.from_config(load_config(None, ['pipeline.stages=["clean"]']))
    cols = {k: {"tp": 0, "fn": 0, "fp": 0, "tn": 0} for k in ("ingest", "ingest+clean")}
    failed = 0
    t0 = time.perf_counter()
    for entry in annotations.values():
        path = data / "html" / entry["file"]
        texts = {"ingest": "", "ingest+clean": ""}
        arts = [a for a in read_source(SourceSpec(name=str(path), path=str(path), hint="html"), cfg["ingest"])
                if not isinstance(a, InputError)]
        if arts:
            texts["ingest"] = norm(arts[0].raw_text)
            texts["ingest+clean"] = norm(pipeline.run_article(arts[0]).text)
        else:
            failed += 1
        for col, text in texts.items():
            for seg in entry.get("with", []):
                cols[col]["tp" if norm(seg) in text else "fn"] += 1
            for seg in entry.get("without", []):
                cols[col]["fp" if norm(seg) in text else "tn"] += 1
    seconds = time.perf_counter() - t0
    out = {
        "benchmark": "extraction",
        "pages": len(annotations),
        "pages_without_text": failed,
        "seconds": round(seconds, 2),
        **{col: score(c) for col, c in cols.items()},
    }
    for col in cols:
        s = out[col]
        print(f"{col:>13}: precision {s['precision']}, recall {s['recall']}, F1 {s['f1']}, accuracy {s['accuracy']}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
