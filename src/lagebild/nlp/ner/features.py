"""Token features for the CRF named-entity model (fast; word-level parts cached per form).

A token's features are strings (``"w=berlin"``, ``"sh=Xx"``) that python-crfsuite
takes as binary features.  Word-level features (shape, affixes, capitalisation,
knowledge-base types, distributional word clusters of ``data/clusters_de.txt`` when
present — see :mod:`._clusters` —, and the clusters of the pretrained sentence encoder's
subword piece the form is or opens with, ``data/pieces_use.txt`` — see :mod:`._pieces`)
depend only on the word form and are cached per process; context features (neighbours
±2, position) are added per sentence.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .._morph import dictionary_lemma, lemma
from ._clusters import cluster_features
from ._pieces import piece_features

__all__ = [
    "word_features", "sentence_features", "shape", "first_names", "known_word", "FIRST_NAMES", "clear_caches",
]

_KB: list[Any] = []


def _kb() -> Any:
    if not _KB:
        from ...kb import load_kb

        _KB.append(load_kb())
    return _KB[0]


def shape(word: str) -> str:
    """Word shape with runs collapsed: "Berlin" → "Xx", "G20" → "Xd", "US-Armee" → "X-Xx"."""
    if word.isalpha():  # most forms: answered without a per-character scan
        if word.islower():
            return "x"
        if word.isupper():
            return "X"
        if word[0].isupper() and word[1:].islower():
            return "Xx"
    out: list[str] = []
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _kb_types(surface: str) -> list[str]:
    """KB features of one surface: entity type × match form, and adjective readings."""
    kb = _kb()
    out: set[str] = set()
    try:
        found = kb.lookup(surface)
    except Exception:  # noqa: BLE001 - a surface the KB cannot normalise has no reading
        found = []
    for m in found[:4]:
        ent = kb.entities.get(m.entity_id)
        typ = getattr(ent, "type", "MISC")
        out.add(f"kb={typ}")
        out.add(f"kb={typ}:{m.form}")
    if not found and len(surface) > 3 and surface.endswith("s"):
        for m in kb.lookup(surface[:-1])[:2]:
            ent = kb.entities.get(m.entity_id)
            out.add(f"kbs={getattr(ent, 'type', 'MISC')}")
    if len(surface) >= 4 and surface.isalpha() and kb.adjective(surface):
        out.add("kbadj")
    if "-" in surface:
        head = surface.split("-")[0]
        if head and kb.lookup(head):
            out.add("kbhead")
    return sorted(out)


_CUES: list[Any] = []
_NAMES: list[frozenset[str]] = []
#: Given names, one file of general knowledge (see its header).
FIRST_NAMES = Path(__file__).with_name("data") / "first_names.txt"


def first_names() -> frozenset[str]:
    """The given names of ``data/first_names.txt`` (loaded once)."""
    if not _NAMES:
        words: set[str] = set()
        for line in FIRST_NAMES.read_text(encoding="utf-8").splitlines():
            words.update(line.split("#", 1)[0].split())
        _NAMES.append(frozenset(words))
    return _NAMES[0]


def _cues() -> Any:
    if not _CUES:
        from ...extract.entities._cues import cues_for

        _CUES.append(cues_for("de"))
    return _CUES[0]


def _cue_features(word: str) -> list[str]:
    """Cue-word classes of a word (title before a person, organisation word, place noun, reporting verb)."""
    c = _cues()
    out = []
    if word[:1].isupper():
        if c.is_person_title(word):
            out.append("cue=title")
        if c.is_org_word(word):
            out.append("cue=org")
        if word in c.loc_nouns:
            out.append("cue=locnoun")
    elif word in c.report_verbs:
        out.append("cue=report")
    return out


def known_word(word: str) -> bool:
    """Whether the lemmatiser's German dictionary knows the word (``simplemma.is_known``: one probe of
    :func:`lagebild.nlp._morph.dictionary_lemma`, which is cached per form; cheaper than :func:`word_features`)."""
    return dictionary_lemma(word, "de") is not None


def _dictionary(word: str) -> str:
    """Whether the lemmatiser's German dictionary knows the word, and its lemma when it does
    (one probe: :func:`lagebild.nlp._morph.dictionary_lemma`; the long way for the rare forms
    where that is not :func:`lagebild.nlp.lemma`'s answer)."""
    if not word.isalpha() or word.isnumeric():
        return f"lem={lemma(word, 'de').casefold()}" if known_word(word) else "unk"
    found = dictionary_lemma(word, "de")
    return "unk" if found is None else f"lem={found.casefold()}"


@lru_cache(maxsize=4_096)  # the per-form caches above it (:func:`_token`, the views) ask once per form: few hits
def word_features(word: str) -> tuple[str, ...]:
    """Features of one word form, independent of context (cached)."""
    low = word.casefold()
    f = [
        "b",
        f"w={low}",
        f"sh={shape(word)}",
        f"p2={low[:2]}",
        f"p3={low[:3]}",
        f"s2={low[-2:]}",
        f"s3={low[-3:]}",
        f"s4={low[-4:]}",
    ]
    up = word[:1].isupper()
    alpha = word.isalpha()  # most forms: no digit, not punctuation (no per-character scan)
    if up:
        f.append("cap")
    if len(word) > 1 and word.isupper():
        f.append("allcap")
    if not alpha and any(c.isdigit() for c in word):
        f.append("digit")
    if "-" in word:
        f.append("hyph")
        f.append(f"hs={word.rsplit('-', 1)[-1].casefold()[-4:]}")
    if not alpha and not any(c.isalnum() for c in word):
        f.append("punct")
    if len(word) <= 2:
        f.append("short")
    if up or word[:1].isdigit():
        f.extend(_kb_types(word))
    if alpha and len(word) > 1:
        f.append(_dictionary(word))
    f.extend(_cue_features(word))
    if word in first_names():
        f.append("fn")
    f.extend(cluster_features(low))
    f.extend(piece_features(word))
    return tuple(f)


@lru_cache(maxsize=50_000)
def _pair_types(pair: str) -> tuple[str, ...]:
    """KB types of a two-word surface (at most two readings; cached)."""
    kb = _kb()
    return tuple(getattr(kb.entities.get(m.entity_id), "type", "MISC") for m in kb.lookup(pair)[:2])


_PAD = {d: (f"{d}pad",) for d in (-2, -1, 1, 2)}
#: Word forms kept by the per-form token caches (:func:`_token`, the views): ~1.2 KB each; forms follow
#: Zipf's law, so on 1,028 10kGNAD articles (42.7k forms) an LRU of 50k hits 85.8 % of the calls, one of
#: 25k 84.9 %, one of 200k (the former cap, ~240 MB per process when full) no more (docs/scale.md, "Memory").
_FORMS = 50_000
#: Cluster features a word lends to its neighbours (±1: all of these; ±2: the first).
_LENT_CLUSTERS = ("c64=", "c256=")


def clear_caches() -> None:
    """Forget every per-form feature cache (after :func:`lagebild.nlp.ner._clusters.set_clusters` or
    :func:`lagebild.nlp.ner._pieces.set_pieces`)."""
    for fn in (word_features, _token):
        fn.cache_clear()
    _VIEWS.clear()
    _LENT_OF.clear()


#: Tokens after which the next word starts a clause ("start" feature).
_OPENERS = frozenset({'"', "„", "“", "(", ":", "«", "»"})


#: The features :func:`word_features` always opens with ("b", "w=…", "sh=…", "p2=…", "p3=…",
#: "s2=…", "s3=…", "s4=…"); the ones a word lends come after them.
_FIXED = 8
#: Per cluster-feature tuple (shared by the words of one cluster combination), the ones lent.
_LENT_OF: dict[tuple[str, ...], tuple[str, ...]] = {}


def _form_parts(word: str) -> tuple[tuple[str, ...], str, tuple[str, ...], tuple[str, ...]]:
    """A form's own features, its casefold, and the features it lends to the tokens 1 and 2 away."""
    wf = word_features(word)
    low = word.casefold()
    lent = [x for x in wf[_FIXED:] if x == "fn" or (x.startswith(("cue=", "kb=")) and ":" not in x)]
    got = cluster_features(low)
    clusters = _LENT_OF.get(got)
    if clusters is None:
        clusters = _LENT_OF[got] = tuple(x for x in got if x.startswith(_LENT_CLUSTERS))
        if len(_LENT_OF) > 100_000:
            _LENT_OF.clear()
    # wf[1] "w=…", wf[2] "sh=…", wf[6] "s3=…": the first _FIXED features of :func:`word_features`
    near = (wf[1], wf[2], wf[6], *lent, *clusters)
    far = (wf[1], *lent, *clusters[:1])
    return wf, low, near, far


@lru_cache(maxsize=_FORMS)
def _token(word: str) -> tuple[Any, ...]:
    """Everything a word form contributes, built once per form (cached).

    ``(own features, features lent to the token 2 before, 1 before, 1 after,
    2 after, casefolded form, capitalised?, clause opener?)``.
    """
    wf, low, near, far = _form_parts(word)
    return (
        wf,
        tuple(f"2{x}" for x in far),  # lent to the token two before: it sees this word at +2
        tuple(f"1{x}" for x in near),
        tuple(f"-1{x}" for x in near),
        tuple(f"-2{x}" for x in far),
        low,
        word[:1].isupper(),
        word in _OPENERS,
    )


#: Per-form token views restricted to one model's attributes: ``id(known) → (known, cached view)``.
_VIEWS: dict[int, tuple[frozenset[str], Callable[[str], tuple[Any, ...]]]] = {}


def _view(known: frozenset[str]) -> Callable[[str], tuple[Any, ...]]:
    """:func:`_token` with its feature tuples cut to the attributes in ``known`` (cached per form).

    A CRF tagger ignores attributes its model does not hold, so tagging the cut
    features gives the same tags, with less work building and passing them.
    """
    got = _VIEWS.get(id(known))
    if got is not None and got[0] is known:
        return got[1]
    keep = known.__contains__
    # "2" + x is in ``known`` exactly when x is in ``lent[0]`` (and so on for each prefix): the
    # lent feature strings are built only for the attributes the model holds
    lent_known = tuple(
        frozenset(a[len(p):] for a in known if a.startswith(p)) for p in ("2", "1", "-1", "-2")
    )
    k2, k1, km1, km2 = lent_known

    @lru_cache(maxsize=_FORMS)
    def view(word: str) -> tuple[Any, ...]:
        # the same tuples as :func:`_token`, cut to ``known`` (uncached there: only the cut ones stay in memory)
        wf, low, near, far = _form_parts(word)
        return (
            tuple(filter(keep, wf)),
            tuple(f"2{x}" for x in far if x in k2),
            tuple(f"1{x}" for x in near if x in k1),
            tuple(f"-1{x}" for x in near if x in km1),
            tuple(f"-2{x}" for x in far if x in km2),
            low,
            word[:1].isupper(),
            word in _OPENERS,
        )

    _VIEWS[id(known)] = (known, view)
    return view


def sentence_features(
    tokens: list[str], lo: int = 0, hi: int | None = None, known: frozenset[str] | None = None
) -> list[list[str]]:
    """Features of the tokens ``lo..hi-1`` of one sentence (default: all), each seen in the whole
    sentence (word features + neighbours ±2 + position).

    Per-form parts come from one cached tuple per word (:func:`_token`); only
    position flags, the bigram and two-word KB readings are built per sentence.
    ``known``: keep only these attributes (a model's; see :func:`_view`) — the
    tags of a model holding exactly ``known`` do not change.
    """
    n = len(tokens)
    hi = n if hi is None else min(hi, n)
    lo = max(lo, 0)
    tok = _token if known is None else _view(known)
    T = [tok(t) for t in tokens[max(lo - 2, 0) : hi + 2]]
    if lo > 2:
        T = [()] * (lo - 2) + T  # keep sentence indexes; tokens before lo-2 are never looked at
    out: list[list[str]] = []
    for i in range(lo, hi):
        own, _, _, _, _, low, cap, _ = T[i]
        f = list(own)
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        prev = T[i - 1] if i else None
        nxt = T[i + 1] if i + 1 < n else None
        if prev is None or prev[7]:
            f.append("start")
            if cap:
                f.append("capstart")
        elif cap:
            f.append("capmid")
        f.extend(T[i - 2][4] if i >= 2 else _PAD[-2])
        f.extend(prev[3] if prev is not None else _PAD[-1])
        f.extend(nxt[2] if nxt is not None else _PAD[1])
        f.extend(T[i + 2][1] if i + 2 < n else _PAD[2])
        if prev is not None:
            bg = f"bg={prev[5]}|{low}"
            if known is None or bg in known:
                f.append(bg)
        if cap:
            if nxt is not None and nxt[6]:
                f.extend([f"kb2={t}" for t in _pair_types(f"{tokens[i]} {tokens[i + 1]}")])
            if prev is not None and prev[6]:
                f.extend([f"kb2p={t}" for t in _pair_types(f"{tokens[i - 1]} {tokens[i]}")])
        out.append(f)
    return out
