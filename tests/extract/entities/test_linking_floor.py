"""Entity-linking floor on the seeds and examples/ (bench/linking.py against gold_linking.toml).

Measured when the gold file was written: precision 0.953, recall 0.959 over
16 articles (seeds 0.986/0.986, examples 0.924/0.935); after the metonymy cues
of the ninth session (a capital after a verb that takes a state or a relation
noun + link word stands for its government), the country readings and place names
opening with a person's name: precision 0.987, recall 0.992; after the
eleventh session's rules (a capital right after a finite auxiliary, a place's
name inside a treaty's or a ship's name) and one corrected gold offset:
1.000 / 1.000 (475 mentions).  Those rules were written against this gold
file's errors, so they were checked elsewhere too: on 10kGNAD test and the
Wikinews texts they change 10 of 43,163 mentions, all right by a reading.  The
floors are the figures minus about one point, so a regression fails while
small changes pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import EXAMPLES, REPO, load_script

from lagebild.kb import load_kb

pytestmark = pytest.mark.shared


def _bench():
    return load_script(REPO / "bench" / "linking.py", "bench_linking")


def test_linking_precision_and_recall_floor(shared: Path) -> None:
    bench = _bench()
    articles = bench.run([str(shared / "seeds"), str(EXAMPLES)])
    res = bench.score(articles, bench.read_gold(), load_kb())
    print(f"linking: precision {res['precision']:.3f} recall {res['recall']:.3f} (tp {res['tp']}, wrong {res['fp']}, missed {res['fn']})")
    assert len(res["articles"]) == 16 and res["skipped"] == []
    assert res["precision"] >= 0.99, res["errors"]
    assert res["recall"] >= 0.99, res["errors"]
    assert res["per_type"]["GPE"]["precision"] >= 0.985, res["errors"]
    assert res["per_type"]["PER"]["precision"] >= 0.97, res["errors"]
