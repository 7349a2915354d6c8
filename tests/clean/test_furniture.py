"""Furniture removal on invented articles (German, English, French)."""

from __future__ import annotations


import pytest
from hypothesis import given, settings as hsettings, strategies as st

from lagebild.clean.furniture import REASONS, classify_lines, clean, group_removed, rebuild_text
from lagebild.errors import ConfigError
from lagebild.model import Article, Removed
from lagebild.pipeline import Pipeline, get_stage


def decide(text: str, language: str | None = "de", title: str | None = None) -> dict[int, str | None]:
    """Raw line → None (kept) or the reason it was removed."""
    return {d.line: d.reason for d in classify_lines(text, language, {}, title=title)}


def kept(text: str, language: str | None = "de", title: str | None = None) -> list[int]:
    return [n for n, r in decide(text, language, title).items() if r is None]


# -- German --------------------------------------------------------------------
DE_GALLERY = """Ausland

Stadtrat beschließt neue Brücke über den Fluss

Nach jahrelangem Streit hat der Stadtrat am Dienstag den Bau einer neuen Brücke beschlossen. Die Kosten sollen bei zwölf Millionen Euro liegen.

Von Anna Beispiel
Der Bürgermeister (M.) mit Mitgliedern des Stadtrats vor der alten Brücke.
Foto: Max Muster / dpa

Die alte Brücke war seit dem Frühjahr gesperrt, weil Gutachter Risse im Beton gefunden hatten. Seitdem müssen Pendler einen Umweg von mehreren Kilometern fahren.

3/12
Zur Bildergalerie
    Pendler warten an der Umleitung auf den Bus in die Innenstadt.
    IMAGO / Fotograf Beispiel

Wie geht es weiter?

Die Bauarbeiten sollen im Herbst beginnen und zwei Jahre dauern. Der Verkehr wird in dieser Zeit über eine Behelfsbrücke geführt, kündigte die Verwaltung an.

Quelle: beispielzeitung.de, abc/dpa

Newsletter
Ich möchte den Newsletter per E-Mail erhalten.
Jetzt anmelden
"""


def test_german_page_furniture() -> None:
    r = decide(DE_GALLERY)
    assert [n for n, reason in r.items() if reason is None] == [3, 5, 11, 18, 20]
    assert r[1] == "section-label"
    assert r[7] == "byline"
    assert r[8] == "caption"
    assert r[9] == "photo-credit"
    assert r[13] == r[14] == r[15] == r[16] == "gallery"
    assert r[22] == "source-line"
    assert r[24] == r[25] == r[26] == "newsletter"


def test_german_stage_parses_source_and_byline() -> None:
    art = Article(raw_text=DE_GALLERY, language="de", title="Ausland", agencies=["AFP"])
    out = clean(art, {})
    assert out.title == "Stadtrat beschließt neue Brücke über den Fluss"
    assert out.agencies == ["AFP", "dpa"]
    assert out.outlet == "beispielzeitung.de"
    assert out.metadata == {"author": "Anna Beispiel"}
    assert art.metadata == {} and art.agencies == ["AFP"] and art.text == ""
    assert out.text.splitlines()[0] == "Stadtrat beschließt neue Brücke über den Fluss"
    assert "Wie geht es weiter?\n\nDie Bauarbeiten" in out.text
    assert [r.to_dict() for r in out.removed][:3] == [
        {"lines": [1], "reason": "section-label"},
        {"lines": [7], "reason": "byline"},
        {"lines": [8], "reason": "caption"},
    ]


def test_german_article_prose_is_kept() -> None:
    text = (
        "Hitzewelle: Kommunen öffnen kühle Räume\n"
        "Mehrere Städte reagieren auf die hohen Temperaturen und öffnen klimatisierte Räume für alle Bürger.\n"
        "Das Wichtigste in Kürze\n"
        "- Die Temperaturen steigen bis Freitag auf 38 Grad.\n"
        "- Bibliotheken und Rathäuser bleiben länger geöffnet.\n"
        "„Wir wollen niemanden allein lassen“, sagte die Sozialdezernentin am Montag in einer Pressekonferenz.\n"
        "Was die Ärzte raten\n"
        "Mediziner empfehlen, viel zu trinken und die Mittagshitze zu meiden. Besonders gefährdet seien ältere Menschen.\n"
    )
    decisions = classify_lines(text, "de", {})
    assert all(d.keep for d in decisions)
    roles = {d.line: d.role for d in decisions}
    assert roles == {1: "title", 2: "lead", 3: "heading", 4: "body", 5: "body", 6: "body", 7: "heading", 8: "body"}


def test_section_label_only_above_a_longer_headline() -> None:
    body = "Die Armee hat nach eigenen Angaben in der Nacht erneut Ziele im Norden angegriffen, teilte ein Sprecher mit.\n"
    labelled = f"Krieg in Nahost\n\nArmee meldet neue Angriffe im Norden des Landes\n\n{body}"
    assert [(d.line, d.reason, d.role) for d in classify_lines(labelled, "de", {})] == [
        (1, "section-label", "furniture"),
        (3, None, "title"),
        (5, None, "lead"),
    ]
    # a short headline with a verb is a title, and the line under it a sub-headline
    short_title = f"Armee greift an\n\nNeue Angriffe im Norden des Landes gemeldet\n\n{body}"
    assert [(d.line, d.reason, d.role) for d in classify_lines(short_title, "de", {})] == [
        (1, None, "title"),
        (3, None, "heading"),
        (5, None, "lead"),
    ]
    # incoming title naming the section label (plain-text ingest takes the first line) is replaced
    out = clean(Article(raw_text=labelled, language="de", title="Krieg in Nahost"), {})
    assert out.title == "Armee meldet neue Angriffe im Norden des Landes"


def test_one_line_articles_are_kept() -> None:
    prose = "Der Wetterdienst warnt für Sonntag vor Sturmböen an der Küste und rät, Ausflüge zu verschieben."
    assert [(d.line, d.keep, d.role) for d in classify_lines(prose, "de", {})] == [(1, True, "lead")]
    headline = "Sturmwarnung für die Küste"
    assert [(d.line, d.keep, d.role) for d in classify_lines(headline, "de", {})] == [(1, True, "title")]
    assert classify_lines("", "de", {}) == []
    assert classify_lines("\n  \n", "de", {}) == []


def test_breadcrumbs_separators_markup() -> None:
    text = (
        "Startseite > Politik > Inland\n"
        "Neue Regeln für Balkonkraftwerke treten in Kraft\n"
        "***\n"
        "<div class=\"teaser\"></div>\n"
        "Ab dem ersten des Monats dürfen Mieter kleine Solaranlagen leichter anmelden, teilte das Ministerium mit.\n"
        "Die Netzbetreiber müssen Anträge künftig innerhalb von vier Wochen bearbeiten, sonst gilt die Anlage als genehmigt.\n"
    )
    r = decide(text)
    assert r == {1: "navigation", 2: None, 3: "separator", 4: "markup", 5: None, 6: None}
    assert decide("Home | News | Sport\nEin Titel für die Meldung\n" + "Der Text ist lang genug und erzählt, was geschehen ist, mit vielen Einzelheiten.")[1] == (
        "navigation"
    )


def test_dated_teaser_only_when_unrelated() -> None:
    body = (
        "Streik im Nahverkehr legt Busse lahm\n\n"
        "Wegen eines Warnstreiks fahren in der Stadt seit dem frühen Morgen keine Busse und Straßenbahnen. "
        "Die Gewerkschaft fordert mehr Lohn für die Fahrerinnen und Fahrer im Nahverkehr.\n\n"
    )
    unrelated = "14.03.2024: Zoo begrüßt Nachwuchs bei den Pinguinen – Besucher können die Küken ab Ostern sehen.\n"
    related = "15.03.2024: Gewerkschaft kündigt weiteren Warnstreik im Nahverkehr an, Busse und Straßenbahnen stehen erneut.\n"
    r = decide(body + unrelated + related)
    assert r[5] == "dated-teaser"
    assert r[6] is None


def test_repeated_long_paragraph_keeps_first_copy() -> None:
    para = (
        "Der Gemeinderat hat den Haushalt für das kommende Jahr mit großer Mehrheit verabschiedet, "
        "nachdem die Opposition ihre Änderungsanträge zurückgezogen hatte und die Verwaltung zusätzliche "
        "Mittel für Schulen und Kindergärten zugesagt hatte; die Debatte dauerte mehr als vier Stunden und "
        "endete erst kurz vor Mitternacht mit der entscheidenden Abstimmung."
    )
    text = f"Haushalt beschlossen\n\n{para}\n\nDie Zustimmung fiel deutlicher aus als erwartet, hieß es aus dem Rathaus.\n\n{para}\n"
    r = decide(text)
    assert r == {1: None, 3: None, 5: None, 7: "caption"}


def test_audio_and_video_teaser() -> None:
    text = (
        "Marathon in der Innenstadt: Straßen gesperrt\n"
        "00:00\n"
        "Diese Audioversion wurde künstlich erzeugt.\n"
        "Am Sonntag laufen mehr als zehntausend Menschen durch die Innenstadt, viele Straßen bleiben bis zum Abend gesperrt.\n"
        "Video: So sieht die Strecke aus 02.04.2024 | 3:12 min\n"
        "Die Veranstalter bitten Anwohner, ihre Autos am Samstag aus den markierten Zonen zu entfernen.\n"
    )
    assert decide(text) == {1: None, 2: "audio", 3: "audio", 4: None, 5: "video-teaser", 6: None}


def test_empty_heading_at_end() -> None:
    text = (
        "Bahn erneuert Stellwerk\n\n"
        "Die Bahn erneuert in den Sommerferien das Stellwerk am Hauptbahnhof, Züge fallen deshalb teilweise aus.\n\n"
        "Weitere Informationen\n"
    )
    assert decide(text) == {1: None, 3: None, 5: "empty-heading"}


# -- English -------------------------------------------------------------------
EN_TEXT = """Home | World

Harbour city votes to build new sea wall

Listen to this article

By Jane Example

Residents of the harbour city voted on Sunday to fund a new sea wall after three winter storms flooded the old town.

The council said construction would start next spring and take four years to complete.

Related

Storm season: what to expect this winter

Forecasters expect more frequent storms along the coast this year, with ... Read more »

Mayor defends flood budget

The mayor said the city could not afford to wait any longer for national funding and ... Read more »

Subscribe to our newsletter
Source: AP
"""


def test_english_furniture() -> None:
    r = decide(EN_TEXT, "en")
    assert [n for n, reason in r.items() if reason is None] == [3, 9, 11]
    assert r[1] == "navigation"
    assert r[5] == "audio"
    assert r[7] == "byline"
    assert all(r[n] == "teaser-list" for n in (13, 15, 17, 19, 21))
    assert r[23] == "newsletter"
    assert r[24] == "source-line"
    out = clean(Article(raw_text=EN_TEXT, language="en"), {})
    assert out.agencies == ["AP"] and out.metadata["author"] == "Jane Example"


def test_english_teaser_block_ends_at_prose() -> None:
    text = (
        "Council approves budget\n\n"
        "The council approved the budget on Tuesday after a long debate about school funding and road repairs.\n\n"
        "Read more\n"
        "Road repairs delayed again\n\n"
        "What happens next\n"
        "The budget now goes to the regional authority, which has six weeks to raise objections before it takes effect.\n"
    )
    assert decide(text, "en") == {1: None, 3: None, 5: "teaser-list", 6: "teaser-list", 8: None, 9: None}


def test_english_gallery_caption_with_position_markers() -> None:
    text = (
        "Festival opens with record crowd\n"
        "Visitors (left) queue at the main gate on the opening day.\n"
        "Getty Images / Staff\n"
        "The music festival opened on Friday with more visitors than ever before, organisers said in a statement.\n"
        "Photo 2 of 9\n"
        "Fans dance in front of the main stage.\n"
        "The organisers expect more than fifty thousand guests over the weekend, despite the forecast of heavy rain.\n"
    )
    r = decide(text, "en")
    assert r == {1: None, 2: "caption", 3: "photo-credit", 4: None, 5: "gallery", 6: "gallery", 7: None}


# -- French --------------------------------------------------------------------
FR_TEXT = """Accueil > Monde

La ville vote la construction d'une digue

Photo : Jean Exemple / AFP

Le maire (au centre) présente le projet aux habitants.

Le conseil municipal a approuvé dimanche la construction d'une nouvelle digue après les inondations de l'hiver dernier.

Lire aussi
Les tempêtes se multiplient sur la côte

Les travaux doivent commencer au printemps et durer quatre ans, selon la mairie, qui promet de limiter les nuisances.

Source : AFP, Belga
"""


def test_french_furniture() -> None:
    r = decide(FR_TEXT, "fr")
    assert r == {
        1: "navigation",
        3: None,
        5: "photo-credit",
        7: "caption",
        9: None,
        11: "teaser-list",
        12: "teaser-list",
        14: None,
        16: "source-line",
    }
    out = clean(Article(raw_text=FR_TEXT, language="fr"), {})
    assert out.agencies == ["AFP", "Belga"]


# -- source lines and datelines -----------------------------------------------
@pytest.mark.parametrize(
    "line, agencies",
    [
        ("Mit Material von dpa und Reuters", ["dpa", "Reuters"]),
        ("(dpa)", ["dpa"]),
        ("xyz/AFP", ["AFP"]),
        ("Quelle: Keystone-SDA, APA", ["Keystone-SDA", "APA"]),
        ("Source: Associated Press", ["AP"]),
    ],
)
def test_source_lines(line: str, agencies: list[str]) -> None:
    text = (
        "Gericht stoppt Abschiebung\n\n"
        "Das Verwaltungsgericht hat die Abschiebung einer Familie vorläufig gestoppt, teilte ein Sprecher am Mittwoch mit.\n\n"
        f"{line}\n"
    )
    out = clean(Article(raw_text=text, language="de"), {})
    assert out.removed == [Removed(lines=[5], reason="source-line")]
    assert out.agencies == agencies


def test_dateline_agency_is_read_but_line_kept() -> None:
    text = "Hafen wird ausgebaut\n\nHamburg (dpa) - Der Hafen soll bis 2030 deutlich wachsen, sagte der Senator am Montag vor Journalisten.\n"
    out = clean(Article(raw_text=text, language="de"), {})
    assert out.kept_lines == [1, 3] and out.agencies == ["dpa"]
    off = clean(Article(raw_text=text, language="de"), {"inline_agencies": False})
    assert off.agencies == []
    trailing = "Hafen wird ausgebaut\n\nDer Hafen soll bis 2030 deutlich wachsen, sagte der Senator am Montag. (AFP/rtr)\n"
    out = clean(Article(raw_text=trailing, language="de"), {})
    assert out.kept_lines == [1, 3] and out.agencies == ["AFP", "Reuters"]


# -- rebuild_text, grouping, contracts -----------------------------------------
def test_rebuild_text_joins_and_maps() -> None:
    raw = "  Titel  \n\nErste Zeile\nZweite Zeile\nweg\nDritte Zeile\t\n"
    text, kept_lines, line_map = rebuild_text(raw, {1: True, 3: True, 4: True, 5: False, 6: True, 2: True})
    assert text == "Titel\n\nErste Zeile\nZweite Zeile\n\nDritte Zeile"
    assert kept_lines == [1, 3, 4, 6]
    assert line_map == [[0, 5, 1], [7, 18, 3], [19, 31, 4], [33, 45, 6]]
    with pytest.raises(ValueError, match="line 9"):
        rebuild_text(raw, {9: True})


def test_group_removed_runs() -> None:
    decisions = classify_lines(DE_GALLERY, "de", {})
    groups = group_removed(decisions)
    assert Removed(lines=[13, 14, 15, 16], reason="gallery") in groups
    assert Removed(lines=[24, 25, 26], reason="newsletter") in groups
    assert all(g.reason in REASONS for g in groups)


def test_clean_runs_in_strict_pipeline() -> None:
    pipe = Pipeline([get_stage("clean")], {"clean": {}}, strict=True)
    art = Article(raw_text=EN_TEXT, language="en", title=None)
    out = pipe.run_article(art)
    assert out is not art and out.kept_lines == [3, 9, 11]


def test_bad_settings_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="stages.clean.title_jaccard"):
        classify_lines("x", "de", {"title_jaccard": 3})
    with pytest.raises(ConfigError, match="cue_language"):
        classify_lines("x", "de", {"cue_language": "xx"})
    with pytest.raises(ConfigError, match="extra_cue_languages"):
        classify_lines("x", "de", {"extra_cue_languages": ["zz"]})


# -- invariants on arbitrary text ---------------------------------------------
LINE_POOL = [
    "",
    "   ",
    "Politik",
    "Ein Titel über etwas Wichtiges",
    "Die Regierung hat am Montag neue Regeln beschlossen, die ab dem kommenden Jahr gelten sollen.",
    "    Ein eingerückter Absatz mit einer Aussage, die länger ist als eine Überschrift und mit Punkt endet.",
    "1/5",
    "Gehe zur Galerie",
    "Foto: Erika Muster / dpa",
    "Quelle: dpa",
    "Newsletter",
    "|",
    "Mehr zum Thema",
    "Kurzer Teaser ohne Punkt",
    "Ein langer Teaser, der mit einem Link endet ... mehr »",
    "<p>",
    "12.01.2024: Etwas ganz anderes passiert woanders in einer anderen Stadt.",
    "- ein Stichpunkt",
    "\tTab am Anfang",
]


@hsettings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(LINE_POOL), min_size=0, max_size=40), st.sampled_from(["de", "en", "fr", None]))
def test_every_line_accounted_for(lines: list[str], language: str | None) -> None:
    raw = "\n".join(lines)
    out = clean(Article(raw_text=raw, language=language), {})
    raw_lines = raw.split("\n")
    for start, end, n in out.line_map:
        assert out.text[start:end] == raw_lines[n - 1].strip()
    removed = [n for r in out.removed for n in r.lines]
    blank = [i for i, line in enumerate(raw_lines, 1) if not line.strip()]
    assert sorted(out.kept_lines + removed + blank) == list(range(1, len(raw_lines) + 1))
    assert out.kept_lines == sorted(out.kept_lines)
    assert all(r.reason in REASONS for r in out.removed)


# -- real article text from ../shared: prose must survive -----------------------
def _sentences(text: str) -> list[str]:
    import re

    return re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"])", text.strip())


@pytest.mark.shared
def test_wikinews_paragraphs_are_kept(shared) -> None:
    import json

    folder = shared / "data" / "wikinews_text"
    if not (folder / "index.jsonl").is_file():
        pytest.skip("../shared/data/wikinews_text not found")
    entries = [json.loads(line) for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    checked = 0
    for e in entries[:300]:
        sents = _sentences((folder / e["file"]).read_text(encoding="utf-8"))
        paras = [" ".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]
        raw = e["title"] + "\n\n" + "\n\n".join(paras)
        for d in classify_lines(raw, "de", {}, title=e["title"]):
            if len(d.text.split()) >= 10 and d.text.rstrip("\"“»").endswith((".", "!", "?")):
                checked += 1
                assert d.keep, f"{e['file']} line {d.line} removed as {d.reason}: {d.text[:80]!r}"
    assert checked > 1000


@pytest.mark.shared
def test_single_paragraph_news_is_kept(shared) -> None:
    import csv

    path = shared / "data" / "10kgnad" / "test.csv"
    if not path.is_file():
        pytest.skip("../shared/data/10kgnad/test.csv not found")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";", quotechar="'"))
    assert len(rows) > 1000
    for _label, text in rows:
        assert all(d.keep for d in classify_lines(text, "de", {})), text[:80]


def test_section_label_between_given_title_and_its_repeat() -> None:
    # HTML/JSON ingest puts the metadata title on line 1; the page then shows a
    # section label and the headline again
    text = (
        "Hafen erhält neues Containerterminal\n\nWirtschaft\n\nHafen erhält neues Containerterminal\n\n"
        "Der Hafen hat am Freitag ein neues Terminal in Betrieb genommen. Es soll den Umschlag um ein Drittel steigern.\n"
        "Video: Die ersten Schiffe am neuen Kai (1:45)\n"
        "Die Bauarbeiten hatten vier Jahre gedauert und kosteten rund 300 Millionen Euro, wie die Betreiber mitteilten.\n"
    )
    d = decide(text, title="Hafen erhält neues Containerterminal")
    assert d == {1: None, 3: "section-label", 5: "title-repeat", 7: None, 8: "video-teaser", 9: None}
