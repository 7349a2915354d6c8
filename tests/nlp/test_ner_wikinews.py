"""Wikinews stand-off training data (lagebild.nlp.ner._wikinews) and word clusters (._clusters)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.nlp.ner import _clusters
from lagebild.nlp.ner._clusters import cluster_features
from lagebild.nlp.ner.clusters_build import build_clusters, write_clusters
from lagebild.nlp.ner._wikinews import read_wikinews
from lagebild.nlp.ner.features import word_features
from lagebild.nlp.ner.train import use_clusters, wikinews_training

ARTICLE = "10022"  # Wikinews: Neil Armstrong's 75th birthday


@pytest.fixture()
def texts(shared: Path) -> Path:
    d = shared / "data" / "wikinews_text"
    if not (d / f"{ARTICLE}.txt").is_file():
        pytest.skip(f"{d}/{ARTICLE}.txt not found — the Wikinews texts of ../shared are needed for the reader tests")
    return d


def _tsv(folder: Path, name: str, text: str, spans: list[tuple[str, str]], aid: str = ARTICLE) -> None:
    """Write ``aid<TAB>start<TAB>end<TAB>label`` lines for the first occurrence of each surface."""
    lines = []
    for label, surface in spans:
        s = text.index(surface)
        lines.append(f"{aid}\t{s}\t{s + len(surface)}\t{label}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _text(texts: Path) -> str:
    return (texts / f"{ARTICLE}.txt").read_text(encoding="utf-8")


def test_reader_gives_bio_tags_per_sentence(texts: Path, tmp_path: Path) -> None:
    text = _text(texts)
    _tsv(tmp_path / "ann", "a.tsv", text,
         [("PER", "Neil Alden Armstrong"), ("LOC", "Wapakoneta"), ("LOC", "Ohio"), ("ORG", "NASA")])
    counts: dict = {}
    sents = read_wikinews(tmp_path / "ann", texts, counts=counts)
    first, second, third = sents[:3]
    assert first[0][:6] == ["1969", "betrat", "Neil", "Alden", "Armstrong", "als"]
    assert first[1][:6] == ["O", "O", "B-PER", "I-PER", "I-PER", "O"]
    assert first[0][-2:] == ["Mond", "."]  # one sentence, ending at its full stop
    assert second[0][0] == "Heute"
    assert [t for t, g in zip(*second) if g != "O"] == ["Wapakoneta", "Ohio"]
    assert [g for g in second[1] if g != "O"] == ["B-LOC", "B-LOC"]
    assert [(t, g) for t, g in zip(*third) if g != "O"] == [("NASA", "B-ORG")]
    assert counts["articles"] == 1 and counts["entities"] == 4 and counts["dropped_sentences"] == 0
    assert counts["sentences"] == len(sents) > 5  # every sentence of the (exhaustive) article, most all-O
    assert all(set(g) == {"O"} for _, g in sents[3:])


def test_spans_off_token_boundaries_or_across_sentences_drop_their_sentences(texts: Path, tmp_path: Path) -> None:
    text = _text(texts)
    _tsv(tmp_path / "ann", "a.tsv", text, [("PER", "Armstron"), ("LOC", "Mond. Heute"), ("ORG", "NASA")])
    counts: dict = {}
    sents = read_wikinews(tmp_path / "ann", texts, counts=counts)
    assert counts["dropped_spans"] == {"boundary": 1, "crosses_sentence": 1, "overlap": 0, "outside_text": 0}
    # "Armstron" and "Mond. Heute" touch sentences 1 and 2: both go, the NASA sentence stays
    assert counts["dropped_sentences"] == 2
    assert sents[0][0][:4] == ["Nach", "seiner", "Zeit", "als"] and "NASA" in sents[0][0]
    assert not any(toks[:2] in (["1969", "betrat"], ["Heute", "wurde"]) for toks, _ in sents)
    assert counts["entities"] == 1


def test_overlapping_spans_drop_the_sentence_and_labels_can_stay_apart(texts: Path, tmp_path: Path) -> None:
    text = _text(texts)
    _tsv(tmp_path / "ann", "a.tsv", text, [("PER", "Neil Alden Armstrong"), ("PER", "Alden"), ("LOCpart", "Ohio")])
    counts: dict = {}
    sents = read_wikinews(tmp_path / "ann", texts, fold_derived=False, counts=counts)
    assert counts["dropped_spans"]["overlap"] == 1 and counts["dropped_sentences"] == 1
    assert "betrat" not in sents[0][0]
    assert ("Ohio", "B-LOCpart") in list(zip(*sents[0]))


def test_only_annotated_ids_count_and_missing_texts_are_counted(texts: Path, tmp_path: Path) -> None:
    text = _text(texts)
    _tsv(tmp_path / "ann", "a.tsv", text, [("ORG", "NASA")])
    (tmp_path / "ann" / "b.tsv").write_text("999999999\t0\t4\tPER\n", encoding="utf-8")
    (tmp_path / "ann" / "notes.txt").write_text("not a tsv\n", encoding="utf-8")
    counts: dict = {}
    sents = read_wikinews(tmp_path / "ann", texts, counts=counts)
    assert counts["articles"] == 1 and counts["missing_texts"] == 1
    assert sum(g.count("B-ORG") for _, g in sents) == 1


def test_malformed_lines_and_a_missing_texts_folder_are_errors(texts: Path, tmp_path: Path) -> None:
    ann = tmp_path / "ann"
    ann.mkdir()
    (ann / "a.tsv").write_text(f"{ARTICLE}\t0\t4\tPERSON\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"a\.tsv:1: want 'id<TAB>start<TAB>end<TAB>LABEL'"):
        read_wikinews(ann, texts)
    (ann / "a.tsv").write_text(f"{ARTICLE}\t9\t4\tPER\n", encoding="utf-8")
    with pytest.raises(ValueError, match="end 4 is not after start 9"):
        read_wikinews(ann, texts)
    with pytest.raises(FileNotFoundError, match="Wikinews texts folder"):
        read_wikinews(ann, tmp_path / "nowhere")


def test_training_goes_on_without_texts_and_says_so(tmp_path: Path, capsys) -> None:
    ann = tmp_path / "ann"
    ann.mkdir()
    (ann / "a.tsv").write_text("1\t0\t4\tPER\n", encoding="utf-8")
    sents, counts = wikinews_training(ann, tmp_path / "nowhere")
    assert sents == [] and counts["used"] is False
    assert "training without the Wikinews annotations" in capsys.readouterr().err
    sents, counts = wikinews_training(tmp_path / "empty", tmp_path)
    assert sents == [] and "no *.tsv" in counts["reason"]


CITIES = ["lindau", "passau", "kassel", "bremen", "erfurt"]
NAMES = ["müller", "schmidt", "becker", "wagner", "keller"]


def _toy_corpus() -> list[list[str]]:
    out = []
    for i in range(40):
        c, n = CITIES[i % 5], NAMES[(i * 3) % 5]
        out.append(["in", c, "wurde", "gestern", "gewählt", "."])
        out.append(["der", "minister", n, "sagte", "heute", "."])
        out.append(["nach", c, "reiste", "frau", n, "sagte", "man", "."])
    return out


def test_clusters_group_words_by_context_and_are_deterministic(tmp_path: Path) -> None:
    vocab, assigns = build_clusters(_toy_corpus(), ks=(2, 4), min_count=3, contexts=12, dim=6, seed=7)
    again = build_clusters(_toy_corpus(), ks=(2, 4), min_count=3, contexts=12, dim=6, seed=7)
    assert (vocab, assigns) == again
    k4 = dict(zip(vocab, assigns[1]))
    assert len({k4[c] for c in CITIES}) == 1 and len({k4[n] for n in NAMES}) == 1
    assert k4[CITIES[0]] != k4[NAMES[0]]
    write_clusters(tmp_path / "c.txt", vocab, assigns, (2, 4), "toy")
    try:
        use_clusters(tmp_path / "c.txt")
        assert cluster_features("lindau") == (f"c2={assigns[0][vocab.index('lindau')]}", f"c4={k4['lindau']}")
        assert cluster_features("unbekanntwort") == ()
        assert f"c4={k4['kassel']}" in word_features("Kassel")  # casefolded lookup
    finally:
        use_clusters(_clusters.CLUSTERS)
    assert not any(f.startswith("c4=") for f in word_features("Kassel"))


def test_gnad_rows_are_read_by_id(shared: Path, tmp_path: Path) -> None:
    from lagebild.nlp.ner._wikinews import gnad_texts, read_standoff

    csv_path = shared / "data" / "10kgnad" / "test.csv"
    if not csv_path.is_file():
        pytest.skip(f"{csv_path} not found — 10kGNAD's test split is needed for this reader test")
    texts = gnad_texts(csv_path)
    assert len(texts) == 1028 and texts["g0"].startswith("Die Gewerkschaft GPA-djp lanciert")
    _tsv(tmp_path / "ann", "g.tsv", texts["g0"], [("ORG", "GPA-djp"), ("LOC", "Wien")], aid="g0")
    counts: dict = {}
    sents = read_standoff(tmp_path / "ann", texts.get, counts=counts)
    assert sents[0][0][:4] == ["Die", "Gewerkschaft", "GPA-djp", "lanciert"]
    assert sents[0][1][:4] == ["O", "O", "B-ORG", "O"]
    assert [(t, g) for toks, tags in sents for t, g in zip(toks, tags) if g != "O"] == [("GPA-djp", "B-ORG"),
                                                                                       ("Wien", "B-LOC")]
    assert counts["articles"] == 1 and counts["entities"] == 2
