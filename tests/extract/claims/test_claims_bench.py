"""The SpkAtt scorer on a hand-made document, and the message-F1 floor on the held-out half."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from lagebild.extract.claims._spkatt import Group, score
from support import REPO, shared_dir


def g(msg: set[int], src: set[int] = set(), cue: set[int] = set(), form: str = "Indirect") -> Group:
    return Group({"Message": frozenset(msg), "Source": frozenset(src), "Cue": frozenset(cue)}, form, "Speech")


def test_scorer_on_hand_made_document() -> None:
    gold = [g({5, 6, 7, 8}, {0, 1}, {2}), g({20, 21}, {15}, {16}, "Direct")]
    system = [g({6, 7, 8, 9}, {0, 1}, {2}), g({30, 31}, {28}, set(), "Reported")]
    r = score([(gold, system)])
    # pairs: (gold1, sys1): P=3/4 R=3/4; (gold2, sys2) zero overlap but still aligned: P=0 R=0
    assert r["Messages"]["p"] == pytest.approx(0.375)
    assert r["Messages"]["r"] == pytest.approx(0.375)
    assert r["Messages"]["f1"] == pytest.approx(0.375)
    # roles: Source P [1, 0] R [1, 0]; Cue P [1] R [1, 0]  -> P 2/3, R 2/4
    assert r["Roles"]["p"] == pytest.approx(2 / 3)
    assert r["Roles"]["r"] == pytest.approx(0.5)
    # Form: Indirect = Indirect (tp), Reported vs Direct (fp + fn)
    assert (r["Form"]["p"], r["Form"]["r"]) == (pytest.approx(0.5), pytest.approx(0.5))


def test_unmatched_groups_count_against() -> None:
    r = score([([g({1, 2})], [g({1, 2}), g({9})])])
    assert r["Messages"]["p"] == pytest.approx(0.5) and r["Messages"]["r"] == pytest.approx(1.0)


#: message F1 measured on the held-out half (see the report) minus 2 points
HELDOUT_MESSAGE_F1_FLOOR = 0.629  # measured 0.649 (heldout, 355 documents; was 0.585 before the rules of issue 5 round 2)


@pytest.mark.shared
@pytest.mark.slow
def test_heldout_message_f1_floor() -> None:
    shared = shared_dir()
    folder = shared / "data" / "wikinews_spkatt" / "train" if shared else None
    if folder is None or not folder.is_dir():
        pytest.skip("../shared/data/wikinews_spkatt/train not found — set LAGEBILD_SHARED")
    spec = importlib.util.spec_from_file_location("bench_attribution", Path(REPO) / "bench" / "attribution.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    res = mod.run(folder, "heldout")
    assert res["full"]["Messages"]["f1"] >= HELDOUT_MESSAGE_F1_FLOOR
