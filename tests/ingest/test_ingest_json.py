"""JSON and JSON Lines records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lagebild.errors import EmptyInputError, InputError, MalformedInputError, NoArticlesError
from lagebild.ingest import SourceSpec
from lagebild.model import Article

TEXT_A = "Die Bundesregierung hat am Mittwoch einen Entwurf für ein neues Klimaschutzgesetz beschlossen."
TEXT_B = "Der Stadtrat von Lyon a voté mardi soir une nouvelle réglementation sur la circulation."
RECORD = {
    "url": "https://www.zeitung.example/politik/klima-1.html",
    "title": "Kabinett beschließt Klimagesetz",
    "published_at": "2023-07-27T10:15:00+02:00",
    "text": TEXT_A,
    "source": {"id": "zeitung", "name": "Die Zeitung"},
    "author": "Max Mustermann",
    "tags": ["Klima", "Politik"],
    "wordcount": 14,
}


def _write(tmp_path: Path, name: str, value: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def test_single_object(ingest, tmp_path: Path) -> None:
    path = _write(tmp_path, "one.json", RECORD)
    article = ingest.article(path)
    assert article.title == "Kabinett beschließt Klimagesetz"
    assert article.raw_text == "Kabinett beschließt Klimagesetz\n\n" + TEXT_A
    assert article.outlet == "Die Zeitung"
    assert article.language == "de"
    assert article.published.value == "2023-07-27T10:15:00+02:00"
    assert article.published.earliest == article.published.latest == article.published.value
    assert article.published.source == "metadata"
    assert article.published.evidence == [{"text": "2023-07-27T10:15:00+02:00", "reason": "record field 'published_at'"}]
    prov = article.source[0]
    assert (prov.source, prov.format, prov.url, prov.record, prov.encoding) == (
        str(path), "json", "https://www.zeitung.example/politik/klima-1.html", None, "utf-8")
    assert article.metadata == {"author": "Max Mustermann", "tags": ["Klima", "Politik"], "wordcount": 14}


def test_array_of_objects_numbers_records(ingest, tmp_path: Path) -> None:
    second = {"title": "Lyon", "content": TEXT_B, "outlet": "Le Journal", "date": "27.07.2023", "lang": "fr-FR"}
    path = _write(tmp_path, "many.json", [RECORD, second])
    articles = ingest.all(path)
    assert all(isinstance(a, Article) for a in articles)
    assert [a.source[0].source for a in articles] == [f"{path}#1", f"{path}#2"]
    assert [a.source[0].record for a in articles] == ["1", "2"]
    assert articles[1].outlet == "Le Journal"
    assert articles[1].language == "fr"
    assert articles[1].published.value == "2023-07-27"


def test_articles_wrapper(ingest, tmp_path: Path) -> None:
    path = _write(tmp_path, "export.json", {"status": "ok", "articles": [RECORD, {"body": TEXT_B}]})
    articles = ingest.all(path)
    assert [type(a) for a in articles] == [Article, Article]
    assert articles[1].title == TEXT_B  # no title field: the first line is the candidate
    assert articles[1].raw_text == TEXT_B


def test_text_already_starting_with_title_is_not_doubled(ingest, tmp_path: Path) -> None:
    record = {"title": "Kabinett beschließt Klimagesetz", "text": "Kabinett beschließt Klimagesetz\n\n" + TEXT_A}
    article = ingest.article(_write(tmp_path, "a.json", record))
    assert article.raw_text == record["text"]


def test_html_field_runs_the_html_reader(ingest, tmp_path: Path) -> None:
    html = (
        "<html lang='de'><head><title>Seite</title><script>var SCRIPT_MARKER = 1;</script></head>"
        f"<body><article><p>{TEXT_A}</p><p>Ein zweiter Absatz mit weiteren Einzelheiten zum Entwurf.</p></article></body></html>"
    )
    record = {"url": "https://www.zeitung.example/x.html", "title": "Eigener Titel", "html": html, "date": "2023-07-27"}
    article = ingest.article(_write(tmp_path, "h.json", record))
    assert article.title == "Eigener Titel"
    assert article.raw_text == f"Eigener Titel\n\n{TEXT_A}\nEin zweiter Absatz mit weiteren Einzelheiten zum Entwurf."
    assert "SCRIPT_MARKER" not in article.raw_text
    assert article.published.value == "2023-07-27"
    assert article.outlet == "zeitung.example"
    assert "html" not in article.metadata


def test_record_without_text_is_an_error_naming_the_record(ingest, tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.json", [RECORD, {"title": "Nur ein Titel"}, RECORD])
    results = ingest.all(path)
    assert [type(r) for r in results] == [Article, EmptyInputError, Article]
    assert str(results[1]).startswith(f"{path}#2: the record has no text")


def test_jsonl_one_bad_line_among_good_ones(ingest, tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps(RECORD), json.dumps({"text": TEXT_B}), '{"text": "kaputt', "", json.dumps({"text": TEXT_A})]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    results = ingest.all(path)
    assert [type(r).__name__ for r in results] == ["Article", "Article", "MalformedInputError", "Article"]
    bad = results[2]
    assert isinstance(bad, InputError)
    assert bad.source == f"{path}:3"
    assert str(bad).startswith(f"{path}:3: not valid JSON")
    good = [r for r in results if isinstance(r, Article)]
    assert [a.source[0].source for a in good] == [f"{path}#1", f"{path}#2", f"{path}#4"]
    assert [a.source[0].format for a in good] == ["jsonl"] * 3
    assert good[1].language == "fr"


def test_jsonl_sniffed_without_extension(ingest) -> None:
    data = (json.dumps({"text": TEXT_A}) + "\n" + json.dumps({"text": TEXT_B}) + "\n").encode()
    results = ingest.all(SourceSpec(name="-", data=data))
    assert [a.source[0].source for a in results] == ["-#1", "-#2"]


def test_malformed_json_file(ingest, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"title": "x", "text": "abc",\n  "tags": [1, 2}\n', encoding="utf-8")
    error = ingest.error(path, MalformedInputError)
    assert str(error).startswith(f"{path}: not valid JSON (")
    assert "line 2" in str(error)
    assert "\n" not in str(error)


def test_text_file_starting_with_bracket_stays_text(ingest, tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("[Eilmeldung] Starkregen in Sachsen\n\nDer Wetterdienst warnt vor Überflutungen.\n", encoding="utf-8")
    article = ingest.article(path)
    assert article.source[0].format == "text"
    assert article.title == "[Eilmeldung] Starkregen in Sachsen"


@pytest.mark.parametrize(
    ("value", "error"),
    [([], NoArticlesError), ({"articles": []}, NoArticlesError), (42, MalformedInputError), ({"title": "x"}, EmptyInputError)],
)
def test_json_without_articles(ingest, tmp_path: Path, value: object, error: type[InputError]) -> None:
    path = _write(tmp_path, "x.json", value)
    assert ingest.error(path, error).source == str(path)


def test_non_object_record(ingest, tmp_path: Path) -> None:
    path = _write(tmp_path, "x.json", [RECORD, "just a string"])
    results = ingest.all(path)
    assert isinstance(results[1], MalformedInputError) and results[1].source == f"{path}#2"


def test_metadata_is_strict_json(ingest, tmp_path: Path) -> None:
    path = tmp_path / "nan.json"
    path.write_text('{"text": "%s", "score": NaN, "nested": {"a": [1, Infinity]}}' % TEXT_A, encoding="utf-8")
    article = ingest.article(path)
    assert article.metadata == {"score": None, "nested": {"a": [1, None]}}
    json.dumps(article.to_dict(), allow_nan=False)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2023-07-27", "2023-07-27"),
        ("2023-07-27T08:00:00Z", "2023-07-27T08:00:00+00:00"),
        ("Thu, 27 Jul 2023 10:00:00 +0200", "2023-07-27T10:00:00+02:00"),
        (1690452000, "2023-07-27T10:00:00+00:00"),
        (1690452000000, "2023-07-27T10:00:00+00:00"),
        (2023, "2023"),
    ],
)
def test_record_dates(ingest, tmp_path: Path, given: object, expected: str) -> None:
    article = ingest.article(_write(tmp_path, "d.json", {"text": TEXT_A, "date": given}))
    assert article.published.value == expected


def test_unparseable_date_stays_in_metadata(ingest, tmp_path: Path) -> None:
    article = ingest.article(_write(tmp_path, "d.json", {"text": TEXT_A, "date": "gestern Abend"}))
    assert article.published.value is None
    assert article.metadata == {"date": "gestern Abend"}


@pytest.mark.shared
def test_plover_records_json_despite_txt_name(ingest, shared: Path) -> None:
    path = shared / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"
    records = json.loads(path.read_text(encoding="utf-8"))
    results = ingest.all(path)
    assert len(results) == len(records) == 323
    with_text = [i for i, r in enumerate(records) if isinstance(r.get("text"), str) and r["text"].strip()]
    articles = [r for r in results if isinstance(r, Article)]
    assert len(articles) == len(with_text)
    first = articles[0]
    assert first.source[0].format == "json"
    assert first.source[0].source == f"{path}#{with_text[0] + 1}"
    assert records[with_text[0]]["text"].strip() in first.raw_text
    assert sum(a.language == "en" for a in articles) >= 0.9 * len(articles)


@pytest.mark.shared
def test_index_records_without_text_each_report_an_error(ingest, shared: Path) -> None:
    path = shared / "data" / "wikinews_text" / "index.jsonl"
    results = ingest.all(path)
    assert len(results) == 700
    assert all(isinstance(r, EmptyInputError) for r in results)
    assert results[0].source == f"{path}#1"
