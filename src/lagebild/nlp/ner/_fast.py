"""A linear-chain CRF tagger over a crfsuite model's own weights: crfsuite's tags at a fraction of the cost.

python-crfsuite stays the trainer and the reference; this module reads the
weights out of its model file and tags without building feature strings per
token:

* :func:`read_weights` parses the model file (crfsuite's ``lCRF``/``FOMC``
  format: a feature chunk of ``(type, source, target, weight)`` records and two
  string databases for labels and attributes) into a weight matrix, one row per
  attribute and one column per label, plus the label-to-label transition matrix.
  The weights are the file's own doubles (``Tagger.info()`` rounds them to six
  decimals, so it is not used).
* Every feature of a token (:func:`lagebild.nlp.ner.features.sentence_features`)
  is one of: the word's own per-form features, the features its neighbours at
  −2…+2 lend it (per form of the neighbour), position flags, the bigram and the
  two-word knowledge-base readings.  A token's unary score for a label is the sum
  of its attributes' weights, so :class:`FastTagger` keeps, per word form, the
  summed weight vector of its own features and one per lending offset (a bounded
  table), and per sentence adds the vectors of the neighbours and the few
  per-position terms, in crfsuite's order of attribute groups.
* :func:`viterbi` is crfsuite's Viterbi in numpy (the same arithmetic, the first
  maximum winning a tie, as there); :func:`viterbi_many` steps the sentences of
  a batch (an article) together, which is where most of the saving is:
  :meth:`FastTagger.tag_many` / :meth:`lagebild.nlp.ner.NerModel.predict_many`.

The own features' weights are summed in crfsuite's order, the ones a neighbour
lends (and the position flags) are summed per group first, so a score can differ from crfsuite's in
its last bits; tags differ only if two label paths tie to within that
(tests/nlp/test_ner_fast.py counts such sentences on real text).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Sequence

import numpy as np

from .features import _OPENERS, _form_parts, _pair_types

__all__ = ["CrfWeights", "read_weights", "FastTagger", "viterbi", "viterbi_many", "MAX_FORMS"]

#: At most this many word forms keep their weight vectors (5 × labels doubles each, 360 bytes for 9
#: labels; with the dictionary entry and casefold about 0.5 KB a form): the table is emptied when a
#: call would overflow it (the 1,028 10kGNAD test articles hold 54.8k forms as the linguistic layer
#: tokenises them; a table of 50k emptied once per pass made tagging them 1.6× slower than crfsuite).
MAX_FORMS = 100_000
#: Slots of the per-form table that stand for the places beyond a sentence's ends.
_RESERVED = 4
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])


@dataclass(frozen=True)
class CrfWeights:
    """A crfsuite model's weights: ``state[index[attr], label]`` and ``trans[from, to]``."""

    labels: tuple[str, ...]
    index: dict[str, int]
    state: np.ndarray
    trans: np.ndarray

    def nbytes(self) -> int:
        """Approximate memory of the table (arrays, dictionary and its strings), in bytes."""
        import sys

        strings = sum(sys.getsizeof(a) for a in self.index)
        return int(self.state.nbytes + self.trans.nbytes + sys.getsizeof(self.index) + strings)


def _strings(data: bytes, off: int) -> list[str]:
    """The strings of one crfsuite string database (CQDB chunk at ``off``), by id."""
    chunk, _size, _flag, _order, count, bwd = struct.unpack_from("<4s5I", data, off)
    if chunk != b"CQDB":
        raise ValueError(f"no string database at offset {off}")
    out: list[str] = []
    for k, rec in enumerate(np.frombuffer(data, dtype="<u4", count=count, offset=off + bwd).tolist()):
        ident, size = struct.unpack_from("<iI", data, off + rec)
        if ident != k or size < 1:
            raise ValueError(f"string database record {k} is out of order")
        out.append(data[off + rec + 8 : off + rec + 7 + size].decode("utf-8"))
    return out


def read_weights(path: str | Path) -> CrfWeights:
    """The weights of a crfsuite CRF model file (about 0.1 s for 140k features).

    Raises :class:`ValueError` when the file is not a first-order crfsuite model
    (the caller then tags with python-crfsuite).
    """
    data = Path(path).read_bytes()
    if len(data) < 48:
        raise ValueError(f"{path} is too short for a crfsuite model")
    magic, _size, kind, _version, _nf, n_labels, n_attrs, off_feat, off_labels, off_attrs, _lr, _ar = (
        struct.unpack_from("<4sI4sI8I", data, 0)
    )
    if magic != b"lCRF" or kind != b"FOMC":
        raise ValueError(f"{path} is not a first-order crfsuite model ({magic!r}, {kind!r})")
    labels = _strings(data, off_labels)
    attrs = _strings(data, off_attrs)
    if len(labels) != n_labels or len(attrs) != n_attrs:
        raise ValueError(f"{path}: label or attribute count does not match its header")
    chunk, _csize, count = struct.unpack_from("<4sII", data, off_feat)
    if chunk != b"FEAT":
        raise ValueError(f"{path}: no feature chunk at offset {off_feat}")
    feats = np.frombuffer(data, dtype=_FEATURE, count=count, offset=off_feat + 12)
    state = np.zeros((n_attrs, n_labels), dtype=np.float64)
    trans = np.zeros((n_labels, n_labels), dtype=np.float64)
    for kind_id, target in ((0, state), (1, trans)):
        part = feats[feats["type"] == kind_id]
        if len(part) and (part["src"].max() >= target.shape[0] or part["dst"].max() >= n_labels):
            raise ValueError(f"{path}: a feature points past the attribute or label tables")
        # crfsuite writes one feature per (source, label); were there two, it would add both
        np.add.at(target, (part["src"], part["dst"]), part["weight"])
    if np.count_nonzero(~np.isin(feats["type"], (0, 1))):
        raise ValueError(f"{path}: unknown feature types (not a first-order model)")
    return CrfWeights(tuple(labels), {a: k for k, a in enumerate(attrs)}, state, trans)


def viterbi(U: np.ndarray, trans: np.ndarray) -> list[int]:
    """The best label index sequence for unary scores ``U`` (positions × labels) and transitions
    ``trans[from, to]``, in crfsuite's arithmetic (``max_i(alpha[i] + T[i, j]) + U[t, j]``) and
    with its ties (the first label wins)."""
    n = len(U)
    if n == 0:
        return []
    alpha = U[0]
    backs = []
    argmax, vmax = np.ndarray.argmax, np.ndarray.max
    for t in range(1, n):
        S = alpha[:, None] + trans
        backs.append(argmax(S, 0))
        alpha = vmax(S, 0) + U[t]
    y = int(alpha.argmax())
    path = [y]
    if backs:
        for bp in np.array(backs)[::-1].tolist():
            y = bp[y]
            path.append(y)
    return path[::-1]


def viterbi_many(unaries: Sequence[np.ndarray], trans: np.ndarray) -> list[list[int]]:
    """:func:`viterbi` of several score tables at once, stepping all of them together.

    The arithmetic is crfsuite's (``max_i(alpha[i] + T[i, j]) + U[t, j]``, the first
    maximum winning), run over the sentences still going at each position.
    """
    B = len(unaries)
    lens = [len(u) for u in unaries]
    order = sorted((b for b in range(B) if lens[b]), key=lambda b: -lens[b])
    paths: list[list[int]] = [[] for _ in range(B)]
    if not order:
        return paths
    L = trans.shape[0]
    k = len(order)
    top = lens[order[0]]
    Upad = np.zeros((k, top, L))
    for r, b in enumerate(order):
        Upad[r, : lens[b]] = unaries[b]
    alpha = Upad[:, 0].copy()
    back = np.zeros((top, k, L), dtype=np.intp)
    ends = [lens[b] for b in order]
    active = k
    # S[b, j, i] = alpha[b, i] + T[i, j]: the maximum over the last, contiguous axis (the same sums
    # and the same first-maximum rule as over the middle one, in fewer cycles)
    TT = np.ascontiguousarray(trans.T)[None, :, :]
    add, argmax = np.add, np.argmax
    S = np.empty((k, L, L))  # one buffer for every step's sums (the ufuncs write into it: no allocation)
    flat_s = S.reshape(-1)
    row0 = np.arange(k * L) * L  # where row (b, j) of S starts in ``flat_s``
    for t in range(1, top):
        while ends[active - 1] <= t:
            active -= 1  # sentences are sorted longest first: the ones that ended keep their last alpha
        St = S[:active]
        add(alpha[:active, None, :], TT, out=St)
        arg = argmax(St, axis=2, out=back[t, :active])
        # each row's maximum is its element at the argmax: taken there instead of a second reduction
        # over the short last axis (three times the cost of the take)
        add(flat_s.take(row0[: active * L] + arg.reshape(-1)).reshape(active, L), Upad[:active, t], out=alpha[:active])
    y = alpha.argmax(axis=1)  # each sentence's label at its own last position
    going = (np.asarray(ends)[None, :] > np.arange(top + 1)[:, None]).sum(axis=1).tolist()
    path = np.zeros((top, k), dtype=np.intp)
    # the pointers as one flat row per position: entry r × L + label of sentence r
    flat = back.reshape(top, k * L)
    offsets = np.arange(k) * L
    for t in range(top - 1, -1, -1):
        c = going[t + 1]  # the sentences that go on past t take their label at t from t + 1's pointer
        if c:
            y[:c] = flat[t + 1].take(offsets[:c] + y[:c])
        path[t, : going[t]] = y[: going[t]]
    cols = path.T.tolist()
    for r, b in enumerate(order):
        paths[b] = cols[r][: lens[b]]
    return paths


#: Attribute prefixes of the features a word lends its neighbours, and the per-form table part each
#: fills (:func:`lagebild.nlp.ner.features._token`): "2" lent to the token two before (it sees the
#: word at +2), "1" one before, "-1" one after, "-2" two after.  Own features start with a letter.
_LENT = (("-2", 4), ("-1", 3), ("2", 1), ("1", 2))


def _lent_table(index: dict[str, int], known: frozenset[str]) -> tuple[dict[str, int], np.ndarray]:
    """Per base feature a word lends (``"w=berlin"``), the weight rows of the attributes it is in each
    lent part of the per-form table — lent to −2, −1, +1, +2 — or −1 where the model (or ``known``)
    lacks it: ``base → k`` and row ``k`` of a ``(bases + 1) × 4`` array whose last row is all −1 (for
    a base the model never saw lent).  Only the bases the model holds a lent attribute of (20k of 69k
    for the packaged one)."""
    table: dict[str, list[int]] = {}
    for attr, row in index.items():
        if attr not in known:
            continue
        for prefix, part in _LENT:
            if attr.startswith(prefix) and attr[len(prefix) : len(prefix) + 1].isalpha():
                table.setdefault(attr[len(prefix) :], [-1] * 4)[part - 1] = row
                break
    rows = np.full((len(table) + 1, 4), -1, dtype=np.intp)
    for k, got in enumerate(table.values()):
        rows[k] = got
    return {base: k for k, base in enumerate(table)}, rows


def _bigram_table(index: dict[str, int], known: frozenset[str]) -> dict[str, dict[str, int]]:
    """The model's bigram attributes ``bg={first}|{second}`` as ``first → second → row``.  A form
    may hold "|" itself, so each attribute is entered under every split at a "|": a split joins
    back to the attribute's own string, so a hit is always that attribute."""
    table: dict[str, dict[str, int]] = {}
    for attr, row in index.items():
        if not attr.startswith("bg=") or attr not in known:
            continue
        rest = attr[3:]
        at = rest.find("|")
        while at >= 0:
            table.setdefault(rest[:at], {})[rest[at + 1 :]] = row
            at = rest.find("|", at + 1)
    return table


class FastTagger:
    """Tags token lists with a :class:`CrfWeights` table and :mod:`.features`' per-form features.

    Not thread-safe (the per-form table grows as it tags): callers hold a lock.
    ``known``: the attribute set to take features through (defaults to the
    model's: the tags of a model holding exactly ``known`` do not change).
    """

    def __init__(self, weights: CrfWeights, known: frozenset[str] | None = None, max_forms: int = MAX_FORMS) -> None:
        self.weights = weights
        self.labels = weights.labels
        self.known = known if known is not None else frozenset(weights.index)
        # the rows of a new form's own features, and of the ones it lends, found without building the
        # lent attributes' strings; the per-form table below is this tagger's only per-form cache
        index = weights.index
        self._own = index if self.known.issuperset(index) else {a: r for a, r in index.items() if a in self.known}
        self._lent, self._lent_rows = _lent_table(weights.index, self.known)
        self._bigrams = _bigram_table(weights.index, self.known)
        self._max = max(int(max_forms), 16) + _RESERVED
        L = len(self.labels)
        vec = self._vec = np.zeros((min(4096, self._max), 5, L))
        # slots 0-1 stand for the two places before a sentence, 2-3 for the two after it: what they
        # "lend" is the pad feature of that side (parts: own, lent to −2, −1, +1, +2)
        pad = {k: self._row(k) for k in ("-2pad", "-1pad", "1pad", "2pad")}
        vec[0, 4] = vec[1, 4] = pad["-2pad"]
        vec[1, 3] = pad["-1pad"]
        vec[2, 2] = pad["1pad"]
        vec[2, 1] = vec[3, 1] = pad["2pad"]
        # position flags, summed per combination: 8 × BOS + 4 × EOS + (1 start, 2 start and capstart, 3 capmid)
        flags = np.zeros((16, L))
        for code in range(16):
            names = (["BOS"] if code & 8 else []) + (["EOS"] if code & 4 else [])
            names += [[], ["start"], ["start", "capstart"], ["capmid"]][code & 3]
            for name in names:
                flags[code] = flags[code] + self._row(name)
        self._flags = flags
        self._slots: dict[str, int] = {}
        self._low: list[str] = [""] * _RESERVED
        #: per slot, the bigram attributes it opens (``second form → row``; None: none): what
        #: :meth:`unary_many` looks the next word up in, without the form's string
        self._after: list[dict[str, int] | None] = [None] * _RESERVED
        #: per slot, 1 for a capitalised form and 2 for a clause opener; slot 1 (the place before a
        #: sentence) opens a clause, so a sentence's first word gets the "start" flags
        self._kind = np.zeros(len(vec), dtype=np.intp)
        self._kind[1] = 2

    def _row(self, attr: str) -> np.ndarray:
        k = self.weights.index.get(attr)
        return np.zeros(len(self.labels)) if k is None else self.weights.state[k]

    def forms(self) -> int:
        """How many word forms the per-form table holds now."""
        return len(self._slots)

    def nbytes(self) -> int:
        """Memory of the per-form table's vectors, in bytes (its dictionary and strings not counted)."""
        return int(self._vec.nbytes)

    def clear(self) -> None:
        """Forget the per-form table."""
        self._slots.clear()
        del self._low[_RESERVED:], self._after[_RESERVED:]

    def _add(self, words: Sequence[str]) -> None:
        """Slots for the forms in ``words`` not in the table yet: their own and lent summed weight
        vectors, casefold, flags.  The weight rows of all of them are found in one pass and added in
        one ``np.add.at``, each vector row by row from zero, as crfsuite sums a token's features
        attribute by attribute."""
        slots = self._slots
        new = [w for w in dict.fromkeys(words) if w not in slots]
        if not new:
            return
        first = len(self._low)
        need = first + len(new)
        if need > len(self._vec):
            grown = np.zeros((max(min(2 * len(self._vec), self._max), need), *self._vec.shape[1:]))
            grown[:first] = self._vec[:first]
            self._vec = grown
            kind = np.zeros(len(grown), dtype=np.intp)
            kind[:first] = self._kind[:first]
            self._kind = kind
        own_row, lent, opens = self._own.get, self._lent.get, self._bigrams.get
        kinds: list[int] = []
        # every (slot × 5 + part, weight row) pair of the new forms, in the order the features come:
        # own features first, then the ones a form lends (rows of ``_lent_rows``: to −2, −1, +1, +2)
        own_rows: list[int] = []
        own_dest: list[int] = []
        near_rows: list[int] = []
        near_dest: list[int] = []
        far_rows: list[int] = []
        far_dest: list[int] = []
        nil = len(self._lent_rows) - 1  # the all −1 row: a base the model does not hold lent
        for j, word in enumerate(new):
            own, low, near, far = _form_parts(word)
            slot5 = 5 * (first + j)
            own_rows.extend(map(own_row, own, repeat(-1)))
            own_dest.extend([slot5] * len(own))
            near_rows.extend(map(lent, near, repeat(nil)))
            near_dest.extend([slot5] * len(near))
            far_rows.extend(map(lent, far, repeat(nil)))
            far_dest.extend([slot5] * len(far))
            self._low.append(low)
            self._after.append(opens(low))
            kinds.append((1 if word[:1].isupper() else 0) + (2 if word in _OPENERS else 0))
            slots[word] = first + j
        self._kind[first:need] = kinds
        vec = self._vec
        vec[first:need] = 0.0  # rows left from before a clear()
        rows_o = np.asarray(own_rows, dtype=np.intp)
        near_a = self._lent_rows[near_rows]
        far_a = self._lent_rows[far_rows]
        near_d = np.asarray(near_dest, dtype=np.intp)
        far_d = np.asarray(far_dest, dtype=np.intp)
        # parts in the order of :func:`~lagebild.nlp.ner.features._token`: own, lent to −2, −1, +1, +2
        rows = np.concatenate([rows_o, far_a[:, 0], near_a[:, 1], near_a[:, 2], far_a[:, 3]])
        dest = np.concatenate([np.asarray(own_dest, dtype=np.intp), far_d + 1, near_d + 2, near_d + 3, far_d + 4])
        keep = rows >= 0
        if keep.any():
            # np.add.at adds in the order given, one element after another from zero: exactly the
            # float arithmetic of adding a token's features attribute by attribute (on the flat
            # table, one index per label: numpy's fast path for add.at is one-dimensional)
            L = vec.shape[-1]
            at = (dest[keep][:, None] * L + np.arange(L)).ravel()
            np.add.at(vec.reshape(-1), at, self.weights.state[rows[keep]].ravel())

    def unary(self, tokens: Sequence[str]) -> np.ndarray:
        """Every token's score per label (positions × labels): the sum of its features' weights.

        Added per token in the order :func:`~lagebild.nlp.ner.features.sentence_features`
        lists the features: own, position flags, lent by −2, −1, +1, +2, bigram, two-word readings.
        """
        if not tokens:
            return np.zeros((0, len(self.labels)))
        return self.unary_many([tokens])[0]

    def _pairs(self, tokens: Sequence[str], pairs: list[int], U: np.ndarray) -> None:
        """Add the two-word knowledge-base readings (``kb2=`` on the first word, ``kb2p=`` on the
        second) of the capitalised pairs ending at the indexes ``pairs``."""
        starts = set(p - 1 for p in pairs)
        ends = set(pairs)
        state, index = self.weights.state, self.weights.index
        for i in sorted(starts | ends):
            if i in starts:
                for t in _pair_types(f"{tokens[i]} {tokens[i + 1]}"):
                    r = index.get(f"kb2={t}")
                    if r is not None:
                        U[i] += state[r]
            if i in ends:
                for t in _pair_types(f"{tokens[i - 1]} {tokens[i]}"):
                    r = index.get(f"kb2p={t}")
                    if r is not None:
                        U[i] += state[r]

    def decode(self, U: np.ndarray) -> list[str]:
        """The tags of one stretch of unary scores."""
        labels = self.labels
        return [labels[k] for k in viterbi(U, self.weights.trans)]

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """One tag per token (crfsuite's ``Tagger.tag`` on ``sentence_features``)."""
        return self.decode(self.unary(tokens)) if tokens else []

    def unary_many(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """:meth:`unary` of several sentences at once (one pass; the same scores)."""
        sizes = [len(s) for s in sentences]
        total = sum(sizes)
        if len(self._slots) + total + _RESERVED > self._max:
            self.clear()
        slots = self._slots
        self._add([w for toks in sentences for w in toks])
        low, after = self._low, self._after
        # the sentences one after another, each framed by the slots that stand for the places beyond
        # its ends: [0, 1, first sentence…, 2, 3, 0, 1, second sentence…, 2, 3]
        stream: list[int] = [0, 1]
        hit_at: list[int] = []
        hit_row: list[int] = []
        kept: list[int] = []  # the sentences with tokens, in order
        g = 0
        for k, toks in enumerate(sentences):
            if not toks:
                continue
            kept.append(k)
            ids = [slots[w] for w in toks]
            stream += ids
            stream += (2, 3, 0, 1)
            # bigram attributes f"bg={previous form}|{form}", found without building their strings
            for i, prev, cur in zip(range(g + 1, g + len(ids)), ids, ids[1:]):
                nxt = after[prev]
                if nxt is not None:
                    r = nxt.get(low[cur])
                    if r is not None:
                        hit_at.append(i)
                        hit_row.append(r)
            g += len(ids)
        if not kept:
            return [np.zeros((0, len(self.labels))) for _ in sentences]
        S = np.array(stream, dtype=np.intp)
        pos = np.flatnonzero(S >= _RESERVED)  # the tokens' places in the stream (the pads are 0-3)
        kind = self._kind
        before = S[pos - 1]
        cap = kind[S[pos]] & 1
        kind_before = kind[before]
        cap_before = kind_before & 1
        # position flags: 8 × BOS + 4 × EOS + (1 start, 2 start and capstart, 3 capmid, 0 none); a
        # token opens a clause after an opener or the place before its sentence (slot 1)
        codes = np.where(kind_before & 2, 1 + cap, 3 * cap)
        codes += 8 * (before == 1) + 4 * (S[pos + 1] == 2)
        # row k × 5 + part of the flat (slots × 5, labels) table is slot k's part: one ``take`` per part
        # gathers faster than indexing the 3-d table with an index array and a scalar; the sum runs in
        # the same order (own, flags, lent by −2, −1, +1, +2), so the scores are the same to the bit
        S5 = S * 5
        flat = self._vec.reshape(-1, self._vec.shape[-1])
        take = flat.take
        U = take(S5[pos], axis=0)
        U += self._flags.take(codes, axis=0)
        U += take(S5[pos - 2] + 4, axis=0)
        U += take(S5[pos - 1] + 3, axis=0)
        U += take(S5[pos + 1] + 2, axis=0)
        U += take(S5[pos + 2] + 1, axis=0)
        if hit_at:
            U[hit_at] += self.weights.state[hit_row]
        out: list[np.ndarray] = [np.zeros((0, len(self.labels)))] * len(sentences)
        bounds = np.cumsum([0] + [sizes[k] for k in kept]).tolist()
        for k, a, b in zip(kept, bounds, bounds[1:]):
            out[k] = U[a:b]
        # two capitalised words in a row (in one sentence): their two-word knowledge-base readings
        both = np.flatnonzero(cap & cap_before).tolist()
        which = np.searchsorted(bounds, both, side="right") - 1 if both else []
        by_sentence: dict[int, list[int]] = {}
        for at, r in zip(both, list(which)):
            by_sentence.setdefault(kept[r], []).append(at - bounds[r])
        for k, ends in by_sentence.items():
            self._pairs(sentences[k], ends, out[k])
        return out

    def decode_many(self, unaries: Sequence[np.ndarray]) -> list[list[str]]:
        """The tags of several stretches of unary scores (:func:`viterbi_many`)."""
        labels = self.labels
        return [[labels[k] for k in path] for path in viterbi_many(unaries, self.weights.trans)]

    def tag_many(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """:meth:`tag` of several sentences at once: the same tags, much faster per sentence."""
        return self.decode_many(self.unary_many(sentences))
