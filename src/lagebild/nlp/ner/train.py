"""Train (and cross-validate) the CRF named-entity model.

    python -m lagebild.nlp.ner.train --data GERMEVAL.tsv [--extra LER.conll] [--no-annotations]
        [--wikinews TEXTS_DIR | --no-wikinews] [--gnad CSV | --no-gnad] [--clusters FILE | --no-clusters]
        [--pieces FILE | --no-pieces] --out PATH [--cv 5]

``--data`` files are GermEval 2014 TSV (outer level, column 3) — cross-validation
folds are cut from them, contiguous and in file order.  The team's annotated
sentences (``annotations/*.txt``, see the README there), the stand-off Wikinews
annotations (``annotations/wikinews/*.tsv`` over the shared Wikinews texts) and
of 10kGNAD articles (``annotations/gnad/*.tsv`` over ../shared/data/10kgnad/test.csv;
either left out with one line saying so when its texts are absent) and ``--extra`` files
(two-column CoNLL, the Legal Entity Recognition tag set) only ever join the
training part: LER is mapped to PER/ORG/LOC where the mapping is clean
(PER/RR/AN → PER; LD/ST/STR/LDS → LOC; ORG/UN/INN/GRT → ORG); sentences with
a class that has no clean GermEval counterpart (laws, ordinances, regulations,
contracts, court decisions, literature, brands) are left out.  Training is deterministic (fixed file
order, L-BFGS has no random state).  Prints per-fold and mean P/R/F1 on the
four outer classes (``deriv``/``part`` folded into their class), then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Iterable

from . import features
from ._clusters import CLUSTERS, load_clusters, set_clusters
from ._pieces import PIECES, load_pieces, set_pieces
from ._wikinews import WIKINEWS_ANNOTATIONS, WIKINEWS_ENV, gnad_texts, read_standoff, read_wikinews, wikinews_texts_dir
from .features import sentence_features

__all__ = [
    "read_germeval",
    "read_ler",
    "read_annotations",
    "read_wikinews",
    "wikinews_training",
    "gnad_training",
    "GNAD_ANNOTATIONS",
    "use_clusters",
    "cluster_report",
    "use_pieces",
    "piece_report",
    "ANNOTATIONS",
    "spans_of_tags",
    "fold_label",
    "train_model",
    "tag_sentences",
    "score",
    "cross_validate",
    "main",
    "training_fingerprint",
    "MANIFEST",
    "add_training_data_arguments",
    "training_extra",
]

Sentence = tuple[list[str], list[str]]

#: Legal Entity Recognition classes → GermEval outer classes (clean ones only).
LER_MAP = {
    "PER": "PER", "RR": "PER", "AN": "PER",
    "LD": "LOC", "ST": "LOC", "STR": "LOC", "LDS": "LOC",
    "ORG": "ORG", "UN": "ORG", "INN": "ORG", "GRT": "ORG",
}
#: Training parameters of the packaged model (small file, best CV F1 of what was tried).
PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 300, "feature.possible_transitions": True}
MINFREQ = 1


def fold_label(label: str) -> str:
    """GermEval's ``LOCderiv``/``ORGpart`` → ``LOC``/``ORG``."""
    return label.replace("deriv", "").replace("part", "")


def read_germeval(path: Path, fold_derived: bool = True) -> list[Sentence]:
    """Sentences of a GermEval 2014 TSV file: tokens and outer BIO tags."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if tokens:
                sentences.append((tokens, tags))
            tokens, tags = [], []
            continue
        cols = line.split("\t")
        tokens.append(cols[1])
        tags.append(fold_label(cols[2]) if fold_derived else cols[2])
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def read_ler(path: Path) -> list[Sentence]:
    """Sentences of a two-column LER CoNLL file, mapped to PER/ORG/LOC; unclean sentences dropped."""
    out: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    lines = Path(path).read_text(encoding="utf-8").splitlines() + [""]
    for line in lines:
        parts = line.split()
        if not parts:
            if tokens and all(t == "O" or t[2:] in LER_MAP for t in tags):
                out.append((tokens, [t if t == "O" else f"{t[:2]}{LER_MAP[t[2:]]}" for t in tags]))
            tokens, tags = [], []
            continue
        if len(parts) < 2:
            continue
        tokens.append(parts[0])
        tags.append(parts[-1])
    return out


#: The team's own annotated sentences (see annotations/README.md for the format).
ANNOTATIONS = Path(__file__).with_name("annotations")
#: Labels an annotation may carry: GermEval 2014's outer ones.
ANNOTATION_LABELS = frozenset(f"{c}{v}" for c in ("PER", "ORG", "LOC", "OTH") for v in ("", "deriv", "part"))


def read_annotations(folder: Path = ANNOTATIONS, fold_derived: bool = True) -> list[Sentence]:
    """Sentences of the team's annotation files (``*.txt`` in ``folder``): tokens and BIO tags.

    A block is one sentence line followed by ``= LABEL surface`` lines, in text
    order: each surface is the next occurrence after the previous one and must
    start and end on token boundaries of :func:`lagebild.nlp.tokenize`.
    Raises :class:`ValueError` naming file and line when an annotation does not fit.
    """
    from .. import tokenize

    out: list[Sentence] = []
    for path in sorted(Path(folder).glob("*.txt")):
        text, where, ents = None, 0, []
        lines = path.read_text(encoding="utf-8").splitlines() + [""]
        for no, line in enumerate(lines, 1):
            if line.startswith("#"):
                continue
            if not line.strip():
                if text is not None:
                    out.append(_annotated(text, ents, path, where, tokenize, fold_derived))
                text, ents = None, []
                continue
            if text is None:
                text, where = line.strip(), no
            elif line.startswith("= "):
                label, _, surface = line[2:].strip().partition(" ")
                if label not in ANNOTATION_LABELS or not surface:
                    raise ValueError(f"{path}:{no}: want '= LABEL surface' with LABEL one of "
                                     f"{sorted(ANNOTATION_LABELS)}, got {line!r}")
                ents.append((label, surface.strip(), no))
            else:
                raise ValueError(f"{path}:{no}: a sentence takes one line; annotation lines start with '= ' "
                                 "(separate sentences by a blank line)")
    return out


def _annotated(text: str, ents: list, path: Path, line: int, tokenize, fold_derived: bool) -> Sentence:
    toks = [(t.start, t.end) for t in tokenize(text, "de")]
    starts = {s: i for i, (s, _) in enumerate(toks)}
    ends = {e: i for i, (_, e) in enumerate(toks)}
    tags = ["O"] * len(toks)
    pos = 0
    for label, surface, no in ents:
        s = text.find(surface, pos)
        if s < 0:
            raise ValueError(f"{path}:{no}: {surface!r} not found in the sentence of line {line} "
                             "after the previous annotation (list annotations in text order)")
        e = s + len(surface)
        if s not in starts or e not in ends:
            raise ValueError(f"{path}:{no}: {surface!r} does not start and end on token boundaries "
                             f"(tokens: {[text[a:b] for a, b in toks]})")
        lab = fold_label(label) if fold_derived else label
        for i in range(starts[s], ends[e] + 1):
            tags[i] = ("B-" if i == starts[s] else "I-") + lab
        pos = e
    return [text[a:b] for a, b in toks], tags


def wikinews_training(tsv_folder: Path = WIKINEWS_ANNOTATIONS, texts_dir: Path | None = None,
                      fold_derived: bool = True) -> tuple[list[Sentence], dict]:
    """The Wikinews training sentences and their counts; prints one line saying what was used
    (or why none: no TSV files, texts folder absent)."""
    texts = Path(texts_dir) if texts_dir is not None else wikinews_texts_dir()
    if not any(Path(tsv_folder).glob("*.tsv")):
        print(f"wikinews: no annotation files (*.tsv) in {tsv_folder} — training without them", file=sys.stderr)
        return [], {"used": False, "reason": f"no *.tsv in {tsv_folder}"}
    if not texts.is_dir():
        print(f"wikinews: texts folder {texts} not found (--wikinews DIR or ${WIKINEWS_ENV}) — "
              "training without the Wikinews annotations", file=sys.stderr)
        return [], {"used": False, "reason": f"{texts} not found"}
    counts: dict = {}
    sents = read_wikinews(tsv_folder, texts, fold_derived, counts)
    counts["used"] = True
    _say("wikinews", counts)
    return sents, counts


#: Stand-off annotations of 10kGNAD test articles (ids ``g<row>``; texts in ../shared, never in the repo).
GNAD_ANNOTATIONS = ANNOTATIONS / "gnad"


def gnad_csv_default() -> Path:
    """``../shared/data/10kgnad/test.csv`` beside the repository (may not exist: callers check)."""
    return Path(__file__).resolve().parents[5] / "shared" / "data" / "10kgnad" / "test.csv"


def gnad_training(tsv_folder: Path = GNAD_ANNOTATIONS, csv_path: Path | None = None,
                  fold_derived: bool = True) -> tuple[list[Sentence], dict]:
    """The 10kGNAD stand-off training sentences and their counts (as :func:`wikinews_training`)."""
    csv_path = Path(csv_path) if csv_path is not None else gnad_csv_default()
    if not any(Path(tsv_folder).glob("*.tsv")):
        print(f"gnad: no annotation files (*.tsv) in {tsv_folder} — training without them", file=sys.stderr)
        return [], {"used": False, "reason": f"no *.tsv in {tsv_folder}"}
    if not csv_path.is_file():
        print(f"gnad: {csv_path} not found (--gnad CSV) — training without the 10kGNAD annotations", file=sys.stderr)
        return [], {"used": False, "reason": f"{csv_path} not found"}
    counts: dict = {}
    sents = read_standoff(tsv_folder, gnad_texts(csv_path).get, fold_derived, counts)
    counts["used"] = True
    _say("gnad", counts)
    return sents, counts


def _say(name: str, counts: dict) -> None:
    drops = ", ".join(f"{k} {v}" for k, v in counts["dropped_spans"].items() if v) or "none"
    print(f"{name}: {counts['articles']} articles, {counts['sentences']} sentences, {counts['entities']} entities; "
          f"dropped {counts['dropped_sentences']} sentences (spans: {drops}); "
          f"{counts['missing_texts']} ids without a text", file=sys.stderr)


def use_clusters(path: Path | None) -> None:
    """Cluster features from the file at ``path`` (``None``: none) for training and tagging in this process."""
    set_clusters(path)
    features.clear_caches()


def _file_report(path: Path | None, packaged: Path, count: int, unit: str) -> dict:
    """Which feature file is in use (the packaged one by its place in the package: a record that does not
    depend on the checkout's path), and how many entries of it were loaded."""
    if path is None or not count:
        return {"file": None, unit: count}
    p = Path(path)
    return {"file": f"lagebild/nlp/ner/data/{p.name}" if p.resolve() == packaged.resolve() else str(p), unit: count}


def cluster_report() -> dict:
    """Which cluster file the features use, and how many words it holds."""
    from ._clusters import _STATE

    return _file_report(_STATE["path"], CLUSTERS, len(load_clusters()), "words")  # type: ignore[arg-type]


def use_pieces(path: Path | None) -> None:
    """Piece-cluster features (:mod:`._pieces`) from the file at ``path`` (``None``: none) for training and
    tagging in this process."""
    set_pieces(path)
    features.clear_caches()


def piece_report() -> dict:
    """Which piece-cluster file the features use, and how many pieces of it the installed vocabulary gave."""
    from ._pieces import _STATE

    return _file_report(_STATE["path"], PIECES, len(load_pieces()), "pieces")  # type: ignore[arg-type]


def spans_of_tags(tags: list[str]) -> set[tuple[int, int, str]]:
    """``(first, end, label)`` spans of a BIO tag list (an I- without a matching B- opens a span)."""
    spans: set[tuple[int, int, str]] = set()
    start, label = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        if tag.startswith("I-") and label == tag[2:]:
            continue
        if start is not None:
            spans.add((start, i, label))
            start, label = None, None
        if tag.startswith(("B-", "I-")):
            start, label = i, tag[2:]
    return spans


def train_model(sentences: Iterable[Sentence], out: Path, params: dict | None = None, minfreq: int = MINFREQ) -> Path:
    """Train a CRF on ``sentences`` and write it to ``out``."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for tokens, tags in sentences:
        trainer.append(sentence_features(tokens), tags)
    trainer.select("lbfgs")
    trainer.set_params({**PARAMS, **(params or {}), "feature.minfreq": minfreq})
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return out


#: Where `make model` records what the packaged model was trained on (see :func:`training_fingerprint`).
MANIFEST = Path(__file__).with_name("data") / "de.training.json"


def training_fingerprint(sentences: Iterable[Sentence], params: dict | None = None, minfreq: int = MINFREQ) -> str:
    """SHA-256 over the training parameters and every sentence's tags and CRF features, in order.

    Two trainings with the same fingerprint see the same input (CRFsuite's L-BFGS has no
    random state), so a model whose recorded fingerprint matches the current data,
    features, knowledge base and word clusters is not stale — checked without retraining.
    """
    import hashlib

    h = hashlib.sha256(json.dumps({**PARAMS, **(params or {}), "feature.minfreq": minfreq}, sort_keys=True).encode())
    for tokens, tags in sentences:
        h.update(b"\x1e")
        for feats, tag in zip(sentence_features(tokens), tags):
            h.update(tag.encode())
            h.update(b"\x1f")
            h.update("\x1d".join(feats).encode())
    return h.hexdigest()


def tag_sentences(model_path: Path, sentences: Iterable[list[str]]) -> list[list[str]]:
    """BIO tags for each token list, with the model at ``model_path``."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    try:
        return [list(tagger.tag(sentence_features(toks))) if toks else [] for toks in sentences]
    finally:
        tagger.close()


def score(gold: Iterable[set], pred: Iterable[set]) -> dict[str, float]:
    """Exact-span P/R/F1 (percent, one decimal) over labels folded to the four outer classes."""
    tp = fp = fn = 0
    for g, p in zip(gold, pred):
        g = {(a, b, fold_label(x)) for a, b, x in g}
        p = {(a, b, fold_label(x)) for a, b, x in p}
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    pr = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    return {"precision": round(100 * pr, 1), "recall": round(100 * rc, 1), "f1": round(100 * f1, 1), "tp": tp, "fp": fp, "fn": fn}


def folds(n: int, k: int) -> list[tuple[int, int]]:
    """``k`` contiguous ``(lo, hi)`` test ranges over ``n`` items, in order."""
    return [(n * i // k, n * (i + 1) // k) for i in range(k)]


def cross_validate(
    sentences: list[Sentence], k: int, workdir: Path, extra: list[Sentence] | None = None,
    params: dict | None = None, minfreq: int = MINFREQ,
) -> tuple[list[dict], list[list[list[str]]]]:
    """K-fold CV (contiguous folds); returns per-fold scores and each fold's predicted tags."""
    results, predictions = [], []
    for i, (lo, hi) in enumerate(folds(len(sentences), k)):
        train = sentences[:lo] + sentences[hi:] + list(extra or [])
        test = sentences[lo:hi]
        path = train_model(train, Path(workdir) / f"fold{i}.crfsuite", params, minfreq)
        pred = tag_sentences(path, [t for t, _ in test])
        predictions.append(pred)
        results.append(score([spans_of_tags(g) for _, g in test], [spans_of_tags(p) for p in pred]))
    return results, predictions


def add_training_data_arguments(ap: argparse.ArgumentParser) -> None:
    """The options that choose the training data beside GermEval — the team's sentences, the stand-off
    annotations, the word and piece clusters (this CLI and bench/ner.py; read back with :func:`training_extra`)."""
    ap.add_argument("--no-annotations", action="store_true",
                    help="leave out the team's annotated sentences (annotations/*.txt; training only)")
    ap.add_argument("--wikinews", type=Path, default=None,
                    help="folder of the Wikinews <id>.txt texts for the stand-off annotations (annotations/wikinews/"
                         f"*.tsv; training only; default ${WIKINEWS_ENV} or ../shared/data/wikinews_text)")
    ap.add_argument("--wikinews-annotations", type=Path, default=WIKINEWS_ANNOTATIONS,
                    help="folder of the Wikinews stand-off TSV files (default: the packaged ones)")
    ap.add_argument("--no-wikinews", action="store_true", help="leave out the Wikinews annotations")
    ap.add_argument("--gnad", type=Path, default=None,
                    help="10kGNAD test.csv for the stand-off annotations in annotations/gnad/*.tsv (training only; "
                         "default ../shared/data/10kgnad/test.csv)")
    ap.add_argument("--gnad-annotations", type=Path, default=GNAD_ANNOTATIONS,
                    help="folder of the 10kGNAD stand-off TSV files (default: the packaged ones)")
    ap.add_argument("--no-gnad", action="store_true", help="leave out the 10kGNAD annotations")
    ap.add_argument("--clusters", type=Path, default=None,
                    help="word-cluster file for the cluster features (default: data/clusters_de.txt when present)")
    ap.add_argument("--no-clusters", action="store_true", help="no word-cluster features")
    ap.add_argument("--pieces", type=Path, default=None,
                    help="subword-piece cluster file (default: data/pieces_use.txt when present)")
    ap.add_argument("--no-pieces", action="store_true", help="no subword-piece cluster features")


def training_extra(args: argparse.Namespace, fold_derived: bool = True) -> tuple[list[Sentence], dict]:
    """The training-only sentences the options of :func:`add_training_data_arguments` choose (team, then
    Wikinews, then 10kGNAD), with the word and piece clusters switched as they say; and a report of what was used."""
    team = [] if args.no_annotations else read_annotations(fold_derived=fold_derived)
    wiki, wiki_counts = ([], {"used": False}) if args.no_wikinews else wikinews_training(
        args.wikinews_annotations, args.wikinews, fold_derived)
    gnad, gnad_counts = ([], {"used": False}) if args.no_gnad else gnad_training(
        args.gnad_annotations, args.gnad, fold_derived)
    use_clusters(None if args.no_clusters else args.clusters or CLUSTERS)
    use_pieces(None if args.no_pieces else args.pieces or PIECES)
    return team + wiki + gnad, {"team_sentences": len(team), "wikinews_sentences": len(wiki),
                                "gnad_sentences": len(gnad), "wikinews": wiki_counts, "gnad": gnad_counts,
                                "clusters": cluster_report(), "pieces": piece_report()}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m lagebild.nlp.ner.train", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, action="append", required=True, help="GermEval 2014 TSV (repeatable)")
    ap.add_argument("--extra", type=Path, action="append", default=[], help="LER CoNLL file, training only (repeatable)")
    ap.add_argument("--out", type=Path, help="where to write the model trained on all data")
    ap.add_argument("--manifest", type=Path, default=None,
                    help="also write the training fingerprint and the model's SHA-256 here (make model: data/de.training.json)")
    ap.add_argument("--manifest-only", action="store_true",
                    help="do not train: write --manifest for the model at --out, trained earlier by this same command")
    ap.add_argument("--cv", type=int, default=0, help="k-fold cross-validation on --data before training (0 = none)")
    add_training_data_arguments(ap)
    ap.add_argument("--keep-derived", action="store_true", help="keep LOCderiv/ORGpart… as own labels")
    ap.add_argument("--c1", type=float, default=PARAMS["c1"])
    ap.add_argument("--c2", type=float, default=PARAMS["c2"])
    ap.add_argument("--minfreq", type=int, default=MINFREQ)
    ap.add_argument("--max-iterations", type=int, default=PARAMS["max_iterations"])
    args = ap.parse_args(argv)
    for p in args.data + args.extra:
        if not p.is_file():
            sys.exit(f"train: {p} not found — pass an existing file (GermEval dev is in ../shared/data/germeval2014/)")
    data = [s for p in args.data for s in read_germeval(p, fold_derived=not args.keep_derived)]
    extra = [s for p in args.extra for s in read_ler(p)]
    more, used = training_extra(args, not args.keep_derived)
    extra += more
    params = {"c1": args.c1, "c2": args.c2, "max_iterations": args.max_iterations}
    report: dict = {"sentences": len(data), "extra_sentences": len(extra),
                    "training_data": {"germeval_sentences": len(data), "team_sentences": used["team_sentences"],
                                      "wikinews": used["wikinews"], "gnad": used["gnad"], "clusters": used["clusters"],
                                      "pieces": used["pieces"]},
                    "params": {**PARAMS, **params, "minfreq": args.minfreq}, "keep_derived": args.keep_derived}
    t0 = time.perf_counter()
    if args.cv:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            res, _ = cross_validate(data, args.cv, Path(tmp), extra, params, args.minfreq)
        for i, r in enumerate(res):
            print(f"fold {i + 1}/{args.cv}: P {r['precision']} R {r['recall']} F1 {r['f1']}")
        mean = {m: round(sum(r[m] for r in res) / len(res), 1) for m in ("precision", "recall", "f1")}
        print(f"mean: P {mean['precision']} R {mean['recall']} F1 {mean['f1']}")
        report["cv"] = {"k": args.cv, "folds": res, "mean": mean}
    if args.out:
        import hashlib

        if not args.manifest_only:
            train_model(data + extra, args.out, params, args.minfreq)
        elif not args.out.is_file():
            sys.exit(f"train: --manifest-only needs the model trained by this same command at {args.out}")
        report["model"] = str(args.out)
        report["model_bytes"] = args.out.stat().st_size
        print(f"model {'kept' if args.manifest_only else 'written'}: {args.out} ({report['model_bytes']} bytes)")
        if args.manifest:
            manifest = {
                "fingerprint": training_fingerprint(data + extra, params, args.minfreq),
                "model_sha256": hashlib.sha256(args.out.read_bytes()).hexdigest(),
                "training_data": report["training_data"], "params": report["params"],
            }
            args.manifest.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"manifest written: {args.manifest}")
    report["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
