"""The fast CRF tagger (lagebild.nlp.ner._fast): crfsuite's tags from the model file's own weights."""

from __future__ import annotations

import csv
import itertools
import random
import sys
from pathlib import Path

import numpy as np
import pytest

from lagebild.nlp import split_sentences, tokenize
from lagebild.nlp.ner import DEFAULT_MODEL, NerModel
from lagebild.nlp.ner._fast import FastTagger, read_weights, viterbi, viterbi_many
from lagebild.nlp.ner.features import sentence_features
from lagebild.nlp.ner.model import model_attributes
from lagebild.nlp.ner.train import read_germeval

SENTENCE = "„ Wir prüfen das sorgfältig “ , sagte der Politiker Jorvik Mälstrand am Dienstag in Bad Kreuznach ."


@pytest.fixture(scope="module")
def models() -> tuple[NerModel, NerModel]:
    """The packaged model with the fast tagger, and with python-crfsuite (the reference)."""
    fast, ref = NerModel(DEFAULT_MODEL), NerModel(DEFAULT_MODEL, fast=False)
    assert fast.fast and not ref.fast
    return fast, ref


def test_weights_are_the_model_files(models: tuple[NerModel, NerModel]) -> None:
    fast, ref = models
    w = read_weights(DEFAULT_MODEL)
    info = ref._tagger.info()  # weights printed with six decimals
    assert list(w.labels) == ref.labels() == ["O", "B-OTH", "I-OTH", "B-PER", "B-ORG", "B-LOC", "I-ORG", "I-PER", "I-LOC"]
    assert set(w.index) == {a for a, _ in info.state_features} == ref.known == fast.known
    assert len(info.state_features) > 50_000
    col = {lab: k for k, lab in enumerate(w.labels)}
    worst = max(abs(w.state[w.index[a], col[lab]] - v) for (a, lab), v in info.state_features.items())
    assert worst <= 5.1e-7
    # every (attribute, label) pair crfsuite lists, and no other weight
    assert np.count_nonzero(w.state) <= len(info.state_features)
    for (a, b), v in info.transitions.items():
        assert abs(w.trans[col[a], col[b]] - v) <= 5.1e-7
    assert np.count_nonzero(w.trans) == len(info.transitions)
    assert model_attributes(DEFAULT_MODEL, ref._tagger) == ref.known


def test_not_a_model_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.crfsuite"
    bad.write_bytes(b"lCRF" + bytes(60))
    with pytest.raises(ValueError, match="not a first-order crfsuite model"):
        read_weights(bad)


def test_unary_scores_are_the_feature_weight_sums(models: tuple[NerModel, NerModel]) -> None:
    fast, _ = models
    tagger: FastTagger = fast._fast
    w = tagger.weights
    for text in (SENTENCE, "Berlin", "Angela Merkel ( CDU ) trifft Emmanuel Macron in Paris"):
        toks = text.split()
        feats = sentence_features(toks, known=fast.known)
        want = np.array([sum((w.state[w.index[f]] for f in fs if f in w.index), np.zeros(9)) for fs in feats])
        got = tagger.unary(toks)
        assert got.shape == (len(toks), 9)
        assert np.allclose(got, want, rtol=0, atol=1e-9)
        assert np.allclose(tagger.unary_many([toks, ["x"], toks])[2], want, rtol=0, atol=1e-9)


def _brute(U: np.ndarray, T: np.ndarray) -> float:
    return max(
        sum(U[t, y[t]] for t in range(len(U))) + sum(T[y[t - 1], y[t]] for t in range(1, len(U)))
        for y in itertools.product(range(U.shape[1]), repeat=len(U))
    )


def test_viterbi_finds_the_best_path_and_breaks_ties_like_crfsuite() -> None:
    rnd = np.random.default_rng(7)
    Us, T = [], rnd.normal(size=(3, 3))
    for n in (1, 2, 3, 5, 6):
        U = rnd.normal(size=(n, 3))
        path = viterbi(U, T)
        score = sum(U[t, y] for t, y in enumerate(path)) + sum(T[a, b] for a, b in zip(path, path[1:]))
        assert abs(score - _brute(U, T)) < 1e-12
        Us.append(U)
    assert viterbi_many(Us + [np.zeros((0, 3))], T) == [viterbi(U, T) for U in Us] + [[]]
    # all scores equal: crfsuite keeps the first label at every step
    assert viterbi(np.zeros((4, 3)), np.zeros((3, 3))) == [0, 0, 0, 0]
    assert viterbi_many([np.zeros((2, 3)), np.zeros((4, 3))], np.zeros((3, 3))) == [[0, 0], [0, 0, 0, 0]]


def test_fast_tags_equal_crfsuite(models: tuple[NerModel, NerModel]) -> None:
    fast, ref = models
    toks = SENTENCE.split()
    assert fast.predict(toks) == ref.predict(toks)
    assert "B-PER" in fast.predict(toks)
    for focus in ([9], [0, 14], []):
        assert fast.predict_near(toks, focus, 2) == ref.predict_near(toks, focus, 2)
    assert fast.predict([]) == [] and fast.predict_many([[], toks]) == [[], ref.predict(toks)]


def test_small_form_table_stays_bounded_and_exact(models: tuple[NerModel, NerModel]) -> None:
    fast, ref = models
    tagger = FastTagger(read_weights(DEFAULT_MODEL), known=fast.known, max_forms=16)
    toks = SENTENCE.split()
    seen: set[str] = set()
    for k in range(8):
        words = toks[k : k + 6] + [f"Wort{k}{j}" for j in range(7)]
        seen.update(words)
        assert tagger.tag(words) == ref.predict(words)
        assert tagger.unary_many([words, toks[:3]])[0].tolist() == tagger.unary(words).tolist()
        assert tagger.forms() <= 16
    assert len(seen) > 50  # so the table was emptied several times


def _compare(fast: NerModel, ref: NerModel, batches: list[list[list[str]]]) -> tuple[int, int, int]:
    """Sentences, and how many of them differ (whole sentences, per-article batches), plus window diffs."""
    rnd = random.Random(3)
    n = diff = wdiff = 0
    for batch in batches:
        many = fast.predict_many(batch)
        for toks, tagged in zip(batch, many):
            n += 1
            want = ref.predict(toks)
            diff += fast.predict(toks) != want or tagged != want
            focus = [i for i, t in enumerate(toks) if t[:1].isupper() and rnd.random() < 0.6]
            wdiff += fast.predict_near(toks, focus, 2) != ref.predict_near(toks, focus, 2)
    return n, diff, wdiff


@pytest.mark.shared
def test_fast_tags_equal_crfsuite_on_germeval(shared: Path, models: tuple[NerModel, NerModel]) -> None:
    path = shared / "data" / "germeval2014" / "NER-de-dev.tsv"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    sents = [toks for toks, _ in read_germeval(path)][:800]
    n, diff, wdiff = _compare(*models, [sents[i : i + 25] for i in range(0, len(sents), 25)])
    assert (n, diff, wdiff) == (800, 0, 0)


@pytest.mark.shared
def test_fast_tags_equal_crfsuite_on_10kgnad(shared: Path, models: tuple[NerModel, NerModel]) -> None:
    path = shared / "data" / "10kgnad" / "test.csv"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh, delimiter=";", quotechar="'") if len(r) >= 2][:25]
    arts = []
    for _, text in rows:
        sents = [[t.text for t in tokenize(text, "de", s, e)] for s, e in split_sentences(text, "de")]
        arts.append([s for s in sents if s])
    n, diff, wdiff = _compare(*models, arts)
    assert n == sum(map(len, arts)) and n > 300
    assert (diff, wdiff) == (0, 0)


def test_per_form_vectors_are_left_folds_in_feature_order() -> None:
    """Each word form's own and lent weight vectors are its features' weight rows added one after
    another in feature order, as crfsuite sums a token's features: bit for bit the same as a Python
    loop, for forms added together in one call (their rows interleave in the sum)."""
    from lagebild.nlp.ner.features import _token

    w = read_weights(DEFAULT_MODEL)
    tagger = FastTagger(w)  # a table of its own: every form below is new to it
    words = tokenize(
        "Der russische Verteidigungsminister Sergej Schoigu traf am Dienstag in Pjöngjang den Machthaber "
        "Kim Jong-un ; die Nachrichtenagentur KCNA meldete 3,5 Prozent mehr , laut Kreml-Sprecher Peskow .",
        "de",
    )
    forms = list(dict.fromkeys(t.text for t in words))
    tagger._add(forms)
    index = w.index
    orders = 0
    for form in forms:
        own, to_m2, to_m1, to_p1, to_p2 = _token(form)[:5]
        for part, feats in enumerate((own, to_m2, to_m1, to_p1, to_p2)):
            rows = [w.state[index[f]] for f in feats if f in index and f in tagger.known]
            want = np.zeros(9)
            for r in rows:
                want = want + r
            got = tagger._vec[tagger._slots[form], part]
            assert got.tobytes() == want.tobytes(), (form, part)
            if len(rows) > 2 and sum(rows[::-1], np.zeros(9)).tobytes() != want.tobytes():
                orders += 1  # adding the same rows backwards gives other bits here: the test can fail
    assert orders > 0


def test_bigrams_of_forms_holding_a_bar() -> None:
    # the bigram table splits "bg=a||b" at each "|": both readings ("a|" + "b", "a" + "|b") find it
    from lagebild.nlp.ner._fast import CrfWeights

    attrs = ["bg=a||b", "bg=x|y", "w=a", "1w=b", "-1w=x", "2w=y", "-2w=a", "b", "start", "BOS"]
    rnd = np.random.default_rng(3)
    w = CrfWeights(("O", "B-PER"), {a: k for k, a in enumerate(attrs)}, rnd.normal(size=(len(attrs), 2)),
                   np.zeros((2, 2)))
    tagger = FastTagger(w)
    for toks in (["a|", "b"], ["a", "|b"], ["x", "y", "a", "|b"], ["y", "x"], ["A", "|B", "x"]):
        feats = sentence_features(toks, known=tagger.known)
        want = np.array([sum((w.state[w.index[f]] for f in fs if f in w.index), np.zeros(2)) for fs in feats])
        assert np.allclose(tagger.unary(toks), want, rtol=0, atol=1e-9), toks  # sums grouped per part
    hits = [f for fs in sentence_features(["a", "|b"], known=tagger.known) for f in fs if f.startswith("bg=")]
    assert hits == ["bg=a||b"]
