"""The picture's assembly, report and exports on a small hand-made picture (no store, no other parts)."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from support import REPO

from lagebild.model import Article, Published
from lagebild.picture import OutputError, assemble_picture, write_outputs
from lagebild.picture._report import render_markdown

SCHEMA = json.loads((REPO / "schema" / "picture.schema.json").read_text(encoding="utf-8"))
EVIL_TITLE = "<script>alert(1)</script>"
EVIL_NAME = 'Kim "the <b>&</b> one"'


def _articles() -> list[Article]:
    ents_a = [
        {"id": "gpe:ru", "name": "Russland", "type": "GPE", "kb": True,
         "mentions": [{"start": 0, "end": 8, "text": "Russland", "form": "name"}] * 3},
        {"id": "per:kim", "name": EVIL_NAME, "type": "PER", "kb": False,
         "mentions": [{"start": 10, "end": 13, "text": "Kim", "form": "name"}]},
    ]
    claims_a = [
        {"start": 0, "end": 20, "text": "x", "speaker": {"id": "per:kim", "text": "Kim", "start": 0, "end": 3},
         "source": None, "cue": None, "status": "reported", "form": "indirect", "quantities": [],
         "entities": ["gpe:ru", "per:kim"]},
        {"start": 21, "end": 40, "text": "y", "speaker": {"id": "per:kim", "text": "Kim", "start": 21, "end": 24},
         "source": None, "cue": None, "status": "quoted", "form": "direct", "quantities": [],
         "entities": ["gpe:ru"]},
    ]
    a = Article(id="aaaa", outlet="Blatt A", title=EVIL_TITLE, language="de", agencies=["dpa"],
                published=Published(value="2024-01-15", earliest="2024-01-15", latest="2024-01-15",
                                    source="metadata"),
                entities=ents_a, claims=claims_a)
    b = Article(id="bbbb", outlet="Blatt | B", title="Zweiter Bericht", language="en",
                entities=[{"id": "gpe:ru", "name": "Russia", "type": "GPE", "kb": True,
                           "mentions": [{"start": 0, "end": 6, "text": "Russia", "form": "name"}]}])
    dup = Article(id="cccc", outlet="Blatt C", title="Kopie", language="de", duplicate_of="aaaa",
                  entities=ents_a, claims=claims_a)
    return [b, dup, a]  # unsorted on purpose


def _event(eid: str, date: str, background: bool = False) -> dict:
    return {
        "id": eid, "event": "CONSULT", "mode": "visit", "status": "reported", "statuses": {"reported": 2},
        "background": background, "negated": False,
        "date": {"value": date, "precision": "day" if len(date) == 10 else "month", "earliest": date, "latest": date},
        "actors": ["gpe:ru"], "targets": ["per:kim"], "place": None,
        "mentions": [{"article": "aaaa", "index": 0, "outlet": "Blatt A", "published": "2024-01-15",
                      "status": "reported", "start": 0, "end": 10, "text": "Besuch <i>", "agency_copy": False},
                     {"article": "bbbb", "index": 0, "outlet": "Blatt | B", "published": None,
                      "status": "reported", "start": 0, "end": 10, "text": "visit", "agency_copy": False}],
        "sources": ["Blatt A", "Blatt | B"], "agencies": ["dpa"], "independent_sources": 2,
        "first_reported": {"article": "aaaa", "outlet": "Blatt A", "published": "2024-01-15"},
        "accounts": [{"outlet": "Blatt A", "article": "aaaa", "adds": {"entities": [], "quantities": []},
                      "omits": {"entities": []}}],
    }


def _value(article: str, outlet: str, value: float, published: str | None) -> dict:
    return {"article": article, "outlet": outlet, "published": published, "speaker": {"id": "per:kim", "text": "Kim"},
            "source": None, "status": "reported", "value": value, "low": None, "high": None, "mod": "APPROX",
            "unit": None, "text": f"rund {value:,.0f} Granaten", "start": 0, "end": 5}


@pytest.fixture(scope="module")
def picture() -> dict:
    events = [_event("ev2", "2024-06-19"), _event("ev1", "1950-06", background=True)]
    storylines = [{"id": "sl1", "label": "Russland und Nordkorea", "stories": ["st1"], "entities": ["gpe:ru"]}]
    stories = [{"id": "st1", "storyline": "sl1", "headline": "Putin besucht Pjöngjang", "summary": "Zusammenfassung.",
                "language": "de", "articles": ["aaaa", "bbbb"], "first": "2024-01-15", "last": "2024-06-19",
                "entities": ["gpe:ru", "per:kim"]},
               {"id": "st0", "storyline": None, "headline": "Lose Geschichte", "summary": "", "language": "en",
                "articles": [], "first": None, "last": None, "entities": []}]
    variants = [{"measure": "count:granate", "object": "Granaten", "classification": "update",
                 "reason": "values change over time",
                 "values": [_value("aaaa", "Blatt A", 1_000_000, "2024-01-15"),
                            _value("bbbb", "Blatt | B", 4_800_000, "2024-06-19")]}]
    timeline = [{"storyline": "sl1", "entries": [
        {"event": "ev1", "date": "1950-06", "precision": "month", "status": "reported",
         "sources": ["Blatt A", "Blatt | B"], "independent_sources": 2, "background": True},
        {"event": "ev2", "date": "2024-06-19", "precision": "day", "status": "planned",
         "sources": ["Blatt A", "Blatt | B"], "independent_sources": 1, "background": False}]}]
    return assemble_picture(_articles(), storylines, stories, events, variants, timeline, db="t.db",
                            settings={"top_speakers": 5})


@pytest.fixture(scope="module")
def written(picture: dict, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("pic") / "out" / "nested"
    return out, write_outputs(picture, out, {"title": "Testbild", "top_entities": 10, "timeline_limit": 0})


def test_assembled_picture_validates_and_is_sorted(picture: dict) -> None:
    Draft202012Validator(SCHEMA).validate(picture)
    assert [a["id"] for a in picture["articles"]] == ["aaaa", "bbbb", "cccc"]
    assert picture["generated_from"] == {"articles": 3, "db": "t.db"}
    assert [e["id"] for e in picture["events"]] == ["ev1", "ev2"]  # by date, not by input order
    assert [s["id"] for s in picture["stories"]] == ["st0", "st1"]


def test_entities_count_representatives_only(picture: dict) -> None:
    ents = {e["id"]: e for e in picture["entities"]}
    # cccc duplicates aaaa: its mentions are not counted twice
    assert ents["gpe:ru"] == {"id": "gpe:ru", "name": "Russia", "type": "GPE", "articles": 2, "mentions": 4}
    assert ents["per:kim"]["articles"] == 1 and ents["per:kim"]["mentions"] == 1


def test_claims_by_entity(picture: dict) -> None:
    # two claims spoken by Kim, both naming Russia; Kim's own id in a claim is not "about" Kim
    assert picture["claims_by_entity"] == {
        "gpe:ru": {"says": 0, "about": 2, "speakers": [{"id": "per:kim", "claims": 2}]},
        "per:kim": {"says": 2, "about": 0, "speakers": []},
    }


def test_same_inputs_same_picture(picture: dict) -> None:
    again = assemble_picture(list(reversed(_articles())), picture["storylines"], list(reversed(picture["stories"])),
                             list(reversed(picture["events"])), picture["variants"], picture["timeline"], db="t.db",
                             settings={"top_speakers": 5})
    assert json.dumps(again, sort_keys=True) == json.dumps(picture, sort_keys=True)


def test_all_outputs_written(written: tuple[Path, list[Path]]) -> None:
    out, paths = written
    names = [p.name for p in paths]
    assert names[0] == "report.html"
    assert sorted(names) == sorted(["report.html", "report.md", "picture.json", "events.jsonl", "graph.graphml",
                                    "timeline.json", "events.csv", "variants.csv", "claims.csv", "entities.csv"])
    assert all(p.parent == out and p.stat().st_size > 0 for p in paths)
    doc = json.loads((out / "picture.json").read_text(encoding="utf-8"))
    Draft202012Validator(SCHEMA).validate(doc)


def test_html_escapes_data_and_is_self_contained(written: tuple[Path, list[Path]]) -> None:
    html = (written[0] / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html  # no script from the data (and the report carries none)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Kim &#34;the &lt;b&gt;&amp;&lt;/b&gt; one&#34;" in html
    assert EVIL_NAME not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "<style>" in html and "<link" not in html


def test_html_sections_in_order(written: tuple[Path, list[Path]]) -> None:
    html = (written[0] / "report.html").read_text(encoding="utf-8")
    marks = ['id="storylines"', "Russland und Nordkorea", "Putin besucht Pjöngjang", 'id="timeline"',
             'id="variants"', 'id="speakers"', 'id="sources"']
    pos = [html.index(m) for m in marks]
    assert pos == sorted(pos)
    assert "Stories outside any storyline" in html and "Lose Geschichte" in html
    timeline = html[html.index('id="timeline"'):html.index('id="variants"')]
    assert timeline.index("1950-06 (month)") < timeline.index("2024-06-19")
    assert '<span class="flag">background</span>' in timeline
    assert '<span class="badge planned">planned</span>' in timeline
    assert "2 outlets, 1 independent" in timeline and "2 outlets, 2 independent" in timeline
    assert "consultation / visit (visit)" in timeline
    variants = html[html.index('id="variants"'):html.index('id="speakers"')]
    assert "update over time" in variants and "about 1,000,000" in variants and "about 4,800,000" in variants
    sources = html[html.index('id="sources"'):]
    assert "date unknown" in sources and "2024-01-15" in sources and ">duplicate<" in sources
    assert "Blatt | B" in sources


def test_markdown_escapes_table_cells(written: tuple[Path, list[Path]]) -> None:
    md = (written[0] / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Testbild\n\n3 articles (de 2, en 1) · 1 storyline · 2 stories · 2 events · 1 compared measure\n")
    assert "Blatt \\| B" in md and "Blatt | B" not in md
    assert "<script>" not in md and "&lt;script&gt;" in md
    for line in md.splitlines():
        if line.startswith("| 2024-01-15"):  # the sources row of aaaa: exactly five columns
            assert len(re.findall(r"(?<!\\)\|", line)) == 6


def test_plover_jsonl(written: tuple[Path, list[Path]]) -> None:
    rows = [json.loads(x) for x in (written[0] / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["ev1", "ev2"]
    r = rows[1]
    assert r["event"] == "CONSULT" and r["mode"] == "visit" and r["date"] == "2024-06-19"
    assert r["source"] == ["gpe:ru"] and r["target"] == ["per:kim"]
    assert r["actor"] == "Russia" and r["recipient"] == EVIL_NAME
    assert r["eventText"] == "Besuch <i>" and r["sources"] == ["Blatt A", "Blatt | B"]
    assert r["articles"] == ["aaaa", "bbbb"] and rows[0]["background"] is True


def test_graphml_is_valid_xml(written: tuple[Path, list[Path]]) -> None:
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(written[0] / "graph.graphml").getroot()
    nodes = root.findall(".//g:node", ns)
    edges = root.findall(".//g:edge", ns)
    assert sorted(n.get("id") for n in nodes) == ["e:ev1", "e:ev2", "n:gpe:ru", "n:per:kim"]
    labels = {n.get("id"): n.find("g:data[@key='label']", ns).text for n in nodes}
    assert labels["n:per:kim"] == EVIL_NAME  # escaped in the file, intact after parsing
    roles = sorted((e.get("source"), e.get("target"), e.find("g:data", ns).text) for e in edges)
    assert roles == [("e:ev1", "n:per:kim", "target"), ("e:ev2", "n:per:kim", "target"),
                     ("n:gpe:ru", "e:ev1", "actor"), ("n:gpe:ru", "e:ev2", "actor")]


def test_timelinejs(written: tuple[Path, list[Path]]) -> None:
    doc = json.loads((written[0] / "timeline.json").read_text(encoding="utf-8"))
    assert doc["title"]["text"]["headline"] == "Testbild"
    assert [e["start_date"] for e in doc["events"]] == [{"year": 1950, "month": 6}, {"year": 2024, "month": 6, "day": 19}]
    assert doc["events"][1]["group"] == "Russland und Nordkorea"
    assert "&lt;i&gt;" in doc["events"][1]["text"]["text"]  # TimelineJS renders HTML: data is escaped
    assert "&lt;b&gt;" in doc["events"][1]["text"]["headline"]


@pytest.mark.parametrize("block", [8192, 3])
def test_streamed_files_are_the_one_string_forms(picture: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 block: int) -> None:
    """picture.json, timeline.json, events.jsonl and graph.graphml are written a block of pieces at a time
    (never as one string: ~250 MB at 100k articles); the bytes are those of the one-string forms."""
    from lagebild.picture import _export

    monkeypatch.setattr(_export, "_BLOCK", block)  # 3: many blocks even for this small picture
    out = tmp_path / "out"
    write_outputs(picture, out, {"title": "Testbild"})

    def text(name: str) -> str:
        return (out / name).read_text(encoding="utf-8")

    assert text("picture.json") == json.dumps(picture, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assert text("timeline.json") == json.dumps(_export.timelinejs(picture, "Testbild"), ensure_ascii=False,
                                               indent=1) + "\n"
    assert text("events.jsonl") == "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n"
                                           for r in _export.plover_events(picture))
    assert text("graph.graphml") == _export.graphml(picture)
    assert text("graph.graphml").endswith("</graph>\n</graphml>\n") and EVIL_NAME not in text("graph.graphml")


def test_csv_tables(written: tuple[Path, list[Path]]) -> None:
    def rows(name: str) -> list[dict]:
        with open(written[0] / name, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    ev = rows("events.csv")
    assert [r["id"] for r in ev] == ["ev1", "ev2"] and ev[1]["sources"] == "Blatt A;Blatt | B"
    var = rows("variants.csv")
    assert [(r["outlet"], r["value"]) for r in var] == [("Blatt A", "1000000"), ("Blatt | B", "4800000")]
    assert var[0]["classification"] == "update" and var[0]["speaker"] == "per:kim"
    cl = rows("claims.csv")
    assert [(r["entity"], r["says"], r["about"], r["speaker"], r["speaker_claims"]) for r in cl] == [
        ("gpe:ru", "0", "2", "per:kim", "2"), ("per:kim", "2", "0", "", "")]
    ents = rows("entities.csv")
    assert [(r["id"], r["name"], r["mentions"]) for r in ents] == [("gpe:ru", "Russia", "4"), ("per:kim", EVIL_NAME, "1")]


def test_markdown_renders_without_settings(picture: dict) -> None:
    md = render_markdown(picture)
    assert md.startswith("# Lagebild\n")


def test_unwritable_out_dir_is_a_clear_error(picture: dict, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match=r"cannot write the picture to .*--out DIR"):
        write_outputs(picture, blocker / "sub")


def test_every_code_has_words() -> None:
    from lagebild.picture._report import labels

    words = labels()
    defs = SCHEMA["$defs"]
    assert sorted(words["event"]) == sorted(defs["event"]["properties"]["event"]["enum"])
    assert sorted(words["status"]) == sorted(defs["status"]["enum"])
    assert sorted(words["classification"]) == sorted(defs["variant"]["properties"]["classification"]["enum"])
    assert set(words["status"].values()) == {"reported", "hedged", "denied", "planned"}  # the four badges


def test_report_limits(picture: dict) -> None:
    from lagebild.picture._report import report_view

    two_lines = dict(picture, storylines=picture["storylines"] + [
        {"id": "sl0", "label": "Kleine Linie", "stories": [], "entities": []}])
    view = report_view(two_lines, {"max_storylines": 1, "max_sources": 2})
    # the storyline with articles wins over the empty one, whose id sorts first; loose stories stay
    assert [x["id"] for x in view["storylines"]] == ["sl1", None]
    assert view["hidden"] == {"storylines": 1, "sources": 1}
    assert [a["id"] for a in view["sources"]] == ["aaaa", "bbbb"]  # dated first, then undated by id
    full = report_view(two_lines, {"max_storylines": 0, "max_sources": 0})
    assert [x["id"] for x in full["storylines"]] == ["sl1", "sl0", None]
    assert full["hidden"] == {"storylines": 0, "sources": 0} and len(full["sources"]) == 3
