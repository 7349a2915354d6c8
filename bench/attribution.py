"""Benchmark of the ``claims`` stage on SpkAtt-2023 Task 2 (German Wikinews speaker attribution).

    python bench/attribution.py [DIR] [--split tune|heldout|all] [--gnad CSV] [--limit N]

DIR (default ../shared/data/wikinews_spkatt/train): SpkAtt JSON files.  Each
document's tokens are joined into text (a token -> offset map is kept), run
through ``nlp``, ``time``, ``entities``, ``quantities`` and ``claims``
(language de), and every claim with a form (attributed, quoted, free indirect)
becomes a predicted group: Message = the tokens of the claim span minus those
of its cue and speaker (for the form ``reported`` the whole span, and no Cue:
SpkAtt annotates a reported speech act as a whole), Cue = the cue's tokens, Source = the speaker's tokens
(SpkAtt's "Source" is the speaker); consecutive free-indirect claims of one
speaker form one group.  Form: direct -> Direct, indirect -> Indirect,
reported -> Reported, free_indirect -> IndirectFreeIndirect; STWR: always
Speech.  We predict no Addr or Frame spans: they count as misses in Roles and
Joint.  Score: :mod:`lagebild.extract.claims._spkatt` (official procedure as
described in PROVENANCE.md).  Anchor: the published rule-based baseline,
message F1 48.8.

``--split``: the files are split into halves by a hash of the file name; the
rules were tuned on ``tune`` only.  Speed: articles/s of the claims stage alone
(the other stages run outside the timing), on these documents and on 10kGNAD
(``--gnad``, default ../shared/data/10kgnad/test.csv, first 1000 articles; best
of three passes, wall clock and CPU time).

Prints a summary, then ONE JSON object on the last line.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "data" / "wikinews_spkatt" / "train"
GNAD = HERE.parent.parent / "shared" / "data" / "10kgnad" / "test.csv"
ANCHOR_MESSAGE_F1 = 48.8
FORMS = {"direct": "Direct", "indirect": "Indirect", "reported": "Reported", "free_indirect": "IndirectFreeIndirect"}
_NO_SPACE_BEFORE = set(",.;:!?)]“”»%")
_NO_SPACE_AFTER = set("([„»")


def split_of(name: str) -> str:
    """``tune`` or ``heldout``, fixed by a hash of the file name."""
    return "tune" if int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "heldout"


def files(folder: Path, split: str) -> list[Path]:
    out = sorted(p for p in folder.glob("*.json") if not p.name.endswith(".pretty.json"))
    return out if split == "all" else [p for p in out if split_of(p.name) == split]


def detokenise(doc: dict[str, Any]) -> tuple[str, dict[tuple[int, int], tuple[int, int]]]:
    """The document text and ``(sentence id, token index) -> (start, end)``."""
    parts: list[str] = []
    pos = 0
    offsets: dict[tuple[int, int], tuple[int, int]] = {}
    for s in doc["Sentences"]:
        if parts:
            parts.append(" ")
            pos += 1
        for i, tok in enumerate(s["Tokens"]):
            if i and not (tok in _NO_SPACE_BEFORE or s["Tokens"][i - 1] in _NO_SPACE_AFTER):
                parts.append(" ")
                pos += 1
            offsets[(s["SentenceId"], i)] = (pos, pos + len(tok))
            parts.append(tok)
            pos += len(tok)
    return "".join(parts), offsets


def gold_groups(doc: dict[str, Any], index: dict[tuple[int, int], int], nested: bool = True) -> list[Any]:
    from lagebild.extract.claims._spkatt import SPAN_TYPES, Group

    out = []
    for a in doc.get("Annotations", []):
        if not nested and a.get("IsNested"):
            continue
        spans = {}
        for t in SPAN_TYPES:
            ids = set()
            for addr in a.get(t) or []:
                si, ti = addr.split(":")
                k = (int(si), int(ti))
                if k in index:
                    ids.add(index[k])
            spans[t] = frozenset(ids)
        out.append(Group(spans, a.get("Form"), a.get("STWR")))
    return out


def system_groups(claims: list[dict[str, Any]], offsets: list[tuple[int, int]], top_level: bool = False) -> list[Any]:
    """Predicted groups; ``top_level``: leave out claims that lie inside another claim (the simplified track)."""
    from lagebild.extract.claims._spkatt import Group

    if top_level:
        attributed = [c for c in claims if c.get("form") is not None]
        claims = [
            c for c in claims
            if not any(o is not c and o["start"] <= c["start"] and c["end"] <= o["end"]
                       and (o["start"], o["end"]) != (c["start"], c["end"]) for o in attributed)
        ]

    def toks(span: dict[str, Any] | None) -> frozenset[int]:
        if not span:
            return frozenset()
        return frozenset(i for i, (s, e) in enumerate(offsets) if s >= span["start"] and e <= span["end"])

    out: list[Any] = []
    prev: dict[str, Any] | None = None
    for c in claims:
        if c.get("form") is None:
            prev = None
            continue
        cue, spk = toks(c["cue"]), toks(c["speaker"])
        if c["form"] == "reported":
            # SpkAtt marks a reported speech act as a whole: the message is the clause with its
            # speaker and speech verb, and no cue is annotated
            msg, cue = toks(c), frozenset()
        else:
            msg = toks(c) - cue - spk
        form = FORMS.get(c["form"])
        if (
            prev is not None and c["form"] == "free_indirect" and prev["claim"]["form"] == "free_indirect"
            and (prev["claim"]["speaker"] or {}).get("text") == (c["speaker"] or {}).get("text")
        ):
            g = out[-1]
            g.spans["Message"] = g.spans["Message"] | msg
            prev = {"claim": c}
            continue
        out.append(Group({"Message": msg, "Cue": cue, "Source": spk}, form, "Speech"))
        prev = {"claim": c}
    return out


def _pipeline() -> tuple[list[Any], Any, dict[str, Any]]:
    from lagebild.config import load_config
    from lagebild.pipeline import get_stage, registry

    cfg = load_config(None, [])
    names = [n for n in ("nlp", "time", "entities", "quantities") if n in registry()]
    return [get_stage(n) for n in names], get_stage("claims"), cfg.get("stages", {})


def run(folder: Path, split: str = "all", limit: int | None = None) -> dict[str, Any]:
    """Score the claims stage on the SpkAtt files of ``folder``; returns the figures."""
    from lagebild.extract.claims._spkatt import score
    from lagebild.model import Article

    before, claims_stage, settings = _pipeline()
    docs_full, docs_simple = [], []
    seconds, n = 0.0, 0
    for path in files(folder, split)[:limit]:
        doc = json.loads(path.read_text(encoding="utf-8"))
        text, offs = detokenise(doc)
        keys = sorted(offs)
        index = {k: i for i, k in enumerate(keys)}
        offsets = [offs[k] for k in keys]
        a = Article(id=path.stem, text=text, raw_text=text, language="de")
        for st in before:
            a = st.fn(a, settings.get(st.name, {}))
        t0 = time.perf_counter()
        a = claims_stage.fn(a, settings.get("claims", {}))
        seconds += time.perf_counter() - t0
        n += 1
        sysg = system_groups(a.claims, offsets)
        docs_full.append((gold_groups(doc, index), sysg))
        simple = [
            type(g)({k: v for k, v in g.spans.items() if k in ("Message", "Source")}, g.form, g.stwr)
            for g in system_groups(a.claims, offsets, top_level=True)
        ]
        docs_simple.append((gold_groups(doc, index, nested=False), simple))
    full = score(docs_full)
    simp = score(docs_simple, ("Message", "Source"))
    return {
        "documents": n,
        "split": split,
        "full": full,
        "simplified": {"Messages": simp["Messages"], "Source": simp["Roles"], "Joint": simp["Joint"]},
        "claims_articles_per_s": n / seconds if seconds else 0.0,
    }


def gnad_speed(path: Path, limit: int = 1000, repeats: int = 3) -> tuple[float, float] | None:
    """Articles/s of the claims stage alone on 10kGNAD (other stages untimed): (wall clock, CPU time).

    Best of ``repeats`` passes; the CPU-time figure is the per-core speed, and the one
    to quote on a machine shared with other jobs.
    """
    if not path.exists():
        return None
    from lagebild.model import Article

    before, claims_stage, settings = _pipeline()
    arts = []
    with path.open(encoding="utf-8") as fh:
        for i, row in enumerate(csv.reader(fh, delimiter=";", quotechar="'")):
            if i >= limit:
                break
            if len(row) < 2:
                continue
            a = Article(id=str(i), text=row[1], raw_text=row[1], language="de")
            for st in before:
                a = st.fn(a, settings.get(st.name, {}))
            arts.append(a)
    wall = cpu = float("inf")
    for _ in range(max(1, repeats)):
        t0, c0 = time.perf_counter(), time.process_time()
        for a in arts:
            claims_stage.fn(a, settings.get("claims", {}))
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return len(arts) / wall, len(arts) / cpu if cpu > 0 else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", nargs="?", default=str(DEFAULT))
    ap.add_argument("--split", choices=("tune", "heldout", "all"), default="all")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--gnad", default=str(GNAD))
    ap.add_argument("--gnad-limit", type=int, default=1000)
    args = ap.parse_args(argv)
    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"no SpkAtt folder at {folder} — pass the folder of *.json files as DIR", file=sys.stderr)
        return 2
    res = run(folder, args.split, args.limit)
    gspeed = gnad_speed(Path(args.gnad), args.gnad_limit) if args.gnad_limit > 0 else None
    res["gnad_claims_articles_per_s"] = gspeed[0] if gspeed else None
    res["gnad_claims_articles_per_cpu_s"] = gspeed[1] if gspeed else None
    print(f"SpkAtt-2023 task 2, {res['documents']} documents, split {args.split}")
    print(f"{'metric':22} {'P':>6} {'R':>6} {'F1':>6}")
    for name, d in res["full"].items():
        print(f"{name:22} {100 * d['p']:6.1f} {100 * d['r']:6.1f} {100 * d['f1']:6.1f}")
    for name, d in res["simplified"].items():
        print(f"{'Simplified' + name:22} {100 * d['p']:6.1f} {100 * d['r']:6.1f} {100 * d['f1']:6.1f}")
    print(f"anchor: rule-based baseline message F1 {ANCHOR_MESSAGE_F1} (target >= 60)")
    print("Roles/Joint: Addr and Frame are not predicted and count as misses.")
    print(f"claims stage alone: {res['claims_articles_per_s']:.0f} articles/s (SpkAtt docs)", end="")
    print(f", {gspeed[0]:.0f} articles/s wall, {gspeed[1]:.0f} per CPU second (10kGNAD)" if gspeed else "")
    print(json.dumps(res, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
