"""`lagebild build --out` and `lagebild picture` on the five seed articles: the whole path, store to report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from markupsafe import escape
from support import REPO

from lagebild.cli import cli

pytestmark = [pytest.mark.shared, pytest.mark.slow]

SCHEMA = json.loads((REPO / "schema" / "picture.schema.json").read_text(encoding="utf-8"))
FILES = ["report.html", "report.md", "picture.json", "events.jsonl", "graph.graphml", "timeline.json",
         "events.csv", "variants.csv", "claims.csv", "entities.csv"]


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(seeds: list[Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    tmp = tmp_path_factory.mktemp("seedpic")
    db, out = tmp / "seeds.db", tmp / "out"
    result = _run("build", *map(str, seeds), "--db", str(db), "--out", str(out), "--executor", "inline", "--quiet")
    assert result.exit_code == 0, result.output
    return db, out, result.output


@pytest.fixture(scope="module")
def picture(built: tuple[Path, Path, str]) -> dict:
    return json.loads((built[1] / "picture.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(built: tuple[Path, Path, str]) -> str:
    return (built[1] / "report.html").read_text(encoding="utf-8")


def test_build_out_writes_everything_and_says_where(built: tuple[Path, Path, str]) -> None:
    db, out, output = built
    assert "5 new, 0 updated, 0 unchanged articles from 5 inputs; 0 problems" in output
    assert f"report: {out / 'report.html'}" in output
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)


def test_picture_json_validates(picture: dict) -> None:
    Draft202012Validator(SCHEMA).validate(picture)
    assert picture["generated_from"]["articles"] == 5
    assert len(picture["articles"]) == 5 and picture["stories"] and picture["events"]


def test_report_shows_each_story_headline(picture: dict, report: str) -> None:
    stories = report[report.index('id="storylines"'):report.index('id="timeline"')]
    for story in picture["stories"]:
        assert story["headline"]
        assert str(escape(story["headline"])) in stories


def test_report_timeline_in_date_order(picture: dict, report: str) -> None:
    events = {e["id"]: e for e in picture["events"]}
    section = report[report.index('id="timeline"'):report.index('id="variants"')]
    shown = re.findall(r'<tr data-event="([^"]+)"', section)
    expected = [t["event"] for tl in picture["timeline"] for t in tl["entries"]]
    assert shown == expected and len(shown) == len(events)
    # dated entries of each storyline run from early to late (by the earliest day they can be)
    for tl in picture["timeline"]:
        earliest = [events[t["event"]]["date"]["earliest"] for t in tl["entries"]]
        dated = [d for d in earliest if d]
        assert dated == sorted(dated)
    # the seeds mention the Korean War (1950–53) as background: it comes before the 2023 visit, flagged
    korean_war = [t for tl in picture["timeline"] for t in tl["entries"]
                  if str(t["date"]).startswith("1950")]
    assert korean_war and all(t["background"] for t in korean_war)
    first = section.index(f'data-event="{korean_war[0]["event"]}"')
    assert section[first:first + 200].count('class="bg"') == 1


def test_report_has_shells_variant(picture: dict, report: str) -> None:
    shells = [v for v in picture["variants"] if v["measure"] == "count:shell"]
    assert len(shells) == 1
    values = sorted(x["value"] for x in shells[0]["values"])
    # "mehr als eine Million" (January 2024 article) and "etwa 4,8 Millionen" (June 2024)
    assert values[0] == 1_000_000 and values[-1] == 4_800_000
    section = report[report.index('id="variants"'):report.index('id="speakers"')]
    assert "[count:shell]" in section
    assert "more than 1,000,000" in section and "about 4,800,000" in section
    assert "mehr als eine Million" in section


def test_report_is_self_contained(report: str) -> None:
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", report, re.I)
    assert "<script" not in report


def test_picture_command_rewrites_same_outputs(built: tuple[Path, Path, str], picture: dict,
                                               tmp_path: Path) -> None:
    db, out, _ = built
    again = tmp_path / "again"
    result = _run("picture", "--db", str(db), "--out", str(again))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"report: {again / 'report.html'}\n")
    for name in FILES:  # nothing re-run, nothing changed: byte-identical outputs
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_picture_command_errors_are_one_line(built: tuple[Path, Path, str], tmp_path: Path) -> None:
    db, _, _ = built
    missing = CliRunner().invoke(cli, ["picture", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "o")])
    assert missing.exit_code == 1
    assert missing.output.startswith("Error: no database at ") and missing.output.count("\n") == 1
    blocker = tmp_path / "file"
    blocker.write_text("x")
    bad = CliRunner().invoke(cli, ["picture", "--db", str(db), "--out", str(blocker / "sub")])
    assert bad.exit_code == 1
    assert bad.output.startswith("Error: cannot write the picture to ") and "--out DIR" in bad.output


def test_build_with_unwritable_out_fails_before_reading(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, ["build", str(REPO / "examples"), "--db", str(db), "--out", str(blocker / "o"),
                                      "--executor", "inline"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot write the picture to ") and result.output.count("\n") == 1
    assert not db.exists()  # nothing was built
