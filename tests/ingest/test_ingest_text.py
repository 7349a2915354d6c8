"""Plain text: seeds, encodings, line endings, Unicode normalisation, titles, language."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from lagebild.ingest import SourceSpec, read_path
from lagebild.model import Article, Published
from lagebild.pipeline import INGEST_SETS

GERMAN = (
    "Bürgerbeteiligung in Köln\n"
    "\n"
    "Die Stadtverwaltung hat am Dienstag über Straßenbahnpläne informiert. "
    "Größere Änderungen seien nötig, äußerte sich die Dezernentin – und verwies auf „Übergangslösungen“.\n"
    "Weitere Gespräche folgen im März.\n"
)


@pytest.mark.shared
def test_seeds_read_as_plain_text(ingest, seeds: list[Path]) -> None:
    assert len(seeds) == 5
    for path in seeds:
        article = ingest.article(path)
        expected = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
        assert article.raw_text == unicodedata.normalize("NFC", expected)
        assert article.source[0].source == str(path)
        assert article.source[0].format == "text"
        assert article.source[0].encoding == "utf-8"
        first = next(line.strip() for line in expected.split("\n") if line.strip())
        assert article.title == first
        assert article.language == "de"
        assert article.outlet is None and article.agencies == []
        assert article.published == Published()
        assert article.metadata == {}


@pytest.mark.shared
def test_wikinews_text_files_are_german_single_paragraphs(ingest, shared: Path) -> None:
    files = sorted((shared / "data" / "wikinews_text").glob("*.txt"))[:20]
    assert len(files) == 20
    for path in files:
        article = ingest.article(path)
        assert article.language == "de"
        assert article.raw_text == path.read_text(encoding="utf-8")


def test_every_ingest_field_is_set(ingest, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(GERMAN, encoding="utf-8")
    article = ingest.article(path)
    assert isinstance(article, Article)
    assert article.source and article.raw_text and article.title
    assert isinstance(article.agencies, list) and isinstance(article.metadata, dict)
    assert isinstance(article.published, Published)
    # ingest leaves the fields of later stages empty
    assert article.text == "" and article.id == "" and article.line_map == []
    assert {"source", "raw_text", "title", "language", "published", "metadata"} <= INGEST_SETS


@pytest.mark.parametrize(
    ("encoding", "prefix", "recorded"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32"),
        ("cp1252", b"", "cp1252"),
        ("latin-1", b"", "cp1252"),
    ],
)
def test_encodings_decode_to_the_same_nfc_text(ingest, tmp_path: Path, encoding: str, prefix: bytes, recorded: str) -> None:
    text = GERMAN if encoding != "latin-1" else GERMAN.replace("–", "-").replace("„", '"').replace("“", '"')
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(prefix + text.encode(encoding))
    article = ingest.article(path)
    assert article.raw_text == text
    assert article.source[0].encoding == recorded
    assert article.title == "Bürgerbeteiligung in Köln"
    assert article.language == "de"


def test_short_cp1252_word_is_not_mistaken_for_utf16(ingest, tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes("Müller".encode("cp1252"))
    article = ingest.article(path)
    assert article.raw_text == "Müller"
    assert article.source[0].encoding == "cp1252"
    assert article.language is None  # too short to tell


def test_french_cp1252(ingest, tmp_path: Path) -> None:
    text = "Élection à Besançon\n\nLe maire a présenté ses vœux : « Ça suffit », dit-il, à 20 € près.\n"
    path = tmp_path / "fr.txt"
    path.write_bytes(text.encode("cp1252"))
    article = ingest.article(path)
    assert article.raw_text == text
    assert article.language == "fr"


def test_utf8_with_stray_cp1252_bytes(ingest, tmp_path: Path) -> None:
    body = ("Grüße aus München. " * 10).encode("utf-8") + "Für".encode("cp1252") + b" alle.\n"
    path = tmp_path / "mixed.txt"
    path.write_bytes(body)
    article = ingest.article(path)
    assert article.raw_text.endswith("Grüße aus München. Für alle.\n")
    assert article.source[0].encoding == "utf-8+cp1252"


def test_cyrillic_cp1251_is_not_read_as_cp1252(ingest, tmp_path: Path) -> None:
    text = "Правительство объявило о новых мерах поддержки экономики в понедельник вечером."
    path = tmp_path / "ru.txt"
    path.write_bytes(text.encode("cp1251"))
    article = ingest.article(path)
    assert article.source[0].encoding != "cp1252"
    assert "Правительство" in article.raw_text


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n", "\u2028"])
def test_line_endings_become_newlines(ingest, tmp_path: Path, newline: str) -> None:
    lines = ["Titel der Meldung", "", "Erster Absatz.", "Zweiter Absatz."]
    path = tmp_path / "nl.txt"
    path.write_bytes(newline.join(lines).encode("utf-8"))
    article = ingest.article(path)
    assert article.raw_text == "\n".join(lines)
    assert article.raw_text.split("\n") == article.raw_text.splitlines()


def test_decomposed_umlauts_become_nfc(ingest, tmp_path: Path) -> None:
    composed = "Grüße aus Köln und Übersee"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    path = tmp_path / "nfd.txt"
    path.write_text(decomposed, encoding="utf-8")
    assert ingest.article(path).raw_text == composed


def test_title_is_first_non_empty_line_stripped(ingest, tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("\n\n   Eilmeldung: Hochwasser an der Elbe   \n\nText folgt.\n", encoding="utf-8")
    article = ingest.article(path)
    assert article.title == "Eilmeldung: Hochwasser an der Elbe"
    assert article.raw_text.startswith("\n\n   Eilmeldung")


def test_overlong_first_line_is_no_title(ingest, tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Wort " * 100 + "\n", encoding="utf-8")
    assert ingest.article(path).title is None
    assert ingest.article(path, max_title_chars=1000).title == ("Wort " * 100).strip()


def test_language_detection_can_be_switched_off(ingest, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(GERMAN, encoding="utf-8")
    assert ingest.article(path, detect_language=False).language is None
    en = tmp_path / "en.txt"
    en.write_text("The government announced new measures on Tuesday to support small businesses.", encoding="utf-8")
    assert ingest.article(en).language == "en"


def test_stray_control_characters_are_dropped(ingest, tmp_path: Path) -> None:
    path = tmp_path / "ctl.txt"
    path.write_bytes("Titel\n\nText mit \x1b[31mFarbe\x1b[0m und einem Zeichen.\n".encode("utf-8"))
    assert ingest.article(path).raw_text == "Titel\n\nText mit [31mFarbe[0m und einem Zeichen.\n"


def test_stdin_bytes_spec(ingest) -> None:
    article = ingest.article(SourceSpec(name="-", data=GERMAN.encode("utf-16")))
    assert article.raw_text == GERMAN
    assert article.source[0].source == "-"
    assert article.source[0].format == "text"


def test_hint_forces_plain_text(ingest) -> None:
    data = b'{"text": "Ein Satz in JSON, als Text gelesen."}'
    article = ingest.article(SourceSpec(name="-", data=data, hint="text"))
    assert article.raw_text == data.decode()
    assert article.source[0].format == "text"


def test_read_path_returns_articles(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(GERMAN, encoding="utf-8")
    articles = read_path(path)
    assert [a.title for a in articles] == ["Bürgerbeteiligung in Köln"]
