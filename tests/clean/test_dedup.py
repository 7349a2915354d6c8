"""The ``dedup`` corpus stage: exact and near duplicates, shared paragraphs."""

from __future__ import annotations

import copy
import csv
import random
import re
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from lagebild.clean import _shingle
from lagebild.clean.dedup import DedupSettings, dedup, minhash_signature, signature_similarity
from lagebild.clean.identify import identify, normalise_text, text_hash
from lagebild.errors import ConfigError, PipelineError
from lagebild.model import Article, Corpus, Published
from lagebild.pipeline import Pipeline, Stage, _REGISTRY

# An invented agency story, nine paragraphs.
AGENCY = [
    "Nach einem Rohrbruch in der Innenstadt von Bergfeld sind am Dienstagmorgen rund 12.000 "
    "Haushalte ohne Trinkwasser gewesen. Die Stadtwerke teilten mit, die Hauptleitung unter der "
    "Bahnhofstraße sei kurz nach vier Uhr geborsten, vermutlich wegen des starken Frosts der "
    "vergangenen Nächte.",
    "Einsatzkräfte der Feuerwehr richteten an drei Schulen Ausgabestellen ein, an denen Anwohner "
    "Wasser in Kanistern abholen konnten. Ältere und pflegebedürftige Menschen wurden nach Angaben "
    "eines Sprechers vom Roten Kreuz direkt zu Hause versorgt.",
    "Die Bahnhofstraße bleibt voraussichtlich bis Donnerstag für den Autoverkehr gesperrt. Busse der "
    "Linien 4 und 7 werden über den Ring umgeleitet, teilte der Verkehrsverbund mit. Fahrgäste "
    "müssen mit Verspätungen von bis zu zwanzig Minuten rechnen.",
    "Der Leiter der Stadtwerke, Thomas Brenner, sagte, die betroffene Leitung stamme aus den frühen "
    "sechziger Jahren und habe ohnehin im kommenden Sommer ersetzt werden sollen. Man habe die "
    "Arbeiten nun vorgezogen und zusätzliche Trupps aus den Nachbargemeinden angefordert.",
    "Bis zum Abend sollten nach Einschätzung der Techniker die meisten Haushalte wieder versorgt "
    "sein. Das Gesundheitsamt empfahl jedoch, das Leitungswasser in den ersten Tagen vor dem Trinken "
    "abzukochen, bis Laborproben eine einwandfreie Qualität bestätigten.",
    "Die Opposition im Stadtrat forderte eine Sondersitzung. Seit Jahren sei bekannt, dass große "
    "Teile des Leitungsnetzes marode seien, erklärte die Fraktionsvorsitzende der Grünen. Die Stadt "
    "müsse einen verbindlichen Plan für die Sanierung vorlegen und die Kosten offenlegen.",
    "Für Rückfragen richteten die Stadtwerke eine Hotline ein, die rund um die Uhr erreichbar ist. "
    "Auf der Internetseite des Versorgers sollen zudem stündlich aktualisierte Karten zeigen, welche "
    "Straßenzüge wieder angeschlossen sind.",
    "Betroffen waren auch zwei Pflegeheime und das Kreiskrankenhaus. Dort sei der Betrieb dank "
    "eigener Wassertanks ohne Einschränkungen weitergelaufen, versicherte eine Sprecherin des "
    "Klinikverbunds. Geplante Operationen hätten nicht verschoben werden müssen.",
    "Bereits im vergangenen Winter hatte es in Bergfeld zwei kleinere Rohrbrüche gegeben, die jedoch "
    "jeweils nur wenige Straßen betrafen. Ein Gutachten im Auftrag der Stadt hatte danach empfohlen, "
    "die ältesten Abschnitte des Netzes innerhalb von fünf Jahren auszutauschen.",
]
AGENCY_TEXT = "\n\n".join(AGENCY)

# The same story as an outlet ran it: one sentence changed, one paragraph added.
CHANGED_SENTENCE = (
    "Die Bahnhofstraße bleibt nach Angaben der Polizei mindestens bis Freitag für Autos und Radfahrer gesperrt."
)
EXTRA_PARAGRAPH = (
    "Unsere Redaktion hat eine Übersicht der Ausgabestellen zusammengestellt, die laufend ergänzt wird. "
    "Leserinnen und Leser können uns Hinweise über das Kontaktformular schicken."
)
OUTLET_VERSION = "\n\n".join(
    [
        *AGENCY[:2],
        AGENCY[2].replace(AGENCY[2].split(". ")[0] + ".", CHANGED_SENTENCE),
        *AGENCY[3:],
        EXTRA_PARAGRAPH,
    ]
)

UNRELATED = (
    "Der Maschinenbauer Kranich & Söhne hat im dritten Quartal deutlich weniger Aufträge erhalten als "
    "im Vorjahr. Der Umsatz sank um neun Prozent auf 412 Millionen Euro, wie das Unternehmen am "
    "Mittwoch mitteilte.\n\nVor allem aus China seien kaum noch Bestellungen für große Anlagen "
    "eingegangen, sagte Finanzvorstand Petra Lindqvist. Für das Gesamtjahr rechne man nun mit einem "
    "Ergebnis am unteren Ende der bisherigen Prognose.\n\nAn der Börse verlor die Aktie bis zum "
    "Nachmittag mehr als sechs Prozent. Analysten hatten mit einem Rückgang gerechnet, allerdings "
    "nicht in diesem Ausmaß."
)

# Two otherwise different local reports of different outlets that both carry the
# agency's fourth paragraph (the second one re-wrapped, with doubled spaces).
SHARED = AGENCY[3]
REPORT_A = (
    "Bergfeld. Im Stadtteil Nord standen am Dienstag lange Schlangen vor der Grundschule am Markt, "
    "wo Helfer Wasser ausgaben. Viele Familien kamen mit Einkaufswagen voller Kanister.\n\n"
    f"{SHARED}\n\n"
    "Am Nachmittag lief in den ersten Straßen wieder Wasser aus den Hähnen. Ein Anwohner sagte, er "
    "sei froh, dass die Versorgung so schnell organisiert worden sei."
)
REPORT_B = (
    "Kreis Bergfeld – Auch in den umliegenden Dörfern machten sich Bürgermeister Sorgen um die "
    "Versorgung, denn mehrere Gemeinden beziehen ihr Wasser aus dem städtischen Netz.\n"
    "\n"
    + SHARED.replace(", sagte", ",\nsagte").replace(" und ", "  und ")
    + "\n\n"
    "Der Landrat kündigte an, die Notfallpläne des Kreises für solche Fälle überprüfen zu lassen. "
    "Eine Arbeitsgruppe soll bis zum Frühjahr Vorschläge vorlegen."
)

# Paragraphs of another report on the same event (for a similar, not near-duplicate text).
OTHER_PARAGRAPHS = [
    "Schon am frühen Morgen bildeten sich vor den Supermärkten im Zentrum lange Schlangen, weil viele "
    "Menschen Mineralwasser kaufen wollten. Einige Geschäfte meldeten bereits gegen Mittag, dass die "
    "Vorräte erschöpft seien.",
    "Ein Sprecher der Landesregierung bot der Stadt Unterstützung an. Das Technische Hilfswerk stehe "
    "mit mobilen Aufbereitungsanlagen bereit, falls sich die Reparatur länger hinziehen sollte als "
    "geplant.",
    "Wie hoch der Schaden ist, konnte am Dienstag noch niemand sagen. Die Versicherung der Stadtwerke "
    "will in den kommenden Tagen Gutachter schicken, die auch überflutete Keller in der Nachbarschaft "
    "begutachten sollen.",
]


def art(text: str, outlet: str | None, published: str | None = None) -> Article:
    return identify(Article(text=text, outlet=outlet, published=Published(value=published)), {})


def by_id(corpus: Corpus) -> dict[str, Article]:
    return {a.id: a for a in corpus}


def fields(a: Article) -> tuple:
    return (a.duplicate_group, a.duplicate_of, a.shared_paragraphs)


# -- exact duplicates -------------------------------------------------------------


def test_exact_duplicates_across_outlets_are_grouped():
    a = art(AGENCY_TEXT, "bote.example", "2024-01-16")
    b = art(AGENCY_TEXT, "kurier.example", "2024-01-16T09:30:00")
    # whitespace and quote style differ, outlet unknown, no date
    c = art(AGENCY_TEXT.replace("\n\n", "\n \n").replace(", ", ",  "), None)
    d = art(UNRELATED, "bote.example")
    assert len({a.id, b.id, c.id}) == 3
    out = dedup(Corpus([a, b, c, d]), {})
    oa, ob, oc, od = out.articles
    gid = "g" + min(a.id, b.id, c.id)
    assert oa.duplicate_group == ob.duplicate_group == oc.duplicate_group == gid
    # representative: earliest published ("2024-01-16" < "2024-01-16T…" < missing)
    assert oa.duplicate_of is None
    assert ob.duplicate_of == oc.duplicate_of == a.id
    assert od.duplicate_group is None and od.duplicate_of is None
    assert od is d  # untouched article: the very same object
    # the agency paragraphs are inside one group, so none is "shared"
    assert [x.shared_paragraphs for x in out] == [[], [], [], []]


def test_representative_tie_broken_by_smallest_id():
    a, b = art(AGENCY_TEXT, "one.example"), art(AGENCY_TEXT, "two.example")
    out = dedup(Corpus([a, b]), {})
    rep = min(a.id, b.id)
    assert [x.duplicate_of for x in out] == [None if x.id == rep else rep for x in (a, b)]


def test_empty_texts_are_never_grouped():
    a, b = art("", "one.example"), art("  \n ", "two.example")
    out = dedup(Corpus([a, b]), {})
    assert out.articles[0] is a and out.articles[1] is b
    assert a.duplicate_group is None


# -- near duplicates ----------------------------------------------------------------


def test_near_duplicate_grouped_unrelated_not():
    sim = signature_similarity(minhash_signature(AGENCY_TEXT), minhash_signature(OUTLET_VERSION))
    assert 0.8 <= sim < 1.0
    assert signature_similarity(minhash_signature(AGENCY_TEXT), minhash_signature(UNRELATED)) < 0.1
    a = art(AGENCY_TEXT, "dpa.example", "2024-01-16T08:00")
    b = art(OUTLET_VERSION, "bote.example", "2024-01-16T07:59")  # earlier: representative
    c = art(UNRELATED, "bote.example")
    out = dedup(Corpus([a, b, c]), {})
    assert [fields(x)[:2] for x in out] == [("g" + min(a.id, b.id), b.id), ("g" + min(a.id, b.id), None), (None, None)]


def _rewritten() -> str:
    """The agency story with three of nine paragraphs replaced: similar, not a near duplicate."""
    paras = list(AGENCY)
    paras[1], paras[4], paras[7] = OTHER_PARAGRAPHS
    return "\n\n".join(paras)


def test_threshold_from_settings_is_respected():
    other = _rewritten()
    sim = signature_similarity(minhash_signature(AGENCY_TEXT), minhash_signature(other))
    assert 0.35 < sim < 0.7
    a, b = art(AGENCY_TEXT, "dpa.example"), art(other, "bote.example")
    default = dedup(Corpus([a, b]), {})
    assert [x.duplicate_group for x in default] == [None, None]
    loose = dedup(Corpus([a, b]), {"threshold": round(sim - 0.05, 2)})
    assert {x.duplicate_group for x in loose} == {"g" + min(a.id, b.id)}
    strict = dedup(Corpus([a, b]), {"threshold": round(sim + 0.05, 2)})
    assert [x.duplicate_group for x in strict] == [None, None]
    # every setting is read: a coarser shingle changes the estimate
    assert minhash_signature(AGENCY_TEXT, {"shingle_words": 2}) != minhash_signature(AGENCY_TEXT)
    assert len(minhash_signature(AGENCY_TEXT, {"num_perm": 64})) == 64 * 4


def test_groups_are_transitive_via_union_find():
    # c is the outlet version with three more sentences rewritten: near b, not near a
    c_text = OUTLET_VERSION
    for k, new in (
        (5, "Das Netz sei seit langem in einem bedauernswerten Zustand, hieß es von der Opposition"),
        (7, "Man habe die Lage jederzeit unter Kontrolle gehabt, betonte eine Sprecherin"),
        (0, "Die Stadtwerke sprachen am Morgen von einem Schaden an der wichtigsten Leitung der Innenstadt"),
    ):
        c_text = c_text.replace(AGENCY[k].split(". ")[1], new)
    sig = {name: minhash_signature(t) for name, t in (("a", AGENCY_TEXT), ("b", OUTLET_VERSION), ("c", c_text))}
    ab, bc, ac = (signature_similarity(sig[x], sig[y]) for x, y in ("ab", "bc", "ac"))
    threshold = round((ac + min(ab, bc)) / 2, 3)
    assert ac + 0.03 < threshold < min(ab, bc) - 0.03
    arts = [art(AGENCY_TEXT, "a.example"), art(OUTLET_VERSION, "b.example"), art(c_text, "c.example")]
    out = dedup(Corpus(arts), {"threshold": threshold})
    assert [x.duplicate_group for x in out] == ["g" + min(x.id for x in arts)] * 3
    # without b in the corpus, a and c are not duplicates
    assert [x.duplicate_group for x in dedup(Corpus([arts[0], arts[2]]), {"threshold": threshold})] == [None, None]


# -- shared paragraphs ----------------------------------------------------------


def test_shared_paragraph_between_different_articles_of_different_outlets():
    a, b, c = art(REPORT_A, "bote.example"), art(REPORT_B, None), art(UNRELATED, "kurier.example")
    assert signature_similarity(minhash_signature(REPORT_A), minhash_signature(REPORT_B)) < 0.5
    out = dedup(Corpus([a, b, c]), {})
    oa, ob, oc = out.articles
    assert oa.duplicate_group is None and ob.duplicate_group is None
    assert oc is c
    (pa,) = oa.shared_paragraphs
    (pb,) = ob.shared_paragraphs
    assert REPORT_A[pa["start"] : pa["end"]] == SHARED
    assert pa["start"] == REPORT_A.index(SHARED)
    para_b = REPORT_B[pb["start"] : pb["end"]]
    assert para_b.startswith("Der Leiter der Stadtwerke") and para_b.endswith("angefordert.")
    assert "\n" in para_b and normalise_text(para_b) == normalise_text(SHARED)
    assert pa["hash"] == pb["hash"] == text_hash(SHARED)
    assert pa["articles"] == [b.id] and pb["articles"] == [a.id]
    assert pa["outlets"] == pb["outlets"] == ["?", "bote.example"]
    assert set(pa) == {"start", "end", "hash", "articles", "outlets"}


def test_shared_paragraph_lists_all_other_articles_and_respects_min_chars():
    third = "Kurzmeldung aus dem Landkreis.\n\n" + SHARED + "\n\nMehr in Kürze."
    arts = [art(REPORT_A, "bote.example"), art(REPORT_B, "kreis.example"), art(third, "bote.example")]
    out = dedup(Corpus(arts), {})
    for x in out:
        (p,) = x.shared_paragraphs
        assert p["articles"] == sorted(y.id for y in arts if y.id != x.id)
        assert p["outlets"] == ["bote.example", "kreis.example"]
        assert normalise_text(x.text[p["start"] : p["end"]]) == normalise_text(SHARED)
    high = dedup(Corpus(arts), {"min_paragraph_chars": len(SHARED) + 1})
    assert [x.shared_paragraphs for x in high] == [[], [], []]
    assert all(x is y for x, y in zip(high, arts))


def test_paragraph_spans():
    text = "  Erster Absatz\nmit zwei Zeilen.\n\n\n Zweiter Absatz. \r\n \r\nDritter"
    spans = _shingle.paragraph_spans(text)
    assert [text[a:b] for a, b in spans] == ["Erster Absatz\nmit zwei Zeilen.", "Zweiter Absatz.", "Dritter"]
    lines = "Zeile eins\n  Zeile zwei  \n\t\nZeile drei"  # the blank line has a tab only
    assert [lines[a:b] for a, b in _shingle.paragraph_spans(lines)] == ["Zeile eins\n  Zeile zwei", "Zeile drei"]
    flat = "eins\nzwei \n drei"
    assert [flat[a:b] for a, b in _shingle.paragraph_spans(flat)] == ["eins", "zwei", "drei"]
    assert _shingle.paragraph_spans(" \n ") == []


# -- determinism, purity ------------------------------------------------------------


def _mixed_corpus() -> list[Article]:
    return [
        art(AGENCY_TEXT, "dpa.example", "2024-01-16T08:00"),
        art(OUTLET_VERSION, "bote.example", "2024-01-16T10:00"),
        art(AGENCY_TEXT, "kurier.example"),
        art(REPORT_A, "bote.example"),
        art(REPORT_B, None),
        art(UNRELATED, "kurier.example"),
        art(_rewritten(), "blatt.example"),
    ]


def test_deterministic_under_shuffling():
    arts = _mixed_corpus()
    reference = {a.id: fields(a) for a in dedup(Corpus(arts), {})}
    assert len({g for g, _, _ in reference.values() if g}) == 1
    # the agency group (3), REPORT_A, REPORT_B and the rewritten story share
    # agency paragraphs; UNRELATED shares nothing
    assert sum(1 for _, _, sp in reference.values() if sp) == 6
    assert reference[arts[5].id] == (None, None, [])
    for seed in range(5):
        shuffled = list(arts)
        random.Random(seed).shuffle(shuffled)
        out = dedup(Corpus(shuffled), {})
        assert [a.id for a in out] == [a.id for a in shuffled]  # order preserved
        assert {a.id: fields(a) for a in out} == reference


def test_pure_and_identity_preserving():
    arts = _mixed_corpus()
    before = copy.deepcopy(arts)
    corpus = Corpus(arts)
    out = dedup(corpus, {})
    assert corpus.articles == before and all(x is y for x, y in zip(corpus.articles, arts))
    untouched = [y for x, y in zip(before, out) if fields(x) == fields(y)]
    assert [a.id for a in untouched] == [arts[5].id]  # UNRELATED only
    assert out.articles[5] is arts[5]
    for x, y in zip(arts, out):
        # nothing but the three declared fields differs
        assert y.replace(duplicate_group=None, duplicate_of=None, shared_paragraphs=[]) == x
    again = dedup(out, {})
    assert all(x is y for x, y in zip(out, again))


def _text_from_raw(article: Article, settings: dict) -> Article:
    return article.replace(text=article.raw_text)


def test_stage_contract_through_the_runner():
    dd = _REGISTRY["dedup"]
    assert dd.level == "corpus"
    assert dd.requires == {"id", "text", "outlet"}
    assert dd.sets == {"duplicate_group", "duplicate_of", "shared_paragraphs"}
    fake_clean = Stage("fake_clean", _text_from_raw, "article", frozenset({"raw_text"}), frozenset({"text"}))
    p = Pipeline([fake_clean, _REGISTRY["identify"], dd], strict=True)
    raw = [Article(raw_text=t, outlet=o) for t, o in [(AGENCY_TEXT, "a.example"), (AGENCY_TEXT, "b.example"), (UNRELATED, None)]]
    out = p.run_corpus(Corpus([p.run_article(a) for a in raw]))
    assert [a.duplicate_group is not None for a in out] == [True, True, False]


def test_bad_input_and_settings_are_explained():
    with pytest.raises(PipelineError, match="run the identify stage before dedup"):
        dedup(Corpus([Article(text="x")]), {})
    with pytest.raises(ConfigError, match=r"stages\.dedup\.threshold must be a number from 0\.01 to 1"):
        dedup(Corpus([]), {"threshold": 1.5})
    with pytest.raises(ConfigError, match=r"stages\.dedup\.num_perm must be an integer"):
        DedupSettings.from_mapping({"num_perm": "128"})
    assert dedup(Corpus([]), {}).articles == []


# -- signatures ------------------------------------------------------------------------


def _identity(x: int) -> int:
    return x


def test_signature_matches_datasketch_and_is_stable():
    sig = minhash_signature(AGENCY_TEXT)
    assert len(sig) == 128 * 4
    assert sig == minhash_signature(AGENCY_TEXT.replace("\n\n", "\n").upper())
    hashes = _shingle.shingle_hashes(_shingle.words(normalise_text(AGENCY_TEXT)), 5)
    assert len(hashes) == len(_shingle.words(normalise_text(AGENCY_TEXT))) - 4
    reference = MinHash(num_perm=128, hashfunc=_identity)
    reference.update_batch(hashes.tolist())
    assert np.array_equal(np.frombuffer(sig, dtype="<u4"), reference.hashvalues)
    # word order matters inside a shingle
    assert not np.array_equal(_shingle.shingle_hashes(["a", "b"], 2), _shingle.shingle_hashes(["b", "a"], 2))
    assert len(_shingle.shingle_hashes(["nur", "zwei"], 5)) == 1
    assert len(_shingle.shingle_hashes([], 5)) == 0
    empty = minhash_signature(" – ")
    assert empty == b"\xff" * 512 and signature_similarity(empty, empty) == 0.0
    with pytest.raises(ValueError, match="same stages.dedup.num_perm"):
        signature_similarity(sig, minhash_signature(AGENCY_TEXT, {"num_perm": 64}))


# -- a real corpus ---------------------------------------------------------------------


def _gnad(shared: Path) -> list[str]:
    with open(shared / "data" / "10kgnad" / "test.csv", encoding="utf-8", newline="") as f:
        return [row[1] for row in csv.reader(f, delimiter=";", quotechar="'")]


def _perturb(text: str, rng: random.Random, vocabulary: list[str]) -> str:
    """Replace 2–3 words, far apart, by other words."""
    words = list(re.finditer(r"\w{4,}", text))
    n = rng.choice((2, 3))
    picks = [words[int(len(words) * (k + 0.5) / n)] for k in range(n)]
    out, pos = [], 0
    for m in picks:
        out += [text[pos : m.start()], rng.choice([w for w in vocabulary if w.lower() != m.group().lower()])]
        pos = m.end()
    return "".join(out) + text[pos:]


@pytest.mark.shared
def test_10kgnad_few_groups_and_perturbed_copies_found(shared: Path):
    texts = _gnad(shared)
    assert len(texts) == 1028
    originals = [art(t, "derstandard.at") for t in texts]
    out = dedup(Corpus(originals), {})
    groups = {a.duplicate_group for a in out if a.duplicate_group}
    # measured: no near-duplicate group at the default threshold 0.8 (one group of
    # 8 short agency-stub teasers appears only at 0.3)
    assert len(groups) <= 2
    assert sum(1 for a in out if a.shared_paragraphs) <= 20

    rng = random.Random(20240116)
    long_enough = [i for i, t in enumerate(texts) if len(re.findall(r"\w+", t)) >= 250]
    chosen = rng.sample(long_enough, 20)
    vocabulary = ["Bundesregierung", "Wochenende", "Gemeinde", "Fußball", "Forscher", "Abstimmung"]
    copies = [art(_perturb(texts[i], rng, vocabulary), "kurier.example") for i in chosen]
    assert all(normalise_text(c.text) != normalise_text(texts[i]) for c, i in zip(copies, chosen))
    out = by_id(dedup(Corpus(originals + copies), {}))
    for copy_, i in zip(copies, chosen):
        group = out[copy_.id].duplicate_group
        assert group is not None and group == out[originals[i].id].duplicate_group
    new_groups = {a.duplicate_group for a in out.values() if a.duplicate_group} - groups
    assert len(new_groups) == 20  # each copy joins its own original, nothing else


def test_shared_paragraph_found_line_by_line_without_blank_lines():
    # an HTML extraction puts one paragraph per line with no blank line between
    own_a = "Eigener Vorspann der ersten Zeitung über den Rohrbruch und seine Folgen für die Stadt."
    own_b = "Ganz anderer Einstieg der zweiten Zeitung, die vor allem auf die Verkehrslage schaut."
    a = art("\n".join([own_a, AGENCY[0], AGENCY[1]]), "a.example")
    b = art("\n\n".join([own_b, AGENCY[0], "Schluss."]), "b.example")
    out = dedup(Corpus([a, b]), {})
    (pa,), (pb,) = out.articles[0].shared_paragraphs, out.articles[1].shared_paragraphs
    assert a.text[pa["start"] : pa["end"]] == AGENCY[0] == b.text[pb["start"] : pb["end"]]
    assert _shingle.paragraph_candidates("eins\nzwei\n\ndrei") == [(0, 4), (0, 9), (5, 9), (11, 15)]
