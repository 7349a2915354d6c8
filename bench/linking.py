"""Entity-linking precision and recall against a hand-checked gold file (issue 3).

    python bench/linking.py [DIR_OR_FILE …] [--gold FILE] [--no-ner] [--draft OUT]
    python bench/linking.py --common-words [CSV] [--raw-aliases]

Runs the pipeline (clean … entities, entity_merge) over the inputs (default
../shared/seeds and examples/) and compares every article's KB-linked mentions
with ``tests/extract/entities/gold_linking.toml``: per article (by file name;
``name#N`` for the N-th record of a container) the expected ``[text, start,
entity id]`` of every mention of a KB entity, judged by reading the text
(``"id1|id2"`` where both readings are right: a capital that may be the
place or its government).  A mention is correct when its span and id match.  Articles without a
gold entry are skipped (and listed).  Prints precision and recall overall
and per entity type (the type of the KB entity; an error of the system
counts under the type it predicted, a miss under the gold type), the list of
errors, and ONE JSON object on the last line.  ``--draft OUT`` writes the
system's linked mentions in the gold format, as a starting point for a new
gold entry that a person then checks.

``--common-words [CSV]`` (default ../shared/data/10kgnad/test.csv) checks the
KB's alias hygiene instead: it counts the LOC/GPE mentions (not adjectives)
that open a sentence and are a common lower-case German word (simplemma's
word list knows the lower-cased word: "Klar", "Dabei"), lists the most
frequent ones, and with ``--raw-aliases`` does the same with the alias hygiene
switched off (the state before it), for a before/after comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "extract" / "entities" / "gold_linking.toml"
STAGES = ["clean", "identify", "boilerplate", "dedup", "nlp", "time", "entities", "entity_merge"]


def article_key(source: str) -> str:
    """The gold key of an article: its file name, plus ``#N`` inside a container."""
    path, _, rec = source.partition("#")
    return Path(path).name + (f"#{rec}" if rec else "")


Gold = dict[str, dict[tuple[str, int], tuple[str, ...]]]


def read_gold(path: Path = GOLD) -> Gold:
    """``{article key: {(text, start): (acceptable entity ids …)}}`` from the gold file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out: Gold = {}
    for a in data.get("article", []):
        out[a["file"]] = {(t, int(s)): tuple(i.split("|")) for t, s, i in a.get("mentions", [])}
    return out


def run(inputs: list[str], ner: bool = True) -> list[Any]:
    """The articles of ``inputs`` through the pipeline up to the entities."""
    from lagebild.api import extract
    from lagebild.config import load_config

    cfg = load_config(None, ['executor.kind="inline"', f"pipeline.stages={json.dumps(STAGES)}",
                             f"stages.entities.ner={'true' if ner else 'false'}"])
    result = extract(inputs, config=cfg)
    if result.errors:
        print(f"input errors: {result.errors}", file=sys.stderr)
    return result.articles


def linked(article: Any) -> set[tuple[str, int, str]]:
    """The KB-linked mentions of an article as ``(text, start, id)``."""
    return {(m["text"], m["start"], e["id"]) for e in article.entities if e["kb"] for m in e["mentions"]}


def keys_of(article: Any) -> list[str]:
    """Every gold key the article may have (one per provenance: duplicates share the article)."""
    return [article_key(p.source) for p in article.source]


def score(articles: list[Any], gold: Gold, kb: Any) -> dict[str, Any]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    errors: list[str] = []
    judged, skipped = [], []
    for a in articles:
        key = next((k for k in keys_of(a) if k in gold), None)
        if key is None:
            skipped.append(keys_of(a)[0])
            continue
        judged.append(key)
        want, got = gold[key], linked(a)

        def typ(eid: str) -> str:
            ent = kb.get(eid)
            return ent.type if ent is not None else "MISC"

        right: set[tuple[str, int]] = set()
        for t, s, i in sorted(got, key=lambda x: x[1]):
            if i in want.get((t, s), ()):
                tp[typ(i)] += 1
                right.add((t, s))
            else:
                fp[typ(i)] += 1
                errors.append(f"{key}: wrong   {t!r}@{s} -> {i}" + (f" (gold {'|'.join(want[(t, s)])})" if (t, s) in want else ""))
        for (t, s), ids in sorted(want.items(), key=lambda x: x[0][1]):
            if (t, s) not in right:
                fn[typ(ids[0])] += 1
                errors.append(f"{key}: missed  {t!r}@{s} -> {'|'.join(ids)}")

    def pr(t: int, f: int, n: int) -> tuple[float, float]:
        return (t / (t + f) if t + f else 1.0, t / (t + n) if t + n else 1.0)

    types = sorted(set(tp) | set(fp) | set(fn))
    per_type = {ty: dict(zip(("precision", "recall"), pr(tp[ty], fp[ty], fn[ty])), tp=tp[ty], fp=fp[ty], fn=fn[ty]) for ty in types}
    p, r = pr(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {"precision": p, "recall": r, "tp": sum(tp.values()), "fp": sum(fp.values()), "fn": sum(fn.values()),
            "per_type": per_type, "errors": errors, "articles": judged, "skipped": skipped}


def draft(articles: list[Any], out: Path) -> None:
    lines = ["# Draft: the system's KB-linked mentions. Check every line by reading the text before using it as gold.\n"]
    for a in articles:
        lines.append(f'\n[[article]]\nfile = "{keys_of(a)[0]}"\nmentions = [\n')
        for t, s, i in sorted(linked(a), key=lambda x: x[1]):
            ctx = a.text[max(0, s - 30) : s + len(t) + 30].replace("\n", " ")
            lines.append(f"  [{json.dumps(t, ensure_ascii=False)}, {s}, \"{i}\"],  # …{ctx}…\n")
        lines.append("]\n")
    out.write_text("".join(lines), encoding="utf-8")


def common_words(csv_path: Path, raw: bool = False, ner: bool = True) -> dict[str, Any]:
    """LOC/GPE mentions at sentence starts that are common lower-case German words (see the module doc)."""
    import csv

    from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

    import lagebild.kb._base as kb_base
    from lagebild.extract.entities import entities_of_text
    from lagebild.kb import load_kb
    from lagebild.nlp import split_sentences

    if raw:
        kb_base.clean_aliases = lambda drafts: {}  # type: ignore[assignment]  # the KB before alias hygiene
        kb_base.generic_places = lambda drafts: frozenset()  # type: ignore[assignment]
    kb = load_kb(cache=not raw)
    words = DEFAULT_DICTIONARY_FACTORY.get_dictionary("de")
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";", quotechar="'"))
    hits: Counter[tuple[str, str]] = Counter()
    total = linked_hits = 0
    t = time.perf_counter()
    for row in rows:
        text = row[1]
        sents = [list(s) for s in split_sentences(text, "de")]
        starts = {s[0] for s in sents if s}
        for e in entities_of_text(text, "de", None, sents, kb=kb, ner=ner):
            if e["type"] not in ("LOC", "GPE"):
                continue
            for m in e["mentions"]:
                total += 1
                w = m["text"]
                if m["form"] != "adjective" and m["start"] in starts and w.lower() != w and w.lower() in words:
                    hits[(w, e["id"])] += 1
                    linked_hits += e["kb"]
    return {"articles": len(rows), "loc_gpe_mentions": total, "common_word_at_sentence_start": sum(hits.values()),
            "kb_linked": linked_hits, "top": hits.most_common(25), "seconds": round(time.perf_counter() - t, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="*", help="files or folders (default: ../shared/seeds and examples/)")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--no-ner", action="store_true", help="KB + rules only (stages.entities.ner = false)")
    ap.add_argument("--draft", type=Path, help="write the system's linked mentions in the gold format here")
    ap.add_argument("--common-words", nargs="?", const=str(REPO.parent / "shared" / "data" / "10kgnad" / "test.csv"),
                    metavar="CSV", help="count common words taken as places in a 10kGNAD-format CSV instead")
    ap.add_argument("--raw-aliases", action="store_true", help="with --common-words: switch the alias hygiene off (before)")
    args = ap.parse_args(argv)
    if args.common_words:
        res = common_words(Path(args.common_words), raw=args.raw_aliases, ner=not args.no_ner)
        print(f"{res['articles']} articles, {res['loc_gpe_mentions']} LOC/GPE mentions; at a sentence start and a common "
              f"lower-case word: {res['common_word_at_sentence_start']} (KB-linked {res['kb_linked']}); "
              f"alias hygiene {'OFF' if args.raw_aliases else 'on'}; {res['seconds']}s (busy shared machine)")
        for (w, eid), n in res["top"]:
            print(f"  {n:4d}  {w:20} {eid}")
        print(json.dumps({k: v for k, v in res.items() if k != "top"} | {"alias_hygiene": not args.raw_aliases}))
        return 0
    inputs = args.inputs or [str(REPO.parent / "shared" / "seeds"), str(REPO / "examples")]
    inputs = [i for i in inputs if Path(i).exists()] or sys.exit(f"no inputs found among {inputs}")
    from lagebild.kb import load_kb

    t = time.perf_counter()
    articles = run(inputs, ner=not args.no_ner)
    took = time.perf_counter() - t
    if args.draft:
        draft(articles, args.draft)
        print(f"draft written to {args.draft}")
    res = score(articles, read_gold(args.gold), load_kb())
    print(f"inputs: {', '.join(inputs)}")
    print(f"articles judged: {len(res['articles'])}; without a gold entry (skipped): {res['skipped']}")
    print(f"KB-linked mentions: precision {res['precision']:.3f}  recall {res['recall']:.3f}  "
          f"(tp {res['tp']}, wrong {res['fp']}, missed {res['fn']})")
    for ty, v in res["per_type"].items():
        print(f"  {ty:5} precision {v['precision']:.3f}  recall {v['recall']:.3f}  (tp {v['tp']}, wrong {v['fp']}, missed {v['fn']})")
    print("errors:" if res["errors"] else "errors: none")
    for e in res["errors"]:
        print("  " + e)
    print(f"pipeline time {took:.1f}s for {len(articles)} articles (busy shared machine)")
    summary = {k: res[k] for k in ("precision", "recall", "tp", "fp", "fn")}
    summary["per_type"] = {ty: {"precision": round(v["precision"], 4), "recall": round(v["recall"], 4)} for ty, v in res["per_type"].items()}
    summary.update(articles=len(res["articles"]), skipped=len(res["skipped"]), seconds=round(took, 2))
    summary["precision"], summary["recall"] = round(summary["precision"], 4), round(summary["recall"], 4)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
