"""Long fuzz run (issue 9 §1): the properties of tests/fuzz/ with many more examples.

    python bench/fuzz.py [--examples 100000] [--stage NAME] [--seconds N] [--corpus-share 0.1]

Runs hypothesis over the same strategies and invariants as ``tests/fuzz``
(``tests/fuzz/fuzzprops.py``): generated inputs (arbitrary Unicode, HTML
fragments, JSON, JSON Lines, German sentences with noise) are read by ingest
("stage 0") and run through the strict default pipeline up to ``--stage``
(default: the last per-article stage, ``events``), with every invariant checked
after every stage — so one example counts for each stage it passed through.
A share of the time (``--corpus-share``) goes to small random corpora through
the whole pipeline (the corpus stages).  ``--stage ingest`` fuzzes ingest only,
``--stage corpus`` the corpus stages only.

Stops at ``--examples`` generated inputs or after ``--seconds``, whichever comes
first.  Prints per-stage examples, failures (with hypothesis's minimal failing
input) and examples/s, then ONE JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

import fuzzprops as fp  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

CHUNK = 250  #: examples per hypothesis run (the time limit is checked between runs)


class Tally:
    def __init__(self) -> None:
        self.inputs = 0  # generated inputs (hypothesis examples)
        self.articles: Counter[str] = Counter()  # articles checked after each stage
        self.failures: list[dict[str, Any]] = []


def _chain(tally: Tally, upto: str) -> Any:
    names = [s.name for s in fp.article_pipeline().stages]
    stages = names[: names.index(upto) + 1] if upto in names else []

    @given(doc=fp.documents(), language=fp.languages)
    def prop(doc: tuple[str, bytes, str | None], language: str | None) -> None:
        tally.inputs += 1
        for article in fp.read_doc(*doc):
            tally.articles["ingest"] += 1
            if stages:
                out = fp.run_stages(article, stages[-1], language)
                # run_stages checks after each stage; a documented refusal stops early
                tally.articles.update(stages if out is not None else [])

    return prop


def _corpus(tally: Tally) -> Any:
    @given(articles=fp.corpora(), language=fp.languages)
    def prop(articles: list[Any], language: str | None) -> None:
        tally.inputs += 1
        if fp.run_corpus(articles, language) is not None:
            tally.articles.update({name: len(articles) for name in fp.CORPUS_STAGES})
            tally.articles["corpora"] += 1

    return prop


def _run(prop: Any, n: int) -> None:
    settings(
        max_examples=n,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )(prop)()


def fuzz(make: Any, tally: Tally, examples: int, seconds: float) -> float:
    t0 = time.perf_counter()
    start = tally.inputs
    while tally.inputs - start < examples and time.perf_counter() - t0 < seconds:
        before = tally.inputs
        try:
            _run(make(), min(CHUNK, examples - (tally.inputs - start)))
        except Exception as exc:  # a property failed: hypothesis has shrunk it to a minimal input
            notes = "\n".join(getattr(exc, "__notes__", []))
            tally.failures.append({"error": f"{type(exc).__name__}: {str(exc)[:500]}", "example": notes[:2000]})
            print("FAILURE:", type(exc).__name__, str(exc)[:500], notes[:2000], sep="\n", flush=True)
            traceback.print_exc(limit=3)
        if tally.inputs == before:
            break  # nothing generated (search space exhausted)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=100_000, help="generated inputs (per mode)")
    ap.add_argument("--stage", default="events", help="last stage: one of %s, ingest or corpus"
                    % ", ".join(fp.ARTICLE_STAGES))
    ap.add_argument("--seconds", type=float, default=3600.0, help="stop after this long")
    ap.add_argument("--corpus-share", type=float, default=0.1,
                    help="share of --seconds and --examples for the corpus stages (per-article runs only)")
    args = ap.parse_args(argv)
    if args.stage not in (*fp.ARTICLE_STAGES, "ingest", "corpus"):
        ap.error(f"--stage must be one of {', '.join(fp.ARTICLE_STAGES)}, ingest or corpus")

    t_setup = time.perf_counter()
    fp.article_pipeline(), fp.full_pipeline(), fp.fragments()
    # load models and the KB once, outside the timed loop
    for a in fp.read_doc("text", "Berlin sagte am Montag, 5 Menschen.".encode(), "text"):
        fp.run_stages(a, fp.ARTICLE_STAGES[-1], "de")
    setup = time.perf_counter() - t_setup

    chain, corpus = Tally(), Tally()
    share = args.corpus_share if args.stage not in ("ingest", "corpus") else (1.0 if args.stage == "corpus" else 0.0)
    chain_s = corpus_s = 0.0
    if share < 1.0:
        chain_s = fuzz(lambda: _chain(chain, args.stage), chain, int(args.examples * (1 - share)),
                       args.seconds * (1 - share))
    if share > 0.0:
        corpus_s = fuzz(lambda: _corpus(corpus), corpus, max(1, int(args.examples * share)),
                        args.seconds * share)

    stages = {"ingest": chain.articles["ingest"]} | {
        s: chain.articles[s] for s in fp.ARTICLE_STAGES if chain.articles[s]
    }
    print(f"setup (pipeline, models, KB): {setup:.1f} s")
    print(f"per-article chain up to {args.stage}: {chain.inputs} generated inputs in {chain_s:.0f} s "
          f"({chain.inputs / chain_s if chain_s else 0:.1f} inputs/s), {len(chain.failures)} failures")
    for name, n in stages.items():
        print(f"  {name:<11} {n:>8} articles checked after the stage")
    if corpus.inputs:
        print(f"corpus stages: {corpus.inputs} random corpora ({corpus.articles['boilerplate']} articles) in "
              f"{corpus_s:.0f} s ({corpus.inputs / corpus_s if corpus_s else 0:.1f} corpora/s), "
              f"{len(corpus.failures)} failures")
    result = {
        "bench": "fuzz",
        "stage": args.stage,
        "inputs": chain.inputs,
        "seconds": round(chain_s, 1),
        "inputs_per_s": round(chain.inputs / chain_s, 2) if chain_s else None,
        "articles_per_stage": stages,
        "failures": len(chain.failures) + len(corpus.failures),
        "failure_examples": [f["error"][:200] for f in chain.failures + corpus.failures],
        "corpora": corpus.inputs,
        "corpus_articles": corpus.articles["boilerplate"],
        "corpus_seconds": round(corpus_s, 1),
    }
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
