"""Benchmark of the ``time`` stage (issue 4).

    python bench/time.py [--wikiwarsde DIR] [--wikinews DIR] [--gnad CSV]

(a) WikiWarsDE (default ../shared/data/wikiwarsde): strict and relaxed extent
    P/R/F1 and value accuracy of :func:`find_times` against the TIMEX2 gold,
    beside HeidelTime's published German figures (strict F1 87.7, value
    accuracy 88.5).  Targets: strict F1 ≥ 88, value accuracy ≥ 89.
(b) Wikinews (default ../shared/data/wikinews_text): publication-date
    inference with the dates withheld — :func:`bench_pubdate` calls
    ``lagebild.extract.time.pubdate.benchmark`` (part 2) when it exists:
    containment, median width over all articles (open = infinite) and over
    the closed ones, why intervals stay open (``open_why``), best-guess error,
    and the same after the ``pubdate_corpus`` stage over all 699 as one corpus.
    These top-level figures are the ``time`` stage's inference alone; ``roles``
    holds the same figures after ``nlp``, ``time``, ``entities`` and
    ``pubdate_roles`` (bounds from terms of office), with how many articles got
    a ``role-term`` bound and the role stage's CPU seconds, and ``roles.corpus``
    the figures after ``pubdate_corpus`` on top of that.
(c) Speed: articles/s of the whole ``time`` stage (tagger + publication-date
    inference) on 10kGNAD (default ../shared/data/10kgnad/test.csv), one core.
    Target ≥ 500 articles/s.

Prints a human summary, then ONE JSON object on the last line.

Evaluation conventions (WikiWarsDE):

* Gold: ``key/*.apf.xml`` TIMEX2 mentions; ``charseq`` START/END are UTF-8
  *byte* offsets into the document with all SGML tags removed, END inclusive
  (checked: every mention's bytes equal its text).  Where an APF element
  carries two ``VAL`` attributes, the first is the anchor value (``anchor_val``
  in ``keyinline/``) and the last the expression's value, which is used.  The document creation time
  (DATETIME) is the anchor, not an expression to find: mentions outside TEXT
  are left out.  The tagger runs with ``genre="narrative"`` (history writing:
  relative expressions refer to the last mentioned date, as in HeidelTime's
  "narratives" type).
* Our ranges are one expression with two ``parts``; TIMEX2 annotates each
  endpoint, so ranges are scored as their parts.
* Event-anchored expressions ("zwei Wochen nach der Kapitulation") whose
  event is not dated in the text have no value; TIMEX2 annotates them with
  their offset (``P2W``), so that is what they are compared by.  Those
  without a numeric offset ("kurz nach dem Gipfel") hold no temporal trigger
  word, which TIMEX2 requires: they are left out (4 such in WikiWarsDE).
* Values: TIMEX2 decades ``195`` = our ``195X``; centuries ``19`` are equal
  as they are; ``BC0490`` is equal; everything else is compared as a string.
  Value accuracy = share of relaxed (overlap) matches whose values are equal.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named time.py: keep its folder off sys.path so that the
# standard library's ``time`` module is the one imported below.
_HERE = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != _HERE]

import argparse  # noqa: E402
import csv  # noqa: E402
import importlib  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from lagebild.extract.time import find_times  # noqa: E402

SHARED = REPO.parent / "shared"
HEIDELTIME_DE = {"strict_f1": 87.7, "value_accuracy": 88.5}
TARGETS = {"strict_f1": 88.0, "value_accuracy": 89.0, "articles_per_s": 500}

_TAG = re.compile(r"<[^>]+>")
_MENTION = re.compile(
    r'<timex2\b[^>]*?VAL="(?P<val>[^"]*)"[^>]*>\s*<timex2_mention[^>]*>\s*<extent>\s*'
    r'<charseq START="(?P<s>\d+)" END="(?P<e>\d+)">(?P<text>.*?)</charseq>',
    re.S,
)
_MENTION_NOVAL = re.compile(
    r'<timex2\b(?P<attrs>[^>]*)>\s*<timex2_mention[^>]*>\s*<extent>\s*<charseq START="(?P<s>\d+)" END="(?P<e>\d+)">',
    re.S,
)


# -- (a) WikiWarsDE ------------------------------------------------------------------------------


def load_wikiwarsde(folder: Path) -> list[dict[str, Any]]:
    """Documents: ``{name, text, base, anchor, gold: [(bstart, bend, text, val)]}`` (byte offsets)."""
    docs = []
    for sgm in sorted((folder / "in").glob("*.sgm")):
        raw = sgm.read_text(encoding="utf-8")
        head, _, rest = raw.partition("<TEXT>")
        body = rest.partition("</TEXT>")[0]
        base = len(_TAG.sub("", head + "<TEXT>").encode("utf-8"))
        m = re.search(r"<DATETIME>\s*(\S+)\s*</DATETIME>", raw)
        anchor = m.group(1)[:10] if m else None
        key = (folder / "key" / sgm.name.replace(".sgm", ".key.apf.xml")).read_text(encoding="utf-8")
        gold = []
        for g in _MENTION_NOVAL.finditer(key):
            vals = re.findall(r'(?<![\w-])VAL="([^"]*)"', g["attrs"])
            s, e = int(g["s"]), int(g["e"]) + 1
            if s < base or s >= base + len(body.encode("utf-8")):
                continue  # the document creation time in the header
            gold.append((s, e, vals[-1] if vals else ""))
        docs.append({"name": sgm.stem, "text": body, "base": base, "anchor": anchor, "gold": gold})
    return docs


def _byte_spans(text: str, base: int, items: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    out = []
    for it in items:
        if it.get("anchor") == "event" and not it.get("offset"):
            continue  # "kurz nach dem Gipfel": no temporal trigger word, so no TIMEX2 expression
        for p in it.get("parts") or [it]:
            s = base + len(text[: p["start"]].encode("utf-8"))
            e = s + len(text[p["start"]: p["end"]].encode("utf-8"))
            value = p.get("value") or ""
            if not value and it.get("anchor") == "event" and it.get("offset"):
                value = it["offset"]  # TIMEX2 gives an undated "zwei Wochen nach der Kapitulation" its offset
            out.append((s, e, value))
    return out


def timex2_value(value: str) -> str:
    """Our value in TIMEX2 spelling (decades without the trailing X)."""
    if re.fullmatch(r"(?:BC)?\d{3}X", value):
        return value[:-1]
    return value


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate_wikiwarsde(folder: Path, *, details: bool = False) -> dict[str, Any]:
    docs = load_wikiwarsde(folder)
    n_pred = n_gold = strict_tp = relaxed_tp = value_ok = 0
    errors: list[dict[str, Any]] = []
    for doc in docs:
        items = find_times(doc["text"], "de", anchor=doc["anchor"], genre="narrative")
        pred = _byte_spans(doc["text"], doc["base"], items)
        gold = doc["gold"]
        n_pred += len(pred)
        n_gold += len(gold)
        gold_spans = {(s, e) for s, e, _ in gold}
        strict_tp += sum(1 for s, e, _ in pred if (s, e) in gold_spans)
        used: set[int] = set()
        for s, e, v in pred:
            match = next((i for i, (gs, ge, _) in enumerate(gold) if i not in used and gs < e and s < ge), None)
            if match is None:
                if details:
                    errors.append({"doc": doc["name"], "kind": "fp", "pred": _txt(doc, s, e), "value": v})
                continue
            used.add(match)
            relaxed_tp += 1
            gv = gold[match][2]
            if timex2_value(v) == gv:
                value_ok += 1
            elif details:
                errors.append({"doc": doc["name"], "kind": "value", "pred": _txt(doc, s, e), "value": v,
                               "gold": _txt(doc, gold[match][0], gold[match][1]), "gold_value": gv})
            if details and (s, e) != gold[match][:2]:
                errors.append({"doc": doc["name"], "kind": "extent", "pred": _txt(doc, s, e),
                               "gold": _txt(doc, gold[match][0], gold[match][1])})
        if details:
            for i, (gs, ge, gv) in enumerate(gold):
                if i not in used:
                    errors.append({"doc": doc["name"], "kind": "fn", "gold": _txt(doc, gs, ge), "gold_value": gv})
    sp, sr = strict_tp / max(n_pred, 1), strict_tp / max(n_gold, 1)
    rp, rr = relaxed_tp / max(n_pred, 1), relaxed_tp / max(n_gold, 1)
    out: dict[str, Any] = {
        "documents": len(docs),
        "gold": n_gold,
        "predicted": n_pred,
        "strict": {"precision": _pct(sp), "recall": _pct(sr), "f1": _pct(_f1(sp, sr))},
        "relaxed": {"precision": _pct(rp), "recall": _pct(rr), "f1": _pct(_f1(rp, rr))},
        "value_accuracy": _pct(value_ok / max(relaxed_tp, 1)),
        "heideltime_published": HEIDELTIME_DE,
    }
    if details:
        out["errors"] = errors
    return out


def _txt(doc: dict[str, Any], s: int, e: int) -> str:
    body = doc["text"].encode("utf-8")
    return body[s - doc["base"]: e - doc["base"]].decode("utf-8", "replace")


def _pct(x: float) -> float:
    return round(100 * x, 1)


# -- (b) publication dates (part 2) --------------------------------------------------------------


def bench_pubdate(wikinews_dir: Path) -> dict[str, Any]:
    """Part 2's publication-date benchmark, when ``pubdate.benchmark`` exists.

    ``lagebild.extract.time.pubdate.benchmark(wikinews_dir) -> dict`` is written
    by the publication-date work (issue 4, part 2); until it exists this says so.
    """
    try:
        mod = importlib.import_module("lagebild.extract.time.pubdate")
    except ImportError:
        return {"skipped": "lagebild.extract.time.pubdate is not there yet"}
    fn = getattr(mod, "benchmark", None)
    if not callable(fn):
        return {"skipped": "lagebild.extract.time.pubdate.benchmark is not there yet"}
    if not Path(wikinews_dir).is_dir():
        return {"skipped": f"{wikinews_dir} not found"}
    try:
        from lagebild.extract.time._pubdate_bench import run_benchmark
    except ImportError:
        run_benchmark = None
    if run_benchmark is not None and importlib.util.find_spec("lagebild.extract.time.roles") is not None:
        # the time stage alone, after pubdate_corpus, and after nlp + time + entities + pubdate_roles
        return dict(run_benchmark(Path(wikinews_dir), corpus=True, roles=True))
    try:
        return dict(fn(Path(wikinews_dir), corpus=True))  # also the figures after the pubdate_corpus stage
    except TypeError:
        return dict(fn(Path(wikinews_dir)))


# -- (c) speed -----------------------------------------------------------------------------------


def _gnad_articles(csv_path: Path) -> list[Any]:
    from lagebild.clean.furniture import clean
    from lagebild.model import Article

    csv.field_size_limit(sys.maxsize)
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = [row for row in csv.reader(f, delimiter=";", quotechar="'") if len(row) >= 2]
    out = []
    for i, (label, text) in enumerate(rows):
        art = Article(id=f"gnad{i}", raw_text=f"{label}: Artikel {i}\n\n{text}\n", language="de")
        out.append(clean(art, {}))
    return out


def bench_speed(csv_path: Path, repeat: int = 3) -> dict[str, Any]:
    from lagebild.extract.time.stage import time_stage

    arts = _gnad_articles(csv_path)
    time_stage(arts[0], {})  # compile the patterns outside the timing
    best = float("inf")
    n_times = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        done = [time_stage(a, {}) for a in arts]
        best = min(best, time.perf_counter() - t0)
        n_times = sum(len(a.times) for a in done)
    chars = sum(len(a.text) for a in arts)
    return {
        "articles": len(arts),
        "mean_chars": round(chars / max(len(arts), 1)),
        "times_found": n_times,
        "seconds": round(best, 3),
        "articles_per_s_one_core": round(len(arts) / best, 1),
        "pubdate_included": importlib.util.find_spec("lagebild.extract.time.pubdate") is not None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--wikiwarsde", type=Path, default=SHARED / "data" / "wikiwarsde")
    ap.add_argument("--wikinews", type=Path, default=SHARED / "data" / "wikinews_text")
    ap.add_argument("--gnad", type=Path, default=SHARED / "data" / "10kgnad" / "test.csv")
    ap.add_argument("--errors", type=Path, help="write WikiWarsDE errors (JSON lines) to this file")
    args = ap.parse_args()
    out: dict[str, Any] = {"benchmark": "time", "targets": TARGETS}
    if (args.wikiwarsde / "in").is_dir():
        ww = evaluate_wikiwarsde(args.wikiwarsde, details=bool(args.errors))
        if args.errors:
            with args.errors.open("w", encoding="utf-8") as f:
                for e in ww.pop("errors"):
                    f.write(json.dumps(e, ensure_ascii=False) + "\n")
        out["wikiwarsde"] = ww
        print(f"WikiWarsDE ({ww['documents']} docs, {ww['gold']} gold): strict P/R/F1 "
              f"{ww['strict']['precision']}/{ww['strict']['recall']}/{ww['strict']['f1']}, relaxed F1 "
              f"{ww['relaxed']['f1']}, value accuracy {ww['value_accuracy']} "
              f"(HeidelTime: strict F1 87.7, value accuracy 88.5; target ≥ 88 / ≥ 89)")
    else:
        out["wikiwarsde"] = {"skipped": f"{args.wikiwarsde} not found"}
        print(f"WikiWarsDE: skipped ({args.wikiwarsde} not found)")
    out["pubdate"] = bench_pubdate(args.wikinews)
    roles = out["pubdate"].get("roles")
    print(f"publication dates (Wikinews), time stage only: "
          f"{ {k: v for k, v in out['pubdate'].items() if k != 'roles'} }")
    if roles:
        print(f"publication dates (Wikinews) after nlp + time + entities + pubdate_roles: "
              f"contains {roles['contains_true_date']:.3f}, closed {roles['closed_intervals']}, median width "
              f"{roles['median_width_days']} (closed: {roles['median_width_closed_days']}), guess "
              f"{roles['with_value']:.3f} / error {roles['median_abs_error_days']} days, role-term bounds in "
              f"{roles['role_term_articles']} articles; pubdate_roles {roles['roles_articles_per_cpu_s']} articles per "
              f"CPU second")
    if args.gnad.is_file():
        sp = bench_speed(args.gnad)
        out["speed"] = sp
        print(f"speed: {sp['articles']} 10kGNAD articles in {sp['seconds']} s → {sp['articles_per_s_one_core']} "
              f"articles/s on one core (target ≥ 500; publication-date inference included: {sp['pubdate_included']})")
    else:
        out["speed"] = {"skipped": f"{args.gnad} not found"}
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
