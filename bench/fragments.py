"""Split entities within an article: one referent that the entities stage gave two ids (issue 3).

    python bench/fragments.py [CSV] [--wikinews DIR] [--limit N] [--no-ner] [--show N]

Runs the ``entities`` stage (with the model unless ``--no-ner``) over 10kGNAD test (default
../shared/data/10kgnad/test.csv, the text column) and the Wikinews texts (default
../shared/data/wikinews_text; ``--wikinews ''`` leaves them out), each article alone, and counts
the local entities of an article whose mention texts are another entity's of the same article
written differently (the kinds that usually name one referent twice):

* ``genitive``: a mention text "X-s" where another entity of the article has a mention "X"
  (*Prölls* beside *Erwin Pröll*'s short form *Pröll*, *Rapids* beside *Rapid*);
* ``surname``: a one-word local person whose word is the last word of another person's multi-word
  mention (*Juncker* beside *Jean-Claude Juncker*);
* ``genitive_surname``: the same with the genitive (*Mahrers* beside *Harald Mahrer*).

An entity counts once, under its first kind.  Two people who share a surname (*Andy* and *Jamie
Murray*) also count, and rightly stay apart, so the figure is an upper bound on the real splits.
No gold: the figure tracks a known failure, and a change that lowers it must still be read.
``--show N`` lists N examples of each kind.  Prints the counts, then ONE JSON object on the last line.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


def load_texts(csv_path: Path | None, wikinews: Path | None, limit: int | None = None) -> list[tuple[str, str]]:
    """``(id, text)`` of the 10kGNAD rows (``gnad<row>``) and the Wikinews texts (file stem)."""
    out: list[tuple[str, str]] = []
    if csv_path is not None:
        csv.field_size_limit(sys.maxsize)
        with open(csv_path, encoding="utf-8", newline="") as f:
            for i, row in enumerate(csv.reader(f, delimiter=";", quotechar="'")):
                if len(row) >= 2:
                    out.append((f"gnad{i}", row[1]))
    if wikinews is not None:
        out.extend((p.stem, p.read_text(encoding="utf-8")) for p in sorted(wikinews.glob("*.txt")))
    return out[:limit] if limit else out


def split_entities(entities: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """``(kind, mention text, entity id, the other entity's id)`` for each local entity of one article
    that names another entity of the article differently (see the module doc)."""
    texts: dict[str, set[str]] = defaultdict(set)  # mention text → ids
    last_words: dict[str, set[str]] = defaultdict(set)  # last word of a multi-word person mention → ids
    for e in entities:
        for m in e["mentions"]:
            texts[m["text"]].add(e["id"])
            words = m["text"].split()
            if e["type"] == "PER" and len(words) > 1:
                last_words[words[-1]].add(e["id"])
    out = []
    for e in entities:
        if e["kb"]:
            continue
        eid, person = e["id"], e["type"] == "PER"
        for t in sorted({m["text"] for m in e["mentions"]}):
            others = texts.get(t[:-1], set()) - {eid} if t.endswith("s") else set()
            if others:
                out.append(("genitive", t, eid, min(others)))
                break
            others = last_words.get(t, set()) - {eid} if person and " " not in t else set()
            if others:
                out.append(("surname", t, eid, min(others)))
                break
            if person and " " not in t and t.endswith("s"):
                others = last_words.get(t[:-1], set()) - {eid}
                if others:
                    out.append(("genitive_surname", t, eid, min(others)))
                    break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", nargs="?", default=str(DATA / "10kgnad" / "test.csv"))
    ap.add_argument("--wikinews", default=str(DATA / "wikinews_text"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--no-ner", action="store_true")
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from lagebild.extract.entities import entities_of_text
    from lagebild.kb import load_kb

    csv_path = Path(args.csv) if args.csv else None
    wikinews = Path(args.wikinews) if args.wikinews else None
    if csv_path is not None and not csv_path.is_file():
        sys.exit(f"Error: {csv_path}: no such file; pass a 10kGNAD CSV (or '' to leave it out)")
    if wikinews is not None and not wikinews.is_dir():
        sys.exit(f"Error: {wikinews}: no such folder; pass --wikinews DIR of .txt files (or '' to leave them out)")
    texts = load_texts(csv_path, wikinews, args.limit)
    if not texts:
        sys.exit(f"Error: no texts in {args.csv!r} or {args.wikinews!r}: pass a 10kGNAD CSV or a folder of .txt files")
    kb = load_kb()
    kinds: Counter[str] = Counter()
    examples: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    articles = entities_total = 0
    t0 = time.process_time()
    for tid, text in texts:
        ents = entities_of_text(text, "de", kb=kb, ner=not args.no_ner)
        entities_total += len(ents)
        found = split_entities(ents)
        articles += bool(found)
        for kind, t, eid, other in found:
            kinds[kind] += 1
            examples[kind].append((tid, t, eid, other))
    secs = time.process_time() - t0
    total = sum(kinds.values())
    print(f"{len(texts)} articles, {entities_total} entities: {total} local entities name another entity of their "
          f"article differently, in {articles} articles ({dict(kinds)})")
    rng = random.Random(0)
    for kind, rows in sorted(examples.items()):
        for row in rng.sample(rows, min(args.show, len(rows))):
            print(f"  {kind}: {row}")
    print(json.dumps({"benchmark": "fragments", "articles": len(texts), "entities": entities_total,
                      "split_entities": total, "articles_with_splits": articles, "kinds": dict(kinds),
                      "ner": not args.no_ner, "cpu_seconds": round(secs, 2)}))


if __name__ == "__main__":
    main()
