"""Relative update stamps, comment counters and media boxes (defect: they reached story summaries)."""

from __future__ import annotations

import pytest
from support import EXAMPLES

from lagebild.clean.furniture import REASONS, classify_lines, furniture_reason
from lagebild.model import Article, Provenance
from lagebild.nlp import split_sentences
from lagebild.picture._describe import lead_sentences


def _decide(text: str, language: str = "de") -> dict[int, str | None]:
    return {d.line: d.reason for d in classify_lines(text, language, {})}


@pytest.mark.parametrize(
    ("line", "language", "reason"),
    [
        ("Aktualisiert vor 2 Stunden", "de", "timestamp"),
        ("Zuletzt aktualisiert: vor 15 Minuten", "de", "timestamp"),
        ("vor 3 Std.", "de", "timestamp"),
        ("Updated 2 hours ago", "en", "timestamp"),
        ("Last updated 45 mins ago", "en", "timestamp"),
        ("Mis à jour il y a 3 heures", "fr", "timestamp"),
        ("Kommentare (11)", "de", "navigation"),
        ("27 Comments", "en", "navigation"),
        ("Foto: Max Mustermann / dpa", "de", "photo-credit"),
        ("Video", "de", "video-teaser"),
        # prose that merely starts alike stays
        ("Vor 3 Stunden hatte der Minister die Einigung verkündet.", "de", None),
        ("Updated figures came two hours ago from the ministry.", "en", None),
        ("Die Kommentare (11 Seiten) lagen dem Gericht vor.", "de", None),
    ],
)
def test_furniture_reason_of_one_line(line: str, language: str, reason: str | None) -> None:
    assert furniture_reason(line, language) == reason
    assert reason is None or reason in REASONS


def test_example_stamp_and_video_box_removed() -> None:
    """examples/: the update stamp, the comment counter and the video box's title line go; the story stays."""
    bt = _decide((EXAMPLES / "bundestagswahl-2025.txt").read_text(encoding="cp1252"))
    raw = (EXAMPLES / "bundestagswahl-2025.txt").read_text(encoding="cp1252").splitlines()
    assert raw[7] == "Aktualisiert vor 2 Stunden" and bt[8] == "timestamp"
    cb_text = (EXAMPLES / "carolabruecke-dresden.txt").read_text(encoding="utf-8")
    cb, lines = _decide(cb_text), cb_text.splitlines()
    assert lines[7] == "Kommentare (11)" and cb[8] == "navigation"
    assert lines[9:12] == ["Video", "Trümmer im Fluss: Luftbilder von der Unglücksstelle", "Video: 1:24 Min."]
    assert cb[10] == cb[11] == cb[12] == "video-teaser"
    assert lines[17].startswith("In der Nacht zum Mittwoch") and cb[18] is None


def test_media_label_without_duration_keeps_following_prose() -> None:
    text = "Titel der Meldung hier\n\nVideo\nDer Minister sprach am Montag lange über die Lage im Land und die Folgen.\n"
    d = _decide(text)
    assert d[3] == "video-teaser" and d[4] is None


def test_summary_guard_skips_furniture_lines_in_sentences() -> None:
    """Even when furniture reaches the text, lead sentences drop it (a stamp, a glued caption line)."""
    text = ("Aktualisiert vor 2 Stunden\n\nTrümmer im Fluss: Luftbilder von der Unglücksstelle\n"
            "In der Nacht zum Mittwoch ist in der Stadt ein Teil der Brücke eingestürzt. "
            "Verletzt wurde nach Angaben der Polizei niemand.")
    a = Article(id="x", source=[Provenance(source="t", format="text")], raw_text=text, text=text, language="de",
                sentences=split_sentences(text, "de"))
    got = lead_sentences(a, 3)
    assert got == ["In der Nacht zum Mittwoch ist in der Stadt ein Teil der Brücke eingestürzt.",
                   "Verletzt wurde nach Angaben der Polizei niemand."]
